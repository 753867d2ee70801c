#pragma once
// PURE (STL + nlohmann/json, no I/O): interview content (issue 5). Library items (questions and
// coding challenges), their tags and validation, the review state machine of an item version, job
// interview templates and their state machine. Implemented in content.cpp,
// content_review_fsm.cpp and interview_template.cpp; unit-tested in tests/unit/content_*_test.cpp.
//
// THE JSON SHAPE OF AN ITEM BODY (API request/response "body", library import/export, the shipped
// starter library actors/domain/data/starter_library.json, LLM output after parsing):
//   {
//     "kind": "behavioral" | "technical" | "system_design" | "coding",
//     "title": "1..200 chars, no control characters",
//     "prompt": "Markdown, 1..20000 chars (rendered by the SPA through a sanitizer; never HTML-trusted)",
//     "rubric": {"strong": "...", "acceptable": "...", "weak": "..."},  // each 1..5000 chars
//     "expected_minutes": 1..240,
//     "difficulty": "easy" | "medium" | "hard",
//     "skills": ["postgresql", ...],          // 1..20 canonical skill slugs (see skill_taxonomy)
//     "seniorities": ["junior", "mid"],       // 1..5 of intern junior mid senior staff_plus
//     "categories": ["engineering"],          // 1..4 of the job_category names below
//     "coding": {                             // required iff kind == "coding", refused otherwise
//       "io": "stdin_stdout" | "json",        // json: every input and expected_output must parse
//       "languages": ["python", "javascript"],// 1..12 of the supported languages below, no repeats
//       "starter_code": {"python": "def solve(...):\n    ..."},  // keys ⊆ languages, ≤ 20000 chars
//       "test_cases": [                       // 1..50; ≥ 1 visible and ≥ 1 hidden; names unique
//         {"name": "1..100 chars", "input": "≤ 100000 chars", "expected_output": "≤ 100000 chars",
//          "visible": true, "weight": 1..100}
//       ]
//     }
//   }
// Reading rules: null is the same as absent; every key is required except coding.io (default
// "stdin_stdout"), coding.starter_code (default {}) and a test case's weight (default 1); skills,
// seniorities, categories and languages hold no repeats; integers must be JSON integers (10.0 is refused);
// titles and names allow no control characters, prompt / rubric / starter code allow only tab and
// line breaks, test input and output anything but NUL (jsonb refuses \u0000); required texts must
// not be blank.
// Unknown keys are refused (a typo must not silently drop data). Validation returns EVERY
// problem at once, each with a JSON-pointer-like path ("/coding/test_cases/2/input") so the SPA
// can mark the field; the service turns them into one invalid_argument whose detail lists them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "actors/domain/result.hpp"

