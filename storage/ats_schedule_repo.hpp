#pragma once
// Cross-process coordination of the ATS sync (issue 4; migration 0017 `ats_sync_leases`):
//
// - The supervisor's one cross-tenant read (SYSTEM scope): which connections are live in any
//   organization, their state, when they are due, and who holds their sync lease. Secrets are
//   never selected here.
// - The per-connection SYNC LEASE, so scheduled and "sync now" pulls of one connection run in at
//   most one server process at a time. The sync worker claims before it pulls (one atomic
//   statement: only when the lease is free, expired, or already its own process's), renews it
//   while the pull runs, writes the outcome FENCED by the lease (owner + epoch must still match;
//   a pull whose lease was taken over writes nothing) and releases it. A crashed process's lease
//   simply expires. `epoch` grows with every claim, so a stale worker of the SAME process (a
//   worker restarted after a crash, a stopped one still unwinding) is fenced too.
// - The credentials the last recorded test / pull step ran with (SHA-256 of the sealed bytes),
//   from which the worker decides `reconnected` (sync_worker.cpp run_test).
//
// Times are bound from the caller's clock (`now`), like the job queue, so tests drive expiry with
// an injected clock; leases last minutes, so clock skew of seconds between hosts does not matter.
// Tenant statements bind org_id as $1 under set_tenant. Unprepared (exec_params), so pg.cpp's
// prepare_all needs no entry.
//
// Blocking: call only from a db worker, a sync worker's thread (or tests).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_connection_fsm.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/ats_connection_repo.hpp"  // ats_sync_outcome
#include "storage/job_queue.hpp"            // time_point

namespace pqxx {
class connection_base;
}

namespace hw::storage {

struct ats_schedule_row {
  org_id org;
  std::string connection_id;  // canonical UUID
  std::string vendor;
  domain::ats_connection_state state = domain::ats_connection_state::pending;
  std::uint32_t consecutive_failures = 0;
  std::optional<time_point> next_sync_at;
  std::optional<time_point> last_sync_at;
  std::int64_t version = 1;
  /// The sync lease's holder and expiry, when held (possibly expired: compare with now).
  std::optional<std::string> sync_lease_owner;
  std::optional<time_point> sync_lease_until;
};

/// Every connection that is not disconnected, in every organization, ordered by connection id.
/// At most `limit` rows (1..100000).
result<std::vector<ats_schedule_row>> list_live_ats_connections(pqxx::connection_base& c,
                                                                int limit = 10'000);

// --- the sync lease ----------------------------------------------------------------------------

/// The fencing token of one claimed pull: only the holder of (owner, epoch) may renew, write the
/// outcome or release. `until` follows renewals.
struct ats_sync_lease {
  org_id org;
  std::string connection_id;  // canonical UUID
  std::string owner;
  std::int64_t epoch = 0;
  time_point until{};
};

struct ats_sync_claim {
  bool claimed = false;
  ats_sync_lease lease;                   // when claimed
  std::optional<std::string> holder;      // when not: the other process holding it
  std::optional<time_point> held_until;   // ... and until when (its last renewal)
};

/// Claims the pull of (org, id) for `owner` until now + ttl: when nobody holds it, the lease
/// expired (lease_until <= now), or `owner` holds it already (a restarted worker of the same
/// process takes its lease over; the epoch moves on, fencing the old one). Otherwise answers
/// claimed = false with the holder. One atomic statement: of two racing claimers exactly one wins.
/// not_found for an unknown, another org's or a disconnected connection; invalid_argument for an
/// empty owner (or longer than 200) or a ttl below 1 s.
result<ats_sync_claim> claim_ats_sync(pqxx::connection_base& c, const org_id& org,
                                      const std::string& connection_id, const std::string& owner,
                                      std::chrono::milliseconds ttl, time_point now);

/// Extends a held lease to now + ttl (also one that expired, as long as nobody claimed it since).
/// true: renewed and `lease.until` updated; false: the lease was lost (taken over or released).
result<bool> renew_ats_sync(pqxx::connection_base& c, ats_sync_lease& lease,
                            std::chrono::milliseconds ttl, time_point now);

/// Gives the lease back (owner and lease_until cleared, epoch kept). false: it was not held by
/// `lease` any more (nothing changed).
result<bool> release_ats_sync(pqxx::connection_base& c, const ats_sync_lease& lease);

/// The pull's outcome bookkeeping (the columns of record_ats_sync_outcome: last_sync_at,
/// last_success_at / last_error_at + last_error, next_sync_at), FENCED: written in ONE statement
/// with a renewal of the lease to now + ttl, only while `lease` still holds it. With
/// `checked_credentials` (the sealed bytes the run used) also records their SHA-256 for
/// ats_credentials_replaced. true: written; false: the lease was lost and nothing was written.
result<bool> record_leased_sync_outcome(pqxx::connection_base& c, ats_sync_lease& lease,
                                        const ats_sync_outcome& o,
                                        const std::optional<std::string>& checked_credentials,
                                        std::chrono::milliseconds ttl, time_point now);

// --- the credentials of the last recorded step (reconnect detection) ------------------------------

/// true when a previous test / pull step of (org, id) recorded other credentials than the sealed
/// bytes `sealed`; false when they are the same, when nothing was recorded yet, or `sealed` is
/// absent. An unknown connection answers false.
result<bool> ats_credentials_replaced(pqxx::connection_base& c, const org_id& org,
                                      const std::string& connection_id,
                                      const std::optional<std::string>& sealed);

/// Records SHA-256(`sealed`) as the credentials the last test step of (org, id) ran with.
/// not_found for an unknown or another org's connection.
result<hw::unit> record_checked_credentials(pqxx::connection_base& c, const org_id& org,
                                            const std::string& connection_id,
                                            const std::string& sealed);

}  // namespace hw::storage
