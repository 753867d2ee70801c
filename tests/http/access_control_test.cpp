// The route declarations, enforced by the middleware (http/auth.cpp), against the real server.
// Routes are enumerated from the server's own table (build_routes), so a new route is covered the
// moment it is registered: an org-scoped route is checked for every role, every non-public route
// for 401 without a credential.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "http/routes/routes.hpp"
#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;
namespace bhttp = boost::beast::http;
using hw::http_api::route_access;

namespace {

const std::string org_a = "00000000-0000-4000-8000-0000000000a1";
const std::string org_b = "00000000-0000-4000-8000-0000000000b2";
const std::string some_id = "00000000-0000-4000-8000-0000000000c3";

http_api::server_options table_options() {
  auto o = test_options();
  o.dev_mailbox = true;  // every route registered
  return o;
}

std::vector<http_api::router::route_info> all_routes() {
  return http_api::build_routes(table_options()).routes();
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

/// A concrete path for a template: {id} is `org`, other parameters a plausible UUID, "*" a file.
std::string path_for(const std::string& tmpl, const std::string& org) {
  auto p = replace_all(tmpl, "{id}", org);
  for (const char* param : {"{user_id}", "{inv}", "{key}", "{conn}", "{job}", "{connection}", "{item}"}) {
    p = replace_all(p, param, some_id);
  }
  return replace_all(p, "*", "index.html");
}

/// A body the route accepts, so that an allowed call reaches the service.
std::string body_for(bhttp::verb v, const std::string& tmpl) {
  static const std::map<std::string, std::string> bodies = {
    {"PATCH /api/v1/orgs/{id}", R"({"name":"Renamed"})"},
    {"PATCH /api/v1/orgs/{id}/members/{user_id}", R"({"role":"viewer"})"},
    {"POST /api/v1/orgs/{id}/team-invitations", R"({"email":"new@example.com","role":"viewer"})"},
    {"POST /api/v1/orgs/{id}/api-keys", R"({"name":"ci","role":"viewer"})"},
    {"PUT /api/v1/orgs/{id}/sso",
     R"({"enabled":true,"issuer":"https://idp.example","client_id":"c","allowed_domains":["example.com"],)"
     R"("default_role":"viewer","sso_required":false})"},
    {"POST /api/v1/orgs", R"({"name":"Acme","slug":"acme"})"},
    {"PUT /api/v1/session/org", R"({"org_id":")" + org_a + R"("})"},
    {"POST /api/v1/orgs/{id}/ats/connections",
     R"({"vendor":"greenhouse","name":"GH","credentials":{"client_id":"a","client_secret":"b"}})"},
    {"PATCH /api/v1/orgs/{id}/ats/connections/{conn}", R"({"name":"GH 2"})"},
    {"PATCH /api/v1/orgs/{id}/jobs/{job}", R"({"title":"Renamed"})"},
    {"POST /api/v1/orgs/{id}/jobs/{job}/transitions", R"({"event":"open"})"},
    {"POST /api/v1/password", R"({"current_password":"a","new_password":"b"})"},
    // Issue 5: the fake content service does not validate item or template bodies.
    {"POST /api/v1/orgs/{id}/content/items", R"({"title":"x"})"},
    {"PATCH /api/v1/orgs/{id}/content/items/{item}", R"({"title":"x"})"},
    {"POST /api/v1/orgs/{id}/content/items/{item}/transitions", R"({"event":"submit"})"},
    {"POST /api/v1/orgs/{id}/content/items/{item}/comments", R"({"text":"x"})"},
    {"POST /api/v1/orgs/{id}/content/items/{item}/variants",
     R"({"from_version":1,"job_id":")" + some_id + R"(","body":{"title":"x"}})"},
    {"POST /api/v1/orgs/{id}/content/library/import", R"({"format":"hirewire.library.v1","items":[]})"},
    {"POST /api/v1/orgs/{id}/content/skills", R"({"slug":"x","label":"X","category":"data"})"},
    {"PATCH /api/v1/orgs/{id}/content/llm-settings", R"({"enabled":false})"},
    {"PUT /api/v1/orgs/{id}/jobs/{job}/template", R"({"instructions":"","sections":[]})"},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/transitions", R"({"event":"submit"})"},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/proposal", R"({"target_minutes":30})"},
    {"POST /api/v1/orgs/{id}/jobs/{job}/template/proposal/apply", R"({"sections":[]})"},
  };
  auto it = bodies.find(std::string{bhttp::to_string(v)} + " " + tmpl);
  return it == bodies.end() ? std::string{} : it->second;
}

std::string method_of(bhttp::verb v) { return std::string{bhttp::to_string(v)}; }

bool writes(bhttp::verb v) { return v != bhttp::verb::get && v != bhttp::verb::head; }

http_reply call(test_server& s, const http_api::router::route_info& r, const std::string& org, header_list h) {
  return http_request(s.port, method_of(r.verb), path_for(r.tmpl, org), body_for(r.verb, r.tmpl), h);
}

std::size_t count_audits(const fake_gateway& g, const std::string& action) {
  std::size_t n = 0;
  for (const auto& a : g.audits()) n += a.action == action;
  return n;
}

}  // namespace

