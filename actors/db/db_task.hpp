#pragma once
// A unit of blocking database work shipped to a db worker: the generic door for services whose
// calls are plain repository functions (actors/accounts), so that not every storage call needs an
// atom of its own. Sent fire-and-forget with anon_send(db_pool, run_atom::value, task).
//
// Contract: the worker calls `run` with its connection. `run` delivers its own success (it calls
// the service's callback) and returns unit; when it returns an error, or throws, or when the
// worker has no connection, the worker calls `fail` with the error instead (exceptions are mapped
// by storage::map_exception). Exactly one of "run delivered" / `fail` happens. Both run on the
// worker's thread: they must not block on anything but this connection.
#include <functional>

#include "actors/domain/result.hpp"

namespace pqxx {
class connection_base;
}

namespace hw::actors {

struct db_task {
  std::function<result<hw::unit>(pqxx::connection_base&)> run;
  std::function<void(hw::error)> fail;
};

}  // namespace hw::actors
