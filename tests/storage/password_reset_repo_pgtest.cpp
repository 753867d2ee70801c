// storage/password_reset_repo: single-use, 30-minute reset tokens (global), the reset e-mail in
// the oldest membership's organization, and the one-transaction consume (password + sessions).
#include <catch2/catch.hpp>

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "storage/email_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/password_reset_repo.hpp"
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
const hw::actor_ref anon{"system", "", std::string{"10.0.0.9"}};
const std::string new_hash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdHNhbHQ$bmV3aGFzaG5ld2hhc2g";

st::email_draft reset_mail() {
  return st::email_draft{"password_reset", "ignored@example.com", "Reset your password",
                         "Open https://app.example/reset#TOKEN"};
}

struct world {
  pg_fixture db;
  st::connection_ptr c = db.connect();
  st::user_record alice;
  hw::org_id first, second;

  world() {
    alice = *st::create_user(*c, st::user_create{"Alice@Example.com", "Alice", std::nullopt});
    first = make_org("first");
    second = make_org("second");
    REQUIRE(st::add_membership(*c, first, alice.id, dm::role::viewer, anon));
    REQUIRE(st::add_membership(*c, second, alice.id, dm::role::owner, anon));
  }
  hw::org_id make_org(const std::string& slug) {
    auto o = st::insert_organization(*c, dm::org_create{"Org " + slug, slug, "UTC", {}}, anon);
    REQUIRE(o);
    return o->id;
  }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
  st::password_reset_created request(const std::string& token, st::time_point now = t0) {
    auto r = st::create_password_reset(*c, alice.id, st::token_digest_hex(token), now + 30min,
                                       reset_mail(), now, anon);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
};

}  // namespace

TEST_CASE("password_reset_repo: the request queues the mail in the oldest membership's org",
          "[pg][password_reset]") {
  world w;
  auto r = w.request("tok");
  REQUIRE(r.mail_org);
  CHECK(*r.mail_org == w.first);
  REQUIRE(r.email_id);
  auto m = st::load_email(*w.c, w.first, *r.email_id);
  REQUIRE(m);
  REQUIRE(*m);
  CHECK((*m)->to_address == "Alice@Example.com");  // the account's address, not the draft's
  CHECK((*m)->kind == "password_reset");
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'send_email'") == 1);
  // Audited in both organizations, without the address.
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'auth.password_reset_requested'"
                " AND detail::text NOT LIKE '%@%'") == 2);

  SECTION("a user without memberships gets a token but no mail") {
    auto bob = *st::create_user(*w.c, st::user_create{"bob@example.com", "", std::nullopt});
    auto b = st::create_password_reset(*w.c, bob.id, st::token_digest_hex("b"), t0 + 10min,
                                       reset_mail(), t0, anon);
    REQUIRE(b);
    CHECK_FALSE(b->mail_org);
    CHECK_FALSE(b->email_id);
    CHECK(w.count("SELECT count(*) FROM password_resets") == 2);
  }
  SECTION("validation") {
    auto digest = st::token_digest_hex("x");
    CHECK(st::create_password_reset(*w.c, w.alice.id, digest, t0 + 31min, reset_mail(), t0, anon)
            .code() == hw::errc::invalid_argument);
    CHECK(st::create_password_reset(*w.c, w.alice.id, digest, t0, reset_mail(), t0, anon).code() ==
          hw::errc::invalid_argument);
    CHECK(st::create_password_reset(*w.c, w.alice.id, "short", t0 + 1min, reset_mail(), t0, anon)
            .code() == hw::errc::invalid_argument);
    CHECK(st::create_password_reset(*w.c, "00000000-0000-0000-0000-000000000000", digest,
                                    t0 + 1min, reset_mail(), t0, anon)
            .code() == hw::errc::not_found);
    auto bad_mail = reset_mail();
    bad_mail.subject = "line\r\nBcc: x@y";
    // (two minutes later: the "tok" link of t0 no longer holds back a new one)
    CHECK(st::create_password_reset(*w.c, w.alice.id, digest, t0 + 3min, bad_mail, t0 + 2min, anon).code() ==
          hw::errc::invalid_argument);
    // nothing of the refused requests was written
    CHECK(w.count("SELECT count(*) FROM password_resets") == 1);
  }
}

