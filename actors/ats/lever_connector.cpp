#include "actors/ats/lever_connector.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/ats/connector_support.hpp"
#include "actors/domain/ats_json_read.hpp"
#include "actors/domain/lever_mapping.hpp"

namespace hw::ats {

namespace {

using json = nlohmann::json;
namespace rd = domain::ats_json;

constexpr const char* opportunity_expand = "expand=stage&expand=applications";

// Lever ids are UUIDs; anything else never reaches a URL path.
result<unit> check_id(const std::string& id) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
  });
  if (!ok) return hw::error{errc::invalid_argument, "lever ids are letters, digits and dashes"};
  return unit{};
}

}  // namespace

struct lever_connector::pull_state : support::pull_tally {};

result<unit> validate_lever_credentials(const std::map<std::string, std::string>& creds) {
  for (const auto& [k, v] : creds) {
    if (k != "api_key" && k != "webhook_signature_token")
      return hw::error{errc::invalid_argument, "credentials: unknown field for lever"};
  }
  const auto key = creds.find("api_key");
  if (key == creds.end() || key->second.empty())
    return hw::error{errc::invalid_argument, "credentials: api_key is required"};
  if (auto ok = validate_credential_text("api_key", key->second); !ok) return ok;
  if (const auto t = creds.find("webhook_signature_token"); t != creds.end() && !t->second.empty()) {
    if (auto ok = validate_credential_text("webhook_signature_token", t->second); !ok) return ok;
  }
  return unit{};
}

lever_connector::lever_connector(const std::map<std::string, std::string>& creds, vendor_endpoints ep,
                                 connector_env env, client_rate rate)
    : ep_(std::move(ep)), http_(std::move(env), rate) {
  const auto key = creds.find("api_key");
  authorization_ = "Authorization: " + basic_authorization(key == creds.end() ? std::string{} : key->second, "");
  while (!ep_.api_base.empty() && ep_.api_base.back() == '/') ep_.api_base.pop_back();
}

result<http_response> lever_connector::api_get(const std::string& path_and_query, const std::string& tmpl) {
  auto r = http_.call("GET", ep_.api_base + path_and_query, {authorization_}, {}, tmpl);
  if (!r) return r;
  if (r->status == 401) return hw::error{errc::unauthorized, "Lever refused the API key"};
  if (r->status == 403) return hw::error{errc::forbidden, "the Lever API key lacks a permission"};
  if (r->status == 404 || (r->status >= 200 && r->status < 300)) return r;
  return hw::error{errc::invalid_argument,
                   tmpl + ": Lever refused the request (HTTP " + std::to_string(r->status) + ")"};
}

result<unit> lever_connector::list(const std::string& resource, const std::string& query, pull_state* st,
                                   const std::function<result<unit>(const json&)>& on_page) {
  const std::string tmpl = "/v1/" + resource;
  const std::string first = tmpl + "?" + query;
  std::set<std::string> offsets;
  std::string target = first;
  for (;;) {
    auto r = api_get(target, tmpl);
    if (!r) return std::move(r).error();
    if (r->status == 404) return hw::error{errc::invalid_argument, tmpl + ": Lever answered 404"};
    const auto body = json::parse(r->body, nullptr, false);
    const json* data = rd::member(body, "data");
    if (!data || !data->is_array()) return hw::error{errc::invalid_argument, "malformed response from " + tmpl};
    if (st) ++st->report.pages;
    const json* has_next = rd::member(body, "hasNext");
    const json* next = rd::member(body, "next");
    std::string offset;
    if (has_next && has_next->is_boolean() && has_next->get<bool>()) {
      if (!next || !next->is_string() || next->get<std::string>().empty())
        return hw::error{errc::invalid_argument, "malformed response from " + tmpl};
      offset = next->get<std::string>();
      if (!offsets.insert(offset).second) return hw::error{errc::invalid_argument, "pagination loop at " + tmpl};
    }
    if (auto ok = on_page(*data); !ok) return ok;
    if (offset.empty()) return unit{};
    target = first + "&offset=" + url_encode(offset);
  }
}

result<std::optional<json>> lever_connector::get_one(const std::string& resource, const std::string& id,
                                                     const std::string& query) {
  if (auto ok = check_id(id); !ok) return std::move(ok).error();
  const std::string tmpl = "/v1/" + resource + "/{id}";
  auto r = api_get("/v1/" + resource + "/" + id + (query.empty() ? "" : "?" + query), tmpl);
  if (!r) return std::move(r).error();
  if (r->status == 404) return std::optional<json>{};
  auto body = json::parse(r->body, nullptr, false);
  const json* data = rd::member(body, "data");
  if (!data || !data->is_object()) return hw::error{errc::invalid_argument, "malformed response from " + tmpl};
  return std::optional<json>{*data};
}

result<unit> lever_connector::load_hired_reasons() {
  if (hired_reasons_) return unit{};
  std::vector<std::string> ids;
  auto ok = list("archive_reasons", "limit=100", nullptr, [&](const json& rows) -> result<unit> {
    for (const auto& row : rows) {
      const json* status = rd::member(row, "status");
      const auto id = rd::id(row, "id", "lever archive reason");
      if (id && status && status->is_string() && status->get<std::string>() == "hired") ids.push_back(*id);
    }
    return unit{};
  });
  if (!ok) return ok;
  hired_reasons_ = std::move(ids);
  return unit{};
}

