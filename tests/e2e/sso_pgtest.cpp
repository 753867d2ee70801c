// Per-organization OpenID Connect SSO end to end: the application (serving as a non-superuser
// role) against tests/support/fake_oidc_provider, a real provider on 127.0.0.1. The test plays the
// browser: /api/v1/sso/start -> the provider's /authorize -> /api/v1/sso/callback with the state
// cookie -> a session, a just-in-time membership with the organization's default role. Then what
// must be refused: a state cookie from another browser, a reused state, an e-mail outside the
// allowed domains, password login when SSO is required, and taking over an existing account of
// another organization through an identity provider that one organization controls.
#include <catch2/catch.hpp>

#include <ctime>
#include <string>

#include "tests/support/account_e2e.hpp"
#include "tests/support/fake_oidc_provider.hpp"

using namespace hw::testing;
using namespace hw::testing::e2e;

namespace {

// The server's public origin is http://<http.address>:<http.port>; the tests bind port 0.
const std::string callback_uri = "http://127.0.0.1:0/api/v1/sso/callback";

fake_oidc_options idp_options(const std::string& email) {
  fake_oidc_options o;
  o.redirect_uris = {callback_uri};
  o.user.email = email;
  o.user.sub = "sub-" + email;
  o.user.name = "SSO User";
  o.now = static_cast<std::int64_t>(std::time(nullptr));  // the server checks exp against its clock
  return o;
}

json sso_body(const fake_oidc_provider& idp, const std::vector<std::string>& domains, bool required = false,
              bool with_secret = true) {
  json b = {{"enabled", true},
            {"issuer", idp.issuer()},
            {"client_id", idp.options().client_id},
            {"allowed_domains", domains},
            {"default_role", "interviewer"},
            {"sso_required", required}};
  if (with_secret) b["client_secret"] = idp.options().client_secret;
  return b;
}

struct flow {
  http_reply start;
  std::string authorize_url;
  std::string callback_query;  // code=...&state=...
  std::string state;
  http_reply callback;
};

/// start -> provider -> (not yet) callback. REQUIREs each step to work.
flow begin_sso(browser& br, const fake_oidc_provider& idp, const std::string& slug) {
  flow f;
  f.start = br.get("/api/v1/sso/start?org=" + slug);
  INFO(f.start.body);
  REQUIRE(f.start.status == 302);
  f.authorize_url = f.start.header("Location");
  REQUIRE(f.authorize_url.rfind(idp.issuer() + "/authorize?", 0) == 0);
  auto at_idp = idp.browse(f.authorize_url);
  INFO(at_idp.status << " " << at_idp.body);
  REQUIRE(at_idp.status == 302);
  REQUIRE(at_idp.location.rfind(callback_uri + "?", 0) == 0);
  f.callback_query = at_idp.location.substr(callback_uri.size() + 1);
  f.state = fake_oidc_provider::query_param(at_idp.location, "state").value_or("");
  REQUIRE_FALSE(f.state.empty());
  return f;
}

http_reply finish_sso(browser& br, flow& f) {
  f.callback = br.get("/api/v1/sso/callback?" + f.callback_query);
  return f.callback;
}

bool refused(const http_reply& r) {
  return r.status == 302 && r.header("Location").rfind("/app/login?sso_error=", 0) == 0 &&
         !find_set_cookie(r, session_cookie).has_value();
}

}  // namespace

