#include "http/metrics.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include <fmt/format.h>

#include "actors/domain/entity_gateway.hpp"

namespace hw::http_api {

namespace {

constexpr std::array<unsigned, http_metrics::status_slots - 1> known_statuses = {
  200, 201, 202, 204, 206, 301, 302, 304, 307, 308, 400, 401, 403, 404,
  405, 408, 409, 412, 413, 415, 422, 429, 431, 500, 501, 503, 504};
// The last slot counts any other status; it is rendered as its class ("2xx".."5xx" is too
// coarse to be useful, so it is simply "other").

std::size_t status_slot(unsigned status) noexcept {
  for (std::size_t i = 0; i < known_statuses.size(); ++i) {
    if (known_statuses[i] == status) return i;
  }
  return known_statuses.size();
}

constexpr std::array<const char*, http_metrics::method_slots> method_names = {
  "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::size_t method_slot(boost::beast::http::verb v) noexcept {
  using boost::beast::http::verb;
  switch (v) {
    case verb::get: return 0;
    case verb::head: return 1;
    case verb::post: return 2;
    case verb::put: return 3;
    case verb::patch: return 4;
    case verb::delete_: return 5;
    case verb::options: return 6;
    default: return 7;
  }
}

// Upper bounds in microseconds and as rendered.
constexpr std::array<std::uint64_t, http_metrics::bucket_count> bucket_us = {
  500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 10000000};
constexpr std::array<const char*, http_metrics::bucket_count> bucket_labels = {
  "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "10"};

}  // namespace

struct http_metrics::route_series {
  std::atomic<std::uint64_t> requests[method_slots][status_slots] = {};
  std::atomic<std::uint64_t> buckets[bucket_count] = {};  // not cumulative; rendered cumulative
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_us{0};
};

http_metrics::http_metrics(std::vector<std::string> routes)
    : routes_(std::move(routes)), series_(new route_series[routes_.size()]) {}

http_metrics::~http_metrics() = default;

void http_metrics::record(std::size_t route, boost::beast::http::verb method, unsigned status,
                          std::uint64_t duration_us) noexcept {
  auto& s = series_[route];
  s.requests[method_slot(method)][status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  for (std::size_t b = 0; b < bucket_count; ++b) {
    if (duration_us <= bucket_us[b]) {
      s.buckets[b].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  s.count.fetch_add(1, std::memory_order_relaxed);
  s.sum_us.fetch_add(duration_us, std::memory_order_relaxed);
}

void http_metrics::render(std::string& out) const {
  auto it = std::back_inserter(out);
  out += "# HELP hw_http_requests_total HTTP requests answered, by method, route template and status.\n";
  out += "# TYPE hw_http_requests_total counter\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const auto label = escape_label(routes_[r]);
    for (std::size_t m = 0; m < method_slots; ++m) {
      for (std::size_t st = 0; st < status_slots; ++st) {
        const auto n = series_[r].requests[m][st].load(std::memory_order_relaxed);
        if (n == 0) continue;
        if (st < known_statuses.size()) {
          fmt::format_to(it, "hw_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                         method_names[m], label, known_statuses[st], n);
        } else {
          fmt::format_to(it, "hw_http_requests_total{{method=\"{}\",route=\"{}\",status=\"other\"}} {}\n",
                         method_names[m], label, n);
        }
      }
    }
  }
  out += "# HELP hw_http_request_duration_seconds Time from the first byte of a request to its response.\n";
  out += "# TYPE hw_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    const auto& s = series_[r];
    const auto count = s.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const auto label = escape_label(routes_[r]);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < bucket_count; ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      fmt::format_to(it, "hw_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                     bucket_labels[b], cumulative);
    }
    // Counters are read one by one while requests run: keep +Inf >= every finite bucket.
    const auto total = std::max(count, cumulative);
    fmt::format_to(it, "hw_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label, total);
    fmt::format_to(it, "hw_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n", label,
                   static_cast<double>(s.sum_us.load(std::memory_order_relaxed)) / 1e6);
    fmt::format_to(it, "hw_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, total);
  }
}

void render_runtime_stats(const runtime_stats& s, std::string& out) {
  auto it = std::back_inserter(out);
  out += "# HELP hw_active_actors Entity actors currently active, by entity type.\n";
  out += "# TYPE hw_active_actors gauge\n";
  for (const auto& [type, n] : s.active_actors) {
    fmt::format_to(it, "hw_active_actors{{type=\"{}\"}} {}\n", escape_label(type), n);
  }
  fmt::format_to(it,
                 "# HELP hw_db_pool_size Database worker connections configured.\n"
                 "# TYPE hw_db_pool_size gauge\nhw_db_pool_size {}\n"
                 "# HELP hw_db_pool_in_use Database workers busy with a statement.\n"
                 "# TYPE hw_db_pool_in_use gauge\nhw_db_pool_in_use {}\n"
                 "# HELP hw_db_pool_connected Database workers with a live connection.\n"
                 "# TYPE hw_db_pool_connected gauge\nhw_db_pool_connected {}\n",
                 s.db_pool_size, s.db_pool_in_use, s.db_pool_connected);
  out += "# HELP hw_queue_jobs Jobs in the queue, by kind and state.\n";
  out += "# TYPE hw_queue_jobs gauge\n";
  for (const auto& [key, n] : s.queue_depth) {
    fmt::format_to(it, "hw_queue_jobs{{kind=\"{}\",state=\"{}\"}} {}\n", escape_label(key.first),
                   escape_label(key.second), n);
  }
  for (const auto& x : s.extra) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} {}\n{} {}\n", x.name, x.help, x.name, x.type, x.name, x.value);
  }
}

std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace hw::http_api
