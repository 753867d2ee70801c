#include "storage/sso_repo.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/audit_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

#define HW_SSO_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_SSO_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define HW_SSO_COLUMNS                                                                     \
  "s.org_id::text, s.enabled, s.issuer, s.client_id, encode(s.client_secret_enc, 'hex'),"  \
  " array_to_json(s.allowed_domains)::text, s.default_role, s.sso_required, s.version, "    \
  HW_SSO_RFC3339("s.updated_at")

constexpr int sso_columns = 10;

sso_config_record row_to_config(const pqxx::row& r, int at = 0) {
  sso_config_record s;
  s.org = org_id{r[at + 0].as<std::string>()};
  s.enabled = r[at + 1].as<bool>();
  s.issuer = r[at + 2].as<std::string>();
  s.client_id = r[at + 3].as<std::string>();
  if (!r[at + 4].is_null()) s.client_secret_enc = hex_to_bytes(r[at + 4].as<std::string>());
  auto domains = nlohmann::json::parse(r[at + 5].as<std::string>(), nullptr, false);
  if (domains.is_array()) {
    for (const auto& d : domains) {
      if (d.is_string()) s.allowed_domains.push_back(d.get<std::string>());
    }
  }
  auto role = domain::parse_role(r[at + 6].as<std::string>());
  if (!role) throw pqxx::conversion_error{"sso_configs.default_role holds an unknown role"};
  s.default_role = *role;
  s.sso_required = r[at + 7].as<bool>();
  s.version = r[at + 8].as<std::int64_t>();
  s.updated_at = r[at + 9].as<std::string>();
  return s;
}

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char ch) { return ch < 0x20 || ch == 0x7f; });
}

result<std::vector<std::string>> clean_domains(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& d : in) {
    if (d.empty() || d.size() > 253)
      return hw::error{errc::invalid_argument, "allowed_domains: each 1 to 253 characters"};
    std::string low;
    for (unsigned char ch : d) {
      if (ch <= 0x20 || ch >= 0x7f || ch == '@' || ch == ',' || ch == '"' || ch == '\\')
        return hw::error{errc::invalid_argument, "allowed_domains: a domain name like example.com"};
      low.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : static_cast<char>(ch));
    }
    if (std::find(out.begin(), out.end(), low) == out.end()) out.push_back(std::move(low));
  }
  if (out.size() > 100) return hw::error{errc::invalid_argument, "allowed_domains: at most 100"};
  return out;
}

hw::error state_invalid() { return {errc::unauthorized, "the sign-in attempt is invalid or has expired"}; }

}  // namespace

void prepare_sso_statements(pqxx::connection_base& c) {
  c.prepare("sso_org_exists", "SELECT EXISTS (SELECT 1 FROM organizations WHERE org_id = $1::uuid)");
  c.prepare("sso_config_get", "SELECT " HW_SSO_COLUMNS " FROM sso_configs s WHERE s.org_id = $1::uuid");
  c.prepare("sso_config_lock",
            "SELECT " HW_SSO_COLUMNS " FROM sso_configs s WHERE s.org_id = $1::uuid FOR UPDATE");
  // $5: the new secret as hex, or NULL to keep the stored one.
  c.prepare("sso_config_upsert",
            "INSERT INTO sso_configs AS s (org_id, enabled, issuer, client_id, client_secret_enc,"
            " allowed_domains, default_role, sso_required, version, created_at, updated_at)"
            " VALUES ($1::uuid, $2, $3, $4, decode($5::text, 'hex'),"
            " ARRAY(SELECT jsonb_array_elements_text($6::jsonb)), $7, $8, 1, " HW_SSO_TS(9) ", "
            HW_SSO_TS(9) ")"
            " ON CONFLICT (org_id) DO UPDATE SET enabled = EXCLUDED.enabled,"
            " issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,"
            " client_secret_enc = CASE WHEN $5::text IS NULL THEN s.client_secret_enc"
            " ELSE EXCLUDED.client_secret_enc END,"
            " allowed_domains = EXCLUDED.allowed_domains, default_role = EXCLUDED.default_role,"
            " sso_required = EXCLUDED.sso_required, version = s.version + 1,"
            " updated_at = greatest(s.updated_at, EXCLUDED.updated_at)"
            " RETURNING " HW_SSO_COLUMNS);
  // Cross-tenant by slug (system scope around it).
  c.prepare("sso_find_by_slug",
            "SELECT o.org_id::text, o.name, o.slug, " HW_SSO_COLUMNS
            " FROM organizations o JOIN sso_configs s ON s.org_id = o.org_id"
            " WHERE o.slug = $1 AND s.enabled");
  c.prepare("sso_user_requirements",
            "SELECT m.org_id::text, coalesce(s.enabled AND s.sso_required, false)"
            " FROM memberships m LEFT JOIN sso_configs s ON s.org_id = m.org_id"
            " WHERE m.user_id = $1::uuid ORDER BY m.created_at, m.org_id");
  c.prepare("sso_state_insert",
            "INSERT INTO sso_login_states (org_id, state_hash, nonce, code_verifier, redirect_uri,"
            " created_at, expires_at) VALUES ($1::uuid, decode($2, 'hex'), $3, $4, $5, "
            HW_SSO_TS(6) ", " HW_SSO_TS(7) ") ON CONFLICT DO NOTHING RETURNING 1");
  c.prepare("sso_state_purge",
            "DELETE FROM sso_login_states WHERE expires_at < (timestamptz 'epoch' + ($1::bigint) * interval '1 microsecond')");
  c.prepare("sso_state_consume",
            "UPDATE sso_login_states SET used_at = " HW_SSO_TS(2)
            " WHERE state_hash = decode($1, 'hex') AND used_at IS NULL"
            " AND expires_at > " HW_SSO_TS(2)
            " RETURNING org_id::text, nonce, code_verifier, redirect_uri");
}

