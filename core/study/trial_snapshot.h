#pragma once

#include <cstddef>
#include <vector>

#include "model/trial.h"

namespace bonsai {

// The strategy's own copy of a study's trial list while several workers run:
// workers keep publishing into the shared list while the strategy reads this
// copy without the study's lock. refresh() copies only the trials added or
// changed since the last refresh, so a suggestion costs no copy of the whole
// study (which made long studies slower with every trial).
class TrialSnapshot {
  public:
    // `index` in the shared list changed. Caller holds the study's lock.
    void changed(std::size_t index) { m_changed.push_back(index); }
    // Brings the copy up to date with `shared`. Caller holds the study's
    // lock; the copy stays valid until the next call.
    const std::vector<Trial>& refresh(const std::vector<Trial>& shared);

  private:
    std::vector<Trial> m_trials;
    std::vector<std::size_t> m_changed;
};

}  // namespace bonsai
