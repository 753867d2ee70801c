#include "storage/job_queue.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "storage/pg.hpp"

namespace hw::storage {

namespace {

// Clock readings are bound as epoch microseconds and converted in SQL; results come back the
// same way (extract(epoch) is numeric in PG 14+, so the round trip is exact to the microsecond).
#define HW_TS(n) "to_timestamp($" #n "::bigint / 1000000.0)"
#define HW_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define HW_RFC3339(expr) "to_char(" expr " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define HW_JOB_COLUMNS                                                                   \
  "j.org_id::text AS org_id, j.id AS id, j.kind AS kind, j.args::text AS args,"          \
  " j.attempt AS attempt, j.max_attempts AS max_attempts, j.state AS state,"             \
  " coalesce(j.attempted_by, '') AS attempted_by,"                                       \
  " " HW_US("j.scheduled_at") " AS scheduled_us, " HW_US("j.lease_until") " AS lease_us," \
  " j.errors::text AS errors"

// The fencing predicate: only the holder of (attempt, attempted_by) of a running job may touch it.
#define HW_FENCE \
  "org_id = $1::uuid AND id = $2 AND state = 'running' AND attempt = $3 AND attempted_by = $4"

// The claim, per section 2.4: MATERIALIZED keeps the planner from re-running the LIMITed,
// locking subquery per outer row (Oban's fence).
#define HW_CLAIM(kind_filter)                                                             \
  "WITH c AS MATERIALIZED ("                                                              \
  "  SELECT org_id, id FROM jobs"                                                         \
  "   WHERE state IN ('available', 'retryable', 'scheduled')"                             \
  "     AND scheduled_at <= " HW_TS(1) kind_filter                                        \
  "   ORDER BY scheduled_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),"                        \
  " u AS ("                                                                               \
  "  UPDATE jobs j SET state = 'running', attempt = j.attempt + 1,"                       \
  "   attempted_at = " HW_TS(1) ", lease_until = " HW_TS(3) ", attempted_by = $4"         \
  "  FROM c WHERE j.org_id = c.org_id AND j.id = c.id"                                    \
  "  RETURNING " HW_JOB_COLUMNS ")"                                                       \
  " SELECT * FROM u ORDER BY scheduled_us, id"

std::chrono::system_clock::time_point from_epoch_us(std::int64_t us) {
  return std::chrono::system_clock::time_point{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds{us})};
}

std::optional<job_state> parse_state(std::string_view s) {
  for (auto st :
       {job_state::available, job_state::scheduled, job_state::running, job_state::retryable,
        job_state::completed, job_state::discarded, job_state::cancelled}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

job row_to_job(const pqxx::row& r) {
  job j;
  j.org = org_id{r["org_id"].as<std::string>()};
  j.id = r["id"].as<std::int64_t>();
  j.kind = r["kind"].as<std::string>();
  j.args = r["args"].as<std::string>();
  j.attempt = r["attempt"].as<int>();
  j.max_attempts = r["max_attempts"].as<int>();
  auto st = parse_state(r["state"].as<std::string>());
  if (!st) throw pqxx::conversion_error{"jobs.state holds an unknown state"};
  j.state = *st;
  j.attempted_by = r["attempted_by"].as<std::string>();
  j.scheduled_at = from_epoch_us(r["scheduled_us"].as<std::int64_t>());
  if (!r["lease_us"].is_null()) j.lease_until = from_epoch_us(r["lease_us"].as<std::int64_t>());
  j.errors = r["errors"].as<std::string>();
  return j;
}

// Error messages go into jsonb: cut at a UTF-8 boundary (a split code point would be rejected
// by the server) and drop NULs (text cannot hold them).
std::string clean_message(const std::string& m) {
  constexpr std::size_t max_bytes = 2000;
  std::string out;
  out.reserve(std::min(m.size(), max_bytes));
  for (char ch : m) {
    if (ch != '\0') out += ch;
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

const char* nullable_key(const std::optional<std::string>& k) { return k ? k->c_str() : nullptr; }

std::int64_t us(time_point t) { return to_epoch_us(t); }
std::int64_t us(time_point t, std::chrono::milliseconds d) { return to_epoch_us(t + d); }

}  // namespace

std::string_view to_string(job_state s) noexcept {
  switch (s) {
    case job_state::available:
      return "available";
    case job_state::scheduled:
      return "scheduled";
    case job_state::running:
      return "running";
    case job_state::retryable:
      return "retryable";
    case job_state::completed:
      return "completed";
    case job_state::discarded:
      return "discarded";
    case job_state::cancelled:
      return "cancelled";
  }
  return "available";
}

job_lease lease_of(const job& j) { return job_lease{j.org, j.id, j.attempt, j.attempted_by}; }

// Discard when permanent ($7) or when this was the last allowed attempt.
#define HW_FAIL_FINAL "$7::boolean OR attempt >= max_attempts"

void prepare_job_statements(pqxx::connection_base& c) {
  c.prepare("job_enqueue",
            "INSERT INTO jobs (org_id, kind, args, state, max_attempts, scheduled_at, unique_key,"
            "                  created_at)"
            " VALUES ($1::uuid, $2, $3::jsonb, $4, $5, " HW_TS(6) ", $7, " HW_TS(8) ")"
            " ON CONFLICT (org_id, unique_key)"
            "  WHERE unique_key IS NOT NULL"
            "    AND state NOT IN ('completed', 'discarded', 'cancelled')"
            " DO NOTHING RETURNING id");
  c.prepare("job_notify", "SELECT pg_notify('job_ready', $1)");
  c.prepare("job_claim", HW_CLAIM(""));
  c.prepare("job_claim_kinds", HW_CLAIM(" AND kind = ANY ($5::text[])"));
  c.prepare("job_heartbeat",
            "UPDATE jobs SET lease_until = " HW_TS(5) " WHERE " HW_FENCE " RETURNING id");
  c.prepare("job_complete",
            "UPDATE jobs SET state = 'completed', finalized_at = " HW_TS(5) ", lease_until = NULL"
            " WHERE " HW_FENCE " RETURNING id");
  // Otherwise retry at $6. SET expressions see the row before the update, so `attempt` is the
  // attempt that failed.
  c.prepare("job_fail",
            "UPDATE jobs SET"
            " state = CASE WHEN " HW_FAIL_FINAL " THEN 'discarded' ELSE 'retryable' END,"
            " scheduled_at = CASE WHEN " HW_FAIL_FINAL " THEN scheduled_at ELSE " HW_TS(6) " END,"
            " finalized_at = CASE WHEN " HW_FAIL_FINAL " THEN " HW_TS(5) " END,"
            " lease_until = NULL,"
            " errors = errors || jsonb_build_array(jsonb_build_object("
            "   'at', " HW_RFC3339(HW_TS(5)) ", 'attempt', attempt,"
            "   'message', $8::text, 'permanent', $7::boolean))"
            " WHERE " HW_FENCE " RETURNING state");
  // Expired leases: the worker died or stalled. SKIP LOCKED: a row a live worker is finishing
  // right now is left to it.
  c.prepare("job_sweep",
            "WITH x AS MATERIALIZED (SELECT org_id, id FROM jobs"
            "  WHERE state = 'running' AND lease_until < " HW_TS(1) " FOR UPDATE SKIP LOCKED)"
            " UPDATE jobs j SET"
            " state = CASE WHEN j.attempt >= j.max_attempts THEN 'discarded' ELSE 'retryable' END,"
            " scheduled_at = CASE WHEN j.attempt >= j.max_attempts THEN j.scheduled_at"
            "                     ELSE " HW_TS(2) " END,"
            " finalized_at = CASE WHEN j.attempt >= j.max_attempts THEN " HW_TS(1) " END,"
            " lease_until = NULL,"
            " errors = j.errors || jsonb_build_array(jsonb_build_object("
            "   'at', " HW_RFC3339(HW_TS(1)) ", 'attempt', j.attempt,"
            "   'message', 'lease expired', 'permanent', false))"
            " FROM x WHERE j.org_id = x.org_id AND j.id = x.id");
  c.prepare("job_retry_discarded",
            "UPDATE jobs SET state = 'available',"
            " max_attempts = greatest(max_attempts, attempt + 1),"
            " scheduled_at = " HW_TS(3) ", finalized_at = NULL, lease_until = NULL"
            " WHERE org_id = $1::uuid AND id = $2 AND state = 'discarded' RETURNING id");
  c.prepare("job_promote_due",
            "UPDATE jobs SET state = 'available'"
            " WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= " HW_TS(1));
  c.prepare("job_find",
            "SELECT " HW_JOB_COLUMNS " FROM jobs j WHERE j.org_id = $1::uuid AND j.id = $2");
  c.prepare("job_queue_depth",
            "SELECT kind, state, count(*) FROM jobs WHERE finalized_at IS NULL"
            " GROUP BY kind, state ORDER BY kind, state");
}

std::optional<std::int64_t> enqueue(pqxx::transaction_base& tx, const org_id& org,
                                    const std::string& kind, const std::string& args_json,
                                    time_point now, const enqueue_options& opt) {
  set_tenant(tx, org);  // idempotent when the caller's transaction already set it
  const auto run_at = opt.run_at.value_or(now);
  const bool later = run_at > now;
  auto r =
      tx.exec_prepared("job_enqueue", org.value, kind, args_json,
                       std::string{to_string(later ? job_state::scheduled : job_state::available)},
                       opt.max_attempts, us(run_at), nullable_key(opt.unique_key), us(now));
  if (r.empty()) return std::nullopt;  // a live job with this unique_key exists
  // Delivered only if the caller commits. The payload is the kind alone, so identical
  // notifications in one transaction fold into one.
  if (!later) tx.exec_prepared("job_notify", kind);
  return r[0][0].as<std::int64_t>();
}

result<std::vector<job>> claim(pqxx::connection_base& c, const std::vector<std::string>& kinds,
                               const std::string& worker, int limit,
                               std::chrono::milliseconds lease, time_point now) {
  if (limit <= 0) return std::vector<job>{};
  try {
    // One statement in its own transaction: the claim is durable when it returns. The queue spans
    // every organization, so this is one of the explicit system-scope transactions (0007).
    pqxx::work tx{c, "job_claim"};
    set_system_scope(tx);
    auto r = kinds.empty() ? tx.exec_prepared("job_claim", us(now), limit, us(now, lease), worker)
                           : tx.exec_prepared("job_claim_kinds", us(now), limit, us(now, lease),
                                              worker, text_array_literal(kinds));
    std::vector<job> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(row_to_job(row));
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "job_claim");
  }
}

result<bool> heartbeat(pqxx::connection_base& c, const job_lease& l,
                       std::chrono::milliseconds lease, time_point now) {
  if (!is_uuid(l.org.value)) return false;
  try {
    pqxx::work tx{c, "job_heartbeat"};
    set_tenant(tx, l.org);
    auto r =
        tx.exec_prepared("job_heartbeat", l.org.value, l.id, l.attempt, l.worker, us(now, lease));
    tx.commit();
    return !r.empty();
  } catch (...) {
    return map_exception(std::current_exception(), "job_heartbeat");
  }
}

result<bool> complete(pqxx::connection_base& c, const job_lease& l, time_point now) {
  if (!is_uuid(l.org.value)) return false;
  try {
    pqxx::work tx{c, "job_complete"};
    set_tenant(tx, l.org);
    auto r = tx.exec_prepared("job_complete", l.org.value, l.id, l.attempt, l.worker, us(now));
    tx.commit();
    if (r.empty()) {
      spdlog::warn("job complete refused: lease lost org_id={} job_id={} attempt={}", l.org.value,
                   l.id, l.attempt);
    }
    return !r.empty();
  } catch (...) {
    return map_exception(std::current_exception(), "job_complete");
  }
}

result<fail_outcome> fail(pqxx::connection_base& c, const job_lease& l, const std::string& message,
                          std::chrono::milliseconds retry_delay, bool permanent, time_point now) {
  if (!is_uuid(l.org.value)) return fail_outcome::lease_lost;
  try {
    pqxx::work tx{c, "job_fail"};
    set_tenant(tx, l.org);
    auto r = tx.exec_prepared("job_fail", l.org.value, l.id, l.attempt, l.worker, us(now),
                              us(now, retry_delay), permanent, clean_message(message));
    tx.commit();
    if (r.empty()) {
      spdlog::warn("job fail refused: lease lost org_id={} job_id={} attempt={}", l.org.value, l.id,
                   l.attempt);
      return fail_outcome::lease_lost;
    }
    return r[0][0].as<std::string>() == "discarded" ? fail_outcome::discarded
                                                    : fail_outcome::retry_scheduled;
  } catch (...) {
    return map_exception(std::current_exception(), "job_fail");
  }
}

result<int> sweep_expired(pqxx::connection_base& c, time_point now,
                          std::chrono::milliseconds backoff) {
  try {
    pqxx::work tx{c, "job_sweep"};
    set_system_scope(tx);  // expired leases of every organization
    auto r = tx.exec_prepared("job_sweep", us(now), us(now, backoff));
    tx.commit();
    const auto n = static_cast<int>(r.affected_rows());
    if (n > 0) spdlog::warn("job sweep: {} expired lease(s) returned to the queue or discarded", n);
    return n;
  } catch (...) {
    return map_exception(std::current_exception(), "job_sweep");
  }
}

result<bool> retry_discarded(pqxx::connection_base& c, const org_id& org, std::int64_t id,
                             time_point now) {
  if (!is_uuid(org.value)) return false;
  try {
    pqxx::work tx{c, "job_retry_discarded"};
    set_tenant(tx, org);
    auto r = tx.exec_prepared("job_retry_discarded", org.value, id, us(now));
    tx.commit();
    return !r.empty();
  } catch (...) {
    return map_exception(std::current_exception(), "job_retry_discarded");
  }
}

result<int> promote_due(pqxx::connection_base& c, time_point now) {
  try {
    pqxx::work tx{c, "job_promote_due"};
    set_system_scope(tx);  // due jobs of every organization
    auto r = tx.exec_prepared("job_promote_due", us(now));
    tx.commit();
    return static_cast<int>(r.affected_rows());
  } catch (...) {
    return map_exception(std::current_exception(), "job_promote_due");
  }
}

result<std::optional<job>> find_job(pqxx::connection_base& c, const org_id& org, std::int64_t id) {
  if (!is_uuid(org.value)) return std::optional<job>{};
  try {
    pqxx::read_transaction tx{c, "job_find"};
    set_tenant(tx, org);
    auto r = tx.exec_prepared("job_find", org.value, id);
    tx.commit();
    if (r.empty()) return std::optional<job>{};
    return std::optional<job>{row_to_job(r[0])};
  } catch (...) {
    return map_exception(std::current_exception(), "job_find");
  }
}

result<std::vector<queue_depth_row>> queue_depth(pqxx::connection_base& c) {
  try {
    pqxx::read_transaction tx{c, "job_queue_depth"};
    set_system_scope(tx);  // counts over every organization, for /metrics
    auto r = tx.exec_prepared("job_queue_depth");
    tx.commit();
    std::vector<queue_depth_row> out;
    out.reserve(r.size());
    for (const auto& row : r) {
      out.push_back(queue_depth_row{row[0].as<std::string>(), row[1].as<std::string>(),
                                    row[2].as<std::int64_t>()});
    }
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "job_queue_depth");
  }
}

}  // namespace hw::storage
