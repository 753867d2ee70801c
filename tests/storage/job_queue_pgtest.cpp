#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "storage/job_queue.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
using namespace std::chrono_literals;

namespace {

// The injected clock: a fixed instant with a non-zero microsecond part, advanced by hand.
const st::time_point t0 = st::time_point{} + std::chrono::microseconds{1'900'000'000'123'456LL};

struct queue_env {
  pg_fixture db;
  st::connection_ptr c = db.connect();
  hw::org_id org{db.make_org("acme")};

  std::int64_t add(const std::string& kind, st::time_point now = t0, st::enqueue_options opt = {},
                   const std::string& args = R"({"n":1})") {
    pqxx::work tx{*c};
    auto id = st::enqueue(tx, org, kind, args, now, opt);
    tx.commit();
    REQUIRE(id);
    return *id;
  }
  st::job find(std::int64_t id) {
    auto r = st::find_job(*c, org, id);
    REQUIRE(r);
    REQUIRE(r->has_value());
    return **r;
  }
  std::vector<st::job> claim(const std::string& worker, int limit, st::time_point now,
                             std::vector<std::string> kinds = {},
                             std::chrono::milliseconds lease = 30s) {
    auto r = st::claim(*c, kinds, worker, limit, lease, now);
    REQUIRE(r);
    return *r;
  }
};

std::vector<std::int64_t> ids(const std::vector<st::job>& js) {
  std::vector<std::int64_t> out;
  for (const auto& j : js) out.push_back(j.id);
  return out;
}

nlohmann::json errors_of(const st::job& j) { return nlohmann::json::parse(j.errors); }

}  // namespace

TEST_CASE("job_queue: an enqueue in a rolled-back transaction leaves nothing", "[pg][job_queue]") {
  queue_env q;
  {
    pqxx::work tx{*q.c};
    auto id = st::enqueue(tx, q.org, "send_email", R"({"to":"x"})", t0);
    REQUIRE(id);
    tx.abort();  // the business write failed: its job must vanish with it
  }
  CHECK(q.claim("w", 10, t0 + 1h).empty());
  auto depth = st::queue_depth(*q.c);
  REQUIRE(depth);
  CHECK(depth->empty());

  const auto kept = q.add("send_email");
  auto got = q.find(kept);
  CHECK(got.state == st::job_state::available);
  CHECK(got.kind == "send_email");
  CHECK(nlohmann::json::parse(got.args) == nlohmann::json{{"n", 1}});
  CHECK(got.scheduled_at == t0);  // exact to the microsecond through the database
  CHECK(got.attempt == 0);
  CHECK(got.max_attempts == 12);
  CHECK(errors_of(got) == nlohmann::json::array());
}

TEST_CASE("job_queue: enqueue notifies job_ready with the kind, on commit only",
          "[pg][job_queue]") {
  queue_env q;
  struct receiver : pqxx::notification_receiver {
    using pqxx::notification_receiver::notification_receiver;
    std::vector<std::string> payloads;
    void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  };
  pqxx::connection listener{q.db.dsn()};
  receiver rx{listener, "job_ready"};  // LISTEN, committed before anything is enqueued
  {
    pqxx::work tx{*q.c};
    REQUIRE(st::enqueue(tx, q.org, "rolled_back", "{}", t0));
    tx.abort();
  }
  q.add("committed");
  // Delivery follows commit order, so had the rolled-back one been sent it would come first.
  listener.await_notification(10, 0);
  REQUIRE_FALSE(rx.payloads.empty());
  CHECK(rx.payloads.front() == "committed");
}

TEST_CASE("job_queue: a unique_key admits one live job per organization", "[pg][job_queue]") {
  queue_env q;
  st::enqueue_options opt;
  opt.unique_key = "invite-email|inv-1";
  const auto first = q.add("send_email", t0, opt);
  {
    pqxx::work tx{*q.c};
    CHECK_FALSE(st::enqueue(tx, q.org, "send_email", "{}", t0, opt).has_value());
    // the refused duplicate did not abort the caller's transaction
    CHECK(st::enqueue(tx, q.org, "send_email", "{}", t0).has_value());
    tx.commit();
  }
  // another tenant may use the same key
  const hw::org_id other{q.db.make_org("other")};
  {
    pqxx::work tx{*q.c};
    CHECK(st::enqueue(tx, other, "send_email", "{}", t0, opt).has_value());
    tx.commit();
  }
  // once finished, the key is free again
  auto claimed = q.claim("w", 1, t0, {"send_email"});
  REQUIRE(claimed.size() == 1);
  REQUIRE(claimed[0].id == first);
  REQUIRE(*st::complete(*q.c, st::lease_of(claimed[0]), t0 + 1s));
  const auto again = q.add("send_email", t0 + 2s, opt);
  CHECK(again != first);
}

TEST_CASE("job_queue: claims take due jobs oldest first, by kind, up to the limit",
          "[pg][job_queue]") {
  queue_env q;
  auto at = [](st::time_point t) {
    st::enqueue_options o;
    o.run_at = t;
    return o;
  };
  const auto older = q.add("a", t0, at(t0 - 30s));
  const auto old = q.add("a", t0, at(t0 - 10s));
  const auto now1 = q.add("a", t0);
  const auto now2 = q.add("a", t0);  // same scheduled_at: the lower id goes first
  const auto future = q.add("a", t0, at(t0 + 10s));
  const auto other_kind = q.add("b", t0, at(t0 - 60s));
  CHECK(q.find(future).state == st::job_state::scheduled);

  auto first = q.claim("w", 3, t0, {"a"});
  CHECK(ids(first) == std::vector<std::int64_t>{older, old, now1});
  for (const auto& j : first) {
    CHECK(j.state == st::job_state::running);
    CHECK(j.attempt == 1);
    CHECK(j.attempted_by == "w");
    REQUIRE(j.lease_until);
    CHECK(*j.lease_until == t0 + 30s);
  }
  auto rest = q.claim("w", 10, t0, {"a"});
  CHECK(ids(rest) == std::vector<std::int64_t>{now2});  // the future job is not due yet
  CHECK(ids(q.claim("w", 10, t0 + 10s, {"a"})) == std::vector<std::int64_t>{future});
  CHECK(ids(q.claim("w", 10, t0)) == std::vector<std::int64_t>{other_kind});  // empty kinds = all
  CHECK(q.claim("w", 10, t0 + 1h).empty());
  CHECK(q.claim("w", 0, t0 + 1h).empty());
}

TEST_CASE("job_queue: kinds with quotes, backslashes, commas and braces are matched exactly",
          "[pg][job_queue]") {
  queue_env q;
  const std::vector<std::string> weird = {R"(we"ird)", R"(back\slash)", "a,b",
                                          "{x}",       "NULL",          "sp ace"};
  std::map<std::string, std::int64_t> id_of;
  for (const auto& k : weird) id_of[k] = q.add(k);
  const auto plain_a = q.add("a");
  for (const auto& k : weird) {
    INFO(k);
    auto got = q.claim("w", 10, t0, {k});
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == id_of[k]);
    CHECK(got[0].kind == k);
  }
  CHECK(ids(q.claim("w", 10, t0, {"a", "zzz"})) == std::vector<std::int64_t>{plain_a});
}

