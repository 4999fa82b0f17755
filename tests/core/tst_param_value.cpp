#include <QtTest>

#include <limits>

#include "space/param_value.h"
#include "util/spec_error.h"

using namespace bonsai;

class TestParamValue : public QObject {
    Q_OBJECT

  private slots:
    void jsonScalarsBecomeTypedValues() {
        QVERIFY(paramValueFromJson(Json(true), "v") == ParamValue(true));
        QVERIFY(paramValueFromJson(Json(-3), "v") == ParamValue(std::int64_t{-3}));
        // nlohmann keeps non-negative integers as unsigned; they still read as int64.
        QVERIFY(paramValueFromJson(Json::parse("42"), "v") == ParamValue(std::int64_t{42}));
        QVERIFY(paramValueFromJson(Json(std::uint64_t{1} << 62), "v") ==
                ParamValue(std::int64_t{1} << 62));
        QVERIFY(paramValueFromJson(Json::parse("3.0"), "v") == ParamValue(3.0));
        QVERIFY(paramValueFromJson(Json("relu"), "v") == ParamValue(std::string("relu")));
    }

    void jsonThatIsNotAScalarIsASpecError_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("null") << "null"
                              << "t.v: must be a string, number or boolean (got null)";
        QTest::newRow("array") << "[1]"
                               << "t.v: must be a string, number or boolean (got an array)";
        QTest::newRow("object") << R"({"a": 1})"
                                << "t.v: must be a string, number or boolean (got an object)";
        QTest::newRow("unsigned beyond int64")
            << "18446744073709551615"
            << "t.v: is too large for a 64-bit integer (got 18446744073709551615)";
    }

    void jsonThatIsNotAScalarIsASpecError() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            paramValueFromJson(Json::parse(json.toStdString()), "t.v");
            QFAIL("accepted");
        } catch (const SpecError& error) {
            QCOMPARE(QString::fromStdString(error.what()), message);
        }
    }

    void nonFiniteNumbersBuiltInCodeAreRejected() {
        QVERIFY_THROWS_EXCEPTION(
            SpecError, paramValueFromJson(Json(std::numeric_limits<double>::quiet_NaN()), "v"));
    }

    void mapsRoundTripThroughJson() {
        ParamMap params{
            {"lr", 0.001}, {"n", std::int64_t{32}}, {"act", std::string("relu")}, {"bn", false}};
        Json json = toJson(params);
        QCOMPARE(json, Json::parse(R"({"lr": 0.001, "n": 32, "act": "relu", "bn": false})"));
        QVERIFY(paramMapFromJson(json, "params") == params);
        try {
            paramMapFromJson(Json::parse(R"({"a": [1]})"), "trials[3].params");
            QFAIL("accepted");
        } catch (const SpecError& error) {
            QCOMPARE(QString::fromStdString(error.path()), QString("trials[3].params.a"));
        }
        QVERIFY_THROWS_EXCEPTION(SpecError, paramMapFromJson(Json::array(), "params"));
    }

    void displayStringsAreShort_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("0.001") << 0.001 << "0.001";
        QTest::newRow("1e-5") << 1e-5 << "1e-05";
        QTest::newRow("six significant digits") << 3.14159265 << "3.14159";
        QTest::newRow("whole double") << 3.0 << "3";
        QTest::newRow("large") << 1234567.0 << "1.23457e+06";
    }

    void displayStringsAreShort() {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(toDisplayString(value)), text);
    }

    void displayStringsOfOtherTypes() {
        QCOMPARE(toDisplayString(std::int64_t{32}), std::string("32"));
        QCOMPARE(toDisplayString(std::string("relu")), std::string("relu"));
        QCOMPARE(toDisplayString(true), std::string("true"));
        QCOMPARE(toDisplayString(false), std::string("false"));
    }

    void sameValueComparesNumbersAcrossTypesOnly() {
        QVERIFY(sameValue(std::int64_t{3}, 3.0));
        QVERIFY(sameValue(3.0, std::int64_t{3}));
        QVERIFY(!sameValue(std::int64_t{3}, 3.5));
        QVERIFY(!sameValue(std::int64_t{1}, true));
        QVERIFY(!sameValue(std::string("1"), std::int64_t{1}));
        QVERIFY(sameValue(std::string("a"), std::string("a")));
        // 2^53 + 1 is not representable as a double; it must not equal 2^53.
        QVERIFY(!sameValue(std::int64_t{(1LL << 53) + 1}, 9007199254740992.0));
        QVERIFY(!sameValue(std::int64_t{0}, 1e300));
    }

    void displayOrderIsTheGivenOrderThenTheRestByName() {
        const ParamMap params{{"x10", 3.0}, {"x2", 2.0}, {"lr", 0.1}, {"x1", 1.0}, {"depth", 4.0}};
        const std::vector<std::string> order{"x1", "x2", "missing", "x10"};
        std::vector<std::string> names;
        for (const auto& [name, value] : inDisplayOrder(params, order)) {
            names.push_back(name);
            QCOMPARE(value, &params.at(name));
        }
        QCOMPARE(names, (std::vector<std::string>{"x1", "x2", "x10", "depth", "lr"}));
        QCOMPARE(inDisplayOrder(params, {}).front().first, std::string("depth"));
    }

    void numericValueViewsIntsAndDoubles() {
        QCOMPARE(numericValue(std::int64_t{-7}), std::optional<double>(-7.0));
        QCOMPARE(numericValue(2.5), std::optional<double>(2.5));
        QVERIFY(!numericValue(true));
        QVERIFY(!numericValue(std::string("2")));
    }
};

QTEST_APPLESS_MAIN(TestParamValue)
#include "tst_param_value.moc"
