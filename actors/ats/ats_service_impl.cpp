#include "actors/ats/ats_service_impl.hpp"
#include "actors/job_posting/job_posting_client.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <deque>
#include <mutex>
#include <set>
#include <unordered_map>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "actors/ats/greenhouse_signature.hpp"  // sha256_hex
#include "actors/ats/vendor_registry.hpp"
#include "actors/auth/password_hash.hpp"  // wipe
#include "actors/auth/tokens.hpp"
#include "actors/domain/password_policy.hpp"  // utf8_code_points
#include "actors/db/db_call.hpp"
#include "actors/message_types.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
#include "storage/audit_repo.hpp"
#include "storage/job_posting_repo.hpp"
#include "storage/pg.hpp"

namespace hw::actors {

namespace {

using time_point = std::chrono::system_clock::time_point;
using nlohmann::json;

constexpr int min_sync_interval = 5;
constexpr int max_sync_interval = 1440;
constexpr std::chrono::milliseconds status_timeout{500};
constexpr const char* lever_token_field = "webhook_signature_token";

hw::error conn_not_found() { return hw::error{errc::not_found, "ATS connection not found"}; }

/// A random (version 4) UUID in canonical text form.
std::string new_connection_id() { return auth::random_uuid(); }

using auth::wipe;  // actors/auth/password_hash.hpp

std::string trim_spaces(const std::string& s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(' ');
  return s.substr(b, e - b + 1);
}

result<std::string> check_name(const std::string& raw) {
  auto name = trim_spaces(raw);
  auto points = domain::utf8_code_points(name);
  if (name.empty() || !points || *points > 100) return hw::error{errc::invalid_argument, "name: 1 to 100 characters"};
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f) return hw::error{errc::invalid_argument, "name: must not contain control characters"};
  }
  return name;
}

result<hw::unit> check_settings(const ats_connection_settings& s) {
  if (s.sync_interval_minutes < min_sync_interval || s.sync_interval_minutes > max_sync_interval)
    return hw::error{errc::invalid_argument, "settings.sync_interval_minutes: 5 to 1440"};
  return hw::unit{};
}

/// Canonical org id, or nothing for a value that can never name an organization.
std::optional<org_id> canon(const org_id& org) {
  auto c = canonical_uuid(org.value);
  if (c.empty()) return std::nullopt;
  return org_id{std::move(c)};
}

bool is_field_name(const std::string& k) {
  if (k.empty() || k.size() > 40) return false;
  return std::all_of(k.begin(), k.end(), [](unsigned char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; });
}

/// Known field names only (the detail names a field, never a value), then the vendor's checks.
result<hw::unit> check_credentials(const ats::vendor_traits& t, const std::map<std::string, std::string>& creds) {
  for (const auto& kv : creds) {
    const auto& k = kv.first;
    bool known = std::find(t.required_credentials.begin(), t.required_credentials.end(), k) !=
                     t.required_credentials.end() ||
                 std::find(t.optional_credentials.begin(), t.optional_credentials.end(), k) !=
                     t.optional_credentials.end();
    if (!known) {
      return hw::error{errc::invalid_argument,
                       is_field_name(k) ? "credentials." + k + ": not a field of " + std::string{t.name}
                                        : "credentials: an unknown field name"};
    }
  }
  if (t.validate_credentials) return t.validate_credentials(creds);
  return hw::unit{};
}

struct parsed_settings {
  int sync_interval_minutes = 60;
  std::vector<std::string> credential_fields;
};

parsed_settings parse_settings(const std::string& text) {
  parsed_settings out;
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return out;
  auto it = j.find("sync_interval_minutes");
  if (it != j.end() && it->is_number_integer()) out.sync_interval_minutes = it->get<int>();
  auto f = j.find("credential_fields");
  if (f != j.end() && f->is_array()) {
    for (const auto& v : *f) {
      if (v.is_string()) out.credential_fields.push_back(v.get<std::string>());
    }
  }
  return out;
}

/// `base` (the stored settings object, other keys kept) with our two keys set.
std::string settings_json(const std::string& base, int interval, const std::vector<std::string>& fields) {
  auto j = json::parse(base, nullptr, false);
  if (j.is_discarded() || !j.is_object()) j = json::object();
  j["sync_interval_minutes"] = interval;
  j["credential_fields"] = fields;
  return j.dump();
}

std::vector<std::string> field_names(const std::map<std::string, std::string>& creds) {
  std::vector<std::string> out;
  for (const auto& kv : creds) out.push_back(kv.first);  // std::map: sorted
  return out;
}

std::string webhook_url(const std::string& origin, const std::string& vendor, const std::string& id) {
  std::string o = origin;
  while (!o.empty() && o.back() == '/') o.pop_back();
  return o + "/webhooks/" + vendor + "/" + id;
}

/// What a secret split produces: the credential JSON to seal and the webhook secret (if any).
struct sealed_secrets {
  std::optional<std::string> credentials_enc;
  std::optional<std::string> webhook_secret_enc;
  std::optional<std::string> generated_secret;  // shown once
};

/// Seals `creds` (Lever's signature token moves to the webhook secret) and, when `new_secret`,
/// a freshly generated webhook secret. Plaintexts are wiped before returning.
result<sealed_secrets> seal_secrets(const ats::credential_key_ring& keys, const ats::vendor_traits& t,
                                    const org_id& org, const std::string& id,
                                    std::optional<std::map<std::string, std::string>> creds, bool new_secret) {
  const auto aad = ats::credential_aad(org, id);
  sealed_secrets out;
  std::optional<std::string> hook_plain;
  if (creds) {
    auto it = creds->find(lever_token_field);
    if (it != creds->end() && !t.we_generate_webhook_secret) {
      hook_plain = std::move(it->second);
      creds->erase(it);
    }
    json j = json::object();
    for (auto& kv : *creds) j[kv.first] = kv.second;
    std::string text = j.dump();
    for (auto& kv : *creds) wipe(kv.second);
    auto sealed = keys.seal(text, aad);
    wipe(text);
    if (!sealed) return std::move(sealed).error();
    out.credentials_enc = std::move(*sealed);
  }
  if (new_secret) {
    out.generated_secret = auth::random_secret();
    hook_plain = *out.generated_secret;
  }
  if (hook_plain) {
    auto sealed = keys.seal(*hook_plain, aad);
    wipe(*hook_plain);
    if (!sealed) return std::move(sealed).error();
    out.webhook_secret_enc = std::move(*sealed);
  }
  return out;
}

