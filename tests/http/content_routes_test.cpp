// Interview content routes (http/routes/content_routes.cpp) against the real server and
// fake_content_service: JSON shapes, what reaches the service (content_rights from the role,
// If-Match, filters, bodies), input validation at the edge, ETags and error mapping. The role
// matrix of every route is in access_control_test.cpp (enumerated from the route table).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;

namespace {

const std::string org_a = "00000000-0000-4000-8000-0000000000a1";
const std::string org_b = "00000000-0000-4000-8000-0000000000b2";
const std::string job_id = "00000000-0000-4000-8000-0000000000b1";
const std::string base = "/api/v1/orgs/" + org_a;
const std::string items = base + "/content/items";
const std::string tmpl = base + "/jobs/" + job_id + "/template";

const json item_body = {
  {"kind", "technical"},
  {"title", "Explain MVCC"},
  {"prompt", "How does PostgreSQL implement **MVCC**?"},
  {"rubric", {{"strong", "xmin/xmax"}, {"acceptable", "snapshots"}, {"weak", "locks"}}},
  {"expected_minutes", 10},
  {"difficulty", "medium"},
  {"skills", {"postgresql"}},
  {"seniorities", {"mid", "senior"}},
  {"categories", {"engineering"}},
};

std::string detail(const http_reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("detail") && j["detail"].is_string() ? j["detail"].get<std::string>()
                                                                          : std::string{};
}

json body_of(const http_reply& r) { return json::parse(r.body, nullptr, false); }

/// A server with members of every role in org A (users "<role>-a") and helpers to call it.
struct fixture {
  test_server s;
  std::map<domain::role, std::string> tokens;

  fixture() {
    for (auto role : domain::all_roles) {
      tokens[role] = s.accounts.add_session(std::string{domain::to_string(role)} + "-a", {{org_a, role}});
    }
  }

  const std::string& owner() { return tokens[domain::role::owner]; }

  http_reply get(const std::string& path, domain::role as = domain::role::owner) {
    return http_request(s.port, "GET", path, {}, session_headers(tokens[as]));
  }
  http_reply send(const std::string& method, const std::string& path, std::string body = {},
                  domain::role as = domain::role::owner, header_list extra = {}) {
    auto h = session_headers(tokens[as], true);
    for (auto& e : extra) {
      bool replaced = false;
      for (auto& x : h) {
        if (x.first == e.first) {
          x.second = e.second;
          replaced = true;
        }
      }
      if (!replaced) h.push_back(e);
    }
    return http_request(s.port, method, path, std::move(body), h);
  }
  /// Creates an item as `as`; returns its id.
  std::string create(domain::role as = domain::role::owner) {
    auto r = send("POST", items, item_body.dump(), as);
    REQUIRE(r.status == 201);
    return body_of(r)["id"].get<std::string>();
  }
};

}  // namespace

// ---- items ------------------------------------------------------------------------------------

TEST_CASE("content routes: create answers 201 with the item JSON and the rights of the caller",
          "[http][content_routes]") {
  fixture f;
  auto r = f.send("POST", items, item_body.dump(), domain::role::owner, {{"X-Request-Id", "rid-create"}});
  REQUIRE(r.status == 201);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("Cache-Control") == "no-store");
  CHECK(r.header("ETag") == "\"v1\"");
  auto b = body_of(r);
  const auto id = b["id"].get<std::string>();
  CHECK(r.header("Location") == items + "/" + id);
  CHECK(b.size() == 7);
  CHECK(b["job_id"].is_null());
  CHECK(b["variant_of"].is_null());
  CHECK(b["approved_version"].is_null());
  CHECK(b["version"] == 1);
  CHECK(b["versions"] == json::array({{{"number", 1}, {"state", "draft"}}}));
  const auto& latest = b["latest"];
  CHECK(latest.size() == 10);
  CHECK(latest["number"] == 1);
  CHECK(latest["state"] == "draft");
  CHECK(latest["body"] == item_body);  // as the service gave it
  CHECK(latest["author_id"] == "owner-a");
  CHECK(latest["author_name"] == "User owner-a");
  CHECK(latest["reviewed_by"].is_null());
  CHECK(latest["reviewed_at"].is_null());
  CHECK(latest["origin"] == "manual");
  CHECK(latest["created_at"] == "2026-01-02T03:04:05Z");

  auto call = f.s.content.last("create_item");
  REQUIRE(call);
  CHECK(call->org == org_a);
  CHECK(call->body == item_body);
  REQUIRE(call->rights);
  CHECK(call->rights->user_id == "owner-a");
  CHECK(call->rights->content_create);
  CHECK(call->rights->content_approve);
  CHECK(call->rights->template_update);
  CHECK(call->rights->template_approve);
  CHECK(call->rights->skill_manage);
  CHECK(call->who.kind == "user");
  CHECK(call->who.id == "owner-a");
  CHECK(call->who.request_id == std::optional<std::string>{"rid-create"});

  auto one = f.get(items + "/" + id);
  REQUIRE(one.status == 200);
  CHECK(one.header("ETag") == "\"v1\"");
  CHECK(body_of(one) == b);
  CHECK(f.s.content.last("get_item")->version == std::nullopt);

  // ?version=n reaches the service; a version it does not have is its 404.
  REQUIRE(f.get(items + "/" + id + "?version=1").status == 200);
  CHECK(f.s.content.last("get_item")->version == std::optional<std::int32_t>{1});
  auto missing = f.get(items + "/" + id + "?version=9");
  CHECK(missing.status == 404);
  CHECK(detail(missing) == "no such version of this item");
  CHECK(f.get(items + "/" + id + "?version=0").status == 422);
  CHECK(f.get(items + "/" + id + "?version=abc").status == 400);
  CHECK(f.get(items + "/" + id + "?version=99999999999").status == 422);
  CHECK(f.get(items + "/" + id + "?v=1").status == 400);
}

