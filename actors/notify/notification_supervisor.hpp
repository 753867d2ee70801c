#pragma once
// The notification supervisor (STYLE.md B5): owns N e-mail sender workers, `monitor`s them and
// re-spawns a worker that went down after retry_policy backoff. After `degraded_after` restarts
// within `degraded_window` it reports "notifications" degraded on the health board (/readyz) and
// clears that when a worker reports a clean run again. Job state lives in PostgreSQL, so a
// re-spawned worker simply claims again.
//
// Messages:
//   (nudge_atom)              -> forwarded to every worker: something was enqueued
//   (healthy_atom, int slot)  worker -> supervisor: a poll cycle ran cleanly
// An exit message (bootstrap's user_shutdown) stops the workers and then the supervisor.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/fwd.hpp>

#include "actors/domain/retry_policy.hpp"
#include "actors/health.hpp"
#include "actors/notify/email_sender.hpp"
#include "actors/notify/email_worker.hpp"

namespace hw::actors {

/// Spawns the worker for `slot`; the worker reports (healthy_atom, slot) to `supervisor`.
/// Injectable so tests can spawn event-based fakes on the deterministic scheduler.
using notify_worker_factory = std::function<caf::actor(caf::actor_system& sys, caf::actor supervisor, int slot)>;

struct notify_supervisor_options {
  int workers = 1;
  domain::retry_policy restart{std::chrono::milliseconds{500}, std::chrono::milliseconds{30'000}, 0.5};
  int degraded_after = 3;                            // restarts within the window
  std::chrono::milliseconds degraded_window{60'000};
  std::function<double()> jitter;                    // draw in [0, 1]; default: random
};

caf::behavior notification_supervisor(caf::event_based_actor* self, notify_supervisor_options opt,
                                      notify_worker_factory factory, std::shared_ptr<health_board> health);

/// What a real worker needs: its database, its sender, its step options and poll cadence.
struct email_worker_config {
  std::string dsn;
  std::chrono::milliseconds statement_timeout{5'000};
  std::chrono::milliseconds poll_interval{2'000};
  int batch = 20;                                    // jobs per turn before yielding the mailbox
  email_step_options step;                           // worker_id gets "-<slot>" appended
  std::function<std::unique_ptr<email_sender>()> make_sender;
};

/// The factory of real workers: detached actors (own thread, own connection, own sender) that
/// poll every poll_interval, run process_one_email until idle when ticked or nudged, and
/// reconnect on the next tick after losing the database.
notify_worker_factory email_worker_factory(email_worker_config cfg);

/// Convenience for bootstrap: spawns the supervisor with real workers.
caf::actor spawn_notification_supervisor(caf::actor_system& sys, notify_supervisor_options opt,
                                         email_worker_config cfg, std::shared_ptr<health_board> health);

}  // namespace hw::actors
