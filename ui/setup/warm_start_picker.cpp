#include "setup/warm_start_picker.h"

#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include "study/warm_start.h"

namespace bonsai::ui {

WarmStartPicker::WarmStartPicker(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("warm_start.studies"));
    m_list->setToolTip(
        tr("The complete trials of the checked studies become prior observations: gp conditions "
           "on them, tpe counts them, evolution and nsga2 start their population from them. They "
           "do not count toward the budget."));
    m_list->setMaximumHeight(110);
    m_database = new QLineEdit(this);
    m_database->setObjectName(QStringLiteral("warm_start.database"));
    m_database->setPlaceholderText(tr("this database (or the path of another .db file)"));
    // A started study's record of its priors (where they came from).
    m_record = new QLabel(this);
    m_record->setObjectName(QStringLiteral("warm_start.record"));
    m_record->setWordWrap(true);
    m_record->hide();
    layout->addWidget(m_list);
    layout->addWidget(m_database);
    layout->addWidget(m_record);

    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (m_rebuilding)
            return;
        const QString name = item->data(Qt::UserRole).toString();
        m_raw = Json();
        if (item->checkState() == Qt::Checked && !m_checked.contains(name))
            m_checked << name;
        if (item->checkState() != Qt::Checked)
            m_checked.removeAll(name);
        emit edited();
    });
    connect(m_database, &QLineEdit::textEdited, this, [this] {
        m_raw = Json();
        emit edited();
    });
}

void WarmStartPicker::setAvailableStudies(const QStringList& names) {
    if (names == m_available)
        return;
    m_available = names;
    rebuild();
}

void WarmStartPicker::setChecked(const QString& study, bool checked) {
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem* item = m_list->item(row);
        if (item->data(Qt::UserRole).toString() == study)
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

void WarmStartPicker::rebuild() {
    m_rebuilding = true;
    m_list->clear();
    QStringList shown = m_available;
    for (const QString& name : m_checked)
        if (!shown.contains(name))
            shown << name;
    for (const QString& name : shown) {
        auto* item = new QListWidgetItem(m_list);
        const bool here = m_available.contains(name);
        item->setText(here ? name : tr("%1 (not in the open database)").arg(name));
        item->setData(Qt::UserRole, name);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(m_checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    if (shown.isEmpty()) {
        // Greyed (a stored study's spec, read-only), the list tells what the
        // spec chose, not what the database holds.
        auto* item = new QListWidgetItem(
            isEnabled() ? tr("no studies in the open database yet") : tr("none"), m_list);
        item->setFlags(Qt::NoItemFlags);
    }
    m_rebuilding = false;
}

void WarmStartPicker::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::EnabledChange)
        rebuild();
}

Json WarmStartPicker::toJson() const {
    if (!m_raw.is_null())
        return m_raw;
    if (m_checked.isEmpty() && m_database->text().isEmpty() && m_rest.empty())
        return Json();
    Json out = Json::object();
    Json studies = Json::array();
    for (const QString& name : m_checked)
        studies.push_back(name.toStdString());
    out["studies"] = std::move(studies);
    if (!m_database->text().isEmpty())
        out["database"] = m_database->text().toStdString();
    for (const auto& [key, value] : m_rest.items())
        out[key] = value;
    return out;
}

void WarmStartPicker::setJson(const Json& warmStart) {
    m_checked.clear();
    m_rest = Json::object();
    m_raw = Json();
    m_database->clear();
    if (!warmStart.is_null() && !warmStart.is_object()) {
        m_raw = warmStart;  // the validator names what is wrong with it
    } else if (warmStart.is_object()) {
        Json rest = warmStart;
        Json studies = rest.contains("studies") ? rest["studies"] : Json();
        rest.erase("studies");
        // Names only: anything else in the list goes back as typed.
        bool names = studies.is_array();
        for (const Json& name : names ? studies : Json::array())
            names = names && name.is_string() && !m_checked.contains(QString::fromStdString(name));
        if (names) {
            for (const Json& name : studies)
                m_checked << QString::fromStdString(name.get<std::string>());
        } else if (!studies.is_null()) {
            m_raw = warmStart;
        }
        if (rest.contains("database") && rest["database"].is_string()) {
            m_database->setText(QString::fromStdString(rest["database"].get<std::string>()));
            rest.erase("database");
        }
        m_rest = rest;
    }
    const std::string record = m_rest.contains("observations")
                                   ? warmStartSummary(Json{{"warm_start", warmStart}})
                                   : std::string();
    m_record->setText(tr("Prior observations taken: %1").arg(QString::fromStdString(record)));
    m_record->setVisible(!record.empty());
    rebuild();
}

QString WarmStartPicker::recordText() const {
    return m_record->isHidden() ? QString() : m_record->text();
}

QWidget* WarmStartPicker::widgetForPath(const std::string& path) const {
    if (path.rfind("warm_start.database", 0) == 0)
        return m_database;
    return m_list;
}

}  // namespace bonsai::ui