TEST_CASE("content routes: the rights passed to the service follow the role and the credential",
          "[http][content_routes]") {
  fixture f;
  struct expect {
    domain::role role;
    bool create, approve, tmpl_update, tmpl_approve, skills;
  };
  // Roles that may call POST content/items (content.create): everyone but viewers.
  for (const auto& e : std::vector<expect>{{domain::role::admin, true, true, true, true, true},
                                           {domain::role::recruiter, true, true, true, false, false},
                                           {domain::role::hiring_manager, true, true, true, true, false},
                                           {domain::role::interviewer, true, false, false, false, false}}) {
    INFO(domain::to_string(e.role));
    REQUIRE(f.send("POST", items, item_body.dump(), e.role).status == 201);
    auto r = f.s.content.last("create_item")->rights;
    REQUIRE(r);
    CHECK(r->user_id == std::string{domain::to_string(e.role)} + "-a");
    CHECK(r->content_create == e.create);
    CHECK(r->content_approve == e.approve);
    CHECK(r->template_update == e.tmpl_update);
    CHECK(r->template_approve == e.tmpl_approve);
    CHECK(r->skill_manage == e.skills);
  }
  // An API key has its role's rights but no user: user_id stays empty (it may not review).
  const auto key = f.s.accounts.add_api_key(org_a, domain::role::hiring_manager);
  auto r = http_request(f.s.port, "POST", items, item_body.dump(), key_headers(key));
  REQUIRE(r.status == 201);
  auto call = f.s.content.last("create_item");
  CHECK(call->rights->user_id.empty());
  CHECK(call->rights->content_approve);
  CHECK(call->who.kind == "api_key");
  // The role in the path's organization counts, not a higher one elsewhere.
  const auto multi = f.s.accounts.add_session("multi-a", {{org_a, domain::role::interviewer}, {org_b, domain::role::owner}});
  r = http_request(f.s.port, "POST", items, item_body.dump(), session_headers(multi, true));
  REQUIRE(r.status == 201);
  call = f.s.content.last("create_item");
  CHECK(call->org == org_a);
  CHECK(call->rights->user_id == "multi-a");
  CHECK(call->rights->content_create);
  CHECK_FALSE(call->rights->content_approve);
  CHECK_FALSE(call->rights->skill_manage);
  // The bootstrap admin acts as owner, and is no user either.
  r = http_request(f.s.port, "POST", items, item_body.dump(), admin_json());
  REQUIRE(r.status == 201);
  call = f.s.content.last("create_item");
  CHECK(call->rights->user_id.empty());
  CHECK(call->rights->skill_manage);
}

TEST_CASE("content routes: viewers read but do not create and interviewers create but do not approve",
          "[http][content_routes]") {
  fixture f;
  const auto id = f.create(domain::role::interviewer);
  CHECK(f.get(items, domain::role::viewer).status == 200);
  CHECK(f.get(items + "/" + id, domain::role::viewer).status == 200);
  CHECK(f.get(items + "/" + id + "/comments", domain::role::viewer).status == 200);
  const auto before = f.s.content.call_count();
  auto denied = f.send("POST", items, item_body.dump(), domain::role::viewer);
  CHECK(denied.status == 403);
  CHECK_THAT(detail(denied), Catch::Contains("content.create"));
  CHECK(f.send("PATCH", items + "/" + id, item_body.dump(), domain::role::viewer).status == 403);
  CHECK(f.send("POST", items + "/" + id + "/transitions", R"({"event":"submit"})", domain::role::viewer).status == 403);
  CHECK(f.send("POST", items + "/" + id + "/comments", R"({"text":"hi"})", domain::role::viewer).status == 403);
  CHECK(f.s.content.call_count() == before);  // refused before the service

  // The interviewer submits their own item...
  auto r = f.send("POST", items + "/" + id + "/transitions", R"({"event":"submit"})", domain::role::interviewer);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["latest"]["state"] == "in_review");
  CHECK(r.header("ETag") == "\"v2\"");
  // ...but may not approve anything: the route lets them through (content.create), the service
  // refuses because content_rights says no.
  const auto other = f.create(domain::role::recruiter);
  REQUIRE(f.send("POST", items + "/" + other + "/transitions", R"({"event":"submit"})", domain::role::recruiter)
            .status == 200);
  r = f.send("POST", items + "/" + other + "/transitions", R"({"event":"approve"})", domain::role::interviewer);
  CHECK(r.status == 403);
  CHECK(detail(r) == "reviewing needs content.approve");
  auto call = f.s.content.last("transition_item");
  REQUIRE(call);
  CHECK(call->event == "approve");
  CHECK(call->rights->user_id == "interviewer-a");
  CHECK(call->rights->content_create);
  CHECK_FALSE(call->rights->content_approve);

  // The author may not approve their own item, another reviewer may.
  r = f.send("POST", items + "/" + other + "/transitions", R"({"event":"approve"})", domain::role::recruiter);
  CHECK(r.status == 403);
  CHECK(detail(r) == "you cannot review your own item");
  r = f.send("POST", items + "/" + other + "/transitions", R"({"event":"approve"})", domain::role::hiring_manager);
  REQUIRE(r.status == 200);
  auto b = body_of(r);
  CHECK(b["latest"]["state"] == "approved");
  CHECK(b["latest"]["reviewed_by"] == "hiring_manager-a");
  CHECK(b["approved_version"] == 1);
  call = f.s.content.last("transition_item");
  CHECK(call->rights->content_approve);
  CHECK(call->rights->user_id == "hiring_manager-a");

  // An API key of a reviewing role: user_id empty, so the service refuses the review.
  const auto key = f.s.accounts.add_api_key(org_a, domain::role::admin);
  r = http_request(f.s.port, "POST", items + "/" + id + "/transitions", R"({"event":"approve"})", key_headers(key));
  CHECK(r.status == 403);
  CHECK(f.s.content.last("transition_item")->rights->user_id.empty());
}

TEST_CASE("content routes: transitions check the event and carry the comment", "[http][content_routes]") {
  fixture f;
  const auto id = f.create(domain::role::recruiter);
  const auto path = items + "/" + id + "/transitions";
  REQUIRE(f.send("POST", path, R"({"event":"submit"})", domain::role::recruiter).status == 200);
  const auto before = f.s.content.call_count();
  struct bad_case {
    std::string body;
    unsigned status;
    std::string detail_start;
  };
  for (const auto& c : std::vector<bad_case>{
         {R"({})", 422, "event: is required"},
         {R"({"event":"publish"})", 422, "event: must be one of submit, approve, request_changes, archive"},
         {R"({"event":5})", 422, "event: must be a string"},
         {R"({"event":"request_changes"})", 422, "comment: is required for request_changes"},
         {R"({"event":"request_changes","comment":""})", 422, "comment: must not be empty"},
         {R"({"event":"submit","note":"x"})", 422, "note: unknown field"},
         {R"({"event":"submit")", 400, "malformed JSON at byte"},
       }) {
    INFO(c.body);
    auto r = f.send("POST", path, c.body);
    CHECK(r.status == c.status);
    CHECK_THAT(detail(r), Catch::StartsWith(c.detail_start));
    CHECK(r.header("Content-Type") == "application/problem+json");
  }
  CHECK(f.s.content.call_count() == before);

  auto r = f.send("POST", path, R"({"event":"request_changes","comment":"Add a rubric for seniors"})",
                  domain::role::owner, {{"If-Match", "\"v2\""}});
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["latest"]["state"] == "changes_requested");
  auto call = f.s.content.last("transition_item");
  CHECK(call->comment == std::optional<std::string>{"Add a rubric for seniors"});
  CHECK(call->if_match == std::optional<std::int64_t>{2});
  auto comments = f.get(items + "/" + id + "/comments");
  REQUIRE(comments.status == 200);
  auto list = body_of(comments)["comments"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["text"] == "Add a rubric for seniors");

  // An edge the state machine does not have: the service's 409.
  r = f.send("POST", path, R"({"event":"approve"})", domain::role::owner);
  CHECK(r.status == 409);
  // A stale ETag: the service's 412.
  r = f.send("POST", path, R"({"event":"submit"})", domain::role::owner, {{"If-Match", "\"v1\""}});
  CHECK(r.status == 412);
}

