#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "actors/domain/job_posting_fsm.hpp"

using namespace hw::domain;
using S = job_posting_state;
using E = job_posting_event;

namespace {

struct edge { S to; bool recruiter; bool ats; };

// The expected lifecycle, written independently of job_posting_table.
std::optional<edge> expected(S s, E e) {
  if (s == S::imported && e == E::claim) return edge{S::draft, true, false};
  if (s == S::draft && e == E::mark_ready) return edge{S::ready, true, false};
  if (s == S::ready && e == E::revise) return edge{S::draft, true, false};
  if (s == S::ready && e == E::open) return edge{S::open, true, false};
  if (s == S::open && e == E::close) return edge{S::closed, true, true};
  if ((s == S::imported || s == S::draft || s == S::ready) && e == E::close) {
    return edge{S::closed, false, true};
  }
  if (s == S::closed && e == E::reopen) return edge{S::draft, true, true};
  if ((s == S::imported || s == S::closed) && e == E::archive) return edge{S::archived, true, true};
  if ((s == S::draft || s == S::ready || s == S::open) && e == E::archive) {
    return edge{S::archived, false, true};
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("job_posting_fsm: every state x event x driver matches the expected table", "[unit][job_posting_fsm]") {
  int legal = 0;
  for (auto s : all_job_posting_states) {
    for (auto e : all_job_posting_events) {
      CAPTURE(std::string{to_string(s)}, std::string{to_string(e)});
      const auto want = expected(s, e);
      const auto t = find_transition(s, e);
      REQUIRE(t.has_value() == want.has_value());
      const auto by_r = decide(s, e, job_driver::recruiter);
      const auto by_a = decide(s, e, job_driver::ats_sync);
      if (!want) {
        CHECK(by_r.code() == hw::errc::illegal_transition);
        CHECK(by_a.code() == hw::errc::illegal_transition);
        continue;
      }
      ++legal;
      CHECK(t->to == want->to);
      CHECK(bool(by_r) == want->recruiter);
      CHECK(bool(by_a) == want->ats);
      if (by_r) CHECK(by_r->to == want->to);
      if (by_a) CHECK(by_a->to == want->to);
      if (!by_r) CHECK(by_r.error().detail.find("not driven by recruiter") != std::string::npos);
      if (!by_a) CHECK(by_a.error().detail.find("not driven by ats_sync") != std::string::npos);
    }
  }
  CHECK(legal == 14);
  CHECK(std::size(job_posting_table) == 14);
}

TEST_CASE("job_posting_fsm: no duplicate rows; archived is a sink", "[unit][job_posting_fsm]") {
  std::set<std::pair<int, int>> seen;
  for (const auto& t : job_posting_table) {
    CHECK(seen.emplace(static_cast<int>(t.from), static_cast<int>(t.on)).second);
    CHECK(t.from != S::archived);
  }
  for (auto e : all_job_posting_events) CHECK_FALSE(find_transition(S::archived, e));
}

TEST_CASE("job_posting_fsm: the happy path and the ATS-driven paths", "[unit][job_posting_fsm]") {
  S s = S::imported;
  for (auto e : {E::claim, E::mark_ready, E::open, E::close, E::archive}) {
    auto r = decide(s, e, job_driver::recruiter);
    REQUIRE(r);
    s = r->to;
  }
  CHECK(s == S::archived);
  CHECK(decide(S::closed, E::reopen, job_driver::ats_sync)->to == S::draft);
  CHECK(decide(S::open, E::archive, job_driver::ats_sync)->to == S::archived);
  CHECK_FALSE(decide(S::open, E::archive, job_driver::recruiter));
  CHECK_FALSE(decide(S::ready, E::open, job_driver::ats_sync));
  CHECK_FALSE(decide(S::draft, E::open, job_driver::recruiter));
  CHECK(accepts_invitations(S::open));
  CHECK_FALSE(accepts_invitations(S::ready));
}

TEST_CASE("job_posting_fsm: names round trip", "[unit][job_posting_fsm]") {
  for (auto s : all_job_posting_states) CHECK(parse_job_posting_state(to_string(s)) == s);
  for (auto e : all_job_posting_events) CHECK(parse_job_posting_event(to_string(e)) == e);
  CHECK_FALSE(parse_job_posting_state("Open"));
  CHECK_FALSE(parse_job_posting_event("publish"));
  CHECK(to_string(job_driver::ats_sync) == "ats_sync");
}

TEST_CASE("job_posting_fsm: mark_ready requires an approved interview template", "[unit][job_posting_fsm]") {
  auto refused = decide_with_template(S::draft, E::mark_ready, job_driver::recruiter, false);
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == hw::errc::illegal_transition);
  CHECK(refused.error().detail == "the job has no approved interview template");
  auto ok = decide_with_template(S::draft, E::mark_ready, job_driver::recruiter, true);
  REQUIRE(ok);
  CHECK(ok->to == S::ready);
  // The FSM decides first: an illegal edge keeps its own detail whatever the template says.
  auto illegal = decide_with_template(S::open, E::mark_ready, job_driver::recruiter, false);
  REQUIRE_FALSE(illegal);
  CHECK(illegal.error().detail.find("cannot mark_ready from open") != std::string::npos);
}

TEST_CASE("job_posting_fsm: the template guard touches only mark_ready", "[unit][job_posting_fsm]") {
  for (auto e : all_job_posting_events) {
    CAPTURE(std::string{to_string(e)});
    CHECK(bool(check_template_guard(e, true)));
    CHECK(bool(check_template_guard(e, false)) == (e != E::mark_ready));
  }
  for (auto s : all_job_posting_states) {
    for (auto e : all_job_posting_events) {
      if (e == E::mark_ready) continue;
      for (auto d : {job_driver::recruiter, job_driver::ats_sync}) {
        CHECK(bool(decide_with_template(s, e, d, false)) == bool(decide(s, e, d)));
      }
    }
  }
  // Opening a ready job never asks again (the template was checked when it became ready).
  CHECK(decide_with_template(S::ready, E::open, job_driver::recruiter, false)->to == S::open);
}
