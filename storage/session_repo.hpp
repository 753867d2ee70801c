#pragma once
// Recruiter sessions (issue 3, migration 0008): `sessions` is a GLOBAL table like `users` — a
// session belongs to a person, not to an organization; which organizations it may act in comes
// from the person's memberships, read at load time.
//
// Secrets: the session token (256 random bits) never reaches storage. Every function takes the
// token DIGEST as 64 lowercase hex characters of SHA-256(token) (token_digest_hex); the column is
// bytea(32). Digests may appear in NOTIFY payloads (they are not secrets), and audit rows carry
// only their first 12 hex characters.
//
// Time: every decision uses the caller's `now` (bound as epoch microseconds), never now() in SQL.
//
// Cross-process invalidation (the session cache of account_service): every revocation, every
// active-organization switch and every membership change runs, in the SAME transaction,
//   SELECT pg_notify('hw_auth', payload)
// with payload "session:<64 hex digest>" (one session changed or ended) or "user:<user uuid>"
// (all sessions of that user: revoke_user_sessions, add_membership / change_role / remove_member /
// create_org_with_owner / accept_team_invitation, password reset). Delivered only on commit.
//
// Auth audit rows: sessions have no organization, so authentication events (auth.login,
// session.revoked, session.revoked_all, auth.password_reset*, auth.login_failed via
// append_user_audit) are appended to EVERY organization the user is a member of (oldest
// membership first, at most auth_audit_max_orgs), in the same transaction as the change. A user
// with no membership leaves no audit row (nothing to attach it to).
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/permissions.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

/// The LISTEN/NOTIFY channel of session and membership invalidations.
inline constexpr const char* auth_notify_channel = "hw_auth";

/// At most this many organizations receive a copy of one auth audit row.
inline constexpr std::size_t auth_audit_max_orgs = 20;

void prepare_session_statements(pqxx::connection_base& c);

/// True for 64 lowercase hex characters (a SHA-256 digest as storage takes it).
bool is_token_digest(std::string_view hex) noexcept;

/// SHA-256 of `token` as 64 lowercase hex characters: the digest form every *_repo takes. For the
/// service and tests; the token itself is never stored or logged.
std::string token_digest_hex(std::string_view token);

struct new_session {
  std::string user_id;                // canonical UUID text
  std::string id_hash;                // token_digest_hex(session token)
  std::optional<org_id> active_org;   // must be a membership of the user (else not_found)
  std::chrono::seconds idle{30 * 60};        // idle timeout (ASVS: 30 min at L2)
  std::chrono::seconds absolute{12 * 3600};  // absolute lifetime (ASVS: 12 h at L2)
  std::string method = "password";    // password | signup | invitation | sso: audit detail only
};

struct session_record {
  std::string id_hash;  // 64 hex
  std::string user_id;
  std::optional<org_id> active_org;
  time_point created_at;
  time_point last_seen_at;
  time_point idle_expires_at;
  time_point absolute_expires_at;
  std::string absolute_expires_at_rfc3339;  // for me_view.session_expires_at
  std::optional<time_point> revoked_at;
  std::optional<std::string> revoke_reason;
  std::optional<std::string> ip;
  std::optional<std::string> user_agent;
};

/// A valid session with what authenticate_session needs to build a principal.
struct loaded_session {
  session_record session;
  std::string email;
  std::string display_name;
  std::map<std::string, domain::role> roles;  // org uuid -> role: ALL memberships of the user,
                                              // except for an "sso" session: only its active org
  std::string auth_method;                    // password | signup | invitation | sso
};

/// Inserts a session: created_at = last_seen_at = now, idle_expires_at = now + min(idle, absolute),
/// absolute_expires_at = now + absolute; ip and user agent (cut to 512 bytes) from `who`. Writes
/// an "auth.login" audit row (actor: the user, with who's ip/ua/request id; detail: method and
/// session digest prefix) into each of the user's organizations, same transaction.
/// invalid_argument for a malformed digest or non-positive durations; not_found for an unknown
/// user or an active_org the user is not a member of; conflict when the digest exists.
result<session_record> create_session(pqxx::connection_base& c, const new_session& s, time_point now,
                                      const actor_ref& who);

