#pragma once

namespace bonsai::ui {

// Whether the application palette is dark (dark mode): its window colour is
// darker than its text. Qt 6.4 has no QStyleHints::colorScheme, and the
// palette is what widgets draw with anyway.
bool isDarkPalette();

}  // namespace bonsai::ui
