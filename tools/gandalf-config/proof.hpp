// The spatial isolation proof over the generated tables, and the report `check` prints.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "gandalf/core/config_types.hpp"

namespace gandalf::tool {

struct Model;

struct ProofItem {
  std::string claim;
  bool holds = false;
};

struct ProofFailure {
  static constexpr std::size_t system = static_cast<std::size_t>(-1);
  std::size_t partition;  // index of the partition the failure is reported at, or `system`
  std::string message;
};

struct Proof {
  std::vector<ProofItem> items;
  std::vector<ProofFailure> failures;
  [[nodiscard]] bool holds() const { return failures.empty(); }
};

// Proves from the tables alone (not from the checks that produced them) that:
//  (a) no guest segment reaches Gandalf's virtual range [gandalf_virt, 4 GiB);
//  (b) guest segment ranges are pairwise disjoint;
//  (c) guest physical ranges lie below gandalf_phys and are pairwise disjoint;
//  (d) RTOS physical ranges start after Linux's;
//  (e) Gandalf's physical range lies inside the machine's RAM.
Proof prove_isolation(const config::System& system, std::span<const config::Partition> partitions);

// The layout table (one row per partition and one for Gandalf) and a line per proof item.
std::string render_report(const Model& model);

}  // namespace gandalf::tool
