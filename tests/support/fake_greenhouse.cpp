#include "tests/support/fake_greenhouse.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <limits>
#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "actors/ats/greenhouse_signature.hpp"
#include "actors/domain/base64url.hpp"
#include "tests/support/fake_http_util.hpp"

namespace hw::testing {

using nlohmann::json;

namespace {

constexpr std::int64_t no_cursor = std::numeric_limits<std::int64_t>::max();

const std::vector<std::string>& list_resources() {
  static const std::vector<std::string> r{"jobs", "job_posts", "job_interview_stages", "candidates", "applications",
                                          "notes", "departments", "offices"};
  return r;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

using fake_http::get;
using fake_http::parse_query;
using fake_http::url_decode;

std::string iso(std::int64_t t, const char* suffix) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, suffix);
  return buf;
}

/// "YYYY-MM-DDTHH:MM:SS" + optional ".fff" + "Z" or "+00:00". Nothing otherwise.
std::optional<std::int64_t> parse_iso(const std::string& s) {
  int y, mo, d, h, mi, sec, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
    return std::nullopt;
  std::string rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t i = 1;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
    if (i == 1) return std::nullopt;
    rest = rest.substr(i);
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// "1,2,3" -> ids; nothing if any element is not a number.
std::optional<std::set<std::int64_t>> parse_ids(const std::string& s) {
  std::set<std::int64_t> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    auto comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    const auto part = s.substr(pos, comma - pos);
    if (!all_digits(part)) return std::nullopt;
    out.insert(std::stoll(part));
    pos = comma + 1;
  }
  return out;
}

/// A pipe-syntax time filter "gte|t1[|lte|t2]" as (operator, time) pairs.
std::optional<std::vector<std::pair<std::string, std::int64_t>>> parse_time_filter(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (true) {
    const auto bar = s.find('|', pos);
    parts.push_back(s.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
    if (bar == std::string::npos) break;
    pos = bar + 1;
  }
  if (parts.empty() || parts.size() % 2 != 0 || parts.size() > 4) return std::nullopt;
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (std::size_t i = 0; i < parts.size(); i += 2) {
    const auto& op = parts[i];
    if (op != "gte" && op != "gt" && op != "lte" && op != "lt") return std::nullopt;
    auto t = parse_iso(parts[i + 1]);
    if (!t) return std::nullopt;
    out.emplace_back(op, *t);
  }
  return out;
}

bool time_matches(std::int64_t v, const std::vector<std::pair<std::string, std::int64_t>>& f) {
  for (const auto& [op, t] : f) {
    if (op == "gte" && !(v >= t)) return false;
    if (op == "gt" && !(v > t)) return false;
    if (op == "lte" && !(v <= t)) return false;
    if (op == "lt" && !(v < t)) return false;
  }
  return true;
}

std::string validation_error(const std::string& field, const std::string& message) {
  return json{{"message", "Validation error"}, {"errors", json::array({{{"message", message}, {"field", field}}})}}
    .dump();
}

std::string event_uuid(std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "6a1e0c7d-0000-4000-8000-%012llu", static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace

std::string gh_iso8601(std::int64_t unix_seconds) { return iso(unix_seconds, ".000Z"); }

std::string rails_json_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < in.size() && in[i + 1] == '\x80' && (in[i + 2] == '\xA8' || in[i + 2] == '\xA9')) {
      out += in[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// ---- server --------------------------------------------------------------------------------

struct fake_greenhouse::impl {
  std::unique_ptr<vendor_http_server> server;
};

fake_greenhouse::fake_greenhouse(fake_greenhouse_options opt) : opt_(std::move(opt)), impl_(std::make_unique<impl>()) {
  seed();
  impl_->server = std::make_unique<vendor_http_server>(
    [this](const vendor_request& req) {
      auto r = handle(req);
      vendor_response out{r.status, std::move(r.body), std::move(r.headers), {}};
      std::lock_guard<std::mutex> g{mu_};
      out.delay = delay_;
      return out;
    },
    opt_.port);
  port_ = impl_->server->port();
}

fake_greenhouse::~fake_greenhouse() { impl_->server.reset(); }

std::string fake_greenhouse::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::int64_t fake_greenhouse::now_locked() const {
  return opt_.wall_clock ? vendor_wall_clock_ms() / 1000 + clock_offset_ : opt_.now;
}

void fake_greenhouse::set_now(std::int64_t unix_seconds) {
  std::lock_guard<std::mutex> g{mu_};
  if (opt_.wall_clock) {
    clock_offset_ = unix_seconds - vendor_wall_clock_ms() / 1000;
  } else {
    opt_.now = unix_seconds;
  }
}

void fake_greenhouse::advance(std::int64_t seconds) {
  std::lock_guard<std::mutex> g{mu_};
  if (opt_.wall_clock) {
    clock_offset_ += seconds;
  } else {
    opt_.now += seconds;
  }
}

std::int64_t fake_greenhouse::now() const {
  std::lock_guard<std::mutex> g{mu_};
  return now_locked();
}

// ---- data set ------------------------------------------------------------------------------

void fake_greenhouse::seed(const fake_greenhouse_seed& s) {
  std::lock_guard<std::mutex> g{mu_};
  data_.clear();
  for (const auto& r : list_resources()) data_[r];
  std::mt19937_64 rng{s.seed};
  static const char* first[] = {"Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Radia"};
  static const char* last[] = {"Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie"};
  static const char* stage_names[] = {"Application Review", "Phone Screen", "Take Home Test", "Onsite", "Offer"};
  const auto n_rows = s.jobs * (s.stages_per_job + 2) + 2 * s.candidates;  // jobs, stages, posts, people
  std::int64_t k = 0;  // rows get increasing timestamps, one minute apart, ending at now
  const auto now = now_locked();
  const auto stamp = [&] { return gh_iso8601(now - 60 * (n_rows - k++)); };
  const auto put = [&](const std::string& res, json row) {
    const auto id = row["id"].get<std::int64_t>();
    data_[res][id] = std::make_shared<json>(std::move(row));
  };
  if (s.directory) {
    // Names for the jobs' department_id 7001 and office_ids [8001], plus one unused entry each.
    // Stamped before every other row, so the time layout of the rest does not move.
    const auto t = gh_iso8601(now - 60 * (n_rows + 1));
    const auto node = [&](std::int64_t id, const char* name, std::int64_t parent, json children, const char* ext) {
      return json{{"id", id}, {"name", name}, {"parent_id", parent ? json(parent) : json(nullptr)},
                  {"child_ids", std::move(children)}, {"external_id", ext}, {"created_at", t}, {"updated_at", t}};
    };
    put("departments", node(7001, "Engineering", 0, json::array({7002}), "DEP-ENG"));
    put("departments", node(7002, "Platform & Infra", 7001, json::array(), "DEP-PLT"));
    auto berlin = node(8001, "Berlin", 0, json::array(), "OFF-BER");
    berlin["location"] = {{"name", "Berlin, Germany"}};
    put("offices", std::move(berlin));
    auto remote = node(8002, "Remote", 0, json::array(), "OFF-REM");
    remote["location"] = {{"name", nullptr}};
    put("offices", std::move(remote));
  }
  std::vector<std::vector<std::pair<std::int64_t, std::string>>> stages_of(static_cast<std::size_t>(s.jobs));
  for (int j = 0; j < s.jobs; ++j) {
    const std::int64_t job_id = 100001 + j;
    auto t = stamp();
    put("jobs", json{{"id", job_id}, {"name", "Engineer & Ops " + std::to_string(j + 1)},
                     {"requisition_id", "REQ-" + std::to_string(rng() % 1000)}, {"status", j == 2 ? "closed" : "open"},
                     {"confidential", false}, {"is_template", false}, {"copied_from_id", nullptr},
                     {"department_id", 7001}, {"office_ids", json::array({8001})},
                     {"notes", "<p>Build <b>R&D</b> tools</p>"}, {"opened_at", t}, {"closed_at", nullptr},
                     {"custom_fields", json::object()}, {"created_at", t}, {"updated_at", t}});
    for (int st = 0; st < s.stages_per_job; ++st) {
      const std::int64_t stage_id = 200000 + 100 * j + st;
      const std::string name = stage_names[std::min(st, 4)];
      stages_of[static_cast<std::size_t>(j)].emplace_back(stage_id, name);
      auto ts = stamp();
      put("job_interview_stages", json{{"id", stage_id}, {"job_id", job_id}, {"name", name}, {"sort_order", st},
                                       {"active", true}, {"created_at", ts}, {"updated_at", ts}});
    }
  }
  for (int j = 0; j < s.jobs; ++j) {
    const std::int64_t job_id = 100001 + j;
    auto t = stamp();
    put("job_posts", json{{"id", 300001 + j}, {"job_id", job_id}, {"title", "Engineer & Ops " + std::to_string(j + 1)},
                          {"content", "<p>Join us</p>"}, {"internal", false}, {"live", true}, {"active", true},
                          {"featured", false}, {"first_published_at", t}, {"created_at", t}, {"updated_at", t}});
  }
  for (int c = 0; c < s.candidates; ++c) {
    const std::int64_t cand_id = 400001 + c;
    const std::string fn = first[rng() % 8];
    const std::string ln = last[rng() % 7];
    auto t = stamp();
    put("candidates",
        json{{"id", cand_id}, {"first_name", fn}, {"last_name", ln}, {"preferred_name", nullptr}, {"company", nullptr},
             {"title", nullptr}, {"private", false}, {"can_email", c % 6 != 5}, {"tags", json::array()},
             {"email_addresses", json::array({{{"value", lower(fn) + "." + std::to_string(cand_id) + "@example.com"},
                                               {"type", "personal"}}})},
             {"phone_numbers", json::array({{{"value", "555-01" + std::to_string(10 + c)}, {"type", "mobile"}}})},
             {"custom_fields", json::object()}, {"last_activity_at", t}, {"created_at", t}, {"updated_at", t}});
  }
  for (int c = 0; c < s.candidates; ++c) {
    const auto j = static_cast<std::size_t>(c % std::max(1, s.jobs));
    const auto& stage = stages_of.empty() || stages_of[j].empty() ? std::pair<std::int64_t, std::string>{0, ""}
                                                                   : stages_of[j].front();
    auto t = stamp();
    const bool rejected = c % 5 == 4;
    put("applications",
        json{{"id", 500001 + c}, {"candidate_id", 400001 + c}, {"job_id", 100001 + static_cast<std::int64_t>(j)},
             {"job_post_id", 300001 + static_cast<std::int64_t>(j)}, {"prospect", false},
             {"prospective_job_ids", json::array()}, {"status", rejected ? "rejected" : "in_process"},
             {"stage_id", stage.first}, {"stage_name", stage.second}, {"recruiter_id", 92120},
             {"coordinator_id", nullptr}, {"referrer_id", nullptr}, {"source_id", 16},
             {"rejected_at", rejected ? json(t) : json(nullptr)}, {"rejection_reason_id", nullptr},
             {"needs_decision", false}, {"last_activity_at", t}, {"answers", json::array()},
             {"custom_fields", json::object()}, {"created_at", t}, {"updated_at", t}});
  }
  cursors_.clear();
}

json fake_greenhouse::rows(const std::string& resource) const {
  std::lock_guard<std::mutex> g{mu_};
  json out = json::array();
  auto it = data_.find(resource);
  if (it == data_.end()) return out;
  for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) out.push_back(*r->second);
  return out;
}

json fake_greenhouse::row(const std::string& resource, std::int64_t id) const {
  std::lock_guard<std::mutex> g{mu_};
  auto it = data_.find(resource);
  if (it == data_.end()) return nullptr;
  auto r = it->second.find(id);
  return r == it->second.end() ? json(nullptr) : *r->second;
}

void fake_greenhouse::touch_locked(json& row) {
  const auto t = gh_iso8601(now_locked());
  row["updated_at"] = t;
  if (row.contains("last_activity_at")) row["last_activity_at"] = t;
}

void fake_greenhouse::upsert(const std::string& resource, const json& row) {
  std::lock_guard<std::mutex> g{mu_};
  auto copy = std::make_shared<json>(row);
  if (!copy->contains("created_at")) (*copy)["created_at"] = gh_iso8601(now_locked());
  touch_locked(*copy);
  data_[resource][row.at("id").get<std::int64_t>()] = std::move(copy);
}

/// The v1-shaped application of a webhook (ats.md §1.6): current_stage only, status in v1
/// vocabulary (in_process -> active), candidate and jobs summaries.
json fake_greenhouse::application_hook_locked(std::int64_t application_id) {
  const auto& app = *data_["applications"].at(application_id);
  json candidate = json::object();
  if (app["candidate_id"].is_number_integer()) {
    auto c = data_["candidates"].find(app["candidate_id"].get<std::int64_t>());
    if (c != data_["candidates"].end()) {
      candidate = {{"id", c->first}, {"first_name", (*c->second)["first_name"]},
                   {"last_name", (*c->second)["last_name"]}};
    }
  }
  json jobs = json::array();
  if (app["job_id"].is_number_integer()) {
    auto j = data_["jobs"].find(app["job_id"].get<std::int64_t>());
    if (j != data_["jobs"].end()) {
      jobs.push_back({{"id", j->first}, {"name", (*j->second)["name"]}, {"notes", (*j->second)["notes"]}});
    }
  }
  const std::string status = app["status"] == "in_process" ? "active" : app["status"].get<std::string>();
  return {{"id", application_id}, {"status", status}, {"last_activity_at", app["last_activity_at"]},
          {"current_stage", {{"id", app["stage_id"]}, {"name", app["stage_name"]}}},
          {"candidate", candidate}, {"jobs", jobs}};
}

bool fake_greenhouse::move_locked(std::int64_t application_id, std::int64_t stage_id) {
  auto a = data_["applications"].find(application_id);
  auto s = data_["job_interview_stages"].find(stage_id);
  if (a == data_["applications"].end() || s == data_["job_interview_stages"].end()) return false;
  auto& app = *a->second;
  app["stage_id"] = stage_id;
  app["stage_name"] = (*s->second)["name"];
  touch_locked(app);
  queue_locked("candidate_stage_change", {{"application", application_hook_locked(application_id)}});
  return true;
}

bool fake_greenhouse::move_application(std::int64_t application_id, std::int64_t stage_id) {
  std::lock_guard<std::mutex> g{mu_};
  return move_locked(application_id, stage_id);
}

bool fake_greenhouse::anonymize_candidate(std::int64_t candidate_id) {
  std::lock_guard<std::mutex> g{mu_};
  auto c = data_["candidates"].find(candidate_id);
  if (c == data_["candidates"].end()) return false;
  auto& row = *c->second;
  row["first_name"] = "";
  row["last_name"] = "";
  row["email_addresses"] = json::array();
  row["phone_numbers"] = json::array();
  touch_locked(row);
  queue_locked("candidate_anonymized",
               {{"candidate_id", candidate_id},
                {"anonymized_fields", json::array({"full_name", "email_addresses", "phone_numbers"})}});
  return true;
}

// ---- knobs ---------------------------------------------------------------------------------

int fake_greenhouse::token_requests() const {
  std::lock_guard<std::mutex> g{mu_};
  return token_requests_;
}

void fake_greenhouse::expire_tokens() {
  std::lock_guard<std::mutex> g{mu_};
  const auto now = now_locked();
  for (auto& [_, t] : tokens_) t.expires_at = std::min(t.expires_at, now);
}

void fake_greenhouse::set_token_ttl(std::int64_t seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.token_ttl_seconds = seconds;
}

std::optional<std::string> fake_greenhouse::token_sub(const std::string& access_token) const {
  std::lock_guard<std::mutex> g{mu_};
  auto it = tokens_.find(access_token);
  if (it == tokens_.end() || it->second.expires_at <= now_locked()) return std::nullopt;
  return it->second.sub;
}

std::string fake_greenhouse::new_auth_code_locked(const std::string& sub, const std::string& redirect_uri) {
  const auto code = hw::base64url_encode("fake-gh-code-" + std::to_string(++serial_));
  codes_[code] = auth_code{sub, redirect_uri, now_locked() + opt_.code_ttl_seconds};
  return code;
}

std::string fake_greenhouse::issue_authorization_code(const std::string& sub, const std::string& redirect_uri) {
  std::lock_guard<std::mutex> g{mu_};
  return new_auth_code_locked(sub, redirect_uri);
}

void fake_greenhouse::set_site_admin(const std::string& sub, bool admin) {
  std::lock_guard<std::mutex> g{mu_};
  site_admin_[sub] = admin;
}

void fake_greenhouse::set_rate_limit(int limit, std::int64_t window_seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.rate_limit = limit;
  opt_.rate_window_seconds = window_seconds;
  window_start_ = 0;
  window_used_ = 0;
}

void fake_greenhouse::fail_next(int n, unsigned status) {
  std::lock_guard<std::mutex> g{mu_};
  fail_next_ = n;
  fail_status_ = status;
}

void fake_greenhouse::set_delay(std::chrono::milliseconds d) {
  std::lock_guard<std::mutex> g{mu_};
  delay_ = d;
}

void fake_greenhouse::truncate_next(int n) {
  std::lock_guard<std::mutex> g{mu_};
  truncate_next_ = n;
}

void fake_greenhouse::set_list_status(const std::string& resource, unsigned status) {
  std::lock_guard<std::mutex> g{mu_};
  if (status == 0) {
    list_status_.erase(resource);
  } else {
    list_status_[resource] = status;
  }
}

void fake_greenhouse::set_pagination_loop(bool on) {
  std::lock_guard<std::mutex> g{mu_};
  pagination_loop_ = on;
}

int fake_greenhouse::requests(const std::string& path) const {
  std::lock_guard<std::mutex> g{mu_};
  auto it = requests_.find(path);
  return it == requests_.end() ? 0 : it->second;
}

// ---- HTTP ----------------------------------------------------------------------------------

fake_greenhouse::response fake_greenhouse::handle(const vendor_request& req) {
  const auto qpos = req.target.find('?');
  const std::string path = req.target.substr(0, qpos);
  const std::string query = qpos == std::string::npos ? std::string{} : req.target.substr(qpos + 1);
  const auto& method = req.method;
  const auto authorization = req.header("authorization");
  bool control = false;
  {
    std::lock_guard<std::mutex> g{mu_};
    ++requests_[path];
    control = opt_.control_api;
  }
  if (path == "/token") {
    if (method != "POST") return {405, R"({"message":"Method not allowed"})", {}};
    return on_token(query, authorization, req.body);
  }
  if (path == "/authorize") {
    if (method != "GET") return {405, R"({"message":"Method not allowed"})", {}};
    return on_authorize(query);
  }
  if (control && path.rfind("/_control/", 0) == 0) return on_control(method, path, req.body);
  if (path.rfind("/v3/", 0) == 0) {
    const auto resource = path.substr(4);
    if (method != "GET" && (resource == "notes" || resource.rfind("applications/", 0) == 0))
      return on_write(method, path, authorization, req.body);
    if (std::find(list_resources().begin(), list_resources().end(), resource) == list_resources().end())
      return {404, R"({"message":"Resource not found"})", {}};
    if (method != "GET") return {405, R"({"message":"Method not allowed"})", {}};
    return on_list(resource, query, authorization);
  }
  return {404, R"({"message":"Resource not found"})", {}};
}

fake_greenhouse::response fake_greenhouse::on_authorize(const std::string& query) {
  const auto q = parse_query(query);
  std::lock_guard<std::mutex> g{mu_};
  if (get(q, "client_id") != opt_.client_id) return {400, json{{"error", "invalid_client"}}.dump(), {}};
  const auto redirect = get(q, "redirect_uri");
  if (redirect.empty()) return {400, json{{"error", "invalid_request"}}.dump(), {}};
  if (get(q, "response_type") != "code") return {400, json{{"error", "unsupported_response_type"}}.dump(), {}};
  const auto sub = q.count("sub") ? get(q, "sub") : std::string{"1001"};
  const auto code = new_auth_code_locked(sub, redirect);
  std::string location = redirect + (redirect.find('?') == std::string::npos ? "?" : "&") + "code=" + code;
  if (q.count("state")) {
    std::string st;
    for (unsigned char c : get(q, "state")) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        st += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        st += buf;
      }
    }
    location += "&state=" + st;
  }
  return {302, "", {{"Location", location}}};
}

fake_greenhouse::response fake_greenhouse::on_token(const std::string& query, const std::string& authorization,
                                                    const std::string& body) {
  const auto oauth_error = [](unsigned status, const char* err) {
    return response{status, json{{"error", err}}.dump(), {}};
  };
  std::lock_guard<std::mutex> g{mu_};
  ++token_requests_;
  const auto now = now_locked();
  // Client authentication: HTTP Basic base64(client_id:client_secret), standard alphabet.
  if (authorization.rfind("Basic ", 0) != 0) return oauth_error(401, "invalid_client");
  std::string b64 = authorization.substr(6);
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (auto& ch : b64) {
    if (ch == '+') ch = '-';
    else if (ch == '/') ch = '_';
  }
  const auto raw = hw::base64url_decode(b64);
  if (!raw) return oauth_error(401, "invalid_client");
  const auto colon = raw->find(':');
  if (colon == std::string::npos || raw->substr(0, colon) != opt_.client_id ||
      raw->substr(colon + 1) != opt_.client_secret)
    return oauth_error(401, "invalid_client");
  // GH-PHP sends grant_type in the query string with no body; curl-style clients use the form.
  auto params = parse_query(query);
  for (auto& [k, v] : parse_query(body)) params[k] = v;
  const auto grant = get(params, "grant_type");
  if (grant.empty()) return oauth_error(400, "invalid_request");
  std::string sub = "service-account";
  bool with_refresh = false;
  if (grant == "client_credentials") {
    if (params.count("sub")) {
      if (!all_digits(params["sub"])) return oauth_error(400, "invalid_request");
      sub = params["sub"];
    }
  } else if (grant == "authorization_code") {
    auto c = codes_.find(get(params, "code"));
    if (c == codes_.end() || c->second.expires_at <= now) return oauth_error(400, "invalid_grant");
    if (!c->second.redirect_uri.empty() && c->second.redirect_uri != get(params, "redirect_uri"))
      return oauth_error(400, "invalid_grant");
    sub = c->second.sub;
    codes_.erase(c);  // single use
    with_refresh = true;
  } else if (grant == "refresh_token") {
    auto r = refresh_tokens_.find(get(params, "refresh_token"));
    if (r == refresh_tokens_.end() || r->second.expires_at <= now) return oauth_error(400, "invalid_grant");
    sub = r->second.sub;
    refresh_tokens_.erase(r);  // rotation: the old refresh token is spent
    with_refresh = true;
  } else {
    return oauth_error(400, "unsupported_grant_type");
  }
  const auto serial = ++serial_;
  const auto exp = now + opt_.token_ttl_seconds;
  // JWT-shaped like the real token (the payload carries sub); the signature is not a real one.
  const json header{{"alg", "RS256"}, {"typ", "JWT"}};
  const json payload{{"sub", sub}, {"iat", now}, {"exp", exp}, {"jti", std::to_string(serial)}};
  const std::string access = hw::base64url_encode(header.dump()) + "." + hw::base64url_encode(payload.dump()) + "." +
                             hw::base64url_encode("fake-greenhouse-signature-" + std::to_string(serial));
  tokens_[access] = token{sub, exp};
  json answer{{"token_type", "Bearer"}, {"access_token", access}, {"expires_at", iso(exp, "+00:00")}};
  if (with_refresh) {
    const auto refresh = hw::base64url_encode("fake-gh-refresh-" + std::to_string(serial));
    refresh_tokens_[refresh] = token{sub, now + opt_.refresh_ttl_seconds};
    answer["refresh_token"] = refresh;
  }
  return {200, answer.dump(), {}};
}

std::optional<fake_greenhouse::response> fake_greenhouse::gate_locked(const std::string& authorization,
                                                                       bool list, rate_headers_t& out_headers) {
  const auto now = now_locked();
  // Fixed window aligned to the clock; the headers go on every /v3 answer.
  if (opt_.rate_window_seconds <= 0) opt_.rate_window_seconds = 30;
  if (window_start_ == 0 || now >= window_start_ + opt_.rate_window_seconds) {
    window_start_ = now - now % opt_.rate_window_seconds;
    window_used_ = 0;
  }
  const auto reset = window_start_ + opt_.rate_window_seconds;
  const auto rate_headers = [&] {
    return std::vector<std::pair<std::string, std::string>>{
      {"X-RateLimit-Limit", std::to_string(opt_.rate_limit)},
      {"X-RateLimit-Remaining", std::to_string(std::max(0, opt_.rate_limit - window_used_))},
      {"X-RateLimit-Reset", std::to_string(reset)}};
  };

  // Bearer check before anything is counted.
  const std::string bearer = authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : std::string{};
  auto tok = tokens_.find(bearer);
  if (bearer.empty() || tok == tokens_.end() || tok->second.expires_at <= now)
    return response{401, R"({"message":"Unauthorized"})", rate_headers()};
  // "All list endpoints require authorization by a Site Admin" (ats.md §1.2).
  if (list) {
    auto a = site_admin_.find(tok->second.sub);
    if (a == site_admin_.end()) a = site_admin_.find("*");
    if (a != site_admin_.end() && !a->second)
      return response{403, R"({"message":"missing OAuth scope or authorizing user is not a Site Admin"})",
                      rate_headers()};
  }

  if (window_used_ >= opt_.rate_limit) {
    auto h = rate_headers();
    h.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, reset - now)));
    return response{429, R"({"message":"Rate limit exceeded"})", h};
  }
  ++window_used_;

  if (fail_next_ > 0) {
    --fail_next_;
    return response{fail_status_, R"({"message":"Server timeout in API"})", rate_headers()};
  }
  out_headers = rate_headers();
  return std::nullopt;
}

