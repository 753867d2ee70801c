#pragma once
// A fake OpenAI-compatible chat-completions server on 127.0.0.1, port 0, for hermetic tests of
// actors/content/openai_provider (Boost.Beast on its own thread; each request answered and closed).
//
//   POST /v1/chat/completions   checks, in this order (each failure recorded in `rejected`):
//       Authorization: Bearer <options.api_key>         else 401 (whose message echoes the key
//                                                       sent, as real providers partly do)
//       a JSON body with "model" == options.model        else 404 model_not_found
//       "messages": [{role, content}...] with a system and a user message (strings)  else 400
//     then answers according to the mode (below) with a chat.completion whose
//     choices[0].message.content is the "answer".
//   anything else: 404.
//
// The good answer is deterministic: it reads the job profile JSON the provider puts in the user
// message (the first '{' to the end: {"skills": [{"slug", "label"}], "seniority", "category",
// "max_items"}) and writes one item per skill (up to max_items), with six different wordings.
//
// Held answers (mode hold / error_then_hold) are parked without any timer: they are answered when
// the test calls release_held(), or dropped when the client closes the connection (counted by
// abandoned()), or when the fake is destroyed. Nothing here sleeps.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hw::testing {

enum class fake_llm_mode {
  good,             // items from the asked skills
  canned,           // the content set by set_canned_content(), verbatim
  garbage,          // prose, no JSON at all
  wrong_shape,      // JSON, but {"questions": [...]}, not {"items": [...]}
  invalid_items,    // {"items": [...]} whose items all fail validation
  partly_invalid,   // the good items with an invalid one in front
  fenced,           // the good answer inside ```json fences, with prose around
  personal_data,    // the good answer; the first prompt carries an e-mail address and a phone number
  near_duplicate,   // the good answer; the first prompt is set_near_duplicate_of()'s text, lightly edited
  refusal,          // message.refusal set, content null
  not_completion,   // 200 with a JSON body that is not a chat completion
  forbidden,        // 403 (the key is right, but the project may not use the model)
  rate_limited,     // 429 with Retry-After (set_retry_after)
  server_error,     // 503 every time
  error_then_good,  // 500 on the first request after set_mode, then good
  error_then_hold,  // 500 on the first request after set_mode, then hold
  hold,             // parked until release_held() (answered good) or the client goes away
  oversized,        // a 200 answer of set_oversized_bytes() bytes (3 MiB by default)
  redirect,         // 307 to another URL
};

/// What the fake saw of one request.
struct fake_llm_request {
  std::string method;
  std::string target;
  std::string authorization;  // the header as sent ("" when absent)
  std::string content_type;
  std::string body;           // raw
  std::string model;          // body "model" ("" when absent)
  std::string system_message;  // the first message with role "system"
  std::string user_message;    // the first message with role "user"
  double temperature = -1;     // -1 when absent
  std::string response_format_type;  // response_format.type
  std::string rejected;        // why the fake refused it ("" when it was answered by the mode)
};

struct fake_llm_options {
  std::string api_key = "sk-fake-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  std::string model = "fake-chat-1";
};

class fake_llm {
 public:
  explicit fake_llm(fake_llm_options opt = {});
  ~fake_llm();  // drops held answers, closes the listener, joins the thread
  fake_llm(const fake_llm&) = delete;
  fake_llm& operator=(const fake_llm&) = delete;

  std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:<port>/v1", what a provider's base_url is set to.
  std::string base_url() const;
  const fake_llm_options& options() const noexcept;

  /// Also resets the per-mode request count (error_then_*).
  void set_mode(fake_llm_mode m);
  /// The assistant content of mode canned (any text: JSON or not).
  void set_canned_content(std::string content);
  /// The text mode near_duplicate copies (with " Explain your reasoning." appended).
  void set_near_duplicate_of(std::string text);
  /// The Retry-After value of mode rate_limited ("7" by default; "" sends none).
  void set_retry_after(std::string value);
  /// The body size of mode oversized.
  void set_oversized_bytes(std::size_t n);

  /// The good answer's content for a user message (what mode good would send).
  static std::string good_content(const std::string& user_message);

  std::vector<fake_llm_request> requests() const;
  std::size_t request_count() const;

  /// Answers currently parked.
  std::size_t held() const;
  /// Held connections the client closed before release_held() (e.g. after its timeout).
  std::size_t abandoned() const;
  /// Waits (on a condition variable, bounded by `limit`) until held() >= n / abandoned() >= n.
  bool wait_for_held(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(10)) const;
  bool wait_for_abandoned(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(10)) const;
  /// Answers every parked request with the good answer.
  void release_held();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace hw::testing
