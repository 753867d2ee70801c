#include "actors/ats/greenhouse_connector.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/ats/connector_support.hpp"
#include "actors/domain/ats_json_read.hpp"
#include "actors/domain/greenhouse_mapping.hpp"

namespace hw::ats {

namespace {

using json = nlohmann::json;
namespace rd = domain::ats_json;

constexpr epoch_ms refresh_margin_ms = 60'000;
constexpr std::size_t max_ids_per_call = 50;  // Harvest v3 `ids` / `*_ids` limit

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

result<unit> check_id(const std::string& id) {
  if (id.size() > 20 || !all_digits(id)) return hw::error{errc::invalid_argument, "greenhouse ids are decimal numbers"};
  return unit{};
}

std::string csv(const std::vector<std::string>& ids, std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t i = from; i < std::min(ids.size(), from + n); ++i) {
    if (!out.empty()) out += ',';
    out += ids[i];
  }
  return out;
}

}  // namespace

struct greenhouse_connector::pull_state : support::pull_tally {
  std::set<std::string> offered_jobs;
  std::optional<domain::greenhouse_directory> directory;  // read once, before the first job page
};

result<unit> validate_greenhouse_credentials(const std::map<std::string, std::string>& creds) {
  for (const auto& [k, v] : creds) {
    if (k != "client_id" && k != "client_secret" && k != "sub")
      return hw::error{errc::invalid_argument, "credentials: unknown field for greenhouse"};
  }
  for (const char* f : {"client_id", "client_secret"}) {
    const auto it = creds.find(f);
    if (it == creds.end() || it->second.empty())
      return hw::error{errc::invalid_argument, std::string{"credentials: "} + f + " is required"};
    if (auto ok = validate_credential_text(f, it->second); !ok) return ok;
  }
  if (const auto it = creds.find("sub"); it != creds.end() && !it->second.empty()) {
    if (it->second.size() > 20 || !all_digits(it->second))
      return hw::error{errc::invalid_argument, "credentials: sub must be a Greenhouse user id (digits)"};
  }
  return unit{};
}

greenhouse_connector::greenhouse_connector(const std::map<std::string, std::string>& creds, vendor_endpoints ep,
                                           connector_env env)
    : ep_(std::move(ep)), api_origin_(url_origin(ep_.api_base)), http_(std::move(env)) {
  const auto get = [&](const char* k) {
    const auto it = creds.find(k);
    return it == creds.end() ? std::string{} : it->second;
  };
  client_id_ = get("client_id");
  client_secret_ = get("client_secret");
  sub_ = get("sub");
  while (!ep_.api_base.empty() && ep_.api_base.back() == '/') ep_.api_base.pop_back();
}

std::string greenhouse_connector::url(const std::string& resource, const std::string& query) const {
  return ep_.api_base + "/v3/" + resource + (query.empty() ? "" : "?" + query);
}

result<unit> greenhouse_connector::ensure_token(bool force) {
  if (!force && !token_.empty() && http_.now() < token_expires_at_ - refresh_margin_ms) return unit{};
  token_.clear();
  std::string form = "grant_type=client_credentials";
  if (!sub_.empty()) form += "&sub=" + sub_;
  auto r = http_.call("POST", ep_.token_url,
                      {"Authorization: " + basic_authorization(client_id_, client_secret_),
                       "Content-Type: application/x-www-form-urlencoded"},
                      form, "/token");
  if (!r) return std::move(r).error();
  if (r->status == 400 || r->status == 401)
    return hw::error{errc::unauthorized, "Greenhouse refused the client credentials"};
  if (r->status == 403) return hw::error{errc::forbidden, "Greenhouse refused the token request (403)"};
  if (r->status != 200) {
    return hw::error{errc::unavailable, "/token: unexpected HTTP " + std::to_string(r->status)};
  }
  const auto body = json::parse(r->body, nullptr, false);
  const json* access = rd::member(body, "access_token");
  const json* expires = rd::member(body, "expires_at");
  std::optional<epoch_ms> exp;
  if (expires && expires->is_string()) exp = rd::parse_iso8601_ms(expires->get<std::string>());
  if (!access || !access->is_string() || access->get<std::string>().empty() || !exp)
    return hw::error{errc::invalid_argument, "malformed response from /token"};
  token_ = access->get<std::string>();
  token_expires_at_ = *exp;
  return unit{};
}

result<http_response> greenhouse_connector::api_get(const std::string& u, const std::string& tmpl) {
  if (auto t = ensure_token(false); !t) return std::move(t).error();
  for (bool refreshed = false;;) {
    auto r = http_.call("GET", u, {"Authorization: Bearer " + token_}, {}, tmpl);
    if (!r) return r;
    if (r->status == 401) {
      // An expired or revoked token: refresh once (one connector per connection, one thread, so
      // this is single-flight by construction), then give up.
      if (refreshed) return hw::error{errc::unauthorized, "Greenhouse refused the access token"};
      refreshed = true;
      if (auto t = ensure_token(true); !t) return std::move(t).error();
      continue;
    }
    if (r->status == 403) return hw::error{errc::forbidden, "not a Site Admin or missing scope"};
    if (r->status == 404 || (r->status >= 200 && r->status < 300)) return r;
    return hw::error{errc::invalid_argument,
                     tmpl + ": Greenhouse refused the request (HTTP " + std::to_string(r->status) + ")"};
  }
}

