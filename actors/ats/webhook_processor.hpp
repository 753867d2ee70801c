#pragma once
// Processing of one claimed webhook job (kind storage::ats_webhook_job_kind) as a plain function,
// so the sync worker calls it and tests run it synchronously. Args:
// - {"connection_id":"<uuid>"} (migration 0019: the inbox is the queue): up to `rows_per_run` of
//   the connection's rows still received, oldest first; after completing, the next job when rows
//   are left (storage::ensure_webhook_jobs: the ones that came meanwhile, or did not fit);
// - {"inbox_ids":[N,...],"connection_id":"<uuid>"} (a group-commit batch before 0019) or
//   {"inbox_id":N,...} (one delivery): those rows.
// Per inbox row in order: load it, interpret the stored payload with the vendor's rules
// (actors/domain/ats_webhook_hint.hpp), apply it as a HINT through the sync engine (re-fetch from
// the vendor API, store the vendor's current state) and mark it processed (which counts it
// received); then complete the job. A vendor failure sends an id-list job back to the queue with
// backoff (storage::fail; rows done already are skipped next time). In a connection's queue the
// failed row stays pending and the next rows go on (3 failures in a row stop the run): when none
// went through the job backs off, otherwise it completes and the next job retries the failed rows
// first, so one row the vendor keeps failing on does not hold up the others. A malformed delivery
// is marked processed and reported, and an id-list job whose rows were all malformed is
// dead-lettered.
// Replays are harmless: the store is idempotent.
//
// Blocking: call from the connection's sync worker (or a test).
#include <chrono>
#include <functional>
#include <string>

#include "actors/ats/connector.hpp"
#include "actors/domain/result.hpp"
#include "actors/domain/retry_policy.hpp"
#include "storage/job_queue.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::ats {

enum class webhook_step {
  processed,        // applied (or nothing to do), inbox row processed, job completed
  retry_scheduled,  // the vendor or the store failed; the job runs again later
  discarded,        // malformed or not this connection's: dead-lettered
  lease_lost,       // another worker owns the job now; nothing recorded
};
const char* to_string(webhook_step s) noexcept;

struct webhook_job_context {
  std::string connection_id;
  std::string vendor;                 // greenhouse | lever
  connector* conn = nullptr;          // null: credentials unusable (the job is retried)
  domain::retry_policy retry{std::chrono::milliseconds{5'000}, std::chrono::milliseconds{600'000}, 0.0};
  std::function<storage::time_point()> now;
  double jitter = 1.0;                // the retry draw in [0, 1)
  int rows_per_run = 100;             // a {"connection_id"} job: pending rows per run
};

/// Processes `j`, which this caller claimed. Database failures are returned (errc::unavailable:
/// reconnect; the lease runs out and the job is swept back); everything else is an outcome.
/// `note` (optional) receives a safe one-line description for the log.
result<webhook_step> process_webhook_job(pqxx::connection_base& c, const storage::job& j,
                                         const webhook_job_context& ctx, std::string* note = nullptr);

}  // namespace hw::ats
