// ATS integration routes (http/routes/ats_routes.cpp) against the real server and
// fake_ats_service: JSON shapes, what reaches the service, input validation at the edge, ETags,
// error mapping and candidate PII by role. The role matrix of every route is in
// access_control_test.cpp (enumerated from the route table).
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
const std::string conn_id = "00000000-0000-4000-8000-00000000c011";
const std::string job_id = "00000000-0000-4000-8000-0000000000b1";
const std::string base = "/api/v1/orgs/" + org_a;
const std::string conns = base + "/ats/connections";
const std::string conn = conns + "/" + conn_id;
const std::string job = base + "/jobs/" + job_id;

std::string detail(const http_reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : std::string{};
}

/// A server with an owner session, an admin API key and helpers to call it.
struct fixture {
  test_server s;
  std::string owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});

  http_reply get(const std::string& path) { return http_request(s.port, "GET", path, {}, session_headers(owner)); }
  http_reply send(const std::string& method, const std::string& path, std::string body = {}, header_list extra = {}) {
    auto h = session_headers(owner, true);
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
};

}  // namespace

// ---- connections ------------------------------------------------------------------------------

TEST_CASE("ats routes: the connection list and view have the documented JSON shape", "[http][ats_http]") {
  fixture f;
  auto r = f.get(conns);
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("Cache-Control") == "no-store");
  auto body = json::parse(r.body);
  REQUIRE(body["connections"].size() == 1);
  const auto c = body["connections"][0];
  CHECK(c["id"] == conn_id);
  CHECK(c["vendor"] == "greenhouse");
  CHECK(c["name"] == "Greenhouse (prod)");
  CHECK(c["state"] == "connected");
  CHECK(c["state_reason"] == "test passed");
  CHECK(c["consecutive_failures"] == 0);
  CHECK(c["last_sync_at"] == "2026-01-02T03:04:05Z");
  CHECK(c["last_error_at"].is_null());
  CHECK(c["last_error"].is_null());
  CHECK(c["syncing"] == false);
  CHECK(c["has_credentials"] == true);
  CHECK(c["has_webhook_secret"] == true);
  CHECK(c["credential_fields"] == json::array({"client_id", "client_secret"}));
  CHECK(c["webhook_url"] == "https://hirewire.example/webhooks/greenhouse/" + conn_id);
  CHECK(c["settings"] == json{{"sync_interval_minutes", 30}});
  CHECK(c["counts"] == json{{"jobs", 12}, {"candidates", 40}, {"applications", 55}, {"webhooks_received", 7},
                            {"webhooks_duplicate", 2}, {"webhooks_rejected", 1}});
  CHECK(c["version"] == 4);
  // Exactly the view's fields: no secret, no credential value.
  CHECK(c.size() == 21);
  CHECK_FALSE(c.contains("webhook_secret"));
  CHECK_FALSE(c.contains("credentials"));

  auto one = f.get(conns + "/" + conn_id);
  REQUIRE(one.status == 200);
  CHECK(one.header("ETag") == "\"v4\"");
  CHECK(json::parse(one.body) == c);
  auto call = f.s.ats.last("get_connection");
  REQUIRE(call);
  CHECK(call->org == org_a);
  CHECK(call->id == conn_id);
}

TEST_CASE("ats routes: path ids are canonical UUIDs, anything else is 404 without a service call",
          "[http][ats_http]") {
  fixture f;
  std::string upper = conn_id;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  REQUIRE(f.get(conns + "/" + upper).status == 200);
  CHECK(f.s.ats.last()->id == conn_id);  // lower-cased before the service sees it
  const auto before = f.s.ats.call_count();
  for (const std::string bad : {"not-a-uuid", "00000000-0000-4000-8000-00000000000Z", "1"}) {
    INFO(bad);
    auto r = f.get(conns + "/" + bad);
    CHECK(r.status == 404);
    CHECK(detail(r) == "no such ATS connection");
    CHECK(f.send("POST", conns + "/" + bad + "/sync").status == 404);
    CHECK(f.send("DELETE", conns + "/" + bad).status == 404);
    CHECK(f.get(conns + "/" + bad + "/log").status == 404);
    auto j = f.get(base + "/jobs/" + bad);
    CHECK(j.status == 404);
    CHECK(detail(j) == "no such job");
    CHECK(f.send("PATCH", base + "/jobs/" + bad, R"({"title":"x"})").status == 404);
    CHECK(f.get(base + "/jobs/" + bad + "/applications").status == 404);
  }
  CHECK(f.s.ats.call_count() == before);
}

