#include "actors/ats/greenhouse_signature.hpp"
#include "actors/domain/hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace hw::ats {

namespace {

constexpr std::size_t mac_bytes = 32;
using mac_t = std::array<unsigned char, mac_bytes>;

mac_t hmac_sha256(std::string_view secret, std::string_view body) {
  mac_t mac{};
  unsigned int len = 0;
  // The one-shot HMAC() is not deprecated in OpenSSL 3 (HMAC_CTX is). A null key pointer with
  // length 0 is refused by some OpenSSL versions, hence the static empty buffer.
  static const unsigned char empty = 0;
  const auto* key = secret.empty() ? &empty : reinterpret_cast<const unsigned char*>(secret.data());
  if (HMAC(EVP_sha256(), key, static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac.data(), &len) == nullptr ||
      len != mac_bytes) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return mac;
}

using hw::hex_value;

}  // namespace

std::string_view signature_check::reason() const noexcept {
  switch (verdict) {
    case signature_verdict::valid:
      return "signature valid";
    case signature_verdict::no_secret:
      return "no webhook secret configured";
    case signature_verdict::missing_header:
      return "Signature header missing";
    case signature_verdict::bad_scheme:
      return "Signature header must start with \"sha256 \"";
    case signature_verdict::bad_digest:
      return "Signature digest must be 64 hex characters";
    case signature_verdict::mismatch:
      return "Signature does not match the body";
  }
  return "Signature refused";
}

std::string greenhouse_signature_hex(std::string_view secret, std::string_view raw_body) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto mac = hmac_sha256(secret, raw_body);
  std::string out;
  out.reserve(mac_bytes * 2);
  for (unsigned char b : mac) {
    out += digits[b >> 4];
    out += digits[b & 0x0f];
  }
  return out;
}

std::string sign_greenhouse_body(std::string_view secret, std::string_view raw_body) {
  std::string out{greenhouse_signature_prefix};
  out += greenhouse_signature_hex(secret, raw_body);
  return out;
}

signature_check verify_greenhouse_signature(std::string_view secret, std::string_view raw_body,
                                            std::string_view signature_header) {
  if (secret.empty()) return {signature_verdict::no_secret};
  if (signature_header.empty()) return {signature_verdict::missing_header};
  if (signature_header.substr(0, greenhouse_signature_prefix.size()) != greenhouse_signature_prefix)
    return {signature_verdict::bad_scheme};
  const auto hex = signature_header.substr(greenhouse_signature_prefix.size());
  if (hex.size() != mac_bytes * 2) return {signature_verdict::bad_digest};
  mac_t received{};
  for (std::size_t i = 0; i < mac_bytes; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return {signature_verdict::bad_digest};
    received[i] = static_cast<unsigned char>((hi << 4) | lo);
  }
  // Compare raw bytes, so hex case does not matter and timing does not leak a prefix match.
  const auto expected = hmac_sha256(secret, raw_body);
  if (CRYPTO_memcmp(expected.data(), received.data(), mac_bytes) != 0) return {signature_verdict::mismatch};
  return {signature_verdict::valid};
}

}  // namespace hw::ats