ats_connection_view make_view(const storage::ats_connection_record& r, const storage::ats_import_counts* counts,
                              const std::string& origin, bool secrets_loaded) {
  ats_connection_view v;
  v.id = r.id;
  v.vendor = r.vendor;
  v.name = r.name;
  v.state = std::string{domain::to_string(r.state)};
  v.state_reason = r.state_reason;
  v.consecutive_failures = r.consecutive_failures;
  v.last_sync_at = r.last_sync_at;
  v.last_success_at = r.last_success_at;
  v.last_error_at = r.last_error_at;
  v.last_error = r.last_error;
  v.next_sync_at = r.next_sync_at;
  auto s = parse_settings(r.settings);
  v.settings.sync_interval_minutes = s.sync_interval_minutes;
  const bool live = r.state != domain::ats_connection_state::disconnected;
  if (live) v.credential_fields = s.credential_fields;
  if (secrets_loaded) {
    v.has_credentials = r.credentials_enc.has_value();
    v.has_webhook_secret = r.webhook_secret_enc.has_value();
  } else {
    // Lists carry no sealed bytes: derive from what create/update recorded in settings.
    const auto* t = ats::find_vendor(r.vendor);
    v.has_credentials = live && !s.credential_fields.empty();
    v.has_webhook_secret =
        live && ((t != nullptr && t->we_generate_webhook_secret) ||
                 std::find(s.credential_fields.begin(), s.credential_fields.end(), lever_token_field) !=
                     s.credential_fields.end());
  }
  v.webhook_url = webhook_url(origin, r.vendor, r.id);
  if (counts != nullptr) {
    v.counts.jobs = counts->jobs;
    v.counts.candidates = counts->candidates;
    v.counts.applications = counts->applications;
    v.counts.webhooks_received = counts->webhooks_received;
    v.counts.webhooks_duplicate = counts->webhooks_duplicate;
    v.counts.webhooks_rejected = counts->webhooks_rejected;
  }
  v.created_at = r.created_at;
  v.updated_at = r.updated_at;
  v.version = r.version;
  return v;
}

/// One connection's view (sealed bytes loaded) with its counts.
result<ats_connection_view> load_view(pqxx::connection_base& c, const org_id& org, const std::string& id,
                                      const std::string& origin) {
  auto rec = storage::load_ats_connection(c, org, id);
  if (!rec) return std::move(rec).error();
  auto counts = storage::ats_import_counts_by_connection(c, org);
  if (!counts) return std::move(counts).error();
  auto it = counts->find(rec->id);
  return make_view(*rec, it == counts->end() ? nullptr : &it->second, origin, true);
}

bool has_upper_case_name(const std::map<std::string, std::string>& h) {
  return std::any_of(h.begin(), h.end(), [](const auto& kv) {
    return std::any_of(kv.first.begin(), kv.first.end(), [](unsigned char ch) { return std::isupper(ch) != 0; });
  });
}

/// `h` with lower-case names. The HTTP route already lowers them: then nothing is copied and the
/// result refers to `h`; otherwise `scratch` holds the lowered copy.
const std::map<std::string, std::string>& lower_headers(const std::map<std::string, std::string>& h,
                                                        std::map<std::string, std::string>& scratch) {
  if (!has_upper_case_name(h)) return h;
  scratch.clear();
  for (const auto& kv : h) {
    std::string k = kv.first;
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    scratch[k] = kv.second;
  }
  return scratch;
}

}  // namespace

// ---- impl ------------------------------------------------------------------------------------

struct ats_service_impl::impl : std::enable_shared_from_this<impl> {
  caf::actor_system& sys;
  caf::actor db;
  caf::actor sup;
  std::shared_ptr<const ats::credential_key_ring> keys;
  ats_service_options opt;
  std::function<time_point()> clock;
  caf::actor timer;

  impl(caf::actor_system& s, caf::actor d, caf::actor su, std::shared_ptr<const ats::credential_key_ring> k,
       ats_service_options o, std::function<time_point()> cl)
      : sys(s), db(std::move(d)), sup(std::move(su)), keys(std::move(k)), opt(std::move(o)), clock(std::move(cl)) {
    if (!clock) clock = [] { return std::chrono::system_clock::now(); };
    timer = spawn_fire_timer(sys);
  }

  time_point now() const { return clock(); }

  // ---- webhook targets: connection id -> what verifying needs (short TTL) ----------------------
  struct hook_target {
    org_id org;
    std::string vendor;
    domain::ats_connection_state state = domain::ats_connection_state::pending;
    std::optional<std::string> secret_enc;   // the sealed bytes
    std::optional<std::string> secret;       // opened; absent when there is none or it cannot open
    bool unreadable = false;                 // sealed bytes the key ring cannot open
    std::chrono::steady_clock::time_point fetched;
    ~hook_target() {
      if (secret) wipe(*secret);
    }
  };
  std::mutex targets_mu;
  std::unordered_map<std::string, std::shared_ptr<hook_target>> targets;

