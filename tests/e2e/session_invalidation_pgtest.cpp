// Two application processes on one database, like several servers behind a load balancer: each
// caches sessions in memory, and a session ended or a membership changed through one of them
// reaches the other through LISTEN/NOTIFY on channel hw_auth. The notification is asynchronous,
// so the other process's answer is polled with a deadline (the test fails if it never changes).
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/account_e2e.hpp"

using namespace hw::testing;
using namespace hw::testing::e2e;

namespace {

/// Both processes' LISTEN connections are up (their caches only work while listening; a lookup
/// made before that is simply not cached).
void wait_listening(const account_app& app, long processes) {
  const auto sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + app.db.database() +
                   "' AND query ILIKE 'LISTEN%'";
  INFO("waiting for " << processes << " LISTEN connections");
  REQUIRE(eventually([&] { return app.count(sql) >= processes; }));
}

/// The same browser cookies, talking to another process.
browser same_cookies_on(std::uint16_t port, const browser& from) {
  browser b{port};
  b.jar = from.jar;
  return b;
}

}  // namespace

TEST_CASE("session invalidation e2e: logout, removal and role changes through A reach B's cache",
          "[pg][e2e][session_invalidation]") {
  account_app app;  // process A
  auto other = app.another();  // process B
  const auto pa = app.port;
  const auto pb = other->port;
  wait_listening(app, 2);

  auto owner = signup(pa, "acme", "owner@acme.test");
  const std::string org = owner.org_id;

  SECTION("logout through A ends the session on B") {
    auto& onA = owner.b;  // the sign-up session (started by A)
    auto onB = same_cookies_on(pb, *onA);
    REQUIRE(onB.get("/api/v1/session").status == 200);  // B looks it up and caches it
    REQUIRE(onB.get("/api/v1/orgs/" + org).status == 200);
    const auto cookie = onB.jar;
    REQUIRE(onA->del("/api/v1/session").status == 204);
    CHECK(onA->get("/api/v1/session").status == 401);
    browser probe{pb};
    probe.jar = cookie;
    CHECK(eventually([&] { return probe.get("/api/v1/orgs/" + org).status == 401; }));
    CHECK(probe.get("/api/v1/session").status == 401);
  }

  SECTION("a member removed through A is signed out on B") {
    const auto token = invite(*owner.b, org, "rita@acme.test", "admin");
    json s;
    auto rita = accept_new(pa, token, "Rita", strong_password, &s);
    const std::string rita_id = s["user"]["id"];
    auto ritaB = same_cookies_on(pb, *rita);
    REQUIRE(ritaB.get("/api/v1/orgs/" + org + "/members").status == 200);
    auto rm = owner.b->del("/api/v1/orgs/" + org + "/members/" + rita_id);
    INFO(rm.body);
    REQUIRE(rm.status == 204);
    // Her sessions end (API.md "Ends the removed user's sessions"); at the least she has no
    // access to the organization any more on B.
    CHECK(eventually([&] {
      const auto st = ritaB.get("/api/v1/orgs/" + org + "/members").status;
      return st == 401;
    }));
    CHECK(ritaB.get("/api/v1/session").status == 401);
  }

  SECTION("a role changed through A is enforced by B") {
    const auto token = invite(*owner.b, org, "adam@acme.test", "admin");
    json s;
    auto adam = accept_new(pa, token, "Adam", strong_password, &s);
    const std::string adam_id = s["user"]["id"];
    auto adamB = same_cookies_on(pb, *adam);
    REQUIRE(adamB.get("/api/v1/orgs/" + org + "/api-keys").status == 200);  // admin may list keys
    auto ch = owner.b->patch("/api/v1/orgs/" + org + "/members/" + adam_id, json{{"role", "viewer"}});
    INFO(ch.body);
    REQUIRE(ch.status == 200);
    CHECK(eventually([&] { return adamB.get("/api/v1/orgs/" + org + "/api-keys").status == 403; }));
    auto me = adamB.get("/api/v1/session");
    REQUIRE(me.status == 200);
    CHECK(body_json(me)["orgs"][0]["role"] == "viewer");
    CHECK(adamB.get("/api/v1/orgs/" + org).status == 200);  // still a member
  }

  SECTION("B answers from its cache until told: a silent revocation is not seen, a NOTIFY is") {
    auto& onA = owner.b;
    auto onB = same_cookies_on(pb, *onA);
    REQUIRE(onB.get("/api/v1/orgs/" + org).status == 200);
    REQUIRE(onB.get("/api/v1/orgs/" + org).status == 200);
    // Revoke every session row behind both processes' backs: no NOTIFY.
    app.db.exec("UPDATE sessions SET revoked_at = now(), revoke_reason = 'test' WHERE revoked_at IS NULL");
    // B still trusts its cache (the point of the cache: no database round trip per request).
    CHECK(onB.get("/api/v1/orgs/" + org).status == 200);
    // The notification B listens for ends it.
    app.db.exec("SELECT pg_notify('hw_auth', 'user:" + owner.user_id + "')");
    CHECK(eventually([&] { return onB.get("/api/v1/orgs/" + org).status == 401; }));
  }
}
