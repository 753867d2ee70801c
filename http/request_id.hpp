#pragma once
// X-Request-Id: accept a sane incoming id, otherwise make one.
#include <string>
#include <string_view>

namespace hw::http_api {

/// True for [A-Za-z0-9._-]{1,64}: safe to echo in headers, JSON and log lines unescaped.
bool is_valid_request_id(std::string_view id) noexcept;

/// 32 lowercase hex characters (128 bits) from a per-thread generator seeded from the OS.
/// Unique, not secret: request ids are not credentials. Cheap enough for every request.
std::string generate_request_id();
/// The same, into `out` (reusing its capacity).
void generate_request_id(std::string& out);

}  // namespace hw::http_api
