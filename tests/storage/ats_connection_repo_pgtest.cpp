// storage/ats_connection_repo (migration 0011): connections with sealed secrets, CAS on version,
// the state history, the cross-tenant webhook lookup, row-level security as the app role, the
// integration log (paging, purge) and the webhook inbox (dedup + its job in one transaction).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "actors/domain/ats_connection_fsm.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
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
const hw::actor_ref recruiter{"user", "11111111-1111-1111-1111-111111111111"};
const dm::ats_failure_policy policy{};

// Sealed bytes stand-ins: include NUL and high bytes to prove bytea round-trips exactly.
const std::string cred_bytes = std::string{"\x01\x02k1", 4} + std::string{"\x00\xff\x80SECRETCRED", 13};
const std::string hook_bytes = std::string{"\x01\x02k1", 4} + std::string{"\x00\xfeHOOKSECRET", 12};

/// A delivery the receiver verified with `secret`, for ingest_webhook_batch.
st::ats_webhook_batch_item stored_item(const hw::org_id& org, const std::string& conn, const std::string& body,
                                       std::optional<std::string> ev = std::nullopt,
                                       const std::string& secret = hook_bytes) {
  st::ats_webhook_batch_item it;
  it.org = org;
  it.connection_id = conn;
  it.vendor_event_id = std::move(ev);
  it.content_key_hex = st::token_digest_hex(body);
  it.payload_json = body;
  it.webhook_secret_enc = secret;
  return it;
}

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  st::ats_connection_record make_conn(pqxx::connection_base& conn, const hw::org_id& org,
                                      const std::string& vendor = "greenhouse") {
    st::ats_connection_create_row row;
    row.id = new_id();
    row.vendor = vendor;
    row.name = "  Greenhouse prod ";
    row.credentials_enc = cred_bytes;
    row.credentials_key_id = "k1";
    row.webhook_secret_enc = hook_bytes;
    row.settings_json = R"({"shortlist_stage":{"123":"Phone screen"}})";
    auto r = st::create_ats_connection(conn, org, row, t0, recruiter);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  st::ats_connection_record make_conn(const hw::org_id& org) { return make_conn(*c, org); }
  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
};

std::string hex_of(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char ch : bytes) {
    out.push_back(d[ch >> 4]);
    out.push_back(d[ch & 15]);
  }
  return out;
}

dm::ats_connection_step decide(const st::ats_connection_record& r, dm::ats_connection_event e) {
  auto s = dm::decide({r.state, r.consecutive_failures}, e, policy);
  REQUIRE(s);
  return *s;
}

}  // namespace

