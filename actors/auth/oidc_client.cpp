#include "actors/auth/oidc_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>
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

constexpr const char* private_network_detail = "sso: the identity provider's address is not allowed (private network)";

/// CURLOPT_OPENSOCKETFUNCTION: the last word on where a request goes, after DNS and for every
/// address curl tries (happy eyeballs included).
struct socket_policy {
  bool allow_private = false;
  bool refused = false;
};

curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* a) {
  auto* p = static_cast<socket_policy*>(user);
  const bool inet = a->family == AF_INET || a->family == AF_INET6;
  if (purpose != CURLSOCKTYPE_IPCXN || !inet ||
      (!p->allow_private && is_private_address(&a->addr, static_cast<std::size_t>(a->addrlen)))) {
    p->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

bool is_private_v4(std::uint32_t a) noexcept {  // host byte order
  const auto in = [a](std::uint32_t net, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  return in(0x00000000, 8)       // "this network", 0.0.0.0
         || in(0x0A000000, 8)    // 10/8
         || in(0x64400000, 10)   // 100.64/10 CGNAT
         || in(0x7F000000, 8)    // 127/8 loopback
         || in(0xA9FE0000, 16)   // 169.254/16 link-local (cloud metadata)
         || in(0xAC100000, 12)   // 172.16/12
         || in(0xC0000000, 24)   // 192.0.0/24 IETF protocol assignments
         || in(0xC0A80000, 16)   // 192.168/16
         || in(0xC6120000, 15)   // 198.18/15 benchmarking
         || in(0xE0000000, 4)    // 224/4 multicast
         || in(0xF0000000, 4);   // 240/4 reserved, 255.255.255.255
}

std::uint32_t v4_at(const unsigned char* b) noexcept {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
}

bool is_private_v6(const unsigned char* b) noexcept {  // 16 bytes, network order
  const auto zeros = [b](int from, int to) {
    for (int i = from; i < to; ++i) {
      if (b[i] != 0) return false;
    }
    return true;
  };
  if (zeros(0, 10) && b[10] == 0xFF && b[11] == 0xFF) return is_private_v4(v4_at(b + 12));  // ::ffff:a.b.c.d
  if (zeros(0, 8) && b[8] == 0xFF && b[9] == 0xFF && zeros(10, 12)) return is_private_v4(v4_at(b + 12));  // SIIT
  if (zeros(0, 12)) return true;  // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) {
    if (zeros(4, 12)) return is_private_v4(v4_at(b + 12));  // 64:ff9b::/96 NAT64
    if (b[4] == 0x00 && b[5] == 0x01) return true;           // 64:ff9b:1::/48 local-use NAT64
  }
  if (b[0] == 0x20 && b[1] == 0x02) return is_private_v4(v4_at(b + 2));  // 2002::/16 6to4
  if ((b[0] & 0xFE) == 0xFC) return true;                                  // fc00::/7 unique local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;                  // fe80::/10 link-local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return true;                  // fec0::/10 site-local
  if (b[0] == 0xFF) return true;                                           // ff00::/8 multicast
  return false;
}

/// scheme://host[:port] of an allowed URL, lower-cased, with the default port made explicit.
struct url_origin {
  bool https = false;
  std::string host;
  unsigned port = 0;
};

std::optional<url_origin> parse_origin(std::string_view url) noexcept {
  for (char ch : url) {
    const auto u = static_cast<unsigned char>(ch);
    if (u <= 0x20 || u == 0x7F || ch == '#' || ch == '\\') return std::nullopt;
  }
  url_origin o;
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    o.https = true;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  const auto end = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return std::nullopt;
  o.port = o.https ? 443 : 80;
  if (port) {
    if (port->empty() || port->size() > 5) return std::nullopt;
    if (!std::all_of(port->begin(), port->end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return std::nullopt;
    unsigned v = 0;
    for (char ch : *port) v = v * 10 + static_cast<unsigned>(ch - '0');
    if (v == 0 || v > 65535) return std::nullopt;
    o.port = v;
  }
  try {
    o.host.assign(host);
  } catch (...) {
    return std::nullopt;
  }
  std::transform(o.host.begin(), o.host.end(), o.host.begin(),
                 [](char ch) { return static_cast<char>(std::tolower(static_cast<unsigned char>(ch))); });
  if (!o.https && o.host != "127.0.0.1" && o.host != "localhost" && o.host != "[::1]") return std::nullopt;
  return o;
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
  socket_policy policy{opt.allow_private_addresses, false};
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
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // No proxy from the environment: the address check below must see the provider's address.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &policy);
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
  if (rc != CURLE_OK && policy.refused) return {errc::unavailable, private_network_detail};
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

bool is_private_address(const sockaddr* sa, std::size_t len) noexcept {
  if (sa == nullptr) return true;
  if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    return is_private_v4(ntohl(in.sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    return is_private_v6(in6.sin6_addr.s6_addr);
  }
  return true;
}

bool is_private_address(std::string_view ip) noexcept {
  char buf[INET6_ADDRSTRLEN + 1];
  if (ip.empty() || ip.size() >= sizeof buf) return true;
  std::memcpy(buf, ip.data(), ip.size());
  buf[ip.size()] = '\0';
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) return is_private_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) == 1) return is_private_v6(v6.s6_addr);
  return true;
}

bool is_allowed_oidc_url(std::string_view url) noexcept { return parse_origin(url).has_value(); }

bool same_oidc_origin(std::string_view a, std::string_view b) noexcept {
  const auto x = parse_origin(a);
  const auto y = parse_origin(b);
  return x && y && x->https == y->https && x->host == y->host && x->port == y->port;
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
  // We POST to the token endpoint and GET the JWKS: keep them where the issuer is, so a discovery
  // document cannot aim our requests at another host (the browser alone follows authz).
  if (!same_oidc_origin(*token, issuer) || !same_oidc_origin(*jwks, issuer))
    return {errc::invalid_argument, "sso: the provider's token_endpoint/jwks_uri must be on the issuer's host"};
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
