#include "actors/auth/csrf.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace hw::auth {

std::string csrf_token(const key32& key, std::string_view session_id_hash_hex) {
  std::string msg = "csrf:";
  msg.append(session_id_hash_hex);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // The one-shot HMAC() is not deprecated in OpenSSL 3 (HMAC_CTX is).
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac, &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return base64url_encode(std::string_view{reinterpret_cast<const char*>(mac), mac_len});
}

bool csrf_valid(const key32& key, std::string_view session_id_hash_hex, std::string_view token) {
  if (session_id_hash_hex.empty() || !looks_like_secret(token)) return false;
  return constant_time_equal(csrf_token(key, session_id_hash_hex), token);
}

}  // namespace hw::auth
