// Per-chart costs for a large study (printed, not asserted): the time to
// hand each plot N trials and paint it once, so a slow chart is easy to spot.
//
//   QT_QPA_PLATFORM=offscreen bench-plots [N]

#include <cstdio>
#include <functional>
#include <string>

#include <QApplication>
#include <QElapsedTimer>

#include "plots/acquisition_plot.h"
#include "plots/learning_curve_plot.h"
#include "plots/objective_plot.h"
#include "plots/slice_plot.h"

using namespace bonsai;
using namespace bonsai::ui;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    std::vector<Trial> trials(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        Trial& trial = trials[static_cast<std::size_t>(i)];
        trial.number = i;
        trial.state = i % 10 == 9 ? TrialState::Pruned : TrialState::Complete;
        trial.params["x"] = (i * 7919 % 1000) / 1000.0;
        trial.value = 10.0 + (i * 104729 % 997) / 100.0;
        for (int step = 1; step <= 5; ++step)
            trial.intermediate.emplace_back(step, 20.0 / step + i % 7);
        trial.attrs["acquisition"] = 1.0 / (1 + i);
    }
    auto time = [](const char* name, QWidget& widget, const std::function<void()>& fill) {
        widget.resize(650, 420);
        widget.show();
        QElapsedTimer clock;
        clock.start();
        fill();
        const qint64 filled = clock.elapsed();
        widget.grab();
        const qint64 painted = clock.elapsed();
        widget.grab();
        std::printf("%-16s fill %5lld ms, first paint %5lld ms, repaint %5lld ms\n", name,
                    static_cast<long long>(filled), static_cast<long long>(painted - filled),
                    static_cast<long long>(clock.elapsed() - painted));
    };
    std::printf("%d trials\n", count);
    ObjectivePlot objective;
    time("objective", objective, [&] { objective.setTrials(trials, Direction::Minimize); });
    LearningCurvePlot curves(QStringLiteral("curves"));
    time("learning curves", curves, [&] { curves.setTrials(trials); });
    AcquisitionPlot acquisition;
    time("acquisition", acquisition, [&] { acquisition.setTrials(trials); });
    ParamSpec param;
    param.name = "x";
    SlicePlot slice(param);
    time("slice", slice, [&] { slice.setTrials(trials, Direction::Minimize); });
    return 0;
}
