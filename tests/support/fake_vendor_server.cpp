#include "tests/support/fake_vendor_server.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <stdexcept>
#include <thread>

namespace hw::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

std::string vendor_request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

std::string vendor_http_result::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

// ---- server --------------------------------------------------------------------------------

struct vendor_http_server::impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  handler answer;
  std::uint16_t port = 0;

  explicit impl(int n) : ioc(n) {}

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed: shutting down
      serve(std::move(socket));
      do_accept();
    });
  }

  void serve(tcp::socket socket) {
    struct session : std::enable_shared_from_this<session> {
      beast::tcp_stream stream;
      beast::flat_buffer buffer;
      bhttp::request<bhttp::string_body> req;
      bhttp::response<bhttp::string_body> res;
      net::steady_timer timer;
      explicit session(tcp::socket s) : stream(std::move(s)), timer(stream.get_executor()) {}
    };
    auto s = std::make_shared<session>(std::move(socket));
    s->stream.expires_after(std::chrono::seconds(10));
    bhttp::async_read(s->stream, s->buffer, s->req, [this, s](beast::error_code ec, std::size_t) {
      if (ec) return;
      vendor_request in;
      in.method = std::string{s->req.method_string()};
      in.target = std::string{s->req.target()};
      for (const auto& f : s->req) in.headers[lower(std::string{f.name_string()})] = std::string{f.value()};
      in.body = std::move(s->req.body());
      vendor_response r;
      try {
        r = answer(in);
      } catch (const std::exception&) {
        r = vendor_response{500, std::string{R"({"message":"fake server error"})"}, {}, {}};
      }
      s->res.version(11);
      s->res.result(r.status);
      s->res.set(bhttp::field::content_type, "application/json; charset=utf-8");
      for (const auto& [k, v] : r.headers) s->res.set(k, v);
      s->res.keep_alive(false);
      s->res.body() = std::move(r.body);
      s->res.prepare_payload();
      auto write = [s] {
        s->stream.expires_after(std::chrono::seconds(10));
        bhttp::async_write(s->stream, s->res, [s](beast::error_code, std::size_t) {
          beast::error_code ignored;
          s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        });
      };
      if (r.delay.count() <= 0) return write();
      // A timer, not a sleep: other connections keep being served while this one waits.
      s->timer.expires_after(r.delay);
      s->timer.async_wait([write](beast::error_code) { write(); });
    });
  }
};

vendor_http_server::vendor_http_server(handler h, std::uint16_t port, int threads)
    : impl_(std::make_unique<impl>(threads < 1 ? 1 : threads)) {
  impl_->answer = std::move(h);
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), port};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

vendor_http_server::~vendor_http_server() {
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

std::uint16_t vendor_http_server::port() const noexcept { return impl_->port; }

std::string vendor_http_server::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

// ---- client --------------------------------------------------------------------------------

vendor_http_result vendor_http(const std::string& method, const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body, long timeout_ms) {
  vendor_http_result out;
  CURL* h = curl_easy_init();
  if (!h) return out;
  std::string raw_headers;
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST" || method == "PATCH" || method == "PUT" || !body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &raw_headers);
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  std::size_t pos = 0;
  while (pos < raw_headers.size()) {
    auto eol = raw_headers.find("\r\n", pos);
    if (eol == std::string::npos) eol = raw_headers.size();
    const auto line = raw_headers.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.rfind("HTTP/", 0) == 0) {
      out.headers.clear();  // a new status line (after a 1xx)
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    out.headers.emplace(lower(line.substr(0, colon)), value);
  }
  return out;
}

std::string vendor_hmac_sha256_hex(std::string_view key, std::string_view msg) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char empty = 0;
  const auto* k = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (HMAC(EVP_sha256(), k, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
           msg.size(), mac, &len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out += digits[mac[i] >> 4];
    out += digits[mac[i] & 15];
  }
  return out;
}

std::int64_t vendor_wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

}  // namespace hw::testing
