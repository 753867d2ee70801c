#include "tests/support/pg_fixture.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

#include "storage/ats_connection_repo.hpp"
#include "storage/migrate.hpp"
#include "storage/organization_repo.hpp"

namespace hw::testing {

namespace {

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<int> d(0, 35);
  static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (int i = 0; i < 12; ++i) s += alphabet[d(rd)];
  return s;
}

std::string quote_conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char ch : v) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

// Re-emits `admin` (key=value or URI form, parsed by libpq itself) with dbname replaced.
std::string with_dbname(const std::string& admin, const std::string& db) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(admin.c_str(), &err);
  if (opts == nullptr) {
    std::string msg = err ? err : "unparseable";
    if (err) PQfreemem(err);
    throw std::runtime_error("HW_PG_TEST_DSN is not a valid libpq connection string: " + msg);
  }
  std::string out;
  for (auto* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string{o->keyword} == "dbname") continue;
    out += std::string{o->keyword} + "=" + quote_conninfo_value(o->val) + " ";
  }
  PQconninfoFree(opts);
  return out + "dbname=" + quote_conninfo_value(db);
}

// Re-emits `dsn` with user and password replaced.
std::string with_user(const std::string& dsn, const std::string& user, const std::string& password) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
  if (opts == nullptr) {
    if (err) PQfreemem(err);
    throw std::runtime_error("pg_fixture: unparseable DSN");
  }
  std::string out;
  for (auto* o = opts; o->keyword != nullptr; ++o) {
    const std::string k = o->keyword;
    if (o->val == nullptr || k == "user" || k == "password") continue;
    out += k + "=" + quote_conninfo_value(o->val) + " ";
  }
  PQconninfoFree(opts);
  return out + "user=" + quote_conninfo_value(user) + " password=" + quote_conninfo_value(password);
}

// A login role that is not a superuser, cannot bypass RLS and owns nothing. On a migrated
// database it gets its privileges exactly as a deployment does: membership in the group role
// hirewire_app that migration 0010 creates and grants (so the tests exercise those grants,
// including the REVOKEs on audit_events and schema_migrations). On an empty database (no 0010) it
// gets the same data privileges directly.
void create_app_role(const std::string& dsn, const std::string& role, const std::string& password,
                     bool migrated) {
  pqxx::connection c{dsn};
  pqxx::work tx{c};
  const auto r = tx.quote_name(role);
  tx.exec("CREATE ROLE " + r +
          " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD " +
          tx.quote(password));
  tx.exec("GRANT CONNECT ON DATABASE " + tx.quote_name(c.dbname()) + " TO " + r);
  if (migrated) {
    tx.exec("GRANT hirewire_app TO " + r);
  } else {
    tx.exec("GRANT USAGE ON SCHEMA public TO " + r);
    tx.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + r);
    tx.exec("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + r);
  }
  tx.commit();
}

}  // namespace

std::string pg_fixture::admin_dsn() {
  const char* v = std::getenv("HW_PG_TEST_DSN");
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(
        "HW_PG_TEST_DSN is not set: the [pg] tests need a PostgreSQL role that may CREATE "
        "DATABASE, e.g. "
        "HW_PG_TEST_DSN=\"host=127.0.0.1 port=5433 user=postgres dbname=postgres\" (scripts/test "
        "starts a "
        "throwaway cluster and exports it; see storage/README.md)");
  }
  return v;
}

pg_fixture::pg_fixture(schema s, app_role r) : admin_(admin_dsn()), db_("hw_t_" + random_suffix()) {
  dsn_ = with_dbname(admin_, db_);
  {
    pqxx::connection admin{admin_};
    pqxx::nontransaction tx{admin};  // CREATE DATABASE cannot run inside a transaction block
    tx.exec("CREATE DATABASE " + tx.quote_name(db_) + " TEMPLATE template0 ENCODING 'UTF8'");
  }
  if (s == schema::migrated) {
    try {
      auto c = connect();
      auto m = storage::apply_migrations(*c, storage::embedded_migrations());
      if (!m) throw std::runtime_error("pg_fixture: migrations failed: " + m.error().detail);
    } catch (...) {
      drop();  // the destructor will not run for a half-built fixture
      throw;
    }
  }
  if (r == app_role::create) {
    const auto password = random_suffix() + random_suffix();
    app_role_ = "hw_app_" + db_.substr(5);  // db_ is hw_t_<suffix>
    try {
      create_app_role(dsn_, app_role_, password, s == schema::migrated);
      app_dsn_ = with_user(dsn_, app_role_, password);
    } catch (...) {
      drop();
      throw;
    }
  }
}

pg_fixture::~pg_fixture() { drop(); }

