// storage/audit_repo against PostgreSQL: append in the caller's transaction, append-only table,
// keyset pagination with filters, tenant isolation, malformed cursors.
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <set>
#include <string>

#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;

namespace {

hw::audit_entry entry(const std::string& org, const std::string& action, const std::string& kind = "user",
                      const std::string& actor = "u-1", const std::string& outcome = "success") {
  hw::audit_entry e;
  e.org = hw::org_id{org};
  e.who = hw::actor_ref{kind, actor};
  e.action = action;
  e.target = org;
  e.outcome = outcome;
  e.detail_json = R"({"changed":["name"]})";
  return e;
}

long count_rows(pqxx::connection_base& c, const std::string& org) {
  pqxx::nontransaction tx{c};
  return tx.exec_params1("SELECT count(*) FROM audit_events WHERE org_id = $1::uuid", org)[0].as<long>();
}

/// Every page of a listing with `q` (cursor and all), in order; fails on a page over the limit.
std::vector<hw::audit_record> all_pages(pqxx::connection_base& c, const std::string& org, hw::audit_query q,
                                        int* pages = nullptr) {
  std::vector<hw::audit_record> out;
  int n = 0;
  for (;;) {
    auto p = st::list_audit(c, hw::org_id{org}, q);
    REQUIRE(p);
    REQUIRE(static_cast<int>(p->entries.size()) <= q.limit);
    ++n;
    for (auto& e : p->entries) out.push_back(e);
    if (!p->next_cursor) break;
    CHECK(static_cast<int>(p->entries.size()) == q.limit);
    q.cursor = p->next_cursor;
    REQUIRE(n < 1000);
  }
  if (pages) *pages = n;
  return out;
}

}  // namespace

TEST_CASE("audit_repo: append inside a rolled-back transaction leaves nothing", "[pg][audit]") {
  pg_fixture db;
  const auto org = db.make_org("acme");
  auto c = db.connect();
  {
    pqxx::work tx{*c};
    st::append_audit(tx, entry(org, "organization.updated"));
    // no commit: rolled back when tx goes out of scope
  }
  CHECK(count_rows(*c, org) == 0);
  {
    pqxx::work tx{*c};
    auto e = entry(org, "organization.updated");
    e.who.ip = "203.0.113.7";
    e.who.user_agent = std::string(600, 'a');
    e.who.request_id = "req-1";
    st::append_audit(tx, e);
    tx.commit();
  }
  REQUIRE(count_rows(*c, org) == 1);
  auto p = st::list_audit(*c, hw::org_id{org}, hw::audit_query{});
  REQUIRE(p);
  REQUIRE(p->entries.size() == 1);
  const auto& a = p->entries[0];
  CHECK(a.actor_kind == "user");
  CHECK(a.actor_id == "u-1");
  CHECK(a.outcome == "success");
  CHECK(a.ip == std::optional<std::string>{"203.0.113.7"});
  CHECK(a.user_agent->size() == 512);  // truncated
  CHECK(a.request_id == std::optional<std::string>{"req-1"});
  CHECK(a.detail_json == R"({"changed": ["name"]})");
  CHECK_FALSE(p->next_cursor);
}

TEST_CASE("audit_repo: UPDATE, DELETE and TRUNCATE of audit_events are refused", "[pg][audit]") {
  pg_fixture db;
  const auto org = db.make_org("acme");
  auto c = db.connect();
  {
    pqxx::work tx{*c};
    st::append_audit(tx, entry(org, "organization.created"));
    tx.commit();
  }
  SECTION("UPDATE") {
    pqxx::work tx{*c};
    CHECK_THROWS_AS(tx.exec("UPDATE audit_events SET action = 'x'"), pqxx::insufficient_privilege);
  }
  SECTION("UPDATE matching no row") {
    pqxx::work tx{*c};
    CHECK_THROWS_AS(tx.exec("UPDATE audit_events SET action = 'x' WHERE false"), pqxx::insufficient_privilege);
  }
  SECTION("DELETE") {
    pqxx::work tx{*c};
    CHECK_THROWS_AS(tx.exec("DELETE FROM audit_events"), pqxx::insufficient_privilege);
  }
  SECTION("TRUNCATE") {
    pqxx::work tx{*c};
    CHECK_THROWS_AS(tx.exec("TRUNCATE audit_events CASCADE"), pqxx::insufficient_privilege);
  }
  CHECK(count_rows(*c, org) == 1);
}