TEST_CASE("content routes: PATCH honours If-Match and answers the new ETag", "[http][content_routes]") {
  fixture f;
  const auto id = f.create();
  auto edited = item_body;
  edited["title"] = "Explain MVCC and vacuum";
  auto r = f.send("PATCH", items + "/" + id, edited.dump(), domain::role::owner, {{"If-Match", "\"v1\""}});
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v2\"");
  CHECK(body_of(r)["latest"]["body"]["title"] == "Explain MVCC and vacuum");
  auto call = f.s.content.last("update_item");
  CHECK(call->id == id);
  CHECK(call->if_match == std::optional<std::int64_t>{1});
  CHECK(call->body == edited);

  // Stale: the service's precondition_failed.
  r = f.send("PATCH", items + "/" + id, edited.dump(), domain::role::owner, {{"If-Match", "\"v1\""}});
  CHECK(r.status == 412);
  CHECK(r.header("Content-Type") == "application/problem+json");
  // The bare number and "*" are accepted; no If-Match is no precondition.
  CHECK(f.send("PATCH", items + "/" + id, edited.dump(), domain::role::owner, {{"If-Match", "\"2\""}}).status == 200);
  CHECK(f.send("PATCH", items + "/" + id, edited.dump(), domain::role::owner, {{"If-Match", "*"}}).status == 200);
  CHECK(f.s.content.last("update_item")->if_match == std::nullopt);
  // Malformed or weak tags can never match: 412 without a service call.
  const auto before = f.s.content.call_count();
  for (const std::string bad : {"W/\"v4\"", "v4", "\"vx\"", "\"v-1\"", "\"\""}) {
    INFO(bad);
    auto res = f.send("PATCH", items + "/" + id, edited.dump(), domain::role::owner, {{"If-Match", bad}});
    CHECK(res.status == 412);
    CHECK_THAT(detail(res), Catch::Contains("If-Match"));
  }
  CHECK(f.s.content.call_count() == before);
  // Approved items get a new draft version (the service's rule, visible in the answer).
  const auto approved = f.s.content.seed_item(org_a, "recruiter-a", "approved", item_body);
  r = f.send("PATCH", items + "/" + approved, edited.dump());
  REQUIRE(r.status == 200);
  auto b = body_of(r);
  CHECK(b["latest"]["number"] == 2);
  CHECK(b["latest"]["state"] == "draft");
  CHECK(b["approved_version"] == 1);
  CHECK(b["versions"] == json::array({{{"number", 2}, {"state", "draft"}}, {{"number", 1}, {"state", "approved"}}}));
}

TEST_CASE("content routes: the list passes every filter and renders the page", "[http][content_routes]") {
  fixture f;
  f.create();
  f.create();
  f.create();
  const std::string author = "00000000-0000-4000-8000-0000000000EE";
  auto r = f.get(items + "?q=vacuum%20mvcc&skill=k8s&seniority=staff%2B&category=data&kind=coding&state=approved"
                         "&author=" + author + "&job_id=" + job_id + "&include_archived=true&limit=7&cursor=abc_-=");
  REQUIRE(r.status == 200);
  auto call = f.s.content.last("list_items");
  REQUIRE(call);
  REQUIRE(call->filter);
  const auto& q = *call->filter;
  CHECK(q.q == std::optional<std::string>{"vacuum mvcc"});
  CHECK(q.skill == std::optional<std::string>{"k8s"});
  CHECK(q.seniority == std::optional<std::string>{"staff_plus"});
  CHECK(q.category == std::optional<std::string>{"data"});
  CHECK(q.kind == std::optional<std::string>{"coding"});
  CHECK(q.state == std::optional<std::string>{"approved"});
  CHECK(q.author == std::optional<std::string>{"00000000-0000-4000-8000-0000000000ee"});
  CHECK(q.job_id == std::optional<std::string>{job_id});
  CHECK(q.include_archived);
  CHECK(q.limit == 7);
  CHECK(q.cursor == std::optional<std::string>{"abc_-="});

  // Defaults, and the page shape: paged by the fake, total present without q.
  r = f.get(items + "?limit=2");
  REQUIRE(r.status == 200);
  auto page = body_of(r);
  CHECK(page.size() == 3);
  REQUIRE(page["items"].size() == 2);
  CHECK(page["total"] == 3);
  CHECK(page["next_cursor"] == "p2");
  const auto& s = page["items"][0];
  CHECK(s.size() == 17);
  CHECK(s["title"] == "Explain MVCC");
  CHECK(s["kind"] == "technical");
  CHECK(s["difficulty"] == "medium");
  CHECK(s["expected_minutes"] == 10);
  CHECK(s["skills"] == json::array({"postgresql"}));
  CHECK(s["seniorities"] == json::array({"mid", "senior"}));
  CHECK(s["categories"] == json::array({"engineering"}));
  CHECK(s["state"] == "draft");
  CHECK(s["latest_version"] == 1);
  CHECK(s["approved_version"].is_null());
  CHECK(s["job_id"].is_null());
  CHECK(s["author_id"] == "owner-a");
  CHECK(s["version"] == 1);
  r = f.get(items + "?limit=2&cursor=p2");
  REQUIRE(r.status == 200);
  page = body_of(r);
  CHECK(page["items"].size() == 1);
  CHECK(page["next_cursor"].is_null());
  r = f.get(items);
  CHECK(f.s.content.last("list_items")->filter->limit == 50);
  CHECK_FALSE(f.s.content.last("list_items")->filter->include_archived);
  CHECK_FALSE(f.s.content.last("list_items")->filter->job_id);

  const auto before = f.s.content.call_count();
  struct bad_case {
    std::string query;
    unsigned status;
    std::string detail_start;
  };
  for (const auto& c : std::vector<bad_case>{
         {"limit=0", 422, "limit: expected an integer from 1 to 200"},
         {"limit=201", 422, "limit: expected an integer from 1 to 200"},
         {"limit=ten", 400, "limit: expected an integer"},
         {"limit=99999999999999999999", 422, "limit"},
         {"sort=title", 400, "unknown query parameter: sort"},
         {"kind=coding&kind=technical", 400, "kind: given more than once"},
         {"kind=essay", 400, "kind: must be one of behavioral, technical, system_design, coding"},
         {"state=published", 400, "state: must be one of"},
         {"seniority=principal", 400, "seniority: must be one of"},
         {"category=finance", 400, "category: must be one of"},
         {"author=bob", 400, "author: expected a user id"},
         {"job_id=42", 400, "job_id: expected a job id"},
         {"include_archived=yes", 400, "include_archived: must be true or false"},
         {"cursor=a/b", 400, "cursor: not a cursor"},
         {"q=" + std::string(201, 'x'), 400, "q: must be at most 200 bytes"},
         {"skill=" + std::string(101, 'x'), 400, "skill: must be at most 100 bytes"},
         {"q=%zz", 400, "q: malformed escape"},
       }) {
    INFO(c.query);
    auto res = f.get(items + "?" + c.query);
    CHECK(res.status == c.status);
    CHECK_THAT(detail(res), Catch::StartsWith(c.detail_start));
  }
  CHECK(f.s.content.call_count() == before);
  // Empty values count as absent.
  CHECK(f.get(items + "?kind=&limit=").status == 200);
}

