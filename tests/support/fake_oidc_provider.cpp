#include "tests/support/fake_oidc_provider.hpp"

#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "actors/auth/oidc_client.hpp"
#include "actors/auth/tokens.hpp"
#include "tests/support/fake_http_util.hpp"

namespace hw::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;

namespace {

// ---- keys ----------------------------------------------------------------------------------

std::shared_ptr<void> pooled_key(std::size_t index) {
  static std::mutex mu;
  static std::map<std::size_t, std::shared_ptr<void>> pool;
  std::lock_guard<std::mutex> g{mu};
  auto& slot = pool[index];
  if (!slot) {
    EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
    if (!k) throw std::runtime_error("RSA key generation failed");
    slot.reset(k, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
  }
  return slot;
}

std::string bn_param_b64url(void* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(static_cast<EVP_PKEY*>(pkey), name, &bn) != 1) throw std::runtime_error("RSA param");
  std::string raw(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(raw.data()));
  BN_free(bn);
  return auth::base64url_encode(raw);
}

using fake_http::get;
using fake_http::parse_query;
using fake_http::url_decode;

}  // namespace

test_rsa_key::test_rsa_key(std::size_t index, std::string kid) : pkey_(pooled_key(index)), kid_(std::move(kid)) {}

std::string test_rsa_key::n_b64url() const { return bn_param_b64url(pkey_.get(), OSSL_PKEY_PARAM_RSA_N); }
std::string test_rsa_key::e_b64url() const { return bn_param_b64url(pkey_.get(), OSSL_PKEY_PARAM_RSA_E); }

std::string test_rsa_key::jwk_json() const {
  return json{{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", kid_}, {"n", n_b64url()}, {"e", e_b64url()}}
    .dump();
}

std::string test_rsa_key::sign_rs256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> md{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY*>(pkey_.get())) != 1)
    throw std::runtime_error("EVP_DigestSignInit");
  std::size_t len = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  if (EVP_DigestSign(md.get(), nullptr, &len, p, data.size()) != 1) throw std::runtime_error("EVP_DigestSign");
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, p, data.size()) != 1)
    throw std::runtime_error("EVP_DigestSign");
  sig.resize(len);
  return sig;
}

std::string test_rsa_key::sign_jwt(std::string_view header_json, std::string_view payload_json) const {
  const std::string input = auth::base64url_encode(header_json) + "." + auth::base64url_encode(payload_json);
  return input + "." + auth::base64url_encode(sign_rs256(input));
}

std::string make_compact_jws(std::string_view header_json, std::string_view payload_json, std::string_view signature) {
  return auth::base64url_encode(header_json) + "." + auth::base64url_encode(payload_json) + "." +
         auth::base64url_encode(signature);
}

// ---- server --------------------------------------------------------------------------------

struct fake_oidc_provider::impl {
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  fake_oidc_provider* owner = nullptr;

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed: shutting down
      serve(std::move(socket));
      do_accept();
    });
  }

  // One request per connection (Connection: close), read and answered asynchronously with a
  // deadline, so a stuck client cannot wedge the destructor.
  void serve(tcp::socket socket) {
    struct session : std::enable_shared_from_this<session> {
      beast::tcp_stream stream;
      beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> req;
      bhttp::response<bhttp::string_body> res;
      explicit session(tcp::socket s) : stream(std::move(s)) {}
    };
    auto s = std::make_shared<session>(std::move(socket));
    s->stream.expires_after(std::chrono::seconds(10));
    bhttp::async_read(s->stream, s->buffer, s->req, [this, s](beast::error_code ec, std::size_t) {
      if (ec) return;
      const auto r = owner->handle(std::string{s->req.method_string()}, std::string{s->req.target()},
                                   std::string{s->req[bhttp::field::authorization]}, s->req.body());
      s->res.version(11);
      s->res.result(r.status);
      s->res.set(bhttp::field::content_type, r.content_type);
      s->res.set(bhttp::field::cache_control, "no-store");
      for (const auto& [k, v] : r.headers) s->res.set(k, v);
      s->res.keep_alive(false);
      s->res.body() = r.body;
      s->res.prepare_payload();
      bhttp::async_write(s->stream, s->res, [s](beast::error_code, std::size_t) {
        beast::error_code ignored;
        s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      });
    });
  }
};

fake_oidc_provider::fake_oidc_provider(fake_oidc_options opt) : opt_(std::move(opt)), impl_(std::make_unique<impl>()) {
  published_.emplace_back(next_key_index_++, "key-1");
  unpublished_ = std::make_unique<test_rsa_key>(100, "unpublished");
  impl_->owner = this;
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_oidc_provider::~fake_oidc_provider() {
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string fake_oidc_provider::issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }

void fake_oidc_provider::set_user(fake_oidc_user u) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.user = std::move(u);
}

