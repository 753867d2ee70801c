// Hostile and broken input against every people-and-access endpoint that takes a body, through the
// whole application: malformed JSON -> 400; a wrong type, a missing field, an oversized value or
// an unknown field -> 422 whose detail names the field (and never echoes the value); forged,
// expired, reused and superseded tokens -> 401. Afterwards the database holds exactly what it held
// before (row counts of every table involved).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/account_e2e.hpp"

using namespace hw::testing;
using namespace hw::testing::e2e;

namespace {

struct endpoint {
  std::string method;
  std::string target;
  json valid;                      // a body that would pass parsing
  std::vector<std::string> required;  // fields whose absence is a 422
  enum class who { nobody, session } caller = who::nobody;
};

long total_rows(const account_app& app) {
  return app.count(
    "SELECT (SELECT count(*) FROM users) * 1 + (SELECT count(*) FROM organizations) * 10 +"
    " (SELECT count(*) FROM memberships) * 100 + (SELECT count(*) FROM team_invitations) * 1000 +"
    " (SELECT count(*) FROM api_keys) * 10000 + (SELECT count(*) FROM sso_configs) * 100000 +"
    " (SELECT count(*) FROM sessions) * 1000000 + (SELECT count(*) FROM password_resets) * 10000000 +"
    " (SELECT count(*) FROM email_messages) * 100000000");
}

std::string state(const account_app& app) {
  return app.text(
    "SELECT concat_ws(',', (SELECT count(*) FROM users), (SELECT count(*) FROM organizations),"
    " (SELECT string_agg(user_id::text || role, ',' ORDER BY user_id, org_id) FROM memberships),"
    " (SELECT count(*) FROM team_invitations), (SELECT count(*) FROM api_keys), (SELECT count(*) FROM sso_configs),"
    " (SELECT count(*) FROM sessions WHERE revoked_at IS NULL), (SELECT count(*) FROM password_resets),"
    " (SELECT count(*) FROM email_messages), (SELECT string_agg(password_hash, ',' ORDER BY user_id) FROM users),"
    " (SELECT string_agg(name, ',') FROM organizations))");
}

/// A JSON value of another type than `v`.
json wrong_type(const json& v) {
  if (v.is_string()) return 12345;
  if (v.is_boolean()) return "yes";
  if (v.is_array()) return "not-a-list";
  return json::array({1});
}

}  // namespace

