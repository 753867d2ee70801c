// extract_profile: job title + description (HTML) + requirements -> skills, seniority, category.
// One pass over the tokens against the phrase trie (content_text.hpp), so linear in the text.
//
// Ambiguous one-word skill names (skills.json "strict": "Go", "R", "C", "REST", "Swift", ...) are
// matched only when written exactly so (case-sensitive), not glued to a word by '-' or '&'
// ("Go-to-market", "R&D", "C-suite"), not next to a vetoing word of the skill ("Go to", "Series
// C"), and, at the start of a sentence, line or list item, only when a list context follows ("Go,"
// "Go/", "Go (") or a technical word ("Go and", "Go developer", "Go experience"). Longer names
// ("golang", "go-to-market") are tried first, the longest match wins.
//
// "Nice to have": a heading (<h1>..<h6>, a Markdown '#' line, or a line of at most 8 words ending
// in ':') holding a marker ("nice to have", "bonus", "preferred", "a plus", "desirable", ...) makes
// the lines up to the next heading preferred; any other heading ends that. Outside such a
// section, a sentence holding a marker is preferred ("Redis experience is a plus."). A skill is
// required when one mention is not preferred; the title is always required.
//
// Years: "N years", "N+ years", "N-M" / "N to M years" (N counts), "N or more years", qualified by
// '+', a range, "at least" / "minimum (of)" / "over" / "more than", or an experience word within
// six words after ("of professional experience"); "... ago" / "... old" never count. The largest
// required figure wins, else the largest preferred one.
#include <algorithm>
#include <array>
#include <unordered_set>

#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_text.hpp"

