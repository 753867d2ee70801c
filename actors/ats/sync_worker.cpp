#include "actors/ats/sync_worker.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <thread>

#include <unistd.h>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/connection_base>
#include <spdlog/spdlog.h>

#include "actors/ats/ats_supervisor.hpp"
#include "actors/ats/vendor_registry.hpp"
#include "actors/ats/webhook_processor.hpp"
#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_schedule_repo.hpp"
#include "storage/pg.hpp"

namespace hw::actors {

std::chrono::minutes sync_interval_of(const std::string& settings_json) {
  const auto j = nlohmann::json::parse(settings_json, nullptr, false);
  long long m = 60;
  if (j.is_object() && j.contains("sync_interval_minutes") && j["sync_interval_minutes"].is_number_integer())
    m = j["sync_interval_minutes"].get<long long>();
  return std::chrono::minutes{std::clamp<long long>(m, 5, 1440)};
}

std::string make_ats_lease_owner() {
  char host[64] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::string h{host};
  if (h.size() > 64) h.resize(64);
  std::random_device rd;
  char rnd[17];
  std::snprintf(rnd, sizeof rnd, "%08x%08x", rd(), rd());
  return "ats-" + (h.empty() ? std::string{"host"} : h) + "-" + std::to_string(::getpid()) + "-" + rnd;
}

namespace {

using state_t = domain::ats_connection_state;
using report_kind = ats_worker_report::what;

bool syncable(state_t s) {
  return s == state_t::connected || s == state_t::degraded || s == state_t::failing;
}

std::string cut(std::string s, std::size_t n = 200) {
  if (s.size() > n) s.resize(n);
  return s;
}

struct worker_state {
  static inline const char* name = "ats_sync_worker";
  storage::connection_ptr conn;
  std::unique_ptr<ats::connector> connector;
  std::optional<std::string> connector_creds;  // the sealed bytes `connector` was built from
  std::chrono::steady_clock::time_point deadline;
  // The sync lease of the pull in progress (claim -> renewals -> fenced outcome -> release).
  std::optional<storage::ats_sync_lease> lease;
  bool lease_lost = false;  // a renewal found it taken over: cancel the pull, record nothing
  storage::time_point renew_at{};  // cfg.now() reading after which the next hook renews
  bool db_warned = false;
  std::minstd_rand rng{std::random_device{}()};
};

using wself = caf::stateful_actor<worker_state>*;

struct wctx {
  std::shared_ptr<const sync_worker_config> cfg;
  ats_worker_key key;
  caf::actor sup;
  std::shared_ptr<std::atomic<bool>> stop;
};

const actor_ref& sync_actor() {
  static const actor_ref who{"system", storage::ats_sync_actor_id, {}, {}, {}};
  return who;
}

bool ensure_db(wself self, const wctx& x) {
  auto& st = self->state;
  if (st.conn) return true;
  try {
    st.conn = storage::connect(x.cfg->dsn, x.cfg->statement_timeout);
    if (st.db_warned) spdlog::info("ats worker {} reconnected to PostgreSQL", x.key.connection_id);
    st.db_warned = false;
    return true;
  } catch (const std::exception&) {
    if (!st.db_warned) spdlog::warn("ats worker {} cannot connect to PostgreSQL", x.key.connection_id);
    st.db_warned = true;
    return false;
  }
}

/// Drops the connection after a database failure, so the next message reconnects.
void on_db_error(wself self, const hw::error& e) {
  if (e.code == errc::unavailable) self->state.conn.reset();
}

void report(wself self, const wctx& x, ats_worker_report r) {
  self->send(x.sup, ats_report_atom::value, x.key.connection_id, std::move(r));
}

/// Renews the pull's lease when due. Runs on this worker's thread from the connector's hooks,
/// between vendor calls and page writes (no transaction is open on `conn` then).
void maybe_renew(worker_state* st, const sync_worker_config& cfg) {
  if (!st->lease || st->lease_lost || !st->conn) return;
  const auto now = cfg.now();
  if (now < st->renew_at) return;
  st->renew_at = now + cfg.sync_lease / 5;
  auto r = storage::renew_ats_sync(*st->conn, *st->lease, cfg.sync_lease, now);
  if (!r) {
    // Our database: keep pulling; the next renewal (or the fenced outcome) tells.
    spdlog::debug("ats connection {}: sync lease renewal failed: {}", st->lease->connection_id, r.error().detail);
  } else if (!*r) {
    st->lease_lost = true;
    spdlog::warn("ats connection {}: sync lease taken over by another process; cancelling this pull",
                 st->lease->connection_id);
  }
}

ats::connector_env make_env(wself self, const wctx& x) {
  worker_state* st = &self->state;  // the connector lives in this state: the pointer outlives it
  ats::connector_env env;
  auto cfg = x.cfg;
  env.now_ms = [cfg] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(cfg->now().time_since_epoch()).count();
  };
  env.sleep = [stop = x.stop, st, cfg](std::chrono::milliseconds d) {
    // In slices, so a stop (shutdown, disconnect), the run's deadline or a lost lease ends a long
    // wait early; a long wait (a vendor's Retry-After) renews the lease meanwhile.
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop->load() && !st->lease_lost && std::chrono::steady_clock::now() < std::min(until, st->deadline)) {
      maybe_renew(st, *cfg);
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds{100}, until - std::chrono::steady_clock::now()));
    }
  };
  env.on_call = [st, org = x.key.org, id = x.key.connection_id, cfg](const ats::call_record& c) {
    if (!st->conn) return;
    maybe_renew(st, *cfg);
    storage::ats_integration_log_row row;
    row.connection_id = id;
    row.direction = "outbound";
    row.endpoint = c.endpoint;
    row.status = c.status;
    row.duration_ms = c.duration_ms;
    row.error = c.error;
    auto r = storage::append_integration_log(*st->conn, org, row, cfg->now());
    if (!r && r.code() != errc::unavailable)
      spdlog::debug("ats integration log append failed: {}", r.error().detail);
  };
  env.cancelled = [stop = x.stop, st, cfg] {
    maybe_renew(st, *cfg);
    return stop->load() || st->lease_lost || std::chrono::steady_clock::now() > st->deadline;
  };
  env.jitter = [st] { return std::uniform_real_distribution<double>{0.0, 1.0}(st->rng); };
  env.policy = x.cfg->policy;
  return env;
}

