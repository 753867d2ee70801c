// Row-level security (migration 0007, security-and-reliability.md §3.6), the database half of
// tenant isolation. Every connection that must be subject to RLS is the fixture's NON-superuser
// app role: the admin role of HW_PG_TEST_DSN is a superuser and bypasses RLS even when FORCEd.
// Seeding goes through the admin connection.
#include <catch2/catch.hpp>

#include <functional>
#include <pqxx/pqxx>

#include "storage/audit_repo.hpp"
#include "storage/email_repo.hpp"
#include "storage/job_queue.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/user_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};

// Two organizations, each with a job, an e-mail (and its job), a member, audit rows.
struct seeded {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  st::connection_ptr admin = db.connect();
  hw::org_id a, b;
  std::string user_a, user_b;
  std::int64_t job_a = 0, job_b = 0, email_a = 0, email_b = 0;

  seeded() {
    a = make_org("org-a");
    b = make_org("org-b");
    user_a = make_member(a, "alice@a.example");
    user_b = make_member(b, "bob@b.example");
    job_a = make_job(a);
    job_b = make_job(b);
    email_a = make_email(a);
    email_b = make_email(b);
  }

  hw::org_id make_org(const std::string& slug) {
    auto o = st::insert_organization(*admin, dm::org_create{"Org " + slug, slug, "UTC", {}},
                                     operator_cli);
    REQUIRE(o);
    return o->id;
  }
  std::string make_member(const hw::org_id& org, const std::string& email) {
    auto u = st::create_user(*admin, st::user_create{email, "", std::nullopt});
    REQUIRE(u);
    REQUIRE(st::add_membership(*admin, org, u->id, dm::role::owner, operator_cli));
    return u->id;
  }
  std::int64_t make_job(const hw::org_id& org) {
    pqxx::work tx{*admin};
    auto id = st::enqueue(tx, org, "rls_probe", "{}", t0).value();
    tx.commit();
    return id;
  }
  std::int64_t make_email(const hw::org_id& org) {
    pqxx::work tx{*admin};
    auto e = st::enqueue_email(tx, org, st::email_draft{"rls_probe", "x@y.example", "s", "b"}, t0);
    REQUIRE(e);
    tx.commit();
    return e->id;
  }
};

// Counts `table` rows in a transaction of the app role with hw.org_id set to `tenant` (nothing
// set when empty). The SQL deliberately has NO org_id filter: only RLS can scope it.
long count_as(pqxx::connection_base& c, const std::string& table, const std::string& tenant) {
  pqxx::read_transaction tx{c};
  if (!tenant.empty()) tx.exec_params("SELECT set_config('hw.org_id', $1, true)", tenant);
  return tx.exec1("SELECT count(*) FROM " + table)[0].as<long>();
}

long count_admin(pqxx::connection_base& c, const std::string& sql) {
  pqxx::nontransaction tx{c};
  return tx.exec1(sql)[0].as<long>();
}

// What `f` failed with: "42501" for insufficient_privilege (libpqxx 6 throws that type without
// filling in sqlstate()), else the SQLSTATE, else "no error".
std::string sqlstate_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const pqxx::insufficient_privilege& e) {
    UNSCOPED_INFO(e.what());
    return "42501";
  } catch (const pqxx::sql_error& e) {
    UNSCOPED_INFO(e.what());
    return e.sqlstate().empty() ? std::string{"sql_error"} : e.sqlstate();
  }
  return "no error";
}

const char* const tenant_tables[] = {"organizations", "jobs",           "audit_events",
                                     "memberships",   "email_messages", "email_suppressions"};

}  // namespace

