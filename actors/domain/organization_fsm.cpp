#include "actors/domain/organization_fsm.hpp"

namespace hw::domain {

std::string_view to_string(org_state s) noexcept {
  switch (s) {
    case org_state::active: return "active";
    case org_state::suspended: return "suspended";
    case org_state::closed: return "closed";
  }
  return "active";
}

std::string_view to_string(org_event e) noexcept {
  switch (e) {
    case org_event::suspend: return "suspend";
    case org_event::reactivate: return "reactivate";
    case org_event::close: return "close";
  }
  return "suspend";
}

std::optional<org_state> parse_org_state(std::string_view s) noexcept {
  if (s == "active") return org_state::active;
  if (s == "suspended") return org_state::suspended;
  if (s == "closed") return org_state::closed;
  return std::nullopt;
}

std::optional<org_event> parse_org_event(std::string_view s) noexcept {
  if (s == "suspend") return org_event::suspend;
  if (s == "reactivate") return org_event::reactivate;
  if (s == "close") return org_event::close;
  return std::nullopt;
}

}  // namespace hw::domain
