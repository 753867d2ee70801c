// storage/api_key_repo: create/list/revoke with audit rows, the cross-tenant lookup by digest,
// first use audited exactly once, last_used_at throttled, and row-level security as the app role.
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <thread>

#include "storage/api_key_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};
const hw::actor_ref creator{"user", "11111111-1111-1111-1111-111111111111"};

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  st::api_key_record make_key(const hw::org_id& org, const std::string& key,
                              std::optional<st::time_point> expires = {}) {
    st::api_key_create_row row{"CI  key", key.substr(0, 8), st::token_digest_hex(key),
                               dm::role::recruiter, expires};
    auto r = st::create_api_key(*c, org, row, t0, creator);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
};

}  // namespace

TEST_CASE("api_key_repo: create, list and revoke with audit rows", "[pg][api_key]") {
  world w;
  auto k = w.make_key(w.a, "hwk_abcdefSECRET1", t0 + 30 * 24h);
  CHECK(k.org == w.a);
  CHECK(k.name == "CI  key");
  CHECK(k.prefix == "hwk_abcd");
  CHECK(k.role == dm::role::recruiter);
  CHECK(k.created_by_kind == "user");
  CHECK(k.created_by_id == creator.id);
  CHECK(k.expires_at.has_value());
  CHECK_FALSE(k.last_used_at);
  CHECK_FALSE(k.revoked_at);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'api_key.created' AND target = '" +
                k.id + "' AND detail->>'role' = 'recruiter'") == 1);
  // Only the digest is stored.
  CHECK(w.count("SELECT count(*) FROM api_keys WHERE key_hash = sha256('hwk_abcdefSECRET1'::bytea)") == 1);

  auto list = st::list_api_keys(*w.c, w.a);
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK(st::list_api_keys(*w.c, w.b)->empty());

  CHECK(st::revoke_api_key(*w.c, w.b, k.id, t0, operator_cli).code() == hw::errc::not_found);
  REQUIRE(st::revoke_api_key(*w.c, w.a, k.id, t0 + 1h, creator));
  REQUIRE(st::revoke_api_key(*w.c, w.a, k.id, t0 + 2h, creator));  // idempotent
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'api_key.revoked'") == 1);
  CHECK(st::list_api_keys(*w.c, w.a)->at(0).revoked_at.has_value());

  SECTION("validation") {
    auto bad = [&](st::api_key_create_row row) {
      return st::create_api_key(*w.c, w.a, row, t0, creator).code();
    };
    const auto d = st::token_digest_hex("k2");
    CHECK(bad({"", "hwk_1234", d, dm::role::viewer, {}}) == hw::errc::invalid_argument);
    CHECK(bad({std::string(101, 'n'), "hwk_1234", d, dm::role::viewer, {}}) == hw::errc::invalid_argument);
    CHECK(bad({"n", "hw", d, dm::role::viewer, {}}) == hw::errc::invalid_argument);
    CHECK(bad({"n", "hwk 1234", d, dm::role::viewer, {}}) == hw::errc::invalid_argument);
    CHECK(bad({"n", "hwk_1234", "nothex", dm::role::viewer, {}}) == hw::errc::invalid_argument);
    CHECK(bad({"n", "hwk_1234", d, dm::role::viewer, t0}) == hw::errc::invalid_argument);
    CHECK(bad({"n", "hwk_abcd", st::token_digest_hex("hwk_abcdefSECRET1"), dm::role::viewer, {}}) ==
          hw::errc::conflict);
    CHECK(st::create_api_key(*w.c, hw::org_id{"00000000-0000-0000-0000-000000000000"},
                             {"n", "hwk_1234", d, dm::role::viewer, {}}, t0, creator)
            .code() == hw::errc::not_found);
  }
}

