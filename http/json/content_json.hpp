#pragma once
// http-internal: the JSON views of interview content (issue 5), one function per view struct of
// actors/domain/content_service.hpp. Every field is always present (null when the view has no
// value); item and template bodies go out as the service gave them. Shapes: http/API.md,
// "Interview content".
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content_service.hpp"

namespace hw::http_api {

nlohmann::json item_version_json(const item_version_view& v);
/// {id, job_id, variant_of, latest, approved_version, versions: [{number, state}], version}.
nlohmann::json item_json(const item_view& v);
nlohmann::json item_summary_json(const item_summary& s);
/// {items: [summary], next_cursor, total}.
nlohmann::json item_page_json(const item_page& p);
nlohmann::json comment_json(const comment_view& c);
nlohmann::json skill_json(const skill_view& s);
nlohmann::json import_result_json(const library_import_result& r);

nlohmann::json template_entry_json(const template_entry_view& e);
nlohmann::json template_version_json(const template_version_view& v);
/// {id, job_id, latest, approved_version, approved_version_id, versions: [{number, state}], version}.
nlohmann::json template_json(const template_view& t);

/// The key itself never: only `has_api_key`.
nlohmann::json llm_settings_json(const llm_settings_view& s);

/// [{number, state}], newest first as given.
nlohmann::json version_list_json(const std::vector<std::pair<std::int32_t, std::string>>& versions);

}  // namespace hw::http_api
