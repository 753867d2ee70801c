#include "tests/support/smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace hw::testing {

namespace {

bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    auto n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one CRLF-terminated line (without CRLF) into `line`; false on EOF/error or stop.
bool read_line(int fd, std::string& buf, std::string& line, const std::atomic<bool>& stopping) {
  for (;;) {
    auto pos = buf.find("\r\n");
    if (pos != std::string::npos) {
      line = buf.substr(0, pos);
      buf.erase(0, pos + 2);
      return true;
    }
    if (stopping) return false;
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, 50);  // wake up now and then to notice `stopping`
    if (rc < 0) return false;
    if (rc == 0) continue;
    char tmp[4096];
    auto n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf.append(tmp, static_cast<std::size_t>(n));
  }
}

std::string verb_of(const std::string& line) {
  std::string v;
  for (char ch : line) {
    if (ch == ' ' || ch == ':') break;
    v += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return v;
}

std::string angle_arg(const std::string& line) {
  auto lt = line.find('<');
  auto gt = line.find('>', lt == std::string::npos ? 0 : lt);
  if (lt == std::string::npos || gt == std::string::npos) return {};
  return line.substr(lt + 1, gt - lt - 1);
}

}  // namespace

smtp_sink::smtp_sink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("smtp_sink: socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("smtp_sink: bind/listen failed");
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

smtp_sink::~smtp_sink() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard<std::mutex> g{mu_};
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : conn_threads_) t.join();
  ::close(listen_fd_);
}

void smtp_sink::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int session = 0;
    {
      std::lock_guard<std::mutex> g{mu_};
      session = ++sessions_;
      open_fds_.push_back(fd);
    }
    conn_threads_.emplace_back([this, fd, session] { serve(fd, session); });
  }
}

void smtp_sink::set_fault(const std::string& command, fault f) {
  std::lock_guard<std::mutex> g{mu_};
  faults_[command] = f;
}

smtp_sink::fault smtp_sink::take_fault(const std::string& command) {
  std::lock_guard<std::mutex> g{mu_};
  commands_.push_back(command);
  auto it = faults_.find(command);
  if (it == faults_.end()) return fault::none;
  auto f = it->second;
  if (f == fault::temp_fail_once) it->second = fault::none;
  return f;
}

std::vector<smtp_sink::message> smtp_sink::messages() const {
  std::lock_guard<std::mutex> g{mu_};
  return messages_;
}

int smtp_sink::sessions() const {
  std::lock_guard<std::mutex> g{mu_};
  return sessions_;
}

std::vector<std::string> smtp_sink::commands() const {
  std::lock_guard<std::mutex> g{mu_};
  return commands_;
}

bool smtp_sink::wait_sessions_closed(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> g{mu_};
  return cv_.wait_for(g, timeout, [&] { return closed_sessions_ >= n; });
}

void smtp_sink::serve(int fd, int session) {
  std::string buf, line;
  message current;
  current.session = session;
  bool open = send_all(fd, "220 127.0.0.1 hirewire-test-sink ESMTP\r\n");
  // Answers `normal` unless a fault applies. Returns false when the session must end.
  auto answer = [&](const std::string& cmd, const std::string& normal) -> bool {
    switch (take_fault(cmd)) {
      case fault::temp_fail_once:
        return send_all(fd, "451 4.3.0 temporary failure, try again later\r\n");
      case fault::perm_fail:
        return send_all(fd, "550 5.1.1 mailbox unavailable\r\n");
      case fault::stall: {
        // Never answer: read (and drop) until the client gives up or the sink stops.
        std::string ignored;
        while (read_line(fd, buf, ignored, stopping_)) {
        }
        return false;
      }
      case fault::disconnect_in_data:
      case fault::none:
        break;
    }
    return send_all(fd, normal);
  };
  while (open && read_line(fd, buf, line, stopping_)) {
    const auto verb = verb_of(line);
    if (verb == "EHLO") {
      open = answer("EHLO", "250-127.0.0.1 greets you\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n");
    } else if (verb == "HELO") {
      open = answer("EHLO", "250 127.0.0.1\r\n");
    } else if (verb == "MAIL") {
      current.mail_from = angle_arg(line);
      current.rcpt_to.clear();
      open = answer("MAIL", "250 2.1.0 ok\r\n");
    } else if (verb == "RCPT") {
      const auto f = take_fault("RCPT");
      if (f == fault::temp_fail_once) {
        open = send_all(fd, "451 4.3.0 temporary failure, try again later\r\n");
      } else if (f == fault::perm_fail) {
        open = send_all(fd, "550 5.1.1 mailbox unavailable\r\n");
      } else if (f == fault::stall) {
        std::string ignored;
        while (read_line(fd, buf, ignored, stopping_)) {
        }
        open = false;
      } else {
        current.rcpt_to.push_back(angle_arg(line));
        open = send_all(fd, "250 2.1.5 ok\r\n");
      }
    } else if (verb == "DATA") {
      const auto f = take_fault("DATA");
      if (f == fault::temp_fail_once) {
        open = send_all(fd, "451 4.3.0 temporary failure, try again later\r\n");
        continue;
      }
      if (f == fault::perm_fail) {
        open = send_all(fd, "554 5.6.0 transaction failed\r\n");
        continue;
      }
      if (!send_all(fd, "354 end data with <CR><LF>.<CR><LF>\r\n")) break;
      if (f == fault::disconnect_in_data) {
        std::string first;
        read_line(fd, buf, first, stopping_);
        break;  // close in the middle of the data
      }
      std::string data, dl;
      bool complete = false;
      while (read_line(fd, buf, dl, stopping_)) {
        if (dl == ".") {
          complete = true;
          break;
        }
        if (!dl.empty() && dl[0] == '.') dl.erase(0, 1);  // dot-unstuffing
        data += dl + "\r\n";
      }
      if (!complete) break;
      const auto end = take_fault(".");
      if (end == fault::stall) {
        std::string ignored;
        while (read_line(fd, buf, ignored, stopping_)) {
        }
        break;
      }
      if (end == fault::temp_fail_once) {
        open = send_all(fd, "451 4.3.0 temporary failure, try again later\r\n");
      } else if (end == fault::perm_fail) {
        open = send_all(fd, "554 5.6.0 message rejected\r\n");
      } else {
        current.data = std::move(data);
        {
          std::lock_guard<std::mutex> g{mu_};
          messages_.push_back(current);
        }
        open = send_all(fd, "250 2.0.0 ok: queued\r\n");
      }
    } else if (verb == "RSET") {
      take_fault("RSET");
      current.mail_from.clear();
      current.rcpt_to.clear();
      open = send_all(fd, "250 2.0.0 ok\r\n");
    } else if (verb == "NOOP") {
      take_fault("NOOP");
      open = send_all(fd, "250 2.0.0 ok\r\n");
    } else if (verb == "QUIT") {
      take_fault("QUIT");
      send_all(fd, "221 2.0.0 bye\r\n");
      break;
    } else {
      take_fault(verb);
      open = send_all(fd, "502 5.5.2 command not implemented\r\n");
    }
  }
  {
    std::lock_guard<std::mutex> g{mu_};
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
    ++closed_sessions_;
  }
  ::close(fd);
  cv_.notify_all();
}

}  // namespace hw::testing
