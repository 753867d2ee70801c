#pragma once
// The SPA under /app/: files from options.static_dir, cached in memory (revalidated by mtime and
// size on every request, one stat()), strong ETags from a content hash, SPA fallback to
// index.html, and a path guard that refuses anything that could leave the directory.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/handler.hpp"

namespace hw::http_api {

/// Content-Type for a file name by its extension; "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view filename) noexcept;

/// Percent-decodes `raw` (the path after "/app/", no query) and checks it is a safe relative
/// path: no "..", "." or empty segments, no backslash, no NUL or control bytes, no bad escapes.
/// Returns the decoded path, or nothing when refused.
std::optional<std::string> safe_relative_path(std::string_view raw);

/// True when an If-None-Match header value matches `etag` (weak comparison, "*" matches).
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

class static_files {
 public:
  explicit static_files(std::string root);

  /// Answers GET/HEAD for `rel` (the raw path after "/app/"). Thread-safe.
  response serve(const route_context& ctx, std::string_view rel);

 private:
  struct entry {
    std::int64_t mtime_ns = 0;
    std::int64_t size = 0;
    std::shared_ptr<const std::string> content;
    std::string etag;
  };
  /// The cached file, reloaded when its mtime or size changed; nullptr when it is not a
  /// readable regular file.
  std::shared_ptr<const entry> load(const std::string& rel);

  std::string root_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const entry>> cache_;
};

}  // namespace hw::http_api
