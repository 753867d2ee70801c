// storage/session_repo: sessions (global), their expiry with an injected clock, revocation with
// NOTIFY on hw_auth, auth audit rows fanned out to the user's organizations, and the NOTIFYs of
// the membership functions of user_repo.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"
#include "storage/user_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};

// Collects hw_auth payloads on its own connection. Waits are bounded by a timeout (no sleeps).
class auth_listener : public pqxx::notification_receiver {
 public:
  explicit auth_listener(pqxx::connection_base& c) : pqxx::notification_receiver(c, "hw_auth") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  /// Waits until `payload` has arrived (true) or 10 s passed (false).
  bool wait_for(const std::string& payload) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!has(payload)) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      conn().await_notification(1, 0);
    }
    return true;
  }
  bool has(const std::string& p) const {
    for (const auto& x : payloads) {
      if (x == p) return true;
    }
    return false;
  }
  std::vector<std::string> payloads;
};

struct world {
  pg_fixture db;
  st::connection_ptr c = db.connect();
  hw::org_id a, b;
  st::user_record alice;

  world() {
    a = make_org("org-a");
    b = make_org("org-b");
    alice = *st::create_user(*c, st::user_create{"alice@example.com", "Alice", std::nullopt});
    REQUIRE(st::add_membership(*c, a, alice.id, dm::role::owner, operator_cli));
    REQUIRE(st::add_membership(*c, b, alice.id, dm::role::viewer, operator_cli));
  }
  hw::org_id make_org(const std::string& slug) {
    auto o = st::insert_organization(*c, dm::org_create{"Org " + slug, slug, "UTC", {}}, operator_cli);
    REQUIRE(o);
    return o->id;
  }
  st::session_record login(const std::string& token, std::optional<hw::org_id> active = {},
                           std::chrono::seconds idle = 30min, std::chrono::seconds abs = 12h,
                           st::time_point now = t0) {
    st::new_session s;
    s.user_id = alice.id;
    s.id_hash = st::token_digest_hex(token);
    s.active_org = active;
    s.idle = idle;
    s.absolute = abs;
    hw::actor_ref who{"system", "", std::string{"10.0.0.7"}, std::string{"test-agent"},
                      std::string{"req-1"}};
    auto r = st::create_session(*c, s, now, who);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
  long audits(const std::string& action) {
    return count("SELECT count(*) FROM audit_events WHERE action = '" + action + "'");
  }
};

}  // namespace

