#include <QtTest>

#include <charconv>
#include <cmath>
#include <limits>

#include "study/export.h"

using namespace bonsai;

namespace {

StudyRecord handBuiltStudy() {
    StudyRecord study;
    study.id = 7;
    study.name = "export \"me\"";
    study.direction = Direction::Maximize;
    study.spec = Json::parse(R"({
        "name": "export \"me\"", "direction": "maximize",
        "space": [
            {"name": "lr", "type": "float", "low": 1e-5, "high": 1, "log": true},
            {"name": "optimizer", "type": "categorical",
             "choices": ["sgd, fast", "say \"adam\"", "plain"]},
            {"name": "momentum", "type": "float", "low": 0, "high": 1,
             "when": {"param": "optimizer", "equals": "sgd, fast"}},
            {"name": "layers", "type": "int", "low": 1, "high": 8},
            {"name": "bias", "type": "categorical", "choices": [true, false]}
        ],
        "strategy": {"kind": "random"}
    })");
    return study;
}

constexpr double kStart = 1795917187.123;  // 2026-11-29T01:53:07.123Z

std::vector<Trial> handBuiltTrials() {
    std::vector<Trial> trials;

    Trial complete;
    complete.number = 0;
    complete.state = TrialState::Complete;
    complete.params = {{"lr", 0.1},
                       {"optimizer", std::string("sgd, fast")},
                       {"momentum", 0.9},
                       {"layers", std::int64_t{3}},
                       {"bias", true}};
    complete.value = 0.875;
    complete.intermediate = {{1, 0.5}, {2, 0.75}};
    complete.attrs = {{"test_acc", 0.87}, {"gp", {{"noise", 0.01}}}};
    complete.startedAt = kStart;
    complete.completedAt = kStart + 2.5;
    trials.push_back(complete);

    Trial inactive;  // momentum inactive, a choice with quotes
    inactive.number = 1;
    inactive.state = TrialState::Pruned;
    inactive.params = {{"lr", 1.0 / 3.0},
                       {"optimizer", std::string("say \"adam\"")},
                       {"layers", std::int64_t{8}},
                       {"bias", false}};
    inactive.value = 0.25;
    inactive.intermediate = {{1, 0.25}};
    inactive.startedAt = kStart + 10;
    inactive.completedAt = kStart + 10.25;
    inactive.error = "pruned at step 1";
    trials.push_back(inactive);

    Trial failed;  // no value
    failed.number = 2;
    failed.state = TrialState::Failed;
    failed.params = {{"lr", 1e-5},
                     {"optimizer", std::string("plain")},
                     {"layers", std::int64_t{1}},
                     {"bias", true}};
    failed.startedAt = kStart + 20;
    failed.completedAt = kStart + 21;
    failed.error = "objective returned NaN";
    trials.push_back(failed);

    Trial running;  // not finished: no value, no completion, no duration
    running.number = 3;
    running.state = TrialState::Running;
    running.params = {{"lr", 0.5}, {"optimizer", std::string("plain")}};
    running.startedAt = kStart + 30;
    trials.push_back(running);
    return trials;
}

}  // namespace

class TestExport : public QObject {
    Q_OBJECT

  private slots:
    void isoTimestamps_data();
    void isoTimestamps();
    void jsonContract();
    void csvContract();
    void csvFloatsRoundTrip();
    void csvExtraParamsAndEmptyStudy();
    void multiObjectiveJsonAndCsv();
    void constrainedSingleObjectiveMarksFeasibility();
};

void TestExport::isoTimestamps_data() {
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("epoch") << 0.0 << "1970-01-01T00:00:00.000Z";
    QTest::newRow("example") << kStart << "2026-11-29T01:53:07.123Z";
    QTest::newRow("before epoch") << -0.001 << "1969-12-31T23:59:59.999Z";
    QTest::newRow("rounds up across a leap day") << 951868799.9996 << "2000-03-01T00:00:00.000Z";
}

void TestExport::isoTimestamps() {
    QFETCH(double, seconds);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(isoTimestamp(seconds)), expected);
}

