#include "actors/auth/hash_pool.hpp"

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include <caf/actor_pool.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"

namespace hw::actors {

namespace {

struct pool_ctx {
  hash_pool_options opt;
  std::int64_t capacity = 0;  // workers + max_queue: the most admitted jobs at any time
  std::shared_ptr<hash_pool_stats> stats;
  // The admission counter: admitted and not finished. Only the gate increments it (so it can
  // never exceed `capacity`); a worker decrements it when its job ends.
  std::shared_ptr<std::atomic<std::int64_t>> admitted = std::make_shared<std::atomic<std::int64_t>>(0);
};

/// Moves a job from queued to running for its lifetime; releases the admission slot at the end.
class job_scope {
public:
  explicit job_scope(const pool_ctx& ctx) : stats_{*ctx.stats}, admitted_{*ctx.admitted} {
    stats_.queued.fetch_sub(1);
    stats_.in_use.fetch_add(1);
    if (ctx.opt.on_job_start) ctx.opt.on_job_start();
  }
  ~job_scope() {
    stats_.in_use.fetch_sub(1);
    stats_.completed.fetch_add(1);
    admitted_.fetch_sub(1);
  }
  job_scope(const job_scope&) = delete;
  job_scope& operator=(const job_scope&) = delete;

private:
  hash_pool_stats& stats_;
  std::atomic<std::int64_t>& admitted_;
};

caf::error hashing_failed(const std::exception& e) {
  // The exception text comes from our own wrapper and never contains the password.
  spdlog::error("password hashing failed: {}", e.what());
  return to_caf_error(errc::internal, "password hashing failed");
}

caf::behavior hash_worker(caf::event_based_actor* /*self*/, pool_ctx ctx) {
  try {
    auth::warm_dummy(ctx.opt.params);  // so the first unknown-account login is not slower
  } catch (const std::exception& e) {
    spdlog::error("password hash worker: cannot prepare the dummy hash: {}", e.what());
  }
  return {
    [ctx](hash_atom, std::string& pw) -> caf::result<std::string> {
      job_scope job{ctx};
      try {
        auto stored = auth::hash_password(pw, ctx.opt.params);
        auth::wipe(pw);
        return stored;
      } catch (const std::exception& e) {
        auth::wipe(pw);
        return hashing_failed(e);
      }
    },
    [ctx](verify_atom, std::string& pw, const std::string& stored) {
      job_scope job{ctx};
      bool ok = auth::verify_password(pw, stored);
      auth::wipe(pw);
      return ok;
    },
    [ctx](dummy_atom, std::string& pw) -> caf::result<bool> {
      job_scope job{ctx};
      try {
        bool ok = auth::verify_dummy(pw, ctx.opt.params);
        auth::wipe(pw);
        return ok;
      } catch (const std::exception& e) {
        auth::wipe(pw);
        return hashing_failed(e);
      }
    },
  };
}

/// Takes an admission slot, or counts a rejection. Only the gate calls it; workers release.
bool admit(const pool_ctx& ctx) {
  if (ctx.admitted->load() >= ctx.capacity) {
    ctx.stats->rejected.fetch_add(1);
    return false;
  }
  ctx.admitted->fetch_add(1);
  ctx.stats->queued.fetch_add(1);
  return true;
}

caf::error queue_full() {
  return to_caf_error(errc::unavailable, "too many login attempts right now; try again");
}

caf::behavior hash_gate(caf::event_based_actor* self, caf::actor pool, pool_ctx ctx) {
  // The pool (and, through it, every worker) goes down with the gate.
  // (Whatever the gate's exit reason, the pool is only its implementation: an orderly stop.)
  self->attach_functor([pool] { caf::anon_send_exit(pool, caf::exit_reason::user_shutdown); });
  return {
    [self, pool, ctx](hash_atom a, std::string& pw) -> caf::result<std::string> {
      if (!admit(ctx)) {
        auth::wipe(pw);
        return queue_full();
      }
      auto rp = self->make_response_promise();
      rp.delegate(pool, a, std::move(pw));
      auth::wipe(pw);  // the moved-from string may still hold the bytes (small-string buffer)
      return rp;
    },
    [self, pool, ctx](verify_atom a, std::string& pw, std::string& stored) -> caf::result<bool> {
      if (!admit(ctx)) {
        auth::wipe(pw);
        return queue_full();
      }
      auto rp = self->make_response_promise();
      rp.delegate(pool, a, std::move(pw), std::move(stored));
      auth::wipe(pw);
      return rp;
    },
    [self, pool, ctx](dummy_atom a, std::string& pw) -> caf::result<bool> {
      if (!admit(ctx)) {
        auth::wipe(pw);
        return queue_full();
      }
      auto rp = self->make_response_promise();
      rp.delegate(pool, a, std::move(pw));
      auth::wipe(pw);
      return rp;
    },
  };
}

}  // namespace

caf::actor spawn_hash_pool(caf::actor_system& sys, const hash_pool_options& opt,
                           std::shared_ptr<hash_pool_stats> stats) {
  if (opt.workers < 1) throw std::invalid_argument("hash pool: workers must be >= 1");
  if (opt.max_queue < 0) throw std::invalid_argument("hash pool: max_queue must be >= 0");
  auth::validate(opt.params);
  auth::ensure_sodium();
  if (!stats) stats = std::make_shared<hash_pool_stats>();
  pool_ctx ctx{opt, static_cast<std::int64_t>(opt.workers) + opt.max_queue, std::move(stats)};
  auto factory = [&sys, ctx] {
    // Counted at spawn (not when the worker's thread gets to initialize) until it terminates.
    auto w = sys.spawn<caf::detached>(hash_worker, ctx);
    ctx.stats->workers.fetch_add(1);
    caf::actor_cast<caf::abstract_actor*>(w)->attach_functor([stats = ctx.stats] { stats->workers.fetch_sub(1); });
    return w;
  };
  auto pool = caf::actor_pool::make(sys.dummy_execution_unit(), static_cast<std::size_t>(opt.workers), factory,
                                    caf::actor_pool::round_robin());
  return sys.spawn(hash_gate, std::move(pool), std::move(ctx));
}

}  // namespace hw::actors
