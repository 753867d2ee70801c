#pragma once
// The sync worker of ONE ATS connection (issue 4): a DETACHED actor (own thread), because every
// vendor call and every database write blocks; a slow or hung vendor only ever stalls its own
// connection's thread, never the shared scheduler or another tenant.
//
// It owns:
// - its own PostgreSQL connection (opened lazily, dropped and reopened after a lost connection),
//   so a 30-minute pull never holds a db-pool worker;
// - the connector, built from the connection row's sealed credentials (credential_box layout of
//   A-SHARED: JSON object text under credential_aad(org, id)) and the server-configured vendor
//   endpoints; rebuilt whenever the stored credentials change. Its env: the wall clock, sleeps
//   cut short by a stop, every HTTP call appended to the integration log, cancelled() once the
//   run exceeds `sync_timeout` or the supervisor set `stop`.
//
// Messages (sync_messages.hpp):
//   (ats_sync_atom)   claims the connection's SYNC LEASE (storage/ats_schedule_repo: at most one
//                     server process pulls a connection at a time; `lease_owner` names this
//                     process), run_pull (sync_engine) while renewing the lease every
//                     sync_lease / 5 (from the connector's cancelled() / sleep / on_call hooks, on
//                     this thread), then the outcome FENCED by the lease (record_leased_sync_outcome:
//                     next_sync_at = now + settings.sync_interval_minutes), the FSM step
//                     sync_succeeded / sync_failed (CAS; reload and re-decide once on a conflict),
//                     and the release; reports (ats_report_atom, id, report{sync}). Another process
//                     holding the lease: nothing runs, report{busy} with its expiry. A lease lost
//                     during the pull (taken over after it expired): the pull is cancelled,
//                     nothing is recorded, report{busy}.
//   (ats_test_atom, org, id) -> ats_test_outcome: connector.test(), FSM step test_succeeded /
//                     test_failed, or `reconnected`, decided from STORED state (not this worker's
//                     memory, so it holds after a restart and across processes): the test passed,
//                     the connection is connected / degraded / failing, and its sealed credentials
//                     differ from the ones the last successful test or pull ran with
//                     (ats_credentials_replaced). Also reports report{test}.
//   (ats_job_atom, job) process_webhook_job (webhook_processor.hpp).
// A connection that is gone or disconnected is reported as report{gone}; the supervisor stops it.
// Our own database being unreachable is never counted against the tenant's connection.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/ats/connector.hpp"
#include "actors/ats/credential_box.hpp"
#include "actors/ats/sync_engine.hpp"
#include "actors/domain/ats_connection_fsm.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/retry_policy.hpp"
#include "storage/job_queue.hpp"

namespace hw::actors {

struct ats_worker_key;

/// Builds a connector for `vendor` (production: vendor_traits::make_connector).
using ats_connector_maker = std::function<std::unique_ptr<ats::connector>(
    const std::string& vendor, const std::map<std::string, std::string>& creds,
    const ats::vendor_endpoints& ep, ats::connector_env env)>;

struct sync_worker_config {
  std::string dsn;
  std::chrono::milliseconds statement_timeout{5'000};
  std::shared_ptr<const ats::credential_key_ring> keys;
  std::map<std::string, ats::vendor_endpoints> endpoints;  // vendor -> where it lives
  ats::call_policy policy;                                 // ats.call-timeout, ats.call-attempts
  std::chrono::milliseconds sync_timeout{30 * 60'000};
  ats::pull_options pull;                                  // ats.look-back
  domain::ats_failure_policy failure;                      // ats.degraded-after / failing-after
  domain::retry_policy webhook_retry{std::chrono::milliseconds{5'000}, std::chrono::milliseconds{600'000}, 0.0};
  std::function<storage::time_point()> now;                // default: system_clock
  ats_connector_maker make_connector;                      // default: the vendor registry
  /// This process's sync-lease owner id (unique per process); empty: make_ats_lease_owner().
  std::string lease_owner;
  /// How long a claim / renewal holds the sync lease. 0: max(5 min, 2 x call timeout + 1 min), so
  /// one blocking vendor call between two renewals never outlives it.
  std::chrono::milliseconds sync_lease{0};
};

/// A fresh sync-lease owner id for this process: "ats-<host>-<pid>-<random hex>" (at most 200
/// bytes); random, so two processes never share one (containers often all run as pid 1).
std::string make_ats_lease_owner();

/// The factory of real workers (an ats_worker_factory, see ats_supervisor.hpp).
std::function<caf::actor(caf::actor_system&, caf::actor, const ats_worker_key&, std::shared_ptr<std::atomic<bool>>)>
sync_worker_factory(sync_worker_config cfg);

/// next_sync_at = now + this, from the settings JSON {"sync_interval_minutes": 5..1440}
/// (default 60; out-of-range values are clamped).
std::chrono::minutes sync_interval_of(const std::string& settings_json);

}  // namespace hw::actors
