#pragma once
// A small SMTP server on 127.0.0.1, port 0, for hermetic tests of the SMTP sender (no TLS: the
// tests use smtp.tls=none). Speaks EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET,
// NOOP and QUIT; records every accepted message (envelope + raw data) and every session. One
// thread accepts; each connection gets its own thread. Fault modes are set per command.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hw::testing {

class smtp_sink {
 public:
  /// What the sink does when it receives a command. Commands: "EHLO", "MAIL", "RCPT", "DATA"
  /// (the DATA command itself) and "." (the end of the message data).
  enum class fault {
    none,
    temp_fail_once,      // 451 once, then normal
    perm_fail,           // 550 every time
    disconnect_in_data,  // only for "DATA": reply 354, read one line of data, then close
    stall,               // never answer (the client's timeout must fire)
  };

  struct message {
    int session = 0;  // 1-based connection number
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    std::string data;  // dot-unstuffed, CRLF line ends, without the final ".\r\n"
  };

  smtp_sink();
  ~smtp_sink();  // closes every connection and joins the threads
  smtp_sink(const smtp_sink&) = delete;
  smtp_sink& operator=(const smtp_sink&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  void set_fault(const std::string& command, fault f);

  std::vector<message> messages() const;
  /// Connections accepted so far.
  int sessions() const;
  /// Every command verb received, in order (e.g. "EHLO", "MAIL", ..., "QUIT").
  std::vector<std::string> commands() const;
  /// Blocks until `n` sessions have ended (the client closed or quit); false after `timeout`.
  bool wait_sessions_closed(int n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  void accept_loop();
  void serve(int fd, int session);
  fault take_fault(const std::string& command);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, fault> faults_;
  std::vector<message> messages_;
  std::vector<std::string> commands_;
  std::vector<int> open_fds_;
  int sessions_ = 0;
  int closed_sessions_ = 0;
  std::vector<std::thread> conn_threads_;
  std::thread acceptor_;
};

}  // namespace hw::testing
