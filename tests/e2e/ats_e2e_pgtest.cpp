// The ATS sync end to end: real PostgreSQL, the fake Greenhouse (tests/support/fake_greenhouse),
// the real Greenhouse connector from the vendor registry and a real sync worker (a detached actor
// on a real actor system; a scoped actor plays its supervisor and receives its reports).
// Connection with sealed credentials -> test -> connected -> pull imports jobs, candidates and
// applications -> a second pull changes nothing -> token expiry and 5xx chaos converge ->
// repeated failures go degraded then failing with history rows -> a webhook job re-fetches the
// application, stores the stage change and raises a stage event for the shortlist stage.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/ats/ats_supervisor.hpp"
#include "actors/ats/credential_box.hpp"
#include "actors/ats/sync_worker.hpp"
#include "actors/ats/webhook_processor.hpp"
#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
#include "storage/ats_schedule_repo.hpp"
#include "storage/session_repo.hpp"
#include "tests/support/account_e2e.hpp"
#include "tests/support/app_fixture.hpp"
#include "actors/ats/vendor_registry.hpp"
#include "tests/support/fake_greenhouse.hpp"
#include "tests/support/fake_lever.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace std::chrono_literals;
namespace ha = hw::actors;
using hw::domain::ats_connection_state;

namespace {

std::string random_uuid() {
  std::random_device rd;
  std::mt19937_64 g{(static_cast<std::uint64_t>(rd()) << 32) ^ rd()};
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) {
    int v = static_cast<int>(g() % 16);
    if (i == 12) v = 4;
    if (i == 16) v = 8 + v % 4;
    s.push_back(hex[v]);
    if (i == 7 || i == 11 || i == 15 || i == 19) s.push_back('-');
  }
  return s;
}

const char* ring_text = "k1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;current=k1";