TEST_CASE("ats routes: another organization's connection is 404 like a missing one", "[http][ats_http]") {
  fixture f;
  const auto other = f.s.accounts.add_session("owner-b", {{org_b, domain::role::owner}});
  auto r = http_request(f.s.port, "GET", conn, {}, session_headers(other));
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such organization");
  r = http_request(f.s.port, "POST", conns, R"({"vendor":"lever","name":"L","credentials":{"api_key":"k"}})",
                   session_headers(other, true));
  CHECK(r.status == 404);
  CHECK(f.s.ats.call_count() == 0);
  // An id the service does not know in the caller's own organization: the service's not_found.
  f.s.ats.fail_next("get_connection", {errc::not_found, "no such ATS connection"});
  r = f.get(conn);
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such ATS connection");
}

TEST_CASE("ats routes: create passes the request and shows the webhook secret once", "[http][ats_http]") {
  fixture f;
  f.s.ats.modify([](auto& k) { k.webhook_secret = "whsec-generated"; });
  auto r = f.send("POST", conns,
                  R"({"vendor":"greenhouse","name":"GH prod","credentials":{"client_id":"cid","client_secret":"s3"},)"
                  R"("settings":{"sync_interval_minutes":15}})",
                  {{"User-Agent", "probe/1"}, {"X-Request-Id", "rid-create"}});
  REQUIRE(r.status == 201);
  CHECK(r.header("Location") == conns + "/" + conn_id);
  CHECK(r.header("ETag") == "\"v4\"");
  auto body = json::parse(r.body);
  CHECK(body["webhook_secret"] == "whsec-generated");
  CHECK(body["connection"]["id"] == conn_id);
  CHECK(body.size() == 2);
  auto call = f.s.ats.last("create_connection");
  REQUIRE(call);
  REQUIRE(call->create);
  CHECK(call->org == org_a);
  CHECK(call->create->vendor == "greenhouse");
  CHECK(call->create->name == "GH prod");
  CHECK(call->create->credentials == std::map<std::string, std::string>{{"client_id", "cid"}, {"client_secret", "s3"}});
  CHECK(call->create->settings.sync_interval_minutes == 15);
  REQUIRE(call->who_principal);
  CHECK(call->who_principal->user_id == "owner-a");
  CHECK(call->who.kind == "user");
  CHECK(call->who.id == "owner-a");
  CHECK(call->who.request_id == std::optional<std::string>{"rid-create"});
  CHECK(call->who.user_agent == std::optional<std::string>{"probe/1"});

  // Lever: no generated secret, no key; settings default.
  f.s.ats.modify([](auto& k) { k.webhook_secret.reset(); });
  r = f.send("POST", conns, R"({"vendor":"lever","name":"Lever","credentials":{"api_key":"k"}})");
  REQUIRE(r.status == 201);
  body = json::parse(r.body);
  CHECK_FALSE(body.contains("webhook_secret"));
  CHECK(f.s.ats.last("create_connection")->create->settings.sync_interval_minutes == 60);
}