  std::shared_ptr<hook_target> cached_target(const std::string& id) {
    std::lock_guard<std::mutex> lk{targets_mu};
    auto it = targets.find(id);
    if (it == targets.end()) return nullptr;
    if (std::chrono::steady_clock::now() - it->second->fetched > opt.webhook_target_ttl) {
      targets.erase(it);
      return nullptr;
    }
    return it->second;
  }
  void remember_target(const std::string& id, std::shared_ptr<hook_target> t) {
    if (opt.webhook_target_ttl.count() <= 0) return;
    std::lock_guard<std::mutex> lk{targets_mu};
    if (targets.size() >= 10000) targets.clear();
    targets[id] = std::move(t);
  }
  void forget_target(const std::string& id) {
    std::lock_guard<std::mutex> lk{targets_mu};
    targets.erase(canonical_uuid(id));
  }

  // ---- the webhook writer: group commit of everything waiting ----------------------------------
  struct pending_hook {
    storage::ats_webhook_batch_item item;
    ats_callback<webhook_ack> cb;
    std::chrono::steady_clock::time_point started;
    std::optional<hw::error> answer_instead;  // a log item's answer (rejections, ping: outcome)
    std::optional<webhook_ack> ack_instead;
  };
  std::mutex queue_mu;
  std::deque<pending_hook> queue;
  int in_flight = 0;

  void submit(pending_hook h) {
    {
      std::lock_guard<std::mutex> lk{queue_mu};
      if (queue.size() < opt.webhook_queue_limit) {
        queue.push_back(std::move(h));
        h.cb = nullptr;
      }
    }
    if (h.cb) return h.cb(hw::error{errc::unavailable, "webhook intake is busy; retry later"});
    dispatch();
  }

  /// Starts batches while fewer than webhook_writers are running and deliveries wait.
  bool linger_armed = false;  // a timer calls dispatch() when the oldest delivery's linger is over

