#include "setup/table_space_filler.h"

#include <QFileInfo>
#include <QPushButton>
#include <QStringList>
#include <stdexcept>

#include "objectives/table_space.h"

namespace bonsai::ui {

namespace {

// The names a setting holds: one string or a list of them.
std::vector<std::string> namesIn(const Json& value) {
    std::vector<std::string> out;
    if (value.is_string())
        out.push_back(value.get<std::string>());
    else if (value.is_array())
        for (const Json& item : value)
            if (item.is_string())
                out.push_back(item.get<std::string>());
    return out;
}

// "a, b, c" or, past `shown` names, "a, b, c, d and 12 more" (a benchmark
// table has dozens of result columns).
QString joined(const std::vector<std::string>& names, std::size_t shown = 6) {
    QStringList out;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i)
        out << QString::fromStdString(names[i]);
    QString text = out.join(QStringLiteral(", "));
    if (names.size() > shown)
        text += TableSpaceFiller::tr(" and %1 more").arg(names.size() - shown);
    return text;
}

}  // namespace

TableSpaceFiller::TableSpaceFiller(QWidget* parent)
    : SpaceFiller(tr("Search space from the table"), QStringLiteral("objective.spaceFromTable"),
                  parent) {
    button()->setToolTip(
        tr("Replaces the search space with the table's settings: with a key column, one "
           "parameter for it (an nb201-cell for cell strings); without, one parameter per "
           "column other than the metric, report and cost columns. Columns of many values, or "
           "that the others already tell apart every row without, are results and are left "
           "out. Undo restores the previous space."));
}

void TableSpaceFiller::setObjective(const Json& objective) {
    const bool tabular = objective.is_object() && objective.value("kind", "") == "tabular";
    if (tabular && objective.value("file", Json()) != m_objective.value("file", Json()))
        setNote({});  // a note about another table
    m_objective = objective;
    setOffered(tabular);
}

void TableSpaceFiller::fill() {
    const std::vector<std::string> files = namesIn(m_objective.value("file", Json()));
    if (files.empty() || files.front().empty()) {
        setNote(tr("Choose the table (CSV) first."));
        return;
    }
    std::shared_ptr<const CsvTable> table;
    try {
        table = CsvTable::load(files.front());
    } catch (const std::exception& error) {
        setNote(tr("Could not read %1: %2")
                    .arg(QString::fromStdString(files.front()), QString::fromUtf8(error.what())));
        return;
    }
    std::vector<std::string> exclude;
    for (const char* setting : {"metric", "report", "cost"})
        for (std::string& name : namesIn(m_objective.value(setting, Json())))
            exclude.push_back(std::move(name));
    std::optional<std::string> key;
    if (const Json keyValue = m_objective.value("key", Json());
        keyValue.is_string() && !keyValue.get<std::string>().empty())
        key = keyValue.get<std::string>();
    const TableSpace made = spaceFromTable(*table, exclude, key);
    const QString file = QFileInfo(QString::fromStdString(files.front())).fileName();
    if (made.space.empty()) {
        setNote(key ? (made.skipped.empty()
                           ? tr("%1 has no column '%2'.")
                           : tr("%1's key column '%2' has empty cells: every row needs its key."))
                          .arg(file, QString::fromStdString(*key))
                    : tr("No column of %1 looks like a setting (%2 take too many values or have "
                         "empty cells): choose the Key column that names each row.")
                          .arg(file, joined(made.skipped)));
        return;
    }
    std::vector<std::string> names;
    for (const Json& parameter : made.space)
        names.push_back(parameter["name"].get<std::string>());
    QString text = tr("Filled from %1: %2.").arg(file, joined(names));
    if (!made.skipped.empty())
        text += QLatin1Char(' ') + tr("Left out as results: %1.").arg(joined(made.skipped));
    setNote(text + QLatin1Char(' ') + tr("Undo restores the previous space."));
    emit spaceChosen(made.space);
}

}  // namespace bonsai::ui
