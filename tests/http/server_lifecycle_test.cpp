// Timeouts, connection limits and graceful shutdown of the real server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <future>

#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string create_org(std::uint16_t port, const std::string& slug) {
  auto r = http_request(port, "POST", "/api/v1/orgs", json{{"name", "Acme"}, {"slug", slug}}.dump(), admin_json());
  REQUIRE(r.status == 201);
  return json::parse(r.body)["id"].get<std::string>();
}

}  // namespace

TEST_CASE("lifecycle: a client that stops halfway through its header is disconnected",
          "[http][lifecycle]") {
  auto o = test_options();
  o.header_timeout = 200ms;
  test_server s{o};
  http_client c{s.port};
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // no blank line: the header never ends
  CHECK(c.wait_closed(5s));
}

TEST_CASE("lifecycle: a client that stops sending its body is disconnected", "[http][lifecycle]") {
  auto o = test_options();
  o.body_timeout = 200ms;
  test_server s{o};
  http_client c{s.port};
  c.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"name\":");
  CHECK(c.wait_closed(5s));
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("lifecycle: an idle keep-alive connection is closed after idle_timeout", "[http][lifecycle]") {
  auto o = test_options();
  o.idle_timeout = 200ms;
  test_server s{o};
  http_client c{s.port};
  REQUIRE(c.request("GET", "/healthz").status == 200);
  CHECK(c.wait_closed(5s));
}

TEST_CASE("lifecycle: beyond max_connections a connection gets 503 and is closed", "[http][lifecycle]") {
  auto o = test_options();
  o.max_connections = 2;
  test_server s{o};
  http_client a{s.port};
  http_client b{s.port};
  // Both are registered once each has been answered.
  REQUIRE(a.request("GET", "/healthz").status == 200);
  REQUIRE(b.request("GET", "/healthz").status == 200);
  CHECK(s.server->open_connections() == 2);

  http_client third{s.port};
  auto r = third.read_reply();
  CHECK(r.status == 503);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK_FALSE(r.header("Retry-After").empty());
  CHECK_FALSE(r.keep_alive);
  CHECK(third.wait_closed(5s));
  // The first two still work.
  CHECK(a.request("GET", "/healthz").status == 200);
}

TEST_CASE("lifecycle: a gateway that never answers gives 504, and its late answer is ignored",
          "[http][lifecycle]") {
  auto o = test_options();
  o.request_timeout = 200ms;
  test_server s{o};
  const auto id = create_org(s.port, "acme");
  s.gateway.hold(true);
  http_client c{s.port};
  auto r = c.request("GET", "/api/v1/orgs/" + id, {}, admin_auth());
  CHECK(r.status == 504);
  CHECK(json::parse(r.body)["status"] == 504);
  REQUIRE(s.gateway.wait_held(1));
  s.gateway.hold(false);
  s.gateway.release_held();  // the late callback: must not produce a second response
  auto next = c.request("GET", "/healthz");
  CHECK(next.status == 200);
  auto again = c.request("GET", "/api/v1/orgs/" + id, {}, admin_auth());
  CHECK(again.status == 200);
}

TEST_CASE("lifecycle: stop() refuses new connections, closes idle ones and finishes in-flight requests",
          "[http][lifecycle]") {
  std::promise<void> draining;
  auto o = test_options();
  o.on_draining = [&draining] { draining.set_value(); };
  test_server s{o};
  const auto id = create_org(s.port, "acme");

  http_client idle{s.port};
  REQUIRE(idle.request("GET", "/healthz").status == 200);

  s.gateway.hold(true);
  http_client busy{s.port};
  busy.send_raw("GET /api/v1/orgs/" + id + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_token +
                "\r\n\r\n");
  REQUIRE(s.gateway.wait_held(1));

  auto stopped = std::async(std::launch::async, [&s] { s.server->stop(); });
  REQUIRE(draining.get_future().wait_for(5s) == std::future_status::ready);

  CHECK_FALSE(http_client::can_connect(s.port));
  CHECK(idle.wait_closed(5s));
  CHECK(stopped.wait_for(0s) == std::future_status::timeout);  // still waiting for `busy`

  s.gateway.release_held();
  auto r = busy.read_reply();
  CHECK(r.status == 200);
  CHECK_FALSE(r.keep_alive);
  CHECK(r.header("Connection") == "close");
  CHECK(json::parse(r.body)["id"] == id);
  REQUIRE(stopped.wait_for(5s) == std::future_status::ready);
  CHECK(s.server->open_connections() == 0);
}

TEST_CASE("lifecycle: stop() cuts off a request still in flight after shutdown_grace", "[http][lifecycle]") {
  auto o = test_options();
  o.shutdown_grace = 100ms;
  test_server s{o};
  s.gateway.hold(true);
  http_client busy{s.port};
  busy.send_raw("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(s.gateway.wait_held(1));
  s.server->stop();
  CHECK(busy.wait_closed(5s));
  // The callback arrives after the server stopped: dropped safely.
  s.gateway.release_held();
}

TEST_CASE("lifecycle: stop() is idempotent and the destructor stops a running server", "[http][lifecycle]") {
  test_server s;
  s.server->stop();
  s.server->stop();
  CHECK_FALSE(http_client::can_connect(s.port));
  fake_gateway gw;
  { hw::http_api::server never_started{test_options(), gw}; }
  {
    hw::http_api::server running{test_options(), gw};
    CHECK(running.start() != 0);
  }
}

TEST_CASE("lifecycle: several io threads serve concurrent clients", "[http][lifecycle]") {
  auto o = test_options();
  o.io_threads = 3;
  test_server s{o};
  std::vector<std::future<int>> results;
  for (int i = 0; i < 8; ++i) {
    results.push_back(std::async(std::launch::async, [port = s.port] {
      http_client c{port};
      int ok = 0;
      for (int k = 0; k < 20; ++k) ok += c.request("GET", "/readyz").status == 200;
      return ok;
    }));
  }
  for (auto& f : results) CHECK(f.get() == 20);
}

TEST_CASE("lifecycle: an oversized header is 431", "[http][lifecycle]") {
  auto o = test_options();
  o.header_limit = 1024;
  test_server s{o};
  http_client c{s.port};
  auto r = c.request("GET", "/healthz", {}, {{"X-Big", std::string(2048, 'a')}});
  CHECK(r.status == 431);
}
