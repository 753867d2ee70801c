#include "actors/content/openai_provider.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/auth/oidc_client.hpp"

namespace hw::content {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* not_requested_json = "the model's answer is not the requested JSON";
constexpr int max_items_cap = 20;
constexpr std::size_t max_items_read = 50;  // items looked at in one answer
constexpr int max_json_depth = 64;          // deeper content is not an item list
// Retry once after 100..300 ms, only when the deadline still leaves this much for the retry.
constexpr auto retry_min_jitter = 100ms;
constexpr auto retry_jitter_span = 200ms;
constexpr auto retry_min_budget = 500ms;

void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// ---- libcurl plumbing (the pattern of auth/oidc_client.cpp and ats/vendor_http.cpp) ----------

struct write_state {
  std::string* out = nullptr;
  bool too_large = false;
};

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* st = static_cast<write_state*>(user);
  const std::size_t len = size * n;
  if (st->out->size() + len > openai_max_response_bytes) {
    st->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  st->out->append(data, len);
  return len;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// Keeps only the Retry-After value of the last header block.
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* retry_after = static_cast<std::string*>(user);
  const std::size_t len = size * n;
  const std::string_view line{data, len};
  if (line.rfind("HTTP/", 0) == 0) {
    retry_after->clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos &&
                                                lower(trim(line.substr(0, colon))) == "retry-after") {
    *retry_after = std::string{trim(line.substr(colon + 1))};
  }
  return len;
}

/// CURLOPT_OPENSOCKETFUNCTION: refuses non-public addresses after DNS (as auth/oidc_client.cpp).
struct socket_policy {
  bool allow_private = false;
  bool refused = false;
};

curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* a) {
  auto* p = static_cast<socket_policy*>(user);
  const bool inet = a->family == AF_INET || a->family == AF_INET6;
  if (purpose != CURLSOCKTYPE_IPCXN || !inet ||
      (!p->allow_private && auth::is_private_address(&a->addr, static_cast<std::size_t>(a->addrlen)))) {
    p->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

struct easy_deleter {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct slist_deleter {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

struct attempt {
  CURLcode rc = CURLE_OK;
  bool too_large = false;
  bool refused = false;  // a private address (socket_policy)
  long status = 0;
  std::string body;
  std::string retry_after;
};

attempt post_json(const std::string& url, const std::string& api_key, const std::string& body,
                  std::chrono::milliseconds budget, bool allow_private) {
  attempt a;
  ensure_curl();
  std::unique_ptr<CURL, easy_deleter> h{curl_easy_init()};
  if (!h) {
    a.rc = CURLE_FAILED_INIT;
    return a;
  }
  std::unique_ptr<curl_slist, slist_deleter> hdrs;
  curl_slist* list = curl_slist_append(nullptr, "Accept: application/json");
  list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  std::string auth_line;
  if (!api_key.empty()) {
    auth_line = "Authorization: Bearer " + api_key;
    list = curl_slist_append(list, auth_line.c_str());
  }
  hdrs.reset(list);
  socket_policy policy{allow_private, false};
  write_state ws{&a.body, false};
  const long ms = std::max<long>(1, static_cast<long>(budget.count()));
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer we refuse
  // No proxy from the environment: the address check must see the endpoint's own address.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &policy);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(ms, 10'000L));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // the size cap applies to the decoded body
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ws);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a.retry_after);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "hirewire-llm/1");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  a.rc = curl_easy_perform(c);
  a.too_large = ws.too_large;
  a.refused = policy.refused;
  if (a.rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  // The header line holding the key is wiped before its memory is released.
  std::fill(auth_line.begin(), auth_line.end(), '\0');
  return a;
}

/// Retry-After as delta-seconds (an HTTP date counts as absent), clamped to 1..3600.
std::int32_t retry_after_seconds(std::string_view v) {
  v = trim(v);
  if (v.empty() || v.size() > 9) return 0;
  std::int64_t s = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return 0;
    s = s * 10 + (c - '0');
  }
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(s, 1, 3600));
}

