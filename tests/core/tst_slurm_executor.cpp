// The slurm executor's parts that need no cluster: its spec section, the
// batch script (run here with bash), sbatch's arguments, and how Slurm's job
// states become trial outcomes. tests/cli/tst_slurm.cpp drives a real cluster.
#include <QtTest>

#include <fstream>

#include "exec/executor_settings.h"
#include "exec/slurm_executor.h"
#include "study/spec.h"
#include "support/spec_errors.h"

using namespace bonsai;

namespace {

Json commandStudy(const Json& executor) {
    Json spec = {{"name", "slurm-spec"},
                 {"space", {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}}},
                 {"objective", {{"kind", "command"}, {"argv", {"echo", "{x}"}}}},
                 {"budget", {{"trials", 2}}}};
    if (!executor.is_null())
        spec["executor"] = executor;
    return spec;
}

std::string specError(const Json& spec) {
    return test::studySpecError(spec);
}

}  // namespace

class SlurmExecutorTest : public QObject {
    Q_OBJECT

  private slots:
    void theDefaultExecutorIsLocal() {
        StudySpec spec = parseStudySpec(commandStudy(Json()), ObjectiveRegistry::withBuiltins());
        QVERIFY(spec.executor.is_null());
        QVERIFY(!spec.source.contains("executor"));
        QVERIFY(parseExecutorSettings(Json()).isLocal());
        StudySpec local =
            parseStudySpec(commandStudy({{"kind", "local"}}), ObjectiveRegistry::withBuiltins());
        QVERIFY(local.executor.is_null());
    }

    void slurmSettingsAreReadAndStored() {
        Json executor = {{"kind", "slurm"},
                         {"partition", "gpu"},
                         {"time", "01:00:00"},
                         {"cpus_per_task", 4},
                         {"gres", "gpu:1"},
                         {"mem", "16G"},
                         {"extra_args", {"--qos=high"}},
                         {"max_concurrent", 12}};
        StudySpec spec = parseStudySpec(commandStudy(executor), ObjectiveRegistry::withBuiltins());
        QCOMPARE(spec.workers, 12);  // max_concurrent trials in flight
        QCOMPARE(spec.source["executor"], executor);
        QVERIFY(!spec.source.contains("workers"));
        // The stored spec reads back to the same study.
        StudySpec again = parseStudySpec(spec.source, ObjectiveRegistry::withBuiltins());
        QCOMPARE(again.workers, 12);
        QCOMPARE(again.executor, spec.executor);

        ExecutorSettings settings = parseExecutorSettings(executor);
        QCOMPARE(settings.slurm.maxConcurrent, 12);
        QCOMPARE(*settings.slurm.cpusPerTask, std::int64_t(4));
        // max_concurrent defaults to 32.
        QCOMPARE(parseExecutorSettings({{"kind", "slurm"}}).slurm.maxConcurrent, 32);
    }

    void badExecutorSettingsNameTheFieldAndTheFix_data() {
        QTest::addColumn<QString>("executor");
        QTest::addColumn<QString>("error");
        QTest::newRow("kind") << R"({"kind": "slrum"})"
                              << "executor.kind: unknown executor 'slrum'; did you mean 'slurm'? "
                                 "(known: local, slurm)";
        QTest::newRow("typo") << R"({"kind": "slurm", "partiton": "gpu"})"
                              << "executor.partiton: unknown key; did you mean 'partition'?";
        QTest::newRow("time") << R"({"kind": "slurm", "time": "1h"})"
                              << "executor.time: '1h' is not a Slurm time limit; write minutes "
                                 "(\"90\"), \"HH:MM:SS\" or \"D-HH:MM:SS\"";
        QTest::newRow("mem") << R"({"kind": "slurm", "mem": "16 GB"})"
                             << "executor.mem: '16 GB' is not a Slurm memory size; write e.g. "
                                "\"16G\" or \"4000M\"";
        QTest::newRow("cpus") << R"({"kind": "slurm", "cpus_per_task": 0})"
                              << "executor.cpus_per_task: must be at least 1 (got 0)";
        QTest::newRow("owned option")
            << R"({"kind": "slurm", "extra_args": ["--qos=high", "--output=x.log"]})"
            << "executor.extra_args[1]: Bonsai sets --output itself (the trial's folder and job "
               "name); remove it";
        QTest::newRow("extra not list") << R"({"kind": "slurm", "extra_args": "--qos=high"})"
                                        << "executor.extra_args: must be a list of sbatch "
                                           "options, e.g. [\"--qos=high\"]";
        QTest::newRow("concurrency") << R"({"kind": "slurm", "max_concurrent": 0})"
                                     << "executor.max_concurrent: must be between 1 and 1024 "
                                        "(got 0)";
        QTest::newRow("not object") << R"("slurm")"
                                    << "executor: must be a JSON object (got a string)";
    }
    void badExecutorSettingsNameTheFieldAndTheFix() {
        QFETCH(QString, executor);
        QFETCH(QString, error);
        const std::string message = specError(commandStudy(Json::parse(executor.toStdString())));
        QVERIFY2(message.find(error.toStdString()) == 0, message.c_str());
    }

