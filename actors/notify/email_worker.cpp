#include "actors/notify/email_worker.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "storage/email_repo.hpp"

namespace hw::actors {

const char* to_string(email_step s) noexcept {
  switch (s) {
    case email_step::idle:
      return "idle";
    case email_step::sent:
      return "sent";
    case email_step::retry_scheduled:
      return "retry_scheduled";
    case email_step::failed:
      return "failed";
    case email_step::suppressed:
      return "suppressed";
    case email_step::skipped:
      return "skipped";
    case email_step::lease_lost:
      return "lease_lost";
  }
  return "idle";
}

namespace {

email_step finish_without_sending(pqxx::connection_base& c, const storage::job_lease& l,
                                  storage::time_point now, result<email_step>& err) {
  auto done = storage::complete(c, l, now);
  if (!done) {
    err = std::move(done).error();
    return email_step::skipped;
  }
  return *done ? email_step::skipped : email_step::lease_lost;
}

storage::email_transport transport_of(const email_sender& s) {
  return std::string_view{s.transport()} == "smtp" ? storage::email_transport::smtp
                                                   : storage::email_transport::dev_mailbox;
}

}  // namespace

result<email_step> process_one_email(pqxx::connection_base& c, email_sender& sender,
                                     const email_step_options& opt, const clock_fn& now,
                                     double jitter) {
  auto claimed = storage::claim(c, {storage::send_email_job_kind}, opt.worker_id, 1, opt.lease, now());
  if (!claimed) return std::move(claimed).error();
  if (claimed->empty()) return email_step::idle;
  const storage::job& j = claimed->front();
  const auto lease = storage::lease_of(j);
  result<email_step> err = email_step::idle;

  const auto email_id = storage::email_id_from_args(j.args);
  if (!email_id) {
    spdlog::error("send_email job has malformed args org_id={} job_id={}", j.org.value, j.id);
    auto r = storage::fail(c, lease, "malformed args: expected {\"email_id\": N}", std::chrono::milliseconds{0},
                           true, now());
    if (!r) return std::move(r).error();
    return email_step::skipped;
  }
  auto loaded = storage::load_email(c, j.org, *email_id);
  if (!loaded) return std::move(loaded).error();
  if (!loaded->has_value() || (*loaded)->status != storage::email_status::queued) {
    // Missing, or already finished (a replay after a lost lease or a crash after the send).
    auto step = finish_without_sending(c, lease, now(), err);
    if (!err) return err;
    return step;
  }
  const storage::email_message& m = **loaded;

  auto suppressed = storage::is_suppressed(c, j.org, m.to_address);
  if (!suppressed) return std::move(suppressed).error();
  if (*suppressed) {
    auto r = storage::record_email_suppressed(c, lease, m.id, now());
    if (!r) return std::move(r).error();
    return *r ? email_step::suppressed : email_step::lease_lost;
  }

  // Renew the lease right before the blocking send, so the send gets a whole lease (config
  // validation keeps notify.lease above twice smtp.timeout).
  auto hb = storage::heartbeat(c, lease, opt.lease, now());
  if (!hb) return std::move(hb).error();
  if (!*hb) return email_step::lease_lost;

  outgoing_email out;
  out.from = opt.from;
  out.to = m.to_address;
  out.subject = m.subject;
  out.text_body = m.text_body;
  out.html_body = m.html_body;
  out.message_id = m.message_id;
  out.date = now();
  const send_outcome o = sender.send(out);

  if (o.ok()) {
    auto r = storage::record_email_sent(c, lease, m.id, transport_of(sender), now());
    if (!r) return std::move(r).error();
    spdlog::info("email sent org_id={} email_id={} transport={}", j.org.value, m.id, sender.transport());
    return *r ? email_step::sent : email_step::lease_lost;
  }
  const bool permanent = o.k == send_outcome::kind::permanent;
  auto delay = opt.retry.next_delay(static_cast<std::uint32_t>(std::max(1, j.attempt)), jitter);
  if (o.retry_after) delay = std::max(delay, *o.retry_after);
  auto r = storage::record_email_failure(c, lease, m.id,
                                         permanent ? storage::email_failure::permanent
                                                   : storage::email_failure::transient,
                                         o.detail, delay, now());
  if (!r) return std::move(r).error();
  spdlog::warn("email not sent org_id={} email_id={} attempt={} {}: {}", j.org.value, m.id, j.attempt,
               permanent ? "permanent" : "transient", o.detail);
  switch (*r) {
    case storage::fail_outcome::retry_scheduled:
      return email_step::retry_scheduled;
    case storage::fail_outcome::discarded:
      return email_step::failed;
    case storage::fail_outcome::lease_lost:
      return email_step::lease_lost;
  }
  return email_step::failed;
}

}  // namespace hw::actors
