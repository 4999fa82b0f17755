#include "helpers/trial_lookup.h"

#include <QCoreApplication>

#include "helpers/format.h"

namespace bonsai::ui {

QString TrialLookup::summary(const Trial& trial) const {
    static const std::vector<std::string> kByName;
    return trialSummary(trial, m_order ? m_order() : kByName);
}

QString TrialLookup::summary(int number) const {
    if (const Trial* trial = find(number))
        return summary(*trial);
    return QCoreApplication::translate("TrialLookup", "Trial %1").arg(number);
}

}  // namespace bonsai::ui
