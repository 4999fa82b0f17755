#include "objectives/fashion_mnist_space.h"

#include <algorithm>

#include "space/search_space.h"
#include "util/json_reader.h"
#include "util/spec_error.h"

namespace bonsai {

const std::vector<std::string>& fashionMnistTrainingParams() {
    static const std::vector<std::string> names{"lr",       "momentum",       "weight_decay",
                                                "nesterov", "batch_size",     "epochs",
                                                "channels", "cells_per_stage"};
    return names;
}

std::string fashionMnistCellParam(const SearchSpace& space) {
    std::string cellParam;
    for (const auto& param : space.params()) {
        if (param.type == ParamType::Nb201Cell) {
            cellParam = param.name;
            break;
        }
    }
    if (cellParam.empty()) {
        for (const auto& param : space.params())
            if (param.name == "cell")
                cellParam = "cell";
    }
    const std::vector<std::string>& trainingParams = fashionMnistTrainingParams();
    for (std::size_t i = 0; i < space.params().size(); ++i) {
        const std::string& name = space.params()[i].name;
        if (name == cellParam ||
            std::find(trainingParams.begin(), trainingParams.end(), name) != trainingParams.end())
            continue;
        const std::string near = closestMatch(name, trainingParams);
        throw SpecError("space[" + std::to_string(i) + "]",
                        "fashion-mnist reads no parameter named '" + name +
                            "', so searching it would change nothing; " +
                            (near.empty() ? "remove it" : "did you mean '" + near + "'?") +
                            " (it reads the space's first nb201-cell parameter and " +
                            joinNames(trainingParams) + ")");
    }
    return cellParam;
}

}  // namespace bonsai
