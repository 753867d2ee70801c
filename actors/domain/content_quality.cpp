// quality_check: the filters every generated item (rule patterns and LLM) passes, and the
// word-shingle similarity used for near-duplicates.
#include <algorithm>
#include <cstdio>

#include "actors/domain/content_check.hpp"
#include "actors/domain/content_generation.hpp"
#include "actors/domain/content_text.hpp"

namespace hw::domain {

namespace content_text {

namespace {

constexpr std::size_t title_min = 8, title_max = 200;
constexpr std::size_t prompt_min = 40, prompt_max = 4000;

std::size_t chars(std::string_view s) { return content_check::utf8_length(s).value_or(s.size()); }

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// As in the tokenizer: U+2000..U+207F and U+00A0 separate words.
std::size_t unicode_separator_bytes(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (b(i) == 0xE2 && i + 2 < s.size() && (b(i + 1) == 0x80 || b(i + 1) == 0x81)) return 3;
  if (b(i) == 0xC2 && i + 1 < s.size() && b(i + 1) == 0xA0) return 2;
  return 0;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Documentation domains (RFC 2606 / 6761) may appear in examples.
bool example_domain(const std::string& d) {
  return d == "example.com" || d == "example.org" || d == "example.net" ||
         ends_with(d, ".example.com") || ends_with(d, ".example") || ends_with(d, ".test") ||
         ends_with(d, ".invalid") || d == "localhost";
}

bool has_email(std::string_view s) {
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    std::size_t b = at;
    while (b > 0 && (is_alnum(s[b - 1]) ||
                     std::string_view("._%+-").find(s[b - 1]) != std::string_view::npos))
      --b;
    if (b == at) continue;
    std::size_t e = at + 1;
    while (e < s.size() && (is_alnum(s[e]) || s[e] == '-' || s[e] == '.')) ++e;
    std::string domain(s.substr(at + 1, e - at - 1));
    while (!domain.empty() && domain.back() == '.') domain.pop_back();
    const std::size_t dot = domain.rfind('.');
    if (dot == std::string::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    for (char& c : domain) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!example_domain(domain)) return true;
  }
  return false;
}

// A phone number: "+" and 8..15 digits (separators allowed), or 3..5 groups of 2..4 digits, 9..15
// digits in all, the last group of 4, with at least one '-', '.' or parenthesis between them
// ("555-123-4567", "(555) 123 4567", "+44 20 7946 0958"). Plain space-separated numbers (test
// data, "1000 2000 3000") are not flagged.
bool has_phone(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const bool start = (c == '+' || c == '(' || is_digit(c)) && (i == 0 || !is_alnum(s[i - 1]));
    if (!start) {
      ++i;
      continue;
    }
    const bool plus = c == '+';
    std::vector<std::size_t> groups;
    bool punct = c == '(';
    std::size_t j = plus ? i + 1 : i;
    std::size_t cur = 0;
    while (j < s.size()) {
      const char d = s[j];
      if (is_digit(d)) {
        ++cur;
      } else if (d == ' ' || d == '-' || d == '.' || d == '(' || d == ')') {
        if (cur) groups.push_back(cur), cur = 0;
        if (d != ' ') punct = true;
        if (j + 1 < s.size() && !is_digit(s[j + 1]) && s[j + 1] != ' ' && s[j + 1] != '(') break;
      } else {
        break;
      }
      ++j;
    }
    if (cur) groups.push_back(cur);
    std::size_t digits = 0;
    for (auto g : groups) digits += g;
    const bool alnum_after = j < s.size() && is_alnum(s[j]);
    if (!alnum_after && !groups.empty()) {
      if (plus && digits >= 8 && digits <= 15) return true;
      const bool shape =
          groups.size() >= 3 && groups.size() <= 5 && groups.back() == 4 &&
          std::all_of(groups.begin(), groups.end(), [](std::size_t g) { return g >= 2 && g <= 4; });
      if (shape && punct && digits >= 9 && digits <= 15) return true;
    }
    i = j > i ? j : i + 1;
  }
  return false;
}

bool has_userinfo_url(std::string_view s) {
  for (std::size_t p = s.find("://"); p != std::string_view::npos; p = s.find("://", p + 3)) {
    std::size_t e = p + 3;
    while (e < s.size() &&
           std::string_view("/?# \t\n\r)]>\"'").find(s[e]) == std::string_view::npos) {
      if (s[e] == '@') return true;
      ++e;
    }
  }
  return false;
}

// True when `toks` (of `text`) contain one of the skill's names; an ambiguous one-word name counts
// only as written ("Go", not "go").
bool names_skill(const std::vector<token>& toks, std::string_view text, const std::string& slug,
                 const skill_taxonomy& taxonomy) {
  const auto ix = taxonomy.index();
  std::vector<std::vector<std::string>> phrases;
  std::vector<std::string> strict_forms;
  if (ix) {
    if (const auto it = ix->by_slug.find(slug); it != ix->by_slug.end()) {
      phrases = ix->phrases[it->second];
      strict_forms = ix->strict_forms[it->second];
    }
  }
  if (phrases.empty()) {
    std::vector<std::string> w;
    for (const auto& t : tokenize(slug)) w.push_back(t.lower);
    if (!w.empty()) phrases.push_back(std::move(w));
  }
  for (const auto& ph : phrases) {
    std::string strict;
    if (ph.size() == 1) {
      for (const auto& f : strict_forms) {
        if (lower_ascii(f) == ph[0]) strict = f;
      }
    }
    for (std::size_t i = 0; i + ph.size() <= toks.size(); ++i) {
      std::size_t k = 0;
      while (k < ph.size() && toks[i + k].lower == ph[k]) ++k;
      if (k != ph.size()) continue;
      if (!strict.empty() && text.substr(toks[i].begin, toks[i].end - toks[i].begin) != strict)
        continue;
      return true;
    }
  }
  return false;
}

std::string length_reason(const char* what, std::size_t n, std::size_t lo, std::size_t hi) {
  if (n < lo)
    return std::string(what) + " too short (" + std::to_string(n) + " < " + std::to_string(lo) +
           " chars)";
  return std::string(what) + " too long (" + std::to_string(n) + " > " + std::to_string(hi) +
         " chars)";
}

}  // namespace

namespace {

constexpr std::uint64_t fnv_basis = 14695981039346656037ULL, fnv_prime = 1099511628211ULL;

// Per byte: 0 separates words, 0xFF is a non-ASCII byte (a word byte unless it starts a
// separator sequence), else the lower-case ASCII letter or digit.
struct byte_classes {
  unsigned char v[256] = {};
  constexpr byte_classes() {
    for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<unsigned char>(c);
    for (int c = 'a'; c <= 'z'; ++c) v[c] = static_cast<unsigned char>(c);
    for (int c = 'A'; c <= 'Z'; ++c) v[c] = static_cast<unsigned char>(c - 'A' + 'a');
    for (int c = 0x80; c < 256; ++c) v[c] = 0xFF;
  }
};
constexpr byte_classes classes{};

// Appends one hash per word of `text` (the word rule of plain_words) without building the words.
void word_hashes(std::string_view text, std::vector<std::uint64_t>& w) {
  std::uint64_t h = fnv_basis;
  bool in_word = false;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const auto c = static_cast<unsigned char>(text[i]);
    unsigned char l = classes.v[c];
    std::size_t sep = 0;
    if (l == 0xFF) {
      sep = unicode_separator_bytes(text, i);
      l = sep ? 0 : c;
    }
    if (l != 0) {
      h = (h ^ l) * fnv_prime;
      in_word = true;
      ++i;
      continue;
    }
    if (in_word) w.push_back(h);
    h = fnv_basis;
    in_word = false;
    i += sep ? sep : 1;
  }
  if (in_word) w.push_back(h);
}

std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

shingle_set shingles_of(const std::vector<std::uint64_t>& w) {
  shingle_set out;
  if (w.empty()) return out;
  if (w.size() < 3) {
    std::uint64_t all = fnv_basis;
    for (auto x : w) all = mix(all ^ x) * fnv_prime;
    out.push_back(all);
    return out;
  }
  out.reserve(w.size() - 2);
  for (std::size_t i = 0; i + 2 < w.size(); ++i) {
    out.push_back(mix((mix(mix(w[i]) ^ w[i + 1]) * fnv_prime) ^ w[i + 2]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

shingle_set shingles(std::string_view text) {
  std::vector<std::uint64_t> w;
  w.reserve(text.size() / 5 + 1);
  word_hashes(text, w);
  return shingles_of(w);
}

shingle_set item_shingles(const content_item_body& b) {
  std::vector<std::uint64_t> w;
  w.reserve((b.title.size() + b.prompt.size()) / 5 + 2);
  word_hashes(b.title, w);
  word_hashes(b.prompt, w);
  return shingles_of(w);
}

double jaccard(const shingle_set& a, const shingle_set& b) noexcept {
  if (a.empty() || b.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

double jaccard_at_least(const shingle_set& a, const shingle_set& b, double threshold) noexcept {
  if (a.empty() || b.empty()) return -1.0;
  const std::size_t na = a.size(), nb = b.size();
  // J >= t  <=>  common >= t (na + nb) / (1 + t); stop as soon as that count is out of reach.
  const double needed = threshold * static_cast<double>(na + nb) / (1.0 + threshold);
  if (static_cast<double>(std::min(na, nb)) < needed - 1e-9) return -1.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < na && j < nb) {
    if (static_cast<double>(common + std::min(na - i, nb - j)) < needed - 1e-9) return -1.0;
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  const double sim = static_cast<double>(common) / static_cast<double>(na + nb - common);
  return sim >= threshold ? sim : -1.0;
}

std::string item_text(const content_item_body& b) { return b.title + "\n" + b.prompt; }

std::string near_duplicate_reason(std::string_view other, double similarity) {
  const auto w = plain_words(other);
  std::string head;
  for (std::size_t i = 0; i < w.size() && i < 8; ++i) {
    if (!head.empty()) head += ' ';
    head += w[i];
  }
  if (head.size() > 60) head.resize(60);
  char sim[16];
  std::snprintf(sim, sizeof sim, "%.2f", similarity);
  return "near-duplicate of \"" + head + (w.size() > 8 ? "...\"" : "\"") + " (similarity " + sim +
         ")";
}

void quality_reasons(const content_item_body& item, const std::vector<std::string>& target_skills,
                     const skill_taxonomy& taxonomy, std::vector<std::string>& reasons) {
  if (const auto ps = validate_item_body(item); !ps.empty())
    reasons.push_back("invalid item: " + describe(ps));
  const std::size_t tl = chars(item.title);
  if (tl < title_min || tl > title_max)
    reasons.push_back(length_reason("title", tl, title_min, title_max));
  const std::size_t pl = chars(item.prompt);
  if (pl < prompt_min || pl > prompt_max)
    reasons.push_back(length_reason("prompt", pl, prompt_min, prompt_max));

  const std::string text = item.title + "\n" + item.prompt + "\n" + item.guidance.strong + "\n" +
                           item.guidance.acceptable + "\n" + item.guidance.weak;
  const auto toks = tokenize(text);
  const bool named =
      std::any_of(target_skills.begin(), target_skills.end(),
                  [&](const std::string& s) { return names_skill(toks, text, s, taxonomy); });
  if (target_skills.empty()) {
    reasons.push_back("no target skill to check against");
  } else if (!named) {
    std::string list;
    for (const auto& s : target_skills) list += (list.empty() ? "" : ", ") + s;
    reasons.push_back("does not name a target skill (" + list + ")");
  }

  if (has_email(text)) reasons.push_back("contains an e-mail address");
  if (has_phone(text)) reasons.push_back("contains a phone number");
  if (has_userinfo_url(text)) reasons.push_back("contains a URL with user info");

  if (item.kind == content_kind::coding) {
    if (!item.coding) {
      reasons.push_back("coding item without a coding section");
    } else {
      const auto& c = *item.coding;
      const bool visible = std::any_of(c.test_cases.begin(), c.test_cases.end(),
                                       [](const test_case& t) { return t.visible; });
      const bool hidden = std::any_of(c.test_cases.begin(), c.test_cases.end(),
                                      [](const test_case& t) { return !t.visible; });
      if (!visible) reasons.push_back("coding item needs at least one visible test case");
      if (!hidden) reasons.push_back("coding item needs at least one hidden test case");
      for (const auto& lang : c.languages) {
        const auto it = c.starter_code.find(lang);
        if (it == c.starter_code.end() ||
            it->second.find_first_not_of(" \t\r\n") == std::string::npos) {
          reasons.push_back("coding item has no starter code for " + lang);
        }
      }
    }
  }
}

}  // namespace content_text

double shingle_similarity(std::string_view a, std::string_view b) {
  return content_text::jaccard(content_text::shingles(a), content_text::shingles(b));
}

quality_verdict quality_check(const content_item_body& item,
                              const std::vector<std::string>& target_skills,
                              const std::vector<std::string>& existing,
                              const skill_taxonomy& taxonomy) {
  quality_verdict v;
  content_text::quality_reasons(item, target_skills, taxonomy, v.reasons);
  const auto mine = content_text::item_shingles(item);
  for (const auto& other : existing) {
    const double sim = content_text::jaccard_at_least(mine, content_text::shingles(other),
                                                      content_text::near_duplicate_threshold);
    if (sim >= 0) {
      v.reasons.push_back(content_text::near_duplicate_reason(other, sim));
      break;
    }
  }
  v.ok = v.reasons.empty();
  return v;
}

}  // namespace hw::domain
