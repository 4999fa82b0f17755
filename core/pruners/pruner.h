#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/trial.h"
#include "util/json_reader.h"

namespace bonsai {

// Decides, from intermediate values, whether a running trial should stop early.
// Sees losses (the engine's minimize sense) through `direction`.
class Pruner {
  public:
    virtual ~Pruner() = default;
    // `trial` has just reported its latest intermediate value; `trials` is every
    // trial of the study (including `trial` itself).
    virtual bool shouldPrune(const Trial& trial, std::span<const Trial> trials,
                             Direction direction) = 0;
};

using PrunerFactory = std::function<std::unique_ptr<Pruner>(JsonReader& settings)>;

class PrunerRegistry {
  public:
    static const PrunerRegistry& builtins();  // "none", "median", "asha"
    void add(const std::string& kind, PrunerFactory factory);
    std::vector<std::string> kinds() const;
    // A null spec means no pruning.
    std::unique_ptr<Pruner> create(const Json& spec, const std::string& path = "pruner") const;

  private:
    std::map<std::string, PrunerFactory> m_factories;
};

}  // namespace bonsai
