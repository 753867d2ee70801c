#pragma once
// Query-string helpers shared by the fake vendor servers in tests/support (fake_oidc_provider,
// fake_greenhouse): form/query decoding as a real server would do it.
#include <cctype>
#include <map>
#include <string>
#include <string_view>

namespace hw::testing::fake_http {

/// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte (bad escapes kept).
inline std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string{s.substr(i + 1, 2)}, nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// "a=1&b=x%20y" -> {a: 1, b: "x y"}; a key without '=' maps to "".
inline std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto part = q.substr(0, amp);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos) {
      out[url_decode(part.substr(0, eq))] = url_decode(part.substr(eq + 1));
    } else if (!part.empty()) {
      out[url_decode(part)] = "";
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

/// The value of `k`, or "" when absent.
inline std::string get(const std::map<std::string, std::string>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? std::string{} : it->second;
}

}  // namespace hw::testing::fake_http
