#pragma once
// The CAF-free interface http/ calls for interview content (issue 5): the question and challenge
// library with versions and review, skills, job interview templates with approval, and proposals
// generated from a job's description. Implemented by actors/content/content_service_impl (storage
// calls on the db pool; generation on a blocking worker). Callbacks run on an actor thread: never
// block in them (http/ posts back onto its strand).
//
// Rules every implementation keeps:
// - org-scoped; an id of another organization answers not_found (never forbidden).
// - http/ checked the route's action (permissions matrix) and passes what the principal may do in
//   `content_rights`; the service enforces the per-object guards (nobody reviews their own item).
// - Bodies arrive as JSON (nlohmann) and are parsed with domain::parse_item_body /
//   parse_template_body: invalid_argument lists every problem (detail) — nothing is written.
// - Writes take if_match (the object's `version`; nullopt: no precondition) and answer
//   precondition_failed when stale; concurrent writers: exactly one wins (CAS in storage).
// - Every state change and every write is in the audit log (content.item_created,
//   content.item_updated, content.item_submitted/approved/changes_requested/archived,
//   content.comment_added, content.skill_added, content.library_imported,
//   template.saved/submitted/approved/changes_requested, template.proposal_applied,
//   content.llm_settings_updated) with the actor.
// - Times are RFC 3339 UTC text.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/accounts.hpp"  // principal
#include "actors/domain/audit.hpp"     // actor_ref
#include "actors/domain/ids.hpp"
#include "actors/domain/result.hpp"

