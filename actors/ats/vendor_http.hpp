#pragma once
// The blocking HTTP client every ATS connector shares (issue 4, ats.md §1.3, §2): one libcurl easy
// handle per object (connections are reused), and the call policy of connector_env applied to
// every call: per-exchange timeout, full-jitter retries of 5xx / 408 / timeouts / transport
// errors, 429 waits (Retry-After, else X-RateLimit-Reset), a pre-emptive pause when
// X-RateLimit-Remaining falls to policy.rate_reserve, an optional client-side token bucket
// (Lever), and cancellation between attempts. Every wait goes through env.sleep and every clock
// read through env.now_ms, so tests drive it with a fake clock.
//
// Every attempt is reported to env.on_call with the endpoint TEMPLATE, never the URL. Nothing
// here logs or returns a request body, a header value, a token or a response body in an error.
//
// Not thread-safe: one object per connector, used by one thread.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "actors/ats/connector.hpp"
#include "actors/domain/result.hpp"

namespace hw::ats {

/// A final vendor answer: 2xx, or a 4xx other than 408/429 (the caller decides what it means).
struct http_response {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;

  /// The header's value, or "" when absent.
  std::string header(std::string_view lower_name) const;
};

/// The URL of the rel="next" target of an RFC 8288 Link header value ("" when there is none).
/// The URL is returned exactly as given between < and >.
std::string link_next(std::string_view link_header);

/// scheme://host[:port] of an http(s) URL, lower-cased, with the default port made explicit
/// ("https://api.lever.co:443"); nothing for anything else (userinfo included).
std::optional<std::string> url_origin(std::string_view url);

/// Percent-encoding of a query value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view s);

/// "Basic " + base64(user + ":" + password), standard alphabet with padding.
std::string basic_authorization(std::string_view user, std::string_view password);

/// ISO-8601 UTC with milliseconds: "2023-11-14T22:13:20.000Z".
std::string iso8601_ms(epoch_ms t);

/// One credential value: 1..max_len characters, none of them a control character.
/// invalid_argument "credentials: <field> ..." (never the value).
result<unit> validate_credential_text(std::string_view field, std::string_view value, std::size_t max_len = 512);

/// Client-side token bucket (Lever: 10 requests per second, bursts to 20).
struct client_rate {
  double per_second = 0;  // 0: off
  int burst = 1;
};

class vendor_http {
 public:
  /// Response bodies beyond this are refused (invalid_argument).
  static constexpr std::size_t max_body_bytes = 32u << 20;

  explicit vendor_http(connector_env env, client_rate rate = {});
  ~vendor_http();
  vendor_http(const vendor_http&) = delete;
  vendor_http& operator=(const vendor_http&) = delete;

  const connector_env& env() const noexcept { return env_; }
  epoch_ms now() const;

  /// One logical call. `headers` are complete lines ("Authorization: Bearer ..."). Returns the
  /// answer for 2xx and for 4xx other than 408/429. Errors:
  ///   unavailable   retries exhausted (5xx, 408, timeout, transport), a redirect, a non-http(s)
  ///                 URL, or detail "cancelled" when env.cancelled() turned true
  ///   rate_limited  429 whose wait exceeds policy.max_wait, or 429 on every attempt
  ///                 (retry_after_s set)
  ///   invalid_argument  a response body over max_body_bytes
  /// Error details name the endpoint template only.
  result<http_response> call(std::string_view method, const std::string& url,
                             const std::vector<std::string>& headers, const std::string& body,
                             std::string_view endpoint_template);

 private:
  struct attempt;
  attempt perform(std::string_view method, const std::string& url, const std::vector<std::string>& headers,
                  const std::string& body);
  void wait(std::chrono::milliseconds d);
  bool cancelled() const;
  double draw();
  void take_token();
  void note_rate_headers(const http_response& r);

  connector_env env_;
  client_rate rate_;
  double tokens_ = 0;
  epoch_ms tokens_at_ = 0;
  bool tokens_init_ = false;
  std::optional<epoch_ms> pause_until_;  // pre-emptive pause before the next call
  std::mt19937_64 rng_;
  struct handle;
  std::unique_ptr<handle> h_;
};

}  // namespace hw::ats