namespace hw::domain {

namespace {

using content_text::token;
using words = std::vector<std::string>;

// Words after a sentence-initial ambiguous name that make it a technology.
const std::unordered_set<std::string>& tech_followers() {
  static const std::unordered_set<std::string> s = {
      "and",         "or",           "developer", "developers",    "engineer",   "engineers",
      "engineering", "programming",  "language",  "languages",     "experience", "expertise",
      "proficiency", "skills",       "services",  "microservices", "backend",    "code",
      "codebase",    "applications", "apps",      "modules",       "runtime",    "ecosystem",
      "tooling",     "libraries",    "stack",     "apis",          "api",        "scripts",
      "scripting"};
  return s;
}

// Phrases that mark a sentence or a section as "nice to have".
const std::vector<words>& preferred_markers() {
  static const std::vector<words> m = {{"nice", "to", "have"},
                                       {"nice", "to", "haves"},
                                       {"bonus"},
                                       {"bonuses"},
                                       {"preferred"},
                                       {"a", "plus"},
                                       {"big", "plus"},
                                       {"huge", "plus"},
                                       {"added", "plus"},
                                       {"definite", "plus"},
                                       {"pluses"},
                                       {"desirable"},
                                       {"desired"},
                                       {"good", "to", "have"},
                                       {"optional"},
                                       {"would", "be", "great"},
                                       {"would", "be", "nice"},
                                       {"extra", "credit"},
                                       {"not", "required"},
                                       {"ideally"},
                                       {"advantageous"},
                                       {"an", "advantage"},
                                       {"nice", "if"}};
  return m;
}

bool words_at(const std::vector<token>& t, std::size_t i, const words& w) {
  if (i + w.size() > t.size()) return false;
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (t[i + k].lower != w[k]) return false;
    if (k > 0 && !t[i + k].joined) return false;
  }
  return true;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool strict_ok(const skill_taxonomy::impl::strict_rule& r, const std::vector<token>& t,
               std::size_t i, std::string_view text) {
  const token& tk = t[i];
  if (text.substr(tk.begin, tk.end - tk.begin) != r.form) return false;
  if (tk.glued_before || tk.glued_after) return false;
  const token* prev = i > 0 && tk.joined ? &t[i - 1] : nullptr;
  const token* next = i + 1 < t.size() && t[i + 1].joined ? &t[i + 1] : nullptr;
  if (prev && contains(r.not_after, prev->lower)) return false;
  if (next && contains(r.not_before, next->lower)) return false;
  if (!tk.clause_start || !next) return true;
  const std::string_view between = text.substr(tk.end, next->begin - tk.end);
  if (between.find_first_of("/()") != std::string_view::npos) return true;
  return tech_followers().count(next->lower) > 0;
}

std::optional<int> number_word(const std::string& w) {
  static const std::array<const char*, 16> names = {
      "zero",  "one",  "two", "three",  "four",   "five",     "six",      "seven",
      "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"};
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (w == names[k]) return static_cast<int>(k);
  }
  return std::nullopt;
}

// "5", "5+", "five" -> 5 (plus set for "5+"); 0..50 only.
std::optional<int> number_token(const std::string& w, bool& plus) {
  plus = false;
  std::string_view s = w;
  if (!s.empty() && s.back() == '+') {
    plus = true;
    s.remove_suffix(1);
  }
  if (s.empty()) return std::nullopt;
  if (s.size() <= 2 &&
      std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int v = std::stoi(std::string(s));
    return v <= 50 ? std::optional<int>(v) : std::nullopt;
  }
  return plus ? std::nullopt : number_word(std::string(s));
}

struct years_hit {
  int value = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool preferred = false;
};

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The phrase as written around [b, e) within its line: at most 80 bytes, whole words, no HTML.
std::string evidence(std::string_view text, std::uint32_t b, std::uint32_t e) {
  std::size_t lb = text.rfind('\n', b == 0 ? 0 : b - 1);
  lb = (lb == std::string_view::npos || b == 0) ? 0 : lb + 1;
  std::size_t le = text.find('\n', e);
  if (le == std::string_view::npos) le = text.size();
  const std::size_t match = e - b;
  const std::size_t room = match >= 76 ? 0 : (76 - match) / 2;
  std::size_t from = b > lb + room ? b - room : lb;
  std::size_t to = std::min(le, static_cast<std::size_t>(e) + room);
  if (from > lb) {  // drop the cut first word
    const std::size_t sp = text.find(' ', from);
    if (sp != std::string_view::npos && sp < b) from = sp + 1;
  }
  if (to < le) {
    const std::size_t sp = text.rfind(' ', to);
    if (sp != std::string_view::npos && sp >= e) to = sp;
  }
  while (from < b && utf8_continuation(text[from])) ++from;
  while (to > e && to < text.size() && utf8_continuation(text[to])) --to;
  std::string out = collapse(text.substr(from, to - from));
  if (out.size() > 80) {
    std::size_t cut = 80;
    while (cut > 0 && utf8_continuation(out[cut])) --cut;
    out.resize(cut);
  }
  return out;
}

struct title_rule {
  words phrase;
  int value;  // seniority or category index
};

// Title words -> seniority. The highest one in the title wins ("Senior Staff" is staff_plus).
const std::vector<title_rule>& seniority_words() {
  static const std::vector<title_rule> r = {{{"intern"}, 0},
                                            {{"interns"}, 0},
                                            {{"internship"}, 0},
                                            {{"trainee"}, 0},
                                            {{"apprentice"}, 0},
                                            {{"junior"}, 1},
                                            {{"jr"}, 1},
                                            {{"associate"}, 1},
                                            {{"graduate"}, 1},
                                            {{"grad"}, 1},
                                            {{"entry", "level"}, 1},
                                            {{"entry"}, 1},
                                            {{"mid", "level"}, 2},
                                            {{"mid"}, 2},
                                            {{"intermediate"}, 2},
                                            {{"ii"}, 2},
                                            {{"senior"}, 3},
                                            {{"sr"}, 3},
                                            {{"iii"}, 3},
                                            {{"staff"}, 4},
                                            {{"principal"}, 4},
                                            {{"lead"}, 4},
                                            {{"architect"}, 4},
                                            {{"distinguished"}, 4},
                                            {{"fellow"}, 4},
                                            {{"iv"}, 4}};
  return r;
}

// Title phrases -> category; the first one found in the title wins, longer phrases first at a
// position ("Product Designer" is design, "Data Engineer" is data, "Sales Engineer" is sales).
const std::vector<title_rule>& category_words() {
  using c = job_category;
  static const std::vector<title_rule> r = [] {
    std::vector<title_rule> v;
    const auto add = [&](c cat, std::initializer_list<words> ps) {
      for (const auto& p : ps) v.push_back({p, static_cast<int>(cat)});
    };
    add(c::data, {{"data", "scientist"},
                  {"data", "science"},
                  {"data", "engineer"},
                  {"data", "engineering"},
                  {"data", "analyst"},
                  {"data", "analytics"},
                  {"analytics", "engineer"},
                  {"machine", "learning", "engineer"},
                  {"machine", "learning"},
                  {"ml", "engineer"},
                  {"ml"},
                  {"ai", "engineer"},
                  {"analyst"},
                  {"scientist"},
                  {"statistician"},
                  {"business", "intelligence"},
                  {"bi", "developer"},
                  {"analytics"}});
    add(c::engineering, {{"growth", "engineer"},
                         {"design", "engineer"},
                         {"engineer"},
                         {"engineers"},
                         {"engineering"},
                         {"developer"},
                         {"programmer"},
                         {"sre"},
                         {"devops"},
                         {"architect"},
                         {"swe"},
                         {"software"},
                         {"qa"},
                         {"tester"},
                         {"cto"},
                         {"firmware"}});
    add(c::design, {{"product", "designer"},
                    {"content", "designer"},
                    {"ux", "researcher"},
                    {"designer"},
                    {"design"},
                    {"ux"},
                    {"ui"},
                    {"illustrator"}});
    add(c::product, {{"product", "manager"},
                     {"product", "owner"},
                     {"product", "lead"},
                     {"product", "management"},
                     {"product"}});
    add(c::sales, {{"sales", "engineer"},
                   {"sales"},
                   {"account", "executive"},
                   {"sdr"},
                   {"bdr"},
                   {"business", "development"},
                   {"account", "manager"},
                   {"sales", "development"}});
    add(c::support, {{"support", "engineer"},
                     {"customer", "success"},
                     {"customer", "service"},
                     {"customer", "experience"},
                     {"customer", "support"},
                     {"support"},
                     {"helpdesk"},
                     {"help", "desk"}});
    add(c::marketing, {{"product", "marketing"},
                       {"marketing"},
                       {"marketer"},
                       {"seo"},
                       {"growth"},
                       {"content"},
                       {"brand"},
                       {"communications"},
                       {"copywriter"},
                       {"social", "media"},
                       {"demand", "generation"}});
    add(c::operations, {{"operations"},
                        {"ops"},
                        {"project", "manager"},
                        {"program", "manager"},
                        {"logistics"},
                        {"supply", "chain"},
                        {"procurement"},
                        {"finance"},
                        {"financial"},
                        {"accountant"},
                        {"hr"},
                        {"people"},
                        {"recruiter"},
                        {"office", "manager"},
                        {"chief", "of", "staff"},
                        {"coordinator"}});
    // Longest phrases first so a position tries "product designer" before "product".
    std::stable_sort(v.begin(), v.end(), [](const title_rule& a, const title_rule& b) {
      return a.phrase.size() > b.phrase.size();
    });
    return v;
  }();
  return r;
}

struct line_info {
  bool heading = false;
  bool part_start = false;
};

std::vector<line_info> analyse_lines(std::string_view text, const std::vector<token>& toks,
                                     const std::vector<std::uint32_t>& part_starts) {
  std::vector<line_info> lines;
  std::vector<std::uint32_t> words_in_line;
  for (const auto& t : toks) {
    if (t.line >= words_in_line.size()) words_in_line.resize(t.line + 1, 0);
    ++words_in_line[t.line];
  }
  std::size_t b = 0;
  std::uint32_t li = 0;
  while (b <= text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    line_info info;
    std::size_t f = b;
    while (f < e && (text[f] == ' ' || text[f] == '\t' || text[f] == '\r')) ++f;
    std::size_t l = e;
    while (l > f && (text[l - 1] == ' ' || text[l - 1] == '\t' || text[l - 1] == '\r')) --l;
    const std::uint32_t nw = li < words_in_line.size() ? words_in_line[li] : 0;
    if (f < e) {
      info.heading = text[f] == content_text::heading_mark || text[f] == '#' ||
                     (l > f && text[l - 1] == ':' && nw <= 8);
    }
    info.part_start = std::find(part_starts.begin(), part_starts.end(), li) != part_starts.end();
    lines.push_back(info);
    ++li;
    b = e + 1;
  }
  return lines;
}

}  // namespace