TEST_CASE("ats routes: create refuses malformed bodies at the edge, naming the field", "[http][ats_http]") {
  fixture f;
  struct bad_case {
    std::string body;
    unsigned status;
    std::string detail_start;
  };
  const std::string ok_creds = R"("credentials":{"client_id":"a","client_secret":"b"})";
  const std::vector<bad_case> cases = {
    {R"({"vendor":"greenhouse",)", 400, "malformed JSON"},
    {R"([1,2])", 400, "the body must be a JSON object"},
    {R"("text")", 400, "the body must be a JSON object"},
    {R"({"vendor":"greenhouse","name":5,)" + ok_creds + "}", 422, "name: must be a string"},
    {R"({"vendor":"greenhouse","name":"",)" + ok_creds + "}", 422, "name: must not be empty"},
    {R"({"vendor":"greenhouse","name":")" + std::string(201, 'x') + R"(",)" + ok_creds + "}", 422,
     "name: must be at most 200 bytes"},
    {R"({"vendor":"greenhouse",)" + ok_creds + "}", 422, "name: is required"},
    {R"({"name":"GH",)" + ok_creds + "}", 422, "vendor: is required"},
    {R"({"vendor":"workday","name":"W",)" + ok_creds + "}", 422, "vendor: must be one of greenhouse, lever"},
    {R"({"vendor":7,"name":"W",)" + ok_creds + "}", 422, "vendor: must be a string"},
    {R"({"vendor":"greenhouse","name":"GH"})", 422, "credentials: is required"},
    {R"({"vendor":"greenhouse","name":"GH","credentials":["a"]})", 422, "credentials: must be an object"},
    {R"({"vendor":"greenhouse","name":"GH","credentials":{"client_id":5}})", 422,
     "credentials.client_id: must be a string"},
    {R"({"vendor":"greenhouse","name":"GH","credentials":{"client_id":{"x":1}}})", 422,
     "credentials.client_id: must be a string"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"sync_interval_minutes":4}})", 422,
     "settings.sync_interval_minutes: must be from 5 to 1440"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"sync_interval_minutes":1441}})", 422,
     "settings.sync_interval_minutes: must be from 5 to 1440"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"sync_interval_minutes":-5}})", 422,
     "settings.sync_interval_minutes: must be from 5 to 1440"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"sync_interval_minutes":"60"}})", 422,
     "settings.sync_interval_minutes: must be an integer"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"sync_interval_minutes":7.5}})", 422,
     "settings.sync_interval_minutes: must be an integer"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":{"interval":60}})", 422,
     "settings.interval: unknown field"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"settings":60})", 422, "settings: must be an object"},
    {R"({"vendor":"greenhouse","name":"GH",)" + ok_creds + R"(,"colour":"red"})", 422, "colour: unknown field"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    auto r = f.send("POST", conns, c.body);
    CHECK(r.status == c.status);
    CHECK(r.header("Content-Type") == "application/problem+json");
    CHECK_THAT(detail(r), Catch::StartsWith(c.detail_start));
  }
  // A secret value is never quoted back.
  auto r = f.send("POST", conns, R"({"vendor":"greenhouse","name":"GH","credentials":{"client_secret":")" +
                                   std::string(5000, 's') + R"("}})");
  CHECK(r.status == 422);
  CHECK(detail(r) == "credentials.client_secret: must be at most 4096 bytes");
  // Not JSON at all.
  r = f.send("POST", conns, "vendor=greenhouse", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(r.status == 415);
  CHECK(f.s.ats.call_count() == 0);
}

TEST_CASE("ats routes: a body over the server's limit is 413 before the handler", "[http][ats_http]") {
  auto o = test_options();
  o.body_limit = 4096;
  test_server s{o};
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  auto r = http_request(s.port, "POST", conns,
                        R"({"vendor":"greenhouse","name":")" + std::string(5000, 'x') + R"(","credentials":{}})",
                        session_headers(owner, true));
  CHECK(r.status == 413);
  CHECK(s.ats.call_count() == 0);
}

TEST_CASE("ats routes: cookie writes need the CSRF token and a same-origin request", "[http][ats_http]") {
  fixture f;
  const std::string body = R"({"vendor":"lever","name":"L","credentials":{"api_key":"k"}})";
  auto no_token = session_headers(f.owner, true);
  no_token.erase(no_token.begin() + 1);  // X-CSRF-Token
  auto r = http_request(f.s.port, "POST", conns, body, no_token);
  CHECK(r.status == 403);
  CHECK(json::parse(r.body)["type"] == "urn:hirewire:problem:csrf");
  auto cross = session_headers(f.owner, true);
  cross[2] = {"Sec-Fetch-Site", "cross-site"};
  CHECK(http_request(f.s.port, "POST", conn + "/sync", {}, cross).status == 403);
  auto foreign = session_headers(f.owner, true);
  foreign.erase(foreign.begin() + 2);
  foreign.emplace_back("Origin", "http://evil.example");
  CHECK(http_request(f.s.port, "DELETE", conn, {}, foreign).status == 403);
  CHECK(http_request(f.s.port, "PATCH", job, R"({"title":"x"})", foreign).status == 403);
  CHECK(f.s.ats.call_count() == 0);
  // An API key needs no CSRF token.
  const auto key = f.s.accounts.add_api_key(org_a, domain::role::admin);
  CHECK(http_request(f.s.port, "POST", conns, body, key_headers(key)).status == 201);
  CHECK(f.s.ats.last()->who.kind == "api_key");
}