void TestExport::jsonContract() {
    const StudyRecord study = handBuiltStudy();
    const Json out = exportStudyJson(study, handBuiltTrials());

    QCOMPARE(out.size(), std::size_t(2));
    QCOMPARE(out["study"]["name"], Json("export \"me\""));
    QCOMPARE(out["study"]["direction"], Json("maximize"));
    QCOMPARE(out["study"]["spec"], study.spec);
    QCOMPARE(out["study"].size(), std::size_t(3));

    const Json& trials = out["trials"];
    QCOMPARE(trials.size(), std::size_t(4));
    for (const Json& trial : trials) {
        for (const char* key : {"number", "state", "params", "value", "intermediate", "started",
                                "completed", "duration_s", "attrs", "error"}) {
            QVERIFY2(trial.contains(key), key);
        }
        QCOMPARE(trial.size(), std::size_t(10));
    }

    const Json expectedFirst = Json::parse(R"({
        "number": 0, "state": "complete",
        "params": {"lr": 0.1, "optimizer": "sgd, fast", "momentum": 0.9, "layers": 3, "bias": true},
        "value": 0.875,
        "intermediate": [[1, 0.5], [2, 0.75]],
        "started": "2026-11-29T01:53:07.123Z",
        "completed": "2026-11-29T01:53:09.623Z",
        "duration_s": 2.5,
        "attrs": {"test_acc": 0.87, "gp": {"noise": 0.01}},
        "error": null
    })");
    QCOMPARE(trials[0], expectedFirst);
    QVERIFY(trials[0]["params"]["layers"].is_number_integer());
    QVERIFY(trials[0]["params"]["lr"].is_number_float());

    // Inactive parameter absent, not null.
    QVERIFY(!trials[1]["params"].contains("momentum"));
    QCOMPARE(trials[1]["params"]["optimizer"], Json("say \"adam\""));
    QCOMPARE(trials[1]["error"], Json("pruned at step 1"));
    QCOMPARE(trials[1]["duration_s"], Json(0.25));

    QVERIFY(trials[2]["value"].is_null());
    QCOMPARE(trials[2]["error"], Json("objective returned NaN"));
    QCOMPARE(trials[2]["intermediate"], Json::array());
    QCOMPARE(trials[2]["attrs"], Json::object());

    QCOMPARE(trials[3]["state"], Json("running"));
    QVERIFY(trials[3]["value"].is_null());
    QVERIFY(trials[3]["completed"].is_null());
    QVERIFY(trials[3]["duration_s"].is_null());
    QCOMPARE(trials[3]["started"], Json("2026-11-29T01:53:37.123Z"));

    // Serializable as strict JSON even with non-finite numbers inside.
    std::vector<Trial> odd = handBuiltTrials();
    odd[0].value = std::numeric_limits<double>::quiet_NaN();
    odd[0].intermediate = {{1, std::numeric_limits<double>::infinity()}};
    const Json strict = exportStudyJson(study, odd);
    QVERIFY(strict["trials"][0]["value"].is_null());
    QVERIFY(strict["trials"][0]["intermediate"][0][1].is_null());
    QCOMPARE(Json::parse(strict.dump()), strict);
}

void TestExport::csvContract() {
    const std::string csv = exportStudyCsv(handBuiltStudy(), handBuiltTrials());
    const std::string expected =
        "number,state,value,lr,optimizer,momentum,layers,bias,duration_s\n"
        "0,complete,0.875,0.1,\"sgd, fast\",0.9,3,true,2.5\n"
        "1,pruned,0.25,0.3333333333333333,\"say \"\"adam\"\"\",,8,false,0.25\n"
        "2,failed,,1e-05,plain,,1,true,1\n"
        "3,running,,0.5,plain,,,,\n";
    QCOMPARE(QString::fromStdString(csv), QString::fromStdString(expected));
}

void TestExport::csvFloatsRoundTrip() {
    StudyRecord study;
    study.spec = {{"space", {{{"name", "x"}}}}};
    const double values[] = {
        0.1, 1.0 / 3.0, 1e-300, 123456789.123456789, -2.5e17, std::nextafter(1.0, 2.0)};
    for (double value : values) {
        Trial trial;
        trial.state = TrialState::Complete;
        trial.value = value;
        trial.params = {{"x", value}};
        const std::string csv = exportStudyCsv(study, {trial});
        const std::string row = csv.substr(csv.find('\n') + 1);
        // "0,complete,<value>,<x>,"
        const auto first = row.find(',', row.find(',') + 1) + 1;
        const auto second = row.find(',', first);
        const std::string valueText = row.substr(first, second - first);
        const std::string paramText =
            row.substr(second + 1, row.find(',', second + 1) - second - 1);
        double parsed = 0;
        std::from_chars(valueText.data(), valueText.data() + valueText.size(), parsed);
        QCOMPARE(parsed, value);
        std::from_chars(paramText.data(), paramText.data() + paramText.size(), parsed);
        QCOMPARE(parsed, value);
        QVERIFY2(valueText.size() <= 24, valueText.c_str());
    }
}

