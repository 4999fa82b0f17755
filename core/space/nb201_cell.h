#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace bonsai {

// The NAS-Bench-201 cell: 4 nodes, 6 edges j -> i (j < i), each one of five
// operations. Edge order is the benchmark's: (1<-0), (2<-0), (2<-1), (3<-0),
// (3<-1), (3<-2); its string is "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|".
struct Nb201Cell {
    static constexpr int kEdges = 6;
    static constexpr int kOperations = 5;
    // Every cell of the space: 5^6.
    static constexpr int kCount = 15'625;
    // Operation names in the benchmark's order.
    static const std::array<const char*, kOperations>& operationNames();
    // Source node of edge e (0..5) and its target node.
    static int edgeSource(int edge);
    static int edgeTarget(int edge);
    // Edge e named by its target and source nodes: "3←1", as the studio's
    // edge columns and a child's `cell_change` call it.
    static std::string edgeName(int edge);
    // The edges of every path from the input (node 0) to the output (node 3),
    // shortest first: {3}, {0, 4}, {1, 5}, {0, 2, 5}.
    static std::vector<std::vector<int>> inputOutputPaths();

    std::array<int, kEdges> ops{};  // index into operationNames()

    // Throws std::invalid_argument with a message that says what is wrong,
    // e.g. "edge 3 (node 3 <- 0): unknown operation 'conv_5x5' (known: none, ...)".
    static Nb201Cell parse(std::string_view text);
    std::string toString() const;
    // Cell `index` (0 .. kCount - 1) of the space: edge e's operation is
    // digit e of the index in base kOperations, so the indices list every
    // cell once. Throws std::out_of_range outside that range.
    static Nb201Cell fromIndex(int index);

    // False when `none` edges cut every path from the input (node 0) to the
    // output (node 3): such a network outputs a constant.
    bool hasPathToOutput() const;

    // NAS-Bench-201's isomorphism rule (its `to_unique_str` with
    // consider_zero): cells with the same key compute the same function, and
    // the benchmark counts them as one architecture (its table still lists
    // each cell's own training result: close within a class, rarely equal).
    // The output node's
    // expression, with `none` and dead inputs as '#', `skip_connect` as the
    // identity and each node's inputs sorted; 6,466 keys over the 15,625 cells.
    std::string isomorphismKey() const;
    // The representative of the cell's isomorphism class: the member with
    // the most `none` edges (the unused operations dropped), the lowest
    // index among those.
    Nb201Cell functionalForm() const;
    // The cell's index in fromIndex's numbering.
    int index() const;

    bool operator==(const Nb201Cell&) const = default;
};

}  // namespace bonsai