struct ats_world {
  hw::testing::pg_fixture db{hw::testing::pg_fixture::schema::migrated, hw::testing::pg_fixture::app_role::create};
  hw::testing::fake_greenhouse gh{[] {
    hw::testing::fake_greenhouse_options o;
    o.rate_limit = 1'000'000;  // the fake's clock stands still: its rate window never resets
    return o;
  }()};
  std::shared_ptr<const hw::ats::credential_key_ring> keys =
    std::make_shared<const hw::ats::credential_key_ring>(*hw::ats::credential_key_ring::parse(ring_text));
  hw::org_id org;
  std::string conn_id = random_uuid();
  hw::storage::connection_ptr c;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<caf::scoped_actor> sup;
  caf::actor worker;
  std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);

  using tweak_fn = std::function<void(ha::sync_worker_config&)>;

  explicit ats_world(tweak_fn tweak = {}) {
    gh.seed();
    org = hw::org_id{db.make_org("acme-" + conn_id.substr(0, 8))};
    c = db.connect_app();
    make_connection(gh, conn_id);
    cfg.set("scheduler.max-threads", std::size_t{2});
    cfg.set("scheduler.policy", caf::atom("sharing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sup = std::make_unique<caf::scoped_actor>(*sys);
    worker = spawn_worker(gh, conn_id, stop, tweak);
  }

  /// A pending Greenhouse connection of `org` whose sealed credentials fit `vendor`.
  void make_connection(hw::testing::fake_greenhouse& vendor, const std::string& id) {
    const std::string creds = nlohmann::json{{"client_id", vendor.options().client_id},
                                             {"client_secret", vendor.options().client_secret}}
                                .dump();
    const auto aad = hw::ats::credential_aad(org, id);
    hw::storage::ats_connection_create_row row;
    row.id = id;
    row.vendor = "greenhouse";
    row.name = "Greenhouse";
    row.credentials_enc = *keys->seal(creds, aad);
    row.credentials_key_id = keys->current_key_id();
    row.webhook_secret_enc = *keys->seal("whsec-test", aad);
    auto created = hw::storage::create_ats_connection(*c, org, row, std::chrono::system_clock::now(),
                                                      hw::actor_ref{"system", "test"});
    INFO((created ? std::string{} : created.error().detail));
    REQUIRE(created);
  }

  caf::actor spawn_worker(hw::testing::fake_greenhouse& vendor, const std::string& id,
                          std::shared_ptr<std::atomic<bool>> stop_flag, const tweak_fn& tweak = {}) {
    ha::sync_worker_config wc;
    wc.dsn = db.app_dsn();
    wc.keys = keys;
    wc.endpoints["greenhouse"] = hw::ats::vendor_endpoints{vendor.base_url(), vendor.base_url() + "/token"};
    wc.policy.timeout = 5s;
    wc.policy.max_attempts = 3;
    wc.policy.backoff_base = 5ms;
    wc.policy.backoff_cap = 20ms;
    wc.sync_timeout = 60s;
    wc.failure = {2, 3};
    if (tweak) tweak(wc);
    return ha::sync_worker_factory(wc)(*sys, caf::actor_cast<caf::actor>(*sup),
                                       ha::ats_worker_key{org, id, "greenhouse"}, std::move(stop_flag));
  }

  ~ats_world() {
    stop->store(true);
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
    worker = nullptr;
    sup.reset();
    sys->await_all_actors_done();
    sys.reset();
  }

  /// The next report of any worker; `from` gets the connection id.
  ha::ats_worker_report await_report(std::string* from = nullptr) {
    ha::ats_worker_report out;
    bool got = false;
    (*sup)->receive([&](ha::ats_report_atom, const std::string& id, const ha::ats_worker_report& r) {
      if (from) *from = id;
      else CHECK(id == conn_id);
      out = r;
      got = true;
    }, caf::after(std::chrono::seconds{60}) >> [] {});
    REQUIRE(got);
    return out;
  }
  ha::ats_test_outcome test() { return test(worker, conn_id); }
  ha::ats_test_outcome test(const caf::actor& wk, const std::string& id) {
    ha::ats_test_outcome out;
    bool got = false;
    (*sup)->request(wk, std::chrono::seconds{60}, ha::ats_test_atom::value, org, id)
      .receive([&](ha::ats_test_outcome& o) { out = o; got = true; },
               [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    REQUIRE(got);
    std::string from;
    auto r = await_report(&from);
    CHECK(from == id);
    CHECK(r.kind == ha::ats_worker_report::what::test);
    return out;
  }
  ha::ats_worker_report sync() {
    caf::anon_send(worker, ha::ats_sync_atom::value);
    auto r = await_report();
    CHECK(r.kind == ha::ats_worker_report::what::sync);
    return r;
  }
  hw::storage::ats_connection_record row() {
    auto r = hw::storage::load_ats_connection(*c, org, conn_id);
    REQUIRE(r);
    return *r;
  }
  /// A delivery of this connection as the receiver hands it to the batch: verified with the
  /// connection's sealed secret, whose bytes the batch compares with the stored ones.
  hw::storage::ats_webhook_batch_item batch_item(const std::string& body) {
    std::string secret_bytes;
    const auto hex = scalar("SELECT encode(webhook_secret_enc, 'hex') FROM ats_connections WHERE connection_id = '" +
                            conn_id + "'");
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      secret_bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    REQUIRE_FALSE(secret_bytes.empty());
    hw::storage::ats_webhook_batch_item it;
    it.org = org;
    it.connection_id = conn_id;
    it.content_key_hex = hw::storage::token_digest_hex(body);
    it.payload_json = body;
    it.webhook_secret_enc = secret_bytes;
    return it;
  }
  std::int64_t count(const std::string& table, const std::string& where = "true") {
    pqxx::connection admin{db.dsn()};
    pqxx::nontransaction tx{admin};
    return tx.exec1("SELECT count(*) FROM " + table + " WHERE " + where)[0].as<std::int64_t>();
  }
  std::string scalar(const std::string& sql) {
    pqxx::connection admin{db.dsn()};
    pqxx::nontransaction tx{admin};
    auto r = tx.exec(sql);
    return r.empty() || r[0][0].is_null() ? std::string{} : r[0][0].as<std::string>();
  }
};

}  // namespace

TEST_CASE("ats e2e: test connects, pulls import everything once, chaos converges, failures degrade",
          "[pg][e2e][ats]") {
  ats_world w;
  // A sync before a successful test does nothing: the connection is pending.
  caf::anon_send(w.worker, ha::ats_sync_atom::value);
  auto idle = w.await_report();
  CHECK(idle.kind == ha::ats_worker_report::what::idle);
  CHECK(idle.state == ats_connection_state::pending);

  auto t = w.test();
  INFO(t.detail);
  REQUIRE(t.ok);
  CHECK(w.row().state == ats_connection_state::connected);

  auto first = w.sync();
  INFO(first.detail);
  REQUIRE(first.ok);
  CHECK(first.state == ats_connection_state::connected);
  REQUIRE(first.next_sync_at);
  CHECK(*first.next_sync_at > std::chrono::system_clock::now() + 50min);  // the default 60 min interval
  CHECK(w.count("job_postings") == 3);
  CHECK(w.count("ats_candidates") == 12);
  CHECK(w.count("ats_applications") == 12);
  CHECK(w.count("ats_stages") > 0);
  CHECK(w.count("ats_sync_watermarks") == 1);
  CHECK(w.count("ats_integration_log", "direction = 'outbound'") > 0);
  CHECK(w.row().last_success_at.has_value());
  const auto version = w.row().version;
  const auto updated = w.scalar("SELECT max(updated_at)::text FROM ats_applications");

  // The cross-tenant schedule read sees it, with its next run.
  auto sched = hw::storage::list_live_ats_connections(*w.c);
  REQUIRE(sched);
  REQUIRE(sched->size() == 1);
  CHECK(sched->front().connection_id == w.conn_id);
  CHECK(sched->front().state == ats_connection_state::connected);
  CHECK(sched->front().next_sync_at.has_value());

  // Idempotent: a second pull writes nothing (and the state step keeps the state).
  REQUIRE(w.sync().ok);
  CHECK(w.scalar("SELECT max(updated_at)::text FROM ats_applications") == updated);
  CHECK(w.count("ats_applications") == 12);
  CHECK(w.row().version == version + 1);  // one sync_succeeded history step, no state change

  // Token expiry: the connector refreshes once and the run succeeds.
  w.gh.expire_tokens();
  const int tokens = w.gh.token_requests();
  REQUIRE(w.sync().ok);
  CHECK(w.gh.token_requests() > tokens);

  // 5xx chaos within the retry budget converges; a change made meanwhile is imported.
  w.gh.fail_next(2, 503);
  REQUIRE(w.gh.move_application(500002, 200102));
  auto chaos = w.sync();
  INFO(chaos.detail);
  REQUIRE(chaos.ok);
  CHECK(w.scalar("SELECT stage_id FROM ats_applications WHERE external_id = '500002'") == "200102");

  // Repeated failures: degraded after 2, failing after 3 (test policy), each with a history row.
  w.gh.fail_next(1000, 500);
  auto f1 = w.sync();
  CHECK_FALSE(f1.ok);
  CHECK(f1.state == ats_connection_state::connected);
  CHECK(w.sync().state == ats_connection_state::degraded);
  CHECK(w.sync().state == ats_connection_state::failing);
  auto rec = w.row();
  CHECK(rec.state == ats_connection_state::failing);
  CHECK(rec.consecutive_failures == 3);
  REQUIRE(rec.last_error.has_value());
  CHECK(rec.last_error->find("client_secret") == std::string::npos);
  auto history = hw::storage::list_ats_connection_events(*w.c, w.org, w.conn_id);
  REQUIRE(history);
  int degraded = 0, failing = 0;
  for (const auto& h : *history) {
    degraded += h.to == ats_connection_state::degraded && h.from == ats_connection_state::connected;
    failing += h.to == ats_connection_state::failing && h.from == ats_connection_state::degraded;
  }
  CHECK(degraded == 1);
  CHECK(failing == 1);

  // Recovery: the vendor is back, the next pull succeeds and the connection is connected again.
  w.gh.fail_next(0);
  auto back = w.sync();
  INFO(back.detail);
  CHECK(back.ok);
  CHECK(back.state == ats_connection_state::connected);
  CHECK(w.row().consecutive_failures == 0);

  // Replaced credentials (a new seal: new bytes) that pass the test are recorded as `reconnected`.
  hw::storage::ats_credentials_update upd;
  upd.credentials_enc = *w.keys->seal(nlohmann::json{{"client_id", w.gh.options().client_id},
                                                     {"client_secret", w.gh.options().client_secret}}
                                          .dump(),
                                      hw::ats::credential_aad(w.org, w.conn_id));
  upd.credentials_key_id = w.keys->current_key_id();
  REQUIRE(hw::storage::update_ats_credentials(*w.c, w.org, w.conn_id, w.row().version, upd,
                                              std::chrono::system_clock::now(), hw::actor_ref{"system", "test"}));
  REQUIRE(w.test().ok);
  auto after = hw::storage::list_ats_connection_events(*w.c, w.org, w.conn_id);
  REQUIRE(after);
  CHECK(after->back().event == "reconnected");
  REQUIRE(w.test().ok);  // the same credentials again: an ordinary passing test
  after = hw::storage::list_ats_connection_events(*w.c, w.org, w.conn_id);
  CHECK(after->back().event == "test_succeeded");
}

TEST_CASE("ats e2e: a webhook delivery is a hint: re-fetched, stored, and a shortlist stage raises an event",
          "[pg][e2e][ats]") {
  ats_world w;
  REQUIRE(w.test().ok);
  REQUIRE(w.sync().ok);
  w.db.exec("UPDATE job_postings SET shortlist_stage_id = '200002' WHERE external_id = '100001'");

  hw::testing::webhook_sink sink;
  w.gh.add_webhook_endpoint(sink.url(), "whsec-test");
  REQUIRE(w.gh.move_application(500001, 200002));
  auto deliveries = w.gh.flush_webhooks({false, true, true});  // each delivered twice
  REQUIRE(deliveries.size() == 2);

  // What the receiver stores (verification is the service's part): the inbox rows and their jobs.
  int inserted = 0;
  for (const auto& d : deliveries) {
    hw::storage::ats_inbox_row row;
    row.connection_id = w.conn_id;
    row.vendor_event_id = d.event_id;
    row.content_key_hex = hw::storage::token_digest_hex(d.body);
    row.payload_json = d.body;
    auto r = hw::storage::inbox_insert(*w.c, w.org, row, std::chrono::system_clock::now());
    REQUIRE(r);
    inserted += r->outcome == hw::storage::inbox_outcome::inserted;
  }
  CHECK(inserted == 1);  // the duplicate was refused by the inbox

  // The vendor moved on before we processed the (now stale) hint: we store its latest state.
  REQUIRE(w.gh.move_application(500001, 200003));
  REQUIRE(w.gh.move_application(500001, 200002));

  auto jobs = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s,
                                 std::chrono::system_clock::now());
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 1);
  // The worker processes the job it is handed (what the supervisor does after a claim).
  caf::anon_send(w.worker, ha::ats_job_atom::value, jobs->front());
  // Wait for the job to finish: a test run right after it in the worker's mailbox is answered
  // only once the job is done.
  REQUIRE(w.test().ok);
  auto job = hw::storage::find_job(*w.c, w.org, jobs->front().id);
  REQUIRE(job);
  REQUIRE(job->has_value());
  CHECK((*job)->state == hw::storage::job_state::completed);
  CHECK(w.scalar("SELECT stage_id FROM ats_applications WHERE external_id = '500001'") == "200002");
  CHECK(w.count("ats_stage_events", "stage_id = '200002'") == 1);
  CHECK(w.count("ats_webhook_inbox", "status = 'processed'") == 1);
}

