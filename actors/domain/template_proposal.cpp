// propose_template: approved library items by greedy skill coverage, then drafts from the shipped
// per-skill question patterns for the skills nothing covers, each passing the quality filters.
//
// Order of work (deterministic; the library is first sorted by item id):
//   1. one behavioral library item (most uncovered required skills, seniority, difficulty fit,
//      category match), when one fits;
//   2. library items, greedily, while one covers an uncovered REQUIRED skill;
//   3. a draft per still-uncovered required skill (its own patterns before the generic "*" ones;
//      technical by default, a coding or the skill's own system design pattern first while the
//      interview has none of that kind; generic coding only for a language skill);
//   4. and 5. the same two steps for the preferred ("nice to have") skills.
// Every step stops at opt.max_items, opt.max_generated and target_minutes + 10 %.
#include <algorithm>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "actors/domain/content_data.hpp"
#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_text.hpp"

namespace hw::domain {

namespace {

using content_text::shingle_set;

int section_rank(content_kind k) {
  switch (k) {
    case content_kind::behavioral: return 0;
    case content_kind::technical: return 1;
    case content_kind::system_design: return 2;
    case content_kind::coding: return 3;
  }
  return 4;
}

std::string section_title(content_kind k) {
  switch (k) {
    case content_kind::behavioral: return "Behavioral";
    case content_kind::technical: return "Technical";
    case content_kind::system_design: return "System design";
    case content_kind::coding: return "Coding";
  }
  return "Technical";
}

difficulty target_difficulty(seniority s) {
  if (s <= seniority::junior) return difficulty::easy;
  if (s == seniority::mid) return difficulty::medium;
  return difficulty::hard;
}

int distance(int a, int b) { return a > b ? a - b : b - a; }

void replace_all(std::string& s, std::string_view from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
}

struct candidate {
  const library_candidate* c = nullptr;
  std::vector<std::size_t> covers;  // profile skill indices
  int seniority_gap = 9;            // distance of the closest seniority tag to the profile's
  int difficulty_gap = 0;
  bool category_match = false;
  int minutes = 10;
  bool used = false;
};

struct proposer {
  const job_profile& profile;
  const std::vector<question_pattern>& patterns;
  const skill_taxonomy& taxonomy;
  const proposal_options& opt;
  template_proposal out;
  std::vector<candidate> cands;
  std::vector<bool> required, covered;
  std::unordered_map<std::string, std::size_t> profile_index;
  int limit = 0;
  std::vector<const content_item_body*> library_bodies;  // every candidate, covering or not
  std::vector<shingle_set> library_shingles;             // lazily, for the near-duplicate test
  bool library_shingles_ready = false;
  std::vector<shingle_set> generated_shingles;

  proposer(const job_profile& p, const std::vector<question_pattern>& pats, const skill_taxonomy& t,
           const proposal_options& o)
      : profile(p), patterns(pats), taxonomy(t), opt(o) {}

  bool room_for(int minutes) const {
    return static_cast<int>(out.entries.size()) < opt.max_items &&
           out.total_minutes + minutes <= limit;
  }

  void add_entry(proposed_entry e, const std::vector<std::size_t>& covers, const std::string& by) {
    for (auto i : covers) {
      covered[i] = true;
      e.covers.push_back(profile.skills[i].slug);
      out.coverage[i].covered = true;
      out.coverage[i].by.push_back(by);
    }
    const bool any_required =
        std::any_of(covers.begin(), covers.end(), [&](std::size_t i) { return required[i]; });
    e.weight = any_required ? 2 : 1;
    out.total_minutes += e.time_limit_minutes;
    out.entries.push_back(std::move(e));
  }

  void take(candidate& c) {
    c.used = true;
    proposed_entry e;
    e.library = *c.c;
    e.section = section_title(c.c->body.kind);
    e.time_limit_minutes = c.minutes;
    add_entry(std::move(e), c.covers,
              "library:" + c.c->item_id + "@v" + std::to_string(c.c->version));
  }