TEST_CASE("content routes: comments and variants", "[http][content_routes]") {
  fixture f;
  const auto id = f.create();
  auto r = f.send("POST", items + "/" + id + "/comments", R"({"text":"Looks good"})", domain::role::interviewer);
  REQUIRE(r.status == 201);
  auto c = body_of(r);
  CHECK(c.size() == 6);
  CHECK(c["id"].is_number_integer());
  CHECK(c["item_version"] == 1);
  CHECK(c["author_id"] == "interviewer-a");
  CHECK(c["author_name"] == "User interviewer-a");
  CHECK(c["text"] == "Looks good");
  CHECK(c["created_at"] == "2026-01-02T03:04:05Z");
  CHECK(f.s.content.last("add_comment")->comment == std::optional<std::string>{"Looks good"});
  r = f.get(items + "/" + id + "/comments");
  REQUIRE(r.status == 200);
  CHECK(body_of(r) == json{{"comments", json::array({c})}});
  for (const std::string bad : {R"({})", R"({"text":""})", R"({"text":7})", R"({"text":"a","b":1})"}) {
    INFO(bad);
    CHECK(f.send("POST", items + "/" + id + "/comments", bad).status == 422);
  }
  CHECK(f.send("POST", items + "/" + id + "/comments", json{{"text", std::string(20001, 'x')}}.dump()).status == 422);

  // A job-local variant.
  auto custom = item_body;
  custom["title"] = "Explain MVCC (payments team)";
  const json variant = {{"from_version", 1}, {"job_id", job_id}, {"body", custom}};
  r = f.send("POST", items + "/" + id + "/variants", variant.dump());
  REQUIRE(r.status == 201);
  auto v = body_of(r);
  CHECK(v["id"] != id);
  CHECK(r.header("Location") == items + "/" + v["id"].get<std::string>());
  CHECK(r.header("ETag") == "\"v1\"");
  CHECK(v["job_id"] == job_id);
  CHECK(v["variant_of"] == id + "@v1");
  CHECK(v["latest"]["body"] == custom);
  auto call = f.s.content.last("create_variant");
  CHECK(call->id == id);
  CHECK(call->from_version == 1);
  CHECK(call->job_id == job_id);
  CHECK(call->body == custom);
  CHECK(call->rights->content_create);
  // Only variants of that job, when asked by job_id.
  r = f.get(items + "?job_id=" + job_id);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["items"].size() == 1);

  const auto before = f.s.content.call_count();
  struct bad_case {
    json body;
    std::string detail_start;
  };
  for (const auto& b : std::vector<bad_case>{
         {{{"job_id", job_id}, {"body", custom}}, "from_version: is required"},
         {{{"from_version", 0}, {"job_id", job_id}, {"body", custom}}, "from_version: must be an integer from 1"},
         {{{"from_version", -3}, {"job_id", job_id}, {"body", custom}}, "from_version: must be an integer from 1"},
         {{{"from_version", 1.5}, {"job_id", job_id}, {"body", custom}}, "from_version: must be an integer"},
         {{{"from_version", "1"}, {"job_id", job_id}, {"body", custom}}, "from_version: must be an integer, not string"},
         {{{"from_version", 1}, {"job_id", "job-7"}, {"body", custom}}, "job_id: must be a job id"},
         {{{"from_version", 1}, {"body", custom}}, "job_id: is required"},
         {{{"from_version", 1}, {"job_id", job_id}, {"body", "text"}}, "body: must be an object, not string"},
         {{{"from_version", 1}, {"job_id", job_id}}, "body: is required"},
         {{{"from_version", 1}, {"job_id", job_id}, {"body", custom}, {"extra", true}}, "extra: unknown field"},
       }) {
    INFO(b.body.dump());
    auto res = f.send("POST", items + "/" + id + "/variants", b.body.dump());
    CHECK(res.status == 422);
    CHECK_THAT(detail(res), Catch::StartsWith(b.detail_start));
  }
  CHECK(f.s.content.call_count() == before);
  // A version the source does not have: the service's 404.
  r = f.send("POST", items + "/" + id + "/variants", json{{"from_version", 9}, {"job_id", job_id}, {"body", custom}}.dump());
  CHECK(r.status == 404);
}

// ---- the library as a whole ----------------------------------------------------------------------

