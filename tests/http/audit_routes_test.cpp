// GET /api/v1/orgs/{id}/audit against the real server and the fake gateway; the audited 401.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;

namespace {

const std::string org = "00000000-0000-4000-8000-0000000000aa";
const std::string base = "/api/v1/orgs/" + org + "/audit";

std::string detail(const http_reply& r) { return json::parse(r.body)["detail"].get<std::string>(); }

}  // namespace

TEST_CASE("audit routes: query parsing errors name the parameter", "[http][audit]") {
  test_server s;
  s.gateway.add_org_id(org);
  struct bad_case {
    std::string query;
    unsigned status;
    std::string names;
  };
  for (const auto& c : std::vector<bad_case>{
         {"?foo=1&bar=2", 400, "foo, bar"},
         {"?limit=abc", 400, "limit"},
         {"?limit=0", 422, "limit"},
         {"?limit=201", 422, "limit"},
         {"?limit=99999999999999", 422, "limit"},
         {"?since=yesterday", 400, "since"},
         {"?until=2024-02-30T00:00:00Z", 400, "until"},
         {"?cursor=%%%", 400, "cursor"},
         {"?cursor=!!", 400, "cursor"},
         {"?outcome=maybe", 422, "outcome"},
         {"?actor_kind=robot", 422, "actor_kind"},
         {"?action=a&action=b", 400, "action"},
         {"?actor_id=%01", 400, "actor_id"},
       }) {
    INFO(c.query);
    auto r = s.get(base + c.query, admin_auth());
    CHECK(r.status == c.status);
    CHECK(r.header("Content-Type") == "application/problem+json");
    CHECK_THAT(detail(r), Catch::Contains(c.names));
  }
  CHECK(s.gateway.call_count("list_audit") == 0);
}

TEST_CASE("audit routes: filters reach the gateway decoded", "[http][audit]") {
  test_server s;
  s.gateway.add_org_id(org);
  const auto cursor = encode_audit_cursor(77);
  auto r = s.get(base + "?action=organization.&actor_kind=bootstrap_admin&actor_id=config&outcome=failure"
                        "&since=2024-05-01T12:00:00%2B02:00&until=2024-05-02T00:00:00Z&limit=10&cursor=" + cursor,
                 admin_auth());
  REQUIRE(r.status == 200);
  auto q = s.gateway.last_audit_query();
  REQUIRE(q);
  CHECK(q->action_prefix == std::optional<std::string>{"organization."});
  CHECK(q->actor_kind == std::optional<std::string>{"bootstrap_admin"});
  CHECK(q->actor_id == std::optional<std::string>{"config"});
  CHECK(q->outcome == std::optional<std::string>{"failure"});
  CHECK(q->since == std::optional<std::string>{"2024-05-01T12:00:00+02:00"});
  CHECK(q->until == std::optional<std::string>{"2024-05-02T00:00:00Z"});
  CHECK(q->limit == 10);
  CHECK(q->cursor == std::optional<std::string>{cursor});

  r = s.get(base, admin_auth());
  REQUIRE(r.status == 200);
  CHECK(s.gateway.last_audit_query()->limit == 50);
}

TEST_CASE("audit routes: the response shape", "[http][audit]") {
  test_server s;
  s.gateway.add_org_id(org);
  audit_page p;
  audit_record a;
  a.id = 12;
  a.at = "2024-05-01T12:00:00.000000Z";
  a.actor_kind = "bootstrap_admin";
  a.actor_id = "config";
  a.action = "organization.updated";
  a.target = org;
  a.outcome = "success";
  a.ip = "127.0.0.1";
  a.request_id = "req-1";
  a.detail_json = R"({"changed":["name"]})";
  p.entries.push_back(a);
  p.next_cursor = encode_audit_cursor(12);
  s.gateway.set_audit_page(p);
  auto r = s.get(base + "?limit=1", admin_auth());
  REQUIRE(r.status == 200);
  CHECK(r.header("Cache-Control") == "no-store");
  auto body = json::parse(r.body);
  REQUIRE(body["items"].size() == 1);
  const auto& item = body["items"][0];
  CHECK(item["id"] == 12);
  CHECK(item["at"] == "2024-05-01T12:00:00.000000Z");
  CHECK(item["actor"] == json{{"kind", "bootstrap_admin"}, {"id", "config"}});
  CHECK(item["action"] == "organization.updated");
  CHECK(item["target"] == org);
  CHECK(item["outcome"] == "success");
  CHECK(item["ip"] == "127.0.0.1");
  CHECK(item["user_agent"].is_null());
  CHECK(item["request_id"] == "req-1");
  CHECK(item["detail"] == json{{"changed", {"name"}}});
  CHECK(body["next_cursor"] == encode_audit_cursor(12));

  s.gateway.set_audit_page(audit_page{});
  body = json::parse(s.get(base, admin_auth()).body);
  CHECK(body["items"].empty());
  CHECK(body["next_cursor"].is_null());
}