TEST_CASE("ats_connection_repo: create, load, list with audit and history", "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  CHECK(k.org == w.a);
  CHECK(k.vendor == "greenhouse");
  CHECK(k.name == "Greenhouse prod");
  CHECK(k.state == dm::ats_connection_state::pending);
  CHECK(k.consecutive_failures == 0);
  CHECK(k.version == 1);
  CHECK(k.credentials_enc == cred_bytes);
  CHECK(k.webhook_secret_enc == hook_bytes);
  CHECK(k.credentials_key_id == std::optional<std::string>{"k1"});
  CHECK(k.settings.find("Phone screen") != std::string::npos);
  CHECK_FALSE(k.last_sync_at);

  auto l = st::load_ats_connection(*w.c, w.a, k.id);
  REQUIRE(l);
  CHECK(l->credentials_enc == cred_bytes);
  CHECK(l->created_at == k.created_at);
  CHECK(st::load_ats_connection(*w.c, w.b, k.id).code() == hw::errc::not_found);
  CHECK(st::load_ats_connection(*w.c, w.a, "nope").code() == hw::errc::not_found);

  auto list = st::list_ats_connections(*w.c, w.a);
  REQUIRE(list);
  REQUIRE(list->size() == 1);
  CHECK_FALSE(list->at(0).credentials_enc);  // the list never carries sealed bytes
  CHECK_FALSE(list->at(0).webhook_secret_enc);
  CHECK(st::list_ats_connections(*w.c, w.b)->empty());

  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_created'"
                " AND target = '" + k.id + "' AND detail->>'vendor' = 'greenhouse'"
                " AND detail->'fields' = '[\"credentials\",\"webhook_secret\"]'::jsonb") == 1);
  auto ev = st::list_ats_connection_events(*w.c, w.a, k.id);
  REQUIRE(ev);
  REQUIRE(ev->size() == 1);
  CHECK(ev->at(0).event == "created");
  CHECK_FALSE(ev->at(0).from);
  CHECK(ev->at(0).to == dm::ats_connection_state::pending);

  SECTION("validation") {
    auto bad = [&](st::ats_connection_create_row row) {
      if (row.id.empty()) row.id = w.new_id();
      return st::create_ats_connection(*w.c, w.a, row, t0, recruiter).code();
    };
    CHECK(bad({"x", "greenhouse", "n", {}, {}, {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "workday", "n", {}, {}, {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", "   ", {}, {}, {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", std::string(101, 'n'), {}, {}, {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", "n", cred_bytes, {}, {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", "n", cred_bytes, "k 1", {}, "{}"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", "n", {}, {}, {}, "[]"}) == hw::errc::invalid_argument);
    CHECK(bad({"", "lever", "n", {}, {}, {}, "{"}) == hw::errc::invalid_argument);
    CHECK(bad({k.id, "lever", "n", {}, {}, {}, "{}"}) == hw::errc::conflict);
    CHECK(st::create_ats_connection(*w.c, hw::org_id{"00000000-0000-0000-0000-000000000000"},
                                    {w.new_id(), "lever", "n", {}, {}, {}, "{}"}, t0, recruiter)
              .code() == hw::errc::not_found);
    CHECK(bad({"", "lever", "Lever", {}, {}, {}, "{}"}) == hw::errc::ok);
  }
}

TEST_CASE("ats_connection_repo: credentials update is a CAS and audits field names only",
          "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  const std::string new_cred = std::string{"\x01\x02k2NEWCRED\x00", 12};
  auto v = st::update_ats_credentials(*w.c, w.a, k.id, 1, {new_cred, std::string{"k2"}, {}},
                                      t0 + 1h, recruiter);
  REQUIRE(v);
  CHECK(*v == 2);
  auto l = st::load_ats_connection(*w.c, w.a, k.id);
  CHECK(l->credentials_enc == new_cred);
  CHECK(l->credentials_key_id == std::optional<std::string>{"k2"});
  CHECK(l->webhook_secret_enc == hook_bytes);  // untouched
  // Stale version
  CHECK(st::update_ats_credentials(*w.c, w.a, k.id, 1, {{}, {}, hook_bytes}, t0, recruiter).code() ==
        hw::errc::version_conflict);
  CHECK(st::update_ats_credentials(*w.c, w.b, k.id, 2, {{}, {}, hook_bytes}, t0, recruiter).code() ==
        hw::errc::not_found);
  CHECK(st::update_ats_credentials(*w.c, w.a, k.id, 2, {}, t0, recruiter).code() ==
        hw::errc::invalid_argument);
  CHECK(st::update_ats_credentials(*w.c, w.a, k.id, 2, {new_cred, {}, {}}, t0, recruiter).code() ==
        hw::errc::invalid_argument);
  REQUIRE(st::update_ats_credentials(*w.c, w.a, k.id, 2, {{}, {}, std::string{"hook2"}}, t0 + 2h,
                                     recruiter));
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.credentials_updated'") == 2);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.credentials_updated'"
                " AND detail->'fields' = '[\"webhook_secret\"]'::jsonb") == 1);
}

TEST_CASE("ats_connection_repo: transitions are CAS, append history, audit state changes",
          "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  // pending -> connected
  auto s1 = decide(k, dm::ats_connection_event::test_succeeded);
  auto r1 = st::apply_ats_transition(*w.c, w.a, k.id, k.version, s1, t0 + 1min, operator_cli);
  REQUIRE(r1);
  CHECK(r1->state == dm::ats_connection_state::connected);
  CHECK(r1->version == 2);
  CHECK(r1->state_reason == "connection test succeeded");
  // The same step again with the old version loses.
  CHECK(st::apply_ats_transition(*w.c, w.a, k.id, k.version, s1, t0, operator_cli).code() ==
        hw::errc::version_conflict);
  // Right version, but the row is no longer in step.from.
  CHECK(st::apply_ats_transition(*w.c, w.a, k.id, r1->version, s1, t0, operator_cli).code() ==
        hw::errc::version_conflict);
  CHECK(st::apply_ats_transition(*w.c, w.b, k.id, r1->version, s1, t0, operator_cli).code() ==
        hw::errc::not_found);

  // Three sync failures: connected (1), connected (2), degraded (3).
  auto cur = *r1;
  for (int i = 1; i <= 3; ++i) {
    auto s = decide(cur, dm::ats_connection_event::sync_failed);
    auto r = st::apply_ats_transition(*w.c, w.a, k.id, cur.version, s, t0 + std::chrono::minutes{i + 1},
                                      operator_cli);
    REQUIRE(r);
    cur = *r;
    CHECK(cur.consecutive_failures == static_cast<std::uint32_t>(i));
  }
  CHECK(cur.state == dm::ats_connection_state::degraded);
  // A rejected webhook: stays, counter untouched, history row, no audit.
  auto wr = st::apply_ats_transition(*w.c, w.a, k.id, cur.version,
                                     decide(cur, dm::ats_connection_event::webhook_rejected), t0 + 10min,
                                     operator_cli);
  REQUIRE(wr);
  CHECK(wr->state == dm::ats_connection_state::degraded);
  CHECK(wr->consecutive_failures == 3);
  // Disconnect through apply is refused.
  CHECK(st::apply_ats_transition(*w.c, w.a, k.id, wr->version,
                                 decide(*wr, dm::ats_connection_event::disconnect), t0, operator_cli)
            .code() == hw::errc::invalid_argument);

  auto ev = *st::list_ats_connection_events(*w.c, w.a, k.id);
  REQUIRE(ev.size() == 6);  // created, test_succeeded, 3 x sync_failed, webhook_rejected
  CHECK(ev[1].event == "test_succeeded");
  CHECK(ev[1].from == std::optional<dm::ats_connection_state>{dm::ats_connection_state::pending});
  CHECK(ev[1].to == dm::ats_connection_state::connected);
  CHECK(ev[4].event == "sync_failed");
  CHECK(ev[4].to == dm::ats_connection_state::degraded);
  CHECK(ev[4].consecutive_failures == 3);
  CHECK(ev[5].event == "webhook_rejected");
  for (std::size_t i = 1; i < ev.size(); ++i) CHECK(ev[i].id > ev[i - 1].id);
  // Audited only pending->connected and connected->degraded.
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_state_changed'") == 2);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_state_changed'"
                " AND detail->>'from' = 'connected' AND detail->>'to' = 'degraded'"
                " AND detail->>'event' = 'sync_failed'") == 1);
}

TEST_CASE("ats_connection_repo: sync outcome, disconnect wipes secrets, delete", "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  REQUIRE(st::record_ats_sync_outcome(*w.c, w.a, k.id, {true, {}, t0 + 15min}, t0));
  auto l = *st::load_ats_connection(*w.c, w.a, k.id);
  CHECK(l.last_sync_at == l.last_success_at);
  CHECK(l.last_sync_at.has_value());
  CHECK(l.next_sync_at.has_value());
  CHECK_FALSE(l.last_error_at);
  CHECK(l.version == 1);  // bookkeeping does not bump the CAS version
  REQUIRE(st::record_ats_sync_outcome(*w.c, w.a, k.id, {false, std::string{"HTTP 503"}, {}}, t0 + 1h));
  l = *st::load_ats_connection(*w.c, w.a, k.id);
  CHECK(l.last_error == std::optional<std::string>{"HTTP 503"});
  CHECK(l.last_error_at == l.last_sync_at);
  CHECK(l.last_success_at != l.last_sync_at);
  CHECK_FALSE(l.next_sync_at);
  CHECK(st::record_ats_sync_outcome(*w.c, w.b, k.id, {true, {}, {}}, t0).code() == hw::errc::not_found);

  CHECK(st::delete_ats_connection(*w.c, w.a, k.id, t0, recruiter).code() == hw::errc::illegal_transition);
  CHECK(st::disconnect_ats_connection(*w.c, w.a, k.id, 7, t0, recruiter).code() ==
        hw::errc::version_conflict);
  auto d = st::disconnect_ats_connection(*w.c, w.a, k.id, 1, t0 + 2h, recruiter);
  REQUIRE(d);
  CHECK(d->state == dm::ats_connection_state::disconnected);
  CHECK_FALSE(d->credentials_enc);
  CHECK_FALSE(d->webhook_secret_enc);
  CHECK_FALSE(d->credentials_key_id);
  CHECK(d->version == 2);
  CHECK(st::disconnect_ats_connection(*w.c, w.a, k.id, {}, t0, recruiter).code() ==
        hw::errc::illegal_transition);
  CHECK(st::update_ats_credentials(*w.c, w.a, k.id, 2, {{}, {}, hook_bytes}, t0, recruiter).code() ==
        hw::errc::illegal_transition);
  auto ev = *st::list_ats_connection_events(*w.c, w.a, k.id);
  CHECK(ev.back().event == "disconnect");
  CHECK(ev.back().to == dm::ats_connection_state::disconnected);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_disconnected'") == 1);

  REQUIRE(st::append_integration_log(*w.c, w.a, {k.id, "outbound", "/v3/jobs", 200, 12, {}}, t0));
  CHECK(st::delete_ats_connection(*w.c, w.b, k.id, t0, recruiter).code() == hw::errc::not_found);
  REQUIRE(st::delete_ats_connection(*w.c, w.a, k.id, t0 + 3h, recruiter));
  CHECK(st::load_ats_connection(*w.c, w.a, k.id).code() == hw::errc::not_found);
  CHECK(w.count("SELECT count(*) FROM ats_connection_events") == 0);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log") == 0);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_deleted'") == 1);
}

