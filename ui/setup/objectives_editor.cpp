#include "setup/objectives_editor.h"

#include <cmath>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace bonsai::ui {

namespace {

QString numberText(const Json& value) {
    if (value.is_number())
        return QString::number(value.get<double>(), 'g', 12);
    if (value.is_null())
        return {};
    return QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump());
}

// A number where the text is one, else the text itself, so validation names
// the field ("must be a number") rather than the form dropping it.
Json numberOrText(const QString& text) {
    const QString trimmed = text.trimmed();
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    if (ok && std::isfinite(value))
        return value;
    return trimmed.toStdString();
}

// "objectives[2].name" -> (2, "name"); index -1 when the path has none.
std::pair<int, std::string> indexAndField(const std::string& path) {
    const auto open = path.find('['), close = path.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return {-1, {}};
    int index = -1;
    try {
        index = std::stoi(path.substr(open + 1, close - open - 1));
    } catch (const std::exception&) {
        return {-1, {}};
    }
    std::string field = close + 2 <= path.size() ? path.substr(close + 2) : std::string();
    return {index, field};
}

}  // namespace

ObjectivesEditor::ObjectivesEditor(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* note = new QLabel(
        tr("Two or more objectives make a multi-objective study (a Pareto set instead of one "
           "best value); each is a trial attribute the objective sets. Constraints keep a "
           "trial feasible only while an attribute stays within its bounds."),
        this);
    note->setWordWrap(true);
    layout->addWidget(note);
    m_objectiveRows = new QVBoxLayout;
    m_constraintRows = new QVBoxLayout;
    layout->addLayout(m_objectiveRows);
    auto* addObjectiveButton = new QPushButton(tr("Add objective"), this);
    addObjectiveButton->setObjectName(QStringLiteral("objectives.add"));
    layout->addLayout(m_constraintRows);
    auto* addConstraintButton = new QPushButton(tr("Add constraint"), this);
    addConstraintButton->setObjectName(QStringLiteral("constraints.add"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addObjectiveButton);
    buttons->addWidget(addConstraintButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(addObjectiveButton, &QPushButton::clicked, this, [this] {
        // A first objective alone would not be multi-objective: start with two.
        if (m_objectives.empty())
            addObjective();
        addObjective();
        emit edited();
    });
    connect(addConstraintButton, &QPushButton::clicked, this, [this] {
        addConstraint();
        emit edited();
    });
}

ObjectivesEditor::Row ObjectivesEditor::makeRow(QVBoxLayout* into, bool objective, int index) {
    Row row{};
    row.box = new QWidget(this);
    auto* line = new QHBoxLayout(row.box);
    line->setContentsMargins(0, 0, 0, 0);
    const QString prefix = objective ? QStringLiteral("objectives[%1].").arg(index)
                                     : QStringLiteral("constraints[%1].").arg(index);
    line->addWidget(new QLabel(objective ? tr("Objective") : tr("Constraint"), row.box));
    row.name = new QComboBox(row.box);
    row.name->setEditable(true);
    row.name->setObjectName(prefix + QStringLiteral("name"));
    row.name->addItems(m_suggestions);
    row.name->setCurrentText(QString());
    row.name->setMinimumContentsLength(8);
    row.name->setToolTip(tr("The trial attribute (or the returned value's name) it reads"));
    line->addWidget(row.name, 2);
    if (objective) {
        row.direction = new QComboBox(row.box);
        row.direction->setObjectName(prefix + QStringLiteral("direction"));
        row.direction->addItems({QStringLiteral("minimize"), QStringLiteral("maximize")});
        line->addWidget(row.direction);
        line->addWidget(new QLabel(tr("reference"), row.box));
        row.first = new QLineEdit(row.box);
        row.first->setObjectName(prefix + QStringLiteral("reference"));
        row.first->setPlaceholderText(tr("derived"));
        row.first->setToolTip(
            tr("This objective's coordinate of the hypervolume reference point (a value worse "
               "than any you care about); derived from the trials when empty"));
        line->addWidget(row.first, 1);
    } else {
        line->addWidget(new QLabel(tr("min"), row.box));
        row.first = new QLineEdit(row.box);
        row.first->setObjectName(prefix + QStringLiteral("min"));
        row.first->setPlaceholderText(tr("none"));
        line->addWidget(row.first, 1);
        line->addWidget(new QLabel(tr("max"), row.box));
        row.second = new QLineEdit(row.box);
        row.second->setObjectName(prefix + QStringLiteral("max"));
        row.second->setPlaceholderText(tr("none"));
        line->addWidget(row.second, 1);
    }
    // A small button: a row holds five other fields, and at 1024x700 beside
    // the study browser the form is about 400 px wide.
    auto* remove = new QToolButton(row.box);
    remove->setObjectName(prefix + QStringLiteral("remove"));
    remove->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    remove->setToolTip(objective ? tr("Remove this objective") : tr("Remove this constraint"));
    remove->setAccessibleName(remove->toolTip());
    line->addWidget(remove);
    QWidget* box = row.box;
    connect(remove, &QToolButton::clicked, this, [this, box, objective] {
        auto& rows = objective ? m_objectives : m_constraints;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (rows[i].box == box) {
                objective ? removeObjective(static_cast<int>(i))
                          : removeConstraint(static_cast<int>(i));
                emit edited();
                return;
            }
    });
    auto changed = [this] {
        if (!m_filling)
            emit edited();
    };
    connect(row.name, &QComboBox::currentTextChanged, this, changed);
    if (row.direction)
        connect(row.direction, &QComboBox::currentIndexChanged, this, changed);
    for (QLineEdit* edit : {row.first, row.second})
        if (edit)
            connect(edit, &QLineEdit::textEdited, this, changed);
    into->addWidget(row.box);
    return row;
}

void ObjectivesEditor::addObjective(const QString& name, const QString& direction,
                                    const QString& reference) {
    Row row = makeRow(m_objectiveRows, true, static_cast<int>(m_objectives.size()));
    const bool filling = m_filling;
    m_filling = true;
    row.name->setCurrentText(name);
    if (!direction.isEmpty())
        row.direction->setCurrentText(direction);
    row.first->setText(reference);
    m_filling = filling;
    m_objectives.push_back(row);
}

void ObjectivesEditor::addConstraint(const QString& name, const QString& min, const QString& max) {
    Row row = makeRow(m_constraintRows, false, static_cast<int>(m_constraints.size()));
    const bool filling = m_filling;
    m_filling = true;
    row.name->setCurrentText(name);
    row.first->setText(min);
    row.second->setText(max);
    m_filling = filling;
    m_constraints.push_back(row);
}

void ObjectivesEditor::removeObjective(int row) {
    if (row < 0 || row >= objectiveCount())
        return;
    delete m_objectives[static_cast<std::size_t>(row)].box;
    m_objectives.erase(m_objectives.begin() + row);
    renumber();
}

void ObjectivesEditor::removeConstraint(int row) {
    if (row < 0 || row >= constraintCount())
        return;
    delete m_constraints[static_cast<std::size_t>(row)].box;
    m_constraints.erase(m_constraints.begin() + row);
    renumber();
}

void ObjectivesEditor::renumber() {
    // Object names follow the spec paths, so an error marks the right row.
    auto name = [](std::vector<Row>& rows, const char* list) {
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const QString prefix = QStringLiteral("%1[%2].").arg(QLatin1String(list)).arg(i);
            rows[i].name->setObjectName(prefix + QStringLiteral("name"));
            if (rows[i].direction)
                rows[i].direction->setObjectName(prefix + QStringLiteral("direction"));
            rows[i].first->setObjectName(
                prefix + (rows[i].direction ? QStringLiteral("reference") : QStringLiteral("min")));
            if (rows[i].second)
                rows[i].second->setObjectName(prefix + QStringLiteral("max"));
        }
    };
    name(m_objectives, "objectives");
    name(m_constraints, "constraints");
}

void ObjectivesEditor::clearRows(std::vector<Row>& rows) {
    for (Row& row : rows)
        delete row.box;
    rows.clear();
}

void ObjectivesEditor::setJson(const Json& objectives, const Json& constraints) {
    m_filling = true;
    clearRows(m_objectives);
    clearRows(m_constraints);
    if (objectives.is_array())
        for (const Json& entry : objectives) {
            if (!entry.is_object()) {
                addObjective(QString::fromStdString(entry.dump()));
                continue;
            }
            addObjective(numberText(entry.value("name", Json())),
                         numberText(entry.value("direction", Json())),
                         numberText(entry.value("reference", Json())));
        }
    if (constraints.is_array())
        for (const Json& entry : constraints) {
            if (!entry.is_object()) {
                addConstraint(QString::fromStdString(entry.dump()));
                continue;
            }
            addConstraint(numberText(entry.value("name", Json())),
                          numberText(entry.value("min", Json())),
                          numberText(entry.value("max", Json())));
        }
    m_filling = false;
}

Json ObjectivesEditor::objectivesJson() const {
    if (m_objectives.empty())
        return Json();
    Json out = Json::array();
    for (const Row& row : m_objectives) {
        Json entry{{"name", row.name->currentText().trimmed().toStdString()},
                   {"direction", row.direction->currentText().toStdString()}};
        if (!row.first->text().trimmed().isEmpty())
            entry["reference"] = numberOrText(row.first->text());
        out.push_back(std::move(entry));
    }
    return out;
}

Json ObjectivesEditor::constraintsJson() const {
    if (m_constraints.empty())
        return Json();
    Json out = Json::array();
    for (const Row& row : m_constraints) {
        Json entry{{"name", row.name->currentText().trimmed().toStdString()}};
        if (!row.first->text().trimmed().isEmpty())
            entry["min"] = numberOrText(row.first->text());
        if (!row.second->text().trimmed().isEmpty())
            entry["max"] = numberOrText(row.second->text());
        out.push_back(std::move(entry));
    }
    return out;
}

void ObjectivesEditor::setSuggestions(const QStringList& names) {
    if (names == m_suggestions)
        return;
    m_suggestions = names;
    const bool filling = m_filling;
    m_filling = true;
    for (auto* rows : {&m_objectives, &m_constraints})
        for (Row& row : *rows) {
            const QString text = row.name->currentText();
            row.name->clear();
            row.name->addItems(names);
            row.name->setCurrentText(text);
        }
    m_filling = filling;
}

QWidget* ObjectivesEditor::widgetForPath(const std::string& path) const {
    const bool objective = path.rfind("objectives", 0) == 0;
    const auto& rows = objective ? m_objectives : m_constraints;
    auto [index, field] = indexAndField(path);
    if (index < 0 || index >= static_cast<int>(rows.size()))
        return const_cast<ObjectivesEditor*>(this);
    const Row& row = rows[static_cast<std::size_t>(index)];
    if (field.rfind("direction", 0) == 0 && row.direction)
        return row.direction;
    if (field.rfind("reference", 0) == 0 || field.rfind("min", 0) == 0)
        return row.first;
    if (field.rfind("max", 0) == 0 && row.second)
        return row.second;
    return row.name;
}

}  // namespace bonsai::ui
