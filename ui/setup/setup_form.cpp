#include "setup/setup_form.h"

#include <limits>

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QResizeEvent>
#include <QSpinBox>
#include <QStyle>
#include <QUndoStack>
#include <QVBoxLayout>

#include "helpers/reveal_widget.h"
#include "objectives/test_functions.h"
#include "pruners/pruner.h"
#include "setup/enqueue_table.h"
#include "setup/form_values.h"
#include "setup/kind_settings_editor.h"
#include "setup/nas_space_filler.h"
#include "setup/objectives_editor.h"
#include "setup/setting_catalog.h"
#include "setup/snapshot_command.h"
#include "setup/space_editor.h"
#include "setup/table_space_filler.h"
#include "setup/warm_start_picker.h"
#include "strategies/strategy.h"
#include "study/spec.h"

namespace bonsai::ui {

namespace {

QStringList toQStringList(const std::vector<std::string>& names) {
    QStringList out;
    for (const std::string& name : names)
        out << QString::fromStdString(name);
    return out;
}

QString sectionLabel(const std::string& key) {
    if (key == "name")
        return QObject::tr("Name");
    if (key == "description")
        return QObject::tr("Description");
    if (key == "direction")
        return QObject::tr("Direction");
    if (key == "space")
        return QObject::tr("Search space");
    if (key == "objective")
        return QObject::tr("Objective");
    if (key == "strategy")
        return QObject::tr("Strategy");
    if (key == "pruner")
        return QObject::tr("Pruner");
    if (key == "budget")
        return QObject::tr("Budget");
    if (key == "seed")
        return QObject::tr("Seed");
    if (key == "workers")
        return QObject::tr("Workers");
    if (key == "warm_start")
        return QObject::tr("Warm start from");
    if (key == "enqueue")
        return QObject::tr("Enqueue");
    return QString::fromStdString(key);
}

const char* kInvalidProperty = "invalid";

}  // namespace

QString FormError::text() const {
    if (path.empty())
        return QString::fromStdString(message);
    // "space[2].low" -> "Search space row 3, low"
    QString label;
    std::string rest = path;
    std::size_t end = rest.find_first_of(".[");
    label = sectionLabel(rest.substr(0, end));
    rest = end == std::string::npos ? std::string() : rest.substr(end);
    if (rest.rfind('[', 0) == 0 && (path.rfind("space", 0) == 0 || path.rfind("enqueue", 0) == 0)) {
        std::size_t close = rest.find(']');
        const int number = std::atoi(rest.substr(1, close - 1).c_str()) + 1;
        label += path.rfind("space", 0) == 0 ? QObject::tr(" row %1").arg(number)
                                             : QObject::tr(" point %1").arg(number);
        rest = rest.substr(close + 1);
    }
    if (!rest.empty()) {
        if (rest.front() == '.')
            rest.erase(0, 1);
        // An item of a labelled list ("report[1]", "file[1]" of joined
        // tables) goes by the label and its place: "Report columns, item 2".
        // A deeper path keeps its keys.
        const std::size_t open = rest.find('[');
        const bool item = open != std::string::npos && rest.back() == ']' &&
                          rest.find('.') == std::string::npos && open + 2 < rest.size();
        const bool nested = !item && rest.find_first_of(".[") != std::string::npos;
        label += QStringLiteral(", ") +
                 (field.isEmpty() || nested ? QString::fromStdString(rest) : field);
        if (item && !field.isEmpty())
            label += QObject::tr(", item %1").arg(std::atoi(rest.substr(open + 1).c_str()) + 1);
    }
    return label + QStringLiteral(": ") + QString::fromStdString(message);
}

SetupForm::SetupForm(ObjectiveRegistry objectives, QWidget* parent)
    : QWidget(parent), m_objectives(std::move(objectives)), m_undo(new QUndoStack(this)) {
    setStyleSheet(
        QStringLiteral("*[invalid=\"true\"] { border: 2px solid #d32f2f; "
                       "background: #fdecea; }"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // Study
    auto* studyBox = new QGroupBox(tr("Study"), this);
    auto* studyGrid = new QGridLayout(studyBox);
    m_name = new QLineEdit(studyBox);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setPlaceholderText(tr("a unique name"));
    m_description = new QLineEdit(studyBox);
    m_description->setObjectName(QStringLiteral("description"));
    m_description->setPlaceholderText(tr("optional"));
    m_direction = new QComboBox(studyBox);
    m_direction->setObjectName(QStringLiteral("direction"));
    m_direction->addItems({QStringLiteral("minimize"), QStringLiteral("maximize")});
    m_seed = new QSpinBox(studyBox);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_workers = new QSpinBox(studyBox);
    m_workers->setObjectName(QStringLiteral("workers"));
    m_workers->setRange(1, 256);
    m_workers->setToolTip(tr("Trials evaluated at once"));
    // Name and description get whole rows: a narrow window would otherwise
    // squeeze them to a few characters.
    studyGrid->addWidget(new QLabel(tr("Name"), studyBox), 0, 0);
    studyGrid->addWidget(m_name, 0, 1, 1, 4);
    studyGrid->addWidget(new QLabel(tr("Description"), studyBox), 1, 0);
    studyGrid->addWidget(m_description, 1, 1, 1, 4);
    studyGrid->addWidget(new QLabel(tr("Direction"), studyBox), 2, 0);
    studyGrid->addWidget(m_direction, 2, 1);
    studyGrid->addWidget(new QLabel(tr("Workers"), studyBox), 2, 2);
    studyGrid->addWidget(m_workers, 2, 3);
    studyGrid->addWidget(new QLabel(tr("Seed"), studyBox), 3, 0);
    studyGrid->addWidget(m_seed, 3, 1);
    studyGrid->setColumnStretch(4, 1);
    layout->addWidget(studyBox);

    // Search space
    auto* spaceBox = new QGroupBox(tr("Search space"), this);
    auto* spaceLayout = new QVBoxLayout(spaceBox);
    m_space = new SpaceEditor(spaceBox);
    spaceLayout->addWidget(m_space);
    // Buttons that fill the space to suit the objective, where the space's
    // errors are marked (each shows for its objective kind only).
    m_spaceFromTable = new TableSpaceFiller(spaceBox);
    spaceLayout->addWidget(m_spaceFromTable);
    m_nasSpace = new NasSpaceFiller(spaceBox);
    spaceLayout->addWidget(m_nasSpace);
    layout->addWidget(spaceBox, 1);

    // Objective and strategy side by side, then pruner and budget.
    auto* objectiveBox = new QGroupBox(tr("Objective"), this);
    auto* objectiveLayout = new QVBoxLayout(objectiveBox);
    m_objective =
        new KindSettingsEditor(QStringLiteral("objective"), toQStringList(m_objectives.kinds()),
                               objectiveSettings, objectiveBox);
    objectiveLayout->addWidget(m_objective);
    auto replaceSpace = [this](const Json& space) {
        Json spec = toJson();
        spec["space"] = space;
        setJson(spec);
    };
    connect(m_spaceFromTable, &TableSpaceFiller::spaceChosen, this, replaceSpace);
    connect(m_nasSpace, &NasSpaceFiller::spaceChosen, this, replaceSpace);
    auto* strategyBox = new QGroupBox(tr("Strategy"), this);
    auto* strategyLayout = new QVBoxLayout(strategyBox);
    m_strategy = new KindSettingsEditor(QStringLiteral("strategy"),
                                        toQStringList(StrategyRegistry::builtins().kinds()),
                                        strategySettings, strategyBox);
    strategyLayout->addWidget(m_strategy);
    // The objective gets the full width: a command line or a table path is long.
    layout->addWidget(objectiveBox);
    auto* objectivesBox = new QGroupBox(tr("Objectives and constraints"), this);
    auto* objectivesLayout = new QVBoxLayout(objectivesBox);
    m_objectivesEditor = new ObjectivesEditor(objectivesBox);
    objectivesLayout->addWidget(m_objectivesEditor);
    layout->addWidget(objectivesBox);

    // What the study starts from: earlier studies' trials and fixed points.
    auto* priorBox = new QGroupBox(tr("Warm start and enqueued points"), this);
    auto* priorLayout = new QHBoxLayout(priorBox);
    auto* warmColumn = new QVBoxLayout;
    warmColumn->addWidget(new QLabel(tr("Warm start from"), priorBox));
    m_warmStart = new WarmStartPicker(priorBox);
    warmColumn->addWidget(m_warmStart);
    auto* enqueueColumn = new QVBoxLayout;
    enqueueColumn->addWidget(new QLabel(tr("Enqueue"), priorBox));
    m_enqueue = new EnqueueTable(priorBox);
    enqueueColumn->addWidget(m_enqueue);
    priorLayout->addLayout(warmColumn, 1);
    priorLayout->addLayout(enqueueColumn, 2);
    m_pairedRows.push_back(priorLayout);  // stacks when the form is narrow
    layout->addWidget(priorBox);

    auto* prunerBox = new QGroupBox(tr("Pruner"), this);
    auto* prunerLayout = new QVBoxLayout(prunerBox);
    QStringList prunerKinds = toQStringList(PrunerRegistry::builtins().kinds());
    prunerKinds.removeAll(QStringLiteral("none"));
    prunerKinds.prepend(QStringLiteral("none"));
    m_pruner =
        new KindSettingsEditor(QStringLiteral("pruner"), prunerKinds, prunerSettings, prunerBox);
    m_pruner->setNoneKind(QStringLiteral("none"));
    prunerLayout->addWidget(m_pruner);
    auto* budgetBox = new QGroupBox(tr("Budget"), this);
    auto* budgetForm = new QFormLayout(budgetBox);
    m_budgetTrials = new QLineEdit(budgetBox);
    m_budgetTrials->setObjectName(QStringLiteral("budget.trials"));
    m_budgetTrials->setPlaceholderText(tr("finished trials"));
    m_budgetSeconds = new QLineEdit(budgetBox);
    m_budgetSeconds->setObjectName(QStringLiteral("budget.seconds"));
    m_budgetSeconds->setPlaceholderText(tr("no time limit"));
    m_budgetTarget = new QLineEdit(budgetBox);
    m_budgetTarget->setObjectName(QStringLiteral("budget.target"));
    m_budgetTarget->setPlaceholderText(tr("no target"));
    budgetForm->addRow(tr("Trials"), m_budgetTrials);
    budgetForm->addRow(tr("Seconds"), m_budgetSeconds);
    budgetForm->addRow(tr("Stop at value"), m_budgetTarget);
    auto* row1 = new QBoxLayout(QBoxLayout::LeftToRight);
    m_pairedRows.push_back(row1);
    row1->addWidget(strategyBox, 1);
    row1->addWidget(prunerBox, 1);
    layout->addLayout(row1);
    auto* row2 = new QBoxLayout(QBoxLayout::LeftToRight);
    m_pairedRows.push_back(row2);

    // Where a command's trials run: here, or as Slurm jobs.
    auto* executorBox = new QGroupBox(tr("Executor"), this);
    auto* executorLayout = new QVBoxLayout(executorBox);
    m_executor = new KindSettingsEditor(QStringLiteral("executor"),
                                        {QStringLiteral("local"), QStringLiteral("slurm")},
                                        executorSettings, executorBox);
    m_executor->setNoneKind(QStringLiteral("local"));
    m_executor->setToolTip(
        tr("local: trials run on this machine (Workers at once); slurm: each "
           "trial of a command objective is a batch job"));
    executorLayout->addWidget(m_executor);
    row2->addWidget(budgetBox, 1);
    row2->addWidget(executorBox, 1);
    layout->addLayout(row2);

    for (QLineEdit* edit : {m_name, m_description, m_budgetTrials, m_budgetSeconds, m_budgetTarget})
        connect(edit, &QLineEdit::textEdited, this, &SetupForm::onEdited);
    connect(m_direction, &QComboBox::currentIndexChanged, this, &SetupForm::onEdited);
    connect(m_seed, &QSpinBox::valueChanged, this, &SetupForm::onEdited);
    connect(m_workers, &QSpinBox::valueChanged, this, &SetupForm::onEdited);
    connect(m_space, &SpaceEditor::edited, this, &SetupForm::onEdited);
    for (KindSettingsEditor* editor : {m_objective, m_strategy, m_pruner, m_executor})
        connect(editor, &KindSettingsEditor::edited, this, &SetupForm::onEdited);
    connect(m_objectivesEditor, &ObjectivesEditor::edited, this, &SetupForm::onEdited);
    connect(m_warmStart, &WarmStartPicker::edited, this, &SetupForm::onEdited);
    connect(m_enqueue, &EnqueueTable::edited, this, &SetupForm::onEdited);

    // A burst of typing becomes one undo step.
    m_snapshotTimer.setSingleShot(true);
    m_snapshotTimer.setInterval(500);
    connect(&m_snapshotTimer, &QTimer::timeout, this, &SetupForm::commitEdits);

    resetTo(templateSpec(QStringLiteral("study-1")));
}

Json SetupForm::templateSpec(const QString& name) {
    const auto kinds = StrategyRegistry::builtins().kinds();
    const bool hasGp = std::find(kinds.begin(), kinds.end(), "gp") != kinds.end();
    return Json{
        {"name", name.toStdString()},
        {"direction", "minimize"},
        {"objective", {{"kind", "function"}, {"function", "branin"}}},
        {"space", Json::array({{{"name", "x1"}, {"type", "float"}, {"low", -5}, {"high", 10}},
                               {{"name", "x2"}, {"type", "float"}, {"low", 0}, {"high", 15}}})},
        {"strategy", {{"kind", hasGp ? "gp" : "sobol"}}},
        {"budget", {{"trials", 50}}},
        {"seed", 0}};
}

Json SetupForm::toJson() const {
    Json out = m_extra;
    out["name"] = m_name->text().toStdString();
    if (Json objectives = m_objectivesEditor->objectivesJson(); !objectives.is_null())
        out["objectives"] = std::move(objectives);
    if (Json constraints = m_objectivesEditor->constraintsJson(); !constraints.is_null())
        out["constraints"] = std::move(constraints);
    if (!m_description->text().isEmpty())
        out["description"] = m_description->text().toStdString();
    // A multi-objective spec has a direction per objective instead.
    if (!out.contains("objectives"))
        out["direction"] = m_direction->currentText().toStdString();
    out["space"] = m_space->toJson();
    out["objective"] = m_objective->toJson();
    out["strategy"] = m_strategy->toJson();
    Json pruner = m_pruner->toJson();
    if (!pruner.is_null())
        out["pruner"] = pruner;
    Json budget = Json::object();
    if (auto trials = numberFromText(m_budgetTrials->text()))
        budget["trials"] = *trials;
    if (auto seconds = numberFromText(m_budgetSeconds->text()))
        budget["seconds"] = *seconds;
    if (auto target = numberFromText(m_budgetTarget->text()))
        budget["target"] = *target;
    out["budget"] = budget;
    out["seed"] = m_seed->value();
    Json executor = m_executor->toJson();
    if (!executor.is_null())
        out["executor"] = executor;  // its max_concurrent replaces workers
    else if (m_workers->value() != 1)
        out["workers"] = m_workers->value();
    if (Json warmStart = m_warmStart->toJson(); !warmStart.is_null())
        out["warm_start"] = std::move(warmStart);
    if (Json enqueue = m_enqueue->toJson(); !enqueue.is_null())
        out["enqueue"] = std::move(enqueue);
    return out;
}

void SetupForm::fill(const Json& spec) {
    Json rest = spec.is_object() ? spec : Json::object();
    auto take = [&](const char* key) {
        Json value = rest.contains(key) ? rest[key] : Json();
        rest.erase(key);
        return value;
    };
    const QSignalBlocker blockDirection(m_direction), blockSeed(m_seed), blockWorkers(m_workers);
    m_name->setText(textFromJson(take("name")));
    m_description->setText(textFromJson(take("description")));
    m_description->setCursorPosition(0);  // a long description shows its start, not its tail
    Json direction = take("direction");
    m_direction->setCurrentText(direction.is_string()
                                    ? QString::fromStdString(direction.get<std::string>())
                                    : QStringLiteral("minimize"));
    m_space->setJson(take("space"));
    m_objective->setJson(take("objective"));
    Json strategy = take("strategy");
    m_strategy->setJson(strategy.is_null() ? Json{{"kind", "random"}} : strategy);
    m_pruner->setJson(take("pruner"));
    m_executor->setJson(take("executor"));
    Json budget = take("budget");
    if (!budget.is_object())
        budget = Json::object();
    m_budgetTrials->setText(textFromJson(budget.value("trials", Json())));
    m_budgetSeconds->setText(textFromJson(budget.value("seconds", Json())));
    m_budgetTarget->setText(textFromJson(budget.value("target", Json())));
    Json seed = take("seed");
    m_seed->setValue(seed.is_number_integer() ? static_cast<int>(seed.get<std::int64_t>()) : 0);
    Json workers = take("workers");
    m_workers->setValue(workers.is_number_integer() ? static_cast<int>(workers.get<std::int64_t>())
                                                    : 1);
    Json objectives = take("objectives");
    Json constraints = take("constraints");
    m_objectivesEditor->setJson(objectives, constraints);
    m_warmStart->setJson(take("warm_start"));
    syncEnqueueColumns();
    m_enqueue->setJson(take("enqueue"));
    rest.erase("version");  // the form always writes version 1
    m_extra = rest;
    syncObjectives();
}

void SetupForm::syncObjectives() {
    const bool multiObjective = m_objectivesEditor->objectiveCount() > 0;
    {
        const QSignalBlocker block(m_direction);
        // Not a greyed-out "minimize": each objective has its own direction.
        const int perObjective = m_direction->findText(tr("per objective"));
        if (multiObjective && perObjective < 0)
            m_direction->addItem(tr("per objective"));
        if (multiObjective)
            m_direction->setCurrentText(tr("per objective"));
        else if (perObjective >= 0)
            m_direction->removeItem(perObjective);
    }
    m_direction->setEnabled(!multiObjective);
    m_direction->setToolTip(multiObjective ? tr("Set per objective below") : QString());
    // Pickers: what the objective is known to set as trial attributes.
    QStringList names;
    const Json objective = m_objective->toJson();
    if (objective.is_object()) {
        if (objective.value("kind", "") == "function" && objective.contains("function") &&
            objective["function"].is_string())
            if (const auto* function =
                    findMultiObjectiveTestFunction(objective["function"].get<std::string>()))
                for (const std::string& name : function->objectiveNames)
                    names << QString::fromStdString(name);
        for (const char* key : {"metric", "cost"})
            if (objective.contains(key) && objective[key].is_string())
                names << QString::fromStdString(objective[key].get<std::string>());
        if (objective.contains("report") && objective["report"].is_array())
            for (const Json& column : objective["report"])
                if (column.is_string())
                    names << QString::fromStdString(column.get<std::string>());
    }
    names.removeDuplicates();
    m_objectivesEditor->setSuggestions(names);
}

void SetupForm::setJson(const Json& spec) {
    commitEdits();
    Json before = toJson();
    applySnapshot(spec);
    Json after = toJson();
    if (before != after)
        m_undo->push(new SnapshotCommand(
            before, after, [this](const Json& s) { applySnapshot(s); }, tr("load spec")));
    m_snapshot = after;
}

void SetupForm::resetTo(const Json& spec) {
    m_snapshotTimer.stop();
    applySnapshot(spec);
    m_snapshot = toJson();
    m_undo->clear();
}

namespace {

// The function a function objective names ("" for other objectives).
std::string functionOf(const Json& objective) {
    if (!objective.is_object() || objective.value("kind", "") != "function")
        return {};
    const auto found = objective.find("function");
    return found != objective.end() && found->is_string() ? found->get<std::string>() : "";
}

// The search space a test function is usually searched over: x1, x2, ...
// on its domain, in its own dimension; two variables for functions of any
// dimension (Ackley, Rosenbrock, ...), and at most six for ZDT and DTLZ2
// (30 and 12 in their papers, but the README's benchmarks use 6). Null for
// a name that is no test function.
Json functionSpace(const std::string& name) {
    std::vector<std::pair<double, double>> domains;
    if (const TestFunction* function = findTestFunction(name)) {
        const int dimension = function->dimension > 0 ? function->dimension : 2;
        for (int i = 0; i < dimension; ++i)
            domains.push_back(function->domain(i));
    } else if (const MultiObjectiveTestFunction* multi = findMultiObjectiveTestFunction(name)) {
        const int dimension = std::max(multi->minDimension, std::min(6, multi->paperDimension));
        domains.assign(static_cast<std::size_t>(dimension), multi->domain);
    } else {
        return nullptr;
    }
    Json space = Json::array();
    for (std::size_t i = 0; i < domains.size(); ++i)
        space.push_back({{"name", "x" + std::to_string(i + 1)},
                         {"type", "float"},
                         {"low", domains[i].first},
                         {"high", domains[i].second}});
    return space;
}

// Whether `space` is still `function`'s usual space (functionSpace): the
// same parameters and bounds, numbers compared as numbers, nothing added.
bool isFunctionSpace(const Json& space, const std::string& function) {
    const Json usual = functionSpace(function);
    if (!usual.is_array() || !space.is_array() || space.size() != usual.size())
        return false;
    for (std::size_t i = 0; i < usual.size(); ++i) {
        const Json& param = space[i];
        if (!param.is_object() || param.size() != usual[i].size())
            return false;
        for (const auto& [key, value] : usual[i].items())
            if (!param.contains(key) || !(param[key] == value))
                return false;
    }
    return true;
}

// A multi-objective test function's objectives as the spec writes them:
// minimized, at the benchmarks' reference point.
Json objectivesOf(const MultiObjectiveTestFunction& function) {
    Json out = Json::array();
    for (std::size_t i = 0; i < function.objectiveNames.size(); ++i)
        out.push_back({{"name", function.objectiveNames[i]},
                       {"direction", "minimize"},
                       {"reference", function.reference[i]}});
    return out;
}

}  // namespace

void SetupForm::applySnapshot(const Json& spec) {
    m_applying = true;
    fill(spec);
    m_applying = false;
    // A loaded spec's objectives are its own: only a later pick of another
    // function changes them.
    m_function = functionOf(m_objective->toJson());
    m_snapshot = toJson();
    validate();
    emit contentChanged();
}

void SetupForm::syncEnqueueColumns() {
    QStringList names;
    const Json space = m_space->toJson();
    for (const Json& param : space.is_array() ? space : Json::array())
        if (param.is_object() && param.contains("name") && param["name"].is_string())
            names << QString::fromStdString(param["name"].get<std::string>());
    m_enqueue->setParameters(names);
}

void SetupForm::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const auto direction = width() < 640 ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight;
    for (QBoxLayout* row : m_pairedRows)
        if (row->direction() != direction)
            row->setDirection(direction);
}

void SetupForm::followPickedFunction() {
    const std::string function = functionOf(m_objective->toJson());
    if (function == m_function)
        return;
    const MultiObjectiveTestFunction* before = findMultiObjectiveTestFunction(m_function);
    const MultiObjectiveTestFunction* after = findMultiObjectiveTestFunction(function);
    // A space still as the previous function has it follows to the new one.
    if (isFunctionSpace(m_space->toJson(), m_function)) {
        if (Json space = functionSpace(function); space.is_array()) {
            const QSignalBlocker blockSpace(m_space);
            m_space->setJson(space);
        }
    }
    m_function = function;
    const Json current = m_objectivesEditor->objectivesJson();
    const QSignalBlocker block(m_objectivesEditor);  // part of this edit, not another one
    if (before && current == objectivesOf(*before))
        m_objectivesEditor->setJson(Json(), m_objectivesEditor->constraintsJson());
    if (after && m_objectivesEditor->objectiveCount() == 0)
        m_objectivesEditor->setJson(objectivesOf(*after), m_objectivesEditor->constraintsJson());
}

void SetupForm::onEdited() {
    if (m_applying)
        return;
    followPickedFunction();
    syncObjectives();
    syncEnqueueColumns();
    m_snapshotTimer.start();
    validate();
    emit contentChanged();
}

void SetupForm::commitEdits() {
    m_snapshotTimer.stop();
    Json current = toJson();
    if (current == m_snapshot)
        return;
    m_undo->push(new SnapshotCommand(
        m_snapshot, current, [this](const Json& s) { applySnapshot(s); }, tr("edit")));
    m_snapshot = current;
}

void SetupForm::setTakenNames(const QStringList& names) {
    m_takenNames = names;
    m_warmStart->setAvailableStudies(names);  // the studies one can start from
    validate();
}

void SetupForm::setDatabaseCheck(DatabaseCheck check) {
    m_databaseCheck = std::move(check);
    validate();
}

void SetupForm::validate() {
    const bool wasValid = isValid();
    std::vector<std::pair<std::string, std::string>> formErrors;
    Json spec = toJson();
    m_space->toJson(&formErrors);
    m_objective->toJson(&formErrors);
    m_strategy->toJson(&formErrors);
    m_pruner->toJson(&formErrors);
    m_executor->toJson(&formErrors);
    m_workers->setEnabled(m_executor->kind() == QLatin1String("local"));
    m_spaceFromTable->setObjective(spec["objective"]);
    m_nasSpace->setObjective(spec["objective"]);
    m_error.reset();
    if (!formErrors.empty()) {
        m_error = FormError{formErrors.front().first, formErrors.front().second, {}};
    } else {
        try {
            StudySpec parsed = parseStudySpec(spec, m_objectives);
            if (m_takenNames.contains(QString::fromStdString(parsed.name)))
                m_error = FormError{"name",
                                    "a study named '" + parsed.name +
                                        "' already exists in this database; choose another name",
                                    {}};
            else if (m_databaseCheck)
                m_databaseCheck(parsed);
        } catch (const SpecError& error) {
            m_error = FormError{error.path(), error.message(), {}};
        } catch (const std::exception& error) {
            m_error = FormError{"objective", error.what(), {}};
        }
    }
    if (m_error) {
        m_error->field = fieldLabel(m_error->path);
        m_error->message += fillerHint(m_error->path);
    }
    markError();
    if (wasValid != isValid())
        emit validityChanged(isValid());
}

std::string SetupForm::fillerHint(const std::string& path) const {
    // isHidden, not isVisible: the form itself may not be on screen yet.
    // A whole parameter ("space[0]": one the training does not read), not a
    // field of one ("space[1].low"), which its own fix suits better.
    if (path.rfind("space", 0) == 0 && path.find('.') == std::string::npos &&
        !m_nasSpace->isHidden())
        return tr("; or press 'Search space for NAS' under the search space").toStdString();
    if (path == "objective.key" && !m_spaceFromTable->isHidden())
        return tr("; or press 'Search space from the table' under the search space").toStdString();
    return {};
}

void SetupForm::markError() {
    auto setMark = [](QWidget* widget, bool on, const QString& tip) {
        // Keep the widget's own tooltip to give it back when the error is fixed.
        if (on && !widget->property(kInvalidProperty).toBool())
            widget->setProperty("plainToolTip", widget->toolTip());
        widget->setProperty(kInvalidProperty, on);
        widget->setToolTip(on ? tip : widget->property("plainToolTip").toString());
        widget->style()->unpolish(widget);
        widget->style()->polish(widget);
    };
    if (m_marked)
        setMark(m_marked, false, QString());
    m_marked = nullptr;
    if (!m_error)
        return;
    if (QWidget* widget = widgetForPath(m_error->path)) {
        setMark(widget, true, m_error->text());
        m_marked = widget;
    }
}

bool SetupForm::revealError() {
    if (!m_error || !m_marked)
        return false;
    revealWidget(m_marked);
    m_marked->setFocus(Qt::OtherFocusReason);
    return true;
}

QString SetupForm::fieldLabel(const std::string& path) const {
    // A kind's settings sit in form layouts, some in a row with a button
    // ("Table (CSV)" and its "..."): the label belongs to the widget or to
    // the row holding it.
    QWidget* widget = widgetForPath(path);
    for (int up = 0; widget && up < 2; ++up, widget = widget->parentWidget()) {
        QWidget* parent = widget->parentWidget();
        auto* form = parent ? qobject_cast<QFormLayout*>(parent->layout()) : nullptr;
        if (!form)
            continue;
        if (auto* label = qobject_cast<QLabel*>(form->labelForField(widget)))
            return label->text().remove(QLatin1Char('&'));
    }
    return {};
}

QWidget* SetupForm::widgetForPath(const std::string& path) const {
    const std::string key = path.substr(0, path.find_first_of(".["));
    const std::string rest = key.size() < path.size() && path[key.size()] == '.'
                                 ? path.substr(key.size() + 1)
                                 : std::string();
    if (key == "name")
        return m_name;
    if (key == "description")
        return m_description;
    if (key == "direction")
        return m_direction;
    if (key == "seed")
        return m_seed;
    if (key == "workers")
        return m_workers;
    if (key == "space")
        return m_space->widgetForPath(path);
    if (key == "objective")
        return m_objective->widgetForPath(rest);
    if (key == "strategy")
        return m_strategy->widgetForPath(rest);
    if (key == "pruner")
        return m_pruner->widgetForPath(rest);
    if (key == "executor")
        return m_executor->widgetForPath(rest);
    if (key == "objectives" || key == "constraints")
        return m_objectivesEditor->widgetForPath(path);
    if (key == "warm_start")
        return m_warmStart->widgetForPath(path);
    if (key == "enqueue")
        return m_enqueue->widgetForPath(path);
    if (key == "budget") {
        if (rest.rfind("seconds", 0) == 0)
            return m_budgetSeconds;
        if (rest.rfind("target", 0) == 0)
            return m_budgetTarget;
        return m_budgetTrials;
    }
    return nullptr;
}

}  // namespace bonsai::ui
