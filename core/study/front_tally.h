#pragma once

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "model/trial.h"
#include "multi/pareto.h"
#include "study/spec.h"

namespace bonsai {

// The feasible Pareto set of a multi-objective study, its reference point and
// hypervolume (what studyFront computes), kept up to date as trials arrive:
// a live batch costs O(batch x front) instead of a pass over every trial.
// A trial that joins the scored ones either is dominated by a front member
// (and stays out for good, dominance being transitive) or joins the front and
// pushes out what it dominates; the derived reference point needs only each
// coordinate's lowest and highest loss. A scored trial that changes (never in
// a running study: finished trials stay as they are) makes it recount.
class FrontTally {
  public:
    explicit FrontTally(StudySpec spec) : m_spec(std::move(spec)) {}

    // Recounts from scratch.
    void reset(std::span<const Trial> trials);
    // `trials` after a batch, `changed` the indices of the trials in it that
    // were appended or changed.
    void update(std::span<const Trial> trials, std::span<const std::size_t> changed);

    // As in studyFront: the Pareto set (indices, ascending), the reference
    // point (empty while a derived coordinate has no trial) and the volume.
    std::vector<std::size_t> paretoIndices() const;
    const LossVector& reference() const { return m_reference; }
    double hypervolume() const { return m_hypervolume; }

  private:
    void add(std::size_t index, LossVector loss);
    void finish();  // reference point and volume from the front and ranges

    StudySpec m_spec;
    std::vector<char> m_scored;  // per trial index: counted in the front
    // The front as (trial index, loss), by trial index.
    std::vector<std::pair<std::size_t, LossVector>> m_front;
    LossVector m_low, m_high;  // per objective over every scored trial
    LossVector m_reference;
    double m_hypervolume = 0.0;
};

}  // namespace bonsai
