#pragma once
// The client's address behind trusted reverse proxies (load balancers). Without configuration the
// peer address of the connection is the client: X-Forwarded-For is ignored, since anyone can send
// it. With `http.trusted-proxies`, a request whose peer is a trusted proxy is attributed to the
// right-most X-Forwarded-For entry that is not itself a trusted proxy (entries further left were
// written by the client and prove nothing). Used for login throttling and the audit log.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hw::http_api {

class trusted_proxies {
 public:
  /// "10.0.0.0/8, 192.0.2.7, 2001:db8::/32" (commas and/or spaces). Empty: none trusted.
  /// Throws std::invalid_argument naming the bad entry.
  static trusted_proxies parse(std::string_view list);

  bool empty() const noexcept { return nets_.empty(); }
  /// True when `ip` (text, IPv4 or IPv6; an IPv4-mapped IPv6 address counts as IPv4) is inside one
  /// of the networks.
  bool contains(std::string_view ip) const;

  /// The client address for a request from `peer` carrying `forwarded_for` (the X-Forwarded-For
  /// header value, maybe empty).
  std::string client_address(const std::string& peer, std::string_view forwarded_for) const;

 private:
  struct net {
    std::array<std::uint8_t, 16> addr{};  // IPv4 stored as IPv4-mapped IPv6
    int prefix = 128;
  };
  std::vector<net> nets_;
};

/// 16 bytes of an IPv4 (as ::ffff:a.b.c.d) or IPv6 address; nothing when `ip` is not one.
std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view ip);

}  // namespace hw::http_api
