// storage/sso_repo: per-org OIDC settings (secret bytes stored, never audited), the cross-tenant
// lookup by slug, per-user SSO requirements, single-use login states with expiry, and RLS.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"
#include "storage/session_repo.hpp"
#include "storage/sso_repo.hpp"
#include "storage/user_repo.hpp"
#include "tests/support/pg_fixture.hpp"

using hw::testing::pg_fixture;
namespace st = hw::storage;
namespace dm = hw::domain;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::seconds{1'900'000'000};
const hw::actor_ref operator_cli{"system", "admin-cli"};
const std::string verifier(43, 'v');

struct world : hw::testing::two_org_world {
  using two_org_world::two_org_world;

  long count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<long>();
  }
};

st::sso_config_put okta() {
  st::sso_config_put p;
  p.enabled = true;
  p.issuer = "https://idp.example";
  p.client_id = "client-1";
  p.client_secret_enc = std::string("\x00\x01\xffsecret-bytes", 15);
  p.allowed_domains = {"Example.com", "example.com", "corp.example"};
  p.default_role = dm::role::interviewer;
  p.sso_required = true;
  return p;
}

st::sso_login_state_create state(const hw::org_id& org, const std::string& s, st::time_point exp) {
  return st::sso_login_state_create{org, st::token_digest_hex(s), "nonce-1", verifier,
                                    "https://app.example/sso/callback", exp};
}

}  // namespace

TEST_CASE("sso_repo: put and get settings; the secret is stored as bytes and never audited",
          "[pg][sso]") {
  world w;
  auto none = st::get_sso_config(*w.c, w.a);
  REQUIRE(none);
  CHECK_FALSE(*none);
  auto put = st::put_sso_config(*w.c, w.a, okta(), t0, operator_cli);
  INFO((put ? "" : put.error().detail));
  REQUIRE(put);
  CHECK(put->version == 1);
  CHECK(put->client_secret_enc == std::string("\x00\x01\xffsecret-bytes", 15));
  CHECK(put->allowed_domains == std::vector<std::string>{"example.com", "corp.example"});
  CHECK(put->default_role == dm::role::interviewer);
  auto got = st::get_sso_config(*w.c, w.a);
  REQUIRE(got);
  REQUIRE(*got);
  CHECK((*got)->issuer == "https://idp.example");
  CHECK((*got)->client_secret_enc == put->client_secret_enc);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'sso.configured'") == 1);
  CHECK(w.count("SELECT count(*) FROM audit_events WHERE detail::text LIKE '%secret-bytes%'") == 0);

  SECTION("an update without a secret keeps it and audits the changed field names") {
    auto p = okta();
    p.client_secret_enc.reset();
    p.client_id = "client-2";
    p.expected_version = 1;
    auto up = st::put_sso_config(*w.c, w.a, p, t0 + 1h, operator_cli);
    REQUIRE(up);
    CHECK(up->version == 2);
    CHECK(up->client_secret_enc == put->client_secret_enc);
    pqxx::nontransaction tx{*w.c};
    auto d = nlohmann::json::parse(
        tx.exec1("SELECT detail::text FROM audit_events WHERE action = 'sso.configured'"
                 " ORDER BY id DESC LIMIT 1")[0].as<std::string>());
    CHECK(d["changed"] == nlohmann::json{"client_id"});
  }
  SECTION("an identical put writes nothing") {
    auto p = okta();
    p.client_secret_enc.reset();
    auto same = st::put_sso_config(*w.c, w.a, p, t0 + 1h, operator_cli);
    REQUIRE(same);
    CHECK(same->version == 1);
    CHECK(w.count("SELECT count(*) FROM audit_events WHERE action = 'sso.configured'") == 1);
  }
  SECTION("compare-and-swap and validation") {
    auto p = okta();
    p.expected_version = 0;
    CHECK(st::put_sso_config(*w.c, w.a, p, t0, operator_cli).code() == hw::errc::version_conflict);
    p.expected_version.reset();
    p.allowed_domains = {"bad domain"};
    CHECK(st::put_sso_config(*w.c, w.a, p, t0, operator_cli).code() == hw::errc::invalid_argument);
    p.allowed_domains = {"x@y"};
    CHECK(st::put_sso_config(*w.c, w.a, p, t0, operator_cli).code() == hw::errc::invalid_argument);
    p = okta();
    p.issuer = "https://x\n";
    CHECK(st::put_sso_config(*w.c, w.a, p, t0, operator_cli).code() == hw::errc::invalid_argument);
    CHECK(st::put_sso_config(*w.c, hw::org_id{"00000000-0000-0000-0000-000000000000"}, okta(), t0,
                             operator_cli)
            .code() == hw::errc::not_found);
    CHECK(st::get_sso_config(*w.c, hw::org_id{"bad"}).code() == hw::errc::not_found);
  }
}

