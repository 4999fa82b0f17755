#pragma once

#include <optional>
#include <set>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace bonsai::ui {

class ColumnFitter;
class StudySession;
class TrialFilterModel;
class TrialDetail;

// The Trials tab: a sortable, filterable table of the shown study's trials
// and the selected trial's details. The table's selection is the session's.
class TrialsView : public QWidget {
    Q_OBJECT
  public:
    explicit TrialsView(StudySession* session, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    TrialFilterModel* proxy() const { return m_proxy; }
    QComboBox* stateFilter() const { return m_state; }
    QLineEdit* textFilter() const { return m_text; }
    TrialDetail* detail() const { return m_detail; }
    QLabel* brushNote() const { return m_brushNote; }
    // Under the filters: a clause the filter left out, or that no trial
    // matches; hidden otherwise.
    QLabel* filterNote() const { return m_filterNote; }
    // Beside the filters while one is on: "8 of 20 trials".
    QLabel* shownCount() const { return m_shownCount; }
    ColumnFitter* columnFitter() const { return m_fitter; }
    QCheckBox* edgeColumnsToggle() const { return m_edgeColumns; }

    // Shows only these trials (brushed in the Analysis tab's parallel
    // coordinates), with a note and a button to clear; nullopt shows all.
    void setBrushFilter(const std::optional<std::set<int>>& numbers);

    // The parameters of trial `number` as one line of JSON ({"x1": 9.4,
    // "act": "relu"}), what Copy parameters puts on the clipboard; empty
    // for a trial not in the study.
    QString parametersJson(int number) const;

  signals:
    void clearBrushRequested();
    // The row menu's "New study starting with this trial".
    void newStudyFromTrialRequested(int number);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void selectRowOf(int number, bool scroll = true);
    void updateCellContext();
    void revealFilteredColumn();
    void updateFilterNote();
    void updateBestHint();
    void showRowMenu(const QPoint& position);

    StudySession* m_session;
    TrialFilterModel* m_proxy;
    QComboBox* m_state;
    QLineEdit* m_text;
    QTableView* m_table;
    TrialDetail* m_detail;
    ColumnFitter* m_fitter;
    QLabel* m_brushNote;
    QLabel* m_filterNote;
    QLabel* m_shownCount;
    QPushButton* m_clearBrush;
    QCheckBox* m_edgeColumns;
    bool m_syncing = false;
    bool m_modelChanging = false;
};

}  // namespace bonsai::ui