TEST_CASE("ats_connection_repo: no credential bytes ever reach the audit log", "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  REQUIRE(st::update_ats_credentials(*w.c, w.a, k.id, 1, {cred_bytes + "x", std::string{"k1"},
                                                          hook_bytes + "y"}, t0, recruiter));
  REQUIRE(st::disconnect_ats_connection(*w.c, w.a, k.id, {}, t0, recruiter));
  pqxx::nontransaction tx{*w.c};
  auto rows = tx.exec("SELECT coalesce(target, '') || ' ' || coalesce(detail::text, '')"
                      " FROM audit_events WHERE action LIKE 'ats.%'");
  REQUIRE(rows.size() == 3);
  for (const auto& r : rows) {
    const auto text = r[0].as<std::string>();
    INFO(text);
    for (const auto& needle : {std::string{"SECRETCRED"}, std::string{"HOOKSECRET"},
                               hex_of(cred_bytes), hex_of(hook_bytes), hex_of("SECRETCRED")}) {
      CHECK(text.find(needle) == std::string::npos);
    }
  }
}

TEST_CASE("ats_connection_repo: as the app role, another org is invisible but the webhook "
          "lookup spans tenants", "[pg][ats][rls]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  auto ka = w.make_conn(*app, w.a);
  auto kb = w.make_conn(*app, w.b, "lever");
  {
    pqxx::read_transaction tx{*app};
    st::set_tenant(tx, w.a);
    // No org_id filter: RLS alone hides org b's rows, in all four tables.
    CHECK(tx.exec1("SELECT count(*) FROM ats_connections")[0].as<long>() == 1);
    CHECK(tx.exec1("SELECT count(*) FROM ats_connection_events")[0].as<long>() == 1);
  }
  CHECK(st::list_ats_connections(*app, w.a)->size() == 1);
  CHECK(st::load_ats_connection(*app, w.a, kb.id).code() == hw::errc::not_found);
  CHECK(st::list_ats_connection_events(*app, w.a, kb.id).code() == hw::errc::not_found);

  auto f = st::find_connection_for_webhook(*app, kb.id);
  REQUIRE(f);
  CHECK(f->org == w.b);
  CHECK(f->connection_id == kb.id);
  CHECK(f->vendor == "lever");
  CHECK(f->state == dm::ats_connection_state::pending);
  CHECK(f->webhook_secret_enc == hook_bytes);
  CHECK(st::find_connection_for_webhook(*app, w.new_id()).code() == hw::errc::not_found);
  CHECK(st::find_connection_for_webhook(*app, "not-a-uuid").code() == hw::errc::not_found);

  // Everything else works as the app role (0010 default privileges cover the new tables).
  auto r = st::apply_ats_transition(*app, w.a, ka.id, 1,
                                    decide(ka, dm::ats_connection_event::test_succeeded), t0, recruiter);
  REQUIRE(r);
  REQUIRE(st::append_integration_log(*app, w.a, {ka.id, "inbound", "/webhooks/greenhouse/{id}", 200, 3, {}},
                                     t0));
  CHECK(st::append_integration_log(*app, w.a, {kb.id, "outbound", "/v3/jobs", 200, 3, {}}, t0).code() ==
        hw::errc::not_found);
  auto ins = st::inbox_insert(*app, w.a, {ka.id, std::string{"ev-1"}, st::token_digest_hex("{}"), "{}"}, t0);
  REQUIRE(ins);
  CHECK(ins->outcome == st::inbox_outcome::inserted);
  CHECK(st::inbox_insert(*app, w.a, {kb.id, {}, st::token_digest_hex("{}"), "{}"}, t0).code() ==
        hw::errc::not_found);
  REQUIRE(st::purge_integration_log(*app, t0 + 31 * 24h, 30 * 24h));
  REQUIRE(st::append_integration_log(*app, w.a, {ka.id, "outbound", "/v3/jobs", 200, 3, {}}, t0 + 31 * 24h));
  REQUIRE(st::disconnect_ats_connection(*app, w.a, ka.id, {}, t0, recruiter));
  REQUIRE(st::delete_ats_connection(*app, w.a, ka.id, t0, recruiter));
  // No foreign keys on the inbox and the log since 0015: the delete removes their rows itself.
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE connection_id = '" + ka.id + "'") == 0);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE connection_id = '" + ka.id + "'") == 0);
  CHECK(st::append_integration_log(*app, w.a, {ka.id, "outbound", "/v3/jobs", 200, 3, {}}, t0).code() ==
        hw::errc::not_found);
}

