#include "storage/login_throttle_repo.hpp"

#include <arpa/inet.h>
#include <cstring>

#include <pqxx/pqxx>

#include "storage/pg.hpp"
#include "storage/user_repo.hpp"

namespace hw::storage {

namespace {

#define HW_LT_TS(n) "(timestamptz 'epoch' + ($" #n "::bigint) * interval '1 microsecond')"
#define HW_LT_US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

constexpr std::size_t key_max = 300;

time_point from_us(const pqxx::field& f) {
  return time_point{std::chrono::microseconds{f.as<std::int64_t>()}};
}

domain::login_throttle_state row_to_state(const pqxx::row& r) {
  domain::login_throttle_state s;
  s.failures = r[0].as<int>();
  s.window_start = from_us(r[1]);
  if (!r[2].is_null()) s.locked_until = from_us(r[2]);
  return s;
}

bool is_key(const std::string& k) {
  return k.size() <= key_max && ((k.rfind("email:", 0) == 0) || (k.rfind("ip:", 0) == 0));
}

const char* opt_us(const std::optional<time_point>& t, std::string& buf) {
  if (!t) return nullptr;
  buf = std::to_string(to_epoch_us(*t));
  return buf.c_str();
}

}  // namespace

void prepare_login_throttle_statements(pqxx::connection_base& c) {
  c.prepare("login_throttle_ensure",
            "INSERT INTO login_throttles (throttle_key, failures, window_start, updated_at)"
            " VALUES ($1, 0, " HW_LT_TS(2) ", " HW_LT_TS(2) ") ON CONFLICT (throttle_key) DO NOTHING");
  c.prepare("login_throttle_lock",
            "SELECT failures, " HW_LT_US("window_start") ", " HW_LT_US("locked_until")
            " FROM login_throttles WHERE throttle_key = $1 FOR UPDATE");
  c.prepare("login_throttle_update",
            "UPDATE login_throttles SET failures = $2, window_start = " HW_LT_TS(3)
            ", locked_until = CASE WHEN $4::bigint IS NULL THEN NULL ELSE " HW_LT_TS(4) " END,"
            " updated_at = " HW_LT_TS(5) " WHERE throttle_key = $1");
  c.prepare("login_throttle_delete", "DELETE FROM login_throttles WHERE throttle_key = $1");
  c.prepare("login_throttle_max_lock",
            "SELECT max(" HW_LT_US("locked_until") ") FROM login_throttles"
            " WHERE throttle_key = ANY ($1::text[]) AND locked_until > " HW_LT_TS(2));
  c.prepare("login_throttle_candidates",
            "SELECT failures, " HW_LT_US("window_start") ", " HW_LT_US("locked_until")
            ", throttle_key FROM login_throttles WHERE window_start <= " HW_LT_TS(1)
            " AND (locked_until IS NULL OR locked_until <= " HW_LT_TS(2) ") FOR UPDATE SKIP LOCKED");
}

std::string login_throttle_key_email(std::string_view email) {
  auto norm = normalize_email(email);
  std::string k = "email:";
  if (norm) {
    k += *norm;
  } else {
    std::size_t b = 0, e = email.size();
    while (b < e && (email[b] == ' ' || email[b] == '\t')) ++b;
    while (e > b && (email[e - 1] == ' ' || email[e - 1] == '\t')) --e;
    for (std::size_t i = b; i < e; ++i) {
      char ch = email[i];
      k.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
  }
  if (k.size() > key_max) k.resize(key_max);
  return k;
}

std::string login_throttle_key_ip(std::string_view ip) {
  // One IPv6 client usually owns a whole /64 (SLAAC, privacy addresses): counting per /128
  // would let it rotate addresses and never be throttled. IPv4-mapped addresses count as IPv4.
  const std::string addr{ip.substr(0, ip.find('%'))};
  unsigned char b[16];
  if (addr.size() <= 45 && inet_pton(AF_INET6, addr.c_str(), b) == 1) {
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char out[INET6_ADDRSTRLEN];
    if (std::memcmp(b, mapped, 12) == 0) {
      if (inet_ntop(AF_INET, b + 12, out, sizeof out)) return std::string{"ip:"} + out;
    } else {
      std::memset(b + 8, 0, 8);
      if (inet_ntop(AF_INET6, b, out, sizeof out)) return std::string{"ip:"} + out + "/64";
    }
  }
  std::string k = "ip:";
  k += ip.substr(0, key_max - 3);
  return k;
}

result<domain::login_throttle_state> record_login_failure(
    pqxx::connection_base& c, const std::string& key, time_point now,
    const domain::login_throttle_policy& policy) {
  if (!is_key(key)) return hw::error{errc::invalid_argument, "key: must be email:... or ip:..."};
  try {
    pqxx::work tx{c, "record_login_failure"};
    // Ensure the row, then lock it: concurrent failures queue on the lock and each one counts.
    tx.exec_prepared0("login_throttle_ensure", key, to_epoch_us(now));
    auto r = tx.exec_prepared1("login_throttle_lock", key);
    std::optional<domain::login_throttle_state> prev;
    auto cur = row_to_state(r);
    if (cur.failures > 0 || cur.locked_until) prev = cur;  // failures 0: the row was just created
    auto next = domain::after_failure(prev, now, policy);
    std::string buf;
    tx.exec_prepared0("login_throttle_update", key, next.failures, to_epoch_us(next.window_start),
                      opt_us(next.locked_until, buf), to_epoch_us(now));
    tx.commit();
    return next;
  } catch (...) {
    return map_exception(std::current_exception(), "login_throttle_update");
  }
}

result<hw::unit> record_login_success(pqxx::connection_base& c, const std::string& key) {
  try {
    pqxx::work tx{c, "record_login_success"};
    tx.exec_prepared0("login_throttle_delete", key);
    tx.commit();
    return hw::unit{};
  } catch (...) {
    return map_exception(std::current_exception(), "login_throttle_delete");
  }
}

result<std::chrono::seconds> check_login_throttle(pqxx::connection_base& c,
                                                  const std::vector<std::string>& keys,
                                                  time_point now) {
  if (keys.empty()) return std::chrono::seconds{0};
  try {
    pqxx::read_transaction tx{c, "check_login_throttle"};
    // A text[] literal; keys are quoted, so commas and braces inside them are harmless.
    std::string arr = "{";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i) arr += ',';
      arr += '"';
      for (char ch : keys[i]) {
        if (ch == '"' || ch == '\\') arr += '\\';
        arr += ch;
      }
      arr += '"';
    }
    arr += '}';
    auto r = tx.exec_prepared1("login_throttle_max_lock", arr, to_epoch_us(now));
    tx.commit();
    if (r[0].is_null()) return std::chrono::seconds{0};
    domain::login_throttle_state s;
    s.locked_until = from_us(r[0]);
    return domain::remaining_lock(s, now);
  } catch (...) {
    return map_exception(std::current_exception(), "login_throttle_max_lock");
  }
}

result<int> purge_login_throttles(pqxx::connection_base& c, time_point now,
                                  const domain::login_throttle_policy& policy) {
  try {
    pqxx::work tx{c, "purge_login_throttles"};
    auto rows = tx.exec_prepared("login_throttle_candidates", to_epoch_us(now - policy.window),
                                 to_epoch_us(now));
    int n = 0;
    for (const auto& row : rows) {
      if (!domain::is_stale(row_to_state(row), now, policy)) continue;
      tx.exec_prepared0("login_throttle_delete", row[3].as<std::string>());
      ++n;
    }
    tx.commit();
    return n;
  } catch (...) {
    return map_exception(std::current_exception(), "login_throttle_purge");
  }
}

}  // namespace hw::storage
