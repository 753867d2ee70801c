#pragma once
// Typed settings from hirewire.ini, HIREWIRE_* environment variables and --section.key=value flags
// (later sources win). Every key, its type and its default is in one table in app_config.cpp and
// in hirewire.example.ini. Unknown keys and bad values are errors that name the key; main() turns
// them into exit code 2 before anything starts. Secrets (db.dsn, admin.token) come only from the
// environment or from a file named by db.dsn-file / admin.token-file / smtp.password-file.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "actors/domain/result.hpp"

namespace hw::config {

using duration = std::chrono::milliseconds;

struct app_config {
  // [http]
  std::string http_address = "127.0.0.1";
  std::uint16_t http_port = 8080;
  int http_io_threads = 1;
  std::size_t http_body_limit = 1024 * 1024;
  std::size_t http_max_connections = 1024;
  duration http_idle_timeout{30'000};
  duration http_header_timeout{10'000};
  duration http_body_timeout{30'000};
  duration http_write_timeout{30'000};
  duration http_request_timeout{20'000};
  duration http_shutdown_grace{10'000};
  std::string http_static_dir = "web/dist";
  bool http_access_log = true;
  std::string http_public_origin;  // "https://hire.example.com"; empty: http://<address>:<port>
  std::string http_trusted_proxies;  // "10.0.0.0/8, 192.0.2.7": X-Forwarded-For believed from these
  // [auth]
  std::string auth_secret_key;  // secret: 64 hex digits (CSRF HMAC, SSO client secrets)
  duration auth_session_idle{60 * 60'000};
  duration auth_session_absolute{12 * 60 * 60'000};
  bool auth_allow_insecure_cookies = false;  // dev over plain HTTP only
  int auth_hash_workers = 2;
  int auth_hash_queue = 32;
  bool auth_sso_allow_private_network = false;  // tests and local identity providers only
  // [db]
  std::string db_dsn;  // secret
  std::string db_migrate_dsn;  // secret; empty: migrations run over db.dsn
  int db_pool_size = 2;
  duration db_statement_timeout{5'000};
  duration db_reconnect_min{200};
  duration db_reconnect_max{10'000};
  // [actors]
  duration actors_idle_timeout{15 * 60'000};
  duration actors_request_timeout{5'000};
  duration actors_db_timeout{6'000};
  // [scheduler]
  int scheduler_threads = 1;
  std::string scheduler_policy = "sharing";
  int scheduler_max_throughput = 300;
  // [jobs]
  duration jobs_sweep_interval{5'000};
  duration jobs_sweep_backoff{10'000};
  // [smtp]
  std::string smtp_url;  // empty: the dev mailbox transport
  std::string smtp_tls = "starttls";
  std::string smtp_username;
  std::string smtp_password;  // secret
  std::string smtp_from = "hirewire <no-reply@localhost>";
  duration smtp_timeout{30'000};
  // [notify]
  int notify_workers = 1;
  duration notify_poll_interval{2'000};
  duration notify_lease{60'000};
  // [ats]
  std::string ats_credential_keys;  // secret: "k1:<64 hex>;current=k1"; empty: derived from auth.secret-key
  std::string ats_greenhouse_api_url = "https://harvest.greenhouse.io";
  std::string ats_greenhouse_token_url = "https://auth.greenhouse.io/token";
  std::string ats_lever_api_url = "https://api.lever.co";
  duration ats_call_timeout{30'000};
  int ats_call_attempts = 4;
  duration ats_sync_timeout{30 * 60'000};
  duration ats_look_back{3'600'000};
  int ats_degraded_after = 3;
  int ats_failing_after = 10;
  duration ats_restart_min{1'000};
  duration ats_restart_max{5 * 60'000};
  duration ats_poll_interval{2'000};
  duration ats_log_retention{30LL * 24 * 3'600'000};
  duration ats_inbox_retention{7LL * 24 * 3'600'000};
  int ats_webhook_writers = 1;        // webhook group-commit transactions in flight at once
  int ats_webhook_batch_limit = 256;  // deliveries per webhook group-commit transaction
  duration ats_webhook_linger{0};     // a free writer waits until the oldest delivery waited this long
  // [admin]
  std::string admin_token;  // secret
  // [log]
  std::string log_level = "info";
  std::string log_file;  // empty: stdout
  // [dev]
  bool dev_seed_demo = false;
};

/// What the command line asked for besides settings.
struct launch {
  app_config cfg;
  bool migrate_only = false;
  bool help = false;
  bool print_config = false;
  std::vector<std::string> sources;  // files read, for the start-up log
};

/// Parses everything. `env` holds the process environment (tests pass their own).
/// The config file is --config=FILE, else HIREWIRE_CONFIG, else ./hirewire.ini when it exists.
result<launch> load(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);

/// Parses INI text (for tests and for load()). `origin` names the file in errors.
result<hw::unit> apply_ini(app_config& cfg, const std::string& text, const std::string& origin);

/// Sets one key ("http.port") from text. Errors name the key and say what is expected.
result<hw::unit> set_key(app_config& cfg, const std::string& key, const std::string& value, const std::string& origin);

/// Cross-field checks (e.g. reconnect-min <= reconnect-max, db.dsn present).
result<hw::unit> validate(const app_config& cfg);

/// The --help text: every key with its type and default.
std::string usage();

/// Every key and its current value, secrets masked.
std::string dump(const app_config& cfg);

/// Environment of this process as a map.
std::map<std::string, std::string> process_env();

}  // namespace hw::config
