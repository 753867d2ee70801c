#pragma once
// Prometheus metrics for HTTP requests. Every counter exists before the first request (one per
// route x method x status slot), so recording a request is a few relaxed atomic increments: no
// lock, no allocation, no lookup by string on the hot path.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ostream>  // boost/core/detail/string_view.hpp needs it complete

#include <boost/beast/http/verb.hpp>

namespace hw {
struct runtime_stats;
}

namespace hw::http_api {

class http_metrics {
 public:
  /// `routes`: label by route id (router templates plus the server's pseudo routes).
  explicit http_metrics(std::vector<std::string> routes);
  ~http_metrics();

  /// Any thread. `route` must be < routes.size().
  void record(std::size_t route, boost::beast::http::verb method, unsigned status,
              std::uint64_t duration_us) noexcept;

  /// Appends hw_http_requests_total and hw_http_request_duration_seconds (text format 0.0.4).
  void render(std::string& out) const;

  static constexpr std::size_t method_slots = 8;
  static constexpr std::size_t status_slots = 28;
  static constexpr std::size_t bucket_count = 13;  // finite buckets; +Inf is the count

 private:
  struct route_series;
  std::vector<std::string> routes_;
  std::unique_ptr<route_series[]> series_;
};

/// Appends the gateway's runtime statistics: hw_active_actors{type}, hw_db_pool_size,
/// hw_db_pool_in_use, hw_db_pool_connected, hw_queue_jobs{kind,state}.
void render_runtime_stats(const runtime_stats& s, std::string& out);

/// Escapes a Prometheus label value (backslash, double quote, newline).
std::string escape_label(std::string_view v);

}  // namespace hw::http_api
