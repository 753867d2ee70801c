#pragma once
// Cross-process invalidation of the session cache: one dedicated thread holding its own
// PostgreSQL connection, LISTENing on channel hw_auth (storage/README.md lists the payloads):
//   "session:<hex sha-256>"  -> evict that session
//   "user:<uuid>"            -> evict every session of that user (memberships changed, sessions
//                               revoked, password changed)
// When the connection is lost the cache is cleared (notifications may have been missed) and again
// once it is re-established; until then every request goes to the database, which stays correct.
//
// A plain thread, not an actor: it blocks in await_notification (DESIGN: blocking calls only in
// detached actors or dedicated threads) and needs no mailbox. stop() returns within ~poll.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "actors/accounts/session_cache.hpp"

namespace hw::actors {

struct auth_listener_options {
  std::string dsn;
  std::chrono::milliseconds poll{200};            // await_notification timeout (stop latency)
  std::chrono::milliseconds ping_interval{5000};  // SELECT 1 on the LISTEN connection (half-open)
  std::chrono::milliseconds reconnect_min{200};
  std::chrono::milliseconds reconnect_max{5000};
};

class auth_listener {
 public:
  auth_listener(auth_listener_options opt, std::shared_ptr<session_cache> cache);
  ~auth_listener();  // stop()
  auth_listener(const auth_listener&) = delete;
  auth_listener& operator=(const auth_listener&) = delete;

  void start();
  void stop();

  /// True while LISTEN is active (tests wait for it before sending NOTIFYs).
  bool listening() const noexcept { return listening_.load(); }
  /// Notifications handled so far.
  std::uint64_t received() const noexcept { return received_.load(); }

  /// Applies one payload to the cache (also used by tests). Unknown payloads are ignored.
  static void apply(session_cache& cache, const std::string& payload);

 private:
  void run();

  auth_listener_options opt_;
  std::shared_ptr<session_cache> cache_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

}  // namespace hw::actors
