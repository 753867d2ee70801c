#pragma once
// hw::content_service (actors/domain/content_service.hpp) on the actor system. Storage calls run
// as db_tasks on the db pool (storage/content_repo, storage/interview_template_repo), each answer
// bounded by db_timeout. The service parses bodies (domain::parse_item_body after mapping skill
// names to canonical slugs through the taxonomy: shipped + the org's custom skills), decides
// review and template steps with the pure FSMs (domain::decide_review / decide_template) and
// hands storage the decided step with its CAS preconditions: concurrent writers, exactly one wins.
//
// Generation: the job, the org's custom skills, its approved library candidates matching the
// extracted profile (at most candidate_limit) and the LLM settings are read in ONE db task, which
// also runs extract_profile + propose_template (pure, < 50 ms). When the caller asked for the LLM
// and the org enabled it, the provider runs on a short-lived DETACHED actor (never a db worker:
// it may block for timeout_seconds); its items pass quality_check against the library and the
// other drafts, replace the rule-based drafts of the skills they cover, and every dropped item is
// listed with its reasons under "llm"."dropped".
//
// LLM API keys at rest: sealed with the credential key ring (actors/ats/credential_box) under
// llm_key_aad(org); never logged, never answered (has_api_key only).
//
// Template approval writes job_postings (storage, same transaction); after the commit
// `on_template_approved` (bootstrap: the job posting entity re-reads its row) runs. Without it the
// entity still sees the approval: its refusal of mark_ready re-reads the row once.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/ats/credential_box.hpp"
#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_service.hpp"

namespace hw::content {
struct openai_config;
}

namespace hw::actors {

struct content_service_options {
  std::chrono::milliseconds db_timeout{6000};  // one db_task round trip
  int candidate_limit = 2000;                   // library candidates read for one proposal
  /// Lets the org's LLM base_url reach loopback / private networks (tests, a local model only).
  bool llm_allow_private_addresses = false;
};

/// The AAD binding a sealed LLM API key to its organization: credential_aad(org, "llm:openai").
std::string llm_key_aad(const org_id& org);

class content_service_impl final : public hw::content_service {
 public:
  using llm_factory = std::function<std::unique_ptr<domain::llm_provider>(const content::openai_config&)>;
  using approved_hook = std::function<void(const org_id&, const std::string& job_id)>;

  /// `clock` defaults to the system clock.
  content_service_impl(caf::actor_system& sys, caf::actor db_pool,
                       std::shared_ptr<const ats::credential_key_ring> keys, content_service_options opt,
                       std::function<std::chrono::system_clock::time_point()> clock = {});
  ~content_service_impl() override;
  content_service_impl(const content_service_impl&) = delete;
  content_service_impl& operator=(const content_service_impl&) = delete;

  /// Runs after a template approval committed (any thread; must not block). Call before serving.
  void on_template_approved(approved_hook f);
  /// Replaces content::make_openai_provider (tests). Call before serving.
  void use_llm_factory(llm_factory f);

  void list_items(org_id org, item_filter f, content_callback<item_page> cb) override;
  void get_item(org_id org, std::string item_id, std::optional<std::int32_t> version,
                content_callback<item_view> cb) override;
  void create_item(org_id org, nlohmann::json body, content_rights r, actor_ref who,
                   content_callback<item_view> cb) override;
  void update_item(org_id org, std::string item_id, nlohmann::json body, std::optional<std::int64_t> if_match,
                   content_rights r, actor_ref who, content_callback<item_view> cb) override;
  void transition_item(org_id org, std::string item_id, std::string event, std::optional<std::string> comment,
                       std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                       content_callback<item_view> cb) override;
  void create_variant(org_id org, std::string item_id, std::int32_t from_version, std::string job_id,
                      nlohmann::json body, content_rights r, actor_ref who, content_callback<item_view> cb) override;
  void list_comments(org_id org, std::string item_id, content_callback<std::vector<comment_view>> cb) override;
  void add_comment(org_id org, std::string item_id, std::string text, content_rights r, actor_ref who,
                   content_callback<comment_view> cb) override;

  void load_starter_library(org_id org, content_rights r, actor_ref who,
                            content_callback<library_import_result> cb) override;
  void export_library(org_id org, content_callback<nlohmann::json> cb) override;
  void import_library(org_id org, nlohmann::json doc, content_rights r, actor_ref who,
                      content_callback<library_import_result> cb) override;

  void list_skills(org_id org, content_callback<std::vector<skill_view>> cb) override;
  void add_skill(org_id org, skill_view s, content_rights r, actor_ref who, content_callback<skill_view> cb) override;

  void get_template(org_id org, std::string job_id, std::optional<std::int32_t> version,
                    content_callback<template_view> cb) override;
  void save_template(org_id org, std::string job_id, nlohmann::json body, std::optional<std::int64_t> if_match,
                     content_rights r, actor_ref who, content_callback<template_view> cb) override;
  void transition_template(org_id org, std::string job_id, std::string event, std::optional<std::int64_t> if_match,
                           content_rights r, actor_ref who, content_callback<template_view> cb) override;

  void propose_template(org_id org, std::string job_id, proposal_request req,
                        content_callback<proposal_view> cb) override;
  void apply_proposal(org_id org, std::string job_id, proposal_apply req, std::optional<std::int64_t> if_match,
                      content_rights r, actor_ref who, content_callback<template_view> cb) override;

  void get_llm_settings(org_id org, content_callback<llm_settings_view> cb) override;
  void update_llm_settings(org_id org, llm_settings_patch patch, std::optional<std::int64_t> if_match,
                           actor_ref who, content_callback<llm_settings_view> cb) override;

 private:
  struct impl;
  std::shared_ptr<impl> d_;
};

}  // namespace hw::actors
