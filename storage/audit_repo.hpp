#pragma once
// audit_events: append (inside the caller's transaction) and list (keyset pages, newest first).
// The table is append-only in the database (0005: UPDATE/DELETE/TRUNCATE raise). Every statement
// binds org_id as $1.
#include "actors/domain/audit.hpp"
#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_audit_statements(pqxx::connection_base& c);

/// Appends `e` in the caller's transaction (it commits or rolls back with the change it records).
/// An empty actor kind is stored as "system"; the user agent is cut to 512 bytes; an ip that is not
/// an IP address is stored as NULL. Throws like any statement (the caller maps exceptions).
void append_audit(pqxx::transaction_base& tx, const audit_entry& e);

/// The common case of the above: `who` (kind "system" when empty) did `action` on `target`.
void append_audit(pqxx::transaction_base& tx, const org_id& org, const actor_ref& who, std::string action,
                  std::string target, std::string detail_json);

/// The address as PostgreSQL's inet takes it (zone id dropped), or nothing for anything that is
/// not strictly an IPv4/IPv6 address: a bad value must never fail the audited change's INSERT.
std::optional<std::string> inet_or_nothing(const std::optional<std::string>& ip);

/// Appends `e` in its own transaction when e.org names an existing organization; false (and
/// nothing written) when it does not. For refused requests that change nothing else.
result<bool> append_audit_if_org_exists(pqxx::connection_base& c, const audit_entry& e);

/// One page of `org`'s audit log, newest first (id DESC), filtered by `q`. invalid_argument for a
/// bad query (validate(q)) or cursor; not_found when the organization does not exist.
result<audit_page> list_audit(pqxx::connection_base& c, const org_id& org, const audit_query& q);

}  // namespace hw::storage