TEST_CASE("ats routes: PATCH a connection with If-Match, rotation and an empty patch", "[http][ats_http]") {
  fixture f;
  auto r = f.send("PATCH", conn, R"({"name":"Renamed","settings":{"sync_interval_minutes":5}})",
                  {{"If-Match", "\"v4\""}});
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v4\"");
  auto body = json::parse(r.body);
  CHECK(body["connection"]["id"] == conn_id);
  CHECK_FALSE(body.contains("webhook_secret"));
  auto call = f.s.ats.last("update_connection");
  REQUIRE(call);
  REQUIRE(call->patch);
  CHECK(call->id == conn_id);
  CHECK(call->if_match == std::optional<std::int64_t>{4});
  CHECK(call->patch->name == std::optional<std::string>{"Renamed"});
  REQUIRE(call->patch->settings);
  CHECK(call->patch->settings->sync_interval_minutes == 5);
  CHECK_FALSE(call->patch->credentials);
  CHECK_FALSE(call->patch->rotate_webhook_secret);

  f.s.ats.modify([](auto& k) { k.webhook_secret = "whsec-rotated"; });
  r = f.send("PATCH", conn, R"({"rotate_webhook_secret":true,"credentials":{"api_key":"new"}})");
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["webhook_secret"] == "whsec-rotated");
  call = f.s.ats.last("update_connection");
  CHECK(call->if_match == std::nullopt);
  CHECK(call->patch->rotate_webhook_secret);
  CHECK(call->patch->credentials == std::optional<std::map<std::string, std::string>>{{{"api_key", "new"}}});
  // A bare version is read too.
  REQUIRE(f.send("PATCH", conn, R"({"name":"X"})", {{"If-Match", "\"12\""}}).status == 200);
  CHECK(f.s.ats.last("update_connection")->if_match == std::optional<std::int64_t>{12});

  const auto before = f.s.ats.call_count();
  for (const char* tag : {"v4", "W/\"v4\"", "\"vx\"", "\"\"", "\"v-1\""}) {
    INFO(tag);
    r = f.send("PATCH", conn, R"({"name":"X"})", {{"If-Match", tag}});
    CHECK(r.status == 412);
  }
  r = f.send("PATCH", conn, "{}");
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("the patch is empty"));
  r = f.send("PATCH", conn, R"({"rotate_webhook_secret":"yes"})");
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("rotate_webhook_secret: must be true or false"));
  r = f.send("PATCH", conn, R"({"vendor":"lever"})");
  CHECK(r.status == 422);
  CHECK(detail(r) == "vendor: unknown field");
  CHECK(f.s.ats.call_count() == before);

  // The service's precondition and version answers.
  f.s.ats.fail_next("update_connection", {errc::precondition_failed, "the connection changed (version 5)"});
  CHECK(f.send("PATCH", conn, R"({"name":"X"})", {{"If-Match", "\"v4\""}}).status == 412);
  f.s.ats.fail_next("update_connection", {errc::version_conflict, "the connection changed meanwhile"});
  CHECK(f.send("PATCH", conn, R"({"name":"X"})").status == 409);
}

TEST_CASE("ats routes: disconnect, delete, test and sync", "[http][ats_http]") {
  fixture f;
  auto r = f.send("POST", conn + "/disconnect");
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["id"] == conn_id);
  CHECK(r.header("ETag") == "\"v4\"");
  CHECK(f.s.ats.last()->name == "disconnect_connection");

  r = f.send("DELETE", conn);
  CHECK(r.status == 204);
  CHECK(r.body.empty());
  CHECK(f.s.ats.last()->name == "delete_connection");
  CHECK(f.s.ats.last()->id == conn_id);
  f.s.ats.fail_next("delete_connection", {errc::illegal_transition, "disconnect the connection first"});
  r = f.send("DELETE", conn);
  CHECK(r.status == 409);
  CHECK(detail(r) == "disconnect the connection first");

  r = f.send("POST", conn + "/test");
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  CHECK(body["ok"] == true);
  CHECK(body["detail"] == "ok: 3 jobs visible");
  CHECK(body["connection"]["id"] == conn_id);
  CHECK(body.size() == 3);

  r = f.send("POST", conn + "/sync");
  REQUIRE(r.status == 202);
  CHECK(json::parse(r.body)["syncing"] == true);
  CHECK(f.s.ats.last()->name == "sync_now");
  f.s.ats.fail_next("sync_now", {errc::illegal_transition, "test the connection first"});
  CHECK(f.send("POST", conn + "/sync").status == 409);
  f.s.ats.fail_next("sync_now", {errc::unavailable, "the database is unavailable"});
  r = f.send("POST", conn + "/sync");
  CHECK(r.status == 503);
  CHECK_FALSE(r.header("Retry-After").empty());
  f.s.ats.fail_next("test_connection", {errc::timeout, "the vendor did not answer"});
  CHECK(f.send("POST", conn + "/test").status == 504);
  f.s.ats.fail_next("test_connection", {errc::internal, "pqxx said something internal"});
  r = f.send("POST", conn + "/test");
  CHECK(r.status == 500);
  CHECK(r.body.find("pqxx") == std::string::npos);
}

