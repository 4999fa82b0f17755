#include "study/front_tally.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "study/multi_objective.h"

namespace bonsai {

void FrontTally::reset(std::span<const Trial> trials) {
    m_scored.assign(trials.size(), 0);
    m_front.clear();
    const std::size_t d = m_spec.objectives.size();
    m_low.assign(d, std::numeric_limits<double>::infinity());
    m_high.assign(d, -std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < trials.size(); ++i)
        if (isScored(trials[i], m_spec))
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
        if (index < trials.size() && !m_scored[index] && isScored(trials[index], m_spec))
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
    auto at = std::lower_bound(m_front.begin(), m_front.end(), index,
                               [](const auto& member, std::size_t i) { return member.first < i; });
    m_front.emplace(at, index, std::move(loss));
}

std::vector<std::size_t> FrontTally::paretoIndices() const {
    std::vector<std::size_t> indices;
    for (const auto& member : m_front)
        indices.push_back(member.first);
    return indices;
}

void FrontTally::finish() {
    // The reference needs only each coordinate's extremes over the scored
    // trials (there are some exactly when the front is not empty).
    m_reference = hypervolumeReferenceFromLosses(
        m_front.empty() ? std::vector<LossVector>{} : std::vector<LossVector>{m_low, m_high},
        m_spec);
    m_hypervolume = 0.0;
    if (m_reference.empty())
        return;
    // In trial order, as studyFront hands them over: the same sum.
    std::vector<LossVector> points;
    for (const auto& member : m_front)
        points.push_back(member.second);
    m_hypervolume = bonsai::hypervolume(points, m_reference);
}

}  // namespace bonsai
