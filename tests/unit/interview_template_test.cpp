#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/domain/content.hpp"
#include "tests/unit/field_problems.hpp"

using namespace hw::domain;
using nlohmann::json;
using hw::testing::has_path;
using hw::testing::paths;
using hw::testing::with;

namespace {

std::string uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012x", n);
  return buf;
}

json entry(int n, int minutes = 10, int weight = 1) {
  return json{
    {"item_id", uuid(n)}, {"item_version", 1}, {"time_limit_minutes", minutes}, {"weight", weight}};
}

json sample() {
  return json{
    {"instructions", "Take your time.\n\nGood luck!"},
    {"sections", json::array({json{{"title", "Warm-up"}, {"items", json::array({entry(1, 5)})}},
                              json{{"title", "Coding"},
                                   {"items", json::array({entry(2, 30, 3), entry(3, 20, 2)})}}})}};
}

std::vector<field_problem> parse(const json& j) {
  template_body out;
  return parse_template_body(j, out);
}

// One section holding `n` items of `minutes` each.
json items_body(int n, int minutes) {
  json items = json::array();
  for (int i = 0; i < n; ++i) items.push_back(entry(i, minutes));
  return json{{"sections", json::array({json{{"title", "All"}, {"items", items}}})}};
}

}  // namespace

TEST_CASE("interview template: the sample is valid and round-trips", "[unit][content]") {
  template_body b;
  const auto ps = parse_template_body(sample(), b);
  CAPTURE(describe(ps));
  REQUIRE(ps.empty());
  CHECK(to_json(b) == sample());
  CHECK(total_minutes(b) == 55);
  REQUIRE(b.sections.size() == 2);
  CHECK(b.sections[1].items[0].weight == 3);
  CHECK(b.sections[1].items[1].item_id == uuid(3));
  template_body again;
  REQUIRE(parse_template_body(to_json(b), again).empty());
  CHECK(again == b);
  CHECK(validate_template_body(b).empty());
  auto other = b;
  other.sections[0].items[0].item_version = 2;
  CHECK_FALSE(other == b);
}

TEST_CASE("interview template: optional keys get their defaults", "[unit][content]") {
  json j = sample();
  j.erase("instructions");
  j["sections"][0]["items"][0].erase("weight");
  template_body b;
  REQUIRE(parse_template_body(j, b).empty());
  CHECK(b.instructions.empty());
  CHECK(b.sections[0].items[0].weight == 1);
  CHECK(parse(with(sample(), "/instructions", nullptr)).empty());
  for (const char* pointer :
       {"/sections", "/sections/0/title", "/sections/0/items", "/sections/0/items/0/item_id",
        "/sections/0/items/0/item_version", "/sections/0/items/0/time_limit_minutes"}) {
    CAPTURE(pointer);
    json k = sample();
    const json::json_pointer ptr(pointer);
    k[ptr.parent_pointer()].erase(ptr.back());
    CHECK(has_path(parse(k), pointer));
  }
}

