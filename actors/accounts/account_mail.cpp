#include "actors/accounts/account_mail.hpp"

namespace hw::actors {

namespace {

std::string host_of(const std::string& origin) {
  auto p = origin.find("://");
  std::string h = p == std::string::npos ? origin : origin.substr(p + 3);
  auto colon = h.find(':');
  if (colon != std::string::npos) h.resize(colon);
  return h.empty() ? std::string{"localhost"} : h;
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

storage::email_draft teammate_invitation_mail(const std::string& origin, const std::string& to,
                                              const std::string& org_name, const std::string& inviter_name,
                                              domain::role role, const std::string& token,
                                              const std::string& expires_at) {
  const std::string link = origin + "/app/accept-invitation#token=" + token;
  const std::string who = inviter_name.empty() ? std::string{"A teammate"} : inviter_name;
  const std::string role_name{domain::to_string(role)};
  storage::email_draft d;
  d.kind = "teammate_invitation";
  d.to_address = to;
  // Subject: no CR/LF can come from org_name (organization names are validated single-line).
  d.subject = "You are invited to join " + org_name + " on hirewire";
  d.text_body = who + " invited you to join " + org_name + " on hirewire as " + role_name +
                ".\n\nAccept the invitation:\n" + link + "\n\nThe link works once and expires at " + expires_at +
                " (UTC).\nIf you did not expect this e-mail, ignore it.\n";
  d.html_body = "<p>" + html_escape(who) + " invited you to join <strong>" + html_escape(org_name) +
                "</strong> on hirewire as " + html_escape(role_name) + ".</p>\n<p><a href=\"" + html_escape(link) +
                "\">Accept the invitation</a></p>\n<p>The link works once and expires at " + html_escape(expires_at) +
                " (UTC). If you did not expect this e-mail, ignore it.</p>\n";
  d.message_id_domain = host_of(origin);
  return d;
}

storage::email_draft password_reset_mail(const std::string& origin, const std::string& to, const std::string& token) {
  const std::string link = origin + "/app/reset#token=" + token;
  storage::email_draft d;
  d.kind = "password_reset";
  d.to_address = to;
  d.subject = "Reset your hirewire password";
  d.text_body = "Someone (hopefully you) asked to reset the password of your hirewire account.\n\n"
                "Choose a new password:\n" + link +
                "\n\nThe link works once and expires in 30 minutes. If you did not ask for it, ignore this "
                "e-mail: your password stays as it is.\n";
  d.html_body = "<p>Someone (hopefully you) asked to reset the password of your hirewire account.</p>\n<p><a href=\"" +
                html_escape(link) +
                "\">Choose a new password</a></p>\n<p>The link works once and expires in 30 minutes. If you did not "
                "ask for it, ignore this e-mail: your password stays as it is.</p>\n";
  d.message_id_domain = host_of(origin);
  return d;
}

}  // namespace hw::actors
