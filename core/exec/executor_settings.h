#pragma once

#include <memory>
#include <string>

#include "exec/slurm_executor.h"

namespace bonsai {

// The spec's top-level "executor": where a command objective's trials run.
// {"kind": "local"} (the default: child processes of Bonsai) or
// {"kind": "slurm", ...} (SlurmSettings).
struct ExecutorSettings {
    std::string kind = "local";
    SlurmSettings slurm;

    bool isLocal() const { return kind == "local"; }
    // How many trials may run at once, or 0 to leave it to the spec's "workers".
    int maxConcurrent() const { return kind == "slurm" ? slurm.maxConcurrent : 0; }
    Json toJson() const;
};

// Null (no "executor" in the spec) is the local executor. Throws SpecError
// naming the field path under `path`.
ExecutorSettings parseExecutorSettings(const Json& json, const std::string& path = "executor");

// A fresh executor; the local one is also what an objective uses by default.
std::shared_ptr<Executor> makeExecutor(const ExecutorSettings& settings);

}  // namespace bonsai
