#include "storage/ats_import_repo.hpp"

#include <pqxx/pqxx>

namespace hw::storage {

void prepare_ats_import_statements(pqxx::connection_base& /*c*/) {}

}  // namespace hw::storage
