#include "actors/content/content_service_impl.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "actors/auth/password_hash.hpp"  // wipe
#include "actors/auth/tokens.hpp"
#include "actors/content/openai_provider.hpp"
#include "actors/db/db_task.hpp"
#include "actors/domain/content_data.hpp"
#include "actors/db/db_call.hpp"
#include "actors/message_types.hpp"
#include "storage/content_repo.hpp"
#include "storage/interview_template_repo.hpp"
#include "storage/job_posting_repo.hpp"
#include "storage/user_repo.hpp"

namespace hw::actors {

namespace {

using time_point = std::chrono::system_clock::time_point;
using nlohmann::json;
namespace dm = hw::domain;

constexpr const char* starter_origin = "starter:v1";
constexpr const char* starter_author = "hirewire starter library";
constexpr std::size_t max_listed_problems = 50;
constexpr std::size_t max_import_items = 5000;
constexpr std::chrono::milliseconds llm_margin{5000};

hw::error item_not_found() { return {errc::not_found, "content item not found"}; }
hw::error job_not_found() { return {errc::not_found, "job not found"}; }

std::optional<org_id> canon(const org_id& org) {
  auto c = canonical_uuid(org.value);
  if (c.empty()) return std::nullopt;
  return org_id{std::move(c)};
}

std::string new_uuid() { return auth::random_uuid(); }

using auth::wipe;  // actors/auth/password_hash.hpp

std::string lower_trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t");
  std::string out = s.substr(b, e - b + 1);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return out;
}

/// At most `n` bytes of `s`, never splitting a UTF-8 sequence (JSON dumps refuse broken text).
std::string cut_utf8(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

/// One invalid_argument for many problems (at most max_listed_problems listed).
hw::error invalid(std::vector<dm::field_problem> problems) {
  const auto n = problems.size();
  if (n > max_listed_problems) problems.resize(max_listed_problems);
  auto detail = dm::describe(problems);
  if (n > max_listed_problems) detail += "; and " + std::to_string(n - max_listed_problems) + " more";
  return {errc::invalid_argument, std::move(detail)};
}

void prefix_problems(std::vector<dm::field_problem>& ps, const std::string& prefix) {
  for (auto& p : ps) p.path = prefix + p.path;
}

// ---- taxonomy and bodies ---------------------------------------------------------------------

/// The shipped taxonomy plus the org's custom skills (when it has any).
struct org_taxonomy {
  std::optional<dm::skill_taxonomy> own;
  const dm::skill_taxonomy& get() const { return own ? *own : dm::skill_taxonomy::shipped(); }
};

result<org_taxonomy> load_taxonomy(pqxx::connection_base& c, const org_id& org) {
  auto custom = storage::list_custom_skills(c, org);
  if (!custom) return std::move(custom).error();
  org_taxonomy t;
  if (!custom->empty()) t.own = dm::skill_taxonomy::shipped().with(std::move(*custom));
  return t;
}

/// Parses an item body after mapping its skill names ("K8s", "postgres") to canonical slugs;
/// a name the taxonomy does not know is a problem of its own. Paths are prefixed with `prefix`.
std::vector<dm::field_problem> parse_body(const json& in, const dm::skill_taxonomy& tax, const std::string& prefix,
                                          dm::content_item_body& out) {
  json j = in;
  std::vector<dm::field_problem> unknown;
  if (j.is_object()) {
    auto it = j.find("skills");
    if (it != j.end() && it->is_array()) {
      json mapped = json::array();
      std::set<std::string> seen;
      for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& v = (*it)[i];
        if (!v.is_string()) {
          mapped.push_back(v);  // parse_item_body reports the type
          continue;
        }
        auto slug = tax.canonical(v.get<std::string>());
        if (!slug) {
          std::string name = v.get<std::string>();
          if (name.size() > 60) name = cut_utf8(name, 60) + "...";
          unknown.push_back({"/skills/" + std::to_string(i),
                             "unknown skill \"" + name + "\" (an administrator can add it)"});
          continue;
        }
        if (seen.insert(*slug).second) mapped.push_back(*slug);
      }
      if (!unknown.empty() && mapped.empty()) mapped.push_back("placeholder");  // report only the unknown ones
      *it = std::move(mapped);
    }
  }
  auto problems = dm::parse_item_body(j, out);
  problems.insert(problems.end(), unknown.begin(), unknown.end());
  prefix_problems(problems, prefix);
  return problems;
}

/// The caller's display name for authorship ("" when unknown).
std::string display_name_of(pqxx::connection_base& c, const content_rights& r, const actor_ref& who) {
  if (!r.user_id.empty()) {
    auto u = storage::load_user(c, r.user_id);
    if (u) return u->display_name;
  }
  if (who.kind == "api_key") return "API key";
  return "";
}

hw::error cannot_create() { return {errc::forbidden, "you may not create or edit interview content"}; }

// ---- starter library -------------------------------------------------------------------------

struct starter_entry {
  std::string key;
  dm::content_item_body body;
};

const std::vector<starter_entry>& starter_items() {
  static const std::vector<starter_entry> items = [] {
    std::vector<starter_entry> out;
    const auto doc = json::parse(dm::starter_library_json(), nullptr, false);
    if (!doc.is_object() || !doc.contains("items") || !doc["items"].is_array()) {
      spdlog::error("content: the shipped starter library is not a hirewire.library.v1 document");
      return out;
    }
    const auto& arr = doc["items"];
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const auto& e = arr[i];
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string() || !e.contains("body")) {
        spdlog::error("content: starter library item {} has no key or body; skipped", i);
        continue;
      }
      starter_entry s;
      s.key = e["key"].get<std::string>();
      auto problems = dm::parse_item_body(e["body"], s.body);
      if (!problems.empty()) {
        spdlog::error("content: starter library item {} is invalid ({}); skipped", s.key, dm::describe(problems));
        continue;
      }
      out.push_back(std::move(s));
    }
    return out;
  }();
  return items;
}

// ---- templates -------------------------------------------------------------------------------

std::vector<storage::item_version_ref> refs_of(const dm::template_body& b) {
  std::vector<storage::item_version_ref> refs;
  for (const auto& s : b.sections)
    for (const auto& e : s.items) refs.push_back({e.item_id, e.item_version});
  return refs;
}

using resolved_map = std::map<std::pair<std::string, std::int32_t>, storage::resolved_item_version>;

result<resolved_map> resolve(pqxx::connection_base& c, const org_id& org, const std::vector<storage::item_version_ref>& refs) {
  resolved_map m;
  if (refs.empty()) return m;
  auto r = storage::resolve_item_versions(c, org, refs);
  if (!r) return std::move(r).error();
  for (auto& x : *r) {
    auto key = std::make_pair(x.item_id, x.number);
    m.emplace(std::move(key), std::move(x));
  }
  return m;
}

