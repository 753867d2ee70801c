// People-and-access routes against the real server and fake_account_service: CSRF, bad input,
// cookies, security headers and the happy paths.
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
const std::string some_id = "00000000-0000-4000-8000-0000000000c3";

std::string detail(const http_reply& r) { return json::parse(r.body)["detail"].get<std::string>(); }

header_list public_json() { return {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "same-origin"}}; }

std::vector<std::string> set_cookies(const http_reply& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie") out.push_back(v);
  }
  return out;
}

std::string cookie_value_of(const std::vector<std::string>& cookies, const std::string& name) {
  for (const auto& c : cookies) {
    if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
  }
  return {};
}

}  // namespace

// ---- CSRF -------------------------------------------------------------------------------------

TEST_CASE("csrf: cookie-authenticated writes need the session's token, checked before the service",
          "[http][csrf]") {
  test_server s;
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const auto other = s.accounts.add_session("owner-b", {{org_a, domain::role::owner}});
  const std::string path = "/api/v1/orgs/" + org_a + "/api-keys";
  const std::string body = R"({"name":"ci","role":"viewer"})";
  const std::string cookie = "__Host-hw_session=" + owner;

  auto refused = [&](const header_list& h, const std::string& why) {
    INFO(why);
    auto r = http_request(s.port, "POST", path, body, h);
    CHECK(r.status == 403);
    CHECK(json::parse(r.body)["type"] == "urn:hirewire:problem:csrf");
  };
  refused({{"Cookie", cookie}, {"Content-Type", "application/json"}}, "no token at all");
  refused({{"Cookie", cookie + "; __Host-hw_csrf=" + csrf_for(owner)}, {"Content-Type", "application/json"}},
          "cookie without header");
  refused({{"Cookie", cookie + "; __Host-hw_csrf=" + csrf_for(owner)}, {"X-CSRF-Token", "something-else"},
           {"Content-Type", "application/json"}},
          "header differs from the cookie");
  refused({{"Cookie", cookie + "; __Host-hw_csrf=forged"}, {"X-CSRF-Token", "forged"},
           {"Content-Type", "application/json"}},
          "matching but forged token");
  refused({{"Cookie", cookie + "; __Host-hw_csrf=" + csrf_for(other)}, {"X-CSRF-Token", csrf_for(other)},
           {"Content-Type", "application/json"}},
          "another session's token");
  auto cross = session_headers(owner, true);
  cross[2] = {"Sec-Fetch-Site", "cross-site"};
  refused(cross, "Sec-Fetch-Site: cross-site");
  cross[2] = {"Sec-Fetch-Site", "same-site"};
  refused(cross, "Sec-Fetch-Site: same-site");
  auto foreign = session_headers(owner, true);
  foreign.erase(foreign.begin() + 2);
  foreign.emplace_back("Origin", "http://evil.example");
  refused(foreign, "foreign Origin");
  CHECK(s.accounts.action_calls() == 0);
  // Only the forged and the other-session token got as far as authentication.
  CHECK(s.accounts.call_count("authenticate_session") == 2);

  // The real thing passes, with Sec-Fetch-Site, with the right Origin, or with neither.
  CHECK(http_request(s.port, "POST", path, body, session_headers(owner, true)).status == 201);
  auto same_origin = session_headers(owner, true);
  same_origin.erase(same_origin.begin() + 2);
  same_origin.emplace_back("Origin", test_origin);
  CHECK(http_request(s.port, "POST", path, body, same_origin).status == 201);
  auto none = session_headers(owner, true);
  none[2] = {"Sec-Fetch-Site", "none"};
  CHECK(http_request(s.port, "POST", path, body, none).status == 201);
  // Reads need no token.
  CHECK(http_request(s.port, "GET", path, {}, {{"Cookie", cookie}}).status == 200);
}

TEST_CASE("csrf: bearer API keys need no token, but cross-site browsers are still refused", "[http][csrf]") {
  test_server s;
  const auto key = s.accounts.add_api_key(org_a, domain::role::admin);
  const std::string path = "/api/v1/orgs/" + org_a + "/api-keys";
  CHECK(http_request(s.port, "POST", path, R"({"name":"ci","role":"viewer"})", key_headers(key)).status == 201);
  auto h = key_headers(key);
  h.emplace_back("Sec-Fetch-Site", "cross-site");
  CHECK(http_request(s.port, "POST", path, R"({"name":"ci","role":"viewer"})", h).status == 403);
}

