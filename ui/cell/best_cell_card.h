#pragma once

#include <optional>
#include <string>

#include <QFrame>
#include <QStringList>

#include "model/trial.h"

class QLabel;

namespace bonsai::ui {

class CellView;

// The Live tab's "best so far" card in a cell study: the best trial's cell
// drawn, its value and number, and the attributes it reported (test
// accuracy, parameters, latency...). Redrawn only when the best changes.
class BestCellCard : public QFrame {
    Q_OBJECT
  public:
    explicit BestCellCard(QWidget* parent = nullptr);

    // `best` is the best complete trial (nullopt: none yet); `param` the
    // cell parameter to draw. With several objectives, `objectives` names
    // them: `best` is then the first one's best, which the heading says, and
    // the details give each objective's value by name.
    void showBest(const std::optional<Trial>& best, const std::string& param,
                  const QStringList& objectives = {});
    QString headingText() const;
    int shownTrial() const { return m_trial; }
    CellView* cellView() const { return m_cell; }
    QString detailsText() const;

  private:
    QLabel* m_heading;
    CellView* m_cell;
    QLabel* m_details;
    int m_trial = -1;
    std::optional<double> m_value;
    QStringList m_objectives;
};

// The selected trial's cell beside the best one's (Trials tab).
class CellPair : public QWidget {
    Q_OBJECT
  public:
    explicit CellPair(QWidget* parent = nullptr);
    // Either may be nullptr; a trial without a cell leaves its side empty.
    void showTrials(const Trial* selected, const Trial* best, const std::string& param);
    CellView* selectedView() const { return m_selected; }
    CellView* bestView() const { return m_best; }

  private:
    CellView* m_selected;
    CellView* m_best;
};

}  // namespace bonsai::ui
