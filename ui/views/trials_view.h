#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace bonsai::ui {

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

  private:
    void selectRowOf(int number);

    StudySession* m_session;
    TrialFilterModel* m_proxy;
    QComboBox* m_state;
    QLineEdit* m_text;
    QTableView* m_table;
    TrialDetail* m_detail;
    bool m_syncing = false;
};

}  // namespace bonsai::ui
