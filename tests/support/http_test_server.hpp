#pragma once
// A real hw::http_api::server on 127.0.0.1, port 0, in front of a fake_gateway.
#include <memory>
#include <string>

#include "http/server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_fake_gateway.hpp"

namespace hw::testing {

inline constexpr const char* admin_token = "test-admin-token";
// sha256("test-admin-token")
inline constexpr const char* admin_token_sha256 =
  "17d6bfe05d1b1fb7bc499f8e3f639c7b3eda4c40f321eef8887a0c04c89a99c5";

/// Options for tests: port 0, no access log, the test admin token, short request timeout.
inline http_api::server_options test_options() {
  http_api::server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.access_log = false;
  o.admin_token_sha256 = admin_token_sha256;
  o.static_dir = "/nonexistent-static-dir";
  o.shutdown_grace = std::chrono::seconds(5);
  return o;
}

inline header_list admin_auth() { return {{"Authorization", std::string{"Bearer "} + admin_token}}; }

inline header_list admin_json() {
  return {{"Authorization", std::string{"Bearer "} + admin_token}, {"Content-Type", "application/json"}};
}

/// The gateway is declared first, so the server goes away first.
struct test_server {
  fake_gateway gateway;
  std::unique_ptr<http_api::server> server;
  std::uint16_t port = 0;

  explicit test_server(http_api::server_options o = test_options())
      : server(std::make_unique<http_api::server>(std::move(o), gateway)) {
    port = server->start();
  }
  ~test_server() { server.reset(); }

  http_reply get(std::string_view target, const header_list& h = {}) { return http_request(port, "GET", target, {}, h); }
};

}  // namespace hw::testing
