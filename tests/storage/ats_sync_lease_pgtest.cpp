// storage/ats_schedule_repo's sync lease (migration 0017): two "processes" are two owner ids (each
// on its own connection as the app role, so row-level security applies) racing for the claim of
// one connection's pull; expiry and renewal through the injected clock; fencing of the outcome
// write, renewal and release; the schedule read showing the holder; the credentials digest behind
// `reconnected`.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "storage/ats_connection_repo.hpp"
#include "storage/ats_schedule_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

// The injected clock: a fixed instant with a non-zero microsecond part, advanced by hand.
const st::time_point t0 = st::time_point{} + std::chrono::microseconds{1'900'000'000'123'456LL};
const hw::actor_ref recruiter{"user", "11111111-1111-1111-1111-111111111111"};
const std::string proc_a = "ats-host1-101-aaaa";
const std::string proc_b = "ats-host2-101-bbbb";
const std::string creds1 = std::string{"\x01\x02k1", 4} + std::string{"\x00\xffSEALED-ONE", 12};
const std::string creds2 = std::string{"\x01\x02k1", 4} + std::string{"\x00\xffSEALED-TWO", 12};

struct world : hw::testing::two_org_world {
  world() : two_org_world(pg_fixture::app_role::create) {}
  st::connection_ptr pa = db.connect_app();  // process A's connection
  st::connection_ptr pb = db.connect_app();  // process B's connection

  std::string make_conn(const hw::org_id& org) {
    st::ats_connection_create_row row;
    row.id = new_id();
    row.vendor = "greenhouse";
    row.name = "Greenhouse";
    row.credentials_enc = creds1;
    row.credentials_key_id = "k1";
    auto r = st::create_ats_connection(*c, org, row, t0, recruiter);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    auto step = dm::decide({r->state, r->consecutive_failures}, dm::ats_connection_event::test_succeeded, {});
    REQUIRE(step);
    REQUIRE(st::apply_ats_transition(*c, org, row.id, r->version, *step, t0, recruiter));
    return row.id;
  }
  st::ats_sync_claim claim(pqxx::connection_base& conn, const std::string& id, const std::string& owner,
                           st::time_point now, std::chrono::milliseconds ttl = 60s) {
    auto r = st::claim_ats_sync(conn, a, id, owner, ttl, now);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  st::ats_connection_record row(const std::string& id) {
    auto r = st::load_ats_connection(*c, a, id);
    REQUIRE(r);
    return *r;
  }
  st::ats_sync_outcome ok_outcome(st::time_point next) {
    st::ats_sync_outcome o;
    o.success = true;
    o.next_sync_at = next;
    return o;
  }
};

std::string rfc3339(st::time_point t) {
  // The repository's text form of a timestamp, to compare with load_ats_connection.
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(us % 1'000'000));
  return std::string{buf} + frac;
}

}  // namespace

TEST_CASE("ats sync lease: the first claimer holds it, another process is told who holds it until when",
          "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto first = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(first.claimed);
  CHECK(first.lease.owner == proc_a);
  CHECK(first.lease.epoch == 1);
  CHECK(first.lease.until == t0 + 60s);  // exact to the microsecond through the database
  CHECK(first.lease.connection_id == id);

  auto second = w.claim(*w.pb, id, proc_b, t0 + 59s);
  CHECK_FALSE(second.claimed);
  CHECK(second.holder == proc_a);
  CHECK(second.held_until == t0 + 60s);

  // The schedule read (system scope, every tenant) shows the holder too.
  auto rows = st::list_live_ats_connections(*w.pb);
  REQUIRE(rows);
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].sync_lease_owner == proc_a);
  CHECK((*rows)[0].sync_lease_until == t0 + 60s);

  SECTION("released, the other process claims it at once and the epoch moves on") {
    auto rel = st::release_ats_sync(*w.pa, first.lease);
    REQUIRE(rel);
    CHECK(*rel);
    auto again = w.claim(*w.pb, id, proc_b, t0 + 1s);
    REQUIRE(again.claimed);
    CHECK(again.lease.epoch == 2);
    // A second release by the old holder changes nothing: B keeps its lease.
    auto rel2 = st::release_ats_sync(*w.pa, first.lease);
    REQUIRE(rel2);
    CHECK_FALSE(*rel2);
    CHECK_FALSE(w.claim(*w.pa, id, proc_a, t0 + 2s).claimed);
    rows = st::list_live_ats_connections(*w.pa);
    REQUIRE(rows);
    CHECK((*rows)[0].sync_lease_owner == proc_b);
  }
  SECTION("a released lease shows no holder in the schedule") {
    REQUIRE(*st::release_ats_sync(*w.pa, first.lease));
    rows = st::list_live_ats_connections(*w.pa);
    REQUIRE(rows);
    CHECK_FALSE((*rows)[0].sync_lease_owner);
    CHECK_FALSE((*rows)[0].sync_lease_until);
  }
}

