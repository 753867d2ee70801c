#pragma once
// PURE (STL + nlohmann/json, no I/O): proposing an interview from a job description (issue 5).
//   skill_taxonomy    the shipped skills (actors/domain/data/skills.json, embedded at build time)
//                     with synonyms ("k8s" -> kubernetes, "postgres" -> postgresql) plus an
//                     organization's own skills
//   extract_profile   job title + description (HTML) + requirements -> skills, seniority, category
//   propose_template  profile + approved library items + per-skill question patterns
//                     (actors/domain/data/question_patterns.json) -> an ordered template, generated
//                     draft items for uncovered skills, and the coverage table
//   quality_check     the filters every generated item passes (rule-based and LLM alike)
// Implemented in skill_taxonomy.cpp, job_profile.cpp, template_proposal.cpp, content_quality.cpp;
// tests in tests/unit/content_generation_test.cpp; speed in bench/content (target: a 1,500-word
// description proposes in < 50 ms without an LLM).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/domain/content.hpp"

namespace hw::domain {

// ---- skills ------------------------------------------------------------------------------------

struct skill {
  std::string slug;                   // ^[a-z0-9][a-z0-9+#.-]{0,49}$ ("c++" is "cpp", "c#" is "csharp")
  std::string label;                  // "PostgreSQL"
  std::vector<std::string> synonyms;  // lower-case phrases: "postgres", "psql", "pg"
  job_category category = job_category::engineering;  // the category it mostly signals
  bool custom = false;                // added by the organization (storage), not shipped
};

class skill_taxonomy {
 public:
  /// The shipped taxonomy (≥ 150 skills across engineering, data, product, design, sales,
  /// support, marketing, operations), parsed once from the embedded JSON.
  static const skill_taxonomy& shipped();
  /// shipped() plus an organization's own skills (a custom slug equal to a shipped one is ignored;
  /// a custom synonym never overrides a shipped one).
  skill_taxonomy with(std::vector<skill> custom) const;

  /// "K8s", "kubernetes", "Kubernetes " -> "kubernetes"; unknown -> nullopt. Case- and
  /// whitespace-insensitive, exact phrase (not substring).
  std::optional<std::string> canonical(std::string_view name) const;
  const skill* find(std::string_view slug) const;
  const std::vector<skill>& all() const noexcept;

  // Internal index (phrase -> slug), public for the extractor.
  struct impl;
  std::shared_ptr<const impl> index() const noexcept { return impl_; }

