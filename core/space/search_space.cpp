#include "space/search_space.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "space/nb201_cell.h"
#include "space/space_rules.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

// The search space as a unit cube: its dimensions, encoding and decoding,
// and the checks on a point's values. Parsing is in space_spec.cpp.
namespace bonsai {

namespace space_rules {

std::string formatNumber(double x) {
    if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.0f", x);
        return buffer;
    }
    return Json(x).dump();  // shortest text that reads back as the same double
}

std::string describe(const ParamValue& value) {
    return describeJson(toJson(value));
}

double stepOf(const ParamSpec& spec) {
    return spec.step.value_or(1.0);
}

bool isLogInt(const ParamSpec& spec) {
    return spec.type == ParamType::Int && spec.log;
}

std::string illegalReason(const ParamSpec& spec, const ParamValue& value) {
    switch (spec.type) {
        case ParamType::Float:
        case ParamType::Int: {
            auto number = numericValue(value);
            if (!number)
                return "must be a number (got " + describe(value) + ")";
            double x = *number;
            if (!std::isfinite(x))
                return "must be a finite number";
            if (spec.type == ParamType::Int && x != std::floor(x))
                return "must be a whole number (got " + describe(value) + ")";
            if (x < spec.low || x > spec.high)
                return "must be in [" + formatNumber(spec.low) + ", " + formatNumber(spec.high) +
                       "] (got " + describe(value) + ")";
            if (spec.step && !isLogInt(spec)) {
                double k = (x - spec.low) / *spec.step;
                if (std::fabs(k - std::round(k)) > kStepTolerance * std::max(1.0, std::fabs(k)))
                    return "must be low + k * step = " + formatNumber(spec.low) + " + k * " +
                           formatNumber(*spec.step) + " (got " + describe(value) + ")";
            }
            return "";
        }
        case ParamType::Categorical: {
            for (const auto& choice : spec.choices)
                if (sameValue(choice, value))
                    return "";
            std::string list;
            for (const auto& choice : spec.choices)
                list += (list.empty() ? "" : ", ") + describe(choice);
            return "must be one of " + list + " (got " + describe(value) + ")";
        }
        case ParamType::Nb201Cell: {
            const auto* text = std::get_if<std::string>(&value);
            if (!text)
                return "must be an nb201 cell string (got " + describe(value) + ")";
            try {
                Nb201Cell::parse(*text);
            } catch (const std::invalid_argument& error) {
                return std::string("is not an nb201 cell: ") + error.what();
            }
            return "";
        }
    }
    return "";
}

}  // namespace space_rules

namespace {

using namespace space_rules;

double clampUnit(double u) {
    return std::isnan(u) ? 0.5 : std::clamp(u, 0.0, 1.0);
}

std::int64_t binOf(double u, std::int64_t levels) {
    double k = std::floor(clampUnit(u) * static_cast<double>(levels));
    return static_cast<std::int64_t>(std::clamp(k, 0.0, static_cast<double>(levels - 1)));
}

double binCentre(std::int64_t k, std::int64_t levels) {
    return (static_cast<double>(k) + 0.5) / static_cast<double>(levels);
}

// Log ints: u is linear in log(x) over [low - 0.5, high + 0.5], so int x owns
// the u-interval mapped from [log(x - 0.5), log(x + 0.5)).
double logIntEncode(const ParamSpec& spec, double x) {
    double a = std::log(spec.low - 0.5), b = std::log(spec.high + 0.5);
    double centre = 0.5 * (std::log(x - 0.5) + std::log(x + 0.5));
    return clampUnit((centre - a) / (b - a));
}

std::int64_t logIntDecode(const ParamSpec& spec, double u) {
    double a = std::log(spec.low - 0.5), b = std::log(spec.high + 0.5);
    double x = std::round(std::exp(a + clampUnit(u) * (b - a)));
    return static_cast<std::int64_t>(std::clamp(x, spec.low, spec.high));
}

}  // namespace

std::optional<std::int64_t> ParamSpec::levelCount() const {
    switch (type) {
        case ParamType::Float:
            if (!step)
                return std::nullopt;
            return static_cast<std::int64_t>(std::llround((high - low) / *step)) + 1;
        case ParamType::Int:
            if (log)
                return static_cast<std::int64_t>(high - low) + 1;
            return static_cast<std::int64_t>((high - low) / stepOf(*this)) + 1;
        case ParamType::Categorical:
            return static_cast<std::int64_t>(choices.size());
        case ParamType::Nb201Cell:
            return Nb201Cell::kOperations;
    }
    return std::nullopt;
}

