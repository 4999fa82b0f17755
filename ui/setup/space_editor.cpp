#include "setup/space_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "helpers/reveal_widget.h"
#include "setup/form_values.h"

namespace bonsai::ui {

namespace {

const QStringList kTypes{QStringLiteral("float"), QStringLiteral("int"),
                         QStringLiteral("categorical"), QStringLiteral("nb201-cell")};

bool isNumeric(const QString& type) {
    return type == QLatin1String("float") || type == QLatin1String("int");
}

}  // namespace

SpaceEditor::SpaceEditor(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("space"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Low"), tr("High"), tr("Log"),
                                        tr("Step"), tr("Choices"), tr("Condition")});
    m_table->horizontalHeaderItem(ChoicesColumn)
        ->setToolTip(tr("Comma-separated, e.g. relu, tanh"));
    m_table->horizontalHeaderItem(ConditionColumn)
        ->setToolTip(tr("Active only when, e.g. optimizer = sgd or optimizer in sgd, adam"));
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(30);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    const int widths[] = {100, 108, 62, 62, 36, 52, 120, 120};
    for (int column = 0; column < ColumnCount; ++column)
        m_table->setColumnWidth(column, widths[column]);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setMinimumHeight(150);
    layout->addWidget(m_table);

    auto* buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add parameter"), this);
    m_add->setObjectName(QStringLiteral("space.add"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("space.remove"));
    m_up = new QPushButton(tr("Move up"), this);
    m_up->setObjectName(QStringLiteral("space.up"));
    m_down = new QPushButton(tr("Move down"), this);
    m_down->setObjectName(QStringLiteral("space.down"));
    for (QPushButton* button : {m_add, m_remove, m_up, m_down})
        buttons->addWidget(button);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &SpaceEditor::addParameter);
    connect(m_remove, &QPushButton::clicked, this, &SpaceEditor::removeCurrent);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrent(1); });
    connect(m_table, &QTableWidget::currentCellChanged, this, &SpaceEditor::updateButtons);
    updateButtons();
}

std::array<QWidget*, SpaceEditor::ColumnCount> SpaceEditor::Row::cells() const {
    return {name, type, low, high, log, step, choices, condition};
}

void SpaceEditor::appendRow(const Json& param) {
    const int index = static_cast<int>(m_rows.size());
    m_table->insertRow(index);
    const QString prefix = QStringLiteral("space[%1].").arg(index);
    auto lineEdit = [&](int column, const QString& key) {
        auto* edit = new QLineEdit;
        edit->setObjectName(prefix + key);
        edit->setFrame(false);
        connect(edit, &QLineEdit::textEdited, this, &SpaceEditor::edited);
        m_table->setCellWidget(index, column, edit);
        return edit;
    };
    Row row{};
    row.name = lineEdit(NameColumn, QStringLiteral("name"));
    row.type = new QComboBox;
    row.type->setObjectName(prefix + QStringLiteral("type"));
    row.type->addItems(kTypes);
    m_table->setCellWidget(index, TypeColumn, row.type);
    row.low = lineEdit(LowColumn, QStringLiteral("low"));
    row.high = lineEdit(HighColumn, QStringLiteral("high"));
    row.log = new QCheckBox;
    row.log->setObjectName(prefix + QStringLiteral("log"));
    row.log->setStyleSheet(QStringLiteral("margin-left: 10px"));
    m_table->setCellWidget(index, LogColumn, row.log);
    row.step = lineEdit(StepColumn, QStringLiteral("step"));
    row.choices = lineEdit(ChoicesColumn, QStringLiteral("choices"));
    row.condition = lineEdit(ConditionColumn, QStringLiteral("when"));
    row.condition->setPlaceholderText(tr("always"));

    Json extra = param.is_object() ? param : Json::object();
    auto take = [&](const char* key) {
        Json value = extra.contains(key) ? extra[key] : Json();
        extra.erase(key);
        return value;
    };
    row.name->setText(textFromJson(take("name")));
    Json type = take("type");
    QString typeText =
        type.is_string() ? QString::fromStdString(type.get<std::string>()) : QString();
    if (row.type->findText(typeText) < 0 && !typeText.isEmpty())
        row.type->addItem(typeText);
    row.type->setCurrentText(typeText.isEmpty() ? QStringLiteral("float") : typeText);
    row.low->setText(textFromJson(take("low")));
    row.high->setText(textFromJson(take("high")));
    Json log = take("log");
    row.log->setChecked(log.is_boolean() && log.get<bool>());
    row.step->setText(textFromJson(take("step")));
    Json choices = take("choices");
    row.choices->setText(choices.is_null() ? QString() : textFromChoices(choices));
    row.condition->setText(textFromCondition(take("when")));
    row.extra = extra;

    for (QWidget* widget : row.cells())
        widget->installEventFilter(this);
    connect(row.type, &QComboBox::currentIndexChanged, this, [this, index] {
        if (m_building)
            return;
        const Row& changed = m_rows[static_cast<std::size_t>(index)];
        updateEnabled(changed);
        emit edited();
        askForChoices(changed);
    });
    connect(row.log, &QCheckBox::toggled, this, [this] {
        if (!m_building)
            emit edited();
    });
    m_rows.push_back(row);
    updateEnabled(m_rows.back());
}

