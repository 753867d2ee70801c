// domain/ats_webhook_hint: what a verified Greenhouse / Lever delivery asks us to do (ats.md §1.6,
// §2), for every action in the header's table, plus malformed deliveries.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_webhook_hint.hpp"

using hw::errc;
using hw::domain::interpret_greenhouse_webhook;
using hw::domain::interpret_lever_webhook;
using hw::domain::webhook_hint_kind;
using nlohmann::json;

namespace {

json gh(const std::string& action, json payload) { return json{{"action", action}, {"payload", std::move(payload)}}; }

}  // namespace

TEST_CASE("ats_webhook_hint: greenhouse ping and unknown actions", "[unit][ats_webhook_hint]") {
  const auto ping = json::parse(
      R"({"action":"ping","payload":{"web_hook_id":4001693002,"endpoint_url":"https://x/webhooks","active":true}})");
  auto h = interpret_greenhouse_webhook(ping);
  REQUIRE(h);
  CHECK(h->kind == webhook_hint_kind::ping);
  CHECK(h->action == "ping");

  for (const char* a : {"offer_created", "interview_deleted", "department_deleted", "something_new"}) {
    auto i = interpret_greenhouse_webhook(gh(a, json::object()));
    REQUIRE(i);
    CHECK(i->kind == webhook_hint_kind::ignored);
    CHECK(i->action == a);
  }
  // An unknown action needs no payload at all.
  auto bare = interpret_greenhouse_webhook(json{{"action", "offer_deleted"}});
  REQUIRE(bare);
  CHECK(bare->kind == webhook_hint_kind::ignored);
}

TEST_CASE("ats_webhook_hint: greenhouse job actions", "[unit][ats_webhook_hint]") {
  for (const char* a : {"job_created", "job_updated", "job_approved"}) {
    auto h = interpret_greenhouse_webhook(gh(a, {{"job", {{"id", 209256}, {"name", "PM"}}}}));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::job_changed);
    CHECK(h->job_id == "209256");
  }
  auto del = interpret_greenhouse_webhook(
      json::parse(R"({"action":"job_deleted","payload":{"job":{"id":209256,"name":"Project Manager"}}})"));
  REQUIRE(del);
  CHECK(del->kind == webhook_hint_kind::job_deleted);
  CHECK(del->job_id == "209256");

  SECTION("job posts: job_post.job_id, payload.job_id, or none (a prospect post)") {
    for (const char* a : {"job_post_created", "job_post_updated", "job_post_deleted"}) {
      auto nested = interpret_greenhouse_webhook(gh(a, {{"job_post", {{"id", 1}, {"job_id", 371417}}}}));
      REQUIRE(nested);
      CHECK(nested->kind == webhook_hint_kind::job_changed);
      CHECK(nested->job_id == "371417");
      auto flat = interpret_greenhouse_webhook(gh(a, {{"id", 1}, {"job_id", "371418"}}));
      REQUIRE(flat);
      CHECK(flat->kind == webhook_hint_kind::job_changed);
      CHECK(flat->job_id == "371418");
      auto prospect = interpret_greenhouse_webhook(gh(a, {{"job_post", {{"id", 1}, {"job_id", nullptr}}}}));
      REQUIRE(prospect);
      CHECK(prospect->kind == webhook_hint_kind::ignored);
      CHECK(prospect->job_id.empty());
    }
  }
  SECTION("a job action without a job id is malformed") {
    CHECK(interpret_greenhouse_webhook(gh("job_updated", {{"job", {{"name", "x"}}}})).code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("job_deleted", json::object())).code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("job_created", {{"job", {{"id", -4}}}})).code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("job_post_updated", {{"job_post", "x"}})).code() == errc::invalid_argument);
  }
}

