#pragma once
// PURE: the shipped content data of issue 5, embedded into hw_domain at build time from
// actors/domain/data/ (see data/README.md and embed_text.cmake). Each answers the file's JSON
// text; the bytes live for the whole program.
#include <string_view>

namespace hw::domain {

/// data/skills.json: {"format": "hirewire.skills.v1", "skills": [...]} (parsed by skill_taxonomy).
std::string_view shipped_skills_json();
/// data/question_patterns.json: {"format": "hirewire.patterns.v1", "patterns": [...]}.
std::string_view shipped_patterns_json();
/// data/starter_library.json: {"format": "hirewire.library.v1", "items": [...]}.
std::string_view starter_library_json();

}  // namespace hw::domain