job_profile extract_profile(std::string_view title, std::string_view description_html,
                            std::string_view requirements, const skill_taxonomy& taxonomy) {
  job_profile p;
  // One text: the title on line 0, then the description, then the requirements.
  std::string title_plain = content_text::strip_html(title);
  std::replace(title_plain.begin(), title_plain.end(), '\n', ' ');
  std::replace(title_plain.begin(), title_plain.end(), content_text::heading_mark, ' ');
  std::string text = title_plain;
  text += '\n';
  const auto desc_line = static_cast<std::uint32_t>(1);
  text += content_text::strip_html(description_html);
  const auto req_line = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
  text += '\n';
  text += content_text::strip_html(requirements);

  const std::vector<token> toks = content_text::tokenize(text);
  const std::vector<line_info> lines = analyse_lines(text, toks, {desc_line, req_line});

  // Which segments / lines carry a "nice to have" marker.
  std::unordered_set<std::uint32_t> marked_segments;
  std::unordered_set<std::uint32_t> marked_lines;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].line == 0) continue;
    for (const auto& m : preferred_markers()) {
      if (m[0] == toks[i].lower && words_at(toks, i, m)) {
        marked_segments.insert(toks[i].segment);
        marked_lines.insert(toks[i].line);
        break;
      }
    }
  }
  std::vector<bool> section_preferred(lines.size(), false);
  {
    bool state = false;
    for (std::size_t li = 0; li < lines.size(); ++li) {
      if (lines[li].part_start) state = false;
      if (lines[li].heading) state = marked_lines.count(static_cast<std::uint32_t>(li)) > 0;
      section_preferred[li] = state;
    }
  }
  std::vector<bool> preferred(toks.size(), false);
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const token& t = toks[i];
    if (t.line == 0 || t.line >= lines.size()) continue;
    preferred[i] = section_preferred[t.line] ||
                   (!lines[t.line].heading && marked_segments.count(t.segment) > 0);
  }

  // Skills: longest phrase at each position.
  struct acc {
    int mentions = 0;
    bool required = false;
    std::size_t first = 0;
    std::uint32_t ev_begin = 0, ev_end = 0;
    bool ev_required = false;
  };
  std::unordered_map<std::size_t, acc> found;
  const auto ix = taxonomy.index();
  const auto& skills = taxonomy.all();
  if (ix) {
    std::size_t i = 0;
    while (i < toks.size()) {
      std::uint32_t node = 0;
      std::int32_t best_skill = -1;
      std::size_t best_len = 0;
      for (std::size_t k = 0; i + k < toks.size(); ++k) {
        const token& t = toks[i + k];
        if (k > 0 && !t.joined) break;
        const auto it = ix->trie[node].next.find(t.lower);
        if (it == ix->trie[node].next.end()) break;
        node = it->second;
        const auto& nd = ix->trie[node];
        if (nd.skill < 0) continue;
        if (k == 0 && nd.strict >= 0 && !strict_ok(ix->strict_rules[nd.strict], toks, i, text))
          continue;
        best_skill = nd.skill;
        best_len = k + 1;
      }
      if (best_skill < 0) {
        ++i;
        continue;
      }
      const auto idx = static_cast<std::size_t>(best_skill);
      const bool req = !preferred[i];
      auto [it, fresh] = found.try_emplace(idx);
      acc& a = it->second;
      if (fresh) a.first = i;
      ++a.mentions;
      a.required = a.required || req;
      if (fresh || (req && !a.ev_required)) {
        a.ev_begin = toks[i].begin;
        a.ev_end = toks[i + best_len - 1].end;
        a.ev_required = req;
      }
      i += best_len;
    }
  }
  std::vector<std::pair<std::size_t, acc>> ordered(found.begin(), found.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& x, const auto& y) {
    if (x.second.required != y.second.required) return x.second.required;
    if (x.second.mentions != y.second.mentions) return x.second.mentions > y.second.mentions;
    return x.second.first < y.second.first;
  });
  for (const auto& [idx, a] : ordered) {
    skill_mention m;
    m.slug = skills[idx].slug;
    m.mentions = a.mentions;
    m.required = a.required;
    m.evidence = evidence(text, a.ev_begin, a.ev_end);
    p.skills.push_back(std::move(m));
  }

  // Years of experience.
  std::vector<years_hit> hits;
  for (std::size_t i = 0; i < toks.size(); ++i) {
    bool plus = false;
    const auto n1 = number_token(toks[i].lower, plus);
    if (!n1) continue;
    std::size_t k = i + 1;
    bool qualified = plus;
    const auto at = [&](std::size_t x, const char* w) {
      return x < toks.size() && toks[x].joined && toks[x].lower == w;
    };
    bool p2 = false;
    if (k < toks.size() && toks[k].joined && toks[k].glued_before &&
        number_token(toks[k].lower, p2)) {
      ++k;  // "5-7"
      qualified = true;
    } else if (at(k, "to") && k + 1 < toks.size() && toks[k + 1].joined &&
               number_token(toks[k + 1].lower, p2)) {
      k += 2;  // "5 to 7"
      qualified = true;
    }
    if (at(k, "or") && at(k + 1, "more")) {
      k += 2;
      qualified = true;
    }
    if (!(at(k, "years") || at(k, "year") || at(k, "yrs") || at(k, "yr"))) continue;
    const std::size_t after = k + 1;
    if (at(after, "ago") || at(after, "old")) continue;
    std::size_t from = i;
    if (i >= 2 && toks[i].joined && toks[i - 1].lower == "least" && toks[i - 2].lower == "at") {
      from = i - 2;
      qualified = true;
    } else if (i >= 1 && toks[i].joined &&
               (toks[i - 1].lower == "minimum" || toks[i - 1].lower == "min" ||
                toks[i - 1].lower == "over")) {
      from = i - 1;
      qualified = true;
    } else if (i >= 2 && toks[i].joined && toks[i - 1].lower == "of" &&
               toks[i - 2].lower == "minimum") {
      from = i - 2;
      qualified = true;
    } else if (i >= 2 && toks[i].joined && toks[i - 1].lower == "than" &&
               toks[i - 2].lower == "more") {
      from = i - 2;
      qualified = true;
    }
    std::size_t to = k;
    static const std::unordered_set<std::string> exp_words = {
        "experience", "exp",     "experienced", "professional",
        "industry",   "working", "hands",       "relevant"};
    for (std::size_t x = after;
         x < toks.size() && x < after + 6 && toks[x].segment == toks[k].segment; ++x) {
      if (exp_words.count(toks[x].lower)) {
        to = x;
        qualified = true;
        break;
      }
    }
    if (!qualified) continue;
    hits.push_back({*n1, toks[from].begin, toks[to].end, preferred[i]});
    i = k;  // "5-7 years": the 7 is not a figure of its own
  }
  const years_hit* best = nullptr;
  for (const auto& h : hits) {
    if (h.preferred) continue;
    if (!best || h.value > best->value) best = &h;
  }
  if (!best) {
    for (const auto& h : hits) {
      if (!best || h.value > best->value) best = &h;
    }
  }
  if (best) p.years = best->value;

  // Seniority: title words, else years, else mid.
  const auto title_toks = content_text::tokenize(title_plain);
  int title_level = -1;
  std::string title_word;
  for (std::size_t i = 0; i < title_toks.size(); ++i) {
    if (title_toks[i].lower == "lead" && i + 1 < title_toks.size() &&
        (title_toks[i + 1].lower == "generation" || title_toks[i + 1].lower == "gen")) {
      continue;  // "Lead Generation Specialist"
    }
    for (const auto& r : seniority_words()) {
      if (r.phrase[0] != title_toks[i].lower || !words_at(title_toks, i, r.phrase)) continue;
      if (r.value > title_level) {
        title_level = r.value;
        const auto end = title_toks[i + r.phrase.size() - 1].end;
        title_word = title_plain.substr(title_toks[i].begin, end - title_toks[i].begin);
      }
      break;
    }
  }
  if (title_level >= 0) {
    p.level = static_cast<seniority>(title_level);
    p.level_reason = "title says " + title_word;
  } else if (p.years) {
    const int y = *p.years;
    p.level = y <= 1   ? seniority::junior
              : y <= 4 ? seniority::mid
              : y <= 7 ? seniority::senior
                       : seniority::staff_plus;
    p.level_reason = collapse(std::string_view(text).substr(best->begin, best->end - best->begin));
  } else {
    p.level = seniority::mid;
    p.level_reason = "no seniority in the title or years of experience: mid";
  }

  // Category: title phrases, else the majority of the (non-soft) skills.
  std::optional<job_category> cat;
  for (std::size_t i = 0; i < title_toks.size() && !cat; ++i) {
    for (const auto& r : category_words()) {
      if (r.phrase[0] == title_toks[i].lower && words_at(title_toks, i, r.phrase)) {
        cat = static_cast<job_category>(r.value);
        break;
      }
    }
  }
  if (!cat) {
    std::array<int, 8> votes{};
    for (const auto& [idx, a] : ordered) {
      if (ix && ix->soft[idx]) continue;
      votes[static_cast<std::size_t>(skills[idx].category)] += a.required ? 2 : 1;
    }
    const auto top = std::max_element(votes.begin(), votes.end());
    if (*top > 0) cat = static_cast<job_category>(top - votes.begin());
  }
  p.category = cat.value_or(job_category::engineering);
  return p;
}

}  // namespace hw::domain
