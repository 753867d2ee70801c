// The sync worker under the sync lease (migration 0017) and the stored `reconnected` rule: real
// PostgreSQL, real detached sync workers on a real actor system (a scoped actor plays their
// supervisor), a scripted in-process connector (sync_worker_config::make_connector) and an injected
// clock, so lease expiry and renewal are driven by the test, never by sleeping. "Another process"
// is another lease owner on another database connection.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/ats/ats_supervisor.hpp"
#include "actors/ats/credential_box.hpp"
#include "actors/ats/sync_worker.hpp"
#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_schedule_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using namespace std::chrono_literals;
namespace ha = hw::actors;
namespace st = hw::storage;
using hw::domain::ats_connection_state;
using report_kind = ha::ats_worker_report::what;

namespace {

const char* ring_text = "k1:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;current=k1";
const std::string this_process = "ats-test-this";
const std::string other_process = "ats-test-other";
const hw::actor_ref recruiter{"user", "11111111-1111-1111-1111-111111111111"};

/// What the scripted connector does; shared by the test thread and the worker thread.
struct script {
  std::atomic<int> pulls{0};
  std::atomic<int> tests{0};
  std::atomic<bool> vendor_down{false};  // test() and pull() fail like an unreachable vendor
  std::mutex m;
  std::function<void(hw::ats::connector_env&)> during_pull;  // runs on the worker thread
};

class scripted_connector final : public hw::ats::connector {
 public:
  scripted_connector(std::shared_ptr<script> s, hw::ats::connector_env env) : s_{std::move(s)}, env_{std::move(env)} {}
  std::string_view vendor() const noexcept override { return "greenhouse"; }
  hw::result<std::string> test() override {
    ++s_->tests;
    if (s_->vendor_down) return hw::error{hw::errc::unavailable, "HTTP 503"};
    return std::string{"ok"};
  }
  hw::result<hw::ats::pull_report> pull(const hw::ats::pull_request&, hw::ats::pull_sink&) override {
    ++s_->pulls;
    std::function<void(hw::ats::connector_env&)> f;
    {
      std::lock_guard<std::mutex> g{s_->m};
      f = s_->during_pull;
    }
    if (f) f(env_);
    if (env_.cancelled && env_.cancelled()) return hw::error{hw::errc::unavailable, "cancelled"};
    if (s_->vendor_down) return hw::error{hw::errc::unavailable, "HTTP 503"};
    return hw::ats::pull_report{};
  }
  hw::result<std::optional<hw::domain::ats_job>> fetch_job(const std::string&) override {
    return std::optional<hw::domain::ats_job>{};
  }
  hw::result<std::optional<hw::domain::ats_candidate>> fetch_candidate(const std::string&) override {
    return std::optional<hw::domain::ats_candidate>{};
  }
  hw::result<std::optional<hw::ats::fetched_application>> fetch_application(const std::string&) override {
    return std::optional<hw::ats::fetched_application>{};
  }