fake_greenhouse::response fake_greenhouse::on_list(const std::string& resource, const std::string& query,
                                                   const std::string& authorization) {
  std::lock_guard<std::mutex> g{mu_};
  rate_headers_t rate;
  if (auto refused = gate_locked(authorization, true, rate)) return std::move(*refused);
  const auto rate_headers = [&] { return rate; };
  if (auto forced = list_status_.find(resource); forced != list_status_.end()) {
    const auto st = forced->second;
    const std::string body = st == 401   ? R"({"message":"Unauthorized"})"
                             : st == 403 ? R"({"message":"missing OAuth scope or authorizing user is not a Site Admin"})"
                             : st == 404 ? R"({"message":"Resource not found"})"
                             : st < 500  ? validation_error("query", "refused by the test")
                                         : R"({"message":"Server timeout in API"})";
    return {forced->second, body, rate_headers()};
  }

  const auto q = parse_query(query);
  const auto unprocessable = [&](const std::string& field, const std::string& message) {
    return response{422, validation_error(field, message), rate_headers()};
  };
  std::map<std::string, std::string> params;
  std::int64_t after = no_cursor;
  std::string incoming_cursor;
  if (q.count("cursor")) {
    // The cursor carries the first request's filters; it must be alone.
    if (q.size() != 1) return unprocessable("cursor", "cursor cannot be combined with other query parameters");
    incoming_cursor = q.at("cursor");
    auto c = cursors_.find(incoming_cursor);
    if (c == cursors_.end() || c->second.resource != resource)
      return unprocessable("cursor", "cursor is invalid or expired");
    params = c->second.query;
    after = c->second.after_id;
  } else {
    params = q;
  }

  // Validate every parameter of the (first) request.
  int per_page = 100;
  std::map<std::string, std::set<std::int64_t>> id_filters;  // field name in the row -> ids
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::int64_t>>>> time_filters;
  std::optional<std::string> status;
  std::vector<std::string> fields;
  for (const auto& [k, v] : params) {
    if (k == "per_page") {
      if (!all_digits(v) || std::stoll(v) < 1 || std::stoll(v) > 500)
        return unprocessable("per_page", "per_page must be between 1 and 500");
      per_page = static_cast<int>(std::stoll(v));
    } else if (k == "ids" || (k.size() > 4 && k.compare(k.size() - 4, 4, "_ids") == 0)) {
      auto ids = parse_ids(v);
      if (!ids) return unprocessable(k, k + " must be a comma-separated list of ids");
      if (ids->size() > 50) return unprocessable(k, k + " accepts at most 50 ids");
      const std::string field = k == "ids" ? "id" : k.substr(0, k.size() - 1);  // job_ids -> job_id
      id_filters[field] = *ids;
    } else if (k == "created_at" || k == "updated_at") {
      auto f = parse_time_filter(v);
      if (!f) return unprocessable(k, k + " must be op|ISO-8601[|op|ISO-8601], op one of gte, gt, lte, lt");
      time_filters.emplace_back(k, *f);
    } else if (k == "status") {
      static const std::map<std::string, std::vector<std::string>> allowed{
        {"applications", {"active", "rejected", "hired", "converted"}},
        {"jobs", {"draft", "open", "closed"}}};
      auto a = allowed.find(resource);
      if (a == allowed.end() || std::find(a->second.begin(), a->second.end(), v) == a->second.end())
        return unprocessable("status", "status is not valid here");
      // Query says "active", rows say "in_process" (ats.md §1.4).
      status = resource == "applications" && v == "active" ? "in_process" : v;
    } else if (k == "fields") {
      std::size_t pos = 0;
      while (pos <= v.size()) {
        auto comma = v.find(',', pos);
        if (comma == std::string::npos) comma = v.size();
        if (comma > pos) fields.push_back(v.substr(pos, comma - pos));
        pos = comma + 1;
      }
      if (fields.empty() || fields.size() > 50) return unprocessable("fields", "fields must list 1 to 50 fields");
    } else {
      return unprocessable(k, "unknown parameter");
    }
  }

  const auto& table = data_[resource];
  json page = json::array();
  std::int64_t last_id = 0;
  bool more = false;
  // Returns false once the page is full. Rows come id DESC, below the cursor.
  const auto consider = [&](std::int64_t id, const json& row) {
    bool match = true;
    for (const auto& [field, ids] : id_filters) {
      if (!row.contains(field) || !row[field].is_number_integer() || !ids.count(row[field].get<std::int64_t>())) {
        match = false;
        break;
      }
    }
    for (const auto& [field, f] : time_filters) {
      if (!match) break;
      auto t = row.contains(field) && row[field].is_string() ? parse_iso(row[field].get<std::string>()) : std::nullopt;
      match = t && time_matches(*t, f);
    }
    if (match && status) match = row.value("status", std::string{}) == *status;
    if (!match) return true;
    if (static_cast<int>(page.size()) == per_page) {
      more = true;
      return false;
    }
    if (fields.empty()) {
      page.push_back(row);
    } else {
      json projected = json::object();
      for (const auto& f : fields) {
        if (row.contains(f)) projected[f] = row[f];
      }
      page.push_back(std::move(projected));
    }
    last_id = id;
    return true;
  };
  if (auto by_id = id_filters.find("id"); by_id != id_filters.end()) {
    for (auto i = by_id->second.rbegin(); i != by_id->second.rend(); ++i) {  // a lookup per id
      if (*i >= after) continue;
      auto r = table.find(*i);
      if (r != table.end() && !consider(r->first, *r->second)) break;
    }
  } else {
    // Seek to the cursor: a page costs O(page) when nothing is filtered out.
    for (auto it = std::make_reverse_iterator(table.lower_bound(after)); it != table.rend(); ++it) {
      if (!consider(it->first, *it->second)) break;
    }
  }

  auto headers = rate_headers();
  if (more) {
    std::string next;
    if (pagination_loop_ && !incoming_cursor.empty()) {
      next = incoming_cursor;  // chaos: the same page again, forever
    } else {
      // Opaque, URL-safe, and remembered server side so an unknown one is refused.
      next = hw::base64url_encode(json{{"r", resource}, {"after", last_id}, {"n", ++serial_}}.dump());
      cursors_[next] = cursor_state{resource, params, last_id};
    }
    headers.emplace_back("Link", "<" + base_url() + "/v3/" + resource + "?cursor=" + next + ">; rel=\"next\"");
  }
  std::string text = page.dump();
  if (truncate_next_ > 0) {
    --truncate_next_;
    text = text.substr(0, text.size() / 2);
  }
  return {200, std::move(text), std::move(headers)};
}

