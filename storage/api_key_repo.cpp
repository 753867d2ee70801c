#include "storage/api_key_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/domain/password_policy.hpp"
#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

#define HW_KEY_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_KEY_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define HW_KEY_COLUMNS                                                                          \
  "k.org_id::text, k.key_id::text, k.name, k.prefix, k.role, k.created_by_kind,"               \
  " k.created_by_id, " HW_KEY_RFC3339("k.created_at") ", " HW_KEY_RFC3339("k.expires_at") ", " \
  HW_KEY_RFC3339("k.last_used_at") ", " HW_KEY_RFC3339("k.first_used_at") ", "                 \
  HW_KEY_RFC3339("k.revoked_at")


api_key_record row_to_key(const pqxx::row& r) {
  api_key_record k;
  k.org = org_id{r[0].as<std::string>()};
  k.id = r[1].as<std::string>();
  k.name = r[2].as<std::string>();
  k.prefix = r[3].as<std::string>();
  auto role = domain::parse_role(r[4].as<std::string>());
  if (!role) throw pqxx::conversion_error{"api_keys.role holds an unknown role"};
  k.role = *role;
  k.created_by_kind = r[5].as<std::string>();
  k.created_by_id = r[6].as<std::string>();
  k.created_at = r[7].as<std::string>();
  k.expires_at = opt_text(r[8]);
  k.last_used_at = opt_text(r[9]);
  k.first_used_at = opt_text(r[10]);
  k.revoked_at = opt_text(r[11]);
  return k;
}

hw::error key_not_found() { return {errc::not_found, "API key not found"}; }
hw::error key_invalid() { return {errc::unauthorized, "the API key is invalid, revoked or expired"}; }

void audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who,
           const std::string& action, const std::string& target, const nlohmann::json& detail) {
  append_audit(tx, org, who, action, target, detail.dump());
}

std::optional<hw::error> check(const api_key_create_row& req, time_point now) {
  const auto b = req.name.find_first_not_of(' ');
  const auto e = req.name.find_last_not_of(' ');
  const std::string name = b == std::string::npos ? "" : req.name.substr(b, e - b + 1);
  auto points = domain::utf8_code_points(name);
  if (name.empty() || !points || *points > 100)
    return hw::error{errc::invalid_argument, "name: 1 to 100 characters"};
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f)
      return hw::error{errc::invalid_argument, "name: must not contain control characters"};
  }
  if (req.prefix.size() < 4 || req.prefix.size() > 16)
    return hw::error{errc::invalid_argument, "prefix: 4 to 16 characters"};
  for (unsigned char ch : req.prefix) {
    if (ch <= 0x20 || ch >= 0x7f)
      return hw::error{errc::invalid_argument, "prefix: printable ASCII without spaces"};
  }
  if (!is_token_digest(req.key_hash)) return hw::error{errc::invalid_argument, "key: malformed digest"};
  if (req.expires_at && *req.expires_at <= now)
    return hw::error{errc::invalid_argument, "expires_at: must be in the future"};
  return std::nullopt;
}

}  // namespace

void prepare_api_key_statements(pqxx::connection_base& c) {
  c.prepare("api_key_org_exists", "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  c.prepare("api_key_insert",
            "INSERT INTO api_keys AS k (org_id, name, prefix, key_hash, role, created_by_kind,"
            " created_by_id, created_at, expires_at)"
            " VALUES ($1::uuid, $2, $3, decode($4, 'hex'), $5, $6, $7, " HW_KEY_TS(8) ","
            " CASE WHEN $9::bigint IS NULL THEN NULL ELSE " HW_KEY_TS(9) " END)"
            " RETURNING " HW_KEY_COLUMNS);
  c.prepare("api_key_list",
            "SELECT " HW_KEY_COLUMNS " FROM api_keys k WHERE k.org_id = $1::uuid"
            " ORDER BY k.created_at DESC, k.key_id");
  c.prepare("api_key_lock",
            "SELECT revoked_at IS NOT NULL FROM api_keys WHERE org_id = $1::uuid AND key_id = $2::uuid"
            " FOR UPDATE");
  c.prepare("api_key_revoke",
            "UPDATE api_keys SET revoked_at = " HW_KEY_TS(3)
            " WHERE org_id = $1::uuid AND key_id = $2::uuid");
  // Cross-tenant by digest (system scope around it); validity decided at $2.
  c.prepare("api_key_find_by_hash",
            "SELECT " HW_KEY_COLUMNS " FROM api_keys k WHERE k.key_hash = decode($1, 'hex')"
            " AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > " HW_KEY_TS(2) ")");
  // First use: exactly one transaction sees first_used_at NULL (a concurrent one waits on the
  // row lock and re-checks).
  c.prepare("api_key_first_use",
            "UPDATE api_keys SET first_used_at = " HW_KEY_TS(3) ", last_used_at = " HW_KEY_TS(3)
            " WHERE org_id = $1::uuid AND key_id = $2::uuid AND first_used_at IS NULL RETURNING 1");
  c.prepare("api_key_touch",
            "UPDATE api_keys SET last_used_at = " HW_KEY_TS(3)
            " WHERE org_id = $1::uuid AND key_id = $2::uuid"
            " AND last_used_at <= " HW_KEY_TS(3) " - $4::bigint * interval '1 second'");
  c.prepare("api_key_exists",
            "SELECT EXISTS (SELECT 1 FROM api_keys WHERE org_id = $1::uuid AND key_id = $2::uuid)");
}

