#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/domain/ats_json_read.hpp"
#include "actors/domain/greenhouse_mapping.hpp"

using namespace hw::domain;
using nlohmann::json;

namespace {

// Harvest v3 job: field list from reference/ats.md §1.4 "Job (v3)"; values illustrative.
json gh_job() {
  return json::parse(R"({"id": 149995, "name": "Backend Engineer", "requisition_id": "R-7",
    "status": "open", "confidential": false, "is_template": false, "copied_from_id": null,
    "department_id": 237, "office_ids": [54, 55], "notes": "<p>internal</p>",
    "opened_at": "2024-09-01T08:00:00.000Z", "closed_at": null, "custom_fields": {},
    "created_at": "2024-08-30T10:00:00Z", "updated_at": "2024-09-28T12:29:30.497Z",
    "some_future_field": {"x": 1}})");
}
// Harvest v3 job post: ats.md §1.4 "Job post (v3)".
json gh_post() {
  json p = json::parse(R"({"id": 123, "job_id": 149995, "title": "Backend Engineer, Remote",
    "content": null, "internal_content": null, "internal": false,
    "live": true, "active": true, "featured": false, "first_published_at": "2024-09-01T08:00:00Z",
    "created_at": "2024-08-30T10:00:00Z", "updated_at": "2024-09-01T08:00:00Z"})");
  // Greenhouse escapes < and > as \u003c / \u003e (ats.md §1.6); the parser must undo it.
  p["content"] = json::parse("\"\\u003cp\\u003eBuild things\\u003c/p\\u003e\"");
  return p;
}
// Harvest v3 application: the sample in ats.md §1.4 "Application (v3)".
json gh_application() {
  return json::parse(R"({
  "id": 12345, "candidate_id": 101, "job_id": 149995, "job_post_id": 123,
  "prospect": false, "prospective_job_ids": [],
  "status": "in_process",
  "stage_id": 7788, "stage_name": "Take Home Test",
  "recruiter_id": 92120, "coordinator_id": null, "referrer_id": null, "source_id": 16,
  "rejected_at": null, "rejection_reason_id": null, "needs_decision": false,
  "last_activity_at": "2024-09-28T12:29:30.481Z", "location_address": "New York, NY",
  "answers": [{"question": "How did you hear about this job?", "answer": "A friend"}],
  "custom_fields": {"bio": {"name": "Bio", "type": "long_text", "value": "x"}},
  "agency_note_id": null,
  "created_at": "2024-09-27T12:03:02.728Z", "updated_at": "2024-09-28T12:29:30.497Z"})");
}
// Harvest v3 candidate: field list from ats.md §1.4 "Candidate (v3)".
json gh_candidate() {
  return json::parse(R"({"id": 101, "first_name": "Giuseppe", "last_name": "Hurley",
    "preferred_name": null, "company": null, "title": "Great Person", "private": false,
    "can_email": true, "time_zone": null, "tags": ["Import from Previous ATS"],
    "email_addresses": [{"value": "giuseppe.hurley@example.com", "type": "personal"},
                        {"value": "g.hurley@work.example", "type": "work"}],
    "phone_numbers": [{"value": "330-281-8004", "type": "home"}],
    "addresses": [], "website_addresses": [], "social_media_addresses": [], "linked_user_ids": [],
    "custom_fields": {}, "last_activity_at": "2024-09-28T12:29:30.481Z",
    "created_at": "2013-10-04T01:24:44Z", "updated_at": "2024-09-28T12:29:30.497Z"})");
}
// Job interview stage: ats.md §1.4 "Job interview stage (v3)".
json gh_stage() {
  return json::parse(R"({"id": 7788, "job_id": 149995, "name": "Take Home Test", "sort_order": 2,
    "active": true, "created_at": "2024-08-30T10:00:00Z", "updated_at": "2024-08-30T10:00:00Z"})");
}

constexpr epoch_ms t_2024_09_28_12_29_30_497 = 1727526570497;

}  // namespace

