#include "tests/support/fake_greenhouse.hpp"

#include <curl/curl.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;

namespace {

constexpr std::int64_t no_cursor = std::numeric_limits<std::int64_t>::max();

const std::vector<std::string>& list_resources() {
  static const std::vector<std::string> r{"jobs", "job_posts", "job_interview_stages", "candidates", "applications"};
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

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// One request per connection (Connection: close), read and answered asynchronously with a
// deadline so a stuck client cannot wedge the destructor. `answer` runs on the server thread and
// returns (status, headers, body, delay).
struct served {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};
};

template <class Answer>
void serve_one(tcp::socket socket, Answer answer) {
  struct session : std::enable_shared_from_this<session> {
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> req;
    bhttp::response<bhttp::string_body> res;
    net::steady_timer timer;
    explicit session(tcp::socket s) : stream(std::move(s)), timer(stream.get_executor()) {}
  };
  auto s = std::make_shared<session>(std::move(socket));
  s->stream.expires_after(std::chrono::seconds(10));
  bhttp::async_read(s->stream, s->buffer, s->req, [s, answer](beast::error_code ec, std::size_t) {
    if (ec) return;
    served r = answer(s->req);
    s->res.version(11);
    s->res.result(r.status);
    s->res.set(bhttp::field::content_type, "application/json; charset=utf-8");
    for (const auto& [k, v] : r.headers) s->res.set(k, v);
    s->res.keep_alive(false);
    s->res.body() = std::move(r.body);
    s->res.prepare_payload();
    auto write = [s] {
      bhttp::async_write(s->stream, s->res, [s](beast::error_code, std::size_t) {
        beast::error_code ignored;
        s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      });
    };
    if (r.delay.count() <= 0) return write();
    // A timer, not a sleep: other connections keep being served while this one waits.
    s->timer.expires_after(r.delay);
    s->timer.async_wait([write](beast::error_code) { write(); });
  });
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

std::string gh_http_result::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

gh_http_result gh_http(const std::string& method, const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  gh_http_result out;
  CURL* h = curl_easy_init();
  if (!h) return out;
  std::string raw_headers;
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST" || !body.empty()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &raw_headers);
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(h);
  std::size_t pos = 0;
  while (pos < raw_headers.size()) {
    auto eol = raw_headers.find("\r\n", pos);
    if (eol == std::string::npos) eol = raw_headers.size();
    const auto line = raw_headers.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.rfind("HTTP/", 0) == 0) {
      out.headers.clear();  // a new status line (after a 1xx)
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    out.headers.emplace(lower(line.substr(0, colon)), value);
  }
  return out;
}

// ---- server --------------------------------------------------------------------------------

struct fake_greenhouse::impl {
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  fake_greenhouse* owner = nullptr;

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed: shutting down
      serve_one(std::move(socket), [this](const bhttp::request<bhttp::string_body>& req) {
        auto r = owner->handle(std::string{req.method_string()}, std::string{req.target()},
                               std::string{req[bhttp::field::authorization]}, req.body());
        served out{r.status, std::move(r.headers), std::move(r.body), {}};
        std::lock_guard<std::mutex> g{owner->mu_};
        out.delay = owner->delay_;
        return out;
      });
      do_accept();
    });
  }
};

