#include "actors/auth/oidc_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/auth/tokens.hpp"

namespace hw::auth {

namespace {

struct http_response {
  long status = 0;
  std::string body;
};

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct write_state {
  std::string* out;
  std::size_t limit;
  bool too_large = false;
};

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* st = static_cast<write_state*>(user);
  const std::size_t len = size * n;
  if (st->out->size() + len > st->limit) {
    st->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  st->out->append(data, len);
  return len;
}

struct easy_deleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

/// One blocking request. `form` set -> POST application/x-www-form-urlencoded. Transport failures
/// are unavailable with a detail naming `what` (never the URL's query or the body).
hw::result<http_response> http_call(std::string_view what, const std::string& url,
                                    const std::vector<std::string>& headers, const std::optional<std::string>& form,
                                    const oidc_http_options& opt) {
  if (!is_allowed_oidc_url(url)) return {errc::invalid_argument, std::string{what} + ": URL must be https"};
  ensure_curl();
  std::unique_ptr<CURL, easy_deleter> h{curl_easy_init()};
  if (!h) return {errc::unavailable, std::string{what} + ": cannot create an HTTP client"};
  http_response resp;
  write_state ws{&resp.body, opt.max_response_bytes};
  std::unique_ptr<curl_slist, slist_deleter> hdrs;
  curl_slist* list = curl_slist_append(nullptr, "Accept: application/json");
  for (const auto& x : headers) list = curl_slist_append(list, x.c_str());
  hdrs.reset(list);
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer we refuse, not follow
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opt.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!opt.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, opt.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ws);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "hirewire-oidc/1");
  if (form) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (ws.too_large) return {errc::unavailable, std::string{what} + ": response too large"};
  if (rc == CURLE_OPERATION_TIMEDOUT) return {errc::unavailable, std::string{what} + ": identity provider timed out"};
  if (rc != CURLE_OK) return {errc::unavailable, std::string{what} + ": identity provider unreachable"};
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

hw::result<nlohmann::json> json_object(std::string_view what, const http_response& r) {
  auto doc = nlohmann::json::parse(r.body, nullptr, false);
  if (!doc.is_object()) return {errc::unavailable, std::string{what} + ": malformed JSON"};
  return doc;
}

std::optional<std::string> string_field(const nlohmann::json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::string base64_std(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

/// The OAuth "error" code of a token endpoint answer, only when it is a plain token (it is
/// provider-controlled text that ends up in our error detail).
std::string oauth_error_code(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return "unknown";
  auto e = string_field(doc, "error");
  if (!e || e->empty() || e->size() > 40) return "unknown";
  const bool plain = std::all_of(e->begin(), e->end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; });
  return plain ? *e : "unknown";
}

}  // namespace

pkce_pair new_pkce() {
  pkce_pair p;
  p.verifier = random_secret();
  p.challenge = pkce_challenge_s256(p.verifier);
  return p;
}

bool is_allowed_oidc_url(std::string_view url) noexcept {
  for (char ch : url) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u == 0x7F || ch == '#' || ch == '\\') return false;
  }
  std::string_view rest;
  bool https = false;
  if (url.substr(0, 8) == "https://") {
    https = true;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port = after.substr(1);
    }
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return false;
  if (!port.empty() || authority.back() == ':') {
    if (port.empty() || port.size() > 5) return false;
    if (!std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return false;
  }
  if (https) return true;
  std::string lower_host(host);
  std::transform(lower_host.begin(), lower_host.end(), lower_host.begin(),
                 [](char ch) { return static_cast<char>(std::tolower(static_cast<unsigned char>(ch))); });
  return lower_host == "127.0.0.1" || lower_host == "localhost" || lower_host == "[::1]";
}

std::string url_encode(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
        ch == '_' || ch == '~') {
      out += ch;
    } else {
      out += '%';
      out += digits[u >> 4];
      out += digits[u & 15];
    }
  }
  return out;
}

