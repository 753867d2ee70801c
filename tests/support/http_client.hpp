#pragma once
// A tiny blocking HTTP/1.1 client for tests (Beast inside, not in this header). Every operation
// is bounded by a timeout (default 5 s) so a broken server fails the test instead of hanging it.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hw::testing {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_reply {
  unsigned status = 0;
  header_list headers;
  std::string body;
  bool keep_alive = false;

  /// The first header with this name (case-insensitive); empty when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  /// Every header with this name (case-insensitive), in order (e.g. all Set-Cookie lines).
  std::vector<std::string> headers_named(std::string_view name) const;
};

class http_client {
 public:
  /// Connects to 127.0.0.1:port. Throws std::runtime_error on failure.
  explicit http_client(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// True when a TCP connection to 127.0.0.1:port is accepted (false: refused).
  static bool can_connect(std::uint16_t port);

  /// Sends one request on this connection and reads the response. Adds Host and, with a body,
  /// Content-Length (unless `headers` sets Transfer-Encoding). Throws on I/O error or timeout.
  http_reply request(std::string_view method, std::string_view target, std::string body = {},
                     const header_list& headers = {});

  /// Sends bytes as they are. Throws on error.
  void send_raw(std::string_view bytes);
  /// Reads one response. Throws on error or timeout.
  http_reply read_reply(bool head_request = false);
  /// Blocks until the server closes the connection (EOF or reset): returns true; false when
  /// `bound` passes first or bytes arrive instead.
  bool wait_closed(std::chrono::milliseconds bound = std::chrono::seconds(5));

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One Set-Cookie line taken apart: `name=value; Attr; Attr=v`.
struct set_cookie {
  std::string name;
  std::string value;
  std::vector<std::pair<std::string, std::string>> attributes;  // in order; names as sent

  /// The attribute's value (case-insensitive name; "" for a flag such as HttpOnly), or nothing.
  std::optional<std::string> attribute(std::string_view attr) const;
  bool has(std::string_view attr) const { return attribute(attr).has_value(); }
  /// Parses one Set-Cookie value; nothing when it has no `name=`.
  static std::optional<set_cookie> parse(std::string_view line);
};

/// The Set-Cookie of `name` in a reply (the last one when several), or nothing.
std::optional<set_cookie> find_set_cookie(const http_reply& r, std::string_view name);

/// A minimal cookie jar (one host, no paths/domains): Set-Cookie adds or replaces a cookie; an
/// empty value or Max-Age<=0 removes it.
class cookie_jar {
 public:
  void update(const http_reply& r);
  void set(const std::string& name, const std::string& value) { values_[name] = value; }
  void erase(const std::string& name) { values_.erase(name); }
  std::optional<std::string> get(const std::string& name) const;
  /// The Cookie request header value ("a=1; b=2"); empty when the jar is empty.
  std::string header() const;
  bool empty() const noexcept { return values_.empty(); }

 private:
  std::map<std::string, std::string> values_;
};

/// One request on a fresh connection.
http_reply http_request(std::uint16_t port, std::string_view method, std::string_view target,
                        std::string body = {}, const header_list& headers = {});

}  // namespace hw::testing
