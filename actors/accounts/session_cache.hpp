#pragma once
// The in-process session cache (issue 3: "the session check must not cost a database round trip
// on every request"). Maps the hex SHA-256 of a session token to the principal it authenticates.
//
// Correctness across processes: every change that ends a session or changes a user's memberships
// commits a NOTIFY on channel hw_auth ("session:<hash>" / "user:<uuid>", storage/README.md);
// actors/accounts/auth_listener evicts the matching entries here in every process, and clears the
// whole cache when its LISTEN connection was lost (notifications may have been missed).
//
// The fill race: a request that missed the cache loads the session from the database; if an
// eviction happens between that load and the insert, the loaded copy may already be stale. Every
// eviction bumps `generation()`; put() refuses an entry loaded under an older generation.
//
// Time: the caller passes `now` (an injected clock in tests). An entry past its absolute expiry is
// dropped; past its locally known idle expiry it is treated as a miss (another process may have
// extended it), so the database decides. Bounded: beyond max_entries the cache is cleared (cheap,
// rare, and always safe: a miss only costs one database round trip).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/domain/accounts.hpp"

namespace hw::actors {

class session_cache {
 public:
  using time_point = std::chrono::system_clock::time_point;

  struct entry {
    principal who;
    time_point idle_expires;
    time_point absolute_expires;
    time_point last_touch;  // when idle_expires was last extended in the database
  };

  struct hit {
    principal who;
    bool touch_due = false;  // the caller should extend the idle expiry in the database
  };

  session_cache(std::size_t max_entries, std::chrono::seconds idle, std::chrono::seconds touch_interval)
      : max_entries_(max_entries), idle_(idle), touch_interval_(touch_interval) {}

  /// The cached principal, or nothing (miss, expired, idle past the local view).
  std::optional<hit> find(const std::string& hash, time_point now);

  /// Inserts unless an eviction happened since `generation_at_load` was read.
  bool put(const std::string& hash, entry e, std::uint64_t generation_at_load);

  /// While disabled (the invalidation listener is not listening) put() stores nothing and the
  /// cache is empty: every request asks the database. Starts disabled.
  void set_enabled(bool on);
  bool enabled() const;

  void evict_session(const std::string& hash);
  void evict_user(const std::string& user_id);
  void clear();

  std::uint64_t generation() const;
  std::size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, entry> map_;
  std::size_t max_entries_;
  std::chrono::seconds idle_;
  std::chrono::seconds touch_interval_;
  std::uint64_t generation_ = 0;
  bool enabled_ = false;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace hw::actors