TEST_CASE("access: every route has a declaration and the table covers issue 3", "[http][access]") {
  const auto routes = all_routes();
  std::map<std::string, std::string> by_route;
  for (const auto& r : routes) by_route[method_of(r.verb) + " " + r.tmpl] = http_api::to_string(r.access);
  // Spot checks of the contract in http/API.md.
  CHECK(by_route.at("POST /api/v1/orgs") == "operator");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/suspend") == "operator");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/reactivate") == "operator");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/close") == "org:org.close");
  CHECK(by_route.at("GET /api/v1/orgs/{id}") == "org:org.read");
  CHECK(by_route.at("PATCH /api/v1/orgs/{id}") == "org:org.update_settings");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/dev-mailbox") == "org:dev_mailbox.read");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/audit") == "org:audit.read");
  CHECK(by_route.at("POST /api/v1/session") == "public");
  CHECK(by_route.at("GET /api/v1/session") == "session");
  CHECK(by_route.at("POST /api/v1/signup") == "public");
  CHECK(by_route.at("GET /api/v1/sso/callback") == "public");
  CHECK(by_route.at("DELETE /api/v1/orgs/{id}/api-keys/{key}") == "org:api_key.revoke");
  CHECK(by_route.count("GET /api/v1/dev/mailbox") == 0);  // moved under the organization
  // Issue 4: ATS integration.
  CHECK(by_route.at("GET /api/v1/orgs/{id}/ats/connections") == "org:ats.read");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/ats/connections") == "org:ats.connect");
  CHECK(by_route.at("PATCH /api/v1/orgs/{id}/ats/connections/{conn}") == "org:ats.connect");
  CHECK(by_route.at("DELETE /api/v1/orgs/{id}/ats/connections/{conn}") == "org:ats.disconnect");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/ats/connections/{conn}/disconnect") == "org:ats.disconnect");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/ats/connections/{conn}/test") == "org:ats.connect");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/ats/connections/{conn}/sync") == "org:ats.sync");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/ats/connections/{conn}/log") == "org:ats.read");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/jobs") == "org:job.read");
  CHECK(by_route.at("PATCH /api/v1/orgs/{id}/jobs/{job}") == "org:job.update");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/jobs/{job}/transitions") == "org:job.update");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/jobs/{job}/applications") == "org:job.read");
  CHECK(by_route.at("POST /webhooks/greenhouse/{connection}") == "public");
  // Issue 5: interview content.
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/items") == "org:content.read");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/items") == "org:content.create");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/items/{item}") == "org:content.read");
  CHECK(by_route.at("PATCH /api/v1/orgs/{id}/content/items/{item}") == "org:content.create");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/items/{item}/transitions") == "org:content.create");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/items/{item}/comments") == "org:content.read");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/items/{item}/comments") == "org:content.create");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/items/{item}/variants") == "org:content.create");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/library/starter") == "org:content.create");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/library/export") == "org:content.read");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/library/import") == "org:content.create");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/skills") == "org:content.read");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/content/skills") == "org:skill.manage");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/content/llm-settings") == "org:org.update_settings");
  CHECK(by_route.at("PATCH /api/v1/orgs/{id}/content/llm-settings") == "org:org.update_settings");
  CHECK(by_route.at("GET /api/v1/orgs/{id}/jobs/{job}/template") == "org:template.read");
  CHECK(by_route.at("PUT /api/v1/orgs/{id}/jobs/{job}/template") == "org:template.update");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/jobs/{job}/template/transitions") == "org:template.update");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/jobs/{job}/template/proposal") == "org:template.update");
  CHECK(by_route.at("POST /api/v1/orgs/{id}/jobs/{job}/template/proposal/apply") == "org:template.update");
  CHECK(by_route.at("POST /webhooks/lever/{connection}") == "public");
  // Nothing under /api/v1/orgs/{id} is public or session-only.
  for (const auto& r : routes) {
    if (r.tmpl.rfind("/api/v1/orgs/{id}", 0) == 0) {
      INFO(r.tmpl);
      CHECK((r.access.k == route_access::kind::org || r.access.k == route_access::kind::operator_only));
    }
  }
}

