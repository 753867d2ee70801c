#include "http/client_ip.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace hw::http_api {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool in_net(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& net, int prefix) {
  int bits = prefix;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (net[i] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view ip) {
  ip = trim(ip);
  if (ip.empty() || ip.size() > 45) return std::nullopt;
  const std::string s{ip.substr(0, ip.find('%'))};  // drop an IPv6 zone id
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

trusted_proxies trusted_proxies::parse(std::string_view list) {
  trusted_proxies t;
  std::size_t i = 0;
  while (i < list.size()) {
    const auto end = list.find_first_of(", ", i);
    const auto item = list.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    i = end == std::string_view::npos ? list.size() : end + 1;
    if (item.empty()) continue;
    const auto slash = item.find('/');
    auto addr = parse_ip(item.substr(0, slash));
    if (!addr) throw std::invalid_argument("http.trusted-proxies: not an address: " + std::string{item});
    const bool v4 = (*addr)[10] == 0xff && (*addr)[11] == 0xff &&
                    std::all_of(addr->begin(), addr->begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
                    item.substr(0, slash).find(':') == std::string_view::npos;
    int prefix = 128;
    if (slash != std::string_view::npos) {
      const auto p = item.substr(slash + 1);
      if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos)
        throw std::invalid_argument("http.trusted-proxies: bad prefix length: " + std::string{item});
      const int n = std::stoi(std::string{p});
      if (n > (v4 ? 32 : 128)) throw std::invalid_argument("http.trusted-proxies: bad prefix length: " + std::string{item});
      prefix = v4 ? 96 + n : n;
    }
    t.nets_.push_back(net{*addr, prefix});
  }
  return t;
}

bool trusted_proxies::contains(std::string_view ip) const {
  auto a = parse_ip(ip);
  if (!a) return false;
  for (const auto& n : nets_) {
    if (in_net(*a, n.addr, n.prefix)) return true;
  }
  return false;
}

std::string trusted_proxies::client_address(const std::string& peer, std::string_view forwarded_for) const {
  if (nets_.empty() || !contains(peer) || trim(forwarded_for).empty()) return peer;
  // Right to left: each trusted proxy appended the address it received the request from.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const auto item = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
    if (!parse_ip(item)) return peer;  // garbage in the chain: do not guess
    if (!contains(item)) return std::string{item.substr(0, item.find('%'))};
  }
  return peer;  // every hop trusted: the left-most proxy is as far as we can see
}

}  // namespace hw::http_api
