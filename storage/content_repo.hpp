#pragma once
// Interview content (issue 5, migration 0014): library items and job-local variants with their
// versions and review state, review comments, an organization's custom skills and its LLM
// provider settings. All TENANT tables (org_id first in every key, forced row-level security).
//
// Division of labour: the content service validates bodies (domain::parse_item_body), decides
// review transitions with the pure FSM (domain::decide_review) and calls these functions with the
// decided change and its compare-and-swap preconditions (the item's `version`, and the latest
// version's state it decided from). Storage writes the change and its audit row in ONE
// transaction; a lost CAS is version_conflict. Edits are atomic here: an in_review latest
// version goes back to draft, an approved one gets version n+1 as a draft (domain::
// editable_in_place on the locked row).
//
// A version is usable in a template when it has been approved (approved_at set): approved, or
// approved and later archived with its item (domain/content.hpp: archived items' approved
// versions stay valid).
//
// Audit (target = item id, detail = names and numbers, never text): content.item_created
// {version, origin[, job_id, variant_of]}, content.item_updated {version, new_version: bool,
// from, to}, content.item_submitted / item_approved / item_changes_requested / item_archived
// {version, from, to}, content.comment_added {version, comment_id}, content.skill_added {slug}
// (target = slug), content.library_imported {created, skipped, origin} (target = ""),
// content.llm_settings_updated {fields} (target = ""; never the key).
//
// Every id of another organization, and every malformed id, is not_found. Times are RFC 3339 UTC
// text with microseconds. Blocking: call only from a db worker (or tests).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "actors/domain/audit.hpp"
#include "actors/domain/content.hpp"
#include "actors/domain/content_generation.hpp"  // skill, library_candidate
#include "actors/domain/content_service.hpp"     // item_view, item_page, item_filter, comment_view
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"
#include "storage/job_queue.hpp"  // time_point

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_content_statements(pqxx::connection_base& c);

/// The content of one item version as written. Storage stores domain::to_json(body) and derives
/// the search columns (kind, title, difficulty, minutes, skills, seniorities, categories, text
/// vector) from it. The body must already be valid (the service ran parse_item_body).
struct item_version_write {
  domain::content_item_body body;
  std::string author_id;          // user id; "" for the starter library (anyone may review it)
  std::string author_name;        // display name, 0..200 chars ("hirewire starter library")
  std::string origin = "manual";  // manual | starter:v1 | import | generated from job <id> by ...
};

/// A new item (version 1).
struct new_item {
  item_version_write first;
  domain::review_state state =
      domain::review_state::draft;     // draft, or in_review (starter library)
  std::optional<std::string> item_id;  // caller-chosen uuid (apply_proposal); absent: generated
  std::optional<std::string> job_id;   // a job-local variant (must be a job posting of the org)
  std::optional<std::string> variant_of_item;  // with variant_of_version: the source
  std::optional<std::int32_t> variant_of_version;
  std::optional<std::string> starter_key;  // unique per org; create_items skips an existing one
};

/// Creates one item (version 1) with its audit row. not_found: job_id / variant source not in the
/// org; conflict: item_id or starter_key taken; invalid_argument: a malformed id.
result<item_view> create_item(pqxx::connection_base& c, const org_id& org, const new_item& item,
                              time_point now, const actor_ref& who);

/// The same inside the caller's transaction (apply_template_proposal): checks, inserts and
/// audits one item, returns its id. Throws like any statement; refusals (not_found for job_id or
/// the variant source, invalid_argument) come back as the error.
result<std::string> insert_item(pqxx::transaction_base& tx, const org_id& org, const new_item& item,
                                time_point now, const actor_ref& who);

/// Many items in ONE transaction with one multi-row insert per table (starter library, import):
/// items whose starter_key already exists in the org are skipped (counted in `skipped`), the
/// rest are created in order (`item_ids` = the created ones). One audit row
/// content.library_imported {created, skipped, origin} where origin is `audit_origin`.
/// At most 5000 items per call (invalid_argument beyond).
result<library_import_result> create_items(pqxx::connection_base& c, const org_id& org,
                                           const std::vector<new_item>& items,
                                           const std::string& audit_origin, time_point now,
                                           const actor_ref& who);

/// One item with `latest` = the newest version (or `version` when given: not_found if absent),
/// approved_version, the (number, state) list newest first and the CAS token.
result<item_view> get_item(pqxx::connection_base& c, const org_id& org, const std::string& item_id,
                           std::optional<std::int32_t> version = std::nullopt);

/// Search (one statement over the denormalized latest-version columns and their term index).
/// Filters as in item_filter: q = websearch_to_tsquery('english', q) over title (A), prompt (B)
/// and rubric (C), ordered by recency like the others (only stop words: an empty page); skill
/// (exact slug, the service canonicalizes), seniority, category, kind, state (of the latest
/// version; "approved" also matches items with an approved version and a newer draft), author
/// (user id), job_id (that job's variants; absent: library items only), include_archived, limit
/// 1..200, cursor (keyset over updated_at DESC, item_id DESC). total: set when the first page holds
/// every match (counting a larger result would scan the organization's items). A bad value is
/// invalid_argument naming the field.
result<item_page> list_items(pqxx::connection_base& c, const org_id& org, const item_filter& f);

