#pragma once

#include <string>
#include <vector>

namespace bonsai {

class SearchSpace;

// What the fashion-mnist objective reads from a trial. Torch-free, so the
// studio's forms (and their tests, with a stand-in objective) check a space
// by the rule the training itself applies.

// The hyperparameters the training reads by name, besides the cell.
const std::vector<std::string>& fashionMnistTrainingParams();

// The parameter that holds the cell: the first nb201-cell parameter, else
// one named "cell", else "" (the settings' fixed cell is trained). Throws
// SpecError at "space[i]" for a parameter the training would not read: a
// typo ('lrr') would otherwise train every trial at the default.
std::string fashionMnistCellParam(const SearchSpace& space);

}  // namespace bonsai
