#pragma once

#include <QWidget>

#include "helpers/json_metatype.h"
#include "objectives/objective.h"

class QDialog;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace bonsai::ui {

class SetupForm;
class SpecJsonView;

// The Setup tab: the spec form, its JSON, the validation banner and Start.
// Start stays disabled while the form has an error or a study is running.
class SetupPage : public QWidget {
    Q_OBJECT
  public:
    explicit SetupPage(ObjectiveRegistry objectives, QWidget* parent = nullptr);

    SetupForm* form() const { return m_form; }
    SpecJsonView* jsonView() const { return m_json; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* testRunButton() const { return m_testRun; }
    // The banner's text: the first error, or empty when the spec is valid.
    QString bannerText() const;

    // The study running now ("" for none): one study runs at a time, so
    // Start study waits for it, and the banner says so.
    void setRunningStudy(const QString& name);
    bool canStart() const;

    // Shows a stored study's spec, read-only, with "Duplicate & edit"; the
    // draft being edited stays as it was, behind it.
    void showStored(const QString& name, const QString& state, const Json& spec);
    void setStoredState(const QString& state);
    // Back to the editable draft (after New study, Duplicate, Open spec).
    void showDraft();
    bool isShowingStored() const { return m_showingStored; }
    SetupForm* storedForm() const { return m_storedForm; }
    // The Bonsai database a shown study is imported into before Duplicate
    // copies it (the window shows a read-only Optuna file); empty otherwise.
    void setImportTarget(const QString& databaseName);
    QPushButton* duplicateButton() const { return m_duplicate; }

  signals:
    void startRequested(const bonsai::Json& spec);
    void canStartChanged(bool canStart);
    // A test run's dialog, just opened (tests and screenshots use it).
    void testRunOpened(QDialog* dialog);
    void duplicateRequested();

  protected:
    void showEvent(QShowEvent* event) override;
    // A click on an error banner goes to the field it names.
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void updateState();
    void fillStored();
    void setBanner(const QString& text, bool error);

    QStackedWidget* m_pages;
    SetupForm* m_form;
    SetupForm* m_storedForm;
    QPlainTextEdit* m_storedJson;
    Json m_storedSpec;
    QString m_storedName, m_storedState;
    bool m_storedStale = false;
    QString m_importTarget;
    bool m_showingStored = false;
    QPushButton* m_duplicate;
    QPushButton* m_backToDraft;
    QPushButton* m_undo;
    QPushButton* m_redo;
    SpecJsonView* m_json;
    QLabel* m_banner;
    QPushButton* m_start;
    QPushButton* m_testRun;
    QString m_runningStudy;
};

}  // namespace bonsai::ui
