#pragma once
// One HTTP/1.1 connection: reads requests one at a time on its strand, routes them, and writes
// the responses. See http/README.md ("life of a request") for the phases and their timeouts.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "http/handler.hpp"
#include "http/router.hpp"

namespace hw::http_api {

struct server_state;
using strand_type = boost::asio::strand<boost::asio::io_context::executor_type>;

/// Writes the status line and the fields of `res` (Content-Length already prepared) into `out`,
/// ending with the blank line. The session writes this and the body as two buffers: a plain
/// string is much cheaper than Beast's generic serializer, and this is the hot path.
void serialize_header(const response& res, std::string& out);

/// Adds the headers every response carries: X-Request-Id and the security headers of
/// security-and-reliability.md §3.5 (nosniff, Referrer-Policy, X-Frame-Options, COOP, a CSP unless
/// the handler set one, HSTS when `opts.hsts`), and Cache-Control: no-store on /api/ (elsewhere
/// unless the handler chose a cache policy). `path` is the request path ("" when unknown).
void add_common_headers(response& res, std::string_view request_id, std::string_view path,
                        const server_options& opts);

/// Writes the access-log line of one request into `out` (replacing its content): the JSON object
/// {"method","route","status","duration_ms" (3 decimals),"request_id","bytes"}, byte for byte what
/// fmt printed with "{:.3f}" for duration_us / 1000.0. `route` and `request_id` need no escaping
/// (route templates; request ids are [A-Za-z0-9._-]).
void format_access_line(std::string& out, std::string_view method, std::string_view route, unsigned status,
                        std::uint64_t duration_us, std::string_view request_id, std::size_t bytes);

class session final : public response_sink, public std::enable_shared_from_this<session> {
 public:
  /// `socket` must use `strand` as its executor. Registered with the state by the listener.
  session(std::shared_ptr<server_state> st, strand_type strand, boost::asio::ip::tcp::socket&& socket,
          std::uint64_t id);
  ~session() override;

  /// Starts reading. Called once by the listener.
  void run();
  /// Any thread: close if idle; otherwise finish the current request with Connection: close.
  void drain();
  /// Any thread: close now (stop() after the grace period).
  void force_close();
  /// Any thread (gateway callbacks): hops onto the strand; drops stale or duplicate responses.
  void deliver(std::uint64_t seq, response res) override;

 private:
  enum class phase { idle, reading, handling, writing, lingering, closed };
  using error_code = boost::system::error_code;

  void do_wait();
  void on_wait(error_code ec, std::size_t n);
  void parse_buffered();
  void do_read_header();
  void on_header(error_code ec, std::size_t n);
  void on_header_done();
  void read_body();
  void on_body(error_code ec, std::size_t n);
  void on_read_error(error_code ec);
  void handle();
  void on_authorized(std::uint64_t seq, std::shared_ptr<const principal> who);
  void run_handler(std::uint64_t seq, std::shared_ptr<const principal> who);
  void on_response(std::uint64_t seq, response res);
  void reject(bhttp::status s, std::string_view detail);
  void send(response res);
  void on_write(bool close, error_code ec, std::size_t n);
  void do_linger();
  void do_close();

  std::shared_ptr<server_state> st_;  // first member: destroyed last (owns the io_context)
  strand_type strand_;
  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer timer_;   // request_timeout while a handler works
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  response res_;
  std::string wire_;               // res_'s serialized header, reused across requests
  std::string log_line_;           // the access-log line, reused across requests
  std::uint64_t id_;
  std::string remote_ip_;          // the peer address, read once when the connection is accepted
  std::string client_ip_;          // the current request's client (http/client_ip.hpp)

  phase phase_ = phase::idle;
  std::uint64_t seq_ = 0;        // the current request's number; responses for others are stale
  bool answered_ = false;
  bool close_after_ = false;     // drain() or an error: the next response closes the connection
  bool linger_ = false;          // the request was not read to its end: drain before closing

  // The current request (views point into parser_, valid until the next do_wait()).
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point header_deadline_;
  std::string request_id_;
  std::string_view path_;
  std::size_t route_id_ = 0;
  std::size_t body_limit_ = 0;  // of the matched route (router::body_limit), set per request
  // A request with a body is matched once, before its body is read (for the route's limit);
  // handle() reuses that match. Reset by do_wait(): it belongs to the request in parser_.
  router::match_result match_;
  bool matched_ = false;
  const handler* fn_ = nullptr;              // the matched route (the router outlives sessions)
  std::string_view route_;                   // its template
  route_params params_;                      // views into the request target
  std::shared_ptr<const principal> who_;     // set by the middleware; null on public routes
  bhttp::verb method_ = bhttp::verb::unknown;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
};

}  // namespace hw::http_api
