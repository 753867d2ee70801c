#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content.hpp"
#include "tests/unit/field_problems.hpp"

using namespace hw::domain;
using nlohmann::json;
using hw::testing::bound_case;
using hw::testing::has_path;
using hw::testing::paths;
using hw::testing::with;

namespace {

json technical_item() {
  return json::parse(R"J({
    "kind": "technical",
    "title": "Explain MVCC",
    "prompt": "How does **PostgreSQL** implement MVCC?\n\n- visibility\n- vacuum",
    "rubric": {"strong": "xmin/xmax, snapshots, vacuum", "acceptable": "snapshots",
               "weak": "locks"},
    "expected_minutes": 10,
    "difficulty": "medium",
    "skills": ["postgresql"],
    "seniorities": ["mid", "senior"],
    "categories": ["engineering"]
  })J");
}

json coding_item() {
  return json::parse(R"J({
    "kind": "coding",
    "title": "Two sum",
    "prompt": "Return the indices of the two numbers that add up to the target.",
    "rubric": {"strong": "O(n) with a hash map", "acceptable": "O(n log n)", "weak": "O(n^2)"},
    "expected_minutes": 25,
    "difficulty": "easy",
    "skills": ["algorithms", "python"],
    "seniorities": ["junior"],
    "categories": ["engineering", "data"],
    "coding": {
      "io": "json",
      "languages": ["python", "javascript"],
      "starter_code": {"python": "def solve(nums, target):\n    pass\n"},
      "test_cases": [
        {"name": "example", "input": "[[2,7,11,15],9]", "expected_output": "[0,1]",
         "visible": true, "weight": 1},
        {"name": "negatives", "input": "[[-3,4,3,90],0]", "expected_output": "[0,2]",
         "visible": false, "weight": 5}
      ]
    }
  })J");
}

std::vector<field_problem> parse(const json& j) {
  content_item_body out;
  return parse_item_body(j, out);
}

std::string dump_problems(const std::vector<field_problem>& ps) { return describe(ps); }

json without(json base, const std::string& pointer) {
  const json::json_pointer ptr(pointer);
  json& parent = base[ptr.parent_pointer()];
  if (parent.is_array()) {
    parent.erase(std::stoul(ptr.back()));
  } else {
    parent.erase(ptr.back());
  }
  return base;
}

std::string chars(std::size_t n, const std::string& unit = "a") {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += unit;
  return s;
}

json string_list(std::size_t n, const std::string& prefix) {
  json a = json::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back(prefix + std::to_string(i));
  return a;
}

json test_cases(std::size_t n) {
  json a = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    a.push_back(json{{"name", "case " + std::to_string(i)},
                     {"input", "1"},
                     {"expected_output", "2"},
                     {"visible", i == 0},
                     {"weight", 1}});
  }
  return a;
}

void check_bound(const json& base, const bound_case& c) { hw::testing::check_bound(base, c, parse); }

}  // namespace

TEST_CASE("content item: the sample bodies are valid and round-trip", "[unit][content]") {
  for (const json& j : {technical_item(), coding_item()}) {
    content_item_body b;
    const auto ps = parse_item_body(j, b);
    CAPTURE(dump_problems(ps));
    REQUIRE(ps.empty());
    CHECK(validate_item_body(b).empty());
    // The JSON shape is canonical: to_json gives back exactly what came in.
    CHECK(to_json(b) == j);
    content_item_body again;
    REQUIRE(parse_item_body(to_json(b), again).empty());
    CHECK(again == b);
  }
  content_item_body b;
  REQUIRE(parse_item_body(coding_item(), b).empty());
  CHECK(b.kind == content_kind::coding);
  CHECK(b.level == difficulty::easy);
  REQUIRE(b.coding);
  CHECK(b.coding->io == test_io::json);
  CHECK(b.coding->test_cases.size() == 2);
  CHECK(b.coding->test_cases[1].visible == false);
  CHECK(b.coding->test_cases[1].weight == 5);
  CHECK(b.coding->starter_code.at("python").find("def solve") == 0);
}

