#include "actors/ats/ats_supervisor.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/connection_base>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
#include "storage/ats_schedule_repo.hpp"

namespace hw::actors {

namespace {

using state_t = domain::ats_connection_state;

bool syncable(state_t s) {
  return s == state_t::connected || s == state_t::degraded || s == state_t::failing;
}

struct entry {
  ats_worker_key key;
  state_t state = state_t::pending;
  std::optional<storage::time_point> next_sync_at;
  // Another server process holds this connection's sync lease until then (as last seen in a
  // schedule read or a busy report): it is pulling, so this process does not.
  std::optional<storage::time_point> held_elsewhere_until;
  caf::actor worker;
  std::shared_ptr<std::atomic<bool>> stop;
  bool syncing = false;
  bool sync_queued = false;
  bool restart_pending = false;
  bool crashed_in_sync = false;  // the dead worker was pulling: the new one records the failure
  std::uint32_t restarts = 0;  // consecutive, since the last clean run
  bool seen = false;           // in the latest schedule read
};

/// Runs once the next schedule read has finished; `ok` false when it failed.
using parked_fn = std::function<void(bool ok)>;

struct sup_data {
  std::map<std::string, entry> conns;  // connection id -> entry
  bool loading = false;
  bool load_again = false;
  std::vector<parked_fn> parked;   // wait for a read that starts after they were parked
  std::vector<parked_fn> waiting;  // wait for the read in flight
  bool claiming = false;
  bool claim_again = false;
  bool hook_pending = false;  // a delayed claim after ats_hook_atom is scheduled
  // Connections whose processing job the next claim ensures first (storage::ensure_webhook_jobs):
  // those of the hooks since the last claim, and every live one after a schedule read.
  std::map<std::string, storage::webhook_job_target> ensure;
  bool stopping = false;
  std::vector<std::string> failing_reported;
  std::minstd_rand rng{std::random_device{}()};
};

struct ctx {
  caf::event_based_actor* self;
  std::shared_ptr<sup_data> d;
  std::shared_ptr<ats_supervisor_options> opt;
  std::shared_ptr<ats_supervisor_io> io;
  std::shared_ptr<ats_worker_factory> factory;

  caf::actor me() const { return caf::actor_cast<caf::actor>(self); }

  void spawn_worker(entry& e) const {
    e.stop = std::make_shared<std::atomic<bool>>(false);
    e.worker = (*factory)(self->system(), me(), e.key, e.stop);
    self->monitor(e.worker);
  }

  void stop_worker(entry& e) const {
    if (e.stop) e.stop->store(true);
    if (e.worker) {
      self->demonitor(e.worker);
      self->send_exit(e.worker, caf::exit_reason::user_shutdown);
    }
    // A kept handle would keep a detached worker's object alive (~actor_system waits for it).
    e.worker = nullptr;
  }

  bool held_elsewhere(const entry& e) const {
    return e.held_elsewhere_until && *e.held_elsewhere_until > opt->now();
  }

  /// Sends a pull to the worker (which claims the sync lease first). While another process holds
  /// the lease nothing is sent or queued: its pull is the pull ("already syncing").
  void start_sync(entry& e) const {
    if (!e.syncing && held_elsewhere(e)) return;
    if (e.syncing || !e.worker || e.restart_pending) {
      e.sync_queued = true;  // sent when the run reports or the worker is back
      return;
    }
    e.syncing = true;
    e.sync_queued = false;
    self->send(e.worker, ats_sync_atom::value);
  }

  void dispatch_due() const {
    const auto now = opt->now();
    for (auto& [_, e] : d->conns) {
      if (!syncable(e.state) || e.syncing || held_elsewhere(e)) continue;
      if (!e.next_sync_at || *e.next_sync_at <= now) start_sync(e);
    }
  }

  void report_failing() const {
    std::vector<std::string> ids;
    for (const auto& [id, e] : d->conns) {
      if (e.state == state_t::failing) ids.push_back(id);
    }
    if (ids == d->failing_reported) return;
    d->failing_reported = ids;
    if (ids.empty()) {
      spdlog::info("ats: no connection is failing any more");
    } else {
      spdlog::warn("ats: {} connection(s) failing", ids.size());
    }
    if (opt->on_failing) opt->on_failing(ids);
  }

