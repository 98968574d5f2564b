// itron-cfg tables: the parts of kernel_cfg.cpp inside namespace itron.
#pragma once

#include <string>

#include "diagnostics.hpp"
#include "model.hpp"

namespace itron::cfg {

// `#line LINE "FILE"`, so that the compiler reports what follows at the .cfg line.
[[nodiscard]] std::string line_directive(const Location& where);
// A C string literal holding `text`.
[[nodiscard]] std::string c_string(std::string_view text);

// Stacks, data queue buffers and memory pool areas given as NULL in the .cfg.
[[nodiscard]] std::string allocated_areas(const Configuration& config);
// The initialization and control block tables of the CRE_* classes and the time event heap.
[[nodiscard]] std::string object_tables(const Configuration& config);
// DEF_INH (with a handler per ATT_ISR line), CFG_INT, DEF_EXC, ATT_INI, ATT_TER and ATT_ISR tables.
[[nodiscard]] std::string handler_tables(const Configuration& config);
// `itron_config`, in the order of struct itron::Config's members.
[[nodiscard]] std::string config_definition(const Configuration& config);

}  // namespace itron::cfg
