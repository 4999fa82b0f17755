// The table models pass QAbstractItemModelTester through resets, batched
// live updates, sorting and filtering.

#include <cmath>

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QDateTime>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "controller/study_session.h"
#include "models/study_list_model.h"
#include "models/trial_filter_model.h"
#include "models/trial_table_model.h"
#include "models/trial_update_buffer.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

Trial makeTrial(int number, TrialState state, std::optional<double> value, double x) {
    Trial trial;
    trial.number = number;
    trial.state = state;
    trial.value = value;
    trial.params["x"] = x;
    if (number % 2 == 0)
        trial.params["opt"] = std::string(number % 4 == 0 ? "adam" : "sgd");
    trial.startedAt = 1000.0 + number;
    if (state != TrialState::Running)
        trial.completedAt = trial.startedAt + 0.5;
    if (state == TrialState::Failed)
        trial.error = "objective returned NaN";
    return trial;
}

std::vector<Trial> sampleTrials(int count) {
    std::vector<Trial> trials;
    for (int i = 0; i < count; ++i) {
        TrialState state = i % 5 == 3 ? TrialState::Failed
                                      : (i % 5 == 4 ? TrialState::Pruned : TrialState::Complete);
        std::optional<double> value;
        if (state != TrialState::Failed)
            value = 10.0 - i * 0.5;
        trials.push_back(makeTrial(i, state, value, i * 0.1));
    }
    return trials;
}

}  // namespace

class TestModels : public QObject {
    Q_OBJECT

  private slots:
    void flagsSignalOnlyTheRowsThatChanged() {
        // A live batch re-flags the whole study; only rows whose flag changed
        // are reported (each reported row is measured again for its width).
        TrialTableModel model;
        model.setTrials({"x", "opt"}, sampleTrials(10));
        model.setFlagColumn(true);
        std::vector<QString> flags(10, QStringLiteral("dominated"));
        model.setFlags(flags);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setFlags(flags);
        QCOMPARE(changed.count(), 0);
        flags[3] = QStringLiteral("Pareto");
        flags[6] = QStringLiteral("Pareto");
        model.setFlags(flags);
        QCOMPARE(changed.count(), 1);
        const auto topLeft = changed.front()[0].value<QModelIndex>();
        const auto bottomRight = changed.front()[1].value<QModelIndex>();
        QCOMPARE(topLeft.row(), 3);
        QCOMPARE(bottomRight.row(), 6);
        QCOMPARE(topLeft.column(), model.flagColumn());
        QCOMPARE(bottomRight.column(), model.flagColumn());
        QCOMPARE(model.index(6, model.flagColumn()).data().toString(), QStringLiteral("Pareto"));
    }

    void trialModelPassesTheTesterThroughLiveUpdates() {
        TrialTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTrials({"x", "opt"}, sampleTrials(10));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.columnCount(), TrialTableModel::FirstParamColumn + 2 + 1);
        QCOMPARE(model.headerData(TrialTableModel::FirstParamColumn, Qt::Horizontal).toString(),
                 QStringLiteral("x"));

