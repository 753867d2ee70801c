#include "storage/email_repo.hpp"

#include <limits>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/pg.hpp"

namespace hw::storage {

namespace {

// Clock readings are bound as epoch microseconds (see job_queue.cpp).
#define HW_TS(n) "to_timestamp($" #n "::bigint / 1000000.0)"
#define HW_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define HW_EMAIL_COLUMNS                                                                      \
  "org_id::text, id, kind, to_address, subject, text_body, html_body, message_id, status,"    \
  " transport, attempts, last_error, " HW_RFC3339("created_at") ", " HW_RFC3339("sent_at")

std::optional<email_status> parse_status(std::string_view s) {
  for (auto st : {email_status::queued, email_status::sent, email_status::failed,
                  email_status::suppressed}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

email_message row_to_email(const pqxx::row& r) {
  email_message m;
  m.org = org_id{r[0].as<std::string>()};
  m.id = r[1].as<std::int64_t>();
  m.kind = r[2].as<std::string>();
  m.to_address = r[3].as<std::string>();
  m.subject = r[4].as<std::string>();
  m.text_body = r[5].as<std::string>();
  if (!r[6].is_null()) m.html_body = r[6].as<std::string>();
  m.message_id = r[7].as<std::string>();
  auto st = parse_status(r[8].as<std::string>());
  if (!st) throw pqxx::conversion_error{"email_messages.status holds an unknown status"};
  m.status = *st;
  if (!r[9].is_null()) {
    m.transport = r[9].as<std::string>() == "smtp" ? email_transport::smtp : email_transport::dev_mailbox;
  }
  m.attempts = r[10].as<int>();
  if (!r[11].is_null()) m.last_error = r[11].as<std::string>();
  m.created_at = r[12].as<std::string>();
  if (!r[13].is_null()) m.sent_at = r[13].as<std::string>();
  return m;
}

std::int64_t us(time_point t) { return to_epoch_us(t); }

const char* nullable(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

bool valid_kind(std::string_view k) {
  if (k.empty() || k.size() > 100 || k[0] < 'a' || k[0] > 'z') return false;
  for (char ch : k) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  for (char ch : d) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '.' || ch == '-')) {
      return false;
    }
  }
  return true;
}

// Server replies go into a text column: cut at a UTF-8 boundary, drop NULs and line breaks.
std::string clean_detail(const std::string& m) {
  constexpr std::size_t max_bytes = 1000;
  std::string out;
  for (char ch : m) {
    if (ch == '\0') continue;
    out += (ch == '\r' || ch == '\n') ? ' ' : ch;
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace

std::string_view to_string(email_status s) noexcept {
  switch (s) {
    case email_status::queued:
      return "queued";
    case email_status::sent:
      return "sent";
    case email_status::failed:
      return "failed";
    case email_status::suppressed:
      return "suppressed";
  }
  return "queued";
}

std::string_view to_string(email_transport t) noexcept {
  return t == email_transport::smtp ? "smtp" : "dev_mailbox";
}

bool is_sendable_address(std::string_view a) noexcept {
  if (a.size() < 3 || a.size() > 320) return false;
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  for (char ch : a) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u >= 0x7f) return false;  // controls (CR/LF), space, DEL, non-ASCII
    if (ch == '<' || ch == '>' || ch == ',' || ch == ';' || ch == '"' || ch == '(' || ch == ')' ||
        ch == '\\' || ch == '[' || ch == ']' || ch == ':')
      return false;
  }
  return true;
}

std::string normalize_address(std::string_view a) {
  std::string out{a};
  for (auto& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

void prepare_email_statements(pqxx::connection_base& c) {
  // The id is drawn first so the deterministic Message-ID can be written in the same statement.
  c.prepare("email_insert",
            "INSERT INTO email_messages (org_id, id, kind, to_address, subject, text_body,"
            "                            html_body, message_id, status, created_at)"
            " OVERRIDING SYSTEM VALUE"
            " SELECT $1::uuid, n.id, $2, $3, $4, $5, $6,"
            "        '<hw-' || $1::uuid::text || '-' || n.id::text || '@' || $7 || '>', $8, " HW_TS(9)
            " FROM (SELECT nextval(pg_get_serial_sequence('email_messages', 'id')) AS id) n"
            " RETURNING id");
  c.prepare("email_is_suppressed",
            "SELECT EXISTS (SELECT 1 FROM email_suppressions"
            "                WHERE org_id = $1::uuid AND address = $2)");
  c.prepare("email_load",
            "SELECT " HW_EMAIL_COLUMNS " FROM email_messages WHERE org_id = $1::uuid AND id = $2");
  c.prepare("email_mark_sent",
            "UPDATE email_messages SET status = 'sent', transport = $3, attempts = attempts + 1,"
            " sent_at = coalesce(sent_at, " HW_TS(4) "), last_error = NULL"
            " WHERE org_id = $1::uuid AND id = $2");
  c.prepare("email_mark_attempt_failed",
            "UPDATE email_messages SET attempts = attempts + 1, last_error = $3,"
            " status = CASE WHEN $4::boolean THEN 'failed' ELSE status END"
            " WHERE org_id = $1::uuid AND id = $2 AND status = 'queued'");
  c.prepare("email_mark_suppressed",
            "UPDATE email_messages SET status = 'suppressed'"
            " WHERE org_id = $1::uuid AND id = $2 AND status = 'queued'");
  c.prepare("email_suppress",
            "INSERT INTO email_suppressions (org_id, address, reason, created_at)"
            " VALUES ($1::uuid, $2, $3, " HW_TS(4) ") ON CONFLICT (org_id, address) DO NOTHING");
  c.prepare("email_dev_mailbox",
            "SELECT " HW_EMAIL_COLUMNS " FROM email_messages"
            " WHERE org_id = $1::uuid AND transport = 'dev_mailbox' AND id < $2"
            " ORDER BY id DESC LIMIT $3");
}

result<enqueued_email> enqueue_email(pqxx::transaction_base& tx, const org_id& org,
                                     const email_draft& d, time_point now) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  if (!valid_kind(d.kind)) return hw::error{errc::invalid_argument, "email kind: expected [a-z][a-z0-9_]*"};
  if (!is_sendable_address(d.to_address))
    return hw::error{errc::invalid_argument, "to_address: not a sendable e-mail address"};
  if (d.subject.size() > 998 || d.subject.find_first_of("\r\n") != std::string::npos ||
      d.subject.find('\0') != std::string::npos)
    return hw::error{errc::invalid_argument, "subject: must be one line of at most 998 bytes"};
  if (!valid_domain(d.message_id_domain))
    return hw::error{errc::invalid_argument, "message_id_domain: not a domain name"};
  set_tenant(tx, org);  // idempotent when the caller's transaction already set it
  const auto address = normalize_address(d.to_address);
  const bool suppressed = tx.exec_prepared1("email_is_suppressed", org.value, address)[0].as<bool>();
  const auto status = suppressed ? email_status::suppressed : email_status::queued;
  auto r = tx.exec_prepared1("email_insert", org.value, d.kind, d.to_address, d.subject, d.text_body,
                             nullable(d.html_body), d.message_id_domain, std::string{to_string(status)},
                             us(now));
  enqueued_email out;
  out.id = r[0].as<std::int64_t>();
  out.status = status;
  if (suppressed) {
    spdlog::info("email suppressed at enqueue org_id={} email_id={}", org.value, out.id);
    return out;
  }
  enqueue_options opt;
  opt.unique_key = "email:" + std::to_string(out.id);
  nlohmann::json args = {{"email_id", out.id}};
  out.job_id = enqueue(tx, org, send_email_job_kind, args.dump(), now, opt);
  return out;
}

std::optional<std::int64_t> email_id_from_args(const std::string& args_json) {
  auto j = nlohmann::json::parse(args_json, nullptr, false);
  if (!j.is_object() || !j.contains("email_id") || !j["email_id"].is_number_integer()) return std::nullopt;
  return j["email_id"].get<std::int64_t>();
}

result<std::optional<email_message>> load_email(pqxx::connection_base& c, const org_id& org,
                                                std::int64_t id) {
  if (!is_uuid(org.value)) return std::optional<email_message>{};
  try {
    pqxx::read_transaction tx{c, "email_load"};
    set_tenant(tx, org);
    auto r = tx.exec_prepared("email_load", org.value, id);
    tx.commit();
    if (r.empty()) return std::optional<email_message>{};
    return std::optional<email_message>{row_to_email(r[0])};
  } catch (...) {
    return map_exception(std::current_exception(), "email_load");
  }
}

result<bool> is_suppressed(pqxx::connection_base& c, const org_id& org, const std::string& address) {
  if (!is_uuid(org.value)) return false;
  try {
    pqxx::read_transaction tx{c, "email_is_suppressed"};
    set_tenant(tx, org);
    const bool s =
        tx.exec_prepared1("email_is_suppressed", org.value, normalize_address(address))[0].as<bool>();
    tx.commit();
    return s;
  } catch (...) {
    return map_exception(std::current_exception(), "email_is_suppressed");
  }
}

result<bool> record_email_sent(pqxx::connection_base& c, const job_lease& l, std::int64_t email_id,
                               email_transport transport, time_point now) {
  if (!is_uuid(l.org.value)) return false;
  try {
    pqxx::work tx{c, "record_email_sent"};
    set_tenant(tx, l.org);
    // job_complete is job_queue's fenced statement (prepare_all prepares it on every connection).
    auto done = tx.exec_prepared("job_complete", l.org.value, l.id, l.attempt, l.worker, us(now));
    tx.exec_prepared0("email_mark_sent", l.org.value, email_id, std::string{to_string(transport)}, us(now));
    tx.commit();
    if (done.empty()) {
      spdlog::warn("email sent but the job lease was lost org_id={} job_id={} email_id={}", l.org.value,
                   l.id, email_id);
    }
    return !done.empty();
  } catch (...) {
    return map_exception(std::current_exception(), "email_mark_sent");
  }
}

result<fail_outcome> record_email_failure(pqxx::connection_base& c, const job_lease& l,
                                          std::int64_t email_id, email_failure kind,
                                          const std::string& detail,
                                          std::chrono::milliseconds retry_delay, time_point now) {
  if (!is_uuid(l.org.value)) return fail_outcome::lease_lost;
  const bool permanent = kind == email_failure::permanent;
  const auto msg = clean_detail(detail);
  try {
    pqxx::work tx{c, "record_email_failure"};
    set_tenant(tx, l.org);
    auto r = tx.exec_prepared("job_fail", l.org.value, l.id, l.attempt, l.worker, us(now),
                              us(now + retry_delay), permanent, msg);
    if (r.empty()) {
      // Someone else owns the job now; leave the e-mail to them.
      spdlog::warn("email failure not recorded: lease lost org_id={} job_id={}", l.org.value, l.id);
      return fail_outcome::lease_lost;
    }
    const bool discarded = r[0][0].as<std::string>() == "discarded";
    tx.exec_prepared0("email_mark_attempt_failed", l.org.value, email_id, msg, discarded);
    if (permanent) {
      auto to = tx.exec_prepared("email_load", l.org.value, email_id);
      if (!to.empty()) {
        tx.exec_prepared0("email_suppress", l.org.value, normalize_address(to[0][3].as<std::string>()),
                          "smtp_permanent: " + msg.substr(0, 200), us(now));
      }
    }
    tx.commit();
    return discarded ? fail_outcome::discarded : fail_outcome::retry_scheduled;
  } catch (...) {
    return map_exception(std::current_exception(), "email_record_failure");
  }
}

result<bool> record_email_suppressed(pqxx::connection_base& c, const job_lease& l,
                                     std::int64_t email_id, time_point now) {
  if (!is_uuid(l.org.value)) return false;
  try {
    pqxx::work tx{c, "record_email_suppressed"};
    set_tenant(tx, l.org);
    auto done = tx.exec_prepared("job_complete", l.org.value, l.id, l.attempt, l.worker, us(now));
    if (done.empty()) return false;  // rolls back
    tx.exec_prepared0("email_mark_suppressed", l.org.value, email_id);
    tx.commit();
    return true;
  } catch (...) {
    return map_exception(std::current_exception(), "email_mark_suppressed");
  }
}

result<hw::unit> suppress_address(pqxx::connection_base& c, const org_id& org,
                                  const std::string& address, const std::string& reason,
                                  time_point now) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  try {
    pqxx::work tx{c, "suppress_address"};
    set_tenant(tx, org);
    tx.exec_prepared0("email_suppress", org.value, normalize_address(address), reason, us(now));
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "email_suppress");
  }
}

result<std::vector<email_message>> list_dev_mailbox(pqxx::connection_base& c, const org_id& org,
                                                    int limit,
                                                    std::optional<std::int64_t> before_id) {
  if (!is_uuid(org.value)) return std::vector<email_message>{};
  if (limit < 1 || limit > 200) return hw::error{errc::invalid_argument, "limit: expected 1 to 200"};
  try {
    pqxx::read_transaction tx{c, "email_dev_mailbox"};
    set_tenant(tx, org);
    auto r = tx.exec_prepared("email_dev_mailbox", org.value,
                              before_id.value_or(std::numeric_limits<std::int64_t>::max()), limit);
    tx.commit();
    std::vector<email_message> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(row_to_email(row));
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "email_dev_mailbox");
  }
}

}  // namespace hw::storage
