#include "actors/ats/vendor_http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

#include "actors/domain/retry_policy.hpp"
#include "actors/net/base64.hpp"

namespace hw::ats {

namespace {

using namespace std::chrono_literals;

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

/// A non-negative decimal integer (at most 15 digits), or nothing.
std::optional<std::int64_t> parse_count(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct sink_state {
  std::string* body = nullptr;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* s = static_cast<sink_state*>(user);
  const std::size_t len = size * n;
  if (s->body->size() + len > vendor_http::max_body_bytes) {
    s->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  s->body->append(data, len);
  return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const std::size_t len = size * n;
  const std::string_view line{data, len};
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new status line (100 Continue, ...): only the last block counts
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return len;
  auto name = lower(trim(line.substr(0, colon)));
  const auto value = trim(line.substr(colon + 1));
  auto [it, fresh] = headers->emplace(std::move(name), std::string{value});
  if (!fresh) {
    it->second += ", ";
    it->second += value;
  }
  return len;
}

std::string note_for(CURLcode rc) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return "connection failed";
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return "truncated answer";
    default:
      return "transport error";
  }
}

// Howard Hinnant's civil_from_days.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

}  // namespace

// ---- helpers ---------------------------------------------------------------------------------

std::string http_response::header(std::string_view lower_name) const {
  const auto it = headers.find(std::string{lower_name});
  return it == headers.end() ? std::string{} : it->second;
}

std::string link_next(std::string_view v) {
  // link-value = "<" URI ">" *( ";" param ); values separated by ",". A URL may itself contain
  // commas, so parse by the angle brackets, not by splitting on ",".
  std::size_t pos = 0;
  while (pos < v.size()) {
    const auto open = v.find('<', pos);
    if (open == std::string_view::npos) return {};
    const auto close = v.find('>', open + 1);
    if (close == std::string_view::npos) return {};
    const auto url = v.substr(open + 1, close - open - 1);
    auto next_open = v.find('<', close + 1);
    auto params = v.substr(close + 1, next_open == std::string_view::npos ? std::string_view::npos
                                                                          : next_open - close - 1);
    // Look for rel="next" / rel=next among the parameters (rel may list several types).
    std::size_t p = 0;
    while (p < params.size()) {
      auto semi = params.find(';', p);
      auto part = trim(params.substr(p, semi == std::string_view::npos ? std::string_view::npos : semi - p));
      while (!part.empty() && part.back() == ',') part = trim(part.substr(0, part.size() - 1));
      const auto eq = part.find('=');
      if (eq != std::string_view::npos && lower(trim(part.substr(0, eq))) == "rel") {
        auto val = trim(part.substr(eq + 1));
        if (val.size() >= 2 && val.front() == '"' && val.back() == '"') val = val.substr(1, val.size() - 2);
        std::size_t q = 0;
        const auto rels = lower(val);
        while (q <= rels.size()) {
          auto sp = rels.find(' ', q);
          if (rels.substr(q, sp == std::string::npos ? std::string::npos : sp - q) == "next") return std::string{url};
          if (sp == std::string::npos) break;
          q = sp + 1;
        }
      }
      if (semi == std::string_view::npos) break;
      p = semi + 1;
    }
    if (next_open == std::string_view::npos) break;
    pos = next_open;
  }
  return {};
}

std::optional<std::string> url_origin(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  const auto scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  auto rest = url.substr(sep + 3);
  const auto end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority;
  std::string port = scheme == "https" ? "443" : "80";
  if (authority.front() == '[') {  // IPv6 literal
    const auto rb = authority.find(']');
    if (rb == std::string_view::npos) return std::nullopt;
    host = authority.substr(0, rb + 1);
    const auto after = authority.substr(rb + 1);
    if (!after.empty()) {
      if (after.front() != ':' || !parse_count(after.substr(1))) return std::nullopt;
      port = std::to_string(*parse_count(after.substr(1)));
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    const auto p = parse_count(authority.substr(colon + 1));
    if (!p || *p > 65535) return std::nullopt;
    port = std::to_string(*p);
  }
  if (host.empty()) return std::nullopt;
  return scheme + "://" + lower(host) + ":" + port;
}

std::string url_encode(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  std::string in{user};
  in += ':';
  in += password;
  return "Basic " + net::base64_encode(in);
}

std::string iso8601_ms(epoch_ms t) {
  const std::int64_t day_ms = 86'400'000;
  std::int64_t days = t / day_ms;
  std::int64_t rem = t % day_ms;
  if (rem < 0) {
    rem += day_ms;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto hh = rem / 3'600'000, mm = rem / 60'000 % 60, ss = rem / 1000 % 60, ms = rem % 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(hh), static_cast<long long>(mm), static_cast<long long>(ss),
                static_cast<long long>(ms));
  return buf;
}

result<unit> validate_credential_text(std::string_view field, std::string_view value, std::size_t max_len) {
  const std::string f = "credentials: " + std::string{field};
  if (value.empty()) return hw::error{errc::invalid_argument, f + " is required"};
  if (value.size() > max_len)
    return hw::error{errc::invalid_argument, f + " is longer than " + std::to_string(max_len) + " characters"};
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return hw::error{errc::invalid_argument, f + " contains a control character"};
  }
  return unit{};
}

// ---- the client ------------------------------------------------------------------------------

struct vendor_http::handle {
  CURL* curl = nullptr;
  ~handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

struct vendor_http::attempt {
  CURLcode rc = CURLE_OK;
  bool too_large = false;
  http_response resp;
  int duration_ms = 0;
};

vendor_http::vendor_http(connector_env env, client_rate rate)
    : env_(std::move(env)), rate_(rate), rng_(std::random_device{}()), h_(std::make_unique<handle>()) {
  // Production defaults for an env that leaves them empty; tests always inject both.
  if (!env_.now_ms) {
    env_.now_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  if (!env_.sleep) env_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  ensure_curl();
  h_->curl = curl_easy_init();
}

vendor_http::~vendor_http() = default;

epoch_ms vendor_http::now() const { return env_.now_ms(); }

bool vendor_http::cancelled() const { return env_.cancelled && env_.cancelled(); }

double vendor_http::draw() {
  if (env_.jitter) return env_.jitter();
  return std::uniform_real_distribution<double>{0.0, 1.0}(rng_);
}

void vendor_http::wait(std::chrono::milliseconds d) {
  // In slices, so a stop request is seen during a long rate-limit pause.
  while (d.count() > 0 && !cancelled()) {
    const auto slice = std::min<std::chrono::milliseconds>(d, 1000ms);
    env_.sleep(slice);
    d -= slice;
  }
}

void vendor_http::take_token() {
  if (rate_.per_second <= 0) return;
  const double burst = std::max(1, rate_.burst);
  const auto t = now();
  if (!tokens_init_) {
    tokens_ = burst;
    tokens_at_ = t;
    tokens_init_ = true;
  }
  if (t > tokens_at_) {
    tokens_ = std::min(burst, tokens_ + static_cast<double>(t - tokens_at_) * rate_.per_second / 1000.0);
    tokens_at_ = t;
  }
  if (tokens_ < 1.0) {
    // +1 ms: the vendor's own bucket must have refilled too, whatever its rounding.
    const auto need = static_cast<std::int64_t>(std::ceil((1.0 - tokens_) * 1000.0 / rate_.per_second)) + 1;
    wait(std::chrono::milliseconds{need});
    tokens_ = 1.0;
    tokens_at_ = now();
  }
  tokens_ -= 1.0;
}

void vendor_http::note_rate_headers(const http_response& r) {
  const auto remaining = parse_count(r.header("x-ratelimit-remaining"));
  const auto reset = parse_count(r.header("x-ratelimit-reset"));
  if (!remaining || !reset || *remaining > env_.policy.rate_reserve) return;
  // An epoch (seconds) as Greenhouse sends it; small values are read as seconds from now.
  pause_until_ = *reset > 1'000'000'000 ? *reset * 1000 : now() + *reset * 1000;
}

vendor_http::attempt vendor_http::perform(std::string_view method, const std::string& url,
                                          const std::vector<std::string>& headers, const std::string& body) {
  attempt a;
  CURL* c = h_->curl;
  if (!c) {
    a.rc = CURLE_FAILED_INIT;
    return a;
  }
  curl_slist* list = curl_slist_append(nullptr, "Accept: application/json");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  for (const auto& x : headers) list = curl_slist_append(list, x.c_str());
  sink_state sink{&a.resp.body};
  const auto timeout = std::max<long>(1, static_cast<long>(env_.policy.timeout.count()));

  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is refused, not followed
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(timeout, 10'000L));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate when the vendor offers it
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.resp.headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "hirewire-ats/1");
  if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    const std::string m{method};
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method == "POST" ? nullptr : m.c_str());
  }

