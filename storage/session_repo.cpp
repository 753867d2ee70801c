#include "storage/session_repo.hpp"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/audit_repo.hpp"
#include "storage/migrate.hpp"
#include "storage/pg.hpp"
#include "storage/repo_util.hpp"

namespace hw::storage {

namespace {

// Clock readings are bound as epoch microseconds and converted exactly (no floating point), so a
// time_point round-trips through the database unchanged.
#define HW_SES_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_SES_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define HW_SES_RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// The columns of session_row, in order.
#define HW_SESSION_COLUMNS                                                                      \
  "encode(s.id_hash, 'hex'), s.user_id::text, s.active_org_id::text, " HW_SES_US(             \
    "s.created_at") ", " HW_SES_US("s.last_seen_at") ", " HW_SES_US("s.idle_expires_at") ", " \
    HW_SES_US("s.absolute_expires_at") ", " HW_SES_RFC3339("s.absolute_expires_at") ", "      \
    HW_SES_US("s.revoked_at") ", s.revoke_reason, host(s.ip), s.user_agent"

time_point from_us(const pqxx::field& f) {
  return time_point{std::chrono::microseconds{f.as<std::int64_t>()}};
}


session_record row_to_session(const pqxx::row& r) {
  session_record s;
  s.id_hash = r[0].as<std::string>();
  s.user_id = r[1].as<std::string>();
  if (!r[2].is_null()) s.active_org = org_id{r[2].as<std::string>()};
  s.created_at = from_us(r[3]);
  s.last_seen_at = from_us(r[4]);
  s.idle_expires_at = from_us(r[5]);
  s.absolute_expires_at = from_us(r[6]);
  s.absolute_expires_at_rfc3339 = r[7].as<std::string>();
  if (!r[8].is_null()) s.revoked_at = from_us(r[8]);
  s.revoke_reason = opt_text(r[9]);
  s.ip = opt_text(r[10]);
  s.user_agent = opt_text(r[11]);
  return s;
}

const char* nullable(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

bool is_reason(std::string_view r) noexcept {
  if (r.empty() || r.size() > 40) return false;
  for (char ch : r) {
    if (!((ch >= 'a' && ch <= 'z') || ch == '_')) return false;
  }
  return true;
}

hw::error session_invalid() { return {errc::unauthorized, "the session is not valid"}; }

// Audit rows carry at most a digest prefix (ASVS 16.2.5).
std::string digest_prefix(const std::string& hex) { return hex.substr(0, 12); }

// The user's memberships across organizations (system scope for this one statement).
std::vector<std::pair<std::string, domain::role>> user_memberships(pqxx::transaction_base& tx,
                                                                   const std::string& user_id) {
  set_system_scope(tx);
  auto rows = tx.exec_prepared("session_user_memberships", user_id);
  clear_system_scope(tx);
  std::vector<std::pair<std::string, domain::role>> out;
  for (const auto& row : rows) {
    auto role = domain::parse_role(row[1].as<std::string>());
    if (!role) throw pqxx::conversion_error{"memberships.role holds an unknown role"};
    out.emplace_back(row[0].as<std::string>(), *role);
  }
  return out;
}

/// The user's organizations whose SSO settings require single sign-on (enabled AND required).
std::vector<std::string> sso_required_orgs(pqxx::transaction_base& tx, const std::string& user_id) {
  set_system_scope(tx);
  auto rows = tx.exec_prepared("session_sso_required_orgs", user_id);
  clear_system_scope(tx);
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row[0].as<std::string>());
  return out;
}

actor_ref default_kind(actor_ref who) {
  if (who.kind.empty()) who.kind = "system";
  return who;
}

}  // namespace

void prepare_session_statements(pqxx::connection_base& c) {
  c.prepare("auth_notify", "SELECT pg_notify('hw_auth', $1)");
  c.prepare("session_user_memberships",
            "SELECT org_id::text, role FROM memberships WHERE user_id = $1::uuid"
            " ORDER BY created_at, org_id");
  c.prepare("session_sso_required_orgs",
            "SELECT m.org_id::text FROM memberships m JOIN sso_configs c ON c.org_id = m.org_id"
            " WHERE m.user_id = $1::uuid AND c.enabled AND c.sso_required AND m.role <> 'owner'");
  c.prepare("session_user_exists", "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = $1::uuid)");
  c.prepare("session_insert",
            "INSERT INTO sessions AS s (id_hash, user_id, active_org_id, auth_method, created_at,"
            " last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)"
            " VALUES (decode($1, 'hex'), $2::uuid, $3::uuid, $4, " HW_SES_TS(5) ", " HW_SES_TS(5)
            ", " HW_SES_TS(6) ", " HW_SES_TS(7) ", $8::inet, $9)"
            " ON CONFLICT (id_hash) DO NOTHING"
            " RETURNING " HW_SESSION_COLUMNS);
  // Valid at $2: not revoked, before both expiries. Joined with the account.
  c.prepare("session_load",
            "SELECT " HW_SESSION_COLUMNS ", u.email, u.display_name, s.auth_method FROM sessions s"
            " JOIN users u ON u.user_id = s.user_id"
            " WHERE s.id_hash = decode($1, 'hex') AND s.revoked_at IS NULL"
            " AND s.idle_expires_at > " HW_SES_TS(2) " AND s.absolute_expires_at > " HW_SES_TS(2));
  c.prepare("session_touch",
            "UPDATE sessions s SET last_seen_at = greatest(s.last_seen_at, " HW_SES_TS(2) "),"
            " idle_expires_at = least(s.absolute_expires_at,"
            " greatest(s.idle_expires_at, " HW_SES_TS(2) " + $3::bigint * interval '1 second'))"
            " WHERE s.id_hash = decode($1, 'hex') AND s.revoked_at IS NULL"
            " AND s.idle_expires_at > " HW_SES_TS(2) " AND s.absolute_expires_at > " HW_SES_TS(2)
            " RETURNING " HW_SES_US("s.idle_expires_at"));
  c.prepare("session_revoke",
            "UPDATE sessions s SET revoked_at = " HW_SES_TS(3) ", revoke_reason = $2"
            " WHERE s.id_hash = decode($1, 'hex') AND s.revoked_at IS NULL"
            " RETURNING s.user_id::text");
  c.prepare("session_revoke_user",
            "UPDATE sessions SET revoked_at = " HW_SES_TS(3) ", revoke_reason = $2"
            " WHERE user_id = $1::uuid AND revoked_at IS NULL"
            " AND ($4::text IS NULL OR id_hash <> decode($4::text, 'hex'))");
  c.prepare("session_lock_valid",
            "SELECT s.user_id::text, s.auth_method, s.active_org_id::text FROM sessions s"
            " WHERE s.id_hash = decode($1, 'hex')"
            " AND s.revoked_at IS NULL AND s.idle_expires_at > " HW_SES_TS(2)
            " AND s.absolute_expires_at > " HW_SES_TS(2) " FOR UPDATE");
  c.prepare("session_set_active_org",
            "UPDATE sessions SET active_org_id = $2::uuid WHERE id_hash = decode($1, 'hex')");
  c.prepare("session_purge",
            "DELETE FROM sessions WHERE absolute_expires_at < " HW_SES_TS(1)
            " OR revoked_at < " HW_SES_TS(1));
}

bool is_token_digest(std::string_view hex) noexcept {
  if (hex.size() != 64) return false;
  for (char ch : hex) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

std::string token_digest_hex(std::string_view token) { return sha256_hex(token); }

void notify_auth(pqxx::transaction_base& tx, const std::string& payload) {
  tx.exec_prepared("auth_notify", payload);
}

int append_user_audit(pqxx::transaction_base& tx, const std::string& user_id, const audit_entry& e) {
  auto orgs = user_memberships(tx, user_id);
  int n = 0;
  for (const auto& [org, role] : orgs) {
    if (static_cast<std::size_t>(n) >= auth_audit_max_orgs) break;
    audit_entry copy = e;
    copy.org = org_id{org};
    if (copy.who.kind.empty()) copy.who.kind = "system";
    append_audit(tx, copy);  // sets the tenant of its row
    ++n;
  }
  return n;
}

result<int> append_user_audit(pqxx::connection_base& c, const std::string& user_id,
                              const audit_entry& e) {
  if (!is_uuid(user_id)) return 0;
  try {
    pqxx::work tx{c, "append_user_audit"};
    auto n = append_user_audit(tx, canonical_uuid(user_id), e);
    tx.commit();
    return n;
  } catch (...) {
    return map_exception(std::current_exception(), "append_user_audit");
  }
}

result<session_record> create_session(pqxx::connection_base& c, const new_session& s, time_point now,
                                      const actor_ref& who) {
  if (!is_token_digest(s.id_hash))
    return hw::error{errc::invalid_argument, "session: malformed digest"};
  if (s.idle.count() <= 0 || s.absolute.count() <= 0)
    return hw::error{errc::invalid_argument, "session: timeouts must be positive"};
  if (!is_reason(s.method)) return hw::error{errc::invalid_argument, "session: bad method"};
  if (!is_uuid(s.user_id)) return hw::error{errc::not_found, "user not found"};
  if (s.active_org && !is_uuid(s.active_org->value))
    return hw::error{errc::not_found, "organization not found"};
  const auto user_id = canonical_uuid(s.user_id);
  try {
    pqxx::work tx{c, "create_session"};
    if (!tx.exec_prepared1("session_user_exists", user_id)[0].as<bool>())
      return hw::error{errc::not_found, "user not found"};
    std::optional<std::string> active;
    if (s.active_org) {
      active = canonical_uuid(s.active_org->value);
      bool member = false;
      for (const auto& m : user_memberships(tx, user_id)) member = member || m.first == *active;
      if (!member) return hw::error{errc::not_found, "organization not found"};
    }
    const auto absolute = now + s.absolute;
    const auto idle = now + std::min(s.idle, s.absolute);
    std::optional<std::string> ua;
    if (who.user_agent) ua = truncate_user_agent(*who.user_agent);
    auto r = tx.exec_prepared("session_insert", s.id_hash, user_id, nullable(active), s.method,
                              to_epoch_us(now), to_epoch_us(idle), to_epoch_us(absolute),
                              nullable(inet_or_nothing(who.ip)), nullable(ua));
    if (r.empty()) return hw::error{errc::conflict, "session: the id is already in use"};
    auto rec = row_to_session(r[0]);
    audit_entry e;
    e.who = who;
    e.who.kind = "user";  // the person who just authenticated, with the request's context
    e.who.id = user_id;
    e.action = "auth.login";
    e.target = user_id;
    e.detail_json =
      nlohmann::json{{"method", s.method}, {"session", digest_prefix(s.id_hash)}}.dump();
    append_user_audit(tx, user_id, e);
    tx.commit();
    return rec;
  } catch (const pqxx::foreign_key_violation&) {
    return hw::error{errc::not_found, "user not found"};
  } catch (...) {
    return map_exception(std::current_exception(), "session_insert");
  }
}

result<loaded_session> load_session(pqxx::connection_base& c, const std::string& id_hash,
                                    time_point now) {
  if (!is_token_digest(id_hash)) return session_invalid();
  try {
    // One snapshot for the session and the memberships.
    pqxx::read_transaction tx{c, "load_session"};
    auto r = tx.exec_prepared("session_load", id_hash, to_epoch_us(now));
    if (r.empty()) return session_invalid();
    loaded_session out;
    out.session = row_to_session(r[0]);
    out.email = r[0][12].as<std::string>();
    out.display_name = r[0][13].as<std::string>();
    out.auth_method = r[0][14].as<std::string>();
    for (auto& [org, role] : user_memberships(tx, out.session.user_id)) out.roles.emplace(org, role);
    // An SSO session acts only in the organization whose identity provider vouched for it (its
    // active organization, fixed at creation): another organization's IdP must never reach the
    // person's other organizations.
    if (out.auth_method == "sso") {
      std::map<std::string, domain::role> scoped;
      if (out.session.active_org) {
        auto it = out.roles.find(out.session.active_org->value);
        if (it != out.roles.end()) scoped.insert(*it);
      }
      out.roles = std::move(scoped);
    } else {
      // "SSO required": a session that did not come through the organization's identity
      // provider does not reach it (the person's other organizations stay reachable). Owners are
      // exempt: the break-glass path when the identity provider is broken or misconfigured.
      for (const auto& org : sso_required_orgs(tx, out.session.user_id)) out.roles.erase(org);
    }
    // A removed member's session keeps working for the user's other organizations, but it no
    // longer names the organization it was removed from.
    if (out.session.active_org && out.roles.count(out.session.active_org->value) == 0)
      out.session.active_org.reset();
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "session_load");
  }
}

result<time_point> touch_session(pqxx::connection_base& c, const std::string& id_hash,
                                 std::chrono::seconds idle, time_point now) {
  if (!is_token_digest(id_hash)) return session_invalid();
  if (idle.count() <= 0) return hw::error{errc::invalid_argument, "session: idle must be positive"};
  try {
    pqxx::work tx{c, "touch_session"};
    auto r = tx.exec_prepared("session_touch", id_hash, to_epoch_us(now),
                              static_cast<std::int64_t>(idle.count()));
    if (r.empty()) return session_invalid();
    auto t = from_us(r[0][0]);
    tx.commit();
    return t;
  } catch (...) {
    return map_exception(std::current_exception(), "session_touch");
  }
}

result<bool> revoke_session(pqxx::connection_base& c, const std::string& id_hash,
                            const std::string& reason, time_point now, const actor_ref& who) {
  if (!is_reason(reason)) return hw::error{errc::invalid_argument, "reason: [a-z_]{1,40}"};
  if (!is_token_digest(id_hash)) return false;
  try {
    pqxx::work tx{c, "revoke_session"};
    auto r = tx.exec_prepared("session_revoke", id_hash, reason, to_epoch_us(now));
    if (r.empty()) return false;
    const auto user_id = r[0][0].as<std::string>();
    notify_auth(tx, "session:" + id_hash);
    audit_entry e;
    e.who = default_kind(who);
    e.action = "session.revoked";
    e.target = user_id;
    e.detail_json = nlohmann::json{{"reason", reason}, {"session", digest_prefix(id_hash)}}.dump();
    append_user_audit(tx, user_id, e);
    tx.commit();
    return true;
  } catch (...) {
    return map_exception(std::current_exception(), "session_revoke");
  }
}

int revoke_user_sessions(pqxx::transaction_base& tx, const std::string& user_id,
                         const std::string& reason, const std::optional<std::string>& except_hash,
                         time_point now, const actor_ref& who) {
  std::optional<std::string> except;
  if (except_hash && is_token_digest(*except_hash)) except = except_hash;
  auto r = tx.exec_prepared0("session_revoke_user", user_id, reason, to_epoch_us(now),
                             nullable(except));
  const auto n = static_cast<int>(r.affected_rows());
  if (n == 0) return 0;
  notify_auth(tx, "user:" + user_id);
  audit_entry e;
  e.who = default_kind(who);
  e.action = "session.revoked_all";
  e.target = user_id;
  e.detail_json = nlohmann::json{{"reason", reason}, {"count", n}}.dump();
  append_user_audit(tx, user_id, e);
  return n;
}

result<int> revoke_user_sessions(pqxx::connection_base& c, const std::string& user_id,
                                 const std::string& reason,
                                 const std::optional<std::string>& except_hash, time_point now,
                                 const actor_ref& who) {
  if (!is_reason(reason)) return hw::error{errc::invalid_argument, "reason: [a-z_]{1,40}"};
  if (!is_uuid(user_id)) return 0;
  try {
    pqxx::work tx{c, "revoke_user_sessions"};
    auto n = revoke_user_sessions(tx, canonical_uuid(user_id), reason, except_hash, now, who);
    tx.commit();
    return n;
  } catch (...) {
    return map_exception(std::current_exception(), "session_revoke_user");
  }
}

result<int> change_password(pqxx::connection_base& c, const std::string& user_id, const std::string& new_hash,
                            const std::optional<std::string>& keep_session_hash, time_point now,
                            const actor_ref& who) {
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  if (new_hash.rfind("$argon2id$", 0) != 0)
    return hw::error{errc::invalid_argument, "password_hash: must be an argon2id hash"};
  try {
    pqxx::work tx{c, "change_password"};
    auto r = tx.exec_prepared("user_set_password_hash", user_id, new_hash);
    if (r.empty()) return hw::error{errc::not_found, "user not found"};
    const int ended = revoke_user_sessions(tx, user_id, "password_changed", keep_session_hash, now, who);
    audit_entry e;
    e.who = who;
    e.action = "auth.password_changed";
    e.target = user_id;
    e.detail_json = nlohmann::json{{"sessions_ended", ended}}.dump();
    append_user_audit(tx, user_id, e);
    tx.commit();
    return ended;
  } catch (...) {
    return map_exception(std::current_exception(), "change_password");
  }
}

result<hw::unit> set_active_org(pqxx::connection_base& c, const std::string& id_hash,
                                const org_id& org, time_point now) {
  if (!is_token_digest(id_hash)) return session_invalid();
  if (!is_uuid(org.value)) return hw::error{errc::not_found, "organization not found"};
  const auto target = canonical_uuid(org.value);
  try {
    pqxx::work tx{c, "set_active_org"};
    auto r = tx.exec_prepared("session_lock_valid", id_hash, to_epoch_us(now));
    if (r.empty()) return session_invalid();
    const auto user_id = r[0][0].as<std::string>();
    if (r[0][1].as<std::string>() == "sso" && (r[0][2].is_null() || r[0][2].as<std::string>() != target))
      return hw::error{errc::not_found, "organization not found (a single sign-on session acts only in its own organization)"};
    bool member = false;
    for (const auto& m : user_memberships(tx, user_id)) member = member || m.first == target;
    if (!member) return hw::error{errc::not_found, "organization not found"};
    tx.exec_prepared0("session_set_active_org", id_hash, target);
    notify_auth(tx, "session:" + id_hash);
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "session_set_active_org");
  }
}

result<int> purge_sessions(pqxx::connection_base& c, time_point now, std::chrono::seconds keep) {
  try {
    pqxx::work tx{c, "purge_sessions"};
    auto r = tx.exec_prepared0("session_purge", to_epoch_us(now - keep));
    tx.commit();
    return static_cast<int>(r.affected_rows());
  } catch (...) {
    return map_exception(std::current_exception(), "session_purge");
  }
}

}  // namespace hw::storage
