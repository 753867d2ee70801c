// X-Forwarded-For is believed only from trusted proxies, right to left.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "http/client_ip.hpp"

using hw::http_api::trusted_proxies;

TEST_CASE("client ip: without trusted proxies the peer is the client", "[http][client_ip]") {
  auto t = trusted_proxies::parse("");
  CHECK(t.empty());
  CHECK(t.client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9");
}

TEST_CASE("client ip: behind trusted proxies, the right-most untrusted hop", "[http][client_ip]") {
  auto t = trusted_proxies::parse("10.0.0.0/8, 192.0.2.7 2001:db8::/32");
  CHECK(t.contains("10.1.2.3"));
  CHECK(t.contains("::ffff:10.1.2.3"));  // IPv4-mapped counts as IPv4
  CHECK(t.contains("192.0.2.7"));
  CHECK_FALSE(t.contains("192.0.2.8"));
  CHECK(t.contains("2001:db8:5::1"));
  CHECK_FALSE(t.contains("2001:db9::1"));
  CHECK_FALSE(t.contains("not an ip"));
  // The load balancer (10.0.0.5) forwarded for 198.51.100.1; whatever the client claimed further
  // left (1.2.3.4) is ignored.
  CHECK(t.client_address("10.0.0.5", "1.2.3.4, 198.51.100.1") == "198.51.100.1");
  // Two trusted hops.
  CHECK(t.client_address("10.0.0.5", "198.51.100.1, 192.0.2.7") == "198.51.100.1");
  CHECK(t.client_address("10.0.0.5", " 2001:db9::42 ") == "2001:db9::42");
  // Not from a trusted proxy: the header is the client's claim, ignored.
  CHECK(t.client_address("203.0.113.9", "198.51.100.1") == "203.0.113.9");
  // Garbage in the chain or no header: the peer.
  CHECK(t.client_address("10.0.0.5", "198.51.100.1, <script>") == "10.0.0.5");
  CHECK(t.client_address("10.0.0.5", "") == "10.0.0.5");
  // Every hop trusted: the left-most is as far as we can see; the peer stays.
  CHECK(t.client_address("10.0.0.5", "10.9.9.9") == "10.0.0.5");
}

TEST_CASE("client ip: bad configuration is refused naming the entry", "[http][client_ip]") {
  CHECK_THROWS_AS(trusted_proxies::parse("10.0.0.0/33"), std::invalid_argument);
  CHECK_THROWS_AS(trusted_proxies::parse("proxy.internal"), std::invalid_argument);
  CHECK_THROWS_AS(trusted_proxies::parse("2001:db8::/129"), std::invalid_argument);
  CHECK_THROWS_WITH(trusted_proxies::parse("10.0.0.1, nope"), Catch::Contains("nope"));
  CHECK_NOTHROW(trusted_proxies::parse("0.0.0.0/0"));
}
