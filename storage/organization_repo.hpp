#pragma once
// The organizations table. Every statement binds org_id as $1.
#include <cstdint>
#include <string>

#include "actors/domain/entity_gateway.hpp"
#include "actors/domain/organization.hpp"
#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}

namespace hw::storage {

void prepare_organization_statements(pqxx::connection_base& c);

/// not_found when no such organization.
result<domain::organization> load_organization(pqxx::connection_base& c, const org_id& id);

/// Inserts with a fresh id (ignores c.id/version) and version 1, plus an audit row, in one
/// transaction. conflict when the slug is taken; invalid_argument for an unknown time zone.
result<domain::organization> insert_organization(pqxx::connection_base& c, const domain::org_create& req,
                                                 const actor_ref& who);

/// The same inside the caller's transaction (which it does not commit), for operations that create
/// an organization together with other rows (storage/user_repo create_org_with_owner). Returns
/// conflict / invalid_argument like the above; other failures throw (the caller maps them).
result<domain::organization> insert_organization(pqxx::transaction_base& tx, const domain::org_create& req,
                                                 const actor_ref& who);

/// Compare-and-swap: writes `next` when the stored version equals `expected_version`, bumps the
/// version and writes an audit row (`action`, e.g. "organization.updated") in the same
/// transaction. version_conflict when the stored version differs, not_found when missing,
/// conflict when the new slug is taken. Returns the stored row (new version, updated_at).
result<domain::organization> save_organization(pqxx::connection_base& c, const domain::organization& next,
                                               std::int64_t expected_version, const actor_ref& who,
                                               const std::string& action);

/// Inserts the demo organization (slug "demo") unless it exists; returns it either way.
result<domain::organization> ensure_demo_organization(pqxx::connection_base& c);

}  // namespace hw::storage
