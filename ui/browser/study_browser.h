#pragma once

#include <vector>

#include <QWidget>

#include "storage/database.h"

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace bonsai::ui {

class StudyListModel;

// The open database's studies. The current row is the study the window
// shows; a multi-row selection (Ctrl/Shift+click) feeds the compare plot.
class StudyBrowser : public QWidget {
    Q_OBJECT
  public:
    explicit StudyBrowser(QWidget* parent = nullptr);

    void setDatabaseLabel(const QString& text);
    // Keeps the current study and the selection when their names remain.
    void setStudies(std::vector<StudySummary> studies);
    QString currentStudy() const;
    void setCurrentStudy(const QString& name);
    QStringList selectedStudies() const;

    StudyListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

  signals:
    void currentStudyChanged(const QString& name);
    void selectedStudiesChanged(const QStringList& names);
    void studyActivated(const QString& name);  // double-click or Enter

  private:
    QLabel* m_title;
    StudyListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    bool m_updating = false;
};

}  // namespace bonsai::ui