// ---- writes --------------------------------------------------------------------------------

fake_greenhouse::response fake_greenhouse::on_write(const std::string& method, const std::string& path,
                                                    const std::string& authorization, const std::string& body) {
  std::lock_guard<std::mutex> g{mu_};
  rate_headers_t rate;
  if (auto refused = gate_locked(authorization, false, rate)) return std::move(*refused);
  const auto unprocessable = [&](const std::string& field, const std::string& message) {
    return response{422, validation_error(field, message), rate};
  };
  const auto not_found = [&] { return response{404, R"({"message":"Resource not found"})", rate}; };
  const json in = json::parse(body.empty() ? std::string{"{}"} : body, nullptr, false);
  if (!in.is_object()) return response{400, R"({"message":"Invalid JSON body"})", rate};
  const auto int_field = [&](const char* k) -> std::optional<std::int64_t> {
    if (!in.contains(k) || !in[k].is_number_integer()) return std::nullopt;
    return in[k].get<std::int64_t>();
  };

  if (path == "/v3/notes") {
    if (method != "POST") return {405, R"({"message":"Method not allowed"})", rate};
    const auto cand = int_field("candidate_id");
    if (!cand) return unprocessable("candidate_id", "candidate_id is required");
    auto c = data_["candidates"].find(*cand);
    if (c == data_["candidates"].end()) return unprocessable("candidate_id", "candidate not found");
    json app_id = nullptr;
    if (in.contains("application_id") && !in["application_id"].is_null()) {
      const auto a = int_field("application_id");
      auto ar = a ? data_["applications"].find(*a) : data_["applications"].end();
      if (ar == data_["applications"].end() || (*ar->second)["candidate_id"] != *cand)
        return unprocessable("application_id", "application not found for this candidate");
      app_id = *a;
    }
    if (!in.contains("body") || !in["body"].is_string() || in["body"].get<std::string>().empty())
      return unprocessable("body", "body is required");
    static const std::map<std::string, std::string> visibility{
      {"admin_only", "admin_only_visible"}, {"private", "privately_visible"}, {"public", "publicly_visible"}};
    const auto vis = in.contains("visibility") && in["visibility"].is_string() ? in["visibility"].get<std::string>()
                                                                              : std::string{};
    if (!visibility.count(vis)) return unprocessable("visibility", "visibility must be admin_only, private or public");
    const auto type = in.contains("note_type") ? in["note_type"] : json("NOTE");
    if (type != "NOTE" && type != "ACTIVITY") return unprocessable("note_type", "note_type must be NOTE or ACTIVITY");
    if (in.contains("user_id") && !in["user_id"].is_null() && !int_field("user_id"))
      return unprocessable("user_id", "user_id must be an id");
    if (in.contains("subject") && !in["subject"].is_null() && !in["subject"].is_string())
      return unprocessable("subject", "subject must be a string");
    std::int64_t id = 600001;
    if (!data_["notes"].empty()) id = std::max(id, data_["notes"].rbegin()->first + 1);
    const auto t = gh_iso8601(now_locked());
    auto note = std::make_shared<json>(json{{"id", id}, {"candidate_id", *cand}, {"application_id", app_id},
                                            {"user_id", in.value("user_id", json(nullptr))},
                                            {"body", in["body"]}, {"subject", in.value("subject", json(nullptr))},
                                            {"type", type}, {"visibility", visibility.at(vis)},
                                            {"created_at", t}, {"updated_at", t}});
    data_["notes"][id] = note;
    touch_locked(*c->second);
    return {201, note->dump(), rate};
  }

  // /v3/applications/{id}[/move]
  const auto rest = path.substr(std::string{"/v3/applications/"}.size());
  const auto slash = rest.find('/');
  const auto id_text = rest.substr(0, slash);
  const auto action = slash == std::string::npos ? std::string{} : rest.substr(slash + 1);
  if (!all_digits(id_text)) return not_found();
  const auto app_id = std::stoll(id_text);
  auto a = data_["applications"].find(app_id);
  if (a == data_["applications"].end()) return not_found();
  auto& app = *a->second;

  if (action == "move") {
    if (method != "POST") return {405, R"({"message":"Method not allowed"})", rate};
    if (app["status"] != "in_process") return unprocessable("status", "only active applications can be moved");
    const auto from = int_field("from_stage_id");
    if (!from) return unprocessable("from_stage_id", "from_stage_id is required");
    if (app["stage_id"] != *from) return unprocessable("from_stage_id", "from_stage_id is not the current stage");
    // The stages of the application's job, by sort_order.
    std::vector<std::pair<std::int64_t, std::int64_t>> stages;  // (sort_order, id)
    for (const auto& [sid, st] : data_["job_interview_stages"]) {
      if ((*st)["job_id"] == app["job_id"]) stages.emplace_back((*st).value("sort_order", 0), sid);
    }
    std::sort(stages.begin(), stages.end());
    std::int64_t to = 0;
    if (in.contains("to_stage_id") && !in["to_stage_id"].is_null()) {
      const auto t = int_field("to_stage_id");
      if (!t || std::none_of(stages.begin(), stages.end(), [&](const auto& p) { return p.second == *t; }))
        return unprocessable("to_stage_id", "to_stage_id is not a stage of this job");
      to = *t;
    } else {
      auto cur = std::find_if(stages.begin(), stages.end(), [&](const auto& p) { return p.second == *from; });
      if (cur == stages.end() || cur + 1 == stages.end())
        return unprocessable("to_stage_id", "the application is in the last stage");
      to = (cur + 1)->second;
    }
    move_locked(app_id, to);
    return {200, app.dump(), rate};
  }
  if (!action.empty()) return not_found();
  if (method != "PATCH") return {405, R"({"message":"Method not allowed"})", rate};
  static const std::set<std::string> id_fields{"recruiter_id", "coordinator_id", "source_id", "referrer_id"};
  for (const auto& [k, v] : in.items()) {
    if (id_fields.count(k)) {
      if (!v.is_null() && !v.is_number_integer()) return unprocessable(k, k + " must be an id or null");
    } else if (k == "custom_fields") {
      if (!v.is_object()) return unprocessable(k, "custom_fields must be an object");
    } else {
      return unprocessable(k, "unknown or read-only field");
    }
  }
  for (const auto& [k, v] : in.items()) {
    if (k == "custom_fields") {
      if (!app["custom_fields"].is_object()) app["custom_fields"] = json::object();
      for (const auto& [ck, cv] : v.items()) app["custom_fields"][ck] = cv;
    } else {
      app[k] = v;
    }
  }
  touch_locked(app);
  queue_locked("application_updated", {{"application", application_hook_locked(app_id)}});
  return {200, app.dump(), rate};
}

