// The Setup tab: a spec is filled in through the widgets, invalid entries are
// marked with the validator's message and block Start, the JSON view and
// undo/redo round-trip the form.

#include <QCheckBox>
#include <QComboBox>
#include <QDirIterator>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include "setup/direction_hint.h"
#include "setup/kind_settings_editor.h"
#include "setup/nas_space_filler.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "setup/space_editor.h"
#include "setup/spec_json_view.h"
#include "setup/table_space_filler.h"
#include "setup/test_run_dialog.h"
#include "study/spec.h"
#include "support/form_driver.h"
#include "support/stand_in_objectives.h"
#include "ui/ui_test_support.h"

using namespace bonsai;
using namespace bonsai::ui;
using bonsai::test::choose;
using bonsai::test::field;
using bonsai::test::typeInto;

namespace {

// Writes `text` to `name` in `dir` and returns its path ("" if it cannot).
QString writeTable(const QTemporaryDir& dir, const char* name, const QByteArray& text) {
    const QString path = dir.filePath(QString::fromUtf8(name));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

}  // namespace

class TestSetupForm : public QObject {
    Q_OBJECT

  private slots:
    // At 1024x700 the form column is about 400 px wide: the form fits it
    // (paired groups stack), so it needs no horizontal scroll bar.
    void theFormFitsANarrowColumn() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        form.resetTo(SetupForm::templateSpec(QStringLiteral("narrow")));
        form.resize(400, 1200);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QTRY_VERIFY2(form.minimumSizeHint().width() <= 400,
                     qPrintable(QString::number(form.minimumSizeHint().width())));
        form.resize(900, 1200);
        QTRY_VERIFY(form.findChild<QLineEdit*>(QStringLiteral("name"))->width() > 400);
    }

    // Scrolling the form never changes the field under the pointer: an
    // unfocused combo box leaves the wheel to the scroll area and takes no
    // focus from it; once clicked or tabbed into, the wheel is its own.
    void theWheelScrollsTheFormNotTheFieldUnderThePointer() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(1024, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QComboBox* type = nullptr;
        for (QComboBox* box : page.findChildren<QComboBox*>())
            if (box->isVisible() && box->currentText() == QStringLiteral("float") && !type)
                type = box;
        QVERIFY(type);
        QCOMPARE(type->focusPolicy(), Qt::StrongFocus);
        const QString before = type->currentText();
        auto wheelDown = [&] {
            const QPointF centre(type->width() / 2.0, type->height() / 2.0);
            QWheelEvent wheel(centre, type->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(type, &wheel);
            return wheel.isAccepted();
        };
        QVERIFY(!wheelDown());
        QCOMPARE(type->currentText(), before);
        QVERIFY(!type->hasFocus());

        QApplication::setActiveWindow(&page);
        type->setFocus();
        QTRY_VERIFY(type->hasFocus());
        wheelDown();
        QVERIFY(type->currentText() != before);
    }

    // Scrolling down the form at 1024x700, the space table's horizontal
    // scroll bar passes under the pointer: it took the wheel and scrolled
    // the table's columns, and the form stopped. As with the combo boxes,
    // it takes a wheel turn only while the table has the focus; otherwise
    // the turn is left ignored, which Qt then offers to the form.
    void theWheelOverATablesScrollBarScrollsTheForm() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(720, 490);  // the Setup tab in a 1024x700 window
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QApplication::setActiveWindow(&page);
        auto* area = qobject_cast<QScrollArea*>(page.form()->parentWidget()->parentWidget());
        QVERIFY(area);
        QTRY_COMPARE(page.form()->width(), area->viewport()->width());  // laid out
        auto* table = field<QTableWidget>(page.form(), "space");
        QScrollBar* columns = table->horizontalScrollBar();
        QVERIFY(columns->maximum() > 0);  // columns hidden to the right
        auto wheelDown = [&] {
            const QPointF centre(columns->width() / 2.0, columns->height() / 2.0);
            QWheelEvent wheel(centre, columns->mapToGlobal(centre), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(columns, &wheel);
            return wheel.isAccepted();
        };
        field<QLineEdit>(page.form(), "name")->setFocus();
        QVERIFY(!wheelDown());
        QCOMPARE(columns->value(), 0);
        // Working in the table, the wheel scrolls its columns.
        field<QLineEdit>(page.form(), "space[0].name")->setFocus();
        QTRY_VERIFY(table->isAncestorOf(QApplication::focusWidget()));
        wheelDown();
        QVERIFY(columns->value() > 0);
    }

    void initTestCase() {
        qRegisterMetaType<Json>();
        qRegisterMetaType<QDialog*>();
    }

    // The form's fields come from each kind's own description, so no
    // registered strategy or pruner (nsga2 was once missing) lacks its settings.
    void everyRegisteredKindShowsItsDeclaredSettings() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.show();
        QWidget* form = page.form();
        auto check = [&](const QString& section, const std::string& kind,
                         std::span<const SettingSpec> settings) {
            choose(form, section + ".kind", QString::fromStdString(kind));
            for (const SettingSpec& setting : settings) {
                const QString name = section + "." + QString::fromStdString(setting.key);
                QWidget* widget = form->findChild<QWidget*>(name);
                QVERIFY2(widget, qPrintable(name + " missing for " + QString::fromStdString(kind)));
                QCOMPARE(widget->toolTip(), QString::fromStdString(setting.doc));
            }
        };
        for (const StrategyKind* kind : StrategyRegistry::builtins().descriptions())
            check("strategy", kind->kind, kind->settings);
        for (const PrunerKind* kind : PrunerRegistry::builtins().descriptions())
            check("pruner", kind->kind, kind->settings);
        choose(form, "strategy.kind", "nsga2");
        QVERIFY(form->findChild<QLineEdit*>("strategy.population_size"));
    }

