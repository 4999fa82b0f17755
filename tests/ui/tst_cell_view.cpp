// The NB201 cell drawn: 4 nodes and 6 labelled, coloured edges for known
// cells (no-path cells say so), the compact notation in the trials table,
// the best-cell card, the selected-vs-best pair, the chart tooltip, and PNG
// and SVG export.

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include "cell/best_cell_card.h"
#include "cell/cell_tooltip.h"
#include "cell/cell_view.h"
#include "helpers/cell_format.h"
#include "models/trial_filter_model.h"
#include "models/trial_table_model.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

// The benchmark's example cell: conv3x3 | conv3x3 avgpool | skip conv3x3 skip.
constexpr const char* kExample =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
    "skip_connect~2|";
// Only 3←1 and 3←2 carry anything, but nodes 1 and 2 get no input: no path.
constexpr const char* kNoPath = "|none~0|+|none~0|none~1|+|none~0|skip_connect~1|nor_conv_1x1~2|";

Trial cellTrial(int number, const char* cell, double value) {
    Trial trial;
    trial.number = number;
    trial.state = TrialState::Complete;
    trial.value = value;
    trial.params["cell"] = std::string(cell);
    trial.attrs["test_acc"] = 93.25;
    trial.attrs["params"] = 1.5;
    trial.attrs["gp_theta"] = Json::array({1, 2});
    return trial;
}

// Pixels of `color` (within a small tolerance) in `image`.
int countColor(const QImage& image, const QColor& color) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            if (std::abs(pixel.red() - color.red()) < 12 &&
                std::abs(pixel.green() - color.green()) < 12 &&
                std::abs(pixel.blue() - color.blue()) < 12)
                ++count;
        }
    return count;
}

}  // namespace

class CellViewTest : public QObject {
    Q_OBJECT

  private slots:
    void layoutHasFourNodesAndSixLabelledEdges_data() {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QStringList>("labels");  // in edge order 1←0, 2←0, 2←1, 3←0, 3←1, 3←2
        QTest::addColumn<bool>("path");
        QTest::newRow("example") << QString(kExample)
                                 << QStringList{"conv3x3", "conv3x3", "avgpool",
                                                "skip",    "conv3x3", "skip"}
                                 << true;
        QTest::newRow("no path") << QString(kNoPath)
                                 << QStringList{"none", "none", "none", "none", "skip", "conv1x1"}
                                 << false;
        QTest::newRow("all none") << QString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
                                  << QStringList{"none", "none", "none", "none", "none", "none"}
                                  << false;
        QTest::newRow("only the long edge")
            << QString("|none~0|+|none~0|none~1|+|nor_conv_1x1~0|none~1|none~2|")
            << QStringList{"none", "none", "none", "conv1x1", "none", "none"} << true;
    }
    void layoutHasFourNodesAndSixLabelledEdges() {
        QFETCH(QString, cell);
        QFETCH(QStringList, labels);
        QFETCH(bool, path);
        CellView view;
        view.resize(420, 240);
        view.setCellString(cell);
        QVERIFY(view.cell().has_value());
        const CellDrawing drawing = view.drawing();
        QCOMPARE(drawing.nodes.size(), std::size_t{4});
        QCOMPARE(drawing.edges.size(), std::size_t{6});
        QStringList nodeLabels, drawn;
        for (const auto& node : drawing.nodes)
            nodeLabels << node.label;
        QCOMPARE(nodeLabels, (QStringList{"0", "1", "2", "3"}));
        QCOMPARE(drawing.nodes.front().caption, QString("input"));
        QCOMPARE(drawing.nodes.back().caption, QString("output"));
        for (const auto& edge : drawing.edges) {
            drawn << edge.label;
            QCOMPARE(edge.dashed, edge.label == "none");
            QCOMPARE(edge.color, cellFormat::operationColor(edge.op));
            // Each edge runs from its source node's centre to its target's.
            const QPointF from = drawing.nodes[Nb201Cell::edgeSource(edge.edge)].centre;
            const QPointF to = drawing.nodes[Nb201Cell::edgeTarget(edge.edge)].centre;
            QCOMPARE(edge.path.pointAtPercent(0), from);
            QCOMPARE(edge.path.pointAtPercent(1), to);
            QVERIFY(view.rect().contains(edge.labelCentre.toPoint()));
        }
        QCOMPARE(drawn, labels);
        QCOMPARE(drawing.message.isEmpty(), path);
        if (!path) {
            QCOMPARE(drawing.message,
                     QString("No input→output path: this cell's output is constant."));
            // A side card too narrow for the sentence says its point whole.
            const CellDrawing narrow = layoutCell(*view.cell(), QRectF(0, 0, 200, 240), false);
            QCOMPARE(narrow.message, QString("No input→output path"));
        }
        // No two labels overlap: each edge's label has a place of its own.
        for (std::size_t a = 0; a < drawing.edges.size(); ++a)
            for (std::size_t b = a + 1; b < drawing.edges.size(); ++b)
                QVERIFY(
                    QLineF(drawing.edges[a].labelCentre, drawing.edges[b].labelCentre).length() >
                    20);
    }