TEST_CASE("ats e2e: a malformed delivery is dead-lettered and marked processed, a ping just completes",
          "[pg][e2e][ats]") {
  ats_world w;
  const auto now = std::chrono::system_clock::now();
  for (const std::string body : {R"({"action":"candidate_stage_change","payload":{}})",
                                 R"({"action":"ping","payload":{"web_hook_id":1}})"}) {
    hw::storage::ats_inbox_row row;
    row.connection_id = w.conn_id;
    row.content_key_hex = hw::storage::token_digest_hex(body);
    row.payload_json = body;
    REQUIRE(hw::storage::inbox_insert(*w.c, w.org, row, now));
  }
  auto jobs = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s, now);
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 2);
  std::vector<hw::ats::webhook_step> steps;
  for (const auto& j : *jobs) {
    hw::ats::webhook_job_context ctx;
    ctx.connection_id = w.conn_id;
    ctx.vendor = "greenhouse";
    ctx.now = [] { return std::chrono::system_clock::now(); };
    auto r = hw::ats::process_webhook_job(*w.c, j, ctx);
    REQUIRE(r);
    steps.push_back(*r);
  }
  std::sort(steps.begin(), steps.end());
  CHECK(steps == std::vector<hw::ats::webhook_step>{hw::ats::webhook_step::processed,
                                                    hw::ats::webhook_step::discarded});
  CHECK(w.count("ats_webhook_inbox", "status = 'processed'") == 2);
  CHECK(w.count("jobs", "state = 'discarded'") == 1);
  CHECK(w.count("jobs", "state = 'completed'") == 1);
}

