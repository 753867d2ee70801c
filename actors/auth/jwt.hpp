#pragma once
// Compact JWS (RFC 7515) parsing and RS256 verification for OpenID Connect ID tokens, with RSA
// public keys built from JWKs (RFC 7517) through OpenSSL 3 (EVP_PKEY_fromdata; no deprecated RSA_*).
//
// Only RS256 is accepted (the OIDC default and what every provider supports): a token whose header
// says "none", HS256 (the RSA-key-as-HMAC-secret confusion), RS384, PS256... is refused before any
// key is looked at. The algorithm comes from our policy, never from the token.
//
// Plain functions and a move-only key type; any thread. Errors are errc::unauthorized with a safe
// detail ("id_token: ..."), except parse_jwks's, which are errc::unavailable (a broken provider).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/result.hpp"

namespace hw::auth {

/// A compact JWS split and decoded. `signing_input` is the first two segments as received
/// ("header.payload"), which is what the signature covers.
struct jws {
  std::string header_json;
  std::string payload_json;
  std::string signing_input;
  std::string signature;  // raw bytes
  std::string alg;        // always "RS256" after parse_jws
  std::optional<std::string> kid;
};

/// Splits `compact` into three base64url segments, decodes them, parses the header as a JSON object
/// and requires alg == "RS256" (and no "crit" header). Does NOT verify the signature. At most
/// 16 KiB of input is accepted.
hw::result<jws> parse_jws(std::string_view compact);

/// An RSA public key (EVP_PKEY). Move-only; null after a move.
class rsa_public_key {
 public:
  rsa_public_key() = default;
  ~rsa_public_key();
  rsa_public_key(rsa_public_key&& other) noexcept;
  rsa_public_key& operator=(rsa_public_key&& other) noexcept;
  rsa_public_key(const rsa_public_key&) = delete;
  rsa_public_key& operator=(const rsa_public_key&) = delete;

  /// From the base64url big-endian modulus `n` and exponent `e` of a JWK. invalid_argument for a
  /// malformed value, a modulus under 2048 bits or over 8192, or an even / tiny exponent.
  static hw::result<rsa_public_key> from_jwk(std::string_view n_b64url, std::string_view e_b64url);

  /// True when `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `data`.
  bool verify_rs256(std::string_view data, std::string_view signature) const;

  int bits() const;
  explicit operator bool() const noexcept { return pkey_ != nullptr; }

 private:
  void* pkey_ = nullptr;  // EVP_PKEY*, kept opaque so this header needs no OpenSSL include
};

/// One usable signing key of a JWK set.
struct jwk_entry {
  std::optional<std::string> kid;
  std::shared_ptr<const rsa_public_key> key;
};

/// The RSA signature keys of a JWKS document: entries with kty "RSA", use "sig" or absent, alg
/// "RS256" or absent, and a valid n/e. Other entries (EC keys, encryption keys, malformed ones) are
/// skipped. unavailable "jwks: ..." when the document is not a JSON object with a "keys" array or
/// when no usable key remains.
hw::result<std::vector<jwk_entry>> parse_jwks(std::string_view json);

/// The key for `kid` among `keys`: the entry with that kid; with no kid in the token, the only key
/// when there is exactly one. Null otherwise.
std::shared_ptr<const rsa_public_key> select_key(const std::vector<jwk_entry>& keys,
                                                 const std::optional<std::string>& kid);

}  // namespace hw::auth
