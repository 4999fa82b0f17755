#pragma once

#include <functional>

#include <QUndoCommand>

#include "space/param_value.h"

namespace bonsai::ui {

// One undoable edit of the setup form, stored as the whole spec before and
// after: simple, and always exact however the edit was made.
class SnapshotCommand : public QUndoCommand {
  public:
    using Apply = std::function<void(const Json&)>;
    SnapshotCommand(Json before, Json after, Apply apply, const QString& text);

    void undo() override;
    void redo() override;

  private:
    Json m_before;
    Json m_after;
    Apply m_apply;
    bool m_firstRedo = true;  // the form already shows `after` when pushed
};

}  // namespace bonsai::ui