void fake_oidc_provider::set_now(std::int64_t unix_seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.now = unix_seconds;
}

void fake_oidc_provider::set_overrides(fake_oidc_claim_overrides o) {
  std::lock_guard<std::mutex> g{mu_};
  overrides_ = std::move(o);
}

void fake_oidc_provider::set_signing(signing s) {
  std::lock_guard<std::mutex> g{mu_};
  signing_ = s;
}

void fake_oidc_provider::rotate_key(bool keep_previous) {
  std::lock_guard<std::mutex> g{mu_};
  const std::size_t index = next_key_index_++;
  test_rsa_key next{index, "key-" + std::to_string(index + 1)};
  if (!keep_previous) published_.clear();
  published_.push_back(std::move(next));
}

void fake_oidc_provider::set_discovery_issuer(std::string iss) {
  std::lock_guard<std::mutex> g{mu_};
  discovery_issuer_ = std::move(iss);
}

void fake_oidc_provider::set_discovery_field(std::string name, std::string value) {
  std::lock_guard<std::mutex> g{mu_};
  discovery_fields_[std::move(name)] = std::move(value);
}

std::string fake_oidc_provider::current_kid() const {
  std::lock_guard<std::mutex> g{mu_};
  return published_.back().kid();
}

test_rsa_key fake_oidc_provider::current_key() const {
  std::lock_guard<std::mutex> g{mu_};
  return published_.back();
}

std::string fake_oidc_provider::mint_id_token(const std::string& nonce) const {
  std::lock_guard<std::mutex> g{mu_};
  return id_token_locked(nonce);
}

int fake_oidc_provider::requests(const std::string& path) const {
  std::lock_guard<std::mutex> g{mu_};
  auto it = requests_.find(path);
  return it == requests_.end() ? 0 : it->second;
}

std::string fake_oidc_provider::jwks_locked() const {
  json keys = json::array();
  for (const auto& k : published_) keys.push_back(json::parse(k.jwk_json()));
  return json{{"keys", keys}}.dump();
}

std::string fake_oidc_provider::id_token_locked(const std::string& nonce) const {
  const auto& o = overrides_;
  json payload{{"iss", o.iss.value_or(issuer())},
               {"sub", opt_.user.sub},
               {"iat", o.iat.value_or(opt_.now)},
               {"exp", o.exp.value_or(opt_.now + 300)},
               {"nonce", o.nonce.value_or(nonce)},
               {"email", opt_.user.email},
               {"name", opt_.user.name}};
  if (o.aud && o.aud->size() == 1) payload["aud"] = o.aud->front();
  else if (o.aud) payload["aud"] = *o.aud;
  else payload["aud"] = opt_.client_id;
  if (o.azp) payload["azp"] = *o.azp;
  if (opt_.user.email_verified) payload["email_verified"] = *opt_.user.email_verified;

  std::string kid = published_.back().kid();
  const test_rsa_key* key = &published_.back();
  if (signing_ == signing::unpublished_same_kid) key = unpublished_.get();
  if (signing_ == signing::unpublished_new_kid) {
    key = unpublished_.get();
    kid = "not-in-jwks";
  }
  json header{{"alg", o.alg.value_or("RS256")}, {"typ", "JWT"}, {"kid", kid}};
  return key->sign_jwt(header.dump(), payload.dump());
}