TEST_CASE("ats e2e: in the connection's queue a row the vendor fails on stays pending and does not hold up the rest",
          "[pg][e2e][ats]") {
  ats_world w;
  auto item = [&](const std::string& body) { return w.batch_item(body); };
  auto job_hint = [](int n) { return R"({"action":"job_updated","payload":{"job":{"id":)" + std::to_string(n) + "}}}"; };
  auto ping = [](int n) { return R"({"action":"ping","payload":{"web_hook_id":)" + std::to_string(n) + "}}"; };
  const std::vector<hw::storage::webhook_job_target> me{{w.org, w.conn_id}};
  hw::ats::webhook_job_context ctx;  // no connector: every row that needs the vendor fails (retry)
  ctx.connection_id = w.conn_id;
  ctx.vendor = "greenhouse";
  ctx.now = [] { return std::chrono::system_clock::now(); };
  auto run_next = [&](std::string& note) {
    REQUIRE(*hw::storage::ensure_webhook_jobs(*w.c, me, ctx.now()) >= 0);
    auto jobs = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s, ctx.now());
    REQUIRE(jobs);
    REQUIRE(jobs->size() == 1);
    auto r = hw::ats::process_webhook_job(*w.c, jobs->front(), ctx, &note);
    REQUIRE(r);
    return *r;
  };
  // A failing row first, then two that need no vendor: they go through, the failed one stays.
  REQUIRE(hw::storage::ingest_webhook_batch(*w.c, {item(job_hint(1)), item(ping(1)), item(ping(2))},
                                            std::chrono::system_clock::now()));
  std::string note;
  CHECK(run_next(note) == hw::ats::webhook_step::processed);
  CHECK(note.rfind("3 deliveries, 0 dead-lettered, 1 left for a retry", 0) == 0);
  CHECK(w.count("ats_webhook_inbox", "status = 'received'") == 1);
  CHECK(w.count("jobs", "state = 'available'") == 1);  // the next job retries the failed row
  // Only failing rows: the run backs off (the vendor fails as a whole), none is given up.
  CHECK(run_next(note) == hw::ats::webhook_step::retry_scheduled);
  CHECK(w.count("ats_webhook_inbox", "status = 'received'") == 1);
  CHECK(w.count("jobs", "state = 'retryable'") == 1);
  // Three failures in a row stop a run before the rows after them.
  w.db.exec("UPDATE jobs SET state = 'completed', finalized_at = now() WHERE state = 'retryable'");
  REQUIRE(hw::storage::ingest_webhook_batch(*w.c, {item(job_hint(2)), item(job_hint(3)), item(ping(3))},
                                            std::chrono::system_clock::now()));
  CHECK(run_next(note) == hw::ats::webhook_step::retry_scheduled);
  CHECK(w.count("ats_webhook_inbox", "status = 'received'") == 4);  // the ping after them untouched
}

