// The line buffer both executors cut a command's stdout with: line ends of
// every kind, ends split between two reads, over-long lines dropped with a
// note in the tail, and the last line without an end.
#include <QtTest>

#include <string>
#include <vector>

#include "exec/line_buffer.h"

using namespace bonsai;

namespace {

using Lines = std::vector<std::string>;

// Feeds `chunks` one append each and returns every line, finished at the end.
Lines cut(const std::vector<std::string>& chunks, std::size_t maxLine = 1 << 20) {
    LineBuffer buffer(maxLine);
    Lines out;
    for (const std::string& chunk : chunks) {
        buffer.append(chunk);
        for (std::string& line : buffer.takeLines())
            out.push_back(std::move(line));
    }
    buffer.finish();
    for (std::string& line : buffer.takeLines())
        out.push_back(std::move(line));
    return out;
}

}  // namespace

class TestLineBuffer : public QObject {
    Q_OBJECT
  private slots:
    void lineEnds_data() {
        QTest::addColumn<QStringList>("chunks");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("newline") << QStringList{"a\nb\n"} << QStringList{"a", "b"};
        QTest::newRow("crlf") << QStringList{"a\r\nb\r\n"} << QStringList{"a", "b"};
        QTest::newRow("carriage return redraws")
            << QStringList{"10%\r20%\r100%\n"} << QStringList{"10%", "20%", "100%"};
        QTest::newRow("crlf split between reads")
            << QStringList{"a\r", "\nb\n"} << QStringList{"a", "b"};
        QTest::newRow("cr then text in next read")
            << QStringList{"a\r", "b\n"} << QStringList{"a", "b"};
        QTest::newRow("line split between reads")
            << QStringList{"{\"lo", "ss\": 1}\n"} << QStringList{"{\"loss\": 1}"};
        QTest::newRow("empty lines kept") << QStringList{"\n\na\n"} << QStringList{"", "", "a"};
        QTest::newRow("last line without end") << QStringList{"a\nb"} << QStringList{"a", "b"};
        QTest::newRow("nothing") << QStringList{""} << QStringList{};
    }

    void lineEnds() {
        QFETCH(QStringList, chunks);
        QFETCH(QStringList, lines);
        std::vector<std::string> in;
        for (const QString& chunk : chunks)
            in.push_back(chunk.toStdString());
        QStringList got;
        for (const std::string& line : cut(in))
            got << QString::fromStdString(line);
        QCOMPARE(got, lines);
    }

    void pendingUntilFinished() {
        LineBuffer buffer;
        buffer.append("done\npart");
        QVERIFY(buffer.hasLines());
        QVERIFY(buffer.hasPartial());
        QCOMPARE(buffer.takeLines(), Lines{"done"});
        QVERIFY(!buffer.hasLines());
        QVERIFY(buffer.hasPartial());
        buffer.finish();
        QVERIFY(!buffer.hasPartial());
        QCOMPARE(buffer.takeLines(), Lines{"part"});
        buffer.finish();  // nothing pending: no empty line appears
        QVERIFY(!buffer.hasLines());
    }

    void longLineDroppedWithNote() {
        LineBuffer buffer(4);
        buffer.append("abcdefgh");
        QVERIFY(buffer.hasPartial());
        buffer.append("ij\nok\n");
        QCOMPARE(buffer.takeLines(), (Lines{"abcd", "ok"}));
        const std::string& tail = buffer.tail();
        QVERIFY2(
            tail.find("dropped 6 bytes of a stdout line longer than 4 bytes") != std::string::npos,
            tail.c_str());
        // The kept bytes and the line ends are in the tail, in order.
        QVERIFY(tail.rfind("abcd", 0) == 0);
        QVERIFY(tail.size() >= 3 && tail.compare(tail.size() - 3, 3, "ok\n") == 0);
    }

    void droppingLineWithoutEndStillEnds() {
        LineBuffer buffer(2);
        buffer.append("xyz");
        QVERIFY(buffer.hasPartial());
        buffer.finish();
        QCOMPARE(buffer.takeLines(), Lines{"xy"});
        QVERIFY(buffer.tail().find("dropped 1 bytes") != std::string::npos);
    }

    void tailIsBounded() {
        LineBuffer buffer;
        const std::string line(1000, 'x');
        for (int i = 0; i < 100; ++i)
            buffer.append(line + "\n");
        QCOMPARE(buffer.tail().size(), kStreamTailBytes);
        QCOMPARE(buffer.takeLines().size(), std::size_t(100));
    }

    // A stream's tail is always its last kStreamTailBytes, whatever the
    // sizes of the pieces it arrived in (one byte, a line, more than a tail).
    void streamTailIsTheLastBytesOfTheStream() {
        StreamTail tail;
        std::string all;
        for (std::size_t piece : {1, 7, 300, 5000, 1, 9000, 20000, 2, 8192, 8191, 3}) {
            std::string bytes(piece, '\0');
            for (std::size_t i = 0; i < piece; ++i)
                bytes[i] = static_cast<char>('a' + (all.size() + i) % 26);
            tail.append(bytes);
            all += bytes;
            const std::size_t from =
                all.size() > kStreamTailBytes ? all.size() - kStreamTailBytes : 0;
            QCOMPARE(tail.text(), all.substr(from));
        }
    }
};

QTEST_APPLESS_MAIN(TestLineBuffer)
#include "tst_line_buffer.moc"