result<unit> greenhouse_connector::list(const std::string& resource, const std::string& query, pull_state* st,
                                        const std::function<result<unit>(const json&)>& on_page) {
  const std::string tmpl = "/v3/" + resource;
  std::string next = url(resource, query);
  std::set<std::string> seen;
  while (!next.empty()) {
    if (!seen.insert(next).second) return hw::error{errc::invalid_argument, "pagination loop at " + tmpl};
    auto r = api_get(next, tmpl);
    if (!r) return std::move(r).error();
    if (r->status == 404) return hw::error{errc::invalid_argument, tmpl + ": Greenhouse answered 404"};
    auto page = json::parse(r->body, nullptr, false);
    if (!page.is_array()) return hw::error{errc::invalid_argument, "malformed response from " + tmpl};
    if (st) ++st->report.pages;
    next = link_next(r->header("link"));
    if (!next.empty()) {
      // Followed exactly as given (the cursor must stay the only parameter), but only to the
      // configured Harvest origin: a forged link must not make us send the token elsewhere.
      const auto origin = url_origin(next);
      if (!origin || !api_origin_ || *origin != *api_origin_)
        return hw::error{errc::invalid_argument, tmpl + ": next page link points to another host"};
    }
    if (auto ok = on_page(page); !ok) return ok;
  }
  return unit{};
}

result<json> greenhouse_connector::list_ids(const std::string& resource, const std::string& filter,
                                            const std::string& ids_csv) {
  json all = json::array();
  auto ok = list(resource, filter + "=" + url_encode(ids_csv) + "&per_page=500", nullptr, [&](const json& page) {
    for (const auto& row : page) all.push_back(row);
    return result<unit>{unit{}};
  });
  if (!ok) return std::move(ok).error();
  return all;
}

result<domain::greenhouse_directory> greenhouse_connector::load_directory() {
  domain::greenhouse_directory dir;
  const auto read = [&](const char* resource, std::map<std::string, std::string>& names) -> result<unit> {
    auto ok = list(resource, "per_page=500", nullptr, [&](const json& page) {
      for (const auto& row : page) {
        const auto id = rd::id(row, "id", resource);
        const json* name = rd::member(row, "name");
        if (id && name && name->is_string() && !name->get<std::string>().empty())
          names[*id] = name->get<std::string>();
      }
      return result<unit>{unit{}};
    });
    if (ok) return ok;
    // Names are a nicety: without them jobs show the ids. But a refused token, an outage or the
    // rate limit fail the pull (it is retried), rather than replacing imported names by ids.
    switch (ok.code()) {
      case errc::unauthorized:
      case errc::unavailable:
      case errc::timeout:
      case errc::rate_limited:
        return ok;
      default:  // 403 (no scope for it), 404, 4xx, a malformed body
        names.clear();
        return unit{};
    }
  };
  if (auto ok = read("departments", dir.departments); !ok) return std::move(ok).error();
  if (auto ok = read("offices", dir.offices); !ok) return std::move(ok).error();
  return dir;
}

result<unit> greenhouse_connector::offer_jobs(const json& jobs, pull_state& st, pull_sink& sink) {
  std::vector<const json*> wanted;
  std::vector<std::string> ids;
  for (const auto& job : jobs) {
    if (domain::is_greenhouse_template_job(job)) continue;
    const auto id = rd::id(job, "id", "greenhouse job");
    if (!id) {
      st.skip("job", job, id.error());
      continue;
    }
    if (st.offered_jobs.count(*id)) continue;
    wanted.push_back(&job);
    ids.push_back(*id);
  }
  if (wanted.empty()) return unit{};
  if (!st.directory) {
    auto dir = load_directory();
    if (!dir) return std::move(dir).error();
    st.directory = std::move(*dir);
  }
  // The descriptions live on the job posts: one filtered call per 50 jobs.
  json posts = json::array();
  for (std::size_t i = 0; i < ids.size(); i += max_ids_per_call) {
    auto chunk = list_ids("job_posts", "job_ids", csv(ids, i, max_ids_per_call));
    if (!chunk) return std::move(chunk).error();
    for (auto& p : *chunk) posts.push_back(std::move(p));
  }
  std::vector<domain::ats_job> page;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    auto m = domain::map_greenhouse_job(*wanted[i], domain::pick_greenhouse_job_post(posts, ids[i]), &*st.directory);
    if (!m) {
      st.skip("job", *wanted[i], m.error());
      continue;
    }
    st.seen(m->updated_at);
    st.offered_jobs.insert(ids[i]);
    page.push_back(std::move(*m));
  }
  if (page.empty()) return unit{};
  st.report.fetched["jobs"] += static_cast<std::int64_t>(page.size());
  return sink.jobs(std::move(page));
}