TEST_CASE("access: every org-scoped route, every role: 403 exactly when the matrix denies", "[http][access]") {
  std::size_t org_routes = 0;
  for (const auto& r : all_routes()) {
    if (r.access.k != route_access::kind::org) continue;
    ++org_routes;
    test_server s{table_options()};
    s.gateway.add_org_id(org_a);
    // The content routes' {item} and {job} exist in org A (else the service's 404).
    s.content.seed_item(org_a, "", "in_review", json::object(), some_id);
    s.content.seed_template(org_a, some_id);
    std::size_t denied = 0;
    for (auto role : domain::all_roles) {
      const bool allowed = domain::allowed(role, r.access.act);
      const auto user = "u-" + std::string{domain::to_string(role)};
      const auto token = s.accounts.add_session(user, {{org_a, role}});
      const auto key = s.accounts.add_api_key(org_a, role);
      for (const bool by_key : {false, true}) {
        INFO(method_of(r.verb) << " " << r.tmpl << " as " << domain::to_string(role) << (by_key ? " (API key)" : " (session)"));
        const auto before =
          s.accounts.action_calls() + s.gateway.calls().size() + s.ats.call_count() + s.content.call_count();
        auto res = call(s, r, org_a, by_key ? key_headers(key) : session_headers(token, writes(r.verb)));
        if (allowed) {
          CHECK(res.status != 401);
          CHECK(res.status != 403);
          CHECK(res.status != 404);
          CHECK(res.status < 500);
        } else {
          ++denied;
          CHECK(res.status == 403);
          CHECK(res.header("Content-Type") == "application/problem+json");
          CHECK_THAT(json::parse(res.body)["detail"].get<std::string>(),
                     Catch::Contains(std::string{domain::to_string(r.access.act)}));
          // Refused before any work.
          CHECK(s.accounts.action_calls() + s.gateway.calls().size() + s.ats.call_count() + s.content.call_count() ==
                before);
        }
      }
    }
    INFO(r.tmpl);
    CHECK(count_audits(s.gateway, "authz.deny") == denied);
  }
  CHECK(org_routes >= 53);  // 17 of issue 3, 16 of issue 4, 20 of issue 5
}

TEST_CASE("access: the authz.deny audit row names the actor, the action and the request", "[http][access]") {
  test_server s;
  const auto token = s.accounts.add_session("viewer-1", {{org_a, domain::role::viewer}});
  auto h = session_headers(token);
  h.emplace_back("User-Agent", "probe/2");
  h.emplace_back("X-Request-Id", "rid-deny");
  auto r = http_request(s.port, "GET", "/api/v1/orgs/" + org_a + "/api-keys", {}, h);
  REQUIRE(r.status == 403);
  auto audits = s.gateway.audits();
  REQUIRE(audits.size() == 1);
  const auto& a = audits[0];
  CHECK(a.action == "authz.deny");
  CHECK(a.outcome == "denied");
  CHECK(a.org.value == org_a);
  CHECK(a.target == org_a);
  CHECK(a.who.kind == "user");
  CHECK(a.who.id == "viewer-1");
  CHECK(a.who.user_agent == std::optional<std::string>{"probe/2"});
  CHECK(a.who.request_id == std::optional<std::string>{"rid-deny"});
  auto d = json::parse(a.detail_json);
  CHECK(d["action"] == "api_key.list");
  CHECK(d["role"] == "viewer");
  CHECK(d["route"] == "/api/v1/orgs/{id}/api-keys");
  CHECK(a.detail_json.find(token) == std::string::npos);
}

TEST_CASE("access: another organization's id or a malformed id is 404 on every org-scoped route", "[http][access]") {
  test_server s{table_options()};
  s.gateway.add_org_id(org_a);
  s.gateway.add_org_id(org_b);
  const auto token = s.accounts.add_session("owner-b", {{org_b, domain::role::owner}});
  const auto key = s.accounts.add_api_key(org_b, domain::role::owner);
  for (const auto& r : all_routes()) {
    if (r.access.k != route_access::kind::org) continue;
    for (const auto& org : {org_a, std::string{"not-a-uuid"}, std::string{"00000000-0000-4000-8000-00000000000Z"}}) {
      INFO(method_of(r.verb) << " " << r.tmpl << " with " << org);
      auto res = call(s, r, org, session_headers(token, writes(r.verb)));
      CHECK(res.status == 404);
      CHECK_THAT(res.body, Catch::Contains("no such organization"));
      CHECK(call(s, r, org, key_headers(key)).status == 404);
    }
  }
  CHECK(s.accounts.action_calls() == 0);
  CHECK(s.gateway.calls().empty());
  CHECK(s.ats.call_count() == 0);
  CHECK(s.content.call_count() == 0);
  CHECK(count_audits(s.gateway, "authz.deny") == 0);  // not a member: nothing to deny, nothing confirmed
}

