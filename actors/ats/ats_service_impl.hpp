#pragma once
// hw::ats_service (actors/domain/ats_service.hpp) on the actor system. Storage calls run as
// db_tasks on the db pool (actors/db/db_task.hpp); vendor calls go through the ATS supervisor
// (actors/ats/ats_protocol.hpp): test / sync requests, reload after every connection change, a
// short status question for `syncing`, a hook nudge after an accepted webhook.
//
// Credentials at rest: credentials_enc = keys->seal(JSON object of the credential map,
// credential_aad(org, id)); webhook_secret_enc = seal(secret, same aad): a generated
// random_secret() for vendors where we choose it (Greenhouse), Lever's `webhook_signature_token`
// credential (taken out of the map before sealing it). The settings JSON keeps
// {"sync_interval_minutes": N, "credential_fields": [names]} so views list field names without
// decrypting anything. Nothing here logs or returns a credential value.
//
// receive_webhook: the connection's target (org, vendor, state, sealed + opened webhook secret)
// comes from a short-TTL cache (dropped on every change made here; a signature mismatch against
// a cached secret re-reads it once), the signature is checked on the calling thread, then the
// delivery joins a queue that a writer drains into ONE transaction per batch
// (storage::ingest_webhook_batch: inbox rows; log lines and counts of duplicates and refusals).
// Each delivery is answered only after that COMMIT; a failed batch answers unavailable (the vendor
// retries). Then the supervisor is told which connections got rows (ats_hook_atom): its next claim
// ensures their processing jobs (migration 0019: the inbox is the queue).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/ats/credential_box.hpp"
#include "actors/domain/ats_service.hpp"

namespace hw::actors {

struct ats_service_options {
  std::string public_origin;                       // "http://127.0.0.1:8080": webhook URLs
  std::chrono::milliseconds db_timeout{6000};      // one db_task round trip
  std::chrono::milliseconds test_timeout{60000};   // waiting for the supervisor's test answer
  // Lever triggeredAt window. Not applied yet: vendor_registry's verify_webhook fixes it at
  // ats::lever_signature_window (±5 minutes); kept for the bootstrap wiring.
  std::int64_t lever_max_skew_ms = 300000;
  // Webhook intake (no config keys yet; these defaults are what bench/ats measured).
  std::chrono::milliseconds webhook_target_ttl{60000};  // cached connection id -> secret; 0: no cache
  std::size_t webhook_batch_limit = 256;                // deliveries per transaction
  std::size_t webhook_queue_limit = 4096;               // waiting beyond this: unavailable (503)
  int webhook_writers = 1;                              // batches in flight at once (bench/ats: 1 beats 2)
  // The webhook writers' own db pool (webhook_writers connections that run nothing else): their
  // sessions keep the tenant, so a batch is one round trip (storage::ingest_session::dedicated).
  // Invalid (tests): batches run on the shared pool, settings local to each transaction.
  caf::actor webhook_db;
  // Group-commit linger: a free writer starts a batch once the oldest waiting delivery has waited
  // this long (or batch_limit are waiting), so under load a transaction takes more deliveries and
  // costs less per delivery; under light load a delivery's answer comes this much later. 0: at once.
  std::chrono::microseconds webhook_linger{0};
};

class job_posting_client;

class ats_service_impl final : public hw::ats_service {
 public:
  /// `supervisor` may be invalid (tests): then reload / hook nudges are dropped, status is false,
  /// and test / sync answer unavailable. `clock` defaults to the system clock.
  ats_service_impl(caf::actor_system& sys, caf::actor db_pool, caf::actor supervisor,
                   std::shared_ptr<const ats::credential_key_ring> keys, ats_service_options opt,
                   std::function<std::chrono::system_clock::time_point()> clock = {});
  ~ats_service_impl() override;
  ats_service_impl(const ats_service_impl&) = delete;
  /// Routes get_job / update_job / transition_job through the job posting entities (one actor per
  /// job: decides with the pure FSM, persists with CAS, then replies). Without it (tests), those
  /// calls go to storage directly. Call before serving.
  void use_job_postings(std::shared_ptr<job_posting_client> jobs) { jobs_ = std::move(jobs); }
  ats_service_impl& operator=(const ats_service_impl&) = delete;

  void list_connections(org_id org, ats_callback<std::vector<ats_connection_view>> cb) override;
  void get_connection(org_id org, std::string id, ats_callback<ats_connection_view> cb) override;
  void create_connection(org_id org, ats_connection_create req, principal p, actor_ref who,
                         ats_callback<ats_connection_created> cb) override;
  void update_connection(org_id org, std::string id, ats_connection_patch patch,
                         std::optional<std::int64_t> if_match, principal p, actor_ref who,
                         ats_callback<ats_connection_created> cb) override;
  void disconnect_connection(org_id org, std::string id, principal p, actor_ref who,
                             ats_callback<ats_connection_view> cb) override;
  void delete_connection(org_id org, std::string id, principal p, actor_ref who,
                         ats_callback<unit> cb) override;
  void test_connection(org_id org, std::string id, principal p, actor_ref who,
                       ats_callback<ats_test_result> cb) override;
  void sync_now(org_id org, std::string id, principal p, actor_ref who,
                ats_callback<ats_connection_view> cb) override;
  void connection_history(org_id org, std::string id,
                          ats_callback<std::vector<ats_history_entry>> cb) override;
  void integration_log(org_id org, std::string id, int limit, std::optional<std::int64_t> before_id,
                       ats_callback<ats_log_page> cb) override;

  void list_jobs(org_id org, job_filter f, ats_callback<job_page> cb) override;
  void get_job(org_id org, std::string job_id, ats_callback<job_detail> cb) override;
  void update_job(org_id org, std::string job_id, job_edit edit, std::optional<std::int64_t> if_match,
                  principal p, actor_ref who, ats_callback<job_detail> cb) override;
  void transition_job(org_id org, std::string job_id, std::string event,
                      std::optional<std::int64_t> if_match, principal p, actor_ref who,
                      ats_callback<job_detail> cb) override;

  void list_applications(org_id org, std::string job_id, application_filter f, bool include_pii,
                         ats_callback<application_page> cb) override;
  void list_stage_events(org_id org, std::string job_id,
                         ats_callback<std::vector<stage_event_view>> cb) override;

  void receive_webhook(webhook_delivery d, ats_callback<webhook_ack> cb) override;

 private:
  struct impl;
  std::shared_ptr<impl> d_;
  std::shared_ptr<job_posting_client> jobs_;
};

}  // namespace hw::actors