namespace hw {

template <class T>
using content_callback = std::function<void(result<T>)>;

/// What the caller may do (from the permission matrix, filled by http/).
struct content_rights {
  std::string user_id;  // the principal's user id ("" for API keys: they may not review)
  bool content_create = false;
  bool content_approve = false;
  bool template_update = false;
  bool template_approve = false;
  bool skill_manage = false;
};

// ---- library -----------------------------------------------------------------------------------

struct item_version_view {
  std::int32_t number = 1;
  std::string state;  // draft | in_review | changes_requested | approved | archived
  nlohmann::json body;  // domain::to_json(content_item_body)
  std::string author_id;      // "" for the starter library
  std::string author_name;    // display name ("hirewire starter library")
  std::optional<std::string> reviewed_by;    // user id of the approver / change requester
  std::optional<std::string> reviewed_at;
  std::string origin;  // "manual" | "starter:v1" | "import" | "generated from job <id> by rule <r>" / "by model <m>"
  std::string created_at;
  std::string updated_at;
};

struct item_view {
  std::string id;
  std::optional<std::string> job_id;  // a job-local variant (custom wording for one job)
  std::optional<std::string> variant_of;  // "<item id>@v<n>" it was derived from
  item_version_view latest;                   // the newest version (what editors work on)
  std::optional<std::int32_t> approved_version;  // the newest approved version number
  std::vector<std::pair<std::int32_t, std::string>> versions;  // (number, state), newest first
  std::int64_t version = 1;  // CAS token of the item (bumped by every write to any version)
};

struct item_summary {
  std::string id;
  std::int32_t latest_version = 1;
  std::optional<std::int32_t> approved_version;
  std::string state;  // of the latest version
  std::string kind;
  std::string title;
  std::string difficulty;
  int expected_minutes = 0;
  std::vector<std::string> skills;
  std::vector<std::string> seniorities;
  std::vector<std::string> categories;
  std::string author_id;
  std::string author_name;
  std::optional<std::string> job_id;
  std::string origin;
  std::string updated_at;
  std::int64_t version = 1;
};

struct item_filter {
  std::optional<std::string> q;  // full text (title, prompt, rubric; PostgreSQL websearch syntax)
  std::optional<std::string> skill;  // canonicalized (synonyms accepted)
  std::optional<std::string> seniority;
  std::optional<std::string> category;
  std::optional<std::string> kind;
  std::optional<std::string> state;  // of the latest version; "approved" also matches items with
                                     // an approved version and a newer draft (approved_version set)
  std::optional<std::string> author;  // user id
  std::optional<std::string> job_id;  // variants of one job; absent: library items only (no variants)
  bool include_archived = false;
  int limit = 50;  // 1..200
  std::optional<std::string> cursor;  // opaque
};

struct item_page {
  std::vector<item_summary> items;
  std::optional<std::string> next_cursor;
  std::optional<std::int64_t> total;  // exact count when cheap (no q), else absent
};

struct comment_view {
  std::int64_t id = 0;
  std::int32_t item_version = 1;
  std::string author_id;
  std::string author_name;
  std::string text;  // plain text 1..5000
  std::string created_at;
};

struct skill_view {
  std::string slug;
  std::string label;
  std::vector<std::string> synonyms;
  std::string category;
  bool custom = false;
};

struct library_import_result {
  int created = 0;
  int skipped = 0;  // starter library: items already loaded (same starter key) are skipped
  std::vector<std::string> item_ids;
};

// ---- templates -----------------------------------------------------------------------------------

/// One entry resolved for display: the referenced version's body (the full body for editors; the
/// SPA's candidate preview uses `candidate` = domain::candidate_view of it).
struct template_entry_view {
  std::string item_id;
  std::int32_t item_version = 1;
  int time_limit_minutes = 0;
  int weight = 1;
  std::string item_state;  // of that version: approved, or why it blocks submission
  nlohmann::json body;
  nlohmann::json candidate;
};

struct template_section_view {
  std::string title;
  std::vector<template_entry_view> items;
};

struct template_version_view {
  std::int32_t number = 1;
  std::string state;  // draft | pending_approval | approved | superseded
  std::string instructions;
  std::vector<template_section_view> sections;
  int total_minutes = 0;
  std::vector<std::string> blocking;  // why submit/approve would be refused now ("item X v2 is in_review")
  std::string saved_by;
  std::optional<std::string> submitted_by;
  std::optional<std::string> approved_by;
  std::optional<std::string> approved_at;
  std::string updated_at;
};

struct template_view {
  std::string id;
  std::string job_id;
  template_version_view latest;
  std::optional<std::int32_t> approved_version;  // what invitations lock onto
  std::optional<std::string> approved_version_id;  // uuid of that version row (issue 6 locks it)
  std::vector<std::pair<std::int32_t, std::string>> versions;  // newest first
  std::int64_t version = 1;  // CAS token of the template
};

// ---- generation ------------------------------------------------------------------------------------

struct proposal_request {
  int target_minutes = 60;
  bool use_llm = false;  // refused (invalid_argument) when the organization has no LLM enabled
};

/// A proposal (nothing stored). `json` is the whole proposal for the SPA:
/// {"profile": {"skills": [{slug,label,mentions,required,evidence}], "seniority", "years",
///   "category", "level_reason"},
///  "entries": [{"source": "library"|"generated", "item_id"?, "item_version"?, "generated_index"?,
///               "section", "time_limit_minutes", "weight", "covers": [slug], "body": {...}}],
///  "generated": [{"body": {...}, "origin", "rule"}],
///  "coverage": [{"skill", "label", "required", "covered", "by": [...]}],
///  "total_minutes", "llm": {"used": bool, "model"?, "dropped": [{"title", "reasons": [...]}]}}
struct proposal_view {
  nlohmann::json json;
};

/// POST .../template/proposal/apply: the (possibly edited) proposal to store: generated bodies are
/// created as draft items (origin recorded; author = the caller) and, when `submit_generated`,
/// submitted for review; the template's draft version is saved with the sections in order.
/// Body JSON: {"instructions": "...", "submit_generated": true,
///   "sections": [{"title", "items": [ {"item_id", "item_version", "time_limit_minutes", "weight"}
///                                    | {"generated": {body}, "origin", "rule", "time_limit_minutes", "weight"} ]}]}
struct proposal_apply {
  nlohmann::json json;
};

struct llm_settings_view {
  bool enabled = false;
  std::string base_url;  // https://.../v1 (chat/completions is appended)
  std::string model;
  bool has_api_key = false;  // the key is write-only
  int timeout_seconds = 30;
  std::int64_t version = 1;
};

struct llm_settings_patch {
  std::optional<bool> enabled;
  std::optional<std::string> base_url;
  std::optional<std::string> model;
  std::optional<std::string> api_key;  // "" clears it
  std::optional<int> timeout_seconds;  // 1..120
};

class content_service {
 public:
  virtual ~content_service() = default;

