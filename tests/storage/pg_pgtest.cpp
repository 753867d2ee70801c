#include <catch2/catch.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
using namespace std::chrono_literals;

namespace {

template <class E>
hw::error mapped(E e) {
  try {
    throw e;
  } catch (...) {
    return st::map_exception(std::current_exception(), "test");
  }
}

}  // namespace

TEST_CASE("pg: connect sets the statement timeout on the session", "[pg][pg_conn]") {
  pg_fixture db;
  auto c = db.connect(1234ms);
  pqxx::nontransaction tx{*c};
  CHECK(tx.exec1("SHOW statement_timeout")[0].as<std::string>() == "1234ms");
}

TEST_CASE("pg: map_exception turns libpqxx exceptions into the error vocabulary", "[pg][pg_conn]") {
  CHECK(mapped(pqxx::broken_connection{"gone"}).code == hw::errc::unavailable);
  CHECK(mapped(pqxx::in_doubt_error{"commit?"}).code == hw::errc::unavailable);
  CHECK(mapped(pqxx::serialization_failure{"retry"}).code == hw::errc::unavailable);
  CHECK(mapped(pqxx::deadlock_detected{"retry"}).code == hw::errc::unavailable);
  CHECK(mapped(pqxx::unique_violation{"dup", "INSERT ... 'secret'", "23505"}).code ==
        hw::errc::conflict);
  CHECK(mapped(pqxx::sql_error{"canceled", "SELECT", "57014"}).code == hw::errc::timeout);
  auto internal =
      mapped(pqxx::sql_error{"boom with 'secret value'", "SELECT 'secret value'", "XX000"});
  CHECK(internal.code == hw::errc::internal);
  // the caller-visible detail never carries SQL text or values
  CHECK(internal.detail.find("secret") == std::string::npos);
  CHECK(mapped(std::runtime_error{"x"}).code == hw::errc::internal);
}

TEST_CASE("pg: a statement that outlives statement_timeout is errc::timeout", "[pg][pg_conn]") {
  pg_fixture db;
  const std::string org = db.make_org("locked");
  auto holder = db.connect();
  auto victim = db.connect(200ms);
  pqxx::work lock{*holder};
  lock.exec_params("SELECT 1 FROM organizations WHERE org_id = $1::uuid FOR UPDATE", org);
  // The CAS must wait for the row lock, and is cancelled by its own statement_timeout.
  hw::domain::organization next;
  next.id = hw::org_id{org};
  next.name = "Renamed";
  next.slug = "locked";
  auto r = st::save_organization(*victim, next, 1, hw::actor_ref{}, "organization.updated");
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::timeout);
  lock.abort();
}

TEST_CASE("pg: a connection whose backend died reports unavailable, a new one works",
          "[pg][pg_conn]") {
  pg_fixture db;
  const hw::org_id org{db.make_org("alive")};
  auto c = db.connect();
  REQUIRE(st::load_organization(*c, org));
  {
    pqxx::connection admin{db.dsn()};
    pqxx::nontransaction tx{admin};
    REQUIRE(tx.exec_params1("SELECT pg_terminate_backend($1)", c->backendpid())[0].as<bool>());
  }
  // The client cannot know before it sends: the first use fails, as a value, never an exception.
  auto r = st::load_organization(*c, org);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::unavailable);
  // (libpqxx 6.4.5 does not reactivate this connection by itself: the owner must reconnect.)
  auto later = st::load_organization(*c, org);
  if (!later) CHECK(later.code() == hw::errc::unavailable);
  auto fresh = db.connect();
  CHECK(st::load_organization(*fresh, org));
}

TEST_CASE("pg: to_epoch_us counts microseconds since the Unix epoch", "[pg][pg_conn]") {
  using clock = std::chrono::system_clock;
  CHECK(st::to_epoch_us(clock::time_point{}) == 0);
  CHECK(st::to_epoch_us(clock::time_point{} + 1500ms) == 1'500'000);
  CHECK(st::to_epoch_us(clock::time_point{} - 1us) == -1);
}
