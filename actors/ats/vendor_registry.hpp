#pragma once
// Everything vendor-specific behind one table (issue 4): a third ATS adds one `vendor_traits`
// entry and a `connector` implementation, and touches nothing else. Plain functions, any thread.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/ats/connector.hpp"
#include "actors/domain/ats_webhook_hint.hpp"
#include "actors/domain/result.hpp"

namespace hw::ats {

/// A verified webhook delivery, ready for the inbox.
struct verified_webhook {
  std::optional<std::string> vendor_event_id;  // Greenhouse-Event-ID; Lever: event+opportunity+triggeredAt
  domain::webhook_hint hint;
};

struct vendor_traits {
  std::string_view name;  // "greenhouse" | "lever": path segment, storage value
  /// Credential fields: required and optional names (values are never logged or returned).
  std::vector<std::string_view> required_credentials;
  std::vector<std::string_view> optional_credentials;
  /// True when WE generate the webhook secret (shown once; the recruiter pastes it into the ATS);
  /// false when the ATS generates it and the recruiter gives it to us (Lever's signature token is
  /// then a credential field, `webhook_signature_token`).
  bool we_generate_webhook_secret = false;
  /// Checks shapes and lengths of the credential fields: invalid_argument naming the field.
  result<unit> (*validate_credentials)(const std::map<std::string, std::string>& creds) = nullptr;
  /// A connector for these credentials (validated) at these endpoints.
  std::unique_ptr<connector> (*make_connector)(const std::map<std::string, std::string>& creds,
                                               const vendor_endpoints& ep, connector_env env) = nullptr;
  /// Verifies a delivery on its RAW bytes (constant-time compare) and interprets it.
  /// `secret`: the webhook secret (Greenhouse) / signature token (Lever). `now_ms` bounds Lever's
  /// triggeredAt (±5 minutes). unauthorized for any signature problem (detail: a fixed reason);
  /// invalid_argument for a body that is not the vendor's JSON envelope.
  result<verified_webhook> (*verify_webhook)(std::string_view raw_body,
                                             const std::map<std::string, std::string>& headers_lower,
                                             std::string_view secret, epoch_ms now_ms) = nullptr;
};

/// The traits for `vendor`, or nullptr.
const vendor_traits* find_vendor(std::string_view vendor) noexcept;
/// Every known vendor, in a fixed order.
const std::vector<const vendor_traits*>& all_vendors();

}  // namespace hw::ats