// ---- control API -------------------------------------------------------------------------

fake_greenhouse::response fake_greenhouse::on_control(const std::string& method, const std::string& path,
                                                      const std::string& body) {
  const auto bad = [](const std::string& m) { return response{400, json{{"error", m}}.dump(), {}}; };
  if (path == "/_control/state") {
    if (method != "GET") return {405, R"({"error":"method not allowed"})", {}};
    std::lock_guard<std::mutex> g{mu_};
    json counts = json::object();
    for (const auto& [r, t] : data_) counts[r] = t.size();
    json eps = json::array();
    for (const auto& e : endpoints_) eps.push_back({{"url", e.url}, {"enabled", e.enabled}});
    return {200,
            json{{"vendor", "greenhouse"}, {"now", now_locked()}, {"counts", counts},
                 {"pending_webhooks", queue_.size()}, {"endpoints", eps}, {"token_requests", token_requests_}}
              .dump(),
            {}};
  }
  if (method != "POST") return {405, R"({"error":"method not allowed"})", {}};
  const json in = json::parse(body.empty() ? std::string{"{}"} : body, nullptr, false);
  if (!in.is_object()) return bad("body must be a JSON object");
  const auto num = [&](const char* k) -> std::int64_t {
    if (!in.contains(k)) return 0;
    if (in[k].is_number_integer()) return in[k].get<std::int64_t>();
    if (in[k].is_string() && all_digits(in[k].get<std::string>())) return std::stoll(in[k].get<std::string>());
    return 0;
  };
  const auto str = [&](const char* k) {
    return in.contains(k) && in[k].is_string() ? in[k].get<std::string>() : std::string{};
  };
  if (path == "/_control/move_application") {
    if (!move_application(num("application_id"), num("stage_id"))) return {404, R"({"error":"unknown id"})", {}};
    return {200, R"({"ok":true})", {}};
  }
  if (path == "/_control/anonymize_candidate") {
    if (!anonymize_candidate(num("candidate_id"))) return {404, R"({"error":"unknown id"})", {}};
    return {200, R"({"ok":true})", {}};
  }
  if (path == "/_control/advance") {
    advance(num("seconds"));
    return {200, json{{"now", now()}}.dump(), {}};
  }
  if (path == "/_control/add_webhook_endpoint") {
    if (str("url").empty() || str("secret").empty()) return bad("url and secret are required");
    const bool enabled = add_webhook_endpoint(str("url"), str("secret"));
    return {200, json{{"ok", true}, {"enabled", enabled}}.dump(), {}};
  }
  if (path == "/_control/flush_webhooks") {
    gh_flush_options o;
    o.reverse_order = in.value("reverse_order", false);
    o.duplicate = in.value("duplicate", false);
    json out = json::array();
    for (const auto& d : flush_webhooks(o)) {
      out.push_back({{"url", d.url}, {"action", d.action}, {"event_id", d.event_id}, {"status", d.status}});
    }
    return {200, json{{"deliveries", out}}.dump(), {}};
  }
  return {404, R"({"error":"unknown control"})", {}};
}