result<std::map<std::string, std::string>> open_credentials(const wctx& x, const storage::ats_connection_record& row) {
  if (!row.credentials_enc) return hw::error{errc::invalid_argument, "no credentials stored"};
  if (!x.cfg->keys) return hw::error{errc::internal, "no credential key ring configured"};
  auto plain = x.cfg->keys->open(*row.credentials_enc, ats::credential_aad(row.org, row.id));
  if (!plain) return std::move(plain).error();
  const auto j = nlohmann::json::parse(*plain, nullptr, false);
  if (!j.is_object()) return hw::error{errc::internal, "stored credentials are not a JSON object"};
  std::map<std::string, std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

result<ats::connector*> ensure_connector(wself self, const wctx& x, const storage::ats_connection_record& row) {
  auto& st = self->state;
  if (st.connector && st.connector_creds == row.credentials_enc) return st.connector.get();
  st.connector.reset();
  st.connector_creds.reset();
  auto creds = open_credentials(x, row);
  if (!creds) return std::move(creds).error();
  auto ep = x.cfg->endpoints.find(row.vendor);
  if (ep == x.cfg->endpoints.end()) return hw::error{errc::internal, "no endpoints configured for " + row.vendor};
  st.connector = x.cfg->make_connector(row.vendor, *creds, ep->second, make_env(self, x));
  if (!st.connector) return hw::error{errc::invalid_argument, "stored credentials are not valid for " + row.vendor};
  st.connector_creds = row.credentials_enc;
  return st.connector.get();
}

/// decide + apply_ats_transition (CAS); on a version conflict reload and re-decide once.
result<storage::ats_connection_record> apply_step(wself self, const wctx& x, storage::ats_connection_record row,
                                                  domain::ats_connection_event ev, const std::string& detail) {
  auto& c = *self->state.conn;
  for (int attempt = 0;; ++attempt) {
    auto step = domain::decide({row.state, row.consecutive_failures}, ev, x.cfg->failure, detail);
    if (!step) return std::move(step).error();
    auto r = storage::apply_ats_transition(c, row.org, row.id, row.version, *step, x.cfg->now(), sync_actor());
    if (r || r.code() != errc::version_conflict || attempt == 1) return r;
    auto again = storage::load_ats_connection(c, row.org, row.id);
    if (!again) return std::move(again).error();
    row = std::move(*again);
  }
}

/// Loads this worker's row; reports gone / idle itself and returns nullopt when nothing can run.
std::optional<storage::ats_connection_record> load_row(wself self, const wctx& x, report_kind kind_on_idle) {
  if (!ensure_db(self, x)) {
    report(self, x, {kind_on_idle, false, std::nullopt, std::nullopt, "database unavailable"});
    return std::nullopt;
  }
  auto row = storage::load_ats_connection(*self->state.conn, x.key.org, x.key.connection_id);
  if (!row) {
    if (row.code() == errc::not_found) {
      report(self, x, {report_kind::gone, false, std::nullopt, std::nullopt, "not found"});
    } else {
      on_db_error(self, row.error());
      report(self, x, {kind_on_idle, false, std::nullopt, std::nullopt, cut(row.error().detail)});
    }
    return std::nullopt;
  }
  if (row->state == state_t::disconnected) {
    report(self, x, {report_kind::gone, false, state_t::disconnected, std::nullopt, "disconnected"});
    return std::nullopt;
  }
  return std::move(*row);
}

/// Gives the pull's lease back (when still ours) and forgets it. A failed release only means the
/// lease runs out by itself.
void drop_lease(wself self) {
  auto& st = self->state;
  if (st.lease && !st.lease_lost && st.conn) {
    auto r = storage::release_ats_sync(*st.conn, *st.lease);
    if (!r) {
      spdlog::debug("ats connection {}: sync lease release failed: {}", st.lease->connection_id,
                    r.error().detail);
    }
  }
  st.lease.reset();
  st.lease_lost = false;
}

/// Releases the lease, then reports: whoever reads the report (the supervisor, a test, another
/// process's next claim) finds the lease free already.
void finish(wself self, const wctx& x, ats_worker_report r) {
  drop_lease(self);
  report(self, x, std::move(r));
}

/// Releases the lease on every way out of a run (the safety net behind finish()).
struct lease_scope {
  wself self;
  ~lease_scope() { drop_lease(self); }
};

/// Claims the sync lease of `row` for this process. false: nothing may run (another process holds
/// it, or the claim failed); reported already.
bool claim_lease(wself self, const wctx& x, const storage::ats_connection_record& row) {
  auto& st = self->state;
  auto c = storage::claim_ats_sync(*st.conn, row.org, row.id, x.cfg->lease_owner, x.cfg->sync_lease, x.cfg->now());
  if (!c) {
    if (c.code() == errc::not_found) {
      report(self, x, {report_kind::gone, false, std::nullopt, std::nullopt, "not found"});
    } else {
      on_db_error(self, c.error());
      report(self, x, {report_kind::idle, false, row.state, std::nullopt, "database unavailable"});
    }
    return false;
  }
  if (!c->claimed) {
    spdlog::info("ats connection {}: another server process is pulling it ({}); skipped", row.id,
                 c->holder.value_or("?"));
    report(self, x, {report_kind::busy, false, row.state, std::nullopt, "another server process is pulling it",
                     c->held_until});
    return false;
  }
  st.lease = std::move(c->lease);
  st.lease_lost = false;
  st.renew_at = x.cfg->now() + x.cfg->sync_lease / 5;
  return true;
}

void report_lease_lost(wself self, const wctx& x, const storage::ats_connection_record& row) {
  spdlog::warn("ats sync org_id={} connection={}: the sync lease was taken over; outcome not recorded",
               row.org.value, row.id);
  self->state.lease_lost = true;  // nothing to release
  finish(self, x, {report_kind::busy, false, row.state, std::nullopt, "the sync lease was taken over", {}});
}

void run_sync(wself self, const wctx& x) {
  auto& st = self->state;
  auto row = load_row(self, x, report_kind::idle);
  if (!row) return;
  if (!syncable(row->state)) {
    report(self, x, {report_kind::idle, false, row->state, std::nullopt, "not connected"});
    return;
  }
  if (!claim_lease(self, x, *row)) return;
  lease_scope releases{self};
  st.deadline = std::chrono::steady_clock::now() + x.cfg->sync_timeout;
  const auto started = std::chrono::steady_clock::now();
  hw::error failure{errc::ok, {}};
  std::optional<ats::pull_outcome> outcome;
  auto conn = ensure_connector(self, x, *row);
  if (!conn) {
    failure = std::move(conn).error();
  } else {
    ats::pg_sync_store store{*st.conn, row->org, row->id, x.cfg->now};
    auto r = ats::run_pull(**conn, store, x.cfg->pull);
    if (r) outcome = std::move(*r);
    else failure = std::move(r).error();
  }
  if (x.stop->load()) return;  // shutting down or disconnected: nothing to record
  if (st.lease_lost) return report_lease_lost(self, x, *row);
  if (!outcome && failure.code == errc::unavailable && failure.detail.find("database") != std::string::npos) {
    // Our database, not the tenant's ATS: no FSM step; the supervisor retries on its next tick.
    on_db_error(self, failure);
    finish(self, x, {report_kind::idle, false, row->state, std::nullopt, "database unavailable"});
    return;
  }
  std::string note;
  if (!outcome) {
    note = std::chrono::steady_clock::now() > st.deadline
             ? "sync timed out after " + std::to_string(x.cfg->sync_timeout.count() / 1000) + " s"
             : std::string{to_string(failure.code)} + ": " + failure.detail;
    note = cut(note);
  }
  const auto now = x.cfg->now();
  storage::ats_sync_outcome o;
  o.success = outcome.has_value();
  if (!o.success) o.error = note;
  o.next_sync_at = now + sync_interval_of(row->settings);
  // Fenced: written only while this process still holds the lease (and renewed by the write).
  // A successful pull also records the credentials it ran with (see run_test).
  auto rec = storage::record_leased_sync_outcome(*st.conn, *st.lease, o,
                                                 o.success ? row->credentials_enc : std::nullopt,
                                                 x.cfg->sync_lease, now);
  if (!rec) {
    on_db_error(self, rec.error());
    finish(self, x, {report_kind::idle, false, row->state, std::nullopt, "database unavailable"});
    return;
  }
  if (!*rec) return report_lease_lost(self, x, *row);
  auto stepped = apply_step(self, x, *row, o.success ? domain::ats_connection_event::sync_succeeded
                                                      : domain::ats_connection_event::sync_failed, note);
  auto state = row->state;
  if (stepped) {
    state = stepped->state;
  } else {
    on_db_error(self, stepped.error());
    spdlog::warn("ats connection {}: sync outcome not recorded in its state: {}", row->id, stepped.error().detail);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (outcome) {
    spdlog::info("ats sync org_id={} connection={} ok changed={} pages={} skipped={} ms={}", row->org.value, row->id,
                 outcome->changed(), outcome->report.pages, outcome->report.skipped, ms.count());
  } else {
    spdlog::warn("ats sync org_id={} connection={} failed state={} error=\"{}\" ms={}", row->org.value, row->id,
                 domain::to_string(state), note, ms.count());
  }
  finish(self, x, {report_kind::sync, o.success, state, o.next_sync_at, o.success ? "ok" : note});
}

/// Records a run that ended without an outcome (the previous worker crashed) as a failure, under
/// the lease like a pull: the crashed worker's own lease (same process) is taken over; when
/// another process pulls the connection meanwhile, its outcome is the one that counts.
void record_crash(wself self, const wctx& x, const std::string& note) {
  auto& st = self->state;
  auto row = load_row(self, x, report_kind::idle);
  if (!row) return;
  if (!syncable(row->state)) {
    report(self, x, {report_kind::idle, false, row->state, std::nullopt, "not connected"});
    return;
  }
  if (!claim_lease(self, x, *row)) return;
  lease_scope releases{self};
  const auto now = x.cfg->now();
  storage::ats_sync_outcome o;
  o.error = note;
  o.next_sync_at = now + sync_interval_of(row->settings);
  auto rec = storage::record_leased_sync_outcome(*st.conn, *st.lease, o, std::nullopt, x.cfg->sync_lease, now);
  if (!rec) {
    on_db_error(self, rec.error());
    finish(self, x, {report_kind::idle, false, row->state, std::nullopt, "database unavailable"});
    return;
  }
  if (!*rec) return report_lease_lost(self, x, *row);
  auto stepped = apply_step(self, x, *row, domain::ats_connection_event::sync_failed, note);
  const auto state = stepped ? stepped->state : row->state;
  spdlog::warn("ats sync org_id={} connection={} failed state={} error=\"{}\"", row->org.value, row->id,
               domain::to_string(state), note);
  finish(self, x, {report_kind::sync, false, state, o.next_sync_at, note});
}

/// The event of a test: `reconnected` when the test passed on a connection that was connected
/// before (connected / degraded / failing) and its stored credentials differ from the ones the
/// last SUCCESSFUL test or pull ran with (the SHA-256 in ats_sync_leases). Decided from stored
/// state, not from what this worker has seen, so a restarted process, or another process than the
/// one that saw the old credentials, decides the same. Only working credentials are recorded:
/// replaced credentials whose first test failed (a typo, a vendor outage) still count as a
/// reconnect once a test passes on them, and a failing connection's dead credentials never become
/// the reference. Nothing recorded yet (a connection that has not passed since migration 0017)
/// reads as "not replaced": an ordinary test_succeeded.
domain::ats_connection_event test_event(bool passed, bool replaced, state_t state) {
  using ev = domain::ats_connection_event;
  if (!passed) return ev::test_failed;
  return replaced && syncable(state) ? ev::reconnected : ev::test_succeeded;
}

caf::result<ats_test_outcome> run_test(wself self, const wctx& x) {
  auto& st = self->state;
  if (!ensure_db(self, x)) return to_caf_error(errc::unavailable, "the database is unavailable");
  auto row = storage::load_ats_connection(*st.conn, x.key.org, x.key.connection_id);
  if (!row) {
    on_db_error(self, row.error());
    return to_caf_error(row.error());
  }
  if (row->state == state_t::disconnected)
    return to_caf_error(errc::illegal_transition, "the connection is disconnected");
  auto replaced = storage::ats_credentials_replaced(*st.conn, row->org, row->id, row->credentials_enc);
  if (!replaced) {
    on_db_error(self, replaced.error());
    return to_caf_error(replaced.error());
  }
  st.deadline = std::chrono::steady_clock::now() + x.cfg->sync_timeout;
  ats_test_outcome out;
  auto conn = ensure_connector(self, x, *row);
  if (!conn) {
    out.detail = cut(conn.error().detail);
  } else {
    auto t = (*conn)->test();
    out.ok = static_cast<bool>(t);
    out.detail = cut(t ? *t : t.error().detail);
  }
  const auto event = test_event(out.ok, *replaced, row->state);
  auto stepped = apply_step(self, x, *row, event, out.ok ? std::string{} : out.detail);
  auto state = row->state;
  if (stepped) {
    state = stepped->state;
    if (out.ok && row->credentials_enc) {
      // The reference for the next test's `reconnected` (a failure here only mislabels that one).
      auto noted = storage::record_checked_credentials(*st.conn, row->org, row->id, *row->credentials_enc);
      if (!noted) spdlog::warn("ats connection {}: tested credentials not noted: {}", row->id, noted.error().detail);
    }
  } else {
    on_db_error(self, stepped.error());
    spdlog::warn("ats connection {}: test outcome not recorded: {}", row->id, stepped.error().detail);
  }
  spdlog::info("ats test org_id={} connection={} ok={} event={} state={}", row->org.value, row->id, out.ok,
               domain::to_string(event), domain::to_string(state));
  report(self, x, {report_kind::test, out.ok, state, std::nullopt, out.ok ? "ok" : out.detail});
  return out;
}

void run_job(wself self, const wctx& x, const storage::job& j) {
  auto& st = self->state;
  if (j.org.value != x.key.org.value) return;  // routed by connection id; never another org's
  if (!ensure_db(self, x)) return;            // the lease runs out; the job is swept back
  // The claim's lease only covers the wait in this mailbox (ats_db_io_options::lease, 2 min), so a
  // job whose worker died or whose process stopped is back in the queue soon: the connection's
  // later deliveries wait for it (migration 0019: one job per connection). Extend it for the run;
  // a copy whose lease was swept meanwhile (it waited behind a pull; the job was claimed again and
  // a newer copy is behind this one) is skipped.
  auto held = storage::heartbeat(*st.conn, storage::lease_of(j), x.cfg->sync_timeout + std::chrono::minutes{1},
                                 x.cfg->now());
  if (!held) {
    on_db_error(self, held.error());
    return;
  }
  if (!*held) {
    spdlog::info("ats webhook org_id={} connection={} job={} attempt={}: claimed again meanwhile; this copy is skipped",
                 j.org.value, x.key.connection_id, j.id, j.attempt);
    return;
  }
  ats::webhook_job_context c;
  c.connection_id = x.key.connection_id;
  c.vendor = x.key.vendor;
  c.retry = x.cfg->webhook_retry;
  c.now = x.cfg->now;
  c.jitter = std::uniform_real_distribution<double>{0.0, 1.0}(st.rng);
  st.deadline = std::chrono::steady_clock::now() + x.cfg->sync_timeout;
  auto row = storage::load_ats_connection(*st.conn, x.key.org, x.key.connection_id);
  if (row) {
    c.vendor = row->vendor;
    auto conn = ensure_connector(self, x, *row);
    if (conn) c.conn = *conn;
  } else if (row.code() != errc::not_found) {
    on_db_error(self, row.error());
    return;
  }
  std::string note;
  auto r = ats::process_webhook_job(*st.conn, j, c, &note);
  if (!r) {
    on_db_error(self, r.error());
    spdlog::warn("ats webhook job {} of connection {} failed: {}", j.id, x.key.connection_id, r.error().detail);
    return;
  }
  spdlog::info("ats webhook org_id={} connection={} job={} step={} {}", j.org.value, x.key.connection_id, j.id,
               ats::to_string(*r), note);
}

caf::behavior sync_worker(wself self, wctx x) {
  self->set_exception_handler([id = x.key.connection_id](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
    // A bug (storage and connectors return errors, they do not throw): the actor quits and the
    // supervisor restarts it after backoff. The text is not logged: it could quote vendor data.
    spdlog::error("ats sync worker of connection {} threw an exception; it restarts", id);
    return caf::make_error(caf::sec::runtime_error);
  });
  return {
    [self, x](ats_sync_atom) { run_sync(self, x); },
    [self, x](ats_sync_atom, const std::string& crash_note) { record_crash(self, x, crash_note); },
    [self, x](ats_test_atom, const org_id& org, const std::string& id) -> caf::result<ats_test_outcome> {
      if (org.value != x.key.org.value || id != x.key.connection_id)
        return to_caf_error(errc::not_found, "ATS connection not found");
      return run_test(self, x);
    },
    [self, x](ats_job_atom, const storage::job& j) { run_job(self, x, j); },
  };
}

std::unique_ptr<ats::connector> registry_connector(const std::string& vendor,
                                                   const std::map<std::string, std::string>& creds,
                                                   const ats::vendor_endpoints& ep, ats::connector_env env) {
  const auto* v = ats::find_vendor(vendor);
  if (!v || !v->make_connector) return nullptr;
  if (v->validate_credentials && !v->validate_credentials(creds)) return nullptr;
  return v->make_connector(creds, ep, std::move(env));
}

}  // namespace

std::function<caf::actor(caf::actor_system&, caf::actor, const ats_worker_key&, std::shared_ptr<std::atomic<bool>>)>
sync_worker_factory(sync_worker_config cfg) {
  if (!cfg.now) cfg.now = [] { return std::chrono::system_clock::now(); };
  if (!cfg.make_connector) cfg.make_connector = registry_connector;
  if (cfg.lease_owner.empty()) cfg.lease_owner = make_ats_lease_owner();
  if (cfg.sync_lease <= std::chrono::milliseconds{0}) {
    cfg.sync_lease = std::max<std::chrono::milliseconds>(
      std::chrono::minutes{5}, 2 * std::chrono::duration_cast<std::chrono::milliseconds>(cfg.policy.timeout) +
                                 std::chrono::minutes{1});
  }
  auto shared = std::make_shared<const sync_worker_config>(std::move(cfg));
  return [shared](caf::actor_system& sys, caf::actor sup, const ats_worker_key& key,
                  std::shared_ptr<std::atomic<bool>> stop) {
    return sys.spawn<caf::detached>(sync_worker, wctx{shared, key, std::move(sup), std::move(stop)});
  };
}

// Defined here rather than in ats_supervisor.cpp: it is the one place that needs the real
// workers (and so the vendor registry); supervisor tests link without them.
caf::actor spawn_ats_supervisor(caf::actor_system& sys, ats_supervisor_options opt, caf::actor db_pool,
                                ats_db_io_options io, sync_worker_config workers) {
  // One owner id for the process: the supervisor tells its own leases from other processes'.
  if (workers.lease_owner.empty()) workers.lease_owner = opt.lease_owner;
  if (workers.lease_owner.empty()) workers.lease_owner = make_ats_lease_owner();
  opt.lease_owner = workers.lease_owner;
  return sys.spawn(ats_supervisor, std::move(opt), ats_db_io(std::move(db_pool), std::move(io)),
                   ats_worker_factory{sync_worker_factory(std::move(workers))});
}

}  // namespace hw::actors
