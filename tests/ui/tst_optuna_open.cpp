// Optuna files in the studio. File > Open: its studies are listed and shown
// like Bonsai's (Live, Trials, Analysis), nothing can run or be deleted, and
// the file is never written. File > Import Optuna studies: they are copied
// into the open Bonsai database, all or nothing. Export trials to a .db: a
// new Optuna file, never over an existing one.
#include <QComboBox>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "browser/study_browser.h"
#include "controller/study_controller.h"
#include "controller/study_session.h"
#include "main_window.h"
#include "models/study_list_model.h"
#include "models/trial_filter_model.h"
#include "plots/objective_plot.h"
#include "setup/setup_form.h"
#include "setup/setup_page.h"
#include "storage/database.h"
#include "storage/optuna.h"
#include "ui/ui_test_support.h"
#include "views/live_view.h"
#include "views/trials_view.h"

using namespace bonsai;
using namespace bonsai::ui;

namespace {

QByteArray fileHash(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

// An Optuna file with one study of `count` trials, one of them pruned.
void writeOptunaStudy(const QString& path, int count) {
    StudyRecord record;
    record.name = "from-optuna";
    record.spec = test::fastSpec("from-optuna", count);
    std::vector<Trial> trials;
    for (int i = 0; i < count; ++i) {
        Trial trial;
        trial.number = i;
        trial.state = i == 3 ? TrialState::Pruned : TrialState::Complete;
        trial.params = {{"x1", -5.0 + i % 15}, {"x2", 0.5 * (i % 30)}};
        trial.value = 10.0 / (i + 1);
        trial.intermediate = {{0, 20.0}, {1, 10.0 / (i + 1)}};
        trial.startedAt = 1'800'000'000.0 + i;
        trial.completedAt = trial.startedAt + 0.5;
        trials.push_back(trial);
    }
    writeOptunaFile(path.toStdString(), {studyToOptuna(record, trials)});
}

}  // namespace

class TestOptunaOpen : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

  private slots:
    void initTestCase() { test::isolateSettings(m_dir); }

    void opensReadOnly() {
        const QString path = m_dir.filePath("optuna.db");
        writeOptunaStudy(path, 40);
        const QByteArray before = fileHash(path);

        MainWindow window(ObjectiveRegistry::withBuiltins());
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.openDatabase(path), QString());
        QCOMPARE(window.databasePath(), path);
        QCOMPARE(window.browser()->model()->rowCount(), 1);

        window.showStudy("from-optuna");
        QCOMPARE(window.session()->trials().size(), std::size_t{40});
        QVERIFY(!window.startAction()->isEnabled());
        QVERIFY(!window.resumeAction()->isEnabled());
        for (int tab : {MainWindow::LiveTab, MainWindow::TrialsTab, MainWindow::AnalysisTab}) {
            window.tabs()->setCurrentIndex(tab);
            QTest::qWait(50);
        }
        QTRY_COMPARE(window.trialsView()->proxy()->rowCount(), 40);
        // The Setup tab says where the study comes from and what to do, and
        // shows its spec without the form's input hints ("optional",
        // "a, b, c"), which would read as values in the greyed form.
        window.tabs()->setCurrentIndex(MainWindow::SetupTab);
        const QString banner = window.setupPage()->findChild<QLabel*>("setup.banner")->text();
        QVERIFY2(banner.contains("comes from Optuna (optuna.db)") &&
                     banner.contains("cannot resume here") &&
                     banner.contains("warm-starts from its trials") &&
                     banner.contains("first imports the study into "),
                 qPrintable(banner));
        auto* stored = window.setupPage()->findChild<QWidget*>("setup.stored");
        QVERIFY(stored->isVisible());
        for (auto* edit : stored->findChildren<QLineEdit*>())
            QVERIFY2(edit->placeholderText().isEmpty(),
                     qPrintable(edit->objectName() + ": " + edit->placeholderText()));
        // Nor does the warm start speak of the database: the spec chose none.
        // (It said "no studies in the open database yet", beside the study.)
        auto* warmStart = stored->findChild<QListWidget*>("warm_start.studies");
        QVERIFY(warmStart);
        QCOMPARE(warmStart->count(), 1);
        QCOMPARE(warmStart->item(0)->text(), QString("none"));
        QCOMPARE(window.liveView()->objectivePlot()->completePointCount(), 39);
        QVERIFY(window.deleteStudies({"from-optuna"}).contains("open read-only"));
        QCOMPARE(window.browser()->model()->rowCount(), 1);
        // A first start on an Optuna file (bonsai --db optuna.db) runs no
        // example study: the file cannot hold it. It tried, and a warning
        // called the file "an SQLite database of another program".
        window.startExampleStudy();
        QVERIFY(!window.controller()->isRunning());
        QCOMPARE(window.browser()->model()->rowCount(), 1);

        QCOMPARE(fileHash(path), before);
        QVERIFY(!QFile::exists(path + "-wal"));

