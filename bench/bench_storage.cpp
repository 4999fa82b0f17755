// Storage figures: commit rate of the engine's write pattern, and how long
// loading a large study takes (the GUI does it when a study is opened).
//
//   bench-storage [trials=10000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "storage/database.h"
#include "storage/optuna.h"

using namespace bonsai;

namespace {

// Built with append: GCC 12 warns falsely (-Wrestrict) on "x" + std::to_string(i).
std::string paramName(int i) {
    return std::string("x").append(std::to_string(i));
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

Json benchSpec() {
    Json space = Json::array();
    for (int i = 0; i < 4; ++i) {
        space.push_back({{"name", paramName(i)}, {"type", "float"}, {"low", 0}, {"high", 1}});
    }
    space.push_back({{"name", "act"}, {"type", "categorical"}, {"choices", {"relu", "gelu"}}});
    return {{"name", "bench"}, {"space", space}, {"strategy", {{"kind", "random"}}}};
}

Trial benchTrial(int number, int steps) {
    Trial trial;
    trial.number = number;
    trial.state = TrialState::Complete;
    for (int i = 0; i < 4; ++i)
        trial.params[paramName(i)] = (number % 97) / 97.0 + i;
    trial.params["act"] = std::string(number % 2 ? "relu" : "gelu");
    for (int step = 0; step < steps; ++step)
        trial.intermediate.emplace_back(step, 1.0 / (step + 1));
    trial.value = number * 0.001;
    trial.startedAt = 1.8e9 + number;
    trial.completedAt = trial.startedAt + 1.0;
    trial.attrs = {{"test_acc", 0.9}};
    return trial;
}

}  // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 10000;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("bonsai-bench-storage-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "studies.db").string();

    {
        Database db(path);

        // The engine's pattern: insert running, one commit per intermediate
        // value, finish.
        const auto engineId = db.createStudy("engine", Direction::Minimize, benchSpec());
        const int engineTrials = 1000, engineSteps = 10;
        auto start = Clock::now();
        for (int i = 0; i < engineTrials; ++i) {
            Trial trial = benchTrial(i, 0);
            trial.state = TrialState::Running;
            db.insertTrial(engineId, trial);
            for (int step = 0; step < engineSteps; ++step)
                db.addIntermediate(engineId, i, step, 0.5);
            db.finishTrial(engineId, benchTrial(i, 0));
        }
        double elapsed = secondsSince(start);
        const int commits = engineTrials * (engineSteps + 2);
        std::printf(
            "engine writes: %d trials x %d intermediate = %d commits in %.3f s (%.0f commits/s)\n",
            engineTrials, engineSteps, commits, elapsed, commits / elapsed);

        // A large study, one commit per whole trial.
        const auto id = db.createStudy("large", Direction::Minimize, benchSpec());
        start = Clock::now();
        for (int i = 0; i < count; ++i)
            db.insertTrial(id, benchTrial(i, 20));
        elapsed = secondsSince(start);
        std::printf(
            "bulk insert:   %d trials x 5 params x 20 intermediate in %.3f s (%.0f trials/s)\n",
            count, elapsed, count / elapsed);
    }
    std::printf("file size:     %.1f MB\n", std::filesystem::file_size(path) / 1e6);

    auto start = Clock::now();
    Database db(path, Database::Mode::ReadOnly);
    std::printf("open (checks): %.3f s\n", secondsSince(start));
    const auto id = db.findStudy("large")->id;
    double best = 1e9;
    std::size_t loaded = 0;
    for (int run = 0; run < 3; ++run) {
        start = Clock::now();
        loaded = db.loadTrials(id).size();
        best = std::min(best, secondsSince(start));
    }
    std::printf("loadTrials:    %zu trials in %.3f s (best of 3)\n", loaded, best);
    start = Clock::now();
    const auto studies = db.listStudies();
    std::printf("listStudies:   %zu studies in %.4f s\n", studies.size(), secondsSince(start));

    // The same study as an Optuna file, opened the way the studio does
    // (File > Open): converted into an in-memory Bonsai database.
    const std::string optunaPath = (dir / "optuna.db").string();
    {
        const StudyRecord record = *db.findStudy("large");
        writeOptunaFile(optunaPath, {studyToOptuna(record, db.loadTrials(id))});
    }
    std::printf("optuna file:   %.1f MB\n", std::filesystem::file_size(optunaPath) / 1e6);
    best = 1e9;
    for (int run = 0; run < 3; ++run) {
        start = Clock::now();
        auto optuna = openOptunaAsDatabase(optunaPath);
        const auto summaries = optuna->listStudies();
        loaded = optuna->loadTrials(summaries.at(0).study.id).size();
        best = std::min(best, secondsSince(start));
    }
    std::printf("optuna open:   %zu trials converted, listed and loaded in %.3f s (best of 3)\n",
                loaded, best);

    std::filesystem::remove_all(dir);
    return 0;
}
