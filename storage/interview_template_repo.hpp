#pragma once
// Job interview templates (issue 5, migration 0014): one template per job posting
// (interview_templates, UNIQUE (org_id, job_id)) with numbered versions
// (interview_template_versions; each has a uuid `version_id` that invitations lock onto).
// TENANT tables (org_id first in every key, forced row-level security).
//
// The service decides transitions with domain::decide_template and calls these with the decided
// step and the template's `version` (CAS token). Storage writes the change and its audit row in
// ONE transaction; a lost CAS is version_conflict.
//
// Audit (target = job id; detail = numbers and names only): template.saved {version,
// new_version: bool}, template.submitted / template.approved {version[, superseded]} /
// template.changes_requested {version}, template.proposal_applied {version, created_items}.
//
// Every id of another organization, and every malformed id, is not_found. Times are RFC 3339 UTC
// text with microseconds. Blocking: call only from a db worker (or tests).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/content.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/content_repo.hpp"  // new_item
#include "storage/job_queue.hpp"     // time_point

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_interview_template_statements(pqxx::connection_base& c);

struct template_version_record {
  std::int32_t number = 1;
  std::string version_id;  // uuid of the version row
  domain::template_state state = domain::template_state::draft;
  nlohmann::json body;  // domain::to_json(template_body)
  int total_minutes = 0;
  std::string saved_by;  // user id of the last save
  std::optional<std::string> submitted_by;
  std::optional<std::string> approved_by;
  std::optional<std::string> approved_at;
  std::string created_at;
  std::string updated_at;
};

struct template_record {
  std::string id;  // template uuid
  std::string job_id;
  template_version_record latest;  // the newest version (or the one asked for)
  std::optional<std::int32_t> approved_version;
  std::optional<std::string> approved_version_id;
  std::vector<std::pair<std::int32_t, std::string>> versions;  // (number, state) newest first
  std::int64_t version = 1;                                    // CAS token (bumped by every write)
};

/// The job's template; `version` picks that version as `latest`. not_found: no template yet, an
/// unknown version, or a job of another org.
result<template_record> get_template(pqxx::connection_base& c, const org_id& org,
                                     const std::string& job_id,
                                     std::optional<std::int32_t> version = std::nullopt);

/// Saves the body (already valid: the service ran parse_template_body). No template yet: creates
/// it with version 1 (draft) — expected_version must then be nullopt (else precondition_failed);
/// not_found when the job posting is not the org's. Otherwise the template row is locked, CAS on
/// expected_version when given (version_conflict), and: latest draft → in place; latest
/// pending_approval → in place, back to draft; latest approved / superseded → version n+1 draft.
/// Audit template.saved.
result<template_record> save_template(pqxx::connection_base& c, const org_id& org,
                                      const std::string& job_id, const domain::template_body& body,
                                      std::optional<std::int64_t> expected_version,
                                      const std::string& saved_by, time_point now,
                                      const actor_ref& who);

/// A decided step of the LATEST version (submit, approve, request_changes): CAS on the template's
/// `expected_version`, the latest number `expected_number` and its state `from`. submit and
/// approve re-check the entries inside the transaction (template_blocking_entries): any blocking
/// entry refuses with illegal_transition whose detail lists them ("item <id> v2 is in_review").
/// approve, in the same transaction: the version → approved (approved_by/at), the previous
/// approved one → superseded, the template's approved_version set, and the job posting's
/// approved_template_version_id / _version set with job_postings.version + 1 (the job posting
/// actor re-reads it). submit records submitted_by.
struct template_step {
  std::int64_t expected_version = 1;
  std::int32_t expected_number = 1;
  domain::template_state from = domain::template_state::draft;
  domain::template_state to = domain::template_state::pending_approval;
  domain::template_event event = domain::template_event::submit;
  std::string actor_id;  // user id of who submits / approves ("" for api keys)
};
result<template_record> apply_template_step(pqxx::connection_base& c, const org_id& org,
                                            const std::string& job_id, const template_step& step,
                                            time_point now, const actor_ref& who);

/// Why an entry may not be used: reason "missing" (no such item version in this org: unknown,
/// another org's, malformed id) or the version's state (draft, in_review, changes_requested,
/// archived without ever being approved). Versions with approved_at set are fine.
struct blocking_entry {
  std::string item_id;
  std::int32_t item_version = 1;
  std::string reason;
  /// "item <id> v<n> is <reason>" / "item <id> v<n> does not exist"
  std::string describe() const;
};
/// One query over the body's entries; empty = all usable.
result<std::vector<blocking_entry>> template_blocking_entries(pqxx::connection_base& c,
                                                              const org_id& org,
                                                              const domain::template_body& body);

/// POST .../template/proposal/apply in ONE transaction: creates `items` (each with a caller-chosen
/// item_id the body already references; state draft or in_review; one content.item_created audit
/// row each) and saves `body` like save_template. Audit template.proposal_applied {version,
/// created_items}.
result<template_record> apply_template_proposal(pqxx::connection_base& c, const org_id& org,
                                                const std::string& job_id,
                                                const std::vector<new_item>& items,
                                                const domain::template_body& body,
                                                std::optional<std::int64_t> expected_version,
                                                const std::string& saved_by, time_point now,
                                                const actor_ref& who);

}  // namespace hw::storage