TEST_CASE("ats_connection_repo: integration log paging and purge", "[pg][ats]") {
  world w;
  auto k = w.make_conn(w.a);
  auto kb = w.make_conn(w.b);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto id = st::append_integration_log(
        *w.c, w.a, {k.id, "outbound", "/v3/applications/{id}", i == 4 ? std::optional<int>{} : 200, i * 10,
                    i == 4 ? std::optional<std::string>{"timeout"} : std::nullopt},
        t0 + std::chrono::hours{24 * i});
    REQUIRE(id);
    ids.push_back(*id);
  }
  REQUIRE(st::append_integration_log(*w.c, w.b, {kb.id, "inbound", "/webhooks/x", 401, 1, {}}, t0));
  auto p1 = *st::list_integration_log(*w.c, w.a, k.id, 2);
  REQUIRE(p1.size() == 2);
  CHECK(p1[0].id == ids[4]);
  CHECK_FALSE(p1[0].status);
  CHECK(p1[0].error == std::optional<std::string>{"timeout"});
  CHECK(p1[1].id == ids[3]);
  CHECK(p1[1].status == std::optional<int>{200});
  CHECK(p1[1].duration_ms == 30);
  CHECK(p1[1].endpoint == "/v3/applications/{id}");
  auto p2 = *st::list_integration_log(*w.c, w.a, k.id, 2, p1.back().id);
  REQUIRE(p2.size() == 2);
  CHECK(p2[0].id == ids[2]);
  auto p3 = *st::list_integration_log(*w.c, w.a, k.id, 2, p2.back().id);
  REQUIRE(p3.size() == 1);
  CHECK(p3[0].id == ids[0]);
  CHECK(st::list_integration_log(*w.c, w.b, k.id, 10)->empty());
  CHECK(st::list_integration_log(*w.c, w.a, k.id, 0).code() == hw::errc::invalid_argument);
  CHECK(st::list_integration_log(*w.c, w.a, k.id, 201).code() == hw::errc::invalid_argument);

  auto bad = [&](st::ats_integration_log_row row) {
    row.connection_id = k.id;
    return st::append_integration_log(*w.c, w.a, row, t0).code();
  };
  CHECK(bad({"", "sideways", "/v3/jobs", 200, 1, {}}) == hw::errc::invalid_argument);
  CHECK(bad({"", "outbound", "/v3/jobs?updated_after=x", 200, 1, {}}) == hw::errc::invalid_argument);
  CHECK(bad({"", "outbound", "v3/jobs", 200, 1, {}}) == hw::errc::invalid_argument);
  CHECK(bad({"", "outbound", "/v3/jobs", 99, 1, {}}) == hw::errc::invalid_argument);
  CHECK(bad({"", "outbound", "/v3/jobs", 200, -1, {}}) == hw::errc::invalid_argument);
  // An over-long error is cut, not refused.
  CHECK(bad({"", "outbound", "/v3/jobs", 500, 1, std::string(600, 'e')}) == hw::errc::ok);
  CHECK(w.count("SELECT max(octet_length(error)) FROM ats_integration_log") == 500);

  // Keep 30 days at t0 + 34 days: the cutoff is t0 + 4 days; only a's row at t0 + 4 days stays
  // (b's row goes too: the purge spans organizations).
  const long before = w.count("SELECT count(*) FROM ats_integration_log");
  const long older = w.count("SELECT count(*) FROM ats_integration_log WHERE at < to_timestamp(" +
                             std::to_string(1'900'000'000 + 4 * 86400) + ")");
  auto purged = st::purge_integration_log(*w.c, t0 + 34 * 24h, 30 * 24h);
  REQUIRE(purged);
  CHECK(*purged == older);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log") == before - older);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE org_id = '" + w.b.value + "'") == 0);
  auto left = *st::list_integration_log(*w.c, w.a, k.id, 10);
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == ids[4]);
  CHECK(*st::purge_integration_log(*w.c, t0 + 34 * 24h, 30 * 24h) == 0);
}

TEST_CASE("ats_connection_repo: the inbox dedups by event id and content key, one job each",
          "[pg][ats][inbox]") {
  world w;
  auto k = w.make_conn(w.a);
  const std::string body1 = R"({"action":"candidate_stage_change","payload":{"id":1}})";
  const std::string body2 = R"({"action":"candidate_stage_change","payload":{"id":2}})";
  auto ins = [&](std::optional<std::string> ev, const std::string& body) {
    auto r = st::inbox_insert(*w.c, w.a, {k.id, ev, st::token_digest_hex(body), body}, t0);
    INFO((r ? "" : r.error().detail));
    REQUIRE(r);
    return *r;
  };
  auto jobs = [&] {
    return w.count("SELECT count(*) FROM jobs WHERE kind = 'ats_process_webhook'");
  };
  auto first = ins(std::string{"ev-1"}, body1);
  CHECK(first.outcome == st::inbox_outcome::inserted);
  CHECK(first.inbox_id > 0);
  CHECK(first.job_id > 0);
  CHECK(jobs() == 1);
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'ats_process_webhook' AND (args->>'inbox_id')::bigint = " +
                std::to_string(first.inbox_id)) == 1);

  SECTION("same vendor event id, different body: duplicate") {
    auto d = ins(std::string{"ev-1"}, body2);
    CHECK(d.outcome == st::inbox_outcome::duplicate);
    CHECK(d.inbox_id == 0);
    CHECK(d.job_id == 0);
    CHECK(jobs() == 1);
  }
  SECTION("different event id, byte-identical body: duplicate by content key") {
    CHECK(ins(std::string{"ev-2"}, body1).outcome == st::inbox_outcome::duplicate);
    CHECK(ins(std::nullopt, body1).outcome == st::inbox_outcome::duplicate);
    CHECK(jobs() == 1);
  }
  SECTION("no event id: several rows, deduplicated by content only") {
    CHECK(ins(std::nullopt, body2).outcome == st::inbox_outcome::inserted);
    CHECK(ins(std::nullopt, body2).outcome == st::inbox_outcome::duplicate);
    CHECK(ins(std::nullopt, R"({"x":3})").outcome == st::inbox_outcome::inserted);
    CHECK(jobs() == 3);
  }
  SECTION("another connection may carry the same event id") {
    auto k2 = w.make_conn(w.a);
    auto r = st::inbox_insert(*w.c, w.a, {k2.id, std::string{"ev-1"}, st::token_digest_hex(body1), body1}, t0);
    REQUIRE(r);
    CHECK(r->outcome == st::inbox_outcome::inserted);
    CHECK(jobs() == 2);
  }
  SECTION("mark processed") {
    CHECK(*st::inbox_mark_processed(*w.c, w.a, first.inbox_id, t0 + 1s));
    CHECK_FALSE(*st::inbox_mark_processed(*w.c, w.a, first.inbox_id, t0 + 2s));
    CHECK(st::inbox_mark_processed(*w.c, w.b, first.inbox_id, t0).code() == hw::errc::not_found);
    CHECK(st::inbox_mark_processed(*w.c, w.a, 999999, t0).code() == hw::errc::not_found);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE status = 'processed'"
                  " AND processed_at IS NOT NULL") == 1);
  }
  SECTION("validation") {
    auto code = [&](st::ats_inbox_row row) { return st::inbox_insert(*w.c, w.a, row, t0).code(); };
    CHECK(code({k.id, {}, "nothex", "{}"}) == hw::errc::invalid_argument);
    CHECK(code({k.id, std::string{}, st::token_digest_hex("a"), "{}"}) == hw::errc::invalid_argument);
    CHECK(code({k.id, {}, st::token_digest_hex("a"), "{not json"}) == hw::errc::invalid_argument);
    CHECK(code({w.new_id(), {}, st::token_digest_hex("a"), "{}"}) == hw::errc::not_found);
    CHECK(code({k.id, {}, st::token_digest_hex("a"), "{}"}) == hw::errc::ok);
  }
}

