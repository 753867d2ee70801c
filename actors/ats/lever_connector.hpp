#pragma once
// The Lever connector (issue 4, ats.md §2). BLOCKING (libcurl through vendor_http); one object per
// connection, used by that connection's sync worker only.
//
//   auth   HTTP Basic, the API key as user name and an empty password.
//   pages  {"data":[...],"hasNext":bool,"next":"<token>"}: `limit` (<= 100) and `offset=<next>`
//          while hasNext; a repeated offset is a loop. Client-side token bucket (10/s, burst 20)
//          plus the shared 429 / 5xx handling.
//   pull   archive reasons (status "hired" marks hires) -> stages (account-wide) -> postings
//          (jobs; updated_at_start with `since`) -> opportunities with expand=stage and
//          expand=applications: each page yields its candidates (one per contact), then its
//          applications (one per opportunity).
//   fetch  /v1/postings/{id}, /v1/opportunities/{id} ({"data":{...}}; 404 -> nullopt);
//          a candidate (contact) through /v1/opportunities?contact_id=<id>.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/ats/connector.hpp"
#include "actors/ats/vendor_http.hpp"

namespace hw::ats {

/// Credential fields: api_key (required), webhook_signature_token (optional; the token Lever
/// shows for the webhook). 1..512 characters, no control characters; unknown fields refused.
result<unit> validate_lever_credentials(const std::map<std::string, std::string>& creds);

/// Lever's documented limit: 10 requests per second, bursts to 20.
inline constexpr client_rate lever_client_rate{10.0, 20};

class lever_connector final : public connector {
 public:
  /// `creds` must have passed validate_lever_credentials.
  lever_connector(const std::map<std::string, std::string>& creds, vendor_endpoints ep, connector_env env,
                  client_rate rate = lever_client_rate);

  std::string_view vendor() const noexcept override { return "lever"; }
  result<std::string> test() override;
  result<pull_report> pull(const pull_request& req, pull_sink& sink) override;
  result<std::optional<domain::ats_job>> fetch_job(const std::string& external_id) override;
  result<std::optional<domain::ats_candidate>> fetch_candidate(const std::string& external_id) override;
  result<std::optional<fetched_application>> fetch_application(const std::string& external_id) override;

 private:
  struct pull_state;
  result<http_response> api_get(const std::string& path_and_query, const std::string& tmpl);
  result<unit> list(const std::string& resource, const std::string& query, pull_state* st,
                    const std::function<result<unit>(const nlohmann::json& data)>& on_page);
  result<std::optional<nlohmann::json>> get_one(const std::string& resource, const std::string& id,
                                                const std::string& query);
  result<unit> load_hired_reasons();

  std::string authorization_;
  vendor_endpoints ep_;
  vendor_http http_;
  std::optional<std::vector<std::string>> hired_reasons_;  // loaded once per connector
};

}  // namespace hw::ats
