// The Setup form's "Warm start from" picker (the open database's studies,
// several at once) and "Enqueue" table (one column per parameter), driven
// through the real widgets: what they write into the spec, the validator's
// errors marked on them, and the round trip through the JSON pane. A stored
// warm-started study shows where its priors came from.

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

#include "setup/enqueue_table.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "setup/spec_json_view.h"
#include "setup/warm_start_check.h"
#include "setup/warm_start_picker.h"
#include "storage/database.h"
#include "study/study.h"
#include "support/form_driver.h"
#include "ui/ui_test_support.h"

using namespace bonsai;
using namespace bonsai::ui;
using bonsai::test::field;

namespace {

// Toggles list row `row` the way a user does: select it, press Space.
void toggle(QListWidget* list, int row) {
    list->setCurrentRow(row);
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Space);
}

// Types `text` into table cell (row, column) through its editor.
void typeCell(QTableWidget* table, int row, int column, const QString& text) {
    // A closed editor lingers until its deferred deletion (and would be
    // reused for its cell): let the event loop delete it.
    QTest::qWait(20);
    const QList<QLineEdit*> before = table->viewport()->findChildren<QLineEdit*>();
    table->setCurrentCell(row, column);
    table->editItem(table->item(row, column));
    QLineEdit* editor = nullptr;
    for (QLineEdit* candidate : table->viewport()->findChildren<QLineEdit*>())
        if (!before.contains(candidate))
            editor = candidate;
    QVERIFY(editor);
    editor->setFocus();
    editor->clear();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits as the editor closes, once the event loop runs.
    QTest::qWait(20);
    QTRY_COMPARE(table->item(row, column)->text(), text);
}

// Creates the study of `spec` in `db` and runs its whole budget.
void runStudy(Database& db, const Json& spec) {
    const ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
    std::atomic<bool> stop{false};
    Study::create(db, parseStudySpec(spec, objectives), objectives).run(stop);
}

}  // namespace