/// Entries naming no item version of this org, as problems at their body path.
std::vector<dm::field_problem> missing_entries(const dm::template_body& b, const resolved_map& m,
                                               const std::set<std::string>& created_now = {}) {
  std::vector<dm::field_problem> out;
  for (std::size_t s = 0; s < b.sections.size(); ++s) {
    for (std::size_t i = 0; i < b.sections[s].items.size(); ++i) {
      const auto& e = b.sections[s].items[i];
      if (created_now.count(e.item_id)) continue;
      if (m.count({e.item_id, e.item_version})) continue;
      storage::blocking_entry be{e.item_id, e.item_version, "missing"};
      out.push_back({"/sections/" + std::to_string(s) + "/items/" + std::to_string(i), be.describe()});
    }
  }
  return out;
}

template_view make_template_view(const storage::template_record& rec, const resolved_map& m) {
  template_view v;
  v.id = rec.id;
  v.job_id = rec.job_id;
  v.approved_version = rec.approved_version;
  v.approved_version_id = rec.approved_version_id;
  v.versions = rec.versions;
  v.version = rec.version;
  auto& l = v.latest;
  l.number = rec.latest.number;
  l.state = std::string{dm::to_string(rec.latest.state)};
  l.saved_by = rec.latest.saved_by;
  l.submitted_by = rec.latest.submitted_by;
  l.approved_by = rec.latest.approved_by;
  l.approved_at = rec.latest.approved_at;
  l.updated_at = rec.latest.updated_at;
  l.total_minutes = rec.latest.total_minutes;
  dm::template_body body;
  if (!dm::parse_template_body(rec.latest.body, body).empty()) {
    spdlog::warn("content: template {} v{} has a body that no longer parses", rec.id, rec.latest.number);
  }
  l.instructions = body.instructions;
  const bool open = rec.latest.state == dm::template_state::draft ||
                    rec.latest.state == dm::template_state::pending_approval;
  for (const auto& s : body.sections) {
    template_section_view sv;
    sv.title = s.title;
    for (const auto& e : s.items) {
      template_entry_view ev;
      ev.item_id = e.item_id;
      ev.item_version = e.item_version;
      ev.time_limit_minutes = e.time_limit_minutes;
      ev.weight = e.weight;
      auto it = m.find({e.item_id, e.item_version});
      if (it == m.end()) {
        ev.item_state = "missing";
        ev.body = nullptr;
        ev.candidate = nullptr;
        if (open) l.blocking.push_back(storage::blocking_entry{e.item_id, e.item_version, "missing"}.describe());
      } else {
        const auto& r = it->second;
        ev.item_state = r.usable ? "approved" : r.state;
        ev.body = r.body;
        dm::content_item_body ib;
        if (dm::parse_item_body(r.body, ib).empty()) ev.candidate = dm::candidate_view(ib);
        else ev.candidate = nullptr;
        if (open && !r.usable) l.blocking.push_back(storage::blocking_entry{e.item_id, e.item_version, r.state}.describe());
      }
      sv.items.push_back(std::move(ev));
    }
    v.latest.sections.push_back(std::move(sv));
  }
  if (l.total_minutes == 0) l.total_minutes = dm::total_minutes(body);
  return v;
}

/// not_found unless `job` is a job posting of `org`.
result<hw::unit> job_exists(pqxx::connection_base& c, const org_id& org, const std::string& job) {
  auto j = storage::get_job_posting(c, org, job);
  if (!j) return std::move(j).error();
  return hw::unit{};
}

result<template_view> load_template_view(pqxx::connection_base& c, const org_id& org, const std::string& job,
                                         std::optional<std::int32_t> version) {
  auto rec = storage::get_template(c, org, job, version);
  if (!rec) return std::move(rec).error();
  return [&]() -> result<template_view> {
    dm::template_body body;
    dm::parse_template_body(rec->latest.body, body);
    auto m = resolve(c, org, refs_of(body));
    if (!m) return std::move(m).error();
    return make_template_view(*rec, *m);
  }();
}

result<template_view> view_of(pqxx::connection_base& c, const org_id& org, const storage::template_record& rec) {
  dm::template_body body;
  dm::parse_template_body(rec.latest.body, body);
  auto m = resolve(c, org, refs_of(body));
  if (!m) return std::move(m).error();
  return make_template_view(rec, *m);
}

// ---- proposals -------------------------------------------------------------------------------

const std::vector<std::string>& soft_skills() {
  static const std::vector<std::string> s{"communication", "collaboration", "leadership", "mentoring",
                                          "problem-solving", "stakeholder-management", "ownership",
                                          "conflict-resolution"};
  return s;
}

std::string text_of(const dm::content_item_body& b) { return b.title + "\n" + b.prompt; }

int section_rank(const std::string& s) {
  if (s == "Behavioral") return 0;
  if (s == "Technical") return 1;
  if (s == "System design") return 2;
  if (s == "Coding") return 3;
  return 4;
}

std::string section_of(dm::content_kind k) {
  switch (k) {
    case dm::content_kind::behavioral: return "Behavioral";
    case dm::content_kind::technical: return "Technical";
    case dm::content_kind::system_design: return "System design";
    case dm::content_kind::coding: return "Coding";
  }
  return "Technical";
}

std::string replace_job(std::string origin, const std::string& job) {
  const std::string ph = "{job_id}";
  auto p = origin.find(ph);
  if (p != std::string::npos) origin.replace(p, ph.size(), job);
  return origin;
}

/// The LLM's part of a proposal.
struct llm_outcome {
  bool asked = false;  // the caller asked for the model
  bool used = false;   // the model was called
  std::string model;
  std::optional<std::string> error;
  json dropped = json::array();
};