TEST_CASE("audit_repo: pages over 120 rows with filters and cursors have no duplicates or gaps",
          "[pg][audit]") {
  pg_fixture db;
  const auto org = db.make_org("acme");
  const auto other = db.make_org("other");
  auto c = db.connect();
  {
    pqxx::work tx{*c};
    for (int i = 0; i < 120; ++i) {
      const bool admin = i % 3 == 0;
      st::append_audit(tx, entry(org, i % 2 == 0 ? "organization.updated" : "auth.admin_token_rejected",
                                 admin ? "bootstrap_admin" : "user", admin ? "config" : "u-" + std::to_string(i % 5),
                                 i % 2 == 0 ? "success" : "failure"));
      st::append_audit(tx, entry(other, "organization.updated"));
    }
    tx.commit();
  }
  // Explicit times (INSERT is allowed; only UPDATE/DELETE are not) for the time-window filter.
  db.exec("INSERT INTO audit_events (org_id, at, actor_kind, actor_id, action, target)"
          " SELECT '" + org + "'::uuid, '2020-01-01T00:00:00Z'::timestamptz + g * interval '1 hour', 'system',"
          " 'clock', 'clock.tick', 't' FROM generate_series(0, 9) g");

  SECTION("unfiltered: newest first, every row once, the right number of pages") {
    hw::audit_query q;
    q.limit = 7;
    int pages = 0;
    auto rows = all_pages(*c, org, q, &pages);
    REQUIRE(rows.size() == 130);
    CHECK(pages == 19);  // ceil(130 / 7)
    std::set<std::int64_t> ids;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      ids.insert(rows[i].id);
      if (i > 0) CHECK(rows[i].id < rows[i - 1].id);
    }
    CHECK(ids.size() == 130);
  }
  SECTION("default limit is 50") {
    auto p = st::list_audit(*c, hw::org_id{org}, hw::audit_query{});
    REQUIRE(p);
    CHECK(p->entries.size() == 50);
    CHECK(p->next_cursor);
  }
  SECTION("an exact multiple of the limit ends without an empty extra page") {
    hw::audit_query q;
    q.limit = 10;
    q.action_prefix = "clock.";
    int pages = 0;
    CHECK(all_pages(*c, org, q, &pages).size() == 10);
    CHECK(pages == 1);
  }
  SECTION("filters combine with paging") {
    hw::audit_query q;
    q.limit = 9;
    q.action_prefix = "organization.";
    auto rows = all_pages(*c, org, q);
    CHECK(rows.size() == 60);
    for (const auto& r : rows) CHECK(r.action == "organization.updated");

    q = hw::audit_query{};
    q.limit = 11;
    q.outcome = "failure";
    rows = all_pages(*c, org, q);
    CHECK(rows.size() == 60);
    for (const auto& r : rows) CHECK(r.action == "auth.admin_token_rejected");

    q = hw::audit_query{};
    q.limit = 4;
    q.actor_kind = "bootstrap_admin";
    q.actor_id = "config";
    rows = all_pages(*c, org, q);
    CHECK(rows.size() == 40);
    std::set<std::int64_t> ids;
    for (const auto& r : rows) ids.insert(r.id);
    CHECK(ids.size() == 40);

    q = hw::audit_query{};
    q.limit = 3;
    q.since = "2020-01-01T02:00:00Z";
    q.until = "2020-01-01T07:00:00+00:00";
    rows = all_pages(*c, org, q);
    REQUIRE(rows.size() == 5);  // 02:00 (inclusive) .. 06:00; 07:00 excluded
    CHECK(rows.front().at == "2020-01-01T06:00:00.000000Z");
    CHECK(rows.back().at == "2020-01-01T02:00:00.000000Z");
  }
  SECTION("another organization's rows are never listed") {
    hw::audit_query q;
    q.limit = 200;
    auto rows = all_pages(*c, other, q);
    CHECK(rows.size() == 120);
    for (const auto& r : rows) CHECK(r.target == other);
    // a cursor taken from one organization's page does not reveal the other's rows
    auto first = st::list_audit(*c, hw::org_id{org}, hw::audit_query{});
    REQUIRE(first);
    q.cursor = first->next_cursor;
    auto p = st::list_audit(*c, hw::org_id{other}, q);
    REQUIRE(p);
    for (const auto& r : p->entries) CHECK(r.target == other);
  }
}

