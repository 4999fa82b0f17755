#include "setup/snapshot_command.h"

namespace bonsai::ui {

SnapshotCommand::SnapshotCommand(Json before, Json after, Apply apply, const QString& text)
    : QUndoCommand(text),
      m_before(std::move(before)),
      m_after(std::move(after)),
      m_apply(std::move(apply)) {}

void SnapshotCommand::undo() {
    m_apply(m_before);
}

void SnapshotCommand::redo() {
    if (m_firstRedo) {
        m_firstRedo = false;
        return;
    }
    m_apply(m_after);
}

}  // namespace bonsai::ui
