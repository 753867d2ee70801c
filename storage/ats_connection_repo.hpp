#pragma once
// ATS connections (issue 4, migration 0011): `ats_connections`, their state history
// `ats_connection_events`, the call log `ats_integration_log` and the webhook inbox
// `ats_webhook_inbox`; all TENANT tables (org_id first in every key, forced row-level security).
//
// Secrets are stored as sealed bytes only (actors/ats/credential_box; this layer never decrypts)
// and never reach an audit row: audit details list field NAMES. Audit rows in the same transaction
// (target = connection id): ats.connection_created {vendor, fields}, ats.credentials_updated
// {fields}, ats.connection_state_changed {from, to, event} (only when the state changes),
// ats.connection_disconnected {from}, ats.connection_deleted {vendor}.
//
// Blocking: call only from a db worker (or tests). Timestamps in records are RFC 3339 UTC text.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/ats_connection_fsm.hpp"
#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

/// The job kind inbox_insert enqueues; args {"inbox_id":N,"connection_id":"<uuid>"}, unique key
/// "ats_webhook:<inbox id>".
inline constexpr const char* ats_webhook_job_kind = "ats_process_webhook";

void prepare_ats_connection_statements(pqxx::connection_base& c);

struct ats_connection_record {
  org_id org;
  std::string id;      // connection_id, canonical UUID
  std::string vendor;  // "greenhouse" | "lever"
  std::string name;
  domain::ats_connection_state state = domain::ats_connection_state::pending;
  std::uint32_t consecutive_failures = 0;
  std::string state_reason;
  // Raw sealed bytes (credential_box layout). Empty optionals in list_ats_connections().
  std::optional<std::string> credentials_enc;
  std::optional<std::string> webhook_secret_enc;
  std::optional<std::string> credentials_key_id;
  std::string settings = "{}";  // JSON object text
  std::optional<std::string> last_sync_at;
  std::optional<std::string> last_success_at;
  std::optional<std::string> last_error_at;
  std::optional<std::string> last_error;
  std::optional<std::string> next_sync_at;
  std::string created_at;
  std::string updated_at;
  std::int64_t version = 1;
};

struct ats_connection_create_row {
  /// Chosen by the caller (a random UUID) BEFORE sealing: the sealed values' AAD names it.
  std::string id;
  std::string vendor;  // greenhouse | lever
  std::string name;    // 1..100 characters after trimming spaces, no control characters
  std::optional<std::string> credentials_enc;     // with credentials_key_id, or neither
  std::optional<std::string> credentials_key_id;  // 1..16 of [A-Za-z0-9_-]
  std::optional<std::string> webhook_secret_enc;
  std::string settings_json = "{}";  // a JSON object
};

/// Inserts a `pending` connection, its 'created' history row and ats.connection_created.
/// invalid_argument for a bad id/vendor/name/settings/key id; not_found for an unknown org;
/// conflict when the connection id exists.
result<ats_connection_record> create_ats_connection(pqxx::connection_base& c, const org_id& org,
                                                    const ats_connection_create_row& req,
                                                    time_point now, const actor_ref& who);

/// One connection with its sealed secrets. not_found for an unknown id or another org's.
result<ats_connection_record> load_ats_connection(pqxx::connection_base& c, const org_id& org,
                                                  const std::string& id);

/// The org's connections (disconnected ones included), newest first, WITHOUT the sealed bytes.
/// An unknown org yields an empty list.
result<std::vector<ats_connection_record>> list_ats_connections(pqxx::connection_base& c,
                                                                const org_id& org);

/// Which secrets to replace (absent: keep). Replacing credentials needs both bytes and key id.
struct ats_credentials_update {
  std::optional<std::string> credentials_enc;
  std::optional<std::string> credentials_key_id;
  std::optional<std::string> webhook_secret_enc;
  /// The settings JSON object to store in the same version step (e.g. the new credential field
  /// names); absent: kept. Not an update on its own.
  std::optional<std::string> settings_json;
};

/// Replaces secrets when `expected_version` matches (version + 1, ats.credentials_updated with
/// the field names). Returns the new version. version_conflict on a stale version; not_found;
/// illegal_transition for a disconnected connection; invalid_argument when nothing is given.
result<std::int64_t> update_ats_credentials(pqxx::connection_base& c, const org_id& org,
                                            const std::string& id, std::int64_t expected_version,
                                            const ats_credentials_update& upd, time_point now,
                                            const actor_ref& who);

