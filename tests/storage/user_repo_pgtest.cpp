// storage/user_repo: users (global), memberships (tenant), the owner invariant under concurrency,
// audit rows, and create_org_with_owner.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "actors/domain/permissions.hpp"
#include "storage/pg.hpp"
#include "storage/user_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using dm::role;

namespace {

// A syntactically valid argon2id string (the repository stores hashes, it never computes them).
const std::string fake_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo";
const hw::actor_ref operator_cli{"system", "admin-cli"};

st::user_record make_user(pqxx::connection_base& c, const std::string& email,
                          std::optional<std::string> hash = std::nullopt) {
  auto u = st::create_user(c, st::user_create{email, "Name of " + email, std::move(hash)});
  INFO((u ? "" : u.error().detail));
  REQUIRE(u);
  return *u;
}

long count(pqxx::connection_base& c, const std::string& sql) {
  pqxx::nontransaction tx{c};
  return tx.exec1(sql)[0].as<long>();
}

long audit_count(pqxx::connection_base& c, const std::string& org, const std::string& action) {
  pqxx::nontransaction tx{c};
  return tx
    .exec_params1("SELECT count(*) FROM audit_events WHERE org_id = $1::uuid AND action = $2", org,
                  action)[0]
    .as<long>();
}

hw::actor_ref as_user(const st::user_record& u) { return hw::actor_ref{"user", u.id}; }

}  // namespace

TEST_CASE("user_repo: create and find users by e-mail, case-insensitively", "[pg][user]") {
  pg_fixture db;
  auto c = db.connect();
  auto u = make_user(*c, "  Alice.Smith@Example.COM ", fake_hash);
  CHECK(u.email == "Alice.Smith@Example.COM");
  CHECK(u.email_normalized == "alice.smith@example.com");
  CHECK(u.display_name == "Name of   Alice.Smith@Example.COM");
  CHECK(u.password_hash == fake_hash);
  CHECK(u.password_changed_at.has_value());
  CHECK(u.version == 1);

  auto found = st::find_user_by_email(*c, "ALICE.smith@example.com");
  REQUIRE(found);
  CHECK(found->id == u.id);
  auto loaded = st::load_user(*c, u.id);
  REQUIRE(loaded);
  CHECK(loaded->email_normalized == "alice.smith@example.com");

  CHECK(st::find_user_by_email(*c, "bob@example.com").code() == hw::errc::not_found);
  CHECK(st::load_user(*c, "not-a-uuid").code() == hw::errc::not_found);
  CHECK(st::load_user(*c, "00000000-0000-0000-0000-000000000000").code() == hw::errc::not_found);

  SECTION("an SSO-only account has no password until one is set") {
    auto sso = make_user(*c, "sso@example.com");
    CHECK_FALSE(sso.password_hash);
    CHECK_FALSE(sso.password_changed_at);
    auto set = st::set_password_hash(*c, sso.id, fake_hash);
    REQUIRE(set);
    CHECK(set->password_hash == fake_hash);
    CHECK(set->password_changed_at.has_value());
    CHECK(set->version == 2);
    CHECK(st::set_password_hash(*c, sso.id, "plaintext").code() == hw::errc::invalid_argument);
    CHECK(st::set_password_hash(*c, "00000000-0000-0000-0000-000000000000", fake_hash).code() ==
          hw::errc::not_found);
  }
}

TEST_CASE("user_repo: a duplicate e-mail is a conflict, whatever its case", "[pg][user]") {
  pg_fixture db;
  auto c = db.connect();
  make_user(*c, "carol@example.com");
  auto dup = st::create_user(*c, st::user_create{" CAROL@example.com", "", std::nullopt});
  CHECK(dup.code() == hw::errc::conflict);
  CHECK(dup.error().detail == "email: already registered");
  CHECK(count(*c, "SELECT count(*) FROM users") == 1);
}

