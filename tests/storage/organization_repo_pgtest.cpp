#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>

#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;

namespace {

dm::org_create acme() {
  dm::org_create c;
  c.name = "Acme Corp";
  c.slug = "acme";
  c.time_zone = "Europe/Berlin";
  c.brand.logo_url = "https://acme.example/logo.png";
  c.brand.primary_color = "#112233";
  c.brand.accent_color = "#AABBCC";
  return c;
}

const hw::actor_ref admin{"bootstrap_admin", "admin-1"};

bool is_rfc3339_utc(const std::string& s) {
  static const std::regex form{"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$"};
  return std::regex_match(s, form);
}

long audit_count(pqxx::connection_base& c) {
  pqxx::nontransaction tx{c};
  return tx.exec1("SELECT count(*) FROM audit_events")[0].as<long>();
}

}  // namespace

TEST_CASE("organization_repo: insert then load round-trips every field", "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  auto ins = st::insert_organization(*c, acme(), admin);
  REQUIRE(ins);
  CHECK(hw::is_uuid(ins->id.value));
  CHECK(ins->version == 1);
  CHECK(ins->state == dm::org_state::active);
  CHECK(is_rfc3339_utc(ins->created_at));
  CHECK(ins->updated_at == ins->created_at);

  auto got = st::load_organization(*c, ins->id);
  REQUIRE(got);
  CHECK(got->id == ins->id);
  CHECK(got->name == "Acme Corp");
  CHECK(got->slug == "acme");
  CHECK(got->time_zone == "Europe/Berlin");
  REQUIRE(got->brand.logo_url);
  CHECK(*got->brand.logo_url == "https://acme.example/logo.png");
  CHECK(got->brand.primary_color == "#112233");
  CHECK(got->brand.accent_color == "#AABBCC");
  CHECK(got->version == 1);
  CHECK(got->created_at == ins->created_at);

  SECTION("a missing logo stays null") {
    auto c2 = acme();
    c2.slug = "acme-two";
    c2.brand.logo_url.reset();
    auto o = st::insert_organization(*c, c2, admin);
    REQUIRE(o);
    auto l = st::load_organization(*c, o->id);
    REQUIRE(l);
    CHECK_FALSE(l->brand.logo_url.has_value());
  }
}

TEST_CASE("organization_repo: a taken slug is a conflict naming it, and writes nothing",
          "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  REQUIRE(st::insert_organization(*c, acme(), admin));
  auto other = acme();
  other.name = "Another Acme";
  auto r = st::insert_organization(*c, other, admin);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::conflict);
  CHECK(r.error().detail == "slug: 'acme' is already taken");
  CHECK(audit_count(*c) == 1);
}

TEST_CASE("organization_repo: an unknown time zone is invalid_argument", "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  auto req = acme();
  req.time_zone = "Mars/Olympus_Mons";  // well-formed, but no such zone
  auto r = st::insert_organization(*c, req, admin);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::invalid_argument);
  CHECK(r.error().detail == "time_zone: unknown time zone 'Mars/Olympus_Mons'");

  SECTION("and on save") {
    auto ok = st::insert_organization(*c, acme(), admin);
    REQUIRE(ok);
    auto next = *ok;
    next.time_zone = "Europe/Atlantis";
    auto s = st::save_organization(*c, next, 1, admin, "organization.updated");
    REQUIRE_FALSE(s);
    CHECK(s.code() == hw::errc::invalid_argument);
    CHECK(st::load_organization(*c, ok->id)->time_zone == "Europe/Berlin");
  }
  SECTION("real zones of several shapes are accepted") {
    int n = 0;
    for (auto tz : {"UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"}) {
      auto q = acme();
      q.slug = "tz-" + std::to_string(++n);
      q.time_zone = tz;
      INFO(tz);
      CHECK(st::insert_organization(*c, q, admin));
    }
  }
}