  void dispatch() {
    for (;;) {
      std::shared_ptr<std::vector<pending_hook>> batch;
      {
        std::lock_guard<std::mutex> lk{queue_mu};
        if (queue.empty() || in_flight >= opt.webhook_writers) return;
        if (opt.webhook_linger.count() > 0 && queue.size() < opt.webhook_batch_limit) {
          const auto waited = std::chrono::steady_clock::now() - queue.front().started;
          if (waited < opt.webhook_linger) {
            if (linger_armed) return;
            linger_armed = true;
            auto self = shared_from_this();
            const auto rest = std::chrono::duration_cast<std::chrono::microseconds>(opt.webhook_linger - waited);
            caf::delayed_anon_send(timer, rest, tick_atom::value, timeout_fire{[self] {
                                     {
                                       std::lock_guard<std::mutex> lk2{self->queue_mu};
                                       self->linger_armed = false;
                                     }
                                     self->dispatch();
                                   }});
            return;
          }
        }
        // Allocated only when a batch starts (most submits find every writer busy).
        batch = std::make_shared<std::vector<pending_hook>>();
        const auto n = std::min<std::size_t>(queue.size(), opt.webhook_batch_limit);
        batch->reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          batch->push_back(std::move(queue.front()));
          queue.pop_front();
        }
        ++in_flight;
      }
      run_batch(batch);
    }
  }

  static void answer(pending_hook& h, const result<storage::ats_webhook_batch_result>& r) {
    if (!h.cb) return;
    auto cb = std::move(h.cb);
    h.cb = nullptr;
    if (h.answer_instead) return cb(*h.answer_instead);  // decided before storing
    if (h.ack_instead) return cb(*h.ack_instead);
    if (!r) return cb(hw::error{errc::unavailable, "the delivery could not be stored; retry later"});
    switch (r->outcome) {
      case storage::ats_webhook_batch_outcome::accepted: return cb(webhook_ack{webhook_outcome::accepted});
      case storage::ats_webhook_batch_outcome::duplicate: return cb(webhook_ack{webhook_outcome::duplicate});
      case storage::ats_webhook_batch_outcome::secret_changed:
        return cb(hw::error{errc::unauthorized, "webhook signature rejected"});
      default: return cb(conn_not_found());
    }
  }

  void lookup_and_verify(webhook_delivery del, std::string id, std::chrono::steady_clock::time_point started,
                         ats_callback<webhook_ack> cb);
  void verify_and_submit(webhook_delivery del, std::string id, std::shared_ptr<hook_target> t, bool cached,
                         std::chrono::steady_clock::time_point started, ats_callback<webhook_ack> cb);

  void batch_done() {
    {
      std::lock_guard<std::mutex> lk{queue_mu};
      --in_flight;
    }
    dispatch();
  }

  void run_batch(std::shared_ptr<std::vector<pending_hook>> batch) {
    auto self = shared_from_this();
    auto settled = std::make_shared<std::atomic<bool>>(false);
    db_task t;
    t.run = [self, batch, settled](pqxx::connection_base& c) -> result<hw::unit> {
      const auto now = self->now();
      const auto at = std::chrono::steady_clock::now();
      std::vector<storage::ats_webhook_batch_item> items;
      items.reserve(batch->size());
      for (auto& h : *batch) {
        h.item.duration_ms =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(at - h.started).count());
        // Moved, not copied (payload, sealed secret): the batch keeps only the callbacks.
        items.push_back(std::move(h.item));
      }
      const auto mode = self->opt.webhook_db ? storage::ingest_session::dedicated : storage::ingest_session::shared;
      auto r = storage::ingest_webhook_batch(c, items, now, mode);
      std::vector<result<storage::ats_webhook_batch_result>> per;
      if (r) {
        for (auto& x : *r) per.emplace_back(x);
      } else if (r.code() != errc::unavailable && r.code() != errc::timeout && items.size() > 1) {
        // Not the database going away: one delivery may be at fault (e.g. a body PostgreSQL's
        // jsonb refuses). Store one by one so only that one fails.
        spdlog::warn("webhook batch of {} failed ({}); storing them one by one", items.size(), r.error().detail);
        for (auto& it : items) {
          auto one = storage::ingest_webhook_batch(c, {it}, now, mode);
          if (one) per.emplace_back(one->front()); else per.emplace_back(std::move(one).error());
        }
      } else {
        spdlog::warn("webhook batch of {} not stored: {}", items.size(), r.error().detail);
        for (std::size_t i = 0; i < items.size(); ++i) per.emplace_back(r.error());
      }
      // The connections with new inbox rows: their processing job is ensured by the supervisor's
      // next claim (coalesced over its hook delay; migration 0019). Duplicates too: the vendor's
      // resend of a delivery whose batch committed but failed afterwards (no hook then).
      std::vector<storage::webhook_job_target> stored;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!per[i] || (per[i]->outcome != storage::ats_webhook_batch_outcome::accepted &&
                        per[i]->outcome != storage::ats_webhook_batch_outcome::duplicate))
          continue;
        const auto known = std::any_of(stored.begin(), stored.end(), [&](const storage::webhook_job_target& t) {
          return t.connection_id == items[i].connection_id;
        });
        if (!known) stored.push_back({items[i].org, items[i].connection_id});
      }
      if (!settled->exchange(true)) {
        for (std::size_t i = 0; i < batch->size(); ++i) {
          auto& h = (*batch)[i];
          if (per[i] && (per[i]->outcome == storage::ats_webhook_batch_outcome::gone ||
                         per[i]->outcome == storage::ats_webhook_batch_outcome::secret_changed))
            self->forget_target(items[i].connection_id);
          answer(h, per[i]);
        }
      }
      if (!stored.empty() && self->sup) caf::anon_send(self->sup, ats_hook_atom::value, std::move(stored));
      self->batch_done();
      return hw::unit{};
    };
    t.fail = [self, batch, settled](hw::error e) {
      spdlog::warn("webhook batch of {} not stored: {}", batch->size(), e.detail);
      if (!settled->exchange(true)) {
        for (auto& h : *batch) answer(h, result<storage::ats_webhook_batch_result>{e});
      }
      self->batch_done();
    };
    // Nothing waits forever on a stuck database: the batch then answers unavailable (never
    // accepted), and whatever it commits later is found as a duplicate on the vendor's retry.
    timeout_fire f{[self, batch, settled] {
      if (settled->exchange(true)) return;
      for (auto& h : *batch) answer(h, result<storage::ats_webhook_batch_result>{hw::error{errc::unavailable, "timeout"}});
    }};
    caf::delayed_anon_send(timer, opt.db_timeout, tick_atom::value, std::move(f));
    caf::anon_send(opt.webhook_db ? opt.webhook_db : db, run_atom::value, std::move(t));
  }

  /// `cb` answered at most once, errc::timeout after `timeout` (actors/db/db_call.hpp).
  template <class T>
  ats_callback<T> once(ats_callback<T> cb, std::chrono::milliseconds timeout, const char* what) {
    return answer_once<T>(timer, std::move(cb), timeout, what);
  }

  /// Runs `f(connection)` -> result<T> on a db worker; delivers it to `cb` (bounded by db_timeout).
  template <class T, class F>
  void db_call(F f, ats_callback<T> cb, const char* what) {
    run_db_call<T>(db, timer, opt.db_timeout, std::move(f), std::move(cb), what);
  }

  void reload(const org_id& org, const std::string& id) {
    if (sup) caf::anon_send(sup, ats_reload_atom::value, org, id);
  }

  /// Fills `syncing` from the supervisor (short timeout; no answer: false), then calls `cb`.
  void with_status(org_id org, std::vector<ats_connection_view> views,
                   std::function<void(std::vector<ats_connection_view>)> cb) {
    std::vector<std::size_t> ask;
    for (std::size_t i = 0; i < views.size(); ++i) {
      if (views[i].state != "disconnected") ask.push_back(i);
    }
    if (!sup || ask.empty()) return cb(std::move(views));
    auto target = sup;
    sys.spawn([target, org, views = std::move(views), ask, cb](caf::event_based_actor* self) mutable {
      struct state {
        std::vector<ats_connection_view> views;
        std::size_t pending = 0;
        std::function<void(std::vector<ats_connection_view>)> cb;
      };
      auto st = std::make_shared<state>();
      st->views = std::move(views);
      st->pending = ask.size();
      st->cb = std::move(cb);
      auto one_done = [st] {
        if (--st->pending == 0) st->cb(std::move(st->views));
      };
      for (auto i : ask) {
        self->request(target, status_timeout, ats_status_atom::value, org, st->views[i].id)
          .then(
            [st, i, one_done](bool syncing) {
              st->views[i].syncing = syncing;
              one_done();
            },
            [one_done](caf::error&) { one_done(); });
      }
    });
  }

  void with_status(org_id org, ats_connection_view view, ats_callback<ats_connection_view> cb) {
    std::vector<ats_connection_view> one;
    one.push_back(std::move(view));
    with_status(std::move(org), std::move(one),
                [cb](std::vector<ats_connection_view> v) { cb(std::move(v.front())); });
  }

  /// request(supervisor, timeout, xs...) expecting no value (unit) back.
  template <class... Ts>
  void sup_unit(std::chrono::milliseconds timeout, std::function<void(result<hw::unit>)> cb, Ts... xs) {
    if (!sup) return cb(hw::error{errc::unavailable, "the ATS supervisor is not running"});
    auto target = sup;
    sys.spawn([=](caf::event_based_actor* self) {
      self->request(target, timeout, xs...)
        .then([cb]() { cb(hw::unit{}); }, [cb](caf::error& e) { cb(to_hw_error(e)); });
    });
  }
};

