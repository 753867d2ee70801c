#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "actors/domain/content.hpp"

using namespace hw::domain;
using RS = review_state;
using RE = review_event;
using TS = template_state;
using TE = template_event;

namespace {

// The expected review edges, written out independently of content_review_fsm.cpp.
const std::map<std::pair<RS, RE>, RS> review_edges = {
  {{RS::draft, RE::submit}, RS::in_review},
  {{RS::changes_requested, RE::submit}, RS::in_review},
  {{RS::in_review, RE::approve}, RS::approved},
  {{RS::in_review, RE::request_changes}, RS::changes_requested},
  {{RS::draft, RE::archive}, RS::archived},
  {{RS::in_review, RE::archive}, RS::archived},
  {{RS::changes_requested, RE::archive}, RS::archived},
  {{RS::approved, RE::archive}, RS::archived},
};

const review_actor reviewer{"user-reviewer", true, true};
const std::string author = "user-author";

std::string name(RS s, RE e) {
  return std::string{to_string(s)} + " x " + std::string{to_string(e)};
}

}  // namespace

TEST_CASE("content review fsm: every state x event pair matches the expected table",
          "[unit][content]") {
  int legal = 0;
  for (auto s : all_review_states) {
    for (auto e : all_review_events) {
      const auto pair_name = name(s, e);
      CAPTURE(pair_name);
      const auto r = decide_review(s, e, reviewer, author);
      const auto it = review_edges.find({s, e});
      if (it == review_edges.end()) {
        REQUIRE_FALSE(r);
        CHECK(r.code() == hw::errc::illegal_transition);
        CHECK(r.error().detail.find(std::string{to_string(s)}) != std::string::npos);
        // The edge is checked before any guard: the author gets illegal_transition too.
        CHECK(decide_review(s, e, review_actor{author, true, true}, author).code() ==
              hw::errc::illegal_transition);
        continue;
      }
      ++legal;
      REQUIRE(r);
      CHECK(*r == it->second);
    }
  }
  CHECK(legal == 8);
  CHECK(std::size(all_review_states) == 5);
  CHECK(std::size(all_review_events) == 4);
}

TEST_CASE("content review fsm: archived is a sink and approved is only archived",
          "[unit][content]") {
  for (auto e : all_review_events) {
    CHECK(decide_review(RS::archived, e, reviewer, author).code() == hw::errc::illegal_transition);
    if (e != RE::archive) {
      CHECK(decide_review(RS::approved, e, reviewer, author).code() ==
            hw::errc::illegal_transition);
    }
  }
}

TEST_CASE("content review fsm: nobody reviews their own item", "[unit][content]") {
  const review_actor self{author, true, true};
  for (auto e : {RE::approve, RE::request_changes}) {
    const auto r = decide_review(RS::in_review, e, self, author);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::forbidden);
    CHECK(r.error().detail == "you cannot review your own item");
    // Another reviewer may.
    CHECK(decide_review(RS::in_review, e, reviewer, author));
  }
  // The author may still submit and archive their own item.
  CHECK(decide_review(RS::draft, RE::submit, self, author).value() == RS::in_review);
  CHECK(decide_review(RS::approved, RE::archive, self, author).value() == RS::archived);
}

TEST_CASE("content review fsm: the starter library has no author", "[unit][content]") {
  CHECK(decide_review(RS::in_review, RE::approve, reviewer, "").value() == RS::approved);
  // Nobody is the author of it: archiving needs content.approve.
  const review_actor creator{"user-x", true, false};
  CHECK(decide_review(RS::approved, RE::archive, creator, "").code() == hw::errc::forbidden);
  // An actor without an id is nobody: it is never the author and cannot review.
  const review_actor anonymous{"", true, true};
  CHECK(decide_review(RS::in_review, RE::approve, anonymous, "").code() == hw::errc::forbidden);
  CHECK(decide_review(RS::in_review, RE::request_changes, anonymous, author).code() ==
        hw::errc::forbidden);
  const review_actor anonymous_creator{"", true, false};
  CHECK(decide_review(RS::draft, RE::archive, anonymous_creator, "").code() == hw::errc::forbidden);
}

TEST_CASE("content review fsm: guards need the right permission", "[unit][content]") {
  const review_actor nothing{"user-n", false, false};
  const review_actor creator{"user-c", true, false};
  const review_actor approver_only{"user-a", false, true};
  SECTION("submit needs content.create") {
    for (auto s : {RS::draft, RS::changes_requested}) {
      const auto r = decide_review(s, RE::submit, nothing, author);
      CHECK(r.code() == hw::errc::forbidden);
      CHECK(r.error().detail.find("content.create") != std::string::npos);
      CHECK(decide_review(s, RE::submit, approver_only, author).code() == hw::errc::forbidden);
      CHECK(decide_review(s, RE::submit, creator, author).value() == RS::in_review);
    }
  }
  SECTION("approve and request_changes need content.approve") {
    for (auto e : {RE::approve, RE::request_changes}) {
      const auto r = decide_review(RS::in_review, e, creator, author);
      CHECK(r.code() == hw::errc::forbidden);
      CHECK(r.error().detail.find("content.approve") != std::string::npos);
      CHECK(decide_review(RS::in_review, e, approver_only, author));
    }
  }
  SECTION("archive needs content.approve or being the author") {
    for (auto s : {RS::draft, RS::in_review, RS::changes_requested, RS::approved}) {
      CHECK(decide_review(s, RE::archive, creator, author).code() == hw::errc::forbidden);
      CHECK(decide_review(s, RE::archive, nothing, author).code() == hw::errc::forbidden);
      CHECK(decide_review(s, RE::archive, approver_only, author).value() == RS::archived);
      CHECK(decide_review(s, RE::archive, review_actor{author, false, false}, author).value() ==
            RS::archived);
    }
  }
}

