#pragma once
// A real OpenID provider on 127.0.0.1, port 0, for hermetic tests of actors/auth/oidc_client
// (Boost.Beast on its own thread; one connection at a time is plenty for tests, each answered
// and closed). It implements the authorization code flow the way a real provider does:
//   GET  /.well-known/openid-configuration   issuer, endpoints, S256, RS256
//   GET  /authorize   checks client_id, redirect_uri (exact), response_type=code, scope has openid,
//                     code_challenge_method=S256 and a code_challenge, then 302 to
//                     redirect_uri?code=...&state=... for the configured user
//   POST /token       client_secret_basic (or _post), grant_type=authorization_code, the code
//                     (single use, bound to client and redirect_uri), the PKCE verifier against the
//                     challenge; answers an RS256 id_token with the current kid and the nonce sent
//                     to /authorize
//   GET  /jwks        the current key and, after rotate_key(true), the previous one
// Knobs let a test break one thing at a time (see fake_oidc_provider's setters). Time is not read
// from the wall clock: iat/exp derive from set_now() (default 1'700'000'000).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace hw::testing {

/// An RSA-2048 key pair with a kid. Keys come from a process-wide pool generated on first use
/// (keygen costs ~0.1 s each), so `index` picks the same key material every time.
class test_rsa_key {
 public:
  test_rsa_key(std::size_t index, std::string kid);
  const std::string& kid() const noexcept { return kid_; }
  std::string n_b64url() const;
  std::string e_b64url() const;
  /// {"kty":"RSA","use":"sig","alg":"RS256","kid":...,"n":...,"e":...}
  std::string jwk_json() const;
  /// RSASSA-PKCS1-v1_5 SHA-256 signature, raw bytes.
  std::string sign_rs256(std::string_view data) const;
  /// base64url(header).base64url(payload).base64url(RS256 signature over the first two).
  std::string sign_jwt(std::string_view header_json, std::string_view payload_json) const;

 private:
  std::shared_ptr<void> pkey_;  // EVP_PKEY
  std::string kid_;
};

/// base64url(header).base64url(payload).base64url(signature): any signature, for forgeries.
std::string make_compact_jws(std::string_view header_json, std::string_view payload_json, std::string_view signature);

struct fake_oidc_user {
  std::string sub = "user-248289761001";
  std::string email = "ann@acme.test";
  std::string name = "Ann Example";
  std::optional<bool> email_verified = true;  // nullopt: the claim is left out
};

struct fake_oidc_options {
  std::string client_id = "hirewire-test";
  std::string client_secret = "s3cret:with&odd=chars";
  std::vector<std::string> redirect_uris{"http://127.0.0.1:1/api/v1/sso/callback"};
  fake_oidc_user user{};
  std::int64_t now = 1'700'000'000;  // iat; exp = now + 300
};

/// What the ID token says, when a test wants it to lie. Unset fields keep the honest value.
struct fake_oidc_claim_overrides {
  std::optional<std::string> iss;
  std::optional<std::vector<std::string>> aud;  // sent as an array when it has more than one value
  std::optional<std::string> azp;
  std::optional<std::int64_t> exp;
  std::optional<std::int64_t> iat;
  std::optional<std::string> nonce;
  std::optional<std::string> alg;  // header alg (the signature is still RS256)
};

class fake_oidc_provider {
 public:
  /// How /token signs the id_token.
  enum class signing {
    current,                  // the current key, its kid: valid
    unpublished_same_kid,     // a key not in the JWKS under the current kid: a forged signature
    unpublished_new_kid,      // a key not in the JWKS under a kid the JWKS does not have
  };

  explicit fake_oidc_provider(fake_oidc_options opt = {});
  ~fake_oidc_provider();  // stops the server and joins its thread
  fake_oidc_provider(const fake_oidc_provider&) = delete;
  fake_oidc_provider& operator=(const fake_oidc_provider&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  /// "http://127.0.0.1:<port>"
  std::string issuer() const;
  const fake_oidc_options& options() const noexcept { return opt_; }

  // ---- knobs (thread-safe) ----
  void set_user(fake_oidc_user u);
  void set_now(std::int64_t unix_seconds);
  void set_overrides(fake_oidc_claim_overrides o);
  void set_signing(signing s);
  /// A new current key with a new kid. keep_previous: the JWKS still lists the old key.
  void rotate_key(bool keep_previous = true);
  /// The "issuer" the discovery document claims (default: issuer()).
  void set_discovery_issuer(std::string iss);
  /// Replaces a string member of the discovery document ("token_endpoint", "jwks_uri",
  /// "authorization_endpoint", ...), e.g. to point an endpoint at another host.
  void set_discovery_field(std::string name, std::string value);
  std::string current_kid() const;
  /// The current signing key (for minting tokens directly in tests).
  test_rsa_key current_key() const;
  /// An id_token as /token would issue it for `nonce`, with the knobs applied.
  std::string mint_id_token(const std::string& nonce) const;

  /// Requests received per path ("/jwks", "/token", "/authorize", "/.well-known/openid-configuration").
  int requests(const std::string& path) const;

  /// Plays the browser: GETs `url` (an authorize URL on this provider) without following the
  /// redirect. status 302 + location on success; otherwise status and body (the error).
  struct browse_result {
    long status = 0;
    std::string location;
    std::string body;
  };
  browse_result browse(const std::string& url) const;

  /// The value of query parameter `name` in `url` (percent-decoded), or nothing.
  static std::optional<std::string> query_param(const std::string& url, const std::string& name);

 private:
  struct impl;
  struct response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  response handle(const std::string& method, const std::string& target, const std::string& authorization,
                  const std::string& body);
  response on_authorize(const std::map<std::string, std::string>& q);
  response on_token(const std::string& authorization, const std::string& body);
  std::string id_token_locked(const std::string& nonce) const;
  std::string jwks_locked() const;

  fake_oidc_options opt_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, int> requests_;
  std::size_t next_key_index_ = 0;
  std::vector<test_rsa_key> published_;  // back() is current
  std::unique_ptr<test_rsa_key> unpublished_;
  signing signing_ = signing::current;
  fake_oidc_claim_overrides overrides_;
  std::optional<std::string> discovery_issuer_;
  std::map<std::string, std::string> discovery_fields_;
  struct pending_code {
    std::string client_id;
    std::string redirect_uri;
    std::string nonce;
    std::string challenge;
    bool used = false;
  };
  std::map<std::string, pending_code> codes_;
  std::unique_ptr<impl> impl_;
};

}  // namespace hw::testing