ats_service_impl::ats_service_impl(caf::actor_system& sys, caf::actor db_pool, caf::actor supervisor,
                                   std::shared_ptr<const ats::credential_key_ring> keys, ats_service_options opt,
                                   std::function<std::chrono::system_clock::time_point()> clock)
    : d_(std::make_shared<impl>(sys, std::move(db_pool), std::move(supervisor), std::move(keys), std::move(opt),
                                std::move(clock))) {}

ats_service_impl::~ats_service_impl() {
  if (d_ && d_->timer) caf::anon_send_exit(d_->timer, caf::exit_reason::user_shutdown);
}

// ---- connections -----------------------------------------------------------------------------

void ats_service_impl::list_connections(org_id org, ats_callback<std::vector<ats_connection_view>> cb) {
  auto o = canon(org);
  if (!o) return cb(std::vector<ats_connection_view>{});
  auto d = d_;
  d->db_call<std::vector<ats_connection_view>>(
    [d, o = *o](pqxx::connection_base& c) -> result<std::vector<ats_connection_view>> {
      auto recs = storage::list_ats_connections(c, o);
      if (!recs) return std::move(recs).error();
      auto counts = storage::ats_import_counts_by_connection(c, o);
      if (!counts) return std::move(counts).error();
      std::vector<ats_connection_view> out;
      out.reserve(recs->size());
      for (const auto& r : *recs) {
        auto it = counts->find(r.id);
        out.push_back(make_view(r, it == counts->end() ? nullptr : &it->second, d->opt.public_origin, false));
      }
      return out;
    },
    [d, o = *o, cb = std::move(cb)](result<std::vector<ats_connection_view>> r) {
      if (!r) return cb(std::move(r).error());
      d->with_status(o, std::move(*r), [cb](std::vector<ats_connection_view> v) { cb(std::move(v)); });
    },
    "list_connections");
}

void ats_service_impl::get_connection(org_id org, std::string id, ats_callback<ats_connection_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  auto d = d_;
  d->db_call<ats_connection_view>(
    [d, o = *o, id](pqxx::connection_base& c) { return load_view(c, o, id, d->opt.public_origin); },
    [d, o = *o, cb = std::move(cb)](result<ats_connection_view> r) {
      if (!r) return cb(std::move(r).error());
      d->with_status(o, std::move(*r), cb);
    },
    "get_connection");
}

void ats_service_impl::create_connection(org_id org, ats_connection_create req, principal, actor_ref who,
                                         ats_callback<ats_connection_created> cb) {
  auto name = check_name(req.name);
  if (!name) return cb(std::move(name).error());
  const auto* t = ats::find_vendor(req.vendor);
  if (t == nullptr) {
    std::string names;
    for (const auto* v : ats::all_vendors()) names += (names.empty() ? "" : " or ") + std::string{v->name};
    return cb(hw::error{errc::invalid_argument, "vendor: " + names});
  }
  if (auto ok = check_credentials(*t, req.credentials); !ok) return cb(std::move(ok).error());
  if (auto ok = check_settings(req.settings); !ok) return cb(std::move(ok).error());
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "organization not found"});

  // The id first: the sealed values' AAD names it.
  storage::ats_connection_create_row row;
  row.id = new_connection_id();
  row.vendor = std::string{t->name};
  row.name = std::move(*name);
  row.settings_json = settings_json("{}", req.settings.sync_interval_minutes, field_names(req.credentials));
  auto sealed = seal_secrets(*d_->keys, *t, *o, row.id, std::move(req.credentials), t->we_generate_webhook_secret);
  if (!sealed) return cb(std::move(sealed).error());
  row.credentials_enc = std::move(sealed->credentials_enc);
  if (row.credentials_enc) row.credentials_key_id = d_->keys->current_key_id();
  row.webhook_secret_enc = std::move(sealed->webhook_secret_enc);
  auto secret = std::move(sealed->generated_secret);

  auto d = d_;
  d->db_call<ats_connection_created>(
    [d, o = *o, row = std::move(row), who, secret](pqxx::connection_base& c) -> result<ats_connection_created> {
      auto rec = storage::create_ats_connection(c, o, row, d->now(), who);
      if (!rec) return std::move(rec).error();
      d->reload(o, rec->id);
      ats_connection_created out;
      out.connection = make_view(*rec, nullptr, d->opt.public_origin, true);
      out.webhook_secret = secret;
      return out;
    },
    std::move(cb), "create_connection");
}

