#pragma once
// Password reset tokens (issue 3, migration 0008): `password_resets` is GLOBAL (a reset belongs to
// a person). Only the token digest is stored (64 lowercase hex chars of SHA-256(token), see
// session_repo.hpp token_digest_hex); a token is single-use and lives at most 30 minutes.
// Times come from the caller's `now`.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/email_repo.hpp"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

/// create_password_reset refuses (rate_limited, nothing written) while the user has an unused
/// link younger than this.
inline constexpr std::chrono::seconds password_reset_min_interval{60};

/// The longest lifetime create_password_reset accepts.
inline constexpr std::chrono::minutes password_reset_max_lifetime{30};

void prepare_password_reset_statements(pqxx::connection_base& c);

struct password_reset_created {
  /// email_messages is a tenant table, so the reset e-mail is queued in the organization of the
  /// user's OLDEST membership (created_at, then org id). No membership: no e-mail (mail_org and
  /// email_id empty); the token row is still written, so the caller's timing does not reveal it.
  std::optional<org_id> mail_org;
  std::optional<std::int64_t> email_id;
};

/// In ONE transaction: invalidates the user's earlier unused reset tokens, inserts this one
/// (created_at = now, expires_at), queues `mail` (its to_address is replaced by the account's
/// e-mail; the caller builds subject and bodies with the link) through enqueue_email, and writes
/// an "auth.password_reset_requested" audit row into each of the user's organizations.
/// invalid_argument for a malformed digest, expires_at <= now or > now + 30 min, or a bad draft;
/// not_found for an unknown user; conflict when the digest exists.
result<password_reset_created> create_password_reset(pqxx::connection_base& c,
                                                     const std::string& user_id,
                                                     const std::string& token_hash,
                                                     time_point expires_at, const email_draft& mail,
                                                     time_point now, const actor_ref& who);

struct password_reset_consumed {
  std::string user_id;
  int sessions_revoked = 0;
};

/// In ONE transaction: marks the token used (single use: only an unused, not invalidated token
/// with now < expires_at), stores `new_password_hash` (argon2id PHC string) on the user, revokes
/// every session of the user (reason "password_reset", NOTIFY "user:<uuid>") and writes an
/// "auth.password_reset" audit row into each of the user's organizations.
/// unauthorized ("the reset link is invalid or has expired") for an unknown, used, superseded or
/// expired token or a malformed digest; invalid_argument when the hash is not argon2id.
result<password_reset_consumed> consume_password_reset(pqxx::connection_base& c,
                                                       const std::string& token_hash,
                                                       const std::string& new_password_hash,
                                                       time_point now, const actor_ref& who);

/// Deletes reset rows that expired before `now - keep`. Maintenance; returns the count.
result<int> purge_password_resets(pqxx::connection_base& c, time_point now, std::chrono::seconds keep);

/// Whether the token could be consumed now (unused, not superseded, not expired), without
/// consuming it: lets the caller refuse a bad link before spending an argon2id hash on it.
/// unauthorized otherwise (also for a malformed digest).
result<hw::unit> check_password_reset(pqxx::connection_base& c, const std::string& token_hash, time_point now);

}  // namespace hw::storage