TEST_CASE("csrf: login and sign-up from another site are refused before the service", "[http][csrf]") {
  test_server s;
  s.accounts.add_user("a@example.com", "correct horse battery staple", "user-a");
  auto r = http_request(s.port, "POST", "/api/v1/session",
                        R"({"email":"a@example.com","password":"correct horse battery staple"})",
                        {{"Content-Type", "application/json"}, {"Sec-Fetch-Site", "cross-site"}});
  CHECK(r.status == 403);
  r = http_request(s.port, "POST", "/api/v1/signup", "{}",
                   {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}});
  CHECK(r.status == 403);
  CHECK(s.accounts.calls().empty());
}

TEST_CASE("csrf: a server without the csrf hook refuses cookie-authenticated writes", "[http][csrf]") {
  auto o = test_options();
  o.csrf_valid = nullptr;
  test_server s{o};
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  auto r = http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/api-keys", R"({"name":"ci","role":"viewer"})",
                        session_headers(owner, true));
  CHECK(r.status == 403);
  CHECK(s.accounts.action_calls() == 0);
}

// ---- bad input --------------------------------------------------------------------------------

namespace {

struct endpoint {
  std::string method;
  std::string path;
  bool signed_in;             // session cookie + CSRF
  json valid;                 // a body the parser accepts
  std::string string_field;   // a string field: wrong type and oversized
  std::string required;       // a required field: missing
};

std::vector<endpoint> endpoints() {
  const std::string org = "/api/v1/orgs/" + org_a;
  return {
    {"POST", "/api/v1/signup", false,
     {{"org_name", "Acme"}, {"org_slug", "acme"}, {"email", "a@example.com"}, {"display_name", "A"},
      {"password", "correct horse battery staple"}},
     "org_name", "password"},
    {"POST", "/api/v1/session", false, {{"email", "a@example.com"}, {"password", "pw"}}, "email", "password"},
    {"POST", "/api/v1/password-reset", false, {{"email", "a@example.com"}}, "email", "email"},
    {"POST", "/api/v1/password-reset/confirm", false, {{"token", "t"}, {"password", "pw"}}, "password", "token"},
    {"POST", "/api/v1/team-invitations/preview", false, {{"token", "t"}}, "token", "token"},
    {"POST", "/api/v1/team-invitations/accept", false, {{"token", "t"}, {"display_name", "N"}, {"password", "pw"}},
     "display_name", "password"},
    {"PUT", "/api/v1/session/org", true, {{"org_id", org_a}}, "org_id", "org_id"},
    {"POST", "/api/v1/password", true, {{"current_password", "a"}, {"new_password", "b"}}, "new_password",
     "current_password"},
    {"PATCH", org + "/members/" + some_id, true, {{"role", "viewer"}}, "role", "role"},
    {"POST", org + "/team-invitations", true, {{"email", "n@example.com"}, {"role", "viewer"}}, "email", "role"},
    {"POST", org + "/api-keys", true, {{"name", "ci"}, {"role", "viewer"}, {"expires_at", "2030-01-01T00:00:00Z"}},
     "name", "role"},
    {"PUT", org + "/sso", true,
     {{"enabled", true},
      {"issuer", "https://idp.example"},
      {"client_id", "c"},
      {"client_secret", "s"},
      {"allowed_domains", {"example.com"}},
      {"default_role", "viewer"},
      {"sso_required", false}},
     "client_id", "enabled"},
  };
}

}  // namespace