void ats_service_impl::update_connection(org_id org, std::string id, ats_connection_patch patch,
                                         std::optional<std::int64_t> if_match, principal, actor_ref who,
                                         ats_callback<ats_connection_created> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  std::optional<std::string> name;
  if (patch.name) {
    auto n = check_name(*patch.name);
    if (!n) return cb(std::move(n).error());
    name = std::move(*n);
  }
  if (patch.settings) {
    if (auto ok = check_settings(*patch.settings); !ok) return cb(std::move(ok).error());
  }
  auto d = d_;
  d->db_call<ats_connection_created>(
    [d, o = *o, id = canonical_uuid(id), patch = std::move(patch), name, if_match,
     who](pqxx::connection_base& c) mutable -> result<ats_connection_created> {
      auto rec = storage::load_ats_connection(c, o, id);
      if (!rec) return std::move(rec).error();
      if (if_match && *if_match != rec->version)
        return hw::error{errc::precondition_failed, "the connection changed (version " + std::to_string(rec->version) + ")"};
      if (rec->state == domain::ats_connection_state::disconnected)
        return hw::error{errc::illegal_transition, "the connection is disconnected"};
      const auto* t = ats::find_vendor(rec->vendor);
      if (t == nullptr) return hw::error{errc::internal, "the connection's vendor is unknown"};
      if (patch.rotate_webhook_secret && !t->we_generate_webhook_secret) {
        return hw::error{errc::invalid_argument, "rotate_webhook_secret: " + std::string{t->name} +
                                                     " generates its own webhook secret (set " + lever_token_field +
                                                     " in credentials instead)"};
      }
      auto s = parse_settings(rec->settings);
      auto fields = s.credential_fields;
      if (patch.credentials) {
        if (auto ok = check_credentials(*t, *patch.credentials); !ok) return std::move(ok).error();
        auto now_fields = field_names(*patch.credentials);
        // A Lever credential set without the signature token keeps the stored one.
        const bool keeps_token = !t->we_generate_webhook_secret && rec->webhook_secret_enc &&
                                 !patch.credentials->count(lever_token_field);
        if (keeps_token) now_fields.push_back(lever_token_field);
        std::sort(now_fields.begin(), now_fields.end());
        fields = std::move(now_fields);
      }
      std::optional<std::string> secret;
      std::int64_t version = rec->version;
      const int interval = patch.settings ? patch.settings->sync_interval_minutes : s.sync_interval_minutes;
      const auto new_settings = settings_json(rec->settings, interval, fields);
      if (patch.credentials || patch.rotate_webhook_secret) {
        auto sealed = seal_secrets(*d->keys, *t, o, rec->id, std::move(patch.credentials), patch.rotate_webhook_secret);
        if (!sealed) return std::move(sealed).error();
        storage::ats_credentials_update upd;
        upd.credentials_enc = std::move(sealed->credentials_enc);
        if (upd.credentials_enc) upd.credentials_key_id = d->keys->current_key_id();
        upd.webhook_secret_enc = std::move(sealed->webhook_secret_enc);
        // The new field names travel in the same version step as the credentials.
        if (fields != s.credential_fields) upd.settings_json = settings_json(rec->settings, s.sync_interval_minutes, fields);
        auto v = storage::update_ats_credentials(c, o, rec->id, version, upd, d->now(), who);
        if (!v) return std::move(v).error();
        version = *v;
        secret = std::move(sealed->generated_secret);
        d->forget_target(rec->id);
      }
      storage::ats_connection_meta_update meta;
      if (name && *name != rec->name) meta.name = *name;
      if (interval != s.sync_interval_minutes) meta.settings_json = new_settings;
      if (meta.name || meta.settings_json) {
        auto v = storage::update_ats_connection_meta(c, o, rec->id, version, meta, d->now(), who);
        if (!v) return std::move(v).error();
        version = *v;
      }
      if (version != rec->version) d->reload(o, rec->id);
      auto view = load_view(c, o, rec->id, d->opt.public_origin);
      if (!view) return std::move(view).error();
      ats_connection_created out;
      out.connection = std::move(*view);
      out.webhook_secret = std::move(secret);
      return out;
    },
    [d, o = *o, cb = std::move(cb)](result<ats_connection_created> r) {
      if (!r) return cb(std::move(r).error());
      auto secret = std::move(r->webhook_secret);
      d->with_status(o, std::move(r->connection), [cb, secret](result<ats_connection_view> v) {
        if (!v) return cb(std::move(v).error());
        cb(ats_connection_created{std::move(*v), secret});
      });
    },
    "update_connection");
}

void ats_service_impl::disconnect_connection(org_id org, std::string id, principal, actor_ref who,
                                             ats_callback<ats_connection_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  auto d = d_;
  d->db_call<ats_connection_view>(
    [d, o = *o, id, who](pqxx::connection_base& c) -> result<ats_connection_view> {
      auto rec = storage::disconnect_ats_connection(c, o, id, std::nullopt, d->now(), who);
      d->forget_target(id);
      if (!rec) return std::move(rec).error();
      d->reload(o, rec->id);
      auto counts = storage::ats_import_counts_by_connection(c, o);
      if (!counts) return std::move(counts).error();
      auto it = counts->find(rec->id);
      return make_view(*rec, it == counts->end() ? nullptr : &it->second, d->opt.public_origin, true);
    },
    std::move(cb), "disconnect_connection");
}

void ats_service_impl::delete_connection(org_id org, std::string id, principal, actor_ref who, ats_callback<unit> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  auto d = d_;
  d->db_call<unit>(
    [d, o = *o, id, who](pqxx::connection_base& c) -> result<unit> {
      auto r = storage::delete_ats_connection(c, o, id, d->now(), who);
      d->forget_target(id);
      if (!r) return std::move(r).error();
      d->reload(o, canonical_uuid(id));
      return unit{};
    },
    std::move(cb), "delete_connection");
}

void ats_service_impl::test_connection(org_id org, std::string id, principal, actor_ref,
                                       ats_callback<ats_test_result> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  id = canonical_uuid(id);
  auto d = d_;
  if (!d->sup) return cb(hw::error{errc::unavailable, "the ATS supervisor is not running"});
  auto target = d->sup;
  auto timeout = d->opt.test_timeout;
  auto after = [d, o = *o, id, cb](ats_test_outcome out) {
    d->db_call<ats_connection_view>(
      [d, o, id](pqxx::connection_base& c) { return load_view(c, o, id, d->opt.public_origin); },
      [d, o, out, cb](result<ats_connection_view> v) {
        if (!v) return cb(std::move(v).error());
        d->with_status(o, std::move(*v), [out, cb](result<ats_connection_view> w) {
          if (!w) return cb(std::move(w).error());
          cb(ats_test_result{out.ok, out.detail, std::move(*w)});
        });
      },
      "test_connection");
  };
  // Ownership first (another org's id: not_found without asking the supervisor), then the test.
  d->db_call<hw::unit>(
    [o = *o, id](pqxx::connection_base& c) -> result<hw::unit> {
      auto rec = storage::load_ats_connection(c, o, id);
      if (!rec) return std::move(rec).error();
      return hw::unit{};
    },
    [d, target, timeout, o = *o, id, after, cb](result<hw::unit> owned) {
      if (!owned) return cb(std::move(owned).error());
      d->sys.spawn([target, timeout, o, id, after, cb](caf::event_based_actor* self) {
        self->request(target, timeout, ats_test_atom::value, o, id)
          .then([after](ats_test_outcome& out) { after(std::move(out)); },
                [cb](caf::error& e) { cb(to_hw_error(e)); });
      });
    },
    "test_connection");
}

