#include "tests/support/fake_content_service.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

namespace hw::testing {

namespace {

using json = nlohmann::json;

constexpr const char* now = "2026-01-02T03:04:05Z";

std::string display_name(const std::string& user_id) {
  return user_id.empty() ? "hirewire starter library" : "User " + user_id;
}

std::string text_of(const json& j, const char* key, std::string fallback = {}) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int int_of(const json& j, const char* key, int fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

std::vector<std::string> strings_of(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object()) return out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& e : *it) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

fake_content_service::call make_call(std::string name, const org_id& org, std::string id = {}) {
  fake_content_service::call c;
  c.name = std::move(name);
  c.org = org.value;
  c.id = std::move(id);
  return c;
}

hw::error stale(std::int64_t current) {
  return {errc::precondition_failed, "the object changed since it was read (now version " + std::to_string(current) + ")"};
}

skill_view shipped_skill(std::string slug, std::string label, std::vector<std::string> synonyms) {
  skill_view s;
  s.slug = std::move(slug);
  s.label = std::move(label);
  s.synonyms = std::move(synonyms);
  s.category = "engineering";
  return s;
}

}  // namespace

fake_content_service::fake_content_service() { worker_ = std::thread([this] { run_worker(); }); }

fake_content_service::~fake_content_service() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void fake_content_service::run_worker() {
  std::unique_lock<std::mutex> lock{mutex_};
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

template <class T>
void fake_content_service::answer(call c, content_callback<T> cb, std::function<result<T>()> work) {
  std::lock_guard<std::mutex> lock{mutex_};
  std::optional<result<T>> r;
  if (auto it = fail_next_.find(c.name); it != fail_next_.end()) {
    r.emplace(it->second);
    fail_next_.erase(it);
  } else {
    r.emplace(work());
  }
  calls_.push_back(std::move(c));
  queue_.push_back([cb = std::move(cb), r = std::move(*r)]() mutable { cb(std::move(r)); });
  cv_.notify_all();
}

void fake_content_service::fail_next(const std::string& name, hw::error e) {
  std::lock_guard<std::mutex> lock{mutex_};
  fail_next_[name] = std::move(e);
}

std::vector<fake_content_service::call> fake_content_service::calls() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_;
}

std::size_t fake_content_service::call_count() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return calls_.size();
}

std::size_t fake_content_service::call_count(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  std::size_t n = 0;
  for (const auto& c : calls_) n += c.name == name;
  return n;
}

std::optional<fake_content_service::call> fake_content_service::last(const std::string& name) const {
  std::lock_guard<std::mutex> lock{mutex_};
  for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) {
    if (name.empty() || it->name == name) return *it;
  }
  return std::nullopt;
}

// ---- store helpers (under the lock) -------------------------------------------------------------------

std::string fake_content_service::next_id() {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(0x10000 + ++ids_));
  return buf;
}

void fake_content_service::refresh(stored_item& s) {
  s.view.latest = s.versions.back();
  s.view.versions.clear();
  s.view.approved_version.reset();
  for (auto it = s.versions.rbegin(); it != s.versions.rend(); ++it) {
    s.view.versions.emplace_back(it->number, it->state);
    if (it->state == "approved" && !s.view.approved_version) s.view.approved_version = it->number;
  }
}

void fake_content_service::refresh(stored_template& s) {
  s.view.latest = s.versions.back();
  s.view.versions.clear();
  s.view.approved_version.reset();
  s.view.approved_version_id.reset();
  for (auto it = s.versions.rbegin(); it != s.versions.rend(); ++it) {
    s.view.versions.emplace_back(it->number, it->state);
    if (it->state == "approved" && !s.view.approved_version) {
      s.view.approved_version = it->number;
      char buf[40];
      std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012x", 0xa000 + it->number);
      s.view.approved_version_id = std::string{buf};
    }
  }
}

item_view& fake_content_service::new_item(const std::string& org, const std::string& author, const std::string& state,
                                          json body, const std::string& origin, const std::string& id) {
  stored_item s;
  s.view.id = id.empty() ? next_id() : id;
  item_version_view v;
  v.number = 1;
  v.state = state;
  v.body = std::move(body);
  v.author_id = author;
  v.author_name = display_name(author);
  v.origin = origin;
  v.created_at = now;
  v.updated_at = now;
  s.versions.push_back(std::move(v));
  s.view.version = 1;
  refresh(s);
  auto& slot = items_[{org, s.view.id}];
  slot = std::move(s);
  return slot.view;
}