TEST_CASE("session_repo: token digests are 64 lowercase hex of SHA-256", "[pg][session]") {
  CHECK(st::token_digest_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(st::is_token_digest(st::token_digest_hex("x")));
  CHECK_FALSE(st::is_token_digest("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  CHECK_FALSE(st::is_token_digest("abc"));
}

TEST_CASE("session_repo: create and load a session with all memberships", "[pg][session]") {
  world w;
  auto s = w.login("tok-1", w.a);
  CHECK(s.id_hash == st::token_digest_hex("tok-1"));
  CHECK(s.user_id == w.alice.id);
  CHECK(s.created_at == t0);
  CHECK(s.idle_expires_at == t0 + 30min);
  CHECK(s.absolute_expires_at == t0 + 12h);
  CHECK(s.absolute_expires_at_rfc3339 == "2030-03-18T05:46:40.000000Z");
  CHECK(s.ip == "10.0.0.7");
  CHECK(s.user_agent == "test-agent");
  REQUIRE(s.active_org);
  CHECK(*s.active_org == w.a);

  auto l = st::load_session(*w.c, s.id_hash, t0 + 1min);
  REQUIRE(l);
  CHECK(l->email == "alice@example.com");
  CHECK(l->display_name == "Alice");
  CHECK(l->roles.size() == 2);
  CHECK(l->roles.at(w.a.value) == dm::role::owner);
  CHECK(l->roles.at(w.b.value) == dm::role::viewer);
  CHECK(l->session.active_org == w.a);

  // The token itself is stored nowhere: only its digest.
  CHECK(w.count("SELECT count(*) FROM sessions WHERE id_hash = decode('" + s.id_hash + "', 'hex')") == 1);

  SECTION("auth.login is audited in each of the user's organizations, same request context") {
    CHECK(w.audits("auth.login") == 2);
    pqxx::nontransaction tx{*w.c};
    auto r = tx.exec1("SELECT actor_kind, actor_id, host(ip), detail::text FROM audit_events"
                      " WHERE action = 'auth.login' LIMIT 1");
    CHECK(r[0].as<std::string>() == "user");
    CHECK(r[1].as<std::string>() == w.alice.id);
    CHECK(r[2].as<std::string>() == "10.0.0.7");
    auto d = nlohmann::json::parse(r[3].as<std::string>());
    CHECK(d["method"] == "password");
    CHECK(d["session"] == s.id_hash.substr(0, 12));
  }
  SECTION("errors") {
    st::new_session bad;
    bad.user_id = w.alice.id;
    bad.id_hash = "nothex";
    CHECK(st::create_session(*w.c, bad, t0, operator_cli).code() == hw::errc::invalid_argument);
    bad.id_hash = st::token_digest_hex("other");
    bad.active_org = w.make_org("org-c");  // not a member
    CHECK(st::create_session(*w.c, bad, t0, operator_cli).code() == hw::errc::not_found);
    bad.active_org.reset();
    bad.user_id = "00000000-0000-0000-0000-000000000000";
    CHECK(st::create_session(*w.c, bad, t0, operator_cli).code() == hw::errc::not_found);
    bad.user_id = w.alice.id;
    bad.id_hash = s.id_hash;  // taken
    CHECK(st::create_session(*w.c, bad, t0, operator_cli).code() == hw::errc::conflict);
    CHECK(st::load_session(*w.c, "zz", t0).code() == hw::errc::unauthorized);
    CHECK(st::load_session(*w.c, st::token_digest_hex("unknown"), t0).code() ==
          hw::errc::unauthorized);
  }
}

TEST_CASE("session_repo: idle and absolute expiry follow the injected clock", "[pg][session]") {
  world w;
  auto s = w.login("tok", std::nullopt, 30min, 2h);
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 30min - 1us));
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 30min).code() == hw::errc::unauthorized);

  SECTION("touch extends the idle expiry, never past the absolute one") {
    auto t = st::touch_session(*w.c, s.id_hash, 30min, t0 + 20min);
    REQUIRE(t);
    CHECK(*t == t0 + 50min);
    CHECK(st::load_session(*w.c, s.id_hash, t0 + 45min));
    CHECK(*st::touch_session(*w.c, s.id_hash, 30min, t0 + 45min) == t0 + 75min);
    CHECK(*st::touch_session(*w.c, s.id_hash, 30min, t0 + 70min) == t0 + 100min);
    auto t2 = st::touch_session(*w.c, s.id_hash, 30min, t0 + 99min);
    REQUIRE(t2);
    CHECK(*t2 == t0 + 2h);  // capped
    CHECK(st::load_session(*w.c, s.id_hash, t0 + 2h - 1us));
    CHECK(st::load_session(*w.c, s.id_hash, t0 + 2h).code() == hw::errc::unauthorized);
    CHECK(st::touch_session(*w.c, s.id_hash, 30min, t0 + 2h).code() == hw::errc::unauthorized);
  }
  SECTION("an idle session cannot be revived by touching it") {
    CHECK(st::touch_session(*w.c, s.id_hash, 30min, t0 + 31min).code() == hw::errc::unauthorized);
  }
  SECTION("idle longer than absolute is cut to absolute") {
    auto s2 = w.login("tok2", std::nullopt, 5h, 1h);
    CHECK(s2.idle_expires_at == t0 + 1h);
  }
}

TEST_CASE("session_repo: revoking a session NOTIFYs session:<digest> and audits once",
          "[pg][session][notify]") {
  world w;
  auto s = w.login("tok");
  auto listen_conn = w.db.connect();
  auth_listener l{*listen_conn};

  auto r = st::revoke_session(*w.c, s.id_hash, "logout", t0 + 1min, hw::actor_ref{"user", w.alice.id});
  REQUIRE(r);
  CHECK(*r);
  CHECK(l.wait_for("session:" + s.id_hash));
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 2min).code() == hw::errc::unauthorized);
  CHECK(w.audits("session.revoked") == 2);

  // Idempotent: nothing more is written.
  auto again = st::revoke_session(*w.c, s.id_hash, "logout", t0 + 2min, operator_cli);
  REQUIRE(again);
  CHECK_FALSE(*again);
  CHECK(w.audits("session.revoked") == 2);
  CHECK(st::revoke_session(*w.c, s.id_hash, "Bad Reason", t0, operator_cli).code() ==
        hw::errc::invalid_argument);
}

