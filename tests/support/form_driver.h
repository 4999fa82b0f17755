#pragma once

// Driving the studio's forms as a user does, by the objectName of each field
// (the spec path, such as "strategy.kind"): for the GUI tests only, which
// link Qt Widgets.

#include <QComboBox>
#include <QLineEdit>
#include <QTest>
#include <QWidget>

namespace bonsai::test {

// The child of `root` named `name`; the test program stops if there is none,
// since every later step would test nothing.
template <typename T>
T* field(QWidget* root, const QString& name) {
    T* widget = root->findChild<T*>(name);
    if (!widget)
        qFatal("no widget named %s", qPrintable(name));
    return widget;
}

// Replaces the text of line edit `name` key by key.
inline void typeInto(QWidget* root, const QString& name, const QString& text) {
    auto* edit = field<QLineEdit>(root, name);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// Selects the item `text` of combo box `name`.
inline void choose(QWidget* root, const QString& name, const QString& text) {
    auto* combo = field<QComboBox>(root, name);
    const int index = combo->findText(text);
    if (index < 0)
        qFatal("%s has no item %s", qPrintable(name), qPrintable(text));
    combo->setCurrentIndex(index);
}

}  // namespace bonsai::test