std::string fake_content_service::seed_item(const std::string& org, const std::string& author_id,
                                            const std::string& state, json body, const std::string& id) {
  std::lock_guard<std::mutex> lock{mutex_};
  return new_item(org, author_id, state, std::move(body), "manual", id).id;
}

void fake_content_service::seed_template(const std::string& org, const std::string& job_id) {
  std::lock_guard<std::mutex> lock{mutex_};
  stored_template s;
  s.view.id = next_id();
  s.view.job_id = job_id;
  template_version_view v;
  v.state = "draft";
  v.updated_at = now;
  s.versions.push_back(std::move(v));
  refresh(s);
  templates_[{org, job_id}] = std::move(s);
}

// ---- library items ---------------------------------------------------------------------------------

void fake_content_service::list_items(org_id org, item_filter f, content_callback<item_page> cb) {
  auto c = make_call("list_items", org);
  c.filter = f;
  answer<item_page>(std::move(c), std::move(cb), [this, org = org.value, f = std::move(f)]() -> result<item_page> {
    std::vector<item_summary> all;
    for (const auto& [k, s] : items_) {
      if (k.first != org) continue;
      const auto& v = s.view;
      if (f.job_id ? v.job_id != f.job_id : v.job_id.has_value()) continue;
      const auto& latest = v.latest;
      if (!f.include_archived && latest.state == "archived") continue;
      if (f.state && latest.state != *f.state && !(*f.state == "approved" && v.approved_version)) continue;
      if (f.kind && text_of(latest.body, "kind") != *f.kind) continue;
      if (f.author && latest.author_id != *f.author) continue;
      item_summary sum;
      sum.id = v.id;
      sum.latest_version = latest.number;
      sum.approved_version = v.approved_version;
      sum.state = latest.state;
      sum.kind = text_of(latest.body, "kind");
      sum.title = text_of(latest.body, "title");
      sum.difficulty = text_of(latest.body, "difficulty");
      sum.expected_minutes = int_of(latest.body, "expected_minutes", 0);
      sum.skills = strings_of(latest.body, "skills");
      sum.seniorities = strings_of(latest.body, "seniorities");
      sum.categories = strings_of(latest.body, "categories");
      sum.author_id = latest.author_id;
      sum.author_name = latest.author_name;
      sum.job_id = v.job_id;
      sum.origin = latest.origin;
      sum.updated_at = latest.updated_at;
      sum.version = v.version;
      all.push_back(std::move(sum));
    }
    std::size_t offset = 0;
    if (f.cursor && f.cursor->size() > 1 && (*f.cursor)[0] == 'p') {
      std::from_chars(f.cursor->data() + 1, f.cursor->data() + f.cursor->size(), offset);
    }
    item_page page;
    if (!f.q) page.total = static_cast<std::int64_t>(all.size());
    for (std::size_t i = offset; i < all.size() && page.items.size() < static_cast<std::size_t>(f.limit); ++i) {
      page.items.push_back(all[i]);
    }
    if (offset + page.items.size() < all.size()) page.next_cursor = "p" + std::to_string(offset + page.items.size());
    return page;
  });
}

void fake_content_service::get_item(org_id org, std::string item_id, std::optional<std::int32_t> version,
                                    content_callback<item_view> cb) {
  auto c = make_call("get_item", org, item_id);
  c.version = version;
  answer<item_view>(std::move(c), std::move(cb), [this, org = org.value, item_id, version]() -> result<item_view> {
    auto it = items_.find({org, item_id});
    if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
    auto v = it->second.view;
    if (version) {
      const auto& vs = it->second.versions;
      auto found = std::find_if(vs.begin(), vs.end(), [&](const auto& x) { return x.number == *version; });
      if (found == vs.end()) return hw::error{errc::not_found, "no such version of this item"};
      v.latest = *found;
    }
    return v;
  });
}

