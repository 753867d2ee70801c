#pragma once
// PURE: the OpenID Connect ID token claim rules (OIDC Core 1.0 §3.1.3.7) and the PKCE verifier
// shape (RFC 7636 §4.1). No CAF, Boost, JSON, crypto or I/O: the caller (actors/auth/oidc_client)
// verifies the signature, decodes the payload into id_token_claims and passes `now`.
//
// Rules, checked in this order; the first failure is reported as errc::unauthorized with a safe
// detail that names the rule and never echoes a claim value:
//   iss       present and equal to the configured issuer, byte for byte ("id_token: issuer mismatch")
//   aud       present and contains client_id ("id_token: audience mismatch")
//   azp       when aud has several values: present and equal to client_id; when present with one
//             aud: equal to client_id ("id_token: azp mismatch")
//   exp       present and exp > now - skew ("id_token: expired")
//   iat       present and iat <= now + skew ("id_token: issued in the future")
//   nonce     present and equal to the nonce we sent ("id_token: nonce mismatch")
//   sub       present and non-empty ("id_token: missing sub")
//   email     present, with one '@', a non-empty local part and domain ("id_token: missing email")
//   email_verified  when present it must be true; when ABSENT the token is accepted (several
//             providers omit it for managed accounts; the domain allow-list below is the control
//             that matters) ("id_token: email not verified")
//   domain    the e-mail's domain, compared case-insensitively (ASCII), is in allowed_domains. An
//             EMPTY allow-list admits NOBODY: an org must name its domains before SSO can sign
//             anyone in ("id_token: email domain not allowed")
// skew is 60 s by default.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/result.hpp"

namespace hw::domain {

/// The claims we read from an ID token payload. Absent claims are empty optionals; `aud` holds
/// the string or every string of the array form (empty when absent).
struct id_token_claims {
  std::optional<std::string> iss;
  std::vector<std::string> aud;
  std::optional<std::string> azp;
  std::optional<std::int64_t> exp;  // seconds since the epoch
  std::optional<std::int64_t> iat;
  std::optional<std::string> nonce;
  std::optional<std::string> sub;
  std::optional<std::string> email;
  std::optional<bool> email_verified;
  std::optional<std::string> name;
};

/// What the relying party expects of this token.
struct id_token_expectation {
  std::string issuer;                        // the org's configured issuer, exact
  std::string client_id;
  std::string nonce;                         // the nonce sent in the authorization request
  std::vector<std::string> allowed_domains;  // e-mail domains; empty admits nobody
  std::int64_t now = 0;                      // seconds since the epoch (injected clock)
  std::chrono::seconds skew{60};
};

/// The identity a valid token proves. `email` is as the provider sent it; `email_domain` is its
/// domain in lower case. `name` is empty when the claim is absent.
struct verified_identity {
  std::string sub;
  std::string email;
  std::string email_domain;
  std::string name;
};

/// Applies every rule above. Ok: the identity; otherwise unauthorized with the rule's detail.
hw::result<verified_identity> validate_id_token_claims(const id_token_claims& c, const id_token_expectation& x);

/// The lower-cased domain of `email` ("Ann@Example.COM" -> "example.com"), or nothing when it has
/// not exactly one '@' or an empty local part or domain.
std::optional<std::string> email_domain(std::string_view email);

/// True when email_domain(email) equals one of `allowed` (compared case-insensitively). Empty
/// `allowed` -> false.
bool email_domain_allowed(std::string_view email, const std::vector<std::string>& allowed);

/// RFC 7636 §4.1: 43 to 128 characters of [A-Za-z0-9-._~].
bool is_pkce_verifier(std::string_view v) noexcept;

}  // namespace hw::domain
