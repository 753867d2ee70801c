#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <thread>

#include "storage/migrate.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;

namespace {

std::vector<std::string> names_of(const std::vector<st::migration_file>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.name);
  return out;
}

long count_rows(pqxx::connection_base& c, const std::string& table) {
  pqxx::nontransaction tx{c};
  return tx.exec1("SELECT count(*) FROM " + table)[0].as<long>();
}

}  // namespace

TEST_CASE("migrations: embedded files are ordered NNNN_verb_object.sql with SHA-256 of their bytes",
          "[pg][migrations]") {
  const auto& files = st::embedded_migrations();
  REQUIRE(files.size() >= 3);
  CHECK(files[0].name == "0001_create_organizations.sql");
  CHECK(files[1].name == "0002_create_audit_events.sql");
  CHECK(files[2].name == "0003_create_jobs.sql");
  const std::regex form{"^([0-9]{4})_[a-z][a-z0-9_]*\\.sql$"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    INFO(files[i].name);
    std::smatch m;
    REQUIRE(std::regex_match(files[i].name, m, form));
    CHECK(m[1] == files[i].version);
    CHECK(!files[i].sql.empty());
    CHECK(files[i].checksum.size() == 64);
    // The build hashed the file with CMake; OpenSSL over the embedded bytes must agree, which
    // proves the embedding is byte-exact.
    CHECK(st::sha256_hex(files[i].sql) == files[i].checksum);
    if (i > 0) CHECK(files[i - 1].version < files[i].version);
  }
  CHECK(st::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("migrations: a fresh database gets every file applied and recorded", "[pg][migrations]") {
  pg_fixture db{pg_fixture::schema::empty};
  auto c = db.connect();
  const auto& files = st::embedded_migrations();

  auto before = st::check_migrations(*c, files);
  REQUIRE(before);
  CHECK(before->applied.empty());
  CHECK(before->pending == names_of(files));
  CHECK_FALSE(before->current());

  auto applied = st::apply_migrations(*c, files);
  REQUIRE(applied);
  CHECK(*applied == names_of(files));
  CHECK(count_rows(*c, "schema_migrations") == static_cast<long>(files.size()));

  auto after = st::check_migrations(*c, files);
  REQUIRE(after);
  CHECK(after->current());
  CHECK(after->applied == names_of(files));
  CHECK(after->unknown.empty());

  pqxx::nontransaction tx{*c};
  auto row = tx.exec1("SELECT checksum FROM schema_migrations WHERE version = '0003'");
  CHECK(row[0].as<std::string>() == files[2].checksum);
  for (auto table : {"organizations", "audit_events", "jobs", "ats_connections",
                     "ats_connection_events", "ats_integration_log", "ats_webhook_inbox"}) {
    INFO(table);
    CHECK(tx.exec1(std::string{"SELECT to_regclass('"} + table + "') IS NOT NULL")[0].as<bool>());
  }
}

TEST_CASE("migrations: 0019 folds the webhook counter slots into the connection, minus the rows still pending",
          "[pg][migrations]") {
  pg_fixture db{pg_fixture::schema::empty};
  auto c = db.connect();
  const auto& all = st::embedded_migrations();
  const auto upto = std::find_if(all.begin(), all.end(), [](const st::migration_file& f) {
    return f.name.rfind("0019_", 0) == 0;
  });
  REQUIRE(upto != all.end());
  REQUIRE(st::apply_migrations(*c, std::vector<st::migration_file>(all.begin(), upto)));
  // Before 0019 a stored delivery was counted received at once: 5 stored (2 still pending), 1
  // duplicate, 3 rejected, in the connection's columns and two slot rows.
  const std::string org = "0a000000-0000-4000-8000-000000000001", conn = "0c000000-0000-4000-8000-000000000001";
  {
    pqxx::work tx{*c};
    tx.exec("SELECT set_config('hw.scope', 'system', true)");
    tx.exec("INSERT INTO organizations (org_id, slug, name) VALUES ('" + org + "', 'org-one', 'Org One')");
    tx.exec("INSERT INTO ats_connections (org_id, connection_id, vendor, name, created_at, updated_at,"
            " webhooks_received, webhooks_rejected) VALUES ('" + org + "', '" + conn + "', 'greenhouse', 'G', now(), now(), 1, 1)");
    tx.exec("INSERT INTO ats_webhook_counters (org_id, connection_id, slot, received, duplicate, rejected) VALUES"
            " ('" + org + "', '" + conn + "', 0, 3, 1, 0), ('" + org + "', '" + conn + "', 5, 1, 0, 2)");
    for (int i = 0; i < 5; ++i) {
      tx.exec("INSERT INTO ats_webhook_inbox (org_id, connection_id, content_key, received_at, payload, status,"
              " processed_at) VALUES ('" + org + "', '" + conn + "', sha256('" + std::to_string(i) + "'), now(), '{}', " +
              (i < 3 ? "'processed', now()" : "'received', NULL") + ")");
    }
    tx.commit();
  }
  REQUIRE(st::apply_migrations(*c, all));
  pqxx::nontransaction q{*c};
  q.exec("SELECT set_config('hw.scope', 'system', false)");
  const auto row = q.exec1("SELECT webhooks_received, webhooks_duplicate, webhooks_rejected FROM ats_connections");
  CHECK(row[0].as<long>() == 3);  // 5 stored - 2 pending (counted again when processed)
  CHECK(row[1].as<long>() == 1);
  CHECK(row[2].as<long>() == 3);
  CHECK(q.exec1("SELECT count(*) FROM ats_webhook_counters")[0].as<int>() == 0);
  // The pending rows are found through the new partial index.
  CHECK(q.exec1("SELECT count(*) FROM pg_indexes WHERE indexname = 'ats_webhook_inbox_pending'"
                " AND indexdef LIKE '%WHERE%status%received%'")[0].as<int>() == 1);
}

TEST_CASE("migrations: a second run applies nothing", "[pg][migrations]") {
  pg_fixture db;  // already migrated once by the fixture
  auto c = db.connect();
  auto again = st::apply_migrations(*c, st::embedded_migrations());
  REQUIRE(again);
  CHECK(again->empty());
  CHECK(count_rows(*c, "schema_migrations") == static_cast<long>(st::embedded_migrations().size()));
}

TEST_CASE("migrations: an applied file that was edited is refused, naming the file",
          "[pg][migrations]") {
  pg_fixture db;
  auto c = db.connect();
  auto files = st::embedded_migrations();
  files[1].sql += "\n-- an innocent-looking edit\n";
  files[1].checksum = st::sha256_hex(files[1].sql);
  // and a new file after it, which must NOT be applied while an edited one is present
  files.push_back({"0999", "0999_create_widgets.sql", "CREATE TABLE widgets (id int);", ""});
  files.back().checksum = st::sha256_hex(files.back().sql);

  auto r = st::apply_migrations(*c, files);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::conflict);
  CHECK_THAT(r.error().detail, Catch::Contains("0002_create_audit_events.sql"));

  auto status = st::check_migrations(*c, files);
  REQUIRE(status);
  CHECK(status->edited == std::vector<std::string>{"0002_create_audit_events.sql"});
  CHECK(status->pending == std::vector<std::string>{"0999_create_widgets.sql"});
  CHECK_FALSE(status->current());
  pqxx::nontransaction tx{*c};
  CHECK_FALSE(tx.exec1("SELECT to_regclass('widgets') IS NOT NULL")[0].as<bool>());
}

TEST_CASE("migrations: check reports pending files and unknown applied versions",
          "[pg][migrations]") {
  pg_fixture db{pg_fixture::schema::empty};
  auto c = db.connect();
  const auto& all = st::embedded_migrations();
  std::vector<st::migration_file> first_two(all.begin(), all.begin() + 2);
  // Every file after the first two (the list grows with each new migration).
  const auto all_names = names_of(all);
  const std::vector<std::string> after_two(all_names.begin() + 2, all_names.end());

  auto applied = st::apply_migrations(*c, first_two);
  REQUIRE(applied);
  CHECK(applied->size() == 2);

  SECTION("a file not yet applied is pending") {
    auto s = st::check_migrations(*c, all);
    REQUIRE(s);
    CHECK(s->pending == after_two);
    CHECK(s->applied.size() == 2);
    CHECK_FALSE(s->current());
  }
  SECTION("an applied version with no file is unknown, and does not stop apply") {
    db.exec(
        "INSERT INTO schema_migrations (version, name, checksum) VALUES ('9000', "
        "'9000_add_future.sql', 'x')");
    auto s = st::check_migrations(*c, all);
    REQUIRE(s);
    CHECK(s->unknown == std::vector<std::string>{"9000_add_future.sql"});
    auto r = st::apply_migrations(*c, all);
    REQUIRE(r);
    CHECK(*r == after_two);
    auto s2 = st::check_migrations(*c, all);
    REQUIRE(s2);
    CHECK(s2->current());
    CHECK(s2->unknown.size() == 1);
  }
}

TEST_CASE("migrations: a failing file is rolled back with its row and named", "[pg][migrations]") {
  pg_fixture db{pg_fixture::schema::empty};
  auto c = db.connect();
  auto files = st::embedded_migrations();
  files.push_back(
      {"0998", "0998_break_things.sql", "CREATE TABLE half_done (id int); SELECT 1/0;", ""});
  files.back().checksum = st::sha256_hex(files.back().sql);
  auto r = st::apply_migrations(*c, files);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().detail, Catch::Contains("0998_break_things.sql"));
  auto s = st::check_migrations(*c, files);
  REQUIRE(s);
  CHECK(s->applied.size() == st::embedded_migrations().size());  // the good ones stay applied
  CHECK(s->pending == std::vector<std::string>{"0998_break_things.sql"});
  pqxx::nontransaction tx{*c};
  CHECK_FALSE(tx.exec1("SELECT to_regclass('half_done') IS NOT NULL")[0].as<bool>());
}

