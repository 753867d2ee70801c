// The password-hashing pool. Its workers are detached actors (own threads), which the
// deterministic test scheduler cannot run, so these tests use a normal actor system with two
// scheduler threads and a blocking scoped_actor client with generous timeouts. Admission is
// checked by counting: a test hook holds the worker, so which requests are admitted does not
// depend on timing.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/auth/hash_pool.hpp"
#include "actors/message_types.hpp"

using namespace hw::actors;
using namespace std::chrono_literals;

namespace {

const hw::auth::hash_params small{1, 8u * 1024 * 1024};
constexpr auto reply_timeout = std::chrono::seconds(30);

struct threaded_config : caf::actor_system_config {
  threaded_config() {
    set("scheduler.max-threads", 2);
    set("logger.verbosity", caf::atom("quiet"));
  }
};

struct pool_fixture {
  threaded_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys, true};  // hidden: await_all_actors_done does not wait for it

  template <class T, class... Ts>
  T ask(const caf::actor& dest, Ts&&... xs) {
    T out{};
    bool answered = false;
    self->request(dest, reply_timeout, std::forward<Ts>(xs)...)
        .receive([&](T& x) { out = std::move(x); answered = true; },
                 [&](caf::error& e) { FAIL("unexpected error: " << sys.render(e)); });
    REQUIRE(answered);
    return out;
  }
};

template <class Pred>
bool eventually(Pred p) {
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!p()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE_METHOD(pool_fixture, "hash_pool: hash and verify through the pool", "[actor][auth]") {
  auto stats = std::make_shared<hash_pool_stats>();
  auto pool = spawn_hash_pool(sys, hash_pool_options{2, 4, small, {}}, stats);

  auto stored = ask<std::string>(pool, hash_atom::value, std::string{"a long enough passphrase"});
  CHECK(stored.rfind("$argon2id$v=19$m=8192,t=1,p=1$", 0) == 0);
  CHECK(ask<bool>(pool, verify_atom::value, std::string{"a long enough passphrase"}, stored));
  CHECK_FALSE(ask<bool>(pool, verify_atom::value, std::string{"a wrong passphrase!!"}, stored));
  CHECK_FALSE(ask<bool>(pool, verify_atom::value, std::string{"a long enough passphrase"}, std::string{"garbage"}));
  CHECK_FALSE(ask<bool>(pool, dummy_atom::value, std::string{"a long enough passphrase"}));
  CHECK_FALSE(hw::auth::needs_rehash(stored, small));

  CHECK(stats->workers.load() == 2);
  CHECK(stats->completed.load() == 5);
  CHECK(stats->rejected.load() == 0);
  CHECK(stats->in_use.load() == 0);
  CHECK(stats->queued.load() == 0);
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE_METHOD(pool_fixture, "hash_pool: beyond max_queue waiting requests the pool answers unavailable",
                 "[actor][auth]") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto started = std::make_shared<std::atomic<int>>(0);
  hash_pool_options opt;
  opt.workers = 1;
  opt.max_queue = 2;
  opt.params = small;
  opt.on_job_start = [released, started] {
    started->fetch_add(1);
    released.wait();  // hold the worker until the test has counted the rejections
  };
  auto stats = std::make_shared<hash_pool_stats>();
  auto pool = spawn_hash_pool(sys, opt, stats);
  // Whatever happens below, let the worker go so that the actor system can shut down.
  struct releaser {
    std::promise<void>& p;
    bool done = false;
    void operator()() { if (!done) { done = true; p.set_value(); } }
    ~releaser() { (*this)(); }
  } let_go{release};

  constexpr int n = 10;
  std::vector<decltype(self->request(pool, reply_timeout, hash_atom::value, std::string{}))> replies;
  for (int i = 0; i < n; ++i)
    replies.push_back(self->request(pool, reply_timeout, hash_atom::value, "passphrase number " + std::to_string(i)));

  // The gate handles the requests in order: 1 running + 2 waiting are admitted, 7 are refused
  // at once while the worker is still held.
  const int admitted = opt.workers + opt.max_queue;
  int unavailable = 0;
  for (int i = admitted; i < n; ++i) {
    replies[static_cast<std::size_t>(i)].receive(
        [&](std::string&) { FAIL("request " << i << " should have been refused"); },
        [&](caf::error& e) {
          auto he = to_hw_error(e);
          CHECK(he.code == hw::errc::unavailable);
          CHECK(he.detail == "too many login attempts right now; try again");
          ++unavailable;
        });
  }
  CHECK(unavailable == n - admitted);
  REQUIRE(eventually([&] { return started->load() == 1; }));
  CHECK(stats->rejected.load() == n - admitted);
  CHECK(stats->in_use.load() == 1);
  CHECK(stats->queued.load() == admitted - 1);

  let_go();
  int hashed = 0;
  for (int i = 0; i < admitted; ++i) {
    replies[static_cast<std::size_t>(i)].receive(
        [&](std::string& stored) {
          CHECK(hw::auth::verify_password("passphrase number " + std::to_string(i), stored));
          ++hashed;
        },
        [&](caf::error& e) { FAIL("admitted request " << i << " failed: " << sys.render(e)); });
  }
  CHECK(hashed == admitted);
  CHECK(stats->completed.load() == admitted);
  CHECK(stats->rejected.load() == n - admitted);

  // Once the backlog is gone the pool admits work again.
  CHECK(eventually([&] { return stats->in_use.load() == 0 && stats->queued.load() == 0; }));
  CHECK_FALSE(ask<bool>(pool, dummy_atom::value, std::string{"another passphrase"}));
  caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST_CASE("hash_pool: shutdown stops the gate, the pool and its detached workers", "[actor][auth]") {
  auto stats = std::make_shared<hash_pool_stats>();
  {
    threaded_config cfg;
    caf::actor_system sys{cfg};
    {
      auto pool = spawn_hash_pool(sys, hash_pool_options{2, 4, small, {}}, stats);
      caf::scoped_actor self{sys, true};
      bool ok = false;
      self->request(pool, reply_timeout, hash_atom::value, std::string{"a long enough passphrase"})
          .receive([&](std::string& stored) { ok = !stored.empty(); },
                   [&](caf::error& e) { FAIL(sys.render(e)); });
      CHECK(ok);
      CHECK(stats->workers.load() == 2);
      caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
    }  // drop every handle before waiting
    auto waiter = std::async(std::launch::async, [&] { sys.await_all_actors_done(); });
    REQUIRE(waiter.wait_for(30s) == std::future_status::ready);
  }  // ~actor_system joins the detached workers' threads
  CHECK(stats->workers.load() == 0);
}

TEST_CASE("hash_pool: invalid options are refused", "[actor][auth]") {
  threaded_config cfg;
  caf::actor_system sys{cfg};
  CHECK_THROWS_AS(spawn_hash_pool(sys, hash_pool_options{0, 4, small, {}}), std::invalid_argument);
  CHECK_THROWS_AS(spawn_hash_pool(sys, hash_pool_options{1, -1, small, {}}), std::invalid_argument);
  CHECK_THROWS_AS(spawn_hash_pool(sys, hash_pool_options{1, 1, hw::auth::hash_params{0, 1024}, {}}),
                  std::invalid_argument);
}