// ---- webhooks ------------------------------------------------------------------------------

bool fake_greenhouse::add_webhook_endpoint(std::string url, std::string secret) {
  std::string ping;
  std::string event_id;
  {
    std::lock_guard<std::mutex> g{mu_};
    if (!opt_.ping_on_register) {
      endpoints_.push_back({std::move(url), std::move(secret), true});
      return true;
    }
    const auto t = iso(now_locked(), "Z");
    const auto hook_id = static_cast<std::int64_t>(4001690000 + endpoints_.size());
    ping = rails_json_escape(
      json{{"action", "ping"},
           {"payload", {{"web_hook_id", hook_id}, {"endpoint_url", url}, {"created_at", t}, {"updated_at", t},
                        {"name", "Fake hook"}, {"event", "All"}, {"active", true},
                        {"content-type", "application/json"}}}}
        .dump());
    event_id = event_uuid(++serial_);
  }
  // POST outside the lock: the receiver may call back into this fake.
  const auto status = gh_http("POST", url,
                              {{"Content-Type", "application/json"},
                               {"Signature", hw::ats::sign_greenhouse_body(secret, ping)},
                               {"Greenhouse-Event-ID", event_id},
                               {"User-Agent", "Greenhouse-Webhooks (fake)"}},
                              ping)
                        .status;
  std::lock_guard<std::mutex> g{mu_};
  endpoints_.push_back({std::move(url), std::move(secret), status == 200});
  return status == 200;
}

