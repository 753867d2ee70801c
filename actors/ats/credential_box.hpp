#pragma once
// Encryption at rest for ATS credentials and webhook secrets (issue 4): AES-256-GCM (OpenSSL EVP)
// under a KEY RING, so keys rotate: the current key seals every new value while every older key
// still opens what it sealed. (actors/auth/secret_box is the libsodium box of the OIDC secret; this
// is a different format on purpose: it names its key and binds its row.)
//
// Sealed layout (raw bytes, stored in a bytea column), version 1:
//
//   offset 0          1 byte   version = 0x01
//   offset 1          1 byte   L = length of the key id (1..16)
//   offset 2          L bytes  key id (ASCII [A-Za-z0-9_-])
//   offset 2+L        12 bytes nonce (random per seal, RAND_bytes)
//   offset 14+L       N bytes  ciphertext (N = plaintext length; GCM is a stream mode)
//   offset 14+L+N     16 bytes GCM tag
//
// GCM additional authenticated data = the header (bytes 0 .. 2+L, i.e. version, L and key id)
// followed by the caller's `aad`. For a connection row the aad is credential_aad(org, connection
// id), so a ciphertext copied into another row or organization does not open. Everything after the
// header is authenticated, so any flipped bit (header, nonce, ciphertext or tag) fails.
//
// Key ring text (a config value; where it comes from is the caller's business, never log it):
//
//   <id>:<64 hex digits>[,<id>:<64 hex digits>...];current=<id>
//
// e.g. "k1:00ff...(64)...,k2:a1b2...(64)...;current=k2". Ids are 1..16 characters of
// [A-Za-z0-9_-] and unique; the hex (either case) decodes to a 32-byte key; `;current=` is
// required and must name a key of the ring; no whitespace. At most 32 keys. Errors are
// errc::invalid_argument whose detail never contains key material.
//
// Rotation: add k2 to the ring and make it current; new seals use k2, old k1 values keep opening;
// a background re-seal (key_id_of() != current_key_id()) may later retire k1 from the ring.
//
// Plain value type, any thread (const member functions only touch immutable state). Never log a
// plaintext.
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace hw::ats {

inline constexpr unsigned char credential_box_version = 0x01;
inline constexpr std::size_t credential_nonce_size = 12;
inline constexpr std::size_t credential_tag_size = 16;
inline constexpr std::size_t credential_key_id_max = 16;
inline constexpr std::size_t credential_ring_max_keys = 32;

/// The AAD that binds a sealed value to one connection row: "hw.ats.credential.v1|<org>|<conn>".
std::string credential_aad(const org_id& org, std::string_view connection_id);

class credential_key_ring {
 public:
  using key_bytes = std::array<unsigned char, 32>;

  /// Parses the key ring text (format above). errc::invalid_argument for anything malformed.
  static hw::result<credential_key_ring> parse(std::string_view text);

  credential_key_ring(const credential_key_ring&) = default;
  credential_key_ring(credential_key_ring&&) noexcept = default;
  credential_key_ring& operator=(const credential_key_ring&) = default;
  credential_key_ring& operator=(credential_key_ring&&) noexcept = default;
  ~credential_key_ring();  // wipes the keys (OPENSSL_cleanse)

  const std::string& current_key_id() const noexcept { return current_; }
  bool has_key(std::string_view id) const;
  std::size_t size() const noexcept { return keys_.size(); }

  /// Seals under the current key with a fresh random nonce (layout above). errc::internal only
  /// when OpenSSL fails (no randomness, allocation).
  hw::result<std::string> seal(std::string_view plaintext, std::string_view aad) const;

  /// Opens a value sealed by any key of the ring. Every failure (truncated, unknown version or key
  /// id, another key, another aad, tampering) is errc::internal "stored credential cannot be
  /// decrypted": the detail never says which.
  hw::result<std::string> open(std::string_view sealed, std::string_view aad) const;

  /// The key id named in a sealed value's header (no decryption), e.g. to fill the
  /// credentials_key_id column or find values to re-seal. Same error as open() when malformed.
  static hw::result<std::string> key_id_of(std::string_view sealed);

 private:
  credential_key_ring() = default;
  std::map<std::string, key_bytes, std::less<>> keys_;
  std::string current_;
};

}  // namespace hw::ats
