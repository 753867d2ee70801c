#include "actors/notify/notification_supervisor.hpp"

#include <deque>
#include <random>
#include <vector>

#include <caf/all.hpp>
#include <pqxx/connection_base>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "storage/pg.hpp"

namespace hw::actors {

namespace {

// -- supervisor ---------------------------------------------------------------------------------

struct slot {
  caf::actor worker;
  std::uint32_t consecutive_restarts = 0;  // since the slot's last clean run
};

struct supervisor_data {
  std::vector<slot> slots;
  std::deque<caf::actor_clock::time_point> restarts;  // within the window
  bool degraded = false;
  bool stopping = false;
  std::minstd_rand rng{std::random_device{}()};
};

constexpr const char* health_component = "notifications";

void spawn_slot(caf::event_based_actor* self, const notify_worker_factory& factory,
                const std::shared_ptr<supervisor_data>& d, int i) {
  auto w = factory(self->system(), caf::actor_cast<caf::actor>(self), i);
  self->monitor(w);
  d->slots[static_cast<std::size_t>(i)].worker = std::move(w);
}

// -- worker -------------------------------------------------------------------------------------

struct worker_state {
  static inline const char* name = "email_worker";
  storage::connection_ptr conn;
  std::unique_ptr<email_sender> sender;
  bool reported_healthy = false;
  bool was_failing = false;
  std::minstd_rand rng{std::random_device{}()};
};

using worker_self = caf::stateful_actor<worker_state>*;

bool ensure_connection(worker_self self, const email_worker_config& cfg) {
  auto& st = self->state;
  if (st.conn) return true;
  try {
    st.conn = storage::connect(cfg.dsn, cfg.statement_timeout);
    if (st.was_failing) spdlog::info("notify worker reconnected to PostgreSQL");
    st.was_failing = false;
    return true;
  } catch (const std::exception&) {
    if (!st.was_failing) spdlog::warn("notify worker cannot connect to PostgreSQL; retrying every poll");
    st.was_failing = true;
    return false;
  }
}

/// Runs up to cfg.batch steps. Returns true when the queue may hold more due work.
bool run_batch(worker_self self, const email_worker_config& cfg, int slot_index, const caf::actor& sup) {
  auto& st = self->state;
  if (!ensure_connection(self, cfg)) return false;
  const clock_fn now = [] { return std::chrono::system_clock::now(); };
  std::uniform_real_distribution<double> u{0.0, 1.0};
  for (int i = 0; i < cfg.batch; ++i) {
    auto r = process_one_email(*st.conn, *st.sender, cfg.step, now, u(st.rng));
    if (!r) {
      if (r.code() == errc::unavailable) st.conn.reset();  // reconnect on the next tick
      return false;
    }
    if (*r == email_step::idle) break;
    if (i + 1 == cfg.batch) return true;
  }
  if (!st.reported_healthy) {
    st.reported_healthy = true;
    self->send(sup, healthy_atom::value, slot_index);
  }
  return false;
}

caf::behavior email_worker(worker_self self, email_worker_config cfg, caf::actor sup, int slot_index) {
  self->state.sender = cfg.make_sender();
  cfg.step.worker_id += "-" + std::to_string(slot_index);
  self->send(self, tick_atom::value);
  return {
    [=](tick_atom) {
      if (run_batch(self, cfg, slot_index, sup)) self->send(self, nudge_atom::value);
      self->delayed_send(self, cfg.poll_interval, tick_atom::value);
    },
    [=](nudge_atom) {
      // More may be due: continue after whatever else is in the mailbox (an exit, a tick).
      if (run_batch(self, cfg, slot_index, sup)) self->send(self, nudge_atom::value);
    },
  };
}

}  // namespace

caf::behavior notification_supervisor(caf::event_based_actor* self, notify_supervisor_options opt,
                                      notify_worker_factory factory, std::shared_ptr<health_board> health) {
  auto d = std::make_shared<supervisor_data>();
  if (!opt.jitter) {
    opt.jitter = [d] { return std::uniform_real_distribution<double>{0.0, 1.0}(d->rng); };
  }
  d->slots.resize(static_cast<std::size_t>(std::max(1, opt.workers)));
  for (int i = 0; i < static_cast<int>(d->slots.size()); ++i) spawn_slot(self, factory, d, i);

  self->set_down_handler([self, d, opt, health](caf::down_msg& dm) {
    for (std::size_t i = 0; i < d->slots.size(); ++i) {
      auto& s = d->slots[i];
      if (!s.worker || s.worker.address() != dm.source) continue;
      s.worker = nullptr;
      if (d->stopping) return;
      ++s.consecutive_restarts;
      const auto now = self->clock().now();
      d->restarts.push_back(now);
      while (!d->restarts.empty() && now - d->restarts.front() > opt.degraded_window) d->restarts.pop_front();
      const auto delay = opt.restart.next_delay(s.consecutive_restarts, opt.jitter());
      spdlog::error("notify worker {} went down ({}); restarting in {} ms", i, to_string(dm.reason), delay.count());
      if (!d->degraded && static_cast<int>(d->restarts.size()) >= opt.degraded_after) {
        d->degraded = true;
        health->set_degraded(health_component, std::to_string(d->restarts.size()) +
                                                   " e-mail worker restarts within " +
                                                   std::to_string(opt.degraded_window.count() / 1000) + "s");
      }
      self->delayed_send(self, delay, restart_atom::value, static_cast<int>(i));
      return;
    }
  });
  self->set_exit_handler([self, d](caf::exit_msg& em) {
    // Trapping exits means quitting ourselves (stack.md §7): stop the workers first.
    d->stopping = true;
    for (auto& s : d->slots) {
      if (s.worker) self->send_exit(s.worker, em.reason);
      // These handlers (and so `d`) outlive the behavior: a kept handle would keep a detached
      // worker's object alive, and ~actor_system waits for it forever.
      s.worker = nullptr;
    }
    self->quit(em.reason);
  });
  return {
    [self, d, factory](restart_atom, int i) {
      if (d->stopping || i < 0 || i >= static_cast<int>(d->slots.size()) || d->slots[static_cast<std::size_t>(i)].worker)
        return;
      spawn_slot(self, factory, d, i);
    },
    [d, health](healthy_atom, int i) {
      if (i >= 0 && i < static_cast<int>(d->slots.size())) d->slots[static_cast<std::size_t>(i)].consecutive_restarts = 0;
      if (d->degraded) {
        d->degraded = false;
        d->restarts.clear();
        health->set_ok(health_component);
        spdlog::info("notify worker {} runs cleanly again; notifications no longer degraded", i);
      }
    },
    [self, d](nudge_atom) {
      for (auto& s : d->slots) {
        if (s.worker) self->send(s.worker, nudge_atom::value);
      }
    },
  };
}

notify_worker_factory email_worker_factory(email_worker_config cfg) {
  return [cfg](caf::actor_system& sys, caf::actor sup, int slot_index) {
    return sys.spawn<caf::detached>(email_worker, cfg, std::move(sup), slot_index);
  };
}

caf::actor spawn_notification_supervisor(caf::actor_system& sys, notify_supervisor_options opt,
                                         email_worker_config cfg, std::shared_ptr<health_board> health) {
  return sys.spawn(notification_supervisor, std::move(opt), email_worker_factory(std::move(cfg)),
                   std::move(health));
}

}  // namespace hw::actors