TEST_CASE("interview template: fields accept and refuse at each bound", "[unit][content]") {
  const std::vector<hw::testing::bound_case> cases = {
    {"/instructions", "", true, ""},
    {"/instructions", std::string(10000, 'i'), true, ""},
    {"/instructions", std::string(10001, 'i'), false, ""},
    {"/instructions", "bell\a", false, ""},
    {"/instructions", 3, false, ""},
    {"/sections/0/title", "W", true, ""},
    {"/sections/0/title", std::string(120, 't'), true, ""},
    {"/sections/0/title", std::string(121, 't'), false, ""},
    {"/sections/0/title", "", false, ""},
    {"/sections/0/title", " ", false, ""},
    {"/sections/0/title", "a\nb", false, ""},
    {"/sections/0/items/0/item_id", uuid(99), true, ""},
    {"/sections/0/items/0/item_id", "00000000-0000-4000-8000-00000000000A", false, ""},
    {"/sections/0/items/0/item_id", "not-a-uuid", false, ""},
    {"/sections/0/items/0/item_id", "00000000000040008000000000000001", false, ""},
    {"/sections/0/items/0/item_id", "", false, ""},
    {"/sections/0/items/0/item_id", 1, false, ""},
    {"/sections/0/items/0/item_version", 1, true, ""},
    {"/sections/0/items/0/item_version", std::numeric_limits<std::int32_t>::max(), true, ""},
    {"/sections/0/items/0/item_version", 0, false, ""},
    {"/sections/0/items/0/item_version",
     static_cast<std::int64_t>(std::numeric_limits<std::int32_t>::max()) + 1, false, ""},
    {"/sections/0/items/0/item_version", "1", false, ""},
    {"/sections/0/items/0/item_version", 1.0, false, ""},
    {"/sections/0/items/0/time_limit_minutes", 1, true, ""},
    {"/sections/0/items/0/time_limit_minutes", 240, true, ""},
    {"/sections/0/items/0/time_limit_minutes", 0, false, ""},
    {"/sections/0/items/0/time_limit_minutes", 241, false, ""},
    {"/sections/0/items/0/time_limit_minutes", -3, false, ""},
    {"/sections/0/items/0/weight", 1, true, ""},
    {"/sections/0/items/0/weight", 100, true, ""},
    {"/sections/0/items/0/weight", nullptr, true, ""},
    {"/sections/0/items/0/weight", 0, false, ""},
    {"/sections/0/items/0/weight", 101, false, ""},
    {"/sections/0/items/0/extra", 1, false, ""},
    {"/sections/0/items/0", "item", false, ""},
    {"/sections/0/extra", 1, false, ""},
    {"/sections/0", json::array(), false, ""},
    {"/extra", 1, false, ""},
    {"/sections", json::object(), false, ""},
  };
  for (const auto& c : cases) hw::testing::check_bound(sample(), c, parse);
}

TEST_CASE("interview template: an item appears at most once", "[unit][content]") {
  SECTION("across sections, reported at the later occurrence") {
    json j = sample();
    j["sections"][1]["items"][1]["item_id"] = uuid(1);
    const auto ps = parse(j);
    CHECK(paths(ps) == std::set<std::string>{"/sections/1/items/1/item_id"});
  }
  SECTION("within a section, even with another version") {
    json j = sample();
    j["sections"][1]["items"][1]["item_id"] = uuid(2);
    j["sections"][1]["items"][1]["item_version"] = 7;
    CHECK(paths(parse(j)) == std::set<std::string>{"/sections/1/items/1/item_id"});
  }
  SECTION("three times: two problems") {
    json j = sample();
    j["sections"][1]["items"][0]["item_id"] = uuid(1);
    j["sections"][1]["items"][1]["item_id"] = uuid(1);
    CHECK(paths(parse(j)) ==
          std::set<std::string>{"/sections/1/items/0/item_id", "/sections/1/items/1/item_id"});
  }
}

TEST_CASE("interview template: total time is 5..480 minutes", "[unit][content]") {
  CHECK(parse(items_body(1, 5)).empty());
  CHECK(paths(parse(items_body(1, 4))) == std::set<std::string>{"/sections"});
  CHECK(parse(items_body(2, 240)).empty());
  CHECK(parse(items_body(48, 10)).empty());
  const auto over = parse(items_body(3, 161));
  CHECK(paths(over) == std::set<std::string>{"/sections"});
  REQUIRE(over.size() == 1);
  CHECK(over[0].message.find("483") != std::string::npos);
  json j = items_body(1, 240);
  j["sections"].push_back(json{{"title", "More"}, {"items", json::array({entry(100, 241)})}});
  // An unreadable time limit is reported alone, not as a wrong total too.
  CHECK(paths(parse(j)) == std::set<std::string>{"/sections/1/items/0/time_limit_minutes"});
  template_body b;
  REQUIRE(parse_template_body(items_body(3, 160), b).empty());
  CHECK(total_minutes(b) == 480);
}