    void fillsASpecThroughTheWidgets() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(1200, 800);
        page.show();
        QWidget* form = page.form();
        typeInto(form, "name", "rosenbrock-3d");
        choose(form, "direction", "minimize");
        QTest::mouseClick(field<QPushButton>(form, "space.add"), Qt::LeftButton);
        QCOMPARE(page.form()->findChild<SpaceEditor*>()->rowCount(), 3);
        typeInto(form, "space[2].name", "x3");
        typeInto(form, "space[2].low", "-2");
        typeInto(form, "space[2].high", "2");
        typeInto(form, "space[2].step", "0.5");
        choose(form, "objective.function", "rosenbrock");
        typeInto(form, "objective.delay_seconds", "0.001");
        choose(form, "strategy.kind", "grid");
        typeInto(form, "strategy.resolution", "4");
        typeInto(form, "budget.trials", "12");
        field<QSpinBox>(form, "seed")->setValue(7);

        QVERIFY2(page.startButton()->isEnabled(), qPrintable(page.bannerText()));
        QVERIFY(page.bannerText().isEmpty());
        QSignalSpy start(&page, &SetupPage::startRequested);
        QTest::mouseClick(page.startButton(), Qt::LeftButton);
        QCOMPARE(start.count(), 1);
        const Json spec = start[0][0].value<Json>();
        StudySpec parsed = parseStudySpec(spec, ObjectiveRegistry::withBuiltins());
        QCOMPARE(parsed.name, std::string("rosenbrock-3d"));
        QCOMPARE(parsed.space.params().size(), std::size_t(3));
        QCOMPARE(parsed.space.params()[2].name, std::string("x3"));
        QCOMPARE(*parsed.space.params()[2].step, 0.5);
        QVERIFY(parsed.objective["function"] == Json("rosenbrock"));
        QVERIFY((parsed.strategy == Json{{"kind", "grid"}, {"resolution", 4}}));
        QCOMPARE(*parsed.budget.trials, std::int64_t(12));
        QCOMPARE(parsed.seed, std::uint64_t(7));
    }

    void invalidEntriesBlockStart_data() {
        QTest::addColumn<QString>("widget");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("high below low") << "space[1].high"
                                        << "-1"
                                        << "space[1].high"
                                        << "must be greater than low";
        QTest::newRow("low not a number") << "space[0].low"
                                          << "abc"
                                          << "space[0].low"
                                          << "must be a number";
        QTest::newRow("zero trials") << "budget.trials"
                                     << "0"
                                     << "budget.trials"
                                     << "must be > 0";
        QTest::newRow("empty name") << "name"
                                    << ""
                                    << "name"
                                    << "must not be empty";
        QTest::newRow("bad condition") << "space[1].when"
                                       << "x1 >> 3"
                                       << "space[1].when"
                                       << "write the condition as";
        QTest::newRow("condition on unknown") << "space[1].when"
                                              << "nope = 3"
                                              << "space[1].when"
                                              << "nope";
        QTest::newRow("duplicate name") << "space[1].name"
                                        << "x1"
                                        << "space[1].name"
                                        << "x1";
        QTest::newRow("bad other settings") << "strategy.other"
                                            << "{oops"
                                            << "strategy.other"
                                            << "JSON object";
    }

    void invalidEntriesBlockStart() {
        QFETCH(QString, widget);
        QFETCH(QString, text);
        QFETCH(QString, path);
        QFETCH(QString, message);
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.show();
        QVERIFY(page.startButton()->isEnabled());
        typeInto(page.form(), widget, text);

        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(!page.canStart());
        const auto& error = page.form()->error();
        QVERIFY(error.has_value());
        QVERIFY2(QString::fromStdString(error->path).startsWith(path), error->path.c_str());
        QVERIFY2(page.bannerText().contains(message), qPrintable(page.bannerText()));
        QWidget* marked = page.form()->widgetForPath(error->path);
        QVERIFY(marked);
        QVERIFY(marked->property("invalid").toBool());
        QVERIFY(marked->toolTip().contains(message));

        // Undo brings the valid spec back, unmarks the field and enables Start.
        page.form()->commitEdits();
        page.form()->undoStack()->undo();
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(page.bannerText()));
        QVERIFY(page.bannerText().isEmpty());
    }

    // An error in a kind's setting names the field as the form labels it,
    // not by its key in the spec ("Table (CSV)", not "file").
    void settingErrorsNameTheFieldByItsLabel() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.show();
        Json spec = SetupForm::templateSpec(QStringLiteral("labelled"));
        spec["objective"] = {{"kind", "tabular"}};
        page.form()->setJson(spec);
        QVERIFY(!page.startButton()->isEnabled());
        QCOMPARE(page.form()->error()->path, std::string("objective.file"));
        QVERIFY2(page.bannerText().startsWith(QStringLiteral("Objective, Table (CSV): ")),
                 qPrintable(page.bannerText()));
        // An item of a list goes by the list's label and its place.
        spec["space"] = Json::parse(R"([{"name": "cell", "type": "nb201-cell"}])");
        spec["objective"] = {{"kind", "tabular"},
                             {"file", {"/no/such/a.csv", "/no/such/b.csv"}},
                             {"key", "arch_str"},
                             {"metric", "acc"}};
        page.form()->setJson(spec);
        QVERIFY2(page.bannerText().startsWith(QStringLiteral(
                     "Objective, Table (CSV), item 1: no such file '/no/such/a.csv'")),
                 qPrintable(page.bannerText()));
        QTemporaryDir dir;
        const QString table =
            writeTable(dir, "t.csv",
                       "arch_str,acc,flops\n|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2\n");
        QVERIFY(!table.isEmpty());
        spec["objective"] = {{"kind", "tabular"},
                             {"file", table.toStdString()},
                             {"key", "arch_str"},
                             {"metric", "acc"},
                             {"report", {"flops", "parms"}}};
        page.form()->setJson(spec);
        QVERIFY2(page.bannerText().startsWith(
                     QStringLiteral("Objective, Report columns, item 2: no column 'parms'")),
                 qPrintable(page.bannerText()));
    }

    // A message longer than two lines grows the banner rather than being cut
    // off at both ends (the one for an imported study's objective is four
    // lines at 1024 x 700).
    void longMessagesShowWhole() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(700, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        Json spec = SetupForm::templateSpec("imported-copy");
        spec["objective"] = {{"kind", "imported"}, {"from", "optuna"}};
        page.form()->setJson(spec);
        QVERIFY2(page.bannerText().contains("warm_start.studies"), qPrintable(page.bannerText()));
        auto* banner = page.findChild<QLabel*>("setup.banner");
        QVERIFY(banner);
        QTRY_VERIFY2(banner->height() >= banner->heightForWidth(banner->width()),
                     qPrintable(QString("%1 px for text needing %2 px")
                                    .arg(banner->height())
                                    .arg(banner->heightForWidth(banner->width()))));
    }

    void logNeedsAPositiveLow() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        typeInto(page.form(), "space[1].low", "0");
        field<QCheckBox>(page.form(), "space[1].log")->setChecked(true);
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY2(page.bannerText().contains("must be > 0 when log is true"),
                 qPrintable(page.bannerText()));
        QVERIFY(page.bannerText().startsWith("Search space row 2, low"));
        typeInto(page.form(), "space[1].low", "0.5");
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(page.bannerText()));
    }

    void takenNamesAreRejected() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.form()->setTakenNames({"study-1"});
        QVERIFY(!page.startButton()->isEnabled());
        QVERIFY(page.bannerText().contains("already exists"));
        typeInto(page.form(), "name", "study-2");
        QVERIFY(page.startButton()->isEnabled());
        // A valid spec while another study runs: the banner says why Start
        // is greyed and when it comes back.
        page.setRunningStudy(QStringLiteral("nas-1"));
        QVERIFY(!page.startButton()->isEnabled());
        const auto* banner = page.findChild<QLabel*>(QStringLiteral("setup.banner"));
        QVERIFY2(banner->text().contains("available once 'nas-1' stops running"),
                 qPrintable(banner->text()));
        QVERIFY(page.testRunButton()->isEnabled());
        page.setRunningStudy({});
        QVERIFY(page.startButton()->isEnabled());
        QVERIFY(banner->text().startsWith("The spec is valid: Start study runs it"));
    }

    void categoricalAndConditionRoundTrip() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        Json spec = test::fastSpec("conditional", 5);
        spec["objective"] = {{"kind", "function"}, {"function", "ackley"}};
        spec["space"] = Json::array(
            {{{"name", "opt"}, {"type", "categorical"}, {"choices", {"sgd", "adam", "3", 4, true}}},
             {{"name", "lr"},
              {"type", "float"},
              {"low", 1e-5},
              {"high", 0.1},
              {"log", true},
              {"when", {{"param", "opt"}, {"equals", "sgd"}}}},
             {{"name", "k"},
              {"type", "int"},
              {"low", 1},
              {"high", 9},
              {"step", 2},
              {"when", {{"param", "opt"}, {"in", {"adam", 4}}}}}});
        form.setJson(spec);
        QCOMPARE(field<QLineEdit>(&form, "space[0].choices")->text(),
                 QStringLiteral("sgd, adam, \"3\", 4, true"));
        QCOMPARE(field<QLineEdit>(&form, "space[1].when")->text(), QStringLiteral("opt = sgd"));
        QVERIFY(form.toJson()["space"] == spec["space"]);
        // The choices hint shows only where choices are asked for: on a
        // float's greyed cell it read as that parameter's choices.
        QCOMPARE(field<QLineEdit>(&form, "space[0].choices")->placeholderText(),
                 QStringLiteral("a, b, c"));
        QVERIFY(!field<QLineEdit>(&form, "space[1].choices")->isEnabled());
        QCOMPARE(field<QLineEdit>(&form, "space[1].choices")->placeholderText(), QString());
        // ackley takes numeric unconditional parameters only: the form says which.
        QVERIFY(!form.isValid());
        QCOMPARE(form.error()->path, std::string("objective.function"));
    }

    // A cell the row's type does not use is greyed and empty (a float's old
    // bounds on an nb201-cell row read as its bounds); switching back brings
    // them again.
    void cellsATypeDoesNotUseShowNothing() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        Json spec = SetupForm::templateSpec(QStringLiteral("cells"));
        spec["space"][1] = {
            {"name", "lr"}, {"type", "float"}, {"low", 1e-4}, {"high", 0.1}, {"log", true}};
        form.setJson(spec);
        auto* low = field<QLineEdit>(&form, "space[1].low");
        auto* log = field<QCheckBox>(&form, "space[1].log");
        choose(&form, "space[1].type", "nb201-cell");
        QVERIFY(!low->isEnabled());
        QCOMPARE(low->text(), QString());
        QCOMPARE(field<QLineEdit>(&form, "space[1].high")->text(), QString());
        QVERIFY(!log->isChecked());
        QVERIFY((form.toJson()["space"][1] == Json{{"name", "lr"}, {"type", "nb201-cell"}}));
        choose(&form, "space[1].type", "categorical");
        QVERIFY(field<QLineEdit>(&form, "space[1].choices")->isEnabled());
        choose(&form, "space[1].type", "float");
        QCOMPARE(low->text(), QStringLiteral("0.0001"));
        QVERIFY(log->isChecked());
        QVERIFY(form.toJson()["space"][1] == spec["space"][1]);
    }

    // In a 1024x700 window the space table's Choices column starts off to
    // the right and the budget lies below the fold. A parameter turned
    // categorical scrolls its Choices cell into view; a click on an error
    // banner scrolls to the field it names and focuses it.
    void theFieldAskedForComesIntoView() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.resize(720, 490);  // the Setup tab in a 1024x700 window
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QApplication::setActiveWindow(&page);
        auto whollyShown = [](QWidget* widget) {
            return widget->isVisible() &&
                   widget->visibleRegion().boundingRect().size() == widget->size();
        };
        auto* area = qobject_cast<QScrollArea*>(page.form()->parentWidget()->parentWidget());
        QVERIFY(area);
        QTRY_COMPARE(page.form()->width(), area->viewport()->width());  // laid out
        field<QPushButton>(page.form(), "space.add")->click();
        auto* choices = field<QLineEdit>(page.form(), "space[2].choices");
        QVERIFY(!whollyShown(choices));
        choose(page.form(), "space[2].type", "categorical");
        QTRY_VERIFY(whollyShown(choices));
        QVERIFY2(page.bannerText().startsWith("Search space row 3, choices"),
                 qPrintable(page.bannerText()));

        // Scrolled away again, the banner leads back to it.
        auto* table = field<QTableWidget>(page.form(), "space");
        table->horizontalScrollBar()->setValue(0);
        QTRY_VERIFY(!whollyShown(choices));
        auto* banner = field<QLabel>(&page, "setup.banner");
        QCOMPARE(banner->cursor().shape(), Qt::PointingHandCursor);
        QTest::mouseClick(banner, Qt::LeftButton);
        QTRY_VERIFY(whollyShown(choices));
        QTRY_VERIFY(choices->hasFocus());
        QCOMPARE(table->currentColumn(), int(SpaceEditor::ChoicesColumn));  // highlighted there
        QTest::keyClicks(choices, "relu, tanh");
        QVERIFY2(!page.bannerText().contains("choices"), qPrintable(page.bannerText()));
        field<QPushButton>(page.form(), "space.remove")->click();  // branin takes no categorical
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(page.bannerText()));

        // An error below the fold: the form's scroll area moves to it.
        auto* trials = field<QLineEdit>(page.form(), "budget.trials");
        typeInto(page.form(), "budget.trials", "0");
        QVERIFY2(page.bannerText().contains("Budget"), qPrintable(page.bannerText()));
        field<QLineEdit>(page.form(), "name")->setFocus();
        area->verticalScrollBar()->setValue(0);
        QTRY_VERIFY(!whollyShown(trials));
        QTest::mouseClick(banner, Qt::LeftButton);
        QTRY_VERIFY(whollyShown(trials));
        QVERIFY(trials->hasFocus());

        // A valid spec's banner leads nowhere.
        typeInto(page.form(), "budget.trials", "20");
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(page.bannerText()));
        QCOMPARE(banner->cursor().shape(), Qt::ArrowCursor);
    }

    void everyExampleRoundTrips() {
        const ObjectiveRegistry objectives = ObjectiveRegistry::withBuiltins();
        QDirIterator it(QStringLiteral(BONSAI_SOURCE_DIR "/resources/examples"), {"*.json"});
        int checked = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            StudySpec expected;
            try {
                expected = loadStudySpecFile(path.toStdString(), objectives);
            } catch (const SpecError& error) {
                qInfo("skipping %s: %s", qPrintable(path),
                      error.what());  // a kind this build lacks
                continue;
            }
            SetupForm form(objectives);
            form.setJson(expected.source);
            QVERIFY2(form.isValid(), qPrintable(form.error() ? form.error()->text() : QString()));
            QVERIFY(parseStudySpec(form.toJson(), objectives).source == expected.source);
            ++checked;
        }
        SetupForm form(objectives);
        QVERIFY(parseStudySpec(form.toJson(), objectives).source ==
                parseStudySpec(SetupForm::templateSpec("study-1"), objectives).source);
        qInfo("%d example(s) round-tripped", checked);
    }

    // A valid spec whose objective's name reads as the opposite of its
    // direction gets a reminder in the banner, and still starts.
    void anAccuracyMinimizedGetsAReminder() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.show();
        auto banner = [&page] {
            return page.findChild<QLabel*>(QStringLiteral("setup.banner"))->text();
        };
        Json spec = SetupForm::templateSpec(QStringLiteral("reminded"));
        spec["objective"] = {{"kind", "tabular"},
                             {"file", BONSAI_SOURCE_DIR "/resources/examples/tiny-bench.csv"},
                             {"metric", "valid_acc"}};
        spec["space"] = Json::parse(R"([{"name": "depth", "type": "int", "low": 1, "high": 8},
            {"name": "activation", "type": "categorical", "choices": ["relu", "gelu", "tanh"]},
            {"name": "lr", "type": "categorical", "choices": [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]},
            {"name": "width", "type": "categorical", "choices": [16, 32, 64, 128, 256]}])");
        page.form()->setJson(spec);
        QVERIFY2(page.startButton()->isEnabled(), qPrintable(banner()));
        QVERIFY2(banner().contains(QStringLiteral("Check: 'valid_acc' reads like a score where "
                                                  "higher is better, and the study minimizes it: "
                                                  "set Direction to maximize if so.")),
                 qPrintable(banner()));
        spec["direction"] = "maximize";
        page.form()->setJson(spec);
        QVERIFY2(!banner().contains(QStringLiteral("Check:")), qPrintable(banner()));
        // Several objectives: a latency maximized.
        spec["objectives"] = Json::parse(R"([{"name": "valid_acc", "direction": "maximize"},
                                            {"name": "latency_ms", "direction": "maximize"}])");
        QVERIFY(directionHint(spec).startsWith(QStringLiteral("'latency_ms' reads like a cost")));
        QVERIFY(
            directionHint(spec).endsWith(QStringLiteral("set its direction to minimize if so.")));
        spec["objectives"][1]["direction"] = "minimize";
        QVERIFY(directionHint(spec).isEmpty());
        // A name that says nothing either way: no reminder.
        spec.erase("objectives");
        spec["objective"]["metric"] = "value";
        QVERIFY(directionHint(spec).isEmpty());
    }

    // A fashion-mnist objective offers the NAS search space (a cell and the
    // learning rate, as the bundled examples): one click, one undoable edit;
    // other kinds do not show the button. Minimizing its accuracy gets the
    // reminder.
    void aNasObjectiveOffersTheNasSearchSpace() {
        SetupPage page(test::withFashionMnistStandIn());
        page.show();
        SetupForm* form = page.form();
        QVERIFY(!form->nasSpace()->isVisible());  // branin
        Json spec = SetupForm::templateSpec(QStringLiteral("nas"));
        spec["objective"] = {{"kind", "fashion-mnist"}};
        form->setJson(spec);
        QVERIFY(form->nasSpace()->isVisible());
        QVERIFY(!form->spaceFromTable()->isVisible());
        // Both fillers sit under the space they fill, where its errors show.
        for (QWidget* filler : {static_cast<QWidget*>(form->nasSpace()),
                                static_cast<QWidget*>(form->spaceFromTable())}) {
            auto* box = qobject_cast<QGroupBox*>(filler->parentWidget());
            QVERIFY(box);
            QCOMPARE(box->title(), QString("Search space"));
        }
        // The starting x1 and x2 are nothing the training reads: the error
        // says so and points at the button.
        QVERIFY2(page.bannerText().startsWith(
                     "Search space row 1: fashion-mnist reads no parameter named 'x1'"),
                 qPrintable(page.bannerText()));
        QVERIFY2(
            page.bannerText().endsWith("; or press 'Search space for NAS' under the search space"),
            qPrintable(page.bannerText()));
        // A field's own error keeps to its own fix.
        Json badLow = spec;
        badLow["space"] = NasSpaceFiller::nasSpace();
        badLow["space"][1]["low"] = 0;
        form->setJson(badLow);
        QVERIFY2(page.bannerText().contains("must be > 0 when log is true") &&
                     !page.bannerText().contains("Search space for NAS"),
                 qPrintable(page.bannerText()));
        form->setJson(spec);
        form->commitEdits();
        QTest::mouseClick(form->nasSpace()->button(), Qt::LeftButton);
        const QString banner = page.findChild<QLabel*>(QStringLiteral("setup.banner"))->text();
        QVERIFY2(banner.contains("Check: fashion-mnist returns the validation accuracy, where "
                                 "higher is better, and the study minimizes it: set Direction "
                                 "to maximize."),
                 qPrintable(banner));
        QVERIFY(form->toJson()["space"] == NasSpaceFiller::nasSpace());
        QVERIFY(form->toJson()["space"][0]["type"] == "nb201-cell");
        QVERIFY2(form->nasSpace()->note().startsWith("Filled: cell (an nb201-cell) and lr"),
                 qPrintable(form->nasSpace()->note()));
        form->commitEdits();
        form->undoStack()->undo();
        QVERIFY(form->toJson()["space"][0]["name"] == "x1");
        spec["direction"] = "maximize";
        QVERIFY(directionHint(spec).isEmpty());
        spec["objective"] = {{"kind", "function"}, {"function", "branin"}};
        form->setJson(spec);
        QVERIFY(!form->nasSpace()->isVisible());
        QVERIFY(form->nasSpace()->note().isEmpty());
    }

    // An opened spec's long description reads from its first word.
    void aLongDescriptionShowsItsStart() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        Json spec = SetupForm::templateSpec(QStringLiteral("described"));
        spec["description"] = std::string(300, 'x') + " the end";
        form.setJson(spec);
        auto* description = form.findChild<QLineEdit*>(QStringLiteral("description"));
        QVERIFY(description);
        QCOMPARE(description->text().size(), 308);
        QCOMPARE(description->cursorPosition(), 0);
    }

    void tabularObjectivePicksColumnsFromTheFile() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        QWidget* form = page.form();
        choose(form, "objective.kind", "tabular");
        const QString table =
            QStringLiteral(BONSAI_SOURCE_DIR "/resources/examples/tiny-bench.csv");
        typeInto(form, "objective.file", table);
        auto* metric = field<QComboBox>(form, "objective.metric");
        QVERIFY(metric->findText("valid_acc") >= 0);
        QVERIFY(field<QComboBox>(form, "objective.cost")->findText("train_seconds") >= 0);
        metric->setCurrentText("valid_acc");
        typeInto(form, "objective.report", "test_acc");
        field<QComboBox>(form, "objective.cost")->setCurrentText("train_seconds");
        choose(form, "direction", "maximize");
        // The starting x1 and x2 are no columns of the table: the error
        // points at the button that fills the space from it.
        QVERIFY2(page.bannerText().contains("has no column for parameter 'x1'"),
                 qPrintable(page.bannerText()));
        QVERIFY2(page.bannerText().endsWith(
                     "; or press 'Search space from the table' under the search space"),
                 qPrintable(page.bannerText()));
        Json space = Json::array(
            {{{"name", "lr"},
              {"type", "categorical"},
              {"choices", {0.0003, 0.001, 0.003, 0.01, 0.03, 0.1}}},
             {{"name", "width"}, {"type", "categorical"}, {"choices", {16, 32, 64, 128, 256}}},
             {{"name", "depth"}, {"type", "int"}, {"low", 1}, {"high", 8}},
             {{"name", "activation"},
              {"type", "categorical"},
              {"choices", {"relu", "gelu", "tanh"}}}});
        Json spec = page.form()->toJson();
        spec["space"] = space;
        page.form()->setJson(spec);
        QVERIFY2(page.canStart(), qPrintable(page.bannerText()));
        const Json objective = page.form()->toJson()["objective"];
        QVERIFY((objective == Json{{"kind", "tabular"},
                                   {"file", table.toStdString()},
                                   {"metric", "valid_acc"},
                                   {"report", {"test_acc"}},
                                   {"cost", "train_seconds"}}));
        // A column the table lacks is named by the validator and marked.
        field<QComboBox>(form, "objective.metric")->setCurrentText("valid_accuracy");
        QVERIFY(!page.canStart());
        QCOMPARE(page.form()->error()->path, std::string("objective.metric"));
        QVERIFY(page.form()->widgetForPath("objective.metric")->property("invalid").toBool());
    }

    // The pickers read the header as the objective does (core's CsvTable):
    // after a byte-order mark and blank lines, with quoted names that hold
    // commas or line breaks.
    void columnPickersReadTheHeaderAsTheObjectiveDoes() {
        QTemporaryDir dir;
        const QString table = writeTable(dir, "exported.csv",
                                         "\xEF\xBB\xBF\r\n"
                                         "acc,\"lr, log\",\"two\nlines\"\r\n0.9,1,2\r\n");
        QVERIFY(!table.isEmpty());
        SetupPage page(ObjectiveRegistry::withBuiltins());
        QWidget* form = page.form();
        choose(form, "objective.kind", "tabular");
        typeInto(form, "objective.file", table);
        auto* metric = field<QComboBox>(form, "objective.metric");
        QCOMPARE(metric->count(), 3);
        QCOMPARE(metric->itemText(0), QStringLiteral("acc"));
        QCOMPARE(metric->itemText(1), QStringLiteral("lr, log"));
        QCOMPARE(metric->itemText(2), QStringLiteral("two\nlines"));

        // The metric and the cost are results: columns of numbers by the
        // first row; the key may be any column.
        const QString cells =
            writeTable(dir, "cells.csv",
                       "arch_str,valid_acc,note,flops\n"
                       "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,81.5,tiny,2\n");
        typeInto(form, "objective.file", cells);
        auto items = [](QComboBox* box) {
            QStringList out;
            for (int i = 0; i < box->count(); ++i)
                out << box->itemText(i);
            return out;
        };
        QCOMPARE(items(metric), (QStringList{"valid_acc", "flops"}));
        QCOMPARE(items(field<QComboBox>(form, "objective.cost")),
                 (QStringList{"", "valid_acc", "flops"}));
        QCOMPARE(items(field<QComboBox>(form, "objective.key")),
                 (QStringList{"", "arch_str", "valid_acc", "note", "flops"}));
    }

    // A list of tables joined on a key (the hardware-aware NAS-Bench-201
    // studies) has no one-path form: it stays in Other settings, round trips
    // unchanged, and the empty table field says where it is.
    // A tabular objective offers the table's settings as the search space:
    // one click, one undoable edit, results left out and named.
    void theSearchSpaceFillsFromTheTable() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        page.show();
        SetupForm* form = page.form();
        QVERIFY(!form->spaceFromTable()->isVisible());  // branin: not a table
        Json spec = SetupForm::templateSpec(QStringLiteral("from-table"));
        spec["direction"] = "maximize";
        spec["objective"] = {{"kind", "tabular"},
                             {"file", BONSAI_SOURCE_DIR "/resources/examples/tiny-bench.csv"},
                             {"metric", "valid_acc"},
                             {"report", {"test_acc"}}};
        form->setJson(spec);
        QVERIFY(!form->isValid());  // x1 and x2 are no columns of the table
        QVERIFY(form->spaceFromTable()->isVisible());
        form->commitEdits();
        QTest::mouseClick(form->spaceFromTable()->button(), Qt::LeftButton);
        QVERIFY2(form->isValid(), qPrintable(page.bannerText()));
        QStringList names;
        const Json filled = form->toJson();
        for (const Json& parameter : filled["space"])
            names << QString::fromStdString(parameter["name"].get<std::string>());
        QCOMPARE(names, (QStringList{"lr", "width", "depth", "activation"}));
        QVERIFY(filled["space"][2]["type"] == "int");
        const QString note = form->spaceFromTable()->note();
        QVERIFY2(note.startsWith("Filled from tiny-bench.csv: lr, width, depth, activation."),
                 qPrintable(note));
        QVERIFY2(note.contains("Left out as results: train_seconds."), qPrintable(note));
        // Undo gives the previous space back.
        form->commitEdits();
        form->undoStack()->undo();
        QVERIFY(form->toJson()["space"][0]["name"] == "x1");

        // Bad paths: a key the table lacks, and a key column with a gap.
        spec["space"] = Json::parse(R"([{"name": "x1", "type": "float", "low": 0, "high": 1}])");
        spec["objective"]["key"] = "nope";
        form->setJson(spec);
        QTest::mouseClick(form->spaceFromTable()->button(), Qt::LeftButton);
        QCOMPARE(form->spaceFromTable()->note(),
                 QStringLiteral("tiny-bench.csv has no column 'nope'."));
        QTemporaryDir dir;
        const QString gappy = writeTable(dir, "gappy.csv", "model,acc\nresnet,1\n,2\n");
        QVERIFY(!gappy.isEmpty());
        spec["objective"]["file"] = gappy.toStdString();
        spec["objective"]["key"] = "model";
        spec["objective"]["metric"] = "acc";
        spec["objective"].erase("report");
        form->setJson(spec);
        QTest::mouseClick(form->spaceFromTable()->button(), Qt::LeftButton);
        QCOMPARE(form->spaceFromTable()->note(),
                 QStringLiteral("gappy.csv's key column 'model' has empty cells: every row "
                                "needs its key."));
        QVERIFY(form->toJson()["space"][0]["name"] == "x1");
        spec["objective"].erase("key");

        // Bad path: a table that is not there is named, and the space stays.
        spec["objective"]["file"] = "/no/such/table.csv";
        form->setJson(spec);
        QTest::mouseClick(form->spaceFromTable()->button(), Qt::LeftButton);
        QVERIFY2(form->spaceFromTable()->note().startsWith("Could not read /no/such/table.csv"),
                 qPrintable(form->spaceFromTable()->note()));
        QVERIFY(form->toJson()["space"][0]["name"] == "x1");
    }

    void aListOfTablesStaysInOtherSettingsAndTheFieldSaysSo() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        Json spec = form.toJson();
        const Json files = {"accuracy.csv", "latency.csv"};
        spec["objective"] = {
            {"kind", "tabular"}, {"file", files}, {"key", "arch_str"}, {"metric", "acc"}};
        form.setJson(spec);
        auto* file = field<QLineEdit>(&form, "objective.file");
        QVERIFY(file->text().isEmpty());
        QCOMPARE(file->placeholderText(), QStringLiteral("2 tables joined, in Other settings"));
        QVERIFY(field<QLineEdit>(&form, "objective.other")->text().contains("latency.csv"));
        QVERIFY(form.toJson()["objective"]["file"] == files);
        // One path again: the usual hint.
        spec["objective"]["file"] = "accuracy.csv";
        form.setJson(spec);
        QCOMPARE(field<QLineEdit>(&form, "objective.file")->placeholderText(),
                 QStringLiteral("path of a CSV file"));
    }

    void commandLinesRoundTripThroughOneLine() {
        // (An empty word has no one-line form: splitCommand drops it.)
        const Json words = {"sh", "-c", "echo '{\"value\": 1}' \"quoted\"", "{lr}", "a b"};
        const QString line = joinCommandLine(words);
        QStringList split = QProcess::splitCommand(line);
        Json back = Json::array();
        for (const QString& word : split)
            back.push_back(word.toStdString());
        QCOMPARE(QString::fromStdString(back.dump()), QString::fromStdString(words.dump()));
    }

    // A command objective is typed as one line, and "Test run" evaluates it
    // once at the centre of the space (x1 = 2.5, x2 = 7.5) without a study.
    void commandObjectiveTestRunShowsReportsAndValue() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        QWidget* form = page.form();
        choose(form, "objective.kind", "command");
        QVERIFY(!page.canStart());  // argv is required
        QCOMPARE(page.form()->error()->path, std::string("objective.argv"));
        typeInto(
            form, "objective.argv",
            R"(sh -c "echo '{""""step"""": 1, """"value"""": 0.5}'; echo ran >&2; echo {x1}")");
        QVERIFY2(page.canStart(), qPrintable(page.bannerText()));
        const Json argv = page.form()->toJson()["objective"]["argv"];
        QCOMPARE(
            QString::fromStdString(argv.dump()),
            QString::fromStdString(
                Json({"sh", "-c", "echo '{\"step\": 1, \"value\": 0.5}'; echo ran >&2; echo {x1}"})
                    .dump()));

        QSignalSpy opened(&page, &SetupPage::testRunOpened);
        QTest::mouseClick(page.testRunButton(), Qt::LeftButton);
        QCOMPARE(opened.count(), 1);
        auto* dialog = qobject_cast<TestRunDialog*>(opened.at(0).at(0).value<QDialog*>());
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isRunning(), 10000);
        QVERIFY2(dialog->resultText().startsWith("value 2.5 (in "),
                 qPrintable(dialog->resultText()));
        QCOMPARE(dialog->reportText(), QString("step 1: 0.5"));
        QVERIFY(dialog->outputText().contains("ran"));
        dialog->close();
    }

    void commandObjectiveTestRunShowsFailuresAndCancels() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        QWidget* form = page.form();
        choose(form, "objective.kind", "command");
        typeInto(form, "objective.argv", R"(sh -c "echo boom >&2; exit 4")");
        QSignalSpy opened(&page, &SetupPage::testRunOpened);
        QTest::mouseClick(page.testRunButton(), Qt::LeftButton);
        auto* failing = qobject_cast<TestRunDialog*>(opened.at(0).at(0).value<QDialog*>());
        QTRY_VERIFY_WITH_TIMEOUT(!failing->isRunning(), 10000);
        QVERIFY2(failing->resultText().endsWith("the command failed (exit status 4): boom"),
                 qPrintable(failing->resultText()));
        failing->close();

        typeInto(form, "objective.argv", "sleep 30");
        QTest::mouseClick(page.testRunButton(), Qt::LeftButton);
        auto* slow = qobject_cast<TestRunDialog*>(opened.at(1).at(0).value<QDialog*>());
        QTest::qWait(200);
        QVERIFY(slow->isRunning());
        QTest::mouseClick(slow->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!slow->isRunning(), 5000);
        QVERIFY2(slow->resultText().endsWith(": cancelled"), qPrintable(slow->resultText()));
    }

    // A command study sent to Slurm: the executor's fields replace Workers,
    // and a malformed time limit is named by the validator.
    void slurmExecutorIsSetInTheForm() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        QWidget* form = page.form();
        choose(form, "objective.kind", "command");
        typeInto(form, "objective.argv", "python3 train.py --x {x1}");
        QVERIFY(field<QSpinBox>(form, "workers")->isEnabled());
        choose(form, "executor.kind", "slurm");
        typeInto(form, "executor.partition", "gpu");
        typeInto(form, "executor.time", "01:00:00");
        typeInto(form, "executor.max_concurrent", "8");
        QVERIFY2(page.canStart(), qPrintable(page.bannerText()));
        QVERIFY(!field<QSpinBox>(form, "workers")->isEnabled());
        const Json spec = page.form()->toJson();
        QVERIFY(!spec.contains("workers"));
        QCOMPARE(QString::fromStdString(spec["executor"].dump()),
                 QString::fromStdString(Json{
                     {"kind", "slurm"},
                     {"partition", "gpu"},
                     {"time", "01:00:00"},
                     {"max_concurrent", 8}}.dump()));
        typeInto(form, "executor.time", "one hour");
        QVERIFY(!page.canStart());
        QCOMPARE(page.form()->error()->path, std::string("executor.time"));
        QVERIFY(page.form()->widgetForPath("executor.time")->property("invalid").toBool());
        // Back to local: the executor leaves the spec.
        choose(form, "executor.kind", "local");
        QVERIFY(!page.form()->toJson().contains("executor"));
    }

    void undoAndRedoEdits() {
        SetupForm form(ObjectiveRegistry::withBuiltins());
        form.show();
        QUndoStack* stack = form.undoStack();
        QVERIFY(!stack->canUndo());
        typeInto(&form, "name", "renamed");
        form.commitEdits();
        choose(&form, "strategy.kind", "random");
        form.commitEdits();
        QCOMPARE(stack->count(), 2);
        QVERIFY(form.toJson()["strategy"]["kind"] == Json("random"));
        stack->undo();
        QVERIFY(form.toJson()["strategy"]["kind"] ==
                Json(SetupForm::templateSpec("x")["strategy"]["kind"]));
        QVERIFY(form.toJson()["name"] == Json("renamed"));
        stack->undo();
        QVERIFY(form.toJson()["name"] == Json("study-1"));
        stack->redo();
        stack->redo();
        QVERIFY(form.toJson()["name"] == Json("renamed"));
        QVERIFY(form.toJson()["strategy"]["kind"] == Json("random"));

        // Adding, moving and removing rows are undoable too.
        QTest::mouseClick(field<QPushButton>(&form, "space.add"), Qt::LeftButton);
        form.commitEdits();
        QVERIFY(form.toJson()["space"].size() == std::size_t(3));
        form.findChild<SpaceEditor*>()->setCurrentRow(2);
        QTest::mouseClick(field<QPushButton>(&form, "space.up"), Qt::LeftButton);
        form.commitEdits();
        QVERIFY(form.toJson()["space"][1]["name"] == Json("x3"));
        stack->undo();
        QVERIFY(form.toJson()["space"][2]["name"] == Json("x3"));
        stack->undo();
        QVERIFY(form.toJson()["space"].size() == std::size_t(2));
    }

    void jsonViewRoundTrips() {
        SetupPage page(ObjectiveRegistry::withBuiltins());
        auto* text = field<QPlainTextEdit>(&page, "spec.json");
        QVERIFY(parseJsonText(text->toPlainText().toStdString()) == page.form()->toJson());

        Json edited = page.form()->toJson();
        edited["name"] = "from-json";
        edited["budget"]["trials"] = 9;
        text->setPlainText(QString::fromStdString(edited.dump(2)));
        QVERIFY(page.jsonView()->isEdited());
        QTest::mouseClick(field<QPushButton>(&page, "spec.apply"), Qt::LeftButton);
        QVERIFY(page.form()->toJson() == edited);
        QCOMPARE(field<QLineEdit>(page.form(), "budget.trials")->text(), QStringLiteral("9"));
        QVERIFY(page.form()->undoStack()->canUndo());

        text->setPlainText(QStringLiteral("{\n  \"name\": \"broken\",\n}"));
        QVERIFY(!page.jsonView()->apply());
        QVERIFY(page.form()->toJson()["name"] == Json("from-json"));
    }
};

QTEST_MAIN(TestSetupForm)
#include "tst_setup_form.moc"