void fake_content_service::create_item(org_id org, json body, content_rights r, actor_ref who,
                                       content_callback<item_view> cb) {
  auto c = make_call("create_item", org);
  c.body = body;
  c.rights = r;
  c.who = std::move(who);
  answer<item_view>(std::move(c), std::move(cb), [this, org = org.value, body = std::move(body), r]() -> result<item_view> {
    return new_item(org, r.user_id, "draft", body, "manual");
  });
}

void fake_content_service::update_item(org_id org, std::string item_id, json body, std::optional<std::int64_t> if_match,
                                       content_rights r, actor_ref who, content_callback<item_view> cb) {
  auto c = make_call("update_item", org, item_id);
  c.body = body;
  c.if_match = if_match;
  c.rights = r;
  c.who = std::move(who);
  answer<item_view>(std::move(c), std::move(cb),
                    [this, org = org.value, item_id, body = std::move(body), if_match, r]() -> result<item_view> {
                      auto it = items_.find({org, item_id});
                      if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
                      auto& s = it->second;
                      if (if_match && *if_match != s.view.version) return stale(s.view.version);
                      auto& latest = s.versions.back();
                      if (latest.state == "archived") {
                        return hw::error{errc::illegal_transition, "an archived item cannot be edited"};
                      }
                      if (latest.state == "approved") {
                        auto next = latest;
                        next.number = latest.number + 1;
                        next.state = "draft";
                        next.body = body;
                        next.author_id = r.user_id;
                        next.author_name = display_name(r.user_id);
                        next.reviewed_by.reset();
                        next.reviewed_at.reset();
                        s.versions.push_back(std::move(next));
                      } else {
                        latest.body = body;
                        if (latest.state == "in_review") latest.state = "draft";
                      }
                      ++s.view.version;
                      refresh(s);
                      return s.view;
                    });
}

void fake_content_service::transition_item(org_id org, std::string item_id, std::string event,
                                           std::optional<std::string> comment, std::optional<std::int64_t> if_match,
                                           content_rights r, actor_ref who, content_callback<item_view> cb) {
  auto c = make_call("transition_item", org, item_id);
  c.event = event;
  c.comment = comment;
  c.if_match = if_match;
  c.rights = r;
  c.who = std::move(who);
  answer<item_view>(std::move(c), std::move(cb), [this, org = org.value, item_id, event, comment, if_match,
                                                  r]() -> result<item_view> {
    auto it = items_.find({org, item_id});
    if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
    auto& s = it->second;
    if (if_match && *if_match != s.view.version) return stale(s.view.version);
    auto& latest = s.versions.back();
    const auto illegal = hw::error{errc::illegal_transition, "cannot " + event + " an item that is " + latest.state};
    std::string to;
    if (event == "submit") {
      if (latest.state != "draft" && latest.state != "changes_requested") return illegal;
      to = "in_review";
    } else if (event == "approve" || event == "request_changes") {
      if (!r.content_approve) return hw::error{errc::forbidden, "reviewing needs content.approve"};
      if (r.user_id.empty()) return hw::error{errc::forbidden, "only a signed-in user may review"};
      if (latest.author_id == r.user_id) return hw::error{errc::forbidden, "you cannot review your own item"};
      if (latest.state != "in_review") return illegal;
      to = event == "approve" ? "approved" : "changes_requested";
      latest.reviewed_by = r.user_id;
      latest.reviewed_at = now;
    } else if (event == "archive") {
      if (!r.content_approve && latest.author_id != r.user_id) {
        return hw::error{errc::forbidden, "archiving needs content.approve or being the author"};
      }
      if (latest.state == "archived") return illegal;
      to = "archived";
    } else {
      return illegal;
    }
    latest.state = to;
    if (comment) {
      comment_view cv;
      cv.id = ++comment_ids_;
      cv.item_version = latest.number;
      cv.author_id = r.user_id;
      cv.author_name = display_name(r.user_id);
      cv.text = *comment;
      cv.created_at = now;
      s.comments.push_back(std::move(cv));
    }
    ++s.view.version;
    refresh(s);
    return s.view;
  });
}