TEST_CASE("api_key_repo: find by hash across tenants refuses revoked and expired keys",
          "[pg][api_key]") {
  world w;
  auto k = w.make_key(w.b, "hwk_validkey0001", t0 + 24h);
  auto f = st::find_api_key_by_hash(*w.c, st::token_digest_hex("hwk_validkey0001"), t0 + 1h);
  REQUIRE(f);
  CHECK(f->id == k.id);
  CHECK(f->org == w.b);
  CHECK(st::find_api_key_by_hash(*w.c, st::token_digest_hex("hwk_validkey0001"), t0 + 24h).code() ==
        hw::errc::unauthorized);  // expired
  CHECK(st::find_api_key_by_hash(*w.c, st::token_digest_hex("other"), t0).code() ==
        hw::errc::unauthorized);
  CHECK(st::find_api_key_by_hash(*w.c, "bad", t0).code() == hw::errc::unauthorized);
  REQUIRE(st::revoke_api_key(*w.c, w.b, k.id, t0 + 2h, creator));
  CHECK(st::find_api_key_by_hash(*w.c, st::token_digest_hex("hwk_validkey0001"), t0 + 3h).code() ==
        hw::errc::unauthorized);
}

TEST_CASE("api_key_repo: first use is audited once; last_used_at at most once a minute",
          "[pg][api_key]") {
  world w;
  auto k = w.make_key(w.a, "hwk_usedkey00001");
  auto last_used = [&] {
    return st::list_api_keys(*w.c, w.a)->at(0).last_used_at.value_or("");
  };
  auto first = st::mark_api_key_used(*w.c, w.a, k.id, t0 + 10s, creator);
  REQUIRE(first);
  CHECK(*first);
  const auto at_first = last_used();
  CHECK_FALSE(at_first.empty());
  CHECK(st::list_api_keys(*w.c, w.a)->at(0).first_used_at == at_first);
  CHECK_FALSE(*st::mark_api_key_used(*w.c, w.a, k.id, t0 + 30s, creator));
  CHECK(last_used() == at_first);  // within the minute: not written
  CHECK_FALSE(*st::mark_api_key_used(*w.c, w.a, k.id, t0 + 70s, creator));
  CHECK(last_used() != at_first);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'api_key.first_used'") == 1);
  CHECK(st::mark_api_key_used(*w.c, w.b, k.id, t0, creator).code() == hw::errc::not_found);
}

TEST_CASE("api_key_repo: concurrent first uses audit exactly once", "[pg][api_key][concurrency]") {
  world w;
  auto k = w.make_key(w.a, "hwk_racekey00001");
  auto c1 = w.db.connect();
  auto c2 = w.db.connect();
  std::optional<hw::result<bool>> r1, r2;
  std::thread x{[&] { r1.emplace(st::mark_api_key_used(*c1, w.a, k.id, t0 + 1s, creator)); }};
  std::thread y{[&] { r2.emplace(st::mark_api_key_used(*c2, w.a, k.id, t0 + 1s, creator)); }};
  x.join();
  y.join();
  REQUIRE(*r1);
  REQUIRE(*r2);
  CHECK(static_cast<int>(**r1) + static_cast<int>(**r2) == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'api_key.first_used'") == 1);
}

TEST_CASE("api_key_repo: as the app role another org's keys are invisible, lookup by hash works",
          "[pg][api_key][rls]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  auto ka = st::create_api_key(*app, w.a,
                               {"a", "hwk_aaaa", st::token_digest_hex("hwk_aaaa1"), dm::role::viewer, {}},
                               t0, creator);
  REQUIRE(ka);
  auto kb = w.make_key(w.b, "hwk_bbbb1");
  {
    pqxx::read_transaction tx{*app};
    st::set_tenant(tx, w.a);
    CHECK(tx.exec1("SELECT count(*) FROM api_keys")[0].as<long>() == 1);  // no org_id filter
  }
  CHECK(st::list_api_keys(*app, w.a)->size() == 1);
  CHECK(st::revoke_api_key(*app, w.a, kb.id, t0, creator).code() == hw::errc::not_found);
  CHECK(st::mark_api_key_used(*app, w.a, kb.id, t0, creator).code() == hw::errc::not_found);
  auto f = st::find_api_key_by_hash(*app, st::token_digest_hex("hwk_bbbb1"), t0);
  REQUIRE(f);
  CHECK(f->org == w.b);
  CHECK(*st::mark_api_key_used(*app, w.b, kb.id, t0, creator));
}
