#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "storage/job_queue.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
using namespace std::chrono_literals;

namespace {
const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
}

TEST_CASE("tenant_isolation: org A's jobs are invisible and unmodifiable through org B's id",
          "[pg][tenancy][job_queue]") {
  pg_fixture db;
  auto c = db.connect();
  const hw::org_id a{db.make_org("org-a")};
  const hw::org_id b{db.make_org("org-b")};

  std::int64_t id = 0;
  {
    pqxx::work tx{*c};
    id = st::enqueue(tx, a, "send_email", "{}", t0).value();
    tx.commit();
  }
  auto seen_by_b = st::find_job(*c, b, id);
  REQUIRE(seen_by_b);
  CHECK_FALSE(seen_by_b->has_value());
  auto seen_by_a = st::find_job(*c, a, id);
  REQUIRE(seen_by_a);
  CHECK(seen_by_a->has_value());

  auto claimed = st::claim(*c, {}, "w", 1, 30s, t0);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  CHECK(claimed->at(0).org == a);

  // B's id with every other part of A's fencing token right: refused, and A's job is untouched.
  auto forged = st::lease_of(claimed->at(0));
  forged.org = b;
  CHECK_FALSE(*st::heartbeat(*c, forged, 1h, t0));
  CHECK_FALSE(*st::complete(*c, forged, t0));
  CHECK(*st::fail(*c, forged, "x", 1s, true, t0) == st::fail_outcome::lease_lost);
  forged.org = hw::org_id{"not-a-uuid"};
  CHECK_FALSE(*st::complete(*c, forged, t0));
  auto still = st::find_job(*c, a, id);
  REQUIRE(still);
  REQUIRE(still->has_value());
  CHECK((*still)->state == st::job_state::running);
  REQUIRE((*still)->lease_until);
  CHECK(*(*still)->lease_until == t0 + 30s);

  // dead letters too
  REQUIRE(*st::fail(*c, st::lease_of(claimed->at(0)), "boom", 1s, true, t0) ==
          st::fail_outcome::discarded);
  CHECK_FALSE(*st::retry_discarded(*c, b, id, t0));
  CHECK((*st::find_job(*c, a, id))->state == st::job_state::discarded);
  CHECK(*st::retry_discarded(*c, a, id, t0));
}

TEST_CASE("tenant_isolation: a job cannot point at an organization that does not exist",
          "[pg][tenancy][job_queue]") {
  pg_fixture db;
  auto c = db.connect();
  pqxx::work tx{*c};
  const hw::org_id ghost{"00000000-0000-4000-8000-000000000001"};
  hw::error e;
  try {
    st::enqueue(tx, ghost, "send_email", "{}", t0);
    FAIL("enqueue for an unknown organization was accepted");
  } catch (const pqxx::foreign_key_violation&) {
    e = st::map_exception(std::current_exception(), "test");
  }
  CHECK(e.code == hw::errc::internal);
}

TEST_CASE("tenant_isolation: an organization's audit rows and jobs are keyed by its own org_id",
          "[pg][tenancy][audit]") {
  pg_fixture db;
  auto c = db.connect();
  hw::domain::org_create req;
  req.name = "Alpha";
  req.slug = "alpha";
  auto a = st::insert_organization(*c, req, hw::actor_ref{"user", "u1"});
  req.name = "Beta";
  req.slug = "beta";
  auto b = st::insert_organization(*c, req, hw::actor_ref{"user", "u2"});
  REQUIRE(a);
  REQUIRE(b);
  pqxx::nontransaction tx{*c};
  auto r = tx.exec_params("SELECT actor_id, target FROM audit_events WHERE org_id = $1::uuid",
                          a->id.value);
  REQUIRE(r.size() == 1);
  CHECK(r[0][0].as<std::string>() == "u1");
  CHECK(r[0][1].as<std::string>() == a->id.value);
  // The composite key means (org_id, id) of B can never be reached with A's org_id.
  auto cross = tx.exec_params1(
      "SELECT count(*) FROM audit_events x JOIN audit_events y ON x.org_id = y.org_id AND x.id = "
      "y.id"
      " WHERE x.org_id = $1::uuid AND y.target = $2",
      a->id.value, b->id.value);
  CHECK(cross[0].as<long>() == 0);
}
