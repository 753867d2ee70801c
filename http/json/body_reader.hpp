#pragma once
// http-internal: reading one JSON request body strictly, shared by the route DTOs (account_json,
// ats_routes). Malformed JSON (with the parser's byte position) or a non-object is 400; everything
// about a field (unknown, missing, wrong type, too long) is 422 naming the field, never quoting its
// value. Every read records only the FIRST problem in `error`, so callers check it once at the end.
// Never throws.
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/permissions.hpp"
#include "http/json/organization_json.hpp"  // input_error

namespace hw::http_api {

inline input_error unreadable(std::string detail) { return {400, std::move(detail)}; }
inline input_error invalid(std::string detail) { return {422, std::move(detail)}; }

class body_reader {
 public:
  using json = nlohmann::json;

  static std::variant<body_reader, input_error> open(std::string_view body,
                                                     std::initializer_list<std::string_view> known) {
    json j;
    try {
      j = json::parse(body.begin(), body.end());
    } catch (const json::parse_error& e) {
      return unreadable("malformed JSON at byte " + std::to_string(e.byte) + ": " +
                        (e.id == 101 ? "syntax error" : "invalid input"));
    } catch (const json::exception&) {
      return unreadable("malformed JSON");
    }
    if (!j.is_object()) return unreadable(std::string{"the body must be a JSON object, not "} + j.type_name());
    if (auto e = unknown_field(j, known, "")) return *e;
    body_reader r;
    r.obj_ = std::move(j);
    return r;
  }

  /// The first key of `obj` not in `known` as a 422 (`prefix` names the enclosing field), or nothing.
  static std::optional<input_error> unknown_field(const json& obj, std::initializer_list<std::string_view> known,
                                                  const std::string& prefix) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool ok = false;
      for (auto k : known) ok = ok || it.key() == k;
      if (!ok) {
        auto key = it.key().size() > 40 ? it.key().substr(0, 40) + "..." : it.key();
        return invalid(prefix + key + ": unknown field");
      }
    }
    return std::nullopt;
  }

  bool has(const char* key) const { return obj_.contains(key); }
  bool is_null(const char* key) const {
    auto it = obj_.find(key);
    return it != obj_.end() && it->is_null();
  }
  /// The value of `key`, or nullptr when it is absent or null.
  const json* find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }

  /// A string of min_len..max bytes. null counts as absent.
  std::optional<std::string> string(const char* key, std::size_t max, bool required, std::size_t min_len = 0) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      fail(std::string{key} + ": must be a string, not " + v->type_name());
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() < min_len) {
      fail(std::string{key} + ": must not be empty");
      return std::nullopt;
    }
    if (s.size() > max) {
      fail(std::string{key} + ": must be at most " + std::to_string(max) + " bytes");
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> boolean(const char* key, bool required = false) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      fail(std::string{key} + ": must be true or false, not " + v->type_name());
      return std::nullopt;
    }
    return v->get<bool>();
  }

  std::optional<domain::role> role(const char* key, bool required) {
    auto s = string(key, 32, required);
    if (!s) return std::nullopt;
    auto r = domain::parse_role(*s);
    if (!r) {
      std::string names;
      for (auto each : domain::all_roles) names += (names.empty() ? "" : ", ") + std::string{domain::to_string(each)};
      fail(std::string{key} + ": must be one of " + names);
    }
    return r;
  }

  /// An array of at most max_items strings of at most max_len bytes each.
  std::optional<std::vector<std::string>> string_list(const char* key, std::size_t max_items, std::size_t max_len,
                                                      bool required) {
    const json* v = present(key, required);
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      fail(std::string{key} + ": must be an array of strings, not " + v->type_name());
      return std::nullopt;
    }
    if (v->size() > max_items) {
      fail(std::string{key} + ": at most " + std::to_string(max_items) + " entries");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const auto& e = (*v)[i];
      const auto name = std::string{key} + "[" + std::to_string(i) + "]";
      if (!e.is_string()) {
        fail(name + ": must be a string, not " + e.type_name());
        return std::nullopt;
      }
      if (e.get_ref<const std::string&>().size() > max_len) {
        fail(name + ": must be at most " + std::to_string(max_len) + " bytes");
        return std::nullopt;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  void fail(std::string detail) {
    if (!error) error = invalid(std::move(detail));
  }

  std::optional<input_error> error;

 protected:
  /// The value of `key`; when absent or null, nullptr (and "is required" recorded if required).
  const json* present(const char* key, bool required) {
    const json* v = find(key);
    if (!v && required) fail(std::string{key} + ": is required");
    return v;
  }

 private:
  json obj_;
};

/// Opens `body` and runs `f` on the reader, or returns the 400/422 of opening it.
template <class F>
auto with_reader(std::string_view body, std::initializer_list<std::string_view> known, F f)
  -> decltype(f(std::declval<body_reader&>())) {
  auto opened = body_reader::open(body, known);
  if (auto* e = std::get_if<input_error>(&opened)) return std::move(*e);
  return f(std::get<body_reader>(opened));
}

}  // namespace hw::http_api