/// Name and / or settings (a JSON object) of a live connection. Only the given members that differ
/// from the stored ones are written: version + 1 and ats.connection_updated {fields: ["name",
/// "settings"]} (names only) in the same transaction; nothing differs: the current version is
/// returned and nothing is written. invalid_argument for a bad name / settings; version_conflict
/// on a stale `expected_version`; illegal_transition for a disconnected connection; not_found.
struct ats_connection_meta_update {
  std::optional<std::string> name;           // 1..100 characters, trimmed of spaces
  std::optional<std::string> settings_json;  // a JSON object
};
result<std::int64_t> update_ats_connection_meta(pqxx::connection_base& c, const org_id& org,
                                                const std::string& id, std::int64_t expected_version,
                                                const ats_connection_meta_update& upd, time_point now,
                                                const actor_ref& who);

/// Persists a step decided by domain::decide(): CAS on `expected_version` AND the row still in
/// `step.from`; writes state, counter and reason, version + 1, appends an ats_connection_events
/// row, and audits ats.connection_state_changed when the state changes; all in one transaction.
/// `disconnect` steps are refused (invalid_argument): use disconnect_ats_connection, which also
/// wipes the secrets. Returns the updated record. version_conflict; not_found.
result<ats_connection_record> apply_ats_transition(pqxx::connection_base& c, const org_id& org,
                                                   const std::string& id,
                                                   std::int64_t expected_version,
                                                   const domain::ats_connection_step& step,
                                                   time_point now, const actor_ref& who);

/// Outcome bookkeeping of a sync run (no version bump: the state goes through
/// apply_ats_transition). last_sync_at = now; success: last_success_at = now; failure:
/// last_error_at = now, last_error = `error` (a short safe note, cut to 500 bytes).
struct ats_sync_outcome {
  bool success = false;
  std::optional<std::string> error;
  std::optional<time_point> next_sync_at;  // absent: cleared
};
result<hw::unit> record_ats_sync_outcome(pqxx::connection_base& c, const org_id& org,
                                         const std::string& id, const ats_sync_outcome& o,
                                         time_point now);

/// Moves to `disconnected` (terminal), wipes both sealed secrets and next_sync_at, version + 1,
/// history row, ats.connection_disconnected. `expected_version` (when given) is a CAS.
/// illegal_transition when already disconnected; version_conflict; not_found.
result<ats_connection_record> disconnect_ats_connection(
    pqxx::connection_base& c, const org_id& org, const std::string& id,
    std::optional<std::int64_t> expected_version, time_point now, const actor_ref& who);

/// Deletes a DISCONNECTED connection with its history, call log and inbox rows (ats.connection_
/// deleted). illegal_transition when not disconnected; not_found.
result<hw::unit> delete_ats_connection(pqxx::connection_base& c, const org_id& org,
                                       const std::string& id, time_point now, const actor_ref& who);

struct ats_connection_event_record {
  std::int64_t id = 0;
  std::optional<domain::ats_connection_state> from;  // absent for 'created'
  domain::ats_connection_state to = domain::ats_connection_state::pending;
  std::string event;  // 'created' or domain::to_string(ats_connection_event)
  std::uint32_t consecutive_failures = 0;
  std::string reason;
  std::string at;
};

/// The connection's history, oldest first. not_found for an unknown connection.
result<std::vector<ats_connection_event_record>> list_ats_connection_events(
    pqxx::connection_base& c, const org_id& org, const std::string& id);

/// What the webhook receiver needs before it can verify a delivery.
struct ats_webhook_target {
  org_id org;
  std::string connection_id;
  std::string vendor;
  domain::ats_connection_state state = domain::ats_connection_state::pending;
  std::optional<std::string> webhook_secret_enc;
};

/// Cross-tenant lookup by connection id (the id in the webhook URL is the receiver's only handle
/// on the organization; system scope for that one SELECT). Disconnected connections are returned
/// as such (the caller refuses them). not_found for a malformed or unknown id.
result<ats_webhook_target> find_connection_for_webhook(pqxx::connection_base& c,
                                                       const std::string& connection_id);