  int gain(const candidate& c, bool want_required) const {
    int g = 0;
    for (auto i : c.covers) {
      if (!covered[i] && required[i] == want_required) ++g;
    }
    return g;
  }

  // True when a should be picked before b (gain first, then the tie-breaks of the contract).
  static bool better(int ga, const candidate& a, int gb, const candidate& b) {
    if (ga != gb) return ga > gb;
    if (a.seniority_gap != b.seniority_gap) return a.seniority_gap < b.seniority_gap;
    if (a.difficulty_gap != b.difficulty_gap) return a.difficulty_gap < b.difficulty_gap;
    if (a.category_match != b.category_match) return a.category_match;
    if (a.minutes != b.minutes) return a.minutes < b.minutes;
    return false;  // candidates are sorted by item id: the earlier one stays
  }

  void pick_behavioral() {
    candidate* best = nullptr;
    int best_gain = -1;
    for (auto& c : cands) {
      if (c.used || c.c->body.kind != content_kind::behavioral || !room_for(c.minutes)) continue;
      if (!c.category_match && c.covers.empty()) continue;
      const int g = gain(c, true) * 100 + static_cast<int>(c.covers.size());
      if (!best || better(g, c, best_gain, *best)) {
        best = &c;
        best_gain = g;
      }
    }
    if (best) take(*best);
  }

  void greedy(bool want_required) {
    for (;;) {
      candidate* best = nullptr;
      int best_gain = 0;
      for (auto& c : cands) {
        if (c.used || !room_for(c.minutes)) continue;
        const int g = gain(c, want_required);
        if (g == 0) continue;
        if (!best || better(g, c, best_gain, *best)) {
          best = &c;
          best_gain = g;
        }
      }
      if (!best) return;
      take(*best);
    }
  }

  bool soft_skill(const std::string& slug) const {
    const auto ix = taxonomy.index();
    if (!ix) return false;
    const auto it = ix->by_slug.find(slug);
    return it != ix->by_slug.end() && ix->soft[it->second];
  }

  bool kind_present(content_kind k) const {
    return std::any_of(out.entries.begin(), out.entries.end(), [&](const proposed_entry& e) {
      const auto& body = e.library ? e.library->body : out.generated[*e.generated_index].body;
      return body.kind == k;
    });
  }

  bool near_duplicate(const shingle_set& mine) {
    constexpr double th = content_text::near_duplicate_threshold;
    for (const auto& s : generated_shingles) {
      if (content_text::jaccard_at_least(mine, s, th) >= 0) return true;
    }
    if (!library_shingles_ready) {
      library_shingles.reserve(library_bodies.size());
      for (const auto* b : library_bodies)
        library_shingles.push_back(content_text::item_shingles(*b));
      library_shingles_ready = true;
    }
    for (const auto& s : library_shingles) {
      if (content_text::jaccard_at_least(mine, s, th) >= 0) return true;
    }
    return false;
  }

  content_item_body fill(const question_pattern& p, const std::string& slug) const {
    content_item_body b = p.body;
    const skill* sk = taxonomy.find(slug);
    const std::string label = sk ? sk->label : slug;
    for (std::string* s :
         {&b.title, &b.prompt, &b.guidance.strong, &b.guidance.acceptable, &b.guidance.weak}) {
      replace_all(*s, "{skill}", label);
    }
    b.level = target_difficulty(profile.level);
    b.skills = {slug};
    b.seniorities = {profile.level};
    b.categories = {profile.category};
    if (sk && sk->category != profile.category && !soft_skill(slug))
      b.categories.push_back(sk->category);
    if (b.coding && p.skill == "*" && is_supported_language(slug)) {
      const auto code = b.coding->starter_code.find(slug);
      b.coding->languages = {slug};
      std::map<std::string, std::string> starter;
      if (code != b.coding->starter_code.end()) starter.emplace(slug, code->second);
      b.coding->starter_code = std::move(starter);
    }
    return b;
  }