TEST_CASE("ats sync lease: two processes racing for one claim: exactly one wins, every time", "[pg][ats][lease]") {
  world w;
  for (int round = 0; round < 20; ++round) {
    const auto id = w.make_conn(w.a);
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    st::ats_sync_claim got_a, got_b;
    auto racer = [&](pqxx::connection_base& conn, const std::string& owner, st::ats_sync_claim& out) {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      auto r = st::claim_ats_sync(conn, w.a, id, owner, 60s, t0);
      if (r) out = *r;
      else out.holder = "error: " + r.error().detail;
    };
    std::thread ta{racer, std::ref(*w.pa), proc_a, std::ref(got_a)};
    std::thread tb{racer, std::ref(*w.pb), proc_b, std::ref(got_b)};
    while (ready.load() < 2) std::this_thread::yield();
    go.store(true);
    ta.join();
    tb.join();
    INFO("round " << round << " a.holder=" << got_a.holder.value_or("-") << " b.holder=" << got_b.holder.value_or("-"));
    REQUIRE(got_a.claimed != got_b.claimed);
    const auto& loser = got_a.claimed ? got_b : got_a;
    CHECK(loser.holder == (got_a.claimed ? proc_a : proc_b));
    CHECK((got_a.claimed ? got_a : got_b).lease.epoch == 1);
  }
}

TEST_CASE("ats sync lease: an expired lease is taken over and the old holder is fenced", "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto a = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(a.claimed);
  CHECK_FALSE(w.claim(*w.pb, id, proc_b, t0 + 60s - 1us).claimed);
  // Process A stalled (or crashed): at lease_until the lease is free for B.
  auto b = w.claim(*w.pb, id, proc_b, t0 + 60s);
  REQUIRE(b.claimed);
  CHECK(b.lease.epoch == 2);

  const auto before = w.row(id);
  // A's late outcome is refused and writes nothing; so are its renewal and its release.
  auto lease_a = a.lease;
  auto late = st::record_leased_sync_outcome(*w.pa, lease_a, w.ok_outcome(t0 + 2h), creds2, 60s, t0 + 61s);
  REQUIRE(late);
  CHECK_FALSE(*late);
  auto after = w.row(id);
  CHECK(after.last_sync_at == before.last_sync_at);
  CHECK(after.next_sync_at == before.next_sync_at);
  CHECK(after.last_success_at == before.last_success_at);
  auto renewed = st::renew_ats_sync(*w.pa, lease_a, 60s, t0 + 61s);
  REQUIRE(renewed);
  CHECK_FALSE(*renewed);
  CHECK(lease_a.until == t0 + 60s);  // untouched on failure
  auto released = st::release_ats_sync(*w.pa, lease_a);
  REQUIRE(released);
  CHECK_FALSE(*released);
  // A's refused write did not record its credentials either.
  auto replaced = st::ats_credentials_replaced(*w.pa, w.a, id, creds2);
  REQUIRE(replaced);
  CHECK_FALSE(*replaced);

  // B's outcome goes through, renews B's lease, and B releases it.
  auto lease_b = b.lease;
  auto ok = st::record_leased_sync_outcome(*w.pb, lease_b, w.ok_outcome(t0 + 2h), creds1, 60s, t0 + 90s);
  REQUIRE(ok);
  CHECK(*ok);
  CHECK(lease_b.until == t0 + 150s);
  after = w.row(id);
  CHECK(after.last_sync_at == rfc3339(t0 + 90s));
  CHECK(after.last_success_at == rfc3339(t0 + 90s));
  CHECK(after.next_sync_at == rfc3339(t0 + 2h));
  CHECK(after.version == before.version);  // bookkeeping only: no CAS version step
  auto rel = st::release_ats_sync(*w.pb, lease_b);
  REQUIRE(rel);
  CHECK(*rel);
}

TEST_CASE("ats sync lease: renewals keep a long pull's lease, a failed run's outcome is fenced too",
          "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto a = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(a.claimed);
  auto lease = a.lease;
  // A 10-minute pull renewing every 50 s never lets B in.
  for (int i = 1; i <= 12; ++i) {
    const auto now = t0 + i * 50s;
    auto r = st::renew_ats_sync(*w.pa, lease, 60s, now);
    REQUIRE(r);
    REQUIRE(*r);
    CHECK(lease.until == now + 60s);
    auto other = w.claim(*w.pb, id, proc_b, now + 59s);
    CHECK_FALSE(other.claimed);
    CHECK(other.held_until == now + 60s);
  }
  st::ats_sync_outcome failed;
  failed.success = false;
  failed.error = std::string(600, 'x');  // cut to the column's 500 bytes
  failed.next_sync_at = t0 + 3h;
  auto rec = st::record_leased_sync_outcome(*w.pa, lease, failed, std::nullopt, 60s, t0 + 700s);
  REQUIRE(rec);
  CHECK(*rec);
  auto r = w.row(id);
  CHECK(r.last_error_at == rfc3339(t0 + 700s));
  REQUIRE(r.last_error);
  CHECK(r.last_error->size() == 500);
  CHECK_FALSE(r.last_success_at);
  CHECK(r.next_sync_at == rfc3339(t0 + 3h));

  SECTION("an expired lease nobody claimed can still be renewed by its holder") {
    auto late = st::renew_ats_sync(*w.pa, lease, 60s, t0 + 2h);
    REQUIRE(late);
    CHECK(*late);
    CHECK_FALSE(w.claim(*w.pb, id, proc_b, t0 + 2h + 1s).claimed);
  }
}