json proposal_json(const dm::template_proposal& p, const dm::skill_taxonomy& tax, const llm_outcome& llm) {
  json j;
  json skills = json::array();
  for (const auto& m : p.profile.skills) {
    const auto* sk = tax.find(m.slug);
    skills.push_back({{"slug", m.slug},
                      {"label", sk ? sk->label : m.slug},
                      {"mentions", m.mentions},
                      {"required", m.required},
                      {"evidence", m.evidence}});
  }
  j["profile"] = {{"skills", std::move(skills)},
                  {"seniority", std::string{dm::to_string(p.profile.level)}},
                  {"years", p.profile.years ? json(*p.profile.years) : json(nullptr)},
                  {"category", std::string{dm::to_string(p.profile.category)}},
                  {"level_reason", p.profile.level_reason}};
  json entries = json::array();
  for (const auto& e : p.entries) {
    json x;
    if (e.library) {
      x["source"] = "library";
      x["item_id"] = e.library->item_id;
      x["item_version"] = e.library->version;
      x["body"] = dm::to_json(e.library->body);
    } else {
      x["source"] = "generated";
      x["generated_index"] = *e.generated_index;
      x["body"] = dm::to_json(p.generated.at(*e.generated_index).body);
    }
    x["section"] = e.section;
    x["time_limit_minutes"] = e.time_limit_minutes;
    x["weight"] = e.weight;
    x["covers"] = e.covers;
    entries.push_back(std::move(x));
  }
  j["entries"] = std::move(entries);
  json gen = json::array();
  for (const auto& g : p.generated) gen.push_back({{"body", dm::to_json(g.body)}, {"origin", g.origin}, {"rule", g.rule}});
  j["generated"] = std::move(gen);
  json cov = json::array();
  for (const auto& c : p.coverage) {
    cov.push_back({{"skill", c.skill}, {"label", c.label}, {"required", c.required}, {"covered", c.covered}, {"by", c.by}});
  }
  j["coverage"] = std::move(cov);
  j["total_minutes"] = p.total_minutes;
  json l = {{"used", llm.used}, {"dropped", llm.dropped}};
  if (llm.asked) l["model"] = llm.model;
  if (llm.error) l["error"] = *llm.error;
  j["llm"] = std::move(l);
  return j;
}

/// Recomputes coverage "by" for generated entries and the total after the LLM changed them.
void recompute(dm::template_proposal& p) {
  for (auto& row : p.coverage) {
    std::vector<std::string> by;
    for (auto& b : row.by)
      if (b.rfind("generated:", 0) != 0) by.push_back(b);
    for (const auto& e : p.entries) {
      if (!e.generated_index) continue;
      if (std::find(e.covers.begin(), e.covers.end(), row.skill) != e.covers.end())
        by.push_back("generated:" + std::to_string(*e.generated_index));
    }
    row.by = std::move(by);
    row.covered = !row.by.empty();
  }
  int total = 0;
  for (const auto& e : p.entries) total += e.time_limit_minutes;
  p.total_minutes = total;
  std::stable_sort(p.entries.begin(), p.entries.end(), [](const dm::proposed_entry& a, const dm::proposed_entry& b) {
    return section_rank(a.section) < section_rank(b.section);
  });
}

/// Everything propose needs after the db task.
struct proposal_work {
  org_id org;
  std::string job_id;
  std::string job_title;
  dm::template_proposal proposal;
  org_taxonomy tax;
  std::vector<std::string> library_texts;
  int target_minutes = 60;
  storage::llm_settings_record llm;
};

/// Merges the model's items into the rule-based proposal (see the header).
void merge_llm(proposal_work& w, const std::vector<dm::content_item_body>& items, llm_outcome& out) {
  auto& p = w.proposal;
  std::vector<std::string> uncovered;
  for (const auto& row : p.coverage) {
    const bool by_library = std::any_of(row.by.begin(), row.by.end(), [](const std::string& b) { return b.rfind("library:", 0) == 0; });
    if (!by_library) uncovered.push_back(row.skill);
  }
  std::vector<std::string> existing = w.library_texts;
  std::set<std::size_t> replaced;
  const int limit = w.target_minutes + w.target_minutes / 10;
  const std::string origin = "generated from job " + w.job_id + " by model " + out.model;
  for (const auto& item : items) {
    std::vector<std::string> covers;
    for (const auto& s : item.skills)
      if (std::find(uncovered.begin(), uncovered.end(), s) != uncovered.end()) covers.push_back(s);
    auto v = dm::quality_check(item, covers.empty() ? uncovered : covers, existing, w.tax.get());
    if (covers.empty()) v.reasons.push_back("covers none of the skills the library does not cover");
    if (!v.reasons.empty()) {
      out.dropped.push_back({{"title", cut_utf8(item.title, 200)}, {"reasons", v.reasons}});
      continue;
    }
    const int minutes = std::clamp(item.expected_minutes, 1, 240);
    // Replace a rule-based draft covering one of the same skills, else add it within the budget.
    std::optional<std::size_t> slot;
    for (std::size_t i = 0; i < p.entries.size(); ++i) {
      const auto& e = p.entries[i];
      if (!e.generated_index || replaced.count(*e.generated_index)) continue;
      if (std::any_of(e.covers.begin(), e.covers.end(), [&](const std::string& s) {
            return std::find(covers.begin(), covers.end(), s) != covers.end();
          })) {
        slot = i;
        break;
      }
    }
    int total = 0;
    for (const auto& e : p.entries) total += e.time_limit_minutes;
    if (slot) total -= p.entries[*slot].time_limit_minutes;
    if (total + minutes > limit) {
      out.dropped.push_back({{"title", cut_utf8(item.title, 200)}, {"reasons", json::array({"over the interview's time budget"})}});
      continue;
    }
    dm::generated_item g;
    g.body = item;
    g.origin = origin;
    g.rule = "llm:" + out.model;
    existing.push_back(text_of(item));
    if (slot) {
      auto& e = p.entries[*slot];
      p.generated[*e.generated_index] = std::move(g);
      replaced.insert(*e.generated_index);
      e.covers = covers;
      e.section = section_of(item.kind);
      e.time_limit_minutes = minutes;
    } else {
      p.generated.push_back(std::move(g));
      replaced.insert(p.generated.size() - 1);
      dm::proposed_entry e;
      e.generated_index = p.generated.size() - 1;
      e.covers = covers;
      e.section = section_of(item.kind);
      e.time_limit_minutes = minutes;
      p.entries.push_back(std::move(e));
    }
  }
  recompute(p);
}

// ---- LLM settings ----------------------------------------------------------------------------

llm_settings_view llm_view(const storage::llm_settings_record& r) {
  llm_settings_view v;
  v.enabled = r.enabled;
  v.base_url = r.base_url;
  v.model = r.model;
  v.has_api_key = r.api_key_sealed.has_value();
  v.timeout_seconds = r.timeout_seconds;
  v.version = r.version;
  return v;
}

}  // namespace

std::string llm_key_aad(const org_id& org) { return ats::credential_aad(org, "llm:openai"); }

// ---- impl ------------------------------------------------------------------------------------

struct content_service_impl::impl : std::enable_shared_from_this<impl> {
  caf::actor_system& sys;
  caf::actor db;
  std::shared_ptr<const ats::credential_key_ring> keys;
  content_service_options opt;
  std::function<time_point()> clock;
  caf::actor timer;
  approved_hook approved;
  llm_factory make_llm;

