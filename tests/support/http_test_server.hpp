#pragma once
// A real hw::http_api::server on 127.0.0.1, port 0, in front of a fake_gateway, a
// fake_account_service, a fake_ats_service and a fake_content_service.
#include <memory>
#include <string>

#include "http/auth.hpp"
#include "http/server.hpp"
#include "tests/support/fake_account_service.hpp"
#include "tests/support/fake_ats_service.hpp"
#include "tests/support/fake_content_service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/http_fake_gateway.hpp"

namespace hw::testing {

inline constexpr const char* admin_token = "test-admin-token";
// sha256("test-admin-token")
inline constexpr const char* admin_token_sha256 =
  "17d6bfe05d1b1fb7bc499f8e3f639c7b3eda4c40f321eef8887a0c04c89a99c5";

inline constexpr const char* test_origin = "http://127.0.0.1:8080";

/// The tests' CSRF scheme (the real one is an HMAC, actors/auth/csrf): bound to the session id
/// hash, so another session's token does not verify.
inline std::string test_csrf_token(const std::string& session_id_hash) { return "csrf-" + session_id_hash.substr(0, 32); }

/// The CSRF token of a session cookie value.
inline std::string csrf_for(const std::string& session_token) {
  return test_csrf_token(http_api::sha256_hex(session_token));
}

/// Headers of a browser request with the session cookie (and, for writes, the CSRF cookie and
/// header, Sec-Fetch-Site: same-origin and a JSON Content-Type).
inline header_list session_headers(const std::string& token, bool write = false) {
  header_list h;
  if (write) {
    const auto csrf = csrf_for(token);
    h.emplace_back("Cookie", std::string{"__Host-hw_session="} + token + "; __Host-hw_csrf=" + csrf);
    h.emplace_back("X-CSRF-Token", csrf);
    h.emplace_back("Sec-Fetch-Site", "same-origin");
    h.emplace_back("Content-Type", "application/json");
  } else {
    h.emplace_back("Cookie", std::string{"__Host-hw_session="} + token);
  }
  return h;
}

/// Headers of an API-key request.
inline header_list key_headers(const std::string& key) {
  return {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
}

/// Options for tests: port 0, no access log, the test admin token, short request timeout.
inline http_api::server_options test_options() {
  http_api::server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.access_log = false;
  o.admin_token_sha256 = admin_token_sha256;
  o.static_dir = "/nonexistent-static-dir";
  o.shutdown_grace = std::chrono::seconds(5);
  o.public_origin = test_origin;
  o.csrf_token = [](const std::string& h) { return test_csrf_token(h); };
  o.csrf_valid = [](const std::string& h, const std::string& t) { return t == test_csrf_token(h); };
  return o;
}

inline header_list admin_auth() { return {{"Authorization", std::string{"Bearer "} + admin_token}}; }

inline header_list admin_json() {
  return {{"Authorization", std::string{"Bearer "} + admin_token}, {"Content-Type", "application/json"}};
}

/// The gateway and the account service are declared first, so the server goes away first.
/// The server uses `accounts` unless `with_accounts` is false (then account routes answer 503).
struct test_server {
  fake_gateway gateway;
  fake_account_service accounts;
  fake_ats_service ats;
  fake_content_service content;
  std::unique_ptr<http_api::server> server;
  std::uint16_t port = 0;

  explicit test_server(http_api::server_options o = test_options(), bool with_accounts = true) {
    if (with_accounts) o.accounts = &accounts;
    if (!o.ats) o.ats = &ats;
    if (!o.content) o.content = &content;
    server = std::make_unique<http_api::server>(std::move(o), gateway);
    port = server->start();
  }
  ~test_server() { server.reset(); }

  http_reply get(std::string_view target, const header_list& h = {}) { return http_request(port, "GET", target, {}, h); }
};

}  // namespace hw::testing
