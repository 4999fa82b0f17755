#include "setup/enqueue_table.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "setup/form_values.h"

namespace bonsai::ui {

EnqueueTable::EnqueueTable(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("enqueue"));
    m_table->setToolTip(
        tr("Points evaluated first, in order, before the strategy is asked. Leave a cell empty "
           "for a parameter that is inactive at that point."));
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setMaximumHeight(140);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add point"), this);
    add->setObjectName(QStringLiteral("enqueue.add"));
    auto* remove = new QPushButton(tr("Remove point"), this);
    remove->setObjectName(QStringLiteral("enqueue.remove"));
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(add, &QPushButton::clicked, this, &EnqueueTable::addRow);
    connect(remove, &QPushButton::clicked, this, &EnqueueTable::removeCurrentRow);
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (m_filling)
            return;
        m_raw = Json();
        emit edited();
    });
}

int EnqueueTable::rowCount() const {
    return m_table->rowCount();
}

void EnqueueTable::setParameters(const QStringList& names) {
    if (names == m_parameters)
        return;
    const Json current = points();
    m_parameters = names;
    showPoints(current);
}

Json EnqueueTable::points() const {
    Json out = Json::array();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        Json point = Json::object();
        for (int column = 0; column < m_columns.size(); ++column) {
            const QTableWidgetItem* item = m_table->item(row, column);
            if (!item || item->text().trimmed().isEmpty())
                continue;
            point[m_columns[column].toStdString()] = scalarFromText(item->text());
        }
        out.push_back(std::move(point));
    }
    return out;
}

void EnqueueTable::showPoints(const Json& points) {
    m_filling = true;
    m_columns = m_parameters;
    for (const Json& point : points)
        for (const auto& [name, value] : point.items())
            if (!m_columns.contains(QString::fromStdString(name)))
                m_columns << QString::fromStdString(name);
    m_table->clear();
    m_table->setColumnCount(static_cast<int>(m_columns.size()));
    m_table->setHorizontalHeaderLabels(m_columns);
    m_table->setRowCount(static_cast<int>(points.size()));
    for (int row = 0; row < static_cast<int>(points.size()); ++row)
        for (int column = 0; column < m_columns.size(); ++column) {
            const Json& point = points[static_cast<std::size_t>(row)];
            const std::string name = m_columns[column].toStdString();
            auto* item = new QTableWidgetItem(point.contains(name) ? textFromScalar(point[name])
                                                                   : QString());
            m_table->setItem(row, column, item);
        }
    m_filling = false;
}

Json EnqueueTable::toJson() const {
    if (!m_raw.is_null())
        return m_raw;
    return m_table->rowCount() == 0 ? Json() : points();
}

void EnqueueTable::setJson(const Json& enqueue) {
    m_raw = Json();
    // The table shows an array of objects of plain values; anything else is
    // kept as typed, for the validator to name.
    bool showable = enqueue.is_null() || enqueue.is_array();
    if (enqueue.is_array())
        for (const Json& point : enqueue) {
            showable = showable && point.is_object();
            if (point.is_object())
                for (const auto& [name, value] : point.items())
                    showable = showable && value.is_primitive() && !value.is_null();
        }
    if (!showable) {
        m_raw = enqueue;
        showPoints(Json::array());
        return;
    }
    showPoints(enqueue.is_null() ? Json::array() : enqueue);
}

void EnqueueTable::addRow() {
    const Json current = points();
    Json more = current;
    more.push_back(Json::object());
    m_raw = Json();
    showPoints(more);
    m_table->setCurrentCell(m_table->rowCount() - 1, 0);
    emit edited();
}

void EnqueueTable::removeCurrentRow() {
    const int row = m_table->currentRow();
    if (row < 0)
        return;
    Json current = points();
    current.erase(static_cast<std::size_t>(row));
    m_raw = Json();
    showPoints(current);
    emit edited();
}

QWidget* EnqueueTable::widgetForPath(const std::string&) const {
    // The whole table is marked; the message names the point and parameter
    // ("Enqueue, point 2, lr: ..."), and moving the current cell here would
    // pull the user away from the cell being typed in.
    return m_table;
}

}  // namespace bonsai::ui
