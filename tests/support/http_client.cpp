#include "tests/support/http_client.hpp"

#include <cctype>
#include <ostream>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace hw::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::string http_reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

bool http_reply::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return true;
  }
  return false;
}

std::vector<std::string> http_reply::headers_named(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) out.push_back(v);
  }
  return out;
}

namespace {

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> set_cookie::attribute(std::string_view attr) const {
  for (const auto& [k, v] : attributes) {
    if (iequals(k, attr)) return v;
  }
  return std::nullopt;
}

std::optional<set_cookie> set_cookie::parse(std::string_view line) {
  set_cookie out;
  bool first = true;
  while (!line.empty() || first) {
    const auto semi = line.find(';');
    auto item = trim_ws(line.substr(0, semi));
    line = semi == std::string_view::npos ? std::string_view{} : line.substr(semi + 1);
    const auto eq = item.find('=');
    if (first) {
      first = false;
      if (eq == std::string_view::npos || eq == 0) return std::nullopt;
      out.name = std::string{trim_ws(item.substr(0, eq))};
      out.value = std::string{trim_ws(item.substr(eq + 1))};
      continue;
    }
    if (item.empty()) continue;
    if (eq == std::string_view::npos) {
      out.attributes.emplace_back(std::string{item}, std::string{});
    } else {
      out.attributes.emplace_back(std::string{trim_ws(item.substr(0, eq))}, std::string{trim_ws(item.substr(eq + 1))});
    }
  }
  return out;
}

std::optional<set_cookie> find_set_cookie(const http_reply& r, std::string_view name) {
  std::optional<set_cookie> found;
  for (const auto& line : r.headers_named("Set-Cookie")) {
    auto c = set_cookie::parse(line);
    if (c && c->name == name) found = std::move(c);
  }
  return found;
}

void cookie_jar::update(const http_reply& r) {
  for (const auto& line : r.headers_named("Set-Cookie")) {
    auto c = set_cookie::parse(line);
    if (!c) continue;
    bool expired = c->value.empty();
    if (auto age = c->attribute("Max-Age")) {
      try {
        expired = expired || std::stol(*age) <= 0;
      } catch (const std::exception&) {
      }
    }
    if (expired) {
      values_.erase(c->name);
    } else {
      values_[c->name] = c->value;
    }
  }
}

std::optional<std::string> cookie_jar::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string cookie_jar::header() const {
  std::string out;
  for (const auto& [k, v] : values_) {
    if (!out.empty()) out += "; ";
    out += k + "=" + v;
  }
  return out;
}

struct http_client::impl {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  std::chrono::milliseconds timeout;

  // Runs the io_context until the started operation completes (tcp_stream enforces the timeout).
  void run() {
    ioc.restart();
    ioc.run();
  }
};

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout) : impl_(std::make_unique<impl>()) {
  impl_->timeout = timeout;
  beast::error_code result;
  impl_->stream.expires_after(timeout);
  impl_->stream.async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port},
                              [&](beast::error_code ec) { result = ec; });
  impl_->run();
  if (result) throw std::runtime_error("connect failed: " + result.message());
}

http_client::~http_client() = default;

bool http_client::can_connect(std::uint16_t port) {
  net::io_context ioc;
  tcp::socket s{ioc};
  beast::error_code ec;
  s.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

http_reply http_client::request(std::string_view method, std::string_view target, std::string body,
                                const header_list& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  bool chunked = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    chunked = chunked || iequals(k, "Transfer-Encoding");
  }
  req.body() = std::move(body);
  if (!chunked && (!req.body().empty() || method == "POST" || method == "PATCH" || method == "PUT")) {
    req.content_length(req.body().size());
  }
  if (chunked) req.chunked(true);

  beast::error_code result;
  impl_->stream.expires_after(impl_->timeout);
  bhttp::async_write(impl_->stream, req, [&](beast::error_code ec, std::size_t) { result = ec; });
  impl_->run();
  if (result) throw std::runtime_error("write failed: " + result.message());

  return read_reply(method == "HEAD");
}

void http_client::send_raw(std::string_view bytes) {
  beast::error_code result;
  impl_->stream.expires_after(impl_->timeout);
  net::async_write(impl_->stream, net::buffer(bytes.data(), bytes.size()),
                   [&](beast::error_code ec, std::size_t) { result = ec; });
  impl_->run();
  if (result) throw std::runtime_error("write failed: " + result.message());
}

http_reply http_client::read_reply(bool head_request) {
  beast::error_code result;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head_request);  // a response to HEAD has no body whatever Content-Length says
  impl_->stream.expires_after(impl_->timeout);
  bhttp::async_read(impl_->stream, impl_->buffer, parser, [&](beast::error_code ec, std::size_t) { result = ec; });
  impl_->run();
  if (result) throw std::runtime_error("read failed: " + result.message());
  auto& res = parser.get();
  http_reply out;
  out.status = res.result_int();
  for (const auto& f : res) out.headers.emplace_back(std::string{f.name_string()}, std::string{f.value()});
  out.body = std::move(res.body());
  out.keep_alive = res.keep_alive();
  return out;
}

bool http_client::wait_closed(std::chrono::milliseconds bound) {
  if (impl_->buffer.size() > 0) return false;
  char scratch[512];
  beast::error_code result;
  std::size_t got = 0;
  impl_->stream.expires_after(bound);
  impl_->stream.async_read_some(net::buffer(scratch), [&](beast::error_code ec, std::size_t n) {
    result = ec;
    got = n;
  });
  impl_->run();
  if (result == beast::error::timeout) return false;
  if (!result && got > 0) return false;
  return result == net::error::eof || result == net::error::connection_reset || !!result;
}

http_reply http_request(std::uint16_t port, std::string_view method, std::string_view target, std::string body,
                        const header_list& headers) {
  http_client c{port};
  return c.request(method, target, std::move(body), headers);
}

}  // namespace hw::testing
