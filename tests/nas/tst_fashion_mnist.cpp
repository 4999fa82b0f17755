#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>

#include "nas/fashion_mnist_data.h"
#include "nas/fashion_mnist_objective.h"
#include "nas/nb201_trainer.h"

using namespace bonsai;

namespace {

const char* kDefaultCell =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|"
    "skip_connect~2|";

// Records everything a trial does; stops or prunes on demand.
class FakeContext : public TrialContext {
  public:
    int trialNumber() const override { return number; }
    void report(std::int64_t step, double value) override { reports.emplace_back(step, value); }
    bool shouldPrune() override {
        return pruneAfterReports > 0 && int(reports.size()) >= pruneAfterReports;
    }
    bool stopRequested() const override {
        return stopAfterChecks >= 0 && ++checks > stopAfterChecks;
    }
    void setAttribute(const std::string& key, const Json& value) override {
        attributes[key] = value;
    }

    int number = 0;
    int pruneAfterReports = 0;  // 0: never
    int stopAfterChecks = -1;   // -1: never
    mutable int checks = 0;
    std::vector<std::pair<std::int64_t, double>> reports;
    std::map<std::string, Json> attributes;
};

void writeGz(const QString& path, const std::vector<unsigned char>& bytes) {
    gzFile file = gzopen(path.toLocal8Bit().constData(), "wb");
    QVERIFY(file);
    if (!bytes.empty())
        QCOMPARE(gzwrite(file, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(file);
}

std::vector<unsigned char> idxBytes(const std::vector<std::uint32_t>& dims,
                                    const std::vector<unsigned char>& values,
                                    unsigned char type = 0x08) {
    std::vector<unsigned char> out = {0, 0, type, static_cast<unsigned char>(dims.size())};
    for (std::uint32_t d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back((d >> shift) & 0xff);
    out.insert(out.end(), values.begin(), values.end());
    return out;
}

// A learnable stand-in for Fashion-MNIST: class k is a bright 6x6 block at one
// of ten positions over faint noise.
void writeSyntheticSet(const QString& dir, const QString& prefix, int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<unsigned char> images(std::size_t(count) * 784);
    std::vector<unsigned char> labels(count);
    for (int i = 0; i < count; ++i) {
        int label = int(rng() % 10);
        labels[i] = static_cast<unsigned char>(label);
        unsigned char* image = images.data() + std::size_t(i) * 784;
        for (int p = 0; p < 784; ++p)
            image[p] = static_cast<unsigned char>(rng() % 40);
        int row = 2 + (label / 5) * 14, col = 1 + (label % 5) * 5;
        for (int r = row; r < row + 6; ++r)
            for (int c = col; c < col + 5; ++c)
                image[r * 28 + c] = 230;
    }
    writeGz(dir + "/" + prefix + "-images-idx3-ubyte.gz",
            idxBytes({std::uint32_t(count), 28, 28}, images));
    writeGz(dir + "/" + prefix + "-labels-idx1-ubyte.gz", idxBytes({std::uint32_t(count)}, labels));
}

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::exception& error) {
        return error.what();
    }
    return "";
}

}  // namespace

class TestFashionMnist : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir m_dir;
    QString m_synthetic;

    FashionMnistSettings syntheticSettings() const {
        FashionMnistSettings s;
        s.dataDir = m_synthetic.toStdString();
        s.trainSize = 256;
        s.validSize = 128;
        s.testSize = 100;
        s.epochs = 1;
        s.batchSize = 32;
        s.channels = 4;
        // OpenMP barriers crawl when another process holds the second core.
        s.threads = 1;
        return s;
    }