TEST_CASE("content item: a built body round-trips through to_json and parse", "[unit][content]") {
  content_item_body b;
  b.kind = content_kind::coding;
  b.title = "Résumé parser \xE2\x9C\x93";
  b.prompt = "Parse `a|b`\r\n\ttabs stay";
  b.guidance = {"s", "a", "w"};
  b.expected_minutes = 240;
  b.level = difficulty::hard;
  b.skills = {"c++", "c#", "node.js", "k8s-ops"};
  b.seniorities = {seniority::staff_plus, seniority::intern};
  b.categories = {job_category::operations, job_category::design, job_category::sales,
                  job_category::support};
  coding_spec c;
  c.io = test_io::stdin_stdout;
  c.languages = {"sql", "go"};
  c.starter_code = {{"go", "package main\n"}, {"sql", ""}};
  c.test_cases = {{"v", "in\n", "out\n", true, 100}, {"h", "", "", false, 1}};
  b.coding = c;
  REQUIRE(validate_item_body(b).empty());
  content_item_body again;
  REQUIRE(parse_item_body(to_json(b), again).empty());
  CHECK(again == b);
  // Any field differing makes the bodies differ.
  auto other = b;
  other.coding->test_cases[1].weight = 2;
  CHECK(other != b);
  other = b;
  other.seniorities.pop_back();
  CHECK(other != b);
}

