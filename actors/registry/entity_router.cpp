#include "actors/registry/entity_router.hpp"

#include <deque>
#include <unordered_map>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"

namespace hw::actors {

namespace {

enum class phase { loading, active, passivating };

struct pending_msg {
  caf::response_promise rp;
  caf::message cmd;
};

struct entry {
  phase ph = phase::loading;
  caf::actor actor;
  std::deque<pending_msg> pending;
};

}  // namespace

struct router_state {
  static inline const char* name = "entity_router";
  entity_spec spec;
  std::shared_ptr<router_stats> stats;
  std::unordered_map<std::string, entry> entries;
  std::unordered_map<caf::actor_addr, std::string> keys_by_addr;
};

using router_self = caf::stateful_actor<router_state>*;

namespace {

// Starts loading `key`; queued messages are flushed (or failed) when the load finishes.
void activate(router_self self, const std::string& key) {
  self->state.entries[key].ph = phase::loading;
  self->state.stats->activations.fetch_add(1);
  self->state.spec.activate(self, key, [self, key](caf::expected<caf::actor> res) {
    auto& st = self->state;
    auto it = st.entries.find(key);
    if (it == st.entries.end()) return;
    auto& e = it->second;
    if (!res) {
      // Every queued request gets the load error (not_found, unavailable, ...).
      auto pending = std::move(e.pending);
      st.entries.erase(it);
      for (auto& p : pending) p.rp.deliver(res.error());
      return;
    }
    e.actor = std::move(*res);
    e.ph = phase::active;
    self->monitor(e.actor);
    st.keys_by_addr.emplace(e.actor.address(), key);
    st.stats->active.fetch_add(1);
    auto pending = std::move(e.pending);
    for (auto& p : pending) p.rp.delegate(e.actor, std::move(p.cmd));
  });
}

}  // namespace

caf::behavior entity_router(router_self self, entity_spec spec, std::shared_ptr<router_stats> stats) {
  self->state.spec = std::move(spec);
  self->state.stats = std::move(stats);
  self->set_down_handler([self](caf::down_msg& dm) {
    auto& st = self->state;
    auto kit = st.keys_by_addr.find(dm.source);
    if (kit == st.keys_by_addr.end()) return;
    std::string key = std::move(kit->second);
    st.keys_by_addr.erase(kit);
    st.stats->active.fetch_sub(1);
    auto it = st.entries.find(key);
    if (it == st.entries.end()) return;
    if (dm.reason && dm.reason != caf::exit_reason::normal && dm.reason != caf::exit_reason::user_shutdown)
      spdlog::warn("{} actor ended abnormally: {}", st.spec.type, caf::to_string(dm.reason));
    if (!it->second.pending.empty()) {
      it->second.actor = nullptr;
      activate(self, key);  // messages arrived while it passivated: bring it back
    } else {
      st.entries.erase(it);
    }
  });
  // On shutdown, take the active entities along (they are monitored, not linked).
  self->set_exit_handler([self](caf::exit_msg& em) {
    for (auto& [key, e] : self->state.entries) {
      if (e.actor) self->send_exit(e.actor, em.reason);
      for (auto& p : e.pending) p.rp.deliver(caf::make_error(caf::sec::request_receiver_down));
    }
    self->state.entries.clear();
    self->quit(em.reason);
  });
  return {
    [self](route_atom, const std::string& key, caf::message& cmd) {
      auto& st = self->state;
      auto rp = self->make_response_promise();
      auto it = st.entries.find(key);
      if (it != st.entries.end() && it->second.ph == phase::active) {
        rp.delegate(it->second.actor, std::move(cmd));
        return rp;
      }
      bool start = it == st.entries.end();
      st.entries[key].pending.push_back(pending_msg{rp, std::move(cmd)});
      if (start) activate(self, key);
      return rp;
    },
    [self](passivate_atom, const std::string& key) {
      auto& st = self->state;
      auto it = st.entries.find(key);
      if (it == st.entries.end() || it->second.ph != phase::active) return;
      if (it->second.actor.address() != self->current_sender()) return;
      it->second.ph = phase::passivating;
      // Behind everything already delegated: the entity handles those first, then quits.
      self->send(it->second.actor, stop_atom::value);
    },
  };
}

caf::actor spawn_entity_router(caf::actor_system& sys, entity_spec spec, std::shared_ptr<router_stats> stats) {
  return sys.spawn(entity_router, std::move(spec), std::move(stats));
}

}  // namespace hw::actors