void ats_service_impl::sync_now(org_id org, std::string id, principal, actor_ref,
                                ats_callback<ats_connection_view> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  auto d = d_;
  d->db_call<ats_connection_view>(
    [d, o = *o, id](pqxx::connection_base& c) -> result<ats_connection_view> {
      auto v = load_view(c, o, id, d->opt.public_origin);
      if (!v) return std::move(v).error();
      if (v->state == "pending") return hw::error{errc::illegal_transition, "run a connection test first"};
      if (v->state == "disconnected") return hw::error{errc::illegal_transition, "the connection is disconnected"};
      return v;
    },
    [d, o = *o, cb](result<ats_connection_view> v) {
      if (!v) return cb(std::move(v).error());
      auto view = std::make_shared<ats_connection_view>(std::move(*v));
      d->sup_unit(
        d->opt.db_timeout,
        [view, cb](result<hw::unit> r) {
          if (!r) return cb(std::move(r).error());
          view->syncing = true;
          cb(std::move(*view));
        },
        ats_sync_atom::value, o, view->id);
    },
    "sync_now");
}

void ats_service_impl::connection_history(org_id org, std::string id,
                                          ats_callback<std::vector<ats_history_entry>> cb) {
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  d_->db_call<std::vector<ats_history_entry>>(
    [o = *o, id](pqxx::connection_base& c) -> result<std::vector<ats_history_entry>> {
      auto evs = storage::list_ats_connection_events(c, o, id);
      if (!evs) return std::move(evs).error();
      std::vector<ats_history_entry> out;
      out.reserve(evs->size());
      for (const auto& e : *evs) {
        ats_history_entry h;
        h.at = e.at;
        if (e.from) h.from = std::string{domain::to_string(*e.from)};
        h.to = std::string{domain::to_string(e.to)};
        h.event = e.event;
        h.consecutive_failures = e.consecutive_failures;
        h.reason = e.reason;
        out.push_back(std::move(h));
      }
      return out;
    },
    std::move(cb), "connection_history");
}

void ats_service_impl::integration_log(org_id org, std::string id, int limit, std::optional<std::int64_t> before_id,
                                       ats_callback<ats_log_page> cb) {
  if (limit < 1 || limit > 200) return cb(hw::error{errc::invalid_argument, "limit: 1 to 200"});
  if (before_id && *before_id < 1) return cb(hw::error{errc::invalid_argument, "before_id: a positive log id"});
  auto o = canon(org);
  if (!o || !is_uuid(id)) return cb(conn_not_found());
  d_->db_call<ats_log_page>(
    [o = *o, id, limit, before_id](pqxx::connection_base& c) -> result<ats_log_page> {
      auto rows = storage::list_integration_log(c, o, id, limit, before_id);
      if (!rows) return std::move(rows).error();
      if (rows->empty()) {  // an empty page of another org's (or no) connection is not_found
        auto rec = storage::list_ats_connection_events(c, o, id);
        if (!rec) return std::move(rec).error();
      }
      ats_log_page page;
      for (const auto& r : *rows) {
        page.entries.push_back(ats_log_entry{r.id, r.at, r.direction, r.endpoint, r.status, r.duration_ms, r.error});
      }
      if (static_cast<int>(page.entries.size()) == limit) page.next_before_id = page.entries.back().id;
      return page;
    },
    std::move(cb), "integration_log");
}

// ---- jobs and applications -------------------------------------------------------------------

void ats_service_impl::list_jobs(org_id org, job_filter f, ats_callback<job_page> cb) {
  auto o = canon(org);
  if (!o) return cb(job_page{});
  d_->db_call<job_page>([o = *o, f = std::move(f)](pqxx::connection_base& c) { return storage::list_job_postings(c, o, f); },
                        std::move(cb), "list_jobs");
}

void ats_service_impl::get_job(org_id org, std::string job_id, ats_callback<job_detail> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "job not found"});
  if (jobs_) return jobs_->get(*o, job_id, std::move(cb));
  d_->db_call<job_detail>([o = *o, job_id](pqxx::connection_base& c) { return storage::get_job_posting(c, o, job_id); },
                          std::move(cb), "get_job");
}

void ats_service_impl::update_job(org_id org, std::string job_id, job_edit edit, std::optional<std::int64_t> if_match,
                                  principal, actor_ref who, ats_callback<job_detail> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "job not found"});
  if (jobs_) return jobs_->edit(*o, job_id, std::move(edit), if_match, std::move(who), std::move(cb));
  auto d = d_;
  d->db_call<job_detail>(
    [d, o = *o, job_id, edit = std::move(edit), if_match, who](pqxx::connection_base& c) {
      return storage::edit_job_posting(c, o, job_id, edit, if_match, d->now(), who);
    },
    std::move(cb), "update_job");
}

void ats_service_impl::transition_job(org_id org, std::string job_id, std::string event,
                                      std::optional<std::int64_t> if_match, principal, actor_ref who,
                                      ats_callback<job_detail> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "job not found"});
  if (jobs_) return jobs_->transition(*o, job_id, std::move(event), if_match, std::move(who), std::move(cb));
  auto d = d_;
  d->db_call<job_detail>(
    [d, o = *o, job_id, event, if_match, who](pqxx::connection_base& c) {
      return storage::transition_job_posting(c, o, job_id, event, if_match, d->now(), who);
    },
    std::move(cb), "transition_job");
}

