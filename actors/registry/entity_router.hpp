#pragma once
// The virtual-actor router (Orleans style) for one entity type: (key) -> entity actor.
//  - The first message for a key activates the entity: the spec's `activate` loads its row and
//    spawns it. Messages arriving while it loads are queued in order and delivered once it is up
//    (or all answered with the load error) — never dropped, never duplicated.
//  - Active entities get messages delegated: their replies go straight to the original sender.
//  - An idle entity asks to passivate (passivate_atom); the router stops routing to it, sends it
//    stop_atom behind everything already forwarded, and waits for its down message. Messages
//    for the key that arrive meanwhile are queued and trigger a fresh activation afterwards.
// Protocol: (route_atom, std::string key, caf::message cmd) -> whatever the entity replies.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

namespace hw::actors {

struct entity_spec {
  std::string type;  // "organization": label for metrics and logs
  /// Loads `key` and spawns its entity actor (with `router` as its parent for passivation).
  /// Must call `done` exactly once, from within the router's context, with the actor or an error.
  std::function<void(caf::event_based_actor* router, const std::string& key,
                     std::function<void(caf::expected<caf::actor>)> done)>
    activate;
};

struct router_stats {
  std::atomic<std::int64_t> active{0};       // entity actors alive
  std::atomic<std::int64_t> activations{0};  // loads started, total
};

struct router_state;

caf::behavior entity_router(caf::stateful_actor<router_state>* self, entity_spec spec,
                            std::shared_ptr<router_stats> stats);

/// Spawns an entity_router (router_state is private to the .cpp).
caf::actor spawn_entity_router(caf::actor_system& sys, entity_spec spec, std::shared_ptr<router_stats> stats);

}  // namespace hw::actors