TEST_CASE("ats routes: history and the integration log with paging", "[http][ats_http]") {
  fixture f;
  auto r = f.get(conn + "/history");
  REQUIRE(r.status == 200);
  auto h = json::parse(r.body)["history"];
  REQUIRE(h.size() == 2);
  CHECK(h[0] == json{{"at", "2026-01-01T00:00:00Z"}, {"from", nullptr}, {"to", "pending"}, {"event", "created"},
                     {"consecutive_failures", 0}, {"reason", "created"}});
  CHECK(h[1]["from"] == "pending");

  r = f.get(conn + "/log");
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  CHECK(body["next_before"] == 41);
  REQUIRE(body["entries"].size() == 2);
  CHECK(body["entries"][0] == json{{"id", 42}, {"at", "2026-01-02T03:04:05Z"}, {"direction", "outbound"},
                                   {"endpoint", "/v3/jobs"}, {"status", 200}, {"duration_ms", 120},
                                   {"error", nullptr}});
  CHECK(body["entries"][1]["status"].is_null());
  auto call = f.s.ats.last("integration_log");
  CHECK(call->limit == 50);
  CHECK(call->before == std::nullopt);

  REQUIRE(f.get(conn + "/log?limit=10&before=41").status == 200);
  call = f.s.ats.last("integration_log");
  CHECK(call->limit == 10);
  CHECK(call->before == std::optional<std::int64_t>{41});

  f.s.ats.modify([](auto& k) { k.log.next_before_id.reset(); });
  CHECK(json::parse(f.get(conn + "/log").body)["next_before"].is_null());

  const auto before = f.s.ats.call_count();
  CHECK(f.get(conn + "/log?limit=0").status == 422);
  CHECK(f.get(conn + "/log?limit=201").status == 422);
  CHECK(f.get(conn + "/log?limit=ten").status == 400);
  CHECK(f.get(conn + "/log?before=0").status == 422);
  CHECK(f.get(conn + "/log?before=x").status == 400);
  CHECK(f.get(conn + "/log?limit=5&limit=6").status == 400);
  auto u = f.get(conn + "/log?page=2");
  CHECK(u.status == 400);
  CHECK_THAT(detail(u), Catch::StartsWith("unknown query parameter: page"));
  CHECK(f.s.ats.call_count() == before);
}

// ---- jobs -------------------------------------------------------------------------------------

TEST_CASE("ats routes: the job list passes its filter and pages by cursor", "[http][ats_http]") {
  fixture f;
  auto r = f.get(base + "/jobs");
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  CHECK(body["next_cursor"] == "c2");
  REQUIRE(body["jobs"].size() == 1);
  CHECK(body["jobs"][0] == json{{"id", job_id},
                                {"connection_id", conn_id},
                                {"vendor", "greenhouse"},
                                {"external_id", "4001"},
                                {"title", "Backend Engineer"},
                                {"ats_status", "open"},
                                {"posting_state", "ready"},
                                {"department", "Engineering"},
                                {"location", "Berlin"},
                                {"applications", 3},
                                {"has_local_edits", true},
                                {"updated_at", "2026-01-02T03:04:05Z"}});
  auto q = f.s.ats.last("list_jobs")->job_query;
  REQUIRE(q);
  CHECK(q->limit == 50);
  CHECK_FALSE(q->connection_id);
  CHECK_FALSE(q->cursor);

  std::string upper = conn_id;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  r = f.get(base + "/jobs?connection=" + upper + "&state=open&ats_status=closed&q=back%20end&limit=20&cursor=c2");
  REQUIRE(r.status == 200);
  q = f.s.ats.last("list_jobs")->job_query;
  CHECK(q->connection_id == std::optional<std::string>{conn_id});
  CHECK(q->posting_state == std::optional<std::string>{"open"});
  CHECK(q->ats_status == std::optional<std::string>{"closed"});
  CHECK(q->q == std::optional<std::string>{"back end"});
  CHECK(q->limit == 20);
  CHECK(q->cursor == std::optional<std::string>{"c2"});

  f.s.ats.modify([](auto& k) { k.jobs.next_cursor.reset(); });
  CHECK(json::parse(f.get(base + "/jobs").body)["next_cursor"].is_null());

  const auto before = f.s.ats.call_count();
  struct bad {
    std::string query;
    unsigned status;
    std::string detail_start;
  };
  for (const auto& b : std::vector<bad>{{"connection=nope", 400, "connection: expected a connection id"},
                                        {"state=published", 400, "state: must be one of"},
                                        {"ats_status=live", 400, "ats_status: must be one of"},
                                        {"limit=0", 422, "limit: expected an integer from 1 to 200"},
                                        {"limit=201", 422, "limit: expected"},
                                        {"limit=99999999999999999999", 422, "limit: expected"},
                                        {"limit=abc", 400, "limit: expected"},
                                        {"cursor=a%20b", 400, "cursor: not a cursor"},
                                        {"cursor=a.b", 400, "cursor: not a cursor"},
                                        {"cursor=" + std::string(257, 'c'), 400, "cursor: not a cursor"},
                                        {"q=" + std::string(201, 'a'), 400, "q: must be at most 200 bytes"},
                                        {"q=%ZZ", 400, "q: malformed escape"},
                                        {"sort=title", 400, "unknown query parameter: sort"}}) {
    INFO(b.query);
    r = f.get(base + "/jobs?" + b.query);
    CHECK(r.status == b.status);
    CHECK_THAT(detail(r), Catch::StartsWith(b.detail_start));
  }
  CHECK(f.s.ats.call_count() == before);
}