result<std::optional<sso_config_record>> get_sso_config(pqxx::connection_base& c, const org_id& org) {
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::read_transaction tx{c, "get_sso_config"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("sso_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    auto r = tx.exec_prepared("sso_config_get", o.value);
    tx.commit();
    if (r.empty()) return std::optional<sso_config_record>{};
    return std::optional<sso_config_record>{row_to_config(r[0])};
  } catch (...) {
    return map_exception(std::current_exception(), "sso_config_get");
  }
}

result<sso_config_record> put_sso_config(pqxx::connection_base& c, const org_id& org,
                                         const sso_config_put& req, time_point now,
                                         const actor_ref& who) {
  if (req.issuer.size() > 500 || has_control(req.issuer))
    return hw::error{errc::invalid_argument, "issuer: at most 500 characters, no control characters"};
  if (req.client_id.size() > 500 || has_control(req.client_id))
    return hw::error{errc::invalid_argument,
                     "client_id: at most 500 characters, no control characters"};
  if (req.client_secret_enc && (req.client_secret_enc->empty() || req.client_secret_enc->size() > 4096))
    return hw::error{errc::invalid_argument, "client_secret: 1 to 4096 bytes once encrypted"};
  auto domains = clean_domains(req.allowed_domains);
  if (!domains) return std::move(domains).error();
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(org.value)};
  try {
    pqxx::work tx{c, "put_sso_config"};
    set_tenant(tx, o);
    if (!tx.exec_prepared1("sso_org_exists", o.value)[0].as<bool>())
      return hw::error{errc::not_found, "organization not found"};
    auto cur = tx.exec_prepared("sso_config_lock", o.value);
    std::optional<sso_config_record> before;
    if (!cur.empty()) before = row_to_config(cur[0]);
    const std::int64_t current_version = before ? before->version : 0;
    if (req.expected_version && *req.expected_version != current_version)
      return hw::error{errc::version_conflict, "sso: the settings were changed concurrently"};
    const auto role = std::string{domain::to_string(req.default_role)};
    nlohmann::json changed = nlohmann::json::array();
    auto diff = [&](const char* name, bool differs) {
      if (!before || differs) changed.push_back(name);
    };
    diff("enabled", before && before->enabled != req.enabled);
    diff("issuer", before && before->issuer != req.issuer);
    diff("client_id", before && before->client_id != req.client_id);
    if (req.client_secret_enc && (!before || before->client_secret_enc != req.client_secret_enc))
      changed.push_back("client_secret");
    diff("allowed_domains", before && before->allowed_domains != *domains);
    diff("default_role", before && before->default_role != req.default_role);
    diff("sso_required", before && before->sso_required != req.sso_required);
    if (before && changed.empty()) return *before;  // nothing to write, nothing to audit
    std::optional<std::string> secret_hex;
    if (req.client_secret_enc) secret_hex = bytes_to_hex(*req.client_secret_enc);
    auto r = tx.exec_prepared1("sso_config_upsert", o.value, req.enabled, req.issuer, req.client_id,
                               secret_hex ? secret_hex->c_str() : nullptr,
                               nlohmann::json(*domains).dump(), role, req.sso_required,
                               to_epoch_us(now));
    auto rec = row_to_config(r);
    audit_entry e;
    e.org = o;
    e.who = who;
    if (e.who.kind.empty()) e.who.kind = "system";
    e.action = "sso.configured";
    e.target = o.value;
    e.detail_json = nlohmann::json{{"changed", changed}, {"version", rec.version}}.dump();
    append_audit(tx, e);
    // Whether SSO is enabled / required decides which organizations password and SSO sessions
    // reach (session_repo load_session): every process drops its cached sessions on commit.
    notify_auth(tx, "all");
    tx.commit();
    return rec;
  } catch (...) {
    return map_exception(std::current_exception(), "sso_config_upsert");
  }
}

