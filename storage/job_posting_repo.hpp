#pragma once
// Imported job postings (issue 4, migration 0012): the API's read side and a recruiter's local
// edits. The sync's write side is storage/ats_import_repo.
//
// What a reader sees is the ATS copy (the ats_* columns) with the recruiter's overrides laid over
// it: job_postings.overrides = {"<field>": {"value": <ours>, "ats_value": <the ATS value when
// edited>}} for field in title, department, location, description_html, requirements. A field is
// in `conflicts` when its ats_* column no longer equals the recorded ats_value.
//
// Every id of another organization, and every malformed id, is not_found. Writes are a version
// CAS with their audit row in the same transaction: job.updated {fields: [names]} (never values),
// job.state_changed {from, to, event, driver: "recruiter"} (the sync writes the same action with
// driver "ats_sync"). Times are RFC 3339 UTC text with microseconds.
//
// Blocking: call only from a db worker (or tests).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_service.hpp"
#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_job_posting_statements(pqxx::connection_base& c);

/// One page of the org's job postings, newest `updated_at` first (then job id, descending).
/// Filters: connection_id (a UUID), posting_state (job_posting_fsm names), ats_status
/// (draft|open|closed), q (case-insensitive substring of the effective title; % and _ are
/// literal), limit 1..200, cursor = next_cursor of the previous page. A bad filter or cursor is
/// invalid_argument naming the field.
result<job_page> list_job_postings(pqxx::connection_base& c, const org_id& org,
                                   const job_filter& f);

/// One posting with the overlay, overridden_fields, conflicts and its stages: the connection's
/// ACTIVE stages of this job plus its account-wide ones (job_external_id = '', Lever), ordered by
/// sort_order (NULLs last), then name.
result<job_detail> get_job_posting(pqxx::connection_base& c, const org_id& org,
                                   const std::string& job_id);

/// Applies a recruiter's edit: each present text field becomes an override recording the current
/// ATS value (title: 1..300 characters after trimming spaces; department, location: at most 300,
/// trimmed; none of those three may hold control characters; description_html, requirements: at
/// most 1 MiB, no NUL); `revert` drops overrides (names from the list above, not also set in the
/// same edit); shortlist_stage_id sets (a stage of get_job_posting's list) or, empty, clears.
/// An edit that changes nothing writes nothing (same version). Errors: invalid_argument (naming
/// the field), not_found, precondition_failed (if_match != version), illegal_transition
/// (archived), version_conflict (a concurrent write won the CAS).
result<job_detail> edit_job_posting(pqxx::connection_base& c, const org_id& org,
                                    const std::string& job_id, const job_edit& edit,
                                    std::optional<std::int64_t> if_match, time_point now,
                                    const actor_ref& who);

/// A recruiter-driven job_posting_fsm event by name (claim, mark_ready, revise, open, close,
/// reopen, archive): invalid_argument for an unknown name, illegal_transition with the FSM's
/// detail when the table refuses it, precondition_failed / version_conflict as above, not_found.
result<job_detail> transition_job_posting(pqxx::connection_base& c, const org_id& org,
                                          const std::string& job_id, const std::string& event,
                                          std::optional<std::int64_t> if_match, time_point now,
                                          const actor_ref& who);

/// The job's applications, newest `updated_at` first (then application id, descending), joined
/// with their candidates. Filters: stage_id (1..200 characters), status (active|rejected|hired|
/// converted), limit 1..500, cursor. Names and e-mail only when include_pii, and never for an
/// anonymized or merged candidate. An application whose candidate is not imported yet lists with
/// the candidate's external id only (id empty, can_email false); a merged candidate has
/// can_email false. not_found for the job; invalid_argument for a bad filter or cursor.
result<application_page> list_job_applications(pqxx::connection_base& c, const org_id& org,
                                               const std::string& job_id,
                                               const application_filter& f, bool include_pii);

/// The job's "application reached stage" events, newest first, at most `limit` (1..500).
result<std::vector<stage_event_view>> list_job_stage_events(pqxx::connection_base& c,
                                                            const org_id& org,
                                                            const std::string& job_id,
                                                            int limit = 100);

}  // namespace hw::storage
