#pragma once
// The e-mail transport interface: a plain C++ class (no CAF). Only the notify worker actors call
// it, each from its own detached thread; an implementation need not be thread-safe, and send()
// may block (up to its configured timeout).
#include <chrono>
#include <optional>
#include <string>

namespace hw::actors {

struct outgoing_email {
  std::string from;        // "Name <addr@domain>" or "addr@domain"; validated by the sender
  std::string to;          // one addr-spec
  std::string subject;     // UTF-8, one line; non-ASCII is RFC 2047-encoded
  std::string text_body;   // UTF-8
  std::optional<std::string> html_body;
  std::string message_id;  // "<...@...>", deterministic per e-mail (retries repeat it)
  std::chrono::system_clock::time_point date;  // the Date header
};

struct send_outcome {
  enum class kind { delivered, transient, permanent };
  kind k = kind::delivered;
  std::string detail;  // server reply or transport error; never contains credentials
  std::optional<std::chrono::milliseconds> retry_after;  // a hint for transient failures
  int smtp_code = 0;   // the last SMTP reply code when known, else 0

  static send_outcome delivered(std::string detail = {}, int code = 250) {
    return {kind::delivered, std::move(detail), std::nullopt, code};
  }
  static send_outcome transient(std::string detail,
                                std::optional<std::chrono::milliseconds> retry_after = std::nullopt,
                                int code = 0) {
    return {kind::transient, std::move(detail), retry_after, code};
  }
  static send_outcome permanent(std::string detail, int code = 0) {
    return {kind::permanent, std::move(detail), std::nullopt, code};
  }
  bool ok() const noexcept { return k == kind::delivered; }
};

class email_sender {
 public:
  virtual ~email_sender() = default;
  /// Sends one message to one recipient. Never throws for transport or server failures: they are
  /// outcomes. A message that can never be sent as given (header injection, bad address) is
  /// `permanent`.
  virtual send_outcome send(const outgoing_email& m) = 0;
  /// "smtp" or "dev_mailbox": recorded as email_messages.transport.
  virtual const char* transport() const noexcept = 0;
};

}  // namespace hw::actors