TEST_CASE("input: every new endpoint refuses bad bodies with a useful problem, before the service",
          "[http][input]") {
  auto o = test_options();
  o.body_limit = 16 * 1024;
  test_server s{o};
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  for (const auto& e : endpoints()) {
    const auto h = e.signed_in ? session_headers(owner, true) : public_json();
    auto send = [&](const std::string& body, const header_list& hh) {
      return http_request(s.port, e.method, e.path, body, hh);
    };
    INFO(e.method << " " << e.path);
    const auto before = s.accounts.action_calls();

    auto r = send(R"({"email":)", h);
    CHECK(r.status == 400);
    CHECK(r.header("Content-Type") == "application/problem+json");
    CHECK_THAT(detail(r), Catch::Contains("malformed JSON at byte"));

    r = send("[1,2]", h);
    CHECK(r.status == 400);
    CHECK_THAT(detail(r), Catch::Contains("JSON object"));

    auto wrong = e.valid;
    wrong[e.string_field] = 12345;
    r = send(wrong.dump(), h);
    CHECK(r.status == 422);
    CHECK_THAT(detail(r), Catch::StartsWith(e.string_field + ": must be"));

    auto missing = e.valid;
    missing.erase(e.required);
    r = send(missing.dump(), h);
    CHECK(r.status == 422);
    CHECK_THAT(detail(r), Catch::StartsWith(e.required + ": is required"));

    auto big = e.valid;
    big[e.string_field] = std::string(5000, 'x');
    r = send(big.dump(), h);
    CHECK(r.status == 422);
    CHECK_THAT(detail(r), Catch::StartsWith(e.string_field + ":"));
    CHECK(r.body.find("xxxxxxxxxx") == std::string::npos);  // values are never echoed

    auto unknown = e.valid;
    unknown["is_admin"] = true;
    r = send(unknown.dump(), h);
    CHECK(r.status == 422);
    CHECK_THAT(detail(r), Catch::Contains("is_admin: unknown field"));

    auto text = h;
    for (auto& [k, v] : text) {
      if (k == "Content-Type") v = "text/plain";
    }
    r = send(e.valid.dump(), text);
    CHECK(r.status == 415);

    r = send(std::string(17 * 1024, ' '), h);
    CHECK(r.status == 413);

    CHECK(s.accounts.action_calls() == before);
    // And the valid body does reach the service.
    r = send(e.valid.dump(), h);
    CHECK(r.status != 400);
    CHECK(r.status != 422);
    CHECK(s.accounts.action_calls() == before + 1);
  }
}

TEST_CASE("input: limits and enumerations are checked", "[http][input]") {
  test_server s;
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const auto h = session_headers(owner, true);
  const std::string keys = "/api/v1/orgs/" + org_a + "/api-keys";
  auto r = http_request(s.port, "POST", keys, R"({"name":"ci","role":"superuser"})", h);
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("role: must be one of owner, admin"));
  r = http_request(s.port, "POST", keys, R"({"name":"ci","role":"viewer","expires_at":"tomorrow"})", h);
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("expires_at:"));
  r = http_request(s.port, "POST", keys, R"({"name":"","role":"viewer"})", h);
  CHECK(r.status == 422);
  r = http_request(s.port, "POST", keys, json{{"name", std::string(201, 'n')}, {"role", "viewer"}}.dump(), h);
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::Contains("at most 200 bytes"));
  CHECK(http_request(s.port, "POST", keys, json{{"name", std::string(200, 'n')}, {"role", "viewer"}}.dump(), h)
          .status == 201);
  // Limits: e-mail 254, password 1024 bytes.
  r = http_request(s.port, "POST", "/api/v1/session",
                   json{{"email", std::string(255, 'e')}, {"password", "x"}}.dump(), public_json());
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::Contains("254"));
  r = http_request(s.port, "POST", "/api/v1/session",
                   json{{"email", "a@example.com"}, {"password", std::string(1025, 'p')}}.dump(), public_json());
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::Contains("1024"));
  const std::string sso = "/api/v1/orgs/" + org_a + "/sso";
  r = http_request(s.port, "PUT", sso,
                   R"({"enabled":"yes","issuer":"i","client_id":"c","allowed_domains":[],"default_role":"viewer","sso_required":false})",
                   h);
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("enabled: must be true or false"));
  r = http_request(s.port, "PUT", sso,
                   R"({"enabled":true,"issuer":"i","client_id":"c","allowed_domains":["a",7],"default_role":"viewer","sso_required":false})",
                   h);
  CHECK(r.status == 422);
  CHECK_THAT(detail(r), Catch::StartsWith("allowed_domains[1]: must be a string"));
  // Path ids that are not UUIDs never reach the service.
  CHECK(http_request(s.port, "DELETE", "/api/v1/orgs/" + org_a + "/members/bob", {}, h).status == 404);
  CHECK(http_request(s.port, "DELETE", "/api/v1/orgs/" + org_a + "/api-keys/1", {}, h).status == 404);
  CHECK(http_request(s.port, "POST", "/api/v1/orgs/" + org_a + "/team-invitations/x/resend", {}, h).status == 404);
  CHECK(http_request(s.port, "PUT", "/api/v1/session/org", R"({"org_id":"acme"})", h).status == 404);
  CHECK(s.accounts.action_calls() == 1);
}

