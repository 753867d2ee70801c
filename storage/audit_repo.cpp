#include "storage/audit_repo.hpp"

#include <arpa/inet.h>

#include <pqxx/pqxx>

#include "storage/pg.hpp"

namespace hw::storage {

namespace {

const char* nullable(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }


std::optional<std::string> clean_request_id(const std::optional<std::string>& rid) {
  if (!rid || rid->empty()) return std::nullopt;
  return rid->substr(0, 64);
}

}  // namespace

void prepare_audit_statements(pqxx::connection_base& c) {
  // `ip` goes through text: libpqxx binds strings, and a malformed value was filtered above.
  c.prepare("audit_append",
            "INSERT INTO audit_events (org_id, at, actor_kind, actor_id, action, target, outcome, ip,"
            " user_agent, request_id, detail)"
            " VALUES ($1::uuid, now(), $2, $3, $4, $5, $6, $7::inet, $8, $9, $10::jsonb)");
  c.prepare("audit_append_if_org",
            "INSERT INTO audit_events (org_id, at, actor_kind, actor_id, action, target, outcome, ip,"
            " user_agent, request_id, detail)"
            " SELECT o.org_id, now(), $2, $3, $4, $5, $6, $7::inet, $8, $9, $10::jsonb"
            " FROM organizations o WHERE o.org_id = $1::uuid");
  c.prepare("audit_org_exists", "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  // NULL parameters switch a filter off. The cursor is the last id of the previous page.
  c.prepare("audit_list",
            "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor_kind,"
            " actor_id, action, target, outcome, host(ip), user_agent, request_id, detail::text"
            " FROM audit_events WHERE org_id = $1::uuid"
            " AND ($2::bigint IS NULL OR id < $2::bigint)"
            " AND ($3::text IS NULL OR starts_with(action, $3::text))"
            " AND ($4::text IS NULL OR actor_kind = $4::text)"
            " AND ($5::text IS NULL OR actor_id = $5::text)"
            " AND ($6::text IS NULL OR outcome = $6::text)"
            " AND ($7::timestamptz IS NULL OR at >= $7::timestamptz)"
            " AND ($8::timestamptz IS NULL OR at < $8::timestamptz)"
            " ORDER BY id DESC LIMIT $9::int");
}

namespace {

pqxx::result exec_append(pqxx::transaction_base& tx, const char* stmt, const audit_entry& e) {
  const std::string kind = e.who.kind.empty() ? "system" : e.who.kind;
  std::optional<std::string> ua;
  if (e.who.user_agent && !e.who.user_agent->empty()) ua = truncate_user_agent(*e.who.user_agent);
  const auto ip = inet_or_nothing(e.who.ip);
  const auto rid = clean_request_id(e.who.request_id);
  return tx.exec_prepared(stmt, e.org.value, kind, e.who.id, e.action, e.target, e.outcome, nullable(ip), nullable(ua),
                    nullable(rid), e.detail_json.empty() ? std::string{"{}"} : e.detail_json);
}

}  // namespace

// Both appends set the entry's organization as the tenant (idempotent when the caller's
// transaction already did), so WITH CHECK admits the row in any caller's transaction.
// The address as PostgreSQL's inet will take it, or nothing: a peer address is always one, but a
// bad value must never make the audited change fail.
std::optional<std::string> inet_or_nothing(const std::optional<std::string>& ip) {
  if (!ip) return std::nullopt;
  // Zone ids ("fe80::1%eth0") are not inet syntax.
  const auto addr = ip->substr(0, ip->find('%'));
  // Strictly an address (inet_pton), so a bad value can never fail the audited change's INSERT.
  unsigned char buf[16];
  if (addr.empty() || addr.size() > 45) return std::nullopt;
  if (inet_pton(AF_INET, addr.c_str(), buf) != 1 && inet_pton(AF_INET6, addr.c_str(), buf) != 1)
    return std::nullopt;
  return addr;
}

void append_audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who, std::string action,
                  std::string target, std::string detail_json) {
  audit_entry e;
  e.org = org;
  e.who = who;
  if (e.who.kind.empty()) e.who.kind = "system";
  e.action = std::move(action);
  e.target = std::move(target);
  e.detail_json = std::move(detail_json);
  append_audit(tx, e);
}

void append_audit(pqxx::transaction_base& tx, const audit_entry& e) {
  set_tenant(tx, e.org);
  exec_append(tx, "audit_append", e);
}

result<bool> append_audit_if_org_exists(pqxx::connection_base& c, const audit_entry& e) {
  if (!is_uuid(e.org.value)) return false;
  try {
    pqxx::work tx{c, "append_audit_if_org_exists"};
    set_tenant(tx, e.org);
    auto r = exec_append(tx, "audit_append_if_org", e);
    tx.commit();
    return r.affected_rows() > 0;
  } catch (...) {
    return map_exception(std::current_exception(), "audit_append_if_org");
  }
}

result<audit_page> list_audit(pqxx::connection_base& c, const org_id& org, const audit_query& q) {
  if (auto e = validate(q)) return *e;
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  std::optional<std::string> after;
  if (q.cursor) after = std::to_string(*decode_audit_cursor(*q.cursor));
  try {
    pqxx::read_transaction tx{c, "list_audit"};
    set_tenant(tx, org);
    auto r = tx.exec_prepared("audit_list", org.value, nullable(after), nullable(q.action_prefix),
                              nullable(q.actor_kind), nullable(q.actor_id), nullable(q.outcome), nullable(q.since),
                              nullable(q.until), q.limit + 1);
    // An empty page of an organization that does not exist is a 404, not an empty log.
    if (r.empty() && !tx.exec_prepared1("audit_org_exists", org.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    audit_page page;
    for (const auto& row : r) {
      if (static_cast<int>(page.entries.size()) == q.limit) {
        page.next_cursor = encode_audit_cursor(page.entries.back().id);
        break;
      }
      audit_record a;
      a.id = row[0].as<std::int64_t>();
      a.at = row[1].as<std::string>();
      a.actor_kind = row[2].as<std::string>();
      a.actor_id = row[3].as<std::string>();
      a.action = row[4].as<std::string>();
      a.target = row[5].as<std::string>();
      a.outcome = row[6].as<std::string>();
      if (!row[7].is_null()) a.ip = row[7].as<std::string>();
      if (!row[8].is_null()) a.user_agent = row[8].as<std::string>();
      if (!row[9].is_null()) a.request_id = row[9].as<std::string>();
      a.detail_json = row[10].as<std::string>();
      page.entries.push_back(std::move(a));
    }
    tx.commit();
    return page;
  } catch (...) {
    return map_exception(std::current_exception(), "audit_list");
  }
}

}  // namespace hw::storage
