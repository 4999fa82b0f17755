#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <QBoxLayout>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include "objectives/objective.h"

namespace bonsai {
struct StudySpec;
}

class QComboBox;
class QLineEdit;
class QSpinBox;
class QUndoStack;

namespace bonsai::ui {

class EnqueueTable;
class KindSettingsEditor;
class ObjectivesEditor;
class SpaceEditor;
class NasSpaceFiller;
class TableSpaceFiller;
class WarmStartPicker;

// A validation error of the form: the spec path it belongs to and the message.
struct FormError {
    std::string path;     // e.g. "space[2].low"; empty for the spec as a whole
    std::string message;  // the validator's sentence
    QString field;        // the form's label of the setting the path names, if it has one
    // "Search space row 3, low: must be > 0 ...", "Objective, Table (CSV): is
    // required" (the label the user sees rather than the key "file").
    QString text() const;
};

// Forms for a whole study spec. After every edit the form's JSON goes through
// the engine's own validator (parseStudySpec); the first error is marked on
// the widget its path names and reported through validityChanged(). Edits are
// undoable: each burst of typing becomes one snapshot of the spec.
class SetupForm : public QWidget {
    Q_OBJECT
  public:
    explicit SetupForm(ObjectiveRegistry objectives, QWidget* parent = nullptr);

    Json toJson() const;
    // Replaces the form's content as one undoable edit.
    void setJson(const Json& spec);
    // Replaces the content and forgets the undo history (a new draft).
    void resetTo(const Json& spec);

    bool isValid() const { return !m_error.has_value(); }
    const ObjectiveRegistry& objectives() const { return m_objectives; }
    const std::optional<FormError>& error() const { return m_error; }
    // The widget an error path points at (for tests and for focusing it).
    QWidget* widgetForPath(const std::string& path) const;
    // The label the form shows beside that widget, if it has one.
    QString fieldLabel(const std::string& path) const;
    // Scrolls the marked field into view and focuses it; false if there is
    // no error or it names no widget.
    bool revealError();

    // Names already used in the open database: a clash is an error at "name";
    // they are also the studies "Warm start from" offers.
    void setTakenNames(const QStringList& names);
    // What the spec alone cannot tell (the warm start's studies, read from
    // the open database): called after parseStudySpec accepted the spec, it
    // throws SpecError like it.
    using DatabaseCheck = std::function<void(const StudySpec&)>;
    void setDatabaseCheck(DatabaseCheck check);

    QUndoStack* undoStack() const { return m_undo; }
    ObjectivesEditor* objectivesEditor() const { return m_objectivesEditor; }
    TableSpaceFiller* spaceFromTable() const { return m_spaceFromTable; }
    NasSpaceFiller* nasSpace() const { return m_nasSpace; }
    WarmStartPicker* warmStartPicker() const { return m_warmStart; }
    EnqueueTable* enqueueTable() const { return m_enqueue; }
    // Records a pending burst of edits as an undo step now.
    void commitEdits();

    // Default spec for File > New study.
    static Json templateSpec(const QString& name);

  signals:
    void validityChanged(bool valid);
    // Any change of content (typing, undo, a loaded spec).
    void contentChanged();

  protected:
    // Below about 640 px the paired groups (strategy and pruner, budget and
    // executor) stack, so the form never needs a horizontal scroll bar.
    void resizeEvent(QResizeEvent* event) override;

  private:
    void onEdited();
    void validate();
    void markError();
    // The filler button under the objective that would fix an error at
    // `path`, as a sentence to append to it; "" where none is offered.
    std::string fillerHint(const std::string& path) const;
    void applySnapshot(const Json& spec);
    void fill(const Json& spec);
    // Direction and the objective-name pickers follow the objectives section.
    void syncObjectives();
    // Picking another test function brings its usual search space while the
    // space is still the previous function's (x1, x2, ... on its domain).
    // Picking a multi-objective one (zdt1, dtlz2, ...) in a study without
    // objectives adds its objectives, so the study ranks them all rather
    // than the first alone; picking another function again removes them
    // while they are still as added.
    void followPickedFunction();
    // The Enqueue table's columns follow the space's parameter names.
    void syncEnqueueColumns();

    ObjectiveRegistry m_objectives;
    QLineEdit* m_name;
    QLineEdit* m_description;
    QComboBox* m_direction;
    SpaceEditor* m_space;
    KindSettingsEditor* m_objective;
    TableSpaceFiller* m_spaceFromTable;
    NasSpaceFiller* m_nasSpace;
    KindSettingsEditor* m_strategy;
    KindSettingsEditor* m_pruner;
    KindSettingsEditor* m_executor;
    ObjectivesEditor* m_objectivesEditor;
    WarmStartPicker* m_warmStart;
    EnqueueTable* m_enqueue;
    QLineEdit* m_budgetTrials;
    QLineEdit* m_budgetSeconds;
    QLineEdit* m_budgetTarget;
    QSpinBox* m_seed;
    QSpinBox* m_workers;
    Json m_extra = Json::object();  // top-level keys the form has no field for
    std::string m_function;         // the function objective's function, as last seen

    QUndoStack* m_undo;
    QTimer m_snapshotTimer;
    Json m_snapshot;  // what the last undo step recorded
    bool m_applying = false;
    QStringList m_takenNames;
    DatabaseCheck m_databaseCheck;
    std::optional<FormError> m_error;
    QPointer<QWidget> m_marked;
    std::vector<QBoxLayout*> m_pairedRows;
};

}  // namespace bonsai::ui
