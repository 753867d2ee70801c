#pragma once
// The wording of the e-mails that people-and-access sends (teammate invitation, password reset).
// Links carry the secret in the URL FRAGMENT (/app/accept-invitation#token=...): a fragment never
// reaches a server, a proxy log or a Referer header, and the SPA posts it in a JSON body.
#include <string>

#include "actors/domain/permissions.hpp"
#include "storage/email_repo.hpp"

namespace hw::actors {

/// `origin` is http.public-origin ("https://hire.example.com"), `token` the raw secret.
storage::email_draft teammate_invitation_mail(const std::string& origin, const std::string& to,
                                              const std::string& org_name, const std::string& inviter_name,
                                              domain::role role, const std::string& token,
                                              const std::string& expires_at);

storage::email_draft password_reset_mail(const std::string& origin, const std::string& to, const std::string& token);

/// &, <, >, ", ' escaped for HTML text and attribute values.
std::string html_escape(const std::string& s);

}  // namespace hw::actors