TEST_CASE("user_repo: malformed e-mails and display names are refused", "[pg][user]") {
  pg_fixture db;
  auto c = db.connect();
  for (const char* bad : {"", "no-at-sign", "@example.com", "a@", "a@b@c", "a b@example.com",
                          "tab\t@example.com"}) {
    INFO(bad);
    CHECK(st::create_user(*c, st::user_create{bad, "", std::nullopt}).code() ==
          hw::errc::invalid_argument);
  }
  CHECK(st::create_user(*c, st::user_create{"d@example.com", std::string(201, 'x'), std::nullopt})
          .code() == hw::errc::invalid_argument);
  CHECK(st::create_user(*c, st::user_create{"d@example.com", "D", std::string{"bcrypt$"}}).code() ==
        hw::errc::invalid_argument);
  CHECK(count(*c, "SELECT count(*) FROM users") == 0);
}

TEST_CASE("user_repo: memberships are added, listed per organization and per user",
          "[pg][user][membership]") {
  pg_fixture db;
  auto c = db.connect();
  const hw::org_id acme{db.make_org("acme")};
  const hw::org_id globex{db.make_org("globex")};
  auto alice = make_user(*c, "alice@example.com");
  auto bob = make_user(*c, "bob@example.com");

  auto m = st::add_membership(*c, acme, alice.id, role::owner, operator_cli);
  REQUIRE(m);
  CHECK(m->role == role::owner);
  CHECK(m->email == "alice@example.com");
  REQUIRE(st::add_membership(*c, acme, bob.id, role::recruiter, operator_cli));
  // A person in two organizations, with a different role in each.
  REQUIRE(st::add_membership(*c, globex, alice.id, role::viewer, operator_cli));

  SECTION("already a member") {
    auto again = st::add_membership(*c, acme, bob.id, role::admin, operator_cli);
    CHECK(again.code() == hw::errc::conflict);
  }
  SECTION("unknown organization or user") {
    CHECK(st::add_membership(*c, hw::org_id{"00000000-0000-0000-0000-000000000000"}, bob.id,
                             role::admin, operator_cli)
            .code() == hw::errc::not_found);
    CHECK(st::add_membership(*c, acme, "00000000-0000-0000-0000-000000000000", role::admin,
                             operator_cli)
            .code() == hw::errc::not_found);
    CHECK(st::add_membership(*c, hw::org_id{"junk"}, bob.id, role::admin, operator_cli).code() ==
          hw::errc::not_found);
  }

  auto members = st::list_members(*c, acme);
  REQUIRE(members);
  REQUIRE(members->size() == 2);
  CHECK((*members)[0].user_id == alice.id);
  CHECK((*members)[0].role == role::owner);
  CHECK((*members)[1].user_id == bob.id);
  CHECK((*members)[1].role == role::recruiter);

  // Another organization's memberships are invisible: globex lists only alice, as a viewer.
  auto globex_members = st::list_members(*c, globex);
  REQUIRE(globex_members);
  REQUIRE(globex_members->size() == 1);
  CHECK((*globex_members)[0].user_id == alice.id);
  CHECK((*globex_members)[0].role == role::viewer);
  // ...and bob, acme's member, cannot be changed or removed through globex.
  CHECK(st::change_role(*c, globex, bob.id, role::viewer, operator_cli).code() ==
        hw::errc::not_found);
  CHECK(st::remove_member(*c, globex, bob.id, operator_cli).code() == hw::errc::not_found);
  CHECK(st::list_members(*c, hw::org_id{"00000000-0000-0000-0000-000000000000"}).code() ==
        hw::errc::not_found);

  auto alice_orgs = st::list_user_orgs(*c, alice.id);
  REQUIRE(alice_orgs);
  REQUIRE(alice_orgs->size() == 2);
  CHECK((*alice_orgs)[0].slug == "acme");
  CHECK((*alice_orgs)[0].role == role::owner);
  CHECK((*alice_orgs)[1].slug == "globex");
  CHECK((*alice_orgs)[1].role == role::viewer);
  auto bob_orgs = st::list_user_orgs(*c, bob.id);
  REQUIRE(bob_orgs);
  REQUIRE(bob_orgs->size() == 1);
  CHECK((*bob_orgs)[0].org == acme);

  CHECK(audit_count(*c, acme.value, "member.added") == 2);
  CHECK(audit_count(*c, globex.value, "member.added") == 1);
}