TEST_CASE("password_reset_repo: consume sets the password, ends sessions, is single-use",
          "[pg][password_reset]") {
  world w;
  w.request("tok");
  st::new_session s;
  s.user_id = w.alice.id;
  s.id_hash = st::token_digest_hex("session");
  REQUIRE(st::create_session(*w.c, s, t0, anon));

  auto listen_conn = w.db.connect();
  struct receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    void operator()(const std::string& p, int) override { got.push_back(p); }
    std::vector<std::string> got;
  } l{*listen_conn, "hw_auth"};

  auto r = st::consume_password_reset(*w.c, st::token_digest_hex("tok"), new_hash, t0 + 5min, anon);
  REQUIRE(r);
  CHECK(r->user_id == w.alice.id);
  CHECK(r->sessions_revoked == 1);
  CHECK(st::load_user(*w.c, w.alice.id)->password_hash == new_hash);
  CHECK(st::load_session(*w.c, s.id_hash, t0 + 6min).code() == hw::errc::unauthorized);
  for (int i = 0; i < 10 && l.got.empty(); ++i) listen_conn->await_notification(1, 0);
  REQUIRE(l.got.size() == 1);
  CHECK(l.got[0] == "user:" + w.alice.id);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'auth.password_reset'") == 2);

  // Single use.
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("tok"), new_hash, t0 + 6min, anon)
          .code() == hw::errc::unauthorized);
}

TEST_CASE("password_reset_repo: expired, superseded and unknown tokens are refused",
          "[pg][password_reset]") {
  world w;
  w.request("old");
  w.request("new", t0 + 1min);  // supersedes "old"
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("old"), new_hash, t0 + 2min, anon)
          .code() == hw::errc::unauthorized);
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("new"), new_hash, t0 + 31min, anon)
          .code() == hw::errc::unauthorized);  // expired at t0 + 31 min exactly
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("nope"), new_hash, t0, anon).code() ==
        hw::errc::unauthorized);
  CHECK(st::consume_password_reset(*w.c, "zz", new_hash, t0, anon).code() == hw::errc::unauthorized);
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("new"), "plain", t0 + 2min, anon)
          .code() == hw::errc::invalid_argument);
  CHECK_FALSE(st::load_user(*w.c, w.alice.id)->password_hash);  // nothing changed
  // Still valid just before expiry.
  CHECK(st::consume_password_reset(*w.c, st::token_digest_hex("new"), new_hash,
                                   t0 + 31min - 1us, anon));
}

TEST_CASE("password_reset_repo: two concurrent consumes of one token: exactly one wins",
          "[pg][password_reset][concurrency]") {
  world w;
  w.request("tok");
  auto c1 = w.db.connect();
  auto c2 = w.db.connect();
  std::optional<hw::result<st::password_reset_consumed>> r1, r2;
  std::thread a{[&] { r1.emplace(st::consume_password_reset(*c1, st::token_digest_hex("tok"), new_hash, t0 + 1min, anon)); }};
  std::thread b{[&] { r2.emplace(st::consume_password_reset(*c2, st::token_digest_hex("tok"), new_hash, t0 + 1min, anon)); }};
  a.join();
  b.join();
  CHECK(static_cast<int>(r1->has_value()) + static_cast<int>(r2->has_value()) == 1);
  CHECK((r1->code() == hw::errc::unauthorized || r2->code() == hw::errc::unauthorized));
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'auth.password_reset'") == 2);
}

TEST_CASE("password_reset_repo: purge deletes long-expired rows", "[pg][password_reset]") {
  world w;
  w.request("a");
  w.request("b", t0 + 2h);
  auto n = st::purge_password_resets(*w.c, t0 + 2h, 1h);
  REQUIRE(n);
  CHECK(*n == 1);
  CHECK(w.count("SELECT count(*) FROM password_resets") == 1);
}

TEST_CASE("password_reset_repo: one link a minute per account; check does not consume",
          "[pg][password_reset]") {
  world w;
  w.request("first");
  const auto before = w.count("SELECT count(*) FROM email_messages");
  auto again = st::create_password_reset(*w.c, w.alice.id, st::token_digest_hex("second"), t0 + 30s + 30min,
                                         reset_mail(), t0 + 30s, anon);
  CHECK(again.code() == hw::errc::rate_limited);
  CHECK(w.count("SELECT count(*) FROM email_messages") == before);  // no second mail
  CHECK(st::check_password_reset(*w.c, st::token_digest_hex("first"), t0 + 40s));  // the link still works
  CHECK(st::check_password_reset(*w.c, st::token_digest_hex("second"), t0 + 40s).code() ==
        hw::errc::unauthorized);
  CHECK(st::check_password_reset(*w.c, "not a digest", t0).code() == hw::errc::unauthorized);
  CHECK(st::check_password_reset(*w.c, st::token_digest_hex("first"), t0 + 31min).code() ==
        hw::errc::unauthorized);  // expired
  // Checking twice consumes nothing; consuming once ends it.
  CHECK(st::check_password_reset(*w.c, st::token_digest_hex("first"), t0 + 41s));
  REQUIRE(st::consume_password_reset(*w.c, st::token_digest_hex("first"),
                                     "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", t0 + 42s, anon));
  CHECK(st::check_password_reset(*w.c, st::token_digest_hex("first"), t0 + 43s).code() == hw::errc::unauthorized);
}