TEST_CASE("ats sync lease: the same process may take its own lease over, which fences its older worker",
          "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto crashed = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(crashed.claimed);
  // The worker that crashed mid-pull is replaced; the new one claims before its lease expired.
  auto fresh = w.claim(*w.pa, id, proc_a, t0 + 5s);
  REQUIRE(fresh.claimed);
  CHECK(fresh.lease.epoch == 2);
  auto old = crashed.lease;
  auto stale = st::record_leased_sync_outcome(*w.pa, old, w.ok_outcome(t0 + 1h), std::nullopt, 60s, t0 + 6s);
  REQUIRE(stale);
  CHECK_FALSE(*stale);
  auto renewed = st::renew_ats_sync(*w.pa, old, 60s, t0 + 6s);
  REQUIRE(renewed);
  CHECK_FALSE(*renewed);
  auto cur = fresh.lease;
  auto rec = st::record_leased_sync_outcome(*w.pa, cur, w.ok_outcome(t0 + 1h), std::nullopt, 60s, t0 + 7s);
  REQUIRE(rec);
  CHECK(*rec);
}

TEST_CASE("ats sync lease: unknown, other tenants' and disconnected connections cannot be claimed",
          "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto foreign = st::claim_ats_sync(*w.pa, w.b, id, proc_a, 60s, t0);  // org b naming org a's row
  REQUIRE_FALSE(foreign);
  CHECK(foreign.code() == hw::errc::not_found);
  auto unknown = st::claim_ats_sync(*w.pa, w.a, w.new_id(), proc_a, 60s, t0);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.code() == hw::errc::not_found);
  auto bad = st::claim_ats_sync(*w.pa, w.a, "not-a-uuid", proc_a, 60s, t0);
  REQUIRE_FALSE(bad);
  CHECK(bad.code() == hw::errc::not_found);
  CHECK(st::claim_ats_sync(*w.pa, w.a, id, "", 60s, t0).code() == hw::errc::invalid_argument);
  CHECK(st::claim_ats_sync(*w.pa, w.a, id, proc_a, 10ms, t0).code() == hw::errc::invalid_argument);

  // Another tenant's fenced write cannot reach the row, even with the right token.
  auto held = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(held.claimed);
  auto spoof = held.lease;
  spoof.org = w.b;
  auto r = st::record_leased_sync_outcome(*w.pa, spoof, w.ok_outcome(t0 + 1h), std::nullopt, 60s, t0 + 1s);
  REQUIRE(r);
  CHECK_FALSE(*r);

  auto cur = w.row(id);
  REQUIRE(st::disconnect_ats_connection(*w.c, w.a, id, cur.version, t0 + 2s, recruiter));
  auto gone = st::claim_ats_sync(*w.pa, w.a, id, proc_a, 60s, t0 + 3s);
  REQUIRE_FALSE(gone);
  CHECK(gone.code() == hw::errc::not_found);
  // Deleting the connection deletes its lease row.
  REQUIRE(st::delete_ats_connection(*w.c, w.a, id, t0 + 4s, recruiter));
  pqxx::nontransaction tx{*w.c};
  CHECK(tx.exec1("SELECT count(*) FROM ats_sync_leases")[0].as<long>() == 0);
}

TEST_CASE("ats sync lease: the credentials of the last recorded step decide `replaced`", "[pg][ats][lease]") {
  world w;
  const auto id = w.make_conn(w.a);
  auto q = [&](const std::optional<std::string>& sealed) {
    auto r = st::ats_credentials_replaced(*w.pb, w.a, id, sealed);
    REQUIRE(r);
    return *r;
  };
  CHECK_FALSE(q(creds1));  // nothing recorded yet
  CHECK_FALSE(q(creds2));
  REQUIRE(st::record_checked_credentials(*w.pa, w.a, id, creds1));
  CHECK_FALSE(q(creds1));  // another process reads what A recorded
  CHECK(q(creds2));
  CHECK_FALSE(q(std::nullopt));
  // Another tenant sees nothing recorded.
  auto foreign = st::ats_credentials_replaced(*w.pb, w.b, id, creds2);
  REQUIRE(foreign);
  CHECK_FALSE(*foreign);
  CHECK(st::record_checked_credentials(*w.pa, w.b, id, creds2).code() == hw::errc::not_found);

  // A pull's fenced outcome records the credentials it ran with; a lease row made by a test keeps
  // its digest through claims and releases.
  auto held = w.claim(*w.pa, id, proc_a, t0);
  REQUIRE(held.claimed);
  CHECK(held.lease.epoch == 1);
  CHECK(q(creds2));
  auto lease = held.lease;
  REQUIRE(*st::record_leased_sync_outcome(*w.pa, lease, w.ok_outcome(t0 + 1h), creds2, 60s, t0 + 1s));
  REQUIRE(*st::release_ats_sync(*w.pa, lease));
  CHECK_FALSE(q(creds2));
  CHECK(q(creds1));
}
