#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <tuple>

#include "actors/domain/organization_fsm.hpp"

using namespace hw::domain;

namespace {

constexpr org_state all_states[] = {org_state::active, org_state::suspended, org_state::closed};
constexpr org_event all_events[] = {org_event::suspend, org_event::reactivate, org_event::close};

// The expected lifecycle, written independently of org_table.
std::optional<org_state> expected_target(org_state s, org_event e) {
  if (s == org_state::active && e == org_event::suspend) return org_state::suspended;
  if (s == org_state::suspended && e == org_event::reactivate) return org_state::active;
  if (s == org_state::active && e == org_event::close) return org_state::closed;
  if (s == org_state::suspended && e == org_event::close) return org_state::closed;
  return std::nullopt;
}

}  // namespace

TEST_CASE("organization_fsm: every state x event pair matches the expected table", "[unit][organization_fsm]") {
  int legal = 0;
  for (auto s : all_states) {
    for (auto e : all_events) {
      CAPTURE(std::string{to_string(s)}, std::string{to_string(e)});
      const auto t = find_transition(s, e);
      const auto want = expected_target(s, e);
      REQUIRE(t.has_value() == want.has_value());
      if (t) {
        ++legal;
        CHECK(t->from == s);
        CHECK(t->on == e);
        CHECK(t->to == *want);
      }
    }
  }
  CHECK(legal == 4);
}

TEST_CASE("organization_fsm: the table has exactly the four legal edges and no duplicates", "[unit][organization_fsm]") {
  std::set<std::pair<int, int>> seen;
  for (const auto& t : org_table) {
    CHECK(seen.emplace(static_cast<int>(t.from), static_cast<int>(t.on)).second);
    REQUIRE(expected_target(t.from, t.on).has_value());
    CHECK(*expected_target(t.from, t.on) == t.to);
  }
  CHECK(std::size(org_table) == 4);
}

TEST_CASE("organization_fsm: closed is a sink", "[unit][organization_fsm]") {
  for (auto e : all_events) {
    CAPTURE(std::string{to_string(e)});
    CHECK_FALSE(find_transition(org_state::closed, e).has_value());
  }
  for (const auto& t : org_table) CHECK(t.from != org_state::closed);
}

TEST_CASE("organization_fsm: illegal edges are rejected", "[unit][organization_fsm]") {
  CHECK_FALSE(find_transition(org_state::active, org_event::reactivate));
  CHECK_FALSE(find_transition(org_state::suspended, org_event::suspend));
  CHECK_FALSE(find_transition(org_state::closed, org_event::reactivate));
  CHECK_FALSE(find_transition(org_state::closed, org_event::close));
  CHECK_FALSE(find_transition(org_state::closed, org_event::suspend));
}

TEST_CASE("organization_fsm: settings are editable unless closed", "[unit][organization_fsm]") {
  CHECK(settings_editable(org_state::active));
  CHECK(settings_editable(org_state::suspended));
  CHECK_FALSE(settings_editable(org_state::closed));
}

TEST_CASE("organization_fsm: state to_string and parse round trip", "[unit][organization_fsm]") {
  CHECK(to_string(org_state::active) == "active");
  CHECK(to_string(org_state::suspended) == "suspended");
  CHECK(to_string(org_state::closed) == "closed");
  for (auto s : all_states) {
    const auto p = parse_org_state(to_string(s));
    REQUIRE(p.has_value());
    CHECK(*p == s);
  }
}

TEST_CASE("organization_fsm: event to_string and parse round trip", "[unit][organization_fsm]") {
  CHECK(to_string(org_event::suspend) == "suspend");
  CHECK(to_string(org_event::reactivate) == "reactivate");
  CHECK(to_string(org_event::close) == "close");
  for (auto e : all_events) {
    const auto p = parse_org_event(to_string(e));
    REQUIRE(p.has_value());
    CHECK(*p == e);
  }
}

TEST_CASE("organization_fsm: parse rejects unknown, empty and differently cased names", "[unit][organization_fsm]") {
  for (const char* s : {"", "Active", "ACTIVE", " active", "active ", "deleted", "suspend", "close"}) {
    CAPTURE(s);
    CHECK_FALSE(parse_org_state(s).has_value());
  }
  for (const char* s : {"", "Suspend", "SUSPEND", "suspend ", "reopen", "closed", "active"}) {
    CAPTURE(s);
    CHECK_FALSE(parse_org_event(s).has_value());
  }
}