TEST_CASE("content routes: starter library then export and import", "[http][content_routes]") {
  fixture f;
  auto r = f.send("POST", base + "/content/library/starter");
  REQUIRE(r.status == 200);
  auto b = body_of(r);
  CHECK(b["created"] == 2);
  CHECK(b["skipped"] == 0);
  CHECK(b["item_ids"].size() == 2);
  CHECK(f.s.content.last("load_starter_library")->rights->content_create);
  r = f.send("POST", base + "/content/library/starter", {}, domain::role::interviewer);
  REQUIRE(r.status == 200);
  CHECK(body_of(r) == json{{"created", 0}, {"skipped", 2}, {"item_ids", json::array()}});
  CHECK(f.send("POST", base + "/content/library/starter", {}, domain::role::viewer).status == 403);

  // Starter items are in review by nobody: an interviewer's approve is refused by rights, an
  // approver's goes through.
  const auto starter = b["item_ids"][0].get<std::string>();
  REQUIRE(f.send("POST", items + "/" + starter + "/transitions", R"({"event":"approve"})", domain::role::recruiter)
            .status == 200);

  r = f.get(base + "/content/library/export", domain::role::viewer);
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("Content-Disposition") == "attachment; filename=\"hirewire-library.json\"");
  auto doc = body_of(r);
  CHECK(doc["format"] == "hirewire.library.v1");
  REQUIRE(doc["items"].size() == 1);
  CHECK(doc["items"][0]["id"] == starter);

  // Import: the document goes to the service as sent.
  json import = {{"format", "hirewire.library.v1"},
                 {"items", json::array({{{"id", "x"}, {"version", 1}, {"state", "approved"}, {"origin", "manual"},
                                         {"body", item_body}}})}};
  r = f.send("POST", base + "/content/library/import", import.dump(), domain::role::interviewer);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["created"] == 1);
  auto call = f.s.content.last("import_library");
  CHECK(call->body == import);
  CHECK(call->rights->user_id == "interviewer-a");
  // The service's refusal lists the problems.
  f.s.content.fail_next("import_library", {errc::invalid_argument, "/items/0/title: must be 1..200 characters"});
  r = f.send("POST", base + "/content/library/import", import.dump());
  CHECK(r.status == 422);
  CHECK(detail(r) == "/items/0/title: must be 1..200 characters");
  CHECK(f.send("POST", base + "/content/library/import", "[]").status == 400);
}

TEST_CASE("content routes: an import may take 8 MiB while other bodies stop at 256 KiB",
          "[http][content_routes]") {
  fixture f;  // the server's body_limit is 1 MiB (the default)
  json big = {{"format", "hirewire.library.v1"},
              {"items", json::array({{{"body", {{"title", "t"}, {"prompt", std::string(3 * 1024 * 1024, 'p')}}}}})}};
  auto r = f.send("POST", base + "/content/library/import", big.dump());
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["created"] == 1);
  CHECK(f.s.content.last("import_library")->body == big);

  const auto before = f.s.content.call_count();
  // Over the import's own limit: refused by the session as soon as the header is read.
  {
    http_client c{f.s.port};
    const auto csrf = csrf_for(f.owner());
    c.send_raw("POST " + base + "/content/library/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Cookie: __Host-hw_session=" + f.owner() + "; __Host-hw_csrf=" + csrf + "\r\nX-CSRF-Token: " + csrf +
               "\r\nContent-Length: " + std::to_string(8 * 1024 * 1024 + 1) + "\r\n\r\n");
    auto res = c.read_reply();
    CHECK(res.status == 413);
    CHECK_THAT(detail(res), Catch::Contains("8388608 bytes"));
  }
  // Other routes keep the server's limit...
  {
    http_client c{f.s.port};
    c.send_raw("POST " + items + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: " + std::to_string(2 * 1024 * 1024) + "\r\n\r\n");
    auto res = c.read_reply();
    CHECK(res.status == 413);
    CHECK_THAT(detail(res), Catch::Contains("1048576 bytes"));
  }
  // ...and their own 256 KiB below it.
  r = f.send("POST", items, json{{"prompt", std::string(300 * 1024, 'p')}}.dump());
  CHECK(r.status == 413);
  CHECK_THAT(detail(r), Catch::Contains("262144 bytes"));
  CHECK(f.s.content.call_count() == before);
}

// ---- skills ---------------------------------------------------------------------------------------

TEST_CASE("content routes: skills are listed for readers and added with skill.manage", "[http][content_routes]") {
  fixture f;
  auto r = f.get(base + "/content/skills", domain::role::viewer);
  REQUIRE(r.status == 200);
  auto list = body_of(r)["skills"];
  REQUIRE(list.size() == 2);
  CHECK(list[0] == json{{"slug", "kubernetes"}, {"label", "Kubernetes"}, {"synonyms", {"k8s"}},
                        {"category", "engineering"}, {"custom", false}});

  const json skill = {{"slug", "clickhouse"}, {"label", "ClickHouse"}, {"synonyms", {"ch"}}, {"category", "data"}};
  r = f.send("POST", base + "/content/skills", skill.dump(), domain::role::admin);
  REQUIRE(r.status == 201);
  CHECK(body_of(r) == json{{"slug", "clickhouse"}, {"label", "ClickHouse"}, {"synonyms", {"ch"}},
                           {"category", "data"}, {"custom", true}});
  auto call = f.s.content.last("add_skill");
  REQUIRE(call->skill);
  CHECK(call->skill->slug == "clickhouse");
  CHECK(call->skill->synonyms == std::vector<std::string>{"ch"});
  CHECK(call->rights->skill_manage);
  // Already there: the service's 409.
  CHECK(f.send("POST", base + "/content/skills", skill.dump(), domain::role::admin).status == 409);
  // Recruiters and below may not (skill.manage is owner and admin).
  r = f.send("POST", base + "/content/skills", skill.dump(), domain::role::recruiter);
  CHECK(r.status == 403);
  CHECK_THAT(detail(r), Catch::Contains("skill.manage"));
  // Synonyms are optional.
  r = f.send("POST", base + "/content/skills", R"({"slug":"c++20","label":"C++20","category":"engineering"})");
  REQUIRE(r.status == 201);
  CHECK(body_of(r)["synonyms"] == json::array());

  const auto before = f.s.content.call_count();
  struct bad_case {
    json body;
    std::string detail_start;
  };
  for (const auto& b : std::vector<bad_case>{
         {{{"label", "X"}, {"category", "data"}}, "slug: is required"},
         {{{"slug", "Click House"}, {"label", "X"}, {"category", "data"}}, "slug: must be lower-case"},
         {{{"slug", "-x"}, {"label", "X"}, {"category", "data"}}, "slug: must be lower-case"},
         {{{"slug", std::string(51, 'a')}, {"label", "X"}, {"category", "data"}}, "slug: must be at most 50 bytes"},
         {{{"slug", "x"}, {"category", "data"}}, "label: is required"},
         {{{"slug", "x"}, {"label", ""}, {"category", "data"}}, "label: must not be empty"},
         {{{"slug", "x"}, {"label", "X"}, {"category", "finance"}}, "category: must be one of engineering"},
         {{{"slug", "x"}, {"label", "X"}}, "category: is required"},
         {{{"slug", "x"}, {"label", "X"}, {"category", "data"}, {"synonyms", "ch"}}, "synonyms: must be an array"},
         {{{"slug", "x"}, {"label", "X"}, {"category", "data"}, {"synonyms", {1}}}, "synonyms[0]: must be a string"},
         {{{"slug", "x"}, {"label", "X"}, {"category", "data"}, {"custom", true}}, "custom: unknown field"},
       }) {
    INFO(b.body.dump());
    auto res = f.send("POST", base + "/content/skills", b.body.dump());
    CHECK(res.status == 422);
    CHECK_THAT(detail(res), Catch::StartsWith(b.detail_start));
  }
  CHECK(f.s.content.call_count() == before);
}

