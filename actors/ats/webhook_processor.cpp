#include "actors/ats/webhook_processor.hpp"

#include <algorithm>

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

result<webhook_step> process_webhook_job(pqxx::connection_base& c, const storage::job& j,
                                         const webhook_job_context& ctx, std::string* note) {
  const auto lease = storage::lease_of(j);
  auto say = [note](std::string s) {
    if (note) *note = std::move(s);
  };
  const auto args = nlohmann::json::parse(j.args, nullptr, false);
  if (!args.is_object() || !args.contains("inbox_id") || !args["inbox_id"].is_number_integer()) {
    say("malformed job args");
    return give_up(c, lease, "malformed args: expected {\"inbox_id\": N}", ctx.now());
  }
  const auto inbox_id = args["inbox_id"].get<std::int64_t>();
  auto entry = storage::load_ats_inbox_entry(c, j.org, inbox_id);
  if (!entry) {
    if (entry.code() != errc::not_found) return std::move(entry).error();
    say("inbox row " + std::to_string(inbox_id) + " is gone");
    return give_up(c, lease, "inbox row not found", ctx.now());
  }
  if (entry->connection_id != ctx.connection_id) {
    say("inbox row of another connection");
    return give_up(c, lease, "inbox row belongs to another connection", ctx.now());
  }
  if (entry->status != "processed") {
    const auto body = nlohmann::json::parse(entry->payload_json, nullptr, false);
    result<domain::webhook_hint> hint = hw::error{errc::invalid_argument, "unknown vendor"};
    if (ctx.vendor == "greenhouse") hint = domain::interpret_greenhouse_webhook(body);
    else if (ctx.vendor == "lever") hint = domain::interpret_lever_webhook(body);
    if (!hint) {
      say("malformed delivery: " + hint.error().detail);
      auto marked = storage::inbox_mark_processed(c, j.org, inbox_id, ctx.now());
      if (!marked) return std::move(marked).error();
      return give_up(c, lease, "malformed delivery: " + hint.error().detail, ctx.now());
    }
    if (hint->kind != domain::webhook_hint_kind::ping && hint->kind != domain::webhook_hint_kind::ignored) {
      if (!ctx.conn) {
        say("no usable credentials");
        return retry_later(c, j, lease, "connection credentials unusable", ctx);
      }
      pg_sync_store store{c, j.org, ctx.connection_id, ctx.now};
      auto applied = process_hint(*ctx.conn, store, *hint);
      if (!applied) {
        if (is_database_failure(applied.error())) return std::move(applied).error();
        say(hint->action + ": " + applied.error().detail);
        if (applied.code() == errc::invalid_argument && applied.error().detail.rfind("webhook hint", 0) == 0) {
          auto marked = storage::inbox_mark_processed(c, j.org, inbox_id, ctx.now());
          if (!marked) return std::move(marked).error();
          return give_up(c, lease, applied.error().detail, ctx.now());
        }
        return retry_later(c, j, lease, std::string{to_string(applied.code())} + ": " + applied.error().detail, ctx);
      }
      say(hint->action + ": " + applied->what);
    } else {
      say(hint->action + ": " + std::string{domain::to_string(hint->kind)});
    }
    auto marked = storage::inbox_mark_processed(c, j.org, inbox_id, ctx.now());
    if (!marked) return std::move(marked).error();
  } else {
    say("inbox row already processed");
  }
  auto done = storage::complete(c, lease, ctx.now());
  if (!done) return std::move(done).error();
  return *done ? webhook_step::processed : webhook_step::lease_lost;
}

}  // namespace hw::ats
