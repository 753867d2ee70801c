#include "http/request_id.hpp"

#include <cstdint>
#include <random>

namespace hw::http_api {

bool is_valid_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

// splitmix64: tiny and fast; seeded once per thread from std::random_device.
struct id_generator {
  std::uint64_t state;
  id_generator() {
    std::random_device rd;
    state = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }
  std::uint64_t next() noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

}  // namespace

std::string generate_request_id() {
  std::string out;
  generate_request_id(out);
  return out;
}

void generate_request_id(std::string& out) {
  thread_local id_generator gen;
  static constexpr char hex[] = "0123456789abcdef";
  out.assign(32, '0');
  for (int half = 0; half < 2; ++half) {
    auto v = gen.next();
    for (int i = 0; i < 16; ++i) {
      out[half * 16 + i] = hex[v & 0xf];
      v >>= 4;
    }
  }
}

}  // namespace hw::http_api
