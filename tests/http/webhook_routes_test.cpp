// The public webhook receiver (http/routes/webhook_routes.cpp) against the real server and
// fake_ats_service: the raw body reaches the service byte for byte, headers lower-cased, no
// credential / Origin / CSRF checks, the outcome and error mapping, 413 / 415 / 404 / 405, and no
// body or signature in any log line.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

#include "tests/support/http_test_server.hpp"

using namespace hw;
using namespace hw::testing;
using json = nlohmann::json;

namespace {

const std::string conn_id = "00000000-0000-4000-8000-00000000c011";
const std::string gh_path = "/webhooks/greenhouse/" + conn_id;
const std::string lever_path = "/webhooks/lever/" + conn_id;
const std::string signature = "sha256 37d2725109df92747ffcee59833a1d1262d74b9703fa1234c789407218b4a4ef";

// What Greenhouse sends: HTML escaped as \u003c..., '&' as \u0026, a non-ASCII name, and (here) a
// trailing newline. Re-serializing would change every one of these bytes.
const std::string gh_body =
  "{\"action\":\"job_post_updated\",\"payload\":{\"job_post\":{\"id\":4001,\"content\":"
  "\"\\u003cp\\u003eR\\u0026D \\u003cb\\u003eengineer\\u003c/b\\u003e\\u003c/p\\u003e\",\"title\":\"Ingenieur:in "
  "M\xc3\xbcnchen\",\"n\":1.50}}}\n";

header_list vendor_headers() {
  return {{"Content-Type", "application/json"},
          {"Signature", signature},
          {"Greenhouse-Event-ID", "evt-123"},
          {"User-Agent", "Greenhouse-Webhooks/1.0"}};
}

std::string detail(const http_reply& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("detail") ? j["detail"].get<std::string>() : std::string{};
}

}  // namespace

TEST_CASE("webhooks: the raw body arrives unchanged and header names lower-cased", "[http][webhook_http]") {
  test_server s;
  auto r = http_request(s.port, "POST", gh_path, gh_body, vendor_headers());
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(json::parse(r.body) == json{{"status", "accepted"}});
  auto call = s.ats.last("receive_webhook");
  REQUIRE(call);
  REQUIRE(call->delivery);
  const auto& d = *call->delivery;
  CHECK(d.vendor == "greenhouse");
  CHECK(d.connection_id == conn_id);
  CHECK(d.raw_body == gh_body);
  CHECK(d.raw_body.back() == '\n');
  CHECK(d.raw_body.find("\\u003cp\\u003e") != std::string::npos);
  CHECK(d.headers.at("signature") == signature);
  CHECK(d.headers.at("greenhouse-event-id") == "evt-123");
  CHECK(d.headers.at("content-type") == "application/json");
  CHECK(d.headers.at("user-agent") == "Greenhouse-Webhooks/1.0");
  for (const auto& [name, value] : d.headers) {
    INFO(name);
    for (char c : name) CHECK_FALSE((c >= 'A' && c <= 'Z'));
  }
  CHECK(d.who.ip == std::optional<std::string>{"127.0.0.1"});
  CHECK(d.who.request_id.has_value());

  // Lever: same route shape; an upper-case connection id is canonicalized.
  std::string upper = conn_id;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::string lever_body = R"({"triggeredAt":1700000000000,"event":"candidateStageChange","signature":"ab",)"
                                 R"("token":"t","data":{"opportunityId":"o1"}})";
  r = http_request(s.port, "POST", "/webhooks/lever/" + upper, lever_body,
                   {{"Content-Type", "application/json; charset=utf-8"}});
  REQUIRE(r.status == 200);
  call = s.ats.last("receive_webhook");
  CHECK(call->delivery->vendor == "lever");
  CHECK(call->delivery->connection_id == conn_id);
  CHECK(call->delivery->raw_body == lever_body);
}

