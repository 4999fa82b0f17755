#include <QtTest>

#include <array>
#include <set>
#include <stdexcept>
#include <string>

#include "space/nb201_cell.h"

using bonsai::Nb201Cell;

namespace {

constexpr const char* kExample =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~"
    "2|";

// Every path to the output passes a `none` edge.
constexpr const char* kExampleCutOff =
    "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|none~2|";

}  // namespace

class TestNb201Cell : public QObject {
    Q_OBJECT

  private slots:
    void operationsAreTheBenchmarksInItsOrder() {
        const auto& names = Nb201Cell::operationNames();
        QCOMPARE(names.size(), std::size_t{5});
        QCOMPARE(QString(names[0]), QString("none"));
        QCOMPARE(QString(names[1]), QString("skip_connect"));
        QCOMPARE(QString(names[2]), QString("nor_conv_1x1"));
        QCOMPARE(QString(names[3]), QString("nor_conv_3x3"));
        QCOMPARE(QString(names[4]), QString("avg_pool_3x3"));
    }

    void edgesAreOrderedByTargetThenSource() {
        const int sources[] = {0, 0, 1, 0, 1, 2};
        const int targets[] = {1, 2, 2, 3, 3, 3};
        const char* const names[] = {"1←0", "2←0", "2←1", "3←0", "3←1", "3←2"};
        for (int edge = 0; edge < Nb201Cell::kEdges; ++edge) {
            QCOMPARE(Nb201Cell::edgeSource(edge), sources[edge]);
            QCOMPARE(Nb201Cell::edgeTarget(edge), targets[edge]);
            QCOMPARE(Nb201Cell::edgeName(edge), std::string(names[edge]));
        }
    }

    void theFourInputToOutputPathsShortestFirst() {
        const std::vector<std::vector<int>> expected{{3}, {0, 4}, {1, 5}, {0, 2, 5}};
        QCOMPARE(Nb201Cell::inputOutputPaths(), expected);
    }

    void parsesTheBenchmarksStringIntoEdgeOperations() {
        Nb201Cell cell = Nb201Cell::parse(kExample);
        // (1<-0) conv3, (2<-0) conv3, (2<-1) pool, (3<-0) skip, (3<-1) conv3, (3<-2) skip
        std::array<int, 6> expected{3, 3, 4, 1, 3, 1};
        QCOMPARE(cell.ops, expected);
        QCOMPARE(QString::fromStdString(cell.toString()), QString(kExample));
    }

    void everyOneOfThe15625CellsRoundTripsThroughItsString() {
        int count = 0;
        for (int index = 0; index < 15625; ++index) {
            Nb201Cell cell = Nb201Cell::fromIndex(index);
            std::string text = cell.toString();
            QCOMPARE(Nb201Cell::parse(text), cell);
            QCOMPARE(Nb201Cell::parse(text).toString(), text);
            ++count;
        }
        QCOMPARE(count, 5 * 5 * 5 * 5 * 5 * 5);
    }

