#pragma once

#include <string>

#include <QStringList>
#include <QWidget>

#include "space/param_value.h"

class QLabel;
class QLineEdit;
class QListWidget;

namespace bonsai::ui {

// "Warm start from": the spec's "warm_start". The open database's studies
// are a checkable list (several may be checked); an optional other database
// file is a line edit. Studies the spec names that the open database lacks
// (another file's, or deleted ones) stay listed and checked, so nothing the
// JSON said is lost; so do the keys the picker has no field for (defaults,
// and the observations Bonsai stores with a started study).
class WarmStartPicker : public QWidget {
    Q_OBJECT
  public:
    explicit WarmStartPicker(QWidget* parent = nullptr);

    // The open database's study names (the studies one can start from).
    void setAvailableStudies(const QStringList& names);
    QStringList availableStudies() const { return m_available; }
    QStringList checkedStudies() const { return m_checked; }
    void setChecked(const QString& study, bool checked);

    // null when no study is checked and no other key was given.
    Json toJson() const;
    void setJson(const Json& warmStart);
    // "warm_start.database" -> the database field; other warm_start paths -> the list.
    QWidget* widgetForPath(const std::string& path) const;
    // "Prior observations taken: ..." for a started study, else empty.
    QString recordText() const;

  signals:
    void edited();

  protected:
    void changeEvent(QEvent* event) override;

  private:
    void rebuild();

    QListWidget* m_list;
    QLineEdit* m_database;
    QLabel* m_record;
    QStringList m_available;
    QStringList m_checked;  // in the order they were named or checked
    Json m_rest = Json::object();
    Json m_raw;  // a value the picker cannot show (not an object), kept as is
    bool m_rebuilding = false;
};

}  // namespace bonsai::ui
