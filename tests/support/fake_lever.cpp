#include "tests/support/fake_lever.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/domain/base64url.hpp"
#include "tests/support/fake_http_util.hpp"
#include "tests/support/fake_vendor_server.hpp"

namespace hw::testing {

using nlohmann::json;

namespace {

const std::vector<std::string>& list_resources() {
  static const std::vector<std::string> r{"postings", "opportunities", "stages", "archive_reasons"};
  return r;
}

bool is_list_resource(const std::string& r) {
  return std::find(list_resources().begin(), list_resources().end(), r) != list_resources().end();
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// "a=1&b=2&b=3" -> {a:[1], b:[2,3]} (Lever repeats parameters for several values).
std::map<std::string, std::vector<std::string>> parse_multi_query(std::string_view q) {
  std::map<std::string, std::vector<std::string>> out;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto part = q.substr(0, amp);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos) {
      out[fake_http::url_decode(part.substr(0, eq))].push_back(fake_http::url_decode(part.substr(eq + 1)));
    } else if (!part.empty()) {
      out[fake_http::url_decode(part)].push_back("");
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

/// Every value of `k`, commas splitting further ("expand=stage,applications").
std::set<std::string> values(const std::map<std::string, std::vector<std::string>>& q, const std::string& k) {
  std::set<std::string> out;
  auto it = q.find(k);
  if (it == q.end()) return out;
  for (const auto& v : it->second) {
    std::size_t pos = 0;
    while (pos <= v.size()) {
      auto comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      if (comma > pos) out.insert(v.substr(pos, comma - pos));
      pos = comma + 1;
    }
  }
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string error_body(const std::string& code, const std::string& message) {
  return json{{"code", code}, {"message", message}}.dump();
}

std::string uuid_like(std::uint32_t kind, std::uint64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-8%03x-%012llx", kind, static_cast<unsigned>(n >> 48 & 0xffff),
                static_cast<unsigned>(n >> 36 & 0xfff), static_cast<unsigned>(n >> 24 & 0xfff),
                static_cast<unsigned long long>(n & 0xffffffffffffULL));
  return buf;
}

}  // namespace

std::string lever_signature_hex(std::string_view signature_token, std::string_view token, std::int64_t triggered_at_ms) {
  std::string msg{token};
  msg += std::to_string(triggered_at_ms);
  return vendor_hmac_sha256_hex(signature_token, msg);
}

struct fake_lever::impl {
  using key = std::pair<std::int64_t, std::string>;  // (createdAt, id): the list order
  struct table {
    std::map<key, json> rows;
    std::map<std::string, std::int64_t> created;  // id -> createdAt
  };
  struct offset_state {
    std::string resource;
    key after;
  };
  struct queued {
    std::string event;
    json data;
    std::int64_t triggered_at = 0;
    std::string token;
  };

  fake_lever_options opt;
  mutable std::mutex mu;
  std::int64_t clock_offset_ms = 0;  // wall-clock mode: now = wall + offset
  std::map<std::string, table> data;
  std::map<std::string, int> requests;
  std::map<std::string, offset_state> offsets;
  std::uint64_t serial = 0;
  std::mt19937_64 token_rng{0x1e7e5};
  double bucket = 0;
  std::int64_t bucket_at = 0;
  int fail_next = 0;
  unsigned fail_status = 500;
  int truncate_next = 0;
  bool pagination_loop = false;
  std::chrono::milliseconds delay{0};
  std::vector<std::pair<std::string, std::string>> endpoints;  // url, signature token
  std::vector<queued> queue;
  std::unique_ptr<vendor_http_server> server;

  std::int64_t now_locked() const {
    return opt.wall_clock ? vendor_wall_clock_ms() + clock_offset_ms : opt.now_ms;
  }

  void put_locked(const std::string& resource, json row) {
    auto& t = data[resource];
    const auto id = row.at("id").get<std::string>();
    if (!row.contains("createdAt")) {
      auto c = t.created.find(id);
      row["createdAt"] = c != t.created.end() ? c->second : now_locked();
    }
    const auto created = row["createdAt"].get<std::int64_t>();
    auto old = t.created.find(id);
    if (old != t.created.end()) t.rows.erase(key{old->second, id});
    t.created[id] = created;
    t.rows[key{created, id}] = std::move(row);
  }

  json* find_locked(const std::string& resource, const std::string& id) {
    auto t = data.find(resource);
    if (t == data.end()) return nullptr;
    auto c = t->second.created.find(id);
    if (c == t->second.created.end()) return nullptr;
    return &t->second.rows.at(key{c->second, id});
  }

  std::string random_token_locked() {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(token_rng()),
                  static_cast<unsigned long long>(token_rng()));
    return buf;
  }

  void queue_locked(const std::string& event, json payload) {
    queue.push_back({event, std::move(payload), now_locked(), random_token_locked()});
  }

  json event_ids(const json& opp) const {
    return json{{"opportunityId", opp["id"]}, {"candidateId", opp["contact"]}, {"contactId", opp["contact"]}};
  }

  /// The wire shape of a stored row.
  json wire_locked(const std::string& resource, const json& row, const std::set<std::string>& expand) {
    if (resource != "opportunities") return row;
    json out = row;
    if (expand.count("stage") && row.contains("stage") && row["stage"].is_string()) {
      const json* st = find_locked("stages", row["stage"].get<std::string>());
      out["stage"] = json{{"id", row["stage"]}, {"text", st ? (*st)["text"] : json("")}};
    }
    if (!expand.count("applications")) {
      json ids = json::array();
      for (const auto& a : row.value("applications", json::array())) ids.push_back(a.at("id"));
      out["applications"] = std::move(ids);
    }
    return out;
  }

  bool take_token_locked() {
    const auto now = now_locked();
    if (bucket_at == 0) {
      bucket = opt.burst;
      bucket_at = now;
    }
    if (now > bucket_at) {
      bucket = std::min<double>(opt.burst, bucket + static_cast<double>(now - bucket_at) * opt.rate_per_second / 1000.0);
      bucket_at = now;
    }
    if (bucket < 1.0 - 1e-9) return false;  // tolerance: refills are fractional sums
    bucket -= 1.0;
    return true;
  }

  bool authorized(const std::string& authorization) const {
    if (authorization.size() < 6 || lower(authorization.substr(0, 6)) != "basic ") return false;
    std::string b64 = authorization.substr(6);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    for (auto& ch : b64) {
      if (ch == '+') ch = '-';
      else if (ch == '/') ch = '_';
    }
    const auto raw = hw::base64url_decode(b64);
    return raw && !opt.api_key.empty() && *raw == opt.api_key + ":";
  }

  vendor_response handle(fake_lever& self, const vendor_request& req);
  vendor_response on_list(const std::string& resource, const std::string& query);
  vendor_response on_control(fake_lever& self, const std::string& method, const std::string& path,
                             const std::string& body);
};

fake_lever::fake_lever(fake_lever_options opt) : impl_(std::make_unique<impl>()) {
  impl_->opt = std::move(opt);
  seed();
  impl_->server = std::make_unique<vendor_http_server>(
    [this](const vendor_request& req) {
      auto r = impl_->handle(*this, req);
      std::lock_guard<std::mutex> g{impl_->mu};
      r.delay = impl_->delay;
      return r;
    },
    impl_->opt.port);
}

fake_lever::~fake_lever() { impl_->server.reset(); }

std::uint16_t fake_lever::port() const noexcept { return impl_->server->port(); }
std::string fake_lever::base_url() const { return impl_->server->base_url(); }
const fake_lever_options& fake_lever::options() const noexcept { return impl_->opt; }

void fake_lever::set_now_ms(std::int64_t ms) {
  std::lock_guard<std::mutex> g{impl_->mu};
  if (impl_->opt.wall_clock) {
    impl_->clock_offset_ms = ms - vendor_wall_clock_ms();
  } else {
    impl_->opt.now_ms = ms;
  }
}

void fake_lever::advance_ms(std::int64_t ms) {
  std::lock_guard<std::mutex> g{impl_->mu};
  if (impl_->opt.wall_clock) {
    impl_->clock_offset_ms += ms;
  } else {
    impl_->opt.now_ms += ms;
  }
}

std::int64_t fake_lever::now_ms() const {
  std::lock_guard<std::mutex> g{impl_->mu};
  return impl_->now_locked();
}

// ---- data set ------------------------------------------------------------------------------

void fake_lever::seed(const fake_lever_seed& s) {
  std::lock_guard<std::mutex> g{impl_->mu};
  auto& d = *impl_;
  d.data.clear();
  d.offsets.clear();
  for (const auto& r : list_resources()) d.data[r];
  std::mt19937_64 rng{s.seed};
  static const char* first[] = {"Ada", "Grace", "Linus", "Barbara", "Ken", "Mary Ann", "Dennis", "Radia"};
  static const char* last[] = {"Lovelace", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie"};
  static const char* stage_names[] = {"New applicant", "Recruiter screen", "Phone interview", "On-site interview",
                                      "Offer", "Reference check"};
  static const char* teams[] = {"Platform", "Data", "Design"};
  static const char* locations[] = {"Berlin", "Remote", "New York"};
  const auto now = d.now_locked();
  const std::int64_t n_rows = 3 + s.stages + s.postings + s.opportunities;
  std::int64_t k = 0;  // rows get increasing timestamps, one minute apart, ending at now
  const auto stamp = [&] { return now - 60'000 * (n_rows - k++); };
  const auto put = [&](const std::string& res, json row) {
    const auto t = row["createdAt"].get<std::int64_t>();
    const auto id = row["id"].get<std::string>();
    auto& table = d.data[res];
    table.created[id] = t;
    table.rows.emplace(impl::key{t, id}, std::move(row));
  };
  const std::pair<const char*, const char*> reasons[] = {
    {"ar-hired", "Hired"}, {"ar-withdrew", "Withdrew"}, {"ar-underqualified", "Underqualified"}};
  for (const auto& [id, text] : reasons) {
    put("archive_reasons", json{{"id", id}, {"text", text},
                                {"status", std::string{id} == "ar-hired" ? "hired" : "non-hired"},
                                {"createdAt", stamp()}});
  }
  std::vector<std::string> stage_ids;
  for (int i = 0; i < s.stages; ++i) {
    stage_ids.push_back(uuid_like(0x57a6e000, static_cast<std::uint64_t>(i + 1)));
    put("stages", json{{"id", stage_ids.back()},
                       {"text", i < 6 ? std::string{stage_names[i]} : "Stage " + std::to_string(i + 1)},
                       {"createdAt", stamp()}});
  }
  std::vector<std::string> posting_ids;
  for (int p = 0; p < s.postings; ++p) {
    posting_ids.push_back(uuid_like(0x90571000, static_cast<std::uint64_t>(p + 1)));
    const auto t = stamp();
    const std::string state = p % 3 == 2 ? "closed" : (p % 3 == 1 ? "internal" : "published");
    const std::string title = "Engineer & Ops " + std::to_string(p + 1);
    put("postings",
        json{{"id", posting_ids.back()}, {"text", title}, {"state", state},
             {"distributionChannels", json::array({"public", "internal"})}, {"user", uuid_like(0x05e70000, 1)},
             {"owner", uuid_like(0x05e70000, 1)}, {"hiringManager", nullptr},
             {"categories", {{"team", teams[p % 3]}, {"department", "Engineering"}, {"location", locations[p % 3]},
                             {"commitment", "Full-time"}, {"allLocations", json::array({locations[p % 3]})}}},
             {"tags", json::array()},
             {"content", {{"description", "Build R&D tools"}, {"descriptionHtml", "<div>Build <b>R&amp;D</b> tools</div>"},
                          {"lists", json::array({{{"text", "Requirements"}, {"content", "<li>C++</li><li>SQL</li>"}}})},
                          {"closing", ""}, {"closingHtml", ""}}},
             {"country", "DE"}, {"reqCode", "REQ-" + std::to_string(rng() % 1000)},
             {"urls", {{"list", "https://jobs.lever.co/acme"},
                       {"show", "https://jobs.lever.co/acme/" + posting_ids.back()},
                       {"apply", "https://jobs.lever.co/acme/" + posting_ids.back() + "/apply"}}},
             {"workplaceType", "hybrid"}, {"createdAt", t}, {"updatedAt", t}});
  }
  for (int c = 0; c < s.opportunities; ++c) {
    const auto t = stamp();
    const std::string id = uuid_like(0x0beef000, static_cast<std::uint64_t>(c + 1));
    const std::string contact = uuid_like(0xc0c0a000, static_cast<std::uint64_t>(c + 1));
    const std::string fn = first[rng() % 8];
    const std::string ln = last[rng() % 7];
    const std::string stage = stage_ids.empty() ? std::string{} : stage_ids[static_cast<std::size_t>(c) % stage_ids.size()];
    json archived = nullptr;
    if (c % 7 == 6) {
      archived = {{"reason", "ar-hired"}, {"archivedAt", t}};
    } else if (c % 5 == 4) {
      archived = {{"reason", "ar-withdrew"}, {"archivedAt", t}};
    }
    json apps = json::array();
    if (!posting_ids.empty()) {
      apps.push_back({{"id", uuid_like(0xa9911000, static_cast<std::uint64_t>(c + 1))}, {"type", "posting"},
                      {"posting", posting_ids[static_cast<std::size_t>(c) % posting_ids.size()]},
                      {"opportunityId", id}, {"candidateId", contact}, {"createdAt", t}, {"user", nullptr},
                      {"postingOwner", nullptr}, {"postingHiringManager", nullptr}});
    }
    std::string local = lower(fn);
    std::replace(local.begin(), local.end(), ' ', '.');
    put("opportunities",
        json{{"id", id}, {"name", fn + " " + ln}, {"headline", "Engineer"}, {"contact", contact},
             {"emails", json::array({local + "." + std::to_string(c + 1) + "@example.com"})},
             {"phones", json::array({{{"type", "mobile"}, {"value", "+1 555 01" + std::to_string(10 + c % 90)}}})},
             {"location", locations[c % 3]}, {"stage", stage.empty() ? json(nullptr) : json(stage)},
             {"stageChanges", stage.empty() ? json::array()
                                            : json::array({{{"toStageId", stage}, {"toStageIndex", c % std::max(1, s.stages)},
                                                            {"updatedAt", t}, {"userId", nullptr}}})},
             {"archived", archived}, {"owner", nullptr}, {"followers", json::array()}, {"tags", json::array()},
             {"sources", json::array({"Job site"})}, {"origin", "applied"}, {"confidentiality", "non-confidential"},
             {"applications", apps}, {"createdAt", t}, {"updatedAt", t}, {"lastInteractionAt", t},
             {"lastAdvancedAt", t}, {"isAnonymized", false},
             {"urls", {{"list", "https://hire.lever.co/candidates"}, {"show", "https://hire.lever.co/candidates/" + id}}}});
  }
}

json fake_lever::rows(const std::string& resource) const {
  std::lock_guard<std::mutex> g{impl_->mu};
  json out = json::array();
  auto it = impl_->data.find(resource);
  if (it == impl_->data.end()) return out;
  for (const auto& [_, r] : it->second.rows) out.push_back(r);
  return out;
}

json fake_lever::row(const std::string& resource, const std::string& id) const {
  std::lock_guard<std::mutex> g{impl_->mu};
  const json* r = impl_->find_locked(resource, id);
  return r ? *r : json(nullptr);
}

void fake_lever::upsert(const std::string& resource, const json& row) {
  std::lock_guard<std::mutex> g{impl_->mu};
  json copy = row;
  copy["updatedAt"] = impl_->now_locked();
  impl_->put_locked(resource, std::move(copy));
}

bool fake_lever::move_opportunity(const std::string& id, const std::string& stage_id) {
  std::lock_guard<std::mutex> g{impl_->mu};
  auto& d = *impl_;
  json* opp = d.find_locked("opportunities", id);
  if (!opp || !d.find_locked("stages", stage_id)) return false;
  const auto now = d.now_locked();
  const json from = (*opp)["stage"];
  (*opp)["stage"] = stage_id;
  (*opp)["updatedAt"] = now;
  (*opp)["lastAdvancedAt"] = now;
  if (!(*opp)["stageChanges"].is_array()) (*opp)["stageChanges"] = json::array();
  (*opp)["stageChanges"].push_back({{"toStageId", stage_id}, {"updatedAt", now}, {"userId", nullptr}});
  json data = d.event_ids(*opp);
  data["fromStageId"] = from;
  data["toStageId"] = stage_id;
  d.queue_locked("candidateStageChange", std::move(data));
  return true;
}

bool fake_lever::archive_opportunity(const std::string& id, const std::string& reason_id) {
  std::lock_guard<std::mutex> g{impl_->mu};
  auto& d = *impl_;
  json* opp = d.find_locked("opportunities", id);
  const json* reason = d.find_locked("archive_reasons", reason_id);
  if (!opp || !reason) return false;
  const auto now = d.now_locked();
  const json from = (*opp)["archived"];
  (*opp)["archived"] = {{"reason", reason_id}, {"archivedAt", now}};
  (*opp)["updatedAt"] = now;
  json data = d.event_ids(*opp);
  data["fromArchived"] = from;
  data["toArchived"] = (*opp)["archived"];
  d.queue_locked("candidateArchiveChange", data);
  if ((*reason).value("status", std::string{}) == "hired") d.queue_locked("candidateHired", d.event_ids(*opp));
  return true;
}

bool fake_lever::delete_opportunity(const std::string& id) {
  std::lock_guard<std::mutex> g{impl_->mu};
  auto& d = *impl_;
  json* opp = d.find_locked("opportunities", id);
  if (!opp) return false;
  json data = d.event_ids(*opp);
  data["deletedBy"] = nullptr;
  auto& t = d.data["opportunities"];
  const auto created = t.created.at(id);
  t.rows.erase(impl::key{created, id});
  t.created.erase(id);
  d.queue_locked("candidateDeleted", std::move(data));
  return true;
}

// ---- knobs ---------------------------------------------------------------------------------

void fake_lever::set_rate_limit(double per_second, int burst) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->opt.rate_per_second = per_second;
  impl_->opt.burst = burst;
  impl_->bucket_at = 0;  // refilled to `burst` on the next request
}

void fake_lever::fail_next(int n, unsigned status) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->fail_next = n;
  impl_->fail_status = status;
}

void fake_lever::truncate_next(int n) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->truncate_next = n;
}

void fake_lever::set_pagination_loop(bool on) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->pagination_loop = on;
}

