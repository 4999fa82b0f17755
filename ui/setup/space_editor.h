#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include <QWidget>

#include "space/param_value.h"

class QTableWidget;
class QLineEdit;
class QComboBox;
class QCheckBox;
class QPushButton;

namespace bonsai::ui {

// The spec's "space": one table row per parameter with name, type, low,
// high, log, step, choices and condition; add, remove and reorder. Each
// cell's editor is named like the JSON path it writes ("space[2].low"), which
// is also how validation errors find it.
class SpaceEditor : public QWidget {
    Q_OBJECT
  public:
    enum Column {
        NameColumn,
        TypeColumn,
        LowColumn,
        HighColumn,
        LogColumn,
        StepColumn,
        ChoicesColumn,
        ConditionColumn,
        ColumnCount
    };

    explicit SpaceEditor(QWidget* parent = nullptr);

    Json toJson(std::vector<std::pair<std::string, std::string>>* errors = nullptr) const;
    void setJson(const Json& space);
    int rowCount() const { return static_cast<int>(m_rows.size()); }

    // "space[2].low" -> that cell's editor; "space" -> the table.
    QWidget* widgetForPath(const std::string& path) const;

    void addParameter();
    void removeCurrent();
    void moveCurrent(int delta);
    int currentRow() const;
    void setCurrentRow(int row);

  signals:
    void edited();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    struct Row {
        QLineEdit* name;
        QComboBox* type;
        QLineEdit* low;
        QLineEdit* high;
        QCheckBox* log;
        QLineEdit* step;
        QLineEdit* choices;
        QLineEdit* condition;
        Json extra;  // keys the table has no column for, kept for the round trip
        // The editors in column order.
        std::array<QWidget*, ColumnCount> cells() const;
    };
    void appendRow(const Json& param);
    void updateEnabled(const Row& row);
    void askForChoices(const Row& row);
    Json rowJson(int index, std::vector<std::pair<std::string, std::string>>* errors) const;
    void updateButtons();

    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_up;
    QPushButton* m_down;
    std::vector<Row> m_rows;
    bool m_building = false;
};

}  // namespace bonsai::ui
