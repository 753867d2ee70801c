#pragma once
// PURE, internal to the generation code of issue 5 (skill_taxonomy.cpp, job_profile.cpp,
// template_proposal.cpp, content_quality.cpp): HTML to plain text, the word tokenizer shared by the
// skill index and the extractor, and the skill index itself. Other code uses
// content_generation.hpp. Implemented in skill_taxonomy.cpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/domain/content_generation.hpp"

namespace hw::domain::content_text {

/// Marks the start of a heading line (<h1>..<h6>) in strip_html's output; never a word character.
inline constexpr char heading_mark = '\x01';

/// Plain text of an HTML fragment in one linear pass: tags removed (block tags and <br> become
/// '\n', a heading starts with heading_mark), <script>/<style> content and comments dropped,
/// entities decoded (named basics, &#NN; and &#xHH; as UTF-8; an unknown one stays as written).
/// Text without tags passes through unchanged apart from entities.
std::string strip_html(std::string_view html);

struct token {
  std::uint32_t begin = 0;  // byte offsets into the tokenized text
  std::uint32_t end = 0;
  std::string lower;          // ASCII lower-case ("c++", "node.js", ".net", "5+")
  bool clause_start = false;  // first word of the text, a line, a sentence or after ':' / ';'
  bool joined = false;        // a phrase may continue from the previous token into this one
                              // (only spaces, '-', '/', '&', '(', ')', quotes, '*', '+' between)
  bool glued_before = false;  // '-' or '&' right before the word ("go-to", "R&D")
  bool glued_after = false;   // '-' or '&' right after it
  std::uint32_t segment = 0;  // sentence index ('.', '!', '?', ';' and newlines end one)
  std::uint32_t line = 0;     // line index
};

/// Words: runs of ASCII letters and digits (and bytes >= 0x80 other than the U+2000..U+206F
/// punctuation block and no-break space), with '.' inside a word ("node.js", "3.11"), a leading
/// '.' before a letter (".net") and a trailing "+", "++" or "#" not followed by a letter ("c++",
/// "c#", "5+"). Linear in the text length.
std::vector<token> tokenize(std::string_view text);

std::string lower_ascii(std::string_view s);
/// The phrase key used by the index and canonical(): tokens joined by single spaces
/// ("CI/CD" -> "ci cd", " K8s " -> "k8s").
std::string normalize_phrase(std::string_view s);

/// Lower-case word list of `text` for shingles (letters, digits and non-ASCII bytes; everything
/// else separates).
std::vector<std::string> plain_words(std::string_view text);

/// Sorted, unique 64-bit hashes of the word 3-shingles of a text (one shingle of all words when
/// it has fewer than 3). Implemented in content_quality.cpp.
using shingle_set = std::vector<std::uint64_t>;
shingle_set shingles(std::string_view text);
/// shingles(item_text(b)) without building the text.
shingle_set item_shingles(const content_item_body& b);
double jaccard(const shingle_set& a, const shingle_set& b) noexcept;
/// jaccard(a, b) when it is >= threshold, else -1 (stops early once the threshold is out of reach).
double jaccard_at_least(const shingle_set& a, const shingle_set& b, double threshold) noexcept;

/// What near-duplicate checks compare for an item: its title and prompt.
std::string item_text(const content_item_body& b);

/// quality_check without the near-duplicate test (the proposer compares against precomputed
/// shingle sets instead); appends the reasons.
void quality_reasons(const content_item_body& item, const std::vector<std::string>& target_skills,
                     const skill_taxonomy& taxonomy, std::vector<std::string>& reasons);

/// The reason line for a near-duplicate of `other` (its first words, quoted).
std::string near_duplicate_reason(std::string_view other, double similarity);

inline constexpr double near_duplicate_threshold = 0.6;

}  // namespace hw::domain::content_text

namespace hw::domain {

struct skill_taxonomy::impl {
  /// An ambiguous one-word name ("Go", "R", "C"): matched in a job text only as written (case-
  /// sensitive), not glued by '-' / '&', not before a word of not_before nor after a word of
  /// not_after, and, at the start of a sentence, line or list item, only when a list context or a
  /// technical word follows (see job_profile.cpp).
  struct strict_rule {
    std::string form;
    std::vector<std::string> not_before;  // lower-case next words that veto the match
    std::vector<std::string> not_after;   // lower-case previous words that veto the match
  };
  struct node {
    std::unordered_map<std::string, std::uint32_t> next;
    std::int32_t skill = -1;   // index into all() when a phrase ends here
    std::int32_t strict = -1;  // index into strict_rules when this one-word phrase is ambiguous
  };
  std::vector<node> trie{node{}};  // trie[0] is the root; edges are lower-case tokens
  std::unordered_map<std::string, std::size_t> by_phrase;  // normalize_phrase(name) -> index
  std::unordered_map<std::string, std::size_t> by_slug;
  std::vector<strict_rule> strict_rules;
  std::vector<bool> soft;  // per skill: a soft skill (not counted when voting on the category)
  std::vector<std::vector<std::vector<std::string>>> phrases;  // per skill: its names, tokenized
  std::vector<std::vector<std::string>> strict_forms;          // per skill: case-sensitive forms
};

}  // namespace hw::domain