TEST_CASE("ats_connection_repo: a rolled-back transaction leaves neither inbox row nor job",
          "[pg][ats][inbox]") {
  world w;
  auto k = w.make_conn(w.a);
  const std::string body = R"({"action":"ping"})";
  {
    pqxx::work tx{*w.c};
    auto r = st::inbox_insert(tx, w.a, {k.id, std::string{"ev-rb"}, st::token_digest_hex(body), body}, t0);
    CHECK(r.outcome == st::inbox_outcome::inserted);
    CHECK(r.job_id > 0);
    tx.abort();
  }
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 0);
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'ats_process_webhook'") == 0);
  // ... and the same delivery is then accepted afresh (the rollback did not leave a dedup key).
  {
    pqxx::work tx{*w.c};
    auto r = st::inbox_insert(tx, w.a, {k.id, std::string{"ev-rb"}, st::token_digest_hex(body), body}, t0);
    CHECK(r.outcome == st::inbox_outcome::inserted);
    tx.commit();
  }
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 1);
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'ats_process_webhook'") == 1);
}

TEST_CASE("ats_connection_repo: a webhook batch stores each delivery once, in one transaction, as its connection's work",
          "[pg][ats][inbox][ats_batch]") {
  // shared: settings local to the batch transaction; dedicated: a webhook writer's own connection
  // (its session keeps the tenant; logs and counts in a second transaction). Same outcomes.
  const auto mode = GENERATE(st::ingest_session::shared, st::ingest_session::dedicated);
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  auto k1 = w.make_conn(w.a);
  auto k2 = w.make_conn(w.a);
  auto kb = w.make_conn(w.b);
  using item = st::ats_webhook_batch_item;
  using out = st::ats_webhook_batch_outcome;
  auto store = [](const hw::org_id& org, const std::string& conn, std::optional<std::string> ev, const std::string& body,
                  const std::string& secret = hook_bytes) { return stored_item(org, conn, body, std::move(ev), secret); };
  auto logged = [](const hw::org_id& org, const std::string& conn, int status, bool rejected) {
    item it;
    it.what = item::kind::log;
    it.org = org;
    it.connection_id = conn;
    it.status = status;
    it.rejected = rejected;
    it.note = "signature rejected: mismatch";
    return it;
  };
  const std::string b1 = R"({"action":"job_updated","payload":{"job":{"id":1}}})";
  const std::string b2 = R"({"action":"job_updated","payload":{"job":{"id":2}}})";
  const std::string b3 = R"({"action":"job_updated","payload":{"job":{"id":3}}})";
  std::vector<item> batch{
    store(w.a, k1.id, std::string{"ev-1"}, b1),
    store(w.a, k1.id, std::string{"ev-1"}, b1),    // the same delivery again in the same batch
    store(w.a, k1.id, std::string{"ev-9"}, b1),    // another event id, the same bytes
    store(w.a, k1.id, std::nullopt, b2),
    store(w.a, k2.id, std::string{"ev-1"}, b1),    // another connection: its own keys
    store(w.b, kb.id, std::nullopt, b3),           // another organization
    store(w.a, k1.id, std::nullopt, b3, "stale"),  // verified with a secret the row no longer holds
    store(w.a, w.new_id(), std::nullopt, b3),      // unknown connection
    logged(w.a, k1.id, 401, true),
    logged(w.a, k2.id, 200, false),
  };
  auto r = st::ingest_webhook_batch(*app, batch, t0, mode);
  INFO((r ? "" : r.error().detail));
  REQUIRE(r);
  REQUIRE(r->size() == batch.size());
  std::vector<out> got;
  for (const auto& x : *r) got.push_back(x.outcome);
  CHECK(got == std::vector<out>{out::accepted, out::duplicate, out::duplicate, out::accepted, out::accepted,
                                out::accepted, out::secret_changed, out::gone, out::logged, out::logged});
  CHECK((*r)[0].inbox_id > 0);
  CHECK((*r)[1].inbox_id == 0);
  // Each accepted delivery's id is its own row (ids are paired with the deliveries in order).
  for (std::size_t i : {0, 3, 4, 5}) {
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE id = " + std::to_string((*r)[i].inbox_id) +
                  " AND payload = '" + batch[i].payload_json + "' AND connection_id = '" + batch[i].connection_id +
                  "'") == 1);
  }
  {
    // Only a dedicated writer's session keeps the tenant (the batch's last organization) and the
    // planner setting; a shared pooled connection keeps neither.
    pqxx::nontransaction q{*app};
    const auto row = q.exec1("SELECT coalesce(current_setting('hw.org_id', true), ''), current_setting('enable_seqscan')");
    if (mode == st::ingest_session::dedicated) {
      CHECK((row[0].as<std::string>() == w.a.value || row[0].as<std::string>() == w.b.value));
      CHECK(row[1].as<std::string>() == "off");
    } else {
      CHECK(row[0].as<std::string>().empty());
      CHECK(row[1].as<std::string>() == "on");
    }
  }
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 4);
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE payload = '" + b1 + "' AND vendor_event_id = 'ev-1'"
                " AND connection_id = '" + k1.id + "'") == 1);  // the raw body, as received
  // The batch writes no processing job (migration 0019): the new rows are their connection's queue.
  CHECK(w.count("SELECT count(*) FROM jobs") == 0);
  auto pending = st::list_pending_webhooks(*app, w.a, k1.id, 10);
  REQUIRE(pending);
  CHECK(*pending == std::vector<std::int64_t>{(*r)[0].inbox_id, (*r)[3].inbox_id});
  CHECK(*st::list_pending_webhooks(*app, w.a, k1.id, 1) == std::vector<std::int64_t>{(*r)[0].inbox_id});
  CHECK(st::list_pending_webhooks(*app, w.b, k1.id, 10)->empty());  // another organization's
  // Counters: the connection's columns plus its slot rows (migration 0015). Received is counted
  // when a row is processed (0019); the view adds the rows still pending.
  auto counters = [&](const std::string& conn) {
    return w.count("SELECT (c.webhooks_received + COALESCE(sum(x.received), 0)) * 10000"
                   " + (c.webhooks_duplicate + COALESCE(sum(x.duplicate), 0)) * 100"
                   " + c.webhooks_rejected + COALESCE(sum(x.rejected), 0)"
                   " FROM ats_connections c LEFT JOIN ats_webhook_counters x ON x.org_id = c.org_id"
                   " AND x.connection_id = c.connection_id WHERE c.connection_id = '" + conn + "'"
                   " GROUP BY c.org_id, c.connection_id");
  };
  CHECK(counters(k1.id) == 2 * 100 + 2);
  CHECK(counters(k2.id) == 0);
  CHECK(counters(kb.id) == 0);
  CHECK(w.count("SELECT count(DISTINCT connection_id) FROM ats_webhook_counters") == 1);
  auto received = [&](const hw::org_id& org, const std::string& conn) -> std::int64_t {
    auto v = st::ats_import_counts_by_connection(*app, org);
    REQUIRE(v);
    return v->count(conn) ? v->at(conn).webhooks_received : -1;
  };
  CHECK(received(w.a, k1.id) == 2);
  CHECK(received(w.a, k2.id) == 1);
  CHECK(received(w.b, kb.id) == 1);
  // Processed: counted once, in a slot row, and no longer pending.
  CHECK(*st::inbox_mark_processed(*app, w.a, (*r)[0].inbox_id, t0));
  CHECK_FALSE(*st::inbox_mark_processed(*app, w.a, (*r)[0].inbox_id, t0));
  CHECK(counters(k1.id) == 10000 + 2 * 100 + 2);
  CHECK(received(w.a, k1.id) == 2);
  CHECK(*st::list_pending_webhooks(*app, w.a, k1.id, 10) == std::vector<std::int64_t>{(*r)[3].inbox_id});
  // Log rows: 2 duplicates + 1 secret changed + 2 log items (the unknown one: none); a stored
  // delivery's inbox row is its log line (migration 0016).
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE direction = 'inbound'"
                " AND endpoint = '/webhooks/greenhouse'") == 5);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE status = 401") == 2);
  // The connection's log lists all of its lines: 2 stored, 2 duplicates, 1 secret changed, 1 item.
  auto lines = st::list_integration_log(*app, w.a, k1.id, 50);
  REQUIRE(lines);
  REQUIRE(lines->size() == 6);
  int stored_lines = 0;
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const auto& l = (*lines)[i];
    CHECK(l.direction == "inbound");
    CHECK(l.endpoint == "/webhooks/greenhouse");
    if (i > 0) CHECK(l.id < (*lines)[i - 1].id);  // newest first, one id sequence for both tables
    if (l.id == (*r)[0].inbox_id || l.id == (*r)[3].inbox_id) {
      ++stored_lines;
      CHECK(l.status == std::optional<int>{200});
      CHECK_FALSE(l.error);
    }
  }
  CHECK(stored_lines == 2);
  CHECK(st::list_integration_log(*app, w.b, k1.id, 50)->empty());  // another organization's

  SECTION("the next batch finds them as duplicates") {
    auto again = st::ingest_webhook_batch(*app, {store(w.a, k1.id, std::string{"ev-1"}, b1)}, t0, mode);
    REQUIRE(again);
    CHECK(again->front().outcome == out::duplicate);
  }
  SECTION("a disconnected connection stores nothing more") {
    REQUIRE(st::disconnect_ats_connection(*w.c, w.a, k2.id, std::nullopt, t0, recruiter));
    auto gone = st::ingest_webhook_batch(*app, {store(w.a, k2.id, std::nullopt, b2)}, t0, mode);
    REQUIRE(gone);
    CHECK(gone->front().outcome == out::gone);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE connection_id = '" + k2.id + "'") == 1);
  }
  SECTION("a malformed item fails the whole batch, nothing written") {
    auto bad = store(w.a, k1.id, std::nullopt, "{not json");
    bad.content_key_hex = st::token_digest_hex("x");
    auto f = st::ingest_webhook_batch(*app, {store(w.a, k1.id, std::nullopt, R"({"n":5})"), bad}, t0, mode);
    CHECK(f.code() == hw::errc::invalid_argument);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 4);
  }
  SECTION("a body PostgreSQL refuses fails the batch as a whole (the caller retries one by one)") {
    auto f = st::ingest_webhook_batch(
      *app, {store(w.a, k1.id, std::nullopt, R"({"n":6})"), store(w.a, k1.id, std::nullopt, "{\"n\":\"\xff\"}")}, t0, mode);
    REQUIRE_FALSE(f);  // not UTF-8
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 4);
    // The connection goes on: the next batches (another organization, then this one) are stored.
    auto nb = st::ingest_webhook_batch(*app, {store(w.b, kb.id, std::nullopt, R"({"n":7})")}, t0, mode);
    REQUIRE(nb);
    CHECK(nb->front().outcome == out::accepted);
    auto na = st::ingest_webhook_batch(*app, {store(w.a, k1.id, std::nullopt, R"({"n":8})")}, t0, mode);
    REQUIRE(na);
    CHECK(na->front().outcome == out::accepted);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 6);
  }
  SECTION("a body jsonb would refuse is stored as received (the inbox keeps text since 0016)") {
    const std::string nul = R"({"n":"\u0000"})";
    auto f = st::ingest_webhook_batch(*app, {store(w.a, k1.id, std::nullopt, nul)}, t0, mode);
    REQUIRE(f);
    CHECK(f->front().outcome == out::accepted);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE payload = '" + nul + "'") == 1);
  }
  SECTION("a delivery another writer commits meanwhile is found on the retry: a duplicate") {
    // Writer 1 holds the same delivery uncommitted; this batch's INSERT waits for it, fails with
    // unique_violation once it commits, and the batch runs again.
    pqxx::work t1{*w.c};
    st::set_tenant(t1, w.a);
    const std::string b4 = R"({"action":"job_updated","payload":{"job":{"id":4}}})";
    t1.exec("INSERT INTO ats_webhook_inbox (org_id, connection_id, vendor_event_id, content_key, received_at,"
            " payload) VALUES ('" + w.a.value + "', '" + k1.id + "', 'ev-4', decode('" +
            st::token_digest_hex(b4) + "', 'hex'), now(), '" + b4 + "')");
    auto pid = t1.exec1("SELECT pg_backend_pid()")[0].as<int>();
    hw::result<std::vector<st::ats_webhook_batch_result>> got{hw::error{hw::errc::internal, "not run"}};
    std::atomic<bool> finished{false};
    std::thread writer2{[&] {
      got = st::ingest_webhook_batch(*app, {store(w.a, k1.id, std::string{"ev-4"}, b4),
                                            store(w.a, k1.id, std::nullopt, R"({"n":7})")}, t0, mode);
      finished = true;
    }};
    // Commit once writer 2 waits for writer 1's transaction (a condition, not a sleep).
    auto probe = w.db.connect();
    while (!finished) {  // finished without waiting: the checks below fail
      pqxx::nontransaction q{*probe};
      if (q.exec1("SELECT count(*) FROM pg_locks l JOIN pg_locks h ON h.transactionid = l.transactionid"
                  " AND h.granted AND h.pid = " + std::to_string(pid) + " WHERE NOT l.granted")[0].as<int>() > 0)
        break;
    }
    t1.commit();
    writer2.join();
    INFO((got ? "" : got.error().detail));
    REQUIRE(got);
    CHECK((*got)[0].outcome == out::duplicate);
    CHECK((*got)[1].outcome == out::accepted);
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE vendor_event_id = 'ev-4'") == 1);
  }
}