TEST_CASE("bad input e2e: 400 / 422 naming the field on every account endpoint, nothing changes",
          "[pg][e2e][bad_input]") {
  account_app app;
  auto o = signup(app.port, "acme", "owner@acme.test");
  const auto tok = invite(*o.b, o.org_id, "rita@acme.test", "recruiter");
  json rs;
  auto rita = accept_new(app.port, tok, "Rita", strong_password, &rs);
  const std::string rita_id = rs["user"]["id"];
  const std::string org = "/api/v1/orgs/" + o.org_id;
  const std::string fake_token(43, 'Q');

  const std::vector<endpoint> eps = {
    {"POST", "/api/v1/signup",
     {{"org_name", "Evil"}, {"org_slug", "evil"}, {"email", "e@evil.test"}, {"display_name", "E"},
      {"password", strong_password}},
     {"org_name", "org_slug", "email", "display_name", "password"}},
    {"POST", "/api/v1/session", {{"email", "owner@acme.test"}, {"password", "x-not-the-password"}},
     {"email", "password"}},
    {"POST", "/api/v1/password-reset", {{"email", "owner@acme.test"}}, {"email"}},
    {"POST", "/api/v1/password-reset/confirm", {{"token", fake_token}, {"password", strong_password}},
     {"token", "password"}},
    {"POST", "/api/v1/team-invitations/preview", {{"token", fake_token}}, {"token"}},
    {"POST", "/api/v1/team-invitations/accept",
     {{"token", fake_token}, {"display_name", "X"}, {"password", strong_password}}, {"token", "password"}},
    {"PUT", "/api/v1/session/org", {{"org_id", o.org_id}}, {"org_id"}, endpoint::who::session},
    {"POST", "/api/v1/password", {{"current_password", "x-wrong"}, {"new_password", "a new fine passphrase"}},
     {"current_password", "new_password"}, endpoint::who::session},
    {"PATCH", org + "/members/" + rita_id, {{"role", "viewer"}}, {"role"}, endpoint::who::session},
    {"POST", org + "/team-invitations", {{"email", "new@acme.test"}, {"role", "viewer"}}, {"email", "role"},
     endpoint::who::session},
    {"POST", org + "/api-keys", {{"name", "k"}, {"role", "viewer"}, {"expires_at", "2999-01-01T00:00:00Z"}},
     {"name", "role"}, endpoint::who::session},
    {"PUT", org + "/sso",
     {{"enabled", false},
      {"issuer", "https://idp.example.com"},
      {"client_id", "cid"},
      {"client_secret", "csecret"},
      {"allowed_domains", {"example.com"}},
      {"default_role", "viewer"},
      {"sso_required", false}},
     {"enabled", "issuer", "client_id", "allowed_domains", "default_role", "sso_required"}, endpoint::who::session},
  };

  // Wait for the invitation mail's delivery to settle the e-mail table before counting.
  const auto before = state(app);
  const auto rows_before = total_rows(app);

  const std::string huge(20000, 'a');
  for (const auto& ep : eps) {
    auto send = [&](const std::string& body, const header_list& extra = {}) {
      if (ep.caller == endpoint::who::session) return o.b->request(ep.method, ep.target, body, extra);
      browser anon{app.port};
      return anon.request(ep.method, ep.target, body, extra);
    };
    INFO(ep.method << " " << ep.target);

    // Not JSON at all, truncated JSON, JSON that is not an object: 400.
    for (const std::string& bad : {std::string{"{\"email\": "}, std::string{"not json"}, std::string{"[1,2]"},
                                   std::string{"\"str\""}, std::string{"{\"a\":1,}"}}) {
      INFO("body: " << bad);
      auto r = send(bad);
      CHECK(r.status == 400);
      CHECK(r.header("Content-Type") == "application/problem+json");
    }
    // Not declared as JSON: 415.
    CHECK(send(ep.valid.dump(), {{"Content-Type", "text/plain"}}).status == 415);

    for (const auto& [field, value] : ep.valid.items()) {
      INFO("field " << field);
      {  // wrong type
        auto b = ep.valid;
        b[field] = wrong_type(value);
        auto r = send(b.dump());
        INFO(r.body);
        CHECK(r.status == 422);
        CHECK(detail_of(r).find(field) != std::string::npos);
      }
      if (value.is_string()) {  // oversized
        auto b = ep.valid;
        b[field] = huge;
        auto r = send(b.dump());
        INFO(r.status << " " << r.body.substr(0, 300));
        CHECK(r.status == 422);
        CHECK(detail_of(r).find(field) != std::string::npos);
        CHECK(r.body.find(huge.substr(0, 200)) == std::string::npos);  // never echoed
      }
      if (value.is_array()) {  // too many entries
        auto b = ep.valid;
        b[field] = json::array();
        for (int i = 0; i < 150; ++i) b[field].push_back("d" + std::to_string(i) + ".example.com");
        auto r = send(b.dump());
        CHECK(r.status == 422);
        CHECK(detail_of(r).find(field) != std::string::npos);
      }
    }
    for (const auto& field : ep.required) {  // missing
      INFO("missing " << field);
      auto b = ep.valid;
      b.erase(field);
      auto r = send(b.dump());
      INFO(r.body);
      CHECK(r.status == 422);
      CHECK(detail_of(r).find(field) != std::string::npos);
    }
    {  // unknown field (e.g. a mass-assignment attempt)
      auto b = ep.valid;
      b["is_superuser"] = true;
      auto r = send(b.dump());
      INFO(r.body);
      CHECK(r.status == 422);
      CHECK(detail_of(r).find("is_superuser") != std::string::npos);
    }
    {  // null for a required field
      if (!ep.required.empty()) {
        auto b = ep.valid;
        b[ep.required.front()] = nullptr;
        auto r = send(b.dump());
        CHECK(r.status == 422);
        CHECK(detail_of(r).find(ep.required.front()) != std::string::npos);
      }
    }
  }
  // Unknown roles are refused by name.
  auto role = o.b->patch(org + "/members/" + rita_id, json{{"role", "superuser"}});
  CHECK(role.status == 422);
  CHECK(detail_of(role).find("role") != std::string::npos);
  auto k = o.b->post(org + "/api-keys", json{{"name", "k"}, {"role", "viewer"}, {"expires_at", "yesterday"}});
  CHECK(k.status == 422);
  CHECK(detail_of(k).find("expires_at") != std::string::npos);

  CHECK(state(app) == before);
  CHECK(total_rows(app) == rows_before);
  // And the people are unharmed.
  CHECK(rita->get(org).status == 200);
  CHECK(body_json(o.b->get("/api/v1/session"))["orgs"][0]["role"] == "owner");
}