 private:
  std::vector<skill> skills_;
  std::shared_ptr<const impl> impl_;
};

/// An admin's new skill: slug shape as above, label 1..60, ≤ 20 synonyms of 1..60 chars; refused
/// (invalid_argument) when the slug or a synonym already names a shipped skill.
std::vector<field_problem> validate_custom_skill(const skill& s, const skill_taxonomy& base);

// ---- job profile -----------------------------------------------------------------------------------

struct skill_mention {
  std::string slug;
  int mentions = 0;      // occurrences of the skill or a synonym (whole-word, case-insensitive)
  bool required = true;  // false when only found in a "nice to have" / "bonus" / "preferred" part
  std::string evidence;  // the phrase as written in the text (≤ 80 chars around it, no HTML)
};

struct job_profile {
  std::vector<skill_mention> skills;  // most important first (required, then mentions, then order)
  seniority level = seniority::mid;
  std::optional<int> years;           // "5+ years", "at least 3 years of experience"
  job_category category = job_category::engineering;
  std::string level_reason;           // "title says Senior", "5+ years of experience"
};

/// HTML is stripped (tags, entities) before matching. Seniority: the title's words first (intern,
/// junior/associate/graduate, senior/sr, staff/principal/lead/architect), else years (0-1 junior,
/// 2-4 mid, 5-7 senior, 8+ staff_plus), else mid. Category: the title's words, else the majority
/// category of the skills. Linear in the text length (one pass over tokens against the phrase index).
/// Ambiguous one-word names marked "strict" in skills.json ("Go", "R", "C", "REST", "Swift", ...)
/// count only as written (case-sensitive), not glued by '-' / '&' ("Go-to-market", "R&D"), not
/// next to a vetoing word ("Go to", "Series C"), and at a sentence / line / list-item start only
/// before a list context or a technical word ("Go, Rust", "Go and Kubernetes", "Go developer");
/// the longest name wins ("go to market" is go-to-market). See job_profile.cpp, data/README.md.
job_profile extract_profile(std::string_view title, std::string_view description_html,
                            std::string_view requirements, const skill_taxonomy& taxonomy);

// ---- proposal ----------------------------------------------------------------------------------------

/// An approved library version the proposer may use (the service reads them from storage:
/// approved, not archived, matching one of the profile's skills).
struct library_candidate {
  std::string item_id;
  std::int32_t version = 1;
  content_item_body body;
};

/// A per-skill question pattern (data/question_patterns.json): "{skill}" in title/prompt/rubric is
/// replaced by the skill's label. Patterns exist per kind; generic patterns (skill "*") fill in for
/// any skill without its own.
struct question_pattern {
  std::string id;     // "pattern:postgresql:tradeoffs" (recorded in the item's origin)
  std::string skill;  // slug or "*"
  content_item_body body;  // skills/seniorities/categories/difficulty are filled in by the proposer
  std::optional<seniority> min_level;  // used only for profiles at or above this level
  std::vector<job_category> only_categories;  // used only for these profile categories (empty: any)
};
const std::vector<question_pattern>& shipped_patterns();

struct proposal_options {
  int target_minutes = 60;  // the proposer stops adding when the total would exceed it (+10 %)
  int max_items = 12;
  int max_generated = 6;
};

struct proposed_entry {
  // Exactly one of: an approved library version, or a generated draft (index into `generated`).
  std::optional<library_candidate> library;
  std::optional<std::size_t> generated_index;
  std::string section;  // "Technical", "Coding", "System design", "Behavioral"
  int time_limit_minutes = 10;
  int weight = 1;
  std::vector<std::string> covers;  // skill slugs of the profile this entry covers
};

struct generated_item {
  content_item_body body;
  std::string origin;  // "generated from job {job_id} by rule pattern:postgresql:tradeoffs" or
                       // "... by model <model>": the service replaces the literal "{job_id}"
  std::string rule;    // pattern id or "llm:<model>"
};

struct skill_coverage {
  std::string skill;  // slug
  std::string label;
  bool required = true;
  bool covered = false;
  std::vector<std::string> by;  // "library:<item id>@v<n>" / "generated:<index>"
};

struct template_proposal {
  job_profile profile;
  std::vector<proposed_entry> entries;  // in interview order: behavioral, technical, system design, coding
  std::vector<generated_item> generated;
  std::vector<skill_coverage> coverage;  // one row per profile skill, in profile order
  int total_minutes = 0;
};

/// Deterministic (same input, same output). Picks library items by skill coverage (greedy: most
/// uncovered required skills first, then seniority match, then difficulty fit), prefers one
/// behavioral question, generates drafts from patterns only for skills nothing covers, every
/// generated draft passing quality_check against the library and the other drafts.
template_proposal propose_template(const job_profile& profile, const std::vector<library_candidate>& library,
                                   const std::vector<question_pattern>& patterns,
                                   const skill_taxonomy& taxonomy, const proposal_options& opt = {});

// ---- quality filters -------------------------------------------------------------------------------

struct quality_verdict {
  bool ok = true;
  std::vector<std::string> reasons;  // "prompt too short (12 < 40 chars)", "near-duplicate of ..."
};

/// Every generated item (patterns and LLM) passes: validate_item_body; prompt 40..4000 chars and
/// title 8..200; it names (title, prompt or rubric) at least one of `target_skills` (label or a
/// synonym); not a near-duplicate (word-shingle Jaccard ≥ 0.6) of any text in `existing`; no
/// personal data (e-mail addresses, phone numbers, URLs with user info); coding items have ≥ 1
/// visible and ≥ 1 hidden test case and starter code for each language.
quality_verdict quality_check(const content_item_body& item, const std::vector<std::string>& target_skills,
                              const std::vector<std::string>& existing, const skill_taxonomy& taxonomy);

/// Jaccard similarity of word 3-shingles (lower-case, punctuation stripped), in [0, 1].
double shingle_similarity(std::string_view a, std::string_view b);

// ---- optional LLM provider ---------------------------------------------------------------------------

/// What the proposer asks an LLM for: draft items for skills the library does not cover.
struct llm_request {
  std::string job_title;
  job_profile profile;
  std::vector<std::string> skills;  // uncovered skill slugs to write questions for
  int max_items = 6;
};

/// An OpenAI-compatible chat-completions provider (actors/content/openai_provider) or a test fake.
/// Blocking: the service calls it off the actor threads, bounded by its own timeout. Answers the
/// parsed items (before quality_check) or an error (unavailable / timeout / invalid_argument when
/// the model's output is not the asked JSON).
class llm_provider {
 public:
  virtual ~llm_provider() = default;
  virtual std::string model() const = 0;
  virtual result<std::vector<content_item_body>> generate(const llm_request& req) = 0;
};

}  // namespace hw::domain