// Coordinates of the unit cube, parameter by parameter (see the header).
void SearchSpace::layOutDimensions() {
    m_dimensions.clear();
    m_ranges.clear();
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const ParamSpec& spec = m_params[i];
        int first = dimensionCount();
        if (spec.type == ParamType::Nb201Cell) {
            for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                m_dimensions.push_back(
                    {DimensionKind::Categorical, Nb201Cell::kOperations, i, edge});
        } else if (auto levels = spec.levelCount()) {
            auto kind = spec.type == ParamType::Categorical ? DimensionKind::Categorical
                                                            : DimensionKind::Ordinal;
            m_dimensions.push_back({kind, *levels, i, 0});
        } else {
            m_dimensions.push_back({DimensionKind::Continuous, 0, i, 0});
        }
        m_ranges.emplace_back(first, dimensionCount() - first);
    }
    m_canonicalBinsOnly = std::all_of(m_params.begin(), m_params.end(), [](const ParamSpec& spec) {
        return !spec.when &&
               (spec.type == ParamType::Categorical || spec.type == ParamType::Nb201Cell);
    });
}

std::vector<std::string> SearchSpace::names() const {
    std::vector<std::string> names;
    names.reserve(m_params.size());
    for (const ParamSpec& param : m_params)
        names.push_back(param.name);
    return names;
}

const ParamSpec* SearchSpace::find(const std::string& name) const {
    auto index = indexOf(name);
    return index ? &m_params[*index] : nullptr;
}

std::optional<std::size_t> SearchSpace::indexOf(const std::string& name) const {
    for (std::size_t i = 0; i < m_params.size(); ++i)
        if (m_params[i].name == name)
            return i;
    return std::nullopt;
}

std::pair<int, int> SearchSpace::dimensionRange(std::size_t param) const {
    return m_ranges.at(param);
}

bool SearchSpace::isActive(std::size_t index, const ParamMap& params) const {
    const ParamSpec& spec = m_params.at(index);
    if (!spec.when)
        return true;
    auto parent = indexOf(spec.when->param);
    // fromJson guarantees the parent comes first, so this recursion ends.
    if (!parent || *parent >= index || !isActive(*parent, params))
        return false;
    auto value = params.find(spec.when->param);
    if (value == params.end())
        return false;
    for (const auto& wanted : spec.when->values)
        if (sameValue(wanted, value->second))
            return true;
    return false;
}

Eigen::VectorXd SearchSpace::encode(const ParamMap& params) const {
    Eigen::VectorXd unit(dimensionCount());
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const ParamSpec& spec = m_params[i];
        int first = m_ranges[i].first;
        bool active = isActive(i, params);
        auto found = params.find(spec.name);
        if (active && found == params.end())
            throw SpecError(spec.name, "is active but has no value");

        if (spec.type == ParamType::Nb201Cell) {
            Nb201Cell cell;  // all `none`: the first bin of every edge when inactive
            if (active) {
                std::string reason = illegalReason(spec, found->second);
                if (!reason.empty())
                    throw SpecError(spec.name, reason);
                cell = Nb201Cell::parse(std::get<std::string>(found->second));
            }
            for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                unit[first + edge] =
                    binCentre(cell.ops[static_cast<std::size_t>(edge)], Nb201Cell::kOperations);
            continue;
        }
        if (spec.type == ParamType::Categorical) {
            std::int64_t index = 0;
            if (active) {
                std::string reason = illegalReason(spec, found->second);
                if (!reason.empty())
                    throw SpecError(spec.name, reason);
                while (!sameValue(spec.choices[static_cast<std::size_t>(index)], found->second))
                    ++index;
            }
            unit[first] = binCentre(index, static_cast<std::int64_t>(spec.choices.size()));
            continue;
        }

        // Numeric: out-of-range values are clamped rather than rejected, so a
        // value stored under a slightly different grid still maps somewhere sane.
        double x = spec.low;
        if (active) {
            auto number = numericValue(found->second);
            if (!number || std::isnan(*number))
                throw SpecError(spec.name,
                                "must be a number (got " + describe(found->second) + ")");
            x = std::clamp(*number, spec.low, spec.high);
        }
        auto levels = spec.levelCount();
        if (!levels) {
            double u = spec.log ? (std::log(x) - std::log(spec.low)) /
                                      (std::log(spec.high) - std::log(spec.low))
                                : (x - spec.low) / (spec.high - spec.low);
            unit[first] = active ? clampUnit(u) : 0.5;
        } else if (isLogInt(spec)) {
            unit[first] = logIntEncode(spec, std::round(x));
        } else {
            double k = std::clamp(std::round((x - spec.low) / stepOf(spec)), 0.0,
                                  static_cast<double>(*levels - 1));
            unit[first] = binCentre(static_cast<std::int64_t>(k), *levels);
        }
    }
    return unit;
}