TEST_CASE("user_repo: role changes and removals write audit rows and keep an owner",
          "[pg][user][membership]") {
  pg_fixture db;
  auto c = db.connect();
  const hw::org_id acme{db.make_org("acme")};
  auto alice = make_user(*c, "alice@example.com");
  auto bob = make_user(*c, "bob@example.com");
  REQUIRE(st::add_membership(*c, acme, alice.id, role::owner, operator_cli));
  REQUIRE(st::add_membership(*c, acme, bob.id, role::recruiter, operator_cli));

  SECTION("the last owner can be neither demoted nor removed") {
    auto demote = st::change_role(*c, acme, alice.id, role::admin, operator_cli);
    CHECK(demote.code() == hw::errc::conflict);
    CHECK(demote.error().detail == std::string{dm::last_owner_detail});
    CHECK(st::remove_member(*c, acme, alice.id, operator_cli).code() == hw::errc::conflict);
    CHECK(st::change_role(*c, acme, alice.id, role::admin, as_user(alice)).code() ==
          hw::errc::conflict);
    CHECK(audit_count(*c, acme.value, "member.role_changed") == 0);
    CHECK(audit_count(*c, acme.value, "member.removed") == 0);
  }

  SECTION("with a second owner the first may step down; then the second is the last") {
    auto promoted = st::change_role(*c, acme, bob.id, role::owner, as_user(alice));
    REQUIRE(promoted);
    CHECK(promoted->role == role::owner);
    auto stepped = st::change_role(*c, acme, alice.id, role::admin, as_user(alice));
    REQUIRE(stepped);
    CHECK(stepped->role == role::admin);
    CHECK(st::remove_member(*c, acme, bob.id, operator_cli).code() == hw::errc::conflict);
    CHECK(audit_count(*c, acme.value, "member.role_changed") == 2);
    pqxx::nontransaction tx{*c};
    auto row = tx.exec_params1(
      "SELECT actor_kind, actor_id, target, detail::text FROM audit_events"
      " WHERE org_id = $1::uuid AND action = 'member.role_changed' ORDER BY id DESC LIMIT 1",
      acme.value);
    CHECK(row[0].as<std::string>() == "user");
    CHECK(row[1].as<std::string>() == alice.id);
    CHECK(row[2].as<std::string>() == alice.id);
    auto detail = nlohmann::json::parse(row[3].as<std::string>());
    CHECK(detail["previous_role"] == "owner");
    CHECK(detail["role"] == "admin");
  }

  SECTION("a user actor needs the permission: a recruiter may not change roles") {
    auto r = st::change_role(*c, acme, bob.id, role::admin, as_user(bob));
    CHECK(r.code() == hw::errc::forbidden);
    auto outsider = make_user(*c, "eve@example.com");
    CHECK(st::remove_member(*c, acme, bob.id, as_user(outsider)).code() == hw::errc::forbidden);
  }

  SECTION("a member is removed with an audit row") {
    REQUIRE(st::remove_member(*c, acme, bob.id, as_user(alice)));
    CHECK(audit_count(*c, acme.value, "member.removed") == 1);
    auto members = st::list_members(*c, acme);
    REQUIRE(members);
    CHECK(members->size() == 1);
    CHECK(st::remove_member(*c, acme, bob.id, as_user(alice)).code() == hw::errc::not_found);
    // The account stays: users are global.
    CHECK(st::load_user(*c, bob.id));
  }

  SECTION("setting the current role again writes nothing") {
    REQUIRE(st::change_role(*c, acme, bob.id, role::recruiter, operator_cli));
    CHECK(audit_count(*c, acme.value, "member.role_changed") == 0);
  }
}

