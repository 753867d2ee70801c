#pragma once
// PURE: the lifecycle of one ATS connection (Greenhouse, Lever, ...) as an explicit, DENSE
// transition table: every (state, event) pair has exactly one row, which either moves, stays,
// refuses, or (for failures) lets the consecutive-failure counter pick the state. No CAF, Boost,
// pqxx or I/O. The ATS sync supervisor / worker drive it; the dashboard shows state + reason.
//
//   pending --test_succeeded--> connected --N failures--> degraded --M failures--> failing
//      ^ (test_failed: stays)      ^  any success or `reconnected` resets the counter  |
//      |                           +---------------------------------------------------+
//   any state --disconnect--> disconnected (terminal: every event is refused)
//
// A rejected webhook (bad signature, unknown connection token) never changes the state: it is
// noise an attacker can produce at will, so it must not be able to degrade a connection.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/result.hpp"

namespace hw::domain {

enum class ats_connection_state : std::uint8_t { pending, connected, degraded, failing, disconnected };
enum class ats_connection_event : std::uint8_t {
  test_succeeded,    // a credentials / connection test passed
  test_failed,       // a credentials / connection test failed
  sync_succeeded,    // a pull sync run completed
  sync_failed,       // a pull sync run failed (after the worker's own retries)
  webhook_rejected,  // an inbound webhook failed verification: recorded, no state change
  reconnected,       // a recruiter re-authorized / replaced the credentials and they work
  disconnect,        // a recruiter removed the connection (terminal)
};

inline constexpr ats_connection_state all_ats_connection_states[] = {
  ats_connection_state::pending, ats_connection_state::connected, ats_connection_state::degraded,
  ats_connection_state::failing, ats_connection_state::disconnected};
inline constexpr ats_connection_event all_ats_connection_events[] = {
  ats_connection_event::test_succeeded, ats_connection_event::test_failed,
  ats_connection_event::sync_succeeded, ats_connection_event::sync_failed,
  ats_connection_event::webhook_rejected, ats_connection_event::reconnected,
  ats_connection_event::disconnect};

/// What a row does.
enum class ats_edge : std::uint8_t {
  move,        // go to `to`; the failure counter is reset to 0
  stay,        // keep the state and the counter (webhook_rejected, a failed test while pending)
  count_fail,  // counter + 1, then the policy picks connected / degraded / failing
  refuse,      // errc::illegal_transition
};

struct ats_connection_transition {
  ats_connection_state from;
  ats_connection_event on;
  ats_edge edge;
  ats_connection_state to;  // meaningful for `move` only
  std::string_view reason;  // the fixed part of the recorded reason
};

namespace detail {
using cs = ats_connection_state;
using ce = ats_connection_event;
}  // namespace detail

// One row per (state, event): 5 x 7 = 35 rows, in state-major order.
inline constexpr ats_connection_transition ats_connection_table[] = {
  // pending: only a passing test (or a disconnect) leaves it; there is nothing to sync yet.
  {detail::cs::pending, detail::ce::test_succeeded, ats_edge::move, detail::cs::connected, "connection test succeeded"},
  {detail::cs::pending, detail::ce::test_failed, ats_edge::stay, detail::cs::pending, "connection test failed"},
  {detail::cs::pending, detail::ce::sync_succeeded, ats_edge::refuse, detail::cs::pending, "no sync before a successful test"},
  {detail::cs::pending, detail::ce::sync_failed, ats_edge::refuse, detail::cs::pending, "no sync before a successful test"},
  {detail::cs::pending, detail::ce::webhook_rejected, ats_edge::stay, detail::cs::pending, "webhook rejected"},
  {detail::cs::pending, detail::ce::reconnected, ats_edge::refuse, detail::cs::pending, "never connected: run a connection test"},
  {detail::cs::pending, detail::ce::disconnect, ats_edge::move, detail::cs::disconnected, "disconnected by a recruiter"},
  // connected
  {detail::cs::connected, detail::ce::test_succeeded, ats_edge::move, detail::cs::connected, "connection test succeeded"},
  {detail::cs::connected, detail::ce::test_failed, ats_edge::count_fail, detail::cs::connected, "connection test failed"},
  {detail::cs::connected, detail::ce::sync_succeeded, ats_edge::move, detail::cs::connected, "sync succeeded"},
  {detail::cs::connected, detail::ce::sync_failed, ats_edge::count_fail, detail::cs::connected, "sync failed"},
  {detail::cs::connected, detail::ce::webhook_rejected, ats_edge::stay, detail::cs::connected, "webhook rejected"},
  {detail::cs::connected, detail::ce::reconnected, ats_edge::move, detail::cs::connected, "credentials replaced"},
  {detail::cs::connected, detail::ce::disconnect, ats_edge::move, detail::cs::disconnected, "disconnected by a recruiter"},
  // degraded
  {detail::cs::degraded, detail::ce::test_succeeded, ats_edge::move, detail::cs::connected, "connection test succeeded"},
  {detail::cs::degraded, detail::ce::test_failed, ats_edge::count_fail, detail::cs::degraded, "connection test failed"},
  {detail::cs::degraded, detail::ce::sync_succeeded, ats_edge::move, detail::cs::connected, "sync succeeded"},
  {detail::cs::degraded, detail::ce::sync_failed, ats_edge::count_fail, detail::cs::degraded, "sync failed"},
  {detail::cs::degraded, detail::ce::webhook_rejected, ats_edge::stay, detail::cs::degraded, "webhook rejected"},
  {detail::cs::degraded, detail::ce::reconnected, ats_edge::move, detail::cs::connected, "credentials replaced"},
  {detail::cs::degraded, detail::ce::disconnect, ats_edge::move, detail::cs::disconnected, "disconnected by a recruiter"},
  // failing
  {detail::cs::failing, detail::ce::test_succeeded, ats_edge::move, detail::cs::connected, "connection test succeeded"},
  {detail::cs::failing, detail::ce::test_failed, ats_edge::count_fail, detail::cs::failing, "connection test failed"},
  {detail::cs::failing, detail::ce::sync_succeeded, ats_edge::move, detail::cs::connected, "sync succeeded"},
  {detail::cs::failing, detail::ce::sync_failed, ats_edge::count_fail, detail::cs::failing, "sync failed"},
  {detail::cs::failing, detail::ce::webhook_rejected, ats_edge::stay, detail::cs::failing, "webhook rejected"},
  {detail::cs::failing, detail::ce::reconnected, ats_edge::move, detail::cs::connected, "credentials replaced"},
  {detail::cs::failing, detail::ce::disconnect, ats_edge::move, detail::cs::disconnected, "disconnected by a recruiter"},
  // disconnected: terminal. A new connection is a new row, never a revival of this one.
  {detail::cs::disconnected, detail::ce::test_succeeded, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::test_failed, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::sync_succeeded, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::sync_failed, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::webhook_rejected, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::reconnected, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
  {detail::cs::disconnected, detail::ce::disconnect, ats_edge::refuse, detail::cs::disconnected, "disconnected is terminal"},
};

constexpr std::optional<ats_connection_transition> find_transition(ats_connection_state s,
                                                                   ats_connection_event e) noexcept {
  for (const auto& t : ats_connection_table) {
    if (t.from == s && t.on == e) return t;
  }
  return std::nullopt;
}

namespace detail {
constexpr int count_rows(ats_connection_state s, ats_connection_event e) noexcept {
  int n = 0;
  for (const auto& t : ats_connection_table) {
    if (t.from == s && t.on == e) ++n;
  }
  return n;
}
constexpr bool ats_table_dense() noexcept {
  for (auto s : all_ats_connection_states) {
    for (auto e : all_ats_connection_events) {
      if (count_rows(s, e) != 1) return false;
    }
  }
  return std::size(ats_connection_table) ==
         std::size(all_ats_connection_states) * std::size(all_ats_connection_events);
}
constexpr bool ats_disconnected_terminal() noexcept {
  for (const auto& t : ats_connection_table) {
    if (t.from == cs::disconnected && t.edge != ats_edge::refuse) return false;
    // Nothing leaves disconnected, and only `disconnect` enters it.
    if (t.edge == ats_edge::move && t.to == cs::disconnected && t.on != ce::disconnect) return false;
  }
  return true;
}
constexpr bool ats_webhook_rejection_is_inert() noexcept {
  for (const auto& t : ats_connection_table) {
    if (t.on == ce::webhook_rejected && t.edge != ats_edge::stay && t.edge != ats_edge::refuse) {
      return false;
    }
  }
  return true;
}
constexpr bool ats_counting_only_on_failures() noexcept {
  for (const auto& t : ats_connection_table) {
    if (t.edge == ats_edge::count_fail && t.on != ce::sync_failed && t.on != ce::test_failed) {
      return false;
    }
  }
  return true;
}
}  // namespace detail

static_assert(detail::ats_table_dense(), "every (state, event) pair has exactly one row");
static_assert(detail::ats_disconnected_terminal(), "disconnected is terminal");
static_assert(detail::ats_webhook_rejection_is_inert(), "a rejected webhook never changes state");
static_assert(detail::ats_counting_only_on_failures(), "only failures count");
static_assert(find_transition(ats_connection_state::pending, ats_connection_event::test_succeeded)
                  ->to == ats_connection_state::connected, "a passing test connects");

/// Consecutive-failure thresholds. Valid when 1 <= degraded_after <= failing_after.
struct ats_failure_policy {
  std::uint32_t degraded_after = 3;   // this many consecutive failures -> degraded
  std::uint32_t failing_after = 10;   // this many -> failing
};

/// errc::invalid_argument when the thresholds are out of order or zero.
result<unit> validate(const ats_failure_policy& p);

/// The state a connected connection is in after `failures` consecutive failures.
constexpr ats_connection_state state_for_failures(const ats_failure_policy& p,
                                                  std::uint32_t failures) noexcept {
  if (failures >= p.failing_after) return ats_connection_state::failing;
  if (failures >= p.degraded_after) return ats_connection_state::degraded;
  return ats_connection_state::connected;
}

/// The persisted part of a connection's health.
struct ats_connection_status {
  ats_connection_state state = ats_connection_state::pending;
  std::uint32_t consecutive_failures = 0;
};

/// One decided step: the new status and the reason to record (audit / dashboard). `reason` is the
/// table's fixed text, the failure count when it counted, and `detail` when given.
struct ats_connection_step {
  ats_connection_state from;
  ats_connection_event on;
  ats_connection_status to;
  std::string reason;
};

/// Decides `e` in `s` under `policy`. errc::illegal_transition (detail = the row's reason) for a
/// refused pair. `detail` is a short safe note from the caller ("HTTP 401"); never a token or PII.
/// Precondition: validate(policy) succeeded.
result<ats_connection_step> decide(const ats_connection_status& s, ats_connection_event e,
                                   const ats_failure_policy& policy, std::string_view detail = {});

std::string_view to_string(ats_connection_state s) noexcept;
std::string_view to_string(ats_connection_event e) noexcept;
std::optional<ats_connection_state> parse_ats_connection_state(std::string_view s) noexcept;
std::optional<ats_connection_event> parse_ats_connection_event(std::string_view s) noexcept;

}  // namespace hw::domain
