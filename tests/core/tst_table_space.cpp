// "Search space from the table": the space spaceFromTable reads off a
// tabular benchmark is one the tabular objective accepts and can look every
// trial up in, and results are left out of it.
#include <QtTest>

#include "objectives/table_space.h"
#include "space/nb201_cell.h"
#include "support/tabular_tables.h"

using namespace bonsai;

class TableSpaceTest : public QObject {
    Q_OBJECT

    test::TableFiles m_tables;

  private slots:
    void aGridOfSettingsBecomesTheSpaceAndResultsAreLeftOut() {
        const std::string path = BONSAI_SOURCE_DIR "/resources/examples/tiny-bench.csv";
        const auto table = CsvTable::load(path);
        const TableSpace made = spaceFromTable(*table, {"valid_acc"});
        const Json expected = Json::parse(R"([
            {"name": "lr", "type": "categorical", "choices": [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]},
            {"name": "width", "type": "categorical", "choices": [16, 32, 64, 128, 256]},
            {"name": "depth", "type": "int", "low": 1, "high": 8},
            {"name": "activation", "type": "categorical", "choices": ["relu", "gelu", "tanh"]}])");
        QCOMPARE(made.space.dump(), expected.dump());
        // test_acc and train_seconds take hundreds of values: results.
        QCOMPARE(made.skipped, (std::vector<std::string>{"test_acc", "train_seconds"}));
        // The tabular objective takes the space as it is.
        const Json objective{{"kind", "tabular"}, {"file", path}, {"metric", "valid_acc"}};
        QCOMPARE(test::objectiveSpecError(objective, made.space.dump().c_str()), std::string());
    }

    void excludedColumnsStayOut() {
        const auto table = CsvTable::load(BONSAI_SOURCE_DIR "/resources/examples/tiny-bench.csv");
        const TableSpace made =
            spaceFromTable(*table, {"valid_acc", "train_seconds", "lr", "activation"});
        QCOMPARE(made.space.size(), std::size_t(2));
        QCOMPARE(made.space[0]["name"], Json("width"));
        QCOMPARE(made.space[1]["name"], Json("depth"));
    }

    void aKeyOfCellStringsBecomesOneCellParameter() {
        const std::string a = Nb201Cell::fromIndex(0).toString();
        const std::string b = Nb201Cell::fromIndex(7).toString();
        const std::string path =
            m_tables.write("cells.csv", "arch_str,acc\n" + a + ",91.2\n" + b + ",80.1\n");
        const TableSpace made = spaceFromTable(*CsvTable::load(path), {"acc"}, "arch_str");
        QCOMPARE(made.space.dump(),
                 Json::parse(R"([{"name": "cell", "type": "nb201-cell"}])").dump());
        QVERIFY(made.skipped.empty());
    }

    void aKeyOfOtherValuesBecomesACategorical() {
        const std::string path =
            m_tables.write("ids.csv", "model,acc\nresnet,91.2\nvit,80.1\nmlp,70\n");
        const TableSpace made = spaceFromTable(*CsvTable::load(path), {"acc"}, "model");
        QCOMPARE(made.space.dump(), Json::parse(R"([{"name": "model", "type": "categorical",
                                  "choices": ["resnet", "vit", "mlp"]}])")
                                        .dump());
        // A key the table lacks gives no space (the form's key field says why).
        QVERIFY(spaceFromTable(*CsvTable::load(path), {"acc"}, "nope").space.empty());
    }

    void columnsWithEmptyCellsAndTwoIntegersAreHandled() {
        // dropout is empty where it does not apply: a conditional parameter
        // the table cannot describe, so it is left for the user. Two integer
        // values are a categorical, not an int range.
        const std::string path =
            m_tables.write("mixed.csv", "bias,dropout,acc\n0,0.1,1\n1,,2\n0,0.2,3\n");
        const TableSpace made = spaceFromTable(*CsvTable::load(path), {"acc"});
        QCOMPARE(
            made.space.dump(),
            Json::parse(R"([{"name": "bias", "type": "categorical", "choices": [0, 1]}])").dump());
        QCOMPARE(made.skipped, (std::vector<std::string>{"dropout"}));
    }
};

QTEST_APPLESS_MAIN(TableSpaceTest)
#include "tst_table_space.moc"
