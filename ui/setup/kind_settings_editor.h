#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <QWidget>

#include "setup/setting_catalog.h"
#include "space/param_value.h"

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace bonsai::ui {

// A command line for display: the inverse of QProcess::splitCommand.
QString joinCommandLine(const Json& words);

// A spec section chosen by kind, e.g. "strategy": {"kind": "grid",
// "resolution": 7}. A combo picks the kind; the catalog's fields for that
// kind follow; keys the catalog does not know live in an "Other settings"
// JSON field, so every spec round-trips through the form.
class KindSettingsEditor : public QWidget {
    Q_OBJECT
  public:
    using Catalog = std::function<QList<SettingField>(const QString& kind)>;

    // `section` names the spec key ("objective", "strategy", "pruner") and
    // prefixes the widgets' object names ("strategy.kind", ...).
    KindSettingsEditor(QString section, QStringList kinds, Catalog catalog,
                       QWidget* parent = nullptr);

    // A kind that means "leave the section out" (the pruner's "none").
    void setNoneKind(const QString& kind);

    QString kind() const;
    // Null when the none-kind is chosen. Fields the form cannot read as JSON
    // are reported through `errors` as (path, message).
    Json toJson(std::vector<std::pair<std::string, std::string>>* errors = nullptr) const;
    void setJson(const Json& value);

    // The widget that shows the field at `subpath` ("kind", "resolution", ...).
    QWidget* widgetForPath(const std::string& subpath) const;

  signals:
    void edited();

  private:
    void rebuildFields();
    // Fills column pickers from the header of the File field's table.
    void updateColumnChoices();
    void setKind(const QString& kind);

    QString m_section;
    Catalog m_catalog;
    QStringList m_knownKinds;  // the registry's; the combo may add an unknown one
    QString m_fieldsKind;      // the kind the rows below "Kind" were built for
    QString m_noneKind;
    QComboBox* m_kind;
    QFormLayout* m_form;
    QLineEdit* m_other;
    QList<SettingField> m_fields;
    std::map<QString, QWidget*> m_widgets;
    bool m_building = false;
};

}  // namespace bonsai::ui
