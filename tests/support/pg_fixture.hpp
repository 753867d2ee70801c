#pragma once
// A fresh PostgreSQL database per fixture instance, for *_pgtest.cpp.
//
// Needs HW_PG_TEST_DSN: an admin DSN whose role may CREATE DATABASE, e.g.
//   HW_PG_TEST_DSN="host=127.0.0.1 port=5433 user=postgres dbname=postgres"
// When it is unset the constructor throws, so every pg test FAILS with a message saying so
// (a silently skipped database test suite looks exactly like a passing one).
#include <chrono>
#include <string>

#include "actors/domain/audit.hpp"
#include "actors/domain/ids.hpp"
#include "storage/pg.hpp"

namespace hw::testing {

class pg_fixture {
 public:
  enum class schema { migrated, empty };
  /// app_role::create also creates a per-database login role hw_app_<random> that is NOT a
  /// superuser, has NOBYPASSRLS and owns nothing. On a migrated database it is made a member of
  /// the group role hirewire_app (migration 0010: USAGE on schema public, SELECT/INSERT/UPDATE/
  /// DELETE on every table except UPDATE/DELETE/TRUNCATE on audit_events and writes to
  /// schema_migrations, USAGE/SELECT on every sequence), exactly as a deployment's server login
  /// role; on schema::empty it gets those data privileges directly. Row-level security (0007)
  /// applies to it; the admin role (a superuser in dev/test) bypasses it. Dropped with the
  /// database.
  enum class app_role { none, create };

  /// Creates hw_t_<random>; applies storage::embedded_migrations() (the very files the server
  /// applies) unless `s` is schema::empty.
  explicit pg_fixture(schema s = schema::migrated, app_role r = app_role::none);
  ~pg_fixture();  // DROP DATABASE ... WITH (FORCE); never throws
  pg_fixture(const pg_fixture&) = delete;
  pg_fixture& operator=(const pg_fixture&) = delete;

  /// A DSN for the fresh database (the admin DSN with dbname replaced).
  const std::string& dsn() const noexcept { return dsn_; }
  const std::string& database() const noexcept { return db_; }

  /// storage::connect() to the fresh database: statement timeout set, statements prepared.
  storage::connection_ptr connect(
      std::chrono::milliseconds statement_timeout = std::chrono::seconds{30}) const;

  /// The app role's name and a DSN for it on the fresh database; empty without app_role::create.
  const std::string& app_role_name() const noexcept { return app_role_; }
  const std::string& app_dsn() const noexcept { return app_dsn_; }

  /// storage::connect() as the app role (throws std::logic_error without app_role::create).
  storage::connection_ptr connect_app(
      std::chrono::milliseconds statement_timeout = std::chrono::seconds{30}) const;

  /// Runs one SQL string (no parameters) on a short-lived connection to the fresh database.
  void exec(const std::string& sql) const;

  /// Inserts an organization row directly (no repository), returns its org_id text.
  std::string make_org(const std::string& slug) const;

  /// The admin DSN from HW_PG_TEST_DSN; throws std::runtime_error when unset.
  static std::string admin_dsn();

 private:
  void drop() noexcept;

  std::string admin_;
  std::string db_;
  std::string dsn_;
  std::string app_role_;
  std::string app_dsn_;
};

/// The usual start of a repository test: a fresh migrated database (`r` as for pg_fixture), an
/// admin connection `c`, and organizations `a` ("org-a") and `b` ("org-b") made through
/// storage::insert_organization by the admin CLI. A test file derives its `world` from it.
struct two_org_world {
  explicit two_org_world(pg_fixture::app_role r = pg_fixture::app_role::none);

  /// Another organization, as `a` and `b` were made; throws std::runtime_error when refused.
  org_id make_org(const std::string& slug);
  /// A fresh UUID (text) from the database.
  std::string new_id();
  /// A Greenhouse connection named "gh <ext>" made by `by` at `at`, and an open imported job
  /// "Backend Engineer" in it with external id `ext`; returns the job_id.
  std::string add_job(const org_id& org, const std::string& ext,
                      std::chrono::system_clock::time_point at, const actor_ref& by);

  pg_fixture db;
  storage::connection_ptr c;
  org_id a, b;
};

/// An open job posting imported into a new Greenhouse connection of `org` (external id "4011"),
/// with `title`, description `description_html` and `posting_state`; returns its job_id. Throws
/// std::runtime_error when the connection is refused.
std::string add_imported_job(pqxx::connection_base& c, const org_id& org, const std::string& title = "Engineer",
                             const std::string& description_html = "",
                             const std::string& posting_state = "imported");

}  // namespace hw::testing
