#include "http/session.hpp"

#include <array>
#include <exception>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "http/auth.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/server_state.hpp"

namespace hw::http_api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::size_t read_chunk = 4096;
constexpr std::size_t linger_max_bytes = 1024 * 1024;
constexpr std::chrono::milliseconds linger_time{500};

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

}  // namespace

void serialize_header(const response& res, std::string& out) {
  out.clear();
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  const unsigned code = res.result_int();
  out += static_cast<char>('0' + code / 100 % 10);
  out += static_cast<char>('0' + code / 10 % 10);
  out += static_cast<char>('0' + code % 10);
  out += ' ';
  const auto reason = res.reason();
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& f : res) {
    const auto name = f.name_string();
    const auto value = f.value();
    out.append(name.data(), name.size());
    out += ": ";
    out.append(value.data(), value.size());
    out += "\r\n";
  }
  out += "\r\n";
}

namespace {

void append_uint(std::string& out, std::uint64_t v) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

}  // namespace

void format_access_line(std::string& out, std::string_view method, std::string_view route, unsigned status,
                        std::uint64_t duration_us, std::string_view request_id, std::size_t bytes) {
  // Appends instead of fmt: this runs for every request. duration_us / 1000 printed with three
  // decimals is exactly its integer milliseconds and the remainder (the value is a multiple of
  // 0.001, so rounding cannot carry).
  out.clear();
  out += R"({"method":")";
  out += method;
  out += R"(","route":")";
  out += route;
  out += R"(","status":)";
  append_uint(out, status);
  out += R"(,"duration_ms":)";
  append_uint(out, duration_us / 1000);
  const auto frac = static_cast<unsigned>(duration_us % 1000);
  out += '.';
  out += static_cast<char>('0' + frac / 100);
  out += static_cast<char>('0' + frac / 10 % 10);
  out += static_cast<char>('0' + frac % 10);
  out += R"(,"request_id":")";
  out += request_id;
  out += R"(","bytes":)";
  append_uint(out, bytes);
  out += '}';
}

void add_common_headers(response& res, std::string_view request_id, std::string_view path,
                        const server_options& opts) {
  res.insert("X-Request-Id", request_id);
  res.insert("X-Content-Type-Options", "nosniff");
  // no-referrer everywhere (§3.5 asks for it on invitation pages and allows stricter elsewhere):
  // tokens in SPA URLs (invitation and reset links) must never leak through Referer.
  res.insert("Referrer-Policy", "no-referrer");
  res.insert(bhttp::field::x_frame_options, "DENY");
  res.insert("Cross-Origin-Opener-Policy", "same-origin");
  if (path.substr(0, 5) != "/app/" && res.find("Content-Security-Policy") == res.end()) {
    // HTML under /app/ carries the SPA policy (static_files; scripts and styles there are not
    // documents, a CSP on them does nothing); everything else loads nothing.
    res.insert("Content-Security-Policy",
               "default-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  }
  if (opts.hsts) res.insert(bhttp::field::strict_transport_security, "max-age=31536000; includeSubDomains");
  if (path.substr(0, 5) == "/api/") {
    res.set(bhttp::field::cache_control, "no-store");
  } else if (res.find(bhttp::field::cache_control) == res.end()) {
    res.insert(bhttp::field::cache_control, "no-store");
  }
}

session::session(std::shared_ptr<server_state> st, strand_type strand, tcp::socket&& socket,
                 std::uint64_t id)
    : st_(std::move(st)), strand_(strand), stream_(std::move(socket)), timer_(strand), id_(id) {
  // For the audit log. The socket's own peer: X-Forwarded-For is not trusted (ASVS 4.1.3) until a
  // trusted-proxy setting exists.
  error_code ec;
  const auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ip_ = ep.address().to_string();
}

session::~session() {
  std::lock_guard<std::mutex> lock{st_->mutex};
  st_->sessions.erase(id_);
  st_->connections.fetch_sub(1, std::memory_order_relaxed);
  st_->cv.notify_all();
}

void session::run() {
  net::dispatch(strand_, [self = shared_from_this()] { self->do_wait(); });
}

void session::drain() {
  net::post(strand_, [self = shared_from_this()] {
    if (self->phase_ == phase::idle) return self->do_close();
    self->close_after_ = true;  // the response in progress says Connection: close
  });
}

void session::force_close() {
  net::post(strand_, [self = shared_from_this()] { self->do_close(); });
}

// --- reading ------------------------------------------------------------------------------------

void session::do_wait() {
  if (close_after_ || st_->draining.load(std::memory_order_relaxed)) return do_close();
  phase_ = phase::idle;
  matched_ = false;
  parser_.emplace();
  // No limit while the header is parsed, so that an oversized Content-Length is refused by
  // on_header_done() with the request's method, path and id known; the real limit is set there,
  // before any body octet is parsed (Beast allows that).
  parser_->body_limit(boost::none);
  parser_->header_limit(static_cast<std::uint32_t>(st_->opts.header_limit));
  if (buffer_.size() > 0) {  // a pipelined request is already here
    phase_ = phase::reading;
    started_ = clock_type::now();
    header_deadline_ = started_ + st_->opts.header_timeout;
    return parse_buffered();
  }
  // Keep-alive wait: idle_timeout until the first byte; the header clock starts with it.
  stream_.expires_after(st_->opts.idle_timeout);
  stream_.async_read_some(buffer_.prepare(read_chunk),
                          beast::bind_front_handler(&session::on_wait, shared_from_this()));
}

void session::on_wait(error_code ec, std::size_t n) {
  if (phase_ == phase::closed) return;
  if (ec) return do_close();  // EOF, idle timeout, or closed by drain(): nothing to answer
  buffer_.commit(n);
  phase_ = phase::reading;
  started_ = clock_type::now();
  header_deadline_ = started_ + st_->opts.header_timeout;
  parse_buffered();
}

void session::parse_buffered() {
  // Usually the whole header came in one segment: parse it here and skip a composed read.
  error_code ec;
  const auto used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  if (ec == bhttp::error::need_more) return do_read_header();
  if (ec) return on_read_error(ec);
  if (!parser_->is_header_done()) return do_read_header();
  on_header_done();
}

void session::do_read_header() {
  stream_.expires_at(header_deadline_);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&session::on_header, shared_from_this()));
}

