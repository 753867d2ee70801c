// The e-mail pipeline against PostgreSQL and a real SMTP server on loopback: enqueue in the
// business transaction, then the worker's step (process_one_email) run synchronously in the test
// thread with an injected clock. Needs HW_PG_TEST_DSN.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include "actors/notify/dev_mailbox_sender.hpp"
#include "actors/notify/email_worker.hpp"
#include "actors/notify/smtp_email_sender.hpp"
#include "storage/email_repo.hpp"
#include "storage/job_queue.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/smtp_sink.hpp"

using hw::testing::pg_fixture;
using hw::testing::smtp_sink;
namespace st = hw::storage;
namespace ha = hw::actors;
using namespace std::chrono_literals;

namespace {

const st::time_point t0 = st::time_point{} + std::chrono::microseconds{1'900'000'000'123'456LL};

struct pipeline_env {
  pg_fixture db;
  st::connection_ptr c = db.connect();
  hw::org_id org{db.make_org("acme")};
  st::time_point now = t0;
  ha::clock_fn clock = [this] { return now; };
  ha::email_step_options opt = [] {
    ha::email_step_options o;
    o.worker_id = "test-worker";
    o.from = "hirewire <no-reply@example.test>";
    o.lease = 60s;
    o.retry = hw::domain::retry_policy{10s, 6h, 0.5};
    return o;
  }();

  st::email_draft draft(std::string to = "candidate@example.test") {
    st::email_draft d;
    d.kind = "teammate_invitation";
    d.to_address = std::move(to);
    d.subject = "Join acme on hirewire";
    d.text_body = "Hello!\r\nJoin us.\r\n";
    d.html_body = "<p>Hello! <a href=\"https://example.test/join\">Join us</a>.</p>";
    d.message_id_domain = "example.test";
    return d;
  }
  st::enqueued_email enqueue(const st::email_draft& d, const hw::org_id* other = nullptr) {
    pqxx::work tx{*c};
    auto r = st::enqueue_email(tx, other ? *other : org, d, now);
    REQUIRE(r);
    tx.commit();
    return *r;
  }
  st::email_message email(std::int64_t id, const hw::org_id* other = nullptr) {
    auto r = st::load_email(*c, other ? *other : org, id);
    REQUIRE(r);
    REQUIRE(r->has_value());
    return **r;
  }
  st::job job(std::int64_t id) {
    auto r = st::find_job(*c, org, id);
    REQUIRE(r);
    REQUIRE(r->has_value());
    return **r;
  }
  ha::email_step step(ha::email_sender& s) {
    auto r = ha::process_one_email(*c, s, opt, clock, 1.0);
    INFO((r ? std::string{} : r.error().detail));
    REQUIRE(r);
    return *r;
  }
  std::int64_t count(const std::string& sql) {
    pqxx::nontransaction tx{*c};
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
};

ha::smtp_options plain(const smtp_sink& sink) {
  ha::smtp_options o;
  o.url = sink.url();
  o.tls = ha::smtp_tls::none;
  o.timeout = 5s;
  return o;
}

}  // namespace

TEST_CASE("email_pipeline: an enqueue in a rolled-back transaction leaves neither e-mail nor job",
          "[pg][notify]") {
  pipeline_env env;
  {
    pqxx::work tx{*env.c};
    auto r = st::enqueue_email(tx, env.org, env.draft(), env.now);
    REQUIRE(r);
    CHECK(r->status == st::email_status::queued);
    CHECK(r->job_id);
    tx.abort();  // the change that caused the e-mail failed
  }
  CHECK(env.count("SELECT count(*) FROM email_messages") == 0);
  CHECK(env.count("SELECT count(*) FROM jobs") == 0);
}

TEST_CASE("email_pipeline: enqueue refuses header injection and foreign input", "[pg][notify]") {
  pipeline_env env;
  pqxx::work tx{*env.c};
  auto d = env.draft();
  SECTION("CR/LF in the address") { d.to_address = "a@example.test\r\nBcc: b@example.test"; }
  SECTION("two recipients") { d.to_address = "a@example.test, b@example.test"; }
  SECTION("CR/LF in the subject") { d.subject = "Hi\r\nBcc: b@example.test"; }
  SECTION("a bad kind") { d.kind = "Teammate Invitation"; }
  auto r = st::enqueue_email(tx, env.org, d, env.now);
  REQUIRE_FALSE(r);
  CHECK(r.code() == hw::errc::invalid_argument);
}

TEST_CASE("email_pipeline: a worker delivers to SMTP, marks the e-mail sent and completes the job",
          "[pg][notify]") {
  pipeline_env env;
  smtp_sink sink;
  const auto e = env.enqueue(env.draft());
  REQUIRE(e.job_id);
  CHECK(env.job(*e.job_id).args == R"({"email_id": )" + std::to_string(e.id) + "}");
  {
    ha::smtp_email_sender sender{plain(sink)};
    env.now = t0 + 1s;
    CHECK(env.step(sender) == ha::email_step::sent);
    CHECK(env.step(sender) == ha::email_step::idle);
  }
  auto msgs = sink.messages();
  REQUIRE(msgs.size() == 1);
  const std::string mid = "<hw-" + env.org.value + "-" + std::to_string(e.id) + "@example.test>";
  CHECK(msgs[0].data.find("Message-ID: " + mid + "\r\n") != std::string::npos);
  CHECK(msgs[0].rcpt_to == std::vector<std::string>{"candidate@example.test"});
  CHECK(msgs[0].data.find("multipart/alternative") != std::string::npos);
  auto m = env.email(e.id);
  CHECK(m.status == st::email_status::sent);
  CHECK(m.transport == st::email_transport::smtp);
  CHECK(m.attempts == 1);
  CHECK(m.message_id == mid);
  CHECK(m.sent_at);
  CHECK(env.job(*e.job_id).state == st::job_state::completed);
}

TEST_CASE("email_pipeline: a 4xx schedules a retry at now + delay and the next run delivers",
          "[pg][notify]") {
  pipeline_env env;
  smtp_sink sink;
  sink.set_fault("RCPT", smtp_sink::fault::temp_fail_once);
  const auto e = env.enqueue(env.draft());
  ha::smtp_email_sender sender{plain(sink)};
  CHECK(env.step(sender) == ha::email_step::retry_scheduled);
  auto j = env.job(*e.job_id);
  CHECK(j.state == st::job_state::retryable);
  CHECK(j.scheduled_at == t0 + 10s);  // retry_policy ceiling(1) with jitter 1.0
  auto m = env.email(e.id);
  CHECK(m.status == st::email_status::queued);
  CHECK(m.attempts == 1);
  REQUIRE(m.last_error);
  CHECK(m.last_error->find("451") != std::string::npos);

  env.now = t0 + 9s;  // not due yet
  CHECK(env.step(sender) == ha::email_step::idle);
  env.now = t0 + 10s;
  CHECK(env.step(sender) == ha::email_step::sent);
  CHECK(env.job(*e.job_id).state == st::job_state::completed);
  m = env.email(e.id);
  CHECK(m.status == st::email_status::sent);
  CHECK(m.attempts == 2);
  CHECK_FALSE(m.last_error);
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("email_pipeline: a 5xx dead-letters the job, fails the e-mail and suppresses the address",
          "[pg][notify]") {
  pipeline_env env;
  smtp_sink sink;
  sink.set_fault("RCPT", smtp_sink::fault::perm_fail);
  const auto e = env.enqueue(env.draft());
  {
    ha::smtp_email_sender sender{plain(sink)};
    CHECK(env.step(sender) == ha::email_step::failed);
  }
  CHECK(env.job(*e.job_id).state == st::job_state::discarded);
  CHECK(env.email(e.id).status == st::email_status::failed);
  auto sup = st::is_suppressed(*env.c, env.org, "CANDIDATE@example.test");
  REQUIRE(sup);
  CHECK(*sup);

  // A later e-mail to that address (any case) is recorded as suppressed, and no job is queued.
  const auto later = env.enqueue(env.draft("Candidate@Example.TEST"));
  CHECK(later.status == st::email_status::suppressed);
  CHECK_FALSE(later.job_id);
  CHECK(env.email(later.id).status == st::email_status::suppressed);
  CHECK(env.count("SELECT count(*) FROM jobs") == 1);

  // Suppressions are per organization.
  const hw::org_id other{env.db.make_org("other")};
  const auto elsewhere = env.enqueue(env.draft("candidate@example.test"), &other);
  CHECK(elsewhere.status == st::email_status::queued);
  CHECK(elsewhere.job_id);
}

TEST_CASE("email_pipeline: a recipient suppressed after enqueue is skipped without SMTP",
          "[pg][notify]") {
  pipeline_env env;
  smtp_sink sink;
  const auto e = env.enqueue(env.draft());
  REQUIRE(st::suppress_address(*env.c, env.org, "candidate@example.test", "complaint", t0));
  {
    ha::smtp_email_sender sender{plain(sink)};
    CHECK(env.step(sender) == ha::email_step::suppressed);
  }
  CHECK(sink.sessions() == 0);
  CHECK(env.email(e.id).status == st::email_status::suppressed);
  CHECK(env.job(*e.job_id).state == st::job_state::completed);
}

TEST_CASE("email_pipeline: an e-mail already sent is not sent again when its job replays",
          "[pg][notify]") {
  pipeline_env env;
  smtp_sink sink;
  const auto e = env.enqueue(env.draft());
  ha::smtp_email_sender sender{plain(sink)};
  CHECK(env.step(sender) == ha::email_step::sent);
  // Simulate a replay: a second live job for the same e-mail (e.g. the first lost its lease).
  {
    pqxx::work tx{*env.c};
    REQUIRE(st::enqueue(tx, env.org, st::send_email_job_kind, R"({"email_id":)" + std::to_string(e.id) + "}",
                        env.now));
    tx.commit();
  }
  CHECK(env.step(sender) == ha::email_step::skipped);
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("email_pipeline: the dev mailbox transport marks e-mails sent and lists them newest first",
          "[pg][notify]") {
  pipeline_env env;
  ha::dev_mailbox_sender dev;
  const auto a = env.enqueue(env.draft("a@example.test"));
  const auto b = env.enqueue(env.draft("b@example.test"));
  const auto c = env.enqueue(env.draft("c@example.test"));
  CHECK(env.step(dev) == ha::email_step::sent);
  CHECK(env.step(dev) == ha::email_step::sent);
  CHECK(env.step(dev) == ha::email_step::sent);
  CHECK(env.step(dev) == ha::email_step::idle);
  auto m = env.email(a.id);
  CHECK(m.status == st::email_status::sent);
  CHECK(m.transport == st::email_transport::dev_mailbox);

  auto all = st::list_dev_mailbox(*env.c, env.org, 50, std::nullopt);
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == c.id);
  CHECK((*all)[1].id == b.id);
  CHECK((*all)[2].id == a.id);
  CHECK((*all)[0].to_address == "c@example.test");
  CHECK((*all)[0].subject == "Join acme on hirewire");
  REQUIRE((*all)[0].html_body);

  auto page = st::list_dev_mailbox(*env.c, env.org, 1, c.id);
  REQUIRE(page);
  REQUIRE(page->size() == 1);
  CHECK(page->front().id == b.id);

  const hw::org_id other{env.db.make_org("other")};
  auto foreign = st::list_dev_mailbox(*env.c, other, 50, std::nullopt);
  REQUIRE(foreign);
  CHECK(foreign->empty());
  auto malformed = st::list_dev_mailbox(*env.c, hw::org_id{"not-a-uuid"}, 50, std::nullopt);
  REQUIRE(malformed);
  CHECK(malformed->empty());
}