/// Any other session leaves out the organizations whose SSO settings require single sign-on,
/// except those where the person is an owner (break-glass).
/// An SSO session (method "sso") is SCOPED to its active organization, fixed at creation: roles
/// hold only that membership and set_active_org refuses any other organization, so one
/// organization's identity provider can never act in the person's other organizations.
///
/// The session with the user's e-mail, display name and all memberships — only when it is not
/// revoked, now < idle_expires_at and now < absolute_expires_at; unauthorized otherwise (also for
/// a malformed digest). active_org is reported only while the user is still a member of it.
/// Read-only: call touch_session to extend the idle expiry.
result<loaded_session> load_session(pqxx::connection_base& c, const std::string& id_hash,
                                    time_point now);

/// Marks activity: last_seen_at = now, idle_expires_at = min(now + idle, absolute_expires_at).
/// Returns the new idle expiry. unauthorized when the session is not valid at `now`.
result<time_point> touch_session(pqxx::connection_base& c, const std::string& id_hash,
                                 std::chrono::seconds idle, time_point now);

/// Ends one session (revoked_at = now, revoke_reason = reason: [a-z_]{1,40}, e.g. "logout").
/// true when this call revoked it (then: NOTIFY "session:<digest>" and a "session.revoked" audit
/// row with detail {reason, session prefix}); false when it was unknown or already revoked
/// (idempotent, nothing written). invalid_argument for a bad reason.
result<bool> revoke_session(pqxx::connection_base& c, const std::string& id_hash,
                            const std::string& reason, time_point now, const actor_ref& who);

/// Ends every unrevoked session of the user except `except_hash` (e.g. the current one after a
/// password change). Returns how many were revoked; when > 0: NOTIFY "user:<uuid>" and one
/// "session.revoked_all" audit row per organization (detail {reason, count}). 0 for an unknown
/// user. invalid_argument for a bad reason.
result<int> revoke_user_sessions(pqxx::connection_base& c, const std::string& user_id,
                                 const std::string& reason,
                                 const std::optional<std::string>& except_hash, time_point now,
                                 const actor_ref& who);

/// The same inside the caller's transaction (password reset, disabling an account). Throws like
/// any statement; the reason must already be valid.
int revoke_user_sessions(pqxx::transaction_base& tx, const std::string& user_id,
                         const std::string& reason, const std::optional<std::string>& except_hash,
                         time_point now, const actor_ref& who);

/// A password change in ONE transaction: stores `new_hash` (argon2id) on the user, ends every other
/// session of the user (reason "password_changed", NOTIFY "user:<uuid>" when any) and appends
/// "auth.password_changed" (detail: how many sessions ended) to each of the user's organizations.
/// not_found for an unknown user; invalid_argument when the hash is not argon2id.
result<int> change_password(pqxx::connection_base& c, const std::string& user_id, const std::string& new_hash,
                            const std::optional<std::string>& keep_session_hash, time_point now,
                            const actor_ref& who);

/// Switches the session's active organization. not_found unless the user is a member of `org`;
/// unauthorized when the session is not valid at `now`. NOTIFY "session:<digest>".
result<hw::unit> set_active_org(pqxx::connection_base& c, const std::string& id_hash,
                                const org_id& org, time_point now);

/// Deletes sessions whose absolute expiry (or revocation) is older than `now - keep`. Returns the
/// count. A maintenance job; no audit, no NOTIFY (they are invalid already).
result<int> purge_sessions(pqxx::connection_base& c, time_point now, std::chrono::seconds keep);

/// Appends `e` (its org is ignored) to each of `user_id`'s organizations (auth_audit_max_orgs at
/// most), in its own transaction: for refused logins of a known account ("auth.login_failed",
/// outcome "failure"). Returns the number of rows written (0 without memberships).
result<int> append_user_audit(pqxx::connection_base& c, const std::string& user_id,
                              const audit_entry& e);

// ---- building blocks for the other account repositories (inside the caller's transaction;
// ---- they throw like any statement)

/// SELECT pg_notify('hw_auth', payload) in `tx` (delivered on commit).
void notify_auth(pqxx::transaction_base& tx, const std::string& payload);

/// The same fan-out as append_user_audit, inside `tx`. Leaves the system scope cleared and the
/// tenant set to the last organization written. Returns the number of rows.
int append_user_audit(pqxx::transaction_base& tx, const std::string& user_id, const audit_entry& e);

}  // namespace hw::storage