TEST_CASE("job_queue: two concurrent claimers never get the same job", "[pg][job_queue]") {
  queue_env q;
  constexpr int total = 200;
  {
    pqxx::work tx{*q.c};
    for (int i = 0; i < total; ++i) REQUIRE(st::enqueue(tx, q.org, "work", "{}", t0));
    tx.commit();
  }
  auto run = [&](const std::string& worker, std::vector<std::int64_t>& got, std::string& error) {
    try {
      auto c = q.db.connect();
      for (;;) {
        auto r = st::claim(*c, {"work"}, worker, 3, 30s, t0);
        if (!r) {
          error = r.error().detail;
          return;
        }
        if (r->empty()) return;
        for (const auto& j : *r) {
          got.push_back(j.id);
          auto done = st::complete(*c, st::lease_of(j), t0 + 1s);
          if (!done || !*done) error = "complete refused for a job we hold";
        }
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
  };
  std::vector<std::int64_t> a, b;
  std::string ea, eb;
  std::thread ta{run, "worker-a", std::ref(a), std::ref(ea)};
  std::thread tb{run, "worker-b", std::ref(b), std::ref(eb)};
  ta.join();
  tb.join();
  CHECK(ea.empty());
  CHECK(eb.empty());
  std::set<std::int64_t> all(a.begin(), a.end());
  for (auto id : b) {
    INFO("job " << id << " was claimed by both workers");
    CHECK(all.count(id) == 0);
    all.insert(id);
  }
  CHECK(a.size() + b.size() == static_cast<std::size_t>(total));
  CHECK(all.size() == static_cast<std::size_t>(total));
  pqxx::nontransaction tx{*q.c};
  CHECK(tx.exec1("SELECT count(*) FROM jobs WHERE state = 'completed' AND attempt = 1")[0]
            .as<int>() == total);
}

TEST_CASE("job_queue: SKIP LOCKED lets a second claimer take other jobs without waiting",
          "[pg][job_queue]") {
  queue_env q;
  const auto j1 = q.add("k");
  const auto j2 = q.add("k");
  const auto j3 = q.add("k");
  const auto j4 = q.add("k");

  auto a = q.db.connect();
  // B would fail with errc::timeout instead of hanging if the claim blocked on A's locks.
  auto b = q.db.connect(5s);
  pqxx::work tx_a{*a};
  auto held =
      tx_a.exec_prepared("job_claim", st::to_epoch_us(t0), 2, st::to_epoch_us(t0 + 30s), "A");
  REQUIRE(held.size() == 2);  // j1, j2 locked and updated, not committed

  auto got_b = st::claim(*b, {}, "B", 10, 30s, t0);
  REQUIRE(got_b);
  CHECK(ids(*got_b) == std::vector<std::int64_t>{j3, j4});

  tx_a.commit();
  auto s1 = q.find(j1);
  CHECK(s1.state == st::job_state::running);
  CHECK(s1.attempted_by == "A");
  CHECK(q.find(j2).attempted_by == "A");
  CHECK(q.claim("C", 10, t0).empty());
}

TEST_CASE("job_queue: a heartbeat extends the lease past the sweep", "[pg][job_queue]") {
  queue_env q;
  const auto id = q.add("k");
  auto j = q.claim("w", 1, t0).at(0);
  const auto lease = st::lease_of(j);

  auto hb = st::heartbeat(*q.c, lease, 30s, t0 + 20s);
  REQUIRE(hb);
  CHECK(*hb);
  REQUIRE(q.find(id).lease_until);
  CHECK(*q.find(id).lease_until == t0 + 50s);

  auto swept = st::sweep_expired(*q.c, t0 + 31s, 5s);  // the old lease would have expired here
  REQUIRE(swept);
  CHECK(*swept == 0);
  CHECK(q.find(id).state == st::job_state::running);

  swept = st::sweep_expired(*q.c, t0 + 51s, 5s);
  REQUIRE(swept);
  CHECK(*swept == 1);
  auto lost = st::heartbeat(*q.c, lease, 30s, t0 + 52s);
  REQUIRE(lost);
  CHECK_FALSE(*lost);
}

TEST_CASE("job_queue: completion after the lease was lost is refused", "[pg][job_queue]") {
  queue_env q;
  const auto id = q.add("k");
  const auto w1 = st::lease_of(q.claim("w1", 1, t0).at(0));
  REQUIRE(*st::sweep_expired(*q.c, t0 + 31s, 0s) == 1);
  auto second = q.claim("w2", 1, t0 + 31s);
  REQUIRE(second.size() == 1);
  CHECK(second[0].attempt == 2);
  const auto w2 = st::lease_of(second[0]);

  auto late = st::complete(*q.c, w1, t0 + 40s);
  REQUIRE(late);
  CHECK_FALSE(*late);
  auto late_fail = st::fail(*q.c, w1, "boom", 10s, false, t0 + 40s);
  REQUIRE(late_fail);
  CHECK(*late_fail == st::fail_outcome::lease_lost);
  CHECK_FALSE(*st::heartbeat(*q.c, w1, 30s, t0 + 40s));
  // same attempt number but another worker name is not the lease either
  auto forged = w2;
  forged.worker = "w1";
  CHECK_FALSE(*st::complete(*q.c, forged, t0 + 40s));
  CHECK(q.find(id).state == st::job_state::running);

  CHECK(*st::complete(*q.c, w2, t0 + 41s));
  auto done = q.find(id);
  CHECK(done.state == st::job_state::completed);
  CHECK_FALSE(done.lease_until.has_value());
  CHECK_FALSE(*st::complete(*q.c, w2, t0 + 42s));  // a second completion is refused too
}

TEST_CASE("job_queue: a killed claimer's job is swept back and finished by another worker",
          "[pg][job_queue]") {
  queue_env q;
  const auto id = q.add("send_email");
  auto w1_conn = q.db.connect();
  auto claimed = st::claim(*w1_conn, {}, "w1", 1, 30s, t0);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  const auto w1 = st::lease_of(claimed->at(0));

  {  // the worker process dies: its backend goes away mid-lease
    pqxx::nontransaction tx{*q.c};
    CHECK(tx.exec_params1("SELECT pg_terminate_backend($1)", w1_conn->backendpid())[0].as<bool>());
  }
  CHECK(q.find(id).state == st::job_state::running);   // the claim itself was durable
  CHECK(*st::sweep_expired(*q.c, t0 + 30s, 5s) == 0);  // lease_until is not yet in the past

  const auto sweep_at = t0 + 30s + 1s;
  auto swept = st::sweep_expired(*q.c, sweep_at, 5s);
  REQUIRE(swept);
  CHECK(*swept == 1);
  auto back = q.find(id);
  CHECK(back.state == st::job_state::retryable);
  CHECK(back.scheduled_at == sweep_at + 5s);
  CHECK_FALSE(back.lease_until.has_value());
  auto errs = errors_of(back);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0]["attempt"] == 1);
  CHECK(errs[0]["message"] == "lease expired");

  auto w2_conn = q.db.connect();
  auto early = st::claim(*w2_conn, {}, "w2", 1, 30s, sweep_at + 4s);
  REQUIRE(early);
  CHECK(early->empty());  // backoff not over
  auto again = st::claim(*w2_conn, {}, "w2", 1, 30s, sweep_at + 5s);
  REQUIRE(again);
  REQUIRE(again->size() == 1);
  CHECK(again->at(0).id == id);
  CHECK(again->at(0).attempt == 2);
  CHECK(again->at(0).attempted_by == "w2");

  // The first worker comes back (on its dead connection, or reconnected): refused either way.
  auto on_dead = st::complete(*w1_conn, w1, sweep_at + 6s);
  CHECK((!on_dead || !*on_dead));
  if (!on_dead) CHECK(on_dead.code() == hw::errc::unavailable);
  auto reconnected = q.db.connect();
  auto late = st::complete(*reconnected, w1, sweep_at + 6s);
  REQUIRE(late);
  CHECK_FALSE(*late);

  CHECK(*st::complete(*w2_conn, st::lease_of(again->at(0)), sweep_at + 7s));
  CHECK(q.find(id).state == st::job_state::completed);
}

