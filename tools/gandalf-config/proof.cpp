// The spatial isolation proof, computed from the generated tables only, and the check report.
#include "proof.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "config_model.hpp"

namespace gandalf::tool {
namespace {

// An inclusive range of addresses; 64 bits so that base + limit cannot wrap.
struct Range {
  std::uint64_t first;
  std::uint64_t last;
};

bool intersect(Range a, Range b) { return a.first <= b.last && b.first <= a.last; }

std::string range_text(Range r) {
  return fmt::format("{}..{}", hex_address(r.first), hex_address(r.last));
}

Range segment(const config::Partition& p) {
  return {p.virt_base, std::uint64_t{p.virt_base} + p.seg_limit};
}

// Partitions always have memory (the checker insists); an empty one would be [base, base-1].
Range physical(const config::Partition& p) {
  return {p.phys_base, std::uint64_t{p.phys_base} + p.memory - 1};
}

struct Prover {
  const config::System& system;
  std::span<const config::Partition> partitions;
  Proof proof;

  void item(std::string claim, std::size_t failures_before) {
    proof.items.push_back({std::move(claim), proof.failures.size() == failures_before});
  }
  void fail(std::size_t partition, std::string message) {
    proof.failures.push_back({partition, std::move(message)});
  }
};

void prove_above_segments(Prover& pr) {
  const std::size_t before = pr.proof.failures.size();
  const Range gandalf{pr.system.gandalf_virt, 0xffffffff};
  for (std::size_t i = 0; i < pr.partitions.size(); ++i)
    if (intersect(segment(pr.partitions[i]), gandalf))
      pr.fail(i, fmt::format("proof (a) fails: the segment of {} ({}) reaches Gandalf's range {}",
                             pr.partitions[i].name, range_text(segment(pr.partitions[i])),
                             range_text(gandalf)));
  pr.item(
      fmt::format("(a) no guest segment reaches Gandalf's virtual range {}", range_text(gandalf)),
      before);
}

void prove_disjoint_segments(Prover& pr) {
  const std::size_t before = pr.proof.failures.size();
  for (std::size_t i = 0; i < pr.partitions.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (intersect(segment(pr.partitions[i]), segment(pr.partitions[j])))
        pr.fail(i, fmt::format("proof (b) fails: the segment of {} ({}) intersects the segment "
                               "of {} ({})",
                               pr.partitions[i].name, range_text(segment(pr.partitions[i])),
                               pr.partitions[j].name, range_text(segment(pr.partitions[j]))));
  pr.item("(b) guest segments are pairwise disjoint", before);
}

void prove_physical(Prover& pr) {
  const std::size_t before = pr.proof.failures.size();
  for (std::size_t i = 0; i < pr.partitions.size(); ++i) {
    const Range mine = physical(pr.partitions[i]);
    if (mine.last >= pr.system.gandalf_phys)
      pr.fail(i, fmt::format("proof (c) fails: the memory of {} ({}) reaches Gandalf's at {}",
                             pr.partitions[i].name, range_text(mine),
                             hex_address(pr.system.gandalf_phys)));
    for (std::size_t j = 0; j < i; ++j)
      if (intersect(mine, physical(pr.partitions[j])))
        pr.fail(i, fmt::format("proof (c) fails: the memory of {} ({}) intersects that of {} ({})",
                               pr.partitions[i].name, range_text(mine), pr.partitions[j].name,
                               range_text(physical(pr.partitions[j]))));
  }
  pr.item(
      fmt::format("(c) guest physical memory lies below Gandalf's ({}) and is pairwise disjoint",
                  hex_address(pr.system.gandalf_phys)),
      before);
}

std::uint64_t linux_end(std::span<const config::Partition> partitions) {
  for (const config::Partition& p : partitions)
    if (p.kind == config::Kind::linux_slot) return std::uint64_t{p.phys_base} + p.memory;
  return 0;
}

void prove_rtos_after_linux(Prover& pr) {
  const std::size_t before = pr.proof.failures.size();
  const std::uint64_t end = linux_end(pr.partitions);
  for (std::size_t i = 0; i < pr.partitions.size(); ++i) {
    const config::Partition& p = pr.partitions[i];
    if (p.kind == config::Kind::rtos && p.phys_base < end)
      pr.fail(i, fmt::format("proof (d) fails: the memory of {} starts at {}, before Linux's ends "
                             "at {}",
                             p.name, hex_address(p.phys_base), hex_address(end)));
  }
  pr.item(fmt::format("(d) RTOS physical memory starts after Linux's (which ends at {})",
                      hex_address(end)),
          before);
}

void prove_gandalf_in_ram(Prover& pr) {
  const std::size_t before = pr.proof.failures.size();
  const Range gandalf{pr.system.gandalf_phys,
                      std::uint64_t{pr.system.gandalf_phys} + pr.system.gandalf_memory - 1};
  if (gandalf.last >= pr.system.ram_bytes)
    pr.fail(ProofFailure::system,
            fmt::format("proof (e) fails: Gandalf's memory ({}) ends beyond RAM ({})",
                        range_text(gandalf), size_text(pr.system.ram_bytes)));
  pr.item(fmt::format("(e) Gandalf's physical memory {} lies inside RAM ({})", range_text(gandalf),
                      size_text(pr.system.ram_bytes)),
          before);
}

// ---- the report --------------------------------------------------------------------------

using Row = std::array<std::string, 7>;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ",") + part;
  return out.empty() ? "-" : out;
}

std::string ports_text(const config::Partition& p) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < p.port_range_count; ++i)
    parts.push_back(port_text(p.ports[i].first, p.ports[i].last));
  return join(parts);
}

