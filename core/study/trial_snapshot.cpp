#include "study/trial_snapshot.h"

#include <algorithm>

namespace bonsai {

const std::vector<Trial>& TrialSnapshot::refresh(const std::vector<Trial>& shared) {
    std::sort(m_changed.begin(), m_changed.end());
    m_changed.erase(std::unique(m_changed.begin(), m_changed.end()), m_changed.end());
    for (std::size_t index : m_changed)
        if (index < m_trials.size() && index < shared.size())
            m_trials[index] = shared[index];
    m_changed.clear();
    m_trials.resize(std::min(m_trials.size(), shared.size()));
    m_trials.insert(m_trials.end(), shared.begin() + static_cast<std::ptrdiff_t>(m_trials.size()),
                    shared.end());
    return m_trials;
}

}  // namespace bonsai
