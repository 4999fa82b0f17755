// Bonsai against the real Optuna (Debian's python3-optuna under
// /usr/bin/python3): Python creates studies, bonsai-cli imports them and the
// trials are compared value by value; bonsai-cli exports, Python loads the
// file with optuna.load_study and the trials are compared again.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

#include "space/search_space.h"
#include "storage/database.h"
#include "storage/optuna.h"

using namespace bonsai;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString script(const char* name) {
    return QStringLiteral(BONSAI_SOURCE_DIR "/tests/cli/optuna/") + QLatin1String(name);
}

struct Result {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Result runProgram(const QString& program, const QStringList& args) {
    QProcess process;
    process.start(program, args);
    process.waitForFinished(300000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

Result cli(const QStringList& args) {
    return runProgram(QStringLiteral(BONSAI_CLI_PATH), args);
}

// dump_studies.py writes infinities and NaN as Python reprs.
double jsonNumber(const Json& value) {
    if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (text == "inf")
            return std::numeric_limits<double>::infinity();
        if (text == "-inf")
            return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }
    return value.get<double>();
}

bool sameNumber(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// The Bonsai space entry that an Optuna distribution must have become.
void compareDistribution(const ParamSpec& param, const Json& distribution) {
    const std::string name = distribution["name"];
    const Json& a = distribution["attributes"];
    if (name == "CategoricalDistribution") {
        QCOMPARE(param.type, ParamType::Categorical);
        QCOMPARE(param.choices.size(), a["choices"].size());
        for (std::size_t i = 0; i < param.choices.size(); ++i)
            QCOMPARE(toJson(param.choices[i]), a["choices"][i]);
        return;
    }
    QCOMPARE(param.type, name == "IntDistribution" ? ParamType::Int : ParamType::Float);
    QCOMPARE(param.low, a["low"].get<double>());
    QCOMPARE(param.high, a["high"].get<double>());
    QCOMPARE(param.log, a["log"].get<bool>());
    if (a["step"].is_null() || (name == "IntDistribution" && a["step"] == 1))
        QVERIFY(!param.step || (param.type == ParamType::Int && *param.step == 1.0));
    else
        QCOMPARE(param.step.value_or(-1.0), a["step"].get<double>());
}

}  // namespace

class TestOptunaInterop : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_optunaFile;
    Json m_dump;  // dump_studies.py of m_optunaFile

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

    Json dump(const QString& file) {
        const Result result = runProgram(kPython, {script("dump_studies.py"), file});
        if (result.code != 0)
            qWarning("dump_studies.py failed: %s", result.err.constData());
        return Json::parse(result.out.toStdString(), nullptr, false);
    }

  private slots:
    void initTestCase() {
        const Result probe =
            runProgram(kPython, {QStringLiteral("-c"), QStringLiteral("import optuna")});
        if (probe.code != 0)
            QSKIP(
                "python3-optuna is missing under /usr/bin/python3 (apt-get install "
                "python3-optuna); the Optuna interoperability tests need the real library");
        QVERIFY(m_dir.isValid());
        m_optunaFile = path("optuna.db");
        const Result created = runProgram(kPython, {script("create_studies.py"), m_optunaFile});
        QVERIFY2(created.code == 0, created.err.constData());
        m_dump = dump(m_optunaFile);
        QVERIFY(m_dump.is_object());
        QVERIFY(m_dump.contains("single") && m_dump.contains("multi"));
    }

