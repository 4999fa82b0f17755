// The command objective: an external program per trial, its stdout protocol,
// failures, stop/prune/timeout through process groups, and parallel workers.
#include <QtTest>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "exec/command_protocol.h"
#include "study/study.h"
#include "support/spec_errors.h"
#include "support/study_specs.h"

using namespace bonsai;

namespace {

// A study of one float `x` in [0, 1] and an int `n` in [1, 4] whose objective
// runs `sh -c script` (script may use {x}, {n} placeholders).
Json commandSpec(const std::string& script, const std::string& runsDir, int trials = 1) {
    Json spec = test::shellCommandSpec(script, runsDir, trials);
    spec["name"] = "cmd";
    spec["space"].push_back({{"name", "n"}, {"type", "int"}, {"low", 1}, {"high", 4}});
    spec["strategy"] = {{"kind", "random"}};
    spec["seed"] = 3;
    return spec;
}

struct StopWhenStarted final : StudyEvents {
    std::atomic<bool>& stop;
    std::chrono::milliseconds after;
    explicit StopWhenStarted(std::atomic<bool>& s, std::chrono::milliseconds a)
        : stop(s), after(a) {}
    void trialStarted(const Trial&) override {
        std::thread([this] {
            std::this_thread::sleep_for(after);
            stop = true;
        }).detach();
    }
};

// Running or sleeping; a zombie (dead, waiting for a parent that may never
// reap it in a container) counts as gone.
bool processAlive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string pidText, name, state;
    if (!(stat >> pidText >> name >> state))
        return false;
    return state != "Z" && state != "X";
}

pid_t readPid(const QString& path) {
    std::ifstream in(path.toStdString());
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
}

std::string specError(const Json& spec) {
    return test::studySpecError(spec);
}

}  // namespace

class CommandObjectiveTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_runs;
    ObjectiveRegistry m_objectives = ObjectiveRegistry::withBuiltins();

    std::vector<Trial> run(const Json& json, StudyEvents* events = nullptr,
                           std::atomic<bool>* stopFlag = nullptr) {
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, m_objectives), m_objectives);
        std::atomic<bool> localStop{false};
        study.run(stopFlag ? *stopFlag : localStop, events);
        return db.loadTrials(study.id());
    }
    std::string runs() const { return m_runs.path().toStdString(); }

  private slots:
    // --- the protocol, line by line -----------------------------------------
    void protocolReadsReportsFinalValueAndAttributes() {
        CommandProtocol protocol;
        QVERIFY(!protocol.feed("epoch 1: loss 0.3").report);  // plain log
        auto first = protocol.feed("{\"step\": 1, \"value\": 0.5}");
        QVERIFY(first.report);
        QCOMPARE(first.report->step, 1);
        QCOMPARE(first.report->value, 0.5);
        auto last = protocol.feed("{\"value\": 0.9, \"attrs\": {\"test_acc\": 0.88}}");
        QCOMPARE(last.attrs["test_acc"].get<double>(), 0.88);
        protocol.feed("bye");
        QCOMPARE(*protocol.finalValue(), 0.9);
    }

    void protocolTakesABareNumberOnTheLastLineOnly() {
        CommandProtocol protocol;
        protocol.feed("0.25");
        protocol.feed("done");
        QVERIFY(!protocol.finalValue());
        protocol.feed("  0.75 ");
        protocol.feed("");
        QCOMPARE(*protocol.finalValue(), 0.75);
    }

    void protocolReadsNamedValues() {
        CommandProtocol protocol;
        protocol.feed("{\"values\": {\"accuracy\": 0.9, \"latency_ms\": 3.5}}");
        QCOMPARE(protocol.namedValues().at("latency_ms"), 3.5);
        QCOMPARE(*protocol.finalValue(), 0.9);
    }

    void protocolRejectsBrokenReports() {
        auto error = [](const std::string& line) -> std::string {
            CommandProtocol protocol;
            try {
                protocol.feed(line);
            } catch (const ProtocolError& e) {
                return e.what();
            }
            return "(no error)";
        };
        QCOMPARE(error("{\"value\": \"high\"}"),
                 std::string("stdout line 1: \"value\" must be a number (got \"high\")"));
        QCOMPARE(error("{\"step\": 1.5, \"value\": 1}"),
                 std::string("stdout line 1: \"step\" must be a whole number (got 1.5)"));
        QCOMPARE(error("{\"step\": 2}"),
                 std::string("stdout line 1: a report needs \"value\" next to \"step\""));
        QCOMPARE(error("{\"value\": 1, \"attrs\": [1]}"),
                 std::string("stdout line 1: \"attrs\" must be an object of name: value"));
        QCOMPARE(error("{\"values\": {}}"),
                 std::string("stdout line 1: \"values\" must be an object of name: number"));
        QCOMPARE(error("{\"note\": \"not protocol\"}"), std::string("(no error)"));
    }

    // --- whole trials -------------------------------------------------------
    void aTrialReportsStepsAndFinishesWithItsValue() {
        auto trials =
            run(commandSpec("echo \"training x={x} n={n}\"\n"
                            "echo '{\"step\": 1, \"value\": 0.4}'\n"
                            "echo '{\"step\": 2, \"value\": 0.6}'\n"
                            "echo \"warning: something\" >&2\n"
                            "echo '{\"value\": 0.7, \"attrs\": {\"test_acc\": 0.65}}'",
                            runs()));
        QCOMPARE(trials.size(), std::size_t(1));
        const Trial& trial = trials[0];
        QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
        QCOMPARE(*trial.value, 0.7);
        QCOMPARE(trial.intermediate.size(), std::size_t(2));
        QCOMPARE(trial.intermediate[1].second, 0.6);
        QCOMPARE(trial.attrs["test_acc"].get<double>(), 0.65);
        QVERIFY(trial.attrs["stdout_tail"].get<std::string>().find("training x=") == 0);
        QCOMPARE(trial.attrs["stderr_tail"].get<std::string>(),
                 std::string("warning: something\n"));
    }

    void placeholdersAndEnvironmentCarryTheParameters() {
        const char* script =
            "echo \"$BONSAI_STUDY/$BONSAI_TRIAL x={x} n={n}\" >&2\n"
            "test \"$(cat \"$BONSAI_PARAMS_FILE\")\" = \"$BONSAI_PARAMS\" || exit 9\n"
            "echo \"$BONSAI_PARAMS\" >&2\n"
            "echo {n}";
        auto trials = run(commandSpec(script, runs()));
        const Trial& trial = trials.at(0);
        QCOMPARE(trial.state, TrialState::Complete);
        const double x = std::get<double>(trial.params.at("x"));
        const auto n = std::get<std::int64_t>(trial.params.at("n"));
        QCOMPARE(*trial.value, double(n));
        const std::string stderrTail = trial.attrs["stderr_tail"];
        // Floats reach the command with every digit (they round-trip).
        QVERIFY2(stderrTail.find("cmd/0 x=" + Json(x).dump() + " n=" + std::to_string(n)) == 0,
                 stderrTail.c_str());
        QVERIFY(stderrTail.find(toJson(trial.params).dump()) != std::string::npos);
    }

    void workdirAndEnvAreApplied() {
        QTemporaryDir work;
        Json spec = commandSpec("echo \"$(pwd) $GREETING\" >&2; echo 1", runs());
        spec["objective"]["workdir"] = work.path().toStdString();
        spec["objective"]["env"] = {{"GREETING", "hello"}};
        auto trials = run(spec);
        QCOMPARE(trials.at(0).attrs["stderr_tail"].get<std::string>(),
                 QFileInfo(work.path()).canonicalFilePath().toStdString() + " hello\n");
    }

    void failuresFailTheTrialWithTheirReasonAndTheStudyGoesOn_data() {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("reason");
        QTest::newRow("exit status") << "echo 'CUDA out of memory' >&2; exit 3"
                                     << "the command failed (exit status 3): CUDA out of memory";
        // The reason quotes the last line and says what to print instead.
        QTest::newRow("no result") << "echo training; echo accuracy=0.85"
                                   << "no result: the command printed no {\"value\": v} line and "
                                      "its last line, 'accuracy=0.85', is not a number; print the "
                                      "result alone (print(acc)) or as {\"value\": v} "
                                      "(print(json.dumps({\"value\": acc})))";
        QTest::newRow("nothing printed")
            << "echo 'loss 0.3' >&2"
            << "no result: the command printed nothing on stdout; print the result as its last "
               "line (a bare number, or {\"value\": v})";
        QTest::newRow("unparsable") << "echo '{\"value\": \"oops\"}'"
                                    << "unparsable output: stdout line 1: \"value\" must be a "
                                       "number (got \"oops\")";
        QTest::newRow("NaN") << "echo nan"
                             << "objective returned NaN";
        QTest::newRow("signal") << "kill -9 $$"
                                << "the command failed (killed by signal 9 (SIGKILL))";
    }
    void failuresFailTheTrialWithTheirReasonAndTheStudyGoesOn() {
        QFETCH(QString, script);
        QFETCH(QString, reason);
        auto trials = run(commandSpec(script.toStdString(), runs(), 2));
        QCOMPARE(trials.size(), std::size_t(2));  // the study went on
        QCOMPARE(trials[0].state, TrialState::Failed);
        QCOMPARE(QString::fromStdString(trials[0].error), reason);
    }

    void aMissingProgramFailsTheTrial() {
        Json spec = commandSpec("", runs());
        spec["objective"]["argv"] = {"bonsai-no-such-program", "{x}"};
        auto trials = run(spec);
        QCOMPARE(trials.at(0).state, TrialState::Failed);
        QCOMPARE(trials.at(0).error,
                 std::string("cannot start 'bonsai-no-such-program': No such file or directory "
                             "(is it installed and on PATH?)"));
    }

    void aTimeoutStopsTheCommandAndFailsTheTrial() {
        Json spec = commandSpec("echo '{\"step\": 1, \"value\": 1}'; sleep 30; echo 1", runs());
        spec["objective"]["timeout_s"] = 0.5;
        const auto started = std::chrono::steady_clock::now();
        auto trials = run(spec);
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
        QCOMPARE(trials.at(0).state, TrialState::Failed);
        QCOMPARE(trials.at(0).error,
                 std::string("timed out after 0.5 s (timeout_s); the command was stopped"));
        QCOMPARE(trials.at(0).intermediate.size(), std::size_t(1));
    }

    // The command and every process it started are gone once the study
    // stops, even one that ignores SIGTERM (SIGKILL after grace_s).
    void stoppingTheStudyLeavesNoOrphans() {
        const QString childPid = m_runs.filePath("child.pid");
        const QString leaderPid = m_runs.filePath("leader.pid");
        std::string script = "trap '' TERM; echo $$ > " + leaderPid.toStdString() +
                             "; sleep 1000 & echo $! > " + childPid.toStdString() +
                             "; echo '{\"step\": 1, \"value\": 1}'; wait";
        std::atomic<bool> stop{false};
        StopWhenStarted stopper(stop, std::chrono::milliseconds(400));
        const auto started = std::chrono::steady_clock::now();
        auto trials = run(commandSpec(script, runs(), 3), &stopper, &stop);
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
        QCOMPARE(trials.size(), std::size_t(1));
        QCOMPARE(trials[0].state, TrialState::Failed);
        QCOMPARE(trials[0].error, std::string("stopped by user"));
        QVERIFY(readPid(leaderPid) > 0 && readPid(childPid) > 0);
        // SIGKILL has been sent to the whole group; its delivery is asynchronous.
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(readPid(leaderPid)), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(readPid(childPid)), 5000);
    }

    // Background processes a finished command leaves behind go with it.
    void aFinishedCommandLeavesNoOrphans() {
        const QString childPid = m_runs.filePath("straggler.pid");
        auto trials = run(commandSpec(
            "sleep 1000 >/dev/null 2>&1 & echo $! > " + childPid.toStdString() + "; echo 0.5",
            runs()));
        QCOMPARE(trials.at(0).state, TrialState::Complete);
        QTRY_VERIFY(!processAlive(readPid(childPid)));
    }

    // The median pruner sees the command's reports and stops a bad trial.
    void pruningStopsTheCommand() {
        // Every trial reports x at steps 1..5, sleeping in between, so a
        // later trial with a larger x falls behind the median.
        std::string script =
            "for s in 1 2 3 4 5; do echo \"{\\\"step\\\": $s, \\\"value\\\": {x}}\"; sleep 0.05; "
            "done; echo {x}";
        Json spec = commandSpec(script, runs(), 12);
        spec["pruner"] = {{"kind", "median"}, {"startup_trials", 3}, {"warmup_steps", 1}};
        auto trials = run(spec);
        int pruned = 0;
        for (const Trial& trial : trials) {
            if (trial.state != TrialState::Pruned)
                continue;
            ++pruned;
            QVERIFY(trial.intermediate.size() < 5);  // stopped before the end
            QVERIFY(trial.error.find("pruned at step") == 0);
        }
        QVERIFY(pruned > 0);
    }

    void parallelWorkersRunCommandsAtOnce() {
        Json spec = commandSpec("sleep 0.3; echo {x}", runs(), 8);
        spec["workers"] = 4;
        auto trials = run(spec);
        QCOMPARE(trials.size(), std::size_t(8));
        int mostAtOnce = 0;
        for (const Trial& trial : trials) {
            QCOMPARE(trial.state, TrialState::Complete);
            int atOnce = 0;  // trials running when this one started
            for (const Trial& other : trials)
                atOnce +=
                    other.startedAt <= trial.startedAt && *other.completedAt > trial.startedAt;
            mostAtOnce = std::max(mostAtOnce, atOnce);
        }
        QVERIFY2(mostAtOnce >= 3, qPrintable(QString::number(mostAtOnce)));  // at most 4
        QVERIFY(mostAtOnce <= 4);
    }

    // --- the spec -----------------------------------------------------------
    void badSettingsAreNamed_data() {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown placeholder")
            << "{\"argv\": [\"train\", \"--lr\", \"{xx}\"]}"
            << "objective.argv[2]: placeholder {xx} names no parameter; did you mean {x}? "
               "(parameters: x, n; write {{xx}} for literal braces)";
        QTest::newRow("empty argv")
            << "{\"argv\": []}"
            << "objective.argv: must list the program and its arguments, e.g. [\"python3\", "
               "\"train.py\", \"--lr\", \"{lr}\"]";
        QTest::newRow("number in argv") << "{\"argv\": [\"train\", 3]}"
                                        << "objective.argv[1]: must be a string (got 3)";
        QTest::newRow("missing workdir")
            << "{\"workdir\": \"/no/such/folder\"}"
            << "objective.workdir: folder '/no/such/folder' does not exist; create it or fix the "
               "path";
        QTest::newRow("env number") << "{\"env\": {\"SEED\": 3}}"
                                    << "objective.env.SEED: must be a string (got 3); quote it";
        QTest::newRow("timeout") << "{\"timeout_s\": 0}"
                                 << "objective.timeout_s: must be > 0 seconds (got 0)";
        QTest::newRow("typo") << "{\"timeout\": 10}"
                              << "objective.timeout: unknown key; did you mean 'timeout_s'?";
    }
    void badSettingsAreNamed() {
        QFETCH(QString, patch);
        QFETCH(QString, message);
        Json spec = commandSpec("echo 1", runs());
        spec["objective"].merge_patch(Json::parse(patch.toStdString()));
        QCOMPARE(QString::fromStdString(specError(spec)), message);
    }

    void literalBracesPassThrough() {
        auto trials = run(commandSpec("echo '{\"value\": 0.25}'; echo '{{x}}' >&2", runs()));
        QCOMPARE(trials.at(0).state, TrialState::Complete);
        QCOMPARE(*trials.at(0).value, 0.25);
        QCOMPARE(trials.at(0).attrs["stderr_tail"].get<std::string>(), std::string("{x}\n"));
    }
};

QTEST_GUILESS_MAIN(CommandObjectiveTest)
#include "tst_command_objective.moc"