// ---- cookies ----------------------------------------------------------------------------------

TEST_CASE("cookies: login sets exact attributes; the session works; logout clears them", "[http][cookies]") {
  test_server s;
  s.accounts.add_user("a@example.com", "correct horse battery staple", "user-a");
  auto r = http_request(s.port, "POST", "/api/v1/session",
                        R"({"email":"a@example.com","password":"correct horse battery staple"})", public_json());
  REQUIRE(r.status == 200);
  const auto cookies = set_cookies(r);
  REQUIRE(cookies.size() == 2);
  const auto token = cookie_value_of(cookies, "__Host-hw_session");
  REQUIRE_FALSE(token.empty());
  const auto csrf = csrf_for(token);
  CHECK(cookies[0] == "__Host-hw_session=" + token + "; Path=/; Max-Age=43200; HttpOnly; Secure; SameSite=Lax");
  CHECK(cookies[1] == "__Host-hw_csrf=" + csrf + "; Path=/; Max-Age=43200; Secure; SameSite=Lax");
  auto body = json::parse(r.body);
  CHECK(body["csrf_token"] == csrf);
  CHECK(body["user"]["email"] == "a@example.com");
  CHECK(body.contains("orgs"));
  CHECK(body.contains("expires_at"));
  CHECK(r.body.find(token) == std::string::npos);  // the session token is only in the cookie

  r = http_request(s.port, "GET", "/api/v1/session", {}, session_headers(token));
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["csrf_token"] == csrf);

  r = http_request(s.port, "DELETE", "/api/v1/session", {}, session_headers(token, true));
  CHECK(r.status == 204);
  const auto cleared = set_cookies(r);
  REQUIRE(cleared.size() == 2);
  CHECK(cleared[0] == "__Host-hw_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
  CHECK(cleared[1] == "__Host-hw_csrf=; Path=/; Max-Age=0; Secure; SameSite=Lax");
  CHECK_FALSE(s.accounts.session_alive(token));
  r = http_request(s.port, "GET", "/api/v1/session", {}, session_headers(token));
  CHECK(r.status == 401);
  CHECK(set_cookies(r).size() == 2);  // the stale cookie is cleared again
}

TEST_CASE("cookies: without Secure and without the __Host- prefix when insecure cookies are allowed",
          "[http][cookies]") {
  auto o = test_options();
  o.allow_insecure_cookies = true;
  test_server s{o};
  s.accounts.add_user("a@example.com", "pw", "user-a");
  auto r = http_request(s.port, "POST", "/api/v1/session", R"({"email":"a@example.com","password":"pw"})",
                        public_json());
  REQUIRE(r.status == 200);
  REQUIRE(set_cookies(r).size() == 2);
  for (const auto& c : set_cookies(r)) {
    CHECK(c.find("Secure") == std::string::npos);
    CHECK(c.find("__Host-") == std::string::npos);  // browsers refuse __Host- without Secure
    CHECK_THAT(c, Catch::Contains("SameSite=Lax"));
  }
  // The bare-named cookie authenticates, and the CSRF double submit uses the bare name too.
  const auto token = cookie_value_of(set_cookies(r), "hw_session");
  const auto csrf = cookie_value_of(set_cookies(r), "hw_csrf");
  REQUIRE_FALSE(token.empty());
  REQUIRE_FALSE(csrf.empty());
  auto me = http_request(s.port, "GET", "/api/v1/session", "", {{"Cookie", "hw_session=" + token}});
  CHECK(me.status == 200);
  auto out = http_request(s.port, "DELETE", "/api/v1/session", "",
                          {{"Cookie", "hw_session=" + token + "; hw_csrf=" + csrf}, {"X-CSRF-Token", csrf}});
  CHECK(out.status == 204);
}