  void request_load() const {
    if (d->stopping) return;
    if (d->loading) {
      d->load_again = true;
      return;
    }
    d->loading = true;
    d->waiting = std::move(d->parked);
    d->parked.clear();
    io->load_schedule(me());
  }

  void park(parked_fn f) const {
    d->parked.push_back(std::move(f));
    request_load();
  }

  void apply_load(ats_schedule_load& l) const {
    if (l.ok) {
      for (auto& [_, e] : d->conns) e.seen = false;
      for (auto& row : l.rows) {
        auto it = d->conns.find(row.connection_id);
        if (it == d->conns.end()) {
          entry e;
          e.key = ats_worker_key{row.org, row.connection_id, row.vendor};
          it = d->conns.emplace(row.connection_id, std::move(e)).first;
          spawn_worker(it->second);
        }
        auto& e = it->second;
        e.seen = true;
        e.state = row.state;
        // Our own lease is e.syncing; an expired one is nobody's (held_elsewhere compares).
        if (row.sync_lease_owner && row.sync_lease_until && *row.sync_lease_owner != opt->lease_owner) {
          e.held_elsewhere_until = row.sync_lease_until;
        } else {
          e.held_elsewhere_until.reset();
        }
        if (!e.syncing) e.next_sync_at = row.next_sync_at;
        e.key.vendor = row.vendor;
      }
      for (auto it = d->conns.begin(); it != d->conns.end();) {
        if (it->second.seen) {
          ++it;
          continue;
        }
        stop_worker(it->second);
        it = d->conns.erase(it);
      }
      dispatch_due();
      report_failing();
      // Rows committed without their job (the process stopped between a batch's commit and the
      // claim that ensures it): every live connection gets its job when rows are pending.
      for (const auto& [id, e] : d->conns) d->ensure.emplace(id, storage::webhook_job_target{e.key.org, id});
      claim();
    } else {
      spdlog::warn("ats: cannot read the connection schedule: {}", l.error);
    }
    auto waiting = std::move(d->waiting);
    d->waiting.clear();
    d->loading = false;
    for (auto& f : waiting) f(l.ok);
    if (d->load_again) {
      d->load_again = false;
      request_load();
    }
  }

  /// Runs `f` with the entry of (org, id): now when known, else after the next schedule read.
  /// `missing` answers when it is unknown (or another org's) even then, or the read failed.
  void with_entry(const org_id& org, const std::string& id, std::function<void(entry&)> f,
                  std::function<void(hw::error)> missing) const {
    auto known = [d = d, org, id]() -> entry* {
      auto it = d->conns.find(id);
      if (it == d->conns.end() || it->second.key.org.value != org.value) return nullptr;
      return &it->second;
    };
    if (auto* e = known()) return f(*e);
    park([known, f, missing](bool ok) {
      if (auto* e = known()) return f(*e);
      missing(ok ? hw::error{errc::not_found, "ATS connection not found"}
                 : hw::error{errc::unavailable, "the ATS schedule cannot be read; try again shortly"});
    });
  }

  void claim() const {
    if (d->stopping) return;
    if (d->claiming) {
      d->claim_again = true;
      return;
    }
    d->claiming = true;
    std::vector<storage::webhook_job_target> ensure;
    ensure.reserve(d->ensure.size());
    for (auto& [_, t] : d->ensure) ensure.push_back(std::move(t));
    d->ensure.clear();
    io->claim_webhook_jobs(me(), opt->claim_batch, std::move(ensure));
  }

