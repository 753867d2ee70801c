#pragma once
// The job posting entity (issue 4): one imported job posting while it is active, keyed
// "<org uuid>/<job uuid>" behind an entity_router. It decides with the pure job_posting_fsm and
// its cached version, persists through a job_store (storage/job_posting_repo as db tasks, with
// the cached version as the CAS precondition) and replies only after the write is durable.
// mark_ready ("ready to invite") also needs an approved interview template (issue 5:
// job_posting_fsm check_template_guard on job_detail.approved_template_version_id).
// One command at a time: while a write is in flight every other message waits in the mailbox.
// Commands (delivered by the router inside (route_atom, key, cmd)):
//   (caf::get_atom)                                                  -> job_detail (cached)
//   (job_edit_atom, job_edit, int64 if_match, actor_ref)             -> job_detail
//   (job_event_atom, std::string event, int64 if_match, actor_ref)   -> job_detail
//   (ready_atom)                                                     -> bool: accepts invitations
//   (load_atom)                                                      -> job_detail: re-read the row now
//                                                                      (sent after a template approval)
//   (stop_atom)                                                      -> quits (sent by the router)
// if_match is no_precondition (-1) for "none". Never written: an unknown event (invalid_argument,
// no database access at all), If-Match != version (precondition_failed), an edge the FSM refuses
// for a recruiter, or any edit of an archived job (illegal_transition); the last three re-read the
// row once first (confirm_refusals) since the sync may have moved it. A write refused because the
// row changed underneath reloads once and decides again.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "actors/domain/ats_service.hpp"
#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "actors/registry/entity_router.hpp"

namespace hw::actors {

/// Where the entity reads and writes its row. Each function must call its reply exactly once,
/// from any thread. db_job_store is the real one; tests inject fakes.
struct job_store {
  using reply = std::function<void(result<job_detail>)>;
  std::function<void(const org_id&, const std::string& job, reply)> load;
  std::function<void(const org_id&, const std::string& job, const job_edit&, std::int64_t expected_version,
                     const actor_ref&, reply)>
    edit;
  std::function<void(const org_id&, const std::string& job, const std::string& event,
                     std::int64_t expected_version, const actor_ref&, reply)>
    transition;
};

/// storage::get_job_posting / edit_job_posting / transition_job_posting as db tasks on `db_pool`.
job_store db_job_store(caf::actor db_pool);

struct job_posting_options {
  std::chrono::milliseconds idle_timeout{15 * 60'000};
  std::chrono::milliseconds db_timeout{6'000};
  /// A refusal by the cache (illegal edge, If-Match != cached version) first re-reads the row
  /// once (never a write): the ATS sync may have moved it since. false: refuse from the cache.
  bool confirm_refusals = true;
};

struct job_posting_key {
  org_id org;
  std::string job;  // canonical (lower-case) uuid
};

/// "<org uuid>/<job uuid>" -> both parts, lower-cased; nullopt when either is not a uuid.
std::optional<job_posting_key> parse_job_posting_key(const std::string& key);
/// The router key for a job (assumes both ids are uuids; lower-cases them).
std::string job_posting_key_of(const org_id& org, const std::string& job);

struct job_posting_state {
  static inline const char* name = "job_posting";
  std::string route_key;  // the router's key for this entity (passivation)
  job_posting_key key;
  job_detail job;
  std::uint64_t activity = 0;  // commands since the last idle tick
  std::uint64_t seq = 0;       // id of the store call in flight (stale answers are dropped)
};

caf::behavior job_posting_actor(caf::stateful_actor<job_posting_state>* self, std::string route_key,
                                job_posting_key key, job_detail loaded, job_store store, caf::actor router,
                                job_posting_options opt);

/// The router spec: a malformed key is not_found; activation loads the row through `store`.
entity_spec job_posting_spec(job_store store, job_posting_options opt);

}  // namespace hw::actors