void session::on_header(error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return on_read_error(ec);
  on_header_done();
}

void session::on_header_done() {
  // The matched route's own limit (a library import takes more), else the server's.
  body_limit_ = st_->opts.body_limit;
  if (parser_->content_length().value_or(0) > 0 || parser_->chunked()) {
    const auto target = parser_->get().target();
    auto path = std::string_view{target.data(), target.size()};
    path = path.substr(0, path.find('?'));
    // Kept for handle(): the same method and path (the parser's request), matched once.
    match_ = st_->routes.match(parser_->get().method(), path);
    matched_ = true;
    body_limit_ = router::body_limit(match_, st_->opts.body_limit);
  }
  // A declared body above the limit is refused before a byte of it is read.
  if (auto len = parser_->content_length(); len && *len > body_limit_) {
    return reject(bhttp::status::payload_too_large, "the request body exceeds the limit of " +
                                                        std::to_string(body_limit_) + " bytes");
  }
  // Beast reads a request whose Transfer-Encoding is not chunked as having no body; a proxy in
  // front may disagree about where the next request starts (request smuggling): refuse it.
  {
    const auto& req = parser_->get();
    if (req.find(bhttp::field::transfer_encoding) != req.end() && !parser_->chunked())
      return reject(bhttp::status::bad_request, "unsupported Transfer-Encoding: only chunked is accepted");
  }
  if (parser_->is_done()) return handle();
  parser_->body_limit(body_limit_);
  read_body();
}

void session::read_body() {
  // Usually the body came with the header: parse what is buffered here, without a composed read
  // (which would also post its completion once more). The limit applies the same way: Beast's
  // put() reports error::body_limit exactly as async_read does.
  while (buffer_.size() > 0 && !parser_->is_done()) {
    error_code ec;
    const auto used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) break;
    if (ec) return on_read_error(ec);
    if (used == 0) break;
  }
  if (parser_->is_done()) return handle();
  stream_.expires_after(st_->opts.body_timeout);
  // Chunked bodies are bounded by parser body_limit as they arrive (error::body_limit).
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&session::on_body, shared_from_this()));
}

void session::on_body(error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return on_read_error(ec);
  handle();
}

void session::on_read_error(error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return reject(bhttp::status::payload_too_large,
                  "the request body exceeds the limit of " + std::to_string(body_limit_) + " bytes");
  }
  if (ec == bhttp::error::header_limit) {
    return reject(bhttp::status::request_header_fields_too_large, "the request header is too large");
  }
  if (is_parse_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return reject(bhttp::status::bad_request, "malformed HTTP request");
  }
  // Timeout (header or body too slow), EOF, reset: nobody to answer.
  do_close();
}

