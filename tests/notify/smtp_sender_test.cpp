// smtp_email_sender against a real SMTP server on loopback (tests/support/smtp_sink), plain
// SMTP (smtp.tls=none). Hermetic: 127.0.0.1, port 0, no sleeps; the timeout case uses a short
// smtp.timeout against a sink that never answers, which is a real client timeout.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "actors/notify/smtp_email_sender.hpp"
#include "tests/support/smtp_sink.hpp"

using hw::actors::outgoing_email;
using hw::actors::send_outcome;
using hw::actors::smtp_email_sender;
using hw::actors::smtp_options;
using hw::actors::smtp_tls;
using hw::testing::smtp_sink;
using namespace std::chrono_literals;

namespace {

smtp_options options_for(const smtp_sink& sink, std::chrono::milliseconds timeout = 5s) {
  smtp_options o;
  o.url = sink.url();
  o.tls = smtp_tls::none;
  o.timeout = timeout;
  return o;
}

outgoing_email sample(std::string message_id = "<hw-test-1@example.test>") {
  outgoing_email m;
  m.from = "hirewire <no-reply@example.test>";
  m.to = "Candidate@Example.test";
  m.subject = "You are invited";
  m.text_body = "Hello,\r\nplease join us.\r\n.leading dot line\r\n";
  m.html_body = "<p>Hello, <b>please</b> join us.</p>";
  m.message_id = std::move(message_id);
  m.date = std::chrono::system_clock::time_point{} + 1'700'000'000s;  // 2023-11-14T22:13:20Z
  return m;
}

/// The header block (up to the first empty line) of a raw message.
std::string headers_of(const std::string& data) { return data.substr(0, data.find("\r\n\r\n") + 2); }

int count_of(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("smtp_sender: an accepted message is multipart text+HTML with our headers", "[notify][smtp]") {
  smtp_sink sink;
  {
    smtp_email_sender sender{options_for(sink)};
    auto m = sample();
    m.subject = "Einladung: Gespräch mit Zoë — ünïcödé";
    auto out = sender.send(m);
    INFO(out.detail);
    REQUIRE(out.ok());
    CHECK(out.smtp_code == 250);
  }
  auto msgs = sink.messages();
  REQUIRE(msgs.size() == 1);
  const auto& got = msgs[0];
  CHECK(got.mail_from == "no-reply@example.test");
  REQUIRE(got.rcpt_to.size() == 1);
  CHECK(got.rcpt_to[0] == "Candidate@Example.test");
  const auto h = headers_of(got.data);
  CHECK(h.find("From: \"hirewire\" <no-reply@example.test>\r\n") != std::string::npos);
  CHECK(h.find("To: Candidate@Example.test\r\n") != std::string::npos);
  CHECK(h.find("Message-ID: <hw-test-1@example.test>\r\n") != std::string::npos);
  CHECK(h.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n") != std::string::npos);
  CHECK(h.find("MIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(h.find("Subject: " + hw::actors::encode_header_text("Einladung: Gespräch mit Zoë — ünïcödé")) !=
        std::string::npos);
  CHECK(h.find("Subject: =?UTF-8?B?") != std::string::npos);
  // Exactly one top-level Content-Type, and it is multipart/alternative with a boundary.
  CHECK(count_of(h, "Content-Type:") == 1);
  CHECK(h.find("Content-Type: multipart/alternative; boundary=") != std::string::npos);
  CHECK(got.data.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);
  CHECK(got.data.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(count_of(got.data, "Content-Transfer-Encoding: quoted-printable") == 2);
  CHECK(got.data.find("please join us.") != std::string::npos);
  // libcurl dot-stuffed the line, the sink unstuffed it: the body arrives unchanged.
  CHECK(got.data.find("\r\n.leading dot line\r\n") != std::string::npos);
  CHECK(got.data.find("<b>please</b>") != std::string::npos);
}

TEST_CASE("smtp_sender: a plain-text message has a single text part", "[notify][smtp]") {
  smtp_sink sink;
  {
    smtp_email_sender sender{options_for(sink)};
    auto m = sample();
    m.html_body.reset();
    REQUIRE(sender.send(m).ok());
  }
  auto msgs = sink.messages();
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].data.find("text/html") == std::string::npos);
  CHECK(msgs[0].data.find("please join us.") != std::string::npos);
  CHECK(headers_of(msgs[0].data).find("Subject: You are invited\r\n") != std::string::npos);
}

TEST_CASE("smtp_sender: a 4xx reply is transient and the next try is accepted", "[notify][smtp]") {
  smtp_sink sink;
  SECTION("at RCPT") { sink.set_fault("RCPT", smtp_sink::fault::temp_fail_once); }
  SECTION("after the data") { sink.set_fault(".", smtp_sink::fault::temp_fail_once); }
  smtp_email_sender sender{options_for(sink)};
  auto first = sender.send(sample());
  CHECK(first.k == send_outcome::kind::transient);
  CHECK(first.smtp_code == 451);
  CHECK(sink.messages().empty());
  auto second = sender.send(sample());
  INFO(second.detail);
  CHECK(second.ok());
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("smtp_sender: a 5xx reply is permanent", "[notify][smtp]") {
  smtp_sink sink;
  SECTION("at RCPT") {
    sink.set_fault("RCPT", smtp_sink::fault::perm_fail);
    smtp_email_sender sender{options_for(sink)};
    auto out = sender.send(sample());
    CHECK(out.k == send_outcome::kind::permanent);
    CHECK(out.smtp_code == 550);
  }
  SECTION("after the data") {
    sink.set_fault(".", smtp_sink::fault::perm_fail);
    smtp_email_sender sender{options_for(sink)};
    auto out = sender.send(sample());
    CHECK(out.k == send_outcome::kind::permanent);
    CHECK(out.smtp_code == 554);
  }
  CHECK(sink.messages().empty());
}

TEST_CASE("smtp_sender: a disconnect in the middle of DATA is transient", "[notify][smtp]") {
  smtp_sink sink;
  sink.set_fault("DATA", smtp_sink::fault::disconnect_in_data);
  smtp_email_sender sender{options_for(sink)};
  auto out = sender.send(sample());
  INFO(out.detail);
  CHECK(out.k == send_outcome::kind::transient);
  CHECK(sink.messages().empty());
}

TEST_CASE("smtp_sender: a server that never answers times out as transient", "[notify][smtp]") {
  smtp_sink sink;
  SECTION("after the data") { sink.set_fault(".", smtp_sink::fault::stall); }
  SECTION("at the greeting's EHLO") { sink.set_fault("EHLO", smtp_sink::fault::stall); }
  auto sender = std::make_unique<smtp_email_sender>(options_for(sink, 300ms));
  const auto t0 = std::chrono::steady_clock::now();
  auto out = sender->send(sample());
  const auto took = std::chrono::steady_clock::now() - t0;
  INFO(out.detail);
  CHECK(out.k == send_outcome::kind::transient);
  CHECK((out.detail.find("timed out") != std::string::npos || out.detail.find("timeout") != std::string::npos));
  CHECK(took < 5s);  // the 300 ms timeout fired, not something slower
  CHECK(sink.messages().empty());
  // Closing the session (QUIT to a server that never answers) is bounded too.
  const auto c0 = std::chrono::steady_clock::now();
  sender.reset();
  CHECK(std::chrono::steady_clock::now() - c0 < 5s);
}

TEST_CASE("smtp_sender: consecutive sends reuse one SMTP session", "[notify][smtp]") {
  smtp_sink sink;
  {
    smtp_email_sender sender{options_for(sink)};
    REQUIRE(sender.send(sample("<hw-a-1@example.test>")).ok());
    REQUIRE(sender.send(sample("<hw-a-2@example.test>")).ok());
  }  // QUIT
  REQUIRE(sink.wait_sessions_closed(1));
  CHECK(sink.sessions() == 1);
  auto msgs = sink.messages();
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].session == msgs[1].session);
  auto cmds = sink.commands();
  CHECK(std::count(cmds.begin(), cmds.end(), "EHLO") == 1);
  CHECK(std::count(cmds.begin(), cmds.end(), "MAIL") == 2);
  CHECK(cmds.back() == "QUIT");
}

TEST_CASE("smtp_sender: header injection is refused before connecting", "[notify][smtp]") {
  smtp_sink sink;
  smtp_email_sender sender{options_for(sink)};
  auto m = sample();
  SECTION("in the subject") { m.subject = "Hi\r\nBcc: victim@example.test"; }
  SECTION("a bare LF in the subject") { m.subject = "Hi\nBcc: victim@example.test"; }
  SECTION("in the recipient") { m.to = "a@example.test\r\nBcc: victim@example.test"; }
  SECTION("a second recipient") { m.to = "a@example.test, victim@example.test"; }
  SECTION("in the sender") { m.from = "x <a@example.test>\r\nBcc: victim@example.test"; }
  SECTION("in the Message-ID") { m.message_id = "<a@b>\r\nBcc: victim@example.test"; }
  auto out = sender.send(m);
  CHECK(out.k == send_outcome::kind::permanent);
  CHECK(sink.sessions() == 0);
  CHECK(sink.messages().empty());
}

TEST_CASE("smtp_sender: RFC 2047 encoding keeps ASCII and splits only between code points",
          "[notify][smtp]") {
  using hw::actors::encode_header_text;
  CHECK(encode_header_text("Plain subject") == "Plain subject");
  CHECK(encode_header_text("Grüße") == "=?UTF-8?B?R3LDvMOfZQ==?=");
  const std::string longer(40, 'a');
  const auto enc = encode_header_text(longer + "ééééé");  // 50 bytes: two encoded words
  CHECK(enc.find("\r\n ") != std::string::npos);
  std::size_t start = 0;
  while (start < enc.size()) {
    auto end = enc.find("\r\n ", start);
    auto word = enc.substr(start, end == std::string::npos ? std::string::npos : end - start);
    CHECK(word.size() <= 75);
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    if (end == std::string::npos) break;
    start = end + 3;
  }
}

TEST_CASE("smtp_sender: options refuse a scheme that does not match the TLS mode", "[notify][smtp]") {
  smtp_options o;
  o.url = "smtp://relay.example:587";
  o.tls = smtp_tls::starttls;
  CHECK(hw::actors::check_smtp_options(o).empty());
  o.tls = smtp_tls::implicit;
  CHECK_FALSE(hw::actors::check_smtp_options(o).empty());
  o.url = "smtps://relay.example:465";
  CHECK(hw::actors::check_smtp_options(o).empty());
  o.url = "smtps://user:pw@relay.example:465";
  CHECK_FALSE(hw::actors::check_smtp_options(o).empty());
}
