#pragma once

#include <QWidget>

#include "helpers/json_metatype.h"
#include "space/param_value.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace bonsai::ui {

// The setup form as JSON text. It follows the form while untouched; once
// edited, "Apply" sends the text back to the form (a syntax error is shown
// with its line and column) and "Revert" drops the edit.
class SpecJsonView : public QWidget {
    Q_OBJECT
  public:
    explicit SpecJsonView(QWidget* parent = nullptr);

    // The form changed: show it, unless the user is editing the text.
    void showSpec(const Json& spec);
    QString text() const;
    bool isEdited() const { return m_edited; }
    // Parses the text and emits applied(); false (and a message) on bad JSON.
    bool apply();

  signals:
    void applied(const Json& spec);

  private:
    void setEdited(bool edited);

    QPlainTextEdit* m_text;
    QLabel* m_status;
    QPushButton* m_apply;
    QPushButton* m_revert;
    Json m_shown;
    bool m_edited = false;
    bool m_updating = false;
};

}  // namespace bonsai::ui
