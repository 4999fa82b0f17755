// Studio performance figures (printed, not asserted):
//  1. Opening a database with a 10,000-trial study and showing every tab.
//  1b. Each page of the Analysis tab on that study (GP pages: until the
//     background fit is drawn), and the Pareto and parallel-coordinates pages
//     and brushing on an in-memory 10,000-trial two-objective study.
//  1c. The NAS views on an in-memory 10,000-trial nb201-cell study (best-cell
//     card, compact cells and edge columns, cell pair, cell tooltip, importance
//     per edge, edge slices, parallel coordinates per edge, operation
//     frequency), and the longest event-loop stall at ~100 trials/s on each.
//  2. A study finishing ~100 trials per second while the Live tab is shown:
//     the longest event-loop stall (10 ms QTimer heartbeat) and RSS before,
//     midway and after.
//
//   QT_QPA_PLATFORM=offscreen [BENCH_NAS_ONLY=1 | BENCH_MO_ONLY=1] [BENCH_EVENTS=1]
//       bench-gui [--trials N] [--live-trials N]   (one command line)

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include "../cpu_clock.h"
#include "analysis/posterior_slice.h"
#include "cell/cell_tooltip.h"
#include "controller/study_controller.h"
#include "controller/study_session.h"
#include "helpers/latest_job.h"
#include "main_window.h"
#include "models/trial_filter_model.h"
#include "plots/objective_plot.h"
#include "plots/parallel_coordinates_plot.h"
#include "plots/pareto_plot.h"
#include "space/nb201_cell.h"
#include "storage/database.h"
#include "util/random.h"
#include "views/analysis_view.h"
#include "views/contour_page.h"
#include "views/importance_page.h"
#include "views/live_view.h"
#include "views/operations_page.h"
#include "views/parallel_page.h"
#include "views/pareto_page.h"
#include "views/trials_view.h"

using namespace bonsai;