TEST_CASE("bad input e2e: forged, expired, reused and superseded tokens are 401", "[pg][e2e][bad_input]") {
  account_app app;
  auto o = signup(app.port, "acme", "owner@acme.test");
  const std::string org = "/api/v1/orgs/" + o.org_id;
  const header_list js{{"Content-Type", "application/json"}};
  auto post = [&](const std::string& target, const json& body) {
    return http_request(app.port, "POST", target, body.dump(), js);
  };
  const std::string forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  SECTION("password reset tokens") {
    CHECK(post("/api/v1/password-reset/confirm", {{"token", forged}, {"password", "a new fine passphrase"}}).status ==
          401);
    CHECK(post("/api/v1/password-reset/confirm", {{"token", "short"}, {"password", "a new fine passphrase"}}).status ==
          401);
    REQUIRE(post("/api/v1/password-reset", {{"email", "owner@acme.test"}}).status == 202);
    const auto t1 = token_from_mail(wait_for_mail(*o.b, o.org_id, "owner@acme.test", "password_reset"));
    // Expired: moved 40 minutes into the past behind the server's back.
    app.db.exec("UPDATE password_resets SET created_at = now() - interval '40 minutes',"
                " expires_at = now() - interval '10 minutes'");
    const auto before = state(app);
    CHECK(post("/api/v1/password-reset/confirm", {{"token", t1}, {"password", "a new fine passphrase"}}).status ==
          401);
    CHECK(state(app) == before);
    CHECK(o.b->get("/api/v1/session").status == 200);  // nothing ended
    // A fresh one works once, then never again.
    REQUIRE(post("/api/v1/password-reset", {{"email", "owner@acme.test"}}).status == 202);
    const auto t2 = token_from_mail(wait_for_mail(*o.b, o.org_id, "owner@acme.test", "password_reset", 2));
    REQUIRE(t2 != t1);
    CHECK(post("/api/v1/password-reset/confirm", {{"token", t2}, {"password", "a new fine passphrase"}}).status ==
          204);
    const auto after = state(app);
    CHECK(post("/api/v1/password-reset/confirm", {{"token", t2}, {"password", "another new passphrase"}}).status ==
          401);
    CHECK(state(app) == after);
    http_reply lr;
    login(app.port, "owner@acme.test", "a new fine passphrase", &lr);
    CHECK(lr.status == 200);
  }

  SECTION("invitation tokens") {
    CHECK(post("/api/v1/team-invitations/preview", {{"token", forged}}).status == 401);
    CHECK(post("/api/v1/team-invitations/accept", {{"token", forged}, {"display_name", "X"}, {"password", strong_password}})
            .status == 401);
    json inv;
    const auto t1 = invite(*o.b, o.org_id, "rita@acme.test", "recruiter", &inv);
    // Resent: the old link stops working.
    auto rs = o.b->post(org + "/team-invitations/" + inv["id"].get<std::string>() + "/resend");
    INFO(rs.body);
    REQUIRE(rs.status == 200);
    const auto t2 = token_from_mail(wait_for_mail(*o.b, o.org_id, "rita@acme.test", "teammate_invitation", 2));
    REQUIRE(t2 != t1);
    CHECK(post("/api/v1/team-invitations/preview", {{"token", t1}}).status == 401);
    CHECK(post("/api/v1/team-invitations/accept", {{"token", t1}, {"display_name", "X"}, {"password", strong_password}})
            .status == 401);
    CHECK(post("/api/v1/team-invitations/preview", {{"token", t2}}).status == 200);
    // Expired behind the server's back.
    app.db.exec("UPDATE team_invitations SET created_at = now() - interval '8 days',"
                " last_sent_at = now() - interval '8 days', expires_at = now() - interval '1 day'"
                " WHERE accepted_at IS NULL AND revoked_at IS NULL AND superseded_at IS NULL");
    const auto before = state(app);
    CHECK(post("/api/v1/team-invitations/preview", {{"token", t2}}).status == 401);
    CHECK(post("/api/v1/team-invitations/accept", {{"token", t2}, {"display_name", "X"}, {"password", strong_password}})
            .status == 401);
    CHECK(state(app) == before);
    // A new invitation, revoked: 401; another accepted twice: the second is 401.
    app.db.exec("UPDATE team_invitations SET revoked_at = now() WHERE accepted_at IS NULL AND revoked_at IS NULL"
                " AND superseded_at IS NULL");
    json inv3;
    const auto t3 = invite(*o.b, o.org_id, "sam@acme.test", "viewer", &inv3);
    REQUIRE(o.b->del(org + "/team-invitations/" + inv3["id"].get<std::string>()).status == 204);
    CHECK(post("/api/v1/team-invitations/preview", {{"token", t3}}).status == 401);
    const auto t4 = invite(*o.b, o.org_id, "tom@acme.test", "viewer");
    accept_new(app.port, t4, "Tom");
    const auto after = state(app);
    CHECK(post("/api/v1/team-invitations/accept", {{"token", t4}, {"display_name", "Tom2"}, {"password", strong_password}})
            .status == 401);
    CHECK(state(app) == after);
  }

  SECTION("session cookies and API keys") {
    browser forged_b{app.port};
    forged_b.jar.set(session_cookie, forged);
    forged_b.jar.set(csrf_cookie, "x");
    auto r = forged_b.get("/api/v1/session");
    CHECK(r.status == 401);
    auto cleared = find_set_cookie(r, session_cookie);  // the stale cookie is cleared
    REQUIRE(cleared);
    CHECK(cleared->value.empty());
    CHECK(forged_b.get(org).status == 401);
    CHECK(bearer(app.port, "hwk_" + forged, "GET", org).status == 401);
    CHECK(bearer(app.port, "hwk_", "GET", org).status == 401);
    CHECK(bearer(app.port, "hwk_" + std::string(5000, 'x'), "GET", org).status == 401);
    // An expired API key.
    auto k = body_json(o.b->post(org + "/api-keys", json{{"name", "soon"}, {"role", "viewer"}}));
    REQUIRE(bearer(app.port, k["secret"], "GET", org).status == 200);
    app.db.exec("UPDATE api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day'");
    CHECK(eventually([&] { return bearer(app.port, k["secret"], "GET", org).status == 401; }, 3s));
  }
}