TEST_CASE("ats routes: a job's detail is the summary's fields plus its own, with an ETag", "[http][ats_http]") {
  fixture f;
  auto r = f.get(job);
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v7\"");
  auto j = json::parse(r.body);
  CHECK(j["id"] == job_id);
  CHECK(j["title"] == "Backend Engineer");
  CHECK(j["posting_state"] == "ready");
  CHECK(j["description_html"] == "<p>Build things</p>");
  CHECK(j["requirements"] == "C++");
  CHECK(j["opened_at"] == "2026-01-01T10:00:00Z");
  CHECK(j["closed_at"].is_null());
  CHECK(j["overridden_fields"] == json::array({"title"}));
  CHECK(j["conflicts"] == json::array({"title"}));
  REQUIRE(j["stages"].size() == 3);
  CHECK(j["stages"][0] == json{{"id", "st-1"}, {"name", "Application Review"}, {"sort_order", 0}});
  CHECK(j["stages"][2]["sort_order"].is_null());
  CHECK(j["shortlist_stage_id"] == "st-2");
  CHECK(j["version"] == 7);
  CHECK(j.size() == 12 + 9);
  CHECK(f.s.ats.last("get_job")->id == job_id);
}

TEST_CASE("ats routes: PATCH a job sets overrides, reverts and the shortlist stage", "[http][ats_http]") {
  fixture f;
  auto r = f.send("PATCH", job,
                  R"({"title":"Senior Backend Engineer","location":"","revert":["department","requirements"],)"
                  R"("shortlist_stage_id":"st-3"})",
                  {{"If-Match", "\"v7\""}});
  REQUIRE(r.status == 200);
  CHECK(r.header("ETag") == "\"v7\"");
  auto call = f.s.ats.last("update_job");
  REQUIRE(call);
  REQUIRE(call->edit);
  CHECK(call->if_match == std::optional<std::int64_t>{7});
  CHECK(call->edit->title == std::optional<std::string>{"Senior Backend Engineer"});
  CHECK(call->edit->location == std::optional<std::string>{""});
  CHECK_FALSE(call->edit->department);
  CHECK(call->edit->revert == std::vector<std::string>{"department", "requirements"});
  CHECK(call->edit->shortlist_stage_id == std::optional<std::string>{"st-3"});

  // null clears the shortlist stage (the service's empty string); absent leaves it.
  REQUIRE(f.send("PATCH", job, R"({"shortlist_stage_id":null})").status == 200);
  call = f.s.ats.last("update_job");
  CHECK(call->edit->shortlist_stage_id == std::optional<std::string>{""});
  CHECK(call->if_match == std::nullopt);
  REQUIRE(f.send("PATCH", job, R"({"description_html":"<p>x</p>"})").status == 200);
  CHECK_FALSE(f.s.ats.last("update_job")->edit->shortlist_stage_id);

  const auto before = f.s.ats.call_count();
  struct bad {
    std::string body;
    unsigned status;
    std::string detail_start;
  };
  for (const auto& b : std::vector<bad>{
         {"{}", 422, "the patch is empty"},
         {R"({"title":5})", 422, "title: must be a string"},
         {R"({"title":""})", 422, "title: must not be empty"},
         {R"({"title":")" + std::string(501, 't') + R"("})", 422, "title: must be at most 500 bytes"},
         {R"({"revert":"title"})", 422, "revert: must be an array"},
         {R"({"revert":["salary"]})", 422, "revert[0]: must be one of"},
         {R"({"revert":["title",3]})", 422, "revert[1]: must be a string"},
         {R"({"revert":["title","title"]})", 422, "revert[1]: listed twice"},
         {R"({"title":"A","revert":["title"]})", 422, "title: cannot be set and reverted"},
         {R"({"shortlist_stage_id":""})", 422, "shortlist_stage_id: must not be empty"},
         {R"({"shortlist_stage_id":12})", 422, "shortlist_stage_id: must be a string"},
         {R"({"posting_state":"open"})", 422, "posting_state: unknown field"},
         {R"({"title":)", 400, "malformed JSON"},
       }) {
    INFO(b.body);
    r = f.send("PATCH", job, b.body);
    CHECK(r.status == b.status);
    CHECK_THAT(detail(r), Catch::StartsWith(b.detail_start));
  }
  CHECK(f.send("PATCH", job, R"({"title":"A"})", {{"If-Match", "7"}}).status == 412);
  CHECK(f.send("PATCH", job, R"({"title":"A"})", {{"Content-Type", "text/plain"}}).status == 415);
  CHECK(f.s.ats.call_count() == before);
  f.s.ats.fail_next("update_job", {errc::invalid_argument, "shortlist_stage_id: not a stage of this job"});
  r = f.send("PATCH", job, R"({"shortlist_stage_id":"st-x"})");
  CHECK(r.status == 422);
  CHECK(detail(r) == "shortlist_stage_id: not a stage of this job");
}

