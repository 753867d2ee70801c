#pragma once
// Watches the long-lived core actors (db pool, routers, sweeper, notification supervisor).
// They are not restarted in place: the gateway and other actors hold their handles. If one of
// them ends for any reason but shutdown, the watchdog reports it degraded on the health board,
// /readyz answers 503, and the orchestrator replaces the process ("crash-only" for the core;
// the entities, db workers and e-mail workers below them are restarted in place).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/health.hpp"

namespace hw::actors {

/// Spawns the watchdog. It gets and keeps only addresses (weak references), so it never delays
/// an actor's cleanup (~actor_system waits for every detached actor object to be destroyed).
caf::actor spawn_watchdog(caf::actor_system& sys, std::vector<std::pair<std::string, caf::actor_addr>> watched,
                          std::shared_ptr<health_board> health);

}  // namespace hw::actors