TEST_CASE("ats e2e: a job claimed again after its lease ran out is processed once; the stale copy is skipped",
          "[pg][e2e][ats]") {
  ats_world w;
  // A ping stored as the connection's work (migration 0019: the inbox is the queue).
  const std::string body = R"({"action":"ping","payload":{"web_hook_id":1}})";
  hw::storage::ats_inbox_row row;
  row.connection_id = w.conn_id;
  row.content_key_hex = hw::storage::token_digest_hex(body);
  row.payload_json = body;
  REQUIRE(hw::storage::inbox_insert(*w.c, w.org, row, std::chrono::system_clock::now()));
  const auto t = std::chrono::system_clock::now();
  // Copy A: claimed with a short lease that runs out while it waits in the worker's mailbox (as
  // behind a pull); the sweeper gives the job back and it is claimed again: copy B.
  auto a = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "sup", 10, 1s, t);
  REQUIRE(a);
  REQUIRE(a->size() == 1);
  REQUIRE(*hw::storage::sweep_expired(*w.c, t + 2s, 0ms) == 1);
  auto b = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "sup", 10, 10min, t + 2s);
  REQUIRE(b);
  REQUIRE(b->size() == 1);
  REQUIRE(b->front().attempt == 2);
  caf::anon_send(w.worker, ha::ats_job_atom::value, a->front());
  REQUIRE(w.test().ok);  // answered after the job (one mailbox)
  CHECK(w.count("ats_webhook_inbox", "status = 'received'") == 1);  // A did nothing
  CHECK(w.count("jobs", "state = 'running' AND attempt = 2") == 1);
  caf::anon_send(w.worker, ha::ats_job_atom::value, b->front());
  REQUIRE(w.test().ok);
  CHECK(w.count("ats_webhook_inbox", "status = 'processed'") == 1);
  CHECK(w.count("jobs", "state = 'completed'") == 1);
}