// ---- templates -----------------------------------------------------------------------------------

TEST_CASE("content routes: a job's template is saved then submitted then approved", "[http][content_routes]") {
  fixture f;
  auto r = f.get(tmpl);
  CHECK(r.status == 404);
  CHECK(detail(r) == "this job has no interview template yet");

  const auto item = f.s.content.seed_item(org_a, "recruiter-a", "approved", item_body);
  const json body = {{"instructions", "Answer in your own words."},
                     {"sections", json::array({{{"title", "Databases"},
                                                {"items", json::array({{{"item_id", item},
                                                                        {"item_version", 1},
                                                                        {"time_limit_minutes", 15},
                                                                        {"weight", 2}}})}}})}};
  r = f.send("PUT", tmpl, body.dump(), domain::role::hiring_manager);
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v1\"");
  auto t = body_of(r);
  CHECK(t.size() == 7);
  CHECK(t["job_id"] == job_id);
  CHECK(t["approved_version"].is_null());
  CHECK(t["approved_version_id"].is_null());
  CHECK(t["versions"] == json::array({{{"number", 1}, {"state", "draft"}}}));
  const auto& latest = t["latest"];
  CHECK(latest.size() == 11);
  CHECK(latest["state"] == "draft");
  CHECK(latest["instructions"] == "Answer in your own words.");
  CHECK(latest["total_minutes"] == 15);
  CHECK(latest["blocking"] == json::array());
  CHECK(latest["saved_by"] == "hiring_manager-a");
  CHECK(latest["submitted_by"].is_null());
  REQUIRE(latest["sections"].size() == 1);
  CHECK(latest["sections"][0]["title"] == "Databases");
  const auto& entry = latest["sections"][0]["items"][0];
  CHECK(entry.size() == 7);
  CHECK(entry["item_id"] == item);
  CHECK(entry["item_version"] == 1);
  CHECK(entry["time_limit_minutes"] == 15);
  CHECK(entry["weight"] == 2);
  CHECK(entry["item_state"] == "approved");
  CHECK(entry["body"].is_object());
  CHECK(entry["candidate"].is_object());
  auto call = f.s.content.last("save_template");
  CHECK(call->id == job_id);
  CHECK(call->body == body);
  CHECK(call->rights->template_update);

  CHECK(f.get(tmpl, domain::role::viewer).status == 200);
  CHECK(f.send("PUT", tmpl, body.dump(), domain::role::interviewer).status == 403);  // template.update
  CHECK(f.send("PUT", tmpl, body.dump(), domain::role::owner, {{"If-Match", "\"v7\""}}).status == 412);

  r = f.send("POST", tmpl + "/transitions", R"({"event":"submit"})", domain::role::recruiter, {{"If-Match", "\"v1\""}});
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["latest"]["state"] == "pending_approval");
  CHECK(f.s.content.last("transition_template")->if_match == std::optional<std::int64_t>{1});
  r = f.send("POST", tmpl + "/transitions", R"({"event":"approve"})", domain::role::hiring_manager);
  REQUIRE(r.status == 200);
  t = body_of(r);
  CHECK(t["latest"]["state"] == "approved");
  CHECK(t["latest"]["approved_by"] == "hiring_manager-a");
  CHECK(t["approved_version"] == 1);
  CHECK(t["approved_version_id"].is_string());
  call = f.s.content.last("transition_template");
  CHECK(call->event == "approve");
  CHECK(call->rights->template_approve);
  CHECK(call->rights->user_id == "hiring_manager-a");
  // The service refuses an approve without template.approve in the rights.
  f.s.content.fail_next("transition_template", {errc::forbidden, "approving needs template.approve"});
  CHECK(f.send("POST", tmpl + "/transitions", R"({"event":"approve"})").status == 403);

  // ?version= on the read.
  REQUIRE(f.get(tmpl + "?version=1").status == 200);
  CHECK(f.s.content.last("get_template")->version == std::optional<std::int32_t>{1});
  CHECK(f.get(tmpl + "?version=x").status == 400);
  CHECK(f.get(tmpl + "?version=0").status == 422);

  const auto before = f.s.content.call_count();
  for (const std::string bad : {R"({"event":"supersede"})", R"({"event":"archive"})", R"({})", R"({"event":"submit","x":1})"}) {
    INFO(bad);
    CHECK(f.send("POST", tmpl + "/transitions", bad).status == 422);
  }
  CHECK(f.send("PUT", tmpl, "[1]").status == 400);
  CHECK(f.send("PUT", tmpl, R"({"sections":)").status == 400);
  CHECK(f.s.content.call_count() == before);
  // The template body's rules are the service's: its 422 comes back.
  f.s.content.fail_next("save_template", {errc::invalid_argument, "sections: 1..20 sections"});
  r = f.send("PUT", tmpl, R"({"instructions":"","sections":[]})");
  CHECK(r.status == 422);
  CHECK(detail(r) == "sections: 1..20 sections");
}

