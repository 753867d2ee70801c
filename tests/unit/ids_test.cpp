#include <catch2/catch.hpp>

#include <string>
#include <unordered_set>

#include "actors/domain/ids.hpp"

TEST_CASE("ids: is_uuid accepts canonical UUIDs in any case", "[unit][ids]") {
  CHECK(hw::is_uuid("123e4567-e89b-12d3-a456-426614174000"));
  CHECK(hw::is_uuid("123E4567-E89B-12D3-A456-426614174000"));
  CHECK(hw::is_uuid("123e4567-E89B-12d3-A456-426614174000"));
  CHECK(hw::is_uuid("00000000-0000-0000-0000-000000000000"));
  CHECK(hw::is_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff"));
}

TEST_CASE("ids: is_uuid rejects everything else", "[unit][ids]") {
  for (const char* s : {
           "",
           "123e4567e89b12d3a456426614174000",        // no dashes
           "{123e4567-e89b-12d3-a456-426614174000}",  // braces
           "123e4567-e89b-12d3-a456-42661417400",     // 35 chars
           "123e4567-e89b-12d3-a456-4266141740000",   // 37 chars
           "123e4567-e89b-12d3-a456-42661417400g",    // non-hex
           "123e4567-e89b-12d3-a4560426614174000",    // missing dash
           "123e4567-e89b-12d3-a456-42661417400-",    // dash in hex slot
           "123e4567ae89b-12d3-a456-426614174000",    // dash shifted
           " 123e4567-e89b-12d3-a456-42661417400",    // leading space
           "123e4567-e89b-12d3-a456-42661417400 ",    // trailing space
           "urn:uuid:123e4567-e89b-12d3-a456-4266",
       }) {
    CAPTURE(s);
    CHECK_FALSE(hw::is_uuid(s));
  }
  SECTION("embedded NUL") {
    std::string s = "123e4567-e89b-12d3-a456-426614174000";
    s[5] = '\0';
    CHECK_FALSE(hw::is_uuid(s));
  }
  SECTION("non-ASCII byte") {
    std::string s = "123e4567-e89b-12d3-a456-426614174000";
    s[0] = static_cast<char>(0xE9);
    CHECK_FALSE(hw::is_uuid(s));
  }
}

TEST_CASE("ids: canonical_uuid lowercases valid UUIDs", "[unit][ids]") {
  CHECK(hw::canonical_uuid("123E4567-E89B-12D3-A456-42661417400F") == "123e4567-e89b-12d3-a456-42661417400f");
  CHECK(hw::canonical_uuid("123e4567-e89b-12d3-a456-426614174000") == "123e4567-e89b-12d3-a456-426614174000");
}

TEST_CASE("ids: canonical_uuid returns empty for non-UUIDs", "[unit][ids]") {
  CHECK(hw::canonical_uuid("").empty());
  CHECK(hw::canonical_uuid("not-a-uuid").empty());
  CHECK(hw::canonical_uuid("123E4567E89B12D3A45642661417400F").empty());
  CHECK(hw::canonical_uuid("123e4567-e89b-12d3-a456-42661417400z").empty());
}

TEST_CASE("ids: canonical_uuid is idempotent and yields a UUID", "[unit][ids]") {
  const auto c = hw::canonical_uuid("AbCdEf01-2345-6789-aBcD-EF0123456789");
  REQUIRE(c == "abcdef01-2345-6789-abcd-ef0123456789");
  CHECK(hw::is_uuid(c));
  CHECK(hw::canonical_uuid(c) == c);
}

TEST_CASE("ids: org_id compares and hashes by value", "[unit][ids]") {
  hw::org_id a{"123e4567-e89b-12d3-a456-426614174000"};
  hw::org_id b{"123e4567-e89b-12d3-a456-426614174000"};
  hw::org_id c{"223e4567-e89b-12d3-a456-426614174000"};
  CHECK(a == b);
  CHECK_FALSE(a != b);
  CHECK(a != c);
  CHECK(a < c);
  CHECK_FALSE(c < a);
  CHECK(std::hash<hw::org_id>{}(a) == std::hash<hw::org_id>{}(b));
  std::unordered_set<hw::org_id> set{a, b, c};
  CHECK(set.size() == 2);
}
