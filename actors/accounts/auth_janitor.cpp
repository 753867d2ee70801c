#include "actors/accounts/auth_janitor.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "storage/login_throttle_repo.hpp"
#include "storage/password_reset_repo.hpp"
#include "storage/session_repo.hpp"
#include "storage/sso_repo.hpp"

namespace hw::actors {

caf::behavior auth_janitor(caf::event_based_actor* self, caf::actor db, auth_janitor_options opt) {
  self->delayed_send(self, opt.interval, tick_atom::value);
  return {
    [self, db, opt](tick_atom) {
      const auto now = opt.clock();
      db_task t;
      t.run = [opt, now](pqxx::connection_base& c) -> result<hw::unit> {
        auto s = storage::purge_sessions(c, now, opt.keep_sessions);
        if (!s) return std::move(s).error();
        auto r = storage::purge_password_resets(c, now, opt.keep_resets);
        if (!r) return std::move(r).error();
        auto l = storage::purge_login_throttles(c, now);
        if (!l) return std::move(l).error();
        auto o = storage::purge_sso_login_states(c, now, opt.keep_sso_states);
        if (!o) return std::move(o).error();
        if (*s + *r + *l + *o > 0) {
          spdlog::info("auth janitor: purged sessions={} password_resets={} login_throttles={} sso_states={}", *s,
                       *r, *l, *o);
        }
        return hw::unit{};
      };
      t.fail = [](hw::error e) { spdlog::warn("auth janitor: purge failed: {}", e.detail); };
      self->send(db, run_atom::value, std::move(t));
      self->delayed_send(self, opt.interval, tick_atom::value);
    },
  };
}

}  // namespace hw::actors