TEST_CASE("ats routes: job transitions take one event of the posting state machine", "[http][ats_http]") {
  fixture f;
  for (const char* ev : {"claim", "mark_ready", "revise", "open", "close", "reopen", "archive"}) {
    INFO(ev);
    auto r = f.send("POST", job + "/transitions", json{{"event", ev}}.dump(), {{"If-Match", "\"v7\""}});
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["id"] == job_id);
    auto call = f.s.ats.last("transition_job");
    CHECK(call->event == ev);
    CHECK(call->if_match == std::optional<std::int64_t>{7});
    CHECK(call->id == job_id);
  }
  const auto before = f.s.ats.call_count();
  auto r = f.send("POST", job + "/transitions", R"({"event":"publish"})");
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("event: must be one of claim, mark_ready"));
  CHECK(f.send("POST", job + "/transitions", "{}").status == 422);
  CHECK(f.send("POST", job + "/transitions", R"({"event":1})").status == 422);
  CHECK(f.send("POST", job + "/transitions", R"({"event":"open","why":"x"})").status == 422);
  CHECK(f.send("POST", job + "/transitions", "").status == 400);
  CHECK(f.send("POST", job + "/transitions", R"({"event":"open"})", {{"If-Match", "\"nope\""}}).status == 412);
  CHECK(f.s.ats.call_count() == before);
  f.s.ats.fail_next("transition_job", {errc::illegal_transition, "open: not allowed from imported"});
  r = f.send("POST", job + "/transitions", R"({"event":"open"})");
  CHECK(r.status == 409);
  CHECK(detail(r) == "open: not allowed from imported");
}

// ---- applications and candidate PII ------------------------------------------------------------

TEST_CASE("ats routes: applications show candidate names and e-mails only to roles with candidate.pii_read",
          "[http][ats_http]") {
  fixture f;
  const auto path = job + "/applications";
  auto as = [&](domain::role role) {
    const auto token = f.s.accounts.add_session(std::string{"u-"} + std::string{domain::to_string(role)}, {{org_a, role}});
    return http_request(f.s.port, "GET", path, {}, session_headers(token));
  };
  for (auto role : domain::all_roles) {
    INFO(domain::to_string(role));
    const bool pii = domain::allowed(role, domain::action::candidate_pii_read);
    auto r = as(role);
    REQUIRE(r.status == 200);
    auto body = json::parse(r.body);
    CHECK(body["next_cursor"].is_null());
    REQUIRE(body["applications"].size() == 1);
    const auto a = body["applications"][0];
    CHECK(a["id"] == "00000000-0000-4000-8000-0000000a0001");
    CHECK(a["status"] == "active");
    CHECK(a["stage"] == json{{"id", "st-2"}, {"name", "Shortlist"}, {"sort_order", 1}});
    const auto c = a["candidate"];
    CHECK(c["id"] == "00000000-0000-4000-8000-0000000ca001");
    CHECK(c["anonymized"] == false);
    CHECK(c["can_email"] == true);
    CHECK(f.s.ats.last("list_applications")->include_pii == pii);
    if (pii) {
      CHECK(c["first_name"] == "Ada");
      CHECK(c["last_name"] == "Lovelace");
      CHECK(c["email"] == "ada@example.com");
    } else {
      // The keys are absent, not null, even though the (fake) service filled them in.
      CHECK_FALSE(c.contains("first_name"));
      CHECK_FALSE(c.contains("last_name"));
      CHECK_FALSE(c.contains("email"));
      CHECK(r.body.find("Lovelace") == std::string::npos);
      CHECK(r.body.find("ada@example.com") == std::string::npos);
    }
  }
  CHECK_FALSE(domain::allowed(domain::role::interviewer, domain::action::candidate_pii_read));
  CHECK_FALSE(domain::allowed(domain::role::viewer, domain::action::candidate_pii_read));
  CHECK(domain::allowed(domain::role::recruiter, domain::action::candidate_pii_read));

  // API keys carry their role; the bootstrap admin is an owner.
  const auto viewer_key = f.s.accounts.add_api_key(org_a, domain::role::viewer);
  auto r = http_request(f.s.port, "GET", path, {}, key_headers(viewer_key));
  REQUIRE(r.status == 200);
  CHECK_FALSE(json::parse(r.body)["applications"][0]["candidate"].contains("email"));
  CHECK_FALSE(f.s.ats.last("list_applications")->include_pii);
  const auto recruiter_key = f.s.accounts.add_api_key(org_a, domain::role::recruiter);
  r = http_request(f.s.port, "GET", path, {}, key_headers(recruiter_key));
  CHECK(json::parse(r.body)["applications"][0]["candidate"]["email"] == "ada@example.com");
  r = http_request(f.s.port, "GET", path, {}, admin_auth());
  CHECK(json::parse(r.body)["applications"][0]["candidate"]["email"] == "ada@example.com");
  CHECK(f.s.ats.last("list_applications")->include_pii);

  // Anonymized candidates: keys present for PII roles, values null.
  f.s.ats.modify([](auto& k) {
    auto& c = k.applications.applications[0].candidate;
    c.anonymized = true;
    c.first_name.reset();
    c.last_name.reset();
    c.email.reset();
  });
  r = http_request(f.s.port, "GET", path, {}, admin_auth());
  const auto c = json::parse(r.body)["applications"][0]["candidate"];
  CHECK(c["anonymized"] == true);
  CHECK(c.contains("email"));
  CHECK(c["email"].is_null());
}