  void generate_for(std::size_t i) {
    if (static_cast<int>(out.generated.size()) >= opt.max_generated) return;
    const std::string& slug = profile.skills[i].slug;
    const bool soft = soft_skill(slug);
    // Technical is the default kind; a skill's own coding or system design pattern goes first
    // while the interview has none of that kind; behavioral only for soft skills (or as a last
    // resort).
    const auto kind_rank = [&](content_kind k, bool specific) {
      if (soft) return k == content_kind::behavioral ? 0 : 10;
      switch (k) {
        case content_kind::technical: return 0;
        case content_kind::coding: return kind_present(k) ? 4 : -1;
        case content_kind::system_design: return kind_present(k) ? 5 : (specific ? -1 : 1);
        case content_kind::behavioral: return 9;
      }
      return 10;
    };
    struct option {
      const question_pattern* p;
      int specific;
      int rank;
    };
    std::vector<option> options;
    for (const auto& p : patterns) {
      const bool specific = p.skill == slug;
      if (!specific && p.skill != "*") continue;
      if (p.min_level && profile.level < *p.min_level) continue;
      if (!p.only_categories.empty() &&
          std::find(p.only_categories.begin(), p.only_categories.end(), profile.category) ==
              p.only_categories.end()) {
        continue;
      }
      // A generic coding pattern only for a language skill (fill keeps that language).
      if (!specific && p.body.kind == content_kind::coding && !is_supported_language(slug))
        continue;
      options.push_back({&p, specific ? 0 : 1, kind_rank(p.body.kind, specific)});
    }
    std::stable_sort(options.begin(), options.end(), [](const option& a, const option& b) {
      if (a.specific != b.specific) return a.specific < b.specific;
      if (a.rank != b.rank) return a.rank < b.rank;
      return a.p->id < b.p->id;
    });
    for (const auto& o : options) {
      const int minutes = std::clamp(o.p->body.expected_minutes, 1, 240);
      if (!room_for(minutes)) continue;
      content_item_body body = fill(*o.p, slug);
      std::vector<std::string> reasons;
      content_text::quality_reasons(body, {slug}, taxonomy, reasons);
      if (!reasons.empty()) continue;
      auto sh = content_text::item_shingles(body);
      if (near_duplicate(sh)) continue;
      generated_shingles.push_back(std::move(sh));
      generated_item g;
      g.body = std::move(body);
      g.rule = o.p->id;
      g.origin = "generated from job {job_id} by rule " + o.p->id;
      out.generated.push_back(std::move(g));
      proposed_entry e;
      e.generated_index = out.generated.size() - 1;
      e.section = section_title(o.p->body.kind);
      e.time_limit_minutes = minutes;
      add_entry(std::move(e), {i}, "generated:" + std::to_string(out.generated.size() - 1));
      return;
    }
  }

