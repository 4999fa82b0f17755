#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace bonsai::cli {

// A command-line mistake: exit code 2 with this message and a usage hint.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parsed `bonsai-cli COMMAND [positionals] [--option value] [--flag] [-- positionals]`.
class Arguments {
  public:
    // `valued` options take a value (`--db FILE` or `--db=FILE`); `flags` do not.
    Arguments(const std::vector<std::string>& args, const std::set<std::string>& valued,
              const std::set<std::string>& flags);

    const std::vector<std::string>& positionals() const { return m_positionals; }
    // Exactly `count` positionals, else UsageError naming what is missing.
    void expectPositionals(std::size_t count, const std::string& names) const;

    bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    // A whole number in [min, max]; larger ones (2^63 - 1, say) are refused, not wrapped.
    std::optional<std::int64_t> integer(const std::string& name, std::int64_t min,
                                        std::int64_t max = kMaxCount) const;
    // Trials, seeds and workers beyond this mean a typo; trial numbers are ints.
    static constexpr std::int64_t kMaxCount = 1'000'000'000;

  private:
    std::vector<std::string> m_positionals;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
};

}  // namespace bonsai::cli