TEST_CASE("sso_repo: lookup by slug needs enabled settings; user requirements", "[pg][sso]") {
  world w;
  CHECK(st::find_sso_by_org_slug(*w.c, "org-b").code() == hw::errc::not_found);
  auto p = okta();
  p.enabled = false;
  REQUIRE(st::put_sso_config(*w.c, w.b, p, t0, operator_cli));
  CHECK(st::find_sso_by_org_slug(*w.c, "org-b").code() == hw::errc::not_found);
  p.enabled = true;
  REQUIRE(st::put_sso_config(*w.c, w.b, p, t0, operator_cli));
  auto f = st::find_sso_by_org_slug(*w.c, "org-b");
  REQUIRE(f);
  CHECK(f->org == w.b);
  CHECK(f->org_name == "Org org-b");
  CHECK(f->config.client_id == "client-1");
  CHECK(st::find_sso_by_org_slug(*w.c, "nope").code() == hw::errc::not_found);

  auto u = *st::create_user(*w.c, st::user_create{"u@example.com", "", std::nullopt});
  REQUIRE(st::add_membership(*w.c, w.a, u.id, dm::role::viewer, operator_cli));
  REQUIRE(st::add_membership(*w.c, w.b, u.id, dm::role::viewer, operator_cli));
  auto req = st::user_sso_requirements(*w.c, u.id);
  REQUIRE(req);
  REQUIRE(req->size() == 2);
  CHECK(req->at(0).org == w.a);
  CHECK_FALSE(req->at(0).sso_required);
  CHECK(req->at(1).org == w.b);
  CHECK(req->at(1).sso_required);
  CHECK(st::user_sso_requirements(*w.c, "x")->empty());
}

TEST_CASE("sso_repo: a login state is single use and expires", "[pg][sso]") {
  world w;
  REQUIRE(st::create_sso_login_state(*w.c, state(w.a, "s1", t0 + 10min), t0));
  CHECK(st::create_sso_login_state(*w.c, state(w.b, "s1", t0 + 10min), t0).code() ==
        hw::errc::conflict);
  CHECK(st::create_sso_login_state(*w.c, state(w.a, "s2", t0 + 11min), t0).code() ==
        hw::errc::invalid_argument);
  auto short_verifier = state(w.a, "s3", t0 + 1min);
  short_verifier.code_verifier = "short";
  CHECK(st::create_sso_login_state(*w.c, short_verifier, t0).code() == hw::errc::invalid_argument);
  CHECK(st::create_sso_login_state(*w.c, state(hw::org_id{"00000000-0000-0000-0000-000000000000"},
                                               "s4", t0 + 1min), t0)
          .code() == hw::errc::not_found);

  auto got = st::consume_sso_login_state(*w.c, st::token_digest_hex("s1"), t0 + 5min);
  REQUIRE(got);
  CHECK(got->org == w.a);
  CHECK(got->nonce == "nonce-1");
  CHECK(got->code_verifier == verifier);
  CHECK(got->redirect_uri == "https://app.example/sso/callback");
  CHECK(st::consume_sso_login_state(*w.c, st::token_digest_hex("s1"), t0 + 6min).code() ==
        hw::errc::unauthorized);

  REQUIRE(st::create_sso_login_state(*w.c, state(w.b, "s5", t0 + 10min), t0));
  CHECK(st::consume_sso_login_state(*w.c, st::token_digest_hex("s5"), t0 + 10min).code() ==
        hw::errc::unauthorized);
  CHECK(st::consume_sso_login_state(*w.c, "nothex", t0).code() == hw::errc::unauthorized);
}