TEST_CASE("content item: top-level fields accept and refuse at each bound", "[unit][content]") {
  const json base = technical_item();
  const std::vector<bound_case> cases = {
    // title: 1..200 characters, one line, not blank; characters are code points
    {"/title", "a", true, ""},
    {"/title", chars(200), true, ""},
    {"/title", chars(200, "\xC3\xA9"), true, ""},
    {"/title", "", false, ""},
    {"/title", chars(201), false, ""},
    {"/title", chars(201, "\xC3\xA9"), false, ""},
    {"/title", "   ", false, ""},
    {"/title", "two\nlines", false, ""},
    {"/title", "tab\there", false, ""},
    {"/title", "del\x7f", false, ""},
    {"/title", "c1 \xC2\x85", false, ""},
    {"/title", 12, false, ""},
    {"/title", nullptr, false, ""},
    {"/title", json::array({"a"}), false, ""},
    // prompt: Markdown 1..20000, tab and line breaks allowed
    {"/prompt", "x", true, ""},
    {"/prompt", chars(20000), true, ""},
    {"/prompt", "# H\n\n```\n\tcode\r\n```", true, ""},
    {"/prompt", "", false, ""},
    {"/prompt", "\n\n", false, ""},
    {"/prompt", chars(20001), false, ""},
    {"/prompt", std::string("nul\0here", 8), false, ""},
    {"/prompt", "bell\a", false, ""},
    {"/prompt", false, false, ""},
    // rubric levels: 1..5000 each
    {"/rubric/strong", "s", true, ""},
    {"/rubric/strong", chars(5000), true, ""},
    {"/rubric/strong", "", false, ""},
    {"/rubric/strong", chars(5001), false, ""},
    {"/rubric/acceptable", chars(5000), true, ""},
    {"/rubric/acceptable", chars(5001), false, ""},
    {"/rubric/weak", "w", true, ""},
    {"/rubric/weak", "", false, ""},
    {"/rubric/weak", 3, false, ""},
    {"/rubric", "text", false, ""},
    {"/rubric", json::array(), false, ""},
    {"/rubric", json::object(), false, "/rubric/strong"},
    {"/rubric/extra", "x", false, ""},
    // expected_minutes: integer 1..240
    {"/expected_minutes", 1, true, ""},
    {"/expected_minutes", 240, true, ""},
    {"/expected_minutes", 0, false, ""},
    {"/expected_minutes", 241, false, ""},
    {"/expected_minutes", -1, false, ""},
    {"/expected_minutes", 10.0, false, ""},
    {"/expected_minutes", 10.5, false, ""},
    {"/expected_minutes", 1e300, false, ""},
    {"/expected_minutes", std::numeric_limits<std::uint64_t>::max(), false, ""},
    {"/expected_minutes", std::numeric_limits<std::int64_t>::min(), false, ""},
    {"/expected_minutes", "10", false, ""},
    {"/expected_minutes", true, false, ""},
    {"/expected_minutes", nullptr, false, ""},
    // enums
    {"/difficulty", "easy", true, ""},
    {"/difficulty", "hard", true, ""},
    {"/difficulty", "Easy", false, ""},
    {"/difficulty", "", false, ""},
    {"/difficulty", 1, false, ""},
    {"/kind", "behavioral", true, ""},
    {"/kind", "system_design", true, ""},
    {"/kind", "quiz", false, ""},
    {"/kind", json::object(), false, ""},
    // skills: 1..20 slugs, no repeats
    {"/skills", json::array({"a"}), true, ""},
    {"/skills", string_list(20, "s"), true, ""},
    {"/skills", json::array({"c++", "c#", "node.js", "9to5", "a-b"}), true, ""},
    {"/skills", json::array({chars(50)}), true, ""},
    {"/skills", json::array(), false, ""},
    {"/skills", string_list(21, "s"), false, ""},
    {"/skills", json::array({chars(51)}), false, "/skills/0"},
    {"/skills", json::array({"Postgres"}), false, "/skills/0"},
    {"/skills", json::array({"ok", ".net"}), false, "/skills/1"},
    {"/skills", json::array({"ok", "-x"}), false, "/skills/1"},
    {"/skills", json::array({"has space"}), false, "/skills/0"},
    {"/skills", json::array({"a", "b", "a"}), false, "/skills/2"},
    {"/skills", json::array({"a", 5}), false, "/skills/1"},
    {"/skills", "postgresql", false, ""},
    // seniorities: 1..5 of the five names ("staff+" accepted), no repeats
    {"/seniorities", json::array({"intern"}), true, ""},
    {"/seniorities", json::array({"intern", "junior", "mid", "senior", "staff_plus"}), true, ""},
    {"/seniorities", json::array({"staff+"}), true, ""},
    {"/seniorities", json::array(), false, ""},
    {"/seniorities", json::array({"intern", "junior", "mid", "senior", "staff_plus", "mid"}), false,
     ""},
    {"/seniorities", json::array({"mid", "lead"}), false, "/seniorities/1"},
    {"/seniorities", json::array({"mid", "mid"}), false, "/seniorities/1"},
    {"/seniorities", json::array({"staff+", "staff_plus"}), false, "/seniorities/1"},
    {"/seniorities", json::array({nullptr}), false, "/seniorities/0"},
    // categories: 1..4 of the eight names
    {"/categories", json::array({"data"}), true, ""},
    {"/categories", json::array({"product", "design", "sales", "marketing"}), true, ""},
    {"/categories", json::array(), false, ""},
    {"/categories", json::array({"product", "design", "sales", "marketing", "support"}), false, ""},
    {"/categories", json::array({"legal"}), false, "/categories/0"},
    {"/categories", json::array({"data", "data"}), false, "/categories/1"},
    // unknown keys are refused
    {"/titel", "typo", false, ""},
    {"/Title", "case", false, ""},
  };
  for (const auto& c : cases) check_bound(base, c);
}