/// The provider's error code ("invalid_api_key", "model_not_found") when it looks like an
/// identifier, for a safe detail; never its message (which may echo the key or the prompt).
std::string provider_error_code(const std::string& body) {
  const auto doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return {};
  const auto e = doc.find("error");
  if (e == doc.end() || !e->is_object()) return {};
  const auto code = e->find("code");
  if (code == e->end() || !code->is_string()) return {};
  const auto& s = code->get_ref<const std::string&>();
  if (s.empty() || s.size() > 40) return {};
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return {};
  }
  return s;
}

// ---- the prompt -------------------------------------------------------------------------------

/// Control characters dropped, whitespace runs made one space, at most `max` bytes (cut on a
/// UTF-8 boundary).
std::string clean_text(std::string_view s, std::size_t max) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7F || ch == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  if (out.size() > max) {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

const char* system_prompt() {
  return "You write interview questions for a hiring team. Answer with ONE JSON object and nothing "
         "else: {\"items\": [ITEM, ...]}. Each ITEM is an object with exactly these keys:\n"
         "  \"kind\": \"technical\" | \"system_design\" | \"behavioral\" (prefer technical and "
         "system_design; \"coding\" only with a complete \"coding\" object as described below),\n"
         "  \"title\": 8..200 characters,\n"
         "  \"prompt\": the question in Markdown, 40..4000 characters, naming the skill it tests,\n"
         "  \"rubric\": {\"strong\": \"...\", \"acceptable\": \"...\", \"weak\": \"...\"} (what such an "
         "answer contains, for the interviewer),\n"
         "  \"expected_minutes\": 1..240,\n"
         "  \"difficulty\": \"easy\" | \"medium\" | \"hard\",\n"
         "  \"skills\": the slugs of the job profile's skills the item tests (use the given slugs),\n"
         "  \"seniorities\": some of \"intern\", \"junior\", \"mid\", \"senior\", \"staff_plus\",\n"
         "  \"categories\": some of \"engineering\", \"data\", \"product\", \"design\", \"sales\", "
         "\"support\", \"marketing\", \"operations\",\n"
         "  \"coding\" (only for kind coding): {\"io\": \"stdin_stdout\", \"languages\": [\"python\", ...], "
         "\"starter_code\": {\"python\": \"...\"}, \"test_cases\": [{\"name\": \"...\", \"input\": \"...\", "
         "\"expected_output\": \"...\", \"visible\": true, \"weight\": 1}] with at least one visible and "
         "one hidden test case}.\n"
         "Write at most one item per skill unless asked for more, each testing a different skill. "
         "Fit the difficulty to the seniority. Never include names, e-mail addresses, phone numbers, "
         "URLs or any other personal data.";
}

std::string skill_label(const std::string& slug) {
  if (const auto* s = domain::skill_taxonomy::shipped().find(slug)) return s->label;
  return slug;
}

std::string user_prompt(const domain::llm_request& req, int max_items) {
  // Only the job profile: nothing of a candidate, nor the description or its evidence snippets.
  json profile = json::object();
  profile["job_title"] = clean_text(req.job_title, 200);
  profile["seniority"] = std::string{domain::to_string(req.profile.level)};
  if (req.profile.years) profile["years_of_experience"] = *req.profile.years;
  profile["category"] = std::string{domain::to_string(req.profile.category)};
  json skills = json::array();
  for (const auto& slug : req.skills) {
    const auto s = clean_text(slug, 50);
    if (s.empty()) continue;
    skills.push_back({{"slug", s}, {"label", clean_text(skill_label(s), 60)}});
    if (skills.size() >= 20) break;
  }
  profile["skills"] = std::move(skills);
  profile["max_items"] = max_items;
  return "Write at most " + std::to_string(max_items) +
         " interview questions for the skills of this job profile (JSON):\n" +
         profile.dump(-1, ' ', false, json::error_handler_t::replace);
}

int effective_max_items(const domain::llm_request& req) { return std::clamp(req.max_items, 1, max_items_cap); }

// ---- reading the answer -------------------------------------------------------------------------

/// False when `s` nests arrays / objects deeper than max_json_depth (outside strings).
bool shallow_enough(std::string_view s) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

json parse_quiet(std::string_view s) {
  if (!shallow_enough(s)) return json(json::value_t::discarded);
  return json::parse(s.begin(), s.end(), nullptr, false);
}

/// The JSON of the model's message: as is, inside ```json fences (prose around them tolerated), or
/// from the first '{' to the last '}'. Discarded when none parses.
json extract_json(std::string_view content) {
  content = trim(content);
  auto doc = parse_quiet(content);
  if (!doc.is_discarded()) return doc;
  if (const auto open = content.find("```"); open != std::string_view::npos) {
    const auto eol = content.find('\n', open);
    if (eol != std::string_view::npos) {
      const auto close = content.find("```", eol + 1);
      doc = parse_quiet(content.substr(eol + 1, close == std::string_view::npos ? std::string_view::npos
                                                                                   : close - eol - 1));
      if (!doc.is_discarded()) return doc;
    }
  }
  const auto first = content.find('{');
  const auto last = content.rfind('}');
  if (first != std::string_view::npos && last != std::string_view::npos && last > first)
    return parse_quiet(content.substr(first, last - first + 1));
  return json(json::value_t::discarded);
}

/// A lenient copy of one item: known keys only, skill names as slugs, missing tags from the
/// request, repeated tags dropped, a whole float for expected_minutes made an integer.
json tidy_item(const json& in, const domain::llm_request& req) {
  static const char* const keys[] = {"kind",   "title",  "prompt",      "rubric",     "expected_minutes",
                                     "difficulty", "skills", "seniorities", "categories", "coding"};
  json out = json::object();
  for (const char* k : keys) {
    const auto it = in.find(k);
    if (it != in.end() && !it->is_null()) out[k] = *it;
  }
  if (auto it = out.find("skills"); it != out.end() && it->is_array()) {
    for (auto& s : *it) {
      if (!s.is_string()) continue;
      auto slug = lower(trim(s.get_ref<const std::string&>()));
      std::replace(slug.begin(), slug.end(), ' ', '-');
      s = std::move(slug);
    }
  } else if (it == out.end()) {
    out["skills"] = req.skills;
  }
  if (out.find("seniorities") == out.end())
    out["seniorities"] = json::array({std::string{domain::to_string(req.profile.level)}});
  if (out.find("categories") == out.end())
    out["categories"] = json::array({std::string{domain::to_string(req.profile.category)}});
  // parse_item_body refuses repeats ("Go", "go") and 10.0 for an integer: forgive both.
  for (const char* k : {"skills", "seniorities", "categories"}) {
    auto& list = out[k];
    if (!list.is_array()) continue;
    json unique = json::array();
    for (auto& v : list) {
      if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(std::move(v));
    }
    list = std::move(unique);
  }
  if (auto m = out.find("expected_minutes"); m != out.end() && m->is_number_float()) {
    const double v = m->get<double>();
    if (v >= 1 && v <= 240 && v == static_cast<double>(static_cast<int>(v))) *m = static_cast<int>(v);
  }
  return out;
}

result<std::vector<domain::content_item_body>> read_answer(const std::string& body, const domain::llm_request& req,
                                                           std::size_t& skipped) {
  const hw::error not_completion{errc::unavailable, "llm: the endpoint's answer is not a chat completion"};
  const auto doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return not_completion;
  const auto choices = doc.find("choices");
  if (choices == doc.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object())
    return not_completion;
  const auto& choice = (*choices)[0];
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) return not_completion;
  if (const auto r = message->find("refusal"); r != message->end() && r->is_string() && !r->empty())
    return hw::error{errc::invalid_argument, std::string{not_requested_json} + " (the model refused)"};
  const auto content = message->find("content");
  if (content == message->end() || !content->is_string())
    return hw::error{errc::invalid_argument, not_requested_json};

  const auto payload = extract_json(content->get_ref<const std::string&>());
  const json* items = nullptr;
  if (payload.is_array()) {
    items = &payload;
  } else if (payload.is_object()) {
    if (const auto it = payload.find("items"); it != payload.end() && it->is_array()) items = &*it;
  }
  if (!items) return hw::error{errc::invalid_argument, not_requested_json};

  const auto max_items = static_cast<std::size_t>(effective_max_items(req));
  std::vector<domain::content_item_body> out;
  std::size_t seen = 0;
  for (const auto& raw : *items) {
    if (out.size() >= max_items || seen >= max_items_read) break;
    ++seen;
    if (!raw.is_object()) {
      ++skipped;
      continue;
    }
    domain::content_item_body b;
    if (domain::parse_item_body(tidy_item(raw, req), b).empty()) {
      out.push_back(std::move(b));
    } else {
      ++skipped;
    }
  }
  if (out.empty()) {
    return hw::error{errc::invalid_argument,
                     std::string{not_requested_json} + (items->empty() ? " (no items)"
                                                                       : " (no valid item among " +
                                                                             std::to_string(seen) + ")")};
  }
  return out;
}