        // A Bonsai database afterwards is writable again.
        const QString bonsai = m_dir.filePath("bonsai.db");
        QCOMPARE(window.openDatabase(bonsai), QString());
        QCOMPARE(window.databasePath(), bonsai);
        QCOMPARE(window.browser()->model()->rowCount(), 0);
    }

    void importsIntoTheOpenBonsaiDatabaseAllOrNothing() {
        const QString optuna = m_dir.filePath("to-import.db");
        writeOptunaStudy(optuna, 25);
        const QByteArray before = fileHash(optuna);
        MainWindow window(ObjectiveRegistry::withBuiltins());

        // Not into a read-only Optuna copy: a file chosen there is refused
        // (the action itself imports the open file, see below).
        QCOMPARE(window.openDatabase(optuna), QString());
        QVERIFY(window.importOptunaStudies(optuna).contains("open one first"));

        const QString bonsai = m_dir.filePath("import-target.db");
        QCOMPARE(window.openDatabase(bonsai), QString());
        QVERIFY(window.importOptunaAction()->isEnabled());
        QCOMPARE(window.importOptunaStudies(optuna), QString());
        QCOMPARE(window.browser()->model()->rowCount(), 1);
        QCOMPARE(window.browser()->currentStudy(), QString("from-optuna"));
        QCOMPARE(window.session()->trials().size(), std::size_t{25});
        QCOMPARE(fileHash(optuna), before);
        // It has no objective to run; the tooltip says what to do instead.
        QVERIFY(!window.resumeAction()->isEnabled());
        QVERIFY(window.resumeAction()->toolTip().contains("warm-start"));

        // Duplicate: a new study warm-started from it, asking for an objective.
        window.duplicateAction()->trigger();
        SetupPage* setup = window.setupPage();
        Json copy = setup->form()->toJson();
        QVERIFY2(copy["warm_start"]["studies"] == Json::array({"from-optuna"}),
                 copy.dump().c_str());
        QVERIFY2(copy["budget"]["trials"] == 50, copy.dump().c_str());
        QVERIFY2(copy["strategy"] == SetupForm::templateSpec("x")["strategy"], copy.dump().c_str());
        QVERIFY(!setup->canStart());
        QVERIFY2(setup->bannerText().contains("objective") &&
                     setup->bannerText().contains("'imported' marks a study copied from optuna"),
                 qPrintable(setup->bannerText()));
        // Choosing a kind drops the import's settings ("from", "file").
        auto* kind = setup->form()->findChild<QComboBox*>("objective.kind");
        QVERIFY(kind);
        kind->setCurrentText("function");
        setup->form()->commitEdits();
        const Json chosen = setup->form()->toJson()["objective"];
        QVERIFY2(
            chosen["kind"] == "function" && !chosen.contains("from") && !chosen.contains("file"),
            chosen.dump().c_str());
        copy["objective"] = {{"kind", "function"}, {"function", "branin"}};
        setup->form()->setJson(copy);
        QVERIFY2(setup->canStart(), qPrintable(setup->bannerText()));

        // Importing it again would clash: one message, the stored study kept.
        const QString again = window.importOptunaStudies(optuna);
        QVERIFY2(again.contains("'from-optuna' already exists"), qPrintable(again));
        QCOMPARE(window.browser()->model()->rowCount(), 1);
        // A Bonsai database is not an Optuna file.
        const QString notOptuna = window.importOptunaStudies(bonsai);
        QVERIFY2(notOptuna.contains("is a Bonsai database, not an Optuna one"),
                 qPrintable(notOptuna));

        Database check(bonsai.toStdString(), Database::Mode::ReadOnly);
        QCOMPARE(check.listStudies().size(), std::size_t{1});
        QCOMPARE(check.loadTrials(check.findStudy("from-optuna")->id).size(), std::size_t{25});
    }

    // Looking at an Optuna file, a user who wants to search on from a study
    // duplicates it (or imports the file): the copy cannot live in the
    // read-only file, so the study goes into the Bonsai database the window
    // had open, and nothing can rename the file's studies in passing.
    void fromAnOpenOptunaFileStudiesGoIntoTheBonsaiDatabase() {
        const QString optuna = m_dir.filePath("looked-at.db");
        writeOptunaStudy(optuna, 15);
        const QByteArray before = fileHash(optuna);
        const QString home = m_dir.filePath("home.db");
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(home), QString());
        QCOMPARE(window.importOptunaAction()->text(), QString("&Import Optuna studies…"));
        QCOMPARE(window.openDatabase(optuna), QString());
        window.showStudy("from-optuna");

        // Rename would only rename the in-memory copy: off, and refused.
        QVERIFY(!window.renameAction()->isEnabled());
        const QString refused = window.renameShownStudy("renamed");
        QVERIFY2(refused.contains("open read-only"), qPrintable(refused));
        QCOMPARE(window.browser()->currentStudy(), QString("from-optuna"));

        // Import names where it copies to.
        QVERIFY(window.importOptunaAction()->isEnabled());
        QCOMPARE(window.importOptunaAction()->text(),
                 QString("&Import these studies into home.db"));
        QCOMPARE(window.importTargetDatabase(), QFileInfo(home).absoluteFilePath());

        // Duplicate: imported into home.db, and the copy warm-starts there;
        // its label and tooltip say so before it is chosen.
        QCOMPARE(window.duplicateAction()->text(), QString("&Duplicate into home.db"));
        QVERIFY2(window.duplicateAction()->toolTip().contains("switches the window to home.db"),
                 qPrintable(window.duplicateAction()->toolTip()));
        window.duplicateAction()->trigger();
        QCOMPARE(window.duplicateAction()->text(), QString("&Duplicate"));
        QCOMPARE(window.databasePath(), QFileInfo(home).absoluteFilePath());
        QCOMPARE(window.browser()->model()->rowCount(), 1);
        QCOMPARE(window.session()->trials().size(), std::size_t{15});
        QVERIFY(window.renameAction()->isEnabled());
        Json copy = window.setupPage()->form()->toJson();
        QVERIFY2(copy["warm_start"]["studies"] == Json::array({"from-optuna"}) &&
                     copy["name"] == "from-optuna-1",
                 copy.dump().c_str());
        QCOMPARE(window.tabs()->currentIndex(), int(MainWindow::SetupTab));
        copy["objective"] = {{"kind", "function"}, {"function", "branin"}};
        window.setupPage()->form()->setJson(copy);
        QVERIFY2(window.setupPage()->canStart(), qPrintable(window.setupPage()->bannerText()));
        QVERIFY(window.startAction()->isEnabled());

        // Duplicating it again from the file uses the copy imported before.
        QCOMPARE(window.openDatabase(optuna), QString());
        window.showStudy("from-optuna");
        window.duplicateAction()->trigger();
        QCOMPARE(window.databasePath(), QFileInfo(home).absoluteFilePath());
        QCOMPARE(window.browser()->model()->rowCount(), 1);
        QVERIFY(window.setupPage()->form()->toJson()["warm_start"]["studies"] ==
                Json::array({"from-optuna"}));

        // Importing the whole file again would clash: one message, nothing
        // written, and the window is on home.db to sort it out.
        QCOMPARE(window.openDatabase(optuna), QString());
        const QString clash = window.importOpenOptunaFile();
        QVERIFY2(clash.contains("'from-optuna' already exists"), qPrintable(clash));
        QCOMPARE(window.databasePath(), QFileInfo(home).absoluteFilePath());
        QCOMPARE(window.browser()->model()->rowCount(), 1);

        // A study of that name from elsewhere is not taken for the import:
        // the message says which database and what to do.
        window.showStudy("from-optuna");
        QCOMPARE(window.renameShownStudy("first-import"), QString());
        {
            Database db(home.toStdString());
            db.createStudy("from-optuna", Direction::Minimize, test::fastSpec("from-optuna", 3));
        }
        QCOMPARE(window.openDatabase(optuna), QString());
        window.showStudy("from-optuna");
        const QString taken = window.importOpenOptunaFile("from-optuna");
        QVERIFY2(taken.contains("home.db already has a study named 'from-optuna'") &&
                     taken.contains("rename it there"),
                 qPrintable(taken));
        QCOMPARE(window.browser()->model()->rowCount(), 2);

        QCOMPARE(fileHash(optuna), before);
    }

    void exportsTheShownStudyAsANewOptunaFile() {
        const QString optuna = m_dir.filePath("round-trip-source.db");
        writeOptunaStudy(optuna, 12);
        MainWindow window(ObjectiveRegistry::withBuiltins());
        QCOMPARE(window.openDatabase(m_dir.filePath("export-source.db")), QString());
        QCOMPARE(window.importOptunaStudies(optuna), QString());

        const QString out = m_dir.filePath("exported.db");
        QCOMPARE(window.exportTrials(out), QString());
        QVERIFY(isOptunaDatabase(out.toStdString()));
        const auto studies = readOptunaStudies(out.toStdString());
        QCOMPARE(studies.size(), std::size_t{1});
        QCOMPARE(studies.front().name, std::string("from-optuna"));
        QCOMPARE(studies.front().trials.size(), std::size_t{12});
        QCOMPARE(studies.front().trials[5].values,
                 readOptunaStudies(optuna.toStdString()).front().trials[5].values);

        // Never over an existing file, even one the dialog let through.
        const QByteArray before = fileHash(out);
        const QString error = window.exportTrials(out);
        QVERIFY2(error.contains("already exists"), qPrintable(error));
        QCOMPARE(fileHash(out), before);
    }
};

QTEST_MAIN(TestOptunaOpen)
#include "tst_optuna_open.moc"