TEST_CASE("cookies: sign-up is 201 with the session cookies; revoke-all clears them", "[http][cookies]") {
  test_server s;
  auto r = http_request(s.port, "POST", "/api/v1/signup",
                        R"({"org_name":"Acme","org_slug":"acme","email":"o@example.com","display_name":"O","password":"pw"})",
                        public_json());
  REQUIRE(r.status == 201);
  const auto token = cookie_value_of(set_cookies(r), "__Host-hw_session");
  REQUIRE_FALSE(token.empty());
  CHECK(json::parse(r.body)["orgs"][0]["role"] == "owner");
  r = http_request(s.port, "POST", "/api/v1/signup",
                   R"({"org_name":"Acme","org_slug":"acme2","email":"o@example.com","display_name":"O","password":"pw"})",
                   public_json());
  CHECK(r.status == 409);
  r = http_request(s.port, "POST", "/api/v1/session/revoke-all", {}, session_headers(token, true));
  CHECK(r.status == 204);
  CHECK(set_cookies(r).size() == 2);
  CHECK_FALSE(s.accounts.session_alive(token));
}

// ---- security headers -------------------------------------------------------------------------

TEST_CASE("headers: every response carries the security headers; no-store under /api/", "[http][headers]") {
  test_server s;
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  std::vector<http_reply> replies = {
    s.get("/healthz"),
    s.get("/api/v1/session"),                            // 401
    s.get("/api/v1/session", session_headers(owner)),    // 200
    s.get("/nope"),                                      // 404
    http_request(s.port, "POST", "/api/v1/session", "{", public_json()),  // 400
  };
  for (const auto& r : replies) {
    INFO(r.status);
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Referrer-Policy") == "no-referrer");
    CHECK(r.header("Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK_THAT(r.header("Content-Security-Policy"), Catch::Contains("frame-ancestors 'none'"));
    CHECK_THAT(r.header("Content-Security-Policy"), Catch::Contains("object-src 'none'"));
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK_FALSE(r.has_header("Strict-Transport-Security"));
  }
}

TEST_CASE("headers: HSTS only when the server says TLS is guaranteed", "[http][headers]") {
  auto o = test_options();
  o.hsts = true;
  test_server s{o};
  CHECK(s.get("/healthz").header("Strict-Transport-Security") == "max-age=31536000; includeSubDomains");
}

// ---- the routes -------------------------------------------------------------------------------

TEST_CASE("session routes: login failures, throttling, switching organizations, passwords", "[http][session]") {
  test_server s;
  s.accounts.add_user("a@example.com", "pw", "user-a");
  auto r = http_request(s.port, "POST", "/api/v1/session", R"({"email":"a@example.com","password":"nope"})",
                        public_json());
  CHECK(r.status == 401);
  CHECK(detail(r) == "email or password is wrong");
  CHECK(set_cookies(r).empty());

  hw::error throttled{errc::rate_limited, "too many attempts; try again later"};
  throttled.retry_after_s = 30;
  s.accounts.fail_next("login", throttled);
  r = http_request(s.port, "POST", "/api/v1/session", R"({"email":"a@example.com","password":"pw"})", public_json());
  CHECK(r.status == 429);
  CHECK(r.header("Retry-After") == "30");

  const auto token = s.accounts.add_session("user-a", {{org_a, domain::role::recruiter}});
  r = http_request(s.port, "PUT", "/api/v1/session/org", json{{"org_id", org_a}}.dump(), session_headers(token, true));
  CHECK(r.status == 200);
  CHECK(json::parse(r.body)["active_org"] == org_a);
  CHECK(json::parse(r.body)["csrf_token"] == csrf_for(token));
  r = http_request(s.port, "PUT", "/api/v1/session/org", json{{"org_id", some_id}}.dump(), session_headers(token, true));
  CHECK(r.status == 404);

  r = http_request(s.port, "POST", "/api/v1/password", R"({"current_password":"wrong","new_password":"n"})",
                   session_headers(token, true));
  CHECK(r.status == 401);
  r = http_request(s.port, "POST", "/api/v1/password", R"({"current_password":"pw","new_password":"n"})",
                   session_headers(token, true));
  CHECK(r.status == 204);

  r = http_request(s.port, "POST", "/api/v1/password-reset", R"({"email":"who@example.com"})", public_json());
  CHECK(r.status == 202);
  r = http_request(s.port, "POST", "/api/v1/password-reset/confirm", R"({"token":"bad","password":"n"})", public_json());
  CHECK(r.status == 401);
  r = http_request(s.port, "POST", "/api/v1/password-reset/confirm", R"({"token":"good","password":"n"})", public_json());
  CHECK(r.status == 204);
}

TEST_CASE("member, invitation and API key routes: shapes", "[http][members]") {
  test_server s;
  const auto owner = s.accounts.add_session("owner-a", {{org_a, domain::role::owner}});
  const std::string base = "/api/v1/orgs/" + org_a;
  auto r = http_request(s.port, "GET", base + "/members", {}, session_headers(owner));
  REQUIRE(r.status == 200);
  auto m = json::parse(r.body)["members"][0];
  for (const char* k : {"user_id", "email", "display_name", "role", "joined_at"}) CHECK(m.contains(k));

  r = http_request(s.port, "PATCH", base + "/members/" + some_id, R"({"role":"admin"})", session_headers(owner, true));
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["role"] == "admin");
  s.accounts.fail_next("remove_member", hw::error{errc::conflict, "role: an organization must keep at least one owner"});
  r = http_request(s.port, "DELETE", base + "/members/" + some_id, {}, session_headers(owner, true));
  CHECK(r.status == 409);
  CHECK(http_request(s.port, "DELETE", base + "/members/" + some_id, {}, session_headers(owner, true)).status == 204);

  r = http_request(s.port, "POST", base + "/team-invitations", R"({"email":"n@example.com","role":"recruiter"})",
                   session_headers(owner, true));
  REQUIRE(r.status == 201);
  auto inv = json::parse(r.body);
  for (const char* k : {"id", "email", "role", "status", "invited_by", "created_at", "expires_at", "sends"}) {
    CHECK(inv.contains(k));
  }
  r = http_request(s.port, "GET", base + "/team-invitations", {}, session_headers(owner));
  CHECK(json::parse(r.body)["invitations"].size() == 1);
  r = http_request(s.port, "POST", base + "/team-invitations/" + some_id + "/resend", {}, session_headers(owner, true));
  CHECK(json::parse(r.body)["sends"] == 2);
  CHECK(http_request(s.port, "DELETE", base + "/team-invitations/" + some_id, {}, session_headers(owner, true))
          .status == 204);

  r = http_request(s.port, "POST", base + "/api-keys", R"({"name":"ci","role":"viewer"})", session_headers(owner, true));
  REQUIRE(r.status == 201);
  auto created = json::parse(r.body);
  CHECK_THAT(created["secret"].get<std::string>(), Catch::StartsWith("hwk_"));
  CHECK(created["api_key"]["expires_at"].is_null());
  r = http_request(s.port, "GET", base + "/api-keys", {}, session_headers(owner));
  auto k = json::parse(r.body)["api_keys"][0];
  CHECK_FALSE(k.contains("secret"));
  for (const char* f : {"id", "name", "prefix", "role", "created_by", "created_at", "expires_at", "last_used_at",
                        "revoked_at"}) {
    CHECK(k.contains(f));
  }
  CHECK(http_request(s.port, "DELETE", base + "/api-keys/" + some_id, {}, session_headers(owner, true)).status == 204);

  r = http_request(s.port, "GET", base + "/sso", {}, session_headers(owner));
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["client_secret_set"] == true);
  CHECK_FALSE(json::parse(r.body).contains("client_secret"));
}