TEST_CASE("audit routes: 404 for a non-UUID id or an unknown organization", "[http][audit]") {
  test_server s;
  auto r = s.get("/api/v1/orgs/not-a-uuid/audit", admin_auth());
  CHECK(r.status == 404);
  CHECK(s.gateway.call_count("list_audit") == 0);
  r = s.get(base, admin_auth());
  CHECK(r.status == 404);
  CHECK(s.gateway.call_count("list_audit") == 1);
}

TEST_CASE("audit routes: a rejected admin token is 401 and is audited without the token", "[http][audit]") {
  test_server s;
  auto r = s.get(base, {{"Authorization", "Bearer wrong-secret-token"}, {"User-Agent", "probe/1.0"},
                        {"X-Request-Id", "rid-401"}});
  CHECK(r.status == 401);
  CHECK(s.gateway.call_count("list_audit") == 0);
  r = http_request(s.port, "POST", "/api/v1/orgs/" + org + "/suspend");  // no token at all
  CHECK(r.status == 401);
  r = http_request(s.port, "POST", "/api/v1/orgs", "{}", {{"Authorization", "Bearer nope"}});  // no org id: log only
  CHECK(r.status == 401);
  r = s.get("/api/v1/orgs/not-a-uuid", {{"Authorization", "Bearer nope"}});
  CHECK(r.status == 401);

  auto audits = s.gateway.audits();
  REQUIRE(audits.size() == 2);
  const auto& a = audits[0];
  CHECK(a.org.value == org);
  CHECK(a.action == "auth.admin_token_rejected");
  CHECK(a.outcome == "failure");
  CHECK(a.target == org);
  CHECK(a.who.kind == "bootstrap_admin");
  CHECK(a.who.ip == std::optional<std::string>{"127.0.0.1"});
  CHECK(a.who.user_agent == std::optional<std::string>{"probe/1.0"});
  CHECK(a.who.request_id == std::optional<std::string>{"rid-401"});
  CHECK(a.detail_json.find("wrong-secret-token") == std::string::npos);
  auto d = json::parse(a.detail_json);
  CHECK(d["reason"] == "invalid bearer token");
  CHECK(d["route"] == "/api/v1/orgs/{id}/audit");
  CHECK(json::parse(audits[1].detail_json)["reason"] == "missing bearer token");
}

TEST_CASE("audit routes: privileged changes carry the request context to the gateway", "[http][audit]") {
  test_server s;
  s.gateway.add_org_id(org);
  auto r = http_request(s.port, "POST", "/api/v1/orgs/" + org + "/suspend", {},
                        {{"Authorization", std::string{"Bearer "} + admin_token}, {"User-Agent", std::string(700, 'u')},
                         {"X-Request-Id", "rid-ctx"}});
  CHECK(r.status == 200);
  auto who = s.gateway.last_who();
  CHECK(who.kind == "bootstrap_admin");
  CHECK(who.id == "config");
  CHECK(who.ip == std::optional<std::string>{"127.0.0.1"});
  REQUIRE(who.user_agent);
  CHECK(who.user_agent->size() == 512);
  CHECK(who.request_id == std::optional<std::string>{"rid-ctx"});
}
