#pragma once
// Accounts (issue 3): `users` (GLOBAL: one person, possibly in several organizations) and
// `memberships` (tenant: one role per user per organization). Membership statements bind org_id as
// $1; user statements bind user_id (or the normalized e-mail) as $1. Every membership change
// writes its audit row (append_audit) in the same transaction: member.added, member.role_changed,
// member.removed (target = the user id; detail = role names, never e-mail addresses), and
// NOTIFYs "user:<uuid>" on channel hw_auth (session_repo.hpp) in the same transaction, so session
// caches drop the member's cached roles.
//
// Owner invariant: change_role and remove_member lock the organization's owner memberships
// (SELECT ... FOR UPDATE, in user_id order) in the transaction that applies the change and apply
// domain::last_owner_guard to that count, so two concurrent demotions cannot leave zero owners.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/organization.hpp"
#include "actors/domain/permissions.hpp"
#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

struct user_record {
  std::string id;                // user_id, canonical UUID text
  std::string email;             // as given (trimmed)
  std::string email_normalized;  // the unique login key
  std::string display_name;
  std::optional<std::string> password_hash;        // argon2id PHC string; none: SSO-only
  std::optional<std::string> password_changed_at;  // RFC 3339 UTC
  std::string created_at;
  std::string updated_at;
  std::int64_t version = 1;
};

struct user_create {
  std::string email;
  std::string display_name;
  std::optional<std::string> password_hash;  // already hashed (auth::hash_password); never plain
};

/// One member of an organization, with the account fields the member list shows.
struct member_record {
  org_id org;
  std::string user_id;
  domain::role role = domain::role::viewer;
  std::string email;
  std::string display_name;
  std::string created_at;
  std::string updated_at;
};

/// One organization a user belongs to ("my organizations").
struct user_org_record {
  org_id org;
  std::string slug;
  std::string name;
  domain::role role = domain::role::viewer;
};

struct org_with_owner {
  domain::organization org;
  user_record owner;
  bool owner_created = false;  // false: an existing account (found by e-mail) became the owner
};

void prepare_user_statements(pqxx::connection_base& c);

/// Trims ASCII whitespace and lower-cases ASCII letters. invalid_argument ("email: ...") unless
/// the result has one '@' with a non-empty local part and domain, at most 254 bytes, and no
/// whitespace or control characters.
result<std::string> normalize_email(std::string_view email);

/// Inserts a user. invalid_argument for a bad e-mail or display name (over 200 characters or
/// surrounding spaces are trimmed first), conflict "email: already registered" when the normalized
/// e-mail exists. Users are global: no audit row (the membership that follows writes one).
result<user_record> create_user(pqxx::connection_base& c, const user_create& req);

/// By e-mail, compared normalized (case-insensitive, trimmed). not_found when none.
result<user_record> find_user_by_email(pqxx::connection_base& c, std::string_view email);

/// not_found when no such user (or a malformed id).
result<user_record> load_user(pqxx::connection_base& c, const std::string& user_id);

/// Stores a new argon2id hash (password_changed_at = now(), version + 1). not_found when no such
/// user; invalid_argument when `hash` is not an argon2id string.
result<user_record> set_password_hash(pqxx::connection_base& c, const std::string& user_id,
                                      const std::string& hash);

/// Adds `user_id` to `org` with `role` and an audit row. conflict when already a member;
/// not_found when the organization or the user does not exist.
result<member_record> add_membership(pqxx::connection_base& c, const org_id& org,
                                     const std::string& user_id, domain::role role,
                                     const actor_ref& who);

/// The same inside the caller's transaction (accept_team_invitation, SSO provisioning): sets the
/// tenant, inserts, appends member.added with `detail_json` (a JSON object; "role" is added) and
/// NOTIFYs "user:<uuid>" on hw_auth. conflict when already a member. Throws like any statement
/// (pqxx::foreign_key_violation for an unknown org or user).
result<member_record> add_membership(pqxx::transaction_base& tx, const org_id& org,
                                     const std::string& user_id, domain::role role,
                                     const actor_ref& who, const std::string& detail_json = "{}");

/// Changes a member's role in one transaction: locks the org's owner memberships (and the target's
/// and, for who.kind == "user", the actor's) FOR UPDATE, then decides:
///  - who.kind == "user": domain::check_role_change with the actor's role read under that lock
///    (forbidden when the actor is not a member or may not do it);
///  - any other actor (operator CLI, system): domain::last_owner_guard only.
/// conflict (domain::last_owner_detail) when the change would leave no owner; not_found when the
/// target is not a member of `org`. Setting the current role again changes nothing (no audit row).
result<member_record> change_role(pqxx::connection_base& c, const org_id& org,
                                  const std::string& user_id, domain::role new_role,
                                  const actor_ref& who);

/// Removes a member with the same locking and checks (check_member_removal / last_owner_guard).
result<hw::unit> remove_member(pqxx::connection_base& c, const org_id& org,
                               const std::string& user_id, const actor_ref& who);

/// The members of `org`, oldest membership first. not_found when the organization does not exist.
result<std::vector<member_record>> list_members(pqxx::connection_base& c, const org_id& org);

/// The organizations `user_id` belongs to, by slug. Empty for an unknown user.
result<std::vector<user_org_record>> list_user_orgs(pqxx::connection_base& c,
                                                    const std::string& user_id);

/// Self-service sign-up and the operator CLI: in ONE transaction, the organization (as
/// insert_organization, with its organization.created audit row), the owner's account — an
/// existing account with the same normalized e-mail is reused as is (its password and name are
/// NOT changed; owner.password_hash is then unused) — and the owner membership with its
/// member.added audit row. conflict when the slug is taken (nothing written); invalid_argument for
/// a bad organization, e-mail or display name.
result<org_with_owner> create_org_with_owner(pqxx::connection_base& c, const domain::org_create& org,
                                             const user_create& owner, const actor_ref& who);

}  // namespace hw::storage
