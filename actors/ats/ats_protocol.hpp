#pragma once
// The ATS supervisor's message protocol (issue 4). Atoms live in actors/message_types.hpp.
// The supervisor owns one sync worker per live connection; everything a request names is
// (org_id org, std::string connection_id), and another org's connection answers not_found.
//
//   (ats_sync_atom, org_id, std::string conn)   -> unit          queue a pull now (illegal_transition
//                                                               when pending or disconnected)
//   (ats_test_atom, org_id, std::string conn)   -> ats_test_outcome  run the vendor's credential
//                                                               check now; the worker records the
//                                                               FSM step (test_succeeded / test_failed
//                                                               or reconnected) before answering
//   (ats_reload_atom, org_id, std::string conn) -> unit          the connection was created, its
//                                                               credentials/settings changed or it was
//                                                               disconnected/deleted: re-read it,
//                                                               start/replace/stop its worker
//   (ats_status_atom, org_id, std::string conn) -> bool          true while a pull is running
//   (ats_hook_atom, std::vector<storage::webhook_job_target>)
//                                               -> (no reply)     inbox rows of these connections were
//                                                               stored: ensure their processing jobs
//                                                               and claim (after hook_delay) instead
//                                                               of at the next poll
#include <string>

namespace hw::actors {

struct ats_test_outcome {
  bool ok = false;
  std::string detail;  // safe note, e.g. "ok" / "HTTP 401 from /token"
};

}  // namespace hw::actors