TEST_CASE("webhooks: repeated headers are joined, nothing is dropped", "[http][webhook_http]") {
  test_server s;
  const std::string body = R"({"action":"ping"})";
  http_client c{s.port};
  // Raw bytes: the test client would fold repeated headers into one.
  c.send_raw("POST " + gh_path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "X-Tenant-Token: a\r\nx-tenant-token: b\r\nSIGNATURE: " + signature + "\r\n"
             "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  REQUIRE(c.read_reply().status == 200);
  const auto d = s.ats.last()->delivery;
  REQUIRE(d);
  CHECK(d->headers.at("x-tenant-token") == "a, b");
  CHECK(d->headers.at("signature") == signature);
  CHECK(d->raw_body == body);
}

TEST_CASE("webhooks: outcomes map to 200 with a status", "[http][webhook_http]") {
  test_server s;
  s.ats.modify([](auto& k) { k.webhook = webhook_outcome::duplicate; });
  auto r = http_request(s.port, "POST", gh_path, gh_body, vendor_headers());
  CHECK(r.status == 200);
  CHECK(json::parse(r.body) == json{{"status", "duplicate"}});
  s.ats.modify([](auto& k) { k.webhook = webhook_outcome::ping; });
  r = http_request(s.port, "POST", gh_path, R"({"action":"ping","payload":{"web_hook_id":1}})", vendor_headers());
  CHECK(r.status == 200);
  CHECK(json::parse(r.body) == json{{"status", "ping"}});
  // The exact bytes (precomputed, not built with nlohmann::json per request) and a valid length.
  CHECK(r.body == R"({"status":"ping"})");
  s.ats.modify([](auto& k) { k.webhook = webhook_outcome::accepted; });
  r = http_request(s.port, "POST", gh_path, gh_body, vendor_headers());
  CHECK(r.body == R"({"status":"accepted"})");
  CHECK(r.header("Content-Type") == "application/json");
  CHECK(r.header("Content-Length") == "21");
}

TEST_CASE("webhooks: service errors map to 401, 404, 400, 503 and never say more than needed",
          "[http][webhook_http]") {
  test_server s;
  auto post = [&] { return http_request(s.port, "POST", gh_path, gh_body, vendor_headers()); };

  s.ats.fail_next("receive_webhook", {errc::unauthorized, "HMAC mismatch: expected 9f0e..."});
  auto r = post();
  CHECK(r.status == 401);
  CHECK(r.header("Content-Type") == "application/problem+json");
  CHECK(detail(r) == "signature invalid");
  CHECK(r.body.find("9f0e") == std::string::npos);

  s.ats.fail_next("receive_webhook", {errc::not_found, "connection 123 belongs to org 456"});
  r = post();
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such webhook endpoint");

  s.ats.fail_next("receive_webhook", {errc::illegal_transition, "disconnected"});
  r = post();
  CHECK(r.status == 404);  // a disconnected connection looks like an unknown one
  CHECK(detail(r) == "no such webhook endpoint");

  s.ats.fail_next("receive_webhook", {errc::invalid_argument, "the body is not JSON"});
  r = post();
  CHECK(r.status == 400);
  CHECK(detail(r) == "the body is not JSON");

  s.ats.fail_next("receive_webhook", {errc::unavailable, "the database is unavailable"});
  r = post();
  CHECK(r.status == 503);
  CHECK_FALSE(r.header("Retry-After").empty());

  hw::error later{errc::unavailable, "try later"};
  later.retry_after_s = 30;
  s.ats.fail_next("receive_webhook", later);
  CHECK(post().header("Retry-After") == "30");

  s.ats.fail_next("receive_webhook", {errc::internal, "pqxx: relation webhook_inbox"});
  r = post();
  CHECK(r.status == 500);
  CHECK(r.body.find("pqxx") == std::string::npos);
}

TEST_CASE("webhooks: no session, CSRF token or Origin is needed, and cookies change nothing",
          "[http][webhook_http]") {
  test_server s;
  auto h = vendor_headers();
  h.emplace_back("Origin", "https://evil.example");
  h.emplace_back("Sec-Fetch-Site", "cross-site");
  h.emplace_back("Cookie", "__Host-hw_session=forged; __Host-hw_csrf=x");
  auto r = http_request(s.port, "POST", gh_path, gh_body, h);
  CHECK(r.status == 200);
  CHECK_FALSE(r.has_header("Set-Cookie"));
  CHECK(s.accounts.call_count("authenticate_session") == 0);
  CHECK(s.ats.last()->delivery->raw_body == gh_body);
}

TEST_CASE("webhooks: body size, media type, vendor, id and method checks", "[http][webhook_http]") {
  test_server s;
  const std::size_t limit = 512 * 1024;
  // Exactly at the limit: accepted (the service decides about the content).
  std::string big = "{\"a\":\"" + std::string(limit - 8, 'x') + "\"}";
  REQUIRE(big.size() == limit);
  auto r = http_request(s.port, "POST", gh_path, big, vendor_headers());
  CHECK(r.status == 200);
  CHECK(s.ats.last()->delivery->raw_body.size() == limit);
  const auto before = s.ats.call_count();

  big.insert(1, " ");
  r = http_request(s.port, "POST", gh_path, big, vendor_headers());
  CHECK(r.status == 413);
  CHECK(detail(r) == "the request body exceeds the limit of 524288 bytes");

  auto text = vendor_headers();
  text[0] = {"Content-Type", "text/plain"};
  CHECK(http_request(s.port, "POST", gh_path, gh_body, text).status == 415);
  auto none = vendor_headers();
  none.erase(none.begin());
  CHECK(http_request(s.port, "POST", gh_path, gh_body, none).status == 415);

  CHECK(http_request(s.port, "POST", "/webhooks/workday/" + conn_id, gh_body, vendor_headers()).status == 404);
  CHECK(http_request(s.port, "POST", "/webhooks/Greenhouse/" + conn_id, gh_body, vendor_headers()).status == 404);
  r = http_request(s.port, "POST", "/webhooks/greenhouse/not-a-uuid", gh_body, vendor_headers());
  CHECK(r.status == 404);
  CHECK(detail(r) == "no such webhook endpoint");
  CHECK(http_request(s.port, "POST", "/webhooks/greenhouse/", gh_body, vendor_headers()).status == 404);
  CHECK(http_request(s.port, "POST", gh_path + "/extra", gh_body, vendor_headers()).status == 404);

  for (const char* method : {"GET", "PUT", "DELETE"}) {
    INFO(method);
    r = http_request(s.port, method, gh_path, {}, {});
    CHECK(r.status == 405);
    CHECK(r.header("Allow") == "POST");
  }
  CHECK(http_request(s.port, "GET", lever_path, {}, {}).status == 405);
  CHECK(s.ats.call_count() == before);
}

TEST_CASE("webhooks: a body over the server's own limit is 413 before it is read", "[http][webhook_http]") {
  auto o = test_options();
  o.body_limit = 1024;
  test_server s{o};
  auto r = http_request(s.port, "POST", gh_path, std::string(2048, ' '), vendor_headers());
  CHECK(r.status == 413);
  CHECK(s.ats.call_count() == 0);
}

TEST_CASE("webhooks: neither the access log nor any other log line has the body or the signature",
          "[http][webhook_http][log]") {
  auto access_out = std::make_shared<std::ostringstream>();
  auto other_out = std::make_shared<std::ostringstream>();
  spdlog::drop("access");
  auto access = std::make_shared<spdlog::logger>("access",
                                                 std::make_shared<spdlog::sinks::ostream_sink_mt>(*access_out, true));
  access->set_pattern("%v");
  spdlog::register_logger(access);
  auto previous = spdlog::default_logger();
  auto all = std::make_shared<spdlog::logger>("webhook-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(*other_out, true));
  all->set_level(spdlog::level::trace);
  spdlog::set_default_logger(all);
  {
    auto o = test_options();
    o.access_log = true;
    test_server s{o};
    CHECK(http_request(s.port, "POST", gh_path, gh_body, vendor_headers()).status == 200);
    s.ats.fail_next("receive_webhook", {errc::unauthorized, "bad signature"});
    CHECK(http_request(s.port, "POST", gh_path, gh_body, vendor_headers()).status == 401);
    s.ats.fail_next("receive_webhook", {errc::internal, "boom"});
    CHECK(http_request(s.port, "POST", gh_path, gh_body, vendor_headers()).status == 500);
    CHECK(http_request(s.port, "POST", gh_path, gh_body, {{"Content-Type", "text/plain"}, {"Signature", signature}})
            .status == 415);
  }
  spdlog::set_default_logger(previous);
  spdlog::drop("access");
  const auto logs = access_out->str() + other_out->str();
  std::istringstream lines{access_out->str()};
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    auto j = json::parse(line);
    CHECK(j["route"] == "/webhooks/greenhouse/{connection}");
    ++n;
  }
  CHECK(n == 4);
  CHECK(logs.find("37d2725109df") == std::string::npos);
  CHECK(logs.find("job_post_updated") == std::string::npos);
  CHECK(logs.find("engineer") == std::string::npos);
  CHECK(logs.find(conn_id) == std::string::npos);  // the raw path is not logged either
}