namespace {

long rssKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

Json spec(const std::string& name, int trials, double delay) {
    Json objective = {{"kind", "function"}, {"function", "branin"}};
    if (delay > 0)
        objective["delay_seconds"] = delay;
    return Json{
        {"name", name},
        {"objective", objective},
        {"space", Json::array({{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
                               {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}})},
        {"strategy", {{"kind", "sobol"}}},
        {"budget", {{"trials", trials}}},
        {"seed", 1}};
}

// A stored study of `count` trials with 5 intermediate values each and every
// state represented, written straight through the storage API.
void writeLargeStudy(const std::string& path, int count) {
    Database database(path);
    std::int64_t id = database.createStudy("large", Direction::Minimize, spec("large", count, 0));
    for (int i = 0; i < count; ++i) {
        Trial trial;
        trial.number = i;
        trial.params["x1"] = -5.0 + 15.0 * ((i * 7919) % 1000) / 1000.0;
        trial.params["x2"] = 15.0 * ((i * 104729) % 1000) / 1000.0;
        trial.startedAt = 1.7e9 + i;
        trial.attrs["acquisition"] = 1.0 / (1 + i);
        database.insertTrial(id, trial);
        const int steps = i % 10 == 9 ? 2 : 5;
        for (int step = 1; step <= steps; ++step)
            database.addIntermediate(id, i, step, 100.0 / (step + 1) + (i % 37));
        trial.state = i % 10 == 9 ? TrialState::Pruned
                                  : (i % 97 == 0 ? TrialState::Failed : TrialState::Complete);
        if (trial.state != TrialState::Failed)
            trial.value = 100.0 / (steps + 1) + (i % 37);
        if (trial.state == TrialState::Failed)
            trial.error = "objective returned NaN";
        trial.completedAt = trial.startedAt + 0.5;
        database.finishTrial(id, trial);
    }
    database.setStudyState(id, StudyState::Finished);
}

void pump(int rounds) {
    for (int i = 0; i < rounds; ++i)
        QApplication::processEvents();
}

// Shows each Analysis page and prints how long the GUI thread was busy
// showing and painting it, and when a background GP fit (if any) was drawn.
void timeAnalysisPages(ui::AnalysisView* analysis, QWidget* paint, const char* label) {
    const QStringList keys = ui::AnalysisView::pageKeys();
    for (int page = 0; page < keys.size(); ++page) {
        if (std::getenv("BENCH_IDLE"))
            ui::computePool()->waitForDone();
        QElapsedTimer clock;
        clock.start();
        analysis->showPage(static_cast<ui::AnalysisView::Page>(page));
        const qint64 a = clock.elapsed();
        pump(3);
        const qint64 b = clock.elapsed();
        paint->grab();
        const double shown = clock.elapsed() / 1000.0;
        if (std::getenv("BENCH_DEBUG"))
            std::printf("    (show %lld ms, events %lld ms, paint %lld ms)\n",
                        static_cast<long long>(a), static_cast<long long>(b - a),
                        static_cast<long long>(clock.elapsed() - b));
        // The longest the event loop went without a turn while the fit ran.
        qint64 longest = 0;
        while (analysis->importancePage()->busy() || analysis->contourPage()->busy()) {
            QThread::msleep(2);
            const qint64 before = clock.elapsed();
            QApplication::processEvents();
            longest = std::max(longest, clock.elapsed() - before);
        }
        pump(3);
        paint->grab();
        std::printf(
            "  %s %-10s shown+painted %6.3f s; drawn complete %6.3f s; longest event-loop "
            "turn meanwhile %lld ms\n",
            label, qPrintable(keys[page]), shown, clock.elapsed() / 1000.0,
            static_cast<long long>(longest));
    }
}

// A two-objective study of `count` trials (4 parameters, 10% infeasible),
// shown straight from memory (storage of per-objective values is not this
// benchmark's business).
void benchMultiObjective(int count) {
    Json spec =
        Json{{"name", "mo"},
             {"objectives", Json::array({{{"name", "accuracy"}, {"direction", "maximize"}},
                                         {{"name", "latency"}, {"direction", "minimize"}}})},
             {"constraints", Json::array({{{"name", "latency"}, {"max", 9.0}}})},
             {"space",
              Json::array(
                  {{{"name", "lr"}, {"type", "float"}, {"low", 1e-4}, {"high", 1}, {"log", true}},
                   {{"name", "width"}, {"type", "int"}, {"low", 8}, {"high", 256}},
                   {{"name", "dropout"}, {"type", "float"}, {"low", 0}, {"high", 0.5}},
                   {{"name", "opt"},
                    {"type", "categorical"},
                    {"choices", {"sgd", "adam", "rmsprop"}}}})},
             {"strategy", {{"kind", "random"}}}};
    StudyRecord record;
    record.id = 1;
    record.name = "mo";
    record.spec = spec;
    record.state = StudyState::Finished;
    std::vector<Trial> trials;
    Rng rng(5);
    const char* choices[] = {"sgd", "adam", "rmsprop"};
    for (int i = 0; i < count; ++i) {
        Trial trial;
        trial.number = i;
        const double lr = std::exp(std::log(1e-4) + uniform01(rng) * std::log(1e4));
        const double width = 8 + std::floor(uniform01(rng) * 249);
        trial.params["lr"] = lr;
        trial.params["width"] = static_cast<std::int64_t>(width);
        trial.params["dropout"] = 0.5 * uniform01(rng);
        trial.params["opt"] = std::string(choices[i % 3]);
        trial.state = TrialState::Complete;
        const double accuracy = 0.95 - 0.1 * std::fabs(std::log10(lr) + 2.5) / 2.5 -
                                20.0 / width * 0.01 + 0.02 * uniform01(rng);
        const double latency = width / 25.0 + uniform01(rng);
        trial.values = {accuracy, latency};
        trial.value = accuracy;
        trials.push_back(trial);
    }
    ui::StudySession session;
    ui::AnalysisView analysis(&session, [](const QString&) { return std::nullopt; });
    ui::TrialsView table(&session);
    QObject::connect(&analysis, &ui::AnalysisView::brushChanged, &table,
                     &ui::TrialsView::setBrushFilter);
    analysis.resize(1100, 800);
    analysis.show();
    pump(5);
    QElapsedTimer clock;
    clock.start();
    session.show(record, trials);
    pump(3);
    std::printf("  mo: show a %d-trial two-objective study %.3f s\n", count,
                clock.elapsed() / 1000.0);
    timeAnalysisPages(&analysis, &analysis, "mo:");
    analysis.showPage(ui::AnalysisView::ParetoView);
    pump(3);
    std::printf("  mo: Pareto set %d, dominated %d, infeasible %d points\n",
                analysis.paretoPage()->plot()->frontPointCount(),
                analysis.paretoPage()->plot()->dominatedPointCount(),
                analysis.paretoPage()->plot()->infeasiblePointCount());
    // Live: 100 more trials arriving in one batch while the Pareto page shows.
    std::vector<Trial> more(trials.end() - 100, trials.end());
    for (Trial& trial : more)
        trial.number += count;
    clock.restart();
    session.applyUpdates(more);
    analysis.paretoPage()->refreshNow();  // not deferred by the refresh share
    pump(3);
    analysis.grab();
    std::printf("  mo: a batch of 100 new trials redrawn on the Pareto page in %.3f s\n",
                clock.elapsed() / 1000.0);
    // Live: batches of 15 trials every 150 ms (the studio's update buffer
    // interval, ~100 trials/s) while each page shows; the longest the event
    // loop went without a turn (10 ms heartbeat).
    int next = count + 100;
    for (auto page : {ui::AnalysisView::SlicesView, ui::AnalysisView::ParetoView,
                      ui::AnalysisView::ParallelView}) {
        analysis.showPage(page);
        pump(3);
        QElapsedTimer beat;
        beat.start();
        qint64 last = 0, longest = 0;
        QTimer heartbeat, feeder;
        QObject::connect(&heartbeat, &QTimer::timeout, [&] {
            longest = std::max(longest, beat.elapsed() - last);
            last = beat.elapsed();
        });
        double updateCpu = 0.0, longestUpdate = 0.0;
        int updates = 0;
        QObject::connect(&feeder, &QTimer::timeout, [&] {
            std::vector<Trial> batch(trials.begin(), trials.begin() + 15);
            for (Trial& trial : batch)
                trial.number = next++;
            const double before = bench::threadCpuSeconds();
            session.applyUpdates(batch);
            const double spent = bench::threadCpuSeconds() - before;
            updateCpu += spent;
            longestUpdate = std::max(longestUpdate, spent);
            ++updates;
        });
        heartbeat.start(10);
        feeder.start(150);
        while (beat.elapsed() < 3000)
            QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        std::printf(
            "  mo: live at 100 trials/s on the %-10s page: longest event-loop stall %lld ms "
            "(the session's update of a batch: mean %.1f ms, longest %.1f ms CPU)\n",
            qPrintable(ui::AnalysisView::pageKeys()[page]), static_cast<long long>(longest),
            1e3 * updateCpu / std::max(updates, 1), 1e3 * longestUpdate);
    }
    analysis.showPage(ui::AnalysisView::ParallelView);
    pump(3);
    auto* parallel = analysis.parallelPage()->plot();
    clock.restart();
    parallel->setBrushes({{1, 0.0, 0.5}});
    pump(3);
    analysis.grab();
    std::printf(
        "  mo: brush one axis of %d lines, filter the trials table to %d rows and "
        "repaint: %.3f s\n",
        parallel->lineCount(), table.proxy()->rowCount(), clock.elapsed() / 1000.0);
    // What a keystroke in the Trials filter costs: a clause per column read
    // over every trial, and plain text looked for in every column.
    parallel->setBrushes({});
    pump(3);
    for (const char* filter : {"lr < 0.01, width >= 64", "adam"}) {
        clock.restart();
        table.textFilter()->setText(QString::fromLatin1(filter));
        const double seconds = clock.elapsed() / 1000.0;
        std::printf("  mo: Trials filter \"%s\" over %d trials: %d rows in %.3f s\n", filter, count,
                    table.proxy()->rowCount(), seconds);
    }
    table.textFilter()->clear();
}

// A maximized NAS-Bench-201-like study of `count` trials (one nb201-cell
// parameter, value and reports from the cell's operations), shown from
// memory: each NAS view opened and painted, then batches of 15 trials every
// 150 ms (~100 trials/s) while each shows, with the longest event-loop stall.
void benchCellStudy(int count) {
    Json spec = Json{{"name", "cells"},
                     {"direction", "maximize"},
                     {"space", Json::array({{{"name", "cell"}, {"type", "nb201-cell"}}})},
                     {"strategy", {{"kind", "gp"}}}};
    StudyRecord record;
    record.id = 2;
    record.name = "cells";
    record.spec = spec;
    record.direction = Direction::Maximize;
    record.state = StudyState::Finished;
    const double byOp[] = {0, 2, 5, 9, 1};
    Rng rng(7);
    auto makeTrial = [&](int number) {
        Nb201Cell cell;
        double value = 50;
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
            const int op = static_cast<int>(uniform01(rng) * 5) % 5;
            cell.ops[static_cast<std::size_t>(edge)] = op;
            value += byOp[op] * (edge == 3 ? 3 : 1);
        }
        Trial trial;
        trial.number = number;
        trial.params["cell"] = cell.toString();
        trial.state = TrialState::Complete;
        trial.value = value + uniform01(rng);
        trial.attrs["test_acc"] = value + 1;
        trial.attrs["params_M"] = 0.1 * (cell.ops[3] + 1);
        return trial;
    };
    std::vector<Trial> trials;
    for (int i = 0; i < count; ++i)
        trials.push_back(makeTrial(i));

    ui::StudySession session;
    // The tab widget owns the views (and deletes them before the session).
    QTabWidget tabs;
    auto* analysisView =
        new ui::AnalysisView(&session, [](const QString&) { return std::nullopt; });
    auto* liveView = new ui::LiveView(&session);
    liveView->setPosteriorProvider([](const StudyRecord& study, const std::vector<Trial>& all,
                                      const std::string& parameter, int edge,
                                      std::size_t objective) {
        return ui::gpPosteriorSliceOf(study, all, parameter, edge, objective);
    });
    auto* tableView = new ui::TrialsView(&session);
    tabs.addTab(liveView, "live");
    tabs.addTab(tableView, "trials");
    tabs.addTab(analysisView, "analysis");
    ui::AnalysisView& analysis = *analysisView;
    ui::TrialsView& table = *tableView;
    tabs.resize(1400, 900);
    tabs.show();
    pump(5);
    QElapsedTimer clock;
    clock.start();
    session.show(record, trials);
    pump(3);
    std::printf("nas: show a %d-trial nb201-cell study %.3f s\n", count, clock.elapsed() / 1000.0);
    auto timed = [&](const char* name, const std::function<void()>& open) {
        QElapsedTimer opened;
        opened.start();
        open();
        pump(3);
        tabs.grab();
        std::printf("  nas: %-34s opened+painted %6.3f s  [goal < 0.5 s]\n", name,
                    opened.elapsed() / 1000.0);
    };
    timed("Live tab with the best-cell card", [&] { tabs.setCurrentIndex(0); });
    timed("Trials tab (compact cells)", [&] { tabs.setCurrentIndex(1); });
    timed("Trials: edge columns on", [&] { table.edgeColumnsToggle()->setChecked(true); });
    timed("Trials: select a trial (cell pair)", [&] { session.selectTrial(count / 2); });
    timed("cell tooltip of a chart point", [&] {
        ui::showCellTooltip(QPoint(100, 100), trials[5], session.trialLookup().summary(trials[5]),
                            &tabs);
        ui::hideCellTooltip();
    });
    tabs.setCurrentIndex(2);
    pump(3);
    for (auto page : {ui::AnalysisView::ImportanceView, ui::AnalysisView::SlicesView,
                      ui::AnalysisView::ParallelView, ui::AnalysisView::OperationsView}) {
        const QString name = "Analysis " + ui::AnalysisView::pageKeys()[page];
        timed(qPrintable(name), [&] { analysis.showPage(page); });
        if (page == ui::AnalysisView::ImportanceView) {
            // The GP fit (capped at 600 trials) runs off the GUI thread.
            QElapsedTimer fit;
            fit.start();
            while (analysis.importancePage()->busy()) {
                QThread::msleep(2);
                QApplication::processEvents();
            }
            std::printf("  nas: importance per edge drawn after %.3f s (background fit)\n",
                        fit.elapsed() / 1000.0);
        }
    }
    timed("Operations: best 25 %", [&] { analysis.operationsPage()->bestPercent()->setValue(25); });

    // Live: ~100 trials/s while each NAS view is in front.
    int next = count;
    struct Front {
        const char* name;
        std::function<void()> show;
    };
    const std::vector<Front> fronts{
        {"live", [&] { tabs.setCurrentIndex(0); }},
        {"trials", [&] { tabs.setCurrentIndex(1); }},
        {"slices",
         [&] { tabs.setCurrentIndex(2), analysis.showPage(ui::AnalysisView::SlicesView); }},
        {"parallel",
         [&] { tabs.setCurrentIndex(2), analysis.showPage(ui::AnalysisView::ParallelView); }},
        {"operations",
         [&] { tabs.setCurrentIndex(2), analysis.showPage(ui::AnalysisView::OperationsView); }},
    };
    for (const Front& front : fronts) {
        front.show();
        pump(3);
        QElapsedTimer beat;
        beat.start();
        qint64 last = 0, longest = 0;
        QTimer heartbeat, feeder;
        QObject::connect(&heartbeat, &QTimer::timeout, [&] {
            longest = std::max(longest, beat.elapsed() - last);
            last = beat.elapsed();
        });
        QObject::connect(&feeder, &QTimer::timeout, [&] {
            std::vector<Trial> batch;
            for (int i = 0; i < 15; ++i)
                batch.push_back(makeTrial(next++));
            session.applyUpdates(batch);
        });
        heartbeat.start(10);
        feeder.start(150);
        while (beat.elapsed() < 3000)
            QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        ui::computePool()->waitForDone();
        std::printf(
            "  nas: live at 100 trials/s on %-10s longest event-loop stall %lld ms  "
            "[goal < 50 ms]\n",
            front.name, static_cast<long long>(longest));
    }
}

}  // namespace

