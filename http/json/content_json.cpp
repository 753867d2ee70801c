#include "http/json/content_json.hpp"

#include <string>

namespace hw::http_api {

namespace {

using json = nlohmann::json;

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

template <class T>
json opt_num(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json version_list_json(const std::vector<std::pair<std::int32_t, std::string>>& versions) {
  json out = json::array();
  for (const auto& [number, state] : versions) out.push_back({{"number", number}, {"state", state}});
  return out;
}

json item_version_json(const item_version_view& v) {
  return {
    {"number", v.number},
    {"state", v.state},
    {"body", v.body},
    {"author_id", v.author_id},
    {"author_name", v.author_name},
    {"reviewed_by", opt(v.reviewed_by)},
    {"reviewed_at", opt(v.reviewed_at)},
    {"origin", v.origin},
    {"created_at", v.created_at},
    {"updated_at", v.updated_at},
  };
}

json item_json(const item_view& v) {
  return {
    {"id", v.id},
    {"job_id", opt(v.job_id)},
    {"variant_of", opt(v.variant_of)},
    {"latest", item_version_json(v.latest)},
    {"approved_version", opt_num(v.approved_version)},
    {"versions", version_list_json(v.versions)},
    {"version", v.version},
  };
}

json item_summary_json(const item_summary& s) {
  return {
    {"id", s.id},
    {"latest_version", s.latest_version},
    {"approved_version", opt_num(s.approved_version)},
    {"state", s.state},
    {"kind", s.kind},
    {"title", s.title},
    {"difficulty", s.difficulty},
    {"expected_minutes", s.expected_minutes},
    {"skills", s.skills},
    {"seniorities", s.seniorities},
    {"categories", s.categories},
    {"author_id", s.author_id},
    {"author_name", s.author_name},
    {"job_id", opt(s.job_id)},
    {"origin", s.origin},
    {"updated_at", s.updated_at},
    {"version", s.version},
  };
}

json item_page_json(const item_page& p) {
  json items = json::array();
  for (const auto& s : p.items) items.push_back(item_summary_json(s));
  return {{"items", std::move(items)}, {"next_cursor", opt(p.next_cursor)}, {"total", opt_num(p.total)}};
}

json comment_json(const comment_view& c) {
  return {
    {"id", c.id},
    {"item_version", c.item_version},
    {"author_id", c.author_id},
    {"author_name", c.author_name},
    {"text", c.text},
    {"created_at", c.created_at},
  };
}

json skill_json(const skill_view& s) {
  return {{"slug", s.slug}, {"label", s.label}, {"synonyms", s.synonyms}, {"category", s.category},
          {"custom", s.custom}};
}

json import_result_json(const library_import_result& r) {
  return {{"created", r.created}, {"skipped", r.skipped}, {"item_ids", r.item_ids}};
}

json template_entry_json(const template_entry_view& e) {
  return {
    {"item_id", e.item_id},
    {"item_version", e.item_version},
    {"time_limit_minutes", e.time_limit_minutes},
    {"weight", e.weight},
    {"item_state", e.item_state},
    {"body", e.body},
    {"candidate", e.candidate},
  };
}

json template_version_json(const template_version_view& v) {
  json sections = json::array();
  for (const auto& s : v.sections) {
    json items = json::array();
    for (const auto& e : s.items) items.push_back(template_entry_json(e));
    sections.push_back({{"title", s.title}, {"items", std::move(items)}});
  }
  return {
    {"number", v.number},
    {"state", v.state},
    {"instructions", v.instructions},
    {"sections", std::move(sections)},
    {"total_minutes", v.total_minutes},
    {"blocking", v.blocking},
    {"saved_by", v.saved_by},
    {"submitted_by", opt(v.submitted_by)},
    {"approved_by", opt(v.approved_by)},
    {"approved_at", opt(v.approved_at)},
    {"updated_at", v.updated_at},
  };
}

json template_json(const template_view& t) {
  return {
    {"id", t.id},
    {"job_id", t.job_id},
    {"latest", template_version_json(t.latest)},
    {"approved_version", opt_num(t.approved_version)},
    {"approved_version_id", opt(t.approved_version_id)},
    {"versions", version_list_json(t.versions)},
    {"version", t.version},
  };
}

json llm_settings_json(const llm_settings_view& s) {
  return {
    {"enabled", s.enabled},
    {"base_url", s.base_url},
    {"model", s.model},
    {"has_api_key", s.has_api_key},
    {"timeout_seconds", s.timeout_seconds},
    {"version", s.version},
  };
}

}  // namespace hw::http_api