void fake_greenhouse::queue_locked(const std::string& action, const json& payload) {
  // Serialized once, the way Rails does it, so duplicates carry identical bytes.
  queue_.push_back({action, rails_json_escape(json{{"action", action}, {"payload", payload}}.dump())});
}

void fake_greenhouse::queue_webhook(const std::string& action, const json& payload) {
  std::lock_guard<std::mutex> g{mu_};
  queue_locked(action, payload);
}

std::size_t fake_greenhouse::pending_webhooks() const {
  std::lock_guard<std::mutex> g{mu_};
  return queue_.size();
}

std::vector<gh_webhook_delivery> fake_greenhouse::flush_webhooks(const gh_flush_options& o) {
  std::vector<gh_webhook_delivery> plan;
  {
    std::lock_guard<std::mutex> g{mu_};
    auto events = std::move(queue_);
    queue_.clear();
    if (o.reverse_order) std::reverse(events.begin(), events.end());
    for (const auto& e : events) {
      for (const auto& ep : endpoints_) {
        if (!ep.enabled) continue;
        gh_webhook_delivery d{ep.url, event_uuid(++serial_), e.action, e.body,
                              hw::ats::sign_greenhouse_body(ep.secret, e.body), 0};
        plan.push_back(d);
        if (o.duplicate) {
          if (!o.duplicate_same_event_id) d.event_id = event_uuid(++serial_);
          plan.push_back(d);
        }
      }
    }
  }
  // POST outside the lock: the receiver may call back into this fake.
  for (auto& d : plan) {
    d.status = gh_http("POST", d.url,
                       {{"Content-Type", "application/json"},
                        {"Signature", d.signature},
                        {"Greenhouse-Event-ID", d.event_id},
                        {"User-Agent", "Greenhouse-Webhooks (fake)"}},
                       d.body)
                 .status;
  }
  return plan;
}

// ---- webhook_sink --------------------------------------------------------------------------

struct webhook_sink::impl {
  mutable std::mutex mu;
  unsigned status = 200;
  std::vector<received> got;
  std::unique_ptr<vendor_http_server> server;
};

webhook_sink::webhook_sink() : impl_(std::make_unique<impl>()) {
  impl_->server = std::make_unique<vendor_http_server>([this](const vendor_request& req) {
    received r{req.target, req.body, req.headers};
    std::lock_guard<std::mutex> g{impl_->mu};
    impl_->got.push_back(std::move(r));
    return vendor_response{impl_->status, "{}", {}, {}};
  });
}

webhook_sink::~webhook_sink() { impl_->server.reset(); }

std::string webhook_sink::url() const { return impl_->server->base_url() + "/webhooks"; }

void webhook_sink::set_status(unsigned status) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->status = status;
}

std::vector<webhook_sink::received> webhook_sink::deliveries() const {
  std::lock_guard<std::mutex> g{impl_->mu};
  return impl_->got;
}

}  // namespace hw::testing
