#include "http/admin_auth.hpp"
#include "actors/domain/hex.hpp"

#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace hw::http_api {

namespace {

using hw::hex_value;


}  // namespace

bool iequals_prefix(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (a != prefix[i]) return false;
  }
  return true;
}

admin_key admin_key::from_hex(std::string_view hex) {
  admin_key k;
  if (hex.empty()) return k;
  if (hex.size() != 64) throw std::invalid_argument("admin_token_sha256 must be 64 hex digits");
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("admin_token_sha256 must be 64 hex digits");
    k.digest[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  k.enabled = true;
  return k;
}

std::optional<hw::error> check_admin(const admin_key& key, std::string_view authorization) {
  if (!key.enabled) {
    return hw::error{errc::unauthorized, "the admin API is disabled: no admin token is configured"};
  }
  if (!iequals_prefix(authorization, "bearer ")) {
    return hw::error{errc::unauthorized, "missing bearer token"};
  }
  auto token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return hw::error{errc::unauthorized, "missing bearer token"};

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    return hw::error{errc::internal, "sha256 failed"};
  }
  // Constant time: the comparison must not reveal how many leading bytes matched.
  if (CRYPTO_memcmp(digest, key.digest.data(), 32) != 0) {
    return hw::error{errc::unauthorized, "invalid bearer token"};
  }
  return std::nullopt;
}

}  // namespace hw::http_api
