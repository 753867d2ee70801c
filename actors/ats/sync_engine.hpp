#pragma once
// The ATS sync engine (issue 4): plain C++, no CAF. One connection's pull and webhook-hint
// handling over a `connector` (the vendor) and a `sync_store` (our copy), so it is tested with a
// fake connector and a fake store, and run for real by the connection's sync worker with a
// pg_sync_store over its own PostgreSQL connection.
//
//   run_pull      since = watermark - look_back (everything when there is no watermark yet);
//                 every page goes through the store (one transaction per page, idempotent);
//                 after a COMPLETE pull the watermark becomes the newest updated_at seen (the
//                 store never moves it backwards). A failed pull keeps the pages it wrote and the
//                 old watermark, so the next run re-reads them (a no-op) and continues.
//   process_hint  a webhook delivery is a hint: re-fetch the named record and store the vendor's
//                 current state (a 404 deletes / archives our copy); deletions, merges and
//                 anonymizations act on the ids (nothing is left to re-fetch).
//
// Blocking (the connector and the store block): call from the worker's thread or a test.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/ats/connector.hpp"
#include "actors/domain/ats_webhook_hint.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/ats_import_repo.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::ats {

/// Where imported records go: one connection's slice of storage (pg_sync_store) or a test fake.
class sync_store {
 public:
  virtual ~sync_store() = default;
  virtual result<storage::ats_upsert_counts> upsert_stages(const std::vector<domain::ats_stage>& v) = 0;
  virtual result<storage::ats_upsert_counts> upsert_jobs(const std::vector<domain::ats_job>& v) = 0;
  virtual result<storage::ats_upsert_counts> upsert_candidates(const std::vector<domain::ats_candidate>& v) = 0;
  virtual result<storage::ats_upsert_counts> upsert_applications(const std::vector<domain::ats_application>& v) = 0;
  virtual result<unit> archive_job(const std::string& job_id) = 0;
  virtual result<unit> delete_application(const std::string& application_id) = 0;
  virtual result<unit> delete_candidate(const std::string& candidate_id,
                                        const std::vector<std::string>& application_ids) = 0;
  virtual result<unit> merge_candidate(const std::string& loser_id, const std::string& winner_id) = 0;
  virtual result<unit> anonymize_candidate(const std::string& candidate_id) = 0;
  virtual result<std::optional<epoch_ms>> load_watermark() = 0;
  /// Never moves the stored watermark backwards.
  virtual result<unit> save_watermark(epoch_ms watermark) = 0;
};

/// The watermark resource name of a full pull (storage/ats_import_repo load/save_ats_watermark).
inline constexpr const char* pull_watermark_resource = "pull";

/// sync_store over storage/ats_import_repo on one PostgreSQL connection (not owned).
class pg_sync_store final : public sync_store {
 public:
  pg_sync_store(pqxx::connection_base& c, org_id org, std::string connection_id,
                std::function<storage::time_point()> now);
  result<storage::ats_upsert_counts> upsert_stages(const std::vector<domain::ats_stage>& v) override;
  result<storage::ats_upsert_counts> upsert_jobs(const std::vector<domain::ats_job>& v) override;
  result<storage::ats_upsert_counts> upsert_candidates(const std::vector<domain::ats_candidate>& v) override;
  result<storage::ats_upsert_counts> upsert_applications(const std::vector<domain::ats_application>& v) override;
  result<unit> archive_job(const std::string& job_id) override;
  result<unit> delete_application(const std::string& application_id) override;
  result<unit> delete_candidate(const std::string& candidate_id,
                                const std::vector<std::string>& application_ids) override;
  result<unit> merge_candidate(const std::string& loser_id, const std::string& winner_id) override;
  result<unit> anonymize_candidate(const std::string& candidate_id) override;
  result<std::optional<epoch_ms>> load_watermark() override;
  result<unit> save_watermark(epoch_ms watermark) override;

 private:
  pqxx::connection_base& c_;
  org_id org_;
  std::string conn_;
  std::function<storage::time_point()> now_;
};

struct pull_options {
  std::chrono::milliseconds look_back{3'600'000};  // re-read this much before the watermark
  int page_size = 500;  // each connector clamps to its vendor's maximum (Greenhouse 500, Lever 100)
};

/// Sums of the store's answers for one resource.
struct resource_totals {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t stale = 0;
  std::int64_t stage_events = 0;
  std::int64_t conflicts = 0;  // jobs: overridden fields the ATS changed
};

struct pull_outcome {
  pull_report report;                              // what the connector saw
  std::optional<epoch_ms> since;                   // what was asked for
  std::optional<epoch_ms> watermark;               // the stored watermark after the run
  std::map<std::string, resource_totals> totals;   // "stages", "jobs", "candidates", "applications"
  /// Rows inserted or updated over all resources (0 for an idempotent re-run).
  std::int64_t changed() const;
};

/// One pull of everything changed since the watermark minus the look-back.
result<pull_outcome> run_pull(connector& conn, sync_store& store, const pull_options& opt);

struct hint_outcome {
  std::string what;  // safe note for logs: "application 42 stored", "job 7 archived (404)"
};

/// Applies one webhook hint (see the header comment). ping / ignored do nothing.
result<hint_outcome> process_hint(connector& conn, sync_store& store, const domain::webhook_hint& hint);

}  // namespace hw::ats
