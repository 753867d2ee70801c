#include "config/app_config.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

extern char** environ;

namespace hw::config {

namespace {

using setter = std::function<std::optional<std::string>(app_config&, const std::string&)>;
using getter = std::function<std::string(const app_config&)>;

enum class kind { plain, secret, secret_file };

struct key_def {
  const char* key;
  const char* type;  // shown in --help and in errors
  const char* help;
  setter set;
  getter get;
  kind k = kind::plain;
};

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::optional<long long> parse_int(const std::string& v) {
  if (v.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long x = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end != v.c_str() + v.size()) return std::nullopt;
  return x;
}

// "15min" -> (15, "min"): up to 12 leading digits and the unit after them.
std::optional<std::pair<long long, std::string>> split_number_unit(const std::string& v) {
  std::size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  if (i == 0 || i > 12) return std::nullopt;
  auto n = parse_int(v.substr(0, i));
  if (!n) return std::nullopt;
  return std::make_pair(*n, v.substr(i));
}

// "250ms", "5s", "15min", "2h", "30d"; a bare number is refused so units are never guessed.
std::optional<duration> parse_duration(const std::string& v) {
  auto nu = split_number_unit(v);
  if (!nu) return std::nullopt;
  const auto& [n, unit] = *nu;
  if (unit == "ms") return duration{n};
  if (unit == "s") return duration{n * 1000};
  if (unit == "min") return duration{n * 60'000};
  if (unit == "h") return duration{n * 3'600'000};
  if (unit == "d") return duration{n * 86'400'000};
  return std::nullopt;
}

// "65536", "64KiB", "1MiB".
std::optional<std::size_t> parse_size(const std::string& v) {
  auto nu = split_number_unit(v);
  if (!nu) return std::nullopt;
  const auto n = static_cast<std::size_t>(nu->first);
  const auto& unit = nu->second;
  if (unit.empty() || unit == "B") return n;
  if (unit == "KiB") return n * 1024;
  if (unit == "MiB") return n * 1024 * 1024;
  return std::nullopt;
}

std::string fmt_duration(duration d) {
  auto ms = d.count();
  if (ms % 86'400'000 == 0 && ms != 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0 && ms != 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "min";
  if (ms % 1000 == 0 && ms != 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string fmt_size(std::size_t n) {
  if (n % (1024 * 1024) == 0 && n != 0) return std::to_string(n / (1024 * 1024)) + "MiB";
  if (n % 1024 == 0 && n != 0) return std::to_string(n / 1024) + "KiB";
  return std::to_string(n);
}

template <class T>
key_def int_key(const char* key, const char* help, T app_config::*field, long long lo, long long hi) {
  return key_def{key, "integer", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   auto n = parse_int(v);
                   if (!n || *n < lo || *n > hi)
                     return "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
                   c.*field = static_cast<T>(*n);
                   return std::nullopt;
                 },
                 [=](const app_config& c) { return std::to_string(c.*field); }};
}

key_def duration_key(const char* key, const char* help, duration app_config::*field, duration lo, duration hi) {
  return key_def{key, "duration", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   auto d = parse_duration(v);
                   if (!d) return "expected a duration such as 250ms, 5s, 15min or 2h";
                   if (*d < lo || *d > hi) return "expected a duration from " + fmt_duration(lo) + " to " + fmt_duration(hi);
                   c.*field = *d;
                   return std::nullopt;
                 },
                 [=](const app_config& c) { return fmt_duration(c.*field); }};
}

key_def size_key(const char* key, const char* help, std::size_t app_config::*field, std::size_t lo, std::size_t hi) {
  return key_def{key, "size", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   auto n = parse_size(v);
                   if (!n || *n < lo || *n > hi)
                     return "expected a size from " + fmt_size(lo) + " to " + fmt_size(hi) + " such as 64KiB or 1MiB";
                   c.*field = *n;
                   return std::nullopt;
                 },
                 [=](const app_config& c) { return fmt_size(c.*field); }};
}

key_def bool_key(const char* key, const char* help, bool app_config::*field) {
  return key_def{key, "boolean", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   if (v == "true" || v == "yes" || v == "on" || v == "1") c.*field = true;
                   else if (v == "false" || v == "no" || v == "off" || v == "0") c.*field = false;
                   else return "expected true or false";
                   return std::nullopt;
                 },
                 [=](const app_config& c) { return std::string{c.*field ? "true" : "false"}; }};
}

key_def string_key(const char* key, const char* help, std::string app_config::*field,
                   std::vector<std::string> choices = {}, bool allow_empty = true) {
  return key_def{key, "string", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   if (!choices.empty() && std::find(choices.begin(), choices.end(), v) == choices.end()) {
                     std::string all;
                     for (auto& x : choices) all += (all.empty() ? "" : ", ") + x;
                     return "expected one of: " + all;
                   }
                   if (!allow_empty && v.empty()) return "must not be empty";
                   c.*field = v;
                   return std::nullopt;
                 },
                 [=](const app_config& c) { return c.*field; }};
}

std::optional<std::string> read_secret_file(const std::string& path, std::string& out) {
  std::ifstream in{path, std::ios::binary};
  if (!in) return "cannot read file '" + path + "'";
  std::stringstream ss;
  ss << in.rdbuf();
  out = trim(ss.str());
  if (out.empty()) return "file '" + path + "' is empty";
  return std::nullopt;
}

key_def secret_key(const char* key, const char* help, std::string app_config::*field) {
  key_def d = string_key(key, help, field);
  d.get = [=](const app_config& c) { return std::string{(c.*field).empty() ? "" : "(set)"}; };
  d.k = kind::secret;
  return d;
}

key_def secret_file_key(const char* key, const char* help, std::string app_config::*field) {
  return key_def{key, "path", help,
                 [=](app_config& c, const std::string& v) -> std::optional<std::string> {
                   return read_secret_file(v, c.*field);
                 },
                 [](const app_config&) { return std::string{}; }, kind::secret_file};
}

const std::vector<key_def>& keys() {
  static const std::vector<key_def> table = [] {
    using c = app_config;
    std::vector<key_def> t;
    t.push_back(string_key("http.address", "address to listen on", &c::http_address, {}, false));
    t.push_back(int_key("http.port", "TCP port to listen on (0: any free port)", &c::http_port, 0, 65535));
    t.push_back(int_key("http.io-threads", "threads running the HTTP event loop", &c::http_io_threads, 1, 64));
    t.push_back(size_key("http.body-limit", "largest request body; larger answers 413", &c::http_body_limit, 1024, 64u * 1024 * 1024));
    t.push_back(int_key("http.max-connections", "open connections at most; beyond answers 503", &c::http_max_connections, 1, 1'000'000));
    t.push_back(duration_key("http.idle-timeout", "how long an idle keep-alive connection stays open", &c::http_idle_timeout, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("http.header-timeout", "time from a request's first byte to its complete header", &c::http_header_timeout, duration{10}, duration{600'000}));
    t.push_back(duration_key("http.body-timeout", "time to receive a request body", &c::http_body_timeout, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("http.write-timeout", "time to send a response", &c::http_write_timeout, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("http.request-timeout", "a request that gets no answer from the actors in this time answers 504", &c::http_request_timeout, duration{10}, duration{600'000}));
    t.push_back(duration_key("http.shutdown-grace", "how long in-flight requests may finish on SIGTERM", &c::http_shutdown_grace, duration{0}, duration{600'000}));
    t.push_back(string_key("http.static-dir", "the built web app, served under /app/", &c::http_static_dir));
    t.push_back(bool_key("http.access-log", "one JSON line per request", &c::http_access_log));
    t.push_back(string_key("http.public-origin", "the origin browsers use, e.g. https://hire.example.com: Origin checks and links in e-mails (empty: http://<http.address>:<http.port>)", &c::http_public_origin));
    t.push_back(string_key("http.trusted-proxies", "reverse proxies / load balancers whose X-Forwarded-For is believed, addresses or networks, e.g. \"10.0.0.0/8, 2001:db8::/32\" (empty: the peer address is the client)", &c::http_trusted_proxies));
    t.push_back(secret_key("auth.secret-key", "64 hex digits (256 bits): signs CSRF tokens and encrypts SSO client secrets; the same in every process (secret: HIREWIRE_AUTH_SECRET_KEY or auth.secret-key-file); empty: a random key per start (sessions' CSRF tokens and stored SSO secrets do not survive a restart)", &c::auth_secret_key));
    t.push_back(secret_file_key("auth.secret-key-file", "file holding auth.secret-key", &c::auth_secret_key));
    t.push_back(duration_key("auth.session-idle", "a session unused for this long ends", &c::auth_session_idle, duration{60'000}, duration{30LL * 24 * 3'600'000}));
    t.push_back(duration_key("auth.session-absolute", "a session ends this long after login, used or not", &c::auth_session_absolute, duration{60'000}, duration{90LL * 24 * 3'600'000}));
    t.push_back(bool_key("auth.allow-insecure-cookies", "cookies without Secure and without the __Host- prefix (plain-HTTP development on a host other than localhost; browsers on http://localhost and http://127.0.0.1 accept Secure cookies)", &c::auth_allow_insecure_cookies));
    t.push_back(int_key("auth.hash-workers", "argon2id threads (<= cores; each hash takes 19 MiB)", &c::auth_hash_workers, 1, 64));
    t.push_back(bool_key("auth.sso-allow-private-network", "let SSO reach identity providers on loopback, private or link-local addresses (tests and local providers only: an organization owner chooses the issuer URL)", &c::auth_sso_allow_private_network));
    t.push_back(int_key("auth.hash-queue", "logins waiting for a hash thread at most; beyond answers 503", &c::auth_hash_queue, 0, 100'000));
    t.push_back(secret_key("db.dsn", "PostgreSQL connection string (secret: HIREWIRE_DB_DSN or db.dsn-file)", &c::db_dsn));
    t.push_back(secret_file_key("db.dsn-file", "file holding the PostgreSQL connection string", &c::db_dsn));
    t.push_back(secret_key("db.migrate-dsn", "connection string of the schema owner that runs migrations; the server itself connects with db.dsn as a role without ownership (secret: HIREWIRE_DB_MIGRATE_DSN or db.migrate-dsn-file); empty: db.dsn does both", &c::db_migrate_dsn));
    t.push_back(secret_file_key("db.migrate-dsn-file", "file holding db.migrate-dsn", &c::db_migrate_dsn));
    t.push_back(int_key("db.pool-size", "database worker actors, one connection each", &c::db_pool_size, 1, 256));
    t.push_back(duration_key("db.statement-timeout", "PostgreSQL statement_timeout per connection", &c::db_statement_timeout, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("db.reconnect-min", "first reconnect delay after a lost connection", &c::db_reconnect_min, duration{1}, duration{600'000}));
    t.push_back(duration_key("db.reconnect-max", "largest reconnect delay", &c::db_reconnect_max, duration{1}, duration{3'600'000}));
    t.push_back(duration_key("actors.idle-timeout", "an entity actor with no message for this long is passivated", &c::actors_idle_timeout, duration{10}, duration{24 * 3'600'000}));
    t.push_back(duration_key("actors.request-timeout", "gateway to database timeout for creates, readiness and stats", &c::actors_request_timeout, duration{10}, duration{600'000}));
    t.push_back(duration_key("actors.db-timeout", "entity to database worker request timeout", &c::actors_db_timeout, duration{10}, duration{600'000}));
    t.push_back(int_key("scheduler.threads", "CAF worker threads (io threads + these ~ cores)", &c::scheduler_threads, 1, 256));
    t.push_back(string_key("scheduler.policy", "CAF scheduling policy", &c::scheduler_policy, {"sharing", "stealing"}));
    t.push_back(int_key("scheduler.max-throughput", "messages an actor handles per turn", &c::scheduler_max_throughput, 1, 1'000'000));
    t.push_back(duration_key("jobs.sweep-interval", "how often expired job leases are swept", &c::jobs_sweep_interval, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("jobs.sweep-backoff", "delay before a swept job runs again", &c::jobs_sweep_backoff, duration{0}, duration{3'600'000}));
    t.push_back(string_key("smtp.url", "SMTP relay, smtp://host:587 or smtps://host:465; empty: the dev mailbox (nothing is sent)", &c::smtp_url));
    t.push_back(string_key("smtp.tls", "starttls (required), implicit (smtps://) or none (tests and local relays only)", &c::smtp_tls, {"starttls", "implicit", "none"}));
    t.push_back(string_key("smtp.username", "SMTP AUTH user name (empty: no authentication)", &c::smtp_username));
    t.push_back(secret_key("smtp.password", "SMTP AUTH password (secret: HIREWIRE_SMTP_PASSWORD or smtp.password-file)", &c::smtp_password));
    t.push_back(secret_file_key("smtp.password-file", "file holding the SMTP AUTH password", &c::smtp_password));
    t.push_back(string_key("smtp.from", "From header and envelope sender of every e-mail", &c::smtp_from, {}, false));
    t.push_back(duration_key("smtp.timeout", "time for one SMTP transaction, connect included", &c::smtp_timeout, duration{10}, duration{600'000}));
    t.push_back(int_key("notify.workers", "e-mail sender workers, one connection and SMTP session each", &c::notify_workers, 1, 64));
    t.push_back(duration_key("notify.poll-interval", "how often idle e-mail workers look for due jobs", &c::notify_poll_interval, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("notify.lease", "job lease of an e-mail send (at least twice smtp.timeout)", &c::notify_lease, duration{100}, duration{3'600'000}));
    t.push_back(secret_key("ats.credential-keys", "key ring sealing ATS credentials and webhook secrets at rest, \"k1:<64 hex>[,k2:<64 hex>];current=k2\" (rotate by adding a key and making it current; secret: HIREWIRE_ATS_CREDENTIAL_KEYS or ats.credential-keys-file); empty: one key derived from auth.secret-key", &c::ats_credential_keys));
    t.push_back(secret_file_key("ats.credential-keys-file", "file holding ats.credential-keys", &c::ats_credential_keys));
    t.push_back(string_key("ats.greenhouse-api-url", "Greenhouse Harvest API base (paths add /v3/...)", &c::ats_greenhouse_api_url, {}, false));
    t.push_back(string_key("ats.greenhouse-token-url", "Greenhouse OAuth token endpoint", &c::ats_greenhouse_token_url, {}, false));
    t.push_back(string_key("ats.lever-api-url", "Lever API base (paths add /v1/...)", &c::ats_lever_api_url, {}, false));
    t.push_back(duration_key("ats.call-timeout", "one ATS HTTP exchange, connect included", &c::ats_call_timeout, duration{100}, duration{600'000}));
    t.push_back(int_key("ats.call-attempts", "attempts of one ATS call (5xx, timeouts and transport errors are retried with backoff)", &c::ats_call_attempts, 1, 20));
    t.push_back(duration_key("ats.sync-timeout", "a sync run (or test, or webhook job) longer than this is cancelled and counts as a failure", &c::ats_sync_timeout, duration{1'000}, duration{24 * 3'600'000}));
    t.push_back(duration_key("ats.look-back", "an incremental pull re-reads records updated this long before the watermark (clock skew, late commits)", &c::ats_look_back, duration{0}, duration{7LL * 24 * 3'600'000}));
    t.push_back(int_key("ats.degraded-after", "consecutive sync/test failures that make a connection degraded", &c::ats_degraded_after, 1, 1000));
    t.push_back(int_key("ats.failing-after", "consecutive sync/test failures that make a connection failing (at least ats.degraded-after)", &c::ats_failing_after, 1, 1000));
    t.push_back(duration_key("ats.restart-min", "first delay before a crashed ATS sync worker is restarted (full-jitter backoff)", &c::ats_restart_min, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("ats.restart-max", "largest delay before a crashed ATS sync worker is restarted", &c::ats_restart_max, duration{10}, duration{24 * 3'600'000}));
    t.push_back(duration_key("ats.poll-interval", "how often queued ATS webhook deliveries are looked for (a delivery also wakes the supervisor at once)", &c::ats_poll_interval, duration{10}, duration{3'600'000}));
    t.push_back(duration_key("ats.log-retention", "how long ATS integration log rows are kept", &c::ats_log_retention, duration{3'600'000}, duration{3650LL * 86'400'000}));
    t.push_back(duration_key("ats.inbox-retention", "how long processed ATS webhook deliveries are kept", &c::ats_inbox_retention, duration{3'600'000}, duration{3650LL * 86'400'000}));
    t.push_back(int_key("ats.webhook-writers", "webhook group-commit transactions in flight at once (each takes every delivery waiting when it starts)", &c::ats_webhook_writers, 1, 16));
    t.push_back(int_key("ats.webhook-batch-limit", "most webhook deliveries stored in one transaction", &c::ats_webhook_batch_limit, 1, 4096));
    t.push_back(duration_key("ats.webhook-linger", "a free webhook writer starts its transaction once the oldest waiting delivery has waited this long (bigger, cheaper transactions under load; 0: at once)", &c::ats_webhook_linger, duration{0}, duration{1'000}));
    t.push_back(secret_key("admin.token", "bootstrap admin bearer token for /api/v1/orgs (secret: HIREWIRE_ADMIN_TOKEN or admin.token-file); empty disables that API", &c::admin_token));
    t.push_back(secret_file_key("admin.token-file", "file holding the bootstrap admin token", &c::admin_token));
    t.push_back(string_key("log.level", "log level", &c::log_level, {"trace", "debug", "info", "warn", "error", "off"}));
    t.push_back(string_key("log.file", "log file (empty: standard output)", &c::log_file));
    t.push_back(bool_key("dev.seed-demo", "create the demo organization at start-up", &c::dev_seed_demo));
    return t;
  }();
  return table;
}

const key_def* find_key(const std::string& key) {
  for (const auto& d : keys()) {
    if (key == d.key) return &d;
  }
  return nullptr;
}

hw::error bad(const std::string& msg) { return hw::error{errc::invalid_argument, msg}; }

// "HIREWIRE_HTTP_IO_THREADS" -> "http.io-threads" (first '_' after the section is the dot).
std::optional<std::string> env_to_key(const std::string& name) {
  constexpr std::string_view prefix = "HIREWIRE_";
  if (name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string rest = name.substr(prefix.size());
  for (auto& ch : rest) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto us = rest.find('_');
  if (us == std::string::npos) return rest;
  std::string key = rest.substr(0, us) + "." + rest.substr(us + 1);
  std::replace(key.begin() + static_cast<long>(us) + 1, key.end(), '_', '-');
  return key;
}

}  // namespace

namespace {

enum class source { file_or_flag, environment };

result<hw::unit> set_key_from(app_config& cfg, const std::string& key, const std::string& value,
                              const std::string& origin, source src) {
  const key_def* d = find_key(key);
  if (!d) return bad(origin + ": unknown key '" + key + "' (see --help for the list)");
  if (d->k == kind::secret && src != source::environment) {
    return bad(origin + ": '" + key + "' is a secret and may only come from the environment (HIREWIRE_" +
               [&] {
                 std::string e = key;
                 for (auto& ch : e) ch = ch == '.' || ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                 return e;
               }() +
               ") or from '" + key + "-file'");
  }
  if (auto msg = d->set(cfg, trim(value))) return bad(origin + ": " + key + ": " + *msg + " (got '" +
                                                      (d->k == kind::plain ? trim(value) : std::string{"***"}) + "')");
  return hw::unit{};
}

}  // namespace

result<hw::unit> set_key(app_config& cfg, const std::string& key, const std::string& value, const std::string& origin) {
  return set_key_from(cfg, key, value, origin, source::file_or_flag);
}

result<hw::unit> apply_ini(app_config& cfg, const std::string& text, const std::string& origin) {
  std::istringstream in{text};
  std::string line, section;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string where = origin + ":" + std::to_string(lineno);
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t.front() == '[') {
      if (t.back() != ']' || t.size() < 3) return bad(where + ": malformed section header '" + t + "'");
      section = trim(t.substr(1, t.size() - 2));
      continue;
    }
    auto eq = t.find('=');
    if (eq == std::string::npos) return bad(where + ": expected 'key = value', got '" + t + "'");
    if (section.empty()) return bad(where + ": key outside of a [section]");
    std::string key = section + "." + trim(t.substr(0, eq));
    std::string value = trim(t.substr(eq + 1));
    // An inline comment starts at whitespace followed by ';' or '#'.
    for (std::size_t i = 0; i < value.size(); ++i) {
      if ((value[i] == ';' || value[i] == '#') && (i == 0 || value[i - 1] == ' ' || value[i - 1] == '\t')) {
        value = trim(value.substr(0, i));
        break;
      }
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    auto r = set_key(cfg, key, value, where);
    if (!r) return r;
  }
  return hw::unit{};
}

result<hw::unit> validate(const app_config& cfg) {
  if (cfg.db_dsn.empty())
    return bad("db.dsn: no database configured: set HIREWIRE_DB_DSN or db.dsn-file");
  if (cfg.db_reconnect_min > cfg.db_reconnect_max)
    return bad("db.reconnect-min: must not exceed db.reconnect-max");
  // The timeouts nest, so that a layer never gives up while the layer below may still commit:
  // PostgreSQL's statement timeout < an entity's wait for its db worker < the client's wait for a
  // write (save, reload on a version conflict, save again).
  if (cfg.db_statement_timeout >= cfg.actors_db_timeout)
    return bad("db.statement-timeout: must be shorter than actors.db-timeout");
  if (cfg.http_request_timeout <= 3 * cfg.actors_db_timeout)
    return bad("http.request-timeout: must be longer than 3 x actors.db-timeout (a write may save, reload and save)");
  if (!cfg.smtp_url.empty()) {
    const bool smtps = cfg.smtp_url.rfind("smtps://", 0) == 0;
    if (!smtps && cfg.smtp_url.rfind("smtp://", 0) != 0)
      return bad("smtp.url: expected smtp://host:port or smtps://host:port");
    if (smtps != (cfg.smtp_tls == "implicit"))
      return bad("smtp.tls: use smtps:// with smtp.tls=implicit, and smtp:// with starttls or none");
    if (cfg.smtp_url.find('@') != std::string::npos)
      return bad("smtp.url: must not contain credentials (use smtp.username and HIREWIRE_SMTP_PASSWORD)");
  }
  if (!cfg.smtp_password.empty() && cfg.smtp_username.empty())
    return bad("smtp.password: set smtp.username too");
  if (cfg.smtp_from.find('@') == std::string::npos || cfg.smtp_from.find_first_of("\r\n") != std::string::npos)
    return bad("smtp.from: expected an address such as \"hirewire <no-reply@example.com>\"");
  if (cfg.notify_lease < 2 * cfg.smtp_timeout)
    return bad("notify.lease: must be at least twice smtp.timeout, so a send never outlives its lease");
  if (!cfg.auth_secret_key.empty()) {
    if (cfg.auth_secret_key.size() != 64 ||
        cfg.auth_secret_key.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return bad("auth.secret-key: expected 64 hex digits (e.g. openssl rand -hex 32)");
  }
  if (cfg.auth_session_idle > cfg.auth_session_absolute)
    return bad("auth.session-idle: must not exceed auth.session-absolute");
  if (!cfg.http_public_origin.empty()) {
    const auto& o = cfg.http_public_origin;
    const bool scheme = o.rfind("https://", 0) == 0 || o.rfind("http://", 0) == 0;
    const auto host_start = o.find("://") + 3;
    if (!scheme || o.size() <= host_start || o.find('/', host_start) != std::string::npos ||
        o.find_first_of(" \t\r\n?#@") != std::string::npos)
      return bad("http.public-origin: expected scheme://host[:port] without a path, e.g. https://hire.example.com");
  }
  if (cfg.ats_degraded_after > cfg.ats_failing_after)
    return bad("ats.degraded-after: must not exceed ats.failing-after");
  if (cfg.ats_restart_min > cfg.ats_restart_max)
    return bad("ats.restart-min: must not exceed ats.restart-max");
  if (cfg.ats_sync_timeout <= cfg.ats_call_timeout)
    return bad("ats.sync-timeout: must be longer than ats.call-timeout");
  for (const auto& [key, url] : {std::pair<const char*, const std::string&>{"ats.greenhouse-api-url", cfg.ats_greenhouse_api_url},
                                 {"ats.greenhouse-token-url", cfg.ats_greenhouse_token_url},
                                 {"ats.lever-api-url", cfg.ats_lever_api_url}}) {
    if ((url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) ||
        url.find_first_of(" \t\r\n?#@") != std::string::npos)
      return bad(std::string{key} + ": expected an http(s):// URL without query or credentials");
  }
  if (!cfg.ats_credential_keys.empty() && cfg.ats_credential_keys.find(";current=") == std::string::npos)
    return bad("ats.credential-keys: expected \"<id>:<64 hex>[,<id>:<64 hex>...];current=<id>\"");
  if (!cfg.admin_token.empty() && cfg.admin_token.size() < 32)
    return bad("admin.token: must be at least 32 characters (use 256 random bits, e.g. openssl rand -hex 32)");
  return hw::unit{};
}

result<launch> load(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  launch out;
  std::string config_file;
  bool config_explicit = false;
  std::vector<std::pair<std::string, std::string>> flag_settings;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") { out.help = true; continue; }
    if (a == "--migrate-only") { out.migrate_only = true; continue; }
    if (a == "--print-config") { out.print_config = true; continue; }
    if (a == "--seed-demo") { flag_settings.emplace_back("dev.seed-demo", "true"); continue; }
    if (a.rfind("--config=", 0) == 0) { config_file = a.substr(9); config_explicit = true; continue; }
    if (a.rfind("--", 0) == 0) {
      auto eq = a.find('=');
      if (eq == std::string::npos) return bad("command line: '" + a + "' needs a value: --section.key=value");
      flag_settings.emplace_back(a.substr(2, eq - 2), a.substr(eq + 1));
      continue;
    }
    return bad("command line: unexpected argument '" + a + "'");
  }
  if (out.help) return out;
  if (!config_explicit) {
    if (auto it = env.find("HIREWIRE_CONFIG"); it != env.end()) {
      config_file = it->second;
      config_explicit = true;
    } else {
      config_file = "hirewire.ini";
    }
  }
  {
    std::ifstream in{config_file, std::ios::binary};
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      auto r = apply_ini(out.cfg, ss.str(), config_file);
      if (!r) return std::move(r).error();
      out.sources.push_back(config_file);
    } else if (config_explicit) {
      return bad("config: cannot read '" + config_file + "'");
    }
  }
  for (const auto& [name, value] : env) {
    // Not settings: the config file's name, and the admin CLI's password input.
    if (name == "HIREWIRE_CONFIG" || name == "HIREWIRE_ADMIN_OWNER_PASSWORD" || name.rfind("HIREWIRE_", 0) != 0)
      continue;
    auto key = env_to_key(name);
    if (!key || !find_key(*key)) return bad("environment: unknown variable '" + name + "' (see --help for the list)");
    auto r = set_key_from(out.cfg, *key, value, "environment " + name, source::environment);
    if (!r) return std::move(r).error();
  }
  for (const auto& [key, value] : flag_settings) {
    auto r = set_key(out.cfg, key, value, "command line --" + key);
    if (!r) return std::move(r).error();
  }
  if (out.print_config) return out;
  auto v = validate(out.cfg);
  if (!v) return std::move(v).error();
  return out;
}

std::string usage() {
  std::ostringstream o;
  o << "usage: hirewire [--config=FILE] [--section.key=value ...] [--migrate-only] [--seed-demo]\n"
       "                [--print-config] [--help]\n\n"
       "Settings come from FILE (default ./hirewire.ini, or $HIREWIRE_CONFIG), then from\n"
       "HIREWIRE_<SECTION>_<KEY> environment variables (dashes become underscores), then from\n"
       "flags. Unknown keys and bad values stop start-up with exit code 2.\n\nkeys:\n";
  app_config defaults;
  for (const auto& d : keys()) {
    o << "  " << d.key << " (" << d.type << ")";
    auto v = d.get(defaults);
    if (d.k == kind::plain) o << " default: " << (v.empty() ? "\"\"" : v);
    o << "\n      " << d.help << "\n";
  }
  return o.str();
}

std::string dump(const app_config& cfg) {
  std::ostringstream o;
  for (const auto& d : keys()) {
    if (d.k == kind::secret_file) continue;
    o << d.key << " = " << d.get(cfg) << "\n";
  }
  return o.str();
}

std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> m;
  for (char** e = environ; e && *e; ++e) {
    std::string s{*e};
    auto eq = s.find('=');
    if (eq != std::string::npos) m.emplace(s.substr(0, eq), s.substr(eq + 1));
  }
  return m;
}

}  // namespace hw::config