TEST_CASE("content item: coding fields accept and refuse at each bound", "[unit][content]") {
  const json base = coding_item();
  json all_languages = json::array();
  for (auto l : supported_languages) all_languages.push_back(std::string{l});
  json thirteen = all_languages;
  thirteen.push_back("python");
  json fifty = test_cases(50);
  fifty[49]["visible"] = false;
  json fifty_one = test_cases(51);
  fifty_one[50]["visible"] = false;
  const std::vector<bound_case> cases = {
    // io
    {"/coding/io", "stdin_stdout", true, ""},
    {"/coding/io", nullptr, false, "/coding/test_cases/0/input"},  // default stdin: stays valid
    {"/coding/io", "xml", false, ""},
    {"/coding/io", 1, false, ""},
    // languages: 1..12 supported, no repeats
    {"/coding/languages", json::array({"python"}), true, ""},
    {"/coding/languages", all_languages, true, ""},
    {"/coding/languages", json::array(), false, ""},
    {"/coding/languages", thirteen, false, ""},
    {"/coding/languages", json::array({"python", "cobol"}), false, "/coding/languages/1"},
    {"/coding/languages", json::array({"python", "Python"}), false, "/coding/languages/1"},
    {"/coding/languages", json::array({"python", "python"}), false, "/coding/languages/1"},
    {"/coding/languages", "python", false, ""},
    // starter code: keys among the languages, at most 20000 characters
    {"/coding/starter_code", json::object(), true, ""},
    {"/coding/starter_code", nullptr, true, ""},
    {"/coding/starter_code/javascript", chars(20000), true, ""},
    {"/coding/starter_code/javascript", "", true, ""},
    {"/coding/starter_code/javascript", chars(20001), false, ""},
    {"/coding/starter_code/javascript", "a\x01", false, ""},
    {"/coding/starter_code/go", "package main", false, ""},
    {"/coding/starter_code/cobol", "x", false, ""},
    {"/coding/starter_code/python", 5, false, ""},
    {"/coding/starter_code", json::array(), false, ""},
    // test cases: 1..50, at least one visible and one hidden
    {"/coding/test_cases", fifty, true, ""},
    {"/coding/test_cases", fifty_one, false, ""},
    {"/coding/test_cases", json::array(), false, ""},
    {"/coding/test_cases", test_cases(1), false, ""},                      // only a visible one
    {"/coding/test_cases/0/visible", false, false, "/coding/test_cases"},  // only hidden ones
    {"/coding/test_cases/0/name", "x", true, ""},
    {"/coding/test_cases/0/name", chars(100), true, ""},
    {"/coding/test_cases/0/name", chars(101), false, ""},
    {"/coding/test_cases/0/name", "", false, ""},
    {"/coding/test_cases/0/name", "a\nb", false, ""},
    {"/coding/test_cases/1/name", "example", false, ""},  // the same name as case 0
    {"/coding/test_cases/0/input", "\"" + chars(99998) + "\"", true, ""},
    {"/coding/test_cases/0/input", "\"" + chars(99999) + "\"", false, ""},
    {"/coding/test_cases/0/expected_output", "\"" + chars(99998) + "\"", true, ""},
    {"/coding/test_cases/0/expected_output", "\"" + chars(99999) + "\"", false, ""},
    {"/coding/test_cases/0/input", "not json", false, ""},
    {"/coding/test_cases/1/expected_output", "{", false, ""},
    {"/coding/test_cases/0/input", "", false, ""},  // empty is no JSON either
    {"/coding/test_cases/0/input", " {\"a\": [1, 2.5, null]} ", true, ""},
    {"/coding/test_cases/0/input", chars(40000, "[") + chars(40000, "]"), true, ""},
    {"/coding/test_cases/0/input", std::string("\"a\0\"", 4), false, ""},
    {"/coding/test_cases/0/input", 5, false, ""},
    {"/coding/test_cases/0/visible", "true", false, ""},
    {"/coding/test_cases/0/visible", nullptr, false, ""},
    {"/coding/test_cases/0/weight", 1, true, ""},
    {"/coding/test_cases/0/weight", 100, true, ""},
    {"/coding/test_cases/0/weight", nullptr, true, ""},
    {"/coding/test_cases/0/weight", 0, false, ""},
    {"/coding/test_cases/0/weight", 101, false, ""},
    {"/coding/test_cases/0/weight", 1.5, false, ""},
    {"/coding/test_cases/0/hidden", true, false, ""},
    {"/coding/test_cases/0", "case", false, ""},
    {"/coding/extra", 1, false, ""},
    {"/coding", json::array(), false, ""},
  };
  for (const auto& c : cases) {
    if (c.pointer == "/coding/io" && c.value.is_null()) {
      // io absent means stdin_stdout: not-JSON inputs become fine.
      const json body =
        with(with(base, "/coding/test_cases/0/input", "not json"), "/coding/io", nullptr);
      CHECK(parse(body).empty());
      continue;
    }
    check_bound(base, c);
  }
}