  impl(caf::actor_system& s, caf::actor d, std::shared_ptr<const ats::credential_key_ring> k,
       content_service_options o, std::function<time_point()> cl)
      : sys(s), db(std::move(d)), keys(std::move(k)), opt(o), clock(std::move(cl)) {
    if (!clock) clock = [] { return std::chrono::system_clock::now(); };
    make_llm = [](const content::openai_config& c) { return content::make_openai_provider(c); };
    timer = spawn_fire_timer(sys);
  }

  time_point now() const { return clock(); }

  /// `cb` answered at most once, errc::timeout after `timeout` (actors/db/db_call.hpp).
  template <class T>
  content_callback<T> once(content_callback<T> cb, std::chrono::milliseconds timeout, const char* what) {
    return answer_once<T>(timer, std::move(cb), timeout, what);
  }

  /// Runs `f(connection)` -> result<T> on a db worker; delivers it to `cb` (bounded by db_timeout).
  template <class T, class F>
  void db_call(F f, content_callback<T> cb, const char* what) {
    run_db_call<T>(db, timer, opt.db_timeout, std::move(f), std::move(cb), what);
  }

  void run_llm(std::shared_ptr<proposal_work> w, llm_outcome out, content_callback<proposal_view> cb);
};

content_service_impl::content_service_impl(caf::actor_system& sys, caf::actor db_pool,
                                           std::shared_ptr<const ats::credential_key_ring> keys,
                                           content_service_options opt,
                                           std::function<std::chrono::system_clock::time_point()> clock)
    : d_(std::make_shared<impl>(sys, std::move(db_pool), std::move(keys), opt, std::move(clock))) {}

content_service_impl::~content_service_impl() {
  if (d_ && d_->timer) caf::anon_send_exit(d_->timer, caf::exit_reason::user_shutdown);
}

void content_service_impl::on_template_approved(approved_hook f) { d_->approved = std::move(f); }
void content_service_impl::use_llm_factory(llm_factory f) { d_->make_llm = std::move(f); }

// ---- items -----------------------------------------------------------------------------------

void content_service_impl::list_items(org_id org, item_filter f, content_callback<item_page> cb) {
  auto o = canon(org);
  if (!o) return cb(item_page{});
  d_->db_call<item_page>(
    [o = *o, f = std::move(f)](pqxx::connection_base& c) mutable -> result<item_page> {
      if (f.skill) {
        auto slug = dm::skill_taxonomy::shipped().canonical(*f.skill);
        if (!slug) {
          auto tax = load_taxonomy(c, o);
          if (!tax) return std::move(tax).error();
          slug = tax->get().canonical(*f.skill);
        }
        f.skill = slug ? *slug : lower_trim(*f.skill);
      }
      return storage::list_items(c, o, f);
    },
    std::move(cb), "list_items");
}

void content_service_impl::get_item(org_id org, std::string item_id, std::optional<std::int32_t> version,
                                    content_callback<item_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  d_->db_call<item_view>(
    [o = *o, id = canonical_uuid(item_id), version](pqxx::connection_base& c) {
      return storage::get_item(c, o, id, version);
    },
    std::move(cb), "get_item");
}

void content_service_impl::create_item(org_id org, nlohmann::json body, content_rights r, actor_ref who,
                                       content_callback<item_view> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  if (!r.content_create) return cb(cannot_create());
  auto d = d_;
  d->db_call<item_view>(
    [d, o = *o, body = std::move(body), r, who](pqxx::connection_base& c) -> result<item_view> {
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      storage::new_item n;
      auto problems = parse_body(body, tax->get(), "", n.first.body);
      if (!problems.empty()) return invalid(std::move(problems));
      n.first.author_id = r.user_id;
      n.first.author_name = display_name_of(c, r, who);
      n.first.origin = "manual";
      n.state = dm::review_state::draft;
      return storage::create_item(c, o, n, d->now(), who);
    },
    std::move(cb), "create_item");
}

void content_service_impl::update_item(org_id org, std::string item_id, nlohmann::json body,
                                       std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                       content_callback<item_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  if (!r.content_create) return cb(cannot_create());
  auto d = d_;
  d->db_call<item_view>(
    [d, o = *o, id = canonical_uuid(item_id), body = std::move(body), if_match, r,
     who](pqxx::connection_base& c) -> result<item_view> {
      auto cur = storage::get_item(c, o, id);
      if (!cur) return std::move(cur).error();
      if (cur->latest.state == "archived")
        return hw::error{errc::illegal_transition, "an archived item cannot be edited"};
      if (if_match && *if_match != cur->version)
        return hw::error{errc::precondition_failed, "If-Match: the item is at version " + std::to_string(cur->version) +
                                                      ", not " + std::to_string(*if_match)};
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      storage::item_version_write w;
      auto problems = parse_body(body, tax->get(), "", w.body);
      if (!problems.empty()) return invalid(std::move(problems));
      w.author_id = r.user_id;
      w.author_name = display_name_of(c, r, who);
      w.origin = "manual";
      // The version read here is the CAS token: a concurrent step or edit makes this one lose.
      return storage::update_item(c, o, id, if_match.value_or(cur->version), w, d->now(), who);
    },
    std::move(cb), "update_item");
}

void content_service_impl::transition_item(org_id org, std::string item_id, std::string event,
                                           std::optional<std::string> comment, std::optional<std::int64_t> if_match,
                                           content_rights r, actor_ref who, content_callback<item_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  const auto ev = dm::parse_review_event(event);
  if (!ev) return cb(hw::error{errc::invalid_argument, "event: expected submit, approve, request_changes or archive"});
  const bool review = *ev == dm::review_event::approve || *ev == dm::review_event::request_changes;
  if (review && r.user_id.empty())
    return cb(hw::error{errc::forbidden, "only a person can review content (API keys cannot)"});
  if (comment) {
    const auto first = comment->find_first_not_of(" \t\r\n");
    if (first == std::string::npos) comment.reset();
  }
  if (*ev == dm::review_event::request_changes && !comment)
    return cb(hw::error{errc::invalid_argument, "comment: required when requesting changes"});
  if (comment && comment->size() > 5000)
    return cb(hw::error{errc::invalid_argument, "comment: at most 5000 characters"});
  auto d = d_;
  d->db_call<item_view>(
    [d, o = *o, id = canonical_uuid(item_id), ev = *ev, comment, if_match, r,
     who](pqxx::connection_base& c) -> result<item_view> {
      auto cur = storage::get_item(c, o, id);
      if (!cur) return std::move(cur).error();
      if (if_match && *if_match != cur->version)
        return hw::error{errc::precondition_failed, "If-Match: the item is at version " + std::to_string(cur->version) +
                                                      ", not " + std::to_string(*if_match)};
      const auto from = dm::parse_review_state(cur->latest.state);
      if (!from) return hw::error{errc::internal, "the item is in an unknown state"};
      dm::review_actor actor{r.user_id, r.content_create, r.content_approve};
      auto to = dm::decide_review(*from, ev, actor, cur->latest.author_id);
      if (!to) return std::move(to).error();
      storage::item_step step;
      step.expected_version = cur->version;
      step.expected_number = cur->latest.number;
      step.from = *from;
      step.to = *to;
      step.event = ev;
      step.reviewer_id = r.user_id;
      step.reviewer_name = display_name_of(c, r, who);
      step.comment = comment;
      return storage::apply_item_step(c, o, id, step, d->now(), who);
    },
    std::move(cb), "transition_item");
}

