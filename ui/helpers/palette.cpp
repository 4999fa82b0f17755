#include "helpers/palette.h"

#include <QGuiApplication>
#include <QPalette>

namespace bonsai::ui {

bool isDarkPalette() {
    const QPalette palette = QGuiApplication::palette();
    return palette.color(QPalette::Window).lightness() <
           palette.color(QPalette::WindowText).lightness();
}

}  // namespace bonsai::ui
