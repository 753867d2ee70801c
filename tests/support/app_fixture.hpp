#pragma once
// The whole application (config -> migrations -> actors -> HTTP on port 0) for end-to-end tests.
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "actors/app/bootstrap.hpp"
#include "config/app_config.hpp"

namespace hw::testing {

/// Settings for a test server: port 0, no access log, no static files, quiet logs.
inline config::app_config test_app_config(const std::string& dsn, const std::string& admin_token) {
  config::app_config cfg;
  cfg.db_dsn = dsn;
  cfg.http_port = 0;
  cfg.admin_token = admin_token;
  cfg.http_access_log = false;
  cfg.http_static_dir = "/nonexistent";
  cfg.log_level = "warn";
  return cfg;
}

/// A fixed auth.secret-key for tests (64 hex digits): every instance on one database agrees on
/// CSRF tokens and on the key that encrypts stored SSO client secrets.
inline const std::string& test_auth_secret_key() {
  static const std::string k = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  return k;
}

/// Settings for the people-and-access tests: the server serves as `app_dsn` (pg_fixture's
/// non-superuser role, NOBYPASSRLS, so row-level security is really enforced) and migrates as
/// `migrate_dsn` (the admin); Secure __Host- cookies (the test client ignores Secure); a fixed secret
/// key; e-mail workers that poll every 20 ms (dev mailbox transport: smtp.url stays empty).
inline config::app_config rls_app_config(const std::string& app_dsn, const std::string& migrate_dsn,
                                         const std::string& admin_token) {
  auto cfg = test_app_config(app_dsn, admin_token);
  cfg.db_migrate_dsn = migrate_dsn;
  cfg.auth_allow_insecure_cookies = false;  // Secure __Host- cookies; the test client ignores Secure
  cfg.auth_secret_key = test_auth_secret_key();
  cfg.auth_sso_allow_private_network = true;  // the fake OpenID provider listens on 127.0.0.1
  cfg.notify_poll_interval = std::chrono::milliseconds{20};
  cfg.log_level = "error";
  return cfg;
}

/// A prepared and started application; stops when destroyed.
struct running_app {
  app::application app;
  std::uint16_t port = 0;

  explicit running_app(config::app_config cfg) : app(std::move(cfg)) {
    auto p = app.prepare(std::chrono::seconds(10));
    if (!p) throw std::runtime_error("prepare: " + p.error().detail);
    auto s = app.start();
    if (!s) throw std::runtime_error("start: " + s.error().detail);
    port = *s;
  }
};

}  // namespace hw::testing
