#include "exec/executor_settings.h"

namespace bonsai {

Json ExecutorSettings::toJson() const {
    Json out = kind == "slurm" ? slurmSettingsToJson(slurm) : Json::object();
    out["kind"] = kind;
    return out;
}

ExecutorSettings parseExecutorSettings(const Json& json, const std::string& path) {
    ExecutorSettings out;
    if (json.is_null())
        return out;
    JsonReader reader(json, path);
    out.kind = reader.requireString("kind");
    if (out.kind == "slurm")
        out.slurm = parseSlurmSettings(reader);
    else if (out.kind != "local")
        reader.failUnknownName("kind", "executor", out.kind, {"local", "slurm"});
    reader.finish();
    return out;
}

std::shared_ptr<Executor> makeExecutor(const ExecutorSettings& settings) {
    if (settings.kind == "slurm")
        return std::make_shared<SlurmExecutor>(settings.slurm);
    return std::shared_ptr<Executor>(makeLocalExecutor());
}

}  // namespace bonsai
