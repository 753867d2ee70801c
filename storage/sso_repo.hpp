#pragma once
// Per-organization OpenID Connect settings and login states (issue 3, migration 0009). Both are
// TENANT tables with forced row-level security.
// - sso_configs: one row per organization. The client secret arrives ENCRYPTED by the service
//   (client_secret_enc: opaque bytes, stored as bytea); storage never sees it in clear and never
//   puts it in an audit row. Audit: sso.configured {changed: [field names]} in the same tx.
// - sso_login_states: one row per started login, keyed by the digest of the `state` parameter
//   (64 lowercase hex chars of SHA-256(state), session_repo.hpp token_digest_hex); single use,
//   at most 10 minutes. nonce and code_verifier are stored as given (the service may encrypt them).
// Times come from the caller's `now`.
#include <chrono>
#include <cstdint>
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

/// The longest lifetime create_sso_login_state accepts (ASVS 6.5.5).
inline constexpr std::chrono::minutes sso_login_state_max_lifetime{10};

void prepare_sso_statements(pqxx::connection_base& c);

struct sso_config_record {
  org_id org;
  bool enabled = false;
  std::string issuer;
  std::string client_id;
  std::optional<std::string> client_secret_enc;  // raw bytes as stored; nullopt: none set
  std::vector<std::string> allowed_domains;      // lower case
  domain::role default_role = domain::role::viewer;
  bool sso_required = false;
  std::int64_t version = 0;
  std::string updated_at;  // RFC 3339 UTC
};

struct sso_config_put {
  bool enabled = false;
  std::string issuer;     // at most 500 bytes, no control characters (the service checks the URL)
  std::string client_id;  // at most 500 bytes
  /// nullopt: keep the stored secret; a value: replace it (raw bytes, at most 4096).
  std::optional<std::string> client_secret_enc;
  std::vector<std::string> allowed_domains;  // each 1..253 bytes, no spaces/'@'; stored lower case
  domain::role default_role = domain::role::viewer;
  bool sso_required = false;
  /// Compare-and-swap: when present, the stored version must equal it (0: no row yet), else
  /// version_conflict.
  std::optional<std::int64_t> expected_version;
};

/// nullopt when the organization has no SSO settings. not_found for an unknown organization.
result<std::optional<sso_config_record>> get_sso_config(pqxx::connection_base& c, const org_id& org);

/// Inserts or updates the row (version + 1, updated_at = now) and appends sso.configured with the
/// names of the fields that changed ("client_secret" when a secret was given, never its value).
/// A change also NOTIFYs "all" on hw_auth (cached sessions are dropped everywhere: what they
/// reach depends on these settings). An identical put changes nothing and writes no audit row. invalid_argument for bad fields;
/// not_found for an unknown org; version_conflict (see expected_version).
result<sso_config_record> put_sso_config(pqxx::connection_base& c, const org_id& org,
                                         const sso_config_put& req, time_point now,
                                         const actor_ref& who);

struct sso_org_lookup {
  org_id org;
  std::string org_name;
  std::string org_slug;
  sso_config_record config;
};

/// The organization with this slug and its SSO settings, whatever the tenant (a cross-tenant
/// lookup by slug: system scope for that one SELECT only). not_found when the slug is unknown or
/// the organization has no ENABLED SSO settings.
result<sso_org_lookup> find_sso_by_org_slug(pqxx::connection_base& c, const std::string& slug);

/// For the login of a password user: each organization the user belongs to and whether it
/// requires SSO (enabled AND sso_required). Empty for an unknown user or no memberships.
struct org_sso_requirement {
  org_id org;
  bool sso_required = false;
};
result<std::vector<org_sso_requirement>> user_sso_requirements(pqxx::connection_base& c,
                                                               const std::string& user_id);

struct sso_login_state_create {
  org_id org;
  std::string state_hash;     // 64 hex digest of the state parameter
  std::string nonce;          // 1..200 bytes
  std::string code_verifier;  // PKCE, 43..128 bytes
  std::string redirect_uri;   // 1..2000 bytes
  time_point expires_at;      // now < expires_at <= now + 10 min
};

struct sso_login_state {
  org_id org;
  std::string nonce;
  std::string code_verifier;
  std::string redirect_uri;
};

/// Stores a started login. invalid_argument for bad fields; not_found for an unknown org;
/// conflict when the digest exists.
result<hw::unit> create_sso_login_state(pqxx::connection_base& c, const sso_login_state_create& s,
                                        time_point now);

/// Single use: marks the state used and returns it, whatever its organization (lookup by digest,
/// system scope for that statement only; the organization comes from the row). unauthorized for a
/// malformed digest or an unknown, used or expired (now >= expires_at) state.
result<sso_login_state> consume_sso_login_state(pqxx::connection_base& c,
                                                const std::string& state_hash, time_point now);

/// Deletes login states that expired before `now - keep`, in every organization (maintenance,
/// system scope). Returns the count.
result<int> purge_sso_login_states(pqxx::connection_base& c, time_point now, std::chrono::seconds keep);

}  // namespace hw::storage