// --- handling -----------------------------------------------------------------------------------

void session::handle() {
  const auto& req = parser_->get();
  phase_ = phase::handling;
  ++seq_;
  answered_ = false;
  method_ = req.method();
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  head_ = method_ == bhttp::verb::head;
  const auto target = req.target();
  path_ = std::string_view{target.data(), target.size()};
  path_ = path_.substr(0, path_.find('?'));
  const auto incoming = req["X-Request-Id"];
  if (!incoming.empty() && is_valid_request_id(incoming)) {
    request_id_.assign(incoming.data(), incoming.size());
  } else {
    generate_request_id(request_id_);
  }

  // A request with a body was matched before its body was read (on_header_done).
  if (!matched_) match_ = st_->routes.match(method_, path_);
  matched_ = false;
  const auto& m = match_;
  switch (m.kind) {
    case router::outcome::not_found:
      route_id_ = st_->unmatched_route;
      return send(make_problem(bhttp::status::not_found, "no resource at this path", path_, request_id_));
    case router::outcome::method_not_allowed: {
      route_id_ = m.route_id;
      auto res = make_problem(bhttp::status::method_not_allowed,
                              std::string{"allowed methods: "} + m.allow, path_, request_id_);
      res.set(bhttp::field::allow, m.allow);
      return send(std::move(res));
    }
    case router::outcome::found: break;
  }
  route_id_ = m.route_id;
  fn_ = m.fn;
  route_ = m.route;
  params_ = m.params;
  who_.reset();
  try {
    // The middleware enforces the route's declaration; it calls back (maybe from an actor
    // thread, after the account service answered) with the principal, or answers itself.
    // The client: the peer, or behind a trusted proxy the address it forwarded for.
    if (st_->proxies.empty()) {
      client_ip_ = remote_ip_;
    } else {
      const auto xff = req["X-Forwarded-For"];
      client_ip_ = st_->proxies.client_address(remote_ip_, std::string_view{xff.data(), xff.size()});
    }
    const route_context ctx{req, path_, route_, params_, request_id_, st_->svc, client_ip_, nullptr};
    authorize(ctx, *m.access, responder{shared_from_this(), seq_},
              [self = shared_from_this(), seq = seq_](std::shared_ptr<const principal> who) {
                self->on_authorized(seq, std::move(who));
              });
  } catch (const std::exception& e) {
    spdlog::error("http middleware threw route={} request_id={} what={}", m.route, request_id_, e.what());
    if (!answered_) {
      on_response(seq_, make_problem(bhttp::status::internal_server_error,
                                     "an unexpected error occurred; quote the request_id when reporting it",
                                     path_, request_id_));
    }
    return;
  }
  if (answered_ || phase_ != phase::handling) return;
  // The middleware or the handler went asynchronous (a service or gateway call): bound the wait.
  // The gateway times out on its own too, but a lost callback must not hold the connection forever.
  timer_.expires_after(st_->opts.request_timeout);
  timer_.async_wait([self = shared_from_this(), seq = seq_](error_code ec) {
    if (ec) return;
    self->on_response(seq, make_problem(bhttp::status::gateway_timeout, "the request timed out",
                                        self->path_, self->request_id_));
  });
}

void session::on_authorized(std::uint64_t seq, std::shared_ptr<const principal> who) {
  // A cache hit answers synchronously (still inside handle(), on the strand).
  if (strand_.running_in_this_thread()) return run_handler(seq, std::move(who));
  if (st_->stopped.load(std::memory_order_acquire)) return;
  net::post(strand_, [self = shared_from_this(), seq, who = std::move(who)]() mutable {
    self->run_handler(seq, std::move(who));
  });
}

void session::run_handler(std::uint64_t seq, std::shared_ptr<const principal> who) {
  // The request may have timed out (504) or the connection closed while the service worked.
  if (seq != seq_ || answered_ || phase_ != phase::handling || !parser_) return;
  who_ = std::move(who);
  const auto& req = parser_->get();
  const route_context ctx{req, path_, route_, params_, request_id_, st_->svc, client_ip_, who_.get()};
  try {
    (*fn_)(ctx, responder{shared_from_this(), seq_});
  } catch (const std::exception& e) {
    // A handler bug must not take the io thread down; the caller gets a generic 500.
    spdlog::error("http handler threw route={} request_id={} what={}", route_, request_id_, e.what());
    if (!answered_) {
      on_response(seq_, make_problem(bhttp::status::internal_server_error,
                                     "an unexpected error occurred; quote the request_id when reporting it",
                                     path_, request_id_));
    }
  }
}