std::string irqs_text(std::uint16_t mask) {
  std::vector<std::string> parts;
  for (unsigned irq = 0; irq < 16; ++irq)
    if ((mask >> irq) & 1u) parts.push_back(std::to_string(irq));
  return join(parts);
}

Row partition_row(const config::Partition& p) {
  return {p.name,
          p.kind == config::Kind::linux_slot ? "linux" : "rtos",
          range_text(segment(p)),
          range_text(physical(p)),
          ports_text(p),
          irqs_text(p.irq_mask),
          std::string{com_name(p.console)}};
}

Row gandalf_row(const config::System& s) {
  const std::uint16_t console = com_base(s.console);
  return {"gandalf",
          "vmm",
          range_text({s.gandalf_virt, 0xffffffff}),
          range_text({s.gandalf_phys, std::uint64_t{s.gandalf_phys} + s.gandalf_memory - 1}),
          fmt::format("0x20-0x21,0x40-0x43,0x61,0xa0-0xa1,{}", port_text(console, console + 7)),
          "0,2",
          std::string{com_name(s.console)}};
}

std::string render_rows(const std::vector<Row>& rows) {
  std::array<std::size_t, 7> width{};
  for (const Row& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format("{:<{}}  ", row[c], width[c]);
    out += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return out;
}

// One line per device of the platform: its line, who programs it, whom the line reaches.
std::string render_wiring(const Model& model) {
  std::string out;
  for (const DeviceSpec& d : model.spec.platform.devices.value) {
    const std::string device = device_owner(model, d);
    const std::string line = line_owner(model, d.irq);
    out += fmt::format("wiring ({}): {} {} on IRQ {}: device {}, line {}\n",
                       model.spec.platform.name.value, d.name, port_text(d.first, d.last), d.irq,
                       device.empty() ? "nobody's" : device,
                       line.empty() ? "nobody's (masked)" : line);
  }
  return out;
}

// One line per channel: its ends and halves, where it lies, its doorbells and rate limits.
std::string render_channels(const Model& model) {
  std::string out;
  const auto limit = [](std::uint32_t us) { return us == 0 ? std::string{"unlimited"} : fmt::format("one per {} us", us); };
  for (const config::Channel& c : model.channels) {
    const char* a = model.partitions[c.ends[0]].name;
    const char* b = model.partitions[c.ends[1]].name;
    out += fmt::format("channel {}: {} writes {}-{}, {} writes {}-{} (physical); records of {} bytes; "
                       "{} rung on IRQ {}, {} on IRQ {}; rings from {}: {}, from {}: {}\n",
                       c.name, a, hex_address(c.phys), hex_address(c.phys + c.size / 2 - 1), b,
                       hex_address(c.phys + c.size / 2), hex_address(c.phys + c.size - 1), c.record_size, a,
                       c.irqs[0], b, c.irqs[1], a, limit(c.interval_us[0]), b, limit(c.interval_us[1]));
  }
  return out.empty() ? out : out + "\n";
}

// One line for the crash dumps' store: who keeps what of it.
std::string render_dumps(const Model& model) {
  std::string parts;
  for (const config::Partition& p : model.partitions) {
    if (p.console_tail == 0 && p.dump_memory == 0) continue;
    parts += fmt::format("{}{}:", parts.empty() ? "" : "; ", p.name);
    if (p.console_tail != 0) parts += fmt::format(" console tail {}", size_text(p.console_tail));
    if (p.dump_memory != 0) parts += fmt::format("{} memory {}", p.console_tail != 0 ? "," : "", size_text(p.dump_memory));
  }
  if (parts.empty()) return {};
  return fmt::format("crash dumps: store {} in Gandalf's memory; {}\n\n", size_text(model.system.dump_store_bytes), parts);
}

// One line for the CPU budgets (docs/budgets.md): who may use how much of each period.
std::string render_budgets(const Model& model) {
  static constexpr const char* reaction[] = {"throttled", "restarted", "stopped"};
  std::string parts;
  for (const config::Partition& p : model.partitions) {
    if (p.period_ticks == 0) continue;
    parts += fmt::format("{}{}: {} us per {} us, then {}", parts.empty() ? "" : "; ", p.name, p.budget_us,
                         std::uint64_t{p.period_ticks} * model.system.tick_us,
                         reaction[static_cast<unsigned>(p.on_budget)]);
  }
  return parts.empty() ? parts : fmt::format("CPU budgets: {}\n\n", parts);
}

}  // namespace

Proof prove_isolation(const config::System& system, std::span<const config::Partition> partitions) {
  Prover prover{system, partitions, {}};
  prove_above_segments(prover);
  prove_disjoint_segments(prover);
  prove_physical(prover);
  prove_rtos_after_linux(prover);
  prove_gandalf_in_ram(prover);
  return prover.proof;
}

std::string render_report(const Model& model) {
  const config::System& s = model.system;
  std::string out = fmt::format("{}: {} partition{}, RAM {}, tick {} us (8254 reload {})\n\n",
                                model.file, s.partition_count, s.partition_count == 1 ? "" : "s",
                                size_text(s.ram_bytes), s.tick_us, s.pit_reload);
  std::vector<Row> rows{{"name", "kind", "segment", "physical", "ports", "irqs", "console"}};
  for (const config::Partition& p : model.partitions) rows.push_back(partition_row(p));
  rows.push_back(gandalf_row(s));
  out += render_rows(rows) + "\n" + render_wiring(model) + "\n" + render_channels(model) + render_dumps(model) +
         render_budgets(model);
  for (const ProofItem& item : model.proof.items)
    out += fmt::format("proof: {}: {}\n", item.claim, item.holds ? "holds" : "FAILS");
  return out;
}

}  // namespace gandalf::tool