void content_service_impl::create_variant(org_id org, std::string item_id, std::int32_t from_version,
                                          std::string job_id, nlohmann::json body, content_rights r, actor_ref who,
                                          content_callback<item_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  if (!is_uuid(job_id)) return cb(job_not_found());
  if (!r.content_create) return cb(cannot_create());
  auto d = d_;
  d->db_call<item_view>(
    [d, o = *o, id = canonical_uuid(item_id), from_version, job = canonical_uuid(job_id), body = std::move(body), r,
     who](pqxx::connection_base& c) -> result<item_view> {
      auto src = storage::get_item(c, o, id, from_version);
      if (!src) return std::move(src).error();
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      storage::new_item n;
      // No body: the variant starts as a copy of the source version (then edited).
      const json& text = body.is_null() ? src->latest.body : body;
      auto problems = parse_body(text, tax->get(), "", n.first.body);
      if (!problems.empty()) return invalid(std::move(problems));
      n.first.author_id = r.user_id;
      n.first.author_name = display_name_of(c, r, who);
      n.first.origin = "manual";
      n.job_id = job;
      n.variant_of_item = id;
      n.variant_of_version = from_version;
      return storage::create_item(c, o, n, d->now(), who);
    },
    std::move(cb), "create_variant");
}

void content_service_impl::list_comments(org_id org, std::string item_id,
                                         content_callback<std::vector<comment_view>> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  d_->db_call<std::vector<comment_view>>(
    [o = *o, id = canonical_uuid(item_id)](pqxx::connection_base& c) { return storage::list_comments(c, o, id); },
    std::move(cb), "list_comments");
}

void content_service_impl::add_comment(org_id org, std::string item_id, std::string text, content_rights r,
                                       actor_ref who, content_callback<comment_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(item_id)) return cb(item_not_found());
  if (!r.content_create && !r.content_approve)
    return cb(hw::error{errc::forbidden, "you may not comment on interview content"});
  if (text.find_first_not_of(" \t\r\n") == std::string::npos || text.size() > 5000)
    return cb(hw::error{errc::invalid_argument, "text: 1 to 5000 characters"});
  auto d = d_;
  d->db_call<comment_view>(
    [d, o = *o, id = canonical_uuid(item_id), text = std::move(text), r, who](pqxx::connection_base& c) {
      return storage::add_comment(c, o, id, r.user_id, display_name_of(c, r, who), text, d->now(), who);
    },
    std::move(cb), "add_comment");
}

// ---- library as a whole ----------------------------------------------------------------------

void content_service_impl::load_starter_library(org_id org, content_rights r, actor_ref who,
                                                content_callback<library_import_result> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  if (!r.content_create) return cb(cannot_create());
  const auto& items = starter_items();
  if (items.empty()) return cb(hw::error{errc::internal, "the starter library is not available"});
  auto d = d_;
  d->db_call<library_import_result>(
    [d, o = *o, who, &items](pqxx::connection_base& c) {
      std::vector<storage::new_item> batch;
      batch.reserve(items.size());
      for (const auto& s : items) {
        storage::new_item n;
        n.first.body = s.body;
        n.first.author_id = "";
        n.first.author_name = starter_author;
        n.first.origin = starter_origin;
        n.state = dm::review_state::in_review;
        n.starter_key = s.key;
        batch.push_back(std::move(n));
      }
      return storage::create_items(c, o, batch, starter_origin, d->now(), who);
    },
    std::move(cb), "load_starter_library");
}

void content_service_impl::export_library(org_id org, content_callback<nlohmann::json> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  d_->db_call<json>(
    [o = *o](pqxx::connection_base& c) -> result<json> {
      auto items = storage::export_library(c, o);
      if (!items) return std::move(items).error();
      json arr = json::array();
      for (auto& x : *items) {
        arr.push_back({{"id", x.id}, {"version", x.version}, {"state", x.state}, {"origin", x.origin},
                       {"body", std::move(x.body)}});
      }
      return json{{"format", "hirewire.library.v1"}, {"items", std::move(arr)}};
    },
    std::move(cb), "export_library");
}

void content_service_impl::import_library(org_id org, nlohmann::json doc, content_rights r, actor_ref who,
                                          content_callback<library_import_result> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  if (!r.content_create) return cb(cannot_create());
  if (!doc.is_object()) return cb(hw::error{errc::invalid_argument, "/: expected a hirewire.library.v1 object"});
  {
    auto f = doc.find("format");
    if (f == doc.end() || !f->is_string() || f->get<std::string>() != "hirewire.library.v1")
      return cb(hw::error{errc::invalid_argument, "/format: expected \"hirewire.library.v1\""});
    auto it = doc.find("items");
    if (it == doc.end() || !it->is_array() || it->empty() || it->size() > max_import_items)
      return cb(hw::error{errc::invalid_argument, "/items: expected an array of 1 to 5000 items"});
  }
  auto d = d_;
  d->db_call<library_import_result>(
    [d, o = *o, doc = std::move(doc), r, who](pqxx::connection_base& c) -> result<library_import_result> {
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      const auto name = display_name_of(c, r, who);
      const auto& arr = doc.at("items");
      std::vector<storage::new_item> batch;
      std::vector<dm::field_problem> problems;
      batch.reserve(arr.size());
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const auto& e = arr[i];
        const std::string at = "/items/" + std::to_string(i);
        if (!e.is_object()) {
          problems.push_back({at, "expected an object"});
          continue;
        }
        // An exported entry {"id", "version", "state", "origin", "body"} or a bare item body.
        auto b = e.find("body");
        const bool wrapped = b != e.end();
        storage::new_item n;
        auto ps = parse_body(wrapped ? *b : e, tax->get(), wrapped ? at + "/body" : at, n.first.body);
        problems.insert(problems.end(), ps.begin(), ps.end());
        n.first.author_id = r.user_id;
        n.first.author_name = name;
        n.first.origin = "import";
        n.state = dm::review_state::draft;
        batch.push_back(std::move(n));
      }
      if (!problems.empty()) return invalid(std::move(problems));
      return storage::create_items(c, o, batch, "import", d->now(), who);
    },
    std::move(cb), "import_library");
}

