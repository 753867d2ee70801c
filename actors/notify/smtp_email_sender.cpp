#include "actors/notify/smtp_email_sender.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <mutex>
#include <vector>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "actors/net/base64.hpp"
#include "storage/email_repo.hpp"

namespace hw::actors {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool has_line_break(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos || s.find('\0') != std::string::npos; }

bool plain_ascii(const std::string& s) {
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  return true;
}

// A display name as a quoted-string (ASCII) or encoded words (non-ASCII).
std::string encode_display_name(const std::string& name) {
  if (!plain_ascii(name)) return encode_header_text(name);
  std::string q = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') q += '\\';
    q += ch;
  }
  return q + "\"";
}

/// The classification of a finished transfer (security-and-reliability.md §4.1): 2xx delivered,
/// 5xx permanent, anything else (4xx, timeouts, resets, TLS or auth trouble at our relay)
/// transient, so a problem on our side never suppresses a recipient.
send_outcome classify(CURLcode rc, long code, const char* errbuf) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
  if (rc == CURLE_OK) {
    if (code >= 200 && code < 300) return send_outcome::delivered(std::to_string(code), static_cast<int>(code));
    // curl only returns OK after a 250 to the final dot; anything else is a protocol surprise.
    return send_outcome::transient("unexpected reply " + std::to_string(code), std::nullopt, static_cast<int>(code));
  }
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return send_outcome::transient(detail, std::nullopt, static_cast<int>(code));
    default:
      break;
  }
  if (code >= 500 && code < 600) return send_outcome::permanent(detail, static_cast<int>(code));
  return send_outcome::transient(detail, std::nullopt, static_cast<int>(code));
}

}  // namespace

std::string check_smtp_options(const smtp_options& o) {
  if (o.url.empty()) return "smtp.url is empty";
  if (has_line_break(o.url) || o.url.find(' ') != std::string::npos) return "smtp.url: contains whitespace";
  const bool smtps = o.url.rfind("smtps://", 0) == 0;
  const bool smtp = o.url.rfind("smtp://", 0) == 0;
  if (!smtp && !smtps) return "smtp.url: expected smtp://host:port or smtps://host:port";
  if (smtps != (o.tls == smtp_tls::implicit))
    return "smtp.url: use smtps:// with smtp.tls=implicit and smtp:// with starttls or none";
  const auto rest = o.url.substr(smtps ? 8 : 7);
  if (rest.empty() || rest.find('@') != std::string::npos)
    return "smtp.url: no credentials in the URL (use smtp.username / HIREWIRE_SMTP_PASSWORD)";
  const auto slash = rest.find('/');
  if (slash != std::string::npos && slash + 1 != rest.size()) return "smtp.url: expected no path";
  if (has_line_break(o.username)) return "smtp.username: contains a line break";
  if (o.timeout.count() <= 0) return "smtp.timeout: must be positive";
  return {};
}