TEST_CASE("job_queue: a failure schedules a retry at now + delay, not claimable before",
          "[pg][job_queue]") {
  queue_env q;
  const auto id = q.add("k");
  const auto l1 = st::lease_of(q.claim("w", 1, t0).at(0));
  auto out = st::fail(*q.c, l1, "smtp 451 try later", 60s, false, t0 + 1s);
  REQUIRE(out);
  CHECK(*out == st::fail_outcome::retry_scheduled);

  auto j = q.find(id);
  CHECK(j.state == st::job_state::retryable);
  CHECK(j.scheduled_at == t0 + 61s);
  CHECK_FALSE(j.lease_until.has_value());
  auto errs = errors_of(j);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0]["attempt"] == 1);
  CHECK(errs[0]["message"] == "smtp 451 try later");
  CHECK(errs[0]["at"] == "2030-03-17T17:46:41.123456Z");  // t0 + 1s, RFC 3339 UTC

  CHECK(q.claim("w", 1, t0 + 61s - 1us).empty());
  auto retry = q.claim("w", 1, t0 + 61s);
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].id == id);
  CHECK(retry[0].attempt == 2);
}

TEST_CASE("job_queue: exhausted attempts are discarded with one error per attempt",
          "[pg][job_queue]") {
  queue_env q;
  st::enqueue_options opt;
  opt.max_attempts = 3;
  const auto id = q.add("k", t0, opt);
  auto now = t0;
  std::vector<st::fail_outcome> outcomes;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto got = q.claim("w", 1, now);
    REQUIRE(got.size() == 1);
    CHECK(got[0].attempt == attempt);
    auto r =
        st::fail(*q.c, st::lease_of(got[0]), "failure " + std::to_string(attempt), 10s, false, now);
    REQUIRE(r);
    outcomes.push_back(*r);
    now += 10s;
  }
  CHECK(outcomes == std::vector<st::fail_outcome>{st::fail_outcome::retry_scheduled,
                                                  st::fail_outcome::retry_scheduled,
                                                  st::fail_outcome::discarded});
  auto j = q.find(id);
  CHECK(j.state == st::job_state::discarded);
  auto errs = errors_of(j);
  REQUIRE(errs.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(errs[i]["attempt"] == i + 1);
    CHECK(errs[i]["message"] == "failure " + std::to_string(i + 1));
  }
  CHECK(q.claim("w", 1, now + 24h).empty());

  SECTION("a permanent failure discards at once") {
    const auto p = q.add("k");
    auto got = q.claim("w", 1, t0);
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].id == p);
    CHECK(*st::fail(*q.c, st::lease_of(got[0]), "550 no such user", 10s, true, t0) ==
          st::fail_outcome::discarded);
    CHECK(q.find(p).state == st::job_state::discarded);
    CHECK(errors_of(q.find(p))[0]["permanent"] == true);
  }
  SECTION("a sweep of the last attempt discards too") {
    const auto s = q.add("one_shot", t0, opt);
    for (int attempt = 1; attempt <= 3; ++attempt) {
      auto got = q.claim("w", 1, now, {"one_shot"});
      REQUIRE(got.size() == 1);
      REQUIRE(*st::sweep_expired(*q.c, now + 31s, 0s) == 1);
      now += 31s;
    }
    CHECK(q.find(s).state == st::job_state::discarded);
    CHECK(errors_of(q.find(s)).size() == 3);
  }
}

