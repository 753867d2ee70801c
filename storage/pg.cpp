#include "storage/pg.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "storage/api_key_repo.hpp"
#include "storage/ats_connection_repo.hpp"
#include "storage/ats_import_repo.hpp"
#include "storage/job_posting_repo.hpp"
#include "storage/audit_repo.hpp"
#include "storage/content_repo.hpp"
#include "storage/interview_template_repo.hpp"
#include "storage/email_repo.hpp"
#include "storage/job_queue.hpp"
#include "storage/login_throttle_repo.hpp"
#include "storage/organization_repo.hpp"
#include "storage/password_reset_repo.hpp"
#include "storage/session_repo.hpp"
#include "storage/sso_repo.hpp"
#include "storage/team_invitation_repo.hpp"
#include "storage/user_repo.hpp"
#include "actors/domain/hex.hpp"

namespace hw::storage {

void connection_closer::operator()(pqxx::connection_base* c) const noexcept {
  // connect() only ever creates pqxx::connection; its destructor closes the socket.
  delete static_cast<pqxx::connection*>(c);
}

namespace {

// libpq waits for a TCP connect as long as the kernel retries (about two minutes) unless the DSN
// says otherwise; a db worker stuck that long cannot fail requests fast or shut down.
std::string with_connect_timeout(const std::string& dsn) {
  if (dsn.find("connect_timeout") != std::string::npos) return dsn;
  if (dsn.rfind("postgres://", 0) == 0 || dsn.rfind("postgresql://", 0) == 0)
    return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=5";
  return dsn + " connect_timeout=5";
}

}  // namespace

connection_ptr connect(const std::string& dsn, std::chrono::milliseconds statement_timeout) {
  connection_ptr c{new pqxx::connection{with_connect_timeout(dsn)}};
  // set_variable (not a plain SET) so libpqxx re-applies it after an automatic reconnect.
  c->set_variable("statement_timeout", std::to_string(statement_timeout.count()));
  prepare_all(*c);
  return c;
}

void prepare_all(pqxx::connection_base& c) {
  c.prepare("rls_set_tenant", "SELECT set_config('hw.org_id', $1, true)");
  c.prepare("rls_set_scope", "SELECT set_config('hw.scope', $1, true)");
  // libpqxx 6 registers these locally and prepares each on first use (and again after a
  // reconnect), so this is cheap and works on a database that is not migrated yet.
  prepare_audit_statements(c);
  prepare_organization_statements(c);
  prepare_job_statements(c);
  prepare_email_statements(c);
  prepare_user_statements(c);
  prepare_session_statements(c);
  prepare_password_reset_statements(c);
  prepare_login_throttle_statements(c);
  prepare_team_invitation_statements(c);
  prepare_api_key_statements(c);
  prepare_sso_statements(c);
  prepare_ats_connection_statements(c);
  prepare_ats_import_statements(c);
  prepare_job_posting_statements(c);
  prepare_content_statements(c);
  prepare_interview_template_statements(c);
}

void set_tenant(pqxx::transaction_base& tx, const org_id& org) {
  tx.exec_prepared("rls_set_tenant", is_uuid(org.value) ? canonical_uuid(org.value) : std::string{});
}

void set_system_scope(pqxx::transaction_base& tx) {
  tx.exec_prepared("rls_set_scope", std::string{"system"});
}

void clear_system_scope(pqxx::transaction_base& tx) {
  tx.exec_prepared("rls_set_scope", std::string{});
}

hw::error map_exception(std::exception_ptr ep, std::string_view what) {
  try {
    std::rethrow_exception(ep);
  } catch (const pqxx::broken_connection&) {
    spdlog::warn("db op={} failed: connection lost", what);
    return {errc::unavailable, "the database is unavailable"};
  } catch (const pqxx::in_doubt_error&) {
    // The commit may or may not have happened; callers re-read state (jobs tolerate a replay).
    spdlog::error("db op={} failed: connection lost during commit, outcome unknown", what);
    return {errc::unavailable, "the database connection was lost during a commit"};
  } catch (const pqxx::transaction_rollback&) {
    // serialization_failure, deadlock_detected, statement_completion_unknown: safe to retry.
    spdlog::warn("db op={} failed: transaction rolled back by the server", what);
    return {errc::unavailable, "the database rolled back the transaction; retry"};
  } catch (const pqxx::unique_violation& e) {
    spdlog::info("db op={} unique violation sqlstate={}", what, e.sqlstate());
    return {errc::conflict, "a unique value is already taken"};
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "57014") {  // query_canceled: statement_timeout fired
      spdlog::warn("db op={} timed out sqlstate={}", what, e.sqlstate());
      return {errc::timeout, "the database did not answer in time"};
    }
    if (e.sqlstate().rfind("08", 0) == 0 || e.sqlstate() == "57P01" || e.sqlstate() == "57P03") {
      // connection exceptions, admin_shutdown, cannot_connect_now
      spdlog::warn("db op={} failed sqlstate={}", what, e.sqlstate());
      return {errc::unavailable, "the database is unavailable"};
    }
    // Never log e.what()/e.query(): they can carry SQL text and parameter values.
    spdlog::error("db op={} failed sqlstate={}", what, e.sqlstate());
    return {errc::internal, "a database error occurred"};
  } catch (const pqxx::failure&) {
    spdlog::error("db op={} failed: libpqxx failure", what);
    return {errc::internal, "a database error occurred"};
  } catch (const std::exception& e) {
    // conversion/usage errors are bugs in our code, not user data: the type name is enough.
    spdlog::error("db op={} failed: {}", what, typeid(e).name());
    return {errc::internal, "a database error occurred"};
  } catch (...) {
    spdlog::error("db op={} failed: unknown exception", what);
    return {errc::internal, "a database error occurred"};
  }
}

std::string bytes_to_hex(std::string_view bytes) { return to_hex(bytes); }

std::string text_array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string hex_to_bytes(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes) throw pqxx::conversion_error{"malformed hex text"};
  return std::move(*bytes);
}

std::int64_t to_epoch_us(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace hw::storage