TEST_CASE("invitations: preview and accept, as a new user or with the signed-in session", "[http][members]") {
  test_server s;
  auto r = http_request(s.port, "POST", "/api/v1/team-invitations/preview", R"({"token":"bad"})", public_json());
  CHECK(r.status == 401);
  r = http_request(s.port, "POST", "/api/v1/team-invitations/preview", R"({"token":"t"})", public_json());
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body)["org_slug"] == "acme");
  CHECK(json::parse(r.body)["account_exists"] == false);

  r = http_request(s.port, "POST", "/api/v1/team-invitations/accept", R"({"token":"t","display_name":"N","password":"pw"})",
                   public_json());
  REQUIRE(r.status == 200);
  CHECK(set_cookies(r).size() == 2);
  CHECK(s.accounts.last_accept_had_current() == std::optional<bool>{false});

  const auto token = s.accounts.add_session("user-x", {{org_a, domain::role::viewer}});
  r = http_request(s.port, "POST", "/api/v1/team-invitations/accept", R"({"token":"t","password":"pw"})",
                   session_headers(token, true));
  REQUIRE(r.status == 200);
  CHECK(s.accounts.last_accept_had_current() == std::optional<bool>{true});
  // The session cookie without its CSRF token is not used.
  auto h = session_headers(token, true);
  h[1] = {"X-CSRF-Token", "forged"};
  h[0] = {"Cookie", "__Host-hw_session=" + token + "; __Host-hw_csrf=forged"};
  r = http_request(s.port, "POST", "/api/v1/team-invitations/accept", R"({"token":"t","password":"pw"})", h);
  REQUIRE(r.status == 200);
  CHECK(s.accounts.last_accept_had_current() == std::optional<bool>{false});
}