fake_greenhouse::fake_greenhouse(fake_greenhouse_options opt) : opt_(std::move(opt)), impl_(std::make_unique<impl>()) {
  seed();
  impl_->owner = this;
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_greenhouse::~fake_greenhouse() {
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string fake_greenhouse::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void fake_greenhouse::set_now(std::int64_t unix_seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.now = unix_seconds;
}

void fake_greenhouse::advance(std::int64_t seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.now += seconds;
}

std::int64_t fake_greenhouse::now() const {
  std::lock_guard<std::mutex> g{mu_};
  return opt_.now;
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
  const auto n_rows = s.jobs * (s.stages_per_job + 1) + 2 * s.candidates;
  std::int64_t k = 0;  // rows get increasing timestamps, one minute apart, ending at now
  const auto stamp = [&] { return gh_iso8601(opt_.now - 60 * (n_rows - k++)); };
  const auto put = [&](const std::string& res, json row) {
    const auto id = row["id"].get<std::int64_t>();
    data_[res][id] = std::make_shared<json>(std::move(row));
  };
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
  row["updated_at"] = gh_iso8601(opt_.now);
  if (row.contains("last_activity_at")) row["last_activity_at"] = gh_iso8601(opt_.now);
}

void fake_greenhouse::upsert(const std::string& resource, const json& row) {
  std::lock_guard<std::mutex> g{mu_};
  auto copy = std::make_shared<json>(row);
  if (!copy->contains("created_at")) (*copy)["created_at"] = gh_iso8601(opt_.now);
  touch_locked(*copy);
  data_[resource][row.at("id").get<std::int64_t>()] = std::move(copy);
}

bool fake_greenhouse::move_application(std::int64_t application_id, std::int64_t stage_id) {
  std::lock_guard<std::mutex> g{mu_};
  auto a = data_["applications"].find(application_id);
  auto s = data_["job_interview_stages"].find(stage_id);
  if (a == data_["applications"].end() || s == data_["job_interview_stages"].end()) return false;
  auto& app = *a->second;
  app["stage_id"] = stage_id;
  app["stage_name"] = (*s->second)["name"];
  touch_locked(app);
  // The webhook is v1-shaped (ats.md §1.6): current_stage only, status in v1 vocabulary.
  json candidate = json::object();
  auto c = data_["candidates"].find(app["candidate_id"].get<std::int64_t>());
  if (c != data_["candidates"].end()) {
    candidate = {{"id", c->first}, {"first_name", (*c->second)["first_name"]},
                 {"last_name", (*c->second)["last_name"]}};
  }
  json jobs = json::array();
  auto j = data_["jobs"].find(app["job_id"].get<std::int64_t>());
  if (j != data_["jobs"].end()) jobs.push_back({{"id", j->first}, {"name", (*j->second)["name"]},
                                                {"notes", (*j->second)["notes"]}});
  const std::string status = app["status"] == "in_process" ? "active" : app["status"].get<std::string>();
  queue_locked("candidate_stage_change",
               {{"application", {{"id", application_id}, {"status", status},
                                 {"last_activity_at", app["last_activity_at"]},
                                 {"current_stage", {{"id", stage_id}, {"name", app["stage_name"]}}},
                                 {"candidate", candidate}, {"jobs", jobs}}}});
  return true;
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
  for (auto& [_, t] : tokens_) t.expires_at = std::min(t.expires_at, opt_.now);
}

void fake_greenhouse::set_token_ttl(std::int64_t seconds) {
  std::lock_guard<std::mutex> g{mu_};
  opt_.token_ttl_seconds = seconds;
}

std::optional<std::string> fake_greenhouse::token_sub(const std::string& access_token) const {
  std::lock_guard<std::mutex> g{mu_};
  auto it = tokens_.find(access_token);
  if (it == tokens_.end() || it->second.expires_at <= opt_.now) return std::nullopt;
  return it->second.sub;
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

fake_greenhouse::response fake_greenhouse::handle(const std::string& method, const std::string& target,
                                                  const std::string& authorization, const std::string& body) {
  const auto qpos = target.find('?');
  const std::string path = target.substr(0, qpos);
  const std::string query = qpos == std::string::npos ? std::string{} : target.substr(qpos + 1);
  {
    std::lock_guard<std::mutex> g{mu_};
    ++requests_[path];
  }
  if (path == "/token") {
    if (method != "POST") return {405, R"({"message":"Method not allowed"})", {}};
    return on_token(query, authorization, body);
  }
  if (path.rfind("/v3/", 0) == 0) {
    const auto resource = path.substr(4);
    if (std::find(list_resources().begin(), list_resources().end(), resource) == list_resources().end())
      return {404, R"({"message":"Resource not found"})", {}};
    if (method != "GET") return {405, R"({"message":"Method not allowed"})", {}};
    return on_list(resource, query, authorization);
  }
  return {404, R"({"message":"Resource not found"})", {}};
}

fake_greenhouse::response fake_greenhouse::on_token(const std::string& query, const std::string& authorization,
                                                    const std::string& body) {
  const auto oauth_error = [](unsigned status, const char* err) {
    return response{status, json{{"error", err}}.dump(), {}};
  };
  std::lock_guard<std::mutex> g{mu_};
  ++token_requests_;
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
  if (grant != "client_credentials") return oauth_error(400, "unsupported_grant_type");
  std::string sub = "service-account";
  if (params.count("sub")) {
    if (!all_digits(params["sub"])) return oauth_error(400, "invalid_request");
    sub = params["sub"];
  }
  const auto serial = ++serial_;
  const auto exp = opt_.now + opt_.token_ttl_seconds;
  // JWT-shaped like the real token (the payload carries sub); the signature is not a real one.
  const json header{{"alg", "RS256"}, {"typ", "JWT"}};
  const json payload{{"sub", sub}, {"iat", opt_.now}, {"exp", exp}, {"jti", std::to_string(serial)}};
  const std::string access = hw::base64url_encode(header.dump()) + "." + hw::base64url_encode(payload.dump()) + "." +
                             hw::base64url_encode("fake-greenhouse-signature-" + std::to_string(serial));
  tokens_[access] = token{sub, exp};
  const json answer{{"token_type", "Bearer"}, {"access_token", access}, {"expires_at", iso(exp, "+00:00")}};
  return {200, answer.dump(), {}};
}

fake_greenhouse::response fake_greenhouse::on_list(const std::string& resource, const std::string& query,
                                                   const std::string& authorization) {
  std::lock_guard<std::mutex> g{mu_};
  const auto now = opt_.now;
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
    return {401, R"({"message":"Unauthorized"})", rate_headers()};

  if (window_used_ >= opt_.rate_limit) {
    auto h = rate_headers();
    h.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, reset - now)));
    return {429, R"({"message":"Rate limit exceeded"})", h};
  }
  ++window_used_;

  if (fail_next_ > 0) {
    --fail_next_;
    return {fail_status_, R"({"message":"Server timeout in API"})", rate_headers()};
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
  for (auto it = table.rbegin(); it != table.rend(); ++it) {  // id DESC
    if (it->first >= after) continue;
    const auto& row = *it->second;
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
    if (!match) continue;
    if (static_cast<int>(page.size()) == per_page) {
      more = true;
      break;
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
    last_id = it->first;
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

// ---- webhooks ------------------------------------------------------------------------------

void fake_greenhouse::add_webhook_endpoint(std::string url, std::string secret) {
  std::lock_guard<std::mutex> g{mu_};
  endpoints_.emplace_back(std::move(url), std::move(secret));
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
      for (const auto& [url, secret] : endpoints_) {
        gh_webhook_delivery d{url, event_uuid(++serial_), e.action, e.body,
                              hw::ats::sign_greenhouse_body(secret, e.body), 0};
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
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::uint16_t port = 0;
  mutable std::mutex mu;
  unsigned status = 200;
  std::vector<received> got;

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      serve_one(std::move(socket), [this](const bhttp::request<bhttp::string_body>& req) {
        received r;
        r.target = std::string{req.target()};
        r.body = req.body();
        for (const auto& f : req) r.headers[lower(std::string{f.name_string()})] = std::string{f.value()};
        std::lock_guard<std::mutex> g{mu};
        got.push_back(std::move(r));
        return served{status, {}, "{}", {}};
      });
      do_accept();
    });
  }
};

webhook_sink::webhook_sink() : impl_(std::make_unique<impl>()) {
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

webhook_sink::~webhook_sink() {
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string webhook_sink::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/webhooks"; }

void webhook_sink::set_status(unsigned status) {
  std::lock_guard<std::mutex> g{impl_->mu};
  impl_->status = status;
}

std::vector<webhook_sink::received> webhook_sink::deliveries() const {
  std::lock_guard<std::mutex> g{impl_->mu};
  return impl_->got;
}

}  // namespace hw::testing