TEST_CASE("content item: optional keys may be left out and get their defaults", "[unit][content]") {
  json j = coding_item();
  j["coding"].erase("io");
  j["coding"].erase("starter_code");
  j["coding"]["test_cases"][0].erase("weight");
  j["coding"]["test_cases"][0]["input"] = "plain text";
  content_item_body b;
  const auto ps = parse_item_body(j, b);
  CAPTURE(dump_problems(ps));
  REQUIRE(ps.empty());
  CHECK(b.coding->io == test_io::stdin_stdout);
  CHECK(b.coding->starter_code.empty());
  CHECK(b.coding->test_cases[0].weight == 1);
  CHECK(to_json(b)["coding"]["io"] == "stdin_stdout");
  // Every other key is required.
  for (const char* key : {"kind", "title", "prompt", "rubric", "expected_minutes", "difficulty",
                          "skills", "seniorities", "categories"}) {
    CAPTURE(key);
    const auto missing = parse(without(technical_item(), std::string{"/"} + key));
    CHECK(has_path(missing, std::string{"/"} + key));
  }
  for (const char* pointer :
       {"/coding/languages", "/coding/test_cases", "/coding/test_cases/0/name",
        "/coding/test_cases/0/input", "/coding/test_cases/0/expected_output",
        "/coding/test_cases/0/visible", "/rubric/weak"}) {
    CAPTURE(pointer);
    CHECK(has_path(parse(without(coding_item(), pointer)), pointer));
  }
}

TEST_CASE("content item: coding is required for coding challenges and refused otherwise",
          "[unit][content]") {
  CHECK(has_path(parse(without(coding_item(), "/coding")), "/coding"));
  CHECK(has_path(parse(with(coding_item(), "/coding", nullptr)), "/coding"));
  for (const char* kind : {"behavioral", "technical", "system_design"}) {
    CAPTURE(kind);
    const auto ps = parse(with(coding_item(), "/kind", kind));
    CHECK(paths(ps) == std::set<std::string>{"/coding"});
    CHECK(parse(with(technical_item(), "/kind", kind)).empty());
  }
  // An unreadable kind does not add a coding complaint on top.
  CHECK(paths(parse(with(coding_item(), "/kind", "quiz"))) == std::set<std::string>{"/kind"});
  CHECK(paths(parse(with(technical_item(), "/kind", 7))) == std::set<std::string>{"/kind"});
}

TEST_CASE("content item: every problem is listed at once with its path", "[unit][content]") {
  json j = coding_item();
  j["title"] = "";
  j["prompt"] = 42;
  j["rubric"]["weak"] = nullptr;
  j["rubric"]["bogus"] = "x";
  j["expected_minutes"] = 0;
  j["difficulty"] = "trivial";
  j["skills"] = json::array({"OK", "fine", "fine"});
  j["seniorities"] = json::array();
  j["categories"] = json::array({"engineering", "space"});
  j["extra"] = true;
  j["coding"]["languages"] = json::array({"python", "python"});
  j["coding"]["starter_code"]["rust"] = "fn main() {}";
  j["coding"]["test_cases"][0]["input"] = "{broken";
  j["coding"]["test_cases"][1]["weight"] = 1000;
  j["coding"]["test_cases"][1]["name"] = "example";
  const auto ps = parse(j);
  const std::set<std::string> want = {"/title",
                                      "/prompt",
                                      "/rubric/weak",
                                      "/rubric/bogus",
                                      "/expected_minutes",
                                      "/difficulty",
                                      "/skills/0",
                                      "/skills/2",
                                      "/seniorities",
                                      "/categories/1",
                                      "/extra",
                                      "/coding/languages/1",
                                      "/coding/starter_code/rust",
                                      "/coding/test_cases/0/input",
                                      "/coding/test_cases/1/weight",
                                      "/coding/test_cases/1/name"};
  CAPTURE(dump_problems(ps));
  CHECK(paths(ps) == want);
  for (const auto& p : ps) CHECK_FALSE(p.message.empty());
}