TEST_CASE("sso_repo: two concurrent consumes of one state: exactly one wins",
          "[pg][sso][concurrency]") {
  world w;
  REQUIRE(st::create_sso_login_state(*w.c, state(w.a, "race", t0 + 10min), t0));
  auto c1 = w.db.connect();
  auto c2 = w.db.connect();
  std::optional<hw::result<st::sso_login_state>> r1, r2;
  std::thread x{[&] { r1.emplace(st::consume_sso_login_state(*c1, st::token_digest_hex("race"), t0 + 1min)); }};
  std::thread y{[&] { r2.emplace(st::consume_sso_login_state(*c2, st::token_digest_hex("race"), t0 + 1min)); }};
  x.join();
  y.join();
  CHECK(static_cast<int>(r1->has_value()) + static_cast<int>(r2->has_value()) == 1);
}

TEST_CASE("sso_repo: as the app role another org's settings and states are invisible",
          "[pg][sso][rls]") {
  world w{pg_fixture::app_role::create};
  auto app = w.db.connect_app();
  REQUIRE(st::put_sso_config(*app, w.a, okta(), t0, operator_cli));
  REQUIRE(st::put_sso_config(*w.c, w.b, okta(), t0, operator_cli));
  REQUIRE(st::create_sso_login_state(*app, state(w.b, "st-b", t0 + 5min), t0));
  REQUIRE(st::create_sso_login_state(*app, state(w.a, "st-a", t0 + 5min), t0));
  for (const char* table : {"sso_configs", "sso_login_states"}) {
    INFO(table);
    pqxx::read_transaction tx{*app};
    st::set_tenant(tx, w.a);
    CHECK(tx.exec1(std::string{"SELECT count(*) FROM "} + table)[0].as<long>() == 1);
  }
  // A state of org b cannot be written while scoped to org a (WITH CHECK).
  {
    pqxx::work tx{*app};
    st::set_tenant(tx, w.a);
    CHECK_THROWS_AS(tx.exec_params("INSERT INTO sso_configs (org_id, created_at, updated_at)"
                                   " VALUES ($1::uuid, now(), now())",
                                   w.b.value),
                    pqxx::sql_error);
  }
  // Cross-tenant lookups by slug / digest still work as the app role.
  auto f = st::find_sso_by_org_slug(*app, "org-b");
  REQUIRE(f);
  CHECK(f->org == w.b);
  auto s = st::consume_sso_login_state(*app, st::token_digest_hex("st-b"), t0 + 1min);
  REQUIRE(s);
  CHECK(s->org == w.b);
}

TEST_CASE("sso_repo: purge deletes states expired before now - keep, in every organization, as the app role",
          "[pg][sso]") {
  world w{pg_fixture::app_role::create};
  REQUIRE(st::create_sso_login_state(*w.c, state(w.a, "old-a", t0 + 5min), t0));
  REQUIRE(st::create_sso_login_state(*w.c, state(w.b, "old-b", t0 + 5min), t0));
  REQUIRE(st::create_sso_login_state(*w.c, state(w.a, "fresh", t0 + 2h + 5min), t0 + 2h));
  auto app = w.db.connect_app();
  auto n = st::purge_sso_login_states(*app, t0 + 2h, 1h);  // expired before t0 + 1h
  REQUIRE(n);
  CHECK(*n == 2);
  CHECK(w.count("SELECT count(*) FROM sso_login_states") == 1);
  CHECK(*st::purge_sso_login_states(*app, t0 + 2h, 1h) == 0);
}
