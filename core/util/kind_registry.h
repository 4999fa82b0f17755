#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/json_reader.h"

namespace bonsai {

// Name-keyed descriptions of the kinds of one family (strategies, pruners,
// objectives): bayesopt's factories, with each kind described once. `Kind`
// has a `std::string kind` member (its name in specs); the rest (factory,
// settings, capabilities) is the family's business.
template <class Kind>
class KindRegistry {
  public:
    // Replaces a kind of the same name, so a test or an application can
    // override a built-in one.
    void add(Kind description) {
        std::string name = description.kind;
        m_kinds.insert_or_assign(std::move(name), std::move(description));
    }

    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        out.reserve(m_kinds.size());
        for (const auto& [name, kind] : m_kinds)
            out.push_back(name);
        return out;
    }

    // nullptr for an unknown kind.
    const Kind* find(const std::string& name) const {
        auto it = m_kinds.find(name);
        return it == m_kinds.end() ? nullptr : &it->second;
    }

    // Every kind, in name order.
    std::vector<const Kind*> descriptions() const {
        std::vector<const Kind*> out;
        out.reserve(m_kinds.size());
        for (const auto& [name, kind] : m_kinds)
            out.push_back(&kind);
        return out;
    }

    // Reads the object's "kind" and returns its description; an unknown one is
    // rejected naming the known ones: "unknown strategy 'gpp'; did you mean 'gp'?".
    const Kind& require(JsonReader& spec, const std::string& family) const {
        std::string name = spec.requireString("kind");
        const Kind* kind = find(name);
        if (!kind)
            spec.failUnknownName("kind", family, name, kinds());
        return *kind;
    }

  private:
    std::map<std::string, Kind> m_kinds;
};

}  // namespace bonsai
