#include "storage/password_reset_repo.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "storage/pg.hpp"
#include "storage/session_repo.hpp"

namespace hw::storage {

namespace {

#define HW_PWR_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"

hw::error reset_invalid() { return {errc::unauthorized, "the reset link is invalid or has expired"}; }

actor_ref default_kind(actor_ref who) {
  if (who.kind.empty()) who.kind = "system";
  return who;
}

}  // namespace

void prepare_password_reset_statements(pqxx::connection_base& c) {
  c.prepare("password_reset_user", "SELECT email FROM users WHERE user_id = $1::uuid FOR SHARE");
  c.prepare("password_reset_invalidate",
            "UPDATE password_resets SET invalidated_at = " HW_PWR_TS(2)
            " WHERE user_id = $1::uuid AND used_at IS NULL AND invalidated_at IS NULL");
  c.prepare("password_reset_insert",
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)"
            " VALUES (decode($1, 'hex'), $2::uuid, " HW_PWR_TS(3) ", " HW_PWR_TS(4) ")"
            " ON CONFLICT (token_hash) DO NOTHING RETURNING 1");
  // Where the reset mail is queued: the organization of the oldest membership.
  c.prepare("password_reset_mail_org",
            "SELECT org_id::text FROM memberships WHERE user_id = $1::uuid"
            " ORDER BY created_at, org_id LIMIT 1");
  // Single use: only an unused, not superseded token before its expiry; the row lock makes a
  // concurrent second consume wait and then find used_at set.
  c.prepare("password_reset_consume",
            "UPDATE password_resets SET used_at = " HW_PWR_TS(2)
            " WHERE token_hash = decode($1, 'hex') AND used_at IS NULL AND invalidated_at IS NULL"
            " AND expires_at > " HW_PWR_TS(2) " RETURNING user_id::text");
  c.prepare("password_reset_check",
            "SELECT 1 FROM password_resets WHERE token_hash = decode($1, 'hex') AND used_at IS NULL"
            " AND invalidated_at IS NULL AND expires_at > " HW_PWR_TS(2));
  c.prepare("password_reset_recent",
            "SELECT EXISTS (SELECT 1 FROM password_resets WHERE user_id = $1::uuid AND used_at IS NULL"
            " AND invalidated_at IS NULL AND created_at > " HW_PWR_TS(2) ")");
  c.prepare("password_reset_purge",
            "DELETE FROM password_resets WHERE expires_at < " HW_PWR_TS(1));
}

result<password_reset_created> create_password_reset(pqxx::connection_base& c,
                                                     const std::string& user_id,
                                                     const std::string& token_hash,
                                                     time_point expires_at, const email_draft& mail,
                                                     time_point now, const actor_ref& who) {
  if (!is_token_digest(token_hash))
    return hw::error{errc::invalid_argument, "token: malformed digest"};
  if (expires_at <= now || expires_at > now + password_reset_max_lifetime)
    return hw::error{errc::invalid_argument, "expires_at: must be within 30 minutes from now"};
  if (!is_uuid(user_id)) return hw::error{errc::not_found, "user not found"};
  const auto uid = canonical_uuid(user_id);
  try {
    pqxx::work tx{c, "create_password_reset"};
    auto u = tx.exec_prepared("password_reset_user", uid);
    if (u.empty()) return hw::error{errc::not_found, "user not found"};
    // At most one e-mail per account per password_reset_min_interval: asking again and again
    // neither floods the inbox nor keeps killing the link the person is about to click.
    if (tx.exec_prepared1("password_reset_recent", uid, to_epoch_us(now - password_reset_min_interval))[0]
          .as<bool>()) {
      return hw::error{errc::rate_limited, "password reset: a link was sent moments ago"};
    }
    tx.exec_prepared0("password_reset_invalidate", uid, to_epoch_us(now));
    auto ins = tx.exec_prepared("password_reset_insert", token_hash, uid, to_epoch_us(now),
                                to_epoch_us(expires_at));
    if (ins.empty()) return hw::error{errc::conflict, "token: the digest is already in use"};

    password_reset_created out;
    // The user's memberships span tenants: system scope for this one read.
    set_system_scope(tx);
    auto org = tx.exec_prepared("password_reset_mail_org", uid);
    clear_system_scope(tx);
    if (!org.empty()) {
      out.mail_org = org_id{org[0][0].as<std::string>()};
      email_draft d = mail;
      d.to_address = u[0][0].as<std::string>();
      auto e = enqueue_email(tx, *out.mail_org, d, now);
      if (!e) return std::move(e).error();  // invalid draft: nothing is committed
      out.email_id = e->id;
    }
    audit_entry a;
    a.who = default_kind(who);
    a.action = "auth.password_reset_requested";
    a.target = uid;
    a.detail_json = nlohmann::json{{"mailed", out.email_id.has_value()}}.dump();
    append_user_audit(tx, uid, a);
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "password_reset_insert");
  }
}

result<password_reset_consumed> consume_password_reset(pqxx::connection_base& c,
                                                       const std::string& token_hash,
                                                       const std::string& new_password_hash,
                                                       time_point now, const actor_ref& who) {
  if (!is_token_digest(token_hash)) return reset_invalid();
  if (new_password_hash.rfind("$argon2id$", 0) != 0)
    return hw::error{errc::invalid_argument, "password_hash: must be an argon2id hash"};
  try {
    pqxx::work tx{c, "consume_password_reset"};
    auto r = tx.exec_prepared("password_reset_consume", token_hash, to_epoch_us(now));
    if (r.empty()) return reset_invalid();
    password_reset_consumed out;
    out.user_id = r[0][0].as<std::string>();
    // The statement of storage/user_repo.cpp set_password_hash (same connection).
    if (tx.exec_prepared("user_set_password_hash", out.user_id, new_password_hash).empty())
      return reset_invalid();  // the account vanished (rolled back)
    out.sessions_revoked =
      revoke_user_sessions(tx, out.user_id, "password_reset", std::nullopt, now, who);
    audit_entry a;
    a.who = default_kind(who);
    a.action = "auth.password_reset";
    a.target = out.user_id;
    a.detail_json = nlohmann::json{{"sessions_revoked", out.sessions_revoked}}.dump();
    append_user_audit(tx, out.user_id, a);
    tx.commit();
    return out;
  } catch (...) {
    return map_exception(std::current_exception(), "password_reset_consume");
  }
}

result<int> purge_password_resets(pqxx::connection_base& c, time_point now,
                                  std::chrono::seconds keep) {
  try {
    pqxx::work tx{c, "purge_password_resets"};
    auto r = tx.exec_prepared0("password_reset_purge", to_epoch_us(now - keep));
    tx.commit();
    return static_cast<int>(r.affected_rows());
  } catch (...) {
    return map_exception(std::current_exception(), "password_reset_purge");
  }
}

result<hw::unit> check_password_reset(pqxx::connection_base& c, const std::string& token_hash, time_point now) {
  if (!is_token_digest(token_hash)) return hw::error{errc::unauthorized, "the reset link is invalid or has expired"};
  try {
    pqxx::read_transaction tx{c, "password_reset_check"};
    auto r = tx.exec_prepared("password_reset_check", token_hash, to_epoch_us(now));
    tx.commit();
    if (r.empty()) return hw::error{errc::unauthorized, "the reset link is invalid or has expired"};
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "password_reset_check");
  }
}

}  // namespace hw::storage
