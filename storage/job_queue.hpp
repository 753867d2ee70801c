#pragma once
// The generic job queue (transactional outbox), security-and-reliability.md §2.4.
// Every operation takes `now` from the caller's clock so that leases and backoff are testable
// without sleeping. Claims use FOR UPDATE SKIP LOCKED; completion and failure are fenced by
// (state='running', attempt, attempted_by): a worker that lost its lease cannot overwrite.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}

namespace hw::storage {

using time_point = std::chrono::system_clock::time_point;

/// Prepares the job_* statements on `c` (called by prepare_all, once per connection).
void prepare_job_statements(pqxx::connection_base& c);

enum class job_state { available, scheduled, running, retryable, completed, discarded, cancelled };
std::string_view to_string(job_state s) noexcept;

struct enqueue_options {
  std::optional<std::string> unique_key;      // live duplicates are refused (returns nullopt)
  std::optional<time_point> run_at;           // default: now (state available)
  int max_attempts = 12;
};

struct job {
  org_id org;
  std::int64_t id = 0;
  std::string kind;
  std::string args;          // JSON text
  int attempt = 0;           // after a claim: the attempt being run (1-based)
  int max_attempts = 0;
  job_state state = job_state::available;
  std::string attempted_by;
  time_point scheduled_at;
  std::optional<time_point> lease_until;
  std::string errors;        // JSON array text
};

/// The fencing token a worker holds for a claimed job.
struct job_lease {
  org_id org;
  std::int64_t id = 0;
  int attempt = 0;
  std::string worker;
};

/// Enqueues inside the caller's transaction (the outbox: the business row and its job commit or
/// roll back together) and sends pg_notify('job_ready', kind). Returns the id, or nullopt when a
/// live job with the same unique_key exists.
/// Throws like any statement in the caller's transaction (e.g. pqxx::foreign_key_violation for an
/// unknown org); the caller maps it with map_exception. Needs prepare_job_statements on the
/// connection (prepare_all does it).
std::optional<std::int64_t> enqueue(pqxx::transaction_base& tx, const org_id& org, const std::string& kind,
                                    const std::string& args_json, time_point now, const enqueue_options& opt = {});

/// The fencing token of a claimed job.
job_lease lease_of(const job& j);

/// Claims up to `limit` runnable jobs of `kinds` (all kinds when empty), oldest first, sets them
/// running with lease_until = now + lease.
result<std::vector<job>> claim(pqxx::connection_base& c, const std::vector<std::string>& kinds,
                               const std::string& worker, int limit, std::chrono::milliseconds lease, time_point now);

/// Extends the lease; false when the lease was lost (swept, or completed by someone else).
result<bool> heartbeat(pqxx::connection_base& c, const job_lease& l, std::chrono::milliseconds lease, time_point now);

/// Marks completed; false when the lease was lost (the result is dropped).
result<bool> complete(pqxx::connection_base& c, const job_lease& l, time_point now);

enum class fail_outcome { retry_scheduled, discarded, lease_lost };

/// Records the error; schedules a retry at now + retry_delay, or dead-letters (discarded) when
/// `permanent` or attempts are exhausted.
result<fail_outcome> fail(pqxx::connection_base& c, const job_lease& l, const std::string& message,
                          std::chrono::milliseconds retry_delay, bool permanent, time_point now);

/// Returns jobs whose lease expired (their worker died) to retryable at now + backoff, or to
/// discarded when attempts are exhausted. Returns how many rows it touched.
result<int> sweep_expired(pqxx::connection_base& c, time_point now, std::chrono::milliseconds backoff);

/// Puts a dead-lettered job back in the queue with one more attempt allowed.
result<bool> retry_discarded(pqxx::connection_base& c, const org_id& org, std::int64_t id, time_point now);

/// Moves scheduled/retryable jobs that are due to available (claim also takes due retryable
/// jobs directly; this keeps the state column honest for dashboards). Returns rows touched.
result<int> promote_due(pqxx::connection_base& c, time_point now);

result<std::optional<job>> find_job(pqxx::connection_base& c, const org_id& org, std::int64_t id);

struct queue_depth_row {
  std::string kind;
  std::string state;
  std::int64_t count = 0;
};
/// Counts per (kind, state) of the jobs not yet finalized.
result<std::vector<queue_depth_row>> queue_depth(pqxx::connection_base& c);

}  // namespace hw::storage
