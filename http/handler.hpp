#pragma once
// http-internal: the vocabulary shared by the session, the router and the route handlers.
// Beast types are allowed here (http/*.hpp); server.hpp stays Boost-free.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace hw {
class entity_gateway;
class account_service;
class ats_service;
class content_service;
struct principal;
}

namespace hw::http_api {

namespace bhttp = boost::beast::http;
using request = bhttp::request<bhttp::string_body>;
using response = bhttp::response<bhttp::string_body>;

struct server_options;
class http_metrics;
class static_files;
struct admin_key;

/// Where a response goes. Implemented by the session; deliver() may be called from any thread.
class response_sink {
 public:
  virtual ~response_sink() = default;
  /// Hands `res` to the request with sequence number `seq`. A response for a request that was
  /// already answered (e.g. by the request timeout) or for a closed connection is dropped.
  virtual void deliver(std::uint64_t seq, response res) = 0;
};

/// The one-shot reply handle given to a handler. Cheap to copy (a shared_ptr and a number), safe
/// to call from any thread (the gateway's callbacks run on actor threads): the session posts the
/// response onto the connection's strand. Calling it twice is harmless: the second is dropped.
class responder {
 public:
  responder(std::shared_ptr<response_sink> sink, std::uint64_t seq) noexcept
      : sink_(std::move(sink)), seq_(seq) {}
  void operator()(response res) const { sink_->deliver(seq_, std::move(res)); }

 private:
  std::shared_ptr<response_sink> sink_;
  std::uint64_t seq_;
};

/// Path parameters captured by a template ("{id}"); views into the request target.
struct route_params {
  static constexpr std::size_t max = 4;
  std::array<std::pair<std::string_view, std::string_view>, max> items{};
  std::size_t size = 0;
  /// Empty when the template has no such parameter.
  std::string_view get(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < size; ++i) {
      if (items[i].first == name) return items[i].second;
    }
    return {};
  }
};

/// What every handler may use; owned by the server, outlives every request.
struct services {
  entity_gateway& gateway;
  const server_options& options;
  http_metrics& metrics;
  static_files& files;
  const admin_key& admin;
  account_service* accounts;  // null when the server runs without accounts: its routes answer 503
  ats_service* ats = nullptr;  // null: the ATS and webhook routes answer 503
  content_service* content = nullptr;  // null: the content and template routes answer 503
};

/// One request as the handler sees it. Valid only during the handler call: copy what an
/// asynchronous continuation needs.
struct route_context {
  const request& req;
  std::string_view path;        // target without the query string, not decoded
  std::string_view route;       // the matched template, e.g. "/api/v1/orgs/{id}"
  const route_params& params;
  std::string_view request_id;
  services& svc;
  std::string_view remote_ip;   // the peer address of the connection ("" if unknown); no proxy headers
  /// Who is calling, as the middleware (http/auth.cpp) established it before the handler ran:
  /// null on public routes; on session_only routes a user; on operator routes the bootstrap
  /// admin; on org-scoped routes a principal whose role in {id} allows the route's action.
  const principal* who = nullptr;
  std::string_view param(std::string_view name) const noexcept { return params.get(name); }
};

/// A route handler (Drogon style): answers exactly once through the responder, now or later.
using handler = std::function<void(const route_context&, responder)>;

}  // namespace hw::http_api
