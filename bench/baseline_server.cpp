// bench/baseline_server.cpp: the raw Boost.Beast "hello JSON" server of shared/reference/anchors.md §3,
// unchanged, built with the project so every benchmark run measures its own baseline.
// usage: hw_bench_baseline 127.0.0.1 8080
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
namespace beast = boost::beast; namespace http = beast::http; namespace net = boost::asio;
using tcp = net::ip::tcp;
static const std::string kBody = R"({"status":"ok","value":123})";  // 27 bytes
class session : public std::enable_shared_from_this<session> {
  beast::tcp_stream stream_; beast::flat_buffer buffer_;
  http::request<http::string_body> req_; http::response<http::string_body> res_;
 public:
  explicit session(tcp::socket&& s) : stream_(std::move(s)) {}
  void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::do_read, shared_from_this())); }
 private:
  void do_read() {
    req_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, req_, beast::bind_front_handler(&session::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec) return;
    res_ = http::response<http::string_body>{http::status::ok, req_.version()};
    res_.set(http::field::server, "beast-anchor");
    res_.set(http::field::content_type, "application/json");
    res_.keep_alive(req_.keep_alive());
    res_.body() = kBody;
    res_.prepare_payload();
    http::async_write(stream_, res_, beast::bind_front_handler(&session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    if (!res_.keep_alive()) return do_close();
    do_read();
  }
  void do_close() { beast::error_code ec; stream_.socket().shutdown(tcp::socket::shutdown_send, ec); }
};
class listener : public std::enable_shared_from_this<listener> {
  net::io_context& ioc_; tcp::acceptor acceptor_;
 public:
  listener(net::io_context& ioc, tcp::endpoint ep) : ioc_(ioc), acceptor_(ioc) {
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }
  void run() { do_accept(); }
 private:
  void do_accept() { acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this())); }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!ec) { socket.set_option(tcp::no_delay(true)); std::make_shared<session>(std::move(socket))->run(); }
    do_accept();
  }
};
int main(int argc, char* argv[]) {
  if (argc != 3) { std::cerr << "usage: server <address> <port>\n"; return 1; }
  auto addr = net::ip::make_address(argv[1]);
  auto port = static_cast<unsigned short>(std::atoi(argv[2]));
  net::io_context ioc{1};
  std::make_shared<listener>(ioc, tcp::endpoint{addr, port})->run();
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  ioc.run();
}
