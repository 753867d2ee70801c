#include "actors/domain/oidc_claims.hpp"

#include <algorithm>

namespace hw::domain {

namespace {

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

hw::error refuse(const char* detail) { return hw::error{errc::unauthorized, detail}; }

}  // namespace

std::optional<std::string> email_domain(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return std::nullopt;
  if (email.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  return lower(email.substr(at + 1));
}

bool email_domain_allowed(std::string_view email, const std::vector<std::string>& allowed) {
  const auto domain = email_domain(email);
  if (!domain) return false;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return lower(a) == *domain; });
}

hw::result<verified_identity> validate_id_token_claims(const id_token_claims& c, const id_token_expectation& x) {
  if (!c.iss || x.issuer.empty() || *c.iss != x.issuer) return refuse("id_token: issuer mismatch");
  if (x.client_id.empty() || std::find(c.aud.begin(), c.aud.end(), x.client_id) == c.aud.end())
    return refuse("id_token: audience mismatch");
  // OIDC Core §3.1.3.7 (4)-(5): with several audiences the token must name us as its authorized
  // party; when azp is present at all it must be us.
  if (c.aud.size() > 1 && !c.azp) return refuse("id_token: azp mismatch");
  if (c.azp && *c.azp != x.client_id) return refuse("id_token: azp mismatch");
  const std::int64_t skew = x.skew.count();
  if (!c.exp || *c.exp <= x.now - skew) return refuse("id_token: expired");
  if (!c.iat || *c.iat > x.now + skew) return refuse("id_token: issued in the future");
  if (!c.nonce || x.nonce.empty() || *c.nonce != x.nonce) return refuse("id_token: nonce mismatch");
  if (!c.sub || c.sub->empty()) return refuse("id_token: missing sub");
  if (!c.email) return refuse("id_token: missing email");
  auto domain = email_domain(*c.email);
  if (!domain) return refuse("id_token: missing email");
  if (c.email_verified && !*c.email_verified) return refuse("id_token: email not verified");
  if (!email_domain_allowed(*c.email, x.allowed_domains)) return refuse("id_token: email domain not allowed");
  verified_identity id;
  id.sub = *c.sub;
  id.email = *c.email;
  id.email_domain = std::move(*domain);
  id.name = c.name.value_or(std::string{});
  return id;
}

bool is_pkce_verifier(std::string_view v) noexcept {
  if (v.size() < 43 || v.size() > 128) return false;
  return std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '.' || ch == '_' || ch == '~';
  });
}

}  // namespace hw::domain