result<pull_report> lever_connector::pull(const pull_request& req, pull_sink& sink) {
  pull_state st;
  const std::string limit = "limit=" + std::to_string(std::clamp(req.page_size, 1, 100));
  const std::string since = req.since ? "&updated_at_start=" + std::to_string(*req.since) : std::string{};

  hired_reasons_.reset();  // a pull re-reads them: reasons can change
  if (auto ok = load_hired_reasons(); !ok) return std::move(ok).error();
  domain::lever_options options;
  options.hired_archive_reasons = *hired_reasons_;

  // Stages are few and carry no timestamps: always all of them.
  auto stages = list("stages", limit, &st, [&](const json& rows) {
    const auto map = [&](const json& row) {
      auto m = domain::map_lever_stage(row);
      if (m) options.stage_names[m->external_id] = m->name;
      return m;
    };
    return support::offer_page<domain::ats_stage>(
        rows, "stage", "stages", st, map,
        [&](std::vector<domain::ats_stage> p) { return sink.stages(std::move(p)); });
  });
  if (!stages) return std::move(stages).error();

  auto postings = list("postings", limit + since, &st, [&](const json& rows) {
    return support::offer_page<domain::ats_job>(
        rows, "posting", "jobs", st, domain::map_lever_posting,
        [&](std::vector<domain::ats_job> p) { return sink.jobs(std::move(p)); });
  });
  if (!postings) return std::move(postings).error();

  const std::string opp_query = limit + "&" + opportunity_expand + since;
  auto opportunities = list("opportunities", opp_query, &st, [&](const json& rows) -> result<unit> {
    std::vector<domain::ats_candidate> people;
    std::vector<domain::ats_application> apps;
    for (const auto& row : rows) {
      auto a = domain::map_lever_application(row, options);
      auto c = domain::map_lever_candidate(row);
      if (!a || !c) {
        st.skip("opportunity", row, a ? c.error() : a.error());
        continue;
      }
      st.seen(a->updated_at);
      // One person may have several opportunities on a page: offer the newest copy once.
      auto same = std::find_if(people.begin(), people.end(),
                               [&](const domain::ats_candidate& p) { return p.external_id == c->external_id; });
      if (same == people.end()) {
        people.push_back(std::move(*c));
      } else if (c->updated_at && (!same->updated_at || *c->updated_at > *same->updated_at)) {
        *same = std::move(*c);
      }
      apps.push_back(std::move(*a));
    }
    st.report.fetched["candidates"] += static_cast<std::int64_t>(people.size());
    st.report.fetched["applications"] += static_cast<std::int64_t>(apps.size());
    if (!people.empty()) {
      if (auto ok = sink.candidates(std::move(people)); !ok) return ok;
    }
    return apps.empty() ? result<unit>{unit{}} : sink.applications(std::move(apps));
  });
  if (!opportunities) return std::move(opportunities).error();
  return std::move(st.report);
}

result<std::string> lever_connector::test() {
  auto r = api_get("/v1/postings?limit=1", "/v1/postings");
  if (!r) return std::move(r).error();
  const auto body = json::parse(r->body, nullptr, false);
  const json* data = rd::member(body, "data");
  if (r->status != 200 || !data || !data->is_array())
    return hw::error{errc::invalid_argument, "malformed response from /v1/postings"};
  return std::string{"ok"};
}

result<std::optional<domain::ats_job>> lever_connector::fetch_job(const std::string& external_id) {
  auto row = get_one("postings", external_id, {});
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<domain::ats_job>{};
  auto m = domain::map_lever_posting(**row);
  if (!m) return std::move(m).error();
  return std::optional<domain::ats_job>{std::move(*m)};
}

result<std::optional<fetched_application>> lever_connector::fetch_application(const std::string& external_id) {
  if (auto ok = load_hired_reasons(); !ok) return std::move(ok).error();
  auto row = get_one("opportunities", external_id, opportunity_expand);
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<fetched_application>{};
  domain::lever_options options;
  options.hired_archive_reasons = *hired_reasons_;
  auto a = domain::map_lever_application(**row, options);
  if (!a) return std::move(a).error();
  auto c = domain::map_lever_candidate(**row);
  if (!c) return std::move(c).error();
  return std::optional<fetched_application>{fetched_application{std::move(*a), std::move(*c)}};
}

result<std::optional<domain::ats_candidate>> lever_connector::fetch_candidate(const std::string& external_id) {
  // A Lever candidate is a contact; its data lives on its opportunities (the newest wins).
  if (auto ok = check_id(external_id); !ok) return std::move(ok).error();
  std::optional<domain::ats_candidate> best;
  auto ok = list("opportunities", "limit=100&contact_id=" + url_encode(external_id), nullptr,
                 [&](const json& rows) -> result<unit> {
                   for (const auto& row : rows) {
                     auto c = domain::map_lever_candidate(row);
                     if (!c || c->external_id != external_id) continue;
                     if (!best || (c->updated_at && (!best->updated_at || *c->updated_at > *best->updated_at)))
                       best = std::move(*c);
                   }
                   return unit{};
                 });
  if (!ok) return std::move(ok).error();
  return best;
}

}  // namespace hw::ats
