#include "actors/watchdog.hpp"

#include <map>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace hw::actors {

namespace {

struct watchdog_state {
  static inline const char* name = "watchdog";
  std::map<caf::actor_addr, std::string> names;
};

caf::behavior watchdog(caf::stateful_actor<watchdog_state>* self,
                       std::vector<std::pair<std::string, caf::actor_addr>> watched,
                       std::shared_ptr<health_board> health) {
  for (auto& [name, addr] : watched) {
    if (!addr) continue;
    self->monitor(addr);
    self->state.names.emplace(addr, name);
  }
  self->set_down_handler([self, health](caf::down_msg& dm) {
    auto it = self->state.names.find(dm.source);
    if (it == self->state.names.end()) return;
    if (dm.reason != caf::exit_reason::user_shutdown) {
      spdlog::error("core actor '{}' ended: {}; the process needs a restart", it->second,
                    caf::to_string(dm.reason));
      health->set_degraded(it->second, "ended unexpectedly (" + caf::to_string(dm.reason) + ")");
    }
    self->state.names.erase(it);
  });
  return {
    [](caf::get_atom) {},  // keeps the behavior non-empty; the watchdog only reacts to down messages
  };
}

}  // namespace

caf::actor spawn_watchdog(caf::actor_system& sys, std::vector<std::pair<std::string, caf::actor_addr>> watched,
                          std::shared_ptr<health_board> health) {
  return sys.spawn(watchdog, std::move(watched), std::move(health));
}

}  // namespace hw::actors