TEST_CASE("content item: describe joins problems and stays bounded", "[unit][content]") {
  CHECK(describe({}) == "");
  CHECK(describe({{"/title", "must be 1..200 characters"}, {"", "must be an object, not null"}}) ==
        "/title: must be 1..200 characters; body: must be an object, not null");
  std::vector<field_problem> many;
  for (int i = 0; i < 1000; ++i) many.push_back({"/k" + std::to_string(i), "unknown field"});
  const auto d = describe(many);
  CHECK(d.size() < 2000);
  CHECK(d.find("and 970 more") != std::string::npos);
}

TEST_CASE("content item: problem messages never repeat the value and paths are safe text",
          "[unit][content]") {
  json j = technical_item();
  j["title"] = "secret-candidate@example.com\n";
  j["expected_minutes"] = 123456789;
  j["we/ird~key"] = 1;
  j[std::string(300, 'k')] = 1;
  j["ctl\x01key"] = 1;
  const auto ps = parse(j);
  const auto d = describe(ps);
  CHECK(d.find("secret-candidate") == std::string::npos);
  CHECK(d.find("123456789") == std::string::npos);
  CHECK(has_path(ps, "/we~1ird~0key"));
  CHECK(has_path(ps, "/ctl?key"));
  CHECK(has_path(ps, "/" + std::string(64, 'k') + "..."));
  // A built body may carry bytes JSON text cannot: the problem list is still dumpable.
  json built = technical_item();
  built["\xff\xfe bad key"] = 1;
  const auto bad = parse(built);
  CHECK(has_path(bad, "/?? bad key"));
  CHECK_NOTHROW(json(describe(bad)).dump());
}

TEST_CASE("content item: validate_item_body catches what JSON cannot carry", "[unit][content]") {
  content_item_body b;
  REQUIRE(parse_item_body(coding_item(), b).empty());
  REQUIRE(validate_item_body(b).empty());
  SECTION("invalid UTF-8") {
    b.title = "bad \xC3\x28 byte";
    b.coding->test_cases[0].input = "\xED\xA0\x80";  // an encoded surrogate
    const auto ps = validate_item_body(b);
    CHECK(paths(ps) == std::set<std::string>{"/title", "/coding/test_cases/0/input"});
    CHECK_NOTHROW(to_json(b));
  }
  SECTION("overlong UTF-8") {
    b.prompt = "\xC0\xAF";
    CHECK(has_path(validate_item_body(b), "/prompt"));
  }
  SECTION("enum values out of range") {
    b.level = static_cast<difficulty>(200);
    b.seniorities.push_back(static_cast<seniority>(99));
    b.coding->io = static_cast<test_io>(7);
    const auto ps = validate_item_body(b);
    CHECK(has_path(ps, "/difficulty"));
    CHECK(has_path(ps, "/seniorities/1"));
    CHECK(has_path(ps, "/coding/io"));
    b.kind = static_cast<content_kind>(50);
    CHECK(has_path(validate_item_body(b), "/kind"));
  }
  SECTION("ints out of range") {
    b.expected_minutes = -5;
    b.coding->test_cases[1].weight = 1 << 30;
    const auto ps = validate_item_body(b);
    CHECK(paths(ps) == std::set<std::string>{"/expected_minutes", "/coding/test_cases/1/weight"});
  }
  SECTION("coding on a non-coding kind and none on a coding one") {
    b.kind = content_kind::behavioral;
    CHECK(paths(validate_item_body(b)) == std::set<std::string>{"/coding"});
    b.kind = content_kind::coding;
    b.coding.reset();
    CHECK(paths(validate_item_body(b)) == std::set<std::string>{"/coding"});
  }
  SECTION("a default body is not valid") {
    CHECK_FALSE(validate_item_body(content_item_body{}).empty());
  }
}