TEST_CASE("content routes: proposals and applying one", "[http][content_routes]") {
  fixture f;
  // No body: the defaults.
  auto r = http_request(f.s.port, "POST", tmpl + "/proposal", {},
                        {{"Cookie", "__Host-hw_session=" + f.owner() + "; __Host-hw_csrf=" + csrf_for(f.owner())},
                         {"X-CSRF-Token", csrf_for(f.owner())}});
  REQUIRE(r.status == 200);
  auto p = body_of(r);
  CHECK(p["total_minutes"] == 60);
  CHECK(p["llm"]["used"] == false);
  CHECK(p["profile"]["seniority"] == "senior");
  CHECK(p["coverage"][0]["covered"] == false);
  auto call = f.s.content.last("propose_template");
  CHECK(call->id == job_id);
  REQUIRE(call->proposal);
  CHECK(call->proposal->target_minutes == 60);
  CHECK_FALSE(call->proposal->use_llm);

  r = f.send("POST", tmpl + "/proposal", R"({"target_minutes":90})", domain::role::hiring_manager);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["total_minutes"] == 90);
  // use_llm without an enabled provider: the service's 422.
  r = f.send("POST", tmpl + "/proposal", R"({"use_llm":true})");
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("use_llm:"));
  CHECK(f.send("POST", tmpl + "/proposal", R"({})", domain::role::interviewer).status == 403);

  const auto before = f.s.content.call_count();
  for (const std::string bad : {R"({"target_minutes":4})", R"({"target_minutes":481})", R"({"target_minutes":"60"})",
                                R"({"use_llm":"yes"})", R"({"minutes":60})"}) {
    INFO(bad);
    CHECK(f.send("POST", tmpl + "/proposal", bad).status == 422);
  }
  CHECK(f.send("POST", tmpl + "/proposal", "{").status == 400);

  // Apply: generated entries become drafts, the template draft is saved.
  const auto item = f.s.content.seed_item(org_a, "recruiter-a", "approved", item_body);
  const json apply = {
    {"instructions", "Welcome"},
    {"submit_generated", true},
    {"sections",
     json::array({{{"title", "Core"},
                   {"items", json::array({{{"item_id", item}, {"item_version", 1}, {"time_limit_minutes", 10},
                                           {"weight", 1}},
                                          {{"generated", item_body}, {"origin", "generated from job by rule r1"},
                                           {"rule", "r1"}, {"time_limit_minutes", 20}, {"weight", 3}}})}}})}};
  for (const std::string bad : {R"({"instructions":"x"})", R"({"sections":{}})", R"({"sections":[],"instructions":5})",
                                R"({"sections":[],"submit_generated":"yes"})", R"({"sections":[],"extra":1})"}) {
    INFO(bad);
    CHECK(f.send("POST", tmpl + "/proposal/apply", bad).status == 422);
  }
  CHECK(f.s.content.call_count() == before);
  r = f.send("POST", tmpl + "/proposal/apply", apply.dump(), domain::role::hiring_manager);
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v1\"");
  auto t = body_of(r);
  CHECK(t["latest"]["total_minutes"] == 30);
  CHECK(t["latest"]["sections"][0]["items"].size() == 2);
  call = f.s.content.last("apply_proposal");
  CHECK(call->body == apply);
  CHECK(call->rights->user_id == "hiring_manager-a");
  CHECK(f.send("POST", tmpl + "/proposal/apply", apply.dump(), domain::role::owner, {{"If-Match", "\"v9\""}}).status ==
        412);
  CHECK(f.send("POST", tmpl + "/proposal/apply", apply.dump(), domain::role::owner, {{"If-Match", "\"v1\""}}).status ==
        200);
}

// ---- LLM settings ---------------------------------------------------------------------------------

TEST_CASE("content routes: LLM settings are admin-only and the key is write-only", "[http][content_routes]") {
  fixture f;
  const auto path = base + "/content/llm-settings";
  auto r = f.get(path, domain::role::admin);
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v1\"");
  CHECK(body_of(r) == json{{"enabled", false}, {"base_url", ""}, {"model", ""}, {"has_api_key", false},
                           {"timeout_seconds", 30}, {"version", 1}});
  CHECK(f.get(path, domain::role::recruiter).status == 403);  // org.update_settings
  CHECK(f.send("PATCH", path, R"({"enabled":false})", domain::role::recruiter).status == 403);

  const json patch = {{"enabled", true},
                      {"base_url", "https://llm.example/v1"},
                      {"model", "gpt-x"},
                      {"api_key", "sk-very-secret"},
                      {"timeout_seconds", 20}};
  r = f.send("PATCH", path, patch.dump(), domain::role::owner, {{"If-Match", "\"v1\""}});
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v2\"");
  auto b = body_of(r);
  CHECK(b["has_api_key"] == true);
  CHECK(b["enabled"] == true);
  CHECK(b["timeout_seconds"] == 20);
  CHECK_FALSE(b.contains("api_key"));
  CHECK(r.body.find("sk-very-secret") == std::string::npos);
  auto call = f.s.content.last("update_llm_settings");
  REQUIRE(call->llm_patch);
  CHECK(call->llm_patch->api_key == std::optional<std::string>{"sk-very-secret"});
  CHECK(call->llm_patch->base_url == std::optional<std::string>{"https://llm.example/v1"});
  CHECK(call->if_match == std::optional<std::int64_t>{1});
  CHECK(f.get(path).body.find("sk-very-secret") == std::string::npos);
  // "" clears the key; a stale ETag is 412.
  r = f.send("PATCH", path, R"({"api_key":""})");
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["has_api_key"] == false);
  CHECK(f.send("PATCH", path, R"({"model":"m"})", domain::role::owner, {{"If-Match", "\"v1\""}}).status == 412);

  const auto before = f.s.content.call_count();
  struct bad_case {
    std::string body;
    std::string detail_start;
  };
  for (const auto& c : std::vector<bad_case>{
         {R"({})", "the patch is empty"},
         {R"({"timeout_seconds":0})", "timeout_seconds: must be an integer from 1 to 120"},
         {R"({"timeout_seconds":121})", "timeout_seconds: must be an integer from 1 to 120"},
         {R"({"timeout_seconds":"30"})", "timeout_seconds: must be an integer"},
         {R"({"enabled":"true"})", "enabled: must be true or false"},
         {R"({"api_key":42})", "api_key: must be a string"},
         {R"({"provider":"openai"})", "provider: unknown field"},
       }) {
    INFO(c.body);
    auto res = f.send("PATCH", path, c.body);
    CHECK(res.status == 422);
    CHECK_THAT(detail(res), Catch::StartsWith(c.detail_start));
  }
  CHECK(f.s.content.call_count() == before);
}

// ---- bad input everywhere ----------------------------------------------------------------------------

TEST_CASE("content routes: every body route refuses unreadable bodies before the service",
          "[http][content_routes]") {
  fixture f;
  const auto id = f.create();
  struct route {
    std::string method;
    std::string path;
  };
  const std::vector<route> routes = {
    {"POST", items},
    {"PATCH", items + "/" + id},
    {"POST", items + "/" + id + "/transitions"},
    {"POST", items + "/" + id + "/comments"},
    {"POST", items + "/" + id + "/variants"},
    {"POST", base + "/content/library/import"},
    {"POST", base + "/content/skills"},
    {"PUT", tmpl},
    {"POST", tmpl + "/transitions"},
    {"POST", tmpl + "/proposal"},
    {"POST", tmpl + "/proposal/apply"},
    {"PATCH", base + "/content/llm-settings"},
  };
  const auto before = f.s.content.call_count();
  for (const auto& rt : routes) {
    INFO(rt.method << " " << rt.path);
    auto r = f.send(rt.method, rt.path, R"({"title": )");
    CHECK(r.status == 400);
    CHECK_THAT(detail(r), Catch::StartsWith("malformed JSON at byte"));
    CHECK(r.header("Content-Type") == "application/problem+json");
    r = f.send(rt.method, rt.path, "[1,2]");
    CHECK(r.status == 400);
    CHECK(detail(r) == "the body must be a JSON object, not array");
    r = f.send(rt.method, rt.path, "\"text\"");
    CHECK(r.status == 400);
    r = f.send(rt.method, rt.path, R"({"a":1})", domain::role::owner, {{"Content-Type", "text/plain"}});
    CHECK(r.status == 415);
    if (rt.path.find("/import") == std::string::npos) {  // the import's limit: its own test
      r = f.send(rt.method, rt.path, "{\"x\":\"" + std::string(300 * 1024, 'x') + "\"}");
      CHECK(r.status == 413);
    }
  }
  CHECK(f.s.content.call_count() == before);
}

