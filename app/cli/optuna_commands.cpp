#include "optuna_commands.h"

#include <cstdio>

#include "arguments.h"
#include "storage/database.h"
#include "storage/optuna.h"

namespace bonsai::cli {

int importOptunaCommand(const std::vector<std::string>& rawArgs) {
    Arguments args(rawArgs, {"db", "study"}, {});
    args.expectPositionals(1, "FILE (the Optuna SQLite file to import)");
    const std::string source = args.positionals()[0];
    if (auto problem = optunaDatabaseProblem(source))
        throw UsageError(*problem);
    Database database(args.value("db").value_or(Database::defaultPath()));
    const std::vector<std::string> names = importOptunaFile(database, source, args.value("study"));
    for (const std::string& name : names)
        std::printf("imported %s\n", name.c_str());
    if (names.empty())
        std::printf("%s holds no studies; nothing imported\n", source.c_str());
    return 0;
}

int exportOptunaCommand(const std::string& databasePath, const std::string& study,
                        const std::optional<std::string>& out,
                        const std::optional<std::string>& revision) {
    if (!out)
        throw UsageError("--format optuna writes an SQLite file; give it with --out FILE");
    const std::string schema = revision.value_or(kOptunaWriteRevisions[0]);
    if (schema != kOptunaWriteRevisions[0] && schema != kOptunaWriteRevisions[1])
        throw UsageError(
            "--optuna-schema must be v3.0.0.d (Optuna 3.0 and 3.1) or v3.2.0.a "
            "(Optuna 3.2 to 4.x) (got '" +
            schema + "')");
    Database database(databasePath, Database::Mode::ReadOnly);
    const StudyRecord record = database.requireStudy(study);
    writeOptunaFile(*out, {studyToOptuna(record, database.loadTrials(record.id))}, schema);
    std::printf(
        "wrote %s (Optuna schema %s); open it with "
        "optuna.load_study(storage=\"sqlite:///%s\", study_name=\"%s\")\n",
        out->c_str(), schema.c_str(), out->c_str(), study.c_str());
    return 0;
}

}  // namespace bonsai::cli