TEST_CASE("interview template: section and item counts", "[unit][content]") {
  SECTION("no sections") {
    CHECK(paths(parse(json{{"sections", json::array()}})) == std::set<std::string>{"/sections"});
  }
  SECTION("an empty section") {
    json j = sample();
    j["sections"][0]["items"] = json::array();
    CHECK(paths(parse(j)) == std::set<std::string>{"/sections/0/items"});
  }
  SECTION("only empty sections") {
    json j = sample();
    j["sections"][0]["items"] = json::array();
    j["sections"][1]["items"] = json::array();
    CHECK(paths(parse(j)) == std::set<std::string>{"/sections/0/items", "/sections/1/items"});
  }
  SECTION("20 sections are fine and 21 are not") {
    json j = json{{"sections", json::array()}};
    for (int i = 0; i < 20; ++i) {
      j["sections"].push_back(
        json{{"title", "S" + std::to_string(i)}, {"items", json::array({entry(i, 5)})}});
    }
    CHECK(parse(j).empty());
    j["sections"].push_back(json{{"title", "S20"}, {"items", json::array({entry(20, 5)})}});
    CHECK(paths(parse(j)) == std::set<std::string>{"/sections"});
  }
  SECTION("60 items are fine and 61 are not") {
    CHECK(parse(items_body(60, 8)).empty());
    const auto ps = parse(items_body(61, 7));
    CHECK(paths(ps) == std::set<std::string>{"/sections"});
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].message.find("items") != std::string::npos);
  }
}

TEST_CASE("interview template: validate and total_minutes on built bodies", "[unit][content]") {
  template_body b;
  b.sections.push_back({"One", {{uuid(1), 1, 10, 1}}});
  CHECK(validate_template_body(b).empty());
  b.sections[0].title = "\xFF";
  b.sections[0].items.push_back({"ABC", 0, 10, 0});
  CHECK(paths(validate_template_body(b)) ==
        std::set<std::string>{"/sections/0/title", "/sections/0/items/1/item_id",
                              "/sections/0/items/1/item_version", "/sections/0/items/1/weight"});
  template_body huge;
  huge.sections.push_back({"H", {}});
  for (int i = 0; i < 4; ++i) {
    huge.sections[0].items.push_back({uuid(i), 1, std::numeric_limits<int>::max(), 1});
  }
  CHECK(total_minutes(huge) == std::numeric_limits<int>::max());
  CHECK_FALSE(validate_template_body(huge).empty());
  CHECK(total_minutes(template_body{}) == 0);
  CHECK_FALSE(validate_template_body(template_body{}).empty());
}

TEST_CASE("interview template: malformed shapes never throw", "[unit][content]") {
  std::vector<json> garbage = {nullptr,
                               true,
                               0,
                               -1,
                               1e308,
                               std::numeric_limits<std::uint64_t>::max(),
                               "",
                               "x",
                               json::array(),
                               json::array({nullptr}),
                               json::object(),
                               json{{"items", 1}},
                               json{{"sections", "no"}}};
  json deep = json::object();
  for (int i = 0; i < 1000; ++i) deep = json{{"sections", deep}};
  garbage.push_back(deep);
  const std::vector<std::string> pointers = {"/instructions",
                                             "/sections",
                                             "/sections/0",
                                             "/sections/0/title",
                                             "/sections/0/items",
                                             "/sections/0/items/0",
                                             "/sections/0/items/0/item_id",
                                             "/sections/0/items/0/item_version",
                                             "/sections/0/items/0/time_limit_minutes",
                                             "/sections/0/items/0/weight",
                                             "/sections/1/items/1"};
  for (const auto& g : garbage) {
    std::vector<field_problem> ps;
    REQUIRE_NOTHROW(ps = parse(g));
    CHECK_FALSE(ps.empty());
    for (const auto& p : pointers) {
      CAPTURE(p);
      template_body out;
      REQUIRE_NOTHROW(ps = parse_template_body(with(sample(), p, g), out));
      REQUIRE_NOTHROW(to_json(out).dump());
      if (ps.empty()) {
        template_body again;
        CHECK(parse_template_body(to_json(out), again).empty());
        CHECK(again == out);
      }
    }
  }
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    json j = sample();
    const auto& p = pointers[rng() % pointers.size()];
    j[json::json_pointer(p)] = garbage[rng() % garbage.size()];
    const auto& q = pointers[rng() % pointers.size()];
    try {
      j[json::json_pointer(q)] = garbage[rng() % garbage.size()];
    } catch (const json::exception&) {
      // The first change left no container there: keep the body as it is.
    }
    REQUIRE_NOTHROW(parse(j));
  }
}
