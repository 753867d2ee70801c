// Migration 0010: the hirewire_app group role (the server's privileges, separate from the owner
// that runs migrations), its grants and REVOKEs, default privileges for future tables, the
// race-safe creation, and the 0008/0009 tables' tenancy (RLS on every table with an org_id).
#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "storage/migrate.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
using namespace std::chrono_literals;

namespace {

std::string migration_sql(const std::string& version) {
  for (const auto& m : st::embedded_migrations()) {
    if (m.version == version) return m.sql;
  }
  FAIL("no migration " << version);
  return {};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

}  // namespace

TEST_CASE("app role: hirewire_app is a NOLOGIN, NOSUPERUSER, NOBYPASSRLS group role",
          "[pg][roles]") {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  auto r = tx.exec1("SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb"
                    " FROM pg_roles WHERE rolname = 'hirewire_app'");
  CHECK_FALSE(r[0].as<bool>());
  CHECK_FALSE(r[1].as<bool>());
  CHECK_FALSE(r[2].as<bool>());
  CHECK_FALSE(r[3].as<bool>());
  CHECK_FALSE(r[4].as<bool>());
  // The fixture's login role gets its privileges only through membership.
  CHECK(tx.exec_params1("SELECT pg_has_role($1, 'hirewire_app', 'USAGE')", db.app_role_name())[0]
          .as<bool>());
  // It owns no table.
  CHECK(tx.exec1("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                 " AND tableowner = 'hirewire_app'")[0]
          .as<long>() == 0);
}

TEST_CASE("app role: data privileges on every table, append-only audit, read-only ledger",
          "[pg][roles]") {
  pg_fixture db;
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  auto tables = tx.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  REQUIRE(tables.size() >= 14);
  for (const auto& row : tables) {
    const auto t = row[0].as<std::string>();
    INFO(t);
    auto priv = [&](const char* p) {
      return tx.exec_params1("SELECT has_table_privilege('hirewire_app', $1::regclass, $2)", t,
                             std::string{p})[0]
        .as<bool>();
    };
    CHECK(priv("SELECT"));
    CHECK_FALSE(priv("TRUNCATE"));
    if (t == "audit_events") {
      CHECK(priv("INSERT"));
      CHECK_FALSE(priv("UPDATE"));
      CHECK_FALSE(priv("DELETE"));
    } else if (t == "schema_migrations") {
      CHECK_FALSE(priv("INSERT"));
      CHECK_FALSE(priv("UPDATE"));
      CHECK_FALSE(priv("DELETE"));
    } else {
      CHECK(priv("INSERT"));
      CHECK(priv("UPDATE"));
      CHECK(priv("DELETE"));
    }
  }
  auto seqs = tx.exec("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'");
  for (const auto& row : seqs) {
    INFO(row[0].as<std::string>());
    CHECK(tx.exec_params1("SELECT has_sequence_privilege('hirewire_app', $1::regclass, 'USAGE')",
                          row[0].as<std::string>())[0]
            .as<bool>());
  }
  CHECK(tx.exec1("SELECT has_schema_privilege('hirewire_app', 'public', 'USAGE')")[0].as<bool>());
  CHECK_FALSE(tx.exec1("SELECT has_schema_privilege('hirewire_app', 'public', 'CREATE')")[0].as<bool>());
}

TEST_CASE("app role: the server role cannot update the audit log or write the ledger",
          "[pg][roles]") {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  auto app = db.connect_app();
  auto denied = [&](const std::string& sql) {
    try {
      pqxx::work tx{*app};
      tx.exec(sql);
    } catch (const pqxx::insufficient_privilege& e) {
      return std::string{e.what()}.find("permission denied") != std::string::npos;
    } catch (const pqxx::sql_error& e) {
      UNSCOPED_INFO(e.what());
      return false;
    }
    return false;
  };
  CHECK(denied("UPDATE audit_events SET action = 'x'"));
  CHECK(denied("DELETE FROM audit_events"));
  CHECK(denied("INSERT INTO schema_migrations (version, name, checksum, applied_at)"
               " VALUES ('9999', '9999_x.sql', 'x', now())"));
  CHECK(denied("CREATE TABLE nope (x int)"));
  pqxx::nontransaction tx{*app};
  CHECK(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<long>() >= 10);
}

TEST_CASE("app role: tables created later by the owner are granted by default",
          "[pg][roles]") {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  db.exec("CREATE TABLE later_table (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)");
  auto app = db.connect_app();
  pqxx::work tx{*app};
  tx.exec("INSERT INTO later_table (v) VALUES ('x')");
  CHECK(tx.exec1("SELECT count(*) FROM later_table")[0].as<long>() == 1);
  tx.commit();
}

TEST_CASE("app role: the creation block is idempotent and race-safe", "[pg][roles][concurrency]") {
  pg_fixture db;
  const auto sql = migration_sql("0010");
  // Running the file again (the role exists) succeeds.
  REQUIRE_NOTHROW(db.exec(sql));

  // Two concurrent creations of a role that does not exist yet: the second waits for the first
  // transaction and must then treat the unique violation as "exists".
  const auto role = "hw_race_" + db.database().substr(5);
  const auto racing = replace_all(sql, "hirewire_app", role);
  auto c1 = db.connect();
  auto c2 = db.connect();
  auto watcher = db.connect();
  const auto pid2 = [&] {
    pqxx::nontransaction tx{*c2};
    return tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
  }();
  std::optional<std::string> second_error;
  {
    pqxx::work t1{*c1};
    t1.exec(racing);
    std::thread t2{[&] {
      try {
        pqxx::work t{*c2};
        t.exec(racing);
        t.commit();
      } catch (const std::exception& e) {
        second_error = e.what();
      }
    }};
    // Wait (bounded) until the second backend is blocked on the first one's lock.
    bool blocked = false;
    for (int i = 0; i < 400 && !blocked; ++i) {
      pqxx::nontransaction w{*watcher};
      blocked = w.exec_params1("SELECT cardinality(pg_blocking_pids($1)) > 0", pid2)[0].as<bool>();
      if (!blocked) w.exec("SELECT pg_sleep(0.025)");
    }
    CHECK(blocked);
    t1.commit();
    t2.join();
  }
  INFO(second_error.value_or(""));
  CHECK_FALSE(second_error);
  pqxx::nontransaction tx{*watcher};
  CHECK(tx.exec_params1("SELECT count(*) FROM pg_roles WHERE rolname = $1", role)[0].as<long>() == 1);
  tx.exec("DROP OWNED BY " + tx.quote_name(role));
  tx.exec("DROP ROLE " + tx.quote_name(role));
}

TEST_CASE("app role: every table with an org_id has forced RLS; the rest are the global tables",
          "[pg][roles][rls][migrations]") {
  pg_fixture db;
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  auto r = tx.exec(
      "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
      " EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'org_id'"
      "         AND NOT a.attisdropped),"
      " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation')"
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1");
  std::vector<std::string> global;
  int tenant = 0;
  for (const auto& row : r) {
    const auto name = row[0].as<std::string>();
    INFO(name);
    if (row[3].as<bool>()) {
      ++tenant;
      CHECK(row[1].as<bool>());
      CHECK(row[2].as<bool>());
      CHECK(row[4].as<bool>());
    } else {
      global.push_back(name);
    }
  }
  CHECK(tenant >= 10);
  CHECK(global == std::vector<std::string>{"login_throttles", "password_resets", "schema_migrations",
                                           "sessions", "users"});
}