TEST_CASE("sso e2e: configure, start, provider, callback, just-in-time member and what is refused",
          "[pg][e2e][sso]") {
  fake_oidc_provider idp{idp_options("ann@example.com")};
  account_app app;
  auto o = signup(app.port, "acme", "owner@acme.test");
  const std::string org = "/api/v1/orgs/" + o.org_id;

  // Not configured yet: 404.
  browser early{app.port};
  CHECK(early.get("/api/v1/sso/start?org=acme").status == 404);

  auto put = o.b->put(org + "/sso", sso_body(idp, {"example.com"}));
  INFO(put.body);
  REQUIRE(put.status == 200);
  const std::string secret = idp.options().client_secret;
  CHECK(put.body.find(secret) == std::string::npos);
  CHECK(body_json(put)["client_secret_set"] == true);
  CHECK_FALSE(body_json(put).contains("client_secret"));
  auto got = o.b->get(org + "/sso");
  REQUIRE(got.status == 200);
  auto gj = body_json(got);
  CHECK(got.body.find(secret) == std::string::npos);
  CHECK_FALSE(gj.contains("client_secret"));
  CHECK(gj["client_secret_set"] == true);
  CHECK(gj["issuer"] == idp.issuer());
  CHECK(gj["default_role"] == "interviewer");
  CHECK(gj["allowed_domains"] == json::array({"example.com"}));
  // Stored encrypted, not in clear.
  CHECK(app.count("SELECT count(*) FROM sso_configs WHERE position(convert_to('" + std::string{"s3cret"} +
                  "', 'UTF8') in client_secret_enc) > 0") == 0);

  SECTION("the happy path: 302 to the provider with state, nonce, PKCE S256; back with a session") {
    browser br{app.port};
    auto f = begin_sso(br, idp, "acme");
    for (const char* p : {"state", "nonce", "code_challenge", "client_id", "redirect_uri"}) {
      INFO(p);
      CHECK_FALSE(fake_oidc_provider::query_param(f.authorize_url, p).value_or("").empty());
    }
    CHECK(fake_oidc_provider::query_param(f.authorize_url, "code_challenge_method") ==
          std::optional<std::string>{"S256"});
    CHECK(fake_oidc_provider::query_param(f.authorize_url, "response_type") == std::optional<std::string>{"code"});
    auto sc = find_set_cookie(f.start, sso_cookie);
    REQUIRE(sc);
    CHECK(sc->has("HttpOnly"));
    CHECK(sc->attribute("SameSite") == std::optional<std::string>{"Lax"});
    CHECK(sc->attribute("Path") == std::optional<std::string>{"/"});

    auto cb = finish_sso(br, f);
    INFO(cb.body << " location " << cb.header("Location"));
    REQUIRE(cb.status == 302);
    CHECK(cb.header("Location") == "/app/");
    REQUIRE(find_set_cookie(cb, session_cookie));
    CHECK(find_set_cookie(cb, csrf_cookie));
    auto cleared = find_set_cookie(cb, sso_cookie);
    REQUIRE(cleared);
    CHECK(cleared->value.empty());

    auto me = br.get("/api/v1/session");
    REQUIRE(me.status == 200);
    auto mj = body_json(me);
    CHECK(mj["user"]["email"] == "ann@example.com");
    REQUIRE(mj["orgs"].size() == 1);
    CHECK(mj["orgs"][0]["id"] == o.org_id);
    CHECK(mj["orgs"][0]["role"] == "interviewer");
    bool listed = false;
    const auto members = body_json(o.b->get(org + "/members"))["members"];
    INFO("members: " << members.dump());
    for (const auto& m : members) {
      if (m["email"] == "ann@example.com") listed = m["role"] == "interviewer";
    }
    CHECK(listed);
    CHECK(br.get(org).status == 200);
    CHECK(br.get(org + "/audit").status == 403);  // interviewer

    // The same state again (even with its cookie put back): refused.
    browser replay{app.port};
    replay.jar.set(sso_cookie, f.state);
    auto again = finish_sso(replay, f);
    CHECK(refused(again));
    // A second login works and does not duplicate the membership.
    browser br2{app.port};
    auto f2 = begin_sso(br2, idp, "acme");
    CHECK(finish_sso(br2, f2).header("Location") == "/app/");
    CHECK(app.count("SELECT count(*) FROM users WHERE lower(email) = 'ann@example.com'") == 1);
    CHECK(app.count("SELECT count(*) FROM memberships m JOIN users u USING (user_id) WHERE lower(u.email) = "
                    "'ann@example.com'") == 1);
  }

  SECTION("a state cookie from another browser is refused") {
    browser br{app.port};
    auto f = begin_sso(br, idp, "acme");
    browser other{app.port};
    auto g = begin_sso(other, idp, "acme");  // another flow: a valid cookie, but not this state's
    br.jar.set(sso_cookie, other.jar.get(sso_cookie).value_or("x"));
    CHECK(refused(finish_sso(br, f)));
    browser none{app.port};  // no cookie at all
    auto h = begin_sso(none, idp, "acme");
    none.jar.erase(sso_cookie);
    CHECK(refused(finish_sso(none, h)));
    CHECK(app.count("SELECT count(*) FROM users WHERE lower(email) = 'ann@example.com'") == 0);
    (void)g;
  }

  SECTION("an e-mail outside the allowed domains is refused and provisions nothing") {
    fake_oidc_user eve;
    eve.sub = "eve";
    eve.email = "eve@evil.test";
    idp.set_user(eve);
    browser br{app.port};
    auto f = begin_sso(br, idp, "acme");
    CHECK(refused(finish_sso(br, f)));
    CHECK(app.count("SELECT count(*) FROM users WHERE lower(email) = 'eve@evil.test'") == 0);
    CHECK(body_json(o.b->get(org + "/members"))["members"].size() == 1);
  }

  SECTION("an unverified e-mail is refused") {
    fake_oidc_user u;
    u.sub = "unverified";
    u.email = "unverified@example.com";
    u.email_verified = false;
    idp.set_user(u);
    browser br{app.port};
    auto f = begin_sso(br, idp, "acme");
    CHECK(refused(finish_sso(br, f)));
    CHECK(app.count("SELECT count(*) FROM users WHERE lower(email) = 'unverified@example.com'") == 0);
  }

  SECTION("sso_required: members cannot sign in with a password any more") {
    const auto tok = invite(*o.b, o.org_id, "pat@example.com", "recruiter");
    accept_new(app.port, tok, "Pat", strong_password);
    http_reply before;
    login(app.port, "pat@example.com", strong_password, &before);
    REQUIRE(before.status == 200);
    auto req = o.b->put(org + "/sso", sso_body(idp, {"example.com"}, /*required=*/true, /*with_secret=*/false));
    INFO(req.body);
    REQUIRE(req.status == 200);
    CHECK(body_json(req)["client_secret_set"] == true);  // kept when not sent
    CHECK(body_json(o.b->get(org + "/sso"))["sso_required"] == true);
    http_reply after;
    login(app.port, "pat@example.com", strong_password, &after);
    CHECK(after.status == 403);
    CHECK_FALSE(find_set_cookie(after, session_cookie).has_value());
    // A wrong password still says 401 (no oracle for the SSO requirement without the password).
    http_reply wrong;
    login(app.port, "pat@example.com", "not her password", &wrong);
    CHECK(wrong.status == 401);
  }
}

