#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace bonsai::ui {
class MainWindow;
}

namespace bonsai::gui {

struct ScreenshotRequest {
    QString directory;
    QString study;          // shown study; empty: the first in the browser
    QStringList compare;    // studies overlaid in the Analysis tab
    int trial = -1;         // selected trial; -1: the best one
    QSize size{1400, 900};  // window size (the README's shots are 1400x900)
};

// Renders each tab of the window to DIRECTORY/studio-<tab>.png at `size`
// and returns a process exit code (0 when every file was written).
int takeScreenshots(ui::MainWindow& window, const ScreenshotRequest& request);

}  // namespace bonsai::gui