// --- integration log -----------------------------------------------------------------------------

struct ats_integration_log_row {
  std::string connection_id;
  std::string direction;  // outbound | inbound
  std::string endpoint;   // path template, '/'-rooted, no query or fragment, <= 200 chars
  std::optional<int> status;  // HTTP status; absent when no response
  int duration_ms = 0;
  std::optional<std::string> error;  // short safe note; cut to 500 bytes
};

struct ats_integration_log_entry {
  std::int64_t id = 0;
  std::string connection_id;
  std::string at;
  std::string direction;
  std::string endpoint;
  std::optional<int> status;
  int duration_ms = 0;
  std::optional<std::string> error;
};

/// Appends one entry at `now`; returns its id. invalid_argument for a bad direction, endpoint
/// (query string, no leading '/'), status or duration; not_found for an unknown connection.
result<std::int64_t> append_integration_log(pqxx::connection_base& c, const org_id& org,
                                            const ats_integration_log_row& row, time_point now);

/// The connection's entries newest first (by id), at most `limit` (1..200), only ids below
/// `before_id` when given (keyset paging: pass the last id of the previous page). A stored
/// webhook delivery's line is its inbox row (inbound, '/webhooks/<vendor>', 200, its duration, no
/// error; migration 0016): both tables share one id sequence, so one cursor pages through both.
result<std::vector<ats_integration_log_entry>> list_integration_log(
    pqxx::connection_base& c, const org_id& org, const std::string& connection_id, int limit,
    std::optional<std::int64_t> before_id = std::nullopt);

/// Deletes every organization's entries with at < now - keep (system scope: a retention job).
/// Returns how many rows it deleted.
result<std::int64_t> purge_integration_log(pqxx::connection_base& c, time_point now,
                                           std::chrono::seconds keep);

// --- webhook inbox -------------------------------------------------------------------------------

struct ats_inbox_row {
  std::string connection_id;
  std::optional<std::string> vendor_event_id;  // 1..200 characters when present
  std::string content_key_hex;  // 64 hex of SHA-256(raw body): session_repo token_digest_hex
  std::string payload_json;     // the verified body (valid JSON)
};

enum class inbox_outcome { inserted, duplicate };

struct ats_inbox_result {
  inbox_outcome outcome = inbox_outcome::duplicate;
  std::int64_t inbox_id = 0;  // 0 for a duplicate
  std::int64_t job_id = 0;    // the ats_webhook_job_kind job (0 for a duplicate)
};

/// In the CALLER's transaction: INSERT ... ON CONFLICT DO NOTHING (either unique key: the vendor
/// event id or the content key); when a row was inserted, enqueues its processing job in the same
/// transaction. A duplicate writes nothing. Sets the tenant itself. Throws like any statement
/// (map it with map_exception); std::invalid_argument for a malformed row, std::runtime_error when
/// the connection does not exist.
ats_inbox_result inbox_insert(pqxx::transaction_base& tx, const org_id& org,
                              const ats_inbox_row& row, time_point now);

/// The same in its own transaction. invalid_argument for a malformed row; not_found for an unknown
/// connection or org.
result<ats_inbox_result> inbox_insert(pqxx::connection_base& c, const org_id& org,
                                      const ats_inbox_row& row, time_point now);

// --- webhook ingest, many deliveries in one transaction (group commit) ----------------------------

/// One delivery the receiver has dealt with. `store`: verified with `webhook_secret_enc` (the sealed
/// bytes the receiver opened): an inbox row (its connection's queue; counted received when
/// processed), or counted duplicate; the inbox row is the log line of a stored one, a duplicate
/// gets a log line (200). `duration_ms`:
/// receipt to the batch's write, for the log line. `log`: only bookkeeping for a known connection: an inbound log line with `status` / `note`
/// and, when `rejected`, the rejected counter (a refused signature, a malformed body, a ping).
struct ats_webhook_batch_item {
  enum class kind { store, log };
  kind what = kind::store;
  org_id org;
  std::string connection_id;
  // store
  std::optional<std::string> vendor_event_id;  // 1..200 characters when present
  std::string content_key_hex;                 // 64 hex of SHA-256(raw body)
  std::string payload_json;                    // the verified body: a JSON object text
  std::string webhook_secret_enc;
  // log
  int status = 200;
  bool rejected = false;
  std::optional<std::string> note;  // short safe note (no body, no header value)
  int duration_ms = 0;
};

