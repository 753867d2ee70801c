#include "actors/domain/ats_connection_fsm.hpp"

namespace hw::domain {

result<unit> validate(const ats_failure_policy& p) {
  if (p.degraded_after == 0) {
    return {errc::invalid_argument, "ats failure policy: degraded_after must be at least 1"};
  }
  if (p.failing_after < p.degraded_after) {
    return {errc::invalid_argument,
            "ats failure policy: failing_after must not be below degraded_after"};
  }
  return unit{};
}

result<ats_connection_step> decide(const ats_connection_status& s, ats_connection_event e,
                                   const ats_failure_policy& policy, std::string_view detail) {
  const auto t = find_transition(s.state, e);
  // The table is dense (static_assert), so a missing row is a bug, not a refusal.
  if (!t) return {errc::internal, "ats_connection_fsm: no row"};
  if (t->edge == ats_edge::refuse) return {errc::illegal_transition, std::string{t->reason}};

  ats_connection_step step{s.state, e, s, std::string{t->reason}};
  switch (t->edge) {
    case ats_edge::move:
      step.to = {t->to, 0};
      break;
    case ats_edge::stay:
      break;
    case ats_edge::count_fail: {
      // Saturate rather than wrap: a connection failing for years stays `failing`.
      const auto n = s.consecutive_failures == UINT32_MAX ? UINT32_MAX : s.consecutive_failures + 1;
      step.to = {state_for_failures(policy, n), n};
      step.reason += " (" + std::to_string(n) + " consecutive)";
      break;
    }
    case ats_edge::refuse:
      break;
  }
  if (!detail.empty()) {
    step.reason += ": ";
    step.reason += detail;
  }
  return step;
}

std::string_view to_string(ats_connection_state s) noexcept {
  switch (s) {
    case ats_connection_state::pending: return "pending";
    case ats_connection_state::connected: return "connected";
    case ats_connection_state::degraded: return "degraded";
    case ats_connection_state::failing: return "failing";
    case ats_connection_state::disconnected: return "disconnected";
  }
  return "pending";
}

std::string_view to_string(ats_connection_event e) noexcept {
  switch (e) {
    case ats_connection_event::test_succeeded: return "test_succeeded";
    case ats_connection_event::test_failed: return "test_failed";
    case ats_connection_event::sync_succeeded: return "sync_succeeded";
    case ats_connection_event::sync_failed: return "sync_failed";
    case ats_connection_event::webhook_rejected: return "webhook_rejected";
    case ats_connection_event::reconnected: return "reconnected";
    case ats_connection_event::disconnect: return "disconnect";
  }
  return "test_succeeded";
}

std::optional<ats_connection_state> parse_ats_connection_state(std::string_view s) noexcept {
  for (auto st : all_ats_connection_states) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::optional<ats_connection_event> parse_ats_connection_event(std::string_view s) noexcept {
  for (auto ev : all_ats_connection_events) {
    if (to_string(ev) == s) return ev;
  }
  return std::nullopt;
}

}  // namespace hw::domain