TEST_CASE("ats routes: the application filter and its validation", "[http][ats_http]") {
  fixture f;
  f.s.ats.modify([](auto& k) { k.applications.next_cursor = "a2"; });
  auto r = f.get(job + "/applications?stage=st-2&status=rejected&limit=500&cursor=a1");
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["next_cursor"] == "a2");
  auto q = f.s.ats.last("list_applications")->application_query;
  REQUIRE(q);
  CHECK(q->stage_id == std::optional<std::string>{"st-2"});
  CHECK(q->status == std::optional<std::string>{"rejected"});
  CHECK(q->limit == 500);
  CHECK(q->cursor == std::optional<std::string>{"a1"});
  REQUIRE(f.get(job + "/applications").status == 200);
  CHECK(f.s.ats.last("list_applications")->application_query->limit == 100);

  const auto before = f.s.ats.call_count();
  CHECK(f.get(job + "/applications?limit=501").status == 422);
  CHECK(f.get(job + "/applications?limit=-1").status == 422);
  CHECK(f.get(job + "/applications?status=withdrawn").status == 400);
  CHECK(f.get(job + "/applications?cursor=%01").status == 400);
  CHECK(f.get(job + "/applications?email=a").status == 400);
  CHECK(f.s.ats.call_count() == before);
}

TEST_CASE("ats routes: stage events of a job", "[http][ats_http]") {
  fixture f;
  auto r = f.get(job + "/stage-events");
  REQUIRE(r.status == 200);
  auto ev = json::parse(r.body)["stage_events"];
  REQUIRE(ev.size() == 1);
  CHECK(ev[0] == json{{"id", 5},
                      {"job_id", job_id},
                      {"application_id", "00000000-0000-4000-8000-0000000a0001"},
                      {"stage_id", "st-2"},
                      {"stage_name", "Shortlist"},
                      {"status", "pending"},
                      {"at", "2026-01-02T03:04:05Z"}});
  CHECK(f.s.ats.last()->name == "list_stage_events");
  CHECK(f.s.ats.last()->id == job_id);
  f.s.ats.fail_next("list_stage_events", {errc::not_found, "no such job"});
  CHECK(f.get(job + "/stage-events").status == 404);
}

TEST_CASE("ats routes: without an ATS service the routes answer 503", "[http][ats_http]") {
  fake_gateway gateway;
  fake_account_service accounts;
  auto o = test_options();
  o.accounts = &accounts;
  http_api::server srv{o, gateway};
  const auto port = srv.start();
  const auto owner = accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  auto r = http_request(port, "GET", conns, {}, session_headers(owner));
  CHECK(r.status == 503);
  CHECK(detail(r) == "ATS integration is not available on this server");
  CHECK(http_request(port, "GET", base + "/jobs", {}, session_headers(owner)).status == 503);
  CHECK(http_request(port, "POST", "/webhooks/greenhouse/" + conn_id, "{}", {{"Content-Type", "application/json"}})
          .status == 503);
  srv.stop();
}
