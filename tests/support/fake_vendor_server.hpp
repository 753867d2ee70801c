#pragma once
// Shared plumbing of the fake ATS vendors (fake_greenhouse, fake_lever): a Beast HTTP server on
// 127.0.0.1:<port> (port 0 = any) served by a few threads, one request per connection (answered
// and closed, with a 10 s deadline so a stuck client cannot wedge the destructor); a blocking
// libcurl client; HMAC-SHA256 hex; the wall clock in ms.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw::testing {

struct vendor_request {
  std::string method;
  std::string target;  // path and query, as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_name) const;
};

struct vendor_response {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // added after Content-Type
  std::chrono::milliseconds delay{0};  // waited on a timer (other connections keep being served)
};

class vendor_http_server {
 public:
  /// Runs on a server thread; may block (e.g. a webhook flush): the other threads keep serving.
  using handler = std::function<vendor_response(const vendor_request&)>;
  explicit vendor_http_server(handler h, std::uint16_t port = 0, int threads = 4);
  ~vendor_http_server();  // closes the listener, stops and joins the threads
  vendor_http_server(const vendor_http_server&) = delete;
  vendor_http_server& operator=(const vendor_http_server&) = delete;

  std::uint16_t port() const noexcept;
  std::string base_url() const;  // "http://127.0.0.1:<port>"

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One HTTP answer as a test sees it (lower-case header names).
struct vendor_http_result {
  long status = 0;  // 0: transport error
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string header(const std::string& lower_name) const;
};

/// A blocking libcurl call bounded by `timeout_ms`.
vendor_http_result vendor_http(const std::string& method, const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers = {},
                               const std::string& body = {}, long timeout_ms = 10000);

/// Lower-case hex of HMAC-SHA256(key, msg).
std::string vendor_hmac_sha256_hex(std::string_view key, std::string_view msg);

/// Milliseconds since the epoch, from the system clock.
std::int64_t vendor_wall_clock_ms();

}  // namespace hw::testing