TEST_CASE("sso: start redirects with the state cookie; the callback starts a session or says why not",
          "[http][sso]") {
  test_server s;
  auto r = s.get("/api/v1/sso/start?org=acme");
  REQUIRE(r.status == 302);
  CHECK(r.header("Location") == "https://idp.example/authorize?state=s1");
  CHECK(r.header("Set-Cookie") == "__Host-hw_sso=sso-state-1; Path=/; Max-Age=600; HttpOnly; Secure; SameSite=Lax");
  CHECK(s.accounts.last_redirect_uri() == std::string{test_origin} + "/api/v1/sso/callback");
  CHECK(s.get("/api/v1/sso/start?org=nosso").status == 404);
  CHECK(s.get("/api/v1/sso/start").status == 400);
  CHECK(s.get("/api/v1/sso/start?org=Bad%20Slug").status == 400);
  // Login CSRF: a link on another site cannot start a sign-in (the service is not asked).
  const auto starts = s.accounts.action_calls();
  CHECK(s.get("/api/v1/sso/start?org=acme", {{"Sec-Fetch-Site", "cross-site"}}).status == 403);
  CHECK(s.get("/api/v1/sso/start?org=acme", {{"Sec-Fetch-Site", "same-site"}}).status == 403);
  CHECK(s.accounts.action_calls() == starts);
  CHECK(s.get("/api/v1/sso/start?org=acme", {{"Sec-Fetch-Site", "none"}}).status == 302);
  CHECK(s.get("/api/v1/sso/start?org=acme", {{"Sec-Fetch-Site", "same-origin"}}).status == 302);

  r = s.get("/api/v1/sso/callback?code=c1&state=s1", {{"Cookie", "__Host-hw_sso=sso-state-1"}});
  REQUIRE(r.status == 302);
  CHECK(r.header("Location") == "/app/");
  auto cookies = set_cookies(r);
  REQUIRE(cookies.size() == 3);
  CHECK_FALSE(cookie_value_of(cookies, "__Host-hw_session").empty());
  CHECK(cookies[2] == "__Host-hw_sso=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");

  r = s.get("/api/v1/sso/callback?code=c1&state=other", {{"Cookie", "__Host-hw_sso=sso-state-1"}});
  CHECK(r.status == 302);
  CHECK(r.header("Location") == "/app/login?sso_error=invalid");
  r = s.get("/api/v1/sso/callback?code=c1&state=s1");
  CHECK(r.header("Location") == "/app/login?sso_error=invalid_state");
  r = s.get("/api/v1/sso/callback?error=access_denied&state=s1", {{"Cookie", "__Host-hw_sso=sso-state-1"}});
  CHECK(r.header("Location") == "/app/login?sso_error=idp_error");
  r = s.get("/api/v1/sso/callback?state=s1", {{"Cookie", "__Host-hw_sso=sso-state-1"}});
  CHECK(r.header("Location") == "/app/login?sso_error=invalid_request");
  CHECK(s.accounts.call_count("sso_callback") == 2);
}
