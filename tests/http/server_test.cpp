// The real server on 127.0.0.1:0 with the fake gateway: system routes, errors, headers, logs.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "http/session.hpp"
#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;

namespace {

bool is_hex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void check_common_headers(const http_reply& r) {
  CHECK(r.header("X-Content-Type-Options") == "nosniff");
  CHECK(r.header("Referrer-Policy") == "no-referrer");
  CHECK(r.header("X-Frame-Options") == "DENY");
  CHECK_FALSE(r.header("X-Request-Id").empty());
}

}  // namespace

TEST_CASE("server: /healthz answers ok without calling the gateway", "[http][server]") {
  test_server s;
  auto r = s.get("/healthz");
  CHECK(r.status == 200);
  CHECK(json::parse(r.body) == json{{"status", "ok"}});
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("Cache-Control") == "no-store");
  check_common_headers(r);
  CHECK(is_hex32(r.header("X-Request-Id")));
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("server: HEAD is answered like GET without a body", "[http][server]") {
  test_server s;
  http_client c{s.port};
  auto r = c.request("HEAD", "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(r.header("Content-Length") == "15");
  // The connection is still usable: no stray body bytes were sent.
  CHECK(c.request("GET", "/healthz").status == 200);
}

TEST_CASE("server: X-Request-Id is echoed when sane and generated otherwise", "[http][server]") {
  test_server s;
  CHECK(s.get("/healthz", {{"X-Request-Id", "abc-123.X_y"}}).header("X-Request-Id") == "abc-123.X_y");
  auto bad = s.get("/healthz", {{"X-Request-Id", "has spaces and \"quotes\""}});
  CHECK(is_hex32(bad.header("X-Request-Id")));
  auto too_long = s.get("/healthz", {{"X-Request-Id", std::string(65, 'a')}});
  CHECK(is_hex32(too_long.header("X-Request-Id")));
  CHECK(s.get("/healthz").header("X-Request-Id") != s.get("/healthz").header("X-Request-Id"));
}

TEST_CASE("server: /readyz reflects the gateway's readiness", "[http][server]") {
  test_server s;
  auto r = s.get("/readyz");
  CHECK(r.status == 200);
  auto j = json::parse(r.body);
  CHECK(j["status"] == "ready");
  CHECK(j["ready"] == true);
  CHECK(j["database"] == true);
  CHECK(j["migrations_current"] == true);
  CHECK(j["supervisors_ok"] == true);
  CHECK(j["problems"].empty());

  readiness_report not_ready;
  not_ready.database = true;
  not_ready.migrations_current = false;
  not_ready.supervisors_ok = true;
  not_ready.problems = {"migration 0002 is not applied"};
  s.gateway.set_readiness(not_ready);
  r = s.get("/readyz");
  CHECK(r.status == 503);
  j = json::parse(r.body);
  CHECK(j["status"] == "not_ready");
  CHECK(j["migrations_current"] == false);
  CHECK(j["problems"][0] == "migration 0002 is not applied");

  // A note (a tenant's failing ATS connection) is shown but does not make the process unready.
  readiness_report noted;
  noted.database = true;
  noted.migrations_current = true;
  noted.supervisors_ok = true;
  noted.notes = {"ats: 1 connection(s) failing: 0b6c4bb1-1f0e-4a55-9d57-2b7d2c0e5a11"};
  s.gateway.set_readiness(noted);
  r = s.get("/readyz");
  CHECK(r.status == 200);
  j = json::parse(r.body);
  CHECK(j["ready"] == true);
  CHECK(j["problems"].empty());
  REQUIRE(j["notes"].size() == 1);
  CHECK(j["notes"][0] == noted.notes[0]);

  s.gateway.set_readiness_error(hw::error{errc::timeout, "db"});
  r = s.get("/readyz");
  CHECK(r.status == 503);
  CHECK(json::parse(r.body)["database"] == false);
  CHECK(s.gateway.call_count("readiness") == 4);
}

TEST_CASE("server: /metrics renders HTTP series and the gateway's stats", "[http][server]") {
  test_server s;
  REQUIRE(s.get("/healthz").status == 200);
  REQUIRE(s.get("/nope").status == 404);
  runtime_stats st;
  st.active_actors = {{"organization", 3}};
  st.db_pool_size = 4;
  st.db_pool_in_use = 1;
  st.db_pool_connected = 4;
  st.queue_depth = {{{"email", "ready"}, 7}};
  s.gateway.set_stats(st);

  auto r = s.get("/metrics");
  CHECK(r.status == 200);
  CHECK_THAT(r.header("Content-Type"), Catch::StartsWith("text/plain; version=0.0.4"));
  const auto& b = r.body;
  CHECK_THAT(b, Catch::Contains("# TYPE hw_http_requests_total counter"));
  CHECK_THAT(b, Catch::Contains("hw_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n"));
  CHECK_THAT(b, Catch::Contains("hw_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  CHECK_THAT(b, Catch::Contains("# TYPE hw_http_request_duration_seconds histogram"));
  CHECK_THAT(b, Catch::Contains("hw_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1\n"));
  CHECK_THAT(b, Catch::Contains("hw_http_request_duration_seconds_count{route=\"/healthz\"} 1\n"));
  CHECK_THAT(b, Catch::Contains("hw_http_request_duration_seconds_sum{route=\"/healthz\"}"));
  CHECK_THAT(b, Catch::Contains("hw_active_actors{type=\"organization\"} 3\n"));
  CHECK_THAT(b, Catch::Contains("hw_db_pool_size 4\n"));
  CHECK_THAT(b, Catch::Contains("hw_db_pool_in_use 1\n"));
  CHECK_THAT(b, Catch::Contains("hw_db_pool_connected 4\n"));
  CHECK_THAT(b, Catch::Contains("hw_queue_jobs{kind=\"email\",state=\"ready\"} 7\n"));
  CHECK_THAT(b, Catch::Contains("# HELP hw_queue_jobs"));

  s.gateway.set_stats_error(hw::error{errc::unavailable, "down"});
  r = s.get("/metrics");
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("hw_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"} 1\n"));
  CHECK_THAT(r.body, !Catch::Contains("hw_db_pool_size"));
}

TEST_CASE("server: unknown path is a 404 problem with the request id", "[http][server]") {
  test_server s;
  auto r = s.get("/nope?x=1", {{"X-Request-Id", "req-404"}});
  CHECK(r.status == 404);
  CHECK(r.header("Content-Type") == "application/problem+json");
  auto j = json::parse(r.body);
  CHECK(j["status"] == 404);
  CHECK(j["instance"] == "/nope");
  CHECK(j["request_id"] == "req-404");
  CHECK(j["type"].is_string());
  CHECK(j["title"] == "Not Found");
  check_common_headers(r);
}

TEST_CASE("server: wrong verb is a 405 problem with Allow", "[http][server]") {
  test_server s;
  auto r = http_request(s.port, "DELETE", "/healthz");
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "GET, HEAD");
  CHECK(r.header("Content-Type") == "application/problem+json");
  auto j = json::parse(r.body);
  CHECK(j["status"] == 405);
  CHECK(j["request_id"] == r.header("X-Request-Id"));
  CHECK(http_request(s.port, "PUT", "/api/v1/orgs/x", "{}", admin_json()).header("Allow") == "GET, HEAD, PATCH");
}

TEST_CASE("server: a declared body above the limit is 413 before it is read", "[http][server]") {
  auto o = test_options();
  o.body_limit = 1024;
  test_server s{o};
  http_client c{s.port};
  c.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 2048\r\n\r\n");
  auto r = c.read_reply();
  CHECK(r.status == 413);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK(json::parse(r.body)["instance"] == "/api/v1/orgs");
  CHECK_FALSE(r.keep_alive);
  CHECK(s.gateway.calls().empty());
  CHECK(c.wait_closed());
}

TEST_CASE("server: a chunked body above the limit is 413", "[http][server]") {
  auto o = test_options();
  o.body_limit = 1024;
  test_server s{o};
  http_client c{s.port};
  auto r = c.request("POST", "/api/v1/orgs", std::string(4096, 'x'),
                     {{"Transfer-Encoding", "chunked"}, {"Content-Type", "application/json"}});
  CHECK(r.status == 413);
  CHECK(json::parse(r.body)["status"] == 413);
  CHECK(s.gateway.calls().empty());
}

TEST_CASE("server: a body within the limit is accepted, chunked too", "[http][server]") {
  auto o = test_options();
  o.body_limit = 1024;
  test_server s{o};
  http_client c{s.port};
  auto r = c.request("POST", "/api/v1/orgs", R"({"name":"Acme","slug":"acme"})",
                     {{"Transfer-Encoding", "chunked"}, {"Content-Type", "application/json"},
                      {"Authorization", std::string{"Bearer "} + admin_token}});
  CHECK(r.status == 201);
}

TEST_CASE("server: a request with a body is routed by the match made before its body was read",
          "[http][server]") {
  // The session matches a request with a body once, in on_header_done (for the route's limit),
  // and handle() reuses it. Pipelined so that each request meets the previous one's match.
  test_server s;
  http_client c{s.port};
  const std::string auth = std::string{"Authorization: Bearer "} + admin_token + "\r\n";
  const std::string body = R"({"name":"Acme","slug":"acme"})";
  c.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth +
             "Content-Length: " + std::to_string(body.size()) + "\r\nX-Request-Id: one\r\n\r\n" + body +
             "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Request-Id: two\r\n\r\n{}"
             "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: three\r\n\r\n"
             "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Request-Id: four\r\n\r\n{}"
             "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: five\r\n\r\n");
  auto one = c.read_reply();
  CHECK(one.status == 201);
  CHECK(one.header("X-Request-Id") == "one");
  auto two = c.read_reply();
  CHECK(two.status == 405);
  CHECK(two.header("Allow") == "GET, HEAD");
  CHECK(two.header("X-Request-Id") == "two");
  auto three = c.read_reply();
  CHECK(three.status == 200);
  CHECK(three.header("X-Request-Id") == "three");
  auto four = c.read_reply();
  CHECK(four.status == 404);
  CHECK(four.header("X-Request-Id") == "four");
  auto five = c.read_reply();
  CHECK(five.status == 200);
  CHECK(five.header("X-Request-Id") == "five");
  CHECK(s.gateway.calls().size() == 1);
}

TEST_CASE("server: a body that arrives after its header is read and routed", "[http][server]") {
  auto o = test_options();
  o.body_limit = 1024;
  test_server s{o};
  http_client c{s.port};
  const std::string body = R"({"name":"Acme","slug":"acme"})";
  c.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Authorization: Bearer " + std::string{admin_token} + "\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5));
  // The server has the header and part of the body; the rest comes in a second segment (the
  // pause only makes the split likely; the answer must be the same either way).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  c.send_raw(body.substr(5));
  auto r = c.read_reply();
  CHECK(r.status == 201);
  CHECK(s.gateway.calls().size() == 1);
  // A chunked body above the limit in one segment with its header: 413 from the buffered parse.
  http_client c2{s.port};
  c2.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(0x800, 'x') + "\r\n0\r\n\r\n");
  auto big = c2.read_reply();
  CHECK(big.status == 413);
  CHECK(s.gateway.calls().size() == 1);
}