void fake_lever::set_delay(std::chrono::milliseconds d) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->delay = d;
}

int fake_lever::requests(const std::string& path) const {
  std::lock_guard<std::mutex> g{impl_->mu};
  auto it = impl_->requests.find(path);
  return it == impl_->requests.end() ? 0 : it->second;
}

// ---- HTTP ----------------------------------------------------------------------------------

vendor_response fake_lever::impl::handle(fake_lever& self, const vendor_request& req) {
  const auto qpos = req.target.find('?');
  const std::string path = req.target.substr(0, qpos);
  const std::string query = qpos == std::string::npos ? std::string{} : req.target.substr(qpos + 1);
  {
    std::lock_guard<std::mutex> g{mu};
    ++requests[path];
  }
  if (path.rfind("/_control/", 0) == 0) {
    bool on;
    {
      std::lock_guard<std::mutex> g{mu};
      on = opt.control_api;
    }
    if (!on) return {404, error_body("ResourceNotFound", "Not found"), {}, {}};
    return on_control(self, req.method, path, req.body);
  }
  if (path.rfind("/v1/", 0) != 0) return {404, error_body("ResourceNotFound", "Not found"), {}, {}};

  std::unique_lock<std::mutex> g{mu};
  if (!authorized(req.header("authorization")))
    return {401, error_body("UnauthorizedError", "Invalid API key"), {{"WWW-Authenticate", "Basic realm=\"Lever\""}}, {}};
  if (!take_token_locked())
    return {429, error_body("TooManyRequests", "Rate limit exceeded"), {{"Retry-After", "1"}}, {}};
  if (fail_next > 0) {
    --fail_next;
    return {fail_status, error_body("InternalServerError", "Something went wrong"), {}, {}};
  }
  if (req.method != "GET") return {405, error_body("MethodNotAllowed", "Method not allowed"), {}, {}};

  const std::string rest = path.substr(4);
  const auto slash = rest.find('/');
  const std::string resource = rest.substr(0, slash);
  if (!is_list_resource(resource)) return {404, error_body("ResourceNotFound", "Not found"), {}, {}};
  if (slash == std::string::npos) return on_list(resource, query);
  const std::string id = fake_http::url_decode(rest.substr(slash + 1));
  if (id.empty() || id.find('/') != std::string::npos || (resource != "opportunities" && resource != "postings"))
    return {404, error_body("ResourceNotFound", "Not found"), {}, {}};
  const json* r = find_locked(resource, id);
  if (!r) return {404, error_body("ResourceNotFound", resource.substr(0, resource.size() - 1) + " not found"), {}, {}};
  const auto q = parse_multi_query(query);
  return {200, json{{"data", wire_locked(resource, *r, values(q, "expand"))}}.dump(), {}, {}};
}