TEST_CASE("access: every non-public route is 401 without a credential or with a bad one", "[http][access]") {
  test_server s{table_options()};
  s.gateway.add_org_id(org_a);
  std::size_t checked = 0;
  for (const auto& r : all_routes()) {
    if (r.access.k == route_access::kind::public_route) continue;
    ++checked;
    INFO(method_of(r.verb) << " " << r.tmpl);
    auto res = call(s, r, org_a, {{"Content-Type", "application/json"}});
    CHECK(res.status == 401);
    CHECK(res.header("Content-Type") == "application/problem+json");
    CHECK_FALSE(res.header("WWW-Authenticate").empty());
    // A stale or forged session cookie (with a matching double-submit pair, so that the CSRF
    // check lets it through to authentication): 401, and the browser is told to forget it.
    res = call(s, r, org_a,
               {{"Cookie", "__Host-hw_session=forged; __Host-hw_csrf=x"}, {"X-CSRF-Token", "x"},
                {"Content-Type", "application/json"}});
    CHECK(res.status == 401);
    CHECK_THAT(res.header("Set-Cookie"), Catch::StartsWith("__Host-hw_session=; Path=/; Max-Age=0"));
    // An unknown API key.
    res = call(s, r, org_a, key_headers("hwk_" + std::string(43, 'z')));
    CHECK(res.status == 401);
    res = call(s, r, org_a, {{"Authorization", "Basic dXNlcjpwYXNz"}});
    CHECK(res.status == 401);
  }
  CHECK(checked >= 25);
  CHECK(s.accounts.action_calls() == 0);
  CHECK(s.gateway.calls().empty());
  CHECK(s.ats.call_count() == 0);
  CHECK(s.content.call_count() == 0);
}

TEST_CASE("access: operator routes need the bootstrap token; session routes need a user", "[http][access]") {
  test_server s;
  s.gateway.add_org_id(org_a);
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const auto key = s.accounts.add_api_key(org_a, domain::role::owner);
  for (const auto* path : {"/api/v1/orgs/ORG/suspend", "/api/v1/orgs/ORG/reactivate"}) {
    const auto p = replace_all(path, "ORG", org_a);
    CHECK(http_request(s.port, "POST", p, {}, session_headers(owner, true)).status == 403);
    CHECK(http_request(s.port, "POST", p, {}, key_headers(key)).status == 403);
  }
  CHECK(http_request(s.port, "POST", "/api/v1/orgs", R"({"name":"X","slug":"x"})", session_headers(owner, true)).status ==
        403);
  CHECK(s.gateway.calls().empty());
  CHECK(http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/suspend", {}, admin_auth()).status == 200);

  // A bearer credential is no user: session routes refuse it.
  CHECK(http_request(s.port, "GET", "/api/v1/session", {}, key_headers(key)).status == 403);
  CHECK(http_request(s.port, "GET", "/api/v1/session", {}, admin_auth()).status == 403);
  CHECK(http_request(s.port, "GET", "/api/v1/session", {}, session_headers(owner)).status == 200);
  // The bootstrap admin acts as owner in any organization.
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a + "/members", {}, admin_auth()).status == 200);
  CHECK(s.accounts.last_principal() == std::nullopt);  // list_members takes no principal
}

TEST_CASE("access: the middleware works when the service answers synchronously (cache hit)", "[http][access]") {
  test_server s;
  s.accounts.set_async(false);
  s.gateway.add_org_id(org_a);
  const auto admin = s.accounts.add_session("admin-a", {{org_a, domain::role::admin}});
  const auto viewer = s.accounts.add_session("viewer-a", {{org_a, domain::role::viewer}});
  http_client c{s.port};  // one keep-alive connection for all of them
  CHECK(c.request("GET", "/api/v1/orgs/" + org_a + "/api-keys", {}, session_headers(admin)).status == 200);
  CHECK(c.request("GET", "/api/v1/orgs/" + org_a + "/api-keys", {}, session_headers(viewer)).status == 403);
  CHECK(c.request("POST", "/api/v1/orgs/" + org_a + "/api-keys", R"({"name":"k","role":"viewer"})",
                  session_headers(admin, true))
          .status == 201);
  CHECK(c.request("GET", "/api/v1/orgs/" + org_a, {}, session_headers(viewer)).status == 200);
  CHECK(c.request("GET", "/api/v1/session", {}, {{"Cookie", "__Host-hw_session=nope"}}).status == 401);
}

