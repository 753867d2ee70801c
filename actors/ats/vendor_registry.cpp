#include "actors/ats/vendor_registry.hpp"

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_connector.hpp"
#include "actors/ats/greenhouse_signature.hpp"
#include "actors/ats/lever_connector.hpp"
#include "actors/ats/lever_signature.hpp"

namespace hw::ats {

namespace {

using json = nlohmann::json;

constexpr std::size_t max_lever_body = 1u << 20;  // Lever deliveries are small; we parse before verifying
constexpr std::size_t max_event_id = 200;

std::string header(const std::map<std::string, std::string>& h, const char* name) {
  const auto it = h.find(name);
  return it == h.end() ? std::string{} : it->second;
}

bool printable(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// ---- Greenhouse ----

std::unique_ptr<connector> make_greenhouse(const std::map<std::string, std::string>& creds,
                                           const vendor_endpoints& ep, connector_env env) {
  return std::make_unique<greenhouse_connector>(creds, ep, std::move(env));
}

result<verified_webhook> verify_greenhouse(std::string_view raw_body, const std::map<std::string, std::string>& h,
                                           std::string_view secret, epoch_ms /*now_ms*/) {
  // The MAC covers the raw bytes: nothing is parsed before it checks out.
  const auto check = verify_greenhouse_signature(secret, raw_body, header(h, "signature"));
  if (!check) return hw::error{errc::unauthorized, std::string{check.reason()}};
  const auto body = json::parse(raw_body.begin(), raw_body.end(), nullptr, false);
  if (!body.is_object()) return hw::error{errc::invalid_argument, "webhook body is not a JSON object"};
  auto hint = domain::interpret_greenhouse_webhook(body);
  if (!hint) return std::move(hint).error();
  verified_webhook out;
  out.hint = std::move(*hint);
  if (auto id = header(h, "greenhouse-event-id"); !id.empty() && id.size() <= max_event_id && printable(id))
    out.vendor_event_id = std::move(id);
  return out;
}

// ---- Lever ----

std::unique_ptr<connector> make_lever(const std::map<std::string, std::string>& creds, const vendor_endpoints& ep,
                                      connector_env env) {
  return std::make_unique<lever_connector>(creds, ep, std::move(env));
}

std::string triggered_at_text(const json& body) {
  const auto it = body.find("triggeredAt");
  if (it == body.end()) return {};
  if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  if (it->is_string()) return it->get<std::string>();
  return {};
}

result<verified_webhook> verify_lever(std::string_view raw_body, const std::map<std::string, std::string>& /*h*/,
                                      std::string_view secret, epoch_ms now_ms) {
  // Lever signs fields inside the body, so the body is parsed first: bounded.
  if (secret.empty()) return hw::error{errc::unauthorized, "no webhook signature token configured"};
  if (raw_body.size() > max_lever_body) return hw::error{errc::invalid_argument, "webhook body too large"};
  const auto body = json::parse(raw_body.begin(), raw_body.end(), nullptr, false);
  if (!body.is_object()) return hw::error{errc::invalid_argument, "webhook body is not a JSON object"};
  const auto check = verify_lever_signature(secret, body, now_ms);
  if (!check) return hw::error{errc::unauthorized, std::string{check.reason()}};
  auto hint = domain::interpret_lever_webhook(body);
  if (!hint) return std::move(hint).error();
  verified_webhook out;
  out.vendor_event_id = hint->action + ":" + hint->application_id + ":" + triggered_at_text(body);
  out.hint = std::move(*hint);
  return out;
}

}  // namespace

const vendor_traits* find_vendor(std::string_view vendor) noexcept {
  for (const auto* v : all_vendors()) {
    if (v->name == vendor) return v;
  }
  return nullptr;
}

const std::vector<const vendor_traits*>& all_vendors() {
  // Function-local statics: safe to use from other translation units' static initializers.
  static const vendor_traits greenhouse{"greenhouse",
                                        {"client_id", "client_secret"},
                                        {"sub"},
                                        true,
                                        &validate_greenhouse_credentials,
                                        &make_greenhouse,
                                        &verify_greenhouse};
  static const vendor_traits lever{"lever",
                                   {"api_key"},
                                   {"webhook_signature_token"},
                                   false,
                                   &validate_lever_credentials,
                                   &make_lever,
                                   &verify_lever};
  static const std::vector<const vendor_traits*> all{&greenhouse, &lever};
  return all;
}

}  // namespace hw::ats