TEST_CASE("session_repo: revoke_user_sessions ends all but one and NOTIFYs user:<uuid>",
          "[pg][session][notify]") {
  world w;
  auto keep = w.login("keep");
  auto s1 = w.login("one");
  auto s2 = w.login("two");
  auto listen_conn = w.db.connect();
  auth_listener l{*listen_conn};

  auto n = st::revoke_user_sessions(*w.c, w.alice.id, "password_changed", keep.id_hash, t0 + 1min,
                                    hw::actor_ref{"user", w.alice.id});
  REQUIRE(n);
  CHECK(*n == 2);
  CHECK(l.wait_for("user:" + w.alice.id));
  CHECK(st::load_session(*w.c, keep.id_hash, t0 + 2min));
  CHECK(st::load_session(*w.c, s1.id_hash, t0 + 2min).code() == hw::errc::unauthorized);
  CHECK(st::load_session(*w.c, s2.id_hash, t0 + 2min).code() == hw::errc::unauthorized);
  CHECK(w.audits("session.revoked_all") == 2);
  CHECK(w.count("SELECT count(*) FROM sessions WHERE revoke_reason = 'password_changed'") == 2);

  auto all = st::revoke_user_sessions(*w.c, w.alice.id, "logout_everywhere", std::nullopt,
                                      t0 + 3min, operator_cli);
  REQUIRE(all);
  CHECK(*all == 1);
  CHECK(*st::revoke_user_sessions(*w.c, w.alice.id, "x", std::nullopt, t0, operator_cli) == 0);
}

TEST_CASE("session_repo: a rolled-back revocation leaves no audit row and sends no NOTIFY",
          "[pg][session][notify][audit]") {
  world w;
  auto s = w.login("tok");
  auto listen_conn = w.db.connect();
  auth_listener l{*listen_conn};
  {
    pqxx::work tx{*w.c};
    CHECK(st::revoke_user_sessions(tx, w.alice.id, "admin", std::nullopt, t0, operator_cli) == 1);
    tx.abort();
  }
  CHECK(w.audits("session.revoked_all") == 0);
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 1min));
  // A committed marker: NOTIFYs arrive in commit order, so once it is here the rolled-back one
  // would have been too.
  auto other = w.login("other");
  REQUIRE(*st::revoke_session(*w.c, other.id_hash, "logout", t0, operator_cli));
  REQUIRE(l.wait_for("session:" + other.id_hash));
  CHECK_FALSE(l.has("user:" + w.alice.id));
}

TEST_CASE("session_repo: set_active_org needs a membership and NOTIFYs the session",
          "[pg][session][notify]") {
  world w;
  auto s = w.login("tok", w.a);
  auto listen_conn = w.db.connect();
  auth_listener l{*listen_conn};
  REQUIRE(st::set_active_org(*w.c, s.id_hash, w.b, t0 + 1min));
  CHECK(l.wait_for("session:" + s.id_hash));
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 1min)->session.active_org == w.b);

  auto c = w.make_org("org-c");
  CHECK(st::set_active_org(*w.c, s.id_hash, c, t0 + 1min).code() == hw::errc::not_found);
  CHECK(st::set_active_org(*w.c, s.id_hash, hw::org_id{"nope"}, t0).code() == hw::errc::not_found);
  CHECK(st::set_active_org(*w.c, s.id_hash, w.a, t0 + 1h).code() == hw::errc::unauthorized);
}

TEST_CASE("session_repo: membership changes NOTIFY user:<uuid>; a removed org drops out",
          "[pg][session][notify][user]") {
  world w;
  auto s = w.login("tok", w.b);
  auto bob = *st::create_user(*w.c, st::user_create{"bob@example.com", "Bob", std::nullopt});
  auto listen_conn = w.db.connect();
  auth_listener l{*listen_conn};

  SECTION("add_membership") {
    REQUIRE(st::add_membership(*w.c, w.a, bob.id, dm::role::viewer, operator_cli));
    CHECK(l.wait_for("user:" + bob.id));
  }
  SECTION("change_role") {
    REQUIRE(st::change_role(*w.c, w.b, w.alice.id, dm::role::admin, operator_cli));
    CHECK(l.wait_for("user:" + w.alice.id));
    CHECK(st::load_session(*w.c, s.id_hash, t0)->roles.at(w.b.value) == dm::role::admin);
  }
  SECTION("remove_member: the session keeps its other organizations, loses the active one") {
    REQUIRE(st::remove_member(*w.c, w.b, w.alice.id, operator_cli));
    CHECK(l.wait_for("user:" + w.alice.id));
    auto ls = st::load_session(*w.c, s.id_hash, t0);
    REQUIRE(ls);
    CHECK(ls->roles.count(w.b.value) == 0);
    CHECK(ls->roles.count(w.a.value) == 1);
    CHECK_FALSE(ls->session.active_org);
  }
  SECTION("create_org_with_owner") {
    auto o = st::create_org_with_owner(*w.c, dm::org_create{"New", "new-org", "UTC", {}},
                                       st::user_create{"bob@example.com", "", std::nullopt},
                                       operator_cli);
    REQUIRE(o);
    CHECK(l.wait_for("user:" + bob.id));
  }
}

