#include "actors/ats/webhook_processor.hpp"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "actors/ats/sync_engine.hpp"
#include "actors/domain/ats_webhook_hint.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"

namespace hw::ats {

const char* to_string(webhook_step s) noexcept {
  switch (s) {
    case webhook_step::processed:
      return "processed";
    case webhook_step::retry_scheduled:
      return "retry_scheduled";
    case webhook_step::discarded:
      return "discarded";
    case webhook_step::lease_lost:
      return "lease_lost";
  }
  return "processed";
}

namespace {

result<webhook_step> give_up(pqxx::connection_base& c, const storage::job_lease& l, const std::string& why,
                             storage::time_point now) {
  auto r = storage::fail(c, l, why, std::chrono::milliseconds{0}, /*permanent=*/true, now);
  if (!r) return std::move(r).error();
  return *r == storage::fail_outcome::lease_lost ? webhook_step::lease_lost : webhook_step::discarded;
}

result<webhook_step> retry_later(pqxx::connection_base& c, const storage::job& j, const storage::job_lease& l,
                                 const std::string& why, const webhook_job_context& ctx) {
  const auto attempt = static_cast<std::uint32_t>(std::max(1, j.attempt));
  auto r = storage::fail(c, l, why, ctx.retry.next_delay(attempt, ctx.jitter), false, ctx.now());
  if (!r) return std::move(r).error();
  switch (*r) {
    case storage::fail_outcome::retry_scheduled:
      return webhook_step::retry_scheduled;
    case storage::fail_outcome::discarded:
      return webhook_step::discarded;
    case storage::fail_outcome::lease_lost:
      return webhook_step::lease_lost;
  }
  return webhook_step::retry_scheduled;
}

bool is_database_failure(const hw::error& e) {
  // The store maps a lost connection to unavailable, but so does the connector for a vendor
  // outage: only the store's detail names the database.
  return e.code == errc::unavailable && e.detail.find("database") != std::string::npos;
}

}  // namespace

namespace {

/// One inbox row of the job: what happened to it.
enum class row_step { done, malformed, retry };

struct row_outcome {
  row_step step = row_step::done;
  std::string why;  // malformed / retry: the reason (safe)
};

/// Interprets and applies one inbox row; marks it processed unless the vendor must be retried.
result<row_outcome> process_inbox_row(pqxx::connection_base& c, const storage::job& j, std::int64_t inbox_id,
                                      const webhook_job_context& ctx, std::string& said) {
  auto entry = storage::load_ats_inbox_entry(c, j.org, inbox_id);
  if (!entry) {
    if (entry.code() != errc::not_found) return std::move(entry).error();
    said = "inbox row " + std::to_string(inbox_id) + " is gone";
    return row_outcome{row_step::malformed, "inbox row not found"};
  }
  if (entry->connection_id != ctx.connection_id) {
    said = "inbox row of another connection";
    return row_outcome{row_step::malformed, "inbox row belongs to another connection"};
  }
  if (entry->status == "processed") {
    said = "inbox row already processed";
    return row_outcome{};
  }
  const auto body = nlohmann::json::parse(entry->payload_json, nullptr, false);
  result<domain::webhook_hint> hint = hw::error{errc::invalid_argument, "unknown vendor"};
  if (ctx.vendor == "greenhouse") hint = domain::interpret_greenhouse_webhook(body);
  else if (ctx.vendor == "lever") hint = domain::interpret_lever_webhook(body);
  auto mark = [&]() -> result<bool> { return storage::inbox_mark_processed(c, j.org, inbox_id, ctx.now()); };
  if (!hint) {
    said = "malformed delivery: " + hint.error().detail;
    auto marked = mark();
    if (!marked) return std::move(marked).error();
    return row_outcome{row_step::malformed, "malformed delivery: " + hint.error().detail};
  }
  if (hint->kind != domain::webhook_hint_kind::ping && hint->kind != domain::webhook_hint_kind::ignored) {
    if (!ctx.conn) {
      said = "no usable credentials";
      return row_outcome{row_step::retry, "connection credentials unusable"};
    }
    pg_sync_store store{c, j.org, ctx.connection_id, ctx.now};
    auto applied = process_hint(*ctx.conn, store, *hint);
    if (!applied) {
      if (is_database_failure(applied.error())) return std::move(applied).error();
      said = hint->action + ": " + applied.error().detail;
      if (applied.code() == errc::invalid_argument && applied.error().detail.rfind("webhook hint", 0) == 0) {
        auto marked = mark();
        if (!marked) return std::move(marked).error();
        return row_outcome{row_step::malformed, applied.error().detail};
      }
      return row_outcome{row_step::retry,
                         std::string{to_string(applied.code())} + ": " + applied.error().detail};
    }
    said = hint->action + ": " + applied->what;
  } else {
    said = hint->action + ": " + std::string{domain::to_string(hint->kind)};
  }
  auto marked = mark();
  if (!marked) return std::move(marked).error();
  return row_outcome{};
}

}  // namespace

result<webhook_step> process_webhook_job(pqxx::connection_base& c, const storage::job& j,
                                         const webhook_job_context& ctx, std::string* note) {
  const auto lease = storage::lease_of(j);
  auto say = [note](std::string s) {
    if (note) *note = std::move(s);
  };
  // {"connection_id"} alone: the connection's rows still received (migration 0019, the inbox is
  // the queue); {"inbox_id": N} (one delivery) or {"inbox_ids": [N, ...]} (a group-commit batch
  // before 0019): those rows.
  std::vector<std::int64_t> ids;
  bool pending = false;
  const auto args = nlohmann::json::parse(j.args, nullptr, false);
  if (args.is_object() && args.contains("inbox_id") && args["inbox_id"].is_number_integer()) {
    ids.push_back(args["inbox_id"].get<std::int64_t>());
  } else if (args.is_object() && args.contains("inbox_ids") && args["inbox_ids"].is_array()) {
    for (const auto& v : args["inbox_ids"]) {
      if (!v.is_number_integer()) {
        ids.clear();
        break;
      }
      ids.push_back(v.get<std::int64_t>());
    }
  } else if (args.is_object() && args.size() == 1 && args.contains("connection_id") &&
             args["connection_id"].is_string()) {
    if (args["connection_id"].get<std::string>() != ctx.connection_id) {
      say("job of another connection");
      return give_up(c, lease, "job of another connection", ctx.now());
    }
    pending = true;
    auto listed = storage::list_pending_webhooks(c, j.org, ctx.connection_id, std::max(1, ctx.rows_per_run));
    if (!listed) return std::move(listed).error();
    ids = std::move(*listed);
  }
  if (ids.empty() && !pending) {
    say("malformed job args");
    return give_up(c, lease,
                   "malformed args: expected {\"connection_id\"}, {\"inbox_id\": N} or {\"inbox_ids\": [N, ...]}",
                   ctx.now());
  }
  // Rows in order; a malformed one is dead-lettered (marked processed, reported) and the rest go
  // on. A vendor failure retries an id-list job later, where the rows done already are skipped. In
  // a connection's queue ({"connection_id"}) the failed row stays pending and the others go on,
  // so one row the vendor keeps failing on does not hold up the rest; after
  // `max_consecutive_failures` in a row the vendor is taken to be failing as a whole and the run
  // stops there.
  constexpr int max_consecutive_failures = 3;
  std::vector<std::string> said_all;
  std::vector<std::string> malformed;
  std::optional<row_outcome> failed;  // the first vendor failure of a queue run
  int failed_rows = 0, consecutive = 0;
  std::size_t seen = 0;
  for (auto id : ids) {
    std::string said;
    auto r = process_inbox_row(c, j, id, ctx, said);
    if (!r) return std::move(r).error();
    ++seen;
    said_all.push_back(std::move(said));
    if (r->step == row_step::retry) {
      if (!pending) {
        say(said_all.back());
        return retry_later(c, j, lease, r->why, ctx);
      }
      if (!failed) failed = *r;
      ++failed_rows;
      if (++consecutive >= max_consecutive_failures) break;
      continue;
    }
    consecutive = 0;
    if (r->step == row_step::malformed) malformed.push_back("inbox " + std::to_string(id) + ": " + r->why);
  }
  if (failed && static_cast<std::size_t>(failed_rows) == seen) {
    // Nothing went through: the vendor (or the credentials) fails as a whole. Back off.
    say(said_all.front() + (seen > 1 ? " (and " + std::to_string(seen - 1) + " more failed)" : std::string{}));
    return retry_later(c, j, lease, failed->why, ctx);
  }
  if (ids.size() == 1) say(said_all.front());
  else
    say(std::to_string(seen) + " deliveries, " + std::to_string(malformed.size()) + " dead-lettered" +
        (failed_rows > 0 ? ", " + std::to_string(failed_rows) + " left for a retry (" + failed->why + ")" : std::string{}));
  if (pending) {
    // The connection's queue: malformed rows are done with (marked processed, reported). After
    // the completion, rows that came meanwhile (their batch's ensure found this job live) or that
    // did not fit into this run get the next job. A crash in between leaves them to the ensure
    // after the next schedule read.
    auto done = storage::complete(c, lease, ctx.now());
    if (!done) return std::move(done).error();
    if (!*done) return webhook_step::lease_lost;
    auto next = storage::ensure_webhook_jobs(c, {storage::webhook_job_target{j.org, ctx.connection_id}}, ctx.now());
    if (!next) return std::move(next).error();
    if (note && *next > 0) *note += "; more are pending: next job queued";
    return webhook_step::processed;
  }
  if (malformed.size() == ids.size()) {
    // Nothing applied: the job itself is dead-lettered with the reason(s).
    std::string why = malformed.front();
    if (malformed.size() > 1) why += " (and " + std::to_string(malformed.size() - 1) + " more)";
    if (ids.size() == 1) why = why.substr(why.find(": ") + 2);
    return give_up(c, lease, why, ctx.now());
  }
  auto done = storage::complete(c, lease, ctx.now());
  if (!done) return std::move(done).error();
  return *done ? webhook_step::processed : webhook_step::lease_lost;
}

}  // namespace hw::ats
