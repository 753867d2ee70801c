#include "actors/accounts/auth_listener.hpp"

#include <pqxx/connection>
#include <pqxx/notification>
#include <pqxx/nontransaction>
#include <spdlog/spdlog.h>

namespace hw::actors {

namespace {

class receiver final : public pqxx::notification_receiver {
 public:
  receiver(pqxx::connection_base& c, session_cache& cache, std::atomic<std::uint64_t>& count)
      : pqxx::notification_receiver(c, "hw_auth"), cache_(cache), count_(count) {}
  void operator()(const std::string& payload, int) override {
    auth_listener::apply(cache_, payload);
    count_.fetch_add(1);
  }

 private:
  session_cache& cache_;
  std::atomic<std::uint64_t>& count_;
};

}  // namespace

auth_listener::auth_listener(auth_listener_options opt, std::shared_ptr<session_cache> cache)
    : opt_(std::move(opt)), cache_(std::move(cache)) {}

auth_listener::~auth_listener() { stop(); }

void auth_listener::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void auth_listener::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void auth_listener::apply(session_cache& cache, const std::string& payload) {
  constexpr std::string_view session_prefix = "session:";
  constexpr std::string_view user_prefix = "user:";
  if (payload.compare(0, session_prefix.size(), session_prefix) == 0) {
    cache.evict_session(payload.substr(session_prefix.size()));
  } else if (payload.compare(0, user_prefix.size(), user_prefix) == 0) {
    cache.evict_user(payload.substr(user_prefix.size()));
  } else if (payload == "all") {
    cache.clear();
  }
}

void auth_listener::run() {
  auto delay = opt_.reconnect_min;
  bool warned = false;
  while (!stop_) {
    try {
      pqxx::connection conn{opt_.dsn};
      receiver rx{conn, *cache_, received_};
      conn.get_notifs();  // issues LISTEN
      // Anything that happened while we were not listening may have been missed: start empty.
      cache_->clear();
      cache_->set_enabled(true);
      listening_ = true;
      if (warned) spdlog::info("auth listener: listening again on hw_auth");
      warned = false;
      delay = opt_.reconnect_min;
      const long usec = static_cast<long>(opt_.poll.count()) * 1000;
      auto next_ping = std::chrono::steady_clock::now() + opt_.ping_interval;
      while (!stop_) {
        conn.await_notification(usec / 1'000'000, usec % 1'000'000);
        // A half-open connection (peer gone without a FIN) would wait silently forever while
        // notifications are lost: a periodic round trip notices it and takes the reconnect path.
        if (std::chrono::steady_clock::now() >= next_ping) {
          pqxx::nontransaction ping{conn, "auth_listener_ping"};
          ping.exec("SELECT 1");
          next_ping = std::chrono::steady_clock::now() + opt_.ping_interval;
        }
      }
      listening_ = false;
      cache_->set_enabled(false);
      return;
    } catch (const std::exception&) {
      listening_ = false;
      cache_->set_enabled(false);
      if (!warned) spdlog::warn("auth listener: connection lost; session cache disabled until it is back");
      warned = true;
    }
    // Back off in poll-sized steps so stop() stays prompt.
    auto waited = std::chrono::milliseconds{0};
    while (!stop_ && waited < delay) {
      std::this_thread::sleep_for(opt_.poll);
      waited += opt_.poll;
    }
    delay = std::min(delay * 2, opt_.reconnect_max);
  }
}

}  // namespace hw::actors
