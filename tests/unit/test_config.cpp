// gandalf-config: the checker, the layout, the isolation proof and the generators.
//
// Each error test edits one line of a small valid configuration (kBase below, whose line
// numbers the tests cite) and expects the message and the line the error is reported at.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "config_model.hpp"
#include "emit.hpp"

namespace gandalf::tool {
namespace {

// Line numbers matter: the tests below cite them. Its [platform] (lines 34-41) is QEMU as
// the harness wires it: one line per UART.
constexpr std::string_view kBase = R"([machine]
memory = "128M"

[layout]
linux_limit = 0xfbffffff
rtos_window = [0xfc000000, 0xfc3fffff]
gandalf_virt = 0xfc400000

[gandalf]
memory = "16M"
image_store = "8M"
console = "com4"
tick_us = 1000

[linux]
memory = "96M"
image = "linux"
console = "com1"
irqs = [4]
on_fault = "restart"

[[rtos]]
name = "rtos0"
memory = "2M"
console = "com2"
irqs = [3]

[[rtos]]
name = "rtos1"
memory = "2M"
console = "com3"
irqs = [5]

[platform]
name = "qemu"
devices = [
  {name = "com1", ports = [0x3f8, 0x3ff], irq = 4},
  {name = "com2", ports = [0x2f8, 0x2ff], irq = 3},
  {name = "com3", ports = [0x3e8, 0x3ef], irq = 5},
  {name = "com4", ports = [0x2e8, 0x2ef], irq = 7},
]
)";

// kBase on the PC/AT wiring (no [platform]): COM1 and COM3 share IRQ 4, COM2 and COM4 IRQ 3.
std::string pc(std::string text = std::string{kBase}) {
  return text.substr(0, text.find("\n[platform]") + 1);
}

// kBase with `from` (which must occur) replaced by `to`.
std::string edit(std::string_view from, std::string_view to,
                 std::string text = std::string{kBase}) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test bug: no '" << from << "' in the text";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Model load(const std::string& text) { return load_text(text, "test.toml"); }

// True when an error at `line` contains `text`.
::testing::AssertionResult HasError(const Model& model, std::uint32_t line, std::string_view text,
                                    Severity severity = Severity::error) {
  for (const Diagnostic& d : model.diagnostics.all())
    if (d.severity == severity && d.where.line == line && d.message.find(text) != std::string::npos)
      return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected at line " << line << ": \"" << text << "\"; reported:\n"
         << model.diagnostics.render();
}

::testing::AssertionResult Clean(const Model& model) {
  if (model.diagnostics.all().empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << model.diagnostics.render();
}

Model load_repo_config(std::string_view name) {
  return load_file(std::string{GANDALF_SOURCE_DIR} + "/config/" + std::string{name});
}

// ---- valid configurations ----------------------------------------------------------------

TEST(ConfigDefault, ChecksCleanWithThePaperLayout) {
  const Model model = load_repo_config("default.toml");
  ASSERT_TRUE(Clean(model));
  ASSERT_EQ(model.partitions.size(), 3u);
  const auto& linux_slot = model.partitions[0];
  EXPECT_STREQ(linux_slot.name, "linux");
  EXPECT_EQ(linux_slot.kind, config::Kind::linux_slot);
  EXPECT_EQ(linux_slot.phys_base, 0u);
  EXPECT_EQ(linux_slot.virt_base, 0u);
  EXPECT_EQ(linux_slot.memory, 0x06000000u);
  EXPECT_EQ(linux_slot.seg_limit, 0xfbffffffu);
  EXPECT_EQ(model.partitions[1].phys_base, 0x06000000u);
  EXPECT_EQ(model.partitions[1].virt_base, 0xfc000000u);
  EXPECT_EQ(model.partitions[1].seg_limit, 0x001fffffu);
  EXPECT_EQ(model.partitions[2].phys_base, 0x06200000u);
  EXPECT_EQ(model.partitions[2].virt_base, 0xfc200000u);
  EXPECT_EQ(model.partitions[2].seg_limit, 0x001fffffu);
}

TEST(ConfigDefault, SystemTable) {
  const Model model = load_repo_config("default.toml");
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  const config::System& s = model.system;
  EXPECT_EQ(s.ram_bytes, 128u << 20);
  EXPECT_EQ(s.gandalf_phys, 0x06400000u);
  EXPECT_EQ(s.gandalf_memory, 16u << 20);
  EXPECT_EQ(s.gandalf_virt, 0xfc400000u);
  EXPECT_EQ(s.rtos_window_base, 0xfc000000u);
  EXPECT_EQ(s.rtos_window_size, 0x00400000u);
  EXPECT_EQ(s.linux_limit, 0xfbffffffu);
  EXPECT_EQ(s.image_store_bytes, 8u << 20);
  EXPECT_EQ(s.pit_reload, 1193);
  EXPECT_EQ(s.console, config::Com::com4);
  EXPECT_EQ(s.partition_count, 3);
}

TEST(ConfigDefault, OwnershipAndProof) {
  const Model model = load_repo_config("default.toml");
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  EXPECT_EQ(model.partitions[0].irq_mask, 1u << 4);
  EXPECT_EQ(model.partitions[0].port_range_count, 1);
  EXPECT_EQ(model.partitions[0].ports[0].first, 0x3f8);
  EXPECT_EQ(model.partitions[0].ports[0].last, 0x3ff);
  EXPECT_EQ(model.partitions[1].ports[0].first, 0x2f8);
  EXPECT_EQ(model.partitions[2].ports[0].first, 0x3e8);
  ASSERT_EQ(model.proof.items.size(), 5u);
  for (const ProofItem& item : model.proof.items) EXPECT_TRUE(item.holds) << item.claim;
}

TEST(ConfigRepo, ContainmentAndBenchCheckClean) {
  const Model containment = load_repo_config("containment.toml");
  EXPECT_TRUE(Clean(containment));
  EXPECT_EQ(containment.spec.platform.name.value, "pc");  // Bochs
  EXPECT_EQ(containment.partitions.at(0).irq_mask, 0);    // COM1 shares IRQ 4 with COM3: polled
  EXPECT_EQ(containment.partitions.at(0).console_irq, no_irq);
  EXPECT_EQ(containment.partitions.at(1).irq_mask, 1u << 3);
  EXPECT_EQ(containment.partitions.at(1).console_irq, 3);
  EXPECT_EQ(containment.partitions.at(2).irq_mask, 0);
  EXPECT_EQ(containment.partitions.at(2).console_irq, no_irq);
  EXPECT_EQ(containment.partitions.at(2).console, config::Com::com3);
  const Model bench = load_repo_config("bench.toml");
  EXPECT_TRUE(Clean(bench));
  EXPECT_EQ(bench.system.gandalf_phys, 20u << 20);
  EXPECT_EQ(bench.partitions.at(0).wake_on_halt, 1);
  EXPECT_EQ(bench.partitions.at(1).wake_on_halt, 0);
  EXPECT_EQ(bench.partitions.at(2).wake_on_halt, -1);
}

// The Linux-at-ring-1 system (issue #11): default.toml with the real kernel in [linux].
TEST(ConfigRepo, LinuxChecksClean) {
  const Model model = load_repo_config("linux.toml");
  ASSERT_TRUE(Clean(model));
  ASSERT_EQ(model.partitions.size(), 3u);
  const config::Partition& linux_slot = model.partitions[0];
  EXPECT_EQ(linux_slot.kind, config::Kind::linux_slot);
  EXPECT_EQ(linux_slot.virt, config::Virtualization::full);
  EXPECT_STREQ(linux_slot.image, "linux");
  EXPECT_STREQ(linux_slot.initrd, "initrd");
  EXPECT_EQ(linux_slot.memory, 96u << 20);
  EXPECT_EQ(linux_slot.console, config::Com::com1);
  EXPECT_EQ(linux_slot.irq_mask, 1u << 4);
  EXPECT_EQ(linux_slot.on_fault, config::OnFault::restart);
  EXPECT_EQ(linux_slot.max_restarts, 3);
  EXPECT_STREQ(linux_slot.args,
               "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 reservetop=64M "
               "clearcpuid=sep,pge,pat,smep,smap,umip nopat idle=halt io_delay=none "
               "lpj=1000000 tsc=unstable panic=-1");
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(model.partitions[i].virt, config::Virtualization::para);
    EXPECT_STREQ(model.partitions[i].initrd, "");
  }
  EXPECT_EQ(model.system.image_store_bytes, 16u << 20);
  EXPECT_EQ(model.system.gandalf_memory, 24u << 20);
  EXPECT_EQ(model.system.gandalf_phys, 100u << 20);
  EXPECT_EQ(model.system.dump_store_bytes, 512u << 10);
  EXPECT_EQ(linux_slot.console_tail, 4096u);  // a panic's message reaches its crash dump
  EXPECT_EQ(model.spec.platform.name.value, "qemu-harness");
}

TEST(ConfigRepo, LinuxGenerated) {
  const Model model = load_repo_config("linux.toml");
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  EXPECT_NE(emit_grub_cfg(model, {}).find("menuentry \"Gandalf (linux)\" {\n"
                                          "  multiboot /boot/gandalf.elf\n"
                                          "  module /boot/linux.img linux\n"
                                          "  module /boot/initrd.img initrd\n"
                                          "  module /boot/rtos0.img rtos0\n"
                                          "  module /boot/rtos1.img rtos1\n"
                                          "  boot\n}\n"),
            std::string::npos)
      << emit_grub_cfg(model, {});
  const std::string json = emit_system_json(model, {});
  EXPECT_NE(json.find(R"({"index": 0, "name": "linux", "image": "linux", "initrd": "initrd", )"
                      R"("kind": "linux", "virtualization": "full",)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("args": "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 )"),
            std::string::npos);
  EXPECT_NE(emit_header(model).find(".initrd = \"initrd\",\n"), std::string::npos);
}

TEST(ConfigRepo, EachConfigDeclaresTheWiringItRunsOn) {
  for (const char* name : {"default.toml", "bench.toml", "linux.toml"}) {
    const Model model = load_repo_config(name);
    ASSERT_TRUE(model.ok()) << name << "\n" << model.diagnostics.render();
    EXPECT_EQ(model.spec.platform.name.value, "qemu-harness") << name;
    EXPECT_TRUE(model.spec.platform.name.given) << name;
    // Each UART on its own line (QEMU as the harness wires it), each console interrupting.
    EXPECT_EQ(model.partitions.at(0).console_irq, 4) << name;
    EXPECT_EQ(model.partitions.at(1).console_irq, 3) << name;
    EXPECT_EQ(model.partitions.at(2).console_irq, 5) << name;
  }
  EXPECT_TRUE(load_repo_config("containment.toml").spec.platform.name.given);
}

// The containment system as it was before issue #10: Linux owned IRQ 4, which on the PC it
// shares with rtos1's COM3. The checker must refuse it at rtos1's console.
TEST(ConfigRepo, ContainmentBeforeIssue10IsRefused) {
  std::ifstream in(std::string{GANDALF_SOURCE_DIR} + "/config/containment.toml");
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::size_t linux_table = text.find("[linux]");
  const std::size_t irqs = text.find("irqs = []", linux_table);
  ASSERT_NE(irqs, std::string::npos);
  text.replace(irqs, 9, "irqs = [4]");
  const auto line_of = [&](std::size_t at) {
    return static_cast<std::uint32_t>(
        std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  };
  const std::uint32_t rtos1_console = line_of(text.find(R"(console = "com3")"));
  const Model model = load(text);
  EXPECT_TRUE(HasError(model, rtos1_console,
                       fmt::format(R"(com3 (0x3e8-0x3ef) of rtos1 interrupts on IRQ 4 (platform )"
                                   R"("pc"), which is routed to linux (test.toml:{}:9) for its )"
                                   R"(com1: rtos1 could raise linux's interrupts)",
                                   line_of(irqs))));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigDefaults, OmittedKeysTakeTheirDefaults) {
  const Model model = load(R"([machine]
memory = 134217728
[gandalf]
memory = "16MiB"
image_store = "8192KiB"
[linux]
memory = "96M"
console = "com1"
[[rtos]]
name = "solo"
memory = "64K"
)");
  ASSERT_TRUE(Clean(model));
  EXPECT_EQ(model.system.console, config::Com::com4);
  EXPECT_EQ(model.system.tick_us, 1000u);
  EXPECT_EQ(model.system.linux_limit, 0xfbffffffu);
  EXPECT_EQ(model.system.image_store_bytes, 8u << 20);
  const config::Partition& solo = model.partitions.at(1);
  EXPECT_STREQ(solo.image, "solo");  // the image is named after the partition
  EXPECT_EQ(solo.virt, config::Virtualization::para);
  EXPECT_EQ(solo.on_fault, config::OnFault::stop);
  EXPECT_EQ(solo.max_restarts, 3);
  EXPECT_TRUE(solo.emulate_pic && solo.emulate_pit);
  EXPECT_FALSE(solo.strict_hypercalls);
  EXPECT_EQ(solo.console, config::Com::none);
  EXPECT_EQ(solo.port_range_count, 0);
  EXPECT_EQ(solo.irq_mask, 0);
  EXPECT_EQ(solo.wake_on_halt, -1);
  EXPECT_EQ(solo.virt_base, 0xfc000000u);
  EXPECT_EQ(solo.seg_limit, 0xffffu);
  EXPECT_EQ(model.system.gandalf_phys, 100u << 20);  // 96 MiB + 64 KiB, up to 4 MiB
}

TEST(ConfigDefaults, LinuxAloneIsASystem) {
  const Model model = load(R"(rtos = []
[machine]
memory = "32M"
[gandalf]
memory = "8M"
image_store = "4M"
[linux]
memory = "16M"
)");
  ASSERT_TRUE(Clean(model));
  EXPECT_EQ(model.system.partition_count, 1);
  EXPECT_EQ(model.system.gandalf_phys, 16u << 20);
  EXPECT_EQ(model.partitions.at(0).port_range_count, 0);  // no console, no ports
}

TEST(ConfigErrors, RtosMustBeAnArrayOfTables) {
  const Model model = load("rtos = 3\n" + std::string{kBase}.substr(0, kBase.find("[[rtos]]")));
  EXPECT_TRUE(HasError(model, 1, "rtos must be an array of tables ([[rtos]]), not an integer"));
}

TEST(ConfigDefaults, ExplicitValuesAreKept) {
  const Model model = load(edit(R"(irqs = [3])", R"(irqs = [3]
virtualization = "para"
strict_hypercalls = true
emulate = ["pit"]
io_ports = [[0x2f8, 0x2ff], [0x300, 0x31f]]
args = "say \"hi\"")"));
  ASSERT_TRUE(Clean(model));
  const config::Partition& rtos0 = model.partitions.at(1);
  EXPECT_EQ(rtos0.virt, config::Virtualization::para);
  EXPECT_TRUE(rtos0.strict_hypercalls);
  EXPECT_FALSE(rtos0.emulate_pic);
  EXPECT_TRUE(rtos0.emulate_pit);
  ASSERT_EQ(rtos0.port_range_count, 2);
  EXPECT_EQ(rtos0.ports[1].first, 0x300);
  EXPECT_EQ(rtos0.ports[1].last, 0x31f);
  EXPECT_STREQ(rtos0.args, "say \"hi\"");
}

TEST(ConfigSizes, ParseSize) {
  EXPECT_EQ(parse_size("4K"), 4096);
  EXPECT_EQ(parse_size("4KiB"), 4096);
  EXPECT_EQ(parse_size("2M"), 2 << 20);
  EXPECT_EQ(parse_size("2MiB"), 2 << 20);
  EXPECT_EQ(parse_size("4096M"), std::int64_t{1} << 32);  // too big, reported by the checker
  EXPECT_FALSE(parse_size("2G"));
  EXPECT_FALSE(parse_size("M"));
  EXPECT_FALSE(parse_size("-1M"));
  EXPECT_FALSE(parse_size("2 M"));
  EXPECT_FALSE(parse_size("1024"));
  EXPECT_FALSE(parse_size(""));
}

TEST(ConfigSizes, PitReload) {
  EXPECT_EQ(pit_reload_for(1000), 1193u);
  EXPECT_EQ(pit_reload_for(100), 119u);
  EXPECT_EQ(pit_reload_for(50000), 59659u);
}

// ---- structure: parse errors, keys, types ------------------------------------------------

TEST(ConfigErrors, ParseErrorCarriesTomlPosition) {
  const Model model = load(edit(R"(memory = "2M"
console = "com3")",
                                R"(memory = "2M"
console = )"));
  EXPECT_TRUE(HasError(model, 31, "expected"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigErrors, RenderedLikeACompiler) {
  const Model model = load(edit(R"(tick_us = 1000)", R"(tick_us = 10)"));
  EXPECT_EQ(model.diagnostics.render(),
            "test.toml:13:11: error: gandalf.tick_us (10) must be in 100..50000\n");
}

TEST(ConfigErrors, UnknownKeySuggestsTheKnownOne) {
  const Model model = load(edit(R"(image = "linux")", R"(imgae = "linux")"));
  EXPECT_TRUE(HasError(model, 17, "unknown key 'imgae' in [linux] (did you mean 'image'?)"));
}

TEST(ConfigErrors, UnknownKeyInRtosAndAtTopLevel) {
  const Model model = load(edit(R"(irqs = [5])", R"(irqs = [5]
colour = "red")") + "[extra]\n");
  EXPECT_TRUE(HasError(model, 33, "unknown key 'colour' in [[rtos]] rtos1"));
  EXPECT_TRUE(HasError(model, 43, "unknown key 'extra' at the top level"));  // after [platform]
}

TEST(ConfigErrors, WrongTypes) {
  const Model model =
      load(edit(R"(irqs = [4])", R"(irqs = 4)", edit(R"(tick_us = 1000)", R"(tick_us = "1ms")")));
  EXPECT_TRUE(HasError(model, 13, "gandalf.tick_us must be an integer, not a string"));
  EXPECT_TRUE(HasError(model, 19, "linux.irqs must be an array, not an integer"));
}

TEST(ConfigErrors, WrongTypesInsideArraysAndChoices) {
  const Model model = load(edit(R"(irqs = [3])", R"(irqs = ["3"]
io_ports = [0x2f8]
on_fault = "reboot")"));
  EXPECT_TRUE(HasError(model, 26, "each entry of rtos0.irqs must be an integer, not a string"));
  EXPECT_TRUE(HasError(model, 27, "each entry of rtos0.io_ports must be a [first, last] pair"));
  EXPECT_TRUE(
      HasError(model, 28, R"(rtos0.on_fault must be one of "stop", "restart", not "reboot")"));
}

TEST(ConfigErrors, InvalidSizeString) {
  const Model model = load(edit(R"(memory = "16M")", R"(memory = "16G")"));
  EXPECT_TRUE(HasError(model, 10, R"(gandalf.memory has an invalid size "16G")"));
}

TEST(ConfigErrors, MissingRequiredKey) {
  const Model model = load(edit(R"(name = "rtos1"
memory = "2M")",
                                R"(name = "rtos1")"));
  EXPECT_TRUE(HasError(model, 28, "missing required key 'memory' in [[rtos]] rtos1"));
}

TEST(ConfigErrors, MissingRtosName) {
  const Model model = load(edit(R"(name = "rtos1"
)",
                                ""));
  EXPECT_TRUE(HasError(model, 28, "missing required key 'name' in [[rtos]]"));
}

TEST(ConfigErrors, MissingRequiredTable) {
  const Model model = load(edit(R"([machine]
memory = "128M")",
                                ""));
  EXPECT_TRUE(HasError(model, 1, "missing required table [machine]"));
}

TEST(ConfigErrors, LinuxTakesNoName) {
  const Model model = load(edit(R"(image = "linux")", R"(name = "penguin")"));
  EXPECT_TRUE(HasError(model, 17, "the Linux partition is always named \"linux\""));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);  // not also an unknown key
}

// ---- sizes -------------------------------------------------------------------------------

TEST(ConfigErrors, LinuxMemoryMultipleOf4MiB) {
  const Model model = load(edit(R"(memory = "96M")", R"(memory = "97M")"));
  EXPECT_TRUE(HasError(model, 16, "linux.memory (97 MiB) is not a multiple of 4 MiB"));
}

TEST(ConfigErrors, LinuxMemoryPositive) {
  const Model model = load(edit(R"(memory = "96M")", R"(memory = 0)"));
  EXPECT_TRUE(HasError(model, 16, "linux.memory must be greater than 0"));
}

TEST(ConfigErrors, LinuxMemoryWithinItsSegments) {
  const Model model = load(edit("linux_limit = 0xfbffffff", "linux_limit = 0x03ffffff"));
  EXPECT_TRUE(HasError(model, 16,
                       "linux.memory (96 MiB) exceeds the Linux segments "
                       "(layout.linux_limit + 1 = 64 MiB)"));
}

TEST(ConfigErrors, LinuxLimitEndsAPage) {
  const Model model = load(edit("linux_limit = 0xfbffffff", "linux_limit = 0xfbfff000"));
  EXPECT_TRUE(HasError(model, 5, "layout.linux_limit (0xfbfff000) must end a 4 KiB page"));
}

TEST(ConfigErrors, RtosMemoryMultipleOf4KiB) {
  const Model model = load(edit(R"(memory = "2M"
console = "com2")",
                                R"(memory = 100000
console = "com2")"));
  EXPECT_TRUE(HasError(model, 24, "rtos0.memory (100000 bytes) is not a multiple of 4 KiB"));
}

TEST(ConfigErrors, RtosMemoryAtLeast64KiB) {
  const Model model = load(edit(R"(memory = "2M"
console = "com2")",
                                R"(memory = "60K"
console = "com2")"));
  EXPECT_TRUE(HasError(model, 24, "rtos0.memory (60 KiB) is below the minimum of 64 KiB"));
}

TEST(ConfigErrors, SizesBelow4GiB) {
  const Model model = load(edit(R"(memory = "128M")", R"(memory = "4096M")"));
  EXPECT_TRUE(HasError(model, 2, "machine.memory (4096 MiB) must be below 4 GiB"));
}

TEST(ConfigErrors, RtosSlicesMustFitTheWindow) {
  const Model model = load(edit(R"(memory = "2M"
console = "com3")",
                                R"(memory = "3M"
console = "com3")"));
  EXPECT_TRUE(HasError(model, 30,
                       "rtos1 does not fit in layout.rtos_window [0xfc000000, 0xfc3fffff]: "
                       "the RTOS slices need 5 MiB, the window holds 4 MiB (1 MiB over)"));
}

TEST(ConfigErrors, GandalfMemoryMultipleOf4MiB) {
  const Model model = load(edit(R"(memory = "16M")", R"(memory = "18M")"));
  EXPECT_TRUE(HasError(model, 10, "gandalf.memory (18 MiB) is not a multiple of 4 MiB"));
}

TEST(ConfigErrors, ImageStoreLeavesRoomForGandalf) {
  const Model model = load(edit(R"(image_store = "8M")", R"(image_store = "13M")"));
  EXPECT_TRUE(HasError(model, 11,
                       "gandalf.image_store (13 MiB) leaves Gandalf no room: "
                       "image_store + 4 MiB for its code and data needs 17 MiB, "
                       "gandalf.memory is 16 MiB"));
}

// ---- crash dumps: [gandalf] dump_store, console_tail and dump_memory per partition ----------

// kBase with a dump store, rtos0's console tail and rtos1's memory copy; `store`, `tail` and
// `memory` replace their values.
std::string with_dumps(std::string_view store = R"("1M")", std::string_view tail = R"("1K")",
                       std::string_view memory = R"("64K")") {
  std::string text = edit("tick_us = 1000", "tick_us = 1000\ndump_store = " + std::string{store});
  text = edit(R"(console = "com2")", R"(console = "com2")" "\nconsole_tail = " + std::string{tail}, text);
  return edit(R"(console = "com3")", R"(console = "com3")" "\ndump_memory = " + std::string{memory}, text);
}

std::uint32_t line_of(const std::string& text, std::string_view needle) {
  const auto at = text.find(needle);
  return at == std::string::npos ? 0 : static_cast<std::uint32_t>(1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

TEST(ConfigDumps, EachPartitionGetsItsPartOfTheStore) {
  const Model model = load(with_dumps());
  ASSERT_TRUE(Clean(model));
  EXPECT_EQ(model.system.dump_store_bytes, 1u << 20);
  EXPECT_EQ(model.partitions[0].console_tail + model.partitions[0].dump_memory, 0u);
  EXPECT_EQ(model.partitions[1].console_tail, 1024u);
  EXPECT_EQ(model.partitions[1].dump_offset, 0u);
  EXPECT_EQ(model.partitions[2].dump_offset, 2048u);  // after rtos0's live ring and kept copy
  EXPECT_EQ(model.partitions[2].dump_memory, 64u << 10);
}

TEST(ConfigDumps, NoneByDefault) {
  const Model model = load(std::string{kBase});
  ASSERT_TRUE(Clean(model));
  EXPECT_EQ(model.system.dump_store_bytes, 0u);
  for (const auto& p : model.partitions) EXPECT_EQ(p.console_tail + p.dump_memory, 0u);
}

TEST(ConfigDumps, StoreOverflowNamesThePartition) {
  const std::string text = with_dumps(R"("4K")");
  EXPECT_TRUE(HasError(load(text), line_of(text, "dump_memory"),
                       "rtos1's console_tail and dump_memory overflow gandalf.dump_store: the partitions up to it "
                       "need 66 KiB"));
}

TEST(ConfigDumps, ConsoleTailIsAPowerOfTwo) {
  const std::string text = with_dumps(R"("1M")", "1000");
  EXPECT_TRUE(HasError(load(text), line_of(text, "console_tail"),
                       "rtos0.console_tail (1000) must be a power of two in 256..64K"));
}

TEST(ConfigDumps, MemoryCopyWithinThePartition) {
  const std::string big = with_dumps(R"("4M")", R"("1K")", R"("3M")");
  EXPECT_TRUE(HasError(load(big), line_of(big, "dump_memory"), "rtos1.dump_memory (3 MiB) exceeds its memory (2 MiB)"));
  const std::string odd = with_dumps(R"("1M")", R"("1K")", "1000");
  EXPECT_TRUE(HasError(load(odd), line_of(odd, "dump_memory"), "rtos1.dump_memory (1000 bytes) must be a multiple of 4 KiB"));
}

TEST(ConfigDumps, StoreLeavesRoomForGandalf) {
  const std::string text = with_dumps(R"("8M")");
  EXPECT_TRUE(HasError(load(text), 11,
                       "gandalf.image_store (8 MiB) and dump_store (8 MiB) leave Gandalf no room: "
                       "image_store + dump_store + 4 MiB for its code and data need 20 MiB, gandalf.memory is 16 MiB"));
}

TEST(ConfigErrors, OverCommitReportsNeededAndAvailable) {
  const Model model = load(edit(R"(memory = "128M")", R"(memory = "100M")"));
  EXPECT_TRUE(HasError(model, 2, "machine.memory (100 MiB) is too small"));
  EXPECT_TRUE(HasError(model, 2, "the system needs 116 MiB, 16 MiB more than available"));
}

TEST(ConfigErrors, TickRange) {
  const Model model = load(edit(R"(tick_us = 1000)", R"(tick_us = 60000)"));
  EXPECT_TRUE(HasError(model, 13, "gandalf.tick_us (60000) must be in 100..50000"));
}

// ---- the virtual layout ------------------------------------------------------------------

TEST(ConfigErrors, WindowAlignment) {
  const Model model = load(edit("[0xfc000000, 0xfc3fffff]", "[0xfc000800, 0xfc3ff7ff]"));
  EXPECT_TRUE(HasError(model, 6, "layout.rtos_window starts at 0xfc000800, not 4 MiB aligned"));
  EXPECT_TRUE(
      HasError(model, 6, "layout.rtos_window ends at 0xfc3ff7ff, which does not end a 4 KiB page"));
}

TEST(ConfigErrors, WindowOverlapsLinux) {
  const Model model = load(edit("[0xfc000000, 0xfc3fffff]", "[0xfb000000, 0xfc3fffff]"));
  EXPECT_TRUE(HasError(model, 6,
                       "layout.rtos_window [0xfb000000, 0xfc3fffff] overlaps the Linux "
                       "segments [0, 0xfbffffff]"));
}

TEST(ConfigErrors, WindowOverlapsGandalf) {
  const Model model = load(edit("[0xfc000000, 0xfc3fffff]", "[0xfc000000, 0xfc7fffff]"));
  EXPECT_TRUE(HasError(model, 6, "overlaps Gandalf's range [0xfc400000, 0xffffffff]"));
}

TEST(ConfigErrors, WindowInside4GiBAndOrdered) {
  const Model outside = load(edit("[0xfc000000, 0xfc3fffff]", "[0xfc000000, 0x1ffffffff]"));
  EXPECT_TRUE(HasError(outside, 6, "is outside the 4 GiB address space"));
  const Model reversed = load(edit("[0xfc000000, 0xfc3fffff]", "[0xfc3fffff, 0xfc000000]"));
  EXPECT_TRUE(HasError(reversed, 6, "ends before it starts"));
}

TEST(ConfigErrors, GandalfVirtAligned) {
  const Model model = load(edit("gandalf_virt = 0xfc400000", "gandalf_virt = 0xfc500000"));
  EXPECT_TRUE(HasError(model, 7, "layout.gandalf_virt (0xfc500000) is not 4 MiB aligned"));
}

// ---- consoles, names, ports, IRQs --------------------------------------------------------

TEST(ConfigErrors, ConsoleNames) {
  const Model model = load(edit(R"(console = "com3")", R"(console = "com5")"));
  EXPECT_TRUE(HasError(
      model, 31, R"(rtos1.console must be one of "com1", "com2", "com3", "com4", not "com5")"));
}

TEST(ConfigErrors, ConsoleUsedTwiceNamesBoth) {
  const Model model = load(edit(R"(console = "com3")", R"(console = "com2")"));
  EXPECT_TRUE(
      HasError(model, 31, "console com2 of rtos1 is already used by rtos0 (test.toml:25:11)"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);  // not also as a port conflict
}

TEST(ConfigErrors, ConsoleOfGandalf) {
  const Model model = load(edit(R"(console = "com3")", R"(console = "com4")"));
  EXPECT_TRUE(
      HasError(model, 31, "console com4 of rtos1 is already Gandalf's console (test.toml:12:11)"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigErrors, PartitionNames) {
  const Model model = load(edit(R"(name = "rtos1")", R"(name = "RTOS-1")"));
  EXPECT_TRUE(
      HasError(model, 29, R"(partition name "RTOS-1" must be 1..15 characters of [a-z0-9_-])"));
  const Model too_long = load(edit(R"(name = "rtos1")", R"(name = "a_very_long_name_")"));
  EXPECT_TRUE(HasError(too_long, 29, "must be 1..15 characters"));
}

TEST(ConfigErrors, NamesUnique) {
  const Model model = load(edit(R"(name = "rtos1")", R"(name = "rtos0")"));
  EXPECT_TRUE(HasError(model, 29, R"(partition name "rtos0" is already used (test.toml:23:8))"));
  const Model as_linux = load(edit(R"(name = "rtos1")", R"(name = "linux")"));
  EXPECT_TRUE(HasError(as_linux, 29, R"(partition name "linux" is already used (test.toml:15:1))"));
}

TEST(ConfigErrors, ImagesUnique) {
  const Model model = load(edit(R"(name = "rtos1")", R"(name = "rtos1"
image = "linux")"));
  EXPECT_TRUE(
      HasError(model, 30, R"(image "linux" of rtos1 is already used by linux (test.toml:17:9))"));
}

TEST(ConfigErrors, PortRangeShape) {
  const Model model = load(edit(R"(irqs = [3])", R"(irqs = [3]
io_ports = [[0x310, 0x300], [0xfff0, 0x10000]])"));
  EXPECT_TRUE(HasError(model, 27, "rtos0.io_ports [0x310, 0x300] ends before it starts"));
  EXPECT_TRUE(HasError(model, 27, "rtos0.io_ports [0xfff0, 0x10000] is outside 0..0xffff"));
}

TEST(ConfigErrors, PortOwnedTwiceNamesBoth) {
  const Model model = load(edit(R"(irqs = [5])", R"(irqs = [5]
io_ports = [[0x3e8, 0x3ef], [0x2fc, 0x2fc]])"));
  EXPECT_TRUE(HasError(model, 33,
                       "ports 0x2fc of rtos1 are already owned by rtos0 "
                       "(0x2f8-0x2ff at test.toml:25:11)"));
}

TEST(ConfigErrors, GandalfPortsCannotBeGiven) {
  const Model model = load(edit(R"(irqs = [4])", R"(irqs = [4]
io_ports = [[0x3f8, 0x3ff], [0x20, 0x21], [0xa0, 0xa1], [0x40, 0x43], [0x61, 0x61], [0x2e8, 0x2ef]])"));
  EXPECT_TRUE(HasError(model, 20,
                       "linux.io_ports 0x20-0x21 include 0x20-0x21, owned by Gandalf "
                       "(the master 8259 PIC)"));
  EXPECT_TRUE(HasError(model, 20, "(the slave 8259 PIC)"));
  EXPECT_TRUE(HasError(model, 20, "(the 8254 PIT)"));
  EXPECT_TRUE(HasError(model, 20, "linux.io_ports 0x61 include 0x61"));
  EXPECT_TRUE(HasError(model, 20, "owned by Gandalf (Gandalf's console com4)"));
  EXPECT_EQ(model.diagnostics.error_count(), 5u);
}

TEST(ConfigErrors, PlatformPortsCannotBeGiven) {
  const Model model = load(edit(R"(irqs = [4])", R"(irqs = [4]
io_ports = [[0x3f8, 0x3ff], [0x08, 0x08], [0x64, 0x64], [0x70, 0x70], [0x92, 0x92], [0xd0, 0xd0], [0xcf9, 0xcf9], [0x4d0, 0x4d1]])"));
  EXPECT_TRUE(HasError(model, 20, "linux.io_ports 0x8 include 0x0-0xf, which no partition may own "
                                  "(the ISA DMA controller 1: DMA into any physical frame)"));
  EXPECT_TRUE(HasError(model, 20, "linux.io_ports 0x64 include 0x64, which no partition may own"));
  EXPECT_TRUE(HasError(model, 20, "(the RTC/CMOS index with the NMI mask bit)"));
  EXPECT_TRUE(HasError(model, 20, "(system control port A: fast reset and A20)"));
  EXPECT_TRUE(HasError(model, 20, "(the ISA DMA controller 2: DMA into any physical frame)"));
  EXPECT_TRUE(HasError(model, 20, "PCI configuration space (and reset control 0xcf9)"));
  EXPECT_TRUE(HasError(model, 20, "(the 8259 edge/level control registers (ELCR))"));
  EXPECT_EQ(model.diagnostics.error_count(), 7u);
}

TEST(ConfigErrors, AtMostEightPortRanges) {
  const Model model = load(edit(R"(irqs = [4])", R"(irqs = [4]
io_ports = [[0x300, 0x300], [0x301, 0x301], [0x302, 0x302], [0x303, 0x303], [0x304, 0x304],
            [0x305, 0x305], [0x306, 0x306], [0x307, 0x307], [0x308, 0x308]])"));
  EXPECT_TRUE(HasError(model, 20, "linux.io_ports has 9 ranges; at most 8"));
}

TEST(ConfigErrors, IrqRangeAndReserved) {
  const Model model = load(edit(R"(irqs = [4])", R"(irqs = [4, 0, 2, 16])"));
  EXPECT_TRUE(HasError(model, 19, "linux.irqs: IRQ 0 is reserved (the 8254 timer is Gandalf's)"));
  EXPECT_TRUE(
      HasError(model, 19, "linux.irqs: IRQ 2 is reserved (the cascade from the slave 8259)"));
  EXPECT_TRUE(HasError(model, 19, "linux.irqs: IRQ 16 is outside 0..15"));
}

TEST(ConfigErrors, IrqOwnedTwiceNamesBoth) {
  const Model model = load(edit(R"(irqs = [5])", R"(irqs = [5, 3])"));
  EXPECT_TRUE(HasError(model, 32, "IRQ 3 of rtos1 is already routed to rtos0 (test.toml:26:9)"));
}

TEST(ConfigErrors, IrqListedTwice) {
  const Model model = load(edit(R"(irqs = [5])", R"(irqs = [5, 5])"));
  EXPECT_TRUE(HasError(model, 32, "rtos1.irqs lists IRQ 5 twice (also at test.toml:32:9)"));
}

// ---- the platform's IRQ wiring (issue #10 item 3) ----------------------------------------

constexpr std::string_view kIssueCase =
    R"(com3 (0x3e8-0x3ef) of rtos1 interrupts on IRQ 4 (platform "pc"), which is routed to )"
    R"(linux (test.toml:19:9) for its com1: rtos1 could raise linux's interrupts)";

TEST(ConfigWiring, PcWiringIsTheDefault) {
  // The issue's case: rtos1 owns COM3, which the PC wires to IRQ 4, Linux's line.
  const Model model = load(pc());
  EXPECT_TRUE(HasError(model, 31, kIssueCase));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
  EXPECT_EQ(model.spec.platform.name.value, "pc");
  ASSERT_EQ(model.spec.platform.devices.value.size(), 4u);
  EXPECT_EQ(model.spec.platform.devices.value[2].irq, 4);
  EXPECT_EQ(model.spec.platform.devices.value[3].irq, 3);
}

TEST(ConfigWiring, OwningTheDeviceIsEnoughWithoutItsLine) {
  // rtos1 polls its console: it still can make COM3 interrupt (OUT2, IER), on Linux's line.
  const Model model = load(edit(R"(irqs = [5])", R"(irqs = [])", pc()));
  EXPECT_TRUE(HasError(model, 31, kIssueCase));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigWiring, IoPortsReachingADeviceOwnIt) {
  const Model model = load(edit(R"(console = "com3")", R"(io_ports = [[0x3e9, 0x3e9]])", pc()));
  EXPECT_TRUE(HasError(model, 31,
                       R"(com3 (0x3e8-0x3ef) of rtos1 interrupts on IRQ 4 (platform "pc"), which )"
                       R"(is routed to linux (test.toml:19:9) for its com1)"));
}

TEST(ConfigWiring, SharedLineRoutedToTheOtherPartition) {
  const Model model =
      load(edit(R"(irqs = [5])", R"(irqs = [4])", edit(R"(irqs = [4])", R"(irqs = [])", pc())));
  EXPECT_TRUE(HasError(model, 18,
                       R"(com1 (0x3f8-0x3ff) of linux interrupts on IRQ 4 (platform "pc"), which )"
                       R"(is routed to rtos1 (test.toml:32:9) for its com3: linux could raise )"
                       R"(rtos1's interrupts)"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigWiring, SharedLineOfNobodyIsMaskedAndFine) {
  // IRQ 4 belongs to nobody: it stays masked, COM1 and COM3 are polled. IRQ 3 is rtos0's,
  // shared with Gandalf's COM4, whose interrupts Gandalf never enables.
  const Model model = load(edit(R"(irqs = [4])", R"(irqs = [])", pc()));
  ASSERT_TRUE(Clean(model));
  EXPECT_EQ(model.partitions[0].console_irq, no_irq);
  EXPECT_EQ(model.partitions[1].console_irq, 3);
  EXPECT_EQ(model.partitions[2].console_irq, no_irq);  // IRQ 5 is not COM3's line on a PC
  EXPECT_EQ(model.partitions[2].irq_mask, 1u << 5);
  const std::string report = render_report(model);
  EXPECT_NE(report.find("wiring (pc): com1 0x3f8-0x3ff on IRQ 4: device linux, line nobody's "
                        "(masked)\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("wiring (pc): com4 0x2e8-0x2ef on IRQ 3: device gandalf, line rtos0\n"),
            std::string::npos)
      << report;
}

TEST(ConfigWiring, LineWhoseDeviceIsAnotherPartitions) {
  const Model model =
      load(edit(R"(irqs = [5])", R"(irqs = [4])", edit(R"(irqs = [4])", R"(irqs = [])")));
  EXPECT_TRUE(HasError(model, 32,
                       R"(IRQ 4 of rtos1 is the line of com1 (0x3f8-0x3ff, platform "qemu"), )"
                       R"(owned by linux (test.toml:18:11); rtos1 owns no device on it)"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigWiring, LineOfGandalfsConsole) {
  const Model model = load(edit(R"(irqs = [3])", R"(irqs = [3, 7])"));
  EXPECT_TRUE(HasError(model, 26,
                       R"(IRQ 7 of rtos0 is the line of com4 (0x2e8-0x2ef, platform "qemu"), )"
                       R"(Gandalf's console (test.toml:12:11); rtos0 owns no device on it)"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigWiring, LinesWithoutOwnedDevicesAreFine) {
  // IRQ 9: no device of the platform; IRQ 6: a device nobody can program.
  const std::string com4 = "  {name = \"com4\", ports = [0x2e8, 0x2ef], irq = 7},\n";
  const Model model =
      load(edit(R"(irqs = [3])", R"(irqs = [3, 9, 6])",
                edit(com4, com4 + "  {name = \"fdc\", ports = [0x3f0, 0x3f5], irq = 6},\n")));
  EXPECT_TRUE(Clean(model));
}

TEST(ConfigWiring, DeviceSplitBetweenPartitions) {
  const Model model = load(edit(R"(irqs = [3])", R"(irqs = [3]
io_ports = [[0x2f8, 0x2ff], [0x3fc, 0x3ff]])",
                                edit(R"(console = "com1")", R"(console = "com1"
io_ports = [[0x3f8, 0x3fb]])")));
  EXPECT_TRUE(HasError(model, 28,
                       "ports 0x3fc-0x3ff of rtos0 are part of com1 (0x3f8-0x3ff), whose ports "
                       "0x3f8-0x3fb are linux's (test.toml:19:13): a device belongs to one "
                       "partition"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigWiring, ConsoleMustBeADeviceOfThePlatform) {
  const Model model = load(edit("  {name = \"com3\", ports = [0x3e8, 0x3ef], irq = 5},\n", ""));
  EXPECT_TRUE(HasError(model, 31,
                       R"(console com3 of rtos1 is not a device of platform "qemu": declare it )"
                       R"(in platform.devices with the IRQ line it is wired to)"));
  const Model gandalf = load(edit("  {name = \"com4\", ports = [0x2e8, 0x2ef], irq = 7},\n", ""));
  EXPECT_TRUE(HasError(gandalf, 12, R"(console com4 of Gandalf is not a device of platform)"));
}

TEST(ConfigPlatform, NameAndDevicesGoTogether) {
  const Model named_pc = load(edit(R"(name = "qemu")", R"(name = "pc")"));
  EXPECT_TRUE(HasError(named_pc, 36,
                       R"(platform.devices declares a wiring of its own: name it (platform.name )"
                       R"(other than "pc", the built-in PC/AT wiring))"));
  const Model unnamed = load(edit("name = \"qemu\"\n", ""));
  EXPECT_TRUE(HasError(unnamed, 35, "platform.devices declares a wiring of its own"));
  const Model no_devices = load(pc() + "[platform]\nname = \"bochs\"\n");
  EXPECT_TRUE(
      HasError(no_devices, 35,
               R"(platform "bochs" needs devices = [...]: only "pc" has a built-in wiring)"));
  const Model bad_name = load(edit(R"(name = "qemu")", R"(name = "Q EMU")"));
  EXPECT_TRUE(HasError(bad_name, 35, R"(platform.name "Q EMU" must be 1..15 characters)"));
  const Model explicit_pc =
      load(edit(R"(irqs = [4])", R"(irqs = [])", pc()) + "[platform]\nname = \"pc\"\n");
  EXPECT_TRUE(Clean(explicit_pc));
  const Model unknown = load(edit(R"(name = "qemu")", "name = \"qemu\"\nwiring = \"pc\""));
  EXPECT_TRUE(HasError(unknown, 36, "unknown key 'wiring' in [platform]"));
}

TEST(ConfigPlatform, DeviceEntries) {
  const std::string com3 = "{name = \"com3\", ports = [0x3e8, 0x3ef], irq = 5}";
  const auto with_com3 = [&](std::string_view entry) { return load(edit(com3, entry)); };
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3e8, 0x3ef], irq = 2})"), 39,
                       "platform device com3: IRQ 2 is the cascade from the slave 8259"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3e8, 0x3ef], irq = 0})"), 39,
                       "platform device com3: IRQ 0 is the 8254 timer's"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3e8, 0x3ef], irq = 16})"), 39,
                       "platform device com3: IRQ 16 is outside 0..15"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3e0, 0x3e7], irq = 5})"), 39,
                       R"(platform device com3 must be at 0x3e8-0x3ef (the PC's com3 ports, which )"
                       R"(console = "com3" means), not 0x3e0-0x3e7)"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com2", ports = [0x3e8, 0x3ef], irq = 5})"), 39,
                       "platform device com2 must be at 0x2f8-0x2ff"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "COM 3", ports = [0x3e8, 0x3ef], irq = 5})"), 39,
                       R"(platform device name "COM 3" must be 1..15 characters of [a-z0-9_-])"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3ef, 0x3e8], irq = 5})"), 39,
                       "platform device com3: ports [0x3ef, 0x3e8] end before they start"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", irq = 5})"), 39,
                       "missing required key 'ports' in platform.devices[2]"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = 0x3e8, irq = 5})"), 39,
                       "platform.devices[2].ports must be a [first, last] pair of integers, not an "
                       "integer"));
  EXPECT_TRUE(HasError(with_com3(R"({name = "com3", ports = [0x3e8, 0x3ef], irq = 5, dma = 1})"),
                       39, "unknown key 'dma' in platform.devices[2]"));
  EXPECT_TRUE(HasError(with_com3("3"), 39,
                       R"(each entry of platform.devices must be a table like {name = "com1", )"
                       R"(ports = [0x3f8, 0x3ff], irq = 4}, not an integer)"));
  const Model twice = with_com3(com3 + ",\n  " + com3);
  EXPECT_TRUE(
      HasError(twice, 40, R"(platform device "com3" is already declared (test.toml:39:3))"));
  const Model overlap = with_com3(com3 + ",\n  {name = \"ne2k\", ports = [0x2f0, 0x2ff], irq = 9}");
  EXPECT_TRUE(HasError(overlap, 40,
                       "platform device ne2k: ports 0x2f0-0x2ff overlap com2's 0x2f8-0x2ff "
                       "(test.toml:38:3)"));
  EXPECT_TRUE(HasError(load(pc() + "[platform]\nname = \"x\"\ndevices = 3\n"), 36,
                       "platform.devices must be an array, not an integer"));
}

// ---- policies and limits -----------------------------------------------------------------

TEST(ConfigErrors, WakeOnHaltNamesAnotherPartition) {
  const Model unknown = load(edit(R"(irqs = [5])", R"(irqs = [5]
wake_on_halt = "rtos9")"));
  EXPECT_TRUE(HasError(unknown, 33, R"(rtos1.wake_on_halt "rtos9" names no partition)"));
  const Model self = load(edit(R"(irqs = [5])", R"(irqs = [5]
wake_on_halt = "rtos1")"));
  EXPECT_TRUE(HasError(self, 33, "rtos1.wake_on_halt names the partition itself"));
}

TEST(ConfigErrors, MaxRestartsRangeAndWarning) {
  const Model range = load(edit(R"(on_fault = "restart")", R"(on_fault = "restart"
max_restarts = 256)"));
  EXPECT_TRUE(HasError(range, 21, "linux.max_restarts (256) must be in 0..255"));
  const Model forever = load(edit(R"(on_fault = "restart")", R"(on_fault = "restart"
max_restarts = 0)"));
  EXPECT_TRUE(HasError(forever, 21, "linux.max_restarts = 0 with on_fault = \"restart\" would never "
                                    "restart; give 1..255 or \"unlimited\", or on_fault = \"stop\""));
  const Model warned = load(edit(R"(irqs = [3])", R"(irqs = [3]
max_restarts = 5)"));
  EXPECT_TRUE(warned.ok());
  EXPECT_TRUE(HasError(warned, 27,
                       R"(rtos0.max_restarts has no effect unless on_fault or on_budget = "restart")",
                       Severity::warning));
}

// max_restarts = "unlimited": no bound (generated as 0, which Gandalf reads so: fault.cpp).
TEST(ConfigErrors, MaxRestartsUnlimited) {
  const Model unlimited = load(edit(R"(on_fault = "restart")", R"(on_fault = "restart"
max_restarts = "unlimited")"));
  ASSERT_TRUE(unlimited.ok()) << unlimited.diagnostics.render();
  EXPECT_EQ(unlimited.partitions[0].max_restarts, 0);
  const Model word = load(edit(R"(on_fault = "restart")", R"(on_fault = "restart"
max_restarts = "forever")"));
  EXPECT_TRUE(HasError(word, 21, R"(linux.max_restarts must be an integer or "unlimited", not a string)"));
}

// CPU budgets (docs/budgets.md): both keys, whole ticks, less than the period.
TEST(ConfigBudget, GeneratedInPitTicksAndTimerTicks) {
  const Model model = load(edit("irqs = [3]", R"(irqs = [3]
budget_us = 3000
period_us = 10000
on_budget = "restart")"));
  ASSERT_TRUE(Clean(model));
  const config::Partition& p = model.partitions[1];
  EXPECT_EQ(p.budget_us, 3000u);
  EXPECT_EQ(p.budget_pit, 3580u);  // 3 ms of 1.193182 MHz, rounded
  EXPECT_EQ(p.period_ticks, 10u);
  EXPECT_EQ(p.on_budget, config::OnBudget::restart);
  EXPECT_EQ(model.partitions[2].period_ticks, 0u);  // rtos1: none
  EXPECT_EQ(model.partitions[2].budget_pit, 0u);
  EXPECT_NE(emit_header(model).find(".budget_pit = 3580, .budget_us = 3000, .period_ticks = 10, .on_budget = "
                                    "config::OnBudget::restart"),
            std::string::npos);
  EXPECT_NE(render_report(model).find("CPU budgets: rtos0: 3000 us per 10000 us, then restarted"), std::string::npos);
}

TEST(ConfigBudget, BadBudgetsAreRefusedAtTheirLine) {
  const Model alone = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 3000"));
  EXPECT_TRUE(HasError(alone, 27, "rtos0.budget_us needs period_us too: a budget is CPU time per period"));
  const Model period_alone = load(edit("irqs = [3]", "irqs = [3]\nperiod_us = 3000"));
  EXPECT_TRUE(HasError(period_alone, 27, "rtos0.period_us needs budget_us too"));
  const Model odd = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 3000\nperiod_us = 10500"));
  EXPECT_TRUE(HasError(odd, 28, "rtos0.period_us (10500) must be a multiple of gandalf.tick_us (1000) from two "
                                "ticks to 10 s"));
  const Model one_tick = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 500\nperiod_us = 1000"));
  EXPECT_TRUE(HasError(one_tick, 28, "rtos0.period_us (1000) must be a multiple"));
  const Model whole = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 10000\nperiod_us = 10000"));
  EXPECT_TRUE(HasError(whole, 27, "rtos0.budget_us (10000) must be at least one tick (1000 us) and less than "
                                  "period_us (10000)"));
  const Model tiny = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 999\nperiod_us = 10000"));
  EXPECT_TRUE(HasError(tiny, 27, "rtos0.budget_us (999) must be at least one tick"));
  const Model reaction = load(edit("irqs = [3]", "irqs = [3]\non_budget = \"stop\""));
  EXPECT_TRUE(HasError(reaction, 27, "rtos0.on_budget needs a budget: give budget_us and period_us"));
  const Model word = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = 2000\nperiod_us = 4000\non_budget = \"pause\""));
  EXPECT_FALSE(word.ok());
  const Model typed = load(edit("irqs = [3]", "irqs = [3]\nbudget_us = \"2ms\"\nperiod_us = 4000"));
  EXPECT_TRUE(HasError(typed, 27, "rtos0.budget_us must be an integer, not a string"));
}

// max_restarts bounds a budget's restarts too: no warning then.
TEST(ConfigBudget, MaxRestartsCountsForOnBudgetRestart) {
  const Model model = load(edit("irqs = [3]", "irqs = [3]\nmax_restarts = 5\nbudget_us = 2000\nperiod_us = 4000\n"
                                              "on_budget = \"restart\""));
  EXPECT_TRUE(Clean(model));
  EXPECT_EQ(model.partitions[1].max_restarts, 5);
}

TEST(ConfigErrors, AtMostSevenPartitions) {
  std::string text{kBase};
  for (int i = 2; i < 7; ++i)
    text += fmt::format("[[rtos]]\nname = \"extra{}\"\nmemory = \"64K\"\n", i);
  const Model model = load(text);
  // Lines 42.. hold the extra tables, three lines each; the seventh [[rtos]] is the fifth extra.
  EXPECT_TRUE(HasError(model, 42 + 4 * 3, "too many [[rtos]] tables: at most 6"));
}

TEST(ConfigErrors, ArgsLengthAndCharacters) {
  // A para-virtualized guest reads its args from its boot information (GANDALF_ARGS_MAX).
  const Model long_args =
      load(edit(R"(irqs = [3])", "irqs = [3]\nargs = \"" + std::string(128, 'x') + "\""));
  EXPECT_TRUE(HasError(long_args, 27,
                       "rtos0.args is 128 bytes long; at most 127 fit (the limit of a "
                       "para-virtualized guest's boot information)"));
  EXPECT_TRUE(
      Clean(load(edit(R"(irqs = [3])", "irqs = [3]\nargs = \"" + std::string(127, 'x') + "\""))));
  const Model tab = load(edit(R"(irqs = [3])", R"(irqs = [3]
args = "a\tb")"));
  EXPECT_TRUE(HasError(tab, 27, "rtos0.args may only hold printable ASCII characters"));
}

TEST(ConfigErrors, SeveralErrorsAreAllReported) {
  const Model model =
      load(edit(R"(tick_us = 1000)", R"(tick_us = 1)", edit(R"(irqs = [5])", R"(irqs = [0])")));
  EXPECT_TRUE(HasError(model, 13, "tick_us"));
  EXPECT_TRUE(HasError(model, 32, "IRQ 0 is reserved"));
  EXPECT_EQ(model.diagnostics.error_count(), 2u);
}

// ---- the Linux kernel: [linux] with virtualization = "full" -------------------------------

// kBase's [linux] as a Linux kernel: `lines` (each ending in \n) after its image line (17).
std::string kernel(std::string_view lines) {
  return edit("image = \"linux\"\n", "image = \"linux\"\n" + std::string{lines});
}

TEST(ConfigLinux, KernelWithInitrd) {
  const Model model = load(kernel("virtualization = \"full\"\ninitrd = \"initrd\"\n"));
  ASSERT_TRUE(Clean(model));
  const config::Partition& linux_slot = model.partitions.at(0);
  EXPECT_EQ(linux_slot.virt, config::Virtualization::full);
  EXPECT_STREQ(linux_slot.image, "linux");
  EXPECT_STREQ(linux_slot.initrd, "initrd");
  EXPECT_STREQ(model.partitions.at(1).initrd, "");
}

TEST(ConfigLinux, InitrdIsOptional) {
  const Model kernel_alone = load(kernel("virtualization = \"full\"\n"));
  ASSERT_TRUE(Clean(kernel_alone));
  EXPECT_EQ(kernel_alone.partitions.at(0).virt, config::Virtualization::full);
  EXPECT_STREQ(kernel_alone.partitions.at(0).initrd, "");
  EXPECT_STREQ(load(std::string{kBase}).partitions.at(0).initrd, "");  // the default: none
}

TEST(ConfigLinux, InitrdRequiresFullVirtualization) {
  const Model defaulted = load(kernel("initrd = \"initrd\"\n"));
  EXPECT_TRUE(HasError(defaulted, 18,
                       R"(linux.initrd requires virtualization = "full" (only a Linux kernel )"
                       R"(unpacks an initramfs); linux.virtualization defaults to "para")"));
  EXPECT_EQ(defaulted.diagnostics.error_count(), 1u);
  const Model para = load(kernel("virtualization = \"para\"\ninitrd = \"initrd\"\n"));
  EXPECT_TRUE(
      HasError(para, 19,
               R"(linux.initrd requires virtualization = "full" (only a Linux kernel )"
               R"(unpacks an initramfs); linux.virtualization is "para" (test.toml:18:18))"));
  EXPECT_EQ(para.diagnostics.error_count(), 1u);
}

TEST(ConfigLinux, InitrdOnlyInLinux) {
  const Model model = load(edit(R"(irqs = [3])", "irqs = [3]\ninitrd = \"initrd\""));
  EXPECT_TRUE(HasError(model, 27,
                       "[[rtos]] rtos0 takes no 'initrd': only [linux] boots a kernel with an "
                       "initramfs"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);  // not also an unknown key
}

TEST(ConfigLinux, FullVirtualizationOnlyForLinux) {
  const Model model = load(edit(R"(irqs = [5])", "irqs = [5]\nvirtualization = \"full\""));
  EXPECT_TRUE(HasError(model, 33,
                       R"(rtos1.virtualization = "full" is only for [linux] (a Linux kernel); )"
                       R"(an RTOS partition is "para")"));
  EXPECT_EQ(model.diagnostics.error_count(), 1u);
}

TEST(ConfigLinux, InitrdNameRules) {
  const Model bad = load(kernel("virtualization = \"full\"\ninitrd = \"Init RD\"\n"));
  EXPECT_TRUE(
      HasError(bad, 19, R"(linux.initrd "Init RD" must be 1..15 characters of [a-z0-9_-])"));
  const Model empty = load(kernel("virtualization = \"full\"\ninitrd = \"\"\n"));
  EXPECT_TRUE(HasError(empty, 19, R"(linux.initrd "" must be 1..15 characters of [a-z0-9_-])"));
  const Model long_name =
      load(kernel("virtualization = \"full\"\ninitrd = \"" + std::string(16, 'i') + "\"\n"));
  EXPECT_TRUE(HasError(long_name, 19, "must be 1..15 characters of [a-z0-9_-]"));
  const Model typed = load(kernel("virtualization = \"full\"\ninitrd = 1\n"));
  EXPECT_TRUE(HasError(typed, 19, "linux.initrd must be a string, not an integer"));
}

TEST(ConfigLinux, InitrdDiffersFromEveryImage) {
  // Gandalf finds a module by the word after its path: two modules of one name are one too many.
  const Model own = load(kernel("virtualization = \"full\"\ninitrd = \"linux\"\n"));
  EXPECT_TRUE(HasError(
      own, 19, R"(initrd "linux" of linux is already the image of linux (test.toml:17:9))"));
  EXPECT_EQ(own.diagnostics.error_count(), 1u);
  // rtos0's image is defaulted to its name: cited at its table.
  const Model rtos0 = load(kernel("virtualization = \"full\"\ninitrd = \"rtos0\"\n"));
  EXPECT_TRUE(HasError(
      rtos0, 19, R"(initrd "rtos0" of linux is already the image of rtos0 (test.toml:24:1))"));
  EXPECT_EQ(rtos0.diagnostics.error_count(), 1u);
  const Model written = load(edit(R"(name = "rtos1")", "name = \"rtos1\"\nimage = \"ramdisk\"",
                                  kernel("virtualization = \"full\"\ninitrd = \"ramdisk\"\n")));
  EXPECT_TRUE(HasError(
      written, 19, R"(initrd "ramdisk" of linux is already the image of rtos1 (test.toml:32:9))"));
}

TEST(ConfigLinux, KernelCommandLineUpTo255Bytes) {
  const auto with_args = [](std::size_t length) {
    return load(kernel("virtualization = \"full\"\nargs = \"" + std::string(length, 'x') + "\"\n"));
  };
  EXPECT_TRUE(Clean(with_args(128)));  // beyond a para-virtualized guest's limit
  const Model longest = with_args(255);
  ASSERT_TRUE(Clean(longest));
  EXPECT_EQ(std::string(longest.partitions.at(0).args), std::string(255, 'x'));
  const Model too_long = with_args(256);
  EXPECT_TRUE(HasError(too_long, 19,
                       "linux.args is 256 bytes long; at most 255 fit (the limit of a kernel "
                       "command line in the partition table)"));
  EXPECT_EQ(too_long.diagnostics.error_count(), 1u);
  // Without "full", [linux] is a para-virtualized guest like the others.
  const Model para = load(kernel("args = \"" + std::string(128, 'x') + "\"\n"));
  EXPECT_TRUE(HasError(para, 18, "linux.args is 128 bytes long; at most 127 fit"));
}

TEST(ConfigLinux, Generated) {
  const Model model =
      load(kernel("virtualization = \"full\"\ninitrd = \"initrd\"\nargs = \"console=ttyS0\"\n"));
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  const std::string header = emit_header(model);
  EXPECT_NE(header.find(".name = \"linux\",\n        .image = \"linux\",\n"
                        "        .initrd = \"initrd\",\n        .kind = config::Kind::linux_slot,\n"
                        "        .virt = config::Virtualization::full,\n"),
            std::string::npos)
      << header;
  EXPECT_NE(header.find(".image = \"rtos0\",\n        .initrd = \"\",\n"), std::string::npos);
  EXPECT_NE(header.find(".args = \"console=ttyS0\","), std::string::npos);
  std::string error;
  const auto args = parse_module_args(model, {"linux=quiet"}, error);
  ASSERT_TRUE(args) << error;
  // The initramfs right after the kernel, found (like every module) by the word after its path.
  const std::string grub = emit_grub_cfg(model, *args);
  EXPECT_NE(grub.find("  multiboot /boot/gandalf.elf\n"
                      "  module /boot/linux.img linux quiet\n"
                      "  module /boot/initrd.img initrd\n"
                      "  module /boot/rtos0.img rtos0\n"
                      "  module /boot/rtos1.img rtos1\n"
                      "  boot\n}\n"),
            std::string::npos)
      << grub;
  const std::string json = emit_system_json(model, {});
  EXPECT_NE(json.find(R"({"index": 0, "name": "linux", "image": "linux", "initrd": "initrd", )"
                      R"("kind": "linux", "virtualization": "full",)"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"({"index": 1, "name": "rtos0", "image": "rtos0", "initrd": "", )"
                      R"("kind": "rtos", "virtualization": "para",)"),
            std::string::npos);
  EXPECT_NE(json.find(R"("args": "console=ttyS0", "module_args": "")"), std::string::npos);
  // The initramfs is no partition: module arguments cannot name it.
  EXPECT_FALSE(parse_module_args(model, {"initrd=x"}, error));
}

// ---- the proof, from hand-made tables ----------------------------------------------------

TEST(ConfigProof, DetectsOverlapsTheChecksWouldHaveStopped) {
  const Model model = load(std::string{kBase});
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  std::vector<config::Partition> broken = model.partitions;
  broken[2].virt_base = 0xfc100000;  // (b): intersects rtos0's segment
  broken[2].seg_limit = 0x003fffff;  // (a): reaches 0xfc4fffff, inside Gandalf's range
  broken[1].phys_base = 0x05f00000;  // (c) and (d): inside Linux's memory
  const Proof proof = prove_isolation(model.system, broken);
  ASSERT_EQ(proof.items.size(), 5u);
  EXPECT_FALSE(proof.items[0].holds);
  EXPECT_FALSE(proof.items[1].holds);
  EXPECT_FALSE(proof.items[2].holds);
  EXPECT_FALSE(proof.items[3].holds);
  EXPECT_TRUE(proof.items[4].holds);
  ASSERT_FALSE(proof.failures.empty());
  EXPECT_NE(proof.failures[0].message.find("proof (a) fails: the segment of rtos1"),
            std::string::npos);
}

TEST(ConfigProof, GandalfOutsideRam) {
  const Model model = load(std::string{kBase});
  config::System system = model.system;
  system.ram_bytes = 64u << 20;
  const Proof proof = prove_isolation(system, model.partitions);
  EXPECT_FALSE(proof.items.at(4).holds);
  EXPECT_EQ(proof.failures.at(0).partition, ProofFailure::system);
}

TEST(ConfigProof, ReportListsEveryPartitionAndProofLine) {
  const Model model = load_repo_config("default.toml");
  const std::string report = render_report(model);
  EXPECT_NE(report.find("rtos1    rtos   0xfc200000..0xfc3fffff  0x06200000..0x063fffff"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("gandalf  vmm    0xfc400000..0xffffffff  0x06400000..0x073fffff"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("proof: (b) guest segments are pairwise disjoint: holds"),
            std::string::npos);
}

// ---- generators --------------------------------------------------------------------------

TEST(ConfigGenerate, HeaderHasTheTables) {
  const Model model = load_repo_config("default.toml");
  ASSERT_TRUE(model.ok());
  const std::string header = emit_header(model);
  EXPECT_NE(header.find("#pragma once"), std::string::npos);
  EXPECT_NE(header.find("#include \"gandalf/core/config_types.hpp\""), std::string::npos);
  EXPECT_NE(header.find("namespace gandalf::cfg {"), std::string::npos);
  EXPECT_NE(header.find("from " + model.file), std::string::npos);
  EXPECT_NE(header.find("inline constexpr config::System system{"), std::string::npos);
  EXPECT_NE(header.find(".gandalf_phys = 0x06400000,"), std::string::npos);
  EXPECT_NE(header.find(".pit_reload = 1193,"), std::string::npos);
  EXPECT_NE(header.find(".console = config::Com::com4,"), std::string::npos);
  EXPECT_NE(header.find("inline constexpr config::Partition partitions[] = {"), std::string::npos);
  EXPECT_NE(header.find(".kind = config::Kind::linux_slot,"), std::string::npos);
  EXPECT_NE(header.find(".virt_base = 0xfc200000,"), std::string::npos);
  EXPECT_NE(header.find(".seg_limit = 0x001fffff,"), std::string::npos);
  EXPECT_NE(header.find(".ports = {{.first = 0x03f8, .last = 0x03ff}},"), std::string::npos);
  EXPECT_NE(header.find(".irq_mask = 0x0010,\n        .console_irq = 0x04,"), std::string::npos);
  EXPECT_NE(header.find(".args = \"role=linux-slot\","), std::string::npos);
  EXPECT_NE(header.find(".image = \"linux\",\n        .initrd = \"\",\n"), std::string::npos);
  EXPECT_NE(header.find("inline constexpr std::size_t partition_count = 3;"), std::string::npos);
}

TEST(ConfigGenerate, LinkerScript) {
  const Model model = load_repo_config("default.toml");
  const std::string script = emit_linker_script(model);
  EXPECT_NE(script.find("GANDALF_PHYS = 0x06400000;\n"), std::string::npos);
  EXPECT_NE(script.find("GANDALF_VIRT = 0xfc400000;\n"), std::string::npos);
  EXPECT_NE(script.find("GANDALF_MEMORY = 0x01000000;\n"), std::string::npos);
  EXPECT_NE(script.find("GANDALF_IMAGE_STORE = 0x00800000;\n"), std::string::npos);
}

TEST(ConfigGenerate, GrubCfgWithModuleArgs) {
  const Model model = load_repo_config("default.toml");
  std::string error;
  const auto args = parse_module_args(model, {"rtos1=fault=write", "rtos1=count=2"}, error);
  ASSERT_TRUE(args) << error;
  const std::string grub = emit_grub_cfg(model, *args);
  EXPECT_NE(grub.find("set timeout=0\nset default=0\n"), std::string::npos);
  EXPECT_EQ(grub.find("serial"), std::string::npos);
  EXPECT_NE(grub.find("menuentry \"Gandalf (default)\" {\n"
                      "  multiboot /boot/gandalf.elf\n"
                      "  module /boot/linux.img linux\n"
                      "  module /boot/rtos0.img rtos0\n"
                      "  module /boot/rtos1.img rtos1 fault=write count=2\n"
                      "  boot\n}\n"),
            std::string::npos)
      << grub;
}

TEST(ConfigGenerate, ModuleArgsMustNameAPartition) {
  const Model model = load_repo_config("default.toml");
  std::string error;
  EXPECT_FALSE(parse_module_args(model, {"rtos7=x"}, error));
  EXPECT_NE(error.find("rtos7=x"), std::string::npos);
  EXPECT_FALSE(parse_module_args(model, {"rtos1"}, error));
}

TEST(ConfigGenerate, ModuleArgsByImageName) {
  const Model model = load(edit(R"(name = "rtos1")", R"(name = "rtos1"
image = "faulty")"));
  ASSERT_TRUE(model.ok()) << model.diagnostics.render();
  std::string error;
  const auto args = parse_module_args(model, {"faulty=mode=1"}, error);
  ASSERT_TRUE(args) << error;
  EXPECT_EQ(args->at("rtos1"), "mode=1");
  EXPECT_NE(emit_grub_cfg(model, *args).find("  module /boot/faulty.img faulty mode=1\n"),
            std::string::npos);
}

TEST(ConfigGenerate, SystemJson) {
  const Model model = load_repo_config("default.toml");
  const std::string json = emit_system_json(model, {});
  EXPECT_NE(json.find(R"("ram_mib": 128,)"), std::string::npos) << json;
  EXPECT_NE(
      json.find(R"("gandalf": {"console": "com4", "console_port": 744, "console_irq": null,)"),
      std::string::npos);
  EXPECT_NE(json.find(R"({"index": 0, "name": "linux", "image": "linux", "initrd": "", )"
                      R"("kind": "linux",)"),
            std::string::npos);
  EXPECT_NE(json.find(R"("console": "com1", "console_port": 1016, "console_irq": 4,)"),
            std::string::npos);
  EXPECT_NE(json.find(R"("irqs": [4], "io_ports": [[1016, 1023]],)"), std::string::npos);
  EXPECT_NE(json.find(R"({"com": "com3", "port": 1000, "irq": 5, "owner": "rtos1"})"),
            std::string::npos);
  // Gandalf polls its console, but QEMU still needs the line to wire its UART to.
  EXPECT_NE(json.find(R"({"com": "com4", "port": 744, "irq": 7, "owner": "gandalf"})"),
            std::string::npos);
  EXPECT_NE(json.find(R"("platform": {"name": "qemu-harness", "devices": [)"), std::string::npos);
  EXPECT_NE(json.find(R"({"name": "com3", "ports": [1000, 1007], "irq": 5, "owner": "rtos1", )"
                      R"("irq_owner": "rtos1"})"),
            std::string::npos);
  EXPECT_NE(json.find(R"({"name": "com4", "ports": [744, 751], "irq": 7, "owner": "gandalf", )"
                      R"("irq_owner": null})"),
            std::string::npos);
  const std::string containment = emit_system_json(load_repo_config("containment.toml"), {});
  EXPECT_NE(containment.find(R"({"name": "com1", "ports": [1016, 1023], "irq": 4, )"
                             R"("owner": "linux", "irq_owner": null})"),
            std::string::npos)
      << containment;
  EXPECT_NE(containment.find(R"("console": "com1", "console_port": 1016, "console_irq": null,)"),
            std::string::npos);
}

TEST(ConfigGenerate, TwoRunsGiveIdenticalOutput) {
  const Model first = load_repo_config("default.toml");
  const Model second = load_repo_config("default.toml");
  const auto a = generate_all(first, {});
  const auto b = generate_all(second, {});
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].content, b[i].content) << a[i].name;
  }
}

TEST(ConfigGenerate, WritesOnlyWhenChanged) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gandalf-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "out.txt";
  std::string error;
  EXPECT_TRUE(write_if_changed(file, "one\n", error));
  EXPECT_FALSE(write_if_changed(file, "one\n", error));
  EXPECT_TRUE(error.empty()) << error;
  EXPECT_TRUE(write_if_changed(file, "two\n", error));
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "two");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gandalf::tool

// ---- [[channel]] (docs/channel.md) -------------------------------------------------------
namespace gandalf::tool {
namespace {

// kBase with a channel between rtos1 (0xfc200000-0xfc3fffff) and Linux at lines 43-50.
constexpr std::string_view kChannel = R"(
[[channel]]
name = "ctl"
ends = ["rtos1", "linux"]
address = 0xfc3f0000
size = "16K"
record_size = 64
doorbell_irqs = [9, 10]
interval_us = [0, 1000]
)";

std::string with_channel(std::string_view from = {}, std::string_view to = {}) {
  std::string text = std::string{kBase} + std::string{kChannel};
  if (!from.empty()) text = edit(from, to, text);
  return text;
}

TEST(ConfigChannel, ChecksCleanAndPlacesTheRegionInTheRtosEndsMemory) {
  const Model m = load(with_channel());
  ASSERT_TRUE(Clean(m));
  ASSERT_EQ(m.channels.size(), 1u);
  const config::Channel& c = m.channels[0];
  EXPECT_STREQ(c.name, "ctl");
  EXPECT_EQ(c.ends[0], 2u);  // rtos1 writes the first half
  EXPECT_EQ(c.ends[1], 0u);
  EXPECT_EQ(c.irqs[0], 9u);
  EXPECT_EQ(c.irqs[1], 10u);
  EXPECT_EQ(c.interval_us[1], 1000u);
  EXPECT_EQ(c.phys, m.partitions[2].phys_base + 0x1f0000u);
  EXPECT_EQ(c.size, 0x4000u);
  EXPECT_EQ(m.system.channel_count, 1u);
  const std::string header = emit_header(m);
  EXPECT_NE(header.find(".record_size = 64"), std::string::npos);
}

TEST(ConfigChannel, DefaultIntervalLimitsOnlyLinux) {
  const Model m = load(with_channel("interval_us = [0, 1000]\n", ""));
  ASSERT_TRUE(Clean(m));
  EXPECT_EQ(m.channels[0].interval_us[0], 0u);
  EXPECT_EQ(m.channels[0].interval_us[1], static_cast<std::uint32_t>(linux_default_interval_us));
}

TEST(ConfigChannel, RegionInsideGandalfIsRefused) {
  EXPECT_TRUE(HasError(load(with_channel("0xfc3f0000", "0xfc400000")), 46, "reaches into Gandalf's memory"));
}

TEST(ConfigChannel, RegionInsideAThirdPartitionIsRefused) {
  EXPECT_TRUE(HasError(load(with_channel("0xfc3f0000", "0xfc000000")), 46,
                       "lies in rtos0's memory, a partition that is not an end"));
}

TEST(ConfigChannel, RegionInLinuxsRangeIsRefused) {
  EXPECT_TRUE(HasError(load(with_channel("0xfc3f0000", "0x100000")), 46, "lies in Linux's address range"));
}

TEST(ConfigChannel, RegionOverTheBootInformationIsRefused) {
  EXPECT_TRUE(HasError(load(with_channel("0xfc3f0000", "0xfc3fc000")), 46, "boot information"));
}

TEST(ConfigChannel, OverlappingChannelsAreRefused) {
  std::string text = with_channel() + std::string{kChannel};
  text = edit("name = \"ctl\"\nends", "name = \"two\"\nends", text);
  text = edit("[9, 10]", "[11, 12]", text);
  const Model m = load(text);
  EXPECT_TRUE(HasError(m, 55, "ctl's region 0xfc3f0000-0xfc3f3fff overlaps channel two's"));  // the second table
}

TEST(ConfigChannel, DoorbellOnALineInUseIsRefused) {
  EXPECT_TRUE(HasError(load(with_channel("[9, 10]", "[5, 10]")), 49, "rtos1's irqs"));
  EXPECT_TRUE(HasError(load(with_channel("[9, 10]", "[9, 7]")), 49, "com4 on the qemu platform"));
  EXPECT_TRUE(HasError(load(with_channel("[9, 10]", "[0, 10]")), 49, "timer"));
  EXPECT_TRUE(HasError(load(with_channel("[9, 10]", "[9, 16]")), 49, "no line"));
}

TEST(ConfigChannel, LinuxMustBeRateLimited) {
  EXPECT_TRUE(HasError(load(with_channel("[0, 1000]", "[0, 10]")), 50, "must be rate limited"));
}

TEST(ConfigChannel, EndsMustBeAnRtosAndLinux) {
  EXPECT_TRUE(HasError(load(with_channel("[\"rtos1\", \"linux\"]", "[\"rtos0\", \"rtos1\"]")), 45,
                       "not two RTOS instances"));
  EXPECT_TRUE(HasError(load(with_channel("[\"rtos1\", \"linux\"]", "[\"rtos9\", \"linux\"]")), 45,
                       "no partition"));
}

TEST(ConfigChannel, ShapeErrors) {
  EXPECT_TRUE(HasError(load(with_channel("\"16K\"", "\"12K\"")), 47, "multiple of 8 KiB"));
  EXPECT_TRUE(HasError(load(with_channel("record_size = 64", "record_size = 8192")), 48, "multiple of 4"));
  EXPECT_TRUE(HasError(load(with_channel("name = \"ctl\"", "name = \"c/tl\"")), 44, "letters"));
  EXPECT_TRUE(HasError(load(with_channel("address = 0xfc3f0000\n", "")), 43, "missing required key 'address'"));
}

}  // namespace
}  // namespace gandalf::tool
