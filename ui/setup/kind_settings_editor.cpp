#include "setup/kind_settings_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>

#include "setup/form_values.h"

namespace bonsai::ui {

namespace {

// Holds "Other settings" text that is not a JSON object yet.
const char* kUnparsedKey = "$other";

}  // namespace

KindSettingsEditor::KindSettingsEditor(QString section, QStringList kinds, Catalog catalog,
                                       QWidget* parent)
    : QWidget(parent), m_section(std::move(section)), m_catalog(std::move(catalog)) {
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(m_section + QStringLiteral(".kind"));
    m_kind->addItems(kinds);
    m_form->addRow(tr("Kind"), m_kind);
    m_other = new QLineEdit(this);
    m_other->setObjectName(m_section + QStringLiteral(".other"));
    m_other->setPlaceholderText(tr("other settings as JSON, e.g. {\"key\": 1}"));
    m_form->addRow(tr("Other settings"), m_other);
    connect(m_kind, &QComboBox::currentTextChanged, this, [this] {
        if (m_building)
            return;
        rebuildFields();
        emit edited();
    });
    connect(m_other, &QLineEdit::textEdited, this, &KindSettingsEditor::edited);
    rebuildFields();
}

void KindSettingsEditor::setNoneKind(const QString& kind) {
    m_noneKind = kind;
}

QString KindSettingsEditor::kind() const {
    return m_kind->currentText();
}

void KindSettingsEditor::rebuildFields() {
    // Rows between "Kind" (row 0) and "Other settings" (the last row).
    while (m_form->rowCount() > 2)
        m_form->removeRow(1);
    m_widgets.clear();
    m_fields = m_catalog(kind());
    int row = 1;
    for (const SettingField& field : m_fields) {
        QWidget* widget = nullptr;
        const QString name = m_section + QLatin1Char('.') + field.key;
        if (field.type == SettingField::Type::Choice) {
            auto* combo = new QComboBox(this);
            if (!field.required)
                combo->addItem(tr("default (%1)").arg(field.hint), QString());
            for (const QString& choice : field.choices)
                combo->addItem(choice, choice);
            connect(combo, &QComboBox::currentIndexChanged, this, [this] {
                if (!m_building)
                    emit edited();
            });
            widget = combo;
        } else {
            auto* edit = new QLineEdit(this);
            if (!field.hint.isEmpty())
                edit->setPlaceholderText(tr("default: %1").arg(field.hint));
            connect(edit, &QLineEdit::textEdited, this, &KindSettingsEditor::edited);
            widget = edit;
        }
        widget->setObjectName(name);
        m_form->insertRow(row++, field.label, widget);
        m_widgets[field.key] = widget;
    }
    m_other->setVisible(kind() != m_noneKind || m_noneKind.isEmpty());
    m_form->labelForField(m_other)->setVisible(!m_other->isHidden());
}

Json KindSettingsEditor::toJson(std::vector<std::pair<std::string, std::string>>* errors) const {
    if (!m_noneKind.isEmpty() && kind() == m_noneKind)
        return Json();
    Json out = Json::object();
    const QString otherText = m_other->text().trimmed();
    if (!otherText.isEmpty()) {
        Json other = Json::parse(otherText.toStdString(), nullptr, false);
        if (other.is_object()) {
            out = other;
        } else {
            // Kept as typed, so undo and the JSON view see the broken text too.
            out[kUnparsedKey] = otherText.toStdString();
            if (errors)
                errors->emplace_back(m_section.toStdString() + ".other",
                                     "other settings must be a JSON object such as {\"key\": 1}; "
                                     "fix or clear that field");
        }
    }
    out["kind"] = kind().toStdString();
    for (const SettingField& field : m_fields) {
        QWidget* widget = m_widgets.at(field.key);
        const std::string key = field.key.toStdString();
        if (auto* combo = qobject_cast<QComboBox*>(widget)) {
            QString value = combo->currentData().toString();
            if (!value.isEmpty())
                out[key] = value.toStdString();
        } else if (auto* edit = qobject_cast<QLineEdit*>(widget)) {
            if (field.type == SettingField::Type::Text) {
                if (!edit->text().isEmpty())
                    out[key] = edit->text().toStdString();
            } else if (auto value = numberFromText(edit->text())) {
                out[key] = *value;
            }
        }
    }
    return out;
}

void KindSettingsEditor::setKind(const QString& kind) {
    int index = m_kind->findText(kind);
    if (index < 0) {
        // Unknown to this build: keep it so the validator can name it.
        m_kind->addItem(kind);
        index = m_kind->count() - 1;
    }
    m_kind->setCurrentIndex(index);
}

void KindSettingsEditor::setJson(const Json& value) {
    m_building = true;
    Json rest = value.is_object() ? value : Json::object();
    if (value.is_object() && value.contains("kind") && value["kind"].is_string())
        setKind(QString::fromStdString(value["kind"].get<std::string>()));
    else if (!m_noneKind.isEmpty())
        setKind(m_noneKind);
    rest.erase("kind");
    rebuildFields();
    for (const SettingField& field : m_fields) {
        const std::string key = field.key.toStdString();
        if (!rest.contains(key))
            continue;
        QWidget* widget = m_widgets.at(field.key);
        if (auto* combo = qobject_cast<QComboBox*>(widget)) {
            QString text = textFromJson(rest[key]);
            int index = combo->findData(text);
            if (index < 0) {
                combo->addItem(text, text);
                index = combo->count() - 1;
            }
            combo->setCurrentIndex(index);
        } else if (auto* edit = qobject_cast<QLineEdit*>(widget)) {
            edit->setText(textFromJson(rest[key]));
        }
        rest.erase(key);
    }
    if (rest.contains(kUnparsedKey) && rest[kUnparsedKey].is_string()) {
        m_other->setText(QString::fromStdString(rest[kUnparsedKey].get<std::string>()));
    } else {
        m_other->setText(rest.empty() ? QString() : QString::fromStdString(rest.dump()));
    }
    m_building = false;
}

QWidget* KindSettingsEditor::widgetForPath(const std::string& subpath) const {
    if (subpath.empty() || subpath == "kind")
        return m_kind;
    std::string key = subpath.substr(0, subpath.find_first_of(".["));
    auto it = m_widgets.find(QString::fromStdString(key));
    if (it != m_widgets.end())
        return it->second;
    return !m_other->isHidden() ? m_other : static_cast<QWidget*>(m_kind);
}

}  // namespace bonsai::ui
