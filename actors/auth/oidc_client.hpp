#pragma once
// The OpenID Connect relying party (authorization code flow with PKCE S256, client_secret_basic),
// for per-org SSO. Blocking: discover(), exchange_code(), jwks_cache::key_for() and
// verify_id_token() make HTTP calls through libcurl (easy interface, bounded timeouts, redirects
// NOT followed, http/https only). Call them only from a detached actor or a db task thread, never
// from an event-based actor or an HTTP thread.
//
// URL policy: every provider URL (issuer, endpoints from discovery, jwks_uri) must be https://,
// except http:// on loopback (127.0.0.1, localhost, [::1]), which tests and local development use.
// The token endpoint and the JWKS must be on the issuer's origin (scheme, host and port): the
// discovery document is provider-controlled, and the provider is whoever configured the org's SSO.
//
// Network policy (SSRF): the issuer URL comes from any organization owner, so by default every
// request refuses to connect to a non-public address (is_private_address: loopback, private,
// link-local, CGNAT, unspecified, multicast, reserved, and their IPv4-mapped IPv6 forms). The check
// runs on the address curl is about to connect to (CURLOPT_OPENSOCKETFUNCTION), after DNS, so a name
// resolving (or rebinding) to an internal address is refused too. Proxies from the environment
// (http_proxy, https_proxy, ALL_PROXY) are ignored, since the proxy, not us, would then pick the
// address. oidc_http_options::allow_private_addresses lifts the check (tests, local development),
// which is also the only way the loopback http:// URLs above are reachable.
//
// Error policy (hw::error, details safe to show and log; never a token, code or secret):
//   unavailable      the provider is unreachable, times out, answers 5xx or sends a malformed
//                    document (retry later); also "sso: the identity provider's address is not
//                    allowed (private network)" when every address of the host is refused
//   invalid_argument the configuration is wrong: issuer not an allowed URL, discovery names another
//                    issuer, an endpoint is not an allowed URL, the token endpoint or the JWKS is
//                    on another origin than the issuer, S256 not supported
//   unauthorized     the code was refused by the token endpoint, or the ID token is invalid
//                    ("id_token: ..." from jwt.hpp, oidc_claims.hpp and this file)
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "actors/auth/jwt.hpp"
#include "actors/domain/oidc_claims.hpp"
#include "actors/domain/result.hpp"

struct sockaddr;

namespace hw::auth {

struct oidc_http_options {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};  // whole request
  std::size_t max_response_bytes = 256 * 1024;
  std::string ca_file;  // empty: the system trust store
  /// Lets requests connect to non-public addresses (see is_private_address). Only for tests and
  /// local development against a provider on loopback or on a private network: with it, any org
  /// owner can make the server send requests into that network.
  bool allow_private_addresses = false;
};

/// True when `sa` (of `len` bytes) is not a public unicast address, i.e. one an OIDC request must
/// not connect to. IPv4: 0.0.0.0/8, 10/8, 100.64/10 (CGNAT), 127/8, 169.254/16, 172.16/12,
/// 192.0.0/24, 192.168/16, 198.18/15, 224/4 (multicast), 240/4 (reserved, broadcast). IPv6: ::,
/// ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 64:ff9b:1::/48, and the forms embedding an IPv4
/// address, judged by that address: IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96,
/// NAT64 64:ff9b::/96 and 6to4 2002::/16 (the deprecated IPv4-compatible ::/96 is refused whole). Any other family, or a short `len`, counts as private.
bool is_private_address(const sockaddr* sa, std::size_t len) noexcept;

/// The same for an IP literal ("10.1.2.3", "::ffff:127.0.0.1"; no brackets, no zone). A string that
/// is not an IPv4 dotted quad or an IPv6 address counts as private.
bool is_private_address(std::string_view ip) noexcept;

/// The endpoints of a provider, from its discovery document.
struct oidc_discovery {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
};

/// A fresh PKCE pair: a 43-character random verifier and its S256 challenge.
struct pkce_pair {
  std::string verifier;
  std::string challenge;
};
pkce_pair new_pkce();

/// True for https://host[...] and for http:// on 127.0.0.1, localhost or [::1] (any port). No
/// user info, no fragment, no whitespace or control characters.
bool is_allowed_oidc_url(std::string_view url) noexcept;

/// True when both are allowed URLs (is_allowed_oidc_url) with the same origin: scheme, host
/// (ASCII case-insensitive) and port (the scheme's default when absent).
bool same_oidc_origin(std::string_view a, std::string_view b) noexcept;

/// RFC 3986 percent-encoding of everything but the unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string url_encode(std::string_view s);

