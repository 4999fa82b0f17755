#pragma once

#include <functional>
#include <string>
#include <vector>

#include <QString>

#include "model/trial.h"

namespace bonsai::ui {

// How a chart finds a trial of the shown study by number, and describes it in
// a tooltip with its parameters in the study's order (the Trials table's
// columns), as every other list of a trial's parameters shows them.
class TrialLookup {
  public:
    using Find = std::function<const Trial*(int number)>;
    using Order = std::function<const std::vector<std::string>&()>;

    TrialLookup() = default;
    TrialLookup(Find find, Order order) : m_find(std::move(find)), m_order(std::move(order)) {}

    // nullptr when the number is unknown or no lookup was given.
    const Trial* find(int number) const { return m_find ? m_find(number) : nullptr; }
    // trialSummary() in the study's order.
    QString summary(const Trial& trial) const;
    // The trial's summary, or just "Trial N" when it is unknown.
    QString summary(int number) const;

  private:
    Find m_find;
    Order m_order;
};

}  // namespace bonsai::ui
