#include "actors/auth/password_hash.hpp"

#include <cerrno>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <sodium.h>

namespace hw::auth {

namespace {

// crypto_pwhash_STRBYTES includes the terminating NUL; a longer string cannot be ours.
constexpr std::size_t max_stored_length = crypto_pwhash_STRBYTES - 1;

struct dummy_cache {
  std::mutex mu;
  std::map<std::pair<unsigned long long, std::size_t>, std::string> by_params;
};

dummy_cache& dummies() {
  static dummy_cache c;
  return c;
}

const std::string& dummy_for(const hash_params& p) {
  auto& c = dummies();
  std::lock_guard<std::mutex> lock{c.mu};
  auto key = std::make_pair(p.opslimit, p.memlimit);
  auto it = c.by_params.find(key);
  if (it != c.by_params.end()) return it->second;  // std::map: references stay valid
  // A random secret nobody knows, hashed once: verifying against it costs exactly one argon2id
  // verification with `p` and can never succeed.
  unsigned char secret[32];
  randombytes_buf(secret, sizeof secret);
  std::string stored = hash_password(std::string_view{reinterpret_cast<const char*>(secret), sizeof secret}, p);
  sodium_memzero(secret, sizeof secret);
  return c.by_params.emplace(key, std::move(stored)).first->second;
}

}  // namespace

void validate(const hash_params& p) {
  if (p.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || p.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX)
    throw std::invalid_argument("argon2id opslimit out of range");
  if (p.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || p.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
    throw std::invalid_argument("argon2id memlimit out of range");
}

void ensure_sodium() {
  // sodium_init is itself thread-safe and idempotent; the static makes later calls free.
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium initialization failed");
}

std::string hash_password(std::string_view password, const hash_params& p) {
  ensure_sodium();
  validate(p);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), p.opslimit, p.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id hashing failed (out of memory?)");
  }
  return std::string{out};
}

bool verify_password(std::string_view password, const std::string& stored) {
  ensure_sodium();
  // libsodium reads a C string: an embedded NUL or an over-long value is not one of ours.
  if (stored.empty() || stored.size() > max_stored_length || stored.find('\0') != std::string::npos) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& stored, const hash_params& p) {
  ensure_sodium();
  if (stored.empty() || stored.size() > max_stored_length || stored.find('\0') != std::string::npos) return true;
  // The argon2id-specific check answers -1 for argon2i and malformed strings: rehash those too.
  return crypto_pwhash_argon2id_str_needs_rehash(stored.c_str(), p.opslimit, p.memlimit) != 0;
}

bool verify_dummy(std::string_view password, const hash_params& p) {
  ensure_sodium();
  const std::string& stored = dummy_for(p);
  volatile bool matched = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
  (void)matched;
  return false;
}

void warm_dummy(const hash_params& p) {
  ensure_sodium();
  (void)dummy_for(p);
}

void wipe(std::string& s) noexcept {
  if (s.capacity() == 0) return;
  s.resize(s.capacity());  // make the whole buffer addressable, then zero all of it
  sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace hw::auth