/// An edit of the latest version, CAS on the item's `expected_version` (version_conflict when it
/// moved): draft / changes_requested → in place (state kept); in_review → in place, back to
/// draft; approved → version n+1 as a draft (n stays approved); archived → illegal_transition.
/// The version's author becomes `w.author_*` only for a new version (in place keeps the author;
/// origin likewise). Audit content.item_updated.
result<item_view> update_item(pqxx::connection_base& c, const org_id& org,
                              const std::string& item_id, std::int64_t expected_version,
                              const item_version_write& w, time_point now, const actor_ref& who);

/// Stores a decided review step of the LATEST version: CAS on the item's `expected_version`, the
/// latest version's number `expected_number` and its state `from` (version_conflict otherwise).
/// approve: approved_version = that number, reviewed_by/at = reviewer, approved_at set;
/// request_changes: reviewed_by/at; archive: the item is archived (an approved version keeps
/// approved_at). `comment` (1..5000 chars) is stored as a review comment by reviewer_id/
/// reviewer_name in the same transaction. Audit content.item_<event past tense> as above.
struct item_step {
  std::int64_t expected_version = 1;
  std::int32_t expected_number = 1;
  domain::review_state from = domain::review_state::draft;
  domain::review_state to = domain::review_state::in_review;
  domain::review_event event = domain::review_event::submit;
  std::string reviewer_id;  // the acting user ("" for api keys / system)
  std::string reviewer_name;
  std::optional<std::string> comment;
};
result<item_view> apply_item_step(pqxx::connection_base& c, const org_id& org,
                                  const std::string& item_id, const item_step& step, time_point now,
                                  const actor_ref& who);

/// Comments of an item, oldest first. not_found for the item.
result<std::vector<comment_view>> list_comments(pqxx::connection_base& c, const org_id& org,
                                                const std::string& item_id);
/// A comment on the item's latest version (text 1..5000 chars, else invalid_argument).
result<comment_view> add_comment(pqxx::connection_base& c, const org_id& org,
                                 const std::string& item_id, const std::string& author_id,
                                 const std::string& author_name, const std::string& text,
                                 time_point now, const actor_ref& who);

/// The org's custom skills (custom = true), by slug.
result<std::vector<domain::skill>> list_custom_skills(pqxx::connection_base& c, const org_id& org);
/// Adds one (the service validated it against the taxonomy): conflict when the slug exists.
result<domain::skill> add_custom_skill(pqxx::connection_base& c, const org_id& org,
                                       const domain::skill& s, time_point now,
                                       const actor_ref& who);

/// One exported item: the latest approved version of a non-archived library item.
struct exported_item {
  std::string id;
  std::int32_t version = 1;
  std::string state;  // of that version ("approved")
  std::string origin;
  nlohmann::json body;
};
/// Every non-archived library item (not variants) with an approved version, oldest first.
result<std::vector<exported_item>> export_library(pqxx::connection_base& c, const org_id& org);

/// What the proposer may use: the approved version of every non-archived library item whose
/// skills overlap `skills` (empty: all), at most `limit` (1..5000), newest first. Bodies that
/// no longer parse are skipped.
result<std::vector<domain::library_candidate>> list_library_candidates(
    pqxx::connection_base& c, const org_id& org, const std::vector<std::string>& skills,
    int limit = 2000);

/// Item versions by (item id, number), for resolving template entries: what exists in the org.
struct item_version_ref {
  std::string item_id;
  std::int32_t number = 1;
};
struct resolved_item_version {
  std::string item_id;
  std::int32_t number = 1;
  std::string state;    // of the version
  bool usable = false;  // approved_at set (approved, or approved before its item was archived)
  bool item_archived = false;
  nlohmann::json body;
};
/// The refs that exist in the org (missing / malformed / foreign ones are simply absent), in one
/// query.
result<std::vector<resolved_item_version>> resolve_item_versions(
    pqxx::connection_base& c, const org_id& org, const std::vector<item_version_ref>& refs);

// ---- LLM provider settings (one row per org; absent = defaults, disabled)
// -------------------------

struct llm_settings_record {
  bool enabled = false;
  std::string base_url;
  std::string model;
  std::optional<std::string> api_key_sealed;  // raw sealed bytes (credential_box); never logged
  int timeout_seconds = 30;
  std::int64_t version = 0;  // 0: no row yet
  std::optional<std::string> updated_at;
};
result<llm_settings_record> get_llm_settings(pqxx::connection_base& c, const org_id& org);
/// Writes the whole record (the service merged the patch and sealed the key), CAS on
/// `expected_version` (0 = create; version_conflict when it moved). Audit
/// content.llm_settings_updated {fields: names that changed ("api_key" for the key)}; a write
/// that changes nothing writes nothing.
result<llm_settings_record> put_llm_settings(pqxx::connection_base& c, const org_id& org,
                                             const llm_settings_record& s,
                                             std::int64_t expected_version, time_point now,
                                             const actor_ref& who);

}  // namespace hw::storage
