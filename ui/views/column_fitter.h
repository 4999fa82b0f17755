#pragma once

#include <QObject>
#include <QTimer>

class QTableView;

namespace bonsai::ui {

// Keeps a table's columns as wide as their content while rows stream in:
// new and changed rows widen a column that is too narrow for them (batched
// on a short timer), columns never shrink until reset(), so they do not jump
// about on every trial, and a user's drag wins until the next reset.
class ColumnFitter : public QObject {
    Q_OBJECT
  public:
    ColumnFitter(QTableView* table, int maxWidth = 360);

    // Fits every column to the header and the visible rows (another study).
    void reset();
    // Applies pending widenings now (tests; the timer does it otherwise).
    void flush();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void note(int firstRow, int lastRow, int firstColumn, int lastColumn);
    int widthFor(int row, int column) const;

    QTableView* m_table;
    int m_maxWidth;
    int m_firstPending = -1;
    int m_lastPending = -1;
    // Columns to measure: a changed flag column alone is one column's work.
    int m_firstColumn = -1;
    int m_lastColumn = -1;
    QTimer m_timer;
};

}  // namespace bonsai::ui