TEST_CASE("ats e2e: the connection's job processes its pending rows in order and queues the next for rows left",
          "[pg][e2e][ats]") {
  ats_world w;
  const auto now = std::chrono::system_clock::now();
  auto item = [&](const std::string& body) { return w.batch_item(body); };
  // Three deliveries of one batch: inbox rows only (migration 0019), then their job.
  std::vector<hw::storage::ats_webhook_batch_item> batch;
  for (const std::string body : {R"({"action":"ping","payload":{"web_hook_id":1}})",
                                 R"({"action":"candidate_stage_change","payload":{}})",
                                 R"({"action":"ping","payload":{"web_hook_id":2}})"})
    batch.push_back(item(body));
  auto stored = hw::storage::ingest_webhook_batch(*w.c, batch, now);
  INFO((stored ? "" : stored.error().detail));
  REQUIRE(stored);
  for (const auto& r : *stored) REQUIRE(r.outcome == hw::storage::ats_webhook_batch_outcome::accepted);
  CHECK(w.count("jobs", "true") == 0);
  const std::vector<hw::storage::webhook_job_target> me{{w.org, w.conn_id}};
  REQUIRE(*hw::storage::ensure_webhook_jobs(*w.c, me, now) == 1);
  auto jobs = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s, now);
  REQUIRE(jobs);
  REQUIRE(jobs->size() == 1);  // one job for the connection's rows
  hw::ats::webhook_job_context ctx;
  ctx.connection_id = w.conn_id;
  ctx.vendor = "greenhouse";
  ctx.now = [] { return std::chrono::system_clock::now(); };
  ctx.rows_per_run = 2;
  std::string note;
  auto r = hw::ats::process_webhook_job(*w.c, jobs->front(), ctx, &note);
  REQUIRE(r);
  CHECK(*r == hw::ats::webhook_step::processed);
  // The oldest two (the malformed one reported, marked processed); the third did not fit: the
  // next job is queued after this one completed.
  CHECK(note == "2 deliveries, 1 dead-lettered; more are pending: next job queued");
  CHECK(w.count("ats_webhook_inbox", "status = 'processed' AND id IN (" + std::to_string((*stored)[0].inbox_id) +
                                       ", " + std::to_string((*stored)[1].inbox_id) + ")") == 2);
  CHECK(w.count("jobs", "state = 'completed'") == 1);
  CHECK(w.count("jobs", "state = 'available'") == 1);

  // The next job runs while a delivery is committed (after it listed its rows; its batch's ensure
  // finds this job live and queues nothing): completing, the job looks again and queues the next.
  // (The next job is due at the processor's clock.)
  auto second = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s,
                                   std::chrono::system_clock::now());
  REQUIRE(second);
  REQUIRE(second->size() == 1);
  auto other = w.db.connect_app();
  int ensured_meanwhile = -1;
  ctx.now = [&] {
    if (ensured_meanwhile < 0) {
      auto late = hw::storage::ingest_webhook_batch(*other, {item(R"({"action":"ping","payload":{"web_hook_id":3}})")}, now);
      REQUIRE(late);
      ensured_meanwhile = *hw::storage::ensure_webhook_jobs(*other, me, now);
    }
    return std::chrono::system_clock::now();
  };
  r = hw::ats::process_webhook_job(*w.c, second->front(), ctx, &note);
  REQUIRE(r);
  CHECK(*r == hw::ats::webhook_step::processed);
  CHECK(ensured_meanwhile == 0);
  CHECK(note == "ping: ping; more are pending: next job queued");
  auto third = hw::storage::claim(*w.c, {hw::storage::ats_webhook_job_kind}, "test", 10, 60s,
                                  std::chrono::system_clock::now());
  REQUIRE(third);
  REQUIRE(third->size() == 1);
  r = hw::ats::process_webhook_job(*w.c, third->front(), ctx, &note);
  REQUIRE(r);
  CHECK(note == "ping: ping");  // the last one: nothing pending, no next job
  CHECK(w.count("ats_webhook_inbox", "status = 'processed'") == 4);
  CHECK(w.count("jobs", "state = 'completed'") == 3);
  CHECK(w.count("jobs", "state <> 'completed'") == 0);
  // Received is counted as each row turns processed (migration 0019).
  auto counts = hw::storage::ats_import_counts_by_connection(*w.c, w.org);
  REQUIRE(counts);
  CHECK(counts->at(w.conn_id).webhooks_received == 4);

  SECTION("a replay of the completed job's rows changes nothing") {
    auto again = jobs->front();
    again.args = R"({"connection_id":")" + w.conn_id + R"(","inbox_ids":[)" +
                 std::to_string((*stored)[0].inbox_id) + "]}";
    // Not claimed (completed): the function refuses nothing but the lease is gone.
    auto r2 = hw::ats::process_webhook_job(*w.c, again, ctx, &note);
    REQUIRE(r2);
    CHECK(note == "inbox row already processed");
    CHECK(w.count("ats_webhook_inbox", "status = 'processed'") == 4);
    CHECK(hw::storage::ats_import_counts_by_connection(*w.c, w.org)->at(w.conn_id).webhooks_received == 4);
  }
}

