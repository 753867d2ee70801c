#include "actors/ats/lever_signature.hpp"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
#include "actors/domain/hex.hpp"

namespace hw::ats {

namespace {

using json = nlohmann::json;

// triggeredAt as the decimal text that was signed, or "" when it is not a non-negative integer.
std::string triggered_text(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    return n < 0 ? std::string{} : std::to_string(n);
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 18) return {};
    for (char c : s) {
      if (c < '0' || c > '9') return {};
    }
    return s;
  }
  return {};
}

}  // namespace

std::string_view lever_signature_check::reason() const noexcept {
  switch (verdict) {
    case lever_verdict::valid: return "signature valid";
    case lever_verdict::no_secret: return "no webhook signature token configured";
    case lever_verdict::missing_fields: return "token, triggeredAt or signature missing";
    case lever_verdict::bad_digest: return "signature must be 64 hex characters";
    case lever_verdict::mismatch: return "signature does not match";
    case lever_verdict::stale: return "triggeredAt is outside the allowed window";
  }
  return "signature refused";
}

std::string lever_signature_hex(std::string_view signature_token, std::string_view token,
                                std::string_view triggered_at) {
  std::string msg{token};
  msg += triggered_at;
  // The same HMAC-SHA256 hex as Greenhouse's, over a different message.
  return greenhouse_signature_hex(signature_token, msg);
}

lever_signature_check verify_lever_signature(std::string_view signature_token, const json& body, std::int64_t now_ms,
                                             std::chrono::milliseconds window) {
  if (signature_token.empty()) return {lever_verdict::no_secret};
  if (!body.is_object()) return {lever_verdict::missing_fields};
  const auto tok = body.find("token");
  const auto sig = body.find("signature");
  const auto at = body.find("triggeredAt");
  if (tok == body.end() || sig == body.end() || at == body.end() || !tok->is_string() || !sig->is_string())
    return {lever_verdict::missing_fields};
  const std::string triggered = triggered_text(*at);
  if (triggered.empty()) return {lever_verdict::missing_fields};
  const auto& hex = sig->get_ref<const std::string&>();
  if (hex.size() != 64) return {lever_verdict::bad_digest};
  const auto received = hw::from_hex(hex);
  if (!received) return {lever_verdict::bad_digest};
  const auto expected = hw::from_hex(lever_signature_hex(signature_token, tok->get_ref<const std::string&>(), triggered));
  if (!expected || expected->size() != received->size() ||
      CRYPTO_memcmp(expected->data(), received->data(), expected->size()) != 0)
    return {lever_verdict::mismatch};
  // Only a genuine delivery gets its age judged: a forgery learns nothing about the window.
  const auto t = std::stoll(triggered);
  const auto w = window.count();
  if (t < now_ms - w || t > now_ms + w) return {lever_verdict::stale};
  return {lever_verdict::valid};
}

}  // namespace hw::ats
