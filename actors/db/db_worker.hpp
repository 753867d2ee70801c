#pragma once
// Database workers: detached actors (own thread each), one libpqxx connection each, behind a
// round-robin caf::actor_pool. The only place where blocking libpqxx calls run at request time.
// A lost connection fails requests fast with errc::unavailable and is re-established with
// exponential backoff; after several failed attempts the pool reports itself degraded.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/health.hpp"

namespace hw::actors {

struct db_pool_stats {
  std::atomic<std::int64_t> size{0};
  std::atomic<std::int64_t> in_use{0};
  std::atomic<std::int64_t> connected{0};
};

struct db_options {
  std::string dsn;
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds reconnect_min{200};
  std::chrono::milliseconds reconnect_max{10000};
  int degraded_after = 5;  // consecutive failed connects before the pool reports degraded
  std::string health_name = "db_pool";  // its entry on the health board (/readyz detail)
};

/// Spawns `n` detached workers behind a round-robin pool. Requests handled (replies):
///   (load_atom, org_id)                                          -> domain::organization
///   (create_atom, domain::org_create, actor_ref)                 -> domain::organization
///   (save_atom, domain::organization, int64 expected, actor_ref, std::string action)
///                                                                -> domain::organization
///   (seed_atom)                                                  -> domain::organization (demo)
///   (audit_atom, org_id, audit_query)                            -> audit_page
///   (audit_atom, audit_entry)   (fire-and-forget)                -> bool (appended: org exists)
///   (ready_atom)                                                 -> db_readiness
///   (depth_atom)                                                 -> std::vector<queue_depth_row>
///   (sweep_atom, int64 backoff_ms)                               -> int (rows swept)
///   (run_atom, db_task)         (fire-and-forget, see db_task.hpp) -> nothing; the task delivers
caf::actor spawn_db_pool(caf::actor_system& sys, int n, const db_options& opt,
                         std::shared_ptr<db_pool_stats> stats, std::shared_ptr<health_board> health);

}  // namespace hw::actors
