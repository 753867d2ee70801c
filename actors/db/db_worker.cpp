#include "actors/db/db_worker.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include <caf/actor_pool.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <pqxx/connection_base>
#include <pqxx/nontransaction>
#include <spdlog/spdlog.h>

#include "actors/domain/retry_policy.hpp"
#include "actors/message_types.hpp"
#include "storage/audit_repo.hpp"
#include "storage/job_queue.hpp"
#include "storage/migrate.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"

namespace hw::actors {

namespace {

struct db_worker_state {
  static inline const char* name = "db_worker";
  storage::connection_ptr conn;
  std::uint32_t failed_attempts = 0;
  bool reconnect_scheduled = false;
  std::minstd_rand rng{std::random_device{}()};
};

using db_self = caf::stateful_actor<db_worker_state>*;

struct shared_ctx {
  db_options opt;
  std::shared_ptr<db_pool_stats> stats;
  std::shared_ptr<health_board> health;
  std::shared_ptr<std::atomic<int>> failing;  // workers currently past degraded_after
};

void try_connect(db_self self, const shared_ctx& ctx) {
  auto& st = self->state;
  st.reconnect_scheduled = false;
  if (st.conn) return;
  try {
    st.conn = storage::connect(ctx.opt.dsn, ctx.opt.statement_timeout);
    ctx.stats->connected.fetch_add(1);
    if (st.failed_attempts >= static_cast<std::uint32_t>(ctx.opt.degraded_after)) {
      if (ctx.failing->fetch_sub(1) == 1) ctx.health->set_ok(ctx.opt.health_name);
    }
    if (st.failed_attempts > 0) spdlog::info("db worker reconnected after {} attempts", st.failed_attempts);
    st.failed_attempts = 0;
  } catch (const std::exception& e) {
    ++st.failed_attempts;
    if (st.failed_attempts == static_cast<std::uint32_t>(ctx.opt.degraded_after)) {
      ctx.failing->fetch_add(1);
      ctx.health->set_degraded(ctx.opt.health_name, "cannot connect to PostgreSQL");
    }
    domain::retry_policy policy{ctx.opt.reconnect_min, ctx.opt.reconnect_max, 0.5};
    std::uniform_real_distribution<double> u{0.0, 1.0};
    auto delay = policy.next_delay(st.failed_attempts, u(st.rng));
    // Log the class of failure only: libpq messages can contain host names but never passwords.
    spdlog::warn("db worker cannot connect (attempt {}), retrying in {} ms", st.failed_attempts, delay.count());
    st.reconnect_scheduled = true;
    self->delayed_send(self, delay, connect_atom::value);
  }
}


bool connection_alive(pqxx::connection_base& c) {
  try {
    pqxx::nontransaction tx{c};
    tx.exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

template <class T>
caf::result<T> finish(db_self self, const shared_ctx& ctx, result<T> r) {
  if (r) return std::move(r.value());
  // libpqxx 6.4 does not revive a connection whose server process died: every later call fails.
  // "unavailable" also covers serialization failures and deadlocks on a healthy connection, so
  // ping before throwing the connection away.
  if (r.code() == errc::unavailable && self->state.conn && !connection_alive(*self->state.conn)) {
    self->state.conn.reset();
    ctx.stats->connected.fetch_sub(1);
    if (!self->state.reconnect_scheduled) try_connect(self, ctx);
  }
  return to_caf_error(std::move(r).error());
}

template <class T, class F>
caf::result<T> with_conn(db_self self, const shared_ctx& ctx, F&& f) {
  if (!self->state.conn) {
    if (!self->state.reconnect_scheduled) try_connect(self, ctx);
    if (!self->state.conn) return to_caf_error(errc::unavailable, "the database is unavailable; try again shortly");
  }
  ctx.stats->in_use.fetch_add(1);
  result<T> r = f(*self->state.conn);
  ctx.stats->in_use.fetch_sub(1);
  return finish<T>(self, ctx, std::move(r));
}

caf::behavior db_worker(db_self self, shared_ctx ctx) {
  ctx.stats->size.fetch_add(1);
  self->attach_functor([stats = ctx.stats, self] {
    stats->size.fetch_sub(1);
  });
  try_connect(self, ctx);
  return {
    [=](connect_atom) { try_connect(self, ctx); },
    [=](load_atom, const org_id& id) {
      return with_conn<domain::organization>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::load_organization(c, id);
      });
    },
    [=](create_atom, const domain::org_create& req, const actor_ref& who) {
      return with_conn<domain::organization>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::insert_organization(c, req, who);
      });
    },
    [=](save_atom, const domain::organization& next, std::int64_t expected, const actor_ref& who,
        const std::string& action) {
      return with_conn<domain::organization>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::save_organization(c, next, expected, who, action);
      });
    },
    [=](seed_atom) {
      return with_conn<domain::organization>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::ensure_demo_organization(c);
      });
    },
    [=](audit_atom, const org_id& org, const audit_query& q) {
      return with_conn<audit_page>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::list_audit(c, org, q);
      });
    },
    [=](audit_atom, const audit_entry& e) {
      // Sent with anon_send (a refused request's audit row): nobody waits for the reply.
      return with_conn<bool>(self, ctx, [&](pqxx::connection_base& c) {
        auto r = storage::append_audit_if_org_exists(c, e);
        if (!r) spdlog::warn("audit row not written action={} org_id={}", e.action, e.org.value);
        return r;
      });
    },
    [=](ready_atom) -> caf::result<db_readiness> {
      db_readiness out;
      auto r = with_conn<db_readiness>(self, ctx, [&](pqxx::connection_base& c) -> result<db_readiness> {
        db_readiness rd;
        auto st = storage::check_migrations(c, storage::embedded_migrations());
        if (!st) return std::move(st).error();
        rd.database = true;
        rd.migrations_current = st->current();
        for (auto& p : st->pending) rd.problems.push_back("migration pending: " + p);
        for (auto& p : st->edited) rd.problems.push_back("migration edited after it was applied: " + p);
        return rd;
      });
      return r;
    },
    [=](run_atom, const db_task& t) {
      if (!self->state.conn) {
        if (!self->state.reconnect_scheduled) try_connect(self, ctx);
        if (!self->state.conn) {
          if (t.fail) t.fail(hw::error{errc::unavailable, "the database is unavailable; try again shortly"});
          return;
        }
      }
      ctx.stats->in_use.fetch_add(1);
      result<hw::unit> r = hw::unit{};
      try {
        r = t.run(*self->state.conn);
      } catch (...) {
        r = storage::map_exception(std::current_exception(), "db task");
      }
      ctx.stats->in_use.fetch_sub(1);
      if (r) return;
      if (r.code() == errc::unavailable && self->state.conn && !connection_alive(*self->state.conn)) {
        self->state.conn.reset();
        ctx.stats->connected.fetch_sub(1);
        if (!self->state.reconnect_scheduled) try_connect(self, ctx);
      }
      if (t.fail) t.fail(std::move(r).error());
    },
    [=](depth_atom) {
      return with_conn<std::vector<storage::queue_depth_row>>(self, ctx, [&](pqxx::connection_base& c) {
        return storage::queue_depth(c);
      });
    },
    [=](sweep_atom, std::int64_t backoff_ms) {
      return with_conn<int>(self, ctx, [&](pqxx::connection_base& c) -> result<int> {
        auto now = std::chrono::system_clock::now();
        auto swept = storage::sweep_expired(c, now, std::chrono::milliseconds{backoff_ms});
        if (!swept) return swept;
        auto promoted = storage::promote_due(c, now);
        if (!promoted) return promoted;
        return *swept;
      });
    },
  };
}

}  // namespace

caf::actor spawn_db_pool(caf::actor_system& sys, int n, const db_options& opt, std::shared_ptr<db_pool_stats> stats,
                         std::shared_ptr<health_board> health) {
  shared_ctx ctx{opt, std::move(stats), std::move(health), std::make_shared<std::atomic<int>>(0)};
  auto factory = [&sys, ctx] { return sys.spawn<caf::detached>(db_worker, ctx); };
  return caf::actor_pool::make(sys.dummy_execution_unit(), static_cast<std::size_t>(n), factory,
                               caf::actor_pool::round_robin());
}

}  // namespace hw::actors