  const auto t0 = std::chrono::steady_clock::now();
  a.rc = curl_easy_perform(c);
  a.duration_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
  a.too_large = sink.too_large;
  if (a.rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.resp.status);
  // Nothing may point at this call's buffers once it returns.
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, nullptr);
  curl_slist_free_all(list);
  return a;
}

result<http_response> vendor_http::call(std::string_view method, const std::string& url,
                                        const std::vector<std::string>& headers, const std::string& body,
                                        std::string_view endpoint_template) {
  const std::string tmpl{endpoint_template};
  if (!url_origin(url)) return hw::error{errc::unavailable, tmpl + ": only http(s) vendor URLs are allowed"};
  const auto& p = env_.policy;
  const int max_attempts = std::max(1, p.max_attempts);
  const domain::retry_policy backoff{p.backoff_base, p.backoff_cap, 0.0};  // full jitter
  int failures = 0;
  int limited = 0;
  const auto report = [&](const attempt& a, std::optional<std::string> note) {
    if (!env_.on_call) return;
    call_record r;
    r.endpoint = tmpl;
    if (a.rc == CURLE_OK && !a.too_large) r.status = static_cast<int>(a.resp.status);
    r.duration_ms = a.duration_ms;
    r.error = std::move(note);
    env_.on_call(r);
  };
  const auto cancelled_error = [] { return hw::error{errc::unavailable, "cancelled"}; };

  for (;;) {
    if (cancelled()) return cancelled_error();
    if (pause_until_) {
      const auto d = *pause_until_ - now();
      pause_until_.reset();
      if (d > 0) wait(std::min(std::chrono::milliseconds{d}, p.max_wait));
      if (cancelled()) return cancelled_error();
    }
    take_token();
    if (cancelled()) return cancelled_error();

    auto a = perform(method, url, headers, body);
    if (a.too_large) {
      report(a, "body too large");
      return hw::error{errc::invalid_argument, tmpl + ": response body too large"};
    }
    if (a.rc != CURLE_OK) {
      const auto note = note_for(a.rc);
      report(a, note);
      if (++failures >= max_attempts) {
        return hw::error{errc::unavailable,
                         tmpl + ": vendor unreachable after " + std::to_string(failures) + " attempts (" + note + ")"};
      }
      wait(backoff.next_delay(static_cast<std::uint32_t>(failures), draw()));
      continue;
    }

    const long status = a.resp.status;
    note_rate_headers(a.resp);
    const auto retry_after = parse_count(a.resp.header("retry-after"));
    if (status == 429) {
      report(a, "HTTP 429");
      std::int64_t wait_ms = 0;
      if (retry_after) {
        wait_ms = *retry_after * 1000;
      } else if (pause_until_) {
        wait_ms = *pause_until_ - now();
      } else {
        wait_ms = backoff.next_delay(static_cast<std::uint32_t>(limited + 1), draw()).count();
      }
      pause_until_.reset();
      wait_ms = std::max<std::int64_t>(wait_ms, 0);
      if (wait_ms > p.max_wait.count() || ++limited > max_attempts) {
        hw::error e{errc::rate_limited, tmpl + ": vendor rate limit exceeded"};
        e.retry_after_s = static_cast<std::int32_t>(std::max<std::int64_t>(1, (wait_ms + 999) / 1000));
        return e;
      }
      wait(std::chrono::milliseconds{wait_ms});
      continue;
    }
    if (status >= 500 || status == 408) {
      const auto note = "HTTP " + std::to_string(status);
      report(a, note);
      if (++failures >= max_attempts) {
        return hw::error{errc::unavailable, tmpl + ": vendor unavailable after " + std::to_string(failures) +
                                                " attempts (" + note + ")"};
      }
      auto d = backoff.next_delay(static_cast<std::uint32_t>(failures), draw());
      if (retry_after && *retry_after * 1000 > d.count() && *retry_after * 1000 <= p.max_wait.count())
        d = std::chrono::milliseconds{*retry_after * 1000};
      wait(d);
      continue;
    }
    if (status >= 300 && status < 400) {
      report(a, "redirect refused");
      return hw::error{errc::unavailable, tmpl + ": vendor answered with a redirect (refused)"};
    }
    if (status < 200) {
      report(a, "HTTP " + std::to_string(status));
      return hw::error{errc::unavailable, tmpl + ": unexpected HTTP status " + std::to_string(status)};
    }
    report(a, status >= 400 ? std::optional<std::string>{"HTTP " + std::to_string(status)} : std::nullopt);
    return std::move(a.resp);
  }
}

}  // namespace hw::ats
