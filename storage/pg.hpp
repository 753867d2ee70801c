#pragma once
// Connection helpers and the one place that turns libpqxx exceptions into hw::error.
// Blocking: call only from a detached db_worker actor or from tests.
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::storage {

/// Opens a connection, sets the per-statement timeout and prepares every repository's statements.
/// Throws pqxx::broken_connection when the server is unreachable.
std::unique_ptr<pqxx::connection_base> connect(const std::string& dsn, std::chrono::milliseconds statement_timeout);

/// Calls every repository's prepare_*_statements on `c` (once per connection).
void prepare_all(pqxx::connection_base& c);

/// Maps the exception in flight (inside a catch block) to an hw::error. `what` names the operation
/// for the log; no SQL text or parameters are logged.
hw::error map_exception(std::exception_ptr ep, std::string_view what);

/// Microseconds since the Unix epoch, the form in which clock readings are bound to statements
/// (`to_timestamp($n::bigint / 1e6)`), so tests drive time through an injected clock.
std::int64_t to_epoch_us(std::chrono::system_clock::time_point t);

}  // namespace hw::storage
