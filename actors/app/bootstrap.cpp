#include "actors/app/bootstrap.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include <unistd.h>

#include <caf/all.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pqxx/connection_base>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/app/admin_cli.hpp"
#include "actors/accounts/account_service_impl.hpp"
#include "actors/accounts/auth_janitor.hpp"
#include "actors/accounts/auth_listener.hpp"
#include "actors/accounts/session_cache.hpp"
#include "actors/ats/ats_service_impl.hpp"
#include "actors/job_posting/job_posting_actor.hpp"
#include "actors/job_posting/job_posting_client.hpp"
#include "actors/ats/ats_supervisor.hpp"
#include "actors/ats/credential_box.hpp"
#include "actors/content/content_service_impl.hpp"
#include "actors/auth/csrf.hpp"
#include "actors/auth/hash_pool.hpp"
#include "actors/auth/tokens.hpp"
#include "actors/db/db_worker.hpp"
#include "actors/gateway/caf_gateway.hpp"
#include "actors/health.hpp"
#include "actors/jobs/job_sweeper.hpp"
#include "actors/message_types.hpp"
#include "actors/notify/dev_mailbox_reader.hpp"
#include "actors/notify/dev_mailbox_sender.hpp"
#include "actors/notify/notification_supervisor.hpp"
#include "actors/notify/smtp_email_sender.hpp"
#include "actors/organization/organization_actor.hpp"
#include "actors/registry/entity_router.hpp"
#include "actors/watchdog.hpp"
#include "http/server.hpp"
#include "storage/migrate.hpp"
#include "storage/organization_repo.hpp"
#include "storage/pg.hpp"

namespace hw::app {

namespace {

std::string sha256_hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 0xf]);
  }
  return out;
}

/// HMAC-SHA256(master, label): independent keys for independent uses of auth.secret-key.
auth::key32 derive_key(const auth::key32& master, const std::string& label) {
  auth::key32 out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), master.data(), static_cast<int>(master.size()),
       reinterpret_cast<const unsigned char*>(label.data()), label.size(), out.data(), &len);
  return out;
}