TEST_CASE("content routes: path ids are UUIDs and anything else is 404 without a service call",
          "[http][content_routes]") {
  fixture f;
  const auto id = f.create();
  std::string upper = id;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  REQUIRE(f.get(items + "/" + upper).status == 200);
  CHECK(f.s.content.last()->id == id);  // lower-cased before the service sees it
  const auto before = f.s.content.call_count();
  for (const std::string bad : {"not-a-uuid", "00000000-0000-4000-8000-00000000000Z", "1"}) {
    INFO(bad);
    auto r = f.get(items + "/" + bad);
    CHECK(r.status == 404);
    CHECK(detail(r) == "no such content item");
    CHECK(f.send("PATCH", items + "/" + bad, item_body.dump()).status == 404);
    CHECK(f.send("POST", items + "/" + bad + "/transitions", R"({"event":"submit"})").status == 404);
    CHECK(f.get(items + "/" + bad + "/comments").status == 404);
    CHECK(f.send("POST", items + "/" + bad + "/comments", R"({"text":"x"})").status == 404);
    CHECK(f.send("POST", items + "/" + bad + "/variants", "{}").status == 404);
    const auto t = base + "/jobs/" + bad + "/template";
    r = f.get(t);
    CHECK(r.status == 404);
    CHECK(detail(r) == "no such job");
    CHECK(f.send("PUT", t, "{}").status == 404);
    CHECK(f.send("POST", t + "/transitions", R"({"event":"submit"})").status == 404);
    CHECK(f.send("POST", t + "/proposal", "{}").status == 404);
    CHECK(f.send("POST", t + "/proposal/apply", R"({"sections":[]})").status == 404);
  }
  CHECK(f.s.content.call_count() == before);
}

TEST_CASE("content routes: another organization's item is 404 like a missing one", "[http][content_routes]") {
  fixture f;
  const auto id = f.create();
  const auto other = f.s.accounts.add_session("owner-b", {{org_b, domain::role::owner}});
  // Through org A's path: not a member.
  auto r = http_request(f.s.port, "GET", items + "/" + id, {}, session_headers(other));
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such organization");
  // Through its own organization's path: the service does not find org A's item there.
  const auto items_b = "/api/v1/orgs/" + org_b + "/content/items/" + id;
  r = http_request(f.s.port, "GET", items_b, {}, session_headers(other));
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such content item");
  CHECK(f.s.content.last("get_item")->org == org_b);
  r = http_request(f.s.port, "PATCH", items_b, item_body.dump(), session_headers(other, true));
  CHECK(r.status == 404);
  r = http_request(f.s.port, "POST", items_b + "/transitions", R"({"event":"submit"})", session_headers(other, true));
  CHECK(r.status == 404);
  r = http_request(f.s.port, "POST", items_b + "/comments", R"({"text":"x"})", session_headers(other, true));
  CHECK(r.status == 404);
  // Org A's list does not leak into org B's.
  r = http_request(f.s.port, "GET", "/api/v1/orgs/" + org_b + "/content/items", {}, session_headers(other));
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["items"].empty());
}

TEST_CASE("content routes: service errors map to problems", "[http][content_routes]") {
  fixture f;
  struct error_case {
    errc code;
    unsigned status;
  };
  for (const auto& c : std::vector<error_case>{{errc::invalid_argument, 422},
                                               {errc::not_found, 404},
                                               {errc::conflict, 409},
                                               {errc::version_conflict, 409},
                                               {errc::illegal_transition, 409},
                                               {errc::precondition_failed, 412},
                                               {errc::forbidden, 403},
                                               {errc::unavailable, 503},
                                               {errc::timeout, 504},
                                               {errc::internal, 500}}) {
    INFO(to_string(c.code));
    f.s.content.fail_next("list_items", {c.code, "db said: relation content_items (secret-ish)"});
    auto r = f.get(items);
    CHECK(r.status == c.status);
    CHECK(r.header("Content-Type") == "application/problem+json");
    if (c.code == errc::internal) CHECK(r.body.find("secret-ish") == std::string::npos);
  }
}

TEST_CASE("content routes: without a content service every route answers 503", "[http][content_routes]") {
  fake_gateway gateway;
  fake_account_service accounts;
  auto o = test_options();
  o.accounts = &accounts;
  http_api::server server{std::move(o), gateway};
  const auto port = server.start();
  const auto owner = accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const auto id = std::string{"00000000-0000-4000-8000-0000000000c3"};
  struct route {
    std::string method;
    std::string path;
    std::string body;
  };
  const std::vector<route> routes = {
    {"GET", items, {}},
    {"POST", items, item_body.dump()},
    {"GET", items + "/" + id, {}},
    {"PATCH", items + "/" + id, item_body.dump()},
    {"POST", items + "/" + id + "/transitions", R"({"event":"submit"})"},
    {"GET", items + "/" + id + "/comments", {}},
    {"POST", items + "/" + id + "/comments", R"({"text":"x"})"},
    {"POST", items + "/" + id + "/variants", json{{"from_version", 1}, {"job_id", job_id}, {"body", item_body}}.dump()},
    {"POST", base + "/content/library/starter", {}},
    {"GET", base + "/content/library/export", {}},
    {"POST", base + "/content/library/import", R"({"format":"hirewire.library.v1","items":[]})"},
    {"GET", base + "/content/skills", {}},
    {"POST", base + "/content/skills", R"({"slug":"x","label":"X","category":"data"})"},
    {"GET", tmpl, {}},
    {"PUT", tmpl, R"({"instructions":"","sections":[]})"},
    {"POST", tmpl + "/transitions", R"({"event":"submit"})"},
    {"POST", tmpl + "/proposal", R"({})"},
    {"POST", tmpl + "/proposal/apply", R"({"sections":[]})"},
    {"GET", base + "/content/llm-settings", {}},
    {"PATCH", base + "/content/llm-settings", R"({"enabled":false})"},
  };
  for (const auto& rt : routes) {
    INFO(rt.method << " " << rt.path);
    auto r = http_request(port, rt.method, rt.path, rt.body, session_headers(owner, rt.method != "GET"));
    CHECK(r.status == 503);
    CHECK(detail(r) == "interview content is not available on this server");
    CHECK(r.has_header("Retry-After"));
  }
  server.stop();
}