TEST_CASE("migrations: two connections applying at once apply each file exactly once",
          "[pg][migrations]") {
  pg_fixture db{pg_fixture::schema::empty};
  const auto& files = st::embedded_migrations();
  for (int round = 0; round < 3; ++round) {
    if (round > 0) {
      // Every table and domain the migrations made (the lists grow with each new migration).
      db.exec(
          "DO $$ DECLARE t record; BEGIN"
          " FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP"
          "  EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(t.tablename) || ' CASCADE';"
          " END LOOP;"
          " FOR t IN SELECT y.typname FROM pg_type y JOIN pg_namespace n ON n.oid = y.typnamespace"
          "  WHERE n.nspname = 'public' AND y.typtype = 'd' LOOP"
          "  EXECUTE 'DROP DOMAIN IF EXISTS ' || quote_ident(t.typname) || ' CASCADE';"
          " END LOOP; END $$");
    }
    auto c1 = db.connect();
    auto c2 = db.connect();
    std::optional<hw::result<std::vector<std::string>>> r1, r2;
    std::thread t1{[&] { r1.emplace(st::apply_migrations(*c1, files)); }};
    std::thread t2{[&] { r2.emplace(st::apply_migrations(*c2, files)); }};
    t1.join();
    t2.join();
    REQUIRE(*r1);
    REQUIRE(*r2);
    std::vector<std::string> together = **r1;
    together.insert(together.end(), (*r2)->begin(), (*r2)->end());
    std::sort(together.begin(), together.end());
    CHECK(together == names_of(files));  // each file once, by one of the two
    CHECK(count_rows(*c1, "schema_migrations") == static_cast<long>(files.size()));
  }
}

