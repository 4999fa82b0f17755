#include "setup/kind_settings_editor.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QToolButton>
#include <exception>

#include "objectives/csv_table.h"
#include "setup/form_values.h"

namespace bonsai::ui {

// The inverse of QProcess::splitCommand: words with spaces or quotes are
// quoted, and a literal quote is written as three.
QString joinCommandLine(const Json& words) {
    QStringList out;
    for (const Json& word : words) {
        QString text = QString::fromStdString(word.get<std::string>());
        if (text.isEmpty() || text.contains(QRegularExpression(QStringLiteral("[\\s\"]"))))
            text = QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"\"")) +
                   QLatin1Char('"');
        out << text;
    }
    return out.join(QLatin1Char(' '));
}

namespace {

// Holds "Other settings" text that is not a JSON object yet.
const char* kUnparsedKey = "$other";

using Type = SettingField::Type;

// The columns of a CSV file's header, and those whose first row holds a
// number (all of them when the first row cannot tell); empty when the file
// cannot be read or its header is bad (the spec's validation names the fault).
struct CsvColumns {
    QStringList all;
    QStringList numbers;
};

CsvColumns csvColumns(const QString& path) {
    if (path.isEmpty())
        return {};
    CsvColumns columns;
    try {
        const CsvTable::Head head = CsvTable::readHead(path.toStdString());
        const bool rowTells = head.firstRow.size() == head.header.size();
        for (std::size_t c = 0; c < head.header.size(); ++c) {
            const QString name = QString::fromStdString(head.header[c]);
            columns.all << name;
            if (!rowTells || parseCsvNumber(head.firstRow[c]))
                columns.numbers << name;
        }
    } catch (const std::exception&) {
        return {};
    }
    return columns;
}

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
    m_knownKinds = kinds;
    m_form->addRow(tr("Kind"), m_kind);
    m_other = new QLineEdit(this);
    m_other->setObjectName(m_section + QStringLiteral(".other"));
    m_other->setPlaceholderText(tr("other settings as JSON, e.g. {\"key\": 1}"));
    m_form->addRow(tr("Other settings"), m_other);
    connect(m_kind, &QComboBox::currentTextChanged, this, [this] {
        if (m_building)
            return;
        // Other settings of a kind this build does not know (an imported
        // study's "from" and "file", say) cannot belong to the chosen one.
        if (!m_knownKinds.contains(m_fieldsKind))
            m_other->clear();
        rebuildFields();
        emit edited();
    });
    connect(m_other, &QLineEdit::textEdited, this, &KindSettingsEditor::edited);
    rebuildFields();
}

void KindSettingsEditor::setNoneKind(const QString& kind) {
    m_noneKind = kind;
    rebuildFields();
}

QString KindSettingsEditor::kind() const {
    return m_kind->currentText();
}

