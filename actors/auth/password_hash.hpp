#pragma once
// Password hashing: argon2id through libsodium (crypto_pwhash, ALG_ARGON2ID13), stored as the
// PHC-style string libsodium produces ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"), so the
// parameters travel with every hash and can be upgraded on the next successful login
// (security-and-reliability.md §3.4: m=19 MiB, t=2, p=1 — the ASVS 5.0 / OWASP minimum).
//
// These are plain blocking functions: one call costs ~19 MiB and tens of milliseconds of CPU.
// At request time call them ONLY from the detached workers of actors/auth/hash_pool.hpp, never
// from an event-based actor or an HTTP thread. They never log and never keep the password; the
// callers (the pool) wipe their own copies with wipe().
#include <cstddef>
#include <string>
#include <string_view>

namespace hw::auth {

/// argon2id cost. libsodium always uses p=1.
struct hash_params {
  unsigned long long opslimit = 2;         // t: passes over memory
  std::size_t memlimit = 19u * 1024 * 1024;  // m: bytes (19 MiB = m=19456 KiB)

  friend bool operator==(const hash_params& a, const hash_params& b) {
    return a.opslimit == b.opslimit && a.memlimit == b.memlimit;
  }
  friend bool operator!=(const hash_params& a, const hash_params& b) { return !(a == b); }
};

/// The production parameters (m=19 MiB, t=2, p=1).
inline constexpr hash_params default_hash_params{};

/// Throws std::invalid_argument when `p` is outside libsodium's argon2id limits
/// (opslimit >= 1, memlimit >= 8 KiB).
void validate(const hash_params& p);

/// Initializes libsodium once (thread-safe; later calls are free). Throws std::runtime_error when
/// libsodium cannot initialize. Every function below calls it.
void ensure_sodium();

/// A fresh random salt and the argon2id string for `password` (hashed byte for byte: no
/// trimming or normalization). Throws std::invalid_argument for bad params and
/// std::runtime_error when libsodium fails (out of memory).
std::string hash_password(std::string_view password, const hash_params& p = default_hash_params);

/// True when `password` matches `stored`. A malformed, truncated or non-argon2 `stored` is
/// false, never an exception. The comparison inside libsodium is constant-time.
bool verify_password(std::string_view password, const std::string& stored);

/// True when `stored` is not an argon2id string with exactly `p` (older parameters, argon2i, or
/// malformed): after a successful login the caller should store hash_password(password, p).
/// Cheap (parses the string only): may be called from any thread.
bool needs_rehash(const std::string& stored, const hash_params& p = default_hash_params);

/// For an unknown account: runs a full argon2id verification with `p` against a fixed dummy hash
/// (computed once per parameter set, on first use) and returns false, so a login answer takes
/// as long whether or not the e-mail address exists (ASVS 6.3.8). The first call for a given `p`
/// also computes the dummy; warm_dummy() does that ahead of time.
bool verify_dummy(std::string_view password, const hash_params& p = default_hash_params);

/// Computes the dummy hash for `p` now (the hash pool calls it at start-up).
void warm_dummy(const hash_params& p = default_hash_params);

/// Overwrites `s`'s bytes with zeros (sodium_memzero: not optimized away) and clears it.
void wipe(std::string& s) noexcept;

}  // namespace hw::auth