ParamMap SearchSpace::decode(const Eigen::Ref<const Eigen::VectorXd>& unit) const {
    if (unit.size() != dimensionCount())
        throw std::invalid_argument("SearchSpace::decode: got " + std::to_string(unit.size()) +
                                    " coordinates for a space of " +
                                    std::to_string(dimensionCount()));
    ParamMap params;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        if (!isActive(i, params))
            continue;
        const ParamSpec& spec = m_params[i];
        int first = m_ranges[i].first;
        double u = clampUnit(unit[first]);
        switch (spec.type) {
            case ParamType::Float: {
                double x;
                if (auto levels = spec.levelCount())
                    x = spec.low + static_cast<double>(binOf(u, *levels)) * *spec.step;
                else if (spec.log)
                    x = std::exp(std::log(spec.low) +
                                 u * (std::log(spec.high) - std::log(spec.low)));
                else
                    x = spec.low + u * (spec.high - spec.low);
                params[spec.name] = std::clamp(x, spec.low, spec.high);
                break;
            }
            case ParamType::Int: {
                std::int64_t x = isLogInt(spec) ? logIntDecode(spec, u)
                                                : static_cast<std::int64_t>(spec.low) +
                                                      binOf(u, *spec.levelCount()) *
                                                          static_cast<std::int64_t>(stepOf(spec));
                params[spec.name] = x;
                break;
            }
            case ParamType::Categorical: {
                auto n = static_cast<std::int64_t>(spec.choices.size());
                params[spec.name] = spec.choices[static_cast<std::size_t>(binOf(u, n))];
                break;
            }
            case ParamType::Nb201Cell: {
                Nb201Cell cell;
                for (int edge = 0; edge < Nb201Cell::kEdges; ++edge)
                    cell.ops[static_cast<std::size_t>(edge)] =
                        static_cast<int>(binOf(unit[first + edge], Nb201Cell::kOperations));
                params[spec.name] = cell.toString();
                break;
            }
        }
    }
    return params;
}

Eigen::VectorXd SearchSpace::canonical(const Eigen::Ref<const Eigen::VectorXd>& unit) const {
    if (!m_canonicalBinsOnly || unit.size() != dimensionCount())
        return encode(decode(unit));
    // decode() takes bin binOf(u) of each coordinate and encode() returns that
    // bin's centre, with no parameter switched off by a condition.
    Eigen::VectorXd snapped(unit.size());
    for (Eigen::Index i = 0; i < unit.size(); ++i) {
        const std::int64_t levels = m_dimensions[static_cast<std::size_t>(i)].levels;
        snapped[i] = binCentre(binOf(unit[i], levels), levels);
    }
    return snapped;
}

void SearchSpace::validate(const ParamMap& params, const std::string& path) const {
    auto fieldPath = [&](const std::string& name) {
        return path.empty() ? name : path + "." + name;
    };
    for (const auto& [name, value] : params) {
        if (indexOf(name))
            continue;
        std::vector<std::string> names;
        for (const auto& spec : m_params)
            names.push_back(spec.name);
        std::string suggestion = closestMatch(name, names);
        throw SpecError(fieldPath(name),
                        suggestion.empty()
                            ? "unknown parameter (known: " + joinNames(names) + ")"
                            : "unknown parameter; did you mean '" + suggestion + "'?");
    }
    for (std::size_t i = 0; i < m_params.size(); ++i) {
        const ParamSpec& spec = m_params[i];
        auto found = params.find(spec.name);
        bool active = isActive(i, params);
        if (active && found == params.end())
            throw SpecError(fieldPath(spec.name), "is missing (the parameter is active)");
        if (!active && found != params.end())
            throw SpecError(fieldPath(spec.name), "must be absent: its condition on '" +
                                                      spec.when->param + "' does not hold");
        if (!active)
            continue;
        std::string reason = illegalReason(spec, found->second);
        if (!reason.empty())
            throw SpecError(fieldPath(spec.name), reason);
    }
}

std::optional<double> SearchSpace::cardinality() const {
    double product = 1.0;
    for (const auto& dimension : m_dimensions) {
        if (dimension.kind == DimensionKind::Continuous)
            return std::nullopt;
        product *= static_cast<double>(dimension.levels);
    }
    return product;
}

}  // namespace bonsai