void TestExport::csvExtraParamsAndEmptyStudy() {
    StudyRecord study;
    study.spec = {{"space", {{{"name", "a,b"}}}}};
    QCOMPARE(exportStudyCsv(study, {}), std::string("number,state,value,\"a,b\",duration_s\n"));

    // A stored parameter the spec does not list still gets a column, after
    // the spec's own.
    Trial trial;
    trial.state = TrialState::Complete;
    trial.value = 1.0;
    trial.params = {{"zeta", std::string("line\nbreak")}, {"a,b", std::int64_t{2}}};
    QCOMPARE(exportStudyCsv(study, {trial}),
             std::string("number,state,value,\"a,b\",zeta,duration_s\n"
                         "0,complete,1,2,\"line\nbreak\",\n"));
}

namespace {

Trial scored(int number, TrialState state, std::vector<double> values, Json attrs) {
    Trial trial;
    trial.number = number;
    trial.state = state;
    trial.values = std::move(values);
    if (!trial.values.empty())
        trial.value = trial.values.front();
    trial.params = {{"x", 0.5 * number}};
    trial.attrs = std::move(attrs);
    trial.startedAt = kStart;
    trial.completedAt = kStart + 1;
    return trial;
}

}  // namespace

void TestExport::multiObjectiveJsonAndCsv() {
    // A record without a spec exports as a single-objective study.
    StudyRecord bare;
    QCOMPARE(exportStudyCsv(bare, {}), std::string("number,state,value,duration_s\n"));
    QVERIFY(!exportStudyJson(bare, {}).contains("pareto_front"));

    StudyRecord study;
    study.name = "mo";
    study.spec = Json::parse(R"({
        "name": "mo", "space": [{"name": "x", "type": "float", "low": 0, "high": 2}],
        "objectives": [{"name": "acc", "direction": "maximize", "reference": 0},
                       {"name": "ms", "direction": "minimize", "reference": 10}],
        "constraints": [{"name": "ms", "max": 5}]
    })");
    std::vector<Trial> trials = {
        scored(0, TrialState::Complete, {0.9, 4}, Json::object()),
        scored(1, TrialState::Complete, {0.8, 5}, Json::object()),  // dominated by 0
        scored(2, TrialState::Complete, {0.5, 1}, Json::object()),
        scored(3, TrialState::Complete, {0.99, 6}, Json::object()),  // infeasible
        scored(4, TrialState::Failed, {}, Json::object()),
    };
    Json json = exportStudyJson(study, trials);
    QCOMPARE(json["pareto_front"], Json::parse("[0, 2]"));
    // Losses (-0.9, 4), (-0.5, 1) against (0, 10): 0.9*6 + 0.5*3 = 6.9.
    QCOMPARE(json["hypervolume"]["value"].get<double>(), 0.9 * 6 + 0.5 * 3);
    QCOMPARE(json["hypervolume"]["reference"], Json::parse("[0.0, 10.0]"));
    QCOMPARE(json["trials"][0]["values"], Json::parse("[0.9, 4.0]"));
    QCOMPARE(json["trials"][0]["feasible"], Json(true));
    QCOMPARE(json["trials"][3]["feasible"], Json(false));
    QCOMPARE(json["trials"][4]["values"], Json::parse("[null, null]"));
    QVERIFY(json["trials"][4]["feasible"].is_null());

    QCOMPARE(exportStudyCsv(study, trials),
             std::string("number,state,value,acc,ms,x,duration_s,pareto,feasible\n"
                         "0,complete,0.9,0.9,4,0,1,true,true\n"
                         "1,complete,0.8,0.8,5,0.5,1,false,true\n"
                         "2,complete,0.5,0.5,1,1,1,true,true\n"
                         "3,complete,0.99,0.99,6,1.5,1,false,false\n"
                         "4,failed,,,,2,1,false,\n"));
}

void TestExport::constrainedSingleObjectiveMarksFeasibility() {
    StudyRecord study;
    study.spec = Json::parse(R"({
        "space": [{"name": "x", "type": "float", "low": 0, "high": 2}],
        "constraints": [{"name": "mem", "min": 1}]
    })");
    std::vector<Trial> trials = {scored(0, TrialState::Complete, {}, {{"mem", 2}}),
                                 scored(1, TrialState::Complete, {}, {{"mem", 0.5}})};
    trials[0].value = 3;
    trials[1].value = 4;
    Json json = exportStudyJson(study, trials);
    QVERIFY(!json.contains("pareto_front") && !json["trials"][0].contains("values"));
    QCOMPARE(json["trials"][0]["feasible"], Json(true));
    QCOMPARE(json["trials"][1]["feasible"], Json(false));
    QCOMPARE(exportStudyCsv(study, trials), std::string("number,state,value,x,duration_s,feasible\n"
                                                        "0,complete,3,0,1,true\n"
                                                        "1,complete,4,0.5,1,false\n"));
}

QTEST_APPLESS_MAIN(TestExport)
#include "tst_export.moc"