TEST_CASE("content review fsm: editable in place and names", "[unit][content]") {
  CHECK(editable_in_place(RS::draft));
  CHECK(editable_in_place(RS::in_review));
  CHECK(editable_in_place(RS::changes_requested));
  CHECK_FALSE(editable_in_place(RS::approved));
  CHECK_FALSE(editable_in_place(RS::archived));
  for (auto s : all_review_states) CHECK(parse_review_state(to_string(s)) == s);
  for (auto e : all_review_events) CHECK(parse_review_event(to_string(e)) == e);
  CHECK(to_string(RS::changes_requested) == "changes_requested");
  CHECK(to_string(RE::request_changes) == "request_changes");
  CHECK_FALSE(parse_review_state("Draft"));
  CHECK_FALSE(parse_review_state("unknown"));
  CHECK_FALSE(parse_review_event("publish"));
  CHECK(to_string(static_cast<RS>(77)) == "unknown");
}

namespace {

// The expected template edges (caller-driven); supersede is internal only.
const std::map<std::pair<TS, TE>, TS> template_edges = {
  {{TS::draft, TE::submit}, TS::pending_approval},
  {{TS::pending_approval, TE::approve}, TS::approved},
  {{TS::pending_approval, TE::request_changes}, TS::draft},
};

std::string tname(TS s, TE e) {
  return std::string{to_string(s)} + " x " + std::string{to_string(e)};
}

}  // namespace

TEST_CASE("template fsm: every state x event pair matches the expected table", "[unit][content]") {
  const template_actor both{true, true};
  int legal = 0;
  for (auto s : all_template_states) {
    for (auto e : all_template_events) {
      const auto pair_name = tname(s, e);
      CAPTURE(pair_name);
      const auto r = decide_template(s, e, both);
      const auto it = template_edges.find({s, e});
      // Internally, only approved -> superseded is added.
      const auto ri = decide_template(s, e, both, true);
      if (e == TE::supersede) {
        CHECK(r.code() == hw::errc::illegal_transition);
        if (s == TS::approved) {
          CHECK(ri.value() == TS::superseded);
        } else {
          CHECK(ri.code() == hw::errc::illegal_transition);
        }
        continue;
      }
      if (it == template_edges.end()) {
        CHECK(r.code() == hw::errc::illegal_transition);
        CHECK(ri.code() == hw::errc::illegal_transition);
        continue;
      }
      ++legal;
      REQUIRE(r);
      CHECK(*r == it->second);
      CHECK(ri.value() == it->second);
    }
  }
  CHECK(legal == 3);
  // superseded is a sink.
  for (auto e : all_template_events) {
    CHECK(decide_template(TS::superseded, e, both, true).code() == hw::errc::illegal_transition);
  }
}

TEST_CASE("template fsm: guards need template.update and template.approve", "[unit][content]") {
  const template_actor none{false, false};
  const template_actor updater{true, false};
  const template_actor approver{false, true};
  CHECK(decide_template(TS::draft, TE::submit, none).code() == hw::errc::forbidden);
  CHECK(decide_template(TS::draft, TE::submit, approver).code() == hw::errc::forbidden);
  CHECK(decide_template(TS::draft, TE::submit, updater).value() == TS::pending_approval);
  for (auto e : {TE::approve, TE::request_changes}) {
    const auto r = decide_template(TS::pending_approval, e, updater);
    CHECK(r.code() == hw::errc::forbidden);
    CHECK(r.error().detail.find("template.approve") != std::string::npos);
    CHECK(decide_template(TS::pending_approval, e, none).code() == hw::errc::forbidden);
    CHECK(decide_template(TS::pending_approval, e, approver));
  }
  // The edge comes before the guard.
  CHECK(decide_template(TS::approved, TE::approve, none).code() == hw::errc::illegal_transition);
  // supersede needs no permission, only the internal flag.
  CHECK(decide_template(TS::approved, TE::supersede, none, true).value() == TS::superseded);
  CHECK(decide_template(TS::approved, TE::supersede, template_actor{true, true}).code() ==
        hw::errc::illegal_transition);
}

TEST_CASE("template fsm: names round-trip", "[unit][content]") {
  for (auto s : all_template_states) CHECK(parse_template_state(to_string(s)) == s);
  for (auto e : all_template_events) CHECK(parse_template_event(to_string(e)) == e);
  CHECK(to_string(TS::pending_approval) == "pending_approval");
  CHECK_FALSE(parse_template_state("pending"));
  CHECK_FALSE(parse_template_event("Approve"));
}
