#pragma once
// email_sender over libcurl's SMTP client (security-and-reliability.md §4.1). One easy handle per
// sender, so consecutive sends reuse the SMTP session (QUIT is sent when the sender is destroyed).
// Blocking: call only from a detached actor (one sender per worker). Not thread-safe.
#include <chrono>
#include <memory>
#include <string>

#include "actors/notify/email_sender.hpp"

namespace hw::actors {

enum class smtp_tls { starttls, implicit, none };

struct smtp_options {
  std::string url;              // smtp://host:587 (starttls, none) or smtps://host:465 (implicit)
  smtp_tls tls = smtp_tls::starttls;
  std::string username;         // empty: no AUTH
  std::string password;         // secret; never logged
  std::chrono::milliseconds timeout{30'000};          // whole transaction
  std::chrono::milliseconds connect_timeout{10'000};  // capped at `timeout`
  std::chrono::seconds max_connection_age{60};        // do not reuse older sessions
  std::string ca_file;          // empty: the system store
};

/// Checks the options without connecting: the scheme matches `tls` (smtps:// only with implicit),
/// the URL has no credentials, path or line breaks. Returns an error message or empty.
std::string check_smtp_options(const smtp_options& o);

/// RFC 2047 "B" encoding of a header text when it is not plain printable ASCII; folded encoded
/// words of at most 75 characters, never splitting a UTF-8 sequence. ASCII text is returned as is.
std::string encode_header_text(const std::string& utf8);

/// RFC 5322 date-time in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point t);

/// Splits a From value ("Name <a@b>" or "a@b") into display name and address; false when it is
/// malformed or contains CR/LF.
bool parse_mailbox(const std::string& from, std::string& display_name, std::string& address);

class smtp_email_sender final : public email_sender {
 public:
  /// Requires curl_global_init to have run (done once, thread-safely, by the first sender).
  explicit smtp_email_sender(smtp_options opt);
  ~smtp_email_sender() override;
  smtp_email_sender(const smtp_email_sender&) = delete;
  smtp_email_sender& operator=(const smtp_email_sender&) = delete;

  send_outcome send(const outgoing_email& m) override;
  const char* transport() const noexcept override { return "smtp"; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace hw::actors
