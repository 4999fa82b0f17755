#include "study/front_tally.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "study/multi_objective.h"

namespace bonsai {

namespace {

bool scored(const Trial& trial, const StudySpec& spec) {
    return hasObjectiveValues(trial, spec) && isFeasible(trial, spec);
}

}  // namespace

void FrontTally::reset(std::span<const Trial> trials) {
    m_scored.assign(trials.size(), 0);
    m_front.clear();
    const std::size_t d = m_spec.objectives.size();
    m_low.assign(d, std::numeric_limits<double>::infinity());
    m_high.assign(d, -std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < trials.size(); ++i)
        if (scored(trials[i], m_spec))
            add(i, objectiveLosses(trials[i], m_spec));
    finish();
}

void FrontTally::update(std::span<const Trial> trials, std::span<const std::size_t> changed) {
    for (std::size_t index : changed)
        if (index < m_scored.size() && m_scored[index]) {
            reset(trials);
            return;
        }
    m_scored.resize(trials.size(), 0);
    for (std::size_t index : changed)  // an index may come twice
        if (index < trials.size() && !m_scored[index] && scored(trials[index], m_spec))
            add(index, objectiveLosses(trials[index], m_spec));
    finish();
}

void FrontTally::add(std::size_t index, LossVector loss) {
    m_scored[index] = 1;
    for (std::size_t k = 0; k < loss.size() && k < m_low.size(); ++k) {
        m_low[k] = std::min(m_low[k], loss[k]);
        m_high[k] = std::max(m_high[k], loss[k]);
    }
    const bool dominated = std::any_of(m_front.begin(), m_front.end(), [&](const auto& member) {
        return dominates(member.second, loss);
    });
    if (dominated)
        return;
    std::erase_if(m_front, [&](const auto& member) { return dominates(loss, member.second); });
    m_front.emplace_back(index, std::move(loss));
}

std::vector<std::size_t> FrontTally::paretoIndices() const {
    std::vector<std::size_t> indices;
    for (const auto& member : m_front)
        indices.push_back(member.first);
    std::sort(indices.begin(), indices.end());
    return indices;
}

void FrontTally::finish() {
    const std::size_t d = m_spec.objectives.size();
    m_reference.assign(d, 0.0);
    bool derive = false;
    for (std::size_t k = 0; k < d; ++k) {
        if (m_spec.objectives[k].reference)
            m_reference[k] =
                toLoss(*m_spec.objectives[k].reference, m_spec.objectives[k].direction);
        else
            derive = true;
    }
    if (derive) {
        if (m_front.empty()) {
            m_reference.clear();
        } else {
            // deriveReferencePoint reads only each coordinate's extremes.
            const LossVector derived = deriveReferencePoint({m_low, m_high});
            for (std::size_t k = 0; k < d; ++k)
                if (!m_spec.objectives[k].reference)
                    m_reference[k] = derived[k];
        }
    }
    m_hypervolume = 0.0;
    if (m_reference.empty())
        return;
    // In trial order, as studyFront hands them over: the same sum.
    std::vector<std::pair<std::size_t, LossVector>> ordered(m_front);
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<LossVector> points;
    for (auto& member : ordered)
        points.push_back(std::move(member.second));
    m_hypervolume = bonsai::hypervolume(points, m_reference);
}

}  // namespace bonsai
