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
// Where "Save spec" suggests `fileName`: the folder a spec was last opened
// from or saved to, unless that is the bundled examples (read-only once
// installed); else Documents, else home.
QString specSavePath(const QString& fileName);

}  // namespace bonsai::ui
