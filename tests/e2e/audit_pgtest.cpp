// The audit log end to end: organization changes over HTTP, then GET /api/v1/orgs/{id}/audit with
// filters and paging, against a real PostgreSQL; the request context (peer ip, User-Agent,
// X-Request-Id) recorded; a rejected admin token recorded as a failure.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/app/bootstrap.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/pg_fixture.hpp"

using nlohmann::json;
using hw::testing::http_request;

namespace {

const std::string token = "e2e-audit-admin-token-0123456789abcdef012345";

hw::testing::header_list auth(const std::string& rid, const std::string& ua = "audit-e2e/1.0") {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}, {"User-Agent", ua},
          {"X-Request-Id", rid}};
}

struct running_server : hw::testing::running_app {
  static hw::config::app_config make_config(const std::string& dsn) {
    auto cfg = hw::testing::test_app_config(dsn, token);
    cfg.log_level = "error";
    // One db worker: its mailbox orders the fire-and-forget audit append of a 401 before any
    // later request, so the test reads it without waiting or polling.
    cfg.db_pool_size = 1;
    return cfg;
  }
  explicit running_server(const std::string& dsn) : running_app(make_config(dsn)) {}
};

json list(std::uint16_t port, const std::string& org, const std::string& query) {
  auto r = http_request(port, "GET", "/api/v1/orgs/" + org + "/audit" + query, {}, auth("list"));
  INFO(r.body);
  REQUIRE(r.status == 200);
  return json::parse(r.body);
}

}  // namespace

TEST_CASE("audit e2e: changes over HTTP are listed with filters, paging and request context",
          "[pg][e2e][audit]") {
  hw::testing::pg_fixture db;
  running_server srv{db.dsn()};

  auto created = http_request(srv.port, "POST", "/api/v1/orgs",
                              json{{"name", "Acme"}, {"slug", "acme"}, {"time_zone", "UTC"}}.dump(), auth("rid-create"));
  REQUIRE(created.status == 201);
  const std::string id = json::parse(created.body)["id"];
  for (int i = 0; i < 3; ++i) {
    auto r = http_request(srv.port, "PATCH", "/api/v1/orgs/" + id,
                          json{{"name", "Acme " + std::to_string(i)}}.dump(), auth("rid-update-" + std::to_string(i)));
    REQUIRE(r.status == 200);
  }
  REQUIRE(http_request(srv.port, "POST", "/api/v1/orgs/" + id + "/suspend", {}, auth("rid-suspend")).status == 200);
  auto denied = http_request(srv.port, "GET", "/api/v1/orgs/" + id + "/audit", {},
                             {{"Authorization", "Bearer not-the-token"}, {"User-Agent", "probe/2"},
                              {"X-Request-Id", "rid-401"}});
  REQUIRE(denied.status == 401);

  // Another organization's trail stays out of this one's.
  auto other = http_request(srv.port, "POST", "/api/v1/orgs",
                            json{{"name", "Other"}, {"slug", "other"}, {"time_zone", "UTC"}}.dump(), auth("rid-other"));
  REQUIRE(other.status == 201);

  SECTION("everything, newest first, with the request context") {
    auto page = list(srv.port, id, "");
    const auto& items = page["items"];
    REQUIRE(items.size() == 6);
    CHECK(page["next_cursor"].is_null());
    CHECK(items[0]["action"] == "auth.admin_token_rejected");
    CHECK(items[0]["outcome"] == "failure");
    CHECK(items[0]["request_id"] == "rid-401");
    CHECK(items[0]["user_agent"] == "probe/2");
    CHECK(items[0]["ip"] == "127.0.0.1");
    CHECK(items[0]["actor"]["kind"] == "bootstrap_admin");
    CHECK(items[0]["detail"]["reason"] == "invalid bearer token");
    CHECK(items.dump().find("not-the-token") == std::string::npos);
    CHECK(items[1]["action"] == "organization.suspend");
    CHECK(items[1]["request_id"] == "rid-suspend");
    CHECK(items[5]["action"] == "organization.created");
    CHECK(items[5]["request_id"] == "rid-create");
    for (std::size_t i = 1; i < items.size(); ++i) {
      CHECK(items[i]["outcome"] == "success");
      CHECK(items[i]["ip"] == "127.0.0.1");
      CHECK(items[i]["user_agent"] == "audit-e2e/1.0");
      CHECK(items[i]["actor"] == json{{"kind", "bootstrap_admin"}, {"id", "config"}});
      CHECK(items[i]["target"] == id);
      CHECK(items[i - 1]["id"].get<std::int64_t>() > items[i]["id"].get<std::int64_t>());
    }
    CHECK(items[2]["detail"] == json{{"changed", {"name"}}});
  }

  SECTION("filters and paging") {
    auto failures = list(srv.port, id, "?outcome=failure");
    CHECK(failures["items"].size() == 1);
    auto updates = list(srv.port, id, "?action=organization.updated&limit=2");
    REQUIRE(updates["items"].size() == 2);
    REQUIRE(updates["next_cursor"].is_string());
    auto rest = list(srv.port, id, "?action=organization.updated&limit=2&cursor=" +
                                     updates["next_cursor"].get<std::string>());
    REQUIRE(rest["items"].size() == 1);
    CHECK(rest["next_cursor"].is_null());
    std::set<std::string> rids;
    for (const auto& it : updates["items"]) rids.insert(it["request_id"].get<std::string>());
    for (const auto& it : rest["items"]) rids.insert(it["request_id"].get<std::string>());
    CHECK(rids == std::set<std::string>{"rid-update-0", "rid-update-1", "rid-update-2"});
    CHECK(list(srv.port, id, "?actor_kind=bootstrap_admin&actor_id=config&action=organization.")["items"].size() == 5);
    CHECK(list(srv.port, id, "?since=2000-01-01T00:00:00Z&until=2001-01-01T00:00:00Z")["items"].empty());
  }

  SECTION("errors: an unknown organization, a bad cursor, an unknown parameter") {
    auto r = http_request(srv.port, "GET", "/api/v1/orgs/00000000-0000-4000-8000-000000000099/audit", {},
                          auth("x"));
    CHECK(r.status == 404);
    r = http_request(srv.port, "GET", "/api/v1/orgs/" + id + "/audit?cursor=@@", {}, auth("x"));
    CHECK(r.status == 400);
    r = http_request(srv.port, "GET", "/api/v1/orgs/" + id + "/audit?order=asc", {}, auth("x"));
    CHECK(r.status == 400);
    CHECK(r.body.find("order") != std::string::npos);
  }

  SECTION("a 401 on an organization that does not exist writes nothing") {
    auto r = http_request(srv.port, "POST", "/api/v1/orgs/00000000-0000-4000-8000-000000000099/suspend", {},
                          {{"Authorization", "Bearer nope"}});
    CHECK(r.status == 401);
    list(srv.port, id, "");  // the same (single) worker has handled the append attempt by now
    auto c = db.connect();
    pqxx::nontransaction tx{*c};
    CHECK(tx.exec1("SELECT count(*) FROM audit_events WHERE org_id = "
                   "'00000000-0000-4000-8000-000000000099'::uuid")[0].as<long>() == 0);
    CHECK(tx.exec1("SELECT count(*) FROM audit_events")[0].as<long>() == 7);  // 6 + the other org's creation
  }
}
