#pragma once
// PURE: the organization lifecycle as an explicit transition table. No CAF, Boost, pqxx or I/O.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hw::domain {

enum class org_state : std::uint8_t { active, suspended, closed };
enum class org_event : std::uint8_t { suspend, reactivate, close };

struct org_transition {
  org_state from;
  org_event on;
  org_state to;
};

// One row per legal edge; everything else is rejected. `closed` is a sink.
inline constexpr org_transition org_table[] = {
  {org_state::active, org_event::suspend, org_state::suspended},
  {org_state::suspended, org_event::reactivate, org_state::active},
  {org_state::active, org_event::close, org_state::closed},
  {org_state::suspended, org_event::close, org_state::closed},
};

constexpr std::optional<org_transition> find_transition(org_state s, org_event e) noexcept {
  for (const auto& t : org_table) {
    if (t.from == s && t.on == e) return t;
  }
  return std::nullopt;
}

static_assert(!find_transition(org_state::closed, org_event::reactivate), "closed is a sink");
static_assert(!find_transition(org_state::active, org_event::reactivate), "reactivate needs suspended");

/// True when settings may be edited in this state (a closed organization is read-only).
constexpr bool settings_editable(org_state s) noexcept { return s != org_state::closed; }

std::string_view to_string(org_state s) noexcept;
std::string_view to_string(org_event e) noexcept;
std::optional<org_state> parse_org_state(std::string_view s) noexcept;
std::optional<org_event> parse_org_event(std::string_view s) noexcept;

}  // namespace hw::domain
