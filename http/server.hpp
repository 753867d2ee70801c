#pragma once
// The Beast HTTP front end behind a pimpl: this header includes no Boost header, so the
// composition root and the tests never parse Beast. http/ never includes CAF: it reaches the actor
// system only through hw::entity_gateway.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/domain/accounts.hpp"
#include "actors/domain/entity_gateway.hpp"

namespace hw {
class ats_service;
class content_service;
}

namespace hw::http_api {

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;                 // 0: pick a free port (tests)
  int io_threads = 1;
  std::size_t body_limit = 1024 * 1024;      // bytes; larger bodies answer 413
  std::size_t max_connections = 1024;        // beyond: 503 and close
  std::chrono::milliseconds idle_timeout{30'000};    // keep-alive wait for the next request
  std::chrono::milliseconds header_timeout{10'000};  // from first byte to a complete header
  std::chrono::milliseconds body_timeout{30'000};    // to read the body
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds request_timeout{10'000}; // a gateway call that never answers -> 504
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long on stop
  std::string static_dir = "web/dist";       // served under /app/
  std::string admin_token_sha256;            // hex SHA-256 of the bootstrap admin token; empty: disabled
  /// Reverse proxies whose X-Forwarded-For is believed ("10.0.0.0/8, 192.0.2.7"; http/client_ip.hpp).
  /// Empty: the connection's peer address is the client.
  std::string trusted_proxies;
  bool access_log = true;                    // one JSON line per request on the spdlog "access" logger
  bool dev_mailbox = false;                  // serve GET /api/v1/orgs/{id}/dev-mailbox (dev mailbox transport only)
  std::size_t header_limit = 16 * 1024;      // bytes of request line + headers; larger answers 431

  // ---- people and access (issue 3) ----
  /// Sign-up, login, sessions, members, invitations, API keys, SSO. Must outlive the server.
  /// Null: those routes answer 503, and only the bootstrap admin token authenticates.
  account_service* accounts = nullptr;
  /// The origin the SPA is served from, exactly as browsers send it in `Origin`
  /// ("https://hirewire.example", "http://127.0.0.1:8080"): state-changing /api/ requests with
  /// another Origin are refused (403), and the SSO redirect_uri is public_origin +
  /// "/api/v1/sso/callback". Empty: every request carrying an Origin header is refused.
  std::string public_origin;
  /// Development over plain HTTP: cookies are sent without `Secure`. Never in production.
  bool allow_insecure_cookies = false;
  /// TLS terminates at us or at a proxy that guarantees HTTPS: send Strict-Transport-Security.
  bool hsts = false;
  /// The CSRF token for a session (HMAC of the session id hash; actors/auth/csrf csrf_token bound
  /// to the server key). Called on io threads and actor threads: must be thread-safe.
  std::function<std::string(const std::string& session_id_hash_hex)> csrf_token;
  /// Whether `token` is the CSRF token of the session (actors/auth/csrf csrf_valid, constant
  /// time). Unset: every state-changing request authenticated by the session cookie is refused.
  std::function<bool(const std::string& session_id_hash_hex, const std::string& token)> csrf_valid;
  /// Called by stop() on the stopping thread once the listening socket is closed and idle
  /// connections were told to close, before waiting for in-flight requests (tests use it to know
  /// that new connections are refused). Optional.
  std::function<void()> on_draining;

  // ---- ATS integration (issue 4) ----
  /// Connections, jobs, applications and the public /webhooks/{vendor}/{connection} receiver.
  /// Must outlive the server. Null: those routes answer 503.
  ats_service* ats = nullptr;

  // ---- interview content (issue 5) ----
  /// Library, review, skills, job templates, proposals. Must outlive the server. Null: those
  /// routes answer 503.
  content_service* content = nullptr;
};

class server {
 public:
  /// `gateway` must outlive the server. Throws std::invalid_argument when admin_token_sha256 is
  /// neither empty nor 64 hex digits, or a trusted_proxies entry is not an address or network.
  server(server_options opts, entity_gateway& gateway);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds, listens and starts the io threads. Returns the bound port. Throws on bind failure.
  std::uint16_t start();

  /// Graceful: stops accepting, closes idle keep-alive connections, lets in-flight requests
  /// finish (their responses carry Connection: close) for up to shutdown_grace, then stops and
  /// joins the io threads. Idempotent; safe from any thread except an io thread.
  void stop();

  std::uint16_t port() const noexcept;
  std::size_t open_connections() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace hw::http_api
