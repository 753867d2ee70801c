#pragma once
// Calling storage from a CAF-free service (ats_service_impl, content_service_impl): a callback
// answered at most once and bounded by a timeout, and a repository call run as a db_task on the
// db pool. The timer is one small actor per service; a timeout is a delayed message to it that
// answers errc::timeout unless the result came first (the late result is then dropped).
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/db/db_task.hpp"
#include "actors/domain/result.hpp"
#include "actors/message_types.hpp"

namespace hw::actors {
/// Run once by the timer actor: "answer with a timeout now" for one pending callback.
struct timeout_fire {
  std::function<void()> fire;
};
}  // namespace hw::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hw::actors::timeout_fire)

namespace hw::actors {

/// The timer actor: (tick_atom, timeout_fire) runs `fire`.
inline caf::actor spawn_fire_timer(caf::actor_system& sys) {
  return sys.spawn([]() -> caf::behavior { return {[](tick_atom, const timeout_fire& t) { t.fire(); }}; });
}

/// `cb` wrapped so it runs at most once (a throwing callback is logged with `what`, never
/// propagated); with `timeout` > 0 it is answered errc::timeout when nothing answered it by then.
template <class T>
std::function<void(result<T>)> answer_once(const caf::actor& timer, std::function<void(result<T>)> cb,
                                           std::chrono::milliseconds timeout, const char* what) {
  struct state {
    std::atomic<bool> done{false};
    std::function<void(result<T>)> cb;
  };
  auto st = std::make_shared<state>();
  st->cb = std::move(cb);
  auto call = [st, what](result<T> r) {
    if (st->done.exchange(true)) return;
    try {
      st->cb(std::move(r));
    } catch (const std::exception& e) {
      spdlog::error("service callback ({}) threw: {}", what, e.what());
    }
    st->cb = nullptr;
  };
  if (timeout.count() > 0) {
    timeout_fire f{[call] { call(hw::error{errc::timeout, "the database did not answer in time"}); }};
    caf::delayed_anon_send(timer, timeout, tick_atom::value, std::move(f));
  }
  return call;
}

/// Runs `f(connection) -> result<T>` on a db worker of `db` and delivers it to `cb`, bounded by
/// `timeout` (answer_once).
template <class T, class F>
void run_db_call(const caf::actor& db, const caf::actor& timer, std::chrono::milliseconds timeout, F f,
                 std::function<void(result<T>)> cb, const char* what) {
  auto done = answer_once<T>(timer, std::move(cb), timeout, what);
  db_task t;
  t.run = [f = std::move(f), done](pqxx::connection_base& c) mutable -> result<hw::unit> {
    result<T> r = f(c);
    if (!r) return std::move(r).error();
    done(std::move(r));
    return hw::unit{};
  };
  t.fail = [done](hw::error e) { done(std::move(e)); };
  caf::anon_send(db, run_atom::value, std::move(t));
}

}  // namespace hw::actors