// ---- skills ------------------------------------------------------------------------------------

void content_service_impl::list_skills(org_id org, content_callback<std::vector<skill_view>> cb) {
  auto o = canon(org);
  if (!o) return cb(std::vector<skill_view>{});
  d_->db_call<std::vector<skill_view>>(
    [o = *o](pqxx::connection_base& c) -> result<std::vector<skill_view>> {
      auto custom = storage::list_custom_skills(c, o);
      if (!custom) return std::move(custom).error();
      std::vector<skill_view> out;
      auto add = [&out](const dm::skill& s, bool custom_skill) {
        out.push_back(skill_view{s.slug, s.label, s.synonyms, std::string{dm::to_string(s.category)}, custom_skill});
      };
      for (const auto& s : dm::skill_taxonomy::shipped().all()) add(s, false);
      for (const auto& s : *custom) add(s, true);
      return out;
    },
    std::move(cb), "list_skills");
}

void content_service_impl::add_skill(org_id org, skill_view s, content_rights r, actor_ref who,
                                     content_callback<skill_view> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  if (!r.skill_manage) return cb(hw::error{errc::forbidden, "you may not add skills"});
  const auto cat = dm::parse_job_category(s.category);
  if (!cat) return cb(hw::error{errc::invalid_argument, "category: not a job category"});
  dm::skill sk;
  sk.slug = lower_trim(s.slug);
  sk.label = s.label;
  for (const auto& syn : s.synonyms) sk.synonyms.push_back(lower_trim(syn));
  sk.category = *cat;
  sk.custom = true;
  auto d = d_;
  d->db_call<skill_view>(
    [d, o = *o, sk, who](pqxx::connection_base& c) -> result<skill_view> {
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      auto problems = dm::validate_custom_skill(sk, tax->get());
      if (!problems.empty()) return invalid(std::move(problems));
      if (tax->get().find(sk.slug)) return hw::error{errc::conflict, "slug: the skill already exists"};
      auto added = storage::add_custom_skill(c, o, sk, d->now(), who);
      if (!added) return std::move(added).error();
      return skill_view{added->slug, added->label, added->synonyms, std::string{dm::to_string(added->category)}, true};
    },
    std::move(cb), "add_skill");
}

// ---- templates ---------------------------------------------------------------------------------

void content_service_impl::get_template(org_id org, std::string job_id, std::optional<std::int32_t> version,
                                        content_callback<template_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(job_id)) return cb(job_not_found());
  d_->db_call<template_view>(
    [o = *o, job = canonical_uuid(job_id), version](pqxx::connection_base& c) {
      return load_template_view(c, o, job, version);
    },
    std::move(cb), "get_template");
}

void content_service_impl::save_template(org_id org, std::string job_id, nlohmann::json body,
                                         std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                         content_callback<template_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(job_id)) return cb(job_not_found());
  if (!r.template_update) return cb(hw::error{errc::forbidden, "you may not edit interview templates"});
  dm::template_body tb;
  auto problems = dm::parse_template_body(body, tb);
  if (!problems.empty()) return cb(invalid(std::move(problems)));
  for (auto& s : tb.sections)
    for (auto& e : s.items) e.item_id = canonical_uuid(e.item_id).empty() ? e.item_id : canonical_uuid(e.item_id);
  auto d = d_;
  d->db_call<template_view>(
    [d, o = *o, job = canonical_uuid(job_id), tb, if_match, r, who](pqxx::connection_base& c) -> result<template_view> {
      auto m = resolve(c, o, refs_of(tb));
      if (!m) return std::move(m).error();
      auto missing = missing_entries(tb, *m);
      if (!missing.empty()) {
        auto j = job_exists(c, o, job);  // another org's job is not_found, not a body problem
        if (!j) return std::move(j).error();
        return invalid(std::move(missing));
      }
      auto rec = storage::save_template(c, o, job, tb, if_match, r.user_id, d->now(), who);
      if (!rec) return std::move(rec).error();
      return make_template_view(*rec, *m);
    },
    std::move(cb), "save_template");
}

void content_service_impl::transition_template(org_id org, std::string job_id, std::string event,
                                               std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                               content_callback<template_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(job_id)) return cb(job_not_found());
  const auto ev = dm::parse_template_event(event);
  if (!ev || *ev == dm::template_event::supersede)
    return cb(hw::error{errc::invalid_argument, "event: expected submit, approve or request_changes"});
  const bool review = *ev != dm::template_event::submit;
  if (review && r.user_id.empty())
    return cb(hw::error{errc::forbidden, "only a person can approve a template (API keys cannot)"});
  auto d = d_;
  const auto job = canonical_uuid(job_id);
  content_callback<template_view> done = std::move(cb);
  if (*ev == dm::template_event::approve) {
    // After the commit: the job posting entity re-reads its row (approved template version).
    done = [d, o = *o, job, cb = std::move(done)](result<template_view> res) {
      if (res && d->approved) {
        try {
          d->approved(o, job);
        } catch (const std::exception& e) {
          spdlog::warn("content: template approval hook failed: {}", e.what());
        }
      }
      cb(std::move(res));
    };
  }
  d->db_call<template_view>(
    [d, o = *o, job, ev = *ev, if_match, r, who](pqxx::connection_base& c) -> result<template_view> {
      auto rec = storage::get_template(c, o, job);
      if (!rec) return std::move(rec).error();
      if (if_match && *if_match != rec->version)
        return hw::error{errc::precondition_failed, "If-Match: the template is at version " +
                                                      std::to_string(rec->version) + ", not " + std::to_string(*if_match)};
      auto to = dm::decide_template(rec->latest.state, ev, dm::template_actor{r.template_update, r.template_approve});
      if (!to) return std::move(to).error();
      storage::template_step step;
      step.expected_version = rec->version;
      step.expected_number = rec->latest.number;
      step.from = rec->latest.state;
      step.to = *to;
      step.event = ev;
      step.actor_id = r.user_id;
      auto after = storage::apply_template_step(c, o, job, step, d->now(), who);
      if (!after) return std::move(after).error();
      return view_of(c, o, *after);
    },
    std::move(done), "transition_template");
}

// ---- generation --------------------------------------------------------------------------------

