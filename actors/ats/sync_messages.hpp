#pragma once
// Messages between the ATS supervisor, its sync workers and the db pool (issue 4). The public
// protocol (what the service sends) is ats_protocol.hpp; atoms live in actors/message_types.hpp.
//
//   supervisor -> worker      (ats_sync_atom)                           run one pull now (the worker
//                                                                       claims the connection's sync
//                                                                       lease first: report{busy}
//                                                                       when another process holds it)
//                             (ats_sync_atom, std::string note)         the previous worker crashed
//                                                                       during a pull: record it as
//                                                                       a failed run (no pull; also
//                                                                       under the lease)
//                             (ats_test_atom, org_id, std::string conn) -> ats_test_outcome
//                                                                       (delegated requests)
//                             (ats_job_atom, storage::job)              process a claimed webhook job
//   worker -> supervisor      (ats_report_atom, std::string conn, ats_worker_report)
//   db task -> supervisor     (ats_sched_atom, ats_schedule_load)       live connections
//                             (ats_claimed_atom, std::vector<storage::job>) claimed webhook jobs
//   timers (self)             (ats_sched_atom) (ats_poll_atom) (ats_purge_atom)
//                             (restart_atom, std::string conn)
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_connection_fsm.hpp"
#include "storage/ats_schedule_repo.hpp"
#include "storage/job_queue.hpp"

namespace hw::actors {

/// What a worker tells its supervisor after a run, a test or a lookup.
struct ats_worker_report {
  enum class what : std::uint8_t {
    sync,  // a pull ran (ok or not)
    test,  // a credential test ran
    gone,  // the connection no longer exists or is disconnected: stop me
    idle,  // nothing ran (database unreachable, connection pending): state refreshed when known
    busy,  // nothing (more) ran: another server process holds the connection's sync lease (or
           // took it over during the run); no error, that process records the outcome
  };
  what kind = what::sync;
  bool ok = false;
  std::optional<domain::ats_connection_state> state;  // after the run, when known
  std::optional<storage::time_point> next_sync_at;    // after the run, when known
  std::string detail;                                 // safe note
  std::optional<storage::time_point> lease_until;     // busy: the other process's lease, when known
};

/// A schedule read through the db pool: rows, or the error's safe detail.
struct ats_schedule_load {
  bool ok = false;
  std::string error;
  std::vector<storage::ats_schedule_row> rows;
};

}  // namespace hw::actors
