#include "tests/support/fake_llm.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

namespace hw::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using json = nlohmann::json;

namespace {

struct reply {
  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool park = false;
};

std::string error_body(const std::string& message, const std::string& type, const std::string& code) {
  json e{{"message", message}, {"type", type}};
  e["code"] = code.empty() ? json(nullptr) : json(code);
  return json{{"error", e}}.dump();
}

/// A chat.completion whose message is `message` ({"role": "assistant", ...}).
std::string completion(const std::string& model, json message) {
  static std::atomic<int> seq{0};
  json c{{"id", "chatcmpl-fake-" + std::to_string(++seq)},
         {"object", "chat.completion"},
         {"created", 1700000000},
         {"model", model},
         {"choices", json::array({json{{"index", 0}, {"message", std::move(message)}, {"finish_reason", "stop"}}})},
         {"usage", json{{"prompt_tokens", 100}, {"completion_tokens", 200}, {"total_tokens", 300}}}};
  return c.dump();
}

std::string completion_text(const std::string& model, const std::string& content) {
  return completion(model, json{{"role", "assistant"}, {"content", content}});
}

/// The job profile the provider puts in the user message (the first '{' to the end).
json profile_of(const std::string& user_message) {
  const auto open = user_message.find('{');
  if (open == std::string::npos) return json::object();
  auto j = json::parse(user_message.substr(open), nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string str(const json& j, const char* key, const std::string& fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

json good_items(const json& profile) {
  struct wording {
    const char* kind;
    const char* title;   // "%" is the skill's label
    const char* prompt;
    int minutes;
  };
  static const wording wordings[] = {
      {"technical", "% in production: trade-offs",
       "Tell us about a decision you made when using % in a production system. Which alternatives did you "
       "consider, which trade-offs did you weigh, and how did you check afterwards that the choice was right?",
       10},
      {"technical", "Debugging a hard % problem",
       "Walk us through the hardest problem you have debugged that involved %. How did you narrow it down, "
       "which tools did you rely on, and what did you change so that it would not happen again?",
       10},
      {"system_design", "Designing a service around %",
       "Design a small service whose core depends on % and which must handle ten times today's load next "
       "year. Sketch the components, explain where % fits, and describe how the design fails and recovers.",
       20},
      {"technical", "Teaching % to a new colleague",
       "A new colleague joins the team and has never used %. Which three concepts of % would you explain "
       "first, which common mistakes would you warn them about, and why those?",
       10},
      {"system_design", "Migrating a component to %",
       "Your team considers moving a critical component to %. How would you plan the migration, reduce the "
       "risk for users, and decide afterwards whether it succeeded?",
       20},
      {"technical", "Testing code that uses %",
       "How do you test code that relies on %? Describe the kinds of tests you write, what you replace with "
       "doubles and what you run for real, and how you keep the suite fast and trustworthy.",
       10},
  };
  const auto fill = [](const char* pattern, const std::string& label) {
    std::string out;
    for (const char* p = pattern; *p; ++p) {
      if (*p == '%') {
        out += label;
      } else {
        out += *p;
      }
    }
    return out;
  };
  const auto seniority = str(profile, "seniority", "mid");
  const auto category = str(profile, "category", "engineering");
  const std::string difficulty =
      seniority == "intern" || seniority == "junior" ? "easy" : seniority == "mid" ? "medium" : "hard";
  std::size_t max_items = 6;
  if (const auto m = profile.find("max_items"); m != profile.end() && m->is_number_integer() && m->get<int>() > 0)
    max_items = static_cast<std::size_t>(m->get<int>());
  json items = json::array();
  const auto skills = profile.find("skills");
  if (skills == profile.end() || !skills->is_array()) return items;
  std::size_t i = 0;
  for (const auto& s : *skills) {
    if (items.size() >= max_items) break;
    const auto slug = str(s, "slug", "");
    if (slug.empty()) continue;
    const auto label = str(s, "label", slug);
    const auto& w = wordings[i++ % (sizeof wordings / sizeof wordings[0])];
    items.push_back(json{
        {"kind", w.kind},
        {"title", fill(w.title, label)},
        {"prompt", fill(w.prompt, label)},
        {"rubric",
         json{{"strong", fill("Names concrete % situations, weighs alternatives with evidence and explains the "
                              "consequences of the choice.",
                              label)},
              {"acceptable", fill("Gives a plausible % example with some reasoning but few specifics.", label)},
              {"weak", fill("Stays generic about % or cannot name a real situation.", label)}}},
        {"expected_minutes", w.minutes},
        {"difficulty", difficulty},
        {"skills", json::array({slug})},
        {"seniorities", json::array({seniority})},
        {"categories", json::array({category})},
    });
  }
  return items;
}

}  // namespace

// ---- the server ---------------------------------------------------------------------------------

struct fake_llm::impl {
  struct session : std::enable_shared_from_this<session> {
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bhttp::request<bhttp::string_body> req;
    bhttp::response<bhttp::string_body> res;
    std::string user_message;  // for release_held()
    char probe[1]{};
    bool answered = false;
    explicit session(tcp::socket s) : stream(std::move(s)) {}
  };

  fake_llm_options opt;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::uint16_t port = 0;
  std::vector<std::shared_ptr<session>> parked;  // io thread only

  mutable std::mutex mu;
  mutable std::condition_variable cv;
  fake_llm_mode mode = fake_llm_mode::good;
  std::size_t mode_requests = 0;  // answered in this mode since set_mode
  std::string canned;
  std::string near_duplicate_of;
  std::string retry_after = "7";
  std::size_t oversized_bytes = 3u << 20;
  std::vector<fake_llm_request> log;
  std::size_t held_count = 0;
  std::size_t abandoned_count = 0;

  void do_accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed: shutting down
      serve(std::make_shared<session>(std::move(socket)));
      do_accept();
    });
  }