TEST_CASE("server: a malformed request line is a 400 and the connection closes", "[http][server]") {
  test_server s;
  http_client c{s.port};
  c.send_raw("GARBAGE\r\n\r\n");
  auto r = c.read_reply();
  CHECK(r.status == 400);
  CHECK(c.wait_closed());
}

TEST_CASE("server: keep-alive serves two requests on one connection", "[http][server]") {
  test_server s;
  http_client c{s.port};
  auto a = c.request("GET", "/healthz");
  CHECK(a.keep_alive);
  auto b = c.request("GET", "/readyz");
  CHECK(a.status == 200);
  CHECK(b.status == 200);
  CHECK(s.server->open_connections() == 1);
}

TEST_CASE("server: pipelined requests are answered in order", "[http][server]") {
  test_server s;
  http_client c{s.port};
  c.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: one\r\n\r\n"
             "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: two\r\n\r\n");
  auto a = c.read_reply();
  auto b = c.read_reply();
  CHECK(a.status == 200);
  CHECK(a.header("X-Request-Id") == "one");
  CHECK(b.status == 404);
  CHECK(b.header("X-Request-Id") == "two");
}

TEST_CASE("server: Connection: close is honoured", "[http][server]") {
  test_server s;
  http_client c{s.port};
  auto r = c.request("GET", "/healthz", {}, {{"Connection", "close"}});
  CHECK(r.status == 200);
  CHECK_FALSE(r.keep_alive);
  CHECK(c.wait_closed());
}

