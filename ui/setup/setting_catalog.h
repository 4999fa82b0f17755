#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace bonsai::ui {

// One setting of an objective, strategy or pruner kind, as the form shows it.
struct SettingField {
    // File: a path with a Browse button; Column: a column of that file's
    // header; ColumnList: several columns, comma-separated; Bool: true/false;
    // Folder: a folder with a Browse button; CommandLine: a program and its
    // arguments typed as one line (quotes group words), stored as an array.
    enum class Type {
        Integer,
        Number,
        Choice,
        Text,
        Bool,
        File,
        Column,
        ColumnList,
        Folder,
        CommandLine
    };
    QString key;
    QString label;
    Type type = Type::Text;
    QStringList choices;  // Choice only
    QString hint;         // the engine's default, shown while the field is empty
    bool required = false;
    // Column only: offer the columns whose first row holds a number (a
    // metric, a cost), not every column (the cell's text, say).
    bool numbers = false;
    QString doc;  // one line shown as the field's tool tip
};

// The settings the form knows for each kind; anything else goes in the
// editor's "other settings" JSON field, so no kind is ever out of reach.
// Strategies and pruners come from their kinds' own descriptions
// (StrategyRegistry, PrunerRegistry), so every registered kind is listed.
QList<SettingField> objectiveSettings(const QString& kind);
QList<SettingField> strategySettings(const QString& kind);
QList<SettingField> prunerSettings(const QString& kind);
QList<SettingField> executorSettings(const QString& kind);

}  // namespace bonsai::ui