TEST_CASE("organization_repo: compare-and-swap bumps the version and audits changed field names",
          "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  auto org = st::insert_organization(*c, acme(), admin);
  REQUIRE(org);

  auto next = *org;
  next.name = "Acme Corporation";
  next.brand.logo_url.reset();
  auto saved =
      st::save_organization(*c, next, 1, hw::actor_ref{"user", "u-42"}, "organization.updated");
  REQUIRE(saved);
  CHECK(saved->version == 2);
  CHECK(saved->name == "Acme Corporation");
  CHECK_FALSE(saved->brand.logo_url.has_value());
  CHECK(saved->updated_at >= saved->created_at);
  CHECK(saved->created_at == org->created_at);

  auto loaded = st::load_organization(*c, org->id);
  REQUIRE(loaded);
  CHECK(loaded->version == 2);
  CHECK(loaded->name == "Acme Corporation");

  {
    pqxx::nontransaction tx{*c};
    auto a = tx.exec_params1(
        "SELECT actor_kind, actor_id, action, target, detail::text FROM audit_events"
        " WHERE org_id = $1::uuid ORDER BY id DESC LIMIT 1",
        org->id.value);
    CHECK(a[0].as<std::string>() == "user");
    CHECK(a[1].as<std::string>() == "u-42");
    CHECK(a[2].as<std::string>() == "organization.updated");
    CHECK(a[3].as<std::string>() == org->id.value);
    auto detail = nlohmann::json::parse(a[4].as<std::string>());
    CHECK(detail == nlohmann::json{{"changed", {"name", "branding.logo_url"}}});
    // field names only: the new name must not appear anywhere in the audit row
    CHECK(a[4].as<std::string>().find("Corporation") == std::string::npos);
  }

  SECTION("a state change through the event path") {
    auto susp = dm::apply_event(*loaded, dm::org_event::suspend);
    REQUIRE(susp);
    auto s = st::save_organization(*c, *susp, 2, admin, "organization.suspended");
    INFO((s ? std::string{} : s.error().detail));
    REQUIRE(s);
    CHECK(s->state == dm::org_state::suspended);
    CHECK(s->version == 3);
    CHECK(st::load_organization(*c, org->id)->state == dm::org_state::suspended);
  }
}

TEST_CASE("organization_repo: a stale version is version_conflict and changes nothing",
          "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  auto org = st::insert_organization(*c, acme(), admin);
  REQUIRE(org);
  auto first = *org;
  first.name = "First Writer";
  REQUIRE(st::save_organization(*c, first, 1, admin, "organization.updated"));

  auto second = *org;
  second.name = "Second Writer";
  auto r = st::save_organization(*c, second, 1, admin, "organization.updated");  // still thinks v1
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::version_conflict);
  auto now = st::load_organization(*c, org->id);
  REQUIRE(now);
  CHECK(now->name == "First Writer");
  CHECK(now->version == 2);
  CHECK(audit_count(*c) == 2);  // created + the first update; the lost CAS wrote no audit row
}

TEST_CASE("organization_repo: a missing or malformed id is not_found", "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  const hw::org_id missing{"00000000-0000-4000-8000-000000000000"};
  auto l = st::load_organization(*c, missing);
  REQUIRE_FALSE(l);
  CHECK(l.code() == hw::errc::not_found);

  CHECK(st::load_organization(*c, hw::org_id{"not-a-uuid'; DROP TABLE organizations; --"}).code() ==
        hw::errc::not_found);

  dm::organization ghost;
  ghost.id = missing;
  ghost.name = "Ghost";
  ghost.slug = "ghost";
  auto s = st::save_organization(*c, ghost, 1, admin, "organization.updated");
  REQUIRE_FALSE(s);
  CHECK(s.code() == hw::errc::not_found);
  CHECK(audit_count(*c) == 0);
}

