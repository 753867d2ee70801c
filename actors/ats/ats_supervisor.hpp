#pragma once
// The ATS supervisor (issue 4; protocol in ats_protocol.hpp, internals in sync_messages.hpp): an
// event-based actor that owns one sync worker per live (not disconnected) connection of every
// organization.
//
// - Schedule: at start, every `schedule_interval`, and after ats_reload_atom it reads the live
//   connections (one cross-tenant statement), spawns workers for new ones, stops workers of
//   disconnected / deleted ones, and sends ats_sync_atom to each connected / degraded / failing
//   connection whose next_sync_at is due or absent (absent: right after its first successful
//   test). One pull at a time per connection; a sync asked for during a run is queued once.
// - Several server processes (each with its own supervisor) on one database: a pull runs in at
//   most one process at a time. The worker claims the connection's SYNC LEASE before it pulls
//   (storage/ats_schedule_repo, migration 0017 `ats_sync_leases`: owner = this process's
//   `lease_owner`, renewed while the pull runs, outcome writes fenced by it, released at the end;
//   a crashed process's lease expires). When another process holds it the worker reports `busy`:
//   no error state, no retry until that lease runs out; the schedule read shows the holder too, so
//   due pulls are not even sent while another process's lease is live. A "sync now" meanwhile is
//   answered like one during our own run (ok) but not queued (the other process's pull is the
//   pull), and ats_status_atom answers true (the dashboard's `syncing`), as of the last read or
//   report.
// - Requests naming an unknown connection wait for the next read, then answer not_found when it
//   is still unknown (or belongs to another organization).
// - Supervision: workers are `monitor`ed; one that dies abnormally is re-spawned after full-jitter
//   backoff between restart.base and restart.cap (consecutive restarts of that connection; a clean
//   run resets the count).
// - Webhooks: every `poll_interval` and `hook_delay` after an ats_hook_atom (later hooks until then
//   join that claim) it claims due webhook jobs and hands each to its connection's worker; a job of an unknown connection is dead-lettered, one whose worker
//   is restarting goes back to the queue for `restart.base`. A claim first ensures the processing
//   job of the connections the hooks named since the last claim (the webhook writer stores inbox
//   rows only; migration 0019), and after every schedule read of every live connection (rows
//   committed by a process that stopped before its claim).
// - Retention: every `purge_interval` (and once at start) the integration log and processed inbox
//   rows beyond their retention are deleted.
// - Health: `on_failing` is called with the ids of the connections in state failing whenever that
//   set changes (ids only: no tenant names).
//
// Storage access goes through `ats_supervisor_io` (db tasks in production), so tests run the
// supervisor on the deterministic scheduler with fake workers and answer its reads by hand.
// An exit message (bootstrap's user_shutdown) cancels running pulls, stops the workers and quits.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/ats/sync_worker.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/retry_policy.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/job_queue.hpp"

namespace hw::actors {

/// Who a worker serves.
struct ats_worker_key {
  org_id org;
  std::string connection_id;
  std::string vendor;
};

/// Spawns the worker of `key`; it reports to `supervisor` and gives up its current call when
/// `stop` turns true. Injectable so tests spawn event-based fakes on the test scheduler.
using ats_worker_factory = std::function<caf::actor(caf::actor_system& sys, caf::actor supervisor,
                                                    const ats_worker_key& key,
                                                    std::shared_ptr<std::atomic<bool>> stop)>;

/// The supervisor's storage: each call eventually answers with the named message to `sup`.
struct ats_supervisor_io {
  /// -> (ats_sched_atom, ats_schedule_load)
  std::function<void(const caf::actor& sup)> load_schedule;
  /// Ensures the processing job of each of `ensure` first (storage::ensure_webhook_jobs: when rows
  /// are pending and none is live), then claims.
  /// -> (ats_claimed_atom, std::vector<storage::job>) (an empty vector on failure)
  std::function<void(const caf::actor& sup, int limit, std::vector<storage::webhook_job_target> ensure)>
    claim_webhook_jobs;
  /// Gives a claimed job back (fire and forget): retried after `retry_in`, or dead-lettered when
  /// absent (nobody can ever process it).
  std::function<void(const storage::job& j, const std::string& reason,
                     std::optional<std::chrono::milliseconds> retry_in)>
    fail_job;
  /// Deletes integration log and processed inbox rows beyond retention (fire and forget).
  std::function<void()> purge;
};

struct ats_supervisor_options {
  std::chrono::milliseconds schedule_interval{60'000};
  std::chrono::milliseconds poll_interval{2'000};
  std::chrono::milliseconds purge_interval{24 * 3'600'000};
  int claim_batch = 50;
  /// An ats_hook_atom claims after this delay, so a burst of deliveries (one hook per group-commit
  /// batch) is ensured and claimed by one claim instead of one per batch; 0: at once.
  std::chrono::milliseconds hook_delay{50};
  domain::retry_policy restart{std::chrono::milliseconds{1'000}, std::chrono::milliseconds{300'000}, 0.0};
  std::function<double()> jitter;                                 // [0, 1); default: random
  std::function<storage::time_point()> now;                       // default: system_clock
  std::function<void(const std::vector<std::string>& failing_ids)> on_failing;  // may be empty
  /// This process's sync-lease owner id (sync_worker_config::lease_owner; spawn_ats_supervisor
  /// sets both): a lease held by any other owner means another process is pulling.
  std::string lease_owner;
};

caf::behavior ats_supervisor(caf::event_based_actor* self, ats_supervisor_options opt, ats_supervisor_io io,
                             ats_worker_factory factory);

/// Production storage access: db tasks on `db_pool`. `worker_id` names the claimer of webhook
/// jobs; `lease` bounds how long a claimed job may wait for its worker, which extends it when the
/// job starts (a job waiting behind a longer pull is swept back, claimed again, and the stale copy
/// skipped); short, so a job lost with its worker or process comes back soon.
struct ats_db_io_options {
  std::string worker_id = "ats";
  std::chrono::milliseconds lease{2 * 60'000};
  std::chrono::seconds log_retention{30 * 24 * 3600};
  std::chrono::seconds inbox_retention{7 * 24 * 3600};
};
ats_supervisor_io ats_db_io(caf::actor db_pool, ats_db_io_options opt);

/// Convenience for bootstrap: the supervisor with real (detached) workers and db-pool storage.
caf::actor spawn_ats_supervisor(caf::actor_system& sys, ats_supervisor_options opt, caf::actor db_pool,
                                ats_db_io_options io, sync_worker_config workers);

}  // namespace hw::actors