TEST_CASE("ats_webhook_hint: greenhouse application actions", "[unit][ats_webhook_hint]") {
  // The v1 webhook shape: application.candidate.id.
  const json v1_app{{"id", 265277}, {"status", "active"}, {"candidate", {{"id", 265772}, {"first_name", "G"}}}};
  for (const char* a : {"new_candidate_application", "new_prospect_application", "application_updated",
                        "candidate_stage_change", "reject_candidate", "unreject_candidate", "hire_candidate",
                        "unhire_candidate"}) {
    auto h = interpret_greenhouse_webhook(gh(a, {{"application", v1_app}}));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::application_changed);
    CHECK(h->application_id == "265277");
    CHECK(h->candidate_id == "265772");
    CHECK(h->action == a);
  }
  SECTION("string ids and no candidate") {
    auto h = interpret_greenhouse_webhook(gh("application_updated", {{"application", {{"id", "42"}}}}));
    REQUIRE(h);
    CHECK(h->application_id == "42");
    CHECK(h->candidate_id.empty());
  }
  SECTION("delete_application carries a flat candidate_id") {
    auto h = interpret_greenhouse_webhook(json::parse(
        R"({"action":"delete_application","payload":{"application":{"id":46194062,"candidate_id":37031511,"job_id":371417}}})"));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::application_deleted);
    CHECK(h->application_id == "46194062");
    CHECK(h->candidate_id == "37031511");
  }
  SECTION("malformed") {
    CHECK(interpret_greenhouse_webhook(gh("candidate_stage_change", json::object())).code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("hire_candidate", {{"application", {{"id", true}}}})).code() ==
          errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("delete_application", {{"application", "46194062"}})).code() ==
          errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(json{{"action", "reject_candidate"}}).code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(json{{"action", "reject_candidate"}, {"payload", json::array()}}).code() ==
          errc::invalid_argument);
  }
}

TEST_CASE("ats_webhook_hint: greenhouse candidate actions", "[unit][ats_webhook_hint]") {
  SECTION("update_candidate: payload.candidate.id or payload.person.id") {
    auto a = interpret_greenhouse_webhook(gh("update_candidate", {{"candidate", {{"id", 11}}}}));
    REQUIRE(a);
    CHECK(a->kind == webhook_hint_kind::candidate_changed);
    CHECK(a->candidate_id == "11");
    auto b = interpret_greenhouse_webhook(gh("update_candidate", {{"person", {{"id", "12"}}}}));
    REQUIRE(b);
    CHECK(b->candidate_id == "12");
    CHECK(interpret_greenhouse_webhook(gh("update_candidate", json::object())).code() == errc::invalid_argument);
  }
  SECTION("delete_candidate lists the deleted applications") {
    auto h = interpret_greenhouse_webhook(
        gh("delete_candidate", {{"person", {{"id", 37031511}, {"deleted_application_ids", {1, "2", 3}}}}}));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::candidate_deleted);
    CHECK(h->candidate_id == "37031511");
    CHECK(h->deleted_application_ids == std::vector<std::string>{"1", "2", "3"});
    auto none = interpret_greenhouse_webhook(gh("delete_candidate", {{"person", {{"id", 5}}}}));
    REQUIRE(none);
    CHECK(none->deleted_application_ids.empty());
    CHECK(interpret_greenhouse_webhook(gh("delete_candidate", {{"person", {{"id", 5}, {"deleted_application_ids", 7}}}}))
              .code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(
              gh("delete_candidate", {{"person", {{"id", 5}, {"deleted_application_ids", {1, nullptr}}}}}))
              .code() == errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("delete_candidate", {{"candidate", {{"id", 5}}}})).code() ==
          errc::invalid_argument);
  }
  SECTION("merge_candidate: the loser into the winner") {
    auto h = interpret_greenhouse_webhook(json::parse(
        R"({"action":"merge_candidate","payload":{"person":{"id":37031511,"first_name":"Jack","new_candidate_id":457456}}})"));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::candidate_merged);
    CHECK(h->candidate_id == "37031511");
    CHECK(h->merged_into == "457456");
    CHECK(interpret_greenhouse_webhook(gh("merge_candidate", {{"person", {{"id", 1}}}})).code() ==
          errc::invalid_argument);
    CHECK(interpret_greenhouse_webhook(gh("merge_candidate", {{"person", {{"id", 1}, {"new_candidate_id", 1}}}}))
              .code() == errc::invalid_argument);
  }
  SECTION("candidate_anonymized") {
    auto h = interpret_greenhouse_webhook(json::parse(
        R"({"action":"candidate_anonymized","payload":{"candidate_id":37031511,"anonymized_fields":["full_name","current_title"]}})"));
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::candidate_anonymized);
    CHECK(h->candidate_id == "37031511");
    CHECK(h->anonymized_fields == std::vector<std::string>{"full_name", "current_title"});
    CHECK(interpret_greenhouse_webhook(gh("candidate_anonymized", {{"anonymized_fields", json::array()}})).code() ==
          errc::invalid_argument);
  }
}