TEST_CASE("organization_repo: another organization's id is not_found, and a CAS never crosses orgs",
          "[pg][organization][tenancy]") {
  // Org B's id comes from another database: to this one it names nothing.
  pg_fixture db_a;
  pg_fixture db_b;
  auto ca = db_a.connect();
  auto cb = db_b.connect();
  auto b = st::insert_organization(*cb, acme(), admin);
  REQUIRE(b);
  CHECK(st::load_organization(*ca, b->id).code() == hw::errc::not_found);

  // Within one database: saving A's data under B's id with A's version touches only B, and only
  // if B's version matches; a mismatch leaves B untouched.
  auto a = st::insert_organization(*ca, acme(), admin);
  auto other = acme();
  other.slug = "other";
  auto o = st::insert_organization(*ca, other, admin);
  REQUIRE(a);
  REQUIRE(o);
  auto hijack = *a;
  hijack.id = o->id;
  hijack.slug = "other";
  REQUIRE(st::save_organization(*ca, hijack, 1, admin, "organization.updated"));  // v1 -> v2 of B
  auto stale = st::save_organization(*ca, hijack, 1, admin, "organization.updated");
  CHECK(stale.code() == hw::errc::version_conflict);
  CHECK(st::load_organization(*ca, a->id)->version == 1);  // A never changed
}

TEST_CASE("organization_repo: renaming to a taken slug is a conflict", "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  REQUIRE(st::insert_organization(*c, acme(), admin));
  auto beta = acme();
  beta.slug = "beta";
  auto b = st::insert_organization(*c, beta, admin);
  REQUIRE(b);
  auto next = *b;
  next.slug = "acme";
  auto r = st::save_organization(*c, next, 1, admin, "organization.updated");
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::conflict);
  CHECK(r.error().detail == "slug: 'acme' is already taken");
  CHECK(st::load_organization(*c, b->id)->slug == "beta");
}

TEST_CASE("organization_repo: the audit row is written in the same transaction as the change",
          "[pg][organization][audit]") {
  pg_fixture db;
  auto c = db.connect();
  auto org = st::insert_organization(*c, acme(), admin);
  REQUIRE(org);
  {
    pqxx::nontransaction tx{*c};
    auto a = tx.exec_params1(
        "SELECT actor_kind, actor_id, action, target, detail->'changed' @> "
        "'[\"name\",\"slug\"]'::jsonb"
        " FROM audit_events WHERE org_id = $1::uuid",
        org->id.value);
    CHECK(a[0].as<std::string>() == "bootstrap_admin");
    CHECK(a[1].as<std::string>() == "admin-1");
    CHECK(a[2].as<std::string>() == "organization.created");
    CHECK(a[3].as<std::string>() == org->id.value);
    CHECK(a[4].as<bool>());
  }

  // Make every audit insert fail: the organization change must roll back with it.
  db.exec(
      "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
      " $$BEGIN RAISE EXCEPTION 'audit store unavailable'; END$$;"
      "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION "
      "refuse_audit();");

  auto beta = acme();
  beta.slug = "beta";
  auto r = st::insert_organization(*c, beta, admin);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::internal);
  {
    pqxx::nontransaction tx{*c};
    CHECK(tx.exec1("SELECT count(*) FROM organizations WHERE slug = 'beta'")[0].as<long>() == 0);
  }

  auto next = *org;
  next.name = "Renamed";
  auto s = st::save_organization(*c, next, 1, admin, "organization.updated");
  REQUIRE_FALSE(s);
  auto still = st::load_organization(*c, org->id);
  REQUIRE(still);
  CHECK(still->name == "Acme Corp");
  CHECK(still->version == 1);
}

TEST_CASE("organization_repo: ensure_demo_organization creates once, then returns the same row",
          "[pg][organization]") {
  pg_fixture db;
  auto c = db.connect();
  auto first = st::ensure_demo_organization(*c);
  REQUIRE(first);
  CHECK(first->slug == "demo");
  CHECK(first->version == 1);
  auto second = st::ensure_demo_organization(*c);
  REQUIRE(second);
  CHECK(second->id == first->id);
  CHECK(audit_count(*c) == 1);
}
