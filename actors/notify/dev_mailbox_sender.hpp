#pragma once
// The development transport, used when smtp.url is empty: nothing leaves the machine. send()
// "delivers" at once; the worker then records the e-mail as sent through transport
// 'dev_mailbox', and GET /api/v1/dev/mailbox (storage::list_dev_mailbox) shows it to the SPA.
#include "actors/notify/email_sender.hpp"

namespace hw::actors {

class dev_mailbox_sender final : public email_sender {
 public:
  send_outcome send(const outgoing_email&) override { return send_outcome::delivered("dev mailbox"); }
  const char* transport() const noexcept override { return "dev_mailbox"; }
};

}  // namespace hw::actors
