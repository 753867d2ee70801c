// People and access end to end (issue 3): the whole application serving as a non-superuser
// database role (row-level security enforced) on a fresh database, driven over HTTP like the SPA
// drives it: cookies, CSRF double submit, teammate invitations delivered through the dev mailbox,
// roles, logout, throttled login, password reset, API keys, sign out everywhere, switching
// organizations, and an audit log that never contains a secret.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "tests/support/account_e2e.hpp"

using namespace hw::testing;
using namespace hw::testing::e2e;

namespace {

std::string org_path(const std::string& id) { return "/api/v1/orgs/" + id; }

std::set<std::string> actions_of(const json& items) {
  std::set<std::string> out;
  for (const auto& it : items) out.insert(it["action"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("accounts e2e: sign-up cookies, session, CSRF, invitation, roles and logout", "[pg][e2e][accounts]") {
  account_app app;
  browser owner{app.port};
  auto r = owner.post("/api/v1/signup", json{{"org_name", "Acme"},
                                             {"org_slug", "acme"},
                                             {"email", "owner@acme.test"},
                                             {"display_name", "Olga Owner"},
                                             {"password", strong_password}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(r.header("Cache-Control") == "no-store");

  // The two cookies, with the attributes API.md promises.
  auto sc = find_set_cookie(r, session_cookie);
  auto cc = find_set_cookie(r, csrf_cookie);
  REQUIRE(sc);
  REQUIRE(cc);
  CHECK(sc->value.size() >= 43);
  CHECK(sc->has("HttpOnly"));
  CHECK(sc->attribute("SameSite") == std::optional<std::string>{"Lax"});
  CHECK(sc->attribute("Path") == std::optional<std::string>{"/"});
  CHECK(sc->has("Secure"));  // __Host- cookies must be Secure
  CHECK_FALSE(sc->has("Domain"));  // __Host- cookies never carry Domain
  CHECK_FALSE(cc->has("HttpOnly"));  // the SPA reads it
  CHECK(cc->attribute("SameSite") == std::optional<std::string>{"Lax"});
  CHECK(cc->attribute("Path") == std::optional<std::string>{"/"});
  CHECK(cc->has("Secure"));

  auto s = body_json(r);
  CHECK(s["csrf_token"] == cc->value);
  CHECK(s["user"]["email"] == "owner@acme.test");
  CHECK(s["user"]["display_name"] == "Olga Owner");
  REQUIRE(s["orgs"].size() == 1);
  CHECK(s["orgs"][0]["slug"] == "acme");
  CHECK(s["orgs"][0]["role"] == "owner");
  CHECK(r.body.find(sc->value) == std::string::npos);  // the session secret is in the cookie only
  const std::string org = s["orgs"][0]["id"];
  const std::string owner_id = s["user"]["id"];

  // The session, and the organization, with the cookie.
  auto me = owner.get("/api/v1/session");
  REQUIRE(me.status == 200);
  CHECK(body_json(me)["user"]["id"] == owner_id);
  CHECK(body_json(me)["csrf_token"] == cc->value);
  auto got = owner.get(org_path(org));
  INFO(got.body);
  REQUIRE(got.status == 200);
  CHECK(body_json(got)["slug"] == "acme");
  // No credential: 401.
  CHECK(http_request(app.port, "GET", org_path(org)).status == 401);

  // A state-changing request without the CSRF header: 403 csrf, nothing changes.
  auto no_csrf = owner.request("PATCH", org_path(org), json{{"name", "Hijacked"}}.dump(), {}, /*with_csrf=*/false);
  CHECK(no_csrf.status == 403);
  CHECK(body_json(no_csrf)["type"] == "urn:hirewire:problem:csrf");
  auto wrong_csrf =
    owner.request("PATCH", org_path(org), json{{"name", "Hijacked"}}.dump(), {{"X-CSRF-Token", "AAAA"}}, false);
  CHECK(wrong_csrf.status == 403);
  // A cross-site browser request is refused even with the token.
  auto cross = owner.request("PATCH", org_path(org), json{{"name", "Hijacked"}}.dump(),
                             {{"Sec-Fetch-Site", "cross-site"}});
  CHECK(cross.status == 403);
  CHECK(app.text("SELECT name FROM organizations") == "Acme");
  auto ok = owner.patch(org_path(org), json{{"name", "Acme Renamed"}});
  INFO(ok.body);
  CHECK(ok.status == 200);
  CHECK(app.text("SELECT name FROM organizations") == "Acme Renamed");

  // Invite a recruiter; the e-mail is delivered to the dev mailbox; the link carries the token.
  json inv;
  const auto token = invite(owner, org, "rita@acme.test", "recruiter", &inv);
  CHECK(inv["status"] == "pending");
  CHECK(inv["role"] == "recruiter");
  auto preview = http_request(app.port, "POST", "/api/v1/team-invitations/preview", json{{"token", token}}.dump(),
                              {{"Content-Type", "application/json"}});
  INFO(preview.body);
  REQUIRE(preview.status == 200);
  auto pj = body_json(preview);
  CHECK(pj["org_slug"] == "acme");
  CHECK(pj["email"] == "rita@acme.test");
  CHECK(pj["role"] == "recruiter");
  CHECK(pj["account_exists"] == false);

  json rita_session;
  auto rita = accept_new(app.port, token, "Rita Recruiter", strong_password, &rita_session);
  REQUIRE(rita_session["orgs"].size() == 1);
  CHECK(rita_session["orgs"][0]["role"] == "recruiter");
  const std::string rita_id = rita_session["user"]["id"];
  auto rme = rita->get("/api/v1/session");
  REQUIRE(rme.status == 200);
  CHECK(body_json(rme)["orgs"][0]["role"] == "recruiter");
  CHECK(body_json(rme)["user"]["display_name"] == "Rita Recruiter");
  // The accepted token is spent.
  auto again = http_request(app.port, "POST", "/api/v1/team-invitations/accept",
                            json{{"token", token}, {"display_name", "X"}, {"password", strong_password}}.dump(),
                            {{"Content-Type", "application/json"}});
  CHECK(again.status == 401);

  // A recruiter may read but not invite nor see API keys.
  CHECK(rita->get(org_path(org)).status == 200);
  CHECK(rita->get(org_path(org) + "/members").status == 200);
  auto rinv = rita->post(org_path(org) + "/team-invitations", json{{"email", "x@acme.test"}, {"role", "viewer"}});
  CHECK(rinv.status == 403);
  CHECK(rita->get(org_path(org) + "/api-keys").status == 403);
  CHECK(app.count("SELECT count(*) FROM team_invitations") == 1);

  // The owner makes her a viewer; her next request sees the new role.
  auto members = body_json(owner.get(org_path(org) + "/members"))["members"];
  CHECK(members.size() == 2);
  auto ch = owner.patch(org_path(org) + "/members/" + rita_id, json{{"role", "viewer"}});
  INFO(ch.body);
  REQUIRE(ch.status == 200);
  CHECK(body_json(ch)["role"] == "viewer");
  CHECK(body_json(rita->get("/api/v1/session"))["orgs"][0]["role"] == "viewer");

  // The last owner cannot demote himself.
  auto self_demote = owner.patch(org_path(org) + "/members/" + owner_id, json{{"role", "admin"}});
  CHECK(self_demote.status == 409);
  CHECK(app.count("SELECT count(*) FROM memberships WHERE role = 'owner'") == 1);

  // Logout: 204, cookies cleared, the old cookie is refused.
  const auto rita_cookie = rita->session();
  auto out = rita->del("/api/v1/session");
  CHECK(out.status == 204);
  auto cleared = find_set_cookie(out, session_cookie);
  REQUIRE(cleared);
  CHECK(cleared->value.empty());
  CHECK(cleared->attribute("Max-Age") == std::optional<std::string>{"0"});
  CHECK(rita->session().empty());
  auto stale = http_request(app.port, "GET", "/api/v1/session", {},
                            {{"Cookie", std::string{session_cookie} + "=" + rita_cookie}});
  CHECK(stale.status == 401);
}

TEST_CASE("accounts e2e: wrong password and unknown e-mail look alike; repeated failures are throttled",
          "[pg][e2e][accounts]") {
  account_app app;
  auto o = signup(app.port, "acme", "owner@acme.test");

  http_reply wrong, unknown;
  login(app.port, "owner@acme.test", "not the password at all", &wrong);
  login(app.port, "nobody@acme.test", "not the password at all", &unknown);
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK_FALSE(detail_of(wrong).empty());
  CHECK(detail_of(wrong) == detail_of(unknown));
  CHECK_FALSE(find_set_cookie(wrong, session_cookie).has_value());

  // Keep failing: the lock grows (1 s, 2 s, 4 s...) so an attempt lands inside it: 429 + Retry-After.
  http_reply last;
  bool throttled = false;
  for (int i = 0; i < 14 && !throttled; ++i) {
    login(app.port, "owner@acme.test", "still wrong " + std::to_string(i), &last);
    if (last.status == 429) throttled = true;
    else REQUIRE(last.status == 401);
  }
  INFO(last.body);
  REQUIRE(throttled);
  const auto retry = last.header("Retry-After");
  REQUIRE_FALSE(retry.empty());
  CHECK(std::stoi(retry) >= 1);
  // While locked even the right password is refused.
  http_reply locked;
  login(app.port, "owner@acme.test", strong_password, &locked);
  CHECK(locked.status == 429);
  // The failed attempts are in the audit log, without the passwords tried.
  auto items = audit_items(*o.b, o.org_id);
  CHECK(actions_of(items).count("auth.login_failed") == 1);
  CHECK(items.dump().find("still wrong") == std::string::npos);
  CHECK(items.dump().find("not the password") == std::string::npos);
}

TEST_CASE("accounts e2e: password reset by e-mail ends old sessions; the link works once", "[pg][e2e][accounts]") {
  account_app app;
  auto o = signup(app.port, "acme", "owner@acme.test");
  auto second = login(app.port, "owner@acme.test", strong_password);
  REQUIRE(second->get("/api/v1/session").status == 200);

  auto req = http_request(app.port, "POST", "/api/v1/password-reset", json{{"email", "owner@acme.test"}}.dump(),
                          {{"Content-Type", "application/json"}});
  CHECK(req.status == 202);
  auto unknown = http_request(app.port, "POST", "/api/v1/password-reset",
                              json{{"email", "nobody@acme.test"}}.dump(), {{"Content-Type", "application/json"}});
  CHECK(unknown.status == 202);
  CHECK(unknown.body == req.body);

  const auto mail = wait_for_mail(*o.b, o.org_id, "owner@acme.test", "password_reset");
  const auto token = token_from_mail(mail);
  CHECK(mail["text_body"].get<std::string>().find("/app/reset#token=") != std::string::npos);
  CHECK(app.count("SELECT count(*) FROM email_messages WHERE to_address = 'nobody@acme.test'") == 0);

  const std::string fresh = "a brand new passphrase 7";
  auto confirm = http_request(app.port, "POST", "/api/v1/password-reset/confirm",
                              json{{"token", token}, {"password", fresh}}.dump(),
                              {{"Content-Type", "application/json"}});
  INFO(confirm.body);
  REQUIRE(confirm.status == 204);

  CHECK(o.b->get("/api/v1/session").status == 401);
  CHECK(second->get("/api/v1/session").status == 401);
  http_reply old_pw, new_pw;
  login(app.port, "owner@acme.test", strong_password, &old_pw);
  CHECK(old_pw.status == 401);
  auto b = login(app.port, "owner@acme.test", fresh, &new_pw);
  CHECK(new_pw.status == 200);
  CHECK(b->get("/api/v1/session").status == 200);

  auto twice = http_request(app.port, "POST", "/api/v1/password-reset/confirm",
                            json{{"token", token}, {"password", "yet another passphrase 9"}}.dump(),
                            {{"Content-Type", "application/json"}});
  CHECK(twice.status == 401);
  http_reply after;
  login(app.port, "owner@acme.test", fresh, &after);
  CHECK(after.status == 200);

  // The work shows in /metrics: argon2id jobs on the bounded pool, session checks from the cache
  // (the first request of a session loads it, the next ones hit the cache).
  CHECK(b->get("/api/v1/session").status == 200);
  CHECK(b->get("/api/v1/session").status == 200);
  auto m = http_request(app.port, "GET", "/metrics", "", {});
  REQUIRE(m.status == 200);
  auto sample = [&](const std::string& name) -> long {
    auto at = m.body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stol(m.body.substr(at + name.size() + 2));
  };
  CHECK(sample("hw_hash_pool_workers") == 2);
  CHECK(sample("hw_hash_pool_completed_total") >= 4);  // sign-up, logins, the reset's new hash
  CHECK(sample("hw_hash_pool_rejected_total") == 0);
  CHECK(sample("hw_session_cache_enabled") == 1);
  CHECK(sample("hw_session_cache_hits_total") >= 1);
  CHECK(sample("hw_session_cache_misses_total") >= 1);
}

TEST_CASE("accounts e2e: API keys: shown once, bearer without CSRF, bound to one org, revocable",
          "[pg][e2e][accounts]") {
  account_app app;
  auto a = signup(app.port, "acme", "owner@acme.test");
  auto b = signup(app.port, "beta", "owner@beta.test");

  auto created = a.b->post(org_path(a.org_id) + "/api-keys", json{{"name", "ci"}, {"role", "admin"}});
  INFO(created.body);
  REQUIRE(created.status == 201);
  auto cj = body_json(created);
  const std::string secret = cj["secret"];
  const std::string key_id = cj["api_key"]["id"];
  CHECK(secret.rfind("hwk_", 0) == 0);
  CHECK(secret.size() == 4 + 43);
  CHECK(cj["api_key"]["role"] == "admin");
  CHECK(secret.rfind(cj["api_key"]["prefix"].get<std::string>(), 0) == 0);

  // Listed without the secret.
  auto list = a.b->get(org_path(a.org_id) + "/api-keys");
  REQUIRE(list.status == 200);
  CHECK(body_json(list)["api_keys"].size() == 1);
  CHECK(list.body.find(secret) == std::string::npos);
  CHECK(list.body.find(secret.substr(4)) == std::string::npos);

  // Bearer: reads and writes without CSRF or cookies.
  CHECK(bearer(app.port, secret, "GET", org_path(a.org_id)).status == 200);
  auto w = bearer(app.port, secret, "PATCH", org_path(a.org_id), json{{"name", "By key"}}.dump());
  INFO(w.body);
  CHECK(w.status == 200);
  // Another organization: 404, as if it did not exist.
  CHECK(bearer(app.port, secret, "GET", org_path(b.org_id)).status == 404);
  CHECK(bearer(app.port, secret, "GET", org_path(b.org_id) + "/members").status == 404);
  // Not a session.
  CHECK(bearer(app.port, secret, "GET", "/api/v1/session").status == 403);
  // A forged key.
  CHECK(bearer(app.port, "hwk_" + std::string(43, 'A'), "GET", org_path(a.org_id)).status == 401);

  // A viewer key may only read.
  auto vk = body_json(a.b->post(org_path(a.org_id) + "/api-keys", json{{"name", "ro"}, {"role", "viewer"}}));
  CHECK(bearer(app.port, vk["secret"], "GET", org_path(a.org_id)).status == 200);
  CHECK(bearer(app.port, vk["secret"], "PATCH", org_path(a.org_id), json{{"name", "No"}}.dump()).status == 403);

  // An admin key follows the admin's rules: it may not make anyone an owner, nor demote or
  // remove an owner (people's role rules are checked in storage; a key's in the service).
  {
    const auto tok = invite(*a.b, a.org_id, "vera@acme.test", "viewer");
    accept_new(app.port, tok, "Vera", strong_password);
    std::string vera_id, owner_id;
    auto members = a.b->get(org_path(a.org_id) + "/members");
    INFO(members.body);
    const auto listed_members = body_json(members);  // kept alive: range-for over a member of a temporary dangles
    for (const auto& m : listed_members["members"]) {
      if (m["email"] == "vera@acme.test") vera_id = m["user_id"].get<std::string>();
      if (m["role"] == "owner") owner_id = m["user_id"].get<std::string>();
    }
    REQUIRE_FALSE(vera_id.empty());
    REQUIRE_FALSE(owner_id.empty());
    auto to_owner = bearer(app.port, secret, "PATCH", org_path(a.org_id) + "/members/" + vera_id,
                           json{{"role", "owner"}}.dump());
    INFO(to_owner.body);
    CHECK(to_owner.status == 403);
    CHECK(bearer(app.port, secret, "PATCH", org_path(a.org_id) + "/members/" + owner_id,
                 json{{"role", "viewer"}}.dump())
            .status == 403);
    CHECK(bearer(app.port, secret, "DELETE", org_path(a.org_id) + "/members/" + owner_id).status == 403);
    CHECK(bearer(app.port, secret, "PATCH", org_path(a.org_id) + "/members/" + vera_id,
                 json{{"role", "recruiter"}}.dump())
            .status == 200);
    CHECK(app.count("SELECT count(*) FROM memberships WHERE role = 'owner'") == 2);  // acme + beta
  }

  // Revoked: 401 from then on.
  CHECK(a.b->del(org_path(a.org_id) + "/api-keys/" + key_id).status == 204);
  CHECK(bearer(app.port, secret, "GET", org_path(a.org_id)).status == 401);
  auto listed = body_json(a.b->get(org_path(a.org_id) + "/api-keys"))["api_keys"];
  bool revoked_listed = false;
  for (const auto& k : listed) {
    if (k["id"] == key_id) revoked_listed = !k["revoked_at"].is_null();
  }
  CHECK(revoked_listed);
}

TEST_CASE("accounts e2e: sign out everywhere, change password, and switching between two organizations",
          "[pg][e2e][accounts]") {
  account_app app;
  auto a = signup(app.port, "acme", "owner@acme.test");
  auto b = signup(app.port, "beta", "owner@beta.test");

  SECTION("sign out everywhere ends both sessions") {
    auto second = login(app.port, "owner@acme.test", strong_password);
    REQUIRE(second->get("/api/v1/session").status == 200);
    auto r = a.b->post("/api/v1/session/revoke-all");
    CHECK(r.status == 204);
    CHECK(a.b->get("/api/v1/session").status == 401);
    CHECK(second->get("/api/v1/session").status == 401);
    CHECK(app.count("SELECT count(*) FROM sessions WHERE revoked_at IS NULL") == 1);  // b's own
  }

  SECTION("changing the password ends the other sessions, keeps this one") {
    auto second = login(app.port, "owner@acme.test", strong_password);
    auto bad = a.b->post("/api/v1/password",
                         json{{"current_password", "wrong wrong wrong"}, {"new_password", "another fine passphrase"}});
    CHECK(bad.status == 401);
    CHECK(a.b->get("/api/v1/session").status == 200);  // a wrong current password does not log out
    auto good = a.b->post("/api/v1/password",
                          json{{"current_password", strong_password}, {"new_password", "another fine passphrase"}});
    INFO(good.body);
    CHECK(good.status == 204);
    CHECK(a.b->get("/api/v1/session").status == 200);
    CHECK(second->get("/api/v1/session").status == 401);
    http_reply lr;
    login(app.port, "owner@acme.test", "another fine passphrase", &lr);
    CHECK(lr.status == 200);
  }

  SECTION("a user in two organizations switches the active one") {
    // Beta invites Acme's owner (an existing account) as a viewer.
    const auto token = invite(*b.b, b.org_id, "owner@acme.test", "viewer");
    auto pv = http_request(app.port, "POST", "/api/v1/team-invitations/preview", json{{"token", token}}.dump(),
                           {{"Content-Type", "application/json"}});
    REQUIRE(pv.status == 200);
    CHECK(body_json(pv)["account_exists"] == true);
    // Not yet a member: 404 (also for another signed-in tab, whose principal is now cached).
    CHECK(a.b->get(org_path(b.org_id)).status == 404);
    auto tab = login(app.port, "owner@acme.test", strong_password);
    REQUIRE(tab->get(org_path(a.org_id)).status == 200);
    CHECK(tab->get(org_path(b.org_id)).status == 404);
    auto wrong = a.b->post("/api/v1/team-invitations/accept", json{{"token", token}, {"password", "wrong pw x"}});
    // Signed in as the invited user with a CSRF token: the session is used (password not needed)
    // or, if the service insists on the password, refused; either way no second account appears.
    CHECK(app.count("SELECT count(*) FROM users WHERE lower(email) = 'owner@acme.test'") == 1);
    if (wrong.status != 200) {
      auto acc = a.b->post("/api/v1/team-invitations/accept", json{{"token", token}, {"password", strong_password}});
      INFO(acc.body);
      REQUIRE(acc.status == 200);
    }
    auto me = body_json(a.b->get("/api/v1/session"));
    REQUIRE(me["orgs"].size() == 2);
    CHECK(a.b->get(org_path(b.org_id)).status == 200);
    // The other tab's cached principal learns the new membership (NOTIFY user:...).
    CHECK(eventually([&] { return tab->get(org_path(b.org_id)).status == 200; }));
    auto sw = a.b->put("/api/v1/session/org", json{{"org_id", b.org_id}});
    INFO(sw.body);
    REQUIRE(sw.status == 200);
    CHECK(body_json(sw)["active_org"] == b.org_id);
    CHECK(body_json(a.b->get("/api/v1/session"))["active_org"] == b.org_id);
    // A viewer in beta: reading is fine, inviting is not.
    CHECK(a.b->post(org_path(b.org_id) + "/team-invitations", json{{"email", "z@beta.test"}, {"role", "viewer"}})
            .status == 403);
    // An organization he is not in: 404, and the active one stays.
    auto c = signup(app.port, "gamma", "owner@gamma.test");
    CHECK(a.b->put("/api/v1/session/org", json{{"org_id", c.org_id}}).status == 404);
    CHECK(a.b->put("/api/v1/session/org", json{{"org_id", "not-a-uuid"}}).status == 404);
    CHECK(body_json(a.b->get("/api/v1/session"))["active_org"] == b.org_id);
    CHECK(a.b->put("/api/v1/session/org", json{{"org_id", a.org_id}}).status == 200);
  }
}

TEST_CASE("accounts e2e: the audit log lists who did what and never a secret", "[pg][e2e][accounts][audit]") {
  account_app app;
  auto a = signup(app.port, "acme", "owner@acme.test");
  http_reply lr;
  auto second = login(app.port, "owner@acme.test", strong_password, &lr);
  REQUIRE(lr.status == 200);
  const std::string second_cookie = second->session();
  const std::string second_csrf = second->csrf();
  json inv;
  const auto token = invite(*a.b, a.org_id, "rita@acme.test", "recruiter", &inv);
  auto rita = accept_new(app.port, token, "Rita", "rita's own passphrase 1");
  auto key = body_json(a.b->post(org_path(a.org_id) + "/api-keys", json{{"name", "ci"}, {"role", "viewer"}}));
  const std::string secret = key["secret"];
  REQUIRE(bearer(app.port, secret, "GET", org_path(a.org_id)).status == 200);
  REQUIRE(second->del("/api/v1/session").status == 204);
  http_reply bad;
  login(app.port, "owner@acme.test", "a wrong password here", &bad);
  REQUIRE(bad.status == 401);

  // The asynchronous appends (first key use, failed login) land eventually.
  json items;
  const std::set<std::string> expected{"organization.created", "auth.login",       "member.invited",
                                       "member.invitation_accepted", "api_key.created", "session.revoked",
                                       "auth.login_failed"};
  const bool all = eventually([&] {
    items = audit_items(*a.b, a.org_id);
    auto got = actions_of(items);
    for (const auto& e : expected) {
      if (!got.count(e)) return false;
    }
    return true;
  });
  INFO(items.dump(2));
  CHECK(all);
  for (const auto& it : items) {
    if (it["action"] == "auth.login") {
      CHECK(it["actor"]["kind"] == "user");
      CHECK(it["ip"] == "127.0.0.1");
    }
  }

  // No secret anywhere: not in the API's view, not in the table itself.
  std::string rows;
  {
    pqxx::connection c{app.db.dsn()};
    pqxx::nontransaction tx{c};
    for (const auto& row : tx.exec("SELECT to_jsonb(a)::text FROM audit_events a")) rows += row[0].c_str();
  }
  const std::string api_view = items.dump();
  for (const std::string& s : {a.b->session(), a.b->csrf(), second_cookie, second_csrf, token, secret,
                               secret.substr(4), rita->session(), strong_password,
                               std::string{"rita's own passphrase 1"}, std::string{"a wrong password here"}}) {
    REQUIRE(s.size() >= 16);
    CHECK(api_view.find(s) == std::string::npos);
    CHECK(rows.find(s) == std::string::npos);
  }
}