hw::result<oidc_discovery> discover(const std::string& issuer, const oidc_http_options& opt) {
  if (!is_allowed_oidc_url(issuer) || issuer.find('?') != std::string::npos)
    return {errc::invalid_argument, "sso: issuer must be an https URL"};
  std::string url = issuer;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += "/.well-known/openid-configuration";
  auto r = http_call("sso discovery", url, {}, std::nullopt, opt);
  if (!r) return std::move(r).error();
  if (r->status != 200) return {errc::unavailable, "sso discovery: HTTP " + std::to_string(r->status)};
  auto doc = json_object("sso discovery", *r);
  if (!doc) return std::move(doc).error();
  oidc_discovery d;
  auto iss = string_field(*doc, "issuer");
  if (!iss || *iss != issuer)
    return {errc::invalid_argument, "sso discovery: the document names another issuer"};
  d.issuer = *iss;
  auto authz = string_field(*doc, "authorization_endpoint");
  auto token = string_field(*doc, "token_endpoint");
  auto jwks = string_field(*doc, "jwks_uri");
  if (!authz || !token || !jwks) return {errc::unavailable, "sso discovery: endpoints missing"};
  if (!is_allowed_oidc_url(*authz) || !is_allowed_oidc_url(*token) || !is_allowed_oidc_url(*jwks))
    return {errc::invalid_argument, "sso discovery: endpoints must be https URLs"};
  if (const auto m = doc->find("code_challenge_methods_supported"); m != doc->end() && m->is_array()) {
    const bool s256 = std::any_of(m->begin(), m->end(), [](const nlohmann::json& v) { return v == "S256"; });
    if (!s256) return {errc::invalid_argument, "sso discovery: the provider does not support PKCE S256"};
  }
  d.authorization_endpoint = std::move(*authz);
  d.token_endpoint = std::move(*token);
  d.jwks_uri = std::move(*jwks);
  return d;
}

std::string authorize_url(const oidc_discovery& d, std::string_view client_id, std::string_view redirect_uri,
                          std::string_view state, std::string_view nonce, std::string_view code_challenge,
                          std::string_view scope) {
  std::string url = d.authorization_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code";
  url += "&client_id=" + url_encode(client_id);
  url += "&redirect_uri=" + url_encode(redirect_uri);
  url += "&scope=" + url_encode(scope);
  url += "&state=" + url_encode(state);
  url += "&nonce=" + url_encode(nonce);
  url += "&code_challenge=" + url_encode(code_challenge);
  url += "&code_challenge_method=S256";
  return url;
}

hw::result<std::string> exchange_code(const oidc_discovery& d, std::string_view client_id,
                                      std::string_view client_secret, std::string_view code,
                                      std::string_view redirect_uri, std::string_view code_verifier,
                                      const oidc_http_options& opt) {
  if (code.empty() || code.size() > 2048) return {errc::unauthorized, "sso: missing or malformed code"};
  std::string form = "grant_type=authorization_code";
  form += "&code=" + url_encode(code);
  form += "&redirect_uri=" + url_encode(redirect_uri);
  form += "&code_verifier=" + url_encode(code_verifier);
  // RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined and encoded.
  std::string credentials = url_encode(client_id) + ":" + url_encode(client_secret);
  std::vector<std::string> headers{"Authorization: Basic " + base64_std(credentials),
                                   "Content-Type: application/x-www-form-urlencoded"};
  std::fill(credentials.begin(), credentials.end(), '\0');
  auto r = http_call("sso token", d.token_endpoint, headers, form, opt);
  std::fill(headers.front().begin(), headers.front().end(), '\0');
  if (!r) return std::move(r).error();
  if (r->status >= 400 && r->status < 500)
    return {errc::unauthorized, "sso: the identity provider refused the code (" + oauth_error_code(r->body) + ")"};
  if (r->status != 200) return {errc::unavailable, "sso token: HTTP " + std::to_string(r->status)};
  auto doc = json_object("sso token", *r);
  if (!doc) return std::move(doc).error();
  auto id_token = string_field(*doc, "id_token");
  if (!id_token || id_token->empty()) return {errc::unavailable, "sso token: no id_token in the answer"};
  return std::move(*id_token);
}

// ---- jwks_cache ------------------------------------------------------------------------------

struct jwks_cache::entry {
  std::mutex mu;
  std::string jwks_uri;
  std::vector<jwk_entry> keys;
  time_point fetched_at{};
  std::optional<time_point> last_attempt;
  std::int64_t fetches = 0;
};

jwks_cache::jwks_cache(options opt, now_fn now, fetch_fn fetch)
    : opt_(std::move(opt)), now_(std::move(now)), fetch_(std::move(fetch)) {
  if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
  if (!fetch_) {
    fetch_ = [http = opt_.http](const std::string& uri) -> hw::result<std::string> {
      auto r = http_call("jwks", uri, {}, std::nullopt, http);
      if (!r) return std::move(r).error();
      if (r->status != 200) return {errc::unavailable, "jwks: HTTP " + std::to_string(r->status)};
      return std::move(r->body);
    };
  }
}

std::shared_ptr<jwks_cache::entry> jwks_cache::entry_for(const std::string& issuer) {
  std::lock_guard<std::mutex> g{mu_};
  auto& e = entries_[issuer];
  if (!e) e = std::make_shared<entry>();
  return e;
}

