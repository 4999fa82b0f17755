#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/trial.h"
#include "util/json_reader.h"
#include "util/kind_registry.h"
#include "util/setting.h"

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

// Creates a pruner from its declared, already checked settings; "none" returns nullptr.
using PrunerFactory = std::function<std::unique_ptr<Pruner>(SettingsReader& settings)>;

// A pruner kind, described once (like StrategyKind).
struct PrunerKind {
    std::string kind;
    std::string summary;
    PrunerFactory factory;
    std::vector<SettingSpec> settings;
};

class PrunerRegistry : public KindRegistry<PrunerKind> {
  public:
    static const PrunerRegistry& builtins();  // "none", "median", "asha"
    // A null spec means no pruning.
    std::unique_ptr<Pruner> create(const Json& spec, const std::string& path = "pruner") const;
    // The README's tables (`bonsai-cli pruners --markdown`).
    std::string markdown() const;
};

}  // namespace bonsai