void KindSettingsEditor::rebuildFields() {
    // Rows between "Kind" (row 0) and "Other settings" (the last row).
    while (m_form->rowCount() > 2)
        m_form->removeRow(1);
    m_widgets.clear();
    m_fieldsKind = kind();
    m_fields = m_catalog(kind());
    int row = 1;
    for (const SettingField& field : m_fields) {
        const QString name = m_section + QLatin1Char('.') + field.key;
        QWidget* widget = nullptr;
        QWidget* rowWidget = nullptr;
        auto editedUnlessBuilding = [this] {
            if (!m_building)
                emit edited();
        };
        switch (field.type) {
            case Type::Choice:
            case Type::Bool: {
                auto* combo = new QComboBox(this);
                if (!field.required)
                    combo->addItem(tr("default (%1)").arg(field.hint), QString());
                const QStringList choices =
                    field.type == Type::Bool
                        ? QStringList{QStringLiteral("true"), QStringLiteral("false")}
                        : field.choices;
                for (const QString& choice : choices)
                    combo->addItem(choice, choice);
                // A long default ("default (logei; ehvi for two objectives...)")
                // must not widen the form: the popup still shows it whole.
                combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
                combo->setMinimumContentsLength(14);
                connect(combo, &QComboBox::currentIndexChanged, this, editedUnlessBuilding);
                widget = combo;
                break;
            }
            case Type::Column: {
                auto* combo = new QComboBox(this);
                combo->setEditable(true);
                combo->setInsertPolicy(QComboBox::NoInsert);
                if (!field.hint.isEmpty())
                    combo->lineEdit()->setPlaceholderText(field.hint);
                connect(combo, &QComboBox::currentTextChanged, this, editedUnlessBuilding);
                widget = combo;
                break;
            }
            case Type::Folder:
            case Type::File: {
                // A path with a Browse button; a table's path also feeds the
                // column pickers.
                const bool folder = field.type == Type::Folder;
                auto* edit = new QLineEdit(this);
                edit->setPlaceholderText(folder ? tr("default: %1").arg(field.hint)
                                                : tr("path of a CSV file"));
                auto* browse = new QToolButton(this);
                browse->setText(tr("…"));
                browse->setToolTip(folder ? tr("Choose a folder") : tr("Choose the table"));
                auto pathChanged = [this, folder] {
                    if (!folder)
                        updateColumnChoices();
                    emit edited();
                };
                connect(edit, &QLineEdit::textEdited, this, pathChanged);
                connect(browse, &QToolButton::clicked, this, [this, edit, folder, pathChanged] {
                    QString path = folder ? QFileDialog::getExistingDirectory(
                                                this, tr("Choose a folder"), edit->text())
                                          : QFileDialog::getOpenFileName(
                                                this, tr("Choose a table"), edit->text(),
                                                tr("CSV tables (*.csv);;All files (*)"));
                    if (path.isEmpty())
                        return;
                    edit->setText(path);
                    pathChanged();
                });
                rowWidget = new QWidget(this);
                auto* layout = new QHBoxLayout(rowWidget);
                layout->setContentsMargins(0, 0, 0, 0);
                layout->addWidget(edit, 1);
                layout->addWidget(browse);
                widget = edit;
                break;
            }
            case Type::CommandLine: {
                auto* edit = new QLineEdit(this);
                edit->setPlaceholderText(tr("e.g. %1").arg(field.hint));
                edit->setToolTip(
                    tr("The program and its arguments. {name} is replaced by that parameter's "
                       "value; quote words that contain spaces (\"a b\")."));
                connect(edit, &QLineEdit::textEdited, this, &KindSettingsEditor::edited);
                widget = edit;
                break;
            }
            default: {
                auto* edit = new QLineEdit(this);
                if (!field.hint.isEmpty())
                    edit->setPlaceholderText(tr("default: %1").arg(field.hint));
                if (field.type == Type::ColumnList)
                    edit->setPlaceholderText(tr("columns, comma-separated"));
                connect(edit, &QLineEdit::textEdited, this, &KindSettingsEditor::edited);
                widget = edit;
                break;
            }
        }
        widget->setObjectName(name);
        if (widget->toolTip().isEmpty() && !field.doc.isEmpty())
            widget->setToolTip(field.doc);
        m_form->insertRow(row++, field.label, rowWidget ? rowWidget : widget);
        m_widgets[field.key] = widget;
    }
    m_other->setVisible(kind() != m_noneKind || m_noneKind.isEmpty());
    m_form->labelForField(m_other)->setVisible(!m_other->isHidden());
    updateColumnChoices();
}

