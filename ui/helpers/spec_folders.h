#pragma once

#include <QString>

namespace bonsai::ui {

// The folder of the example specs that ship with Bonsai: <prefix>/share/
// bonsai/examples beside an installed program, else the source tree's
// resources/examples for a program run from its build tree; empty when
// neither exists.
QString bundledExamplesFolder();

// Where "Open spec" starts: the folder a spec was last opened from, while it
// exists, else the bundled examples (a new user's first look).
QString specDialogFolder();
void rememberSpecFolder(const QString& specPath);

}  // namespace bonsai::ui
