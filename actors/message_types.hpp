#pragma once
// The single place that declares atoms and the message types CAF may carry.
// CAF 0.17: atoms are atom_constant<atom("<=10ch")>; domain types travel in-process only, so
// they are whitelisted with CAF_ALLOW_UNSAFE_MESSAGE_TYPE instead of being made serializable.
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actors/ats/ats_protocol.hpp"
#include "actors/ats/sync_messages.hpp"
#include "actors/db/db_task.hpp"
#include "actors/domain/ats_service.hpp"
#include "actors/domain/audit.hpp"
#include "actors/domain/entity_gateway.hpp"
#include "actors/domain/organization.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/job_queue.hpp"

namespace hw::actors {

// -- atoms (text <= 10 characters) --------------------------------------------
using route_atom = caf::atom_constant<caf::atom("route")>;        // router: (route, key, cmd)
using load_atom = caf::atom_constant<caf::atom("load")>;          // db: load a row
using create_atom = caf::atom_constant<caf::atom("create")>;      // db/router: insert
using save_atom = caf::atom_constant<caf::atom("save")>;          // db: CAS write
using update_atom = caf::atom_constant<caf::atom("update")>;      // entity: settings patch
using apply_atom = caf::atom_constant<caf::atom("apply")>;        // entity: lifecycle event
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;// entity -> router: idle
using stop_atom = caf::atom_constant<caf::atom("stop")>;          // router -> entity: quit now
using ready_atom = caf::atom_constant<caf::atom("ready")>;        // db: readiness probe
using depth_atom = caf::atom_constant<caf::atom("depth")>;        // db: queue depth
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;        // db/sweeper: expired leases
using tick_atom = caf::atom_constant<caf::atom("tick")>;          // timers (wake-ups only)
using connect_atom = caf::atom_constant<caf::atom("connect")>;    // db worker: (re)connect
using stats_atom = caf::atom_constant<caf::atom("stats")>;        // gateway: runtime stats
using seed_atom = caf::atom_constant<caf::atom("seed")>;          // db: demo organization
using nudge_atom = caf::atom_constant<caf::atom("nudge")>;        // notify: work was enqueued
using restart_atom = caf::atom_constant<caf::atom("restart")>;    // notify supervisor: respawn
using healthy_atom = caf::atom_constant<caf::atom("healthy")>;    // notify worker: ran cleanly
using mailbox_atom = caf::atom_constant<caf::atom("mailbox")>;    // dev mailbox reader: list
using audit_atom = caf::atom_constant<caf::atom("audit")>;        // db: list / append audit rows
using hash_atom = caf::atom_constant<caf::atom("pwhash")>;        // hash pool: new argon2id hash
using verify_atom = caf::atom_constant<caf::atom("pwverify")>;    // hash pool: check a password
using dummy_atom = caf::atom_constant<caf::atom("pwdummy")>;      // hash pool: unknown account
using run_atom = caf::atom_constant<caf::atom("run")>;            // db: run a db_task
using evict_atom = caf::atom_constant<caf::atom("evict")>;        // session cache invalidation
// ATS (issue 4; protocol in actors/ats/ats_protocol.hpp)
using ats_sync_atom = caf::atom_constant<caf::atom("atssync")>;     // supervisor: pull now
using ats_test_atom = caf::atom_constant<caf::atom("atstest")>;     // supervisor: test credentials
using ats_reload_atom = caf::atom_constant<caf::atom("atsreload")>; // supervisor: connection changed
using ats_status_atom = caf::atom_constant<caf::atom("atsstatus")>; // supervisor: syncing?
using ats_hook_atom = caf::atom_constant<caf::atom("atshook")>;     // supervisor: inbox rows stored (ensure jobs)
// ATS supervisor internals (actors/ats/sync_messages.hpp)
using ats_sched_atom = caf::atom_constant<caf::atom("atssched")>;     // live connections read / tick
using ats_poll_atom = caf::atom_constant<caf::atom("atspoll")>;       // webhook job poll tick
using ats_claimed_atom = caf::atom_constant<caf::atom("atsclaimed")>; // webhook jobs claimed
using ats_job_atom = caf::atom_constant<caf::atom("atsjob")>;         // worker: process a webhook job
using ats_report_atom = caf::atom_constant<caf::atom("atsreport")>;   // worker -> supervisor: run done
using ats_purge_atom = caf::atom_constant<caf::atom("atspurge")>;     // daily retention tick
using job_edit_atom = caf::atom_constant<caf::atom("jobedit")>;       // job posting entity: edit
using job_event_atom = caf::atom_constant<caf::atom("jobevent")>;     // job posting entity: FSM event
using job_done_atom = caf::atom_constant<caf::atom("jobdone")>;       // job posting entity: db answer

/// What a database worker reports to a readiness probe.
struct db_readiness {
  bool database = false;
  bool migrations_current = false;
  std::vector<std::string> problems;
};

/// `if_match` for an update: -1 means "no precondition".
constexpr std::int64_t no_precondition = -1;

// -- error bridging --------------------------------------------------------------
/// hw::error -> caf::error (category "hw", detail carried in the context).
caf::error to_caf_error(hw::error e);
caf::error to_caf_error(errc code, std::string detail);
/// caf::error -> hw::error; CAF's own codes map to timeout/unavailable/internal.
hw::error to_hw_error(const caf::error& e);

}  // namespace hw::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::org_id)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actor_ref)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::domain::organization)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::domain::org_create)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::domain::org_patch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::domain::org_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::db_readiness)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<hw::storage::queue_depth_row>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<hw::dev_mail_view>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::audit_entry)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::audit_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::audit_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::db_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::ats_test_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::ats_worker_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::ats_schedule_load)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::storage::job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<hw::storage::job>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<hw::storage::webhook_job_target>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::job_detail)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::job_edit)