    void onlyCommandObjectivesRunOnSlurm() {
        Json spec = commandStudy({{"kind", "slurm"}});
        spec["objective"] = {{"kind", "function"}, {"function", "ackley"}};
        QCOMPARE(QString::fromStdString(specError(spec)),
                 QString("executor: the \"function\" objective runs inside Bonsai; only a "
                         "\"command\" objective can run its trials on slurm"));
        Json workers = commandStudy({{"kind", "slurm"}});
        workers["workers"] = 4;
        QCOMPARE(specError(workers),
                 std::string("workers: with executor \"slurm\", set executor.max_concurrent "
                             "instead (how many trials run at once)"));
    }

    void shellQuotingSurvivesAnyText() {
        QCOMPARE(shellQuote("plain"), std::string("'plain'"));
        QCOMPARE(shellQuote("it's"), std::string("'it'\\''s'"));
        QCOMPARE(shellQuote(""), std::string("''"));
    }

    // The generated script, run by bash as Slurm would, passes every argument
    // and variable through unchanged and records the exit status.
    void theBatchScriptRunsTheCommandAsGiven() {
        QTemporaryDir dir;
        CommandLaunch launch;
        const std::string tricky = "a b 'c' \"d\" $HOME `x` \\ {\"lr\": 0.1}\nnext";
        launch.argv = {
            "sh", "-c",   "printf '%s|' \"$1\" \"$2\" \"$TRICKY\" \"$(pwd)\" > out.txt; exit 7",
            "sh", tricky, ""};
        launch.env = {{"TRICKY", tricky}};
        launch.workdir = dir.path().toStdString();
        launch.trialDir = dir.path().toStdString();
        launch.jobName = "bonsai-test-0";
        const std::string scriptPath = dir.filePath("job.sh").toStdString();
        std::ofstream(scriptPath) << slurmBatchScript(launch);
        QProcess bash;
        bash.setWorkingDirectory("/");
        bash.start("bash", {QString::fromStdString(scriptPath)});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitCode(), 7);
        QFile out(dir.filePath("out.txt"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        const std::string expected = tricky + "||" + tricky + "|" +
                                     QFileInfo(dir.path()).canonicalFilePath().toStdString() + "|";
        QCOMPARE(out.readAll().toStdString(), expected);
        QFile status(dir.filePath("exit_status"));
        QVERIFY(status.open(QIODevice::ReadOnly));
        QCOMPARE(status.readAll().trimmed(), QByteArray("7"));
    }

    // A command killed by a signal takes the script down with the same
    // signal (Slurm then reports it), and bash's "Killed" note stays out of
    // the job's stderr.
    void theBatchScriptPassesOnDeathBySignal() {
        QTemporaryDir dir;
        CommandLaunch launch;
        launch.argv = {"sh", "-c", "echo bye >&2; kill -KILL $$"};
        launch.trialDir = dir.path().toStdString();
        const std::string scriptPath = dir.filePath("job.sh").toStdString();
        std::ofstream(scriptPath) << slurmBatchScript(launch);
        QProcess bash;
        bash.start("bash", {QString::fromStdString(scriptPath)});
        QVERIFY(bash.waitForFinished(10000));
        QCOMPARE(bash.exitStatus(), QProcess::CrashExit);
        QCOMPARE(bash.readAllStandardError(), QByteArray("bye\n"));
    }

    void variablesSlurmCannotCarryAreRejected() {
        CommandLaunch launch;
        launch.argv = {"true"};
        launch.env = {{"MY-VAR", "1"}};
        launch.trialDir = "/tmp";
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, slurmBatchScript(launch));
    }