result<api_key_record> create_api_key(pqxx::connection_base& c, const org_id& org,
                                      const api_key_create_row& req, time_point now,
                                      const actor_ref& who) {
  if (auto e = check(req, now)) return *e;
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  const auto b = req.name.find_first_not_of(' ');
  const auto e = req.name.find_last_not_of(' ');
  const auto name = req.name.substr(b, e - b + 1);
  try {
    pqxx::work tx{c, "create_api_key"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("api_key_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    std::optional<std::string> exp;
    if (req.expires_at) exp = std::to_string(to_epoch_us(*req.expires_at));
    auto r = tx.exec_prepared1("api_key_insert", o.value, name, req.prefix, req.key_hash,
                               std::string{domain::to_string(req.role)},
                               who.kind.empty() ? std::string{"system"} : who.kind, who.id,
                               to_epoch_us(now), exp ? exp->c_str() : nullptr);
    auto k = row_to_key(r);
    audit(tx, o, who, "api_key.created", k.id,
          {{"role", std::string{domain::to_string(req.role)}}, {"expires", exp.has_value()}});
    tx.commit();
    return k;
  } catch (...) {
    return map_exception(std::current_exception(), "api_key_insert");
  }
}

result<std::vector<api_key_record>> list_api_keys(pqxx::connection_base& c, const org_id& org) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "list_api_keys"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("api_key_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    std::vector<api_key_record> out;
    for (const auto& row : tx.exec_prepared("api_key_list", o.value)) out.push_back(row_to_key(row));
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "api_key_list");
  }
}

result<hw::unit> revoke_api_key(pqxx::connection_base& c, const org_id& org, const std::string& id,
                                time_point now, const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(id)) return key_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto kid = canonical_uuid(id);
  try {
    pqxx::work tx{c, "revoke_api_key"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("api_key_lock", o.value, kid);
    if (r.empty()) return key_not_found();
    if (r[0][0].as<bool>()) return hw::unit{};  // already revoked: nothing written
    tx.exec_prepared0("api_key_revoke", o.value, kid, to_epoch_us(now));
    audit(tx, o, who, "api_key.revoked", kid, nlohmann::json::object());
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "api_key_revoke");
  }
}

result<api_key_record> find_api_key_by_hash(pqxx::connection_base& c, const std::string& key_hash,
                                            time_point now) {
  if (!is_token_digest(key_hash)) return key_invalid();
  try {
    pqxx::read_transaction tx{c, "find_api_key_by_hash"};
    // The one cross-tenant read: the key is the caller's only handle on the organization.
    set_system_scope(tx);
    auto r = tx.exec_prepared("api_key_find_by_hash", key_hash, to_epoch_us(now));
    clear_system_scope(tx);
    if (r.empty()) return key_invalid();
    auto k = row_to_key(r[0]);
    tx.commit();
    return k;
  } catch (...) {
    return map_exception(std::current_exception(), "api_key_find_by_hash");
  }
}

result<bool> mark_api_key_used(pqxx::connection_base& c, const org_id& org, const std::string& id,
                               time_point now, const actor_ref& who) {
  if (!is_uuid(org.value) || !is_uuid(id)) return key_not_found();
  const org_id o{canonical_uuid(org.value)};
  const auto kid = canonical_uuid(id);
  try {
    pqxx::work tx{c, "mark_api_key_used"};
    set_tenant(tx, o);
    auto first = tx.exec_prepared("api_key_first_use", o.value, kid, to_epoch_us(now));
    if (!first.empty()) {
      audit(tx, o, who, "api_key.first_used", kid, nlohmann::json::object());
      tx.commit();
      return true;
    }
    auto t = tx.exec_prepared0("api_key_touch", o.value, kid, to_epoch_us(now),
                               static_cast<std::int64_t>(api_key_last_used_granularity.count()));
    if (t.affected_rows() == 0 &&
        !tx.exec_prepared1("api_key_exists", o.value, kid)[0].as<bool>())
      return key_not_found();
    tx.commit();
    return false;
  } catch (...) {
    return map_exception(std::current_exception(), "api_key_mark_used");
  }
}

}  // namespace hw::storage
