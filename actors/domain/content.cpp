#include "actors/domain/content.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "actors/domain/content_check.hpp"

namespace hw::domain {

namespace {

using nlohmann::json;
using namespace content_check;

// The limits of the item body (content.hpp documents the same numbers).
constexpr std::size_t title_max = 200;
constexpr std::size_t prompt_max = 20000;
constexpr std::size_t rubric_max = 5000;
constexpr std::int64_t minutes_max = 240;
constexpr std::size_t skills_max = 20;
constexpr std::size_t seniorities_max = 5;
constexpr std::size_t categories_max = 4;
constexpr std::size_t languages_max = 12;
constexpr std::size_t starter_code_max = 20000;
constexpr std::size_t test_cases_max = 50;
constexpr std::size_t test_name_max = 100;
constexpr std::size_t test_data_max = 100000;
constexpr std::int64_t weight_max = 100;

constexpr std::string_view unknown_name = "unknown";

std::string count_message(std::size_t lo, std::size_t hi, const char* what) {
  return "must hold " + std::to_string(lo) + ".." + std::to_string(hi) + " " + what;
}

bool is_slug(std::string_view s) noexcept {
  if (s.empty() || s.size() > 50) return false;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s[0])) return false;
  for (char c : s.substr(1)) {
    if (!alnum(c) && c != '+' && c != '#' && c != '.' && c != '-') return false;
  }
  return true;
}

// Reads an array of enum names into `out` (an unreadable element becomes `bad`, so indices stay
// aligned and `bad` never equals a real value); checks count and repeats.
template <class E, class Parse>
void read_enum_list(problems& ps, const json& obj, const char* key, const std::string& path,
                    std::size_t max, const char* what, Parse parse, const std::string& names,
                    std::vector<E>& out) {
  const json* arr = read_array(ps, obj, key, path);
  if (!arr) return;
  if (arr->empty() || arr->size() > max) ps.push_back({path, count_message(1, max, what)});
  std::set<E> seen;
  std::size_t i = 0;
  for (const auto& v : *arr) {
    const auto p = index_path(path, i++);
    std::optional<E> e;
    if (v.is_string()) e = parse(v.get_ref<const std::string&>());
    if (!e) {
      ps.push_back({p, names});
      continue;
    }
    if (!seen.insert(*e).second) ps.push_back({p, "appears more than once"});
    out.push_back(*e);
  }
}

template <class E, class Parse>
std::optional<E> read_enum(problems& ps, const json& obj, const char* key, const std::string& path,
                           Parse parse, const std::string& names) {
  const json* v = member(ps, obj, key, path, true);
  if (!v) return std::nullopt;
  std::optional<E> e;
  if (v->is_string()) e = parse(v->get_ref<const std::string&>());
  if (!e) ps.push_back({path, names});
  return e;
}

const std::string& kind_names() {
  static const std::string s = one_of({"behavioral", "technical", "system_design", "coding"});
  return s;
}
const std::string& difficulty_names() {
  static const std::string s = one_of({"easy", "medium", "hard"});
  return s;
}
const std::string& seniority_names() {
  static const std::string s = one_of({"intern", "junior", "mid", "senior", "staff_plus"});
  return s;
}
const std::string& category_names() {
  static const std::string s = one_of(
    {"engineering", "data", "product", "design", "sales", "support", "marketing", "operations"});
  return s;
}
const std::string& io_names() {
  static const std::string s = one_of({"stdin_stdout", "json"});
  return s;
}

void read_rubric(problems& ps, const json& body, rubric& out) {
  const json* r = member(ps, body, "rubric", "/rubric", true);
  if (!r) return;
  if (!expect_object(ps, *r, "/rubric")) return;
  refuse_unknown_keys(ps, *r, "/rubric", {"strong", "acceptable", "weak"});
  const auto level = [&](const char* key, std::string& dst) {
    const std::string path = std::string{"/rubric/"} + key;
    if (auto s = read_string(ps, *r, key, path)) {
      check_text(ps, path, *s, 1, rubric_max, text_kind::block);
      dst = std::move(*s);
    }
  };
  level("strong", out.strong);
  level("acceptable", out.acceptable);
  level("weak", out.weak);
}