void fake_content_service::create_variant(org_id org, std::string item_id, std::int32_t from_version,
                                          std::string job_id, json body, content_rights r, actor_ref who,
                                          content_callback<item_view> cb) {
  auto c = make_call("create_variant", org, item_id);
  c.from_version = from_version;
  c.job_id = job_id;
  c.body = body;
  c.rights = r;
  c.who = std::move(who);
  answer<item_view>(std::move(c), std::move(cb), [this, org = org.value, item_id, from_version, job_id,
                                                  body = std::move(body), r]() -> result<item_view> {
    auto it = items_.find({org, item_id});
    if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
    const auto& vs = it->second.versions;
    if (std::none_of(vs.begin(), vs.end(), [&](const auto& x) { return x.number == from_version; })) {
      return hw::error{errc::not_found, "no such version of this item"};
    }
    auto& v = new_item(org, r.user_id, "draft", body, "manual");
    auto& s = items_[{org, v.id}];
    s.view.job_id = job_id;
    s.view.variant_of = item_id + "@v" + std::to_string(from_version);
    return s.view;
  });
}

void fake_content_service::list_comments(org_id org, std::string item_id,
                                         content_callback<std::vector<comment_view>> cb) {
  answer<std::vector<comment_view>>(make_call("list_comments", org, item_id), std::move(cb),
                                    [this, org = org.value, item_id]() -> result<std::vector<comment_view>> {
                                      auto it = items_.find({org, item_id});
                                      if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
                                      return it->second.comments;
                                    });
}

void fake_content_service::add_comment(org_id org, std::string item_id, std::string text, content_rights r,
                                       actor_ref who, content_callback<comment_view> cb) {
  auto c = make_call("add_comment", org, item_id);
  c.comment = text;
  c.rights = r;
  c.who = std::move(who);
  answer<comment_view>(std::move(c), std::move(cb), [this, org = org.value, item_id, text, r]() -> result<comment_view> {
    auto it = items_.find({org, item_id});
    if (it == items_.end()) return hw::error{errc::not_found, "no such content item"};
    comment_view cv;
    cv.id = ++comment_ids_;
    cv.item_version = it->second.versions.back().number;
    cv.author_id = r.user_id;
    cv.author_name = display_name(r.user_id);
    cv.text = text;
    cv.created_at = now;
    it->second.comments.push_back(cv);
    return cv;
  });
}

// ---- the library as a whole ------------------------------------------------------------------------

void fake_content_service::load_starter_library(org_id org, content_rights r, actor_ref who,
                                                content_callback<library_import_result> cb) {
  auto c = make_call("load_starter_library", org);
  c.rights = r;
  c.who = std::move(who);
  answer<library_import_result>(std::move(c), std::move(cb), [this, org = org.value]() -> result<library_import_result> {
    library_import_result out;
    for (const auto& [k, s] : items_) {
      if (k.first == org && s.versions.front().origin == "starter:v1") ++out.skipped;
    }
    if (out.skipped > 0) return out;
    for (const char* title : {"Tell me about a conflict", "Design a URL shortener"}) {
      out.item_ids.push_back(new_item(org, "", "in_review", json{{"title", title}}, "starter:v1").id);
      ++out.created;
    }
    return out;
  });
}

void fake_content_service::export_library(org_id org, content_callback<json> cb) {
  answer<json>(make_call("export_library", org), std::move(cb), [this, org = org.value]() -> result<json> {
    json items = json::array();
    for (const auto& [k, s] : items_) {
      if (k.first != org || s.view.job_id || !s.view.approved_version || s.view.latest.state == "archived") continue;
      const auto& v = s.versions[static_cast<std::size_t>(*s.view.approved_version - 1)];
      items.push_back({{"id", s.view.id}, {"version", v.number}, {"state", v.state}, {"origin", v.origin},
                       {"body", v.body}});
    }
    return json{{"format", "hirewire.library.v1"}, {"items", std::move(items)}};
  });
}