    void sbatchGetsTheTrialFolderAndResources() {
        SlurmSettings settings;
        settings.partition = "gpu";
        settings.time = "10";
        settings.cpusPerTask = 2;
        settings.gres = "gpu:1";
        settings.mem = "4G";
        settings.extraArgs = {"--qos=high"};
        CommandLaunch launch;
        launch.trialDir = "/runs/s/trial-3";
        launch.workdir = "/work";
        launch.jobName = "bonsai-s-3";
        std::vector<std::string> expected = {"--parsable",
                                             "--job-name=bonsai-s-3",
                                             "--output=/runs/s/trial-3/stdout.log",
                                             "--error=/runs/s/trial-3/stderr.log",
                                             "--chdir=/work",
                                             "--no-requeue",
                                             "--partition=gpu",
                                             "--time=10",
                                             "--cpus-per-task=2",
                                             "--gres=gpu:1",
                                             "--mem=4G",
                                             "--qos=high",
                                             "/runs/s/trial-3/job.sh"};
        QCOMPARE(sbatchArguments(settings, launch, "/runs/s/trial-3/job.sh"), expected);
    }

    void scontrolLinesAreParsed() {
        // As printed by slurm 22.05 `scontrol -o show job` (shortened).
        const std::string line =
            "JobId=3 JobName=wrap UserId=root(0) JobState=FAILED Reason=NonZeroExitCode "
            "Dependency=(null) Requeue=1 ExitCode=3:0 RunTime=00:00:00";
        auto status = parseScontrolJob(line);
        QVERIFY(status);
        QCOMPARE(status->state, std::string("FAILED"));
        QCOMPARE(status->reason, std::string("NonZeroExitCode"));
        QCOMPARE(status->exitCode, std::string("3:0"));
        QVERIFY(!parseScontrolJob("slurm_load_jobs error: Invalid job id specified"));
    }

    // States and exit codes as the test cluster reported them (README).
    void jobStatesBecomeTrialOutcomes_data() {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("exitCode");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("why");
        QTest::newRow("completed") << "COMPLETED"
                                   << "None"
                                   << "0:0" << true << "";
        QTest::newRow("exit status") << "FAILED"
                                     << "NonZeroExitCode"
                                     << "3:0" << false << "slurm job 7 FAILED: exit status 3";
        QTest::newRow("signal") << "FAILED"
                                << "JobLaunchFailure"
                                << "0:9" << false
                                << "slurm job 7 FAILED: killed by signal 9 (SIGKILL) "
                                   "(JobLaunchFailure)";
        QTest::newRow("timeout") << "TIMEOUT"
                                 << "TimeLimit"
                                 << "0:15" << false
                                 << "slurm job 7 TIMEOUT: hit its time limit (executor.time) "
                                    "(TimeLimit)";
        QTest::newRow("oom") << "OUT_OF_MEMORY"
                             << "OutOfMemory"
                             << "0:125" << false
                             << "slurm job 7 OUT_OF_MEMORY: ran out of memory (executor.mem) "
                                "(OutOfMemory)";
        QTest::newRow("cancelled") << "CANCELLED"
                                   << "None"
                                   << "0:15" << false
                                   << "slurm job 7 CANCELLED: was cancelled (scancel, or an "
                                      "administrator)";
        QTest::newRow("node fail") << "NODE_FAIL"
                                   << "None"
                                   << "0:0" << false << "slurm job 7 NODE_FAIL: lost its node";
    }
    void jobStatesBecomeTrialOutcomes() {
        QFETCH(QString, state);
        QFETCH(QString, reason);
        QFETCH(QString, exitCode);
        QFETCH(bool, ok);
        QFETCH(QString, why);
        QVERIFY(isFinalSlurmState(state.toStdString()));
        CommandExit exit =
            slurmExit("7", {state.toStdString(), reason.toStdString(), exitCode.toStdString()});
        QCOMPARE(exit.ok, ok);
        QCOMPARE(exit.reason, why.toStdString());
    }

    void liveStatesAreNotFinal() {
        for (const char* state :
             {"PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "REQUEUED"})
            QVERIFY2(!isFinalSlurmState(state), state);
    }

    // Without sbatch on PATH, launching says so rather than failing obscurely.
    void aMissingSbatchIsAClearError() {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/nonexistent");
        SlurmExecutor executor({});
        QTemporaryDir dir;
        CommandLaunch launch;
        launch.argv = {"true"};
        launch.trialDir = dir.path().toStdString();
        launch.jobName = "bonsai-x-0";
        std::string message;
        try {
            executor.launch(launch);
        } catch (const std::runtime_error& error) {
            message = error.what();
        }
        qputenv("PATH", path);
        QCOMPARE(message, std::string("cannot submit to Slurm: sbatch is not installed or not on "
                                      "PATH (run Bonsai on a Slurm login node, or use "
                                      "\"executor\": {\"kind\": \"local\"})"));
    }
};

QTEST_GUILESS_MAIN(SlurmExecutorTest)
#include "tst_slurm_executor.moc"