class TestSetupWarmStart : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { qRegisterMetaType<Json>(); }

    void pickerOffersTheDatabasesStudiesAndWritesTheChecked() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(1200, 900);
        page.show();
        SetupForm* form = page.form();
        form->setTakenNames({QStringLiteral("old-a"), QStringLiteral("old-b")});
        auto* list = field<QListWidget>(form, "warm_start.studies");
        QCOMPARE(list->count(), 2);
        QVERIFY(!form->toJson().contains("warm_start"));

        toggle(list, 1);
        QVERIFY(form->toJson()["warm_start"] == (Json{{"studies", {"old-b"}}}));
        toggle(list, 0);
        QVERIFY(form->toJson()["warm_start"] == (Json{{"studies", {"old-b", "old-a"}}}));
        QVERIFY2(form->isValid(), qPrintable(form->error() ? form->error()->text() : QString()));
        toggle(list, 1);
        toggle(list, 0);
        QVERIFY(!form->toJson().contains("warm_start"));

        // Another file with no study checked: the validator's message, on the list.
        auto* database = field<QLineEdit>(form, "warm_start.database");
        database->setFocus();
        QTest::keyClicks(database, "other.db");
        QVERIFY(!form->isValid());
        QCOMPARE(QString::fromStdString(form->error()->path), QStringLiteral("warm_start.studies"));
        QVERIFY2(form->error()->text().startsWith(
                     "Warm start from, studies: must name at least one earlier study"),
                 qPrintable(form->error()->text()));
        QCOMPARE(form->widgetForPath(form->error()->path), list);
        QVERIFY(list->property("invalid").toBool());
        toggle(list, 0);
        QVERIFY(form->isValid());
        QVERIFY(form->toJson()["warm_start"] ==
                (Json{{"studies", {"old-a"}}, {"database", "other.db"}}));
    }

    // What only the database can tell (the picked study's parameters and
    // trials) is marked on the list while the form is edited, as Start
    // would refuse it, rather than in a dialog after Start.
    void aStudyThatCannotWarmStartThisOneIsMarkedBeforeStart() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        runStudy(db, test::fastSpec("old", 4));
        Json otherSpace = test::fastSpec("other-space", 3);
        otherSpace["objective"]["function"] = "rosenbrock";
        otherSpace["space"] = Json::parse(R"([{"name": "a", "type": "float", "low": -2, "high": 2},
                                               {"name": "b", "type": "float", "low": -2, "high": 2}])");
        runStudy(db, otherSpace);
        Study::create(db, parseStudySpec(test::fastSpec("not-run", 3), objectives), objectives);

        SetupPage page(objectives);
        page.resize(1200, 900);
        page.show();
        SetupForm* form = page.form();
        form->setDatabaseCheck(WarmStartCheck([&db] { return &db; }));
        form->setTakenNames({"old", "other-space", "not-run"});
        auto* list = field<QListWidget>(form, "warm_start.studies");
        toggle(list, 0);
        QVERIFY2(form->isValid(), qPrintable(form->error() ? form->error()->text() : QString()));

        toggle(list, 1);
        QVERIFY(!form->isValid());
        QCOMPARE(QString::fromStdString(form->error()->path),
                 QStringLiteral("warm_start.studies[1]"));
        QVERIFY2(form->error()->text().contains("study 'other-space' has no parameter 'x1'; give "
                                                "it a value in warm_start.defaults"),
                 qPrintable(form->error()->text()));
        QCOMPARE(form->widgetForPath(form->error()->path), list);
        QVERIFY(list->property("invalid").toBool());
        QVERIFY(!page.canStart());
        toggle(list, 1);
        QVERIFY(form->isValid());

        toggle(list, 2);
        QVERIFY2(form->error() && form->error()->text().contains(
                                      "study 'not-run' has no complete trial; finish some"),
                 qPrintable(form->error() ? form->error()->text() : QString()));
        // Once it has trials (the browser's refresh passes the names again),
        // the form is valid without an edit.
        std::atomic<bool> stop{false};
        Study::open(db, "not-run", objectives).run(stop);
        form->setTakenNames({"old", "other-space", "not-run"});
        QVERIFY2(form->isValid(), qPrintable(form->error() ? form->error()->text() : QString()));
        QVERIFY(page.canStart());
    }

    void enqueueTableTakesPointsAndMarksBadOnes() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(1200, 900);
        page.show();
        SetupForm* form = page.form();
        auto* table = field<QTableWidget>(form, "enqueue");
        QCOMPARE(form->enqueueTable()->columns(), (QStringList{"x1", "x2"}));
        QTest::mouseClick(field<QPushButton>(form, "enqueue.add"), Qt::LeftButton);
        QCOMPARE(table->rowCount(), 1);
        typeCell(table, 0, 0, QStringLiteral("11"));
        typeCell(table, 0, 1, QStringLiteral("3"));
        QVERIFY(!form->isValid());
        QCOMPARE(QString::fromStdString(form->error()->path), QStringLiteral("enqueue[0].x1"));
        QCOMPARE(form->error()->text(),
                 QStringLiteral("Enqueue point 1, x1: must be in [-5, 10] (got 11)"));
        QCOMPARE(form->widgetForPath(form->error()->path), table);
        QVERIFY(table->property("invalid").toBool());
        QVERIFY(!page.canStart());

        typeCell(table, 0, 0, QStringLiteral("1.5"));
        QVERIFY2(form->isValid(), qPrintable(form->error() ? form->error()->text() : QString()));
        QVERIFY(form->toJson()["enqueue"] == Json::parse(R"([{"x1": 1.5, "x2": 3}])"));

        // A second point with a missing value: named by the validator.
        QTest::mouseClick(field<QPushButton>(form, "enqueue.add"), Qt::LeftButton);
        typeCell(table, 1, 0, QStringLiteral("-5"));
        QCOMPARE(QString::fromStdString(form->error()->path), QStringLiteral("enqueue[1].x2"));
        table->setCurrentCell(1, 0);
        QTest::mouseClick(field<QPushButton>(form, "enqueue.remove"), Qt::LeftButton);
        QVERIFY(form->isValid());
        QVERIFY(form->toJson()["enqueue"].size() == std::size_t(1));

        // A new parameter gets a column.
        QTest::mouseClick(field<QPushButton>(form, "space.add"), Qt::LeftButton);
        QCOMPARE(form->enqueueTable()->columns().size(), 3);
        // Undo brings the single-point table back.
        form->commitEdits();
        QVERIFY(form->undoStack()->canUndo());
    }

    void bothRoundTripThroughTheJsonPane() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        SetupForm* form = page.form();
        form->setTakenNames({QStringLiteral("old")});
        auto* text = field<QPlainTextEdit>(&page, "spec.json");
        Json edited = form->toJson();
        edited["warm_start"] = Json::parse(R"({"studies": ["old", "elsewhere"],
            "database": "other.db", "defaults": {"x1": 1}})");
        edited["enqueue"] = Json::parse(R"([{"x1": 1, "x2": 2.5}, {"x1": -5, "x2": 0}])");
        text->setPlainText(QString::fromStdString(edited.dump(2)));
        QTest::mouseClick(field<QPushButton>(&page, "spec.apply"), Qt::LeftButton);
        QVERIFY(form->toJson() == edited);

        QCOMPARE(form->warmStartPicker()->checkedStudies(), (QStringList{"old", "elsewhere"}));
        auto* list = field<QListWidget>(form, "warm_start.studies");
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->item(1)->text(), QStringLiteral("elsewhere (not in the open database)"));
        QCOMPARE(field<QLineEdit>(form, "warm_start.database")->text(), QStringLiteral("other.db"));
        auto* table = field<QTableWidget>(form, "enqueue");
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("2.5"));
        QCOMPARE(table->item(1, 0)->text(), QStringLiteral("-5"));
        // The pane shows what the form now holds, and the validator accepts it.
        QVERIFY(parseJsonText(page.jsonView()->text().toStdString()) == form->toJson());
        QVERIFY2(form->isValid(), qPrintable(form->error() ? form->error()->text() : QString()));

        // Unchecking in the picker reaches the pane; the other keys stay.
        toggle(list, 1);
        QVERIFY(parseJsonText(page.jsonView()->text().toStdString())["warm_start"] ==
                Json::parse(R"({"studies": ["old"], "database": "other.db",
                                "defaults": {"x1": 1}})"));
        // Undo restores both.
        form->commitEdits();
        form->undoStack()->undo();
        QVERIFY(form->toJson() == edited);
    }

    void aStoredStudyShowsWhereItsPriorsCameFrom() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Database db(":memory:");
        runStudy(db, test::fastSpec("old", 4));
        Json warm = test::fastSpec("warm", 2);
        warm["warm_start"] = {{"studies", {"old"}}};
        runStudy(db, warm);

        SetupPage page(objectives);
        page.show();  // the stored spec is filled in when the page is seen
        page.showStored(QStringLiteral("warm"), QStringLiteral("finished"),
                        db.requireStudy("warm").spec);
        WarmStartPicker* picker = page.storedForm()->warmStartPicker();
        QCOMPARE(picker->checkedStudies(), QStringList{"old"});
        QCOMPARE(picker->recordText(),
                 QStringLiteral("Prior observations taken: 4 prior trials: 4 from 'old'"));
        QVERIFY(page.storedForm()->toJson()["warm_start"]["observations"].size() == 4);
        const QString banner = page.findChild<QLabel*>("setup.banner")->text();
        QVERIFY2(banner.startsWith("Study 'warm' (finished) as stored") &&
                     !banner.contains("would not run"),
                 qPrintable(banner));
    }

    // A stored study that could no longer run as stored (its table moved)
    // says so when shown, not only when resumed.
    void aStoredStudyThatCouldNotRunNowSaysWhy() {
        ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        Json spec = test::fastSpec("moved", 4);
        spec["objective"] = {
            {"kind", "tabular"}, {"file", "/no/such/bench.csv"}, {"metric", "acc"}};
        SetupPage page(objectives);
        page.show();
        page.showStored(QStringLiteral("moved"), QStringLiteral("stopped"), spec);
        const QString banner = page.findChild<QLabel*>("setup.banner")->text();
        QVERIFY2(banner.contains("It would not run as it is now: Objective") &&
                     banner.contains("/no/such/bench.csv"),
                 qPrintable(banner));
    }
};

QTEST_MAIN(TestSetupWarmStart)
#include "tst_setup_warm_start.moc"