void fake_content_service::import_library(org_id org, json doc, content_rights r, actor_ref who,
                                          content_callback<library_import_result> cb) {
  auto c = make_call("import_library", org);
  c.body = doc;
  c.rights = r;
  c.who = std::move(who);
  answer<library_import_result>(std::move(c), std::move(cb),
                                [this, org = org.value, doc = std::move(doc), r]() -> result<library_import_result> {
                                  auto it = doc.find("items");
                                  if (it == doc.end() || !it->is_array()) {
                                    return hw::error{errc::invalid_argument, "/items: must be an array"};
                                  }
                                  library_import_result out;
                                  for (const auto& e : *it) {
                                    auto b = e.is_object() && e.contains("body") ? e["body"] : json::object();
                                    out.item_ids.push_back(new_item(org, r.user_id, "draft", b, "import").id);
                                    ++out.created;
                                  }
                                  return out;
                                });
}

// ---- skills ---------------------------------------------------------------------------------------------

void fake_content_service::list_skills(org_id org, content_callback<std::vector<skill_view>> cb) {
  answer<std::vector<skill_view>>(make_call("list_skills", org), std::move(cb),
                                  [this, org = org.value]() -> result<std::vector<skill_view>> {
                                    std::vector<skill_view> out = {
                                      shipped_skill("kubernetes", "Kubernetes", {"k8s"}),
                                      shipped_skill("postgresql", "PostgreSQL", {"postgres", "psql"})};
                                    for (const auto& s : custom_skills_[org]) out.push_back(s);
                                    return out;
                                  });
}

void fake_content_service::add_skill(org_id org, skill_view s, content_rights r, actor_ref who,
                                     content_callback<skill_view> cb) {
  auto c = make_call("add_skill", org);
  c.skill = s;
  c.rights = r;
  c.who = std::move(who);
  answer<skill_view>(std::move(c), std::move(cb), [this, org = org.value, s, r]() mutable -> result<skill_view> {
    if (!r.skill_manage) return hw::error{errc::forbidden, "adding skills needs skill.manage"};
    if (s.slug == "kubernetes" || s.slug == "postgresql") {
      return hw::error{errc::invalid_argument, "slug: names a shipped skill"};
    }
    for (const auto& e : custom_skills_[org]) {
      if (e.slug == s.slug) return hw::error{errc::conflict, "slug: this organization already has that skill"};
    }
    s.custom = true;
    custom_skills_[org].push_back(s);
    return s;
  });
}

// ---- templates ------------------------------------------------------------------------------------------

void fake_content_service::get_template(org_id org, std::string job_id, std::optional<std::int32_t> version,
                                        content_callback<template_view> cb) {
  auto c = make_call("get_template", org, job_id);
  c.version = version;
  answer<template_view>(std::move(c), std::move(cb), [this, org = org.value, job_id, version]() -> result<template_view> {
    auto it = templates_.find({org, job_id});
    if (it == templates_.end()) return hw::error{errc::not_found, "this job has no interview template yet"};
    auto v = it->second.view;
    if (version) {
      const auto& vs = it->second.versions;
      auto found = std::find_if(vs.begin(), vs.end(), [&](const auto& x) { return x.number == *version; });
      if (found == vs.end()) return hw::error{errc::not_found, "no such version of this template"};
      v.latest = *found;
    }
    return v;
  });
}

