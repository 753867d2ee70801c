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