void content_service_impl::impl::run_llm(std::shared_ptr<proposal_work> w, llm_outcome out,
                                         content_callback<proposal_view> cb) {
  const auto timeout = std::chrono::seconds{std::clamp(w->llm.timeout_seconds, 1, 120)};
  auto done = once<proposal_view>(std::move(cb), timeout + llm_margin, "propose_template (llm)");
  auto self = shared_from_this();
  // Blocking HTTP: a short-lived detached actor (its own thread), never a db worker.
  sys.spawn<caf::detached>([self, w, out, done, timeout](caf::event_based_actor* a) mutable {
    try {
      dm::llm_request req;
      req.job_title = w->job_title;
      req.profile = w->proposal.profile;
      for (const auto& row : w->proposal.coverage) {
        const bool by_library = std::any_of(row.by.begin(), row.by.end(),
                                            [](const std::string& b) { return b.rfind("library:", 0) == 0; });
        if (!by_library) req.skills.push_back(row.skill);
      }
      req.max_items = 6;
      content::openai_config cfg;
      cfg.base_url = w->llm.base_url;
      cfg.model = w->llm.model;
      cfg.timeout = timeout;
      cfg.allow_private_addresses = self->opt.llm_allow_private_addresses;
      bool ready = true;
      if (w->llm.api_key_sealed) {
        auto key = self->keys ? self->keys->open(*w->llm.api_key_sealed, llm_key_aad(w->org))
                              : result<std::string>{hw::error{errc::internal, "no key ring"}};
        if (key) {
          cfg.api_key = std::move(*key);
        } else {
          out.error = "the stored API key cannot be decrypted; enter it again";
          ready = false;
        }
      }
      if (ready && !req.skills.empty()) {
        out.used = true;
        auto provider = self->make_llm(cfg);
        wipe(cfg.api_key);
        auto items = provider->generate(req);
        if (!items) {
          out.error = items.error().detail;
          spdlog::info("content: the LLM provider failed: {}", items.error().detail);
        } else {
          merge_llm(*w, *items, out);
        }
      }
      wipe(cfg.api_key);
      done(proposal_view{proposal_json(w->proposal, w->tax.get(), out)});
    } catch (const std::exception& e) {
      spdlog::error("content: proposal with the LLM failed unexpectedly: {}", e.what());
      done(hw::error{errc::internal, "the proposal failed"});
    }
    a->quit();
  });
}

void content_service_impl::propose_template(org_id org, std::string job_id, proposal_request req,
                                            content_callback<proposal_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(job_id)) return cb(job_not_found());
  if (req.target_minutes < 5 || req.target_minutes > 480)
    return cb(hw::error{errc::invalid_argument, "target_minutes: 5 to 480"});
  auto d = d_;
  auto work = std::make_shared<proposal_work>();
  work->org = *o;
  work->job_id = canonical_uuid(job_id);
  work->target_minutes = req.target_minutes;
  content_callback<proposal_view> final_cb = std::move(cb);
  // The db task reads and proposes; the continuation answers, or hands over to the LLM worker.
  content_callback<std::shared_ptr<proposal_work>> next =
    [d, use_llm = req.use_llm, final_cb](result<std::shared_ptr<proposal_work>> r) mutable {
      if (!r) return final_cb(std::move(r).error());
      auto w = std::move(*r);
      llm_outcome out;
      if (!use_llm) return final_cb(proposal_view{proposal_json(w->proposal, w->tax.get(), out)});
      out.asked = true;
      out.model = w->llm.model;
      d->run_llm(std::move(w), std::move(out), std::move(final_cb));
    };
  d->db_call<std::shared_ptr<proposal_work>>(
    [o = *o, work, use_llm = req.use_llm,
     limit = d->opt.candidate_limit](pqxx::connection_base& c) -> result<std::shared_ptr<proposal_work>> {
      if (use_llm) {
        auto s = storage::get_llm_settings(c, o);
        if (!s) return std::move(s).error();
        if (!s->enabled)
          return hw::error{errc::invalid_argument, "use_llm: the organization has no LLM provider enabled"};
        work->llm = std::move(*s);
      }
      auto job = storage::get_job_posting(c, o, work->job_id);
      if (!job) return std::move(job).error();
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      work->tax = std::move(*tax);
      work->job_title = job->summary.title;
      const auto profile =
        dm::extract_profile(job->summary.title, job->description_html, job->requirements, work->tax.get());
      std::vector<std::string> skills;
      for (const auto& m : profile.skills) skills.push_back(m.slug);
      std::vector<dm::library_candidate> cands;
      if (!skills.empty()) {
        auto lc = storage::list_library_candidates(c, o, skills, limit);
        if (!lc) return std::move(lc).error();
        cands = std::move(*lc);
      }
      // A behavioral question may cover none of the job's skills: offer the proposer a few
      // tagged with the common soft skills.
      auto beh = storage::list_library_candidates(c, o, soft_skills(), 50);
      if (beh) {
        for (auto& x : *beh) {
          const bool dup = std::any_of(cands.begin(), cands.end(), [&](const dm::library_candidate& y) {
            return y.item_id == x.item_id;
          });
          if (!dup && x.body.kind == dm::content_kind::behavioral) cands.push_back(std::move(x));
        }
      }
      for (const auto& cand : cands) work->library_texts.push_back(text_of(cand.body));
      dm::proposal_options po;
      po.target_minutes = work->target_minutes;
      work->proposal = dm::propose_template(profile, cands, dm::shipped_patterns(), work->tax.get(), po);
      for (auto& g : work->proposal.generated) g.origin = replace_job(g.origin, work->job_id);
      return work;
    },
    std::move(next), "propose_template");
}