TEST_CASE("user_repo: two concurrent demotions of the two owners leave exactly one owner",
          "[pg][user][membership][concurrency]") {
  pg_fixture db;
  auto setup = db.connect();
  const hw::org_id acme{db.make_org("acme")};
  auto alice = make_user(*setup, "alice@example.com");
  auto bob = make_user(*setup, "bob@example.com");
  REQUIRE(st::add_membership(*setup, acme, alice.id, role::owner, operator_cli));
  REQUIRE(st::add_membership(*setup, acme, bob.id, role::owner, operator_cli));

  // A third transaction holds the owner rows, so both demotions are provably in flight at once:
  // we wait (no sleeping) until PostgreSQL reports two backends blocked on a lock, then release.
  auto holder = db.connect();
  pqxx::work hold{*holder};
  hold.exec_params("SELECT 1 FROM memberships WHERE org_id = $1::uuid FOR UPDATE", acme.value);

  auto c1 = db.connect();
  auto c2 = db.connect();
  std::optional<hw::result<st::member_record>> r1, r2;
  std::thread t1{[&] { r1 = st::change_role(*c1, acme, alice.id, role::admin, operator_cli); }};
  std::thread t2{[&] { r2 = st::change_role(*c2, acme, bob.id, role::admin, operator_cli); }};

  auto watcher = db.connect();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
  long waiting = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pqxx::nontransaction w{*watcher};
    waiting = w.exec1("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      " AND wait_event_type = 'Lock'")[0]
                .as<long>();
    if (waiting >= 2) break;
    std::this_thread::yield();
  }
  CHECK(waiting == 2);
  hold.commit();
  t1.join();
  t2.join();

  REQUIRE(r1);
  REQUIRE(r2);
  const int ok = (*r1 ? 1 : 0) + (*r2 ? 1 : 0);
  CHECK(ok == 1);
  const auto& failed = *r1 ? *r2 : *r1;
  CHECK(failed.code() == hw::errc::conflict);
  CHECK(count(*setup, "SELECT count(*) FROM memberships WHERE role = 'owner'") == 1);
  CHECK(audit_count(*setup, acme.value, "member.role_changed") == 1);
}

TEST_CASE("user_repo: create_org_with_owner writes the org, the account and the owner membership",
          "[pg][user][organization]") {
  pg_fixture db;
  auto c = db.connect();
  dm::org_create org;
  org.name = "Acme";
  org.slug = "acme";
  org.time_zone = "Europe/Berlin";

  auto r = st::create_org_with_owner(*c, org, st::user_create{"Owner@Example.com", "Olga", fake_hash},
                                     operator_cli);
  REQUIRE(r);
  CHECK(r->owner_created);
  CHECK(r->org.slug == "acme");
  CHECK(r->owner.email_normalized == "owner@example.com");
  auto members = st::list_members(*c, r->org.id);
  REQUIRE(members);
  REQUIRE(members->size() == 1);
  CHECK((*members)[0].role == role::owner);
  CHECK(audit_count(*c, r->org.id.value, "organization.created") == 1);
  CHECK(audit_count(*c, r->org.id.value, "member.added") == 1);

  SECTION("an existing account becomes the owner of a second organization, password untouched") {
    org.slug = "acme-two";
    auto second = st::create_org_with_owner(
      *c, org, st::user_create{"OWNER@example.com", "Other", std::nullopt}, operator_cli);
    REQUIRE(second);
    CHECK_FALSE(second->owner_created);
    CHECK(second->owner.id == r->owner.id);
    CHECK(second->owner.password_hash == fake_hash);
    CHECK(second->owner.display_name == "Olga");
    auto orgs = st::list_user_orgs(*c, r->owner.id);
    REQUIRE(orgs);
    CHECK(orgs->size() == 2);
  }

  SECTION("a taken slug writes nothing") {
    auto taken = st::create_org_with_owner(
      *c, org, st::user_create{"new@example.com", "", fake_hash}, operator_cli);
    CHECK(taken.code() == hw::errc::conflict);
    CHECK(count(*c, "SELECT count(*) FROM users") == 1);
    CHECK(count(*c, "SELECT count(*) FROM organizations") == 1);
    CHECK(count(*c, "SELECT count(*) FROM audit_events") == 2);
  }

  SECTION("an unknown time zone writes nothing") {
    org.slug = "zoned";
    org.time_zone = "Mars/Olympus_Mons";
    auto bad = st::create_org_with_owner(
      *c, org, st::user_create{"new@example.com", "", fake_hash}, operator_cli);
    CHECK(bad.code() == hw::errc::invalid_argument);
    CHECK(count(*c, "SELECT count(*) FROM users") == 1);
  }
}