TEST_CASE("ats_connection_repo: a dedicated webhook writer sets its session again on a new connection",
          "[pg][ats][inbox][ats_batch]") {
  world w{pg_fixture::app_role::create};
  auto k = w.make_conn(w.a);
  auto one = [&](const std::string& body) { return std::vector<st::ats_webhook_batch_item>{stored_item(w.a, k.id, body)}; };
  {
    auto c1 = w.db.connect_app();
    auto r = st::ingest_webhook_batch(*c1, one(R"({"n":1})"), t0, st::ingest_session::dedicated);
    REQUIRE(r);
    CHECK(r->front().outcome == st::ats_webhook_batch_outcome::accepted);
  }
  // A new connection (a reconnect) has no tenant yet: without setting it again, row-level security
  // would refuse the insert.
  auto c2 = w.db.connect_app();
  auto r = st::ingest_webhook_batch(*c2, one(R"({"n":2})"), t0, st::ingest_session::dedicated);
  INFO((r ? "" : r.error().detail));
  REQUIRE(r);
  CHECK(r->front().outcome == st::ats_webhook_batch_outcome::accepted);
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 2);
}

TEST_CASE("ats_connection_repo: a stored delivery sent again fails the probe-free insert; the batch runs again with probes",
          "[pg][ats][inbox][ats_batch]") {
  const auto mode = GENERATE(st::ingest_session::shared, st::ingest_session::dedicated);
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  auto k = w.make_conn(w.a);
  using out = st::ats_webhook_batch_outcome;
  auto store = [&](const std::string& body, std::optional<std::string> ev = std::nullopt) {
    return stored_item(w.a, k.id, body, std::move(ev));
  };
  // 64 batches of new deliveries: whatever an earlier test left on this thread, the next batch
  // runs without probes first.
  for (int i = 0; i < 64; ++i) {
    auto r = st::ingest_webhook_batch(*app, {store("{\"n\":" + std::to_string(i) + "}")}, t0, mode);
    REQUIRE(r);
    REQUIRE(r->front().outcome == out::accepted);
  }
  // A stored delivery between two new ones (by content; by event id): the first attempt fails as a
  // whole, the second stores the new ones and answers the repeats as duplicates.
  auto r = st::ingest_webhook_batch(*app, {store(R"({"n":"a"})"), store(R"({"n":3})"), store(R"({"n":"b"})"),
                                           store(R"({"n":"c"})", std::string{"ev-1"})}, t0, mode);
  REQUIRE(r);
  CHECK(((*r)[0].outcome == out::accepted && (*r)[1].outcome == out::duplicate && (*r)[2].outcome == out::accepted &&
         (*r)[3].outcome == out::accepted));
  // The retry (with probes) pairs each stored delivery with its own row.
  for (const auto& [i, body] : std::vector<std::pair<std::size_t, std::string>>{
         {0, R"({"n":"a"})"}, {2, R"({"n":"b"})"}, {3, R"({"n":"c"})"}}) {
    CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE id = " + std::to_string((*r)[i].inbox_id) +
                  " AND payload = '" + body + "'") == 1);
  }
  auto e = st::ingest_webhook_batch(*app, {store(R"({"n":"d"})"), store(R"({"n":"e"})", std::string{"ev-1"})}, t0, mode);
  REQUIRE(e);
  CHECK(((*e)[0].outcome == out::accepted && (*e)[1].outcome == out::duplicate));
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox") == 64 + 4);
  CHECK(w.count("SELECT count(*) FROM ats_webhook_inbox WHERE payload = '{\"n\":3}'") == 1);
  CHECK(w.count("SELECT sum(duplicate) FROM ats_webhook_counters") == 2);
  CHECK(w.count("SELECT count(*) FROM ats_integration_log WHERE status = 200 AND direction = 'inbound'") == 2);
}

