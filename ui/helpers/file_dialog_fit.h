#pragma once

#include <QObject>

namespace bonsai::ui {

// Gives Qt's own file dialog room to show what it lists. Where the desktop
// offers no native dialog (a bare X session, many tiling window managers),
// Qt opens a small one whose Size, Type and Date columns read "449...tes",
// "JSO...ent" and "5 Dec ...:58:52". When such a dialog is shown, this sizes
// it from the window it belongs to (85 % of its width, 80 % of its height,
// within the screen) and fits those columns to their contents, the name
// column taking the rest. Installed once, on the application; native
// dialogs are not touched.
class FileDialogFit : public QObject {
  public:
    static void install();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    using QObject::QObject;
};

}  // namespace bonsai::ui
