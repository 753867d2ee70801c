// The whole server (config -> migrations -> actors -> HTTP) against a real PostgreSQL, driven over
// HTTP on port 0: the organization API from request to row and back, and two servers sharing one
// database the way several processes behind a load balancer do.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/app_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/pg_fixture.hpp"

using nlohmann::json;
using hw::testing::http_request;

namespace {

const std::string token = "e2e-admin-token-0123456789abcdef0123456789";
const hw::testing::header_list auth = {{"Authorization", "Bearer " + token}};
const hw::testing::header_list auth_json = {{"Authorization", "Bearer " + token},
                                         {"Content-Type", "application/json"}};

struct running_server : hw::testing::running_app {
  explicit running_server(const std::string& dsn) : running_app(hw::testing::test_app_config(dsn, token)) {}
};

json body_of(const hw::testing::http_reply& r) {
  INFO(r.body);
  return json::parse(r.body);
}

json create_org(std::uint16_t port, const std::string& slug) {
  auto r = http_request(port, "POST", "/api/v1/orgs",
                        json{{"name", "Org " + slug}, {"slug", slug}, {"time_zone", "Europe/Berlin"}}.dump(),
                        auth_json);
  INFO(r.body);
  REQUIRE(r.status == 201);
  return body_of(r);
}

}  // namespace

TEST_CASE("org api e2e: create, read, update, suspend, reactivate and close through the actors",
          "[pg][e2e][organization]") {
  hw::testing::pg_fixture db;
  running_server srv{db.dsn()};

  auto org = create_org(srv.port, "acme");
  const std::string id = org["id"];
  CHECK(org["version"] == 1);
  CHECK(org["status"] == "active");
  CHECK(org["time_zone"] == "Europe/Berlin");

  auto got = http_request(srv.port, "GET", "/api/v1/orgs/" + id, {}, auth);
  REQUIRE(got.status == 200);
  CHECK(got.header("ETag") == "\"v1\"");
  CHECK(body_of(got)["slug"] == "acme");

  auto patched = http_request(srv.port, "PATCH", "/api/v1/orgs/" + id,
                              json{{"name", "Acme Inc"}, {"branding", {{"primary_color", "#112233"}}}}.dump(),
                              {{"Authorization", "Bearer " + token},
                               {"Content-Type", "application/json"},
                               {"If-Match", "\"v1\""}});
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  CHECK(body_of(patched)["version"] == 2);
  CHECK(body_of(patched)["branding"]["primary_color"] == "#112233");

  // A stale If-Match is refused and changes nothing.
  auto stale = http_request(srv.port, "PATCH", "/api/v1/orgs/" + id, json{{"name", "Lost"}}.dump(),
                            {{"Authorization", "Bearer " + token},
                             {"Content-Type", "application/json"},
                             {"If-Match", "\"v1\""}});
  CHECK(stale.status == 412);

  CHECK(http_request(srv.port, "POST", "/api/v1/orgs/" + id + "/reactivate", {}, auth).status == 409);
  auto suspended = http_request(srv.port, "POST", "/api/v1/orgs/" + id + "/suspend", {}, auth);
  REQUIRE(suspended.status == 200);
  CHECK(body_of(suspended)["status"] == "suspended");
  CHECK(body_of(http_request(srv.port, "POST", "/api/v1/orgs/" + id + "/reactivate", {}, auth))["status"] ==
        "active");
  CHECK(body_of(http_request(srv.port, "POST", "/api/v1/orgs/" + id + "/close", {}, auth))["status"] == "closed");
  CHECK(http_request(srv.port, "PATCH", "/api/v1/orgs/" + id, json{{"name", "Zombie"}}.dump(), auth_json).status ==
        409);

  // PostgreSQL is the truth: the row and the audit trail match what the API said.
  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  auto row = tx.exec_params("SELECT name, status, version, primary_color FROM organizations WHERE org_id = $1", id);
  REQUIRE(row.size() == 1);
  CHECK(row[0][0].as<std::string>() == "Acme Inc");
  CHECK(row[0][1].as<std::string>() == "closed");
  CHECK(row[0][2].as<int>() == 5);
  CHECK(row[0][3].as<std::string>() == "#112233");
  auto audit = tx.exec_params("SELECT action FROM audit_events WHERE org_id = $1 ORDER BY id", id);
  std::vector<std::string> actions;
  for (const auto& r : audit) actions.push_back(r[0].as<std::string>());
  CHECK(actions == std::vector<std::string>{"organization.created", "organization.updated", "organization.suspend",
                                            "organization.reactivate", "organization.close"});
}