    bool realDataAvailable() const {
        return std::filesystem::exists(std::string(kDefaultFashionMnistDir) +
                                       "/train-images-idx3-ubyte.gz");
    }

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_synthetic = m_dir.filePath("synthetic");
        QVERIFY(QDir().mkpath(m_synthetic));
        writeSyntheticSet(m_synthetic, "train", 600, 1);
        writeSyntheticSet(m_synthetic, "t10k", 200, 2);
    }

    void idxReaderReadsGeneratedFiles() {
        std::vector<unsigned char> values(2 * 3 * 4);
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<unsigned char>(i * 7);
        QString path = m_dir.filePath("ok.gz");
        writeGz(path, idxBytes({2, 3, 4}, values));
        IdxArray array = readIdxGz(path.toStdString(), 3);
        QCOMPARE(array.dims, (std::vector<std::uint32_t>{2, 3, 4}));
        QCOMPARE(array.values, values);
    }

    void idxReaderRejectsBrokenFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("rank");
        QTest::addColumn<QString>("expected");
        auto bytes = [](const std::vector<unsigned char>& v) {
            return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
        };
        QTest::newRow("bad type") << bytes(idxBytes({4}, {1, 2, 3, 4}, 0x09)) << 1
                                  << "bad IDX magic number 0x00000901";
        QTest::newRow("wrong rank") << bytes(idxBytes({4}, {1, 2, 3, 4})) << 3
                                    << "bad IDX magic number 0x00000801 (expected 0x00000803";
        QTest::newRow("truncated values") << bytes(idxBytes({5}, {1, 2, 3})) << 1
                                          << "truncated IDX file (expected 5 values, found 3)";
        QTest::newRow("truncated header")
            << bytes({0, 0, 8, 3, 0, 0}) << 3 << "truncated IDX file (header ends early)";
        QTest::newRow("empty") << QByteArray() << 1 << "truncated IDX file (no header)";
        QTest::newRow("trailing data")
            << bytes(idxBytes({2}, {1, 2, 3})) << 1 << "unexpected data after the 2 values";
    }

    void idxReaderRejectsBrokenFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, rank);
        QFETCH(QString, expected);
        QString path = m_dir.filePath("broken.gz");
        writeGz(path, std::vector<unsigned char>(bytes.begin(), bytes.end()));
        std::string error = errorOf([&] { readIdxGz(path.toStdString(), rank); });
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.find(path.toStdString()) != std::string::npos, error.c_str());
    }

    void missingDataDirNamesThePackage() {
        std::string dir = m_dir.filePath("nowhere").toStdString();
        std::string error = errorOf([&] { loadFashionMnist(dir); });
        QVERIFY2(error.find(dir + "/train-images-idx3-ubyte.gz") != std::string::npos,
                 error.c_str());
        QVERIFY2(error.find("install the Debian package dataset-fashion-mnist "
                            "(apt-get install dataset-fashion-mnist) or set objective.data_dir") !=
                     std::string::npos,
                 error.c_str());

        FashionMnistSettings settings = syntheticSettings();
        settings.dataDir = dir;
        FashionMnistObjective objective(settings, "");
        FakeContext context;
        error = errorOf([&] { objective.evaluate({}, context); });
        QVERIFY2(error.find("dataset-fashion-mnist") != std::string::npos, error.c_str());
    }

    void loadsAndSplitsSyntheticSet() {
        auto data = loadFashionMnist(m_synthetic.toStdString());
        QCOMPARE(data->trainCount(), 600);
        QCOMPARE(data->testCount(), 200);
        QCOMPARE(loadFashionMnist(m_synthetic.toStdString()).get(), data.get());  // cached

        auto split = splitFashionMnist(data, 300, 200, 50, 7);
        QCOMPARE(split.trainIndex.size(), std::size_t(300));
        QCOMPARE(split.validIndex.size(), std::size_t(200));
        std::set<std::int64_t> seen(split.trainIndex.begin(), split.trainIndex.end());
        seen.insert(split.validIndex.begin(), split.validIndex.end());
        QCOMPARE(seen.size(), std::size_t(500));  // disjoint
        QCOMPARE(splitFashionMnist(data, 300, 200, 50, 7).validIndex, split.validIndex);
        QVERIFY(splitFashionMnist(data, 300, 200, 50, 8).validIndex != split.validIndex);

        std::string error = errorOf([&] { splitFashionMnist(data, 500, 200, 0, 0); });
        QVERIFY2(error.find("exceeds the 600 training images") != std::string::npos, error.c_str());
    }

    void parsesCellStrings() {
        QCOMPARE(cellOpsFromString(kDefaultCell), (std::array<int, 6>{3, 3, 4, 1, 3, 1}));
        QCOMPARE(cellOpsFromString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
                 (std::array<int, 6>{}));
        std::string error = errorOf(
            [] { cellOpsFromString("|none~0|+|none~0|none~1|+|conv_5x5~0|none~1|none~2|"); });
        QVERIFY2(
            error.find("edge 3 (node 3 <- 0): unknown operation 'conv_5x5'") != std::string::npos,
            error.c_str());
        QVERIFY(!errorOf([] {
                     cellOpsFromString("|none~0|+|none~1|none~1|+|none~0|none~1|none~2|");
                 }).empty());
        QVERIFY(!errorOf([] { cellOpsFromString("|none~0|+|none~0|none~1|"); }).empty());
        QVERIFY(!errorOf([] {
                     cellOpsFromString("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|x");
                 }).empty());
    }

    void networkOutputShape_data() {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("cells");
        QTest::newRow("default") << kDefaultCell << 8 << 1;
        QTest::newRow("all conv, N=2") << "|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|nor_"
                                          "conv_1x1~0|nor_conv_3x3~1|nor_conv_1x1~2|"
                                       << 4 << 2;
        QTest::newRow("all none") << "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|" << 4 << 1;
        QTest::newRow("no path to output")
            << "|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|none~1|none~2|" << 4 << 1;
        QTest::newRow("conv from a zero node")
            << "|none~0|+|none~0|none~1|+|none~0|nor_conv_3x3~1|none~2|" << 4 << 1;
        QTest::newRow("pool and skip only") << "|avg_pool_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|"
                                               "none~0|skip_connect~1|avg_pool_3x3~2|"
                                            << 4 << 1;
    }

    void networkOutputShape() {
        QFETCH(QString, cell);
        QFETCH(int, channels);
        QFETCH(int, cells);
        Nb201Config config;
        config.ops = cellOpsFromString(cell.toStdString());
        config.channels = channels;
        config.cellsPerStage = cells;
        NetworkProbe probe = probeNb201Network(config, 3, 1);
        QCOMPARE(probe.outputShape, (std::vector<std::int64_t>{3, 10}));
        QVERIFY(probe.finite);
        QVERIFY(probe.parameterCount > 0);
    }

    // C=4, N=1, cell: conv3x3 on (1<-0), skip on (3<-0), conv1x1 on (3<-2).
    void parameterAndMacCountsMatchHandComputation() {
        Nb201Config config;
        config.ops = cellOpsFromString(
            "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|");
        config.channels = 4;
        config.cellsPerStage = 1;
        // conv k x k from a to b without bias, plus BN(b) = 2b.
        auto convBn = [](int a, int b, int k) { return a * b * k * k + 2 * b; };
        auto cell = [&](int c) { return convBn(c, c, 3) + convBn(c, c, 1); };
        auto reduction = [&](int a, int b) { return convBn(a, b, 3) + convBn(b, b, 3) + a * b; };
        int expected = (1 * 4 * 9 + 8)  // stem conv + BN
                       + cell(4) + reduction(4, 8) + cell(8) + reduction(8, 16) + cell(16) +
                       2 * 16           // last BN
                       + 16 * 10 + 10;  // classifier
        QCOMPARE(expected, 8294);
        QCOMPARE(probeNb201Network(config, 1, 0).parameterCount, std::int64_t(expected));

        std::int64_t macs = 28 * 28 * 4 * 9                                // stem
                            + 28 * 28 * (4 * 4 * 9 + 4 * 4)                // cell at C
                            + 14 * 14 * (8 * 4 * 9 + 8 * 8 * 9 + 8 * 4)    // reduction
                            + 14 * 14 * (8 * 8 * 9 + 8 * 8)                // cell at 2C
                            + 7 * 7 * (16 * 8 * 9 + 16 * 16 * 9 + 16 * 8)  // reduction
                            + 7 * 7 * (16 * 16 * 9 + 16 * 16)              // cell at 4C
                            + 16 * 10 + 10;                                // classifier
        QCOMPARE(nb201Macs(config), macs);
    }

    void settingsAreValidated() {
        Json spec = {{"kind", "fashion-mnist"}, {"epochs", 2}, {"channels", 16}, {"lr", 0.1}};
        JsonReader reader(spec, "objective");
        FashionMnistSettings s = FashionMnistSettings::fromJson(reader);
        QCOMPARE(s.epochs, std::int64_t(2));
        QCOMPARE(s.channels, std::int64_t(16));
        QCOMPARE(s.lr, 0.1);

        auto errorFor = [](const Json& json) {
            return errorOf([&] {
                JsonReader r(json, "objective");
                FashionMnistSettings::fromJson(r);
            });
        };
        QCOMPARE(errorFor({{"kind", "fashion-mnist"}, {"epoch", 2}}),
                 std::string("objective.epoch: unknown key; did you mean 'epochs'?"));
        QCOMPARE(errorFor({{"batch_size", 0}}),
                 std::string("objective.batch_size: must be at least 1 (got 0)"));
        QCOMPARE(errorFor({{"momentum", 1.0}}),
                 std::string("objective.momentum: must be in [0, 1)"));
        QVERIFY(errorFor({{"cell", "|bogus~0|"}}).find("objective.cell: nb201 cell") == 0);
        QVERIFY(
            errorFor({{"train_size", 59000}, {"valid_size", 2000}}).find("objective.valid_size") ==
            0);

        // A space parameter the training does not read would be searched for
        // nothing: refused, naming it and the names it reads.
        auto spaceError = [](const char* space) {
            return errorOf([&] {
                Json settings = Json::object();
                JsonReader reader(settings, "objective");
                makeFashionMnistObjective(reader, SearchSpace::fromJson(Json::parse(space)));
            });
        };
        const std::string typo = spaceError(
            R"([{"name": "cell", "type": "nb201-cell"},
                {"name": "lrr", "type": "float", "low": 0.01, "high": 0.3, "log": true}])");
        QVERIFY2(typo.find("space[1]: fashion-mnist reads no parameter named 'lrr', so searching "
                           "it would change nothing; did you mean 'lr'? (it reads the space's "
                           "first nb201-cell parameter and lr, momentum,") == 0,
                 typo.c_str());
        QVERIFY(spaceError(R"([{"name": "dropout", "type": "float", "low": 0, "high": 0.5}])")
                    .find("space[0]: fashion-mnist reads no parameter named 'dropout', so "
                          "searching it would change nothing; remove it") == 0);
        QVERIFY(spaceError(R"([{"name": "a", "type": "nb201-cell"},
                               {"name": "b", "type": "nb201-cell"}])")
                    .find("space[1]: fashion-mnist reads no parameter named 'b'") == 0);
        Json none = Json::object();
        JsonReader noneReader(none, "objective");
        QCOMPARE(static_cast<FashionMnistObjective&>(
                     *makeFashionMnistObjective(noneReader,
                                                SearchSpace::fromJson(Json::parse(
                                                    R"([{"name": "arch", "type": "nb201-cell"},
                                 {"name": "lr", "type": "float", "low": 0.01, "high": 0.3},
                                 {"name": "cells_per_stage", "type": "int", "low": 1, "high": 3}])"))))
                     .cellParam(),
                 std::string("arch"));

        // An empty space: the settings' cell is used.
        Json empty = Json::object();
        JsonReader emptyReader(empty, "objective");
        auto objective = makeFashionMnistObjective(emptyReader, SearchSpace());
        QVERIFY(!objective->threadSafe());
        QCOMPARE(static_cast<FashionMnistObjective&>(*objective).cellParam(), std::string());
    }

    void trainsOnSyntheticDataAndSetsAttributes() {
        // Enough steps for BN's running statistics (used in evaluation) to settle.
        FashionMnistSettings settings = syntheticSettings();
        settings.trainSize = 400;
        settings.batchSize = 16;
        settings.epochs = 2;
        FashionMnistObjective objective(settings, "arch");
        FakeContext context;
        const char* cell =
            "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|";
        ParamMap params = {{"arch", std::string(cell)}, {"lr", 0.1}, {"channels", std::int64_t(4)}};
        double value = objective.evaluate(params, context);

        QCOMPARE(context.reports.size(), std::size_t(2));
        QCOMPARE(context.reports[0].first, std::int64_t(1));
        QCOMPARE(context.reports[1].first, std::int64_t(2));
        QCOMPARE(context.reports.back().second, value);
        QVERIFY2(value > 30.0, qPrintable(QString::number(value)));  // chance is 10%
        for (const char* key : {"test_acc", "params", "flops", "latency_ms", "train_seconds"})
            QVERIFY2(context.attributes.count(key), key);
        QCOMPARE(context.attributes["params"].get<std::int64_t>(), std::int64_t(8294));
        QVERIFY(context.attributes["latency_ms"].get<double>() > 0.0);
        QVERIFY(context.attributes["train_seconds"].get<double>() > 0.0);
        double test = context.attributes["test_acc"].get<double>();
        QVERIFY(test >= 0.0 && test <= 100.0);
    }

    void noPathCellTrainsToChance() {
        FashionMnistObjective objective(syntheticSettings(), "cell");
        FakeContext context;
        double value = objective.evaluate(
            {{"cell", std::string("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")}}, context);
        QVERIFY(std::isfinite(value));
        QVERIFY(value >= 0.0 && value <= 40.0);
        QCOMPARE(context.reports.size(), std::size_t(1));
    }

    void sameSeedSameResult_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("2 threads") << 2;
    }

    void sameSeedSameResult() {
        QFETCH(int, threads);
        FashionMnistSettings settings = syntheticSettings();
        settings.threads = threads;
        FashionMnistObjective objective(settings, "");
        FakeContext a, b, c;
        c.number = 1;
        double first = objective.evaluate({}, a);
        double second = objective.evaluate({}, b);
        QCOMPARE(first, second);
        QCOMPARE(a.attributes["test_acc"], b.attributes["test_acc"]);
        objective.evaluate({}, c);  // another trial: another seed, still valid
        QCOMPARE(c.reports.size(), std::size_t(1));
    }

    void stopRequestInterrupts() {
        FashionMnistObjective objective(syntheticSettings(), "");
        FakeContext context;
        context.stopAfterChecks = 2;
        QVERIFY_THROWS_EXCEPTION(TrialInterrupted, objective.evaluate({}, context));
        QVERIFY(context.reports.empty());
    }

    void prunerStopsAfterReport() {
        FashionMnistSettings settings = syntheticSettings();
        settings.epochs = 3;
        FashionMnistObjective objective(settings, "");
        FakeContext context;
        context.pruneAfterReports = 1;
        QVERIFY_THROWS_EXCEPTION(TrialPruned, objective.evaluate({}, context));
        QCOMPARE(context.reports.size(), std::size_t(1));
    }

    void divergenceFailsTheTrial() {
        FashionMnistObjective objective(syntheticSettings(), "");
        FakeContext context;
        std::string error = errorOf([&] { objective.evaluate({{"lr", 1e6}}, context); });
        QVERIFY2(error.find("training diverged: loss is ") == 0, error.c_str());
        QVERIFY2(error.find(" at epoch 1 batch ") != std::string::npos, error.c_str());
    }

    void badParamsFailWithReason() {
        FashionMnistObjective objective(syntheticSettings(), "cell");
        FakeContext context;
        QVERIFY(errorOf([&] {
                    objective.evaluate({{"batch_size", 0.5}}, context);
                }).find("batch_size") != std::string::npos);
        QVERIFY(errorOf([&] {
                    objective.evaluate({{"cell", std::string("nope")}}, context);
                }).find("nb201 cell 'nope'") == 0);
        QVERIFY(errorOf([&] {
                    objective.evaluate({{"lr", -1.0}}, context);
                }).find("lr must be > 0") == 0);
    }

    void trainsOnFashionMnist() {
        if (!realDataAvailable())
            QSKIP("Fashion-MNIST not installed: apt-get install dataset-fashion-mnist");
        FashionMnistSettings settings;
        settings.trainSize = 256;
        settings.validSize = 256;
        settings.testSize = 256;
        settings.epochs = 1;
        settings.channels = 4;
        settings.batchSize = 32;
        settings.threads = 1;
        FashionMnistObjective objective(settings, "");
        FakeContext context;
        double value = objective.evaluate({}, context);
        QCOMPARE(context.reports.size(), std::size_t(1));
        // Eight steps teach little; this checks the plumbing on the real files.
        QVERIFY2(value >= 0.0 && value <= 100.0, qPrintable(QString::number(value)));
        QVERIFY(context.attributes.count("test_acc"));
    }
};

QTEST_GUILESS_MAIN(TestFashionMnist)
#include "tst_fashion_mnist.moc"