namespace {

// A cell its type does not use is disabled and shows nothing: a float's old
// bounds, greyed on an nb201-cell row, read as that row's bounds. What it
// held comes back if the type does again.
void parkUnless(bool used, QLineEdit* edit) {
    const char* parked = "parkedText";
    edit->setEnabled(used);
    if (!used && !edit->text().isEmpty()) {
        edit->setProperty(parked, edit->text());
        edit->clear();
    } else if (used && edit->text().isEmpty() && edit->property(parked).isValid()) {
        edit->setText(edit->property(parked).toString());
        edit->setProperty(parked, QVariant());
    }
}

void parkUnless(bool used, QCheckBox* box) {
    const char* parked = "parkedChecked";
    const QSignalBlocker quiet(box);  // the type change is the edit
    box->setEnabled(used);
    if (!used && box->isChecked()) {
        box->setProperty(parked, true);
        box->setChecked(false);
    } else if (used && box->property(parked).isValid()) {
        box->setChecked(box->property(parked).toBool());
        box->setProperty(parked, QVariant());
    }
}

}  // namespace

void SpaceEditor::updateEnabled(const Row& row) {
    const QString type = row.type->currentText();
    const bool numeric = isNumeric(type);
    for (QLineEdit* edit : {row.low, row.high, row.step})
        parkUnless(numeric, edit);
    parkUnless(numeric, row.log);
    const bool categorical = type == QLatin1String("categorical");
    parkUnless(categorical, row.choices);
    // The hint only where choices are asked for: on a float's greyed cell it
    // read as that parameter's choices.
    row.choices->setPlaceholderText(categorical ? tr("a, b, c") : QString());
}

void SpaceEditor::askForChoices(const Row& row) {
    // A new categorical's choices are what it needs next, and their column
    // starts out of sight in a narrow window.
    if (row.type->currentText() == QLatin1String("categorical") &&
        row.choices->text().trimmed().isEmpty())
        revealWidget(row.choices);
}

bool SpaceEditor::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::FocusIn) {
        // The table's current cell follows the focus, so its highlight is
        // where the user types (it stayed on the column clicked before).
        for (int i = 0; i < rowCount(); ++i) {
            const auto cells = m_rows[static_cast<std::size_t>(i)].cells();
            for (int column = 0; column < ColumnCount; ++column)
                if (cells[static_cast<std::size_t>(column)] == watched) {
                    m_table->setCurrentCell(i, column);
                    updateButtons();
                }
        }
    }
    return QWidget::eventFilter(watched, event);
}

Json SpaceEditor::rowJson(int index,
                          std::vector<std::pair<std::string, std::string>>* errors) const {
    const Row& row = m_rows[static_cast<std::size_t>(index)];
    const std::string path = "space[" + std::to_string(index) + "]";
    Json out = row.extra;
    out["name"] = row.name->text().trimmed().toStdString();
    const QString type = row.type->currentText();
    out["type"] = type.toStdString();
    if (isNumeric(type)) {
        if (auto low = numberFromText(row.low->text()))
            out["low"] = *low;
        if (auto high = numberFromText(row.high->text()))
            out["high"] = *high;
        if (row.log->isChecked())
            out["log"] = true;
        if (auto step = numberFromText(row.step->text()))
            out["step"] = *step;
    } else if (type == QLatin1String("categorical")) {
        out["choices"] = choicesFromText(row.choices->text());
    }
    auto when = conditionFromText(row.condition->text());
    if (!when) {
        if (errors)
            errors->emplace_back(path + ".when",
                                 "write the condition as 'param = value' or 'param in a, b' "
                                 "(or leave it empty)");
        out["when"] = row.condition->text().trimmed().toStdString();
    } else if (!when->is_null()) {
        out["when"] = *when;
    }
    return out;
}