namespace hw::domain {

enum class content_kind : std::uint8_t { behavioral, technical, system_design, coding };
enum class difficulty : std::uint8_t { easy, medium, hard };
enum class seniority : std::uint8_t { intern, junior, mid, senior, staff_plus };
/// Job categories (tags and the generator's classification).
enum class job_category : std::uint8_t {
  engineering, data, product, design, sales, support, marketing, operations
};
enum class test_io : std::uint8_t { stdin_stdout, json };

std::string_view to_string(content_kind) noexcept;
std::string_view to_string(difficulty) noexcept;
std::string_view to_string(seniority) noexcept;   // "staff_plus" (the SPA labels it "Staff+")
std::string_view to_string(job_category) noexcept;
std::string_view to_string(test_io) noexcept;
std::optional<content_kind> parse_content_kind(std::string_view) noexcept;
std::optional<difficulty> parse_difficulty(std::string_view) noexcept;
std::optional<seniority> parse_seniority(std::string_view) noexcept;  // also accepts "staff+"
std::optional<job_category> parse_job_category(std::string_view) noexcept;
std::optional<test_io> parse_test_io(std::string_view) noexcept;

/// Languages a coding challenge may allow (stable names; the portal's editor modes use them).
inline constexpr std::string_view supported_languages[] = {
  "python", "javascript", "typescript", "java", "go", "cpp", "csharp", "ruby", "rust", "kotlin",
  "swift", "sql"};
bool is_supported_language(std::string_view) noexcept;

struct test_case {
  std::string name;
  std::string input;
  std::string expected_output;
  bool visible = true;
  int weight = 1;
};

struct coding_spec {
  test_io io = test_io::stdin_stdout;
  std::vector<std::string> languages;
  std::map<std::string, std::string> starter_code;
  std::vector<test_case> test_cases;
};

struct rubric {
  std::string strong;
  std::string acceptable;
  std::string weak;
};

struct content_item_body {
  content_kind kind = content_kind::technical;
  std::string title;
  std::string prompt;  // Markdown
  rubric guidance;
  int expected_minutes = 10;
  difficulty level = difficulty::medium;
  std::vector<std::string> skills;  // canonical slugs
  std::vector<seniority> seniorities;
  std::vector<job_category> categories;
  std::optional<coding_spec> coding;  // iff kind == coding
};

/// One validation problem: where and what ("/title", "must be 1..200 characters"). The path is
/// "" for the body itself. Messages never repeat the offending value.
struct field_problem {
  std::string path;
  std::string message;
};

// Member-wise equality (the round-trip tests and the service's "did the body change" check).
bool operator==(const test_case& a, const test_case& b) noexcept;
bool operator==(const coding_spec& a, const coding_spec& b) noexcept;
bool operator==(const rubric& a, const rubric& b) noexcept;
bool operator==(const content_item_body& a, const content_item_body& b) noexcept;
bool operator==(const field_problem& a, const field_problem& b) noexcept;
inline bool operator!=(const content_item_body& a, const content_item_body& b) noexcept {
  return !(a == b);
}

/// Parses the JSON shape above. Structural problems (wrong types, unknown keys, bad enum names)
/// and rule problems (lengths, ranges, coding rules, json io that does not parse) are all listed;
/// an empty vector means `out` is valid (otherwise `out` holds what could be read). Never throws.
/// Skill slugs are checked for shape only (^[a-z0-9][a-z0-9+#.-]{0,49}$); the service
/// canonicalizes them against the taxonomy first.
std::vector<field_problem> parse_item_body(const nlohmann::json& j, content_item_body& out);
/// Validates an already-built body with the same rules (used for generated items): the problems
/// of parse_item_body(to_json(b)). Also catches what JSON cannot carry (invalid UTF-8, an enum
/// value out of range).
std::vector<field_problem> validate_item_body(const content_item_body& b);
/// The JSON shape above (canonical key order, enums as names). parse(to_json(b)) == b.
nlohmann::json to_json(const content_item_body& b);
/// One detail line for errc::invalid_argument: "/title: must be 1..200 characters; /coding/..."
/// ("body: ..." for the path ""; at most 30 problems, then "; and N more").
std::string describe(const std::vector<field_problem>& problems);
/// What a candidate sees: no rubric, no hidden test cases (their count stays), no weights.
///   {"kind", "title", "prompt", "expected_minutes",
///    "coding": {"io", "languages", "starter_code",
///               "test_cases": [{"name", "input", "expected_output"}] (visible ones, in order),
///               "hidden_test_cases": n}}            // "coding" only for coding challenges
/// Difficulty and tags (skills, seniorities, categories) are internal and left out too.
nlohmann::json candidate_view(const content_item_body& b);

// ---- review workflow of ONE item version (pure state machine) -----------------------------------
//
//   draft --submit--> in_review --approve--> approved
//     ^                  |  \--request_changes--> changes_requested --submit--> in_review
//     +----(edit)--------+                               |
//   any non-archived --archive--> archived (a sink)      +--(edit: stays changes_requested)
//
// Editing an in_review version puts it back to draft (the reviewer must see the new text);
// editing an approved version is never in place: the service creates version n+1 as a draft.
// Guards: approve and request_changes need action content_approve and an actor who is NOT the
// version's author (errc::forbidden, detail "you cannot review your own item"); submit needs
// content_create; archive needs content_approve or being the author. Every transition is audited.
enum class review_state : std::uint8_t { draft, in_review, changes_requested, approved, archived };
enum class review_event : std::uint8_t { submit, approve, request_changes, archive };
inline constexpr review_state all_review_states[] = {
  review_state::draft, review_state::in_review, review_state::changes_requested,
  review_state::approved, review_state::archived};
inline constexpr review_event all_review_events[] = {
  review_event::submit, review_event::approve, review_event::request_changes,
  review_event::archive};

std::string_view to_string(review_state) noexcept;
std::string_view to_string(review_event) noexcept;
std::optional<review_state> parse_review_state(std::string_view) noexcept;
std::optional<review_event> parse_review_event(std::string_view) noexcept;

struct review_actor {
  std::string user_id;       // who asks
  bool may_create = false;   // holds content_create
  bool may_approve = false;  // holds content_approve
};

/// The next state, or: illegal_transition (no edge), forbidden (guard: own item, missing right).
/// `author_user_id` is the version's author ("" for the shipped starter library: anyone with
/// content_approve may review it). The edge is checked first (illegal_transition), then the guard.
/// An empty `who.user_id` is never the author and may not approve / request changes (the own-item
/// rule needs an identity).
result<review_state> decide_review(review_state from, review_event e, const review_actor& who,
                                   std::string_view author_user_id);
/// True when the version's body may be edited in place (draft, changes_requested, in_review→draft).
bool editable_in_place(review_state s) noexcept;

// ---- job interview templates ----------------------------------------------------------------------
//
// JSON shape of a template version body (API, storage jsonb):
//   {"instructions": "Markdown shown to candidates, ≤ 10000 chars",
//    "sections": [ {"title": "1..120 chars",
//                   "items": [ {"item_id": "uuid", "item_version": 1..,
//                               "time_limit_minutes": 1..240, "weight": 1..100} ] } ] }
// Rules: 1..20 sections, 1..60 items in all, an item (id) at most once, total time (the sum of
// time limits) 5..480 minutes. Whether each referenced version exists, belongs to the org and is
// approved is checked by the service against storage (submit and approve both check).
struct template_entry {
  std::string item_id;  // lower-case uuid
  std::int32_t item_version = 1;
  int time_limit_minutes = 10;
  int weight = 1;
};
struct template_section {
  std::string title;
  std::vector<template_entry> items;
};
struct template_body {
  std::string instructions;
  std::vector<template_section> sections;
};

bool operator==(const template_entry& a, const template_entry& b) noexcept;
bool operator==(const template_section& a, const template_section& b) noexcept;
bool operator==(const template_body& a, const template_body& b) noexcept;

/// Like parse_item_body (every problem with its path, never throws). "instructions" may be
/// absent (""), an entry's "weight" too (1); every section needs at least one item; item_id must
/// be a lower-case uuid; a repeated item is reported at its later occurrence.
std::vector<field_problem> parse_template_body(const nlohmann::json& j, template_body& out);
/// parse_template_body(to_json(b)).
std::vector<field_problem> validate_template_body(const template_body& b);
nlohmann::json to_json(const template_body& b);
/// The sum of the entries' time limits (saturating: never overflows on an unvalidated body).
int total_minutes(const template_body& b) noexcept;

//   draft --submit--> pending_approval --approve--> approved --(a newer version approved)--> superseded
//                         \--request_changes--> draft
// Guards: submit needs template_update; approve / request_changes need template_approve. Editing a
// draft is in place; editing when the latest version is pending_approval puts it back to draft;
// editing when the latest is approved creates version n+1 as a draft (the approved one stays what
// invitations lock onto until the new one is approved, which supersedes it).
enum class template_state : std::uint8_t { draft, pending_approval, approved, superseded };
enum class template_event : std::uint8_t { submit, approve, request_changes, supersede };
inline constexpr template_state all_template_states[] = {
  template_state::draft, template_state::pending_approval, template_state::approved,
  template_state::superseded};
inline constexpr template_event all_template_events[] = {
  template_event::submit, template_event::approve, template_event::request_changes,
  template_event::supersede};

std::string_view to_string(template_state) noexcept;
std::string_view to_string(template_event) noexcept;
std::optional<template_state> parse_template_state(std::string_view) noexcept;
std::optional<template_event> parse_template_event(std::string_view) noexcept;

struct template_actor {
  bool may_update = false;   // template_update
  bool may_approve = false;  // template_approve
};
/// supersede is internal (the service applies it to the previous approved version); a caller
/// asking for it gets illegal_transition.
result<template_state> decide_template(template_state from, template_event e, const template_actor& who,
                                       bool internal = false);

}  // namespace hw::domain
