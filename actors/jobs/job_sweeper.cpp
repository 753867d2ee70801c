#include "actors/jobs/job_sweeper.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"

namespace hw::actors {

caf::behavior job_sweeper(caf::event_based_actor* self, caf::actor db, sweeper_options opt) {
  self->set_error_handler([](caf::error&) {});
  self->send(self, tick_atom::value);
  return {
    [self, db, opt](tick_atom) {
      self->request(db, opt.db_timeout, sweep_atom::value, static_cast<std::int64_t>(opt.backoff.count()))
        .then(
          [self, opt](int swept) {
            if (swept > 0) spdlog::warn("job sweeper: {} job(s) had an expired lease and were requeued", swept);
            self->delayed_send(self, opt.interval, tick_atom::value);
          },
          [self, opt](caf::error& e) {
            spdlog::warn("job sweeper: sweep failed: {}", to_hw_error(e).detail);
            self->delayed_send(self, opt.interval, tick_atom::value);
          });
    },
  };
}

}  // namespace hw::actors