Json SpaceEditor::toJson(std::vector<std::pair<std::string, std::string>>* errors) const {
    Json out = Json::array();
    for (int i = 0; i < rowCount(); ++i)
        out.push_back(rowJson(i, errors));
    return out;
}

void SpaceEditor::setJson(const Json& space) {
    m_building = true;
    const int current = currentRow();
    // The table deletes cell widgets later; unname them now so nothing finds
    // an old row's editor by its path.
    for (const Row& row : m_rows)
        for (QWidget* widget : row.cells()) {
            widget->setObjectName(QString());
            widget->disconnect(this);
        }
    m_table->setRowCount(0);
    m_rows.clear();
    if (space.is_array())
        for (const Json& param : space)
            appendRow(param);
    m_building = false;
    setCurrentRow(std::min(current, rowCount() - 1));
    updateButtons();
}

QWidget* SpaceEditor::widgetForPath(const std::string& path) const {
    // path: "space", "space[3]", "space[3].low", "space[3].when.param", ...
    if (path.rfind("space[", 0) != 0)
        return m_table;
    const std::size_t close = path.find(']');
    if (close == std::string::npos)
        return m_table;
    int index = std::atoi(path.substr(6, close - 6).c_str());
    if (index < 0 || index >= rowCount())
        return m_table;
    const Row& row = m_rows[static_cast<std::size_t>(index)];
    std::string field = close + 2 <= path.size() ? path.substr(close + 2) : std::string();
    field = field.substr(0, field.find_first_of(".["));
    if (field == "type")
        return row.type;
    if (field == "low")
        return row.low;
    if (field == "high")
        return row.high;
    if (field == "log")
        return row.log;
    if (field == "step")
        return row.step;
    if (field == "choices")
        return row.choices;
    if (field == "when")
        return row.condition;
    return row.name;
}

int SpaceEditor::currentRow() const {
    return m_table->currentRow();
}

void SpaceEditor::setCurrentRow(int row) {
    if (row >= 0 && row < rowCount())
        m_table->setCurrentCell(row, m_table->currentColumn() < 0 ? 0 : m_table->currentColumn());
    updateButtons();
}

void SpaceEditor::addParameter() {
    Json space = toJson();
    int n = rowCount() + 1;
    std::string name = "x" + std::to_string(n);
    for (bool taken = true; taken;) {
        taken = false;
        for (const Json& param : space)
            if (param.value("name", std::string()) == name)
                taken = true;
        if (taken)
            name = "x" + std::to_string(++n);
    }
    space.push_back({{"name", name}, {"type", "float"}, {"low", 0}, {"high", 1}});
    setJson(space);
    setCurrentRow(rowCount() - 1);
    m_rows.back().name->setFocus();
    emit edited();
}

void SpaceEditor::removeCurrent() {
    int row = currentRow();
    if (row < 0 || row >= rowCount())
        return;
    Json space = toJson();
    space.erase(space.begin() + row);
    setJson(space);
    setCurrentRow(std::min(row, rowCount() - 1));
    emit edited();
}

void SpaceEditor::moveCurrent(int delta) {
    int row = currentRow(), target = row + delta;
    if (row < 0 || target < 0 || target >= rowCount())
        return;
    Json space = toJson();
    std::swap(space[static_cast<std::size_t>(row)], space[static_cast<std::size_t>(target)]);
    setJson(space);
    setCurrentRow(target);
    emit edited();
}

void SpaceEditor::updateButtons() {
    const int row = currentRow();
    const bool valid = row >= 0 && row < rowCount();
    m_remove->setEnabled(valid);
    m_up->setEnabled(valid && row > 0);
    m_down->setEnabled(valid && row + 1 < rowCount());
}

}  // namespace bonsai::ui