        // A batch: one finished update of a running trial and two new trials.
        std::vector<Trial> batch{makeTrial(9, TrialState::Complete, 1.25, 0.9),
                                 makeTrial(10, TrialState::Running, std::nullopt, 1.0),
                                 makeTrial(11, TrialState::Running, std::nullopt, 1.1)};
        model.applyUpdates(batch);
        QCOMPARE(model.rowCount(), 12);
        QCOMPARE(model.index(9, TrialTableModel::ValueColumn).data().toString(),
                 QStringLiteral("1.25"));
        QCOMPARE(model.rowOfTrial(11), 11);
        QCOMPARE(model.trialByNumber(10)->state, TrialState::Running);
        QVERIFY(model.index(1, TrialTableModel::FirstParamColumn + 1)
                    .data()
                    .toString()
                    .isEmpty());  // inactive
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    // A trial that trains for minutes showed an empty Seconds until it
    // ended. While its study runs, its Seconds count up from its start, in
    // the colour of its state; once the study stops running (paused,
    // finished, its runner gone) an unfinished trial has none to show.
    void aRunningTrialsSecondsCountUpWhileItsStudyRuns() {
        const double now = static_cast<double>(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        Trial done = makeTrial(0, TrialState::Complete, 1.0, 0.1);
        done.startedAt = now - 100.0;
        done.completedAt = now - 90.0;
        Trial running = makeTrial(1, TrialState::Running, std::nullopt, 0.2);
        running.startedAt = now - 42.25;
        StudyRecord record;
        record.id = 3;
        record.name = "nas";
        record.spec = Json{
            {"space", Json::array({{{"name", "x"}, {"type", "float"}, {"low", 0}, {"high", 1}}})}};
        record.state = StudyState::Running;

        StudySession session;
        session.show(record, {done, running});
        TrialTableModel* model = session.model();
        auto seconds = [&](int row) {
            return model->index(row, TrialTableModel::DurationColumn).data().toString();
        };
        QCOMPARE(seconds(0), QStringLiteral("10.000"));
        QVERIFY2(seconds(1) == QStringLiteral("42") || seconds(1) == QStringLiteral("43"),
                 qPrintable(seconds(1)));
        QCOMPARE(
            model->index(1, TrialTableModel::DurationColumn)
                .data(Qt::ForegroundRole)
                .value<QBrush>(),
            model->index(1, TrialTableModel::StateColumn).data(Qt::ForegroundRole).value<QBrush>());
        QVERIFY(model->index(0, TrialTableModel::DurationColumn).data(Qt::ForegroundRole).isNull());
        QVERIFY(model->index(1, TrialTableModel::DurationColumn)
                    .data(TrialTableModel::SortRole)
                    .toDouble() > 42.0);

        // Once a second the views hear that the running row's Seconds moved.
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), 2000);
        QCOMPARE(changed.front()[0].value<QModelIndex>(),
                 model->index(1, TrialTableModel::DurationColumn));
        QCOMPARE(changed.front()[1].value<QModelIndex>(),
                 model->index(1, TrialTableModel::DurationColumn));
        QTRY_VERIFY_WITH_TIMEOUT(seconds(1).toInt() >= 43, 2000);

        // Paused: the clock stops, and nothing ticks any more.
        session.setState(StudyState::Paused);
        QCOMPARE(seconds(1), QString());
        QVERIFY(std::isnan(model->index(1, TrialTableModel::DurationColumn)
                               .data(TrialTableModel::SortRole)
                               .toDouble()));
        changed.clear();
        QTest::qWait(1300);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(seconds(0), QStringLiteral("10.000"));

        // Running again, then its runner found gone (a killed bonsai-cli).
        session.setState(StudyState::Running);
        QVERIFY(!seconds(1).isEmpty());
        StudyRecord gone = record;
        gone.runnerGone = true;
        session.applyStored(gone, {done, running});
        QCOMPARE(seconds(1), QString());