TEST_CASE("greenhouse: ISO-8601 parsing", "[unit][greenhouse_mapping]") {
  using ats_json::parse_iso8601_ms;
  CHECK(parse_iso8601_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_iso8601_ms("2024-09-28T12:29:30.497Z") == t_2024_09_28_12_29_30_497);
  CHECK(parse_iso8601_ms("2024-09-28T14:29:30.497+02:00") == t_2024_09_28_12_29_30_497);
  CHECK(parse_iso8601_ms("2024-09-28T12:29:30.497123Z") == t_2024_09_28_12_29_30_497);
  CHECK(parse_iso8601_ms("2024-02-29T00:00:00Z"));
  for (const char* bad : {"", "2024-09-28", "2024-09-28T12:29:30", "2023-02-29T00:00:00Z",
                          "2024-13-01T00:00:00Z", "2024-09-28T24:00:00Z", "2024-09-28T12:29:30.Z",
                          "2024-09-28T12:29:30Zjunk", "yesterday"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso8601_ms(bad));
  }
}

TEST_CASE("greenhouse: every job field is mapped", "[unit][greenhouse_mapping]") {
  const json post = gh_post();
  greenhouse_directory dir;
  dir.departments["237"] = "Community";
  dir.offices["54"] = "New York";
  auto j = map_greenhouse_job(gh_job(), &post, &dir);
  REQUIRE(j);
  CHECK(j->external_id == "149995");
  CHECK(j->title == "Backend Engineer");
  CHECK(j->status == ats_job_status::open);
  CHECK(j->department == "Community");
  CHECK(j->location == "New York; 55");  // 55 unknown to the directory: the id
  CHECK(j->description_html == "<p>Build things</p>");
  CHECK(j->requirements.empty());
  CHECK(j->opened_at == ats_json::parse_iso8601_ms("2024-09-01T08:00:00.000Z"));
  CHECK_FALSE(j->closed_at);
  CHECK(j->updated_at == t_2024_09_28_12_29_30_497);
  // Without a directory, ids; without a post, no description.
  auto bare = map_greenhouse_job(gh_job());
  REQUIRE(bare);
  CHECK(bare->department == "237");
  CHECK(bare->location == "54; 55");
  CHECK(bare->description_html.empty());
}

TEST_CASE("greenhouse: job statuses, nulls and template jobs", "[unit][greenhouse_mapping]") {
  for (auto [s, want] : {std::pair{"draft", ats_job_status::draft}, {"open", ats_job_status::open},
                         {"closed", ats_job_status::closed}}) {
    auto j = gh_job();
    j["status"] = s;
    CHECK(map_greenhouse_job(j)->status == want);
  }
  auto j = gh_job();
  j["department_id"] = nullptr;
  j["office_ids"] = nullptr;
  j["opened_at"] = nullptr;
  j["updated_at"] = nullptr;
  auto r = map_greenhouse_job(j);
  REQUIRE(r);
  CHECK(r->department.empty());
  CHECK(r->location.empty());
  CHECK_FALSE(r->opened_at);
  CHECK_FALSE(r->updated_at);
  CHECK_FALSE(is_greenhouse_template_job(gh_job()));
  j["is_template"] = true;
  CHECK(is_greenhouse_template_job(j));
}

