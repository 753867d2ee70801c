#include <catch2/catch.hpp>

#include <string>

#include "actors/domain/ats_connection_fsm.hpp"

using namespace hw::domain;
using S = ats_connection_state;
using E = ats_connection_event;

namespace {

// The expected lifecycle, written independently of the table. `count` = the failure policy picks.
enum class want { move, stay, count, refuse };
struct expect_row { want w; S to; };

expect_row expected(S s, E e) {
  if (s == S::disconnected) return {want::refuse, s};
  if (e == E::disconnect) return {want::move, S::disconnected};
  if (e == E::webhook_rejected) return {want::stay, s};
  if (s == S::pending) {
    if (e == E::test_succeeded) return {want::move, S::connected};
    if (e == E::test_failed) return {want::stay, S::pending};
    return {want::refuse, s};
  }
  if (e == E::test_failed || e == E::sync_failed) return {want::count, s};
  return {want::move, S::connected};  // test_succeeded, sync_succeeded, reconnected
}

const ats_failure_policy policy{3, 10};

}  // namespace

TEST_CASE("ats_connection_fsm: every state x event pair matches the expected table", "[unit][ats_connection_fsm]") {
  int checked = 0;
  for (auto s : all_ats_connection_states) {
    for (auto e : all_ats_connection_events) {
      CAPTURE(std::string{to_string(s)}, std::string{to_string(e)});
      const auto want_row = expected(s, e);
      const ats_connection_status from{s, 2};
      const auto r = decide(from, e, policy, "HTTP 503");
      ++checked;
      switch (want_row.w) {
        case want::refuse:
          REQUIRE_FALSE(r);
          CHECK(r.code() == hw::errc::illegal_transition);
          CHECK_FALSE(r.error().detail.empty());
          break;
        case want::stay:
          REQUIRE(r);
          CHECK(r->to.state == s);
          CHECK(r->to.consecutive_failures == 2);
          break;
        case want::move:
          REQUIRE(r);
          CHECK(r->to.state == want_row.to);
          CHECK(r->to.consecutive_failures == 0);
          break;
        case want::count:
          REQUIRE(r);
          CHECK(r->to.consecutive_failures == 3);
          CHECK(r->to.state == S::degraded);  // 3 = degraded_after
          CHECK(r->reason.find("3 consecutive") != std::string::npos);
          break;
      }
      if (r) {
        CHECK(r->from == s);
        CHECK(r->on == e);
        CHECK(r->reason.find("HTTP 503") != std::string::npos);
      }
    }
  }
  CHECK(checked == 35);
  CHECK(std::size(ats_connection_table) == 35);
}

TEST_CASE("ats_connection_fsm: the failure counter walks connected -> degraded -> failing", "[unit][ats_connection_fsm]") {
  const ats_failure_policy p{2, 4};
  REQUIRE(validate(p));
  ats_connection_status st{S::connected, 0};
  const S want[] = {S::connected, S::degraded, S::degraded, S::failing, S::failing};
  for (std::uint32_t i = 0; i < 5; ++i) {
    auto r = decide(st, i % 2 ? E::test_failed : E::sync_failed, p);
    REQUIRE(r);
    st = r->to;
    CHECK(st.consecutive_failures == i + 1);
    CHECK(st.state == want[i]);
  }
  auto ok = decide(st, E::sync_succeeded, p);
  REQUIRE(ok);
  CHECK(ok->to.state == S::connected);
  CHECK(ok->to.consecutive_failures == 0);
  CHECK(ok->reason == "sync succeeded");
}

TEST_CASE("ats_connection_fsm: webhook rejections never degrade", "[unit][ats_connection_fsm]") {
  ats_connection_status st{S::connected, 0};
  for (int i = 0; i < 50; ++i) {
    auto r = decide(st, E::webhook_rejected, policy);
    REQUIRE(r);
    st = r->to;
  }
  CHECK(st.state == S::connected);
  CHECK(st.consecutive_failures == 0);
}

TEST_CASE("ats_connection_fsm: the counter saturates", "[unit][ats_connection_fsm]") {
  auto r = decide({S::failing, UINT32_MAX}, E::sync_failed, policy);
  REQUIRE(r);
  CHECK(r->to.consecutive_failures == UINT32_MAX);
  CHECK(r->to.state == S::failing);
}

TEST_CASE("ats_connection_fsm: policy validation and thresholds", "[unit][ats_connection_fsm]") {
  CHECK(validate(ats_failure_policy{}));
  CHECK(validate(ats_failure_policy{1, 1}));
  CHECK(validate(ats_failure_policy{0, 5}).code() == hw::errc::invalid_argument);
  CHECK(validate(ats_failure_policy{5, 4}).code() == hw::errc::invalid_argument);
  CHECK(state_for_failures(policy, 0) == S::connected);
  CHECK(state_for_failures(policy, 2) == S::connected);
  CHECK(state_for_failures(policy, 3) == S::degraded);
  CHECK(state_for_failures(policy, 9) == S::degraded);
  CHECK(state_for_failures(policy, 10) == S::failing);
}

TEST_CASE("ats_connection_fsm: names round trip", "[unit][ats_connection_fsm]") {
  for (auto s : all_ats_connection_states) CHECK(parse_ats_connection_state(to_string(s)) == s);
  for (auto e : all_ats_connection_events) CHECK(parse_ats_connection_event(to_string(e)) == e);
  CHECK_FALSE(parse_ats_connection_state("Connected"));
  CHECK_FALSE(parse_ats_connection_event(""));
  CHECK(to_string(S::disconnected) == "disconnected");
  CHECK(to_string(E::webhook_rejected) == "webhook_rejected");
}
