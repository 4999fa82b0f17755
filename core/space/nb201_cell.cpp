#include "space/nb201_cell.h"

#include <algorithm>
#include <functional>
#include <map>

#include <stdexcept>
#include <vector>

namespace bonsai {

namespace {

constexpr std::array<int, Nb201Cell::kEdges> kSources{0, 0, 1, 0, 1, 2};
constexpr std::array<int, Nb201Cell::kEdges> kTargets{1, 2, 2, 3, 3, 3};

// First edge index of target node i (1..3): edges are grouped by target.
int firstEdgeOf(int node) {
    return node * (node - 1) / 2;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
}

std::string knownOperations() {
    std::string out;
    for (const char* name : Nb201Cell::operationNames()) {
        if (!out.empty())
            out += ", ";
        out += name;
    }
    return out;
}

[[noreturn]] void reject(const std::string& message) {
    throw std::invalid_argument(message);
}

}  // namespace

const std::array<const char*, Nb201Cell::kOperations>& Nb201Cell::operationNames() {
    static const std::array<const char*, kOperations> names{"none", "skip_connect", "nor_conv_1x1",
                                                            "nor_conv_3x3", "avg_pool_3x3"};
    return names;
}

int Nb201Cell::edgeSource(int edge) {
    return kSources.at(static_cast<std::size_t>(edge));
}

int Nb201Cell::edgeTarget(int edge) {
    return kTargets.at(static_cast<std::size_t>(edge));
}

std::string Nb201Cell::edgeName(int edge) {
    return std::to_string(edgeTarget(edge)) + "←" + std::to_string(edgeSource(edge));
}

std::vector<std::vector<int>> Nb201Cell::inputOutputPaths() {
    std::vector<std::vector<int>> paths;
    // Depth-first from node 0; edges leave a node towards larger ones.
    std::function<void(int, std::vector<int>&)> walk = [&](int node, std::vector<int>& edges) {
        if (node == 3) {
            paths.push_back(edges);
            return;
        }
        for (int edge = 0; edge < kEdges; ++edge) {
            if (edgeSource(edge) != node)
                continue;
            edges.push_back(edge);
            walk(edgeTarget(edge), edges);
            edges.pop_back();
        }
    };
    std::vector<int> edges;
    walk(0, edges);
    std::stable_sort(paths.begin(), paths.end(),
                     [](const auto& a, const auto& b) { return a.size() < b.size(); });
    return paths;
}

Nb201Cell Nb201Cell::parse(std::string_view text) {
    if (text.empty())
        reject("empty string");
    auto nodes = split(text, '+');
    if (nodes.size() != 3)
        reject("expected 3 nodes separated by '+', got " + std::to_string(nodes.size()));

    Nb201Cell cell;
    for (int node = 1; node <= 3; ++node) {
        std::string_view group = nodes[static_cast<std::size_t>(node - 1)];
        std::string where = "node " + std::to_string(node);
        if (group.size() < 2 || group.front() != '|' || group.back() != '|')
            reject(where + ": must start and end with '|' (got '" + std::string(group) + "')");
        auto edges = split(group.substr(1, group.size() - 2), '|');
        if (static_cast<int>(edges.size()) != node)
            reject(where + ": expected " + std::to_string(node) + (node == 1 ? " edge" : " edges") +
                   ", got " + std::to_string(edges.size()));
        for (int source = 0; source < node; ++source) {
            int edge = firstEdgeOf(node) + source;
            std::string_view token = edges[static_cast<std::size_t>(source)];
            std::string edgeName = "edge " + std::to_string(edge) + " (node " +
                                   std::to_string(node) + " <- " + std::to_string(source) + ")";
            std::size_t tilde = token.rfind('~');
            if (tilde == std::string_view::npos)
                reject(edgeName + ": expected 'operation~" + std::to_string(source) + "' (got '" +
                       std::string(token) + "')");
            std::string_view op = token.substr(0, tilde);
            std::string_view index = token.substr(tilde + 1);
            if (index != std::to_string(source))
                reject(edgeName + ": wrong source index '" + std::string(index) + "' (expected " +
                       std::to_string(source) + ")");
            int found = -1;
            for (int k = 0; k < kOperations; ++k)
                if (op == operationNames()[static_cast<std::size_t>(k)])
                    found = k;
            if (found < 0)
                reject(edgeName + ": unknown operation '" + std::string(op) +
                       "' (known: " + knownOperations() + ")");
            cell.ops[static_cast<std::size_t>(edge)] = found;
        }
    }
    return cell;
}

Nb201Cell Nb201Cell::fromIndex(int index) {
    if (index < 0 || index >= kCount)
        throw std::out_of_range("NAS-Bench-201 cell index " + std::to_string(index) +
                                " is outside 0.." + std::to_string(kCount - 1));
    Nb201Cell cell;
    for (int& op : cell.ops) {
        op = index % kOperations;
        index /= kOperations;
    }
    return cell;
}

std::string Nb201Cell::toString() const {
    std::string out;
    for (int node = 1; node <= 3; ++node) {
        if (node > 1)
            out += '+';
        out += '|';
        for (int source = 0; source < node; ++source) {
            int op = ops[static_cast<std::size_t>(firstEdgeOf(node) + source)];
            out += (op >= 0 && op < kOperations) ? operationNames()[static_cast<std::size_t>(op)]
                                                 : "invalid";
            out += '~' + std::to_string(source) + '|';
        }
    }
    return out;
}

bool Nb201Cell::hasPathToOutput() const {
    std::array<bool, 4> reached{true, false, false, false};
    for (int edge = 0; edge < kEdges; ++edge) {
        // Edges are ordered by target, so every source is final when it is read.
        if (ops[static_cast<std::size_t>(edge)] != 0 && reached[kSources[edge]])
            reached[kTargets[edge]] = true;
    }
    return reached[3];
}

std::string Nb201Cell::isomorphismKey() const {
    std::array<std::string, 4> node{"0", "", "", ""};
    for (int target = 1; target < 4; ++target) {
        std::vector<std::string> terms;
        for (int edge = firstEdgeOf(target); edge < firstEdgeOf(target + 1); ++edge) {
            const std::string& source = node[static_cast<std::size_t>(kSources[edge])];
            const int op = ops[static_cast<std::size_t>(edge)];
            if (op == 0 || source == "#")
                terms.emplace_back("#");
            else if (op == 1)
                terms.push_back(source);
            else
                terms.push_back("(" + source + ")@" +
                                operationNames()[static_cast<std::size_t>(op)]);
        }
        std::sort(terms.begin(), terms.end());
        std::string joined;
        for (const std::string& term : terms)
            joined += (joined.empty() ? "" : "+") + term;
        node[static_cast<std::size_t>(target)] = joined;
    }
    return node[3];
}

int Nb201Cell::index() const {
    int out = 0;
    for (int edge = kEdges - 1; edge >= 0; --edge)
        out = out * kOperations + ops[static_cast<std::size_t>(edge)];
    return out;
}

Nb201Cell Nb201Cell::functionalForm() const {
    static const std::vector<int> representative = [] {
        auto nones = [](const Nb201Cell& cell) {
            return std::count(cell.ops.begin(), cell.ops.end(), 0);
        };
        std::vector<std::string> keys(kCount);
        std::map<std::string, int> best;  // key -> representative index
        for (int i = 0; i < kCount; ++i) {
            const Nb201Cell cell = fromIndex(i);
            keys[static_cast<std::size_t>(i)] = cell.isomorphismKey();
            auto [it, inserted] = best.emplace(keys[static_cast<std::size_t>(i)], i);
            if (!inserted && nones(cell) > nones(fromIndex(it->second)))
                it->second = i;
        }
        std::vector<int> out(kCount);
        for (int i = 0; i < kCount; ++i)
            out[static_cast<std::size_t>(i)] = best.at(keys[static_cast<std::size_t>(i)]);
        return out;
    }();
    return fromIndex(representative[static_cast<std::size_t>(index())]);
}

}  // namespace bonsai
