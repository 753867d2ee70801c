#include "actors/notify/dev_mailbox_reader.hpp"

#include <caf/all.hpp>
#include <pqxx/connection_base>

#include "actors/message_types.hpp"
#include "storage/email_repo.hpp"
#include "storage/pg.hpp"

namespace hw::actors {

namespace {

struct reader_state {
  static inline const char* name = "dev_mailbox_reader";
  storage::connection_ptr conn;
};

dev_mail_view to_view(storage::email_message&& m) {
  dev_mail_view v;
  v.id = m.id;
  v.kind = std::move(m.kind);
  v.to = std::move(m.to_address);
  v.subject = std::move(m.subject);
  v.text_body = std::move(m.text_body);
  v.html_body = std::move(m.html_body);
  v.message_id = std::move(m.message_id);
  v.status = std::string{storage::to_string(m.status)};
  v.created_at = std::move(m.created_at);
  v.sent_at = std::move(m.sent_at);
  return v;
}

caf::behavior dev_mailbox_reader(caf::stateful_actor<reader_state>* self, std::string dsn,
                                 std::chrono::milliseconds statement_timeout) {
  return {
    [=](mailbox_atom, const org_id& org, int limit, std::int64_t before) -> caf::result<std::vector<dev_mail_view>> {
      auto& st = self->state;
      if (!st.conn) {
        try {
          st.conn = storage::connect(dsn, statement_timeout);
        } catch (const std::exception&) {
          return to_caf_error(errc::unavailable, "the database is unavailable; try again shortly");
        }
      }
      auto r = storage::list_dev_mailbox(*st.conn, org, limit,
                                         before > 0 ? std::optional<std::int64_t>{before} : std::nullopt);
      if (!r) {
        if (r.code() == errc::unavailable) st.conn.reset();
        return to_caf_error(std::move(r).error());
      }
      std::vector<dev_mail_view> out;
      out.reserve(r->size());
      for (auto& m : *r) out.push_back(to_view(std::move(m)));
      return out;
    },
  };
}

}  // namespace

caf::actor spawn_dev_mailbox_reader(caf::actor_system& sys, std::string dsn,
                                    std::chrono::milliseconds statement_timeout) {
  return sys.spawn<caf::detached>(dev_mailbox_reader, std::move(dsn), statement_timeout);
}

}  // namespace hw::actors
