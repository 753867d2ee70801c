#pragma once
// Encryption at rest for small secrets we must be able to read back (the per-org OIDC client
// secret): libsodium crypto_secretbox_easy (XSalsa20-Poly1305) with a 32-byte key from
// configuration and a fresh random 24-byte nonce per message.
//
// Sealed format (raw bytes): nonce (24) || MAC (16) || ciphertext. seal_secret_text/open_secret_text
// wrap it in base64url for a TEXT column. A sealed value does not say which row it belongs to:
// bind it by storing it only in its own row (the org's sso settings).
//
// Plain functions, any thread. Never log the plaintext.
#include <string>
#include <string_view>

#include "actors/auth/tokens.hpp"
#include "actors/domain/result.hpp"

namespace hw::auth {

/// nonce || crypto_secretbox_easy(plaintext). Throws std::runtime_error only when libsodium
/// cannot initialize.
std::string seal_secret(const key32& key, std::string_view plaintext);

/// The plaintext, or errc::internal "stored secret cannot be decrypted" when `sealed` is too short,
/// was tampered with or was sealed with another key (e.g. after a key change).
hw::result<std::string> open_secret(const key32& key, std::string_view sealed);

/// base64url(seal_secret(...)) / its inverse (a bad encoding is the same internal error).
std::string seal_secret_text(const key32& key, std::string_view plaintext);
hw::result<std::string> open_secret_text(const key32& key, std::string_view sealed_text);

}  // namespace hw::auth
