#pragma once
// CSRF tokens (security-and-reliability.md §3.5 (4)): a signed double-submit token bound to the
// session. token = base64url(HMAC-SHA256(key, "csrf:" + session_id_hash_hex)), 43 characters.
// The server hands it to the SPA (GET /api/v1/session, and in a readable cookie); the SPA sends it
// back in X-CSRF-Token on every non-GET request; the server recomputes it from the session it
// authenticated and compares in constant time. It is deterministic per session, so it changes
// whenever the session does (login, logout, password change) and needs no storage. An attacker
// without the server key cannot mint one, and a cookie planted from a sibling subdomain is useless
// because it is bound to the victim's session id hash.
//
// The key is 32 bytes from configuration (64 hex characters: parse_key_hex in tokens.hpp). Plain
// functions, any thread.
#include <string>
#include <string_view>

#include "actors/auth/tokens.hpp"

namespace hw::auth {

/// The token for the session whose token hashes to `session_id_hash_hex` (principal::session_id_hash).
std::string csrf_token(const key32& key, std::string_view session_id_hash_hex);

/// True when `token` is csrf_token(key, session_id_hash_hex). Constant-time (CRYPTO_memcmp); false
/// for an empty session hash or a token of the wrong shape.
bool csrf_valid(const key32& key, std::string_view session_id_hash_hex, std::string_view token);

}  // namespace hw::auth