TEST_CASE("rls: the app role is subject to row-level security", "[pg][rls]") {
  pg_fixture db{pg_fixture::schema::migrated, pg_fixture::app_role::create};
  auto app = db.connect_app();
  pqxx::nontransaction tx{*app};
  auto r = tx.exec1(
      "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
  CHECK_FALSE(r[0].as<bool>());
  CHECK_FALSE(r[1].as<bool>());
  // Every tenant table has RLS enabled AND forced, and the app role owns none of them.
  for (const char* t : tenant_tables) {
    auto c = tx.exec_params1(
        "SELECT c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner) = current_user"
        " FROM pg_class c WHERE c.oid = $1::regclass",
        std::string{t});
    INFO(t);
    CHECK(c[0].as<bool>());
    CHECK(c[1].as<bool>());
    CHECK_FALSE(c[2].as<bool>());
  }
}

TEST_CASE("rls: a query that forgets its org_id filter sees only the tenant's rows",
          "[pg][rls][tenancy]") {
  seeded s;
  auto app = s.db.connect_app();
  REQUIRE(st::suppress_address(*s.admin, s.a, "gone@a.example", "test", t0));

  for (const char* t : tenant_tables) {
    INFO(t);
    const std::string table = t;
    const long total = count_admin(*s.admin, "SELECT count(*) FROM " + table);
    const long of_a = count_admin(
        *s.admin, "SELECT count(*) FROM " + table + " WHERE org_id = '" + s.a.value + "'");
    const long of_b = count_admin(
        *s.admin, "SELECT count(*) FROM " + table + " WHERE org_id = '" + s.b.value + "'");
    if (table != "email_suppressions") {
      REQUIRE(of_a > 0);
      REQUIRE(of_b > 0);
    }
    REQUIRE(total == of_a + of_b);
    CHECK(count_as(*app, table, s.a.value) == of_a);
    CHECK(count_as(*app, table, s.b.value) == of_b);
    // No tenant set: nothing, fail closed. (This runs after transactions that set hw.org_id, so
    // it also shows the setting is transaction-local and current_setting's '' is handled.)
    CHECK(count_as(*app, table, "") == 0);
  }

  SECTION("a session-level SET is not needed and the tenant does not outlive its transaction") {
    {
      pqxx::work tx{*app};
      st::set_tenant(tx, s.a);
      CHECK(tx.exec1("SELECT count(*) FROM organizations")[0].as<long>() == 1);
      tx.commit();
    }
    CHECK(count_as(*app, "organizations", "") == 0);
  }
  SECTION("a malformed tenant id sees nothing") {
    pqxx::work tx{*app};
    st::set_tenant(tx, hw::org_id{"not-a-uuid"});
    CHECK(tx.exec1("SELECT count(*) FROM jobs")[0].as<long>() == 0);
  }
}

TEST_CASE("rls: the repositories work for org A under RLS; org B's rows answer not found",
          "[pg][rls][tenancy]") {
  seeded s;
  auto app = s.db.connect_app();

  // organizations
  auto org = st::load_organization(*app, s.a);
  REQUIRE(org);
  CHECK(org->slug == "org-a");
  auto missing = st::load_organization(*app, hw::org_id{"00000000-0000-4000-8000-000000000000"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == hw::errc::not_found);
  auto next = *org;
  next.name = "Org A renamed";
  auto saved = st::save_organization(*app, next, org->version, operator_cli, "organization.updated");
  INFO((saved ? "" : saved.error().detail));
  REQUIRE(saved);
  CHECK(saved->version == org->version + 1);

  // organization creation (system scope for the insert only) and the demo lookup by slug
  auto created = st::insert_organization(*app, dm::org_create{"Org C", "org-c", "UTC", {}},
                                         operator_cli);
  INFO((created ? "" : created.error().detail));
  REQUIRE(created);
  auto dup = st::insert_organization(*app, dm::org_create{"Again", "org-b", "UTC", {}}, operator_cli);
  REQUIRE_FALSE(dup);
  CHECK(dup.error().code == hw::errc::conflict);
  auto demo1 = st::ensure_demo_organization(*app);
  REQUIRE(demo1);
  auto demo2 = st::ensure_demo_organization(*app);
  REQUIRE(demo2);
  CHECK(demo1->id == demo2->id);
  auto owned = st::create_org_with_owner(*app, dm::org_create{"Org D", "org-d", "UTC", {}},
                                         st::user_create{"dora@d.example", "Dora", std::nullopt},
                                         operator_cli);
  INFO((owned ? "" : owned.error().detail));
  REQUIRE(owned);

  // audit
  auto page = st::list_audit(*app, s.a, hw::audit_query{});
  REQUIRE(page);
  CHECK_FALSE(page->entries.empty());
  for (const auto& e : page->entries) {
    const bool known = e.action.rfind("organization.", 0) == 0 || e.action == "member.added";
    CHECK(known);
  }
  auto unknown_audit = st::list_audit(*app, hw::org_id{"00000000-0000-4000-8000-000000000000"}, {});
  REQUIRE_FALSE(unknown_audit);
  CHECK(unknown_audit.error().code == hw::errc::not_found);
  hw::audit_entry refused;
  refused.org = s.a;
  refused.who = operator_cli;
  refused.action = "organization.update_denied";
  refused.target = s.a.value;
  refused.outcome = "denied";
  auto wrote = st::append_audit_if_org_exists(*app, refused);
  REQUIRE(wrote);
  CHECK(*wrote);

  // memberships
  auto members = st::list_members(*app, s.a);
  INFO((members ? "" : members.error().detail));
  REQUIRE(members);
  REQUIRE(members->size() == 1);
  CHECK(members->at(0).user_id == s.user_a);
  auto cross = st::change_role(*app, s.a, s.user_b, dm::role::viewer, operator_cli);
  REQUIRE_FALSE(cross);
  CHECK(cross.error().code == hw::errc::not_found);
  auto cross_rm = st::remove_member(*app, s.a, s.user_b, operator_cli);
  REQUIRE_FALSE(cross_rm);
  CHECK(cross_rm.error().code == hw::errc::not_found);
  REQUIRE(st::add_membership(*app, s.a, s.user_b, dm::role::recruiter, operator_cli));
  auto bobs = st::list_user_orgs(*app, s.user_b);  // spans tenants: system scope
  REQUIRE(bobs);
  CHECK(bobs->size() == 2);
  auto demoted = st::change_role(*app, s.a, s.user_b, dm::role::viewer, operator_cli);
  REQUIRE(demoted);
  CHECK(demoted->role == dm::role::viewer);
  REQUIRE(st::remove_member(*app, s.a, s.user_b, operator_cli));

  // jobs
  auto ja = st::find_job(*app, s.a, s.job_a);
  REQUIRE(ja);
  CHECK(ja->has_value());
  auto jb = st::find_job(*app, s.a, s.job_b);  // B's job through A's id
  REQUIRE(jb);
  CHECK_FALSE(jb->has_value());
  auto retried = st::retry_discarded(*app, s.a, s.job_b, t0);
  REQUIRE(retried);
  CHECK_FALSE(*retried);

  // e-mail
  auto ea = st::load_email(*app, s.a, s.email_a);
  REQUIRE(ea);
  CHECK(ea->has_value());
  auto eb = st::load_email(*app, s.a, s.email_b);
  REQUIRE(eb);
  CHECK_FALSE(eb->has_value());
  REQUIRE(st::suppress_address(*app, s.a, "Gone@A.example", "test", t0));
  auto sup = st::is_suppressed(*app, s.a, "gone@a.example");
  REQUIRE(sup);
  CHECK(*sup);
  auto sup_b = st::is_suppressed(*app, s.b, "gone@a.example");
  REQUIRE(sup_b);
  CHECK_FALSE(*sup_b);
  {
    pqxx::work tx{*app};
    auto e = st::enqueue_email(tx, s.a, st::email_draft{"rls_probe", "z@y.example", "s", "b"}, t0);
    REQUIRE(e);
    CHECK(e->job_id.has_value());
    tx.commit();
  }
  auto box = st::list_dev_mailbox(*app, s.a, 50, std::nullopt);
  REQUIRE(box);

  // the worker side: claim (system scope), then heartbeat / complete / fail as the job's tenant
  auto claimed = st::claim(*app, {"rls_probe"}, "w1", 10, 30s, t0);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 2);  // A's and B's
  for (const auto& j : *claimed) {
    auto hb = st::heartbeat(*app, st::lease_of(j), 30s, t0 + 1s);
    REQUIRE(hb);
    CHECK(*hb);
  }
  auto done = st::complete(*app, st::lease_of(claimed->at(0)), t0 + 2s);
  REQUIRE(done);
  CHECK(*done);
  auto failed = st::fail(*app, st::lease_of(claimed->at(1)), "boom", 1s, true, t0 + 2s);
  REQUIRE(failed);
  CHECK(*failed == st::fail_outcome::discarded);
  auto again = st::retry_discarded(*app, claimed->at(1).org, claimed->at(1).id, t0 + 3s);
  REQUIRE(again);
  CHECK(*again);
  auto reclaimed = st::claim(*app, {"rls_probe"}, "w1", 10, 30s, t0 + 4s);
  REQUIRE(reclaimed);
  REQUIRE(reclaimed->size() == 1);
  auto swept = st::sweep_expired(*app, t0 + 1h, 1s);  // its lease expired
  REQUIRE(swept);
  CHECK(*swept == 1);
  auto promoted = st::promote_due(*app, t0 + 2h);
  REQUIRE(promoted);
  CHECK(*promoted >= 1);
  auto depth = st::queue_depth(*app);
  REQUIRE(depth);
  CHECK_FALSE(depth->empty());

  // The send_email pipeline's outcome writers, as the job's tenant.
  auto mails = st::claim(*app, {std::string{st::send_email_job_kind}}, "w2", 10, 30s, t0 + 3h);
  REQUIRE(mails);
  REQUIRE(mails->size() == 3);  // the seeded e-mails of A and B, and the one enqueued above
  for (const auto& j : *mails) {
    const auto id = st::email_id_from_args(j.args);
    REQUIRE(id);
    auto sent = st::record_email_sent(*app, st::lease_of(j), *id, st::email_transport::dev_mailbox,
                                      t0 + 3h);
    REQUIRE(sent);
    CHECK(*sent);
  }
  auto box_after = st::list_dev_mailbox(*app, s.a, 50, std::nullopt);
  REQUIRE(box_after);
  CHECK(box_after->size() == 2);  // A's two; never B's
  for (const auto& m : *box_after) CHECK(m.org == s.a);
}

TEST_CASE("rls: WITH CHECK refuses writing org B's rows while the tenant is org A",
          "[pg][rls][tenancy]") {
  seeded s;
  auto app = s.db.connect_app();
  auto as_a = [&](const std::string& sql, const std::string& target_org) {
    return sqlstate_of([&] {
      pqxx::work tx{*app};
      st::set_tenant(tx, s.a);
      tx.exec_params(sql, target_org);
      tx.commit();
    });
  };
  // 42501 insufficient_privilege: "new row violates row-level security policy"
  CHECK(as_a("INSERT INTO jobs (org_id, kind, scheduled_at) VALUES ($1::uuid, 'x', now())",
             s.b.value) == "42501");
  CHECK(as_a("INSERT INTO audit_events (org_id, actor_kind, action, target)"
             " VALUES ($1::uuid, 'system', 'x', 'y')",
             s.b.value) == "42501");
  CHECK(as_a("INSERT INTO memberships (org_id, user_id, role)"
             " SELECT $1::uuid, user_id, 'viewer' FROM users LIMIT 1",
             s.b.value) == "42501");
  CHECK(as_a("INSERT INTO email_suppressions (org_id, address, reason, created_at)"
             " VALUES ($1::uuid, 'a@b.example', 'x', now())",
             s.b.value) == "42501");
  // Moving A's row into B is refused too.
  CHECK(as_a("UPDATE jobs SET org_id = $1::uuid", s.b.value) == "42501");
  // The same statements for A's own id pass.
  CHECK(as_a("INSERT INTO jobs (org_id, kind, scheduled_at) VALUES ($1::uuid, 'x', now())",
             s.a.value) == "no error");
  // Without any tenant nothing can be written at all.
  CHECK(sqlstate_of([&] {
          pqxx::work tx{*app};
          tx.exec_params("INSERT INTO jobs (org_id, kind, scheduled_at) VALUES ($1::uuid, 'x', now())",
                         s.a.value);
          tx.commit();
        }) == "42501");
  // An UPDATE/DELETE of B's rows under A's tenant touches nothing.
  {
    pqxx::work tx{*app};
    st::set_tenant(tx, s.a);
    CHECK(tx.exec_params("DELETE FROM jobs WHERE org_id = $1::uuid", s.b.value).affected_rows() == 0);
    CHECK(tx.exec_params("UPDATE organizations SET name = 'pwned' WHERE org_id = $1::uuid", s.b.value)
              .affected_rows() == 0);
    tx.commit();
  }
  CHECK(count_admin(*s.admin, "SELECT count(*) FROM jobs WHERE org_id = '" + s.b.value + "'") == 2);
  CHECK(count_admin(*s.admin, "SELECT count(*) FROM organizations WHERE name = 'pwned'") == 0);
}

TEST_CASE("rls: only the system scope lets the job claim see every organization's jobs",
          "[pg][rls][job_queue]") {
  seeded s;
  auto app = s.db.connect_app();
  const std::string claim_sql =
      "SELECT count(*) FROM (SELECT org_id, id FROM jobs"
      " WHERE state IN ('available', 'retryable', 'scheduled') AND kind = 'rls_probe'"
      " FOR UPDATE SKIP LOCKED) c";
  {
    pqxx::work tx{*app};  // a normal transaction: no tenant, no scope
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 0);
  }
  {
    pqxx::work tx{*app};  // a tenant transaction sees its own jobs only
    st::set_tenant(tx, s.a);
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 1);
  }
  {
    pqxx::work tx{*app};  // an unknown scope value is not the system scope
    tx.exec("SELECT set_config('hw.scope', 'System', true)");
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 0);
  }
  {
    pqxx::work tx{*app};
    st::set_system_scope(tx);
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 2);
    st::clear_system_scope(tx);  // and it can be ended inside the transaction
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 0);
  }
  {
    pqxx::work tx{*app};  // the scope did not outlive its transaction
    CHECK(tx.exec1(claim_sql)[0].as<long>() == 0);
  }
  auto claimed = st::claim(*app, {"rls_probe"}, "w", 10, 30s, t0);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 2);
  CHECK(claimed->at(0).org != claimed->at(1).org);
  // The claimed jobs' updates were made under the system scope and are visible to each tenant.
  for (const auto& j : *claimed) {
    auto f = st::find_job(*app, j.org, j.id);
    REQUIRE(f);
    REQUIRE(f->has_value());
    CHECK((*f)->state == st::job_state::running);
  }
}