// Called with `mu` held.
vendor_response fake_lever::impl::on_list(const std::string& resource, const std::string& query) {
  const auto q = parse_multi_query(query);
  const auto bad = [](const std::string& message) {
    return vendor_response{400, error_body("BadRequestError", message), {}, {}};
  };
  const auto single = [&](const std::string& k) -> std::optional<std::string> {
    auto it = q.find(k);
    if (it == q.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  };

  int limit = 100;
  if (auto v = single("limit")) {
    if (!all_digits(*v) || std::stoll(*v) < 1 || std::stoll(*v) > 100) return bad("limit must be between 1 and 100");
    limit = static_cast<int>(std::stoll(*v));
  }
  std::optional<key> after;
  std::string incoming_offset;
  if (auto v = single("offset")) {
    auto o = offsets.find(*v);
    if (o == offsets.end() || o->second.resource != resource) return bad("Invalid offset token");
    incoming_offset = *v;
    after = o->second.after;
  }
  const auto time_param = [&](const std::string& k, std::optional<std::int64_t>& out) -> bool {
    auto v = single(k);
    if (!v) return true;
    if (!all_digits(*v)) return false;
    out = std::stoll(*v);
    return true;
  };
  std::optional<std::int64_t> upd_start, upd_end, cre_start, cre_end;
  if (!time_param("updated_at_start", upd_start)) return bad("updated_at_start must be a timestamp in ms");
  if (!time_param("updated_at_end", upd_end)) return bad("updated_at_end must be a timestamp in ms");
  if (!time_param("created_at_start", cre_start)) return bad("created_at_start must be a timestamp in ms");
  if (!time_param("created_at_end", cre_end)) return bad("created_at_end must be a timestamp in ms");
  const auto expand = values(q, "expand");
  const auto posting_ids = values(q, "posting_id");
  const auto stage_ids = values(q, "stage_id");
  const auto states = values(q, "state");
  const auto contact_ids = values(q, "contact_id");
  const auto tags = values(q, "tag");
  const auto origins = values(q, "origin");
  const auto emails = values(q, "email");
  for (const auto& e : emails) {
    if (e.find('@') == std::string::npos) return bad("email must be a valid email address");
  }
  std::optional<bool> archived;
  if (auto v = single("archived")) {
    if (*v != "true" && *v != "false") return bad("archived must be true or false");
    archived = *v == "true";
  }
  if (resource == "postings") {
    static const std::set<std::string> known{"published", "internal", "closed", "draft", "pending", "rejected"};
    for (const auto& s : states) {
      if (!known.count(s)) return bad("Invalid posting state");
    }
  }

  const auto match = [&](const json& row) {
    const auto num = [&](const char* f) { return row.contains(f) && row[f].is_number() ? row[f].get<std::int64_t>() : 0; };
    if (upd_start && num("updatedAt") < *upd_start) return false;
    if (upd_end && num("updatedAt") > *upd_end) return false;
    if (cre_start && num("createdAt") < *cre_start) return false;
    if (cre_end && num("createdAt") > *cre_end) return false;
    if (resource == "postings" && !states.empty() && !states.count(row.value("state", std::string{}))) return false;
    if (resource == "opportunities") {
      if (!stage_ids.empty() && !(row["stage"].is_string() && stage_ids.count(row["stage"].get<std::string>())))
        return false;
      if (archived && row["archived"].is_null() == *archived) return false;
      if (!contact_ids.empty() && !contact_ids.count(row.value("contact", std::string{}))) return false;
      if (!origins.empty() && !origins.count(row.value("origin", std::string{}))) return false;
      const auto any_of = [&](const char* field, const std::set<std::string>& wanted) {
        if (wanted.empty()) return true;
        for (const auto& v : row.value(field, json::array())) {
          if (v.is_string() && wanted.count(v.get<std::string>())) return true;
        }
        return false;
      };
      if (!any_of("emails", emails) || !any_of("tags", tags)) return false;
      if (!posting_ids.empty()) {
        bool any = false;
        for (const auto& a : row.value("applications", json::array())) {
          if (a.contains("posting") && a["posting"].is_string() && posting_ids.count(a["posting"].get<std::string>())) {
            any = true;
          }
        }
        if (!any) return false;
      }
    }
    return true;
  };

  const auto& rows = data[resource].rows;
  auto it = after ? rows.upper_bound(*after) : rows.begin();
  json page = json::array();
  key last;
  bool more = false;
  for (; it != rows.end(); ++it) {
    if (!match(it->second)) continue;
    if (static_cast<int>(page.size()) == limit) {
      more = true;
      break;
    }
    page.push_back(wire_locked(resource, it->second, expand));
    last = it->first;
  }
  json body{{"data", std::move(page)}, {"hasNext", more}};
  if (more) {
    std::string next;
    if (pagination_loop && !incoming_offset.empty()) {
      next = incoming_offset;  // chaos: the same page again, forever
    } else {
      // Opaque and remembered server side, so an unknown one is refused.
      next = hw::base64url_encode(json::array({resource.substr(0, 1), last.first, ++serial}).dump());
      offsets[next] = offset_state{resource, last};
    }
    body["next"] = next;
  }
  std::string text = body.dump();
  if (truncate_next > 0) {
    --truncate_next;
    text = text.substr(0, text.size() / 2);
  }
  return {200, std::move(text), {}, {}};
}

vendor_response fake_lever::impl::on_control(fake_lever& self, const std::string& method, const std::string& path,
                                             const std::string& body) {
  const auto bad = [](const std::string& m) { return vendor_response{400, json{{"error", m}}.dump(), {}, {}}; };
  if (path == "/_control/state") {
    if (method != "GET") return {405, R"({"error":"method not allowed"})", {}, {}};
    std::lock_guard<std::mutex> g{mu};
    json counts = json::object();
    for (const auto& [r, t] : data) counts[r] = t.rows.size();
    return {200,
            json{{"vendor", "lever"}, {"now_ms", now_locked()}, {"counts", counts},
                 {"pending_webhooks", queue.size()}, {"endpoints", endpoints.size()}, {"requests", requests}}
              .dump(),
            {}, {}};
  }
  if (method != "POST") return {405, R"({"error":"method not allowed"})", {}, {}};
  const json in = json::parse(body.empty() ? std::string{"{}"} : body, nullptr, false);
  if (!in.is_object()) return bad("body must be a JSON object");
  const auto str = [&](const char* k) { return in.contains(k) && in[k].is_string() ? in[k].get<std::string>() : std::string{}; };
  if (path == "/_control/move_opportunity") {
    if (!self.move_opportunity(str("opportunity_id"), str("stage_id"))) return {404, R"({"error":"unknown id"})", {}, {}};
    return {200, R"({"ok":true})", {}, {}};
  }
  if (path == "/_control/archive_opportunity") {
    if (!self.archive_opportunity(str("opportunity_id"), str("reason_id"))) return {404, R"({"error":"unknown id"})", {}, {}};
    return {200, R"({"ok":true})", {}, {}};
  }
  if (path == "/_control/add_webhook_endpoint") {
    std::string token = str("signature_token");
    if (token.empty()) token = str("secret");
    if (str("url").empty() || token.empty()) return bad("url and signature_token are required");
    self.add_webhook_endpoint(str("url"), token);
    return {200, R"({"ok":true})", {}, {}};
  }
  if (path == "/_control/flush_webhooks") {
    lever_flush_options o;
    o.reverse_order = in.value("reverse_order", false);
    o.duplicate = in.value("duplicate", false);
    json out = json::array();
    for (const auto& d : self.flush_webhooks(o)) out.push_back({{"url", d.url}, {"event", d.event}, {"status", d.status}});
    return {200, json{{"deliveries", out}}.dump(), {}, {}};
  }
  return {404, R"({"error":"unknown control"})", {}, {}};
}

// ---- webhooks ------------------------------------------------------------------------------

void fake_lever::add_webhook_endpoint(std::string url, std::string signature_token) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->endpoints.emplace_back(std::move(url), std::move(signature_token));
}