fake_oidc_provider::response fake_oidc_provider::handle(const std::string& method, const std::string& target,
                                                        const std::string& authorization, const std::string& body) {
  const auto qpos = target.find('?');
  const std::string path = target.substr(0, qpos);
  {
    std::lock_guard<std::mutex> g{mu_};
    ++requests_[path];
  }
  if (path == "/.well-known/openid-configuration" && method == "GET") {
    std::lock_guard<std::mutex> g{mu_};
    const auto iss = issuer();
    json doc{{"issuer", discovery_issuer_.value_or(iss)},
             {"authorization_endpoint", iss + "/authorize"},
             {"token_endpoint", iss + "/token"},
             {"jwks_uri", iss + "/jwks"},
             {"response_types_supported", {"code"}},
             {"subject_types_supported", {"public"}},
             {"id_token_signing_alg_values_supported", {"RS256"}},
             {"code_challenge_methods_supported", {"S256"}},
             {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post"}},
             {"scopes_supported", {"openid", "email", "profile"}}};
    for (const auto& [name, value] : discovery_fields_) doc[name] = value;
    return {200, "application/json", doc.dump(), {}};
  }
  if (path == "/jwks" && method == "GET") {
    std::lock_guard<std::mutex> g{mu_};
    return {200, "application/json", jwks_locked(), {}};
  }
  if (path == "/authorize" && method == "GET") {
    return on_authorize(parse_query(qpos == std::string::npos ? std::string_view{} : std::string_view{target}.substr(qpos + 1)));
  }
  if (path == "/token" && method == "POST") return on_token(authorization, body);
  return {404, "text/plain", "not found", {}};
}

fake_oidc_provider::response fake_oidc_provider::on_authorize(const std::map<std::string, std::string>& q) {
  std::lock_guard<std::mutex> g{mu_};
  // Like a real provider: a bad client or redirect_uri is shown to the user, never redirected.
  if (get(q, "client_id") != opt_.client_id) return {400, "text/plain", "unknown client_id", {}};
  const auto redirect = get(q, "redirect_uri");
  if (std::find(opt_.redirect_uris.begin(), opt_.redirect_uris.end(), redirect) == opt_.redirect_uris.end())
    return {400, "text/plain", "redirect_uri not registered", {}};
  if (get(q, "response_type") != "code") return {400, "text/plain", "response_type must be code", {}};
  if (get(q, "code_challenge_method") != "S256" || get(q, "code_challenge").size() != 43)
    return {400, "text/plain", "PKCE S256 required", {}};
  const auto scope = " " + get(q, "scope") + " ";
  if (scope.find(" openid ") == std::string::npos) return {400, "text/plain", "scope must include openid", {}};
  const auto code = auth::random_secret();
  codes_[code] = pending_code{opt_.client_id, redirect, get(q, "nonce"), get(q, "code_challenge"), false};
  std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&") +
                         "code=" + auth::url_encode(code) + "&state=" + auth::url_encode(get(q, "state"));
  return {302, "text/plain", "", {{"Location", location}}};
}

fake_oidc_provider::response fake_oidc_provider::on_token(const std::string& authorization, const std::string& body) {
  const auto oauth_error = [](unsigned status, const char* err) {
    return response{status, "application/json", json{{"error", err}}.dump(), {}};
  };
  const auto form = parse_query(body);
  std::lock_guard<std::mutex> g{mu_};
  // Client authentication: client_secret_basic (form-encoded id:secret), or client_secret_post.
  std::string id, secret;
  if (authorization.rfind("Basic ", 0) == 0) {
    std::string b64 = authorization.substr(6);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    for (auto& ch : b64) {
      if (ch == '+') ch = '-';
      else if (ch == '/') ch = '_';
    }
    auto raw = auth::base64url_decode(b64);
    if (!raw) return oauth_error(401, "invalid_client");
    const auto colon = raw->find(':');
    if (colon == std::string::npos) return oauth_error(401, "invalid_client");
    id = url_decode(raw->substr(0, colon));
    secret = url_decode(raw->substr(colon + 1));
  } else {
    id = get(form, "client_id");
    secret = get(form, "client_secret");
  }
  if (id != opt_.client_id || secret != opt_.client_secret) return oauth_error(401, "invalid_client");
  if (get(form, "grant_type") != "authorization_code") return oauth_error(400, "unsupported_grant_type");
  auto it = codes_.find(get(form, "code"));
  if (it == codes_.end() || it->second.used) return oauth_error(400, "invalid_grant");
  it->second.used = true;  // single use, even when the rest of the request is wrong
  if (it->second.client_id != id || it->second.redirect_uri != get(form, "redirect_uri"))
    return oauth_error(400, "invalid_grant");
  if (auth::pkce_challenge_s256(get(form, "code_verifier")) != it->second.challenge)
    return oauth_error(400, "invalid_grant");
  json answer{{"access_token", auth::random_secret()},
              {"token_type", "Bearer"},
              {"expires_in", 300},
              {"id_token", id_token_locked(it->second.nonce)}};
  return {200, "application/json", answer.dump(), {}};
}

// ---- the browser ----------------------------------------------------------------------------

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

fake_oidc_provider::browse_result fake_oidc_provider::browse(const std::string& url) const {
  browse_result out;
  CURL* h = curl_easy_init();
  if (!h) return out;
  std::string headers;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &headers);
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_easy_cleanup(h);
  std::size_t pos = 0;
  while (pos < headers.size()) {
    auto eol = headers.find("\r\n", pos);
    if (eol == std::string::npos) eol = headers.size();
    const auto line = headers.substr(pos, eol - pos);
    if (line.size() > 9 && (line.rfind("Location:", 0) == 0 || line.rfind("location:", 0) == 0)) {
      out.location = line.substr(9);
      while (!out.location.empty() && out.location.front() == ' ') out.location.erase(0, 1);
    }
    pos = eol + 2;
  }
  return out;
}

std::optional<std::string> fake_oidc_provider::query_param(const std::string& url, const std::string& name) {
  const auto q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  const auto params = parse_query(std::string_view{url}.substr(q + 1));
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return it->second;
}

}  // namespace hw::testing