void ats_service_impl::list_applications(org_id org, std::string job_id, application_filter f, bool include_pii,
                                         ats_callback<application_page> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "job not found"});
  d_->db_call<application_page>(
    [o = *o, job_id, f = std::move(f), include_pii](pqxx::connection_base& c) {
      return storage::list_job_applications(c, o, job_id, f, include_pii);
    },
    std::move(cb), "list_applications");
}

void ats_service_impl::list_stage_events(org_id org, std::string job_id,
                                         ats_callback<std::vector<stage_event_view>> cb) {
  auto o = canon(org);
  if (!o) return cb(hw::error{errc::not_found, "job not found"});
  d_->db_call<std::vector<stage_event_view>>(
    [o = *o, job_id](pqxx::connection_base& c) { return storage::list_job_stage_events(c, o, job_id, 100); },
    std::move(cb), "list_stage_events");
}

// ---- webhooks --------------------------------------------------------------------------------

void ats_service_impl::receive_webhook(webhook_delivery del, ats_callback<webhook_ack> cb) {
  // Cheap refusals before any database work; they answer exactly like an unknown connection.
  if (!is_uuid(del.connection_id) || ats::find_vendor(del.vendor) == nullptr) return cb(conn_not_found());
  auto d = d_;
  auto id = canonical_uuid(del.connection_id);
  auto started = std::chrono::steady_clock::now();
  if (auto t = d->cached_target(id)) {
    return d->verify_and_submit(std::move(del), std::move(id), std::move(t), true, started, std::move(cb));
  }
  d->lookup_and_verify(std::move(del), std::move(id), started, std::move(cb));
}

void ats_service_impl::impl::lookup_and_verify(webhook_delivery del, std::string id,
                                               std::chrono::steady_clock::time_point started,
                                               ats_callback<webhook_ack> cb) {
  auto d = shared_from_this();
  auto del_p = std::make_shared<webhook_delivery>(std::move(del));
  db_call<std::shared_ptr<hook_target>>(
    [d, id](pqxx::connection_base& c) -> result<std::shared_ptr<hook_target>> {
      auto target = storage::find_connection_for_webhook(c, id);
      if (!target) return std::move(target).error();
      auto t = std::make_shared<hook_target>();
      t->org = target->org;
      t->vendor = target->vendor;
      t->state = target->state;
      t->secret_enc = target->webhook_secret_enc;
      t->fetched = std::chrono::steady_clock::now();
      if (t->secret_enc) {
        auto opened = d->keys->open(*t->secret_enc, ats::credential_aad(t->org, target->connection_id));
        if (opened) {
          t->secret = std::move(*opened);
        } else {
          t->unreadable = true;
        }
      }
      if (!t->unreadable) d->remember_target(id, t);
      return t;
    },
    [d, del_p, id, started, cb](result<std::shared_ptr<hook_target>> t) {
      if (!t) return cb(std::move(t).error());
      d->verify_and_submit(std::move(*del_p), id, std::move(*t), false, started, cb);
    },
    "receive_webhook");
}

void ats_service_impl::impl::verify_and_submit(webhook_delivery del, std::string id, std::shared_ptr<hook_target> t,
                                               bool cached, std::chrono::steady_clock::time_point started,
                                               ats_callback<webhook_ack> cb) {
  if (t->vendor != del.vendor || t->state == domain::ats_connection_state::disconnected) return cb(conn_not_found());
  pending_hook h;
  h.item.org = t->org;
  h.item.connection_id = id;  // a copy: a rotated secret re-reads the target by `id` below
  h.started = started;
  auto log_only = [&](int status, bool rejected, std::optional<std::string> note) {
    h.item.what = storage::ats_webhook_batch_item::kind::log;
    h.item.status = status;
    h.item.rejected = rejected;
    h.item.note = std::move(note);
  };
  if (!t->secret_enc) {
    log_only(401, true, "no webhook secret configured");
    h.answer_instead = hw::error{errc::unauthorized, "webhook signature rejected"};
  } else if (t->unreadable) {
    spdlog::error("webhook secret of ATS connection {} cannot be opened (key ring)", id);
    log_only(500, false, "webhook secret cannot be decrypted");
    h.answer_instead = hw::error{errc::internal, "the webhook secret cannot be read"};
  } else {
    const auto* vt = ats::find_vendor(t->vendor);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
    std::map<std::string, std::string> lowered;
    auto verified = vt->verify_webhook(del.raw_body, lower_headers(del.headers, lowered), *t->secret, now_ms);
    if (!verified && cached && verified.code() == errc::unauthorized) {
      // The secret may have been rotated by another process: read it again, once.
      forget_target(id);
      return lookup_and_verify(std::move(del), std::move(id), started, std::move(cb));
    }
    if (!verified) {
      const bool bad_sig = verified.code() == errc::unauthorized;
      log_only(bad_sig ? 401 : 400, true, bad_sig ? "signature rejected: " + verified.error().detail : "malformed delivery");
      h.answer_instead = std::move(verified).error();
    } else if (verified->hint.kind == domain::webhook_hint_kind::ping) {
      log_only(200, false, std::nullopt);
      h.ack_instead = webhook_ack{webhook_outcome::ping};
    } else {
      h.item.what = storage::ats_webhook_batch_item::kind::store;
      h.item.vendor_event_id = std::move(verified->vendor_event_id);
      if (h.item.vendor_event_id) {
        auto n = domain::utf8_code_points(*h.item.vendor_event_id);
        if (!n || *n < 1 || *n > 200) return cb(hw::error{errc::invalid_argument, "vendor event id: 1 to 200 characters"});
      }
      h.item.content_key_hex = ats::sha256_hex(del.raw_body);  // = auth::sha256_hex, cheaper
      h.item.payload_json = std::move(del.raw_body);
      h.item.webhook_secret_enc = *t->secret_enc;
    }
  }
  h.cb = std::move(cb);
  submit(std::move(h));
}

}  // namespace hw::actors
