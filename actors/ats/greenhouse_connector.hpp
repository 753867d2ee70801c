#pragma once
// The Greenhouse Harvest v3 connector (issue 4, ats.md §1.2–1.4, §1.8). BLOCKING (libcurl through
// vendor_http); one object per connection, used by that connection's sync worker only.
//
//   auth   OAuth client credentials: POST endpoints.token_url, Basic client_id:client_secret,
//          form grant_type=client_credentials[&sub=N] -> {"access_token","expires_at"(ISO-8601)};
//          refreshed at expires_at - 60 s, and once more when a /v3 call answers 401.
//   pull   job_interview_stages -> jobs (+ their job posts for the description; template jobs
//          skipped; with `since`, also jobs whose post changed) -> candidates -> applications,
//          each `per_page=N[&updated_at=gte|<since>]`, following Link rel="next" exactly as given
//          (same origin as endpoints.api_base only; a repeated cursor URL is a loop).
//          Before the first job is mapped, /v3/departments and /v3/offices (all pages) give the
//          department and office names (ats.md §1.4: v3 jobs carry ids only); read once per pull.
//   fetch  GET /v3/<r>?ids=<id> (empty array -> nullopt); fetch_job reads the two lists too.
//   names  a 403/404/other 4xx or malformed answer on those two lists is not fatal: the jobs
//          then show the ids. 401 after a refresh, an outage, a timeout or the rate limit are.
// Errors: 401 after a refresh -> unauthorized; 403 -> forbidden; malformed body / pagination loop
// / foreign next link / 422 -> invalid_argument; retries exhausted -> unavailable; 429 beyond
// policy.max_wait -> rate_limited.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "actors/ats/connector.hpp"
#include "actors/ats/vendor_http.hpp"
#include "actors/domain/greenhouse_mapping.hpp"

namespace hw::ats {

/// Credential fields: client_id, client_secret (required, 1..512 characters, no control
/// characters), sub (optional: a Greenhouse user id, digits only). Unknown fields are refused.
result<unit> validate_greenhouse_credentials(const std::map<std::string, std::string>& creds);

class greenhouse_connector final : public connector {
 public:
  /// `creds` must have passed validate_greenhouse_credentials.
  greenhouse_connector(const std::map<std::string, std::string>& creds, vendor_endpoints ep, connector_env env);

  std::string_view vendor() const noexcept override { return "greenhouse"; }
  result<std::string> test() override;
  result<pull_report> pull(const pull_request& req, pull_sink& sink) override;
  result<std::optional<domain::ats_job>> fetch_job(const std::string& external_id) override;
  result<std::optional<domain::ats_candidate>> fetch_candidate(const std::string& external_id) override;
  result<std::optional<fetched_application>> fetch_application(const std::string& external_id) override;

 private:
  struct pull_state;
  result<unit> ensure_token(bool force);
  result<http_response> api_get(const std::string& url, const std::string& tmpl);
  result<unit> list(const std::string& resource, const std::string& query, pull_state* st,
                    const std::function<result<unit>(const nlohmann::json& page)>& on_page);
  result<nlohmann::json> list_ids(const std::string& resource, const std::string& filter,
                                  const std::string& ids_csv);
  result<domain::greenhouse_directory> load_directory();
  result<unit> offer_jobs(const nlohmann::json& jobs, pull_state& st, pull_sink& sink);
  std::string url(const std::string& resource, const std::string& query) const;

  std::string client_id_;
  std::string client_secret_;
  std::string sub_;
  vendor_endpoints ep_;
  std::optional<std::string> api_origin_;
  vendor_http http_;
  std::string token_;
  epoch_ms token_expires_at_ = 0;
};

}  // namespace hw::ats
