#include "http/static_files.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include <openssl/evp.h>

#include "http/problem.hpp"
#include "actors/domain/hex.hpp"

namespace hw::http_api {

namespace {

struct type_row {
  std::string_view ext;
  std::string_view type;
};

constexpr type_row content_types[] = {
  {"html", "text/html; charset=utf-8"},
  {"js", "text/javascript; charset=utf-8"},
  {"mjs", "text/javascript; charset=utf-8"},
  {"css", "text/css; charset=utf-8"},
  {"svg", "image/svg+xml"},
  {"png", "image/png"},
  {"ico", "image/x-icon"},
  {"json", "application/json"},
  {"map", "application/json"},
  {"woff2", "font/woff2"},
  {"txt", "text/plain; charset=utf-8"},
  {"webmanifest", "application/manifest+json"},
};

// The SPA loads only its own scripts and styles; logos may come from any https origin.
constexpr std::string_view html_csp =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
  "img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; "
  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

using hw::hex_value;

std::string_view last_segment(std::string_view p) noexcept {
  const auto slash = p.rfind('/');
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool has_extension(std::string_view p) noexcept { return last_segment(p).find('.') != std::string_view::npos; }

std::string strong_etag(const std::string& content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(content.data(), content.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (unsigned i = 0; i < 16 && i < len; ++i) {
    tag += hex[digest[i] >> 4];
    tag += hex[digest[i] & 0xf];
  }
  tag += '"';
  return tag;
}

}  // namespace

std::string_view content_type_for(std::string_view filename) noexcept {
  const auto name = last_segment(filename);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const auto ext = name.substr(dot + 1);
  for (const auto& row : content_types) {
    if (row.ext.size() != ext.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < ext.size() && same; ++i) {
      const char c = ext[i] >= 'A' && ext[i] <= 'Z' ? static_cast<char>(ext[i] - 'A' + 'a') : ext[i];
      same = c == row.ext[i];
    }
    if (same) return row.type;
  }
  return "application/octet-stream";
}

std::optional<std::string> safe_relative_path(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return std::nullopt;  // a truncated escape
      const int hi = hex_value(raw[i + 1]);
      const int lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\') return std::nullopt;
    out += c;
  }
  if (out.empty()) return out;  // the directory itself: index.html
  if (out.front() == '/') return std::nullopt;
  std::string_view rest = out;
  while (true) {
    const auto slash = rest.find('/');
    const auto seg = rest.substr(0, slash);
    if (seg.empty() && slash != std::string_view::npos) return std::nullopt;  // "a//b"
    if (seg == "." || seg == "..") return std::nullopt;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

bool etag_matches(std::string_view inm, std::string_view etag) noexcept {
  auto strip_weak = [](std::string_view t) {
    if (t.size() >= 2 && (t[0] == 'W' || t[0] == 'w') && t[1] == '/') t.remove_prefix(2);
    return t;
  };
  const auto want = strip_weak(etag);
  while (!inm.empty()) {
    const auto comma = inm.find(',');
    auto tok = inm.substr(0, comma);
    while (!tok.empty() && (tok.front() == ' ' || tok.front() == '\t')) tok.remove_prefix(1);
    while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t')) tok.remove_suffix(1);
    if (tok == "*" || strip_weak(tok) == want) return true;
    if (comma == std::string_view::npos) break;
    inm.remove_prefix(comma + 1);
  }
  return false;
}

static_files::static_files(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::shared_ptr<const static_files::entry> static_files::load(const std::string& rel) {
  const std::string full = root_ + "/" + rel;
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  const std::int64_t mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const std::int64_t size = st.st_size;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    auto it = cache_.find(rel);
    if (it != cache_.end() && it->second->mtime_ns == mtime && it->second->size == size) return it->second;
  }
  // Read outside the lock: other requests keep being served from the cache meanwhile.
  std::ifstream in{full, std::ios::binary};
  if (!in) return nullptr;
  std::string content{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
  if (in.bad()) return nullptr;
  auto e = std::make_shared<entry>();
  e->mtime_ns = mtime;
  e->size = size;
  e->etag = strong_etag(content);
  e->content = std::make_shared<const std::string>(std::move(content));
  std::lock_guard<std::mutex> lock{mutex_};
  cache_[rel] = e;
  return e;
}

response static_files::serve(const route_context& ctx, std::string_view raw_rel) {
  auto rel = safe_relative_path(raw_rel);
  if (!rel) return make_problem(ctx, bhttp::status::bad_request, "the path is not allowed");
  std::string path = rel->empty() ? std::string{"index.html"} : std::move(*rel);
  auto e = load(path);
  if (!e && !has_extension(path)) {
    // SPA fallback: a client-side route such as /app/orgs/42 is index.html's business.
    path = "index.html";
    e = load(path);
  }
  if (!e) return make_problem(ctx, bhttp::status::not_found, "no such file");

  const bool immutable = path.rfind("assets/", 0) == 0;
  response res{bhttp::status::ok, ctx.req.version()};
  res.set(bhttp::field::etag, e->etag);
  res.set(bhttp::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
  const auto type = content_type_for(path);
  if (type.rfind("text/html", 0) == 0) res.set("Content-Security-Policy", html_csp);
  const auto inm = ctx.req[bhttp::field::if_none_match];
  if (!inm.empty() && etag_matches(inm, e->etag)) {
    res.result(bhttp::status::not_modified);
    return res;
  }
  res.set(bhttp::field::content_type, type);
  res.body() = *e->content;
  return res;
}

}  // namespace hw::http_api