TEST_CASE("server: the access log has one JSON line per request with the route template",
          "[http][server][log]") {
  auto out = std::make_shared<std::ostringstream>();
  spdlog::drop("access");
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out, true);
  auto logger = std::make_shared<spdlog::logger>("access", sink);
  logger->set_pattern("%v");
  spdlog::register_logger(logger);
  {
    auto o = test_options();
    o.access_log = true;
    test_server s{o};
    auto r = s.get("/api/v1/orgs/00000000-0000-4000-8000-000000000099?token=secret-query",
                   {{"Authorization", std::string{"Bearer "} + admin_token}, {"X-Request-Id", "log-1"}});
    CHECK(r.status == 404);
    CHECK(s.get("/healthz").status == 200);
  }
  spdlog::drop("access");
  std::istringstream lines{out->str()};
  std::string first, second;
  REQUIRE(std::getline(lines, first));
  REQUIRE(std::getline(lines, second));
  auto j = json::parse(first);
  CHECK(j["method"] == "GET");
  CHECK(j["route"] == "/api/v1/orgs/{id}");
  CHECK(j["status"] == 404);
  CHECK(j["request_id"] == "log-1");
  CHECK(j["duration_ms"].is_number());
  CHECK(j["bytes"].is_number());
  CHECK(json::parse(second)["route"] == "/healthz");
  CHECK(out->str().find("secret-query") == std::string::npos);
  CHECK(out->str().find(admin_token) == std::string::npos);
  CHECK(out->str().find("00000000-0000-4000-8000-000000000099") == std::string::npos);
}

