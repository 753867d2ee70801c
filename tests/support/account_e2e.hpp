#pragma once
// Helpers for the people-and-access end-to-end tests (tests/e2e/account*_pgtest.cpp,
// cross_org, session_invalidation, sso): the whole application serving as a non-superuser role
// (row-level security enforced), a cookie-keeping "browser", sign-up / login / invitation helpers
// and deadline polls for asynchronous effects (e-mail delivery, NOTIFY). Header-only; needs
// http_client.cpp and pg_fixture.cpp linked (hw_e2e_pgtests).
#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/app_fixture.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"

namespace hw::testing::e2e {

using nlohmann::json;
using namespace std::chrono_literals;

inline const std::string admin_token = "e2e-accounts-admin-token-0123456789abcdef0123";
inline constexpr const char* session_cookie = "__Host-hw_session";
inline constexpr const char* csrf_cookie = "__Host-hw_csrf";
inline constexpr const char* sso_cookie = "__Host-hw_sso";

using hw::testing::eventually;

inline json body_json(const http_reply& r) {
  INFO("status " << r.status << " body: " << r.body);
  json j = json::parse(r.body, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

/// The problem detail of an error answer ("" when absent).
inline std::string detail_of(const http_reply& r) {
  json j = json::parse(r.body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("detail") || !j["detail"].is_string()) return {};
  return j["detail"].get<std::string>();
}

inline bool is_unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

/// A browser: keeps cookies from Set-Cookie, sends them back, and on state-changing requests
/// sends X-CSRF-Token from the CSRF cookie (like the SPA does) unless told not to. Each request
/// uses a fresh connection.
struct browser {
  std::uint16_t port = 0;
  cookie_jar jar;
  std::string user_agent = "hw-e2e-browser/1.0";

  explicit browser(std::uint16_t p) : port(p) {}

  http_reply request(const std::string& method, const std::string& target, const std::string& body = {},
                     const header_list& extra = {}, bool with_csrf = true) {
    header_list h;
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    h.emplace_back("User-Agent", user_agent);
    if (!jar.empty()) h.emplace_back("Cookie", jar.header());
    if (with_csrf && is_unsafe(method)) {
      if (auto c = jar.get(csrf_cookie)) h.emplace_back("X-CSRF-Token", *c);
    }
    for (const auto& e : extra) h.push_back(e);
    auto r = http_request(port, method, target, body, h);
    jar.update(r);
    return r;
  }
  http_reply get(const std::string& t) { return request("GET", t); }
  http_reply post(const std::string& t, const json& b = json::object()) { return request("POST", t, b.dump()); }
  http_reply put(const std::string& t, const json& b) { return request("PUT", t, b.dump()); }
  http_reply patch(const std::string& t, const json& b) { return request("PATCH", t, b.dump()); }
  http_reply del(const std::string& t) { return request("DELETE", t); }

  std::string session() const { return jar.get(session_cookie).value_or(""); }
  std::string csrf() const { return jar.get(csrf_cookie).value_or(""); }
};

/// A request with a bearer token (API key or admin token), no cookies.
inline http_reply bearer(std::uint16_t port, const std::string& token, const std::string& method,
                         const std::string& target, const std::string& body = {}) {
  header_list h{{"Authorization", "Bearer " + token}};
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return http_request(port, method, target, body, h);
}

/// The application serving as pg_fixture's app role on a fresh database.
struct account_app {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  std::unique_ptr<running_app> app;
  std::uint16_t port = 0;

  account_app() { app = std::make_unique<running_app>(rls_app_config(db.app_dsn(), db.dsn(), admin_token)); port = app->port; }
  /// Another process on the same database.
  std::unique_ptr<running_app> another() const {
    return std::make_unique<running_app>(rls_app_config(db.app_dsn(), db.dsn(), admin_token));
  }

  long count(const std::string& sql) const {
    pqxx::connection c{db.dsn()};
    pqxx::nontransaction tx{c};
    return tx.exec1(sql)[0].as<long>();
  }
  std::string text(const std::string& sql) const {
    pqxx::connection c{db.dsn()};
    pqxx::nontransaction tx{c};
    auto r = tx.exec(sql);
    if (r.empty() || r[0][0].is_null()) return {};
    return r[0][0].as<std::string>();
  }
};

inline const std::string strong_password = "correct horse battery staple 42";

struct signed_up {
  std::unique_ptr<browser> b;
  std::string org_id;
  std::string org_slug;
  std::string user_id;
  std::string email;
  json session;
};

/// POST /api/v1/signup; REQUIREs 201.
inline signed_up signup(std::uint16_t port, const std::string& slug, const std::string& email,
                        const std::string& password = strong_password, const std::string& name = "Owner") {
  signed_up s;
  s.b = std::make_unique<browser>(port);
  auto r = s.b->post("/api/v1/signup", json{{"org_name", "Org " + slug},
                                            {"org_slug", slug},
                                            {"email", email},
                                            {"display_name", name},
                                            {"password", password}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  s.session = body_json(r);
  REQUIRE(s.session["orgs"].size() == 1);
  s.org_id = s.session["orgs"][0]["id"].get<std::string>();
  s.org_slug = slug;
  s.user_id = s.session["user"]["id"].get<std::string>();
  s.email = email;
  return s;
}

/// POST /api/v1/session into a fresh browser.
inline std::unique_ptr<browser> login(std::uint16_t port, const std::string& email, const std::string& password,
                                      http_reply* out = nullptr) {
  auto b = std::make_unique<browser>(port);
  auto r = b->post("/api/v1/session", json{{"email", email}, {"password", password}});
  if (out) *out = r;
  return b;
}

/// The dev mailbox of `org` as seen by `owner` (owner/admin role needed).
inline json mailbox(browser& owner, const std::string& org) {
  auto r = owner.get("/api/v1/orgs/" + org + "/dev-mailbox?limit=200");
  INFO(r.body);
  REQUIRE(r.status == 200);
  return body_json(r)["messages"];
}

/// Polls the dev mailbox until a DELIVERED message of `kind` to `to` is there (at least
/// `at_least` of them); returns the newest. Fails the test when the deadline passes.
inline json wait_for_mail(browser& owner, const std::string& org, const std::string& to, const std::string& kind,
                          std::size_t at_least = 1) {
  json found;
  const bool ok = eventually(
    [&] {
      auto msgs = mailbox(owner, org);
      std::size_t n = 0;
      json newest;
      for (const auto& m : msgs) {
        if (m["to"] == to && m["kind"] == kind && m["status"] == "sent") {
          if (n == 0) newest = m;  // newest first
          ++n;
        }
      }
      if (n >= at_least) {
        found = newest;
        return true;
      }
      return false;
    },
    15s);
  INFO("waiting for a delivered '" << kind << "' mail to " << to << " in org " << org);
  REQUIRE(ok);
  return found;
}

/// The token in a link `...#token=XYZ` of a mail's text body.
inline std::string token_from_mail(const json& mail) {
  const std::string text = mail["text_body"].get<std::string>();
  const auto at = text.find("#token=");
  INFO(text);
  REQUIRE(at != std::string::npos);
  auto end = at + 7;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_')) {
    ++end;
  }
  auto tok = text.substr(at + 7, end - at - 7);
  REQUIRE(tok.size() >= 32);
  return tok;
}

/// Invites `email` as `role` into `org` (as `inviter`), waits for the mail and returns the token.
inline std::string invite(browser& inviter, const std::string& org, const std::string& email, const std::string& role,
                          json* invitation = nullptr) {
  auto r = inviter.post("/api/v1/orgs/" + org + "/team-invitations", json{{"email", email}, {"role", role}});
  INFO(r.body);
  REQUIRE(r.status == 201);
  if (invitation) *invitation = body_json(r);
  return token_from_mail(wait_for_mail(inviter, org, email, "teammate_invitation"));
}

/// Accepts an invitation as a new account into a fresh browser; REQUIREs 200.
inline std::unique_ptr<browser> accept_new(std::uint16_t port, const std::string& token,
                                           const std::string& name = "Teammate",
                                           const std::string& password = strong_password, json* session = nullptr) {
  auto b = std::make_unique<browser>(port);
  auto r = b->post("/api/v1/team-invitations/accept",
                   json{{"token", token}, {"display_name", name}, {"password", password}});
  INFO(r.body);
  REQUIRE(r.status == 200);
  if (session) *session = body_json(r);
  REQUIRE_FALSE(b->session().empty());
  return b;
}

/// The audit entries of an org (the route answers `items`; API.md says `entries`: either).
inline json audit_items(browser& b, const std::string& org, const std::string& query = "?limit=200") {
  auto r = b.get("/api/v1/orgs/" + org + "/audit" + query);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = body_json(r);
  if (j.contains("entries")) return j["entries"];
  return j["items"];
}

}  // namespace hw::testing::e2e
