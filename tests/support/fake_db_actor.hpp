#pragma once
// An in-memory stand-in for the db worker pool, speaking the same protocol
// (actors/db/db_worker.hpp). Tests reach its state through a shared pointer (the test scheduler
// is single-threaded) and can hold loads to observe what happens while an entity is loading.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/message_types.hpp"

namespace hw::testing {

using release_atom = caf::atom_constant<caf::atom("release")>;

struct fake_db {
  std::map<std::string, domain::organization> orgs;
  bool hold_loads = false;
  std::vector<std::pair<caf::response_promise, std::string>> held;
  int loads = 0;
  int saves = 0;
  int always_conflict = 0;  // the next N saves answer version_conflict regardless
  errc load_error = errc::ok;  // when set, loads answer this error
  std::vector<std::string> audit;  // actions written, in order

  domain::organization& add(std::string id, std::string name) {
    domain::organization o;
    o.id = org_id{id};
    o.name = std::move(name);
    o.slug = "org-" + id.substr(0, 8);
    o.version = 1;
    return orgs[id] = o;
  }
};

inline caf::result<domain::organization> fake_load(fake_db& db, const std::string& id) {
  ++db.loads;
  if (db.load_error != errc::ok) return actors::to_caf_error(db.load_error, "injected");
  auto it = db.orgs.find(id);
  if (it == db.orgs.end()) return actors::to_caf_error(errc::not_found, "no such organization");
  return it->second;
}

inline caf::behavior fake_db_actor(caf::event_based_actor* self, std::shared_ptr<fake_db> db) {
  return {
    [=](actors::load_atom, const org_id& id) -> caf::result<domain::organization> {
      if (db->hold_loads) {
        auto rp = self->make_response_promise();
        db->held.emplace_back(rp, id.value);
        return rp;
      }
      return fake_load(*db, id.value);
    },
    [=](actors::save_atom, domain::organization next, std::int64_t expected, const actor_ref&,
        const std::string& action) -> caf::result<domain::organization> {
      ++db->saves;
      auto it = db->orgs.find(next.id.value);
      if (it == db->orgs.end()) return actors::to_caf_error(errc::not_found, "gone");
      if (db->always_conflict > 0) {
        --db->always_conflict;
        return actors::to_caf_error(errc::version_conflict, "injected conflict");
      }
      if (it->second.version != expected) return actors::to_caf_error(errc::version_conflict, "stale");
      next.version = expected + 1;
      it->second = next;
      db->audit.push_back(action);
      return next;
    },
    [=](release_atom) {
      auto held = std::move(db->held);
      db->held.clear();
      for (auto& [rp, id] : held) {
        auto r = fake_load(*db, id);
        if (r.flag == caf::rt_value) rp.deliver(std::move(r.value));
        else rp.deliver(std::move(r.err));
      }
    },
  };
}

}  // namespace hw::testing
