// The dev mailbox end to end: the whole application with no SMTP relay configured, an e-mail
// enqueued in a committed transaction, delivered by a notify worker (transport dev_mailbox) and
// read back through GET /api/v1/orgs/{id}/dev-mailbox. Needs HW_PG_TEST_DSN.
#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "actors/app/bootstrap.hpp"
#include "storage/email_repo.hpp"
#include "tests/support/app_fixture.hpp"
#include "tests/support/pg_fixture.hpp"
#include "tests/support/smtp_sink.hpp"

namespace bhttp = boost::beast::http;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string token = "notify-admin-token-0123456789abcdef01234567";

struct reply {
  int status = 0;
  std::string body;
};

reply get(std::uint16_t port, const std::string& target, bool with_token = true) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock{ioc};
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  if (with_token) req.set(bhttp::field::authorization, "Bearer " + token);
  bhttp::write(sock, req);
  boost::beast::flat_buffer buf;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(sock, buf, res);
  return {static_cast<int>(res.result_int()), res.body()};
}

hw::config::app_config make_config(const std::string& dsn) {
  auto cfg = hw::testing::test_app_config(dsn, token);
  cfg.notify_poll_interval = std::chrono::milliseconds{20};
  return cfg;
}

}  // namespace

TEST_CASE("dev_mailbox: the application delivers to the dev mailbox and lists it over HTTP",
          "[pg][notify][e2e]") {
  hw::testing::pg_fixture db;
  const std::string org = db.make_org("acme");
  hw::app::application app{make_config(db.dsn())};
  REQUIRE(app.prepare(10s));
  auto port = app.start();
  REQUIRE(port);
  {
    auto c = db.connect();
    pqxx::work tx{*c};
    hw::storage::email_draft d;
    d.kind = "teammate_invitation";
    d.to_address = "new.teammate@example.test";
    d.subject = "Join acme";
    d.text_body = "Hello";
    REQUIRE(hw::storage::enqueue_email(tx, hw::org_id{org}, d, std::chrono::system_clock::now()));
    tx.commit();
  }
  // The worker polls every 20 ms: wait for the condition (bounded), not for a fixed time.
  json body;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    auto r = get(*port, "/api/v1/orgs/" + org + "/dev-mailbox");
    REQUIRE(r.status == 200);
    body = json::parse(r.body);
  } while (body["messages"].empty() && std::chrono::steady_clock::now() < deadline);
  REQUIRE(body["messages"].size() == 1);
  const auto& m = body["messages"][0];
  CHECK(m["to"] == "new.teammate@example.test");
  CHECK(m["subject"] == "Join acme");
  CHECK(m["status"] == "sent");
  CHECK(m["kind"] == "teammate_invitation");
  CHECK(m["sent_at"].is_string());
  CHECK(body["next_before"].is_null());

  CHECK(get(*port, "/api/v1/orgs/" + org + "/dev-mailbox", false).status == 401);
  CHECK(get(*port, "/api/v1/dev/mailbox?org_id=" + org).status == 404);  // the old path is gone
  CHECK(get(*port, "/api/v1/orgs/nope/dev-mailbox").status == 404);
  CHECK(get(*port, "/api/v1/orgs/" + org + "/dev-mailbox?limit=0").status == 400);
  auto paged = get(*port, "/api/v1/orgs/" + org + "/dev-mailbox?limit=1");
  REQUIRE(paged.status == 200);
  CHECK(json::parse(paged.body)["next_before"] == m["id"]);
  app.stop();
}

TEST_CASE("dev_mailbox: the route does not exist when an SMTP relay is configured", "[pg][notify][e2e]") {
  hw::testing::pg_fixture db;
  hw::testing::smtp_sink sink;
  auto cfg = make_config(db.dsn());
  cfg.smtp_url = sink.url();
  cfg.smtp_tls = "none";
  hw::app::application app{cfg};
  REQUIRE(app.prepare(10s));
  auto port = app.start();
  REQUIRE(port);
  CHECK(get(*port, "/api/v1/orgs/" + db.make_org("acme") + "/dev-mailbox").status == 404);
  app.stop();
}