enum class ats_webhook_batch_outcome {
  accepted,        // a new inbox row (received: waits for its connection's processing job)
  duplicate,       // already in the inbox (event id or content key), or earlier in this batch
  gone,            // the connection is unknown, deleted or disconnected: nothing written
  secret_changed,  // the connection's webhook secret is no longer the one verified with: nothing written
  logged,          // a `log` item (written when the connection still exists)
};

struct ats_webhook_batch_result {
  ats_webhook_batch_outcome outcome = ats_webhook_batch_outcome::gone;
  std::int64_t inbox_id = 0;  // for accepted
};

/// How ingest_webhook_batch uses its connection.
///   shared: any pooled connection; every setting is local to the batch's transaction.
///   dedicated: a connection that only webhook writers use (a pool of their own): the tenant and
///     the planner setting stay on its session between batches, so the common batch is one round
///     trip (see ingest_org in the .cpp).
enum class ingest_session { shared, dedicated };

/// Writes `items` (any organizations and connections), per organization: ONE inbox INSERT of every
/// stored delivery joined to its connection row (live AND holding the very sealed secret the
/// delivery was verified with, so a disconnect or rotation committed meanwhile drops it; the
/// connection rows are KEY SHARE-locked once), and nothing else: the new rows wait `received` for
/// their connection's processing job, which the caller ensures after the commit
/// (ensure_webhook_jobs; migration 0019), and count as received when processed. A first attempt
/// has no dedup probes (a stored delivery fails it with unique_violation; the batch then runs again
/// with them, and so do this thread's next 64 calls). Log lines (duplicates, refusals, log
/// items; a stored delivery's inbox row is its own line, migration 0016) in one multi-row insert
/// and the duplicate / rejected counts in one counter upsert per connection (a random one of 16
/// ats_webhook_counters slots, migration 0015), when any: in the same transaction (shared) or in
/// one right after it (dedicated).
/// Results are in `items` order and hold only after the commits; an error means the failing
/// organization's deliveries were not stored (an earlier organization's may be: the caller answers
/// unavailable and the vendor's retry finds them as duplicates). invalid_argument for a malformed
/// item (nothing written).
result<std::vector<ats_webhook_batch_result>> ingest_webhook_batch(
    pqxx::connection_base& c, const std::vector<ats_webhook_batch_item>& items, time_point now,
    ingest_session mode = ingest_session::shared);

/// status = processed, processed_at = now, and +1 received for its connection (a random counter
/// slot) in the same statement: a delivery counts as received once, when processed (migration 0019;
/// readers add the rows still pending). true when this call marked it, false when it already was
/// processed; not_found for an unknown id.
result<bool> inbox_mark_processed(pqxx::connection_base& c, const org_id& org,
                                  std::int64_t inbox_id, time_point now);

/// A connection whose pending inbox rows may need their processing job.
struct webhook_job_target {
  org_id org;
  std::string connection_id;
};

/// The inbox is the processing queue (migration 0019). Enqueues the processing job of each target
/// that is live and has rows still `received`, unless one is live already (kind
/// ats_webhook_job_kind, args {"connection_id"}, unique key "ats_inbox:<connection id>", pg_notify
/// 'job_ready'): ONE statement in system scope for all targets (repeats and malformed ids are
/// skipped). Called after a batch commits (coalesced), for every live connection after each
/// schedule read (rows committed just before a crash), and by the processing job itself after it
/// completed (rows that came meanwhile). Returns how many jobs it enqueued.
result<int> ensure_webhook_jobs(pqxx::connection_base& c, const std::vector<webhook_job_target>& targets,
                                time_point now);

/// Up to `limit` ids of the connection's inbox rows still `received`, oldest first (the 0019
/// partial index); empty for malformed ids.
result<std::vector<std::int64_t>> list_pending_webhooks(pqxx::connection_base& c, const org_id& org,
                                                        const std::string& connection_id, int limit);

}  // namespace hw::storage
