#pragma once
// The CAF-free interface http/ calls for ATS integration (issue 4): connections and their health,
// the integration log, imported jobs (job postings) with local edits, candidates and applications
// per job, and the webhook receiver. Its implementation (actors/ats/ats_service_impl) runs storage
// calls on the db pool and vendor calls through the ATS supervisor's per-connection sync workers.
// Callbacks run on an actor thread: never block in them (http/ posts back onto its strand).
//
// Rules every implementation keeps:
// - org-scoped calls take the org from the authenticated principal (http/ checked the role); an id
//   of another organization answers not_found.
// - Credentials and webhook secrets are write-only: no view below carries one, except the
//   generated webhook secret in ats_connection_created, shown exactly once.
// - Candidate PII (names, e-mails, phones) is filled only when `include_pii` is true; http/ sets
//   it from the permission matrix (action::candidate_pii_read).
// - Times are RFC 3339 UTC text.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/accounts.hpp"  // principal
#include "actors/domain/audit.hpp"     // actor_ref
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace hw {

template <class T>
using ats_callback = std::function<void(result<T>)>;

/// Counts shown on the connection dashboard.
struct ats_connection_counts {
  std::int64_t jobs = 0;
  std::int64_t candidates = 0;
  std::int64_t applications = 0;
  std::int64_t webhooks_received = 0;   // verified and stored (new)
  std::int64_t webhooks_duplicate = 0;  // verified, already in the inbox
  std::int64_t webhooks_rejected = 0;   // bad signature / malformed / disconnected
};

/// Per-connection settings (JSON object `settings` in storage).
struct ats_connection_settings {
  int sync_interval_minutes = 60;  // 5..1440: periodic pull
};

struct ats_connection_view {
  std::string id;
  std::string vendor;  // greenhouse | lever
  std::string name;
  std::string state;   // pending | connected | degraded | failing | disconnected
  std::string state_reason;
  std::uint32_t consecutive_failures = 0;
  std::optional<std::string> last_sync_at;
  std::optional<std::string> last_success_at;
  std::optional<std::string> last_error_at;
  std::optional<std::string> last_error;
  std::optional<std::string> next_sync_at;
  bool syncing = false;            // a run is in progress right now
  bool has_credentials = false;
  bool has_webhook_secret = false;
  std::vector<std::string> credential_fields;  // names that are set ("client_id", ...), never values
  std::string webhook_url;         // http.public-origin + /webhooks/<vendor>/<id>
  ats_connection_settings settings;
  ats_connection_counts counts;
  std::string created_at;
  std::string updated_at;
  std::int64_t version = 1;
};

/// POST /api/v1/orgs/{id}/ats/connections. `credentials` are vendor fields (Greenhouse:
/// client_id, client_secret, optional sub; Lever: api_key, optional webhook_signature_token);
/// the vendor registry validates them.
struct ats_connection_create {
  std::string vendor;
  std::string name;
  std::map<std::string, std::string> credentials;
  ats_connection_settings settings;
};

/// What creation (and a webhook secret rotation) answers: the view, plus the generated webhook
/// secret for vendors where we choose it (Greenhouse), shown once.
struct ats_connection_created {
  ats_connection_view connection;
  std::optional<std::string> webhook_secret;
};

/// PATCH: absent fields stay. `credentials` replaces the whole credential set (and counts as
/// `reconnected` once a test passes). `rotate_webhook_secret` generates a new one (Greenhouse).
struct ats_connection_patch {
  std::optional<std::string> name;
  std::optional<std::map<std::string, std::string>> credentials;
  std::optional<ats_connection_settings> settings;
  bool rotate_webhook_secret = false;
};

struct ats_test_result {
  bool ok = false;
  std::string detail;  // safe note: "HTTP 401 from /token", "ok: 3 jobs visible"
  ats_connection_view connection;
};

struct ats_history_entry {
  std::string at;
  std::optional<std::string> from;
  std::string to;
  std::string event;
  std::uint32_t consecutive_failures = 0;
  std::string reason;
};

struct ats_log_entry {
  std::int64_t id = 0;
  std::string at;
  std::string direction;  // outbound | inbound
  std::string endpoint;   // path template, no query
  std::optional<int> status;
  int duration_ms = 0;
  std::optional<std::string> error;
};

struct ats_log_page {
  std::vector<ats_log_entry> entries;
  std::optional<std::int64_t> next_before_id;  // absent on the last page
};

// ---- jobs ---------------------------------------------------------------------------------------

/// One job stage (Greenhouse job interview stage / Lever pipeline stage).
struct ats_stage_view {
  std::string id;  // the vendor's stage id
  std::string name;
  std::optional<int> sort_order;
};

struct job_summary {
  std::string id;             // our job posting id (uuid)
  std::string connection_id;
  std::string vendor;
  std::string external_id;
  std::string title;
  std::string ats_status;     // draft | open | closed (the vendor's)
  std::string posting_state;  // imported | draft | ready | open | closed | archived (ours)
  std::string department;
  std::string location;
  std::int64_t applications = 0;
  bool has_local_edits = false;
  std::string updated_at;
};

struct job_detail {
  job_summary summary;
  std::string description_html;  // vendor HTML: the SPA sanitizes before rendering
  std::string requirements;
  std::optional<std::string> opened_at;
  std::optional<std::string> closed_at;
  /// Fields a recruiter edited: the sync keeps our value. `conflicts` lists the ones where the ATS
  /// now has a different value than when the edit was made (shown as "ATS changed this").
  std::vector<std::string> overridden_fields;
  std::vector<std::string> conflicts;
  std::vector<ats_stage_view> stages;
  std::optional<std::string> shortlist_stage_id;  // entering it raises "application reached stage"
  /// Issue 5: the job's approved interview template version (uuid of the version row that
  /// invitations lock onto) and its number; mark_ready ("ready to invite") requires one.
  std::optional<std::string> approved_template_version_id;
  std::optional<std::int32_t> approved_template_version;
  std::int64_t version = 1;
};

struct job_filter {
  std::optional<std::string> connection_id;
  std::optional<std::string> posting_state;
  std::optional<std::string> ats_status;
  std::optional<std::string> q;  // case-insensitive title substring
  int limit = 50;                // 1..200
  std::optional<std::string> cursor;
};

struct job_page {
  std::vector<job_summary> jobs;
  std::optional<std::string> next_cursor;
};

/// PATCH /jobs/{job}: each present text field becomes a local override (kept across syncs);
/// `revert` drops overrides so the next sync (and this answer) shows the ATS value again.
struct job_edit {
  std::optional<std::string> title;
  std::optional<std::string> department;
  std::optional<std::string> location;
  std::optional<std::string> description_html;
  std::optional<std::string> requirements;
  std::vector<std::string> revert;
  /// Present: set (a stage id of this job) or clear (empty string) the shortlist stage.
  std::optional<std::string> shortlist_stage_id;
};

// ---- candidates and applications ------------------------------------------------------------------

struct candidate_view {
  std::string id;           // our candidate id (uuid)
  std::string external_id;
  bool anonymized = false;
  bool can_email = true;
  // PII: only with include_pii.
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> email;  // the first "personal" address, else the first
};

struct application_view {
  std::string id;           // our application id (uuid)
  std::string external_id;
  std::string status;       // active | rejected | hired | converted
  ats_stage_view stage;
  candidate_view candidate;
  std::string updated_at;
};

struct application_filter {
  std::optional<std::string> stage_id;
  std::optional<std::string> status;
  int limit = 100;  // 1..500
  std::optional<std::string> cursor;
};

struct application_page {
  std::vector<application_view> applications;
  std::optional<std::string> next_cursor;
};

/// "Application reached stage": raised when an application enters the job's shortlist stage.
struct stage_event_view {
  std::int64_t id = 0;
  std::string job_id;
  std::string application_id;
  std::string stage_id;
  std::string stage_name;
  std::string status;  // pending (nothing consumes them yet)
  std::string at;
};

// ---- webhooks -------------------------------------------------------------------------------------

/// One inbound delivery as http/ received it. Header names lower case.
struct webhook_delivery {
  std::string vendor;         // from the path: greenhouse | lever
  std::string connection_id;  // from the path
  std::string raw_body;       // exactly the received bytes
  std::map<std::string, std::string> headers;
  actor_ref who;              // ip / request id for the log (no PII)
};

enum class webhook_outcome { accepted, duplicate, ping };

/// Errors: not_found (unknown / malformed connection id, or the vendor in the path is not the
/// connection's), unauthorized (bad / missing signature, stale Lever triggeredAt: 401),
/// invalid_argument (not JSON after a valid signature), illegal_transition (disconnected: 410 is
/// not used; answers 404 like unknown), unavailable (database down: 503 so the vendor retries).
struct webhook_ack {
  webhook_outcome outcome = webhook_outcome::accepted;
};

class ats_service {
 public:
  virtual ~ats_service() = default;

  // Connections.
  virtual void list_connections(org_id org, ats_callback<std::vector<ats_connection_view>> cb) = 0;
  virtual void get_connection(org_id org, std::string id, ats_callback<ats_connection_view> cb) = 0;
  virtual void create_connection(org_id org, ats_connection_create req, principal p, actor_ref who,
                                 ats_callback<ats_connection_created> cb) = 0;
  /// if_match: the view's version (precondition_failed / version_conflict when stale).
  virtual void update_connection(org_id org, std::string id, ats_connection_patch patch,
                                 std::optional<std::int64_t> if_match, principal p, actor_ref who,
                                 ats_callback<ats_connection_created> cb) = 0;
  /// Terminal: secrets wiped, worker stopped; imported data stays (read-only history).
  virtual void disconnect_connection(org_id org, std::string id, principal p, actor_ref who,
                                     ats_callback<ats_connection_view> cb) = 0;
  /// Only a disconnected connection; its jobs/candidates/applications are deleted too.
  virtual void delete_connection(org_id org, std::string id, principal p, actor_ref who,
                                 ats_callback<unit> cb) = 0;
  /// Runs the vendor's credential check now (bounded by ats.call-timeout) and records the FSM step.
  virtual void test_connection(org_id org, std::string id, principal p, actor_ref who,
                               ats_callback<ats_test_result> cb) = 0;
  /// Schedules a pull at once; answers when it is queued (the view shows syncing = true).
  /// illegal_transition when pending (test first) or disconnected.
  virtual void sync_now(org_id org, std::string id, principal p, actor_ref who,
                        ats_callback<ats_connection_view> cb) = 0;
  virtual void connection_history(org_id org, std::string id,
                                  ats_callback<std::vector<ats_history_entry>> cb) = 0;
  virtual void integration_log(org_id org, std::string id, int limit,
                               std::optional<std::int64_t> before_id, ats_callback<ats_log_page> cb) = 0;

  // Jobs.
  virtual void list_jobs(org_id org, job_filter f, ats_callback<job_page> cb) = 0;
  virtual void get_job(org_id org, std::string job_id, ats_callback<job_detail> cb) = 0;
  virtual void update_job(org_id org, std::string job_id, job_edit edit,
                          std::optional<std::int64_t> if_match, principal p, actor_ref who,
                          ats_callback<job_detail> cb) = 0;
  /// A recruiter-driven job_posting_fsm event: claim | mark_ready | revise | open | close |
  /// reopen | archive (illegal_transition when the table refuses it).
  virtual void transition_job(org_id org, std::string job_id, std::string event,
                              std::optional<std::int64_t> if_match, principal p, actor_ref who,
                              ats_callback<job_detail> cb) = 0;

  // Applications.
  virtual void list_applications(org_id org, std::string job_id, application_filter f, bool include_pii,
                                 ats_callback<application_page> cb) = 0;
  virtual void list_stage_events(org_id org, std::string job_id,
                                 ats_callback<std::vector<stage_event_view>> cb) = 0;

  // Webhooks (public route; the signature is the authentication).
  virtual void receive_webhook(webhook_delivery d, ats_callback<webhook_ack> cb) = 0;
};

}  // namespace hw
