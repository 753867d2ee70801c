#pragma once
// The ATS sync's WRITE side (issue 4, migration 0012): imported jobs (job_postings' ats_* copy and
// posting_state), stages, candidates (PII), applications, "application reached stage" events,
// pull watermarks, webhook counters and the webhook inbox's read/purge.
//
// Every page function is ONE transaction and idempotent: re-importing the same records updates no
// row, bumps no version or updated_at and raises no event. A page is read with one SELECT
// (external_id = ANY), decided in C++ (domain::differs / is_stale) and written with a few batch
// statements. Imports of one connection are serialized by a transaction-level advisory lock.
// Text is stored sanitized (NUL dropped, invalid UTF-8 replaced, cut to the column limits), and
// compared after the same sanitizing, so such records stay idempotent too.
//
// Errors: invalid_argument for a malformed connection id, an empty or over-long external id or
// a bad resource name (the detail names the field and record index, never a value); not_found
// for a malformed org id or a connection that is not this org's.
//
// Blocking: call only from a db worker (or tests).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_records.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_ats_import_statements(pqxx::connection_base& c);

/// The audit actor of posting_state changes made by the sync: {"system", "ats_sync"}.
inline constexpr const char* ats_sync_actor_id = "ats_sync";

/// What one page did. Counted per record of the page (a record listed twice counts twice).
struct ats_upsert_counts {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t stale = 0;         // older than our copy (is_stale on updated_at): skipped
  std::int64_t stage_events = 0;  // ats_stage_events rows written (applications only)
  /// Jobs only: "job <our job uuid>: <field>" for each locally overridden field whose ATS value
  /// changed in this page (the override is kept; the ATS copy is updated).
  std::vector<std::string> conflicts;
};

/// Stages, keyed by (job_external_id, external_id). differs -> update.
result<ats_upsert_counts> upsert_ats_stages(pqxx::connection_base& c, const org_id& org,
                                            const std::string& connection_id,
                                            const std::vector<domain::ats_stage>& stages,
                                            time_point now);

/// Jobs -> job_postings. New: posting_state imported (closed when the ATS status is closed).
/// Changed: the ats_* columns, version + 1, updated_at = now; `overrides` is never touched.
/// Status open/draft -> closed drives the posting FSM event close, closed -> open/draft reopen
/// (job_driver::ats_sync); an FSM refusal keeps the state. A posting_state change appends the
/// audit row job.state_changed {from, to, event, driver: "ats_sync"} (target = job id).
result<ats_upsert_counts> upsert_ats_jobs(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id,
                                          const std::vector<domain::ats_job>& jobs, time_point now);

/// Candidates. An anonymized row stays anonymized (later PII is dropped); an incoming anonymized
/// record purges our copy (applied even when stale). A record with merged_into is stored as
/// merge_ats_candidate does (PII purged, applications re-pointed to the winner); merged_into is
/// sticky as well.
result<ats_upsert_counts> upsert_ats_candidates(pqxx::connection_base& c, const org_id& org,
                                                const std::string& connection_id,
                                                const std::vector<domain::ats_candidate>& cands,
                                                time_point now);

/// Applications. A new application, or a changed stage id, that equals the shortlist_stage_id
/// of its job (job_postings of the same connection) writes ONE ats_stage_events row (at = now).
result<ats_upsert_counts> upsert_ats_applications(pqxx::connection_base& c, const org_id& org,
                                                  const std::string& connection_id,
                                                  const std::vector<domain::ats_application>& apps,
                                                  time_point now);

/// The job was deleted in the ATS: ats_deleted_at = now (once) and posting_state -> archived
/// (FSM event archive by ats_sync, when allowed; audited). Unknown job: ok, nothing written.
result<hw::unit> archive_ats_job_upstream(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id,
                                          const std::string& job_external_id, time_point now);

/// Deletes the application (its stage events cascade). Unknown: ok.
result<hw::unit> delete_ats_application(pqxx::connection_base& c, const org_id& org,
                                        const std::string& connection_id,
                                        const std::string& external_id, time_point now);

/// Deletes the candidate row, its applications (by candidate_external_id) and the listed
/// application ids. Unknown: ok.
result<hw::unit> delete_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                      const std::string& connection_id,
                                      const std::string& external_id,
                                      const std::vector<std::string>& deleted_application_ids,
                                      time_point now);

/// The loser's applications get candidate_external_id = winner; the loser row (when present)
/// keeps no PII and gets merged_into = winner (anonymized stays false). invalid_argument when
/// loser == winner.
result<hw::unit> merge_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                     const std::string& connection_id,
                                     const std::string& loser_external_id,
                                     const std::string& winner_external_id, time_point now);

/// PII blanked (names, emails, phones, can_email = false), anonymized = true. Unknown: ok.
result<hw::unit> anonymize_ats_candidate(pqxx::connection_base& c, const org_id& org,
                                         const std::string& connection_id,
                                         const std::string& external_id, time_point now);

/// The newest vendor updated_at seen for `resource` (^[a-z_]{1,40}$), or nothing yet.
result<std::optional<domain::epoch_ms>> load_ats_watermark(pqxx::connection_base& c,
                                                           const org_id& org,
                                                           const std::string& connection_id,
                                                           const std::string& resource);

/// Stores `watermark` unless the stored one is newer (never moves backwards).
result<hw::unit> save_ats_watermark(pqxx::connection_base& c, const org_id& org,
                                    const std::string& connection_id, const std::string& resource,
                                    domain::epoch_ms watermark, time_point now);

enum class webhook_counter { received, duplicate, rejected };

/// webhooks_<which> + 1 on the connection (no version / updated_at change).
result<hw::unit> bump_ats_webhook_counter(pqxx::connection_base& c, const org_id& org,
                                          const std::string& connection_id, webhook_counter which);

struct ats_import_counts {
  std::int64_t jobs = 0;
  std::int64_t candidates = 0;  // every row, merged and anonymized ones included
  std::int64_t applications = 0;
  std::int64_t webhooks_received = 0;
  std::int64_t webhooks_duplicate = 0;
  std::int64_t webhooks_rejected = 0;
};

/// Connection id -> counts, for every connection of the org (empty for an unknown org).
result<std::map<std::string, ats_import_counts>> ats_import_counts_by_connection(
    pqxx::connection_base& c, const org_id& org);

struct ats_inbox_entry {
  std::int64_t id = 0;
  std::string connection_id;
  std::optional<std::string> vendor_event_id;
  std::string payload_json;
  std::string status;       // received | processed
  std::string received_at;  // RFC 3339 UTC
};

/// One webhook inbox row. not_found for an unknown id or another org's.
result<ats_inbox_entry> load_ats_inbox_entry(pqxx::connection_base& c, const org_id& org,
                                             std::int64_t inbox_id);

/// System scope (a retention job): deletes every org's PROCESSED inbox rows received before
/// now - keep, moving each one's integration log line (an inbox row is the log line of its
/// delivery, migration 0016) into ats_integration_log. Returns how many rows it deleted.
result<std::int64_t> purge_ats_webhook_inbox(pqxx::connection_base& c, time_point now,
                                             std::chrono::seconds keep);

}  // namespace hw::storage