TEST_CASE("org api e2e: a write from another server process is reloaded, never lost", "[pg][e2e][organization]") {
  hw::testing::pg_fixture db;
  running_server a{db.dsn()};
  running_server b{db.dsn()};

  auto org = create_org(a.port, "shared");
  const std::string id = org["id"];
  // Both processes activate their own actor for the organization at version 1.
  REQUIRE(http_request(a.port, "GET", "/api/v1/orgs/" + id, {}, auth).status == 200);
  REQUIRE(http_request(b.port, "GET", "/api/v1/orgs/" + id, {}, auth).status == 200);

  auto ra = http_request(a.port, "PATCH", "/api/v1/orgs/" + id, json{{"name", "Renamed by A"}}.dump(), auth_json);
  REQUIRE(ra.status == 200);
  CHECK(body_of(ra)["version"] == 2);

  // B's actor still holds version 1: its compare-and-swap fails, it reloads and re-decides.
  auto rb = http_request(b.port, "PATCH", "/api/v1/orgs/" + id, json{{"time_zone", "America/New_York"}}.dump(),
                         auth_json);
  INFO(rb.body);
  REQUIRE(rb.status == 200);
  auto jb = body_of(rb);
  CHECK(jb["version"] == 3);
  CHECK(jb["name"] == "Renamed by A");  // A's update survived
  CHECK(jb["time_zone"] == "America/New_York");

  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  auto row = tx.exec_params("SELECT name, time_zone, version FROM organizations WHERE org_id = $1", id);
  CHECK(row[0][0].as<std::string>() == "Renamed by A");
  CHECK(row[0][1].as<std::string>() == "America/New_York");
  CHECK(row[0][2].as<int>() == 3);
}

TEST_CASE("org api e2e: unknown ids, taken slugs and bad tokens get problem+json", "[pg][e2e][organization]") {
  hw::testing::pg_fixture db;
  running_server srv{db.dsn()};
  create_org(srv.port, "taken");

  auto missing = http_request(srv.port, "GET", "/api/v1/orgs/6f1c2f7e-3a39-4d5c-9a0e-2b7f3c1d4e5f", {}, auth);
  CHECK(missing.status == 404);
  CHECK(missing.header("Content-Type") == "application/problem+json");
  CHECK_FALSE(missing.header("X-Request-Id").empty());

  auto dup = http_request(srv.port, "POST", "/api/v1/orgs", json{{"name", "Again"}, {"slug", "taken"}}.dump(),
                          auth_json);
  CHECK(dup.status == 409);
  CHECK(body_of(dup)["detail"].get<std::string>().find("slug") != std::string::npos);

  auto tz = http_request(srv.port, "POST", "/api/v1/orgs",
                         json{{"name", "Nowhere"}, {"slug", "nowhere"}, {"time_zone", "Mars/Olympus_Mons"}}.dump(),
                         auth_json);
  CHECK(tz.status / 100 == 4);
  CHECK(body_of(tz)["detail"].get<std::string>().find("time_zone") != std::string::npos);

  auto forged = http_request(srv.port, "GET", "/api/v1/orgs/6f1c2f7e-3a39-4d5c-9a0e-2b7f3c1d4e5f", {},
                             {{"Authorization", "Bearer " + token + "x"}});
  CHECK(forged.status == 401);

  auto c = db.connect();
  pqxx::nontransaction tx{*c};
  CHECK(tx.exec("SELECT count(*) FROM organizations")[0][0].as<int>() == 1);
}

TEST_CASE("org api e2e: readiness, metrics and a clean stop", "[pg][e2e][ops]") {
  hw::testing::pg_fixture db;
  auto srv = std::make_unique<running_server>(db.dsn());
  auto ready = http_request(srv->port, "GET", "/readyz");
  INFO(ready.body);
  CHECK(ready.status == 200);
  auto j = body_of(ready);
  CHECK(j["database"] == true);
  CHECK(j["migrations_current"] == true);

  auto org = create_org(srv->port, "metered");
  REQUIRE(http_request(srv->port, "GET", "/api/v1/orgs/" + org["id"].get<std::string>(), {}, auth).status == 200);
  auto metrics = http_request(srv->port, "GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.body.find("hw_active_actors{type=\"organization\"} 1") != std::string::npos);
  CHECK(metrics.body.find("hw_db_pool_size 2") != std::string::npos);
  CHECK(metrics.body.find("hw_http_requests_total{") != std::string::npos);

  auto port = srv->port;
  srv->app.stop();
  CHECK_FALSE(hw::testing::http_client::can_connect(port));
}

TEST_CASE("org api e2e: database connections killed under the server are re-established",
          "[pg][e2e][reliability]") {
  hw::testing::pg_fixture db;
  running_server srv{db.dsn()};
  auto org = create_org(srv.port, "resilient");
  const std::string id = org["id"];

  // Kill every server process of this database, as a PostgreSQL restart would.
  db.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
          "pg_backend_pid()");

  // Each of the 2 db workers may fail once (503, never 500) before it reconnects.
  int failures = 0;
  hw::testing::http_reply r;
  for (int attempt = 0; attempt < 3; ++attempt) {
    r = http_request(srv.port, "PATCH", "/api/v1/orgs/" + id,
                     json{{"name", "Attempt " + std::to_string(attempt)}}.dump(), auth_json);
    if (r.status == 200) break;
    INFO(r.body);
    CHECK(r.status == 503);
    CHECK_FALSE(r.header("Retry-After").empty());
    ++failures;
  }
  REQUIRE(r.status == 200);
  CHECK(failures <= 2);
  CHECK(http_request(srv.port, "GET", "/readyz").status == 200);
}