hw::result<std::shared_ptr<const rsa_public_key>> jwks_cache::key_for(const std::string& issuer,
                                                                       const std::string& jwks_uri,
                                                                       const std::optional<std::string>& kid) {
  auto e = entry_for(issuer);
  std::lock_guard<std::mutex> g{e->mu};
  const auto now = now_();
  const bool have = !e->keys.empty() && e->jwks_uri == jwks_uri;
  if (have && now - e->fetched_at < opt_.ttl) {
    if (auto k = select_key(e->keys, kid)) return k;
  }
  // Missing, stale or an unknown kid: refetch, but not more often than min_refetch_interval
  // (a changed jwks_uri is a configuration change and may fetch at once).
  std::optional<hw::error> fetch_error;
  const bool uri_changed = !e->jwks_uri.empty() && e->jwks_uri != jwks_uri;
  if (!e->last_attempt || uri_changed || now - *e->last_attempt >= opt_.min_refetch_interval) {
    e->last_attempt = now;
    ++e->fetches;
    auto body = fetch_(jwks_uri);
    if (body) {
      auto keys = parse_jwks(*body);
      if (keys) {
        e->keys = std::move(*keys);
        e->jwks_uri = jwks_uri;
        e->fetched_at = now;
      } else {
        fetch_error = std::move(keys).error();
      }
    } else {
      fetch_error = std::move(body).error();
    }
  }
  if (!e->keys.empty() && e->jwks_uri == jwks_uri) {
    // Possibly stale keys after a failed refetch: still the provider's keys, better than none.
    if (auto k = select_key(e->keys, kid)) return k;
    return hw::error{errc::unauthorized, "id_token: unknown signing key"};
  }
  if (fetch_error) return std::move(*fetch_error);
  hw::error err{errc::unavailable, "jwks: not available yet, retry later"};
  const auto wait = opt_.min_refetch_interval - std::chrono::duration_cast<std::chrono::seconds>(now - *e->last_attempt);
  err.retry_after_s = static_cast<std::int32_t>(std::max<std::int64_t>(1, wait.count()));
  return err;
}

std::int64_t jwks_cache::fetches(const std::string& issuer) const {
  std::shared_ptr<entry> e;
  {
    std::lock_guard<std::mutex> g{mu_};
    auto it = entries_.find(issuer);
    if (it == entries_.end()) return 0;
    e = it->second;
  }
  std::lock_guard<std::mutex> g{e->mu};
  return e->fetches;
}

void jwks_cache::forget(const std::string& issuer) {
  std::lock_guard<std::mutex> g{mu_};
  entries_.erase(issuer);
}

// ---- ID token ----------------------------------------------------------------------------------

hw::result<domain::id_token_claims> decode_id_token_claims(std::string_view payload_json) {
  auto j = nlohmann::json::parse(payload_json, nullptr, false);
  if (!j.is_object()) return {errc::unauthorized, "id_token: malformed payload"};
  domain::id_token_claims c;
  c.iss = string_field(j, "iss");
  c.azp = string_field(j, "azp");
  c.nonce = string_field(j, "nonce");
  c.sub = string_field(j, "sub");
  c.email = string_field(j, "email");
  c.name = string_field(j, "name");
  if (const auto aud = j.find("aud"); aud != j.end()) {
    if (aud->is_string()) {
      c.aud.push_back(aud->get<std::string>());
    } else if (aud->is_array()) {
      for (const auto& a : *aud) {
        if (a.is_string()) c.aud.push_back(a.get<std::string>());
      }
    }
  }
  const auto seconds = [&](const char* name) -> std::optional<std::int64_t> {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    const double v = it->get<double>();  // NumericDate may carry fractions
    if (!(v > -1e15 && v < 1e15)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  };
  c.exp = seconds("exp");
  c.iat = seconds("iat");
  if (const auto ev = j.find("email_verified"); ev != j.end()) {
    // Some providers send the string "true"/"false"; anything else counts as not verified.
    if (ev->is_boolean()) c.email_verified = ev->get<bool>();
    else c.email_verified = ev->is_string() && ev->get<std::string>() == "true";
  }
  return c;
}

hw::result<domain::verified_identity> verify_id_token(std::string_view id_token, const oidc_discovery& d,
                                                      jwks_cache& keys, const domain::id_token_expectation& expect) {
  auto t = parse_jws(id_token);
  if (!t) return std::move(t).error();
  auto key = keys.key_for(d.issuer, d.jwks_uri, t->kid);
  if (!key) return std::move(key).error();
  if (!(*key)->verify_rs256(t->signing_input, t->signature)) return hw::error{errc::unauthorized, "id_token: bad signature"};
  auto claims = decode_id_token_claims(t->payload_json);
  if (!claims) return std::move(claims).error();
  return domain::validate_id_token_claims(*claims, expect);
}

}  // namespace hw::auth