TEST_CASE("greenhouse: malformed jobs name the field", "[unit][greenhouse_mapping]") {
  struct bad_case { const char* field; json value; const char* detail; };
  const bad_case cases[] = {
    {"id", nullptr, "greenhouse job: 'id' is missing"},
    {"id", "", "greenhouse job: 'id' must not be empty"},
    {"id", 1.5, "greenhouse job: 'id' must be an integer or a string id"},
    {"id", -4, "greenhouse job: 'id' must not be negative"},
    {"name", nullptr, "greenhouse job: 'name' is missing"},
    {"name", 42, "greenhouse job: 'name' must be a string"},
    {"status", "paused", "greenhouse job: 'status' is not draft, open or closed"},
    {"status", nullptr, "greenhouse job: 'status' is missing"},
    {"opened_at", "2024-09-01", "greenhouse job: 'opened_at' is not an ISO-8601 date-time"},
    {"updated_at", 1727526570, "greenhouse job: 'updated_at' must be an ISO-8601 string"},
    {"office_ids", "54", "greenhouse job: 'office_ids' must be an array"},
    {"office_ids", json::array({54, true}), "greenhouse job: 'office_ids[1]' must be an integer or a string id"},
    {"department_id", json::object(), "greenhouse job: 'department_id' must be an integer or a string id"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field, c.value.dump());
    auto j = gh_job();
    j[c.field] = c.value;
    auto r = map_greenhouse_job(j);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::invalid_argument);
    CHECK(r.error().detail == c.detail);
  }
  auto missing = gh_job();
  missing.erase("name");
  CHECK(map_greenhouse_job(missing).error().detail == "greenhouse job: 'name' is missing");
  CHECK(map_greenhouse_job(json::array()).error().detail == "greenhouse job: not a JSON object");
  auto post = gh_post();
  post["job_id"] = 1;
  CHECK(map_greenhouse_job(gh_job(), &post).error().detail ==
        "greenhouse job post: 'job_id' does not match the job");
  post = gh_post();
  post["content"] = 7;
  CHECK(map_greenhouse_job(gh_job(), &post).error().detail ==
        "greenhouse job post: 'content' must be a string");
}

TEST_CASE("greenhouse: picking the job post", "[unit][greenhouse_mapping]") {
  auto internal = gh_post();
  internal["id"] = 1;
  internal["internal"] = true;
  auto inactive = gh_post();
  inactive["id"] = 2;
  inactive["active"] = false;
  auto other_job = gh_post();
  other_job["id"] = 3;
  other_job["job_id"] = 9;
  auto not_live = gh_post();
  not_live["id"] = 4;
  not_live["live"] = false;
  const json live = gh_post();
  CHECK((*pick_greenhouse_job_post(json::array({internal, other_job, not_live, live}), "149995"))["id"] == 123);
  CHECK((*pick_greenhouse_job_post(json::array({internal, not_live}), "149995"))["id"] == 4);
  CHECK((*pick_greenhouse_job_post(json::array({inactive, internal}), "149995"))["id"] == 2);
  CHECK(pick_greenhouse_job_post(json::array({other_job}), "149995") == nullptr);
  CHECK(pick_greenhouse_job_post(json::object(), "149995") == nullptr);
}

TEST_CASE("greenhouse: every candidate field is mapped", "[unit][greenhouse_mapping]") {
  auto c = map_greenhouse_candidate(gh_candidate());
  REQUIRE(c);
  CHECK(c->external_id == "101");
  CHECK(c->first_name == "Giuseppe");
  CHECK(c->last_name == "Hurley");
  REQUIRE(c->emails.size() == 2);
  CHECK(c->emails[0] == ats_contact{"giuseppe.hurley@example.com", "personal"});
  CHECK(c->emails[1] == ats_contact{"g.hurley@work.example", "work"});
  REQUIRE(c->phones.size() == 1);
  CHECK(c->phones[0] == ats_contact{"330-281-8004", "home"});
  CHECK(c->can_email);
  CHECK_FALSE(c->anonymized);
  CHECK(c->merged_into.empty());
  CHECK(c->updated_at == t_2024_09_28_12_29_30_497);
}

