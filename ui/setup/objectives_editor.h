#pragma once

#include <vector>

#include <QStringList>
#include <QWidget>

#include "util/json.h"

class QComboBox;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace bonsai::ui {

// The spec's "objectives" (several objectives: name, direction, hypervolume
// reference) and "constraints" (name, min, max), one row each. Names are
// picked from the attributes the objective is known to set (setSuggestions)
// or typed. Empty lists mean a single-objective, unconstrained study.
class ObjectivesEditor : public QWidget {
    Q_OBJECT
  public:
    explicit ObjectivesEditor(QWidget* parent = nullptr);

    // Null or arrays as in the spec; entries it cannot show are kept as text.
    void setJson(const Json& objectives, const Json& constraints);
    // Null when there are no rows.
    Json objectivesJson() const;
    Json constraintsJson() const;
    int objectiveCount() const { return static_cast<int>(m_objectives.size()); }
    int constraintCount() const { return static_cast<int>(m_constraints.size()); }

    // Names offered in the name pickers (e.g. a table's report columns).
    void setSuggestions(const QStringList& names);

    void addObjective(const QString& name = {}, const QString& direction = {},
                      const QString& reference = {});
    void addConstraint(const QString& name = {}, const QString& min = {}, const QString& max = {});
    void removeObjective(int row);
    void removeConstraint(int row);

    // The widget a validation path such as "objectives[1].reference" names.
    QWidget* widgetForPath(const std::string& path) const;

  signals:
    void edited();

  private:
    struct Row {
        QWidget* box;
        QComboBox* name;
        QComboBox* direction;  // objectives only
        QLineEdit* first;      // reference, or min
        QLineEdit* second;     // max (constraints only)
    };
    Row makeRow(QVBoxLayout* into, bool objective, int index);
    void renumber();
    void clearRows(std::vector<Row>& rows);

    QVBoxLayout* m_objectiveRows;
    QVBoxLayout* m_constraintRows;
    std::vector<Row> m_objectives;
    std::vector<Row> m_constraints;
    QStringList m_suggestions;
    bool m_filling = false;
};

}  // namespace bonsai::ui