void read_skills(problems& ps, const json& body, std::vector<std::string>& out) {
  const json* arr = read_array(ps, body, "skills", "/skills");
  if (!arr) return;
  if (arr->empty() || arr->size() > skills_max) {
    ps.push_back({"/skills", count_message(1, skills_max, "skills")});
  }
  std::set<std::string> seen;
  std::size_t i = 0;
  for (const auto& v : *arr) {
    const auto p = index_path("/skills", i++);
    if (!v.is_string() || !is_slug(v.get_ref<const std::string&>())) {
      ps.push_back({p,
                    "must be a skill slug: a-z or 0-9 first, then a-z 0-9 + # . -, at most 50 "
                    "characters"});
      continue;
    }
    const auto& s = v.get_ref<const std::string&>();
    if (!seen.insert(s).second) ps.push_back({p, "appears more than once"});
    out.push_back(s);
  }
}

void read_test_case(problems& ps, const json& v, const std::string& path, test_io io, bool io_known,
                    test_case& out) {
  if (!expect_object(ps, v, path)) return;
  refuse_unknown_keys(ps, v, path, {"name", "input", "expected_output", "visible", "weight"});
  if (auto s = read_string(ps, v, "name", path + "/name")) {
    check_text(ps, path + "/name", *s, 1, test_name_max, text_kind::line);
    out.name = std::move(*s);
  }
  const auto data = [&](const char* key, std::string& dst) {
    const std::string p = path + "/" + key;
    auto s = read_string(ps, v, key, p);
    if (!s) return;
    const auto before = ps.size();
    check_text(ps, p, *s, 0, test_data_max, text_kind::data);
    // json::accept builds no DOM: no recursion however deep the text nests.
    if (ps.size() == before && io_known && io == test_io::json && !json::accept(*s)) {
      ps.push_back({p, "must be valid JSON (io is json)"});
    }
    dst = std::move(*s);
  };
  data("input", out.input);
  data("expected_output", out.expected_output);
  if (auto b = read_bool(ps, v, "visible", path + "/visible")) out.visible = *b;
  if (auto w = read_int(ps, v, "weight", path + "/weight", 1, weight_max, false)) {
    out.weight = static_cast<int>(*w);
  }
}

