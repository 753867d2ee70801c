#pragma once
// An in-memory hw::content_service for http tests. It records every call with its arguments
// (rights, actor, If-Match, filter, body) and keeps a small per-organization store so that route
// tests see realistic answers: items with versions and the review states, comments, variants,
// skills, one template per job, LLM settings. Rules it keeps (simplified from the real service):
// ids of another organization are not_found; a stale if_match is precondition_failed; approve /
// request_changes need the matching right in content_rights and (items) a reviewer who is not the
// author; add_skill needs skill_manage. Bodies are stored as given (no validation: the domain
// parser is the real service's). Answers come on its own worker thread, like the real service on
// an actor thread. Thread-safe. Any call can be told to fail once with any error.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "actors/domain/content_service.hpp"

namespace hw::testing {

class fake_content_service final : public content_service {
 public:
  /// One call with its arguments (the fields that call has; the rest stay empty).
  struct call {
    std::string name;  // the method name, e.g. "create_item"
    std::string org;
    std::string id;  // item id or job id
    std::optional<std::int32_t> version;  // get_item / get_template ?version=
    std::optional<std::int64_t> if_match;
    std::optional<content_rights> rights;
    actor_ref who;
    nlohmann::json body;  // item / template body, library document, proposal apply json
    std::string event;
    std::optional<std::string> comment;  // transition comment or comment text
    std::optional<item_filter> filter;
    std::int32_t from_version = 0;
    std::string job_id;  // create_variant
    std::optional<skill_view> skill;
    std::optional<proposal_request> proposal;
    std::optional<llm_settings_patch> llm_patch;
  };

  fake_content_service();
  ~fake_content_service() override;

  // ---- setup ----
  /// The next call named `name` fails with `e` (once).
  void fail_next(const std::string& name, hw::error e);
  /// Puts an item straight into the store (author `author_id`, latest version in `state`, id
  /// `id` or a new one). Returns its id.
  std::string seed_item(const std::string& org, const std::string& author_id, const std::string& state,
                        nlohmann::json body = nlohmann::json::object(), const std::string& id = {});
  /// Puts an empty draft template for `job_id` into the store.
  void seed_template(const std::string& org, const std::string& job_id);

  // ---- observation ----
  std::vector<call> calls() const;
  std::size_t call_count() const;
  std::size_t call_count(const std::string& name) const;
  /// The last call (named `name`, when given); nothing when there was none.
  std::optional<call> last(const std::string& name = {}) const;

  // ---- content_service ----
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
  void update_llm_settings(org_id org, llm_settings_patch patch, std::optional<std::int64_t> if_match, actor_ref who,
                           content_callback<llm_settings_view> cb) override;

 private:
  struct stored_item {
    item_view view;
    std::vector<item_version_view> versions;  // oldest first
    std::vector<comment_view> comments;
  };
  struct stored_template {
    template_view view;
    std::vector<template_version_view> versions;  // oldest first
  };
  using key = std::pair<std::string, std::string>;  // (org, id)

  /// Records `c`, then (under the lock) computes the answer: the forced error, or `work()`; the
  /// callback runs on the worker.
  template <class T>
  void answer(call c, content_callback<T> cb, std::function<result<T>()> work);
  void run_worker();

  // Under the lock.
  std::string next_id();
  item_view& new_item(const std::string& org, const std::string& author, const std::string& state,
                      nlohmann::json body, const std::string& origin, const std::string& id = {});
  static void refresh(stored_item& s);
  static void refresh(stored_template& s);

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<call> calls_;
  std::map<std::string, hw::error> fail_next_;
  std::uint64_t ids_ = 0;
  std::int64_t comment_ids_ = 0;
  std::map<key, stored_item> items_;
  std::map<key, stored_template> templates_;  // by (org, job id)
  std::map<std::string, std::vector<skill_view>> custom_skills_;  // by org
  std::map<std::string, llm_settings_view> llm_;  // by org
  std::map<std::string, std::string> api_keys_;   // by org (never answered)

  std::thread worker_;  // last: started after everything it uses exists
};

}  // namespace hw::testing