TEST_CASE("ats e2e: a hung vendor call times out and counts as a failed run", "[pg][e2e][ats]") {
  ats_world w{[](ha::sync_worker_config& wc) {
    wc.policy.timeout = 300ms;
    wc.policy.max_attempts = 2;
  }};
  REQUIRE(w.test().ok);
  w.gh.set_delay(3s);  // every answer hangs far beyond the call timeout
  const auto started = std::chrono::steady_clock::now();
  auto r = w.sync();
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK_FALSE(r.ok);
  CHECK(took < 2500ms);  // two attempts of 300 ms, not the vendor's 3 s
  auto rec = w.row();
  CHECK(rec.consecutive_failures == 1);
  REQUIRE(rec.last_error.has_value());
  CHECK(w.count("ats_integration_log", "status IS NULL") >= 1);  // no HTTP answer: logged as such
  w.gh.set_delay(0ms);
}

TEST_CASE("ats e2e: a slow tenant's pull does not delay another connection's", "[pg][e2e][ats]") {
  ats_world w;
  hw::testing::fake_greenhouse fast{[] {
    hw::testing::fake_greenhouse_options o;
    o.rate_limit = 1'000'000;
    return o;
  }()};
  fast.seed();
  const std::string conn2 = random_uuid();
  w.make_connection(fast, conn2);
  auto stop2 = std::make_shared<std::atomic<bool>>(false);
  auto worker2 = w.spawn_worker(fast, conn2, stop2);
  REQUIRE(w.test().ok);
  REQUIRE(w.test(worker2, conn2).ok);

  w.gh.set_delay(600ms);  // the slow vendor: every answer takes 0.6 s (a pull makes several calls)
  caf::anon_send(w.worker, ha::ats_sync_atom::value);
  caf::anon_send(worker2, ha::ats_sync_atom::value);
  std::string first, second;
  auto r1 = w.await_report(&first);
  auto r2 = w.await_report(&second);
  CHECK(first == conn2);  // the fast one finished while the slow one was still waiting
  CHECK(second == w.conn_id);
  CHECK(r1.ok);
  CHECK(r2.ok);
  w.gh.set_delay(0ms);
  stop2->store(true);
  caf::anon_send_exit(worker2, caf::exit_reason::user_shutdown);
}