void read_coding(problems& ps, const json& c, coding_spec& out) {
  const std::string path = "/coding";
  if (!expect_object(ps, c, path)) return;
  refuse_unknown_keys(ps, c, path, {"io", "languages", "starter_code", "test_cases"});

  bool io_known = true;
  if (const json* io = member(ps, c, "io", "/coding/io", false)) {
    std::optional<test_io> t;
    if (io->is_string()) t = parse_test_io(io->get_ref<const std::string&>());
    if (t) {
      out.io = *t;
    } else {
      ps.push_back({"/coding/io", io_names()});
      io_known = false;
    }
  }

  bool languages_known = false;
  if (const json* arr = read_array(ps, c, "languages", "/coding/languages")) {
    languages_known = true;
    if (arr->empty() || arr->size() > languages_max) {
      ps.push_back({"/coding/languages", count_message(1, languages_max, "languages")});
    }
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const auto& v : *arr) {
      const auto p = index_path("/coding/languages", i++);
      if (!v.is_string() || !is_supported_language(v.get_ref<const std::string&>())) {
        ps.push_back({p, "must be a supported language"});
        languages_known = false;
        continue;
      }
      const auto& s = v.get_ref<const std::string&>();
      if (!seen.insert(s).second) ps.push_back({p, "appears more than once"});
      out.languages.push_back(s);
    }
  }

  if (const json* sc = member(ps, c, "starter_code", "/coding/starter_code", false)) {
    if (expect_object(ps, *sc, "/coding/starter_code")) {
      for (auto it = sc->begin(); it != sc->end(); ++it) {
        const auto p = key_path("/coding/starter_code", it.key());
        const bool listed =
          std::find(out.languages.begin(), out.languages.end(), it.key()) != out.languages.end();
        if (!listed) {
          // Only a definite answer: an unreadable language list says nothing about this key.
          if (languages_known || !is_supported_language(it.key())) {
            ps.push_back({p, "must be one of the allowed languages"});
          }
        }
        if (!it->is_string()) {
          ps.push_back({p, "must be a string"});
          continue;
        }
        check_text(ps, p, it->get_ref<const std::string&>(), 0, starter_code_max, text_kind::block);
        out.starter_code[it.key()] = it->get_ref<const std::string&>();
      }
    }
  }

  if (const json* arr = read_array(ps, c, "test_cases", "/coding/test_cases")) {
    if (arr->empty() || arr->size() > test_cases_max) {
      ps.push_back({"/coding/test_cases", count_message(1, test_cases_max, "test cases")});
    }
    std::set<std::string> names;
    std::size_t i = 0;
    std::size_t visible = 0;
    std::size_t hidden = 0;
    bool all_read = true;
    for (const auto& v : *arr) {
      const auto p = index_path("/coding/test_cases", i++);
      test_case tc;
      read_test_case(ps, v, p, out.io, io_known, tc);
      const bool has_visible =
        v.is_object() && v.find("visible") != v.end() && v.find("visible")->is_boolean();
      all_read = all_read && has_visible;
      if (has_visible) (tc.visible ? visible : hidden) += 1;
      if (!tc.name.empty() && !names.insert(tc.name).second) {
        ps.push_back({p + "/name", "another test case has this name"});
      }
      out.test_cases.push_back(std::move(tc));
    }
    // Counted only over cases whose flag could be read, so a typo is not reported twice.
    if (all_read && !arr->empty()) {
      if (visible == 0)
        ps.push_back({"/coding/test_cases", "needs at least one visible test case"});
      if (hidden == 0) ps.push_back({"/coding/test_cases", "needs at least one hidden test case"});
    }
  }
}

json test_case_json(const test_case& t) {
  return json{{"name", t.name},
              {"input", t.input},
              {"expected_output", t.expected_output},
              {"visible", t.visible},
              {"weight", t.weight}};
}

}  // namespace

// ---- names -------------------------------------------------------------------------------------

std::string_view to_string(content_kind k) noexcept {
  switch (k) {
    case content_kind::behavioral: return "behavioral";
    case content_kind::technical: return "technical";
    case content_kind::system_design: return "system_design";
    case content_kind::coding: return "coding";
  }
  return unknown_name;
}

std::string_view to_string(difficulty d) noexcept {
  switch (d) {
    case difficulty::easy: return "easy";
    case difficulty::medium: return "medium";
    case difficulty::hard: return "hard";
  }
  return unknown_name;
}

std::string_view to_string(seniority s) noexcept {
  switch (s) {
    case seniority::intern: return "intern";
    case seniority::junior: return "junior";
    case seniority::mid: return "mid";
    case seniority::senior: return "senior";
    case seniority::staff_plus: return "staff_plus";
  }
  return unknown_name;
}

std::string_view to_string(job_category c) noexcept {
  switch (c) {
    case job_category::engineering: return "engineering";
    case job_category::data: return "data";
    case job_category::product: return "product";
    case job_category::design: return "design";
    case job_category::sales: return "sales";
    case job_category::support: return "support";
    case job_category::marketing: return "marketing";
    case job_category::operations: return "operations";
  }
  return unknown_name;
}

std::string_view to_string(test_io t) noexcept {
  switch (t) {
    case test_io::stdin_stdout: return "stdin_stdout";
    case test_io::json: return "json";
  }
  return unknown_name;
}

