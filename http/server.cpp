#include "http/server.hpp"

#include <future>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/routes/routes.hpp"
#include "http/server_state.hpp"
#include "http/session.hpp"

namespace hw::http_api {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

std::shared_ptr<spdlog::logger> access_logger() {
  if (auto lg = spdlog::get("access")) return lg;
  try {
    auto lg = spdlog::stdout_logger_mt("access");
    lg->set_pattern("%v");  // the line is the JSON object; the composition root may replace it
    return lg;
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get("access");  // another server registered it meanwhile
  }
}

/// Answers a connection above max_connections with 503 and closes it, without reading a
/// request. Not counted as a connection.
class rejector : public std::enable_shared_from_this<rejector> {
 public:
  rejector(std::shared_ptr<server_state> st, tcp::socket&& s) : st_(std::move(st)), stream_(std::move(s)) {
    const auto rid = generate_request_id();
    res_ = make_problem(bhttp::status::service_unavailable, "the server is at its connection limit", "", rid);
    add_common_headers(res_, rid, "", st_->opts);
    res_.keep_alive(false);
    res_.prepare_payload();
  }
  void run() {
    stream_.expires_after(std::chrono::seconds(2));
    bhttp::async_write(stream_, res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      // Drain briefly so the client reads the 503 rather than a reset for its unread request.
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      self->stream_.expires_after(std::chrono::milliseconds(500));
      self->drain();
    });
  }

 private:
  void drain() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->drain();
    });
  }
  std::shared_ptr<server_state> st_;  // first: the io_context outlives the socket
  beast::tcp_stream stream_;
  response res_;
  char scratch_[1024];
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  explicit listener(std::shared_ptr<server_state> st)
      : st_(std::move(st)), acceptor_(net::make_strand(st_->ioc)), retry_(acceptor_.get_executor()) {}

  /// Throws boost::system::system_error on failure.
  std::uint16_t open(const std::string& address, std::uint16_t port) {
    const tcp::endpoint ep{net::ip::make_address(address), port};
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
  }

  void run() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
  }

  /// Closes the listening socket; returns once it is closed. Not from an io thread.
  void close() {
    std::promise<void> done;
    net::post(acceptor_.get_executor(), [this, &done] {
      beast::error_code ec;
      acceptor_.close(ec);
      retry_.cancel();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  void do_accept() {
    if (!acceptor_.is_open()) return;
    // One strand per connection: the socket is created on it, the session runs on it.
    auto strand = net::make_strand(st_->ioc);
    acceptor_.async_accept(strand, beast::bind_front_handler(&listener::on_accept, shared_from_this(), strand));
  }

  void on_accept(strand_type strand, beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
    if (ec) {
      // EMFILE and friends: back off briefly instead of spinning on the error.
      spdlog::warn("http accept failed: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([self = shared_from_this()](beast::error_code e) {
        if (!e) self->do_accept();
      });
      return;
    }
    beast::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    if (st_->connections.load(std::memory_order_relaxed) >= st_->opts.max_connections) {
      std::make_shared<rejector>(st_, std::move(socket))->run();
    } else {
      std::shared_ptr<session> s;
      {
        std::lock_guard<std::mutex> lock{st_->mutex};
        const auto id = st_->next_session_id++;
        s = std::make_shared<session>(st_, strand, std::move(socket), id);
        st_->sessions.emplace(id, s);
        st_->connections.fetch_add(1, std::memory_order_relaxed);
      }
      s->run();
    }
    do_accept();
  }

  std::shared_ptr<server_state> st_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
};

}  // namespace

router build_routes(const server_options& opts) {
  router r;
  add_system_routes(r);
  add_static_routes(r);
  add_session_routes(r);
  add_organization_routes(r);
  add_member_routes(r);
  add_team_invitation_routes(r);
  add_api_key_routes(r);
  add_sso_routes(r);
  add_ats_routes(r);
  add_content_routes(r);
  add_webhook_routes(r);
  if (opts.dev_mailbox) add_dev_mailbox_routes(r);
  return r;
}

