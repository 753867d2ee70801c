#pragma once
// The optional LLM provider of issue 5: an OpenAI-compatible chat-completions endpoint
// (POST {base_url}/chat/completions), configured per organization, off by default. BLOCKING
// (libcurl): call generate() off the actor threads (a detached actor or a db task thread).
// Thread-safe: every generate() uses its own easy handle and shares no mutable state.
//
// What is sent: the model, a system message describing the item JSON (actors/domain/content.hpp)
// and a user message holding ONLY the job profile: the job title, seniority, years, category and
// the uncovered skills (slug + label). Never candidate data, never the job description or the
// evidence snippets of the profile. temperature 0.2, response_format {"type": "json_object"}.
//
// What is read: choices[0].message.content, a JSON object {"items": [<item body>...]} (a bare
// array and ```json fences are tolerated). Each item goes through domain::parse_item_body after a
// lenient clean-up (unknown top-level keys dropped, skill names lower-cased with spaces as '-',
// missing skills / seniorities / categories taken from the request); invalid items are skipped.
// At most req.max_items items are answered; quality_check is the caller's job.
//
// Network policy: base_url must be https:// (http:// only on loopback, as for OIDC), no user
// info, query or fragment; redirects are refused; the body is capped at max_response_bytes; by
// default a connection to a non-public address is refused after DNS (see
// auth::is_private_address); environment proxies are ignored.
//
// Errors (details safe to show and log: never the API key, the prompt or the model's text):
//   invalid_argument  the configuration is invalid (validate_openai_config), the answer is larger
//                     than max_response_bytes, or "the model's answer is not the requested JSON"
//                     (no JSON, wrong shape, a refusal, or no valid item)
//   unauthorized      HTTP 401 / 403 (the key was refused)
//   rate_limited      HTTP 429 (retry_after_s from Retry-After when given)
//   timeout           no complete answer within config.timeout (the whole call, retries included)
//   unavailable       transport errors, 5xx / 408 (retried once after a short jitter when the
//                     deadline leaves room), a redirect, another 4xx, a private address, an
//                     answer that is not a chat completion
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "actors/domain/content_generation.hpp"
#include "actors/domain/result.hpp"

namespace hw::content {

struct openai_config {
  std::string base_url;  // e.g. https://api.openai.com/v1 ("/chat/completions" is appended)
  std::string api_key;   // sent as "Authorization: Bearer <key>"; empty: no Authorization header
  std::string model;     // e.g. gpt-4o-mini
  std::chrono::milliseconds timeout{30000};  // the whole generate() call, 1 ms .. 10 min
  /// Lets requests connect to non-public addresses (loopback, private networks). Only for tests
  /// and local development (a model served on the same machine): with it, any organization admin
  /// can make the server send requests into that network.
  bool allow_private_addresses = false;
};

/// Answers larger than this are refused (invalid_argument).
inline constexpr std::size_t openai_max_response_bytes = 2u << 20;

/// invalid_argument "llm: ..." naming the field (never its value) when: base_url is not an allowed
/// URL (above) or longer than 2000 characters; api_key is longer than 512 characters or holds a
/// control character or a space; model is empty, longer than 200 characters or holds a control
/// character; timeout is outside 1 ms .. 10 min.
result<unit> validate_openai_config(const openai_config& cfg);

/// The request body generate() POSTs for `req` (exposed so tests can check what leaves the
/// process). Pure.
std::string openai_request_body(const std::string& model, const domain::llm_request& req);

/// A provider over `cfg`. An invalid configuration is not refused here: every generate() then
/// answers validate_openai_config's error without any network call.
std::unique_ptr<domain::llm_provider> make_openai_provider(openai_config cfg);

}  // namespace hw::content