TEST_CASE("sso e2e: an organization's identity provider cannot sign in as another organization's user",
          "[pg][e2e][sso][security]") {
  // Mallory owns org "evil" and controls an identity provider. Victor owns org "victim" with a
  // password account victor@victim.test. Mallory configures SSO for "evil" with her provider and
  // allowed domain victim.test, and makes her provider assert victor's e-mail.
  fake_oidc_provider idp{idp_options("victor@victim.test")};
  account_app app;
  auto victim = signup(app.port, "victim", "victor@victim.test");
  auto mallory = signup(app.port, "evil", "mallory@evil.test");
  auto put = mallory.b->put("/api/v1/orgs/" + mallory.org_id + "/sso", sso_body(idp, {"victim.test"}));
  INFO(put.body);
  REQUIRE(put.status == 200);

  browser br{app.port};
  auto f = begin_sso(br, idp, "evil");
  auto cb = finish_sso(br, f);
  INFO("callback: " << cb.status << " " << cb.header("Location"));
  // Whatever the callback answered, the resulting browser must not act as Victor in his org.
  auto in_victim_org = br.get("/api/v1/orgs/" + victim.org_id + "/members");
  INFO("victim org with the SSO session: " << in_victim_org.status << " " << in_victim_org.body);
  CHECK(in_victim_org.status != 200);
  auto api_key = br.post("/api/v1/orgs/" + victim.org_id + "/api-keys", json{{"name", "backdoor"}, {"role", "owner"}});
  CHECK(api_key.status != 201);
  CHECK(app.count("SELECT count(*) FROM api_keys") == 0);
}