TEST_CASE("rls: audit rows stay append-only under the app role", "[pg][rls][audit]") {
  seeded s;
  auto app = s.db.connect_app();
  const long before = count_admin(*s.admin, "SELECT count(*) FROM audit_events");
  REQUIRE(before > 0);
  auto as_a = [&](const std::string& sql) {
    return sqlstate_of([&] {
      pqxx::work tx{*app};
      st::set_tenant(tx, s.a);
      tx.exec(sql);
      tx.commit();
    });
  };
  CHECK(as_a("UPDATE audit_events SET action = 'rewritten'") == "42501");
  CHECK(as_a("DELETE FROM audit_events") == "42501");
  CHECK(as_a("TRUNCATE audit_events") == "42501");
  // Not even in the system scope.
  CHECK(sqlstate_of([&] {
          pqxx::work tx{*app};
          st::set_system_scope(tx);
          tx.exec("DELETE FROM audit_events");
          tx.commit();
        }) == "42501");
  // Appending still works, for the tenant's own organization.
  {
    pqxx::work tx{*app};
    hw::audit_entry e;
    e.org = s.a;
    e.who = operator_cli;
    e.action = "rls.probe";
    e.target = s.a.value;
    st::append_audit(tx, e);
    tx.commit();
  }
  CHECK(count_admin(*s.admin, "SELECT count(*) FROM audit_events") == before + 1);
  CHECK(count_admin(*s.admin, "SELECT count(*) FROM audit_events WHERE action = 'rewritten'") == 0);
}