/// GET {issuer}/.well-known/openid-configuration. The document's "issuer" must equal `issuer`
/// exactly; the three endpoints must be allowed URLs; token_endpoint and jwks_uri must be on the
/// issuer's origin (same_oidc_origin; invalid_argument "sso: the provider's token_endpoint/jwks_uri
/// must be on the issuer's host"), authorization_endpoint (only ever used as the browser's redirect
/// target) may be elsewhere; when code_challenge_methods_supported is listed it must contain S256.
hw::result<oidc_discovery> discover(const std::string& issuer, const oidc_http_options& opt = {});

/// The authorization request URL: authorization_endpoint + response_type=code, client_id,
/// redirect_uri, scope, state, nonce, code_challenge, code_challenge_method=S256, each
/// percent-encoded.
std::string authorize_url(const oidc_discovery& d, std::string_view client_id, std::string_view redirect_uri,
                          std::string_view state, std::string_view nonce, std::string_view code_challenge,
                          std::string_view scope = "openid email profile");

/// POSTs the authorization code to the token endpoint (grant_type=authorization_code, code,
/// redirect_uri, code_verifier) authenticated with client_secret_basic (HTTP Basic over the
/// form-encoded client id and secret, RFC 6749 §2.3.1) and returns the "id_token" of the answer.
/// unauthorized "sso: the identity provider refused the code (<error>)" on a 4xx.
hw::result<std::string> exchange_code(const oidc_discovery& d, std::string_view client_id,
                                      std::string_view client_secret, std::string_view code,
                                      std::string_view redirect_uri, std::string_view code_verifier,
                                      const oidc_http_options& opt = {});

struct jwks_cache_options {
  std::chrono::seconds ttl{3600};
  std::chrono::seconds min_refetch_interval{30};
  oidc_http_options http{};
};

/// Signing keys per issuer. Thread-safe: one mutex per issuer, held during that issuer's fetch, so
/// concurrent logins wait for one fetch instead of starting several.
///  - The first key_for() of an issuer fetches its JWKS; the keys are then used for `ttl`.
///  - A kid not in the cached set (the provider rotated its key) refetches at once, but at most
///    one fetch per `min_refetch_interval` per issuer, so tokens with made-up kids cannot make us
///    hammer the provider. The same limit applies to retries after a failed fetch.
///  - When a refetch fails, the previous keys stay in use.
class jwks_cache {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using now_fn = std::function<time_point()>;
  /// Returns the JWKS document at the URL (or an error). The default uses libcurl with `http`
  /// (so with its allow_private_addresses).
  using fetch_fn = std::function<hw::result<std::string>(const std::string& jwks_uri)>;

  using options = jwks_cache_options;

  /// `now` defaults to steady_clock::now; tests inject a manual clock. `fetch` defaults to an HTTP
  /// GET with opt.http.
  explicit jwks_cache(options opt = {}, now_fn now = nullptr, fetch_fn fetch = nullptr);

  /// The key for `kid` (see select_key) of `issuer`, whose JWKS lives at `jwks_uri`.
  /// unauthorized "id_token: unknown signing key" when the (possibly refetched) set has no such
  /// key; unavailable when no set could be fetched yet (retry_after_s set when rate-limited).
  hw::result<std::shared_ptr<const rsa_public_key>> key_for(const std::string& issuer, const std::string& jwks_uri,
                                                             const std::optional<std::string>& kid);

  /// Fetch attempts made for `issuer` so far (for tests and metrics).
  std::int64_t fetches(const std::string& issuer) const;

  /// Drops the cached keys of `issuer` (e.g. after its SSO settings change).
  void forget(const std::string& issuer);

 private:
  struct entry;
  std::shared_ptr<entry> entry_for(const std::string& issuer);

  options opt_;
  now_fn now_;
  fetch_fn fetch_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<entry>> entries_;
};

/// Reads the claims of an ID token payload (JSON) into the pure struct. Wrong-typed claims count as
/// absent (and then fail validation); aud may be a string or an array of strings. unauthorized
/// "id_token: malformed payload" when it is not a JSON object.
hw::result<domain::id_token_claims> decode_id_token_claims(std::string_view payload_json);

/// The whole ID token check: parse_jws (RS256 only) -> key from `keys` for d.issuer / d.jwks_uri ->
/// signature -> claims (domain::validate_id_token_claims with `expect`, whose issuer should be
/// d.issuer). Blocking when the key set must be fetched.
hw::result<domain::verified_identity> verify_id_token(std::string_view id_token, const oidc_discovery& d,
                                                      jwks_cache& keys, const domain::id_token_expectation& expect);

}  // namespace hw::auth
