#include "storage/job_posting_repo.hpp"

#include <pqxx/pqxx>

namespace hw::storage {

void prepare_job_posting_statements(pqxx::connection_base& /*c*/) {}

}  // namespace hw::storage
