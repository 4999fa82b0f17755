#pragma once

#include <optional>
#include <string>

#include <QWidget>

#include "analysis/measure_names.h"
#include "model/trial.h"

class QTextBrowser;

namespace bonsai::ui {

class LearningCurvePlot;
class CellPair;

// Everything about one trial: state, value, timing, parameters, attributes,
// error text, and its learning curve (shown only when it reported
// intermediate values).
class TrialDetail : public QWidget {
    Q_OBJECT
  public:
    explicit TrialDetail(QWidget* parent = nullptr);

    // nullptr shows a hint instead.
    void showTrial(const Trial* trial);
    QString text() const;
    // Strategy internals (isStrategyAttribute) are folded away until asked for.
    bool strategyDetailsShown() const { return m_showStrategy; }
    void setStrategyDetailsShown(bool shown);
    // In a cell study: the cell parameter, drawn for the shown trial beside
    // the `best` trial's. An empty name hides the drawings.
    void setCellContext(const std::string& param, std::optional<Trial> best);
    // The order parameters are listed in (the table's columns); others follow by name.
    void setParamOrder(std::vector<std::string> names) { m_paramOrder = std::move(names); }
    // What the reports measure: names the curve's axes and the reports' step.
    void setCurveMeasure(const CurveMeasure& measure);
    // With no trial shown, the hint offers this one ("Show the best trial,
    // 52: 0.397897"); nullopt offers none.
    void setBestHint(std::optional<int> number, const QString& value);
    CellPair* cellPair() const { return m_cells; }

  signals:
    // The hint's link was clicked.
    void trialRequested(int number);

  public:
    LearningCurvePlot* learningCurvePlot() const { return m_curve; }

  private:
    void setText(const QString& html);

    QTextBrowser* m_text;
    Trial m_shown;
    // What the text shows: a live study re-shows the selected trial on every
    // batch, and laying out unchanged HTML again costs tens of milliseconds.
    QString m_html;
    bool m_hasTrial = false;
    bool m_showStrategy = false;
    LearningCurvePlot* m_curve;
    CellPair* m_cells;
    std::string m_cellParam;
    std::vector<std::string> m_paramOrder;
    std::optional<Trial> m_best;
    std::optional<int> m_bestHint;
    QString m_stepName = genericCurveMeasure().step.toLower();  // "step", "epoch"
    QString m_bestHintValue;
};

}  // namespace bonsai::ui
