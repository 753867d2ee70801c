#pragma once
// The password-hashing pool (security-and-reliability.md §3.4, §6.3): `workers` detached actors
// (own thread each) behind a round-robin caf::actor_pool, fronted by an event-based admission
// gate. argon2id costs ~19 MiB and tens of ms of CPU per call, so the pool is bounded twice:
//  - at most `workers` hashes run at once (size it <= the number of cores), so CAF's scheduler
//    threads, the HTTP threads and the db workers keep running during a login flood;
//  - at most `max_queue` admitted requests wait for a worker. Beyond that the gate answers
//    errc::unavailable ("too many login attempts right now; try again") immediately, so a flood
//    costs a counter increment per request instead of unbounded mailboxes and memory.
// The admission counter is a shared atomic: the gate charges it before delegating, the worker
// releases it after replying. Replies go straight from the worker to the requester (delegate).
//
// Requests (all reply through the caller's request(...).then(ok, error) handler):
//   (hash_atom, std::string password)                  -> std::string  argon2id PHC string
//   (verify_atom, std::string password, std::string stored) -> bool     true when it matches
//   (dummy_atom, std::string password)                 -> bool         always false; burns one
//       verification for an unknown account so the answer does not reveal that it is unknown
// Errors: errc::unavailable when the queue is full, errc::internal when libsodium fails.
// After a successful verify, check auth::needs_rehash(stored, params) (cheap, any thread) and,
// when true, ask for a new hash to store. The pool wipes its copies of the password; callers
// should wipe theirs (auth::wipe) and never log them.
//
// Shut down with anon_send_exit(gate, exit_reason::user_shutdown): the gate takes the pool and
// its workers down with it (a worker finishes the hash it is running first).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/auth/password_hash.hpp"

namespace hw::actors {

/// Counters for /metrics (read them with relaxed loads; they are not one consistent snapshot).
struct hash_pool_stats {
  std::atomic<std::int64_t> workers{0};    // live workers
  std::atomic<std::int64_t> in_use{0};     // hashing or verifying right now
  std::atomic<std::int64_t> queued{0};     // admitted, waiting for a worker
  std::atomic<std::int64_t> rejected{0};   // answered unavailable because the queue was full (total)
  std::atomic<std::int64_t> completed{0};  // jobs finished, successfully or not (total)
};

struct hash_pool_options {
  int workers = 2;                      // detached threads; >= 1
  int max_queue = 32;                   // admitted requests waiting beyond the running ones; >= 0
  auth::hash_params params{};           // for new hashes and the dummy verification
  /// Test hook: runs on the worker thread at the start of every job. Tests use it to hold the
  /// workers so that admission can be checked by counting instead of timing. Leave empty.
  std::function<void()> on_job_start;
};

/// Spawns the gate and its pool; returns the gate. Throws std::invalid_argument for bad options.
/// `stats` may be null (a private one is used).
caf::actor spawn_hash_pool(caf::actor_system& sys, const hash_pool_options& opt,
                           std::shared_ptr<hash_pool_stats> stats = nullptr);

}  // namespace hw::actors