std::optional<content_kind> parse_content_kind(std::string_view s) noexcept {
  for (auto k : {content_kind::behavioral, content_kind::technical, content_kind::system_design,
                 content_kind::coding}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

std::optional<difficulty> parse_difficulty(std::string_view s) noexcept {
  for (auto d : {difficulty::easy, difficulty::medium, difficulty::hard}) {
    if (to_string(d) == s) return d;
  }
  return std::nullopt;
}

std::optional<seniority> parse_seniority(std::string_view s) noexcept {
  if (s == "staff+") return seniority::staff_plus;
  for (auto v : {seniority::intern, seniority::junior, seniority::mid, seniority::senior,
                 seniority::staff_plus}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

std::optional<job_category> parse_job_category(std::string_view s) noexcept {
  for (auto c : {job_category::engineering, job_category::data, job_category::product,
                 job_category::design, job_category::sales, job_category::support,
                 job_category::marketing, job_category::operations}) {
    if (to_string(c) == s) return c;
  }
  return std::nullopt;
}

std::optional<test_io> parse_test_io(std::string_view s) noexcept {
  if (s == "stdin_stdout") return test_io::stdin_stdout;
  if (s == "json") return test_io::json;
  return std::nullopt;
}

bool is_supported_language(std::string_view s) noexcept {
  for (auto l : supported_languages) {
    if (l == s) return true;
  }
  return false;
}

// ---- equality ----------------------------------------------------------------------------------

bool operator==(const test_case& a, const test_case& b) noexcept {
  return a.name == b.name && a.input == b.input && a.expected_output == b.expected_output &&
         a.visible == b.visible && a.weight == b.weight;
}

bool operator==(const coding_spec& a, const coding_spec& b) noexcept {
  return a.io == b.io && a.languages == b.languages && a.starter_code == b.starter_code &&
         a.test_cases == b.test_cases;
}

bool operator==(const rubric& a, const rubric& b) noexcept {
  return a.strong == b.strong && a.acceptable == b.acceptable && a.weak == b.weak;
}

bool operator==(const content_item_body& a, const content_item_body& b) noexcept {
  return a.kind == b.kind && a.title == b.title && a.prompt == b.prompt &&
         a.guidance == b.guidance && a.expected_minutes == b.expected_minutes &&
         a.level == b.level && a.skills == b.skills && a.seniorities == b.seniorities &&
         a.categories == b.categories && a.coding == b.coding;
}

bool operator==(const field_problem& a, const field_problem& b) noexcept {
  return a.path == b.path && a.message == b.message;
}

// ---- parse / validate / serialize --------------------------------------------------------------

std::vector<field_problem> parse_item_body(const json& j, content_item_body& out) {
  out = content_item_body{};
  problems ps;
  if (!expect_object(ps, j, "")) return ps;
  refuse_unknown_keys(ps, j, "",
                      {"kind", "title", "prompt", "rubric", "expected_minutes", "difficulty",
                       "skills", "seniorities", "categories", "coding"});

  const auto kind =
    read_enum<content_kind>(ps, j, "kind", "/kind", parse_content_kind, kind_names());
  if (kind) out.kind = *kind;

  if (auto s = read_string(ps, j, "title", "/title")) {
    check_text(ps, "/title", *s, 1, title_max, text_kind::line);
    out.title = std::move(*s);
  }
  if (auto s = read_string(ps, j, "prompt", "/prompt")) {
    check_text(ps, "/prompt", *s, 1, prompt_max, text_kind::block);
    out.prompt = std::move(*s);
  }
  read_rubric(ps, j, out.guidance);
  if (auto m = read_int(ps, j, "expected_minutes", "/expected_minutes", 1, minutes_max)) {
    out.expected_minutes = static_cast<int>(*m);
  }
  if (auto d = read_enum<difficulty>(ps, j, "difficulty", "/difficulty", parse_difficulty,
                                     difficulty_names())) {
    out.level = *d;
  }
  read_skills(ps, j, out.skills);
  read_enum_list<seniority>(ps, j, "seniorities", "/seniorities", seniorities_max, "seniorities",
                            parse_seniority, seniority_names(), out.seniorities);
  read_enum_list<job_category>(ps, j, "categories", "/categories", categories_max, "categories",
                               parse_job_category, category_names(), out.categories);

  const json* coding = member(ps, j, "coding", "/coding", false);
  if (kind == content_kind::coding && !coding) {
    ps.push_back({"/coding", "is required for a coding challenge"});
  } else if (kind && kind != content_kind::coding && coding) {
    ps.push_back({"/coding", "only a coding challenge has this"});
  }
  if (coding) {
    coding_spec spec;
    read_coding(ps, *coding, spec);
    out.coding = std::move(spec);
  }
  return ps;
}

std::vector<field_problem> validate_item_body(const content_item_body& b) {
  content_item_body tmp;
  return parse_item_body(to_json(b), tmp);
}

json to_json(const content_item_body& b) {
  json j = json::object();
  j["kind"] = std::string{to_string(b.kind)};
  j["title"] = b.title;
  j["prompt"] = b.prompt;
  j["rubric"] = json{{"strong", b.guidance.strong},
                     {"acceptable", b.guidance.acceptable},
                     {"weak", b.guidance.weak}};
  j["expected_minutes"] = b.expected_minutes;
  j["difficulty"] = std::string{to_string(b.level)};
  j["skills"] = b.skills;
  json sen = json::array();
  for (auto s : b.seniorities) sen.push_back(std::string{to_string(s)});
  j["seniorities"] = std::move(sen);
  json cat = json::array();
  for (auto c : b.categories) cat.push_back(std::string{to_string(c)});
  j["categories"] = std::move(cat);
  if (b.coding) {
    const auto& c = *b.coding;
    json tcs = json::array();
    for (const auto& t : c.test_cases) tcs.push_back(test_case_json(t));
    json starter = json::object();
    for (const auto& [lang, code] : c.starter_code) starter[lang] = code;
    j["coding"] = json{{"io", std::string{to_string(c.io)}},
                       {"languages", c.languages},
                       {"starter_code", std::move(starter)},
                       {"test_cases", std::move(tcs)}};
  }
  return j;
}

std::string describe(const std::vector<field_problem>& problems) {
  // Bounded: a body with thousands of unknown keys must not make a megabyte error detail.
  constexpr std::size_t shown_max = 30;
  std::string s;
  std::size_t shown = 0;
  for (const auto& p : problems) {
    if (shown == shown_max) {
      s += "; and " + std::to_string(problems.size() - shown_max) + " more";
      break;
    }
    if (!s.empty()) s += "; ";
    s += p.path.empty() ? std::string{"body"} : p.path;
    s += ": ";
    s += p.message;
    ++shown;
  }
  return s;
}

json candidate_view(const content_item_body& b) {
  json j = json::object();
  j["kind"] = std::string{to_string(b.kind)};
  j["title"] = b.title;
  j["prompt"] = b.prompt;
  j["expected_minutes"] = b.expected_minutes;
  if (b.kind == content_kind::coding && b.coding) {
    const auto& c = *b.coding;
    json visible = json::array();
    int hidden = 0;
    for (const auto& t : c.test_cases) {
      if (!t.visible) {
        ++hidden;
        continue;
      }
      visible.push_back(
        json{{"name", t.name}, {"input", t.input}, {"expected_output", t.expected_output}});
    }
    json starter = json::object();
    for (const auto& [lang, code] : c.starter_code) starter[lang] = code;
    j["coding"] = json{{"io", std::string{to_string(c.io)}},
                       {"languages", c.languages},
                       {"starter_code", std::move(starter)},
                       {"test_cases", std::move(visible)},
                       {"hidden_test_cases", hidden}};
  }
  return j;
}

}  // namespace hw::domain
