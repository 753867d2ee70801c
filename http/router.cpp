#include "http/router.hpp"

#include <stdexcept>

namespace hw::http_api {

std::string to_string(const route_access& a) {
  switch (a.k) {
    case route_access::kind::public_route: return "public";
    case route_access::kind::session_only: return "session";
    case route_access::kind::operator_only: return "operator";
    case route_access::kind::org: return "org:" + std::string{domain::to_string(a.act)};
  }
  return "unknown";
}

std::vector<router::route_info> router::routes() const {
  std::vector<route_info> out;
  for (std::size_t id = 0; id < entries_.size(); ++id) {
    for (const auto& m : entries_[id].methods) out.push_back({m.verb, names_[id], m.access});
  }
  return out;
}

std::size_t router::add(bhttp::verb v, std::string_view tmpl, route_access access, handler fn,
                        std::size_t max_body) {
  if (tmpl.empty() || tmpl.front() != '/') throw std::invalid_argument("route template must start with '/'");
  if (access.k == route_access::kind::org && tmpl.find("/{id}") == std::string_view::npos) {
    throw std::invalid_argument("an org-scoped route needs an {id} parameter");
  }
  std::size_t id = 0;
  for (; id < names_.size(); ++id) {
    if (names_[id] == tmpl) break;
  }
  if (id == names_.size()) {
    entry e;
    std::size_t params = 0;
    std::string_view rest = tmpl.substr(1);
    while (true) {
      const auto slash = rest.find('/');
      const auto part = rest.substr(0, slash);
      segment s;
      if (part == "*") {
        if (slash != std::string_view::npos) throw std::invalid_argument("'*' must be the last segment");
        s.rest = true;
      } else if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
        s.param = true;
        s.text = std::string{part.substr(1, part.size() - 2)};
        if (++params > route_params::max) throw std::invalid_argument("too many route parameters");
      } else if (part.find_first_of("{}*") != std::string_view::npos) {
        throw std::invalid_argument("malformed route template segment");
      } else {
        s.text = std::string{part};
      }
      e.segments.push_back(std::move(s));
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
    const auto& first = e.segments.front();
    if (first.param || first.rest) {
      // Every path may match it: it joins every literal list and the list for other paths.
      for (auto& kv : by_first_) kv.second.push_back(id);
      by_other_.push_back(id);
    } else {
      auto [it, fresh] = by_first_.try_emplace(first.text);
      if (fresh) it->second = by_other_;  // the wildcard templates registered before it
      it->second.push_back(id);
    }
    entries_.push_back(std::move(e));
    names_.emplace_back(tmpl);
  }
  for (const auto& m : entries_[id].methods) {
    if (m.verb == v) throw std::invalid_argument("duplicate route");
  }
  entries_[id].methods.push_back({v, access, std::move(fn), max_body});
  if (max_body != 0) has_body_limits_ = true;
  return id;
}

std::size_t router::body_limit(bhttp::verb v, std::string_view path, std::size_t fallback) const {
  if (!has_body_limits_) return fallback;
  return body_limit(match(v, path), fallback);
}

const std::vector<std::size_t>& router::candidates(std::string_view path) const noexcept {
  if (path.empty() || path.front() != '/') return by_other_;  // match_path refuses them anyway
  auto first = path.substr(1, path.find('/', 1) - 1);
  // C++17 unordered_map has no heterogeneous find: a small std::string (SSO for short segments).
  const auto it = by_first_.find(std::string{first});
  return it == by_first_.end() ? by_other_ : it->second;
}

bool router::match_path(const entry& e, std::string_view path, route_params& out) noexcept {
  out.size = 0;
  if (path.empty() || path.front() != '/') return false;
  std::size_t pos = 1;
  for (const auto& seg : e.segments) {
    if (pos > path.size()) return false;  // the path ran out of segments
    if (seg.rest) {
      out.items[out.size++] = {"*", path.substr(pos)};
      return true;
    }
    auto end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const auto part = path.substr(pos, end - pos);
    if (seg.param) {
      if (part.empty()) return false;
      out.items[out.size++] = {seg.text, part};
    } else if (part != seg.text) {
      return false;
    }
    pos = end + 1;
  }
  return pos == path.size() + 1;  // every path segment consumed, no trailing slash left over
}

router::match_result router::match(bhttp::verb v, std::string_view path) const {
  match_result r;
  for (const std::size_t id : candidates(path)) {
    const auto& e = entries_[id];
    if (!match_path(e, path, r.params)) continue;
    r.route_id = id;
    r.route = names_[id];
    const method_entry* get = nullptr;
    for (const auto& m : e.methods) {
      if (m.verb == v) {
        r.kind = outcome::found;
        r.fn = &m.fn;
        r.access = &m.access;
        r.max_body = m.max_body;
        return r;
      }
      if (m.verb == bhttp::verb::get) get = &m;
    }
    if (v == bhttp::verb::head && get) {
      r.kind = outcome::found;
      r.fn = &get->fn;
      r.access = &get->access;
      r.max_body = get->max_body;
      return r;
    }
    // The path exists with other verbs: 405 with Allow. (The first template that matches the
    // path owns it; templates are registered without overlaps.)
    r.kind = outcome::method_not_allowed;
    bool has_head = false;
    for (const auto& m : e.methods) has_head = has_head || m.verb == bhttp::verb::head;
    for (const auto& m : e.methods) {
      if (!r.allow.empty()) r.allow += ", ";
      r.allow += std::string_view{bhttp::to_string(m.verb)};
      if (m.verb == bhttp::verb::get && !has_head) r.allow += ", HEAD";
    }
    return r;
  }
  r.params.size = 0;
  return r;
}

}  // namespace hw::http_api