  // Library items.
  virtual void list_items(org_id org, item_filter f, content_callback<item_page> cb) = 0;
  virtual void get_item(org_id org, std::string item_id, std::optional<std::int32_t> version,
                        content_callback<item_view> cb) = 0;  // version: that one as `latest`
  virtual void create_item(org_id org, nlohmann::json body, content_rights r, actor_ref who,
                           content_callback<item_view> cb) = 0;
  /// Edits the latest version in place when editable, else (approved) creates version n+1 as a
  /// draft. Archived items: illegal_transition.
  virtual void update_item(org_id org, std::string item_id, nlohmann::json body,
                           std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                           content_callback<item_view> cb) = 0;
  /// event: submit | approve | request_changes | archive, on the latest version. `comment` is
  /// stored as a review comment (required for request_changes).
  virtual void transition_item(org_id org, std::string item_id, std::string event,
                               std::optional<std::string> comment, std::optional<std::int64_t> if_match,
                               content_rights r, actor_ref who, content_callback<item_view> cb) = 0;
  /// A job-local variant: a new item (job_id set, variant_of recorded) whose first draft is the
  /// source version with the given body (the custom wording); it needs its own approval.
  virtual void create_variant(org_id org, std::string item_id, std::int32_t from_version, std::string job_id,
                              nlohmann::json body, content_rights r, actor_ref who,
                              content_callback<item_view> cb) = 0;
  virtual void list_comments(org_id org, std::string item_id, content_callback<std::vector<comment_view>> cb) = 0;
  virtual void add_comment(org_id org, std::string item_id, std::string text, content_rights r, actor_ref who,
                           content_callback<comment_view> cb) = 0;

  // Library as a whole.
  /// The shipped starter library into this org: items land as in_review (origin "starter:v1",
  /// author ""), so any reviewer may approve them; items already loaded are skipped.
  virtual void load_starter_library(org_id org, content_rights r, actor_ref who,
                                    content_callback<library_import_result> cb) = 0;
  /// {"format": "hirewire.library.v1", "items": [{"id", "version", "state", "origin", "body"}]}:
  /// the latest approved version of every non-archived library item (not variants).
  virtual void export_library(org_id org, content_callback<nlohmann::json> cb) = 0;
  /// The export format (ids ignored): all-or-nothing; items land as drafts (origin "import") by
  /// the caller; invalid_argument lists problems as "/items/3/title: ...".
  virtual void import_library(org_id org, nlohmann::json doc, content_rights r, actor_ref who,
                              content_callback<library_import_result> cb) = 0;

  // Skills.
  virtual void list_skills(org_id org, content_callback<std::vector<skill_view>> cb) = 0;
  virtual void add_skill(org_id org, skill_view s, content_rights r, actor_ref who,
                         content_callback<skill_view> cb) = 0;

  // Templates (one per job posting; created by the first save).
  virtual void get_template(org_id org, std::string job_id, std::optional<std::int32_t> version,
                            content_callback<template_view> cb) = 0;  // not_found: no template yet
  virtual void save_template(org_id org, std::string job_id, nlohmann::json body,
                             std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                             content_callback<template_view> cb) = 0;
  /// event: submit | approve | request_changes on the latest version. Submit and approve check
  /// every entry: a version of this org's item, approved (archived items' approved versions stay
  /// valid for templates approved before); refusals list the blocking entries. Approving marks the
  /// job posting as having an approved template (the job posting actor re-reads it: "ready"
  /// requires one) and supersedes the previous approved version.
  virtual void transition_template(org_id org, std::string job_id, std::string event,
                                   std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                   content_callback<template_view> cb) = 0;

  // Generation.
  virtual void propose_template(org_id org, std::string job_id, proposal_request req,
                                content_callback<proposal_view> cb) = 0;
  virtual void apply_proposal(org_id org, std::string job_id, proposal_apply req,
                              std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                              content_callback<template_view> cb) = 0;

  // Per-organization LLM provider (off by default).
  virtual void get_llm_settings(org_id org, content_callback<llm_settings_view> cb) = 0;
  virtual void update_llm_settings(org_id org, llm_settings_patch patch, std::optional<std::int64_t> if_match,
                                   actor_ref who, content_callback<llm_settings_view> cb) = 0;
};

}  // namespace hw