TEST_CASE("session_repo: append_user_audit fans out to at most 20 organizations",
          "[pg][session][audit]") {
  world w;
  for (int i = 0; i < 21; ++i) {
    auto o = w.make_org("fan-" + std::to_string(i));
    REQUIRE(st::add_membership(*w.c, o, w.alice.id, dm::role::viewer, operator_cli));
  }
  hw::audit_entry e;
  e.who = hw::actor_ref{"system", "", std::string{"10.1.2.3"}};
  e.action = "auth.login_failed";
  e.outcome = "failure";
  auto n = st::append_user_audit(*w.c, w.alice.id, e);
  REQUIRE(n);
  CHECK(*n == 20);
  CHECK(w.audits("auth.login_failed") == 20);
  // The oldest memberships get it: org-a and org-b are among them.
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'auth.login_failed' AND org_id IN ('" +
                w.a.value + "', '" + w.b.value + "')") == 2);
  CHECK(*st::append_user_audit(*w.c, "00000000-0000-0000-0000-000000000000", e) == 0);
}

TEST_CASE("session_repo: purge_sessions deletes long-expired and long-revoked sessions",
          "[pg][session]") {
  world w;
  auto s1 = w.login("short", std::nullopt, 10min, 1h);
  auto s2 = w.login("long", std::nullopt, 10min, 48h);
  auto s3 = w.login("revoked", std::nullopt, 10min, 48h);
  REQUIRE(*st::revoke_session(*w.c, s3.id_hash, "logout", t0 + 1min, operator_cli));
  auto n = st::purge_sessions(*w.c, t0 + 24h + 30min, 24h);
  REQUIRE(n);
  CHECK(*n == 1);  // the one revoked more than 24 h ago; the 1 h session ended only 23.5 h ago
  n = st::purge_sessions(*w.c, t0 + 25h + 1s, 24h);
  CHECK(*n == 1);  // now its absolute expiry is over 24 h old
  CHECK(w.count("SELECT count(*) FROM sessions") == 1);
  (void)s1;
  (void)s2;
}

TEST_CASE("session_repo: change_password stores the hash, ends the other sessions and audits, in one go",
          "[pg][session]") {
  world w;
  w.login("keep-me", w.a);
  w.login("other-1");
  w.login("other-2");
  const hw::actor_ref me{"user", w.alice.id};
  const std::string hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
  auto r = st::change_password(*w.c, w.alice.id, hash, st::token_digest_hex("keep-me"), t0 + 1min, me);
  REQUIRE(r);
  CHECK(*r == 2);
  CHECK(st::load_session(*w.c, st::token_digest_hex("keep-me"), t0 + 2min));
  CHECK(st::load_session(*w.c, st::token_digest_hex("other-1"), t0 + 2min).code() == hw::errc::unauthorized);
  CHECK(st::load_user(*w.c, w.alice.id)->password_hash == hash);
  CHECK(w.audits("auth.password_changed") == 2);  // one row in each of alice's two organizations
  // A hash that is not argon2id changes nothing.
  auto bad = st::change_password(*w.c, w.alice.id, "plain", std::nullopt, t0 + 3min, me);
  CHECK(bad.code() == hw::errc::invalid_argument);
  CHECK(st::load_session(*w.c, st::token_digest_hex("keep-me"), t0 + 3min));
  CHECK(st::change_password(*w.c, "00000000-0000-0000-0000-000000000000", hash, std::nullopt, t0, me).code() ==
        hw::errc::not_found);
}

TEST_CASE("session_repo: an SSO session acts only in its own organization", "[pg][session]") {
  world w;
  st::new_session s;
  s.user_id = w.alice.id;
  s.id_hash = st::token_digest_hex("sso-token");
  s.active_org = w.a;
  s.method = "sso";
  REQUIRE(st::create_session(*w.c, s, t0, hw::actor_ref{"user", w.alice.id}));
  auto loaded = st::load_session(*w.c, s.id_hash, t0 + 1s);
  REQUIRE(loaded);
  CHECK(loaded->auth_method == "sso");
  REQUIRE(loaded->roles.size() == 1);  // alice is in a and b; the session only reaches a
  CHECK(loaded->roles.count(w.a.value) == 1);
  CHECK(st::set_active_org(*w.c, s.id_hash, w.b, t0 + 2s).code() == hw::errc::not_found);
  CHECK(st::set_active_org(*w.c, s.id_hash, w.a, t0 + 2s));
  // A password session of the same person reaches both.
  auto pw = w.login("pw-token");
  CHECK(st::load_session(*w.c, pw.id_hash, t0 + 1s)->roles.size() == 2);
}