std::string encode_header_text(const std::string& s) {
  if (plain_ascii(s)) return s;
  // "=?UTF-8?B?" + base64 + "?=" <= 75 chars: 63 base64 chars at most -> 45 bytes per word
  // (rounded down to whole code points).
  constexpr std::size_t max_bytes = 45;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = std::min(s.size(), i + max_bytes);
    while (end < s.size() && end > i && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    if (end == i) end = std::min(s.size(), i + max_bytes);  // not UTF-8; split anyway
    if (!out.empty()) out += "\r\n ";  // folding whitespace between encoded words
    out += "=?UTF-8?B?" + net::base64_encode(s.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool parse_mailbox(const std::string& from, std::string& name, std::string& address) {
  if (has_line_break(from)) return false;
  const auto lt = from.rfind('<');
  if (lt == std::string::npos) {
    name.clear();
    address = from;
  } else {
    if (from.back() != '>') return false;
    address = from.substr(lt + 1, from.size() - lt - 2);
    name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  }
  return storage::is_sendable_address(address);
}

struct smtp_email_sender::impl {
  smtp_options opt;
  CURL* h = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {0};
};

smtp_email_sender::smtp_email_sender(smtp_options opt) : impl_(std::make_unique<impl>()) {
  global_init_once();
  impl_->opt = std::move(opt);
  impl_->h = curl_easy_init();
}

smtp_email_sender::~smtp_email_sender() {
  if (impl_ && impl_->h) curl_easy_cleanup(impl_->h);  // sends QUIT on a live session
}

send_outcome smtp_email_sender::send(const outgoing_email& m) {
  auto& d = *impl_;
  if (!d.h) return send_outcome::transient("libcurl could not create a handle");
  // Header injection: nothing that ends up in a header may carry a line break.
  std::string from_name, from_addr;
  if (!parse_mailbox(m.from, from_name, from_addr)) return send_outcome::permanent("invalid From address");
  if (!storage::is_sendable_address(m.to)) return send_outcome::permanent("invalid recipient address");
  if (has_line_break(m.subject)) return send_outcome::permanent("the subject contains a line break");
  if (has_line_break(m.message_id) || m.message_id.size() < 5 || m.message_id.front() != '<' ||
      m.message_id.back() != '>' || !plain_ascii(m.message_id))
    return send_outcome::permanent("invalid Message-ID");
  if (auto problem = check_smtp_options(d.opt); !problem.empty()) return send_outcome::transient(problem);

  CURL* h = d.h;
  d.errbuf[0] = '\0';
  const std::string mail_from = "<" + from_addr + ">";
  const std::string rcpt = "<" + m.to + ">";
  curl_slist* rcpts = curl_slist_append(nullptr, rcpt.c_str());

  std::vector<std::string> header_lines = {
    "Date: " + rfc5322_date(m.date),
    "From: " + (from_name.empty() ? from_addr : encode_display_name(from_name) + " <" + from_addr + ">"),
    "To: " + m.to,
    "Subject: " + encode_header_text(m.subject),
    "Message-ID: " + m.message_id,
    "MIME-Version: 1.0",
  };
  if (m.html_body) header_lines.emplace_back("Content-Type: multipart/alternative");
  curl_slist* headers = nullptr;
  for (const auto& l : header_lines) headers = curl_slist_append(headers, l.c_str());

  curl_mime* mime = curl_mime_init(h);
  curl_mimepart* text = curl_mime_addpart(mime);
  curl_mime_data(text, m.text_body.data(), m.text_body.size());
  curl_mime_type(text, "text/plain; charset=utf-8");
  curl_mime_encoder(text, "quoted-printable");
  if (m.html_body) {
    curl_mimepart* html = curl_mime_addpart(mime);
    curl_mime_data(html, m.html_body->data(), m.html_body->size());
    curl_mime_type(html, "text/html; charset=utf-8");
    curl_mime_encoder(html, "quoted-printable");
  }

  const auto total_ms = static_cast<long>(d.opt.timeout.count());
  const auto connect_ms = static_cast<long>(std::min(d.opt.connect_timeout, d.opt.timeout).count());
  curl_easy_setopt(h, CURLOPT_URL, d.opt.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, d.errbuf);
  curl_easy_setopt(h, CURLOPT_USE_SSL, d.opt.tls == smtp_tls::none ? static_cast<long>(CURLUSESSL_NONE)
                                                                   : static_cast<long>(CURLUSESSL_ALL));
  if (!d.opt.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, d.opt.ca_file.c_str());
  if (!d.opt.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, d.opt.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, d.opt.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
  // Bounds every wait for a single reply, including the QUIT that libcurl sends (and waits for)
  // when it closes a session after an error or at cleanup: its default is 120 s. Whole seconds
  // only in 7.88.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(std::max<long>(1, (total_ms + 999) / 1000)));
  curl_easy_setopt(h, CURLOPT_MAXAGE_CONN, static_cast<long>(d.opt.max_connection_age.count()));
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);

  const CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);

  // The handle keeps the session; it must not keep pointers to what is freed here.
  curl_easy_setopt(h, CURLOPT_MIMEPOST, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_mime_free(mime);
  curl_slist_free_all(headers);
  curl_slist_free_all(rcpts);
  auto out = classify(rc, code, d.errbuf);
  if (!out.ok()) spdlog::warn("smtp send failed: curl={} reply={} ({})", static_cast<int>(rc), code, out.detail);
  return out;
}

}  // namespace hw::actors
