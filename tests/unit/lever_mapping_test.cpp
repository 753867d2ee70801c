#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "actors/domain/lever_mapping.hpp"

using namespace hw::domain;
using nlohmann::json;

namespace {

// Lever posting (one element of GET /postings `data`). ats.md §2/§3.1 name `text`, `state` and
// the description; the categories/content layout follows Lever's public postings model. Times
// are epoch ms (ats.md §2).
json lv_posting() {
  return json::parse(R"({"id": "f2f01e16-27f8-4711-a728-7d49499795a0", "text": "Backend Engineer",
    "state": "published", "createdAt": 1700000000000, "updatedAt": 1727526570497,
    "categories": {"team": "Platform", "department": "Engineering", "location": "Berlin",
                   "commitment": "Full-time"},
    "content": {"description": "Build things", "descriptionHtml": "<p>Build things</p>",
                "lists": [{"text": "Requirements", "content": "<li>C++17</li><li>SQL</li>"}],
                "closing": "", "closingHtml": ""},
    "tags": ["backend"], "owner": "u1", "hiringManager": "u2", "unknown": 1})");
}
// Lever opportunity: field list from ats.md §2 "Model" (expand=applications,stage).
json lv_opportunity() {
  return json::parse(R"({"id": "opp-1", "name": "Mary Ann Smith", "headline": "Engineer",
    "contact": "contact-9", "emails": ["mary@example.com", "m.smith@work.example"],
    "phones": [{"type": "mobile", "value": "+49 30 1234"}],
    "stage": {"id": "stage-onsite", "text": "On-site interview"},
    "stageChanges": [{"toStageId": "stage-onsite", "toStageIndex": 3, "updatedAt": 1727000000000, "userId": "u1"}],
    "archived": null, "owner": "u1", "tags": [], "sources": ["LinkedIn"], "origin": "sourced",
    "applications": [{"id": "app-1", "posting": "f2f01e16-27f8-4711-a728-7d49499795a0"}],
    "createdAt": 1726000000000, "updatedAt": 1727526570497, "lastInteractionAt": 1727526570497,
    "urls": {"list": "https://hire.lever.co/candidates", "show": "https://hire.lever.co/candidates/opp-1"}})");
}

}  // namespace

TEST_CASE("lever: every posting field is mapped", "[unit][lever_mapping]") {
  auto j = map_lever_posting(lv_posting());
  REQUIRE(j);
  CHECK(j->external_id == "f2f01e16-27f8-4711-a728-7d49499795a0");
  CHECK(j->title == "Backend Engineer");
  CHECK(j->status == ats_job_status::open);
  CHECK(j->department == "Engineering");
  CHECK(j->location == "Berlin");
  CHECK(j->description_html == "<p>Build things</p>");
  CHECK(j->requirements == "<h3>Requirements</h3><ul><li>C++17</li><li>SQL</li></ul>");
  CHECK_FALSE(j->opened_at);
  CHECK_FALSE(j->closed_at);
  CHECK(j->updated_at == 1727526570497);
  for (auto [s, want] : {std::pair{"internal", ats_job_status::open}, {"closed", ats_job_status::closed},
                         {"rejected", ats_job_status::closed}, {"draft", ats_job_status::draft},
                         {"pending", ats_job_status::draft}}) {
    auto p = lv_posting();
    p["state"] = s;
    CHECK(map_lever_posting(p)->status == want);
  }
  auto p = lv_posting();
  p["categories"]["department"] = nullptr;
  p["content"] = nullptr;
  auto r = map_lever_posting(p);
  REQUIRE(r);
  CHECK(r->department == "Platform");  // team when there is no department
  CHECK(r->description_html.empty());
}

TEST_CASE("lever: malformed postings name the field", "[unit][lever_mapping]") {
  auto p = lv_posting();
  p.erase("text");
  CHECK(map_lever_posting(p).error().detail == "lever posting: 'text' is missing");
  p = lv_posting();
  p["state"] = "live";
  CHECK(map_lever_posting(p).error().detail == "lever posting: 'state' is not a known posting state");
  p = lv_posting();
  p["updatedAt"] = "2024-09-28T12:29:30Z";
  CHECK(map_lever_posting(p).error().detail ==
        "lever posting: 'updatedAt' must be epoch milliseconds (an integer)");
  p = lv_posting();
  p["content"]["lists"][0].erase("content");
  CHECK(map_lever_posting(p).error().detail == "lever posting content lists[0]: 'content' is missing");
  p = lv_posting();
  p["categories"] = "x";
  CHECK(map_lever_posting(p).error().detail == "lever posting: 'categories' must be an object");
}

