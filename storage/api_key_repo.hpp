#pragma once
// Organization API keys (issue 3, migration 0009): `api_keys` is a TENANT table ((org_id, key_id)
// primary key, forced row-level security). Only the key digest is stored (64 lowercase hex chars of
// SHA-256(key), session_repo.hpp token_digest_hex) plus a short display prefix of the key.
// Audit rows in the same transaction (target = key id, never the key): api_key.created
// {role, expires}, api_key.revoked {}, api_key.first_used {}.
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "actors/domain/permissions.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

/// last_used_at is written at most once per this interval per key (keeps authentication cheap).
inline constexpr std::chrono::seconds api_key_last_used_granularity{60};

void prepare_api_key_statements(pqxx::connection_base& c);

struct api_key_record {
  org_id org;
  std::string id;      // key_id, canonical UUID
  std::string name;
  std::string prefix;  // the first characters of the key ("hwk_ab12"), shown to recognise it
  domain::role role = domain::role::viewer;
  std::string created_by_kind;
  std::string created_by_id;
  std::string created_at;  // RFC 3339 UTC
  std::optional<std::string> expires_at;
  std::optional<std::string> last_used_at;
  std::optional<std::string> first_used_at;
  std::optional<std::string> revoked_at;
};

struct api_key_create_row {
  std::string name;        // 1..100 characters after trimming, no control characters
  std::string prefix;      // 4..16 printable ASCII characters, no spaces (first 8 of the key)
  std::string key_hash;    // 64 hex digest of the whole key
  domain::role role = domain::role::viewer;
  std::optional<time_point> expires_at;  // must be > now when present
};

/// Inserts the key (created_by = who.kind / who.id) with its api_key.created audit row.
/// invalid_argument for a bad name, prefix, digest or expiry; not_found for an unknown org;
/// conflict when the digest exists.
result<api_key_record> create_api_key(pqxx::connection_base& c, const org_id& org,
                                      const api_key_create_row& req, time_point now,
                                      const actor_ref& who);

/// The org's keys (revoked ones included), newest first. not_found for an unknown org.
result<std::vector<api_key_record>> list_api_keys(pqxx::connection_base& c, const org_id& org);

/// revoked_at = now with api_key.revoked. Revoking a revoked key succeeds and writes nothing;
/// not_found for an unknown id (or another org's).
result<hw::unit> revoke_api_key(pqxx::connection_base& c, const org_id& org, const std::string& id,
                                time_point now, const actor_ref& who);

/// The key with this digest, whatever its organization (cross-tenant lookup by digest, system
/// scope for that one SELECT only). unauthorized for a malformed digest or an unknown, revoked or
/// expired (now >= expires_at) key.
result<api_key_record> find_api_key_by_hash(pqxx::connection_base& c, const std::string& key_hash,
                                            time_point now);

/// Records a use at `now`: the first use sets first_used_at and last_used_at and appends
/// api_key.first_used (returns true, exactly once even under concurrency); later uses update
/// last_used_at only when it is older than api_key_last_used_granularity (returns false).
/// not_found for an unknown id.
result<bool> mark_api_key_used(pqxx::connection_base& c, const org_id& org, const std::string& id,
                               time_point now, const actor_ref& who);

}  // namespace hw::storage