TEST_CASE("ats_connection_repo: ensure_webhook_jobs queues one job per live connection with pending rows",
          "[pg][ats][inbox][ats_batch]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  auto k1 = w.make_conn(w.a);
  auto k2 = w.make_conn(w.a);
  auto kb = w.make_conn(w.b);
  auto idle = w.make_conn(w.a);  // no deliveries
  auto r = st::ingest_webhook_batch(*app, {stored_item(w.a, k1.id, R"({"n":1})"), stored_item(w.a, k1.id, R"({"n":2})"),
                                           stored_item(w.a, k2.id, R"({"n":3})"), stored_item(w.b, kb.id, R"({"n":4})")},
                                    t0);
  REQUIRE(r);
  using target = st::webhook_job_target;
  // k2's organization named wrongly, an unknown connection, a malformed id, a repeat: skipped.
  const std::vector<target> all{{w.a, k1.id}, {w.a, k1.id}, {w.b, k2.id}, {w.a, k2.id}, {w.b, kb.id},
                                {w.a, idle.id}, {w.a, w.new_id()}, {w.a, "not-a-uuid"}};
  auto made = st::ensure_webhook_jobs(*app, all, t0);
  INFO((made ? "" : made.error().detail));
  REQUIRE(made);
  CHECK(*made == 3);
  CHECK(w.count("SELECT count(*) FROM jobs WHERE kind = 'ats_process_webhook' AND state = 'available'"
                " AND unique_key = 'ats_inbox:' || (args->>'connection_id')"
                " AND args = jsonb_build_object('connection_id', args->>'connection_id')") == 3);
  CHECK(w.count("SELECT count(*) FROM jobs WHERE org_id = '" + w.b.value + "' AND args->>'connection_id' = '" +
                kb.id + "'") == 1);
  // A live job (available, running or waiting for a retry) is enough: nothing more.
  CHECK(*st::ensure_webhook_jobs(*app, all, t0) == 0);
  auto claimed = st::claim(*app, {st::ats_webhook_job_kind}, "w", 10, 60s, t0);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 3);
  CHECK(*st::ensure_webhook_jobs(*app, all, t0) == 0);
  // Completed with rows still pending (they came meanwhile): the next job.
  const auto& j1 = *std::find_if(claimed->begin(), claimed->end(), [&](const st::job& j) {
    return j.args.find(k1.id) != std::string::npos;
  });
  REQUIRE(*st::complete(*app, st::lease_of(j1), t0));
  CHECK(*st::ensure_webhook_jobs(*app, all, t0) == 1);
  // Processed rows are no work: k2's job completes and none follows.
  const auto& j2 = *std::find_if(claimed->begin(), claimed->end(), [&](const st::job& j) {
    return j.args.find(k2.id) != std::string::npos;
  });
  REQUIRE(*st::inbox_mark_processed(*app, w.a, (*r)[2].inbox_id, t0));
  REQUIRE(*st::complete(*app, st::lease_of(j2), t0));
  CHECK(*st::ensure_webhook_jobs(*app, {{w.a, k2.id}}, t0) == 0);
  // A disconnected connection gets no job, pending rows or not.
  REQUIRE(st::disconnect_ats_connection(*w.c, w.b, kb.id, std::nullopt, t0, recruiter));
  const auto& jb = *std::find_if(claimed->begin(), claimed->end(), [&](const st::job& j) {
    return j.args.find(kb.id) != std::string::npos;
  });
  REQUIRE(*st::complete(*app, st::lease_of(jb), t0));
  CHECK(*st::ensure_webhook_jobs(*app, {{w.b, kb.id}}, t0) == 0);
  CHECK(*st::ensure_webhook_jobs(*app, {}, t0) == 0);
}