TEST_CASE("lever: every candidate field is mapped from an opportunity", "[unit][lever_mapping]") {
  auto c = map_lever_candidate(lv_opportunity());
  REQUIRE(c);
  CHECK(c->external_id == "contact-9");
  CHECK(c->first_name == "Mary Ann");
  CHECK(c->last_name == "Smith");
  REQUIRE(c->emails.size() == 2);
  CHECK(c->emails[0] == ats_contact{"mary@example.com", ""});
  REQUIRE(c->phones.size() == 1);
  CHECK(c->phones[0] == ats_contact{"+49 30 1234", "mobile"});
  CHECK(c->can_email);
  CHECK_FALSE(c->anonymized);
  CHECK(c->merged_into.empty());
  CHECK(c->updated_at == 1727526570497);

  auto o = lv_opportunity();
  o["name"] = "Cher";
  o["emails"] = nullptr;
  o.erase("phones");
  auto single = map_lever_candidate(o);
  REQUIRE(single);
  CHECK(single->first_name == "Cher");
  CHECK(single->last_name.empty());
  CHECK(single->emails.empty());

  o = lv_opportunity();
  o["emails"][1] = 5;
  CHECK(map_lever_candidate(o).error().detail == "lever opportunity: 'emails[1]' must be a string");
  o = lv_opportunity();
  o.erase("contact");
  CHECK(map_lever_candidate(o).error().detail == "lever opportunity: 'contact' is missing");
}

TEST_CASE("lever: every application field is mapped from an opportunity", "[unit][lever_mapping]") {
  auto a = map_lever_application(lv_opportunity());
  REQUIRE(a);
  CHECK(a->external_id == "opp-1");
  CHECK(a->candidate_external_id == "contact-9");
  CHECK(a->job_external_id == "f2f01e16-27f8-4711-a728-7d49499795a0");
  CHECK(a->current_stage == ats_stage_ref{"stage-onsite", "On-site interview"});
  CHECK(a->status == ats_application_status::active);
  CHECK(a->updated_at == 1727526570497);

  // Unexpanded stage: the name comes from the options' stage list.
  lever_options opt;
  opt.stage_names["stage-onsite"] = "On-site";
  opt.hired_archive_reasons = {"reason-hired"};
  auto o = lv_opportunity();
  o["stage"] = "stage-onsite";
  o["applications"] = json::array({"app-1"});
  o["archived"] = json::parse(R"({"reason": "reason-hired", "archivedAt": 1727526570497})");
  auto h = map_lever_application(o, opt);
  REQUIRE(h);
  CHECK(h->current_stage == ats_stage_ref{"stage-onsite", "On-site"});
  CHECK(h->job_external_id.empty());
  CHECK(h->status == ats_application_status::hired);
  o["archived"]["reason"] = "reason-not-a-fit";
  CHECK(map_lever_application(o, opt)->status == ats_application_status::rejected);

  o = lv_opportunity();
  o["archived"] = "yes";
  CHECK(map_lever_application(o).error().detail == "lever opportunity: 'archived' must be an object");
  o = lv_opportunity();
  o["stage"] = json::object({{"text", "x"}});
  CHECK(map_lever_application(o).error().detail == "lever opportunity stage: 'id' is missing");
}

TEST_CASE("lever: stages", "[unit][lever_mapping]") {
  auto s = map_lever_stage(json::parse(R"({"id": "stage-onsite", "text": "On-site interview"})"));
  REQUIRE(s);
  CHECK(s->external_id == "stage-onsite");
  CHECK(s->name == "On-site interview");
  CHECK(s->job_external_id.empty());
  CHECK(map_lever_stage(json::parse(R"({"id": "s"})")).error().detail == "lever stage: 'text' is missing");
}

TEST_CASE("lever: re-imports are idempotent; changes are detected", "[unit][lever_mapping]") {
  CHECK_FALSE(differs(*map_lever_posting(lv_posting()), *map_lever_posting(lv_posting())));
  CHECK_FALSE(differs(*map_lever_candidate(lv_opportunity()), *map_lever_candidate(lv_opportunity())));
  CHECK_FALSE(differs(*map_lever_application(lv_opportunity()), *map_lever_application(lv_opportunity())));
  auto p = lv_posting();
  p["updatedAt"] = 1800000000000;
  CHECK_FALSE(differs(*map_lever_posting(lv_posting()), *map_lever_posting(p)));
  p["content"]["descriptionHtml"] = "<p>Build more things</p>";
  CHECK(differs(*map_lever_posting(lv_posting()), *map_lever_posting(p)));
  auto o = lv_opportunity();
  o["stage"] = json::parse(R"({"id": "stage-offer", "text": "Offer"})");
  CHECK(differs(*map_lever_application(lv_opportunity()), *map_lever_application(o)));

  // A recruiter-edited requirements field survives a Lever re-import.
  auto ours = *map_lever_posting(lv_posting());
  ours.requirements = "<ul><li>C++</li></ul>";
  job_overrides ov;
  ov.requirements = true;
  const auto m = merge_incoming(ours, *map_lever_posting(p), ov);
  CHECK(m.merged.requirements == "<ul><li>C++</li></ul>");
  CHECK(m.merged.description_html == "<p>Build more things</p>");
  CHECK(m.overridden == std::vector<std::string>{"requirements"});
  CHECK(m.changed);
}