namespace {

std::vector<std::string> labels_for(const router& r) {
  auto labels = r.templates();
  labels.emplace_back("unmatched");
  return labels;
}

}  // namespace

server_state::server_state(server_options o, entity_gateway& gateway)
    : opts(std::move(o)),
      ioc(opts.io_threads > 0 ? opts.io_threads : 1),
      routes(build_routes(opts)),
      route_labels(labels_for(routes)),
      unmatched_route(routes.templates().size()),
      metrics(std::make_unique<http_metrics>(route_labels)),
      files(opts.static_dir),
      admin(admin_key::from_hex(opts.admin_token_sha256)),
      proxies(trusted_proxies::parse(opts.trusted_proxies)),
      svc{gateway, opts, *metrics, files, admin, opts.accounts, opts.ats, opts.content},
      access_log(opts.access_log ? access_logger() : nullptr) {}

struct server::impl {
  impl(server_options opts, entity_gateway& gateway) {
    state = std::make_shared<server_state>(std::move(opts), gateway);
  }
  std::shared_ptr<server_state> state;
  std::shared_ptr<listener> accept;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex stop_mutex;
  bool started = false;
  bool stopped = false;
  std::uint16_t port = 0;
};

server::server(server_options opts, entity_gateway& gateway)
    : impl_(std::make_unique<impl>(std::move(opts), gateway)) {}

server::~server() { stop(); }

std::uint16_t server::start() {
  std::lock_guard<std::mutex> lock{impl_->stop_mutex};
  if (impl_->started) return impl_->port;
  auto& st = *impl_->state;
  impl_->accept = std::make_shared<listener>(impl_->state);
  impl_->port = impl_->accept->open(st.opts.address, st.opts.port);
  impl_->accept->run();
  impl_->work.emplace(st.ioc.get_executor());
  const int n = st.opts.io_threads > 0 ? st.opts.io_threads : 1;
  for (int i = 0; i < n; ++i) {
    impl_->threads.emplace_back([state = impl_->state] {
      for (;;) {
        try {
          state->ioc.run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch their own errors; this is the last line of defence.
          spdlog::error("http io thread: unhandled exception: {}", e.what());
        }
      }
    });
  }
  impl_->started = true;
  return impl_->port;
}

void server::stop() {
  std::lock_guard<std::mutex> lock{impl_->stop_mutex};
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  auto& st = *impl_->state;

  // 1. No new connections: the listening socket closes, so connects are refused.
  st.draining.store(true);
  impl_->accept->close();

  // 2. Idle keep-alive connections close now; busy ones finish with Connection: close.
  auto snapshot = [&st] {
    std::vector<std::shared_ptr<session>> out;
    std::lock_guard<std::mutex> l{st.mutex};
    for (auto& [id, weak] : st.sessions) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  };
  for (auto& s : snapshot()) s->drain();
  if (st.opts.on_draining) st.opts.on_draining();

  // 3. In-flight requests get shutdown_grace.
  {
    std::unique_lock<std::mutex> l{st.mutex};
    st.cv.wait_for(l, st.opts.shutdown_grace, [&st] { return st.sessions.empty(); });
  }

  // 4. Whatever is left is cut off; late gateway callbacks are dropped from here on.
  for (auto& s : snapshot()) s->force_close();
  st.stopped.store(true, std::memory_order_release);

  // 5. The io threads return once the remaining handlers (aborted operations) have run.
  impl_->work.reset();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  // A callback that raced with `stopped` may have posted after the threads left: run it now so
  // that it releases its session (it sees a closed connection and drops the response).
  st.ioc.restart();
  st.ioc.poll();
}

std::uint16_t server::port() const noexcept { return impl_->port; }

std::size_t server::open_connections() const noexcept {
  return impl_->state->connections.load(std::memory_order_relaxed);
}

}  // namespace hw::http_api