 private:
  std::shared_ptr<script> s_;
  hw::ats::connector_env env_;
};

struct lease_world {
  hw::testing::pg_fixture db{hw::testing::pg_fixture::schema::migrated, hw::testing::pg_fixture::app_role::create};
  std::shared_ptr<const hw::ats::credential_key_ring> keys =
    std::make_shared<const hw::ats::credential_key_ring>(*hw::ats::credential_key_ring::parse(ring_text));
  std::shared_ptr<script> s = std::make_shared<script>();
  // The injected clock (epoch microseconds), shared with the workers.
  std::shared_ptr<std::atomic<std::int64_t>> clock_us =
    std::make_shared<std::atomic<std::int64_t>>(1'900'000'000'000'000LL);
  hw::org_id org;
  std::string conn_id;
  st::connection_ptr c;      // this test's own view (admin)
  st::connection_ptr other;  // "another server process" (app role)
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<caf::scoped_actor> sup;
  caf::actor worker;
  std::shared_ptr<std::atomic<bool>> stop = std::make_shared<std::atomic<bool>>(false);
  static constexpr auto ttl = std::chrono::minutes{5};

  lease_world() {
    org = hw::org_id{db.make_org("acme")};
    c = db.connect();
    other = db.connect_app();
    conn_id = new_id();
    hw::storage::ats_connection_create_row row;
    row.id = conn_id;
    row.vendor = "greenhouse";
    row.name = "Greenhouse";
    row.credentials_enc = seal("secret-1");
    row.credentials_key_id = keys->current_key_id();
    auto created = st::create_ats_connection(*c, org, row, now(), recruiter);
    INFO((created ? std::string{} : created.error().detail));
    REQUIRE(created);
    cfg.set("scheduler.max-threads", std::size_t{2});
    cfg.set("scheduler.policy", caf::atom("sharing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sup = std::make_unique<caf::scoped_actor>(*sys);
    worker = spawn_worker(stop);
  }
  ~lease_world() {
    stop->store(true);
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
    worker = nullptr;
    sup.reset();
    sys->await_all_actors_done();
    sys.reset();
  }

  std::string new_id() {
    pqxx::nontransaction tx{*c};
    return tx.exec1("SELECT gen_random_uuid()::text")[0].as<std::string>();
  }
  st::time_point now() const { return st::time_point{std::chrono::microseconds{clock_us->load()}}; }
  void advance(std::chrono::microseconds d) { clock_us->fetch_add(d.count()); }
  std::string seal(const std::string& secret) {
    return *keys->seal(nlohmann::json{{"api_key", secret}}.dump(), hw::ats::credential_aad(org, conn_id));
  }

  /// A worker of THIS process (lease owner `this_process`); a new one has a fresh memory, like a
  /// worker of a restarted process.
  caf::actor spawn_worker(std::shared_ptr<std::atomic<bool>> stop_flag) {
    ha::sync_worker_config wc;
    wc.dsn = db.app_dsn();
    wc.keys = keys;
    wc.endpoints["greenhouse"] = hw::ats::vendor_endpoints{"http://127.0.0.1:9", ""};  // never called
    wc.sync_timeout = 60s;
    wc.failure = {2, 3};
    wc.lease_owner = this_process;
    wc.sync_lease = ttl;
    wc.now = [clk = clock_us] { return st::time_point{std::chrono::microseconds{clk->load()}}; };
    wc.make_connector = [sc = s](const std::string&, const std::map<std::string, std::string>& creds,
                                 const hw::ats::vendor_endpoints&, hw::ats::connector_env env)
      -> std::unique_ptr<hw::ats::connector> {
      if (!creds.count("api_key")) return nullptr;
      return std::make_unique<scripted_connector>(sc, std::move(env));
    };
    return ha::sync_worker_factory(wc)(*sys, caf::actor_cast<caf::actor>(*sup),
                                       ha::ats_worker_key{org, conn_id, "greenhouse"}, std::move(stop_flag));
  }
  void restart_worker() {
    stop->store(true);
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
    stop = std::make_shared<std::atomic<bool>>(false);
    worker = spawn_worker(stop);
  }

  ha::ats_worker_report await_report() {
    ha::ats_worker_report out;
    bool got = false;
    (*sup)->receive([&](ha::ats_report_atom, const std::string& id, const ha::ats_worker_report& r) {
      CHECK(id == conn_id);
      out = r;
      got = true;
    }, caf::after(std::chrono::seconds{60}) >> [] {});
    REQUIRE(got);
    return out;
  }
  ha::ats_test_outcome test() {
    ha::ats_test_outcome out;
    bool got = false;
    (*sup)->request(worker, std::chrono::seconds{60}, ha::ats_test_atom::value, org, conn_id)
      .receive([&](ha::ats_test_outcome& o) { out = o; got = true; },
               [&](caf::error& e) { FAIL(ha::to_hw_error(e).detail); });
    REQUIRE(got);
    CHECK(await_report().kind == report_kind::test);
    return out;
  }
  ha::ats_worker_report sync() {
    caf::anon_send(worker, ha::ats_sync_atom::value);
    return await_report();
  }
  st::ats_connection_record row() {
    auto r = st::load_ats_connection(*c, org, conn_id);
    REQUIRE(r);
    return *r;
  }
  std::string last_event() {
    auto evs = st::list_ats_connection_events(*c, org, conn_id);
    REQUIRE(evs);
    REQUIRE(!evs->empty());
    return evs->back().event;
  }
  /// The lease's expiry as the schedule read sees it; no Catch2 assertion, so callable from the
  /// worker's thread (inside the scripted pull).
  std::optional<st::time_point> lease_until_unchecked() {
    auto rows = st::list_live_ats_connections(*other);
    if (!rows || rows->size() != 1) return std::nullopt;
    return (*rows)[0].sync_lease_until;
  }
  /// The lease as the schedule read sees it.
  st::ats_schedule_row schedule() {
    auto rows = st::list_live_ats_connections(*other);
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    return (*rows)[0];
  }
  void replace_credentials(const std::string& secret) {
    st::ats_credentials_update upd;
    upd.credentials_enc = seal(secret);
    upd.credentials_key_id = keys->current_key_id();
    REQUIRE(st::update_ats_credentials(*c, org, conn_id, row().version, upd, now(), recruiter));
  }
  void set_during_pull(std::function<void(hw::ats::connector_env&)> f) {
    std::lock_guard<std::mutex> g{s->m};
    s->during_pull = std::move(f);
  }
};

}  // namespace

TEST_CASE("ats sync lease e2e: a pull while another process holds the lease does nothing and reports busy",
          "[pg][e2e][ats][lease]") {
  lease_world w;
  REQUIRE(w.test().ok);
  REQUIRE(w.row().state == ats_connection_state::connected);
  auto held = st::claim_ats_sync(*w.other, w.org, w.conn_id, other_process, 5min, w.now());
  REQUIRE(held);
  REQUIRE(held->claimed);

  auto busy = w.sync();
  CHECK(busy.kind == report_kind::busy);
  CHECK(busy.lease_until == w.now() + 5min);
  CHECK(w.s->pulls == 0);  // not one vendor call
  CHECK_FALSE(w.row().last_sync_at);
  CHECK(w.row().consecutive_failures == 0);  // no error state
  CHECK(w.schedule().sync_lease_owner == other_process);

  // The other process crashed: once its lease expired, this process pulls, records and releases.
  w.advance(5min);
  auto ran = w.sync();
  CHECK(ran.kind == report_kind::sync);
  CHECK(ran.ok);
  CHECK(w.s->pulls == 1);
  CHECK(w.row().last_sync_at);
  CHECK(w.last_event() == "sync_succeeded");
  auto after = w.schedule();
  CHECK_FALSE(after.sync_lease_owner);  // released
  auto next = st::claim_ats_sync(*w.other, w.org, w.conn_id, other_process, 5min, w.now());
  REQUIRE(next);
  CHECK(next->claimed);
  CHECK(next->lease.epoch == 3);  // other, this, other

  SECTION("a worker that crashed mid-pull is recorded by its successor under a new lease of the same process") {
    REQUIRE(*st::release_ats_sync(*w.other, next->lease));
    auto own = st::claim_ats_sync(*w.other, w.org, w.conn_id, this_process, 5min, w.now());  // the dead worker's
    REQUIRE(own);
    REQUIRE(own->claimed);
    caf::anon_send(w.worker, ha::ats_sync_atom::value, std::string{"the sync worker crashed"});
    auto rec = w.await_report();
    CHECK(rec.kind == report_kind::sync);
    CHECK_FALSE(rec.ok);
    CHECK(w.last_event() == "sync_failed");
    CHECK(w.row().last_error == std::string{"the sync worker crashed"});
    CHECK_FALSE(w.schedule().sync_lease_owner);
  }
}

TEST_CASE("ats sync lease e2e: a long pull renews its lease, one that loses it records nothing",
          "[pg][e2e][ats][lease]") {
  lease_world w;
  REQUIRE(w.test().ok);

  SECTION("renewed while it runs: the other process cannot take it after the first term") {
    // Runs on the worker's thread: results are only recorded there and checked here.
    bool took = true;
    int cancelled = 0;
    std::optional<st::time_point> seen_until;
    w.set_during_pull([&](hw::ats::connector_env& env) {
      const auto start = w.now();
      for (int i = 0; i < 4; ++i) {  // a 16-minute pull, hooks every 4 minutes
        w.advance(4min);
        cancelled += env.cancelled() ? 1 : 0;
      }
      seen_until = w.lease_until_unchecked();
      auto r = st::claim_ats_sync(*w.other, w.org, w.conn_id, other_process, 5min, start + 15min);
      took = !r || r->claimed;
    });
    auto ran = w.sync();
    CHECK(ran.kind == report_kind::sync);
    CHECK(ran.ok);
    CHECK(cancelled == 0);
    CHECK_FALSE(took);
    CHECK(seen_until == w.now() + 5min);  // renewed at the last hook
    CHECK(w.last_event() == "sync_succeeded");
  }
  SECTION("taken over after it expired: cancelled, no outcome, no failure counted, the new lease kept") {
    std::optional<st::ats_sync_lease> theirs;
    bool cancelled = false;
    w.set_during_pull([&](hw::ats::connector_env& env) {
      // Stalled past its term without a hook (a hung call); the other process takes over.
      w.advance(5min);
      auto r = st::claim_ats_sync(*w.other, w.org, w.conn_id, other_process, 5min, w.now());
      if (r && r->claimed) theirs = r->lease;
      cancelled = env.cancelled();  // the next hook's renewal finds the lease gone
    });
    const auto before = w.row();
    auto lost = w.sync();
    REQUIRE(theirs);
    CHECK(cancelled);
    CHECK(lost.kind == report_kind::busy);
    CHECK(w.s->pulls == 1);
    const auto after = w.row();
    CHECK(after.last_sync_at == before.last_sync_at);
    CHECK(after.next_sync_at == before.next_sync_at);
    CHECK(after.consecutive_failures == 0);
    CHECK(after.version == before.version);  // no FSM step
    CHECK(w.last_event() == "test_succeeded");
    CHECK(w.schedule().sync_lease_owner == other_process);  // not released by the loser
    auto renewed = st::renew_ats_sync(*w.other, *theirs, 5min, w.now());
    REQUIRE(renewed);
    CHECK(*renewed);
  }
}

TEST_CASE("ats sync worker: `reconnected` is decided from stored state, also after a restart",
          "[pg][e2e][ats][reconnect]") {
  lease_world w;
  REQUIRE(w.test().ok);
  CHECK(w.last_event() == "test_succeeded");  // pending -> connected: never a reconnect
  // The vendor starts refusing: failing after 3 failed pulls (policy {2, 3}).
  w.s->vendor_down = true;
  for (int i = 0; i < 3; ++i) CHECK_FALSE(w.sync().ok);
  REQUIRE(w.row().state == ats_connection_state::failing);

  SECTION("new credentials tested by a restarted worker: reconnected") {
    w.replace_credentials("secret-2");
    w.restart_worker();  // the old sealed bytes are in no worker's memory now
    w.s->vendor_down = false;
    REQUIRE(w.test().ok);
    CHECK(w.last_event() == "reconnected");
    CHECK(w.row().state == ats_connection_state::connected);
    REQUIRE(w.test().ok);  // the same credentials again: an ordinary passing test
    CHECK(w.last_event() == "test_succeeded");
  }
  SECTION("the same credentials passing again after a restart: test_succeeded") {
    w.restart_worker();
    w.s->vendor_down = false;
    REQUIRE(w.test().ok);
    CHECK(w.last_event() == "test_succeeded");
    CHECK(w.row().state == ats_connection_state::connected);
  }
  SECTION("new credentials whose first test failed still reconnect once a test passes") {
    w.replace_credentials("secret-3");
    CHECK_FALSE(w.test().ok);  // the vendor is still down
    CHECK(w.last_event() == "test_failed");
    w.restart_worker();
    w.s->vendor_down = false;
    REQUIRE(w.test().ok);
    CHECK(w.last_event() == "reconnected");
  }
  SECTION("credentials a successful pull already ran with are no longer new") {
    w.replace_credentials("secret-4");
    w.s->vendor_down = false;
    auto ok = w.sync();  // the scheduled pull comes first and works with them
    REQUIRE(ok.ok);
    REQUIRE(w.row().state == ats_connection_state::connected);
    w.restart_worker();
    REQUIRE(w.test().ok);
    CHECK(w.last_event() == "test_succeeded");
  }
}