TEST_CASE("content item: the candidate view hides rubric and hidden test cases and weights",
          "[unit][content]") {
  json j = coding_item();
  j["coding"]["test_cases"][1]["input"] = "[[123456789,1],0]";
  j["coding"]["test_cases"][1]["name"] = "secret-name";
  json third = j["coding"]["test_cases"][1];
  third["name"] = "secret-two";
  j["coding"]["test_cases"].push_back(third);
  content_item_body b;
  REQUIRE(parse_item_body(j, b).empty());
  const json v = candidate_view(b);
  const std::string text = v.dump();
  CHECK_FALSE(v.contains("rubric"));
  CHECK_FALSE(v.contains("difficulty"));
  CHECK_FALSE(v.contains("skills"));
  CHECK_FALSE(v.contains("seniorities"));
  CHECK_FALSE(v.contains("categories"));
  CHECK(text.find("O(n) with a hash map") == std::string::npos);
  CHECK(text.find("123456789") == std::string::npos);
  CHECK(text.find("secret-") == std::string::npos);
  CHECK(text.find("weight") == std::string::npos);
  CHECK(v["title"] == "Two sum");
  CHECK(v["kind"] == "coding");
  CHECK(v["expected_minutes"] == 25);
  CHECK(v["prompt"] == j["prompt"]);
  const json& c = v["coding"];
  CHECK(c["hidden_test_cases"] == 2);
  REQUIRE(c["test_cases"].size() == 1);
  CHECK(c["test_cases"][0] ==
        json{{"name", "example"}, {"input", "[[2,7,11,15],9]"}, {"expected_output", "[0,1]"}});
  CHECK(c["languages"] == json::array({"python", "javascript"}));
  CHECK(c["starter_code"]["python"] == "def solve(nums, target):\n    pass\n");
  CHECK(c["io"] == "json");

  content_item_body t;
  REQUIRE(parse_item_body(technical_item(), t).empty());
  const json tv = candidate_view(t);
  CHECK_FALSE(tv.contains("coding"));
  CHECK_FALSE(tv.contains("rubric"));
  CHECK(tv.dump().find("xmin/xmax") == std::string::npos);
}

TEST_CASE("content item: enum names round-trip and unknown names are refused", "[unit][content]") {
  for (auto k : {content_kind::behavioral, content_kind::technical, content_kind::system_design,
                 content_kind::coding}) {
    CHECK(parse_content_kind(to_string(k)) == k);
  }
  for (auto d : {difficulty::easy, difficulty::medium, difficulty::hard}) {
    CHECK(parse_difficulty(to_string(d)) == d);
  }
  for (auto s : {seniority::intern, seniority::junior, seniority::mid, seniority::senior,
                 seniority::staff_plus}) {
    CHECK(parse_seniority(to_string(s)) == s);
  }
  CHECK(to_string(seniority::staff_plus) == "staff_plus");
  CHECK(parse_seniority("staff+") == seniority::staff_plus);
  for (auto c : {job_category::engineering, job_category::data, job_category::product,
                 job_category::design, job_category::sales, job_category::support,
                 job_category::marketing, job_category::operations}) {
    CHECK(parse_job_category(to_string(c)) == c);
  }
  CHECK(parse_test_io("json") == test_io::json);
  CHECK(parse_test_io("stdin_stdout") == test_io::stdin_stdout);
  CHECK_FALSE(parse_content_kind("Coding"));
  CHECK_FALSE(parse_difficulty(""));
  CHECK_FALSE(parse_seniority("lead"));
  CHECK_FALSE(parse_job_category("legal"));
  CHECK_FALSE(parse_test_io("stdin"));
  CHECK(to_string(static_cast<difficulty>(9)) == "unknown");
  for (auto l : supported_languages) CHECK(is_supported_language(l));
  CHECK(std::size(supported_languages) == 12);
  CHECK_FALSE(is_supported_language("c++"));
  CHECK_FALSE(is_supported_language(""));
}