  void serve(std::shared_ptr<session> s) {
    s->stream.expires_after(std::chrono::seconds(10));  // reading the request only
    bhttp::async_read(s->stream, s->buffer, s->req, [this, s](beast::error_code ec, std::size_t) {
      if (ec) return;
      fake_llm_request rec = record(s->req);
      reply r = decide(rec);
      s->user_message = rec.user_message;
      {
        std::lock_guard<std::mutex> lock{mu};
        log.push_back(std::move(rec));
        if (r.park) ++held_count;
      }
      cv.notify_all();
      if (r.park) return park(s);
      write(s, std::move(r));
    });
  }

  void write(const std::shared_ptr<session>& s, reply r) {
    s->answered = true;
    s->res = {};
    s->res.version(11);
    s->res.result(r.status);
    s->res.set(bhttp::field::content_type, "application/json");
    for (const auto& [k, v] : r.headers) s->res.set(k, v);
    s->res.keep_alive(false);
    s->res.body() = std::move(r.body);
    s->res.prepare_payload();
    s->stream.expires_after(std::chrono::seconds(10));
    bhttp::async_write(s->stream, s->res, [s](beast::error_code, std::size_t) {
      beast::error_code ignored;
      s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  /// No timer: the answer waits for release_held(); a read that completes means the client
  /// closed the connection (or sent garbage after its request), which ends the wait.
  void park(const std::shared_ptr<session>& s) {
    s->stream.expires_never();
    parked.push_back(s);
    s->stream.socket().async_read_some(net::buffer(s->probe), [this, s](beast::error_code, std::size_t) {
      if (s->answered) return;
      s->answered = true;
      parked.erase(std::remove(parked.begin(), parked.end(), s), parked.end());
      {
        std::lock_guard<std::mutex> lock{mu};
        --held_count;
        ++abandoned_count;
      }
      cv.notify_all();
      beast::error_code ignored;
      s->stream.socket().close(ignored);
    });
  }

  void release() {
    auto sessions = std::move(parked);
    parked.clear();
    for (auto& s : sessions) {
      if (s->answered) continue;
      {
        std::lock_guard<std::mutex> lock{mu};
        --held_count;
      }
      write(s, reply{200, completion_text(opt.model, fake_llm::good_content(s->user_message)), {}, false});
    }
    cv.notify_all();
  }

  static fake_llm_request record(const bhttp::request<bhttp::string_body>& req) {
    fake_llm_request rec;
    rec.method = std::string{req.method_string()};
    rec.target = std::string{req.target()};
    if (auto it = req.find(bhttp::field::authorization); it != req.end()) rec.authorization = std::string{it->value()};
    if (auto it = req.find(bhttp::field::content_type); it != req.end()) rec.content_type = std::string{it->value()};
    rec.body = req.body();
    const auto doc = json::parse(rec.body, nullptr, false);
    if (!doc.is_object()) return rec;
    rec.model = str(doc, "model", "");
    if (const auto t = doc.find("temperature"); t != doc.end() && t->is_number()) rec.temperature = t->get<double>();
    if (const auto f = doc.find("response_format"); f != doc.end() && f->is_object())
      rec.response_format_type = str(*f, "type", "");
    if (const auto m = doc.find("messages"); m != doc.end() && m->is_array()) {
      for (const auto& msg : *m) {
        if (!msg.is_object()) continue;
        const auto role = str(msg, "role", "");
        if (role == "system" && rec.system_message.empty()) rec.system_message = str(msg, "content", "");
        if (role == "user" && rec.user_message.empty()) rec.user_message = str(msg, "content", "");
      }
    }
    return rec;
  }

  reply decide(fake_llm_request& rec) {
    if (rec.method != "POST" || rec.target != "/v1/chat/completions") {
      rec.rejected = "unknown endpoint";
      return {404, error_body("Unknown request URL", "invalid_request_error", "unknown_url"), {}, false};
    }
    if (rec.authorization != "Bearer " + opt.api_key) {
      rec.rejected = "bad bearer";
      const auto sent = rec.authorization.rfind("Bearer ", 0) == 0 ? rec.authorization.substr(7) : rec.authorization;
      return {401,
              error_body("Incorrect API key provided: " + sent + ". You can find your API key in your account.",
                         "invalid_request_error", "invalid_api_key"),
              {},
              false};
    }
    if (rec.model != opt.model) {
      rec.rejected = "unknown model";
      return {404, error_body("The model does not exist", "invalid_request_error", "model_not_found"), {}, false};
    }
    if (rec.system_message.empty() || rec.user_message.empty()) {
      rec.rejected = "messages need a system and a user message";
      return {400, error_body("messages: a system and a user message are required", "invalid_request_error", ""), {},
              false};
    }

    std::lock_guard<std::mutex> lock{mu};
    const auto nth = mode_requests++;
    const auto& model = opt.model;
    const auto good = [&] { return fake_llm::good_content(rec.user_message); };
    const auto good_with_first_prompt = [&](const auto& edit) {
      auto items = good_items(profile_of(rec.user_message));
      if (!items.empty()) items[0]["prompt"] = edit(items[0]["prompt"].get<std::string>());
      return json{{"items", items}}.dump();
    };
    switch (mode) {
      case fake_llm_mode::good:
        return {200, completion_text(model, good()), {}, false};
      case fake_llm_mode::canned:
        return {200, completion_text(model, canned), {}, false};
      case fake_llm_mode::garbage:
        return {200,
                completion_text(model, "Sure! Here are some great interview questions:\n1. What is your favourite "
                                       "language?\n2. Where do you see yourself in five years?"),
                {},
                false};
      case fake_llm_mode::wrong_shape:
        return {200, completion_text(model, R"({"questions": [{"q": "What is a database index?"}]})"), {}, false};
      case fake_llm_mode::invalid_items:
        return {200,
                completion_text(model,
                                R"({"items": [{"kind": "quiz", "title": "x"}, {"title": "No kind, no prompt"}, 42]})"),
                {},
                false};
      case fake_llm_mode::partly_invalid: {
        auto items = good_items(profile_of(rec.user_message));
        items.insert(items.begin(), json{{"kind", "technical"}, {"title", "Too thin"}});
        return {200, completion_text(model, json{{"items", items}}.dump()), {}, false};
      }
      case fake_llm_mode::fenced:
        return {200, completion_text(model, "Here you go:\n```json\n" + good() + "\n```\nGood luck with the hire!"), {},
                false};
      case fake_llm_mode::personal_data:
        return {200, completion_text(model, good_with_first_prompt([](std::string p) {
                  return p + " If anything is unclear, write to jane.doe@example.com or call +1 415 555 0134.";
                })),
                {}, false};
      case fake_llm_mode::near_duplicate: {
        const auto text = near_duplicate_of;
        return {200, completion_text(model, good_with_first_prompt([&text](const std::string&) {
                  return text + " Explain your reasoning.";
                })),
                {}, false};
      }
      case fake_llm_mode::refusal:
        return {200,
                completion(model, json{{"role", "assistant"}, {"content", nullptr}, {"refusal", "I can't help with that."}}),
                {}, false};
      case fake_llm_mode::not_completion:
        return {200, R"({"object": "list", "data": []})", {}, false};
      case fake_llm_mode::forbidden:
        return {403, error_body("Project does not have access to model " + model, "invalid_request_error",
                                "model_not_allowed"),
                {}, false};
      case fake_llm_mode::rate_limited: {
        reply r{429, error_body("Rate limit reached for requests", "requests", "rate_limit_exceeded"), {}, false};
        if (!retry_after.empty()) r.headers.emplace_back("Retry-After", retry_after);
        return r;
      }
      case fake_llm_mode::server_error:
        return {503, error_body("The engine is currently overloaded", "server_error", ""), {}, false};
      case fake_llm_mode::error_then_good:
      case fake_llm_mode::error_then_hold:
        if (nth == 0) return {500, error_body("The server had an error", "server_error", ""), {}, false};
        if (mode == fake_llm_mode::error_then_good) return {200, completion_text(model, good()), {}, false};
        return {200, {}, {}, true};
      case fake_llm_mode::hold:
        return {200, {}, {}, true};
      case fake_llm_mode::oversized:
        return {200, completion_text(model, std::string(oversized_bytes, 'x')), {}, false};
      case fake_llm_mode::redirect:
        return {307, {}, {{"Location", "http://127.0.0.1:9/v1/chat/completions"}}, false};
    }
    return {500, error_body("unknown mode", "server_error", ""), {}, false};
  }

  template <class Pred>
  bool wait(std::chrono::milliseconds limit, Pred pred) const {
    std::unique_lock<std::mutex> lock{mu};
    return cv.wait_for(lock, limit, pred);
  }
};

fake_llm::fake_llm(fake_llm_options opt) : impl_(std::make_shared<impl>()) {
  impl_->opt = std::move(opt);
  tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->do_accept();
  impl_->thread = std::thread([i = impl_.get()] { i->ioc.run(); });
}

fake_llm::~fake_llm() {
  net::post(impl_->ioc, [i = impl_.get()] {
    beast::error_code ignored;
    i->acceptor.close(ignored);
    for (auto& s : i->parked) {
      s->answered = true;
      s->stream.socket().close(ignored);
    }
    i->parked.clear();
    i->ioc.stop();
  });
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::uint16_t fake_llm::port() const noexcept { return impl_->port; }

std::string fake_llm::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port) + "/v1"; }

const fake_llm_options& fake_llm::options() const noexcept { return impl_->opt; }

void fake_llm::set_mode(fake_llm_mode m) {
  std::lock_guard<std::mutex> lock{impl_->mu};
  impl_->mode = m;
  impl_->mode_requests = 0;
}

void fake_llm::set_canned_content(std::string content) {
  std::lock_guard<std::mutex> lock{impl_->mu};
  impl_->canned = std::move(content);
}

void fake_llm::set_near_duplicate_of(std::string text) {
  std::lock_guard<std::mutex> lock{impl_->mu};
  impl_->near_duplicate_of = std::move(text);
}

void fake_llm::set_retry_after(std::string value) {
  std::lock_guard<std::mutex> lock{impl_->mu};
  impl_->retry_after = std::move(value);
}

void fake_llm::set_oversized_bytes(std::size_t n) {
  std::lock_guard<std::mutex> lock{impl_->mu};
  impl_->oversized_bytes = n;
}

std::string fake_llm::good_content(const std::string& user_message) {
  return json{{"items", good_items(profile_of(user_message))}}.dump();
}

std::vector<fake_llm_request> fake_llm::requests() const {
  std::lock_guard<std::mutex> lock{impl_->mu};
  return impl_->log;
}

std::size_t fake_llm::request_count() const {
  std::lock_guard<std::mutex> lock{impl_->mu};
  return impl_->log.size();
}

std::size_t fake_llm::held() const {
  std::lock_guard<std::mutex> lock{impl_->mu};
  return impl_->held_count;
}

std::size_t fake_llm::abandoned() const {
  std::lock_guard<std::mutex> lock{impl_->mu};
  return impl_->abandoned_count;
}

bool fake_llm::wait_for_held(std::size_t n, std::chrono::milliseconds limit) const {
  return impl_->wait(limit, [this, n] { return impl_->held_count >= n; });
}

bool fake_llm::wait_for_abandoned(std::size_t n, std::chrono::milliseconds limit) const {
  return impl_->wait(limit, [this, n] { return impl_->abandoned_count >= n; });
}

void fake_llm::release_held() {
  net::post(impl_->ioc, [i = impl_.get()] { i->release(); });
}

}  // namespace hw::testing
