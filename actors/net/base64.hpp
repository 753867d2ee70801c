#pragma once
// Standard base64 (RFC 4648 §4, '+' '/' and '=' padding) for wire formats that need it:
// HTTP Basic credentials (actors/ats/vendor_http) and MIME encoded words (actors/notify/smtp).
// Header-only, built on the tested base64url encoder of hw_domain.
#include <string>
#include <string_view>

#include "actors/domain/base64url.hpp"

namespace hw::net {

inline std::string base64_encode(std::string_view bytes) {
  std::string out = base64url_encode(bytes);
  for (char& ch : out) {
    if (ch == '-') ch = '+';
    if (ch == '_') ch = '/';
  }
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

}  // namespace hw::net