        // Opened later, a study that is not running shows no time either.
        record.state = StudyState::Finished;
        session.show(record, {done, running});
        QCOMPARE(seconds(1), QString());
        QVERIFY(!model->clockRunning());
    }

    void filterModelSortsNumericallyAndFilters() {
        TrialTableModel model;
        model.setTrials({"x", "opt"}, sampleTrials(20));
        TrialFilterModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        proxy.sort(TrialTableModel::ValueColumn, Qt::AscendingOrder);
        // Values descend with the trial number; failed trials (no value) go last.
        QCOMPARE(proxy.index(0, TrialTableModel::NumberColumn).data().toInt(), 19);
        QCOMPARE(proxy.index(19, TrialTableModel::StateColumn).data().toString(),
                 QStringLiteral("failed"));

        proxy.setStateFilter(TrialState::Pruned);
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setStateFilter(std::nullopt);
        proxy.setTextFilter(QStringLiteral("adam"));
        QCOMPARE(proxy.rowCount(), 5);  // trials 0, 4, 8, 12, 16
        proxy.setTextFilter(QStringLiteral("NaN"));
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setTextFilter(QString());
        model.applyUpdates({makeTrial(20, TrialState::Complete, -100.0, 2.0)});
        QCOMPARE(proxy.rowCount(), 21);
        QCOMPARE(proxy.index(0, TrialTableModel::NumberColumn).data().toInt(), 20);
    }

    // The filter reads "column op value" clauses as well as plain text:
    // numbers compared on the raw value, words by the text shown, clauses
    // joined by commas or "and"; a bad clause is named and left out.
    void filterModelComparesColumns_data() {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QString>("error");
        // Trials 0-19: x = number / 10, value = 10 - number / 2 (none for the
        // failed 3, 8, 13, 18), pruned 4, 9, 14, 19, opt adam on 0, 4, 8, 12, 16.
        QTest::newRow("greater") << "x > 1.45" << 5 << "";
        QTest::newRow("at least, to the digits shown") << "x >= 1.5" << 5 << "";
        QTest::newRow("equal, to the digits shown") << "x = 0.3" << 1 << "";
        QTest::newRow("no value matches no number") << "value < 3" << 4 << "";
        QTest::newRow("not equal skips no value") << "value != 10" << 15 << "";
        QTest::newRow("header in any case") << "VALUE<=0.5" << 1 << "";
        QTest::newRow("a word") << "state = pruned" << 4 << "";
        QTest::newRow("not a word") << "state != PRUNED" << 16 << "";
        QTest::newRow("comma") << "opt = adam, x < 1" << 3 << "";
        QTest::newRow("and") << "opt = adam and state = pruned" << 1 << "";
        QTest::newRow("text and a clause") << "adam, x < 1" << 3 << "";
        QTest::newRow("the trial number") << "number >= 18" << 2 << "";
        QTest::newRow("#") << "# < 2" << 2 << "";
        QTest::newRow("text with a number") << "NaN" << 4 << "";
        QTest::newRow("unknown column") << "x3 > 1" << 20
                                        << "'x3' names no column; the columns are #, State, "
                                           "Value, Seconds, x, opt, Note.";
        QTest::newRow("ordering words") << "opt > adam, state = failed" << 4
                                        << "'opt > adam': > compares numbers; for words use = "
                                           "or !=.";
        QTest::newRow("no value yet") << "x >" << 20 << "'x >': give a value after >.";
    }

    void filterModelComparesColumns() {
        QFETCH(QString, filter);
        QFETCH(int, rows);
        QFETCH(QString, error);
        TrialTableModel model;
        model.setTrials({"x", "opt"}, sampleTrials(20));
        TrialFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.setTextFilter(filter);
        QCOMPARE(proxy.rowCount(), rows);
        QCOMPARE(proxy.textFilterError(), error);
    }

    void studyListModelKeepsRowsOnRefresh() {
        StudyListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<StudySummary> studies(3);
        for (int i = 0; i < 3; ++i) {
            studies[i].study.id = i + 1;
            studies[i].study.name = "study-" + std::to_string(i);
            studies[i].study.state = StudyState::Finished;
            studies[i].trialCount = 10 * i;
            studies[i].strategy = "sobol";
            if (i > 0)
                studies[i].bestValue = 0.5 * i;
        }
        model.setStudies(studies);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, StudyListModel::BestColumn).data().toString(),
                 QStringLiteral("0.5"));
        QCOMPARE(model.index(0, StudyListModel::BestColumn).data().toString(), QStringLiteral("—"));

        QPersistentModelIndex kept = model.index(2, 0);
        studies[2].trialCount = 99;
        model.setStudies(studies);  // same rows: updated in place
        QVERIFY(kept.isValid());
        QCOMPARE(model.index(2, StudyListModel::TrialsColumn).data().toInt(), 99);

        studies.erase(studies.begin());
        model.setStudies(studies);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowOf(QStringLiteral("study-2")), 1);
        QVERIFY(model.find(QStringLiteral("study-0")) == nullptr);

        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(StudyListModel::SortRole);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(StudyListModel::TrialsColumn, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), QStringLiteral("study-2"));
    }

    // The browser's tooltip counts in words a user reads: "1 trial", "2 trials".
    void studyTooltipsCountTrialsInTheSingular() {
        StudyListModel model;
        std::vector<StudySummary> studies(2);
        for (int i = 0; i < 2; ++i) {
            studies[i].study.id = i + 1;
            studies[i].study.name = "study-" + std::to_string(i);
            studies[i].trialCount = i + 1;
            studies[i].strategy = "gp";
        }
        model.setStudies(studies);
        const QString one = model.index(0, 0).data(Qt::ToolTipRole).toString();
        const QString two = model.index(1, 0).data(Qt::ToolTipRole).toString();
        QVERIFY2(one.contains(QStringLiteral(", 1 trial,")), qPrintable(one));
        QVERIFY2(two.contains(QStringLiteral(", 2 trials,")), qPrintable(two));
    }

    void updateBufferBatchesAndKeepsTheLatestCopy() {
        TrialUpdateBuffer buffer(50);
        std::vector<std::vector<Trial>> batches;
        connect(&buffer, &TrialUpdateBuffer::flushed, this,
                [&](const std::vector<Trial>& batch) { batches.push_back(batch); });
        buffer.add(makeTrial(1, TrialState::Running, std::nullopt, 0.1));
        buffer.add(makeTrial(0, TrialState::Running, std::nullopt, 0.0));
        buffer.add(makeTrial(1, TrialState::Complete, 2.0, 0.1));
        QVERIFY(batches.empty());
        QTRY_COMPARE(batches.size(), std::size_t(1));
        QCOMPARE(batches[0].size(), std::size_t(2));
        QCOMPARE(batches[0][0].number, 0);  // in number order
        QCOMPARE(batches[0][1].state, TrialState::Complete);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