void setup_logging(const config::app_config& cfg) {
  spdlog::sink_ptr sink;
  if (cfg.log_file.empty()) {
    sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(cfg.log_file);
  }
  auto logger = std::make_shared<spdlog::logger>("hirewire", sink);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  logger->set_level(spdlog::level::from_str(cfg.log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  // The access log (one JSON object per line, written by http/) shares the sink. It is flushed
  // by the periodic flush below, not per request: a write(2) per request would cost throughput.
  auto access = std::make_shared<spdlog::logger>("access", sink);
  access->set_pattern("%v");
  access->set_level(spdlog::level::info);
  access->flush_on(spdlog::level::warn);
  spdlog::drop("access");
  spdlog::register_logger(access);
  spdlog::flush_every(std::chrono::seconds(1));
}

/// The ATS credential key ring: ats.credential-keys, or one key "k0" derived from the master key
/// as SHA-256("hirewire ats credentials" || key).
result<std::shared_ptr<const ats::credential_key_ring>> ats_key_ring(const config::app_config& cfg,
                                                                     const auth::key32& master) {
  std::string text = cfg.ats_credential_keys;
  if (text.empty()) {
    std::string input = "hirewire ats credentials";
    input.append(reinterpret_cast<const char*>(master.data()), master.size());
    text = "k0:" + sha256_hex(input) + ";current=k0";
    OPENSSL_cleanse(input.data(), input.size());
    spdlog::info("ats.credential-keys is not set: ATS credentials are sealed with key k0, derived from "
                 "auth.secret-key{}", cfg.auth_secret_key.empty() ? " (random this run: they will not open "
                                                                    "after a restart)" : "");
  }
  auto ring = ats::credential_key_ring::parse(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!ring) return hw::error{errc::invalid_argument, "ats.credential-keys: " + ring.error().detail};
  return std::make_shared<const ats::credential_key_ring>(std::move(*ring));
}

/// The ids of the failing ATS connections, for /metrics and the log.
struct ats_health {
  std::mutex mu;
  std::vector<std::string> failing;
};

}  // namespace

struct application::impl {
  config::app_config cfg;
  std::unique_ptr<caf::actor_system_config> sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<actors::db_pool_stats> db_stats = std::make_shared<actors::db_pool_stats>();
  std::shared_ptr<actors::router_stats> org_stats = std::make_shared<actors::router_stats>();
  std::shared_ptr<actors::router_stats> job_stats = std::make_shared<actors::router_stats>();
  std::shared_ptr<actors::job_posting_client> jobs;
  std::shared_ptr<actors::health_board> health = std::make_shared<actors::health_board>();
  std::shared_ptr<actors::hash_pool_stats> hash_stats = std::make_shared<actors::hash_pool_stats>();
  std::shared_ptr<actors::session_cache> sessions;
  caf::actor db, webhook_db, org_router, job_router, sweeper, notify, dev_mailbox, watchdog, hash_pool, janitor, ats_sup;
  std::shared_ptr<ats_health> ats_state = std::make_shared<ats_health>();
  std::unique_ptr<actors::ats_service_impl> ats;
  std::unique_ptr<actors::content_service_impl> content;
  std::unique_ptr<actors::caf_gateway> gw;
  std::unique_ptr<actors::auth_listener> listener;
  std::unique_ptr<actors::account_service_impl> accounts;
  std::unique_ptr<http_api::server> http;
  bool stopped = false;
};

application::application(config::app_config cfg) : impl_(std::make_unique<impl>()) { impl_->cfg = std::move(cfg); }

application::~application() { stop(); }

result<hw::unit> application::prepare(std::chrono::milliseconds wait) {
  const auto& cfg = impl_->cfg;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto delay = cfg.db_reconnect_min;
  // Migrations run as the schema owner (db.migrate-dsn); the server serves as db.dsn, a role
  // that owns nothing and is subject to row-level security (storage/README.md "roles").
  const std::string& migrate_dsn = cfg.db_migrate_dsn.empty() ? cfg.db_dsn : cfg.db_migrate_dsn;
  storage::connection_ptr conn;
  for (;;) {
    try {
      conn = storage::connect(migrate_dsn, cfg.db_statement_timeout);
      break;
    } catch (const std::exception&) {
      if (std::chrono::steady_clock::now() + delay > deadline)
        return hw::error{errc::unavailable, cfg.db_migrate_dsn.empty() ? "cannot connect to PostgreSQL (db.dsn)"
                                                                       : "cannot connect to PostgreSQL (db.migrate-dsn)"};
      spdlog::warn("PostgreSQL is not reachable yet; retrying in {} ms", delay.count());
      std::this_thread::sleep_for(delay);  // start-up only, before any actor or io thread exists
      delay = std::min(delay * 2, cfg.db_reconnect_max);
    }
  }
  auto applied = storage::apply_migrations(*conn, storage::embedded_migrations());
  if (!applied) return std::move(applied).error();
  auto role = storage::prepare_serving_role(*conn, cfg.db_dsn, cfg.db_statement_timeout,
                                            /*grant=*/!cfg.db_migrate_dsn.empty());
  if (!role) return std::move(role).error();
  if (role->superuser || role->bypass_rls) {
    spdlog::warn("db.dsn connects as role {} which {}: row-level security is NOT enforced; serve with a role "
                 "that owns nothing (set db.migrate-dsn for the owner)",
                 role->name, role->superuser ? "is a superuser" : "has BYPASSRLS");
  } else {
    spdlog::info("serving as database role {} (row-level security enforced)", role->name);
  }
  if (cfg.dev_seed_demo) {
    auto demo = storage::ensure_demo_organization(*conn);
    if (!demo) return std::move(demo).error();
    spdlog::info("demo organization ready: id={} slug={}", demo->id.value, demo->slug);
  }
  return hw::unit{};
}

result<std::uint16_t> application::start() {
  auto& d = *impl_;
  const auto& cfg = d.cfg;
  d.sys_cfg = std::make_unique<caf::actor_system_config>();
  d.sys_cfg->set("scheduler.max-threads", static_cast<std::size_t>(cfg.scheduler_threads));
  d.sys_cfg->set("scheduler.policy", cfg.scheduler_policy == "stealing" ? caf::atom("stealing") : caf::atom("sharing"));
  d.sys_cfg->set("scheduler.max-throughput", static_cast<std::size_t>(cfg.scheduler_max_throughput));
  d.sys = std::make_unique<caf::actor_system>(*d.sys_cfg);

  actors::db_options dbo;
  dbo.dsn = cfg.db_dsn;
  dbo.statement_timeout = cfg.db_statement_timeout;
  dbo.reconnect_min = cfg.db_reconnect_min;
  dbo.reconnect_max = cfg.db_reconnect_max;
  d.db = actors::spawn_db_pool(*d.sys, cfg.db_pool_size, dbo, d.db_stats, d.health);

  // E-mail: SMTP when a relay is configured, else the dev mailbox (plus its read API).
  actors::email_worker_config ew;
  ew.dsn = cfg.db_dsn;
  ew.statement_timeout = cfg.db_statement_timeout;
  ew.poll_interval = cfg.notify_poll_interval;
  ew.step.worker_id = "notify-" + std::to_string(::getpid());
  ew.step.from = cfg.smtp_from;
  ew.step.lease = cfg.notify_lease;
  if (cfg.smtp_url.empty()) {
    ew.make_sender = [] { return std::make_unique<actors::dev_mailbox_sender>(); };
    d.dev_mailbox = actors::spawn_dev_mailbox_reader(*d.sys, cfg.db_dsn, cfg.db_statement_timeout);
    spdlog::info("e-mail transport: dev mailbox (smtp.url is empty; nothing is sent)");
  } else {
    actors::smtp_options so;
    so.url = cfg.smtp_url;
    so.tls = cfg.smtp_tls == "implicit" ? actors::smtp_tls::implicit
             : cfg.smtp_tls == "none"   ? actors::smtp_tls::none
                                        : actors::smtp_tls::starttls;
    so.username = cfg.smtp_username;
    so.password = cfg.smtp_password;
    so.timeout = cfg.smtp_timeout;
    ew.make_sender = [so] { return std::make_unique<actors::smtp_email_sender>(so); };
    spdlog::info("e-mail transport: smtp (tls={})", cfg.smtp_tls);
  }
  actors::notify_supervisor_options no;
  no.workers = cfg.notify_workers;
  d.notify = actors::spawn_notification_supervisor(*d.sys, no, ew, d.health);

  actors::organization_options oo;
  oo.idle_timeout = cfg.actors_idle_timeout;
  oo.db_timeout = cfg.actors_db_timeout;
  d.org_router = actors::spawn_entity_router(*d.sys, actors::organization_spec(d.db, oo), d.org_stats);
  // Job postings: one entity per imported job (FSM decision, CAS write, then the reply).
  actors::job_posting_options jo;
  jo.idle_timeout = cfg.actors_idle_timeout;
  jo.db_timeout = cfg.actors_db_timeout;
  d.job_router = actors::spawn_entity_router(*d.sys, actors::job_posting_spec(actors::db_job_store(d.db), jo), d.job_stats);
  d.jobs = std::make_shared<actors::job_posting_client>(*d.sys, d.job_router,
                                                        cfg.actors_db_timeout + std::chrono::seconds{2});

  actors::sweeper_options so;
  so.interval = cfg.jobs_sweep_interval;
  so.backoff = cfg.jobs_sweep_backoff;
  so.db_timeout = cfg.actors_db_timeout;
  d.sweeper = d.sys->spawn(actors::job_sweeper, d.db, so);

  // People and access: argon2id pool, session cache kept true by LISTEN/NOTIFY, the service.
  actors::hash_pool_options ho;
  ho.workers = cfg.auth_hash_workers;
  ho.max_queue = cfg.auth_hash_queue;
  d.hash_pool = actors::spawn_hash_pool(*d.sys, ho, d.hash_stats);
  auth::key32 master{};
  if (cfg.auth_secret_key.empty()) {
    auto raw = auth::random_bytes(master.size());
    std::copy(raw.begin(), raw.end(), master.begin());
    spdlog::warn("auth.secret-key is not set: using a random key for this run (CSRF tokens end with a restart; "
                 "stored SSO client secrets cannot be read after one; several processes disagree)");
  } else {
    auto k = auth::parse_key_hex(cfg.auth_secret_key);
    if (!k) return hw::error{errc::invalid_argument, "auth.secret-key: " + k.error().detail};
    master = *k;
  }
  const auto csrf_key = derive_key(master, "hirewire csrf v1");
  const std::string origin = cfg.http_public_origin.empty()
                               ? "http://" + cfg.http_address + ":" + std::to_string(cfg.http_port)
                               : cfg.http_public_origin;
  d.sessions = std::make_shared<actors::session_cache>(
    100'000, std::chrono::duration_cast<std::chrono::seconds>(cfg.auth_session_idle), std::chrono::seconds{60});
  actors::auth_listener_options lo;
  lo.dsn = cfg.db_dsn;
  lo.reconnect_min = cfg.db_reconnect_min;
  lo.reconnect_max = cfg.db_reconnect_max;
  d.listener = std::make_unique<actors::auth_listener>(lo, d.sessions);
  d.listener->start();
  actors::account_service_options ao;
  ao.session_idle = std::chrono::duration_cast<std::chrono::seconds>(cfg.auth_session_idle);
  ao.session_absolute = std::chrono::duration_cast<std::chrono::seconds>(cfg.auth_session_absolute);
  ao.public_origin = origin;
  ao.box_key = derive_key(master, "hirewire secret box v1");
  ao.sso_allow_private_network = cfg.auth_sso_allow_private_network;
  d.accounts = std::make_unique<actors::account_service_impl>(*d.sys, d.db, d.hash_pool, d.notify, d.sessions, ao);
  d.janitor = d.sys->spawn(actors::auth_janitor, d.db, actors::auth_janitor_options{});

  // ATS (issue 4): the supervisor owns one detached sync worker per live connection (each with
  // its own PostgreSQL connection); the service is what http/ calls.
  auto ring = ats_key_ring(cfg, master);
  if (!ring) return std::move(ring).error();
  actors::sync_worker_config wc;
  wc.dsn = cfg.db_dsn;
  wc.statement_timeout = cfg.db_statement_timeout;
  wc.keys = *ring;
  wc.endpoints["greenhouse"] = ats::vendor_endpoints{cfg.ats_greenhouse_api_url, cfg.ats_greenhouse_token_url};
  wc.endpoints["lever"] = ats::vendor_endpoints{cfg.ats_lever_api_url, ""};
  wc.policy.timeout = cfg.ats_call_timeout;
  wc.policy.max_attempts = cfg.ats_call_attempts;
  wc.sync_timeout = cfg.ats_sync_timeout;
  wc.pull.look_back = cfg.ats_look_back;
  wc.failure.degraded_after = static_cast<std::uint32_t>(cfg.ats_degraded_after);
  wc.failure.failing_after = static_cast<std::uint32_t>(cfg.ats_failing_after);
  actors::ats_supervisor_options aso;
  aso.poll_interval = cfg.ats_poll_interval;
  aso.restart = domain::retry_policy{cfg.ats_restart_min, cfg.ats_restart_max, 0.0};
  aso.on_failing = [st = d.ats_state, health = d.health](const std::vector<std::string>& ids) {
    {
      std::lock_guard<std::mutex> g{st->mu};
      st->failing = ids;
    }
    // A failing connection is the tenant's ATS (credentials, vendor outage), not this process:
    // it is shown on the dashboard, in /metrics and as a /readyz note (connection ids only, no
    // tenant names), and does not take /readyz down.
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
    if (ids.empty()) {
      health->clear_note("ats");
    } else {
      health->set_note("ats", std::to_string(ids.size()) + " connection(s) failing: " + list);
      spdlog::warn("ats: failing connections: {}", list);
    }
  };
  actors::ats_db_io_options aio;
  aio.worker_id = "ats-" + std::to_string(::getpid());
  // A claimed webhook job's lease covers its wait in the worker's mailbox; the worker extends it
  // when the job starts (sync_worker run_job). Short, so a job lost with its worker or process is
  // swept back soon (one job per connection since migration 0019: its later deliveries wait).
  aio.lease = std::chrono::minutes{2};
  aio.log_retention = std::chrono::duration_cast<std::chrono::seconds>(cfg.ats_log_retention);
  aio.inbox_retention = std::chrono::duration_cast<std::chrono::seconds>(cfg.ats_inbox_retention);
  d.ats_sup = actors::spawn_ats_supervisor(*d.sys, aso, d.db, aio, wc);
  actors::ats_service_options ats_opt;
  ats_opt.public_origin = origin;
  ats_opt.db_timeout = cfg.actors_db_timeout;
  ats_opt.webhook_writers = cfg.ats_webhook_writers;
  ats_opt.webhook_batch_limit = static_cast<std::size_t>(cfg.ats_webhook_batch_limit);
  ats_opt.webhook_linger = cfg.ats_webhook_linger;
  {
    // The webhook writers' own connections (one per writer): nothing else runs on them, so their
    // sessions may keep the tenant between batches (storage::ingest_session::dedicated).
    actors::db_options wdo = dbo;
    wdo.health_name = "webhook_db_pool";
    d.webhook_db = actors::spawn_db_pool(*d.sys, cfg.ats_webhook_writers, wdo,
                                         std::make_shared<actors::db_pool_stats>(), d.health);
    ats_opt.webhook_db = d.webhook_db;
  }
  d.ats = std::make_unique<actors::ats_service_impl>(*d.sys, d.db, d.ats_sup, *ring, ats_opt);
  d.ats->use_job_postings(d.jobs);
  // Interview content (issue 5): library, templates, proposals; LLM keys sealed with the same ring.
  actors::content_service_options content_opt;
  content_opt.db_timeout = cfg.actors_db_timeout;
  d.content = std::make_unique<actors::content_service_impl>(*d.sys, d.db, *ring, content_opt);
  // After a template approval commits, the job posting entity re-reads its row (approved template).
  d.content->on_template_approved([router = d.job_router](const org_id& org, const std::string& job) {
    caf::anon_send(router, actors::route_atom::value, actors::job_posting_key_of(org, job),
                   caf::make_message(actors::load_atom::value));
  });

  d.watchdog = actors::spawn_watchdog(*d.sys,
                                      {{"db_pool", d.db.address()},
                                       {"organization_router", d.org_router.address()},
                                       {"job_posting_router", d.job_router.address()},
                                       {"job_sweeper", d.sweeper.address()},
                                       {"notification_supervisor", d.notify.address()},
                                       {"hash_pool", d.hash_pool.address()},
                                       {"ats_supervisor", d.ats_sup.address()}},
                                      d.health);

  actors::gateway_parts parts;
  parts.org_router = d.org_router;
  parts.db = d.db;
  parts.dev_mailbox = d.dev_mailbox;
  parts.org_stats = d.org_stats;
  parts.db_stats = d.db_stats;
  parts.health = d.health;
  parts.request_timeout = cfg.actors_request_timeout;
  parts.bridges = cfg.scheduler_threads;
  parts.extra_stats = [hs = d.hash_stats, sc = d.sessions, as = d.ats_state](runtime_stats& s) {
    {
      std::lock_guard<std::mutex> g{as->mu};
      s.extra.push_back({"hw_ats_connections_failing", "ATS connections in state failing.", "gauge",
                         static_cast<std::int64_t>(as->failing.size())});
    }
    s.extra.push_back({"hw_hash_pool_workers", "argon2id worker threads.", "gauge", hs->workers.load()});
    s.extra.push_back({"hw_hash_pool_in_use", "argon2id computations running.", "gauge", hs->in_use.load()});
    s.extra.push_back({"hw_hash_pool_queued", "argon2id requests waiting for a worker.", "gauge", hs->queued.load()});
    s.extra.push_back({"hw_hash_pool_rejected_total", "argon2id requests refused because the queue was full.",
                       "counter", hs->rejected.load()});
    s.extra.push_back({"hw_hash_pool_completed_total", "argon2id requests finished.", "counter", hs->completed.load()});
    s.extra.push_back({"hw_session_cache_entries", "Sessions cached in this process.", "gauge",
                       static_cast<std::int64_t>(sc->size())});
    s.extra.push_back({"hw_session_cache_enabled", "1 while the LISTEN connection that keeps the cache true is up.",
                       "gauge", sc->enabled() ? 1 : 0});
    s.extra.push_back({"hw_session_cache_hits_total", "Session checks answered from the cache.", "counter",
                       static_cast<std::int64_t>(sc->hits())});
    s.extra.push_back({"hw_session_cache_misses_total", "Session checks that went to the database.", "counter",
                       static_cast<std::int64_t>(sc->misses())});
  };
  d.gw = std::make_unique<actors::caf_gateway>(*d.sys, parts);

  http_api::server_options so2;
  so2.address = cfg.http_address;
  so2.port = cfg.http_port;
  so2.io_threads = cfg.http_io_threads;
  so2.body_limit = cfg.http_body_limit;
  so2.max_connections = cfg.http_max_connections;
  so2.idle_timeout = cfg.http_idle_timeout;
  so2.header_timeout = cfg.http_header_timeout;
  so2.body_timeout = cfg.http_body_timeout;
  so2.write_timeout = cfg.http_write_timeout;
  so2.request_timeout = cfg.http_request_timeout;
  so2.shutdown_grace = cfg.http_shutdown_grace;
  so2.static_dir = cfg.http_static_dir;
  so2.access_log = cfg.http_access_log;
  so2.dev_mailbox = static_cast<bool>(d.dev_mailbox);
  if (!cfg.admin_token.empty()) so2.admin_token_sha256 = sha256_hex(cfg.admin_token);
  so2.accounts = d.accounts.get();
  so2.ats = d.ats.get();
  so2.content = d.content.get();
  so2.public_origin = origin;
  so2.allow_insecure_cookies = cfg.auth_allow_insecure_cookies;
  so2.hsts = origin.rfind("https://", 0) == 0;
  so2.csrf_token = [csrf_key](const std::string& session) { return auth::csrf_token(csrf_key, session); };
  so2.csrf_valid = [csrf_key](const std::string& session, const std::string& token) {
    return auth::csrf_valid(csrf_key, session, token);
  };
  so2.trusted_proxies = cfg.http_trusted_proxies;
  try {
    d.http = std::make_unique<http_api::server>(so2, *d.gw);
  } catch (const std::invalid_argument& e) {
    return hw::error{errc::invalid_argument, e.what()};
  }
  try {
    return d.http->start();
  } catch (const std::exception& e) {
    return hw::error{errc::unavailable, std::string{"cannot listen on "} + cfg.http_address + ":" +
                                          std::to_string(cfg.http_port) + ": " + e.what()};
  }
}

void application::stop() {
  auto& d = *impl_;
  if (d.stopped || !d.sys) return;
  d.stopped = true;
  if (d.http) d.http->stop();  // in-flight requests finish; io threads joined
  if (d.gw) d.gw->stop();
  // The notification supervisor stops its workers (a send in flight finishes, bounded by
  // smtp.timeout) before it quits; await_all_actors_done waits for all of them.
  if (d.listener) d.listener->stop();
  // The ATS service owns a timer actor that its destructor stops: before await_all_actors_done.
  d.ats.reset();
  d.content.reset();  // its timer actor, like the ATS service's
  d.jobs.reset();  // holds the job router handle and a reference to the actor system
  // The ATS supervisor cancels running pulls (a vendor call in flight ends within ats.call-timeout)
  // and stops its workers before it quits; the db pool goes after it.
  for (auto* a : {&d.watchdog, &d.janitor, &d.ats_sup, &d.notify, &d.dev_mailbox, &d.sweeper, &d.job_router, &d.org_router,
                  &d.hash_pool, &d.webhook_db, &d.db}) {
    if (*a) caf::anon_send_exit(*a, caf::exit_reason::user_shutdown);
  }
  d.sys->await_all_actors_done();
  // ~actor_system waits until every detached actor's object is destroyed: drop our handles.
  d.ats_sup = nullptr;
  d.notify = nullptr;
  d.dev_mailbox = nullptr;
  d.hash_pool = nullptr;
  d.gw.reset();
  d.http.reset();
  d.accounts.reset();  // only now: CAF no longer holds callbacks into the io_context
  d.sys.reset();
}

entity_gateway& application::gateway() { return *impl_->gw; }

int run_main(int argc, char** argv) {
  if (argc >= 2 && std::string{argv[1]} == "admin") {  // operator commands: actors/app/admin_cli
    return run_admin(std::vector<std::string>(argv + 2, argv + argc), config::process_env(), std::cin,
                     std::cout, std::cerr);
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  auto launched = config::load(args, config::process_env());
  if (!launched) {
    std::cerr << "hirewire: configuration error: " << launched.error().detail << "\n";
    return 2;
  }
  if (launched->help) {
    std::cout << config::usage()
              << "\noperator commands (hirewire admin --help):\n"
                 "  hirewire admin create-org --name=NAME --slug=SLUG --owner-email=EMAIL ...\n";
    return 0;
  }
  if (launched->print_config) {
    std::cout << config::dump(launched->cfg);
    return 0;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // Block SIGINT/SIGTERM before any thread exists (spdlog's flusher, CAF, io threads inherit the
  // mask); the main thread waits for them with sigwait and then shuts down in order.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  try {
    setup_logging(launched->cfg);
  } catch (const std::exception& e) {
    std::cerr << "hirewire: configuration error: log.file: cannot open '" << launched->cfg.log_file
              << "': " << e.what() << "\n";
    return 2;
  }

  for (const auto& src : launched->sources) spdlog::info("configuration read from {}", src);
  application app{launched->cfg};
  if (auto r = app.prepare(); !r) {
    spdlog::error("start-up failed: {}", r.error().detail);
    std::cerr << "hirewire: " << r.error().detail << "\n";
    return 1;
  }
  if (launched->migrate_only) {
    spdlog::info("migrations are current; exiting (--migrate-only)");
    return 0;
  }
  auto port = app.start();
  if (!port) {
    spdlog::error("start-up failed: {}", port.error().detail);
    std::cerr << "hirewire: " << port.error().detail << "\n";
    return 1;
  }
  spdlog::info("hirewire listening on http://{}:{}/", launched->cfg.http_address, *port);
  int sig = 0;
  sigwait(&sigs, &sig);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  app.stop();
  spdlog::info("stopped");
  spdlog::shutdown();
  return 0;
}

}  // namespace hw::app
