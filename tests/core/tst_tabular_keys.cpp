// The tabular objective checks at spec time that the space's values can
// match the key columns (issue 14.10): a float against a column of strings,
// a cell parameter against numbers, or a finite parameter none of whose
// values occur is one message naming the column, the parameter and the fix,
// rather than "no row for ..." on every trial of a test run.
#include <QtTest>

#include "support/tabular_tables.h"

using namespace bonsai;

class TabularKeysTest : public QObject {
    Q_OBJECT

    test::TableFiles m_tables;

  private slots:
    void aFloatAgainstAStringKeyIsNamed() {
        const std::string path =
            m_tables.write("cells.csv",
                           "arch_str,valid_acc\n|nor_conv_3x3~0|+|none~0|skip_connect~1|,91.2\n"
                           "|avg_pool_3x3~0|+|none~0|none~1|,80.1\n");
        const Json objective{
            {"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}, {"key", "arch_str"}};
        const std::string error = test::objectiveSpecError(
            objective, R"([{"name": "x", "type": "float", "low": 0, "high": 5}])");
        QVERIFY2(error.find("objective.key: column 'arch_str'") == 0, error.c_str());
        QVERIFY2(error.find("holds text such as '|nor_conv_3x3~0|") != std::string::npos,
                 error.c_str());
        QVERIFY2(error.find("'x' is a float") != std::string::npos, error.c_str());
        QVERIFY2(error.find("nb201-cell") != std::string::npos, error.c_str());
        // The right type passes.
        QCOMPARE(test::objectiveSpecError(objective, R"([{"name": "cell", "type": "nb201-cell"}])"),
                 std::string());
    }

    void aCellAgainstANumericKeyIsNamed() {
        const std::string path = m_tables.write("numbers.csv", "id,valid_acc\n1,91.2\n2,80.1\n");
        const Json objective{
            {"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}, {"key", "id"}};
        const std::string error =
            test::objectiveSpecError(objective, R"([{"name": "cell", "type": "nb201-cell"}])");
        QVERIFY2(error.find("objective.key: column 'id'") == 0, error.c_str());
        QVERIFY2(error.find("holds numbers such as '1'") != std::string::npos, error.c_str());
    }

    void aFiniteParameterNeedsSomeOfItsValuesInTheTable() {
        const std::string path =
            m_tables.write("grid.csv", "depth,activation,score\n10,relu,1\n12,gelu,2\n14,relu,3\n");
        const Json objective{{"kind", "tabular"}, {"file", path}, {"metric", "score"}};
        // depth 1..8 never occurs among 10, 12, 14.
        std::string error = test::objectiveSpecError(objective, R"([
            {"name": "depth", "type": "int", "low": 1, "high": 8},
            {"name": "activation", "type": "categorical", "choices": ["relu", "gelu"]}])");
        QVERIFY2(error.find("objective.key: none of the values of 'depth' (1, 2, 3, 4, ...)") == 0,
                 error.c_str());
        QVERIFY2(error.find("column 'depth'") != std::string::npos, error.c_str());
        // Choices that never occur.
        error = test::objectiveSpecError(objective, R"([
            {"name": "depth", "type": "int", "low": 10, "high": 14, "step": 2},
            {"name": "activation", "type": "categorical", "choices": ["tanh", "elu"]}])");
        QVERIFY2(error.find("none of the values of 'activation' (tanh, elu)") != std::string::npos,
                 error.c_str());
        // Some values present is enough (a sparse table fails only those trials).
        QCOMPARE(test::objectiveSpecError(objective, R"([
            {"name": "depth", "type": "int", "low": 10, "high": 16, "step": 2},
            {"name": "activation", "type": "categorical", "choices": ["relu", "tanh"]}])"),
                 std::string());
        // An int against a text column.
        error = test::objectiveSpecError(objective, R"([
            {"name": "depth", "type": "int", "low": 10, "high": 14, "step": 2},
            {"name": "activation", "type": "int", "low": 0, "high": 3}])");
        QVERIFY2(error.find("holds text such as 'relu', but 'activation' is an int") !=
                     std::string::npos,
                 error.c_str());
    }
};

QTEST_MAIN(TabularKeysTest)
#include "tst_tabular_keys.moc"
