#pragma once
// Connection helpers and the one place that turns libpqxx exceptions into hw::error.
// Blocking: call only from a detached db_worker actor or from tests.
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}

namespace hw::storage {

/// Deletes the concrete pqxx::connection behind a connection_base pointer. Needed because
/// pqxx 6's connection_base has a NON-virtual destructor: a plain
/// std::unique_ptr<pqxx::connection_base> would skip ~basic_connection_base (close()) and leak the
/// server connection. Deliberately not convertible to/from std::default_delete.
struct connection_closer {
  void operator()(pqxx::connection_base* c) const noexcept;
};
using connection_ptr = std::unique_ptr<pqxx::connection_base, connection_closer>;

/// Opens a connection, sets the per-statement timeout (restored by libpqxx after an automatic
/// reconnect) and prepares every repository's statements (lazily, so it works before migrations).
/// Throws pqxx::broken_connection when the server is unreachable.
connection_ptr connect(const std::string& dsn, std::chrono::milliseconds statement_timeout);

/// Calls every repository's prepare_*_statements on `c` (once per connection).
void prepare_all(pqxx::connection_base& c);

/// Row-level security context (migration 0007, security-and-reliability.md §3.6). Call at the
/// start of every transaction that touches tenant rows: `SELECT set_config('hw.org_id', $1, true)`,
/// transaction-local, so it can neither leak into the next transaction on this connection nor be
/// lost by libpqxx's silent reconnect (a session SET would be). A malformed id sets '' (the
/// transaction then sees no tenant row). Throws like any statement.
void set_tenant(pqxx::transaction_base& tx, const org_id& org);

/// The narrow cross-tenant escape: `hw.scope = 'system'` for this transaction only. Only for the
/// statements that legitimately span organizations: job claim / sweep / promote / depth,
/// organization creation and the by-slug demo lookup, a user's organization list, migrations.
void set_system_scope(pqxx::transaction_base& tx);

/// Ends the system scope inside the current transaction (e.g. once a new organization exists
/// and the rest of the transaction can run as that tenant).
void clear_system_scope(pqxx::transaction_base& tx);

/// Maps the exception in flight (inside a catch block) to an hw::error. `what` names the operation
/// for the log; no SQL text or parameters are logged.
/// broken_connection, in_doubt_error, serialization/deadlock -> unavailable; unique_violation ->
/// conflict; query_canceled (statement_timeout, SQLSTATE 57014) -> timeout; anything else -> internal.
hw::error map_exception(std::exception_ptr ep, std::string_view what);

/// Microseconds since the Unix epoch, the form in which clock readings are bound to statements
/// (`to_timestamp($n::bigint / 1e6)`), so tests drive time through an injected clock.
std::int64_t to_epoch_us(std::chrono::system_clock::time_point t);

/// bytea travels as hex text (`decode($n, 'hex')` in, `encode(col, 'hex')` out), so statements
/// never bind raw binary. bytes -> lowercase hex.
std::string bytes_to_hex(std::string_view bytes);
/// The inverse for what PostgreSQL's encode(..., 'hex') returns (even length, hex digits);
/// anything else is a corrupt value and throws pqxx::conversion_error.
std::string hex_to_bytes(std::string_view hex);

/// A PostgreSQL text[] literal, {"a","b\"c"}, bound as one parameter (`$n::text[]`): every
/// element quoted, '"' and '\' escaped, so no element can break out or inject another.
std::string text_array_literal(const std::vector<std::string>& items);

}  // namespace hw::storage