void session::deliver(std::uint64_t seq, response res) {
  // A handler answering synchronously (/healthz, validation errors) is already on the strand.
  if (strand_.running_in_this_thread()) return on_response(seq, std::move(res));
  if (st_->stopped.load(std::memory_order_acquire)) return;  // no io thread left to write it
  net::post(strand_, [self = shared_from_this(), seq, res = std::move(res)]() mutable {
    self->on_response(seq, std::move(res));
  });
}

void session::on_response(std::uint64_t seq, response res) {
  // A late gateway callback after a 504, a second respond(), or a closed connection: drop.
  if (seq != seq_ || answered_ || phase_ != phase::handling) return;
  answered_ = true;
  timer_.cancel();
  send(std::move(res));
}

void session::reject(bhttp::status s, std::string_view detail) {
  // The request could not be read completely: answer and close, draining what the client still
  // sends so that the answer is not lost to a TCP reset.
  phase_ = phase::handling;
  ++seq_;
  answered_ = true;
  close_after_ = true;
  linger_ = true;
  route_id_ = st_->unmatched_route;
  head_ = false;
  keep_alive_ = false;
  version_ = 11;
  method_ = bhttp::verb::unknown;
  path_ = {};
  generate_request_id(request_id_);
  if (parser_ && parser_->is_header_done()) {
    const auto& req = parser_->get();
    method_ = req.method();
    version_ = req.version();
    const auto target = req.target();
    path_ = std::string_view{target.data(), target.size()};
    path_ = path_.substr(0, path_.find('?'));
    const auto incoming = req["X-Request-Id"];
    if (!incoming.empty() && is_valid_request_id(incoming)) request_id_.assign(incoming.data(), incoming.size());
  }
  send(make_problem(s, detail, path_, request_id_));
}

// --- writing ------------------------------------------------------------------------------------

void session::send(response res) {
  res.version(version_);
  add_common_headers(res, request_id_, path_, st_->opts);
  const bool close = !keep_alive_ || close_after_ || st_->draining.load(std::memory_order_relaxed);
  res.keep_alive(!close);
  res.prepare_payload();
  const auto bytes = res.body().size();
  if (head_) res.body().clear();  // Content-Length stays that of the GET body

  const auto status = res.result_int();
  const auto us = static_cast<std::uint64_t>(
    std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - started_).count());
  st_->metrics->record(route_id_, method_, status, us);
  if (st_->access_log && st_->access_log->should_log(spdlog::level::info)) {
    const std::string_view label = st_->route_labels[route_id_];
    // Route template, never the raw path or query; no headers, no bodies.
    const auto method = bhttp::to_string(method_);
    format_access_line(log_line_, std::string_view{method.data(), method.size()}, label, status, us, request_id_,
                       bytes);
    st_->access_log->log(spdlog::level::info, spdlog::string_view_t{log_line_.data(), log_line_.size()});
  }

  res_ = std::move(res);
  serialize_header(res_, wire_);
  phase_ = phase::writing;
  stream_.expires_after(st_->opts.write_timeout);
  const std::array<net::const_buffer, 2> out{net::buffer(wire_), net::buffer(res_.body())};
  net::async_write(stream_, out, beast::bind_front_handler(&session::on_write, shared_from_this(), close));
}

void session::on_write(bool close, error_code ec, std::size_t) {
  if (phase_ == phase::closed) return;
  if (ec) return do_close();
  res_ = {};
  if (close) return linger_ ? do_linger() : do_close();
  do_wait();
}

void session::do_linger() {
  phase_ = phase::lingering;
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return do_close();
  buffer_.clear();
  stream_.expires_after(linger_time);
  // Read and discard until the client closes, the time is up, or it sent too much.
  struct reader {
    std::shared_ptr<session> self;
    std::size_t total = 0;
    void operator()(error_code ec, std::size_t n) {
      auto& s = *self;
      if (s.phase_ != phase::lingering) return;
      total += n;
      s.buffer_.clear();
      if (ec || total > linger_max_bytes) return s.do_close();
      s.stream_.async_read_some(s.buffer_.prepare(read_chunk), std::move(*this));
    }
  };
  stream_.async_read_some(buffer_.prepare(read_chunk), reader{shared_from_this()});
}

void session::do_close() {
  if (phase_ == phase::closed) return;
  phase_ = phase::closed;
  timer_.cancel();
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();  // cancels pending operations; their handlers see phase::closed
}

}  // namespace hw::http_api