void content_service_impl::apply_proposal(org_id org, std::string job_id, proposal_apply req,
                                          std::optional<std::int64_t> if_match, content_rights r, actor_ref who,
                                          content_callback<template_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(job_id)) return cb(job_not_found());
  if (!r.template_update) return cb(hw::error{errc::forbidden, "you may not edit interview templates"});
  const json& in = req.json;
  if (!in.is_object()) return cb(hw::error{errc::invalid_argument, "/: expected an object"});
  bool submit_generated = false;
  if (auto it = in.find("submit_generated"); it != in.end() && !it->is_null()) {
    if (!it->is_boolean()) return cb(hw::error{errc::invalid_argument, "/submit_generated: expected true or false"});
    submit_generated = it->get<bool>();
  }
  // The template body with every generated entry replaced by a reference to the item it creates.
  json body = in;
  body.erase("submit_generated");
  struct pending_gen {
    std::string item_id;
    json body;
    std::string rule;
    std::string at;  // path of the entry
  };
  std::vector<pending_gen> gens;
  std::vector<dm::field_problem> problems;
  if (auto s = body.find("sections"); s != body.end() && s->is_array()) {
    for (std::size_t si = 0; si < s->size(); ++si) {
      auto& sec = (*s)[si];
      if (!sec.is_object()) continue;
      auto items = sec.find("items");
      if (items == sec.end() || !items->is_array()) continue;
      for (std::size_t ii = 0; ii < items->size(); ++ii) {
        auto& e = (*items)[ii];
        if (!e.is_object() || !e.contains("generated")) continue;
        const std::string at = "/sections/" + std::to_string(si) + "/items/" + std::to_string(ii);
        pending_gen g;
        g.item_id = new_uuid();
        g.body = e["generated"];
        g.at = at;
        if (auto rule = e.find("rule"); rule != e.end() && rule->is_string()) g.rule = rule->get<std::string>();
        const bool rule_ok = !g.rule.empty() && g.rule.size() <= 120 &&
                             std::all_of(g.rule.begin(), g.rule.end(), [](unsigned char ch) {
                               return std::isalnum(ch) || ch == ':' || ch == '.' || ch == '_' || ch == '-' || ch == '/' ||
                                      ch == '*';
                             });
        if (!rule_ok) problems.push_back({at + "/rule", "expected the rule of the generated item (1..120 characters)"});
        json ref = {{"item_id", g.item_id}, {"item_version", 1}};
        for (const char* k : {"time_limit_minutes", "weight"})
          if (e.contains(k)) ref[k] = e[k];
        e = std::move(ref);
        gens.push_back(std::move(g));
      }
    }
  }
  if (!gens.empty() && !r.content_create) return cb(cannot_create());
  dm::template_body tb;
  auto tp = dm::parse_template_body(body, tb);
  problems.insert(problems.end(), tp.begin(), tp.end());
  if (!problems.empty()) return cb(invalid(std::move(problems)));
  for (auto& s : tb.sections)
    for (auto& e : s.items) e.item_id = canonical_uuid(e.item_id).empty() ? e.item_id : canonical_uuid(e.item_id);
  auto d = d_;
  const auto job = canonical_uuid(job_id);
  d->db_call<template_view>(
    [d, o = *o, job, tb, gens = std::move(gens), submit_generated, if_match, r,
     who](pqxx::connection_base& c) -> result<template_view> {
      auto tax = load_taxonomy(c, o);
      if (!tax) return std::move(tax).error();
      const auto name = display_name_of(c, r, who);
      std::vector<storage::new_item> items;
      std::vector<dm::field_problem> problems;
      std::set<std::string> created;
      for (const auto& g : gens) {
        storage::new_item n;
        auto ps = parse_body(g.body, tax->get(), g.at + "/generated", n.first.body);
        problems.insert(problems.end(), ps.begin(), ps.end());
        n.item_id = g.item_id;
        n.first.author_id = r.user_id;
        n.first.author_name = name;
        n.first.origin = g.rule.rfind("llm:", 0) == 0 ? "generated from job " + job + " by model " + g.rule.substr(4)
                                                     : "generated from job " + job + " by rule " + g.rule;
        n.state = submit_generated ? dm::review_state::in_review : dm::review_state::draft;
        created.insert(g.item_id);
        items.push_back(std::move(n));
      }
      auto m = resolve(c, o, refs_of(tb));
      if (!m) return std::move(m).error();
      auto missing = missing_entries(tb, *m, created);
      problems.insert(problems.end(), missing.begin(), missing.end());
      if (!problems.empty()) {
        auto j = job_exists(c, o, job);
        if (!j) return std::move(j).error();
        return invalid(std::move(problems));
      }
      auto rec = storage::apply_template_proposal(c, o, job, items, tb, if_match, r.user_id, d->now(), who);
      if (!rec) return std::move(rec).error();
      return view_of(c, o, *rec);
    },
    std::move(cb), "apply_proposal");
}

// ---- LLM settings ------------------------------------------------------------------------------

void content_service_impl::get_llm_settings(org_id org, content_callback<llm_settings_view> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  d_->db_call<llm_settings_view>(
    [o = *o](pqxx::connection_base& c) -> result<llm_settings_view> {
      auto s = storage::get_llm_settings(c, o);
      if (!s) return std::move(s).error();
      return llm_view(*s);
    },
    std::move(cb), "get_llm_settings");
}

void content_service_impl::update_llm_settings(org_id org, llm_settings_patch patch,
                                               std::optional<std::int64_t> if_match, actor_ref who,
                                               content_callback<llm_settings_view> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});
  if (patch.timeout_seconds && (*patch.timeout_seconds < 1 || *patch.timeout_seconds > 120))
    return cb(hw::error{errc::invalid_argument, "timeout_seconds: 1 to 120"});
  auto d = d_;
  auto key = std::make_shared<std::optional<std::string>>(std::move(patch.api_key));
  patch.api_key.reset();
  d->db_call<llm_settings_view>(
    [d, o = *o, patch, key, if_match, who](pqxx::connection_base& c) -> result<llm_settings_view> {
      struct wiper {
        std::shared_ptr<std::optional<std::string>> k;
        ~wiper() {
          if (*k) wipe(**k);
        }
      } w{key};
      auto cur = storage::get_llm_settings(c, o);
      if (!cur) return std::move(cur).error();
      if (if_match && *if_match != cur->version)
        return hw::error{errc::precondition_failed, "If-Match: the LLM settings are at version " +
                                                      std::to_string(cur->version) + ", not " + std::to_string(*if_match)};
      auto next = *cur;
      if (patch.enabled) next.enabled = *patch.enabled;
      if (patch.base_url) next.base_url = *patch.base_url;
      if (patch.model) next.model = *patch.model;
      if (patch.timeout_seconds) next.timeout_seconds = *patch.timeout_seconds;
      if (next.base_url.size() > 2000) return hw::error{errc::invalid_argument, "base_url: at most 2000 characters"};
      if (next.model.size() > 200) return hw::error{errc::invalid_argument, "model: at most 200 characters"};
      if (next.enabled || !next.base_url.empty()) {
        if (next.enabled && next.base_url.empty()) return hw::error{errc::invalid_argument, "base_url: required"};
        if (next.enabled && next.model.empty()) return hw::error{errc::invalid_argument, "model: required"};
        content::openai_config cfg;
        cfg.base_url = next.base_url;
        cfg.model = next.model.empty() ? "unset" : next.model;
        cfg.timeout = std::chrono::seconds{next.timeout_seconds};
        if (*key) cfg.api_key = **key;
        auto ok = content::validate_openai_config(cfg);
        wipe(cfg.api_key);
        if (!ok) return std::move(ok).error();
      }
      if (*key) {
        if ((*key)->empty()) {
          next.api_key_sealed.reset();
        } else {
          if (!d->keys) return hw::error{errc::internal, "no credential key ring"};
          auto sealed = d->keys->seal(**key, llm_key_aad(o));
          if (!sealed) return std::move(sealed).error();
          next.api_key_sealed = std::move(*sealed);
        }
      }
      auto saved = storage::put_llm_settings(c, o, next, cur->version, d->now(), who);
      if (!saved) return std::move(saved).error();
      return llm_view(*saved);
    },
    std::move(cb), "update_llm_settings");
}

}  // namespace hw::actors