TEST_CASE("job_queue: retry_discarded puts a dead letter back with one more attempt",
          "[pg][job_queue]") {
  queue_env q;
  st::enqueue_options opt;
  opt.max_attempts = 1;
  const auto id = q.add("k", t0, opt);
  CHECK_FALSE(*st::retry_discarded(*q.c, q.org, id, t0));  // not discarded yet
  auto got = q.claim("w", 1, t0);
  REQUIRE(got.size() == 1);
  REQUIRE(*st::fail(*q.c, st::lease_of(got[0]), "boom", 10s, false, t0) ==
          st::fail_outcome::discarded);

  auto r = st::retry_discarded(*q.c, q.org, id, t0 + 1h);
  REQUIRE(r);
  CHECK(*r);
  auto j = q.find(id);
  CHECK(j.state == st::job_state::available);
  CHECK(j.max_attempts == 2);
  CHECK(j.scheduled_at == t0 + 1h);
  auto again = q.claim("w", 1, t0 + 1h);
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempt == 2);
  CHECK(*st::fail(*q.c, st::lease_of(again[0]), "boom again", 10s, false, t0 + 1h) ==
        st::fail_outcome::discarded);
  CHECK(errors_of(q.find(id)).size() == 2);  // history kept across the retry
}

TEST_CASE("job_queue: promote_due makes due scheduled and retryable jobs available",
          "[pg][job_queue]") {
  queue_env q;
  st::enqueue_options later;
  later.run_at = t0 + 1h;
  const auto s = q.add("k", t0, later);
  CHECK(*st::promote_due(*q.c, t0) == 0);
  CHECK(q.find(s).state == st::job_state::scheduled);
  CHECK(*st::promote_due(*q.c, t0 + 1h) == 1);
  CHECK(q.find(s).state == st::job_state::available);
}

TEST_CASE("job_queue: queue_depth counts unfinished jobs per kind and state", "[pg][job_queue]") {
  queue_env q;
  st::enqueue_options later;
  later.run_at = t0 + 1h;
  q.add("email");
  q.add("email");
  q.add("email", t0, later);
  q.add("sync");
  auto e = q.claim("w", 1, t0, {"email"});
  REQUIRE(e.size() == 1);
  REQUIRE(*st::complete(*q.c, st::lease_of(e[0]), t0));
  REQUIRE(q.claim("w", 1, t0, {"sync"}).size() == 1);

  auto d = st::queue_depth(*q.c);
  REQUIRE(d);
  std::map<std::pair<std::string, std::string>, std::int64_t> got;
  for (const auto& row : *d) got[{row.kind, row.state}] = row.count;
  const std::map<std::pair<std::string, std::string>, std::int64_t> want = {
      {{"email", "available"}, 1}, {{"email", "scheduled"}, 1}, {{"sync", "running"}, 1}};
  CHECK(got == want);
}