// ---- the provider -------------------------------------------------------------------------------

class openai_provider final : public domain::llm_provider {
 public:
  explicit openai_provider(openai_config cfg) : cfg_(std::move(cfg)) {
    if (auto ok = validate_openai_config(cfg_); !ok) {
      config_error_ = ok.error();
    } else {
      url_ = cfg_.base_url;
      while (!url_.empty() && url_.back() == '/') url_.pop_back();
      url_ += "/chat/completions";
    }
  }

  ~openai_provider() override { std::fill(cfg_.api_key.begin(), cfg_.api_key.end(), '\0'); }

  std::string model() const override { return cfg_.model; }

  result<std::vector<domain::content_item_body>> generate(const domain::llm_request& req) override {
    if (config_error_) return *config_error_;
    const auto t0 = clock_type::now();
    const auto deadline = t0 + cfg_.timeout;
    const auto body = openai_request_body(cfg_.model, req);
    int attempts = 0;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
      if (left.count() <= 0) return timed_out();
      ++attempts;
      auto a = post_json(url_, cfg_.api_key, body, left, cfg_.allow_private_addresses);
      // A timeout before the deadline is curl's connect timeout: a transport error, not ours.
      const bool deadline_hit = clock_type::now() + 50ms >= deadline;
      auto r = judge(a, req, deadline_hit);
      if (r.retry && attempts < 2) {
        const auto pause = retry_min_jitter + std::chrono::milliseconds{draw_jitter()};
        if (deadline - clock_type::now() >= pause + retry_min_budget) {
          spdlog::debug("llm: model={} attempt {} failed ({}), retrying", cfg_.model, attempts, r.note);
          std::this_thread::sleep_for(pause);
          continue;
        }
      }
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t0).count();
      if (r.value) {
        spdlog::info("llm: model={} items={} skipped={} attempts={} ms={}", cfg_.model, r.value->size(), r.skipped,
                     attempts, ms);
        return std::move(*r.value);
      }
      spdlog::warn("llm: model={} failed after {} attempt(s) ms={}: {}", cfg_.model, attempts, ms, r.error.detail);
      return r.error;
    }
  }

 private:
  struct verdict {
    std::optional<std::vector<domain::content_item_body>> value;
    hw::error error;
    bool retry = false;
    std::string note;  // for the debug log
    std::size_t skipped = 0;
  };

  hw::error timed_out() const {
    const auto ms = cfg_.timeout.count();
    return hw::error{errc::timeout, "llm: the model did not answer within " +
                                        (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms")};
  }

  verdict judge(attempt& a, const domain::llm_request& req, bool deadline_hit) const {
    verdict v;
    if (a.too_large) {
      v.error = {errc::invalid_argument, "llm: the answer is larger than " +
                                             std::to_string(openai_max_response_bytes >> 20) + " MiB"};
      return v;
    }
    if (a.rc != CURLE_OK) {
      if (a.refused) {
        v.error = {errc::unavailable, "llm: the endpoint's address is not allowed (private network)"};
      } else if (a.rc == CURLE_OPERATION_TIMEDOUT && deadline_hit) {
        v.error = timed_out();
      } else {
        v.note = curl_easy_strerror(a.rc);
        v.error = {errc::unavailable, "llm: the endpoint is unreachable (" +
                                          std::string{a.rc == CURLE_COULDNT_CONNECT || a.rc == CURLE_COULDNT_RESOLVE_HOST ||
                                                              a.rc == CURLE_OPERATION_TIMEDOUT
                                                          ? "connection failed"
                                                          : "transport error"} +
                                          ")"};
        v.retry = true;
      }
      return v;
    }
    const long s = a.status;
    const auto code = s >= 400 ? provider_error_code(a.body) : std::string{};
    const auto status_note = "HTTP " + std::to_string(s) + (code.empty() ? "" : ", " + code);
    if (s == 401 || s == 403) {
      v.error = {errc::unauthorized, "llm: the endpoint refused the API key (" + status_note + ")"};
    } else if (s == 429) {
      v.error = {errc::rate_limited, "llm: the endpoint's rate limit or quota is exceeded (" + status_note + ")"};
      v.error.retry_after_s = retry_after_seconds(a.retry_after);
    } else if (s >= 500 || s == 408) {
      v.error = {errc::unavailable, "llm: the endpoint is unavailable (" + status_note + ")"};
      v.error.retry_after_s = retry_after_seconds(a.retry_after);
      v.note = status_note;
      v.retry = true;
    } else if (s >= 300 && s < 400) {
      v.error = {errc::unavailable, "llm: the endpoint answered with a redirect (refused)"};
    } else if (s >= 400) {
      v.error = {errc::unavailable, "llm: the endpoint refused the request (" + status_note +
                                        (s == 404 ? "; check the base URL and the model" : "") + ")"};
    } else if (s < 200 || s >= 300) {
      v.error = {errc::unavailable, "llm: unexpected HTTP status " + std::to_string(s)};
    } else {
      auto items = read_answer(a.body, req, v.skipped);
      if (items) {
        v.value = std::move(*items);
      } else {
        v.error = std::move(items).error();
      }
    }
    return v;
  }

  static int draw_jitter() {
    thread_local std::mt19937 rng{std::random_device{}()};
    return std::uniform_int_distribution<int>{0, static_cast<int>(retry_jitter_span.count())}(rng);
  }

  openai_config cfg_;
  std::optional<hw::error> config_error_;
  std::string url_;
};

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

result<unit> validate_openai_config(const openai_config& cfg) {
  if (cfg.base_url.empty() || cfg.base_url.size() > 2000 || !auth::is_allowed_oidc_url(cfg.base_url) ||
      cfg.base_url.find('?') != std::string::npos) {
    return hw::error{errc::invalid_argument,
                     "llm: base_url must be an https:// URL (http:// only on loopback) without user info, "
                     "query or fragment"};
  }
  if (cfg.api_key.size() > 512 || has_control(cfg.api_key) || cfg.api_key.find(' ') != std::string::npos)
    return hw::error{errc::invalid_argument, "llm: api_key must be at most 512 characters without spaces or control characters"};
  if (cfg.model.empty() || cfg.model.size() > 200 || has_control(cfg.model))
    return hw::error{errc::invalid_argument, "llm: model must be 1..200 characters without control characters"};
  if (cfg.timeout < 1ms || cfg.timeout > 10min)
    return hw::error{errc::invalid_argument, "llm: timeout must be between 1 ms and 10 minutes"};
  return unit{};
}

std::string openai_request_body(const std::string& model, const domain::llm_request& req) {
  json body = json::object();
  body["model"] = model;
  body["messages"] = json::array({
      json{{"role", "system"}, {"content", system_prompt()}},
      json{{"role", "user"}, {"content", user_prompt(req, effective_max_items(req))}},
  });
  body["temperature"] = 0.2;
  body["response_format"] = json{{"type", "json_object"}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::unique_ptr<domain::llm_provider> make_openai_provider(openai_config cfg) {
  return std::make_unique<openai_provider>(std::move(cfg));
}

}  // namespace hw::content