// BENCH_EVENTS=1 prints every event that took 8 ms or more to handle (its
// receiver's class, the event type, how deeply nested): what a stall is
// made of.
class EventTimingApplication : public QApplication {
  public:
    using QApplication::QApplication;

    bool notify(QObject* receiver, QEvent* event) override {
        if (!m_report)
            return QApplication::notify(receiver, event);
        QElapsedTimer clock;
        clock.start();
        const QByteArray receiverClass = receiver->metaObject()->className();
        const int type = event->type();
        ++m_depth;
        const bool handled = QApplication::notify(receiver, event);
        --m_depth;
        if (clock.elapsed() >= 8)
            std::printf("      [event: %s, type %d, depth %d: %lld ms]\n",
                        receiverClass.constData(), type, m_depth,
                        static_cast<long long>(clock.elapsed()));
        return handled;
    }

  private:
    const bool m_report = std::getenv("BENCH_EVENTS") != nullptr;
    int m_depth = 0;
};

int main(int argc, char** argv) {
    EventTimingApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    int largeTrials = 10000, liveTrials = 1500;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--trials")
            largeTrials = std::atoi(argv[i + 1]);
        if (std::string(argv[i]) == "--live-trials")
            liveTrials = std::atoi(argv[i + 1]);
    }
    // BENCH_NAS_ONLY=1: only the NAS views (1c), e.g. after changing them.
    if (std::getenv("BENCH_NAS_ONLY")) {
        benchCellStudy(largeTrials);
        return 0;
    }
    // BENCH_MO_ONLY=1: only the two-objective study (1b), e.g. to profile it.
    if (std::getenv("BENCH_MO_ONLY")) {
        benchMultiObjective(largeTrials);
        return 0;
    }
    QTemporaryDir dir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    const QString path = dir.filePath("bench.db");

    QElapsedTimer clock;
    clock.start();
    writeLargeStudy(path.toStdString(), largeTrials);
    std::printf("setup: wrote a %d-trial study (5 reports each) in %.2f s\n", largeTrials,
                clock.elapsed() / 1000.0);

    // 1. Open and show every tab.
    ui::MainWindow window(ObjectiveRegistry::withBuiltins());
    window.resize(1400, 900);
    window.show();
    pump(5);
    clock.restart();
    QString error = window.openDatabase(path);
    if (!error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    window.showStudy("large");
    const double loaded = clock.elapsed() / 1000.0;
    {
        Database database(path.toStdString(), Database::Mode::ReadOnly);
        QElapsedTimer listClock;
        listClock.start();
        database.listStudies();
        std::printf("  list studies   %7.3f s\n", listClock.elapsed() / 1000.0);
    }
    const char* names[] = {"setup", "live", "trials", "analysis"};
    std::vector<double> tabTimes;
    for (int tab : {ui::MainWindow::LiveTab, ui::MainWindow::TrialsTab, ui::MainWindow::AnalysisTab,
                    ui::MainWindow::SetupTab}) {
        QElapsedTimer tabClock;
        tabClock.start();
        window.tabs()->setCurrentIndex(tab);
        pump(3);
        window.grab();  // paints the whole window, charts included
        std::printf("  show %-8s %7.3f s  (RSS %ld KiB)\n", names[tab], tabClock.elapsed() / 1000.0,
                    rssKiB());
    }
    std::printf("open %d-trial study and show every tab: %.2f s (load %.2f s)  [goal < 2 s]\n",
                static_cast<int>(window.session()->trials().size()), clock.elapsed() / 1000.0,
                loaded);

    // 1b. Every Analysis page, on the stored study and on a two-objective one.
    window.tabs()->setCurrentIndex(ui::MainWindow::AnalysisTab);
    pump(3);
    std::printf("analysis pages (GP pages fit off the GUI thread on at most 600 trials):\n");
    timeAnalysisPages(window.analysisView(), &window, "so:");
    benchMultiObjective(largeTrials);
    benchCellStudy(largeTrials);

    // 2. A study at ~100 trials/s with the Live tab in front.
    window.tabs()->setCurrentIndex(ui::MainWindow::LiveTab);
    window.showStudy(QString());
    pump(5);
    QElapsedTimer beatClock;
    qint64 last = 0, worst = 0, worstAt = 0;
    std::vector<qint64> gaps;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = beatClock.elapsed();
        if (now - last > worst) {
            worst = now - last;
            worstAt = now;
        }
        gaps.push_back(now - last);
        last = now;
    });
    const long rssBefore = rssKiB();
    long rssMid = -1;
    int finished = 0;
    QObject::connect(window.controller(), &ui::StudyController::trialChanged,
                     [&](const Trial& trial) {
                         if (trial.finished() && ++finished == liveTrials / 2)
                             rssMid = rssKiB();
                     });
    clock.restart();
    window.controller()->startNew(path, spec("live", liveTrials, 0.009));
    beatClock.start();
    heartbeat.start(10);
    while (window.controller()->isRunning())
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    heartbeat.stop();
    const double seconds = clock.elapsed() / 1000.0;
    pump(20);
    const long rssAfter = rssKiB();
    std::sort(gaps.begin(), gaps.end());
    const qint64 p99 = gaps.empty() ? 0 : gaps[gaps.size() * 99 / 100];
    std::printf(
        "live: %d trials in %.2f s (%.0f trials/s); event loop: longest stall %lld ms, "
        "p99 gap %lld ms over %zu beats  [goal < 50 ms]\n",
        liveTrials, seconds, liveTrials / seconds, static_cast<long long>(worst),
        static_cast<long long>(p99), gaps.size());
    std::printf("live: the longest stall ended %.2f s into the run\n", worstAt / 1000.0);
    std::printf("live: objective chart points %d, table rows %zu\n",
                window.liveView()->objectivePlot()->completePointCount(),
                window.session()->trials().size());
    std::printf("memory (VmRSS): before %ld KiB, midway %ld KiB, after %ld KiB\n", rssBefore,
                rssMid, rssAfter);
    return 0;
}