TEST_CASE("greenhouse: candidate nulls and malformed contacts", "[unit][greenhouse_mapping]") {
  auto j = gh_candidate();
  j["first_name"] = nullptr;
  j["last_name"] = nullptr;
  j["email_addresses"] = nullptr;
  j.erase("phone_numbers");
  j["can_email"] = false;
  auto c = map_greenhouse_candidate(j);
  REQUIRE(c);
  CHECK(c->first_name.empty());
  CHECK(c->last_name.empty());
  CHECK(c->emails.empty());
  CHECK(c->phones.empty());
  CHECK_FALSE(c->can_email);

  j = gh_candidate();
  j["email_addresses"][1].erase("value");
  CHECK(map_greenhouse_candidate(j).error().detail ==
        "greenhouse candidate email_addresses[1]: 'value' is missing");
  j = gh_candidate();
  j["phone_numbers"] = "330";
  CHECK(map_greenhouse_candidate(j).error().detail ==
        "greenhouse candidate: 'phone_numbers' must be an array");
  j = gh_candidate();
  j["can_email"] = "yes";
  CHECK(map_greenhouse_candidate(j).error().detail ==
        "greenhouse candidate: 'can_email' must be a boolean");
  j = gh_candidate();
  j.erase("id");
  CHECK(map_greenhouse_candidate(j).error().detail == "greenhouse candidate: 'id' is missing");
}

TEST_CASE("greenhouse: anonymized candidates (ats.md §1.6 candidate_anonymized)", "[unit][greenhouse_mapping]") {
  const auto hook = json::parse(R"({"action":"candidate_anonymized","payload":{"candidate_id":37031511,"anonymized_fields":["full_name","current_title"]}})");
  auto a = map_greenhouse_anonymized(hook);
  REQUIRE(a);
  CHECK(a->candidate_external_id == "37031511");
  CHECK(a->anonymized_fields == std::vector<std::string>{"full_name", "current_title"});
  auto c = *map_greenhouse_candidate(gh_candidate());
  const auto before = c;
  anonymize(c);
  CHECK(c.anonymized);
  CHECK(c.first_name.empty());
  CHECK(c.emails.empty());
  CHECK(c.phones.empty());
  CHECK_FALSE(c.can_email);
  CHECK(c.external_id == "101");
  CHECK(differs(before, c));

  auto wrong = hook;
  wrong["action"] = "merge_candidate";
  CHECK(map_greenhouse_anonymized(wrong).error().detail ==
        "greenhouse candidate_anonymized: 'action' is not the expected event");
  wrong = hook;
  wrong["payload"].erase("candidate_id");
  CHECK(map_greenhouse_anonymized(wrong).error().detail ==
        "greenhouse candidate_anonymized: 'candidate_id' is missing");
}

TEST_CASE("greenhouse: merged candidates (ats.md §1.6 merge_candidate)", "[unit][greenhouse_mapping]") {
  const auto hook = json::parse(R"({"action":"merge_candidate","payload":{"person":{"id":37031511,"first_name":"Jack","last_name":"Sparrow","is_private":false,"recruiter_user_id":123,"coordinator_user_id":456,"can_email":false,"new_candidate_id":457456}}})");
  auto m = map_greenhouse_merge(hook);
  REQUIRE(m);
  CHECK(m->merged_external_id == "37031511");
  CHECK(m->into_external_id == "457456");
  auto c = *map_greenhouse_candidate(gh_candidate());
  auto merged = c;
  merged.merged_into = m->into_external_id;
  CHECK(differs(c, merged));

  auto bad = hook;
  bad["payload"]["person"].erase("new_candidate_id");
  CHECK(map_greenhouse_merge(bad).error().detail ==
        "greenhouse merge_candidate: 'new_candidate_id' is missing");
  bad = hook;
  bad["payload"]["person"]["new_candidate_id"] = 37031511;
  CHECK(map_greenhouse_merge(bad).error().detail ==
        "greenhouse merge_candidate: 'new_candidate_id' equals the merged id");
  bad = hook;
  bad["payload"].erase("person");
  CHECK(map_greenhouse_merge(bad).error().detail == "greenhouse merge_candidate: 'person' is missing");
}