TEST_CASE("server: a Transfer-Encoding other than chunked is refused", "[http][server]") {
  test_server srv;
  http_client c{srv.port};
  c.send_raw("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nContent-Type: application/json\r\n\r\n"
             "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_reply();
  CHECK(r.status == 400);
  CHECK(r.body.find("Transfer-Encoding") != std::string::npos);
  CHECK(c.wait_closed());  // the smuggled second request is never answered
}

TEST_CASE("session: the access-log line is byte for byte what fmt printed", "[http][server][log]") {
  // format_access_line replaced an fmt call on every request; the line must not change.
  const auto old = [](std::string_view method, std::string_view route, unsigned status, std::uint64_t us,
                      std::string_view rid, std::size_t bytes) {
    return fmt::format(
      "{{\"method\":\"{}\",\"route\":\"{}\",\"status\":{},\"duration_ms\":{:.3f},\"request_id\":\"{}\","
      "\"bytes\":{}}}",
      method, route, status, static_cast<double>(us) / 1000.0, rid, bytes);
  };
  std::string line;
  for (const std::uint64_t us : {0ull, 1ull, 9ull, 10ull, 99ull, 100ull, 999ull, 1000ull, 1001ull, 1234ull, 9999ull,
                                 10000ull, 123456ull, 999999ull, 1000000ull, 31999999ull, 4000000001ull,
                                 123456789012ull}) {
    hw::http_api::format_access_line(line, "POST", "/webhooks/greenhouse/{connection}", 200, us, "abc-1.X_y", 21);
    CHECK(line == old("POST", "/webhooks/greenhouse/{connection}", 200, us, "abc-1.X_y", 21));
  }
  for (std::uint64_t us = 0; us < 200000; us += 7) {
    hw::http_api::format_access_line(line, "GET", "/healthz", 404, us, "0123456789abcdef0123456789abcdef", 0);
    REQUIRE(line == old("GET", "/healthz", 404, us, "0123456789abcdef0123456789abcdef", 0));
  }
  hw::http_api::format_access_line(line, "DELETE", "unmatched", 503, 5, "", 18446744073709551615ull);
  CHECK(line == old("DELETE", "unmatched", 503, 5, "", 18446744073709551615ull));
}
