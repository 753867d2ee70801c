#include "actors/organization/organization_actor.hpp"

#include <functional>

#include <caf/all.hpp>

#include "actors/message_types.hpp"

namespace hw::actors {

namespace {

using org_self = caf::stateful_actor<organization_state>*;
using decide_fn = std::function<result<domain::organization>(const domain::organization&)>;

bool same_settings(const domain::organization& a, const domain::organization& b) {
  return a.name == b.name && a.slug == b.slug && a.time_zone == b.time_zone && a.brand == b.brand &&
         a.state == b.state;
}

// Decide, persist (CAS), then reply. On a version conflict (another process wrote the row) the
// entity reloads and decides once more on the fresh state; a second conflict answers 409.
// `await` keeps the mailbox parked: no other command runs until this one is durable.
void persist(org_self self, caf::actor db, organization_options opt, decide_fn decide, actor_ref who,
             std::string action, caf::response_promise rp, bool retried) {
  auto next = decide(self->state.org);
  if (!next) {
    rp.deliver(to_caf_error(std::move(next).error()));
    return;
  }
  if (same_settings(*next, self->state.org)) {  // nothing changes: no write, no audit row
    rp.deliver(self->state.org);
    return;
  }
  self->request(db, opt.db_timeout, save_atom::value, *next, self->state.org.version, who, action)
    .await(
      [=](domain::organization& saved) mutable {
        self->state.org = saved;
        rp.deliver(std::move(saved));
      },
      [=](caf::error& err) mutable {
        auto e = to_hw_error(err);
        if (e.code == errc::version_conflict && !retried) {
          self->request(db, opt.db_timeout, load_atom::value, self->state.org.id)
            .await(
              [=](domain::organization& fresh) mutable {
                self->state.org = std::move(fresh);
                persist(self, db, opt, decide, who, action, rp, true);
              },
              [=](caf::error& err2) mutable { rp.deliver(std::move(err2)); });
          return;
        }
        rp.deliver(std::move(err));
      });
}

}  // namespace

caf::behavior organization_actor(org_self self, domain::organization loaded, caf::actor db, caf::actor router,
                                 organization_options opt) {
  self->state.org = std::move(loaded);
  // Passivation: a tick every idle_timeout; a tick that finds no command since the previous one
  // asks the router to passivate, so an entity goes between 1x and 2x idle_timeout after its last
  // command. Not caf::after: that re-arms a timer in CAF's clock thread on every message, which
  // costs a cross-thread wake-up per request on the hottest path.
  self->delayed_send(self, opt.idle_timeout, tick_atom::value);
  return {
    [self](caf::get_atom) {
      ++self->state.activity;
      return self->state.org;
    },
    [self, db, opt](update_atom, const domain::org_patch& patch, std::int64_t if_match, const actor_ref& who) {
      ++self->state.activity;
      auto rp = self->make_response_promise();
      decide_fn decide = [patch, if_match](const domain::organization& cur) -> result<domain::organization> {
        if (if_match != no_precondition && if_match != cur.version)
          return hw::error{errc::precondition_failed, "If-Match: the organization is at version " +
                                                          std::to_string(cur.version) + ", not " +
                                                          std::to_string(if_match)};
        return domain::apply_patch(cur, patch);
      };
      persist(self, db, opt, std::move(decide), who, "organization.updated", rp, false);
      return rp;
    },
    [self, db, opt](apply_atom, domain::org_event ev, const actor_ref& who) {
      ++self->state.activity;
      auto rp = self->make_response_promise();
      decide_fn decide = [ev](const domain::organization& cur) { return domain::apply_event(cur, ev); };
      persist(self, db, opt, std::move(decide), who, "organization." + std::string{domain::to_string(ev)}, rp,
              false);
      return rp;
    },
    [self](stop_atom) { self->quit(); },
    [self, router, opt](tick_atom) {
      if (self->state.activity == 0) self->send(router, passivate_atom::value, self->state.org.id.value);
      self->state.activity = 0;
      self->delayed_send(self, opt.idle_timeout, tick_atom::value);  // router ignores repeats
    },
  };
}

entity_spec organization_spec(caf::actor db, organization_options opt) {
  entity_spec spec;
  spec.type = "organization";
  spec.activate = [db, opt](caf::event_based_actor* router, const std::string& key,
                            std::function<void(caf::expected<caf::actor>)> done) {
    router->request(db, opt.db_timeout, load_atom::value, org_id{key})
      .then(
        [router, db, opt, done](domain::organization& o) {
          done(router->spawn(organization_actor, std::move(o), db, caf::actor_cast<caf::actor>(router), opt));
        },
        [done](caf::error& err) { done(std::move(err)); });
  };
  return spec;
}

}  // namespace hw::actors