    void fromIndexListsEveryCellOnceWithEdgeZeroAsTheLowestDigit() {
        QCOMPARE(Nb201Cell::kCount, 5 * 5 * 5 * 5 * 5 * 5);
        std::set<std::string> distinct;
        for (int index = 0; index < Nb201Cell::kCount; ++index)
            distinct.insert(Nb201Cell::fromIndex(index).toString());
        QCOMPARE(static_cast<int>(distinct.size()), Nb201Cell::kCount);
        // 1 + 3 * 5 + 4 * 5^5: edge 0 skip, edge 1 conv3x3, edge 5 avg_pool.
        const std::array<int, 6> expected{1, 3, 0, 0, 0, 4};
        QCOMPARE(Nb201Cell::fromIndex(1 + 3 * 5 + 4 * 3125).ops, expected);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, Nb201Cell::fromIndex(-1));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, Nb201Cell::fromIndex(Nb201Cell::kCount));
    }

    void malformedStringsAreRejectedWithTheReason_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const QString tail = "+|none~0|none~1|+|none~0|none~1|none~2|";
        QTest::newRow("empty") << ""
                               << "empty string";
        QTest::newRow("a lone pipe") << "|"
                                     << "expected 3 nodes separated by '+', got 1";
        QTest::newRow("two nodes") << "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|"
                                   << "expected 3 nodes separated by '+', got 2";
        QTest::newRow("four nodes") << QString(kExample) + "+|none~0|"
                                    << "expected 3 nodes separated by '+', got 4";
        QTest::newRow("trailing plus") << QString(kExample) + "+"
                                       << "expected 3 nodes separated by '+', got 4";
        QTest::newRow("missing leading pipe")
            << "none~0|" + tail << "node 1: must start and end with '|' (got 'none~0|')";
        QTest::newRow("missing pipe before plus")
            << "|none~0" + tail << "node 1: must start and end with '|' (got '|none~0')";
        QTest::newRow("leading space")
            << " |none~0|" + tail << "node 1: must start and end with '|' (got ' |none~0|')";
        QTest::newRow("trailing garbage")
            << QString(kExample) + "x"
            << "node 3: must start and end with '|' "
               "(got '|skip_connect~0|nor_conv_3x3~1|skip_connect~2|x')";
        QTest::newRow("trailing newline")
            << "|none~0|" + tail + "\n"
            << "node 3: must start and end with '|' (got '|none~0|none~1|none~2|\n')";
        QTest::newRow("two edges into node 1")
            << "|none~0|none~1|" + tail << "node 1: expected 1 edge, got 2";
        QTest::newRow("empty edge into node 1")
            << "||none~0|" + tail << "node 1: expected 1 edge, got 2";
        QTest::newRow("two edges into node 3") << "|none~0|+|none~0|none~1|+|none~0|none~1|"
                                               << "node 3: expected 3 edges, got 2";
        QTest::newRow("wrong source index")
            << "|none~0|+|none~0|none~0|+|none~0|none~1|none~2|"
            << "edge 2 (node 2 <- 1): wrong source index '0' (expected 1)";
        QTest::newRow("padded source index")
            << "|none~00|" + tail << "edge 0 (node 1 <- 0): wrong source index '00' (expected 0)";
        QTest::newRow("missing source index")
            << "|none|" + tail << "edge 0 (node 1 <- 0): expected 'operation~0' (got 'none')";
        QTest::newRow("unknown operation")
            << "|none~0|+|none~0|none~1|+|conv_5x5~0|none~1|none~2|"
            << "edge 3 (node 3 <- 0): unknown operation 'conv_5x5' "
               "(known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)";
        QTest::newRow("operations are case-sensitive")
            << "|None~0|" + tail
            << "edge 0 (node 1 <- 0): unknown operation 'None' "
               "(known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)";
        QTest::newRow("empty operation")
            << "|~0|" + tail
            << "edge 0 (node 1 <- 0): unknown operation '' "
               "(known: none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3)";
    }

    void malformedStringsAreRejectedWithTheReason() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            Nb201Cell::parse(text.toStdString());
            QFAIL("parse accepted a malformed cell");
        } catch (const std::invalid_argument& error) {
            QCOMPARE(QString::fromStdString(error.what()), message);
        }
    }

    void pathToOutputFollowsNonNoneEdges_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("connected");
        QTest::newRow("all none") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|" << false;
        QTest::newRow("direct 0->3")
            << "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|" << true;
        QTest::newRow("0->1->3")
            << "|nor_conv_1x1~0|+|none~0|none~1|+|none~0|avg_pool_3x3~1|none~2|" << true;
        QTest::newRow("0->2->3")
            << "|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|skip_connect~2|" << true;
        QTest::newRow("0->1->2->3")
            << "|skip_connect~0|+|none~0|skip_connect~1|+|none~0|none~1|skip_connect~2|" << true;
        QTest::newRow("node 1 is a dead end")
            << "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|skip_connect~2|" << false;
        QTest::newRow("node 2 is a dead end")
            << "|none~0|+|skip_connect~0|skip_connect~1|+|none~0|skip_connect~1|none~2|" << false;
        QTest::newRow("output fed only by unreachable nodes")
            << "|none~0|+|none~0|skip_connect~1|+|none~0|skip_connect~1|skip_connect~2|" << false;
        QTest::newRow("benchmark example") << kExample << true;
    }

    void pathToOutputFollowsNonNoneEdges() {
        QFETCH(QString, text);
        QFETCH(bool, connected);
        QCOMPARE(Nb201Cell::parse(text.toStdString()).hasPathToOutput(), connected);
    }

    // Counting by hand, with an open (non-none) edge weighing 4 and a closed one
    // 1: node 3 is cut off only if (3<-0) is none. If (1<-0) is open (4), (3<-1)
    // must be none and either (3<-2) is none while node 2 is reachable (24 ways
    // for (2<-0),(2<-1)) or node 2 is unreachable (1 x 5): 4 * 29 = 116. If
    // (1<-0) is none, (3<-1) is free (5) and either (2<-0) is open with (3<-2)
    // none (4 * 5) or (2<-0) is none (25): 5 * 45 = 225. Total 341, the number
    // of NAS-Bench-201 cells the benchmark reports at chance accuracy.
    void exactly341CellsHaveNoPathToTheOutput() {
        int disconnected = 0;
        for (int index = 0; index < 15625; ++index)
            if (!Nb201Cell::fromIndex(index).hasPathToOutput())
                ++disconnected;
        QCOMPARE(disconnected, 341);
    }

    // NAS-Bench-201 reports 6,466 unique architectures among its 15,625 cells
    // (its to_unique_str with consider_zero).
    void theIsomorphismRuleGroupsTheCellsInto6466Classes() {
        std::set<std::string> keys;
        for (int index = 0; index < Nb201Cell::kCount; ++index)
            keys.insert(Nb201Cell::fromIndex(index).isomorphismKey());
        QCOMPARE(keys.size(), std::size_t{6466});
    }

    // The rule keeps a `none` input as a '#' term of its node's sum, so the
    // same function reached through a node with a `none` input is another
    // class: conv1x1(x) + x through node 2, whose (2<-1) is none.
    void aNoneInputKeepsArrangementsApart() {
        const Nb201Cell throughNode1 = Nb201Cell::parse(
            "|skip_connect~0|+|none~0|none~1|+|nor_conv_1x1~0|skip_connect~1|none~2|");
        const Nb201Cell throughNode2 = Nb201Cell::parse(
            "|none~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|none~1|skip_connect~2|");
        QCOMPARE(QString::fromStdString(throughNode1.isomorphismKey()),
                 QString("#+(0)@nor_conv_1x1+0"));
        QVERIFY(throughNode1.isomorphismKey() != throughNode2.isomorphismKey());
    }

    void functionalFormDropsUnusedOperationsAndPicksOneArrangement_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("form");
        // Node 1's convolution feeds nothing: the output is the input.
        QTest::newRow("dead end")
            << "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"
            << "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|";
        // conv1x1(x) + x: the sum's order does not matter. Of the arrangements
        // with three operations, the lowest index puts the convolution on
        // (1<-0) (index 2 + 125 + 625 = 752).
        QTest::newRow("x + conv(x) through node 1")
            << "|skip_connect~0|+|none~0|none~1|+|nor_conv_1x1~0|skip_connect~1|none~2|"
            << "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|";
        QTest::newRow("the same with a dead end at node 2")
            << "|skip_connect~0|+|avg_pool_3x3~0|none~1|+|nor_conv_1x1~0|skip_connect~1|none~2|"
            << "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|";
        QTest::newRow("already the form")
            << "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|"
            << "|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|skip_connect~1|none~2|";
        QTest::newRow("cut off") << kExampleCutOff
                                 << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    }

    void functionalFormDropsUnusedOperationsAndPicksOneArrangement() {
        QFETCH(QString, text);
        QFETCH(QString, form);
        const Nb201Cell cell = Nb201Cell::parse(text.toStdString());
        QCOMPARE(QString::fromStdString(cell.functionalForm().toString()), form);
        QCOMPARE(cell.functionalForm().isomorphismKey(), cell.isomorphismKey());
    }

    // One form per class, isomorphic to its cells, its own form.
    void everyCellHasOneFunctionalFormPerClass() {
        std::set<int> forms;
        for (int index = 0; index < Nb201Cell::kCount; ++index) {
            const Nb201Cell cell = Nb201Cell::fromIndex(index);
            QCOMPARE(cell.index(), index);
            const Nb201Cell form = cell.functionalForm();
            QCOMPARE(form.isomorphismKey(), cell.isomorphismKey());
            QCOMPARE(form.functionalForm(), form);
            forms.insert(form.index());
        }
        QCOMPARE(forms.size(), std::size_t{6466});
    }
};

QTEST_APPLESS_MAIN(TestNb201Cell)
#include "tst_nb201_cell.moc"
