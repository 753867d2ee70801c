// Job interview templates (content.hpp): body parse / validate / serialize and the version FSM.
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/domain/content.hpp"
#include "actors/domain/content_check.hpp"

namespace hw::domain {

namespace {

using nlohmann::json;
using namespace content_check;

constexpr std::size_t instructions_max = 10000;
constexpr std::size_t sections_max = 20;
constexpr std::size_t section_title_max = 120;
constexpr std::size_t items_max = 60;
constexpr std::int64_t time_limit_max = 240;
constexpr std::int64_t weight_max = 100;
constexpr int total_min = 5;
constexpr int total_max = 480;

bool is_lower_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

struct entry_read {
  bool time_known = true;
};

void read_entry(problems& ps, const json& v, const std::string& path, template_entry& out,
                entry_read& r) {
  if (!expect_object(ps, v, path)) {
    r.time_known = false;
    return;
  }
  refuse_unknown_keys(ps, v, path, {"item_id", "item_version", "time_limit_minutes", "weight"});
  if (auto id = read_string(ps, v, "item_id", path + "/item_id")) {
    if (!is_lower_uuid(*id)) {
      ps.push_back({path + "/item_id", "must be a lower-case UUID"});
    } else {
      out.item_id = std::move(*id);
    }
  }
  if (auto n = read_int(ps, v, "item_version", path + "/item_version", 1,
                        std::numeric_limits<std::int32_t>::max())) {
    out.item_version = static_cast<std::int32_t>(*n);
  }
  if (auto t =
        read_int(ps, v, "time_limit_minutes", path + "/time_limit_minutes", 1, time_limit_max)) {
    out.time_limit_minutes = static_cast<int>(*t);
  } else {
    r.time_known = false;
  }
  if (auto w = read_int(ps, v, "weight", path + "/weight", 1, weight_max, false)) {
    out.weight = static_cast<int>(*w);
  }
}

}  // namespace

bool operator==(const template_entry& a, const template_entry& b) noexcept {
  return a.item_id == b.item_id && a.item_version == b.item_version &&
         a.time_limit_minutes == b.time_limit_minutes && a.weight == b.weight;
}

bool operator==(const template_section& a, const template_section& b) noexcept {
  return a.title == b.title && a.items == b.items;
}

bool operator==(const template_body& a, const template_body& b) noexcept {
  return a.instructions == b.instructions && a.sections == b.sections;
}

std::vector<field_problem> parse_template_body(const json& j, template_body& out) {
  out = template_body{};
  problems ps;
  if (!expect_object(ps, j, "")) return ps;
  refuse_unknown_keys(ps, j, "", {"instructions", "sections"});
  if (auto s = read_string(ps, j, "instructions", "/instructions", false)) {
    check_text(ps, "/instructions", *s, 0, instructions_max, text_kind::block);
    out.instructions = std::move(*s);
  }
  const json* sections = read_array(ps, j, "sections", "/sections");
  if (!sections) return ps;
  if (sections->empty() || sections->size() > sections_max) {
    ps.push_back({"/sections", "must hold 1.." + std::to_string(sections_max) + " sections"});
  }
  std::set<std::string> seen_items;
  std::size_t item_count = 0;
  bool all_times_known = true;
  std::size_t si = 0;
  for (const auto& sv : *sections) {
    const auto sp = index_path("/sections", si++);
    template_section section;
    if (!expect_object(ps, sv, sp)) {
      all_times_known = false;
      out.sections.push_back(std::move(section));
      continue;
    }
    refuse_unknown_keys(ps, sv, sp, {"title", "items"});
    if (auto t = read_string(ps, sv, "title", sp + "/title")) {
      check_text(ps, sp + "/title", *t, 1, section_title_max, text_kind::line);
      section.title = std::move(*t);
    }
    const json* items = read_array(ps, sv, "items", sp + "/items");
    if (!items) {
      all_times_known = false;
    } else {
      if (items->empty()) ps.push_back({sp + "/items", "a section needs at least one item"});
      item_count += items->size();
      std::size_t ii = 0;
      for (const auto& iv : *items) {
        const auto ip = index_path(sp + "/items", ii++);
        template_entry e;
        entry_read r;
        read_entry(ps, iv, ip, e, r);
        all_times_known = all_times_known && r.time_known;
        if (!e.item_id.empty() && !seen_items.insert(e.item_id).second) {
          ps.push_back({ip + "/item_id", "this item is already in the template"});
        }
        section.items.push_back(std::move(e));
      }
    }
    out.sections.push_back(std::move(section));
  }
  // Too few items is already reported (no sections, or an empty section).
  if (item_count > items_max) {
    ps.push_back({"/sections", "must hold 1.." + std::to_string(items_max) + " items in all"});
  }
  if (all_times_known && item_count > 0) {
    const int total = total_minutes(out);
    if (total < total_min || total > total_max) {
      ps.push_back({"/sections", "the time limits must add up to " + std::to_string(total_min) +
                                   ".." + std::to_string(total_max) + " minutes (they add up to " +
                                   std::to_string(total) + ")"});
    }
  }
  return ps;
}

std::vector<field_problem> validate_template_body(const template_body& b) {
  template_body tmp;
  return parse_template_body(to_json(b), tmp);
}

json to_json(const template_body& b) {
  json sections = json::array();
  for (const auto& s : b.sections) {
    json items = json::array();
    for (const auto& e : s.items) {
      items.push_back(json{{"item_id", e.item_id},
                           {"item_version", e.item_version},
                           {"time_limit_minutes", e.time_limit_minutes},
                           {"weight", e.weight}});
    }
    sections.push_back(json{{"title", s.title}, {"items", std::move(items)}});
  }
  return json{{"instructions", b.instructions}, {"sections", std::move(sections)}};
}

int total_minutes(const template_body& b) noexcept {
  // 64-bit and clamped: an unvalidated body may hold anything.
  std::int64_t sum = 0;
  for (const auto& s : b.sections) {
    for (const auto& e : s.items) {
      sum += e.time_limit_minutes;
      if (sum > std::numeric_limits<int>::max()) return std::numeric_limits<int>::max();
      if (sum < std::numeric_limits<int>::min()) return std::numeric_limits<int>::min();
    }
  }
  return static_cast<int>(sum);
}

// ---- the template version FSM ------------------------------------------------------------------

std::string_view to_string(template_state s) noexcept {
  switch (s) {
    case template_state::draft: return "draft";
    case template_state::pending_approval: return "pending_approval";
    case template_state::approved: return "approved";
    case template_state::superseded: return "superseded";
  }
  return "unknown";
}

std::string_view to_string(template_event e) noexcept {
  switch (e) {
    case template_event::submit: return "submit";
    case template_event::approve: return "approve";
    case template_event::request_changes: return "request_changes";
    case template_event::supersede: return "supersede";
  }
  return "unknown";
}

std::optional<template_state> parse_template_state(std::string_view s) noexcept {
  for (auto v : all_template_states) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

std::optional<template_event> parse_template_event(std::string_view s) noexcept {
  for (auto v : all_template_events) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

result<template_state> decide_template(template_state from, template_event e,
                                       const template_actor& who, bool internal) {
  const auto illegal = [&] {
    return hw::error{errc::illegal_transition, "cannot " + std::string{to_string(e)} +
                                                 " a template version in state " +
                                                 std::string{to_string(from)}};
  };
  switch (e) {
    case template_event::submit:
      if (from != template_state::draft) return illegal();
      if (!who.may_update) {
        return hw::error{errc::forbidden,
                         "submitting a template needs the template.update permission"};
      }
      return template_state::pending_approval;
    case template_event::approve:
    case template_event::request_changes:
      if (from != template_state::pending_approval) return illegal();
      if (!who.may_approve) {
        return hw::error{errc::forbidden,
                         "reviewing a template needs the template.approve permission"};
      }
      return e == template_event::approve ? template_state::approved : template_state::draft;
    case template_event::supersede:
      if (!internal) {
        return hw::error{errc::illegal_transition,
                         "a template version is superseded only when a newer one is approved"};
      }
      if (from != template_state::approved) return illegal();
      return template_state::superseded;
  }
  return illegal();
}

}  // namespace hw::domain