TEST_CASE("access: a principal is handed to the service with the request context", "[http][access]") {
  test_server s;
  const auto admin = s.accounts.add_session("admin-a", {{org_a, domain::role::admin}});
  auto h = session_headers(admin, true);
  h.emplace_back("X-Request-Id", "rid-ctx");
  auto r = http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/team-invitations",
                        R"({"email":"new@example.com","role":"recruiter"})", h);
  REQUIRE(r.status == 201);
  auto who = s.accounts.last_who();
  CHECK(who.kind == "user");
  CHECK(who.id == "admin-a");
  CHECK(who.ip == std::optional<std::string>{"127.0.0.1"});
  CHECK(who.request_id == std::optional<std::string>{"rid-ctx"});
  REQUIRE(s.accounts.last_principal());
  CHECK(s.accounts.last_principal()->user_id == "admin-a");
}

TEST_CASE("access: org routes accept a session, an API key and the bootstrap token", "[http][access]") {
  test_server s;
  s.gateway.add_org_id(org_a);
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const auto key = s.accounts.add_api_key(org_a, domain::role::admin);
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a, {}, session_headers(owner)).status == 200);
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a, {}, key_headers(key)).status == 200);
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a, {}, admin_auth()).status == 200);
  auto r = http_request(s.port, "PATCH", "/api/v1/orgs/" + org_a, R"({"name":"Renamed"})", key_headers(key));
  CHECK(r.status == 200);
  CHECK(s.gateway.last_who().kind == "api_key");
  r = http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/close", {}, key_headers(key));
  CHECK(r.status == 403);  // org.close is the owner's alone
  r = http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/close", {}, session_headers(owner, true));
  CHECK(r.status == 200);
  CHECK(s.gateway.last_who().kind == "user");
  CHECK(s.gateway.last_who().id == "owner-a");
}

TEST_CASE("access: without an account service, account routes answer 503 and bearer tokens still work",
          "[http][access]") {
  test_server s{test_options(), false};
  s.gateway.add_org_id(org_a);
  CHECK(http_request(s.port, "POST", "/api/v1/session", R"({"email":"a@example.com","password":"x"})",
                     {{"Content-Type", "application/json"}})
          .status == 503);
  CHECK(http_request(s.port, "GET", "/api/v1/session", {}, {{"Cookie", "__Host-hw_session=abc"}}).status == 503);
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a + "/members", {}, admin_auth()).status == 503);
  CHECK(http_request(s.port, "GET", "/api/v1/orgs/" + org_a, {}, admin_auth()).status == 200);
}

TEST_CASE("dev mailbox: under the organization, for roles with dev_mailbox.read only", "[http][access]") {
  test_server s{table_options()};
  dev_mail_view m;
  m.id = 7;
  m.kind = "team_invitation";
  m.to = "new@example.com";
  m.subject = "You are invited";
  m.text_body = "hello";
  m.message_id = "<m7@hirewire>";
  m.status = "sent";
  m.created_at = "2024-01-01T00:00:00Z";
  s.gateway.set_dev_mailbox({m});
  const auto admin = s.accounts.add_session("admin-a", {{org_a, domain::role::admin}});
  const auto recruiter = s.accounts.add_session("rec-a", {{org_a, domain::role::recruiter}});
  const std::string path = "/api/v1/orgs/" + org_a + "/dev-mailbox";
  auto r = http_request(s.port, "GET", path + "?limit=1", {}, session_headers(admin));
  REQUIRE(r.status == 200);
  auto body = json::parse(r.body);
  CHECK(body["messages"][0]["subject"] == "You are invited");
  CHECK(body["next_before"] == 7);
  CHECK(http_request(s.port, "GET", path, {}, session_headers(recruiter)).status == 403);
  CHECK(http_request(s.port, "GET", path + "?limit=0", {}, session_headers(admin)).status == 400);
  CHECK(http_request(s.port, "GET", "/api/v1/dev/mailbox?org_id=" + org_a, {}, admin_auth()).status == 404);

  test_server without;  // smtp configured: the route does not exist
  CHECK(http_request(without.port, "GET", path, {}, admin_auth()).status == 404);
  CHECK(without.gateway.calls().empty());
}