TEST_CASE("migrations: every tenant table has org_id first in its primary key and foreign keys",
          "[pg][migrations][tenancy]") {
  pg_fixture db;
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  // For each public table except schema_migrations: the first key column of the PK, and of every
  // FK.
  auto r = tx.exec(
      "SELECT cl.relname, con.contype, a.attname"
      "  FROM pg_constraint con"
      "  JOIN pg_class cl ON cl.oid = con.conrelid"
      "  JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = 'public'"
      "  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]"
      " WHERE con.contype IN ('p', 'f') AND cl.relname <> 'schema_migrations'"
      // The declared GLOBAL tables, which belong to a person rather than an organization: users
      // (0006: a person may belong to several organizations) and sessions, password_resets,
      // login_throttles (0008). Their keys, and foreign keys that point to users, are the
      // exceptions.
      "   AND cl.relname NOT IN ('users', 'sessions', 'password_resets', 'login_throttles')"
      "   AND NOT (con.contype = 'f' AND con.confrelid = 'users'::regclass)"
      " ORDER BY 1, 2");
  REQUIRE(r.size() >= 5);  // 3 primary keys + 2 foreign keys
  int fks = 0;
  for (const auto& row : r) {
    INFO(row[0].as<std::string>() << " " << row[1].as<std::string>());
    CHECK(row[2].as<std::string>() == "org_id");
    if (row[1].as<std::string>() == "f") ++fks;
  }
  CHECK(fks >= 2);
  // and the partial indexes of the queue exist
  auto idx = tx.exec(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'jobs' AND indexname IN"
      " ('job_runnable', 'job_unique_live', 'job_lease') ORDER BY 1");
  CHECK(idx.size() == 3);
}
