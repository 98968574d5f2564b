// itron-cfg loader: preprocesses the .cfg files, follows INCLUDE and collects the headers.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "model.hpp"
#include "parser.hpp"
#include "preprocess.hpp"

namespace itron::cfg {

struct LoadedFiles {
  std::vector<ApiCall> calls;      // every static API but INCLUDE, in .cfg order
  std::vector<AppHeader> headers;  // for the generated source, in order, each once
  std::vector<std::string> files;  // every file read, absolute, for the depfile
};

// Loads `file` and every .cfg it INCLUDEs (each once); errors go to `diagnostics`.
[[nodiscard]] LoadedFiles load_configuration(const std::string& file,
                                             const PreprocessorOptions& options,
                                             Diagnostics& diagnostics,
                                             Flavor flavor = Flavor::itron);

}  // namespace itron::cfg
