#pragma once
// http-internal: everything one server shares with its connections. Sessions hold it by
// shared_ptr, so the io_context outlives every socket even when a gateway callback keeps a
// session alive past server::~server (the callback is then dropped, see session::deliver).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "http/admin_auth.hpp"
#include "http/client_ip.hpp"
#include "http/handler.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"

namespace spdlog {
class logger;
}

namespace hw::http_api {

class session;

struct server_state {
  server_state(server_options o, entity_gateway& gateway);

  // Declaration order is construction order: routes -> labels -> metrics -> services.
  server_options opts;
  boost::asio::io_context ioc;  // concurrency hint = io_threads
  router routes;
  std::vector<std::string> route_labels;  // by route id: the templates, then "unmatched"
  std::size_t unmatched_route = 0;  // label id for requests no template matched (or unreadable)
  std::unique_ptr<http_metrics> metrics;
  static_files files;
  admin_key admin;
  trusted_proxies proxies;  // opts.trusted_proxies, parsed (X-Forwarded-For is believed only from them)
  services svc;
  std::shared_ptr<spdlog::logger> access_log;  // null when disabled

  std::atomic<bool> draining{false};  // stop() began: no keep-alive, idle connections close
  std::atomic<bool> stopped{false};   // io threads joined: late callbacks are dropped

  // Open connections, for stop() and open_connections().
  std::mutex mutex;
  std::condition_variable cv;  // notified when a session goes away
  std::unordered_map<std::uint64_t, std::weak_ptr<session>> sessions;
  std::uint64_t next_session_id = 0;
  std::atomic<std::size_t> connections{0};
};

}  // namespace hw::http_api