void pg_fixture::drop() noexcept {
  if (db_.empty()) return;
  try {
    pqxx::connection admin{admin_};
    pqxx::nontransaction tx{admin};
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(db_) + " WITH (FORCE)");
    // Roles are cluster-wide; its privileges lived in the database just dropped.
    if (!app_role_.empty()) tx.exec("DROP ROLE IF EXISTS " + tx.quote_name(app_role_));
  } catch (const std::exception& e) {
    std::cerr << "pg_fixture: could not drop database " << db_ << ": " << e.what() << "\n";
  } catch (...) {
    std::cerr << "pg_fixture: could not drop database " << db_ << "\n";
  }
  db_.clear();
}

storage::connection_ptr pg_fixture::connect(std::chrono::milliseconds statement_timeout) const {
  return storage::connect(dsn_, statement_timeout);
}

storage::connection_ptr pg_fixture::connect_app(std::chrono::milliseconds statement_timeout) const {
  if (app_dsn_.empty()) throw std::logic_error("pg_fixture: constructed without app_role::create");
  return storage::connect(app_dsn_, statement_timeout);
}

void pg_fixture::exec(const std::string& sql) const {
  pqxx::connection c{dsn_};
  pqxx::nontransaction tx{c};
  tx.exec(sql);
}

std::string pg_fixture::make_org(const std::string& slug) const {
  pqxx::connection c{dsn_};
  pqxx::work tx{c};
  auto r = tx.exec_params1(
      "INSERT INTO organizations (slug, name) VALUES ($1, $2) RETURNING org_id::text", slug,
      "Org " + slug);
  tx.commit();
  return r[0].as<std::string>();
}

two_org_world::two_org_world(pg_fixture::app_role r)
    : db{pg_fixture::schema::migrated, r}, c{db.connect()} {
  a = make_org("org-a");
  b = make_org("org-b");
}

org_id two_org_world::make_org(const std::string& slug) {
  const actor_ref operator_cli{"system", "admin-cli"};
  auto o = storage::insert_organization(
      *c, domain::org_create{"Org " + slug, slug, "UTC", {}}, operator_cli);
  if (!o) throw std::runtime_error("insert_organization " + slug + ": " + o.error().detail);
  return o->id;
}

std::string two_org_world::new_id() {
  pqxx::nontransaction tx{*c};
  return tx.exec1("SELECT gen_random_uuid()::text")[0].as<std::string>();
}

std::string two_org_world::add_job(const org_id& org, const std::string& ext,
                                   std::chrono::system_clock::time_point at, const actor_ref& by) {
  storage::ats_connection_create_row row;
  row.id = new_id();
  row.vendor = "greenhouse";
  row.name = "gh " + ext;
  auto conn = storage::create_ats_connection(*c, org, row, at, by);
  if (!conn) throw std::runtime_error("create_ats_connection: " + conn.error().detail);
  pqxx::work tx{*c};
  auto r = tx.exec_params1(
      "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title,"
      " ats_status, created_at, updated_at) VALUES ($1::uuid, gen_random_uuid(), $2::uuid, $3,"
      " 'Backend Engineer', 'open', to_timestamp($4::bigint), to_timestamp($4::bigint))"
      " RETURNING job_id::text",
      org.value, conn->id, ext,
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
  tx.commit();
  return r[0].as<std::string>();
}

std::string add_imported_job(pqxx::connection_base& c, const org_id& org, const std::string& title,
                             const std::string& description_html, const std::string& posting_state) {
  storage::ats_connection_create_row row;
  {
    pqxx::nontransaction tx{c};
    row.id = tx.exec1("SELECT gen_random_uuid()::text")[0].as<std::string>();
  }
  row.vendor = "greenhouse";
  row.name = "Greenhouse prod";
  auto conn = storage::create_ats_connection(c, org, row, std::chrono::system_clock::now(), actor_ref{"system", "test"});
  if (!conn) throw std::runtime_error("create_ats_connection: " + conn.error().detail);
  pqxx::work tx{c};
  auto j = tx.exec_params1(
    "INSERT INTO job_postings (org_id, job_id, connection_id, external_id, ats_title, ats_status,"
    " ats_department, ats_location, ats_description_html, ats_requirements, overrides, posting_state,"
    " created_at, updated_at) VALUES ($1::uuid, gen_random_uuid(), $2::uuid, '4011', $3, 'open',"
    " '', '', $4, '', '{}'::jsonb, $5, now(), now()) RETURNING job_id::text",
    org.value, row.id, title, description_html, posting_state);
  tx.commit();
  return j[0].as<std::string>();
}

}  // namespace hw::testing
