#pragma once
// The composition root (like Envoy's source/exe): config -> storage (migrations, seed) -> actor
// system (db pool, routers, sweeper, gateway) -> HTTP threads; and the reverse on shutdown:
// HTTP stops first (in-flight requests finish), then the actors, then the io_context goes.
#include <cstdint>
#include <memory>

#include "actors/domain/entity_gateway.hpp"
#include "actors/domain/result.hpp"
#include "config/app_config.hpp"

namespace hw::app {

class application {
 public:
  explicit application(config::app_config cfg);
  ~application();
  application(const application&) = delete;
  application& operator=(const application&) = delete;

  /// Blocking: connects (retrying with backoff for up to `wait`), applies pending migrations,
  /// refuses edited ones, seeds the demo organization when configured.
  result<hw::unit> prepare(std::chrono::milliseconds wait = std::chrono::milliseconds{30'000});

  /// Spawns the actors and starts HTTP. Returns the bound port.
  result<std::uint16_t> start();

  /// Graceful and idempotent.
  void stop();

  entity_gateway& gateway();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// main(): parses configuration (exit 2 on bad settings), runs until SIGINT/SIGTERM.
int run_main(int argc, char** argv);

}  // namespace hw::app
