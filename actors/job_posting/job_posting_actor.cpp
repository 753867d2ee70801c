#include "actors/job_posting/job_posting_actor.hpp"

#include <utility>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/db/db_task.hpp"
#include "actors/domain/job_posting_fsm.hpp"
#include "actors/message_types.hpp"
#include "storage/job_posting_repo.hpp"

namespace hw::actors {

namespace {

using job_self = caf::stateful_actor<job_posting_state>*;
using check_fn = std::function<result<hw::unit>(const job_detail&)>;
using write_fn = std::function<void(const job_detail& cur, job_store::reply)>;

// A store reply as a message to `to` (any thread): (job_done_atom, seq, job_detail | caf::error).
job_store::reply answer_to(caf::actor to, std::uint64_t seq) {
  return [to, seq](result<job_detail> r) {
    if (r) caf::anon_send(to, job_done_atom::value, seq, std::move(*r));
    else caf::anon_send(to, job_done_atom::value, seq, to_caf_error(std::move(r).error()));
  };
}

// Parks every other message (caf::skip) until the answer for the current seq (or its timeout)
// arrives, then hands it to `k` with the normal behavior back in place.
void wait_for(job_self self, job_posting_options opt, std::function<void(result<job_detail>)> k) {
  const auto seq = self->state.seq;
  self->delayed_send(self, opt.db_timeout, job_done_atom::value, seq,
                     to_caf_error(errc::timeout, "the database did not answer in time"));
  auto finish = [self, seq, k](std::uint64_t got, result<job_detail> r) {
    if (got != seq) return;  // a late answer or timeout of an earlier call
    ++self->state.seq;                   // later answers for this call are stale
    self->unbecome();
    self->set_default_handler(caf::print_and_drop);
    k(std::move(r));
  };
  self->set_default_handler(caf::skip);
  self->become(caf::keep_behavior,
               caf::behavior{
                 [finish](job_done_atom, std::uint64_t got, job_detail& d) { finish(got, std::move(d)); },
                 [finish](job_done_atom, std::uint64_t got, caf::error& e) { finish(got, to_hw_error(e)); },
               });
}

// Decide locally, write with the cached version as the CAS precondition, then reply. A write
// refused because the row moved (version_conflict, or precondition_failed on our own cached
// version) reloads and decides once more; a second such refusal answers version_conflict.
void run(job_self self, job_store store, job_posting_options opt, check_fn check, write_fn write,
         caf::response_promise rp, bool retried) {
  caf::actor me = caf::actor_cast<caf::actor>(self);
  auto ok = check(self->state.job);
  if (!ok) {
    const auto code = ok.code();
    const bool maybe_stale = code == errc::illegal_transition || code == errc::precondition_failed;
    if (!maybe_stale || retried || !opt.confirm_refusals) {
      rp.deliver(to_caf_error(std::move(ok).error()));
      return;
    }
    // The cache may predate an ATS sync write: read the row once (no write) and decide again.
    const auto lseq = ++self->state.seq;
    wait_for(self, opt, [=](result<job_detail> fresh) mutable {
      if (!fresh) {
        rp.deliver(to_caf_error(std::move(fresh).error()));
        return;
      }
      self->state.job = std::move(*fresh);
      run(self, store, opt, check, write, rp, true);
    });
    store.load(self->state.key.org, self->state.key.job, answer_to(me, lseq));
    return;
  }
  const auto seq = ++self->state.seq;
  wait_for(self, opt, [=](result<job_detail> r) mutable {
    if (r) {
      self->state.job = *r;
      rp.deliver(std::move(*r));
      return;
    }
    const auto code = r.code();
    if (code != errc::version_conflict && code != errc::precondition_failed) {
      rp.deliver(to_caf_error(std::move(r).error()));
      return;
    }
    if (retried) {
      rp.deliver(to_caf_error(errc::version_conflict, "the job posting was changed concurrently"));
      return;
    }
    const auto lseq = ++self->state.seq;
    wait_for(self, opt, [=](result<job_detail> fresh) mutable {
      if (!fresh) {
        rp.deliver(to_caf_error(std::move(fresh).error()));
        return;
      }
      self->state.job = std::move(*fresh);
      run(self, store, opt, check, write, rp, true);
    });
    store.load(self->state.key.org, self->state.key.job, answer_to(me, lseq));
  });
  write(self->state.job, answer_to(me, seq));
}

hw::error precondition(std::int64_t if_match, const job_detail& cur) {
  return hw::error{errc::precondition_failed, "If-Match: the job posting is at version " +
                                                  std::to_string(cur.version) +
                                                  ", not " + std::to_string(if_match)};
}

// The actor that loads one row for the router's activation, then quits.
// Loads one row for the router and quits. It gives up by itself after `timeout`: a db task queued
// at a pool that is shutting down is never answered, and a loader must not outlive its request
// (the actor system waits for every actor when it stops).
caf::behavior job_loader(caf::event_based_actor* self, job_store store, job_posting_key key,
                         std::chrono::milliseconds timeout) {
  return {
    [=](load_atom) {
      auto rp = self->make_response_promise();
      self->delayed_send(self, timeout, job_done_atom::value, std::uint64_t{0},
                         caf::make_error(caf::sec::request_timeout));
      self->become([=](job_done_atom, std::uint64_t, job_detail& d) mutable {
                     rp.deliver(std::move(d));
                     self->quit();
                   },
                   [=](job_done_atom, std::uint64_t, caf::error& e) mutable {
                     rp.deliver(std::move(e));
                     self->quit();
                   });
      store.load(key.org, key.job, answer_to(caf::actor_cast<caf::actor>(self), 0));
      return rp;
    },
  };
}

}  // namespace

std::optional<job_posting_key> parse_job_posting_key(const std::string& key) {
  const auto slash = key.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto org = key.substr(0, slash);
  const auto job = key.substr(slash + 1);
  if (!is_uuid(org) || !is_uuid(job)) return std::nullopt;
  return job_posting_key{org_id{canonical_uuid(org)}, canonical_uuid(job)};
}

std::string job_posting_key_of(const org_id& org, const std::string& job) {
  return canonical_uuid(org.value) + "/" + canonical_uuid(job);
}

caf::behavior job_posting_actor(job_self self, std::string route_key, job_posting_key key, job_detail loaded,
                                job_store store, caf::actor router, job_posting_options opt) {
  self->state.route_key = std::move(route_key);
  self->state.key = std::move(key);
  self->state.job = std::move(loaded);
  // Passivation as in organization_actor: an idle tick asks the router to passivate.
  self->delayed_send(self, opt.idle_timeout, tick_atom::value);
  return {
    [self](caf::get_atom) {
      ++self->state.activity;
      return self->state.job;
    },
    [self](ready_atom) {
      ++self->state.activity;
      const auto s = domain::parse_job_posting_state(self->state.job.summary.posting_state);
      return s && domain::accepts_invitations(*s);
    },
    [self, store, opt](job_edit_atom, const job_edit& edit, std::int64_t if_match, const actor_ref& who) {
      ++self->state.activity;
      auto rp = self->make_response_promise();
      check_fn check = [if_match](const job_detail& cur) -> result<hw::unit> {
        if (if_match != no_precondition && if_match != cur.version) return precondition(if_match, cur);
        if (cur.summary.posting_state == "archived")
          return hw::error{errc::illegal_transition, "an archived job posting cannot be edited"};
        return hw::unit{};
      };
      auto k = self->state.key;
      write_fn write = [store, k, edit, who](const job_detail& cur, job_store::reply reply) {
        store.edit(k.org, k.job, edit, cur.version, who, std::move(reply));
      };
      run(self, store, opt, std::move(check), std::move(write), rp, false);
      return rp;
    },
    [self, store, opt](job_event_atom, const std::string& event, std::int64_t if_match, const actor_ref& who) {
      ++self->state.activity;
      auto rp = self->make_response_promise();
      check_fn check = [event, if_match](const job_detail& cur) -> result<hw::unit> {
        const auto ev = domain::parse_job_posting_event(event);
        if (!ev)
          return hw::error{errc::invalid_argument,
                           "event: expected claim, mark_ready, revise, open, close, reopen or archive"};
        if (if_match != no_precondition && if_match != cur.version) return precondition(if_match, cur);
        const auto from = domain::parse_job_posting_state(cur.summary.posting_state);
        if (!from) return hw::error{errc::internal, "the job posting is in an unknown state"};
        // "Ready to invite" needs an approved interview template (issue 5). The approval writes
        // job_postings behind this cache: a refusal re-reads the row once (run) before it stands.
        const bool has_template =
          cur.approved_template_version_id.has_value() && !cur.approved_template_version_id->empty();
        auto t = domain::decide_with_template(*from, *ev, domain::job_driver::recruiter, has_template);
        if (!t) return std::move(t).error();
        return hw::unit{};
      };
      auto k = self->state.key;
      write_fn write = [store, k, event, who](const job_detail& cur, job_store::reply reply) {
        store.transition(k.org, k.job, event, cur.version, who, std::move(reply));
      };
      run(self, store, opt, std::move(check), std::move(write), rp, false);
      return rp;
    },
    [self, store, opt](load_atom) {
      // Re-read the row (another writer changed it, e.g. a template approval); answers it. Queued
      // behind any command in flight like every other message.
      ++self->state.activity;
      auto rp = self->make_response_promise();
      const auto lseq = ++self->state.seq;
      wait_for(self, opt, [self, rp](result<job_detail> fresh) mutable {
        if (!fresh) {
          rp.deliver(to_caf_error(std::move(fresh).error()));
          return;
        }
        self->state.job = *fresh;
        rp.deliver(std::move(*fresh));
      });
      store.load(self->state.key.org, self->state.key.job, answer_to(caf::actor_cast<caf::actor>(self), lseq));
      return rp;
    },
    [](job_done_atom, std::uint64_t, const job_detail&) {},  // stale: answered or timed out already
    [](job_done_atom, std::uint64_t, const caf::error&) {},
    [self](stop_atom) { self->quit(); },
    [self, router, opt](tick_atom) {
      if (self->state.activity == 0)
        self->send(router, passivate_atom::value, self->state.route_key);
      self->state.activity = 0;
      self->delayed_send(self, opt.idle_timeout, tick_atom::value);
    },
  };
}

job_store db_job_store(caf::actor db_pool) {
  auto submit = [db_pool](std::function<result<job_detail>(pqxx::connection_base&)> f, job_store::reply reply) {
    db_task t;
    t.run = [f = std::move(f), reply](pqxx::connection_base& c) -> result<hw::unit> {
      auto r = f(c);
      if (!r) return std::move(r).error();
      reply(std::move(r));
      return hw::unit{};
    };
    t.fail = [reply](hw::error e) { reply(std::move(e)); };
    caf::anon_send(db_pool, run_atom::value, std::move(t));
  };
  job_store s;
  s.load = [submit](const org_id& org, const std::string& job, job_store::reply reply) {
    submit([org, job](pqxx::connection_base& c) { return storage::get_job_posting(c, org, job); }, std::move(reply));
  };
  s.edit = [submit](const org_id& org, const std::string& job, const job_edit& edit, std::int64_t expected,
                    const actor_ref& who, job_store::reply reply) {
    submit(
      [org, job, edit, expected, who](pqxx::connection_base& c) {
        return storage::edit_job_posting(c, org, job, edit, expected, std::chrono::system_clock::now(), who);
      },
      std::move(reply));
  };
  s.transition = [submit](const org_id& org, const std::string& job, const std::string& event,
                          std::int64_t expected, const actor_ref& who, job_store::reply reply) {
    submit(
      [org, job, event, expected, who](pqxx::connection_base& c) {
        return storage::transition_job_posting(c, org, job, event, expected, std::chrono::system_clock::now(),
                                               who);
      },
      std::move(reply));
  };
  return s;
}

entity_spec job_posting_spec(job_store store, job_posting_options opt) {
  entity_spec spec;
  spec.type = "job_posting";
  spec.activate = [store, opt](caf::event_based_actor* router, const std::string& key,
                               std::function<void(caf::expected<caf::actor>)> done) {
    auto k = parse_job_posting_key(key);
    if (!k) {
      done(to_caf_error(errc::not_found, "no such job posting"));
      return;
    }
    auto loader = router->spawn(job_loader, store, *k, opt.db_timeout);
    router->request(loader, opt.db_timeout, load_atom::value)
      .then(
        [router, store, opt, done, k, key](job_detail& d) {
          done(router->spawn(job_posting_actor, key, *k, std::move(d), store, caf::actor_cast<caf::actor>(router), opt));
        },
        [done](caf::error& err) { done(std::move(err)); });
  };
  return spec;
}

}  // namespace hw::actors