TEST_CASE("greenhouse: every application field is mapped (v3)", "[unit][greenhouse_mapping]") {
  auto a = map_greenhouse_application(gh_application());
  REQUIRE(a);
  CHECK(a->external_id == "12345");
  CHECK(a->candidate_external_id == "101");
  CHECK(a->job_external_id == "149995");
  CHECK(a->current_stage == ats_stage_ref{"7788", "Take Home Test"});
  CHECK(a->status == ats_application_status::active);
  CHECK(a->updated_at == t_2024_09_28_12_29_30_497);

  for (auto [s, want] : {std::pair{"rejected", ats_application_status::rejected},
                         {"hired", ats_application_status::hired},
                         {"converted", ats_application_status::converted},
                         {"active", ats_application_status::active}}) {
    auto j = gh_application();
    j["status"] = s;
    CHECK(map_greenhouse_application(j)->status == want);
  }
  auto prospect = gh_application();
  prospect["job_id"] = nullptr;
  prospect["stage_id"] = nullptr;
  prospect["stage_name"] = nullptr;
  auto p = map_greenhouse_application(prospect);
  REQUIRE(p);
  CHECK(p->job_external_id.empty());
  CHECK(p->current_stage.id.empty());

  auto bad = gh_application();
  bad["status"] = "paused";
  CHECK(map_greenhouse_application(bad).error().detail ==
        "greenhouse application: 'status' is not in_process, active, rejected, hired or converted");
  bad = gh_application();
  bad.erase("candidate_id");
  CHECK(map_greenhouse_application(bad).error().detail ==
        "greenhouse application: 'candidate_id' is missing");
  bad = gh_application();
  bad["stage_name"] = 3;
  CHECK(map_greenhouse_application(bad).error().detail ==
        "greenhouse application: 'stage_name' must be a string");
}

TEST_CASE("greenhouse: the v1 webhook application shape (ats.md §1.6 candidate_stage_change)", "[unit][greenhouse_mapping]") {
  const auto hook = json::parse(R"({"action":"candidate_stage_change","payload":{"application":{
    "id": 265277, "rejected_at": null, "prospect": false, "status": "active",
    "applied_at": "2013-03-22T00:00:00Z", "last_activity_at": "2015-02-09T16:38:36Z",
    "source": {"id": 31, "name": "Agency"},
    "current_stage": {"id": 71416, "name": "Assessment", "interviews": []},
    "candidate": {"id": 265772, "first_name": "Giuseppe", "last_name": "Hurley", "can_email": true,
      "phone_numbers": [{"value": "330-281-8004", "type": "home"}],
      "email_addresses": [{"value": "giuseppe.hurley@example.com", "type": "personal"}]},
    "jobs": [{"id": 3485, "name": "Designer", "status": "open"}]}}})");
  auto a = map_greenhouse_application(hook["payload"]["application"]);
  REQUIRE(a);
  CHECK(a->external_id == "265277");
  CHECK(a->candidate_external_id == "265772");
  CHECK(a->job_external_id == "3485");
  CHECK(a->current_stage == ats_stage_ref{"71416", "Assessment"});
  CHECK(a->status == ats_application_status::active);
  CHECK(a->updated_at == ats_json::parse_iso8601_ms("2015-02-09T16:38:36Z"));
  auto c = map_greenhouse_candidate(hook["payload"]["application"]["candidate"]);
  REQUIRE(c);
  CHECK(c->first_name == "Giuseppe");
  CHECK(c->emails.size() == 1);
}

TEST_CASE("greenhouse: every stage field is mapped", "[unit][greenhouse_mapping]") {
  auto s = map_greenhouse_stage(gh_stage());
  REQUIRE(s);
  CHECK(s->external_id == "7788");
  CHECK(s->job_external_id == "149995");
  CHECK(s->name == "Take Home Test");
  CHECK(s->sort_order == 2);
  CHECK(s->active);
  CHECK(s->updated_at == ats_json::parse_iso8601_ms("2024-08-30T10:00:00Z"));
  auto j = gh_stage();
  j["sort_order"] = "2";
  CHECK(map_greenhouse_stage(j).error().detail ==
        "greenhouse job interview stage: 'sort_order' must be an integer");
  j = gh_stage();
  j.erase("job_id");
  CHECK(map_greenhouse_stage(j).error().detail ==
        "greenhouse job interview stage: 'job_id' is missing");
}

