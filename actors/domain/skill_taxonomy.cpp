// The skill taxonomy (shipped data/skills.json plus an organization's own skills) and the text
// helpers of content_text.hpp (HTML stripping, tokenizer) that the index and the extractor share.
#include <algorithm>
#include <set>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "actors/domain/content_check.hpp"
#include "actors/domain/content_data.hpp"
#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_text.hpp"

namespace hw::domain {

namespace content_text {

namespace {

bool ascii_alnum(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool ascii_alpha(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Bytes of a separator sequence starting at i (U+2000..U+207F: dashes, quotes, bullets,
// ellipsis; U+00A0 no-break space), else 0.
std::size_t unicode_separator(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (b(i) == 0xE2 && i + 2 < s.size() && (b(i + 1) == 0x80 || b(i + 1) == 0x81)) return 3;
  if (b(i) == 0xC2 && i + 1 < s.size() && b(i + 1) == 0xA0) return 2;
  return 0;
}

bool word_byte(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (ascii_alnum(c)) return true;
  return c >= 0x80 && unicode_separator(s, i) == 0;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return;
  if (cp == 0xA0) {
    out += ' ';
  } else if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes the entity at s[i] == '&' into out; answers the bytes consumed (1: not an entity).
std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out) {
  const std::size_t semi = s.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 10 || semi == i + 1) {
    out += '&';
    return 1;
  }
  const std::string_view name = s.substr(i + 1, semi - i - 1);
  if (name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    bool ok = !digits.empty() && digits.size() <= 7;
    for (char c : digits) {
      const auto u = static_cast<unsigned char>(c);
      int v = -1;
      if (u >= '0' && u <= '9')
        v = u - '0';
      else if (hex && u >= 'a' && u <= 'f')
        v = u - 'a' + 10;
      else if (hex && u >= 'A' && u <= 'F')
        v = u - 'A' + 10;
      if (v < 0) {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
    }
    if (!ok) {
      out += '&';
      return 1;
    }
    append_utf8(out, cp);
    return semi - i + 1;
  }
  static const std::unordered_map<std::string_view, std::string_view> named = {
      {"amp", "&"},    {"lt", "<"},     {"gt", ">"},       {"quot", "\""}, {"apos", "'"},
      {"nbsp", " "},   {"ndash", "-"},  {"mdash", "-"},    {"lsquo", "'"}, {"rsquo", "'"},
      {"ldquo", "\""}, {"rdquo", "\""}, {"hellip", "..."}, {"bull", "-"},  {"middot", "-"},
      {"copy", " "},   {"reg", " "},    {"trade", " "},    {"shy", ""},    {"zwj", ""}};
  const auto it = named.find(name);
  if (it == named.end()) {
    out += '&';
    return 1;
  }
  out += it->second;
  return semi - i + 1;
}

bool block_tag(std::string_view name) noexcept {
  static const std::set<std::string_view> blocks = {
      "p",   "div",    "br",         "li",      "ul",     "ol",     "h1",
      "h2",  "h3",     "h4",         "h5",      "h6",     "tr",     "td",
      "th",  "table",  "section",    "article", "header", "footer", "blockquote",
      "pre", "hr",     "dt",         "dd",      "dl",     "main",   "aside",
      "nav", "figure", "figcaption", "summary", "details"};
  return blocks.count(name) > 0;
}

std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) noexcept {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && lower(hay[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string strip_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool no_more_gt = false;  // a '>' search already failed: every later '<' is literal
  std::size_t i = 0;
  const std::size_t n = html.size();
  while (i < n) {
    const char c = html[i];
    if (c == '&') {
      i += decode_entity(html, i, out);
      continue;
    }
    if (c != '<' || no_more_gt || i + 1 >= n) {
      out += c;
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t e = html.find("-->", i + 4);
      i = e == std::string_view::npos ? n : e + 3;
      continue;
    }
    const auto next = static_cast<unsigned char>(html[i + 1]);
    if (!ascii_alpha(next) && next != '/' && next != '!' && next != '?') {
      out += c;
      ++i;
      continue;
    }
    const std::size_t gt = html.find('>', i + 1);
    if (gt == std::string_view::npos) {
      no_more_gt = true;
      out += c;
      ++i;
      continue;
    }
    const bool closing = next == '/';
    std::size_t k = i + (closing ? 2 : 1);
    std::string name;
    while (k < gt && ascii_alnum(static_cast<unsigned char>(html[k])) && name.size() < 16) {
      name += lower(html[k++]);
    }
    i = gt + 1;
    if (!closing && (name == "script" || name == "style")) {
      const std::size_t end = find_ci(html, name == "script" ? "</script" : "</style", i);
      i = end == std::string_view::npos ? n : end;
      continue;
    }
    if (block_tag(name)) {
      out += '\n';
      if (!closing && name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
        out += heading_mark;
      }
    }
  }
  return out;
}

std::vector<token> tokenize(std::string_view text) {
  std::vector<token> out;
  const std::size_t n = text.size();
  out.reserve(n / 6 + 1);
  bool clause = true;   // the next word starts a clause
  bool joined = false;  // nothing phrase-breaking since the previous word
  std::uint32_t segment = 0;
  std::uint32_t line = 0;
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    const bool dot_word = c == '.' && i + 1 < n &&
                          ascii_alpha(static_cast<unsigned char>(text[i + 1])) &&
                          (i == 0 || !word_byte(text, i - 1));
    if (!dot_word && !word_byte(text, i)) {
      if (const std::size_t sep = unicode_separator(text, i)) {
        i += sep;  // dashes, quotes, bullets: like a space
        continue;
      }
      switch (c) {
        case '\n':
          ++line;
          ++segment;
          clause = true;
          joined = false;
          break;
        case '.':
        case '!':
        case '?':
        case ';':
          ++segment;
          clause = true;
          joined = false;
          break;
        case ':':
          clause = true;
          joined = false;
          break;
        case ' ':
        case '\t':
        case '\r':
        case '-':
        case '*':
        case '#':
        case heading_mark: break;  // bullets and spaces keep a clause start
        case '/':
        case '&':
        case '(':
        case ')':
        case '\'':
        case '"':
        case '+': clause = false; break;
        default:  // ',', '|', brackets, other punctuation
          clause = false;
          joined = false;
          break;
      }
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (dot_word) ++i;
    while (i < n) {
      if (word_byte(text, i)) {
        ++i;
      } else if (text[i] == '.' && i > start && i + 1 < n && word_byte(text, i + 1) &&
                 word_byte(text, i - 1)) {
        ++i;
      } else {
        break;
      }
    }
    std::size_t j = i;
    while (j < n && j - i < 2 && (text[j] == '+' || text[j] == '#')) ++j;
    if (j > i && (j >= n || !ascii_alpha(static_cast<unsigned char>(text[j])))) i = j;
    token t;
    t.begin = static_cast<std::uint32_t>(start);
    t.end = static_cast<std::uint32_t>(i);
    t.lower = lower_ascii(text.substr(start, i - start));
    t.clause_start = clause;
    t.joined = joined && !out.empty();
    t.glued_before = start > 0 && (text[start - 1] == '-' || text[start - 1] == '&');
    t.glued_after = i < n && (text[i] == '-' || text[i] == '&');
    t.segment = segment;
    t.line = line;
    out.push_back(std::move(t));
    clause = false;
    joined = true;
  }
  return out;
}

std::string normalize_phrase(std::string_view s) {
  std::string out;
  for (const auto& t : tokenize(s)) {
    if (!out.empty()) out += ' ';
    out += t.lower;
  }
  return out;
}

std::vector<std::string> plain_words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t sep = unicode_separator(text, i)) {
      if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
      i += sep;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (ascii_alnum(c) || c >= 0x80) {
      cur += lower(text[i]);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
    ++i;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

}  // namespace content_text

namespace {

using content_text::normalize_phrase;
using impl_t = skill_taxonomy::impl;

// What skills.json says beyond the `skill` struct.
struct skill_extras {
  std::vector<impl_t::strict_rule> strict;
  std::vector<std::string> no_match;  // normalized names not matched in job texts
  bool soft = false;
};
using extras_map = std::unordered_map<std::string, skill_extras>;

std::vector<std::string> split_words(const std::string& key) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= key.size()) {
    const std::size_t e = key.find(' ', b);
    const std::size_t end = e == std::string::npos ? key.size() : e;
    if (end > b) out.push_back(key.substr(b, end - b));
    b = end + 1;
  }
  return out;
}

std::shared_ptr<const impl_t> build_index(const std::vector<skill>& skills,
                                          const extras_map& extras) {
  auto ix = std::make_shared<impl_t>();
  ix->soft.assign(skills.size(), false);
  ix->phrases.resize(skills.size());
  ix->strict_forms.resize(skills.size());
  for (std::size_t idx = 0; idx < skills.size(); ++idx) {
    const skill& s = skills[idx];
    ix->by_slug.emplace(s.slug, idx);
    const auto ex = extras.find(s.slug);
    const skill_extras* x = ex == extras.end() || s.custom ? nullptr : &ex->second;
    if (x) ix->soft[idx] = x->soft;
    std::vector<std::string> names{s.label, s.slug};
    names.insert(names.end(), s.synonyms.begin(), s.synonyms.end());
    if (x) {
      for (const auto& r : x->strict) names.push_back(r.form);
    }
    std::set<std::string> seen;
    for (const auto& name : names) {
      const std::string key = normalize_phrase(name);
      if (key.empty() || !seen.insert(key).second) continue;
      const bool taken = !ix->by_phrase.emplace(key, idx).second;
      auto words = split_words(key);
      ix->phrases[idx].push_back(words);
      if (taken) continue;  // an earlier (shipped) skill keeps the name
      if (x && std::find(x->no_match.begin(), x->no_match.end(), key) != x->no_match.end())
        continue;
      std::uint32_t node = 0;
      for (const auto& w : words) {
        auto it = ix->trie[node].next.find(w);
        if (it == ix->trie[node].next.end()) {
          ix->trie.push_back({});
          it =
              ix->trie[node].next.emplace(w, static_cast<std::uint32_t>(ix->trie.size() - 1)).first;
        }
        node = it->second;
      }
      if (ix->trie[node].skill < 0) ix->trie[node].skill = static_cast<std::int32_t>(idx);
    }
    if (!x) continue;
    for (const auto& r : x->strict) {
      ix->strict_forms[idx].push_back(r.form);
      const std::string key = normalize_phrase(r.form);
      const auto edge = ix->trie[0].next.find(key);
      if (edge == ix->trie[0].next.end()) continue;
      auto& node = ix->trie[edge->second];
      if (node.skill != static_cast<std::int32_t>(idx)) continue;
      ix->strict_rules.push_back(r);
      node.strict = static_cast<std::int32_t>(ix->strict_rules.size() - 1);
    }
  }
  return ix;
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key, bool lower) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (!v.is_string()) continue;
    out.push_back(lower ? content_text::lower_ascii(v.get<std::string>()) : v.get<std::string>());
  }
  return out;
}

struct shipped_data {
  std::vector<skill> skills;
  extras_map extras;
};

// Parses the embedded skills.json once. A broken file yields an empty taxonomy (the unit tests
// check the shipped one has >= 150 skills).
const shipped_data& shipped_skills() {
  static const shipped_data data = [] {
    shipped_data d;
    const auto j = nlohmann::json::parse(shipped_skills_json(), nullptr, false);
    if (!j.is_object() || !j.contains("skills") || !j["skills"].is_array()) return d;
    for (const auto& e : j["skills"]) {
      if (!e.is_object()) continue;
      skill s;
      s.slug = e.value("slug", "");
      s.label = e.value("label", "");
      s.synonyms = string_list(e, "synonyms", true);
      s.category = parse_job_category(e.value("category", "engineering"))
                       .value_or(job_category::engineering);
      if (s.slug.empty() || s.label.empty()) continue;
      skill_extras x;
      x.soft = e.value("soft", false);
      const auto not_before = string_list(e, "not_before", true);
      const auto not_after = string_list(e, "not_after", true);
      for (const auto& form : string_list(e, "strict", false)) {
        x.strict.push_back({form, not_before, not_after});
      }
      for (const auto& nm : string_list(e, "no_match", false))
        x.no_match.push_back(normalize_phrase(nm));
      d.extras.emplace(s.slug, std::move(x));
      d.skills.push_back(std::move(s));
    }
    return d;
  }();
  return data;
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

}  // namespace

const skill_taxonomy& skill_taxonomy::shipped() {
  static const skill_taxonomy t = [] {
    skill_taxonomy x;
    x.skills_ = shipped_skills().skills;
    x.impl_ = build_index(x.skills_, shipped_skills().extras);
    return x;
  }();
  return t;
}

skill_taxonomy skill_taxonomy::with(std::vector<skill> custom) const {
  skill_taxonomy x;
  x.skills_ = skills_;
  std::sort(custom.begin(), custom.end(),
            [](const skill& a, const skill& b) { return a.slug < b.slug; });
  for (auto& s : custom) {
    const bool known = std::any_of(x.skills_.begin(), x.skills_.end(),
                                   [&](const skill& k) { return k.slug == s.slug; });
    if (known) continue;
    s.custom = true;
    x.skills_.push_back(std::move(s));
  }
  x.impl_ = build_index(x.skills_, shipped_skills().extras);
  return x;
}

std::optional<std::string> skill_taxonomy::canonical(std::string_view name) const {
  if (!impl_) return std::nullopt;
  const auto it = impl_->by_phrase.find(normalize_phrase(name));
  if (it == impl_->by_phrase.end()) return std::nullopt;
  return skills_[it->second].slug;
}

const skill* skill_taxonomy::find(std::string_view slug) const {
  if (!impl_) return nullptr;
  const auto it = impl_->by_slug.find(std::string(slug));
  return it == impl_->by_slug.end() ? nullptr : &skills_[it->second];
}

const std::vector<skill>& skill_taxonomy::all() const noexcept { return skills_; }

std::vector<field_problem> validate_custom_skill(const skill& s, const skill_taxonomy& base) {
  std::vector<field_problem> ps;
  using content_check::check_text;
  using content_check::text_kind;
  if (!is_slug(s.slug)) {
    ps.push_back({"/slug", "must match ^[a-z0-9][a-z0-9+#.-]{0,49}$"});
  } else if (base.find(s.slug) || base.canonical(s.slug)) {
    ps.push_back({"/slug", "already names the skill " + base.canonical(s.slug).value_or(s.slug)});
  }
  const std::size_t before_label = ps.size();
  check_text(ps, "/label", s.label, 1, 60, text_kind::line);
  if (const auto c = base.canonical(s.label); c && ps.size() == before_label) {
    ps.push_back({"/label", "already names the skill " + *c});
  }
  if (s.synonyms.size() > 20) ps.push_back({"/synonyms", "must hold 0..20 synonyms"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < s.synonyms.size() && i < 20; ++i) {
    const std::string path = "/synonyms/" + std::to_string(i);
    const std::size_t before = ps.size();
    check_text(ps, path, s.synonyms[i], 1, 60, text_kind::line);
    if (ps.size() != before) continue;
    const std::string key = normalize_phrase(s.synonyms[i]);
    if (key.empty()) {
      ps.push_back({path, "must contain a letter or digit"});
    } else if (!seen.insert(key).second) {
      ps.push_back({path, "appears more than once"});
    } else if (const auto c = base.canonical(key)) {
      ps.push_back({path, "already names the skill " + *c});
    }
  }
  return ps;
}

}  // namespace hw::domain