    // Every trial of every study, value by value, as Optuna itself sees them.
    void importMatchesOptuna() {
        const QString db = path("imported.db");
        const Result result = cli({"import-optuna", m_optunaFile, "--db", db});
        QVERIFY2(result.code == 0, result.err.constData());
        QVERIFY(result.out.contains("imported single"));
        QVERIFY(result.out.contains("imported multi"));
        // The import has the trials of Optuna's search, not its sampler or
        // budget: list and show say so rather than print blanks and "{}".
        const Result listed = cli({"list", "--db", db});
        QVERIFY2(QRegularExpression(R"(single\s+finished\s+\d+\s+\S+\s+imported\s)")
                     .match(QString::fromUtf8(listed.out))
                     .hasMatch(),
                 listed.out.constData());
        const Result shown = cli({"show", "single", "--db", db});
        QVERIFY2(shown.out.contains("strategy   none recorded (imported from optuna)\n") &&
                     shown.out.contains("budget     none recorded (imported from optuna)\n"),
                 shown.out.constData());

        Database database(db.toStdString(), Database::Mode::ReadOnly);
        for (const auto& [name, expected] : m_dump.items()) {
            const StudyRecord record = database.requireStudy(name);
            const SearchSpace space = SearchSpace::fromJson(record.spec["space"]);
            const Json& directions = expected["directions"];
            if (directions.size() > 1) {
                QCOMPARE(record.spec["objectives"].size(), directions.size());
                for (std::size_t k = 0; k < directions.size(); ++k)
                    QCOMPARE(record.spec["objectives"][k]["direction"].get<std::string>(),
                             directions[k] == "MAXIMIZE" ? std::string("maximize")
                                                         : std::string("minimize"));
            } else {
                QCOMPARE(record.direction,
                         directions[0] == "MAXIMIZE" ? Direction::Maximize : Direction::Minimize);
            }
            const std::vector<Trial> trials = database.loadTrials(record.id);
            QCOMPARE(trials.size(), expected["trials"].size());
            for (std::size_t i = 0; i < trials.size(); ++i) {
                const Trial& trial = trials[i];
                const Json& want = expected["trials"][i];
                QCOMPARE(trial.number, want["number"].get<int>());
                QCOMPARE(std::string(optunaStateName(trial.state)),
                         want["state"].get<std::string>());
                QCOMPARE(trial.params.size(), want["params"].size());
                for (const auto& [param, value] : want["params"].items()) {
                    QVERIFY2(trial.params.count(param), param.c_str());
                    QCOMPARE(toJson(trial.params.at(param)), value);
                    const ParamSpec* spec = space.find(param);
                    QVERIFY(spec);
                    compareDistribution(*spec, want["distributions"][param]);
                    // A parameter Optuna only suggested under one choice is
                    // conditional in Bonsai, and active exactly here.
                    QVERIFY(space.isActive(*space.indexOf(param), trial.params) ||
                            trial.state != TrialState::Complete);
                }
                if (want["values"].is_null()) {
                    QVERIFY(!trial.value);
                } else if (directions.size() > 1) {
                    QCOMPARE(trial.values.size(), want["values"].size());
                    for (std::size_t k = 0; k < trial.values.size(); ++k)
                        QVERIFY(sameNumber(trial.values[k], jsonNumber(want["values"][k])));
                } else {
                    QVERIFY(trial.value);
                    QVERIFY(sameNumber(*trial.value, jsonNumber(want["values"][0])));
                }
                QCOMPARE(trial.intermediate.size(), want["intermediate"].size());
                for (const auto& [step, value] : trial.intermediate)
                    QVERIFY(
                        sameNumber(value, jsonNumber(want["intermediate"][std::to_string(step)])));
                Json attrs = trial.attrs;
                attrs.erase("optuna_system_attrs");
                QCOMPARE(attrs, want["user_attrs"]);
            }
        }
        // The conditional parameters became `when` conditions on "kind".
        const StudyRecord single = database.requireStudy("single");
        const SearchSpace space = SearchSpace::fromJson(single.spec["space"]);
        QVERIFY(space.find("svc_c")->when);
        QCOMPARE(space.find("svc_c")->when->param, std::string("kind"));
        QVERIFY(space.find("depth")->when);
        QVERIFY(!space.find("x")->when);
    }

    // Import then export: Optuna loads the exported file and sees the same
    // trials it wrote.
    void exportLoadsInOptuna() {
        const QString db = path("roundtrip.db");
        Result result = cli({"import-optuna", m_optunaFile, "--db", db});
        QVERIFY2(result.code == 0, result.err.constData());
        Json loaded = Json::object();
        for (const char* name : {"single", "multi"}) {
            const QString out = path(name) + QStringLiteral("-export.db");
            result = cli({"export", name, "--db", db, "--format", "optuna", "--out", out});
            QVERIFY2(result.code == 0, result.err.constData());
            const Json dumped = dump(out);
            QVERIFY2(dumped.contains(name), dumped.dump().c_str());
            loaded[name] = dumped[name];
        }
        QCOMPARE(loaded, m_dump);
    }

    // A study Bonsai ran itself: Optuna reads its trials, parameters,
    // distributions and values.
    void exportNativeStudy() {
        const QString db = path("native.db");
        Result result =
            cli({"run", QStringLiteral(BONSAI_SOURCE_DIR "/resources/examples/branin-gp.json"),
                 "--db", db, "--trials", "6"});
        QVERIFY2(result.code == 0, result.err.constData());
        const QString out = path("native-export.db");
        result = cli({"export", "branin-gp", "--db", db, "--format", "optuna", "--out", out});
        QVERIFY2(result.code == 0, result.err.constData());
        const Json dumped = dump(out);
        QVERIFY2(dumped.contains("branin-gp"), dumped.dump().c_str());

        Database database(db.toStdString(), Database::Mode::ReadOnly);
        const StudyRecord record = database.requireStudy("branin-gp");
        const SearchSpace space = SearchSpace::fromJson(record.spec["space"]);
        const std::vector<Trial> trials = database.loadTrials(record.id);
        const Json& got = dumped["branin-gp"]["trials"];
        QCOMPARE(got.size(), trials.size());
        QCOMPARE(dumped["branin-gp"]["directions"], Json::array({"MINIMIZE"}));
        for (std::size_t i = 0; i < trials.size(); ++i) {
            QCOMPARE(got[i]["state"].get<std::string>(),
                     std::string(optunaStateName(trials[i].state)));
            QCOMPARE(got[i]["values"][0].get<double>(), *trials[i].value);
            for (const auto& [name, value] : trials[i].params) {
                QCOMPARE(got[i]["params"][name], toJson(value));
                compareDistribution(*space.find(name), got[i]["distributions"][name]);
            }
        }

        // Never over an existing file.
        result = cli({"export", "branin-gp", "--db", db, "--format", "optuna", "--out", out});
        QCOMPARE(result.code, 1);
        QVERIFY2(result.err.contains("already exists"), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestOptunaInterop)
#include "tst_optuna_interop.moc"