  void dispatch_job(storage::job j) const {
    const auto args = nlohmann::json::parse(j.args, nullptr, false);
    std::string id;
    if (args.is_object() && args.contains("connection_id") && args["connection_id"].is_string())
      id = args["connection_id"].get<std::string>();
    auto send_to = [self = self, io = io, opt = opt](entry& e, storage::job job) {
      if (e.worker) {
        self->send(e.worker, ats_job_atom::value, std::move(job));
      } else if (io->fail_job) {
        // Restarting: back to the queue, claimed again after the restart delay.
        io->fail_job(job, "sync worker restarting", opt->restart.base);
      }
    };
    auto shared = std::make_shared<storage::job>(std::move(j));
    with_entry(
      shared->org, id, [send_to, shared](entry& e) { send_to(e, std::move(*shared)); },
      [io = io, shared](hw::error e) {
        if (e.code == errc::not_found && io->fail_job) io->fail_job(*shared, "connection is not live", std::nullopt);
      });
  }

  void on_report(const std::string& id, const ats_worker_report& r) const {
    auto it = d->conns.find(id);
    if (it == d->conns.end()) return;
    auto& e = it->second;
    using w = ats_worker_report::what;
    if (r.kind == w::gone) {
      spdlog::info("ats: connection {} is gone or disconnected; stopping its worker", id);
      stop_worker(e);
      d->conns.erase(it);
      report_failing();
      return;
    }
    if (r.state) e.state = *r.state;
    if (r.next_sync_at) e.next_sync_at = r.next_sync_at;
    if (r.kind == w::sync || r.kind == w::idle || r.kind == w::busy) e.syncing = false;
    if (r.kind == w::busy) {
      // Another process pulls it: no error, no retry until its lease runs out (or the next read
      // shows it released), and a queued pull is covered by that process's run.
      e.held_elsewhere_until = r.lease_until;
      e.sync_queued = false;
    }
    if (r.kind == w::sync || r.kind == w::test) e.restarts = 0;  // the worker runs again
    if (!syncable(e.state)) e.sync_queued = false;
    if (e.sync_queued) {
      start_sync(e);
    } else if (r.kind == w::test && r.ok && syncable(e.state) && !e.next_sync_at) {
      start_sync(e);  // the first successful test: pull right away
    }
    report_failing();
  }

