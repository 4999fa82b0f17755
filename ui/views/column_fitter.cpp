#include "views/column_fitter.h"

#include <algorithm>

#include <QEvent>
#include <QHeaderView>
#include <QTableView>

namespace bonsai::ui {

namespace {

// Rows looked at per batch: a study opened with 10,000 trials is fitted from
// the visible rows by reset(), and live batches are a few rows each.
constexpr int kMaxRowsPerBatch = 400;

}  // namespace

ColumnFitter::ColumnFitter(QTableView* table, int maxWidth)
    : QObject(table), m_table(table), m_maxWidth(maxWidth) {
    // reset() fits to the visible rows (Qt's default also measures the first
    // 1,000 rows of every column, ~0.3 s for 10,000 cell trials).
    table->horizontalHeader()->setResizeContentsPrecision(0);
    table->installEventFilter(this);
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ColumnFitter::flush);
    QAbstractItemModel* model = table->model();
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex& parent, int first, int last) {
                if (!parent.isValid())
                    note(first, last, 0, m_table->model()->columnCount() - 1);
            });
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                note(topLeft.row(), bottomRight.row(), topLeft.column(), bottomRight.column());
            });
}

void ColumnFitter::note(int firstRow, int lastRow, int firstColumn, int lastColumn) {
    if (firstRow < 0 || lastRow < firstRow)
        return;
    m_firstPending = m_firstPending < 0 ? firstRow : std::min(m_firstPending, firstRow);
    m_lastPending = std::max(m_lastPending, lastRow);
    m_firstColumn = m_firstColumn < 0 ? firstColumn : std::min(m_firstColumn, firstColumn);
    m_lastColumn = std::max(m_lastColumn, lastColumn);
    if (!m_timer.isActive())
        m_timer.start();
}

int ColumnFitter::widthFor(int row, int column) const {
    // As QTableView::sizeHintForColumn measures a cell, plus the grid line.
    return m_table->sizeHintForIndex(m_table->model()->index(row, column)).width() +
           (m_table->showGrid() ? 1 : 0);
}

bool ColumnFitter::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_table && event->type() == QEvent::Show)
        flush();
    return QObject::eventFilter(watched, event);
}

void ColumnFitter::flush() {
    m_timer.stop();
    // A hidden table is measured when shown: a study running while another
    // tab is in front costs no size hints.
    if (m_firstPending < 0 || !m_table->isVisible())
        return;
    QAbstractItemModel* model = m_table->model();
    const int first = m_firstPending;
    const int last =
        std::min({m_lastPending, model->rowCount() - 1, m_firstPending + kMaxRowsPerBatch - 1});
    const int firstColumn = std::max(0, m_firstColumn);
    const int columns = model->columnCount();
    const int lastColumn = std::min(m_lastColumn, columns - 1);
    m_firstPending = m_lastPending = m_firstColumn = m_lastColumn = -1;
    QHeaderView* header = m_table->horizontalHeader();
    for (int column = firstColumn; column <= lastColumn; ++column) {
        if (header->isSectionHidden(column))
            continue;
        // The stretched last column fills the rest anyway.
        if (column == columns - 1 && header->stretchLastSection())
            continue;
        int wanted = 0;
        for (int row = first; row <= last; ++row)
            wanted = std::max(wanted, widthFor(row, column));
        wanted = std::min(wanted, m_maxWidth);
        if (wanted > header->sectionSize(column))
            header->resizeSection(column, wanted);
    }
}

void ColumnFitter::reset() {
    m_firstPending = m_lastPending = m_firstColumn = m_lastColumn = -1;
    m_timer.stop();
    m_table->resizeColumnsToContents();
    QHeaderView* header = m_table->horizontalHeader();
    for (int column = 0; column < header->count(); ++column)
        if (header->sectionSize(column) > m_maxWidth)
            header->resizeSection(column, m_maxWidth);
}

}  // namespace bonsai::ui