namespace {

// Garbage values for the fuzz loops: every JSON type, edge numbers, deep nesting.
std::vector<json> garbage_values() {
  std::vector<json> g = {nullptr,
                         true,
                         false,
                         0,
                         -1,
                         1.5,
                         1e308,
                         -1e308,
                         std::numeric_limits<std::uint64_t>::max(),
                         std::numeric_limits<std::int64_t>::min(),
                         "",
                         " ",
                         "coding",
                         chars(100001),
                         json::array(),
                         json::array({nullptr}),
                         json::array({json::object()}),
                         json::object(),
                         json{{"a", {{"b", json::array({1, "x", nullptr})}}}},
                         json{{"name", 1}, {"input", json::array()}}};
  json deep = json::array();
  for (int i = 0; i < 2000; ++i) deep = json::array({deep});
  g.push_back(deep);
  return g;
}

// Every pointer into the sample coding body (objects and arrays included).
void collect_pointers(const json& j, const std::string& at, std::vector<std::string>& out) {
  if (!at.empty()) out.push_back(at);
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) collect_pointers(*it, at + "/" + it.key(), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      collect_pointers(j[i], at + "/" + std::to_string(i), out);
    }
  }
}

json random_json(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> pick(0, depth > 4 ? 5 : 8);
  switch (pick(rng)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<std::int64_t>(rng()) - (1LL << 31);
    case 3: return static_cast<double>(rng()) / 7.0;
    case 4: return std::string(rng() % 5, static_cast<char>('a' + rng() % 26));
    case 5: return std::string{to_string(static_cast<difficulty>(rng() % 3))};
    case 6: {
      json a = json::array();
      for (unsigned i = 0; i < rng() % 4; ++i) a.push_back(random_json(rng, depth + 1));
      return a;
    }
    default: {
      static const char* keys[] = {"kind",    "title",      "prompt",    "rubric",
                                   "coding",  "test_cases", "languages", "name",
                                   "visible", "weight",     "x"};
      json o = json::object();
      for (unsigned i = 0; i < rng() % 5; ++i) o[keys[rng() % 11]] = random_json(rng, depth + 1);
      return o;
    }
  }
}

void check_consistent(const json& body) {
  content_item_body out;
  std::vector<field_problem> ps;
  REQUIRE_NOTHROW(ps = parse_item_body(body, out));
  REQUIRE_NOTHROW(describe(ps));
  REQUIRE_NOTHROW(to_json(out).dump());
  REQUIRE_NOTHROW(candidate_view(out).dump());
  if (ps.empty()) {
    CHECK(validate_item_body(out).empty());
    content_item_body again;
    CHECK(parse_item_body(to_json(out), again).empty());
    CHECK(again == out);
  }
}

}  // namespace

TEST_CASE("content item: malformed shapes anywhere never throw", "[unit][content]") {
  const auto garbage = garbage_values();
  // The whole body.
  for (const auto& g : garbage) {
    check_consistent(g);
    CHECK_FALSE(parse(g).empty());
  }
  CHECK_FALSE(parse(json::parse("{]", nullptr, false)).empty());  // a discarded parse
  // Every field of the sample replaced by every garbage value, or removed.
  std::vector<std::string> pointers;
  collect_pointers(coding_item(), "", pointers);
  REQUIRE(pointers.size() > 30);
  int refused = 0;
  for (const auto& p : pointers) {
    CAPTURE(p);
    check_consistent(without(coding_item(), p));
    for (const auto& g : garbage) {
      const json body = with(coding_item(), p, g);
      check_consistent(body);
      refused += parse(body).empty() ? 0 : 1;
    }
  }
  CHECK(refused > static_cast<int>(pointers.size() * garbage.size() * 9 / 10));
  // Random structures with a fixed seed.
  std::mt19937 rng(20261126);
  for (int i = 0; i < 3000; ++i) {
    json body = random_json(rng, 0);
    if (i % 2 == 0) {
      body = coding_item();
      std::vector<std::string> ps;
      collect_pointers(body, "", ps);
      body[json::json_pointer(ps[rng() % ps.size()])] = random_json(rng, 2);
    }
    check_consistent(body);
  }
}