TEST_CASE("ats e2e: the whole server: create, test, automatic first pull, signed webhook processed",
          "[pg][e2e][ats]") {
  using namespace hw::testing;
  using namespace hw::testing::e2e;
  using json = nlohmann::json;
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  fake_greenhouse gh{[] {
    fake_greenhouse_options o;
    o.rate_limit = 1'000'000;
    return o;
  }()};
  gh.seed();
  auto cfg = rls_app_config(db.app_dsn(), db.dsn(), admin_token);
  cfg.ats_greenhouse_api_url = gh.base_url();
  cfg.ats_greenhouse_token_url = gh.base_url() + "/token";
  cfg.ats_poll_interval = 50ms;
  running_app server(cfg);
  auto owner = signup(server.port, "ats-e2e", "owner@ats-e2e.example.com");
  const std::string base = "/api/v1/orgs/" + owner.org_id + "/ats/connections";
  auto created = owner.b->post(base, json{{"vendor", "greenhouse"},
                                          {"name", "Greenhouse"},
                                          {"credentials", {{"client_id", gh.options().client_id},
                                                           {"client_secret", gh.options().client_secret}}}});
  INFO(created.body);
  REQUIRE(created.status == 201);
  const auto cj = body_json(created);
  const std::string id = cj["connection"]["id"].get<std::string>();
  REQUIRE(cj.contains("webhook_secret"));
  const std::string secret = cj["webhook_secret"].get<std::string>();

  auto tested = owner.b->post(base + "/" + id + "/test");
  INFO(tested.body);
  REQUIRE(tested.status == 200);
  CHECK(body_json(tested)["ok"] == true);
  // The supervisor starts the first pull by itself after the first successful test.
  auto imported = [&] {
    auto r = owner.b->get(base + "/" + id);
    if (r.status != 200) return false;
    auto j = body_json(r);
    return j["counts"]["applications"] == 12 && !j["last_success_at"].is_null() && j["syncing"] == false;
  };
  REQUIRE(eventually(imported, 30s));
  auto view = body_json(owner.b->get(base + "/" + id));
  CHECK(view["state"] == "connected");
  CHECK(view["counts"]["jobs"] == 3);
  CHECK_FALSE(view["next_sync_at"].is_null());

  // A signed delivery through the real receiver: inbox -> job -> supervisor -> worker -> re-fetch.
  pqxx::connection admin{db.dsn()};
  pqxx::nontransaction(admin).exec("UPDATE job_postings SET shortlist_stage_id = '200002' WHERE external_id = '100001'");
  gh.add_webhook_endpoint("http://127.0.0.1:" + std::to_string(server.port) + "/webhooks/greenhouse/" + id, secret);
  REQUIRE(gh.move_application(500001, 200002));
  auto sent = gh.flush_webhooks();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].status >= 200);
  CHECK(sent[0].status < 300);
  auto count = [&](const std::string& sql) {
    pqxx::connection c2{db.dsn()};
    return pqxx::nontransaction(c2).exec1(sql)[0].as<long>();
  };
  REQUIRE(eventually([&] { return count("SELECT count(*) FROM ats_stage_events WHERE stage_id = '200002'") == 1; },
                     30s));
  CHECK(count("SELECT count(*) FROM ats_applications WHERE external_id = '500001' AND stage_id = '200002'") == 1);
  REQUIRE(eventually([&] { return count("SELECT count(*) FROM ats_webhook_inbox WHERE status = 'processed'") == 1; }));

  // A manual sync is accepted (202) and runs.
  auto synced = owner.b->post(base + "/" + id + "/sync");
  INFO(synced.body);
  CHECK(synced.status == 202);
  REQUIRE(eventually([&] {
    auto j = body_json(owner.b->get(base + "/" + id));
    return j["syncing"] == false;
  }));
  // The delivery is on the connection's log (its inbox row is its line, migration 0016).
  auto log = body_json(owner.b->get(base + "/" + id + "/log"));
  bool inbound = false;
  for (const auto& e : log["entries"]) {
    if (e["direction"] == "inbound" && e["endpoint"] == "/webhooks/greenhouse" && e["status"] == 200) inbound = true;
  }
  CHECK(inbound);
}

TEST_CASE("ats e2e: a Lever pull through the engine imports once and a re-run changes nothing", "[pg][e2e][ats]") {
  using namespace hw::testing;
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  fake_lever lv{[] {
    fake_lever_options o;
    o.rate_per_second = 1e6;  // the fake's clock stands still: its bucket would never refill
    o.burst = 1'000'000;
    return o;
  }()};
  lv.seed();
  const hw::org_id org{db.make_org("lever-e2e")};
  const std::string id = random_uuid();
  auto c = db.connect_app();
  hw::storage::ats_connection_create_row row;
  row.id = id;
  row.vendor = "lever";
  row.name = "Lever";
  REQUIRE(hw::storage::create_ats_connection(*c, org, row, std::chrono::system_clock::now(),
                                             hw::actor_ref{"system", "test"}));
  const auto* v = hw::ats::find_vendor("lever");
  REQUIRE(v);
  const std::map<std::string, std::string> creds{{"api_key", lv.options().api_key}};
  REQUIRE(v->validate_credentials(creds));
  hw::ats::connector_env env;
  env.now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
  };
  env.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  env.policy.timeout = 5s;
  env.policy.backoff_base = 5ms;
  env.policy.backoff_cap = 20ms;
  auto conn = v->make_connector(creds, hw::ats::vendor_endpoints{lv.base_url(), ""}, env);
  REQUIRE(conn);
  hw::ats::pg_sync_store store{*c, org, id, {}};
  hw::ats::pull_options opt;
  auto first = hw::ats::run_pull(*conn, store, opt);
  INFO((first ? std::string{} : first.error().detail));
  REQUIRE(first);
  CHECK(first->changed() > 0);
  pqxx::connection admin{db.dsn()};
  CHECK(pqxx::nontransaction(admin).exec1("SELECT count(*) FROM ats_applications")[0].as<int>() == 12);
  auto second = hw::ats::run_pull(*conn, store, opt);
  REQUIRE(second);
  CHECK(second->changed() == 0);
}
