#pragma once

#include <QMenu>

namespace bonsai::ui {

// File > Open example: the bundled example specs (bundledExamplesFolder),
// each by its study name with its description as the tooltip, so a new user
// can pick one by what it does rather than by a file name. Read when the
// menu opens; a spec that does not parse is left out.
class ExamplesMenu : public QMenu {
    Q_OBJECT
  public:
    explicit ExamplesMenu(const QString& title, QWidget* parent = nullptr);

    // Lists the folder's specs now (the menu does so as it opens).
    void refresh();

  signals:
    void exampleChosen(const QString& path);
};

}  // namespace bonsai::ui