result<sso_org_lookup> find_sso_by_org_slug(pqxx::connection_base& c, const std::string& slug) {
  if (slug.empty() || slug.size() > 100) return hw::error{errc::not_found, "organization not found"};
  try {
    pqxx::read_transaction tx{c, "find_sso_by_org_slug"};
    // The one cross-tenant read: the slug is all a signing-in browser knows.
    set_system_scope(tx);
    auto r = tx.exec_prepared("sso_find_by_slug", slug);
    clear_system_scope(tx);
    if (r.empty()) return hw::error{errc::not_found, "organization not found"};
    sso_org_lookup out;
    out.org = org_id{r[0][0].as<std::string>()};
    out.org_name = r[0][1].as<std::string>();
    out.org_slug = r[0][2].as<std::string>();
    out.config = row_to_config(r[0], 3);
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "sso_find_by_slug");
  }
}

result<std::vector<org_sso_requirement>> user_sso_requirements(pqxx::connection_base& c,
                                                               const std::string& user_id) {
  if (!is_uuid(user_id)) return std::vector<org_sso_requirement>{};
  try {
    pqxx::read_transaction tx{c, "user_sso_requirements"};
    // One person's organizations span tenants (like list_user_orgs).
    set_system_scope(tx);
    auto rows = tx.exec_prepared("sso_user_requirements", canonical_uuid(user_id));
    clear_system_scope(tx);
    std::vector<org_sso_requirement> out;
    for (const auto& row : rows)
      out.push_back(org_sso_requirement{org_id{row[0].as<std::string>()}, row[1].as<bool>()});
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "sso_user_requirements");
  }
}

result<hw::unit> create_sso_login_state(pqxx::connection_base& c, const sso_login_state_create& s,
                                        time_point now) {
  if (!is_token_digest(s.state_hash))
    return hw::error{errc::invalid_argument, "state: malformed digest"};
  if (s.nonce.empty() || s.nonce.size() > 200 || has_control(s.nonce))
    return hw::error{errc::invalid_argument, "nonce: 1 to 200 characters"};
  if (s.code_verifier.size() < 43 || s.code_verifier.size() > 128 || has_control(s.code_verifier))
    return hw::error{errc::invalid_argument, "code_verifier: 43 to 128 characters"};
  if (s.redirect_uri.empty() || s.redirect_uri.size() > 2000 || has_control(s.redirect_uri))
    return hw::error{errc::invalid_argument, "redirect_uri: 1 to 2000 characters"};
  if (s.expires_at <= now || s.expires_at > now + sso_login_state_max_lifetime)
    return hw::error{errc::invalid_argument, "expires_at: must be within 10 minutes from now"};
  if (!is_uuid(s.org.value)) return hw::error{errc::not_found, "organization not found"};
  const org_id o{canonical_uuid(s.org.value)};
  try {
    pqxx::work tx{c, "create_sso_login_state"};
    set_tenant(tx, o);
    auto r = tx.exec_prepared("sso_state_insert", o.value, s.state_hash, s.nonce, s.code_verifier,
                              s.redirect_uri, to_epoch_us(now), to_epoch_us(s.expires_at));
    if (r.empty()) return hw::error{errc::conflict, "state: the digest is already in use"};
    tx.commit();
    return hw::unit{};
  } catch (const pqxx::foreign_key_violation&) {
    return hw::error{errc::not_found, "organization not found"};
  } catch (...) {
    return map_exception(std::current_exception(), "sso_state_insert");
  }
}

result<sso_login_state> consume_sso_login_state(pqxx::connection_base& c,
                                                const std::string& state_hash, time_point now) {
  if (!is_token_digest(state_hash)) return state_invalid();
  try {
    pqxx::work tx{c, "consume_sso_login_state"};
    // Cross-tenant by digest; the row fixes the organization. Single use: a concurrent consume
    // waits on the row lock and then finds used_at set.
    set_system_scope(tx);
    auto r = tx.exec_prepared("sso_state_consume", state_hash, to_epoch_us(now));
    clear_system_scope(tx);
    if (r.empty()) return state_invalid();
    sso_login_state out;
    out.org = org_id{r[0][0].as<std::string>()};
    out.nonce = r[0][1].as<std::string>();
    out.code_verifier = r[0][2].as<std::string>();
    out.redirect_uri = r[0][3].as<std::string>();
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "sso_state_consume");
  }
}

result<int> purge_sso_login_states(pqxx::connection_base& c, time_point now, std::chrono::seconds keep) {
  try {
    pqxx::work tx{c, "purge_sso_login_states"};
    set_system_scope(tx);  // maintenance across every organization's expired states
    auto r = tx.exec_prepared0("sso_state_purge", to_epoch_us(now - keep));
    tx.commit();
    return static_cast<int>(r.affected_rows());
  } catch (...) {
    return map_exception(std::current_exception(), "sso_state_purge");
  }
}

}  // namespace hw::storage
