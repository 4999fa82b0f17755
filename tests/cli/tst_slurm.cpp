// Command trials on a real Slurm cluster (scripts/slurm/start_cluster.sh):
// values and live reports from the job's output file, failure reasons from
// Slurm's job states, scancel on prune and stop, a clear sbatch rejection,
// and reattaching after kill -9 of bonsai-cli. Skips where no cluster answers.
#include <QtTest>

#include <csignal>

#include "storage/database.h"
#include "study/study.h"
#include "support/process_runner.h"

using namespace bonsai;

namespace {

using Result = test::ProcessResult;

Result runTool(const QString& program, const QStringList& args, int timeoutMs = 30000) {
    return test::runProcess(program, args, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

// Slurm's word on a job ("RUNNING", "CANCELLED", ...; "" once forgotten).
QString jobState(const std::string& id) {
    return runTool("squeue", {"--noheader", "--states=all", "--jobs=" + QString::fromStdString(id),
                              "--format=%T"})
        .out.trimmed();
}

// Names of this test's jobs still queued or running.
QStringList liveTestJobs() {
    QStringList live;
    const QString out = runTool("squeue", {"--noheader", "--format=%j|%T"}).out;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts))
        if (line.startsWith("bonsai-slurmtest"))
            live << line;
    return live;
}

}  // namespace

class SlurmTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    ObjectiveRegistry m_objectives = ObjectiveRegistry::withBuiltins();

    // A study of `x` in [0, 1] whose trials run `sh -c script` as Slurm jobs.
    Json spec(const std::string& name, const std::string& script, int trials,
              int maxConcurrent = 2) const {
        Json out = {{"name", "slurmtest-" + name},
                    {"space", {{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}}},
                    {"strategy", {{"kind", "random"}}},
                    {"seed", 5},
                    {"budget", {{"trials", trials}}}};
        out["objective"] = {{"kind", "command"},
                            {"argv", {"sh", "-c", script, "sh", "{x}"}},
                            {"runs_dir", m_dir.filePath("runs").toStdString()},
                            {"grace_s", 1}};
        out["executor"] = {{"kind", "slurm"}, {"max_concurrent", maxConcurrent}};
        return out;
    }

    std::vector<Trial> run(const Json& json, std::atomic<bool>* stop = nullptr,
                           StudyEvents* events = nullptr) {
        Database db(":memory:");
        Study study = Study::create(db, parseStudySpec(json, m_objectives), m_objectives);
        std::atomic<bool> noStop{false};
        study.run(stop ? *stop : noStop, events);
        return db.loadTrials(study.id());
    }

  private slots:
    void initTestCase() {
        Result sinfo = runTool("sinfo", {"--noheader", "--format=%t"}, 15000);
        if (sinfo.exitCode != 0)
            QSKIP(qPrintable(
                "no Slurm cluster reachable (sinfo: " +
                (sinfo.err.trimmed().isEmpty() ? QString("not installed") : sinfo.err.trimmed()) +
                "); start one with scripts/slurm/start_cluster.sh and export "
                "SLURM_CONF"));
        if (!sinfo.out.contains("idle") && !sinfo.out.contains("mix") &&
            !sinfo.out.contains("alloc"))
            QSKIP(qPrintable("the Slurm cluster has no usable node (sinfo: " + sinfo.out.trimmed() +
                             ")"));
        QVERIFY(m_dir.isValid());
    }

    void trialsReturnValuesAndLiveReports() {
        const char* script =
            "for s in 1 2 3; do echo \"{\\\"step\\\": $s, \\\"value\\\": $s}\"; sleep 0.3; done\n"
            "echo \"trial $BONSAI_TRIAL on $SLURM_JOB_ID\" >&2\n"
            "echo \"{\\\"value\\\": $1}\"";
        std::vector<Trial> trials = run(spec("values", script, 3));
        QCOMPARE(trials.size(), std::size_t(3));
        std::set<std::string> jobIds;
        for (const Trial& trial : trials) {
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
            QCOMPARE(*trial.value, std::get<double>(trial.params.at("x")));
            QCOMPARE(trial.intermediate.size(), std::size_t(3));
            QCOMPARE(trial.intermediate[2], (std::pair<std::int64_t, double>(3, 3.0)));
            const std::string jobId = trial.attrs.at("slurm_job_id");
            jobIds.insert(jobId);
            // The command ran inside that very job.
            QCOMPARE(trial.attrs.at("stderr_tail").get<std::string>(),
                     "trial " + std::to_string(trial.number) + " on " + jobId + "\n");
            QCOMPARE(jobState(jobId), QString("COMPLETED"));
        }
        QCOMPARE(jobIds.size(), std::size_t(3));
    }

    // Non-zero exit, death by signal and Slurm's time limit each fail their
    // trial with the reason, and the study goes on. (The time limit is one
    // minute at least, so this test takes about 75 s.)
    void failedJobsFailTheirTrialsWithSlurmsReason() {
        const char* script =
            "case $BONSAI_TRIAL in\n"
            "0) echo 'boom: bad hyperparameters' >&2; exit 3 ;;\n"
            "1) kill -KILL $$ ;;\n"
            "*) echo '{\"step\": 1, \"value\": 1}'; sleep 300 ;;\n"
            "esac";
        Json json = spec("failures", script, 3, 3);
        json["executor"]["time"] = "1";
        QElapsedTimer timer;
        timer.start();
        std::vector<Trial> trials = run(json);
        QCOMPARE(trials.size(), std::size_t(3));
        for (const Trial& trial : trials)
            QVERIFY2(trial.state == TrialState::Failed, trial.error.c_str());
        auto job = [&](int i) { return trials[i].attrs.at("slurm_job_id").get<std::string>(); };
        QCOMPARE(trials[0].error, "the command failed (slurm job " + job(0) +
                                      " FAILED: exit status 3): boom: bad hyperparameters");
        QVERIFY2(trials[1].error.find("the command failed (slurm job " + job(1) +
                                      " FAILED: killed by signal 9 (SIGKILL)") == 0,
                 trials[1].error.c_str());
        QVERIFY2(trials[2].error.find("the command failed (slurm job " + job(2) +
                                      " TIMEOUT: hit its time limit (executor.time) "
                                      "(TimeLimit))") == 0,
                 trials[2].error.c_str());
        // Its report arrived while it ran, and Slurm's own note is kept.
        QCOMPARE(trials[2].intermediate.size(), std::size_t(1));
        QVERIFY(trials[2].attrs.at("stderr_tail").get<std::string>().find("DUE TO TIME LIMIT") !=
                std::string::npos);
        QVERIFY(timer.elapsed() < 150000);
    }

    // The pruner judges reports read from the job's output while it runs;
    // a pruned trial's job is cancelled and leaves the queue.
    void aPrunedTrialsJobIsCancelled() {
        const char* script =
            "if [ \"$BONSAI_TRIAL\" = 0 ]; then v=1; else v=100; fi\n"
            "for s in $(seq 1 120); do echo \"{\\\"step\\\": $s, \\\"value\\\": $v}\"; "
            "[ \"$BONSAI_TRIAL\" = 0 ] && [ $s -ge 3 ] && break; sleep 1; done\n"
            "echo \"{\\\"value\\\": $v}\"";
        Json json = spec("prune", script, 2, 1);
        json["pruner"] = {{"kind", "median"}, {"startup_trials", 1}};
        QElapsedTimer timer;
        timer.start();
        std::vector<Trial> trials = run(json);
        QCOMPARE(trials.size(), std::size_t(2));
        QVERIFY2(trials[0].state == TrialState::Complete, trials[0].error.c_str());
        QVERIFY2(trials[1].state == TrialState::Pruned, trials[1].error.c_str());
        const std::string jobId = trials[1].attrs.at("slurm_job_id");
        QCOMPARE(jobState(jobId), QString("CANCELLED"));
        QVERIFY2(timer.elapsed() < 60000, "the pruned job ran on instead of being cancelled");
    }

    void stoppingTheStudyCancelsItsJobs() {
        struct StopOnReport final : StudyEvents {
            std::atomic<bool>* stop;
            void intermediateReported(const Trial&, std::int64_t, double) override { *stop = true; }
        } events;
        std::atomic<bool> stop{false};
        events.stop = &stop;
        const char* script = "echo '{\"step\": 1, \"value\": 1}'; sleep 300; echo 1";
        QElapsedTimer timer;
        timer.start();
        std::vector<Trial> trials = run(spec("stop", script, 2), &stop, &events);
        QVERIFY(!trials.empty());
        for (const Trial& trial : trials) {
            QCOMPARE(trial.state, TrialState::Failed);
            QVERIFY(isInterrupted(trial));
            const QString state = jobState(trial.attrs.at("slurm_job_id"));
            QVERIFY2(state == "CANCELLED", qPrintable(state));
        }
        QVERIFY(timer.elapsed() < 60000);
    }

    void aRejectedJobQuotesSlurm() {
        Json json = spec("rejected", "echo 1", 1);
        json["executor"]["partition"] = "no-such-partition";
        std::vector<Trial> trials = run(json);
        QCOMPARE(trials.at(0).state, TrialState::Failed);
        QVERIFY2(trials[0].error.find("sbatch rejected the job: sbatch: error: ") == 0 &&
                     trials[0].error.find("partition") != std::string::npos,
                 trials[0].error.c_str());
    }

    // kill -9 of bonsai-cli leaves its jobs running; resume follows them to
    // their end (no trial lost), whether they ended meanwhile or still run,
    // starts none of them twice, and goes on.
    void resumeReattachesAfterKillNine() {
        const char* script =
            "echo started >> \"$BONSAI_TRIAL_DIR/launches\"\n"
            "pause=1; [ \"$BONSAI_TRIAL\" = 0 ] && pause=0.2\n"
            "for s in 1 2 3 4 5 6; do echo \"{\\\"step\\\": $s, \\\"value\\\": $s}\"; "
            "sleep $pause; done\n"
            "echo \"{\\\"value\\\": $1}\"";
        const QString specPath = m_dir.filePath("reattach.json");
        {
            QFile file(specPath);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray::fromStdString(spec("reattach", script, 4).dump()));
        }
        const QString db = m_dir.filePath("reattach.sqlite");
        QProcess first;
        first.start(BONSAI_CLI_PATH, {"run", specPath, "--db", db});
        // Wait until both first trials have jobs and have reported.
        std::vector<Trial> before;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000) {
            try {
                Database database(db.toStdString(), Database::Mode::ReadOnly);
                if (auto record = database.findStudy("slurmtest-reattach")) {
                    before = database.loadTrials(record->id);
                    int reporting = 0;
                    for (const Trial& trial : before)
                        reporting +=
                            trial.attrs.contains("slurm_job_id") && !trial.intermediate.empty();
                    if (reporting >= 2)
                        break;
                }
            } catch (const StorageError&) {
            }
            QTest::qWait(100);
        }
        QVERIFY2(first.processId() > 0, "bonsai-cli ended before it could be killed");
        ::kill(static_cast<pid_t>(first.processId()), SIGKILL);
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(before.size(), std::size_t(2));
        for (const Trial& trial : before)
            QCOMPARE(trial.state, TrialState::Running);
        // Trial 0's job ends while nobody watches; trial 1's still runs.
        QTRY_COMPARE_WITH_TIMEOUT(jobState(before[0].attrs.at("slurm_job_id")),
                                  QString("COMPLETED"), 20000);
        QCOMPARE(jobState(before[1].attrs.at("slurm_job_id")), QString("RUNNING"));

        Result resumed =
            runTool(BONSAI_CLI_PATH, {"resume", "slurmtest-reattach", "--db", db}, 120000);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        Database database(db.toStdString(), Database::Mode::ReadOnly);
        std::vector<Trial> after =
            database.loadTrials(database.findStudy("slurmtest-reattach")->id);
        QCOMPARE(after.size(), std::size_t(4));
        for (std::size_t i = 0; i < after.size(); ++i) {
            const Trial& trial = after[i];
            QCOMPARE(trial.number, int(i));
            QVERIFY2(trial.state == TrialState::Complete, trial.error.c_str());
            QCOMPARE(*trial.value, std::get<double>(trial.params.at("x")));
            QCOMPARE(trial.intermediate.size(), std::size_t(6));
            // Each trial's command started exactly once.
            QFile launches(QString::fromStdString(trial.attrs.at("trial_dir").get<std::string>()) +
                           "/launches");
            QVERIFY(launches.open(QIODevice::ReadOnly));
            QCOMPARE(launches.readAll(), QByteArray("started\n"));
        }
        Result show = runTool(BONSAI_CLI_PATH, {"show", "slurmtest-reattach", "--db", db});
        QVERIFY2(show.out.contains("executor   {\"kind\":\"slurm\",\"max_concurrent\":2}"),
                 qPrintable(show.out));
        // The first two kept their jobs: followed, not resubmitted.
        for (std::size_t i = 0; i < 2; ++i)
            QCOMPARE(after[i].attrs.at("slurm_job_id"), before[i].attrs.at("slurm_job_id"));
    }

    void noJobIsLeftInTheQueue() {
        QElapsedTimer timer;
        timer.start();
        QStringList live = liveTestJobs();
        // Cancelled jobs may take KillWait seconds to leave.
        while (!live.isEmpty() && timer.elapsed() < 30000) {
            QTest::qWait(500);
            live = liveTestJobs();
        }
        QVERIFY2(live.isEmpty(), qPrintable(live.join(", ")));
    }
};

QTEST_GUILESS_MAIN(SlurmTest)
#include "tst_slurm.moc"