TEST_CASE("greenhouse: re-imports are idempotent; changes are detected", "[unit][greenhouse_mapping]") {
  const json post = gh_post();
  const auto j1 = *map_greenhouse_job(gh_job(), &post);
  const auto j2 = *map_greenhouse_job(gh_job(), &post);
  CHECK_FALSE(differs(j1, j2));
  CHECK_FALSE(differs(*map_greenhouse_candidate(gh_candidate()), *map_greenhouse_candidate(gh_candidate())));
  CHECK_FALSE(differs(*map_greenhouse_application(gh_application()), *map_greenhouse_application(gh_application())));
  CHECK_FALSE(differs(*map_greenhouse_stage(gh_stage()), *map_greenhouse_stage(gh_stage())));

  // Only updated_at moved: not a change for us.
  auto bumped = gh_job();
  bumped["updated_at"] = "2024-10-01T00:00:00Z";
  CHECK_FALSE(differs(j1, *map_greenhouse_job(bumped, &post)));
  // Unknown extra fields are ignored.
  auto extra = gh_job();
  extra["brand_new"] = json::array({1, 2});
  CHECK_FALSE(differs(j1, *map_greenhouse_job(extra, &post)));

  auto renamed = gh_job();
  renamed["name"] = "Staff Backend Engineer";
  CHECK(differs(j1, *map_greenhouse_job(renamed, &post)));
  auto closed = gh_job();
  closed["status"] = "closed";
  CHECK(differs(j1, *map_greenhouse_job(closed, &post)));
  auto moved = gh_application();
  moved["stage_id"] = 7789;
  moved["stage_name"] = "Onsite";
  CHECK(differs(*map_greenhouse_application(gh_application()), *map_greenhouse_application(moved)));
  auto new_email = gh_candidate();
  new_email["email_addresses"][0]["value"] = "gh@example.org";
  CHECK(differs(*map_greenhouse_candidate(gh_candidate()), *map_greenhouse_candidate(new_email)));
}

TEST_CASE("greenhouse: a locally overridden job field is kept and reported", "[unit][greenhouse_mapping]") {
  const json post = gh_post();
  auto ours = *map_greenhouse_job(gh_job(), &post);
  ours.title = "Backend Engineer (AI interview)";  // a recruiter's edit
  job_overrides ov;
  ov.title = true;

  auto upstream = gh_job();
  upstream["name"] = "Senior Backend Engineer";
  upstream["status"] = "closed";
  const auto incoming = *map_greenhouse_job(upstream, &post);
  const auto m = merge_incoming(ours, incoming, ov);
  CHECK(m.merged.title == "Backend Engineer (AI interview)");
  CHECK(m.merged.status == ats_job_status::closed);  // status always follows the ATS
  CHECK(m.overridden == std::vector<std::string>{"title"});
  CHECK(m.changed);

  // The same ATS data again: kept, reported, but no change to write.
  const auto again = merge_incoming(m.merged, incoming, ov);
  CHECK_FALSE(again.changed);
  CHECK(again.overridden == std::vector<std::string>{"title"});

  // An overridden field the ATS did not change is not reported.
  ov.description_html = true;
  const auto quiet = merge_incoming(m.merged, incoming, ov);
  CHECK(quiet.overridden == std::vector<std::string>{"title"});
  // Without overrides the ATS wins.
  const auto plain = merge_incoming(ours, incoming, job_overrides{});
  CHECK(plain.merged.title == "Senior Backend Engineer");
  CHECK(plain.overridden.empty());
}

TEST_CASE("ats records: staleness", "[unit][greenhouse_mapping]") {
  CHECK(is_stale(epoch_ms{10}, epoch_ms{9}));
  CHECK_FALSE(is_stale(epoch_ms{10}, epoch_ms{10}));
  CHECK_FALSE(is_stale(epoch_ms{10}, epoch_ms{11}));
  CHECK_FALSE(is_stale(std::nullopt, epoch_ms{1}));
  CHECK_FALSE(is_stale(epoch_ms{1}, std::nullopt));
}