result<pull_report> greenhouse_connector::pull(const pull_request& req, pull_sink& sink) {
  pull_state st;
  const int per_page = std::clamp(req.page_size, 1, 500);
  std::string query = "per_page=" + std::to_string(per_page);
  if (req.since) query += "&updated_at=" + url_encode("gte|" + iso8601_ms(*req.since));

  auto stages = list("job_interview_stages", query, &st, [&](const json& rows) {
    return support::offer_page<domain::ats_stage>(
        rows, "stage", "stages", st, domain::map_greenhouse_stage,
        [&](std::vector<domain::ats_stage> p) { return sink.stages(std::move(p)); });
  });
  if (!stages) return std::move(stages).error();

  auto jobs = list("jobs", query, &st, [&](const json& rows) { return offer_jobs(rows, st, sink); });
  if (!jobs) return std::move(jobs).error();
  if (req.since) {
    // A changed job post does not touch its job's updated_at: re-offer those jobs too.
    std::vector<std::string> changed;
    auto posts = list("job_posts", query, &st, [&](const json& rows) -> result<unit> {
      for (const auto& p : rows) {
        const auto jid = rd::opt_id(p, "job_id", "greenhouse job post");
        if (jid && !jid->empty() && !st.offered_jobs.count(*jid) &&
            std::find(changed.begin(), changed.end(), *jid) == changed.end())
          changed.push_back(*jid);
      }
      return unit{};
    });
    if (!posts) return std::move(posts).error();
    for (std::size_t i = 0; i < changed.size(); i += max_ids_per_call) {
      auto rows = list_ids("jobs", "ids", csv(changed, i, max_ids_per_call));
      if (!rows) return std::move(rows).error();
      if (auto ok = offer_jobs(*rows, st, sink); !ok) return std::move(ok).error();
    }
  }

  auto candidates = list("candidates", query, &st, [&](const json& rows) {
    return support::offer_page<domain::ats_candidate>(
        rows, "candidate", "candidates", st, domain::map_greenhouse_candidate,
        [&](std::vector<domain::ats_candidate> p) { return sink.candidates(std::move(p)); });
  });
  if (!candidates) return std::move(candidates).error();

  auto applications = list("applications", query, &st, [&](const json& rows) {
    return support::offer_page<domain::ats_application>(
        rows, "application", "applications", st, domain::map_greenhouse_application,
        [&](std::vector<domain::ats_application> p) { return sink.applications(std::move(p)); });
  });
  if (!applications) return std::move(applications).error();
  return std::move(st.report);
}

result<std::string> greenhouse_connector::test() {
  if (auto t = ensure_token(true); !t) return std::move(t).error();
  auto r = api_get(url("jobs", "per_page=1"), "/v3/jobs");
  if (!r) return std::move(r).error();
  if (r->status == 404) return hw::error{errc::invalid_argument, "/v3/jobs: Greenhouse answered 404"};
  if (!json::parse(r->body, nullptr, false).is_array())
    return hw::error{errc::invalid_argument, "malformed response from /v3/jobs"};
  return std::string{"ok"};
}

result<std::optional<domain::ats_job>> greenhouse_connector::fetch_job(const std::string& external_id) {
  if (auto ok = check_id(external_id); !ok) return std::move(ok).error();
  auto rows = list_ids("jobs", "ids", external_id);
  if (!rows) return std::move(rows).error();
  if (rows->empty() || domain::is_greenhouse_template_job((*rows)[0])) return std::optional<domain::ats_job>{};
  auto posts = list_ids("job_posts", "job_ids", external_id);
  if (!posts) return std::move(posts).error();
  auto dir = load_directory();
  if (!dir) return std::move(dir).error();
  auto m = domain::map_greenhouse_job((*rows)[0], domain::pick_greenhouse_job_post(*posts, external_id), &*dir);
  if (!m) return std::move(m).error();
  return std::optional<domain::ats_job>{std::move(*m)};
}

result<std::optional<domain::ats_candidate>> greenhouse_connector::fetch_candidate(const std::string& external_id) {
  if (auto ok = check_id(external_id); !ok) return std::move(ok).error();
  auto rows = list_ids("candidates", "ids", external_id);
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<domain::ats_candidate>{};
  auto m = domain::map_greenhouse_candidate((*rows)[0]);
  if (!m) return std::move(m).error();
  return std::optional<domain::ats_candidate>{std::move(*m)};
}

result<std::optional<fetched_application>> greenhouse_connector::fetch_application(const std::string& external_id) {
  if (auto ok = check_id(external_id); !ok) return std::move(ok).error();
  auto rows = list_ids("applications", "ids", external_id);
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<fetched_application>{};
  auto m = domain::map_greenhouse_application((*rows)[0]);
  if (!m) return std::move(m).error();
  fetched_application out{std::move(*m), std::nullopt};
  // The candidate too: a new application often comes with a person we have not seen yet.
  if (!out.application.candidate_external_id.empty() && check_id(out.application.candidate_external_id)) {
    auto c = fetch_candidate(out.application.candidate_external_id);
    if (!c) return std::move(c).error();
    out.candidate = std::move(*c);
  }
  return std::optional<fetched_application>{std::move(out)};
}

}  // namespace hw::ats