TEST_CASE("audit_repo: a malformed cursor or query is invalid_argument; an unknown org is not_found",
          "[pg][audit]") {
  pg_fixture db;
  const auto org = db.make_org("acme");
  auto c = db.connect();
  for (const char* bad : {"!!!", "MTIz=", "abc", "MA", "LTE", "eA"}) {  // MA="0", LTE="-1", eA="x"
    INFO(bad);
    hw::audit_query q;
    q.cursor = bad;
    auto r = st::list_audit(*c, hw::org_id{org}, q);
    REQUIRE_FALSE(r);
    CHECK(r.code() == hw::errc::invalid_argument);
  }
  hw::audit_query q;
  q.limit = 0;
  CHECK(st::list_audit(*c, hw::org_id{org}, q).code() == hw::errc::invalid_argument);
  q.limit = 201;
  CHECK(st::list_audit(*c, hw::org_id{org}, q).code() == hw::errc::invalid_argument);
  q = hw::audit_query{};
  q.since = "yesterday";
  CHECK(st::list_audit(*c, hw::org_id{org}, q).code() == hw::errc::invalid_argument);
  CHECK(st::list_audit(*c, hw::org_id{"00000000-0000-4000-8000-000000000099"}, hw::audit_query{}).code() ==
        hw::errc::not_found);
  CHECK(st::list_audit(*c, hw::org_id{"not-a-uuid"}, hw::audit_query{}).code() == hw::errc::not_found);
  // a well-formed cursor past the end is an empty last page
  q = hw::audit_query{};
  q.cursor = hw::encode_audit_cursor(1);
  auto p = st::list_audit(*c, hw::org_id{org}, q);
  REQUIRE(p);
  CHECK(p->entries.empty());
  CHECK_FALSE(p->next_cursor);
  CHECK(hw::decode_audit_cursor(hw::encode_audit_cursor(1234567890123)) == 1234567890123);
}

TEST_CASE("audit_repo: append_audit_if_org_exists writes only for an existing organization", "[pg][audit]") {
  pg_fixture db;
  const auto org = db.make_org("acme");
  auto c = db.connect();
  auto e = entry(org, "auth.admin_token_rejected", "bootstrap_admin", "", "failure");
  e.who.ip = "fe80::1%eth0";  // zone id dropped
  auto r = st::append_audit_if_org_exists(*c, e);
  REQUIRE(r);
  CHECK(*r);
  e.org = hw::org_id{"00000000-0000-4000-8000-000000000099"};
  r = st::append_audit_if_org_exists(*c, e);
  REQUIRE(r);
  CHECK_FALSE(*r);
  auto p = st::list_audit(*c, hw::org_id{org}, hw::audit_query{});
  REQUIRE(p);
  REQUIRE(p->entries.size() == 1);
  CHECK(p->entries[0].outcome == "failure");
  INFO(p->entries[0].ip.value_or("(null)"));
  CHECK(p->entries[0].ip == std::optional<std::string>{"fe80::1"});
}