namespace {

/// The sections of a template body, resolved against nothing (the fake does not look items up).
std::vector<template_section_view> sections_of(const json& body, int& total) {
  std::vector<template_section_view> out;
  total = 0;
  auto it = body.find("sections");
  if (it == body.end() || !it->is_array()) return out;
  for (const auto& sec : *it) {
    template_section_view s;
    s.title = text_of(sec, "title");
    if (sec.is_object() && sec.contains("items") && sec["items"].is_array()) {
      for (const auto& e : sec["items"]) {
        template_entry_view ev;
        ev.item_id = text_of(e, "item_id");
        ev.item_version = int_of(e, "item_version", 1);
        ev.time_limit_minutes = int_of(e, "time_limit_minutes", 10);
        ev.weight = int_of(e, "weight", 1);
        ev.item_state = "approved";
        ev.body = json::object();
        ev.candidate = json::object();
        total += ev.time_limit_minutes;
        s.items.push_back(std::move(ev));
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

void fake_content_service::save_template(org_id org, std::string job_id, json body,
                                         std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                         content_callback<template_view> cb) {
  auto c = make_call("save_template", org, job_id);
  c.body = body;
  c.if_match = if_match;
  c.rights = r;
  c.who = std::move(who);
  answer<template_view>(std::move(c), std::move(cb), [this, org = org.value, job_id, body = std::move(body), if_match,
                                                      r]() -> result<template_view> {
    auto it = templates_.find({org, job_id});
    template_version_view v;
    v.instructions = text_of(body, "instructions");
    v.sections = sections_of(body, v.total_minutes);
    v.state = "draft";
    v.saved_by = r.user_id;
    v.updated_at = now;
    if (it == templates_.end()) {
      if (if_match) return stale(0);
      stored_template s;
      s.view.id = next_id();
      s.view.job_id = job_id;
      s.view.version = 1;
      s.versions.push_back(std::move(v));
      refresh(s);
      return (templates_[{org, job_id}] = std::move(s)).view;
    }
    auto& s = it->second;
    if (if_match && *if_match != s.view.version) return stale(s.view.version);
    if (s.versions.back().state == "approved") {
      v.number = s.versions.back().number + 1;
      s.versions.push_back(std::move(v));
    } else {
      v.number = s.versions.back().number;
      s.versions.back() = std::move(v);
    }
    ++s.view.version;
    refresh(s);
    return s.view;
  });
}

void fake_content_service::transition_template(org_id org, std::string job_id, std::string event,
                                               std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                               content_callback<template_view> cb) {
  auto c = make_call("transition_template", org, job_id);
  c.event = event;
  c.if_match = if_match;
  c.rights = r;
  c.who = std::move(who);
  answer<template_view>(std::move(c), std::move(cb),
                        [this, org = org.value, job_id, event, if_match, r]() -> result<template_view> {
                          auto it = templates_.find({org, job_id});
                          if (it == templates_.end()) {
                            return hw::error{errc::not_found, "this job has no interview template yet"};
                          }
                          auto& s = it->second;
                          if (if_match && *if_match != s.view.version) return stale(s.view.version);
                          auto& latest = s.versions.back();
                          const auto illegal =
                            hw::error{errc::illegal_transition, "cannot " + event + " a template that is " + latest.state};
                          if (event == "submit") {
                            if (!r.template_update) return hw::error{errc::forbidden, "submitting needs template.update"};
                            if (latest.state != "draft") return illegal;
                            latest.state = "pending_approval";
                            latest.submitted_by = r.user_id;
                          } else if (event == "approve" || event == "request_changes") {
                            if (!r.template_approve) return hw::error{errc::forbidden, "approving needs template.approve"};
                            if (latest.state != "pending_approval") return illegal;
                            if (event == "request_changes") {
                              latest.state = "draft";
                            } else {
                              for (auto& old : s.versions) {
                                if (old.state == "approved") old.state = "superseded";
                              }
                              latest.state = "approved";
                              latest.approved_by = r.user_id;
                              latest.approved_at = now;
                            }
                          } else {
                            return illegal;
                          }
                          ++s.view.version;
                          refresh(s);
                          return s.view;
                        });
}

// ---- generation -----------------------------------------------------------------------------------------

void fake_content_service::propose_template(org_id org, std::string job_id, proposal_request req,
                                            content_callback<proposal_view> cb) {
  auto c = make_call("propose_template", org, job_id);
  c.proposal = req;
  answer<proposal_view>(std::move(c), std::move(cb), [this, org = org.value, req]() -> result<proposal_view> {
    if (req.use_llm && !llm_[org].enabled) {
      return hw::error{errc::invalid_argument, "use_llm: this organization has no LLM provider enabled"};
    }
    proposal_view p;
    p.json = {{"profile",
               {{"skills", json::array({{{"slug", "postgresql"},
                                         {"label", "PostgreSQL"},
                                         {"mentions", 2},
                                         {"required", true},
                                         {"evidence", "5 years of PostgreSQL"}}})},
                {"seniority", "senior"},
                {"years", 5},
                {"category", "engineering"},
                {"level_reason", "title says Senior"}}},
              {"entries", json::array()},
              {"generated", json::array()},
              {"coverage", json::array({{{"skill", "postgresql"},
                                         {"label", "PostgreSQL"},
                                         {"required", true},
                                         {"covered", false},
                                         {"by", json::array()}}})},
              {"total_minutes", req.target_minutes},
              {"llm", {{"used", req.use_llm}, {"dropped", json::array()}}}};
    return p;
  });
}

void fake_content_service::apply_proposal(org_id org, std::string job_id, proposal_apply req,
                                          std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                          content_callback<template_view> cb) {
  auto c = make_call("apply_proposal", org, job_id);
  c.body = req.json;
  c.if_match = if_match;
  c.rights = r;
  c.who = who;
  answer<template_view>(std::move(c), std::move(cb), [this, org = org.value, job_id, req = std::move(req), if_match,
                                                      r]() -> result<template_view> {
    auto it = templates_.find({org, job_id});
    if (if_match && (it == templates_.end() || *if_match != it->second.view.version)) {
      return stale(it == templates_.end() ? 0 : it->second.view.version);
    }
    // Generated entries become draft items; the template references their first version.
    json body = {{"instructions", text_of(req.json, "instructions")}, {"sections", json::array()}};
    if (req.json.contains("sections") && req.json["sections"].is_array()) {
      for (const auto& sec : req.json["sections"]) {
        json out_sec = {{"title", text_of(sec, "title")}, {"items", json::array()}};
        if (sec.is_object() && sec.contains("items") && sec["items"].is_array()) {
          for (const auto& e : sec["items"]) {
            json entry = e;
            if (e.is_object() && e.contains("generated")) {
              const auto id = new_item(org, r.user_id, "draft", e["generated"], text_of(e, "origin", "generated")).id;
              entry = {{"item_id", id}, {"item_version", 1}, {"time_limit_minutes", int_of(e, "time_limit_minutes", 10)},
                       {"weight", int_of(e, "weight", 1)}};
            }
            out_sec["items"].push_back(std::move(entry));
          }
        }
        body["sections"].push_back(std::move(out_sec));
      }
    }
    template_version_view v;
    v.instructions = text_of(body, "instructions");
    v.sections = sections_of(body, v.total_minutes);
    v.state = "draft";
    v.saved_by = r.user_id;
    v.updated_at = now;
    if (it == templates_.end()) {
      stored_template s;
      s.view.id = next_id();
      s.view.job_id = job_id;
      s.view.version = 1;
      s.versions.push_back(std::move(v));
      refresh(s);
      return (templates_[{org, job_id}] = std::move(s)).view;
    }
    auto& s = it->second;
    v.number = s.versions.back().state == "approved" ? s.versions.back().number + 1 : s.versions.back().number;
    if (s.versions.back().state == "approved") {
      s.versions.push_back(std::move(v));
    } else {
      s.versions.back() = std::move(v);
    }
    ++s.view.version;
    refresh(s);
    return s.view;
  });
}

// ---- LLM settings ---------------------------------------------------------------------------------------

void fake_content_service::get_llm_settings(org_id org, content_callback<llm_settings_view> cb) {
  answer<llm_settings_view>(make_call("get_llm_settings", org), std::move(cb),
                            [this, org = org.value]() -> result<llm_settings_view> { return llm_[org]; });
}

void fake_content_service::update_llm_settings(org_id org, llm_settings_patch patch,
                                               std::optional<std::int64_t> if_match, actor_ref who,
                                               content_callback<llm_settings_view> cb) {
  auto c = make_call("update_llm_settings", org);
  c.llm_patch = patch;
  c.if_match = if_match;
  c.who = std::move(who);
  answer<llm_settings_view>(std::move(c), std::move(cb),
                            [this, org = org.value, patch = std::move(patch), if_match]() -> result<llm_settings_view> {
                              auto& s = llm_[org];
                              if (if_match && *if_match != s.version) return stale(s.version);
                              if (patch.enabled) s.enabled = *patch.enabled;
                              if (patch.base_url) s.base_url = *patch.base_url;
                              if (patch.model) s.model = *patch.model;
                              if (patch.timeout_seconds) s.timeout_seconds = *patch.timeout_seconds;
                              if (patch.api_key) {
                                api_keys_[org] = *patch.api_key;
                                s.has_api_key = !patch.api_key->empty();
                              }
                              ++s.version;
                              return s;
                            });
}

}  // namespace hw::testing
