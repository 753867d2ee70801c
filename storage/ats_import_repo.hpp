#pragma once
// Issue 4 (migration 0012). Being written: see the folder README when done.
namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace hw::storage {

void prepare_ats_import_statements(pqxx::connection_base& c);

}  // namespace hw::storage
