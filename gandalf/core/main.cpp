// Gandalf's start: from the multiboot hand-over to the first guest instruction.
#include <cstdint>

#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/arch/ia32/idt.hpp"
#include "gandalf/core/config.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/vmm.hpp"
#include "gandalf/platform/pc/pic_8259.hpp"
#include "gandalf/platform/pc/pit_8254.hpp"
#include "gandalf/platform/pc/uart_16550.hpp"

namespace gandalf::core {
void take_modules(std::uint32_t magic, std::uint32_t info_address);
void init_partitions();
void unmask_irqs();
[[noreturn]] void start_guests();
}  // namespace gandalf::core

extern "C" [[noreturn]] void gandalf_main(std::uint32_t magic, std::uint32_t info) {
  using namespace gandalf;
  const auto& sys = core::system_config;
  console::init(pc::uart::com_base(static_cast<unsigned>(sys.console)));
  console::report("\ngandalf: Gandalf VMM, IA-32 PC/AT, %u partitions, tick %u us\n",
                 static_cast<unsigned>(core::partition_config_count), sys.tick_us);
  ia32::setup_descriptor_tables();
  core::take_modules(magic, info);
  ia32::setup_paging();
  pc::pic::init(ia32::idt::irq_base);
  core::init_partitions();
  if (core::gandalf_fault_inject_init) core::gandalf_fault_inject_init();
  core::print_partitions();
  console::report("gandalf: starting guests\n");
  console::flush();
  pc::pit::start_periodic(sys.pit_reload);
  core::unmask_irqs();
  core::start_guests();
}
