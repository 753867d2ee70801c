#pragma once
// The organization entity: owns one organization's state while it is active, decides every
// change with the pure domain code (organization_fsm / apply_patch), persists it through a db
// worker with a version compare-and-swap, and replies only after the write is durable.
// Commands (delivered by the organization router inside (route_atom, key, cmd)):
//   (caf::get_atom)                                        -> domain::organization
//   (update_atom, domain::org_patch, int64 if_match, actor_ref) -> domain::organization
//   (apply_atom, domain::org_event, actor_ref)             -> domain::organization
//   (stop_atom)                                            -> quits (sent by the router)
#include <chrono>
#include <cstdint>

#include <caf/fwd.hpp>

#include "actors/domain/organization.hpp"
#include "actors/registry/entity_router.hpp"

namespace hw::actors {

struct organization_options {
  std::chrono::milliseconds idle_timeout{15 * 60'000};
  std::chrono::milliseconds db_timeout{6'000};
};

struct organization_state {
  static inline const char* name = "organization";
  domain::organization org;
  std::uint64_t activity = 0;  // commands since the last idle tick
};

caf::behavior organization_actor(caf::stateful_actor<organization_state>* self, domain::organization loaded,
                                 caf::actor db, caf::actor router, organization_options opt);

/// The router spec: activation loads the row through `db` and spawns organization_actor.
entity_spec organization_spec(caf::actor db, organization_options opt);

}  // namespace hw::actors