void fake_lever::queue_webhook(const std::string& event, const json& data) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->queue_locked(event, data);
}

std::size_t fake_lever::pending_webhooks() const {
  std::lock_guard<std::mutex> g{impl_->mu};
  return impl_->queue.size();
}

std::vector<lever_webhook_delivery> fake_lever::flush_webhooks(const lever_flush_options& o) {
  std::vector<lever_webhook_delivery> plan;
  {
    std::lock_guard<std::mutex> g{impl_->mu};
    auto events = std::move(impl_->queue);
    impl_->queue.clear();
    if (o.reverse_order) std::reverse(events.begin(), events.end());
    for (const auto& e : events) {
      for (const auto& [url, sig_token] : impl_->endpoints) {
        const json body{{"triggeredAt", e.triggered_at},
                        {"event", e.event},
                        {"signature", lever_signature_hex(sig_token, e.token, e.triggered_at)},
                        {"token", e.token},
                        {"data", e.data}};
        lever_webhook_delivery d{url, e.event, body.dump(), 0};
        plan.push_back(d);
        if (o.duplicate) plan.push_back(d);
      }
    }
  }
  // POST outside the lock: the receiver may call back into this fake.
  for (auto& d : plan) {
    d.status = vendor_http("POST", d.url, {{"Content-Type", "application/json"}, {"User-Agent", "Lever-Webhooks (fake)"}},
                           d.body)
                 .status;
  }
  return plan;
}

}  // namespace hw::testing