    // "input" and "output" are written where no edge runs (the 3←1 arch
    // used to cross "output"), inside the view, at every size the studio
    // gives a cell: a narrow side card, a table tooltip, the wide card.
    void captionsStayClearOfTheEdges_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("narrow card") << QSize(230, 320);
        QTest::newRow("tooltip") << QSize(420, 240);
        QTest::newRow("wide card") << QSize(600, 260);
        QTest::newRow("1920x1080 card") << QSize(370, 720);
    }
    void captionsStayClearOfTheEdges() {
        QFETCH(QSize, size);
        CellView view;
        view.resize(size);
        view.setCellString(kExample);
        const CellDrawing drawing = view.drawing();
        for (const auto& node : drawing.nodes) {
            if (node.caption.isEmpty()) {
                QVERIFY(node.captionBox.isNull());
                continue;
            }
            QVERIFY(QRectF(view.rect()).contains(node.captionBox));
            // Half an edge's pen width around the text stays clear too.
            const QRectF clear = node.captionBox.adjusted(-1.3, -1.3, 1.3, 1.3);
            for (const auto& edge : drawing.edges)
                for (int step = 0; step <= 400; ++step)
                    QVERIFY2(!clear.contains(edge.path.pointAtPercent(step / 400.0)),
                             qPrintable(node.caption + " is crossed by edge " +
                                        QString::number(edge.edge)));
        }
    }

    // A narrow side card (the Live tab's best cell at 1024x700) wraps its
    // legend onto a second row instead of cutting the last names off; the
    // graph stays above it.
    void legendWrapsInANarrowView() {
        const QString cell = QStringLiteral(
            "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~"
            "2|");
        CellView wide, narrow;
        wide.resize(600, 260);
        narrow.resize(230, 320);
        wide.setCellString(cell);
        narrow.setCellString(cell);
        const QRectF oneRow = wide.drawing().legend, wrapped = narrow.drawing().legend;
        QVERIFY(!oneRow.isEmpty());
        QVERIFY(wrapped.height() > 1.5 * oneRow.height());
        QVERIFY(wrapped.bottom() <= narrow.height());
        for (const auto& node : narrow.drawing().nodes)
            QVERIFY(node.centre.y() + node.radius < wrapped.top());
        // Every operation's entry lies inside the legend, none cut at the edge.
        QCOMPARE(narrow.drawing().legendEntries.size(), std::size_t(Nb201Cell::kOperations));
        for (const QRectF& entry : narrow.drawing().legendEntries)
            QVERIFY(wrapped.adjusted(-0.5, -0.5, 0.5, 0.5).contains(entry));
    }

    // Painted, the colours of the operations used appear; those unused don't.
    void paintingShowsTheOperationColours() {
        CellView view;
        view.resize(420, 240);
        view.setLegendVisible(false);
        view.setCellString(kExample);
        const QImage image = view.grab().toImage();
        QVERIFY(countColor(image, cellFormat::operationColor(3)) > 100);  // conv3x3 ×3
        QVERIFY(countColor(image, cellFormat::operationColor(1)) > 40);   // skip ×2
        QVERIFY(countColor(image, cellFormat::operationColor(4)) > 20);   // avgpool
        QCOMPARE(countColor(image, cellFormat::operationColor(2)), 0);    // no conv1x1
        view.setLegendVisible(true);
        QVERIFY(countColor(view.grab().toImage(), cellFormat::operationColor(2)) > 10);
    }

    void aStringThatIsNoCellSaysWhy() {
        CellView view;
        view.setCellString("|conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        QVERIFY(!view.cell());
        QVERIFY(view.drawing().edges.empty());
        view.resize(300, 200);
        QVERIFY(!view.grab().isNull());
    }

    void savesAsPngAndSvg() {
        QTemporaryDir dir;
        CellView view;
        view.resize(360, 210);
        view.setTitle("Trial 3");
        view.setCellString(kExample);
        const QString png = dir.filePath("cell.png"), svg = dir.filePath("cell.svg");
        QCOMPARE(view.saveImage(png), QString());
        // PNGs are written at twice the widget's size (saveWidgetImage).
        QCOMPARE(QImage(png).size(), QSize(720, 420));
        QCOMPARE(view.saveImage(svg), QString());
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("conv3x3"));
        QVERIFY(!view.saveImage(dir.filePath("cell.bmp")).isEmpty());
    }

    void compactNotationHasOneCodePerEdge() {
        const Nb201Cell cell = Nb201Cell::parse(kExample);
        QCOMPARE(cellFormat::compact(cell), QString("3|3p|s3s"));
        QCOMPARE(cellFormat::compact(Nb201Cell::parse(kNoPath)), QString("-|--|-s1"));
        QCOMPARE(cellFormat::edgeName(0), QString("1←0"));
        QCOMPARE(cellFormat::edgeName(5), QString("3←2"));
    }

    // The table shows the code, the tooltip and a copy the whole string; edge
    // columns give each edge's operation.
    void trialsTableShowsCellsCompactly() {
        TrialTableModel model;
        model.setCellParams({"cell"});
        model.setTrials({"cell", "lr"}, {cellTrial(0, kExample, 0.5), cellTrial(1, kNoPath, 0.1)});
        const int cellColumn = TrialTableModel::FirstParamColumn;
        QCOMPARE(model.columnCount(), TrialTableModel::FirstParamColumn + 3);
        QCOMPARE(model.index(0, cellColumn).data().toString(), QString("3|3p|s3s"));
        QCOMPARE(model.index(0, cellColumn).data(TrialTableModel::CopyRole).toString(),
                 QString(kExample));
        QVERIFY(model.index(0, cellColumn).data(Qt::ToolTipRole).toString().startsWith(kExample));
        QVERIFY(model.headerData(cellColumn, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains("3 = nor_conv_3x3"));
        model.setEdgeColumns(true);
        QCOMPARE(model.columnCount(), TrialTableModel::FirstParamColumn + 9);
        QCOMPARE(model.headerData(cellColumn + 1, Qt::Horizontal).toString(), QString("1←0"));
        QCOMPARE(model.headerData(cellColumn + 6, Qt::Horizontal).toString(), QString("3←2"));
        QCOMPARE(model.headerData(cellColumn + 7, Qt::Horizontal).toString(), QString("lr"));
        QCOMPARE(model.index(0, cellColumn + 2).data().toString(), QString("conv3x3"));
        QCOMPARE(model.index(0, cellColumn + 3).data(TrialTableModel::CopyRole).toString(),
                 QString("avg_pool_3x3"));
        QCOMPARE(model.index(1, cellColumn + 1).data().toString(), QString("none"));
        // The text filter finds a cell by its code or by its full string.
        TrialFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.setTextFilter("avg_pool_3x3~1");
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setTextFilter("-|--|-s1");
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toInt(), 1);
        // As copied from the best-cell card, which keeps the code in one
        // piece with invisible word joiners.
        proxy.setTextFilter(
            QString("-|--|-s1").split(QString(), Qt::SkipEmptyParts).join(QChar(0x2060)));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toInt(), 1);
        // Without cell parameters the model shows values as they are.
        TrialTableModel plain;
        plain.setTrials({"cell"}, {cellTrial(0, kExample, 0.5)});
        QCOMPARE(plain.index(0, cellColumn).data().toString(), QString(kExample));
    }

    void bestCardShowsCellValueNumberAndReports() {
        BestCellCard card;
        card.resize(320, 300);
        QVERIFY(!card.cellView()->cell());
        card.showBest(cellTrial(7, kExample, 84.5), "cell");
        QCOMPARE(card.shownTrial(), 7);
        QCOMPARE(*card.cellView()->cell(), Nb201Cell::parse(kExample));
        const QString text = card.detailsText();
        QVERIFY(text.contains("84.5"));
        QVERIFY(text.contains("trial 7"));
        // The cell's code, kept in one piece when the label wraps: word
        // joiners between its characters (a '|' was a line break before).
        const QString joined =
            QString("3|3p|s3s").split(QString(), Qt::SkipEmptyParts).join(QChar(0x2060));
        QVERIFY2(text.contains("<tt>" + joined + "</tt>"), qPrintable(text));
        QVERIFY(text.contains("test_acc <b>93.25</b>"));
        QVERIFY(text.contains("params <b>1.5</b>"));
        QVERIFY(!text.contains("gp_theta"));
        // Big counts read at a glance, not as 3.11751e+06.
        Trial big = cellTrial(8, kExample, 85.0);
        big.attrs["flops"] = 3117510.0;
        big.attrs["macs"] = 2.5e9;
        big.attrs["latency_ms"] = -1234567.0;
        card.showBest(big, "cell");
        QVERIFY2(card.detailsText().contains("flops <b>3.118 M</b>"),
                 qPrintable(card.detailsText()));
        QVERIFY(card.detailsText().contains("macs <b>2.5 G</b>"));
        QVERIFY(card.detailsText().contains("latency_ms <b>-1.235 M</b>"));
        QVERIFY(card.detailsText().contains("params <b>1.5</b>"));
        // Every strategy's bookkeeping stays out, evolution's too.
        big.attrs["generation"] = 3;
        big.attrs["parent"] = 2;
        card.showBest(big, "cell");
        QVERIFY2(
            !card.detailsText().contains("generation") && !card.detailsText().contains("parent"),
            qPrintable(card.detailsText()));
        card.showBest(std::nullopt, "cell");
        QCOMPARE(card.shownTrial(), -1);
        QVERIFY(!card.cellView()->cell());
    }

    // In a hardware-aware study "best" is the first objective's best: the
    // heading says by which, and the details name every objective's value
    // (a latency objective that is also reported is not listed twice).
    void bestCardOfSeveralObjectivesNamesThem() {
        BestCellCard card;
        card.resize(320, 300);
        Trial trial = cellTrial(49, kExample, 82.996);
        trial.values = {82.996, 7.09076};
        trial.attrs["lat_pixel3_ms"] = 7.09076;
        card.showBest(trial, "cell", {"accuracy", "lat_pixel3_ms"});
        QCOMPARE(card.headingText(), QString("<b>Best cell so far</b> by accuracy"));
        const QString text = card.detailsText();
        QVERIFY2(
            text.startsWith("accuracy <b>82.996</b> · lat_pixel3_ms <b>7.09076</b> · trial 49"),
            qPrintable(text));
        QCOMPARE(text.count("lat_pixel3_ms"), 1);
        QVERIFY(text.contains("test_acc <b>93.25</b>"));
        // The same trial in a one-objective study: a plain heading and "value".
        card.showBest(trial, "cell");
        QCOMPARE(card.headingText(), QString("<b>Best cell so far</b>"));
        QVERIFY2(card.detailsText().startsWith("value <b>82.996</b> · trial 49"),
                 qPrintable(card.detailsText()));
    }

    void pairShowsSelectedBesideBest() {
        CellPair pair;
        pair.resize(700, 220);
        pair.show();
        const Trial selected = cellTrial(2, kNoPath, 0.1), best = cellTrial(5, kExample, 0.9);
        pair.showTrials(&selected, &best, "cell");
        QCOMPARE(*pair.selectedView()->cell(), Nb201Cell::parse(kNoPath));
        QCOMPARE(*pair.bestView()->cell(), Nb201Cell::parse(kExample));
        QVERIFY(pair.bestView()->isVisible());
        QVERIFY(pair.bestView()->title().startsWith("Best, trial 5"));
        pair.showTrials(&best, &best, "cell");
        QVERIFY(!pair.bestView()->isVisible());
        QVERIFY(pair.selectedView()->title().endsWith("(the best)"));
    }

    void chartTooltipDrawsTheCell() {
        QWidget owner;
        Trial plain;
        plain.number = 1;
        plain.params["x"] = 0.5;
        QVERIFY(!showCellTooltip(QPoint(10, 10), plain, "summary", &owner));
        QVERIFY(!cellTooltipWindow());
        QVERIFY(
            showCellTooltip(QPoint(10, 10), cellTrial(4, kExample, 0.3), "the summary", &owner));
        QWidget* window = cellTooltipWindow();
        QVERIFY(window);
        auto* view = window->findChild<CellView*>();
        QVERIFY(view);
        QCOMPARE(*view->cell(), Nb201Cell::parse(kExample));
        QVERIFY(view->title().contains("Trial 4"));
        const QList<QLabel*> labels = window->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel* label) {
            return label->text() == QStringLiteral("the summary");
        }));
        hideCellTooltip();
        QVERIFY(!cellTooltipWindow());
    }
};

QTEST_MAIN(CellViewTest)
#include "tst_cell_view.moc"
