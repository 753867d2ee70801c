#include "actors/ats/greenhouse_signature.hpp"
#include "actors/domain/hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace hw::ats {

namespace {

constexpr std::size_t mac_bytes = 32;
using mac_t = std::array<unsigned char, mac_bytes>;

// OpenSSL 3 looks an algorithm up by name on every HMAC() / EVP_sha256() use (a locked
// provider query that cost more than the MAC of a 1 KiB body); fetched once here. The digest
// itself is OpenSSL's (SHA extensions / AVX2), several times faster than a portable one.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) throw std::runtime_error("SHA-256 is not available");
  return md;
}

/// One digest context per thread, reused (EVP_DigestInit_ex resets it).
EVP_MD_CTX* thread_md_ctx() {
  struct holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local holder h;
  if (h.ctx == nullptr) throw std::runtime_error("SHA-256 context cannot be allocated");
  return h.ctx;
}

/// out = SHA-256(a || b).
void sha256_into(std::string_view a, std::string_view b, unsigned char* out) {
  auto* ctx = thread_md_ctx();
  unsigned int len = 0;
  if (EVP_DigestInit_ex(ctx, sha256_md(), nullptr) != 1 || EVP_DigestUpdate(ctx, a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx, b.data(), b.size()) != 1 || EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != mac_bytes) {
    throw std::runtime_error("SHA-256 failed");
  }
}

mac_t hmac_sha256(std::string_view secret, std::string_view body) {
  // HMAC (RFC 2104) over the digest fetched once: H((K ^ opad) || H((K ^ ipad) || body)), K the
  // secret zero-padded to the block size (hashed first when longer). RFC 4231 vectors are tests.
  constexpr std::size_t block = 64;
  unsigned char key[block] = {};
  if (secret.size() > block) {
    sha256_into(secret, {}, key);
  } else if (!secret.empty()) {
    std::memcpy(key, secret.data(), secret.size());
  }
  unsigned char pad[block];
  for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<unsigned char>(key[i] ^ 0x36);
  mac_t inner{};
  sha256_into({reinterpret_cast<const char*>(pad), block}, body, inner.data());
  for (std::size_t i = 0; i < block; ++i) pad[i] = static_cast<unsigned char>(key[i] ^ 0x5c);
  mac_t mac{};
  sha256_into({reinterpret_cast<const char*>(pad), block},
              {reinterpret_cast<const char*>(inner.data()), inner.size()}, mac.data());
  OPENSSL_cleanse(key, sizeof key);
  OPENSSL_cleanse(pad, sizeof pad);
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

namespace {
std::string lower_hex(const mac_t& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(mac_bytes * 2);
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0x0f];
  }
  return out;
}
}  // namespace

std::string greenhouse_signature_hex(std::string_view secret, std::string_view raw_body) {
  return lower_hex(hmac_sha256(secret, raw_body));
}

std::string sha256_hex(std::string_view data) {
  mac_t d{};
  sha256_into(data, {}, d.data());
  return lower_hex(d);
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