  void generate(bool want_required) {
    for (std::size_t i = 0; i < profile.skills.size(); ++i) {
      if (!covered[i] && required[i] == want_required) generate_for(i);
    }
  }
};

std::vector<question_pattern> parse_patterns(std::string_view text) {
  std::vector<question_pattern> out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("patterns") || !j["patterns"].is_array()) return out;
  for (const auto& e : j["patterns"]) {
    if (!e.is_object() || !e.contains("id") || !e["id"].is_string() || !e.contains("skill") ||
        !e["skill"].is_string()) {
      continue;
    }
    question_pattern p;
    p.id = e["id"].get<std::string>();
    p.skill = e["skill"].get<std::string>();
    nlohmann::json body = e;
    body.erase("id");
    body.erase("skill");
    body.erase("when");
    body["skills"] = {p.skill == "*" ? "placeholder" : p.skill};
    body["seniorities"] = {"mid"};
    body["categories"] = {"engineering"};
    if (!parse_item_body(body, p.body).empty()) continue;  // the unit tests check none is dropped
    p.body.skills.clear();
    p.body.seniorities.clear();
    p.body.categories.clear();
    if (const auto w = e.find("when"); w != e.end() && w->is_object()) {
      if (w->contains("min_seniority") && (*w)["min_seniority"].is_string()) {
        p.min_level = parse_seniority((*w)["min_seniority"].get<std::string>());
      }
      if (w->contains("categories") && (*w)["categories"].is_array()) {
        for (const auto& c : (*w)["categories"]) {
          if (!c.is_string()) continue;
          if (const auto cat = parse_job_category(c.get<std::string>()))
            p.only_categories.push_back(*cat);
        }
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::vector<question_pattern>& shipped_patterns() {
  static const std::vector<question_pattern> p = parse_patterns(shipped_patterns_json());
  return p;
}

template_proposal propose_template(const job_profile& profile,
                                   const std::vector<library_candidate>& library,
                                   const std::vector<question_pattern>& patterns,
                                   const skill_taxonomy& taxonomy, const proposal_options& opt) {
  proposer pr(profile, patterns, taxonomy, opt);
  pr.out.profile = profile;
  pr.limit = opt.target_minutes + opt.target_minutes / 10;
  const std::size_t n = profile.skills.size();
  pr.required.resize(n);
  pr.covered.assign(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = profile.skills[i];
    pr.profile_index.emplace(m.slug, i);
    pr.required[i] = m.required;
    skill_coverage row;
    row.skill = m.slug;
    const skill* sk = taxonomy.find(m.slug);
    row.label = sk ? sk->label : m.slug;
    row.required = m.required;
    pr.out.coverage.push_back(std::move(row));
  }

  // The newest version of each item, in item id order (the result must not depend on the order
  // storage answered in).
  std::vector<const library_candidate*> sorted;
  sorted.reserve(library.size());
  for (const auto& c : library) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(),
            [](const library_candidate* a, const library_candidate* b) {
              if (a->item_id != b->item_id) return a->item_id < b->item_id;
              return a->version > b->version;
            });
  const int want_difficulty = static_cast<int>(target_difficulty(profile.level));
  const int level = static_cast<int>(profile.level);
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    if (k > 0 && sorted[k]->item_id == sorted[k - 1]->item_id) continue;
    const auto& body = sorted[k]->body;
    pr.library_bodies.push_back(&body);
    candidate c;
    c.c = sorted[k];
    for (const auto& s : body.skills) {
      const auto it = pr.profile_index.find(s);
      if (it != pr.profile_index.end() &&
          std::find(c.covers.begin(), c.covers.end(), it->second) == c.covers.end()) {
        c.covers.push_back(it->second);
      }
    }
    std::sort(c.covers.begin(), c.covers.end());
    for (auto s : body.seniorities)
      c.seniority_gap = std::min(c.seniority_gap, distance(static_cast<int>(s), level));
    c.difficulty_gap = distance(static_cast<int>(body.level), want_difficulty);
    c.category_match = std::find(body.categories.begin(), body.categories.end(),
                                 profile.category) != body.categories.end();
    c.minutes = std::clamp(body.expected_minutes, 1, 240);
    if (c.covers.empty() && body.kind != content_kind::behavioral) continue;
    pr.cands.push_back(std::move(c));
  }

  pr.pick_behavioral();
  pr.greedy(true);
  pr.generate(true);
  pr.greedy(false);
  pr.generate(false);

  auto& entries = pr.out.entries;
  std::stable_sort(
      entries.begin(), entries.end(), [&](const proposed_entry& a, const proposed_entry& b) {
        const auto kind = [&](const proposed_entry& e) {
          return e.library ? e.library->body.kind : pr.out.generated[*e.generated_index].body.kind;
        };
        return section_rank(kind(a)) < section_rank(kind(b));
      });
  return std::move(pr.out);
}

}  // namespace hw::domain
