#pragma once

#include <string>

#include <QStringList>
#include <QWidget>

#include "space/param_value.h"

class QTableWidget;

namespace bonsai::ui {

// "Enqueue": the spec's fixed points, evaluated first and in order. One row
// per point, one column per parameter of the space; an empty cell leaves the
// parameter out (an inactive one). Cells read like the space's choices:
// "0.01", "3", "adam", "true", "\"3\"" for the string 3. Values go to the
// spec validator as typed, which names a bad one (enqueue[1].lr) and the
// form marks this table. A name a loaded point has that the space lacks gets
// a column of its own, so nothing the JSON said is lost.
class EnqueueTable : public QWidget {
    Q_OBJECT
  public:
    explicit EnqueueTable(QWidget* parent = nullptr);

    // The space's parameter names, in order (columns follow them).
    void setParameters(const QStringList& names);
    QStringList columns() const { return m_columns; }

    // null when there are no rows.
    Json toJson() const;
    void setJson(const Json& enqueue);
    // Any "enqueue..." path -> the table.
    QWidget* widgetForPath(const std::string& path) const;

    int rowCount() const;
    void addRow();
    void removeCurrentRow();
    QTableWidget* table() const { return m_table; }

  signals:
    void edited();

  private:
    // Rows as JSON points (cells by column name); the table is rebuilt from them.
    Json points() const;
    void showPoints(const Json& points);

    QTableWidget* m_table;
    QStringList m_parameters;
    QStringList m_columns;  // parameters, then names only loaded points have
    Json m_raw;             // an "enqueue" the table cannot show, kept as is
    bool m_filling = false;
};

}  // namespace bonsai::ui