void KindSettingsEditor::updateColumnChoices() {
    QString file;
    for (const SettingField& field : m_fields)
        if (field.type == Type::File)
            file = static_cast<QLineEdit*>(m_widgets.at(field.key))->text();
    const CsvColumns columns = csvColumns(file);
    const bool wasBuilding = m_building;
    m_building = true;
    for (const SettingField& field : m_fields) {
        if (field.type == Type::Column) {
            auto* combo = static_cast<QComboBox*>(m_widgets.at(field.key));
            const QString current = combo->currentText();
            combo->clear();
            if (!field.required)
                combo->addItem(QString());
            combo->addItems(field.numbers ? columns.numbers : columns.all);
            combo->setCurrentText(current);
        } else if (field.type == Type::ColumnList && !columns.all.isEmpty()) {
            m_widgets.at(field.key)->setToolTip(
                tr("Columns: %1").arg(columns.all.join(QStringLiteral(", "))));
        }
    }
    m_building = wasBuilding;
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
        switch (field.type) {
            case Type::Choice: {
                QString value = static_cast<QComboBox*>(widget)->currentData().toString();
                if (!value.isEmpty())
                    out[key] = value.toStdString();
                break;
            }
            case Type::Bool: {
                QString value = static_cast<QComboBox*>(widget)->currentData().toString();
                if (!value.isEmpty())
                    out[key] = value == QLatin1String("true");
                break;
            }
            case Type::Column: {
                QString value = static_cast<QComboBox*>(widget)->currentText().trimmed();
                if (!value.isEmpty())
                    out[key] = value.toStdString();
                break;
            }
            case Type::ColumnList: {
                Json list = Json::array();
                for (const QString& column :
                     static_cast<QLineEdit*>(widget)->text().split(QLatin1Char(',')))
                    if (!column.trimmed().isEmpty())
                        list.push_back(column.trimmed().toStdString());
                if (!list.empty())
                    out[key] = list;
                break;
            }
            case Type::Text:
            case Type::File:
            case Type::Folder: {
                QString value = static_cast<QLineEdit*>(widget)->text();
                if (!value.isEmpty())
                    out[key] = value.toStdString();
                break;
            }
            case Type::CommandLine: {
                const QStringList words =
                    QProcess::splitCommand(static_cast<QLineEdit*>(widget)->text());
                if (words.isEmpty())
                    break;
                Json list = Json::array();
                for (const QString& word : words)
                    list.push_back(word.toStdString());
                out[key] = list;
                break;
            }
            case Type::Integer:
            case Type::Number:
                if (auto value = numberFromText(static_cast<QLineEdit*>(widget)->text()))
                    out[key] = *value;
                break;
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
    m_building = true;
    // The file first, so column pickers know the header.
    QList<SettingField> ordered = m_fields;
    std::stable_partition(ordered.begin(), ordered.end(),
                          [](const SettingField& field) { return field.type == Type::File; });
    for (const SettingField& field : ordered) {
        const std::string key = field.key.toStdString();
        if (!rest.contains(key))
            continue;
        const Json& json = rest[key];
        QWidget* widget = m_widgets.at(field.key);
        bool taken = true;
        switch (field.type) {
            case Type::Choice:
            case Type::Bool: {
                auto* combo = static_cast<QComboBox*>(widget);
                QString text = textFromJson(json);
                int index = combo->findData(text);
                if (index < 0) {
                    combo->addItem(text, text);
                    index = combo->count() - 1;
                }
                combo->setCurrentIndex(index);
                break;
            }
            case Type::Column:
                static_cast<QComboBox*>(widget)->setCurrentText(textFromJson(json));
                break;
            case Type::ColumnList: {
                QStringList columns;
                taken = json.is_array();
                if (taken)
                    for (const Json& column : json)
                        columns << textFromJson(column);
                if (taken)
                    static_cast<QLineEdit*>(widget)->setText(columns.join(QStringLiteral(", ")));
                break;
            }
            case Type::File:
                // A list of tables (joined on "key") stays in the other
                // settings; the empty field says where it went.
                taken = json.is_string();
                if (!taken) {
                    if (json.is_array())
                        static_cast<QLineEdit*>(widget)->setPlaceholderText(
                            tr("%n tables joined, in Other settings", "",
                               static_cast<int>(json.size())));
                    break;
                }
                static_cast<QLineEdit*>(widget)->setText(textFromJson(json));
                updateColumnChoices();
                m_building = true;
                break;
            case Type::CommandLine: {
                // Only a list of strings has a faithful one-line form.
                taken = json.is_array() &&
                        std::all_of(json.begin(), json.end(),
                                    [](const Json& word) { return word.is_string(); });
                if (taken)
                    static_cast<QLineEdit*>(widget)->setText(joinCommandLine(json));
                break;
            }
            default:
                static_cast<QLineEdit*>(widget)->setText(textFromJson(json));
                break;
        }
        if (taken)
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