TEST_CASE("ats_webhook_hint: malformed greenhouse envelopes", "[unit][ats_webhook_hint]") {
  CHECK(interpret_greenhouse_webhook(json::array()).code() == errc::invalid_argument);
  CHECK(interpret_greenhouse_webhook(json{{"payload", json::object()}}).code() == errc::invalid_argument);
  CHECK(interpret_greenhouse_webhook(json{{"action", 5}}).code() == errc::invalid_argument);
  CHECK(interpret_greenhouse_webhook(json{{"action", ""}}).code() == errc::invalid_argument);
  CHECK(interpret_greenhouse_webhook(json{{"action", std::string(101, 'a')}}).code() == errc::invalid_argument);
}

TEST_CASE("ats_webhook_hint: lever events", "[unit][ats_webhook_hint]") {
  const json data{{"opportunityId", "opp-1"}, {"candidateId", "opp-1"}, {"contactId", "contact-9"},
                  {"fromStageId", "s1"}, {"toStageId", "s2"}};
  for (const char* e : {"applicationCreated", "candidateStageChange", "candidateArchiveChange", "candidateHired"}) {
    auto h = interpret_lever_webhook(
        json{{"triggeredAt", 1700000000000LL}, {"event", e}, {"token", "t"}, {"signature", "s"}, {"data", data}});
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::application_changed);
    CHECK(h->application_id == "opp-1");
    CHECK(h->candidate_id == "contact-9");
    CHECK(h->action == e);
  }
  SECTION("candidateDeleted") {
    auto h = interpret_lever_webhook(json{{"event", "candidateDeleted"}, {"data", data}});
    REQUIRE(h);
    CHECK(h->kind == webhook_hint_kind::candidate_deleted);
    CHECK(h->application_id == "opp-1");
    CHECK(h->candidate_id == "contact-9");
    CHECK(h->deleted_application_ids == std::vector<std::string>{"opp-1"});
    auto no_contact = interpret_lever_webhook(json{{"event", "candidateDeleted"}, {"data", {{"opportunityId", "o"}}}});
    REQUIRE(no_contact);
    CHECK(no_contact->candidate_id.empty());
  }
  SECTION("no opportunity: Lever's connection test, a ping") {
    for (const json& d : {json(nullptr), json::object(), json{{"opportunityId", nullptr}}}) {
      json body{{"event", "candidateStageChange"}};
      if (!d.is_null()) body["data"] = d;
      auto h = interpret_lever_webhook(body);
      REQUIRE(h);
      CHECK(h->kind == webhook_hint_kind::ping);
    }
  }
  SECTION("other events are ignored") {
    for (const char* e : {"interviewCreated", "contactUpdated", "somethingNew"}) {
      auto h = interpret_lever_webhook(json{{"event", e}, {"data", data}});
      REQUIRE(h);
      CHECK(h->kind == webhook_hint_kind::ignored);
    }
  }
  SECTION("malformed") {
    CHECK(interpret_lever_webhook(json::array()).code() == errc::invalid_argument);
    CHECK(interpret_lever_webhook(json{{"data", data}}).code() == errc::invalid_argument);
    CHECK(interpret_lever_webhook(json{{"event", 3}, {"data", data}}).code() == errc::invalid_argument);
    CHECK(interpret_lever_webhook(json{{"event", "candidateHired"}, {"data", "x"}}).code() == errc::invalid_argument);
    CHECK(interpret_lever_webhook(json{{"event", "candidateHired"}, {"data", {{"opportunityId", ""}}}}).code() ==
          errc::invalid_argument);
    CHECK(interpret_lever_webhook(json{{"event", "candidateHired"}, {"data", {{"opportunityId", json::array()}}}})
              .code() == errc::invalid_argument);
    CHECK(interpret_lever_webhook(
              json{{"event", "candidateHired"}, {"data", {{"opportunityId", "o"}, {"contactId", json::object()}}}})
              .code() == errc::invalid_argument);
  }
}

TEST_CASE("ats_webhook_hint: every kind has a name", "[unit][ats_webhook_hint]") {
  using k = webhook_hint_kind;
  for (auto kind : {k::ping, k::ignored, k::job_changed, k::job_deleted, k::application_changed,
                    k::application_deleted, k::candidate_changed, k::candidate_deleted, k::candidate_merged,
                    k::candidate_anonymized}) {
    CHECK_FALSE(to_string(kind).empty());
  }
  CHECK(to_string(k::candidate_merged) == "candidate_merged");
}