  void on_down(const caf::down_msg& dm) const {
    for (auto& [id, e] : d->conns) {
      if (!e.worker || e.worker.address() != dm.source) continue;
      e.worker = nullptr;
      e.crashed_in_sync = e.syncing;
      e.syncing = false;
      if (d->stopping) return;
      ++e.restarts;
      auto delay = opt->restart.next_delay(e.restarts, opt->jitter());
      delay = std::max(delay, opt->restart.base);
      spdlog::error("ats: sync worker of connection {} went down ({}); restarting in {} ms", id,
                    to_string(dm.reason), delay.count());
      e.restart_pending = true;
      self->delayed_send(self, delay, restart_atom::value, id);
      return;
    }
  }
};

}  // namespace

caf::behavior ats_supervisor(caf::event_based_actor* self, ats_supervisor_options opt_in, ats_supervisor_io io_in,
                             ats_worker_factory factory_in) {
  ctx c{self, std::make_shared<sup_data>(), std::make_shared<ats_supervisor_options>(std::move(opt_in)),
        std::make_shared<ats_supervisor_io>(std::move(io_in)),
        std::make_shared<ats_worker_factory>(std::move(factory_in))};
  if (!c.opt->jitter) {
    c.opt->jitter = [d = c.d] { return std::uniform_real_distribution<double>{0.0, 1.0}(d->rng); };
  }
  if (!c.opt->now) c.opt->now = [] { return std::chrono::system_clock::now(); };

  self->set_down_handler([c](caf::down_msg& dm) { c.on_down(dm); });
  self->set_exit_handler([self, c](caf::exit_msg& em) {
    // Trapping exits means quitting ourselves: cancel running pulls and stop the workers first.
    c.d->stopping = true;
    for (auto& [_, e] : c.d->conns) c.stop_worker(e);
    c.d->conns.clear();
    c.d->parked.clear();
    c.d->waiting.clear();
    self->quit(em.reason);
  });

  c.request_load();
  c.claim();
  if (c.io->purge) c.io->purge();
  self->delayed_send(self, c.opt->schedule_interval, ats_sched_atom::value);
  self->delayed_send(self, c.opt->poll_interval, ats_poll_atom::value);
  self->delayed_send(self, c.opt->purge_interval, ats_purge_atom::value);

  return {
    // -- public protocol (ats_protocol.hpp) --
    [self, c](ats_sync_atom, const org_id& org, const std::string& id) {
      auto rp = self->make_response_promise();
      c.with_entry(
        org, id,
        [c, rp](entry& e) mutable {
          if (e.state == state_t::pending)
            return rp.deliver(to_caf_error(errc::illegal_transition, "run a connection test first"));
          if (e.state == state_t::disconnected)
            return rp.deliver(to_caf_error(errc::illegal_transition, "the connection is disconnected"));
          c.start_sync(e);
          rp.deliver(caf::unit);
        },
        [rp](hw::error e) mutable { rp.deliver(to_caf_error(std::move(e))); });
      return rp;
    },
    [self, c](ats_test_atom, const org_id& org, const std::string& id) {
      auto rp = self->make_response_promise();
      c.with_entry(
        org, id,
        [rp, org, id](entry& e) mutable {
          if (!e.worker)
            return rp.deliver(to_caf_error(errc::unavailable, "the connection's worker is restarting; try again"));
          rp.delegate(e.worker, ats_test_atom::value, org, id);
        },
        [rp](hw::error e) mutable { rp.deliver(to_caf_error(std::move(e))); });
      return rp;
    },
    [c](ats_reload_atom, const org_id&, const std::string&) {
      // Workers re-read their row on every run, so a new read of the schedule is all it takes.
      c.request_load();
    },
    [self, c](ats_status_atom, const org_id& org, const std::string& id) {
      auto rp = self->make_response_promise();
      c.with_entry(
        org, id, [rp, c](entry& e) mutable { rp.deliver(e.syncing || c.held_elsewhere(e)); },
        [rp](hw::error) mutable { rp.deliver(false); });
      return rp;
    },
    [self, c](ats_hook_atom, std::vector<storage::webhook_job_target>& targets) {
      for (auto& t : targets) c.d->ensure.emplace(t.connection_id, std::move(t));
      if (c.opt->hook_delay.count() <= 0) return c.claim();
      if (c.d->hook_pending) return;  // joins the claim already scheduled
      c.d->hook_pending = true;
      self->delayed_send(self, c.opt->hook_delay, ats_poll_atom::value, ats_hook_atom::value);
    },
    [c](ats_poll_atom, ats_hook_atom) {
      c.d->hook_pending = false;
      c.claim();
    },
    // -- internals (sync_messages.hpp) --
    [self, c](ats_sched_atom) {
      c.request_load();
      c.dispatch_due();
      self->delayed_send(self, c.opt->schedule_interval, ats_sched_atom::value);
    },
    [c](ats_sched_atom, ats_schedule_load& l) { c.apply_load(l); },
    [self, c](ats_poll_atom) {
      c.claim();
      self->delayed_send(self, c.opt->poll_interval, ats_poll_atom::value);
    },
    [self, c](ats_purge_atom) {
      if (c.io->purge) c.io->purge();
      self->delayed_send(self, c.opt->purge_interval, ats_purge_atom::value);
    },
    [c](ats_claimed_atom, std::vector<storage::job>& jobs) {
      c.d->claiming = false;
      const bool full = static_cast<int>(jobs.size()) >= c.opt->claim_batch;
      for (auto& j : jobs) c.dispatch_job(std::move(j));
      if (full || c.d->claim_again) {
        c.d->claim_again = false;
        c.claim();
      }
    },
    [c](ats_report_atom, const std::string& id, const ats_worker_report& r) { c.on_report(id, r); },
    [c](restart_atom, const std::string& id) {
      auto it = c.d->conns.find(id);
      if (c.d->stopping || it == c.d->conns.end() || it->second.worker) return;
      auto& e = it->second;
      e.restart_pending = false;
      c.spawn_worker(e);
      if (e.crashed_in_sync) {
        // A crash is a failed run too: counted by the FSM (so a crash loop ends up degraded /
        // failing) and rescheduled one interval later.
        e.crashed_in_sync = false;
        e.sync_queued = false;  // the next pull follows the recorded failure's next_sync_at
        e.syncing = true;
        c.self->send(e.worker, ats_sync_atom::value, std::string{"the sync worker crashed"});
        return;
      }
      if (e.sync_queued) c.start_sync(e);
      c.dispatch_due();
    },
  };
}

// -- production storage access --------------------------------------------------------------------

ats_supervisor_io ats_db_io(caf::actor db_pool, ats_db_io_options opt) {
  ats_supervisor_io io;
  io.load_schedule = [db_pool](const caf::actor& sup) {
    db_task t;
    t.run = [sup](pqxx::connection_base& conn) -> result<hw::unit> {
      auto rows = storage::list_live_ats_connections(conn);
      if (!rows) return std::move(rows).error();
      ats_schedule_load l;
      l.ok = true;
      l.rows = std::move(*rows);
      caf::anon_send(sup, ats_sched_atom::value, std::move(l));
      return hw::unit{};
    };
    t.fail = [sup](hw::error e) {
      ats_schedule_load l;
      l.error = e.detail;
      caf::anon_send(sup, ats_sched_atom::value, std::move(l));
    };
    caf::anon_send(db_pool, run_atom::value, std::move(t));
  };
  io.claim_webhook_jobs = [db_pool, opt](const caf::actor& sup, int limit,
                                         std::vector<storage::webhook_job_target> ensure) {
    db_task t;
    t.run = [sup, opt, limit, ensure = std::move(ensure)](pqxx::connection_base& conn) -> result<hw::unit> {
      if (!ensure.empty()) {
        // Not fatal for the claim: the next schedule read ensures every live connection again.
        auto made = storage::ensure_webhook_jobs(conn, ensure, std::chrono::system_clock::now());
        if (!made) spdlog::warn("ats: cannot queue webhook processing jobs: {}", made.error().detail);
      }
      auto jobs = storage::claim(conn, {storage::ats_webhook_job_kind}, opt.worker_id, limit, opt.lease,
                                 std::chrono::system_clock::now());
      if (!jobs) return std::move(jobs).error();
      caf::anon_send(sup, ats_claimed_atom::value, std::move(*jobs));
      return hw::unit{};
    };
    t.fail = [sup](hw::error e) {
      spdlog::warn("ats: cannot claim webhook jobs: {}", e.detail);
      caf::anon_send(sup, ats_claimed_atom::value, std::vector<storage::job>{});
    };
    caf::anon_send(db_pool, run_atom::value, std::move(t));
  };
  io.fail_job = [db_pool](const storage::job& j, const std::string& reason,
                          std::optional<std::chrono::milliseconds> retry_in) {
    db_task t;
    t.run = [lease = storage::lease_of(j), reason, retry_in](pqxx::connection_base& conn) -> result<hw::unit> {
      auto r = storage::fail(conn, lease, reason, retry_in.value_or(std::chrono::milliseconds{0}), !retry_in,
                             std::chrono::system_clock::now());
      if (!r) return std::move(r).error();
      return hw::unit{};
    };
    t.fail = [](hw::error e) { spdlog::warn("ats: cannot give a webhook job back: {}", e.detail); };
    caf::anon_send(db_pool, run_atom::value, std::move(t));
  };
  io.purge = [db_pool, opt] {
    db_task t;
    t.run = [opt](pqxx::connection_base& conn) -> result<hw::unit> {
      const auto now = std::chrono::system_clock::now();
      auto log = storage::purge_integration_log(conn, now, opt.log_retention);
      if (!log) return std::move(log).error();
      auto inbox = storage::purge_ats_webhook_inbox(conn, now, opt.inbox_retention);
      if (!inbox) return std::move(inbox).error();
      if (*log > 0 || *inbox > 0)
        spdlog::info("ats retention: deleted {} integration log rows and {} processed inbox rows", *log, *inbox);
      return hw::unit{};
    };
    t.fail = [](hw::error e) { spdlog::warn("ats retention purge failed: {}", e.detail); };
    caf::anon_send(db_pool, run_atom::value, std::move(t));
  };
  return io;
}

}  // namespace hw::actors