TEST_CASE("ats_connection_repo: name and settings update is a CAS, audited by field name",
          "[pg][ats][ats_meta]") {
  world w;
  auto k = w.make_conn(w.a);
  st::ats_connection_meta_update upd;
  upd.name = " Renamed ";
  auto v = st::update_ats_connection_meta(*w.c, w.a, k.id, 1, upd, t0 + 1s, recruiter);
  INFO((v ? "" : v.error().detail));
  REQUIRE(v);
  CHECK(*v == 2);
  auto rec = st::load_ats_connection(*w.c, w.a, k.id);
  REQUIRE(rec);
  CHECK(rec->name == "Renamed");
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'ats.connection_updated'"
                " AND detail->'fields' = '[\"name\"]'::jsonb") == 1);
  // Unchanged values write nothing.
  CHECK(*st::update_ats_connection_meta(*w.c, w.a, k.id, 2, upd, t0, recruiter) == 2);
  upd.name.reset();
  upd.settings_json = R"({"sync_interval_minutes":120})";
  CHECK(st::update_ats_connection_meta(*w.c, w.a, k.id, 1, upd, t0, recruiter).code() == hw::errc::version_conflict);
  CHECK(st::update_ats_connection_meta(*w.c, w.b, k.id, 2, upd, t0, recruiter).code() == hw::errc::not_found);
  CHECK(*st::update_ats_connection_meta(*w.c, w.a, k.id, 2, upd, t0, recruiter) == 3);
  CHECK(w.count("SELECT (settings->>'sync_interval_minutes')::int FROM ats_connections WHERE connection_id = '" +
                k.id + "'") == 120);
  upd.settings_json = "[1]";
  CHECK(st::update_ats_connection_meta(*w.c, w.a, k.id, 3, upd, t0, recruiter).code() == hw::errc::invalid_argument);
  upd.settings_json.reset();
  upd.name = std::string(101, 'x');
  CHECK(st::update_ats_connection_meta(*w.c, w.a, k.id, 3, upd, t0, recruiter).code() == hw::errc::invalid_argument);

  SECTION("credentials with their field names are one version step") {
    st::ats_credentials_update cu;
    cu.credentials_enc = cred_bytes + "2";
    cu.credentials_key_id = "k1";
    cu.settings_json = R"({"sync_interval_minutes":120,"credential_fields":["client_id","client_secret","sub"]})";
    auto v2 = st::update_ats_credentials(*w.c, w.a, k.id, 3, cu, t0, recruiter);
    REQUIRE(v2);
    CHECK(*v2 == 4);
    CHECK(w.count("SELECT jsonb_array_length(settings->'credential_fields') FROM ats_connections"
                  " WHERE connection_id = '" + k.id + "'") == 3);
  }
  SECTION("a disconnected connection is terminal") {
    REQUIRE(st::disconnect_ats_connection(*w.c, w.a, k.id, std::nullopt, t0, recruiter));
    upd.name = "Again";
    CHECK(st::update_ats_connection_meta(*w.c, w.a, k.id, 4, upd, t0, recruiter).code() ==
          hw::errc::illegal_transition);
  }
}
