// gandalf: one host command for Gandalf systems (docs/cli.md).
//   gandalf check FILE                      check a configuration, print its layout and proof
//   gandalf build SYSTEM|FILE [--image M=S]  build a system's ISO
//   gandalf run SYSTEM|FILE [--bochs]       build it and boot it, every console on a socket
//   gandalf console NAME                    attach to a partition's console of the running system
//   gandalf monitor [COMMAND]               Gandalf's console, or one command's reply
//   gandalf telemetry [--json F] [--plot F] per-partition telemetry as JSON (and a plot)
//   gandalf dump [NAME] [-o F] [--elf F] [--memory F]  list crash dumps, or fetch one and print it
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <thread>

#include "commands.hpp"
#include "consoles.hpp"
#include "process.hpp"
#include "systems.hpp"

namespace gandalf::cli {
namespace {

struct Options {
  std::string build_dir = GANDALF_BUILD_DIR;
  std::string file;
  BuildRequest request;
  bool bochs = false, iso = false;
  double seconds = 0;
  std::vector<std::string> follow;
  std::string console, until;
  std::vector<std::string> words;
  double timeout = 10;
  bool reset = false;
  std::string json, plot, out, elf, memory;
};

Paths paths_of(const Options& o) { return Paths{GANDALF_SOURCE_DIR, std::filesystem::absolute(o.build_dir)}; }

int cmd_build(const Options& o) {
  const auto dir = build_system(paths_of(o), o.request);
  if (!dir) return 1;
  fmt::print("gandalf: built {} ({})\n", (*dir / "gandalf.iso").string(), (*dir / "gandalf.elf").string());
  return 0;
}

int cmd_run(const Options& o) {
  const Paths paths = paths_of(o);
  if (const auto r = running_system(paths, true)) {
    fmt::print(stderr, "gandalf run: {} is already running from {} (pid {}): stop it first (Ctrl-C where it runs)\n",
               r->system, paths.build.string(), r->pid);
    return 1;
  }
  BuildRequest request = o.request;
  const auto dir = build_system(paths, request);
  if (!dir) return 1;
  std::vector<std::string> argv = python(paths, "tools/harness/interactive.py");
  argv.insert(argv.end(), {"--system-dir", dir->string(), "--work", paths.run_dir().string()});
  if (o.bochs) argv.emplace_back("--bochs");
  if (o.iso) argv.emplace_back("--iso");
  if (o.seconds > 0) argv.insert(argv.end(), {"--seconds", fmt::format("{}", o.seconds)});
  for (const auto& f : o.follow) argv.insert(argv.end(), {"--follow", f});
  exec(argv);
}

const Console* console_or_say(const Running& r, const std::string& name) {
  const Console* c = r.find(name);
  if (c == nullptr)
    fmt::print(stderr, "gandalf: no console '{}' in the running system; its consoles: {}\n", name, r.names());
  return c;
}

int cmd_console(const Options& o) {
  const auto r = running_system(paths_of(o));
  if (!r) return 1;
  const Console* c = console_or_say(*r, o.console);
  return c == nullptr ? 1 : attach(*c, o.seconds, o.until);
}

// A reply line `monitor: ...` is the monitor refusing the command (docs/cli.md).
bool refused(const std::string& reply) {
  return reply.starts_with("monitor: ") || reply.find("\nmonitor: ") != std::string::npos;
}

std::optional<std::string> ask(const Options& o, const std::string& command, Console* monitor_out = nullptr) {
  const auto r = running_system(paths_of(o));
  if (!r) return std::nullopt;
  const Console* monitor = console_or_say(*r, "gandalf");
  if (monitor == nullptr) return std::nullopt;
  if (monitor_out != nullptr) *monitor_out = *monitor;
  return monitor_request(*monitor, command, o.timeout);
}

int cmd_monitor(const Options& o) {
  if (o.words.empty()) {
    const auto r = running_system(paths_of(o));
    if (!r) return 1;
    const Console* c = console_or_say(*r, "gandalf");
    return c == nullptr ? 1 : attach(*c, o.seconds);
  }
  std::string command;
  for (const auto& w : o.words) command += (command.empty() ? "" : " ") + w;
  const auto reply = ask(o, command);
  if (!reply) return 1;
  std::fputs(reply->c_str(), refused(*reply) ? stderr : stdout);
  return refused(*reply) ? 1 : 0;
}

int cmd_telemetry(const Options& o) {
  const auto r = running_system(paths_of(o));
  if (!r) return 1;
  const Console* monitor = console_or_say(*r, "gandalf");
  if (monitor == nullptr) return 1;
  std::vector<std::string> argv = python(paths_of(o), "tools/telemetry.py");
  argv.insert(argv.end(), {"--socket", monitor->socket.string()});
  if (o.reset) argv.emplace_back("--reset");
  if (!o.json.empty()) argv.insert(argv.end(), {"--json", o.json});
  if (!o.plot.empty()) argv.insert(argv.end(), {"--plot", o.plot});
  exec(argv);
}

// The hexadecimal number after `key` in `text` (from `from`), or nullopt.
std::optional<std::uint32_t> hex_after(const std::string& text, std::string_view key, std::size_t from = 0) {
  const auto at = text.find(key, from);
  if (at == std::string::npos) return std::nullopt;
  const char* begin = text.c_str() + at + key.size();
  char* end = nullptr;
  const unsigned long v = std::strtoul(begin, &end, 16);
  if (end == begin) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// The hex lines `dump: name=NAME memory at=OFFSET HEX` of one reply, as bytes; false when a
// line is out of place.
bool memory_lines(const std::string& reply, std::uint32_t offset, std::string& out) {
  constexpr std::string_view key = " memory at=";
  for (std::size_t at = reply.find(key); at != std::string::npos; at = reply.find(key, at + 1)) {
    const auto where = hex_after(reply, key, at);
    const auto space = reply.find(' ', at + key.size());
    const auto nl = reply.find('\n', at);
    if (!where || *where != offset + out.size() || space == std::string::npos || space > nl) return false;
    for (std::size_t i = space + 1; i + 1 < nl && std::isxdigit(static_cast<unsigned char>(reply[i])); i += 2)
      out.push_back(static_cast<char>(std::stoul(reply.substr(i, 2), nullptr, 16)));
  }
  return true;
}

// The memory copy of NAME's dump, a KiB per monitor command, into a file.
int fetch_memory(const Options& o, const Console& monitor, std::string reply) {
  MonitorSession session(monitor, o.timeout);
  for (int tries = 0; tries < 50 && hex_after(reply, "memory bytes=") != hex_after(reply, " copied="); ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the copy runs a chunk per tick
    auto again = session.ask("dump " + o.console);
    if (!again) return 1;
    reply = *again;
  }
  const auto copied_or_none = hex_after(reply, " copied=");
  if (!hex_after(reply, "memory bytes=") || !copied_or_none) {
    fmt::print(stderr, "gandalf dump: {}'s configuration keeps no memory in its dumps (dump_memory, docs/config.md)\n",
               o.console);
    return 1;
  }
  const std::uint32_t copied = *copied_or_none;
  std::string bytes;
  for (std::uint32_t offset = 0; offset < copied; offset += 1024) {
    const auto chunk = session.ask(fmt::format("dump {} memory {:x}", o.console, offset));
    if (!chunk) return 1;
    std::string part;
    if (refused(*chunk) || !memory_lines(*chunk, offset, part) || part.size() != std::min<std::uint32_t>(1024, copied - offset)) {
      fmt::print(stderr, "gandalf dump: bad reply for {}'s memory at {:#x}:\n{}", o.console, offset, *chunk);
      return 1;
    }
    bytes += part;
  }
  std::ofstream file(o.memory, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    fmt::print(stderr, "gandalf dump: cannot write {}\n", o.memory);
    return 1;
  }
  fmt::print(stderr, "gandalf dump: {} bytes of {}'s memory (from its start) saved in {}\n", bytes.size(), o.console,
             o.memory);
  return 0;
}

int cmd_dump(const Options& o) {
  Console monitor;
  if (o.console.empty()) {
    const auto reply = ask(o, "dumps");
    if (!reply) return 1;
    std::fputs(reply->empty() || *reply == "dumps: end\n" ? "gandalf: no partition has a dump\n" : reply->c_str(),
               stdout);
    return 0;
  }
  const auto reply = ask(o, "dump " + o.console, &monitor);
  if (!reply) return 1;
  if (refused(*reply)) {
    std::fputs(reply->c_str(), stderr);
    return 1;
  }
  if (!o.memory.empty() && fetch_memory(o, monitor, *reply) != 0) return 1;
  const std::filesystem::path out =
      o.out.empty() ? paths_of(o).run_dir() / ("dump-" + o.console + ".txt") : std::filesystem::path(o.out);
  std::ofstream file(out);
  file << *reply;
  file.close();
  if (!file) {
    fmt::print(stderr, "gandalf dump: cannot write {}\n", out.string());
    return 1;
  }
  fmt::print(stderr, "gandalf dump: {}'s dump saved in {}\n", o.console, out.string());
  std::vector<std::string> argv = python(paths_of(o), "tools/dump.py");
  argv.insert(argv.end(), {o.console, "--from-text", out.string()});
  if (!o.elf.empty()) argv.insert(argv.end(), {"--elf", o.elf});
  exec(argv);
}

void add_build_options(CLI::App* sub, Options& o) {
  sub->add_option("system", o.request.what,
                  "a system of the project (default, samples, bench, ...) or a configuration file (.toml)")
      ->required();
  sub->add_option("--image", o.request.images,
                  "MODULE=SOURCE for a configuration file, one per module it names: itron:APP, linux:vmlinux, "
                  "linux:initramfs, a test guest, or a file")
      ->allow_extra_args(false);
  sub->add_option("--name", o.request.name, "the system's name for a file (default: the file's stem)");
}

}  // namespace
// The first word that is neither an option (nor --build's value) nor a subcommand: CLI11
// alone says only "A subcommand is required" for `gandalf frobnicate`.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--build") { ++i; continue; }
    if (a.starts_with("-")) continue;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      if (sub->get_name() == a) return std::nullopt;
    return std::string(a);
  }
  return std::nullopt;
}

}  // namespace gandalf::cli

int main(int argc, char** argv) {
  using namespace gandalf::cli;
  CLI::App app{"gandalf: check, build and run Gandalf systems; reach their consoles, monitor, telemetry and "
               "crash dumps (docs/cli.md)."};
  app.require_subcommand(1);
  Options o;
  app.add_option("--build", o.build_dir, "build directory (default: the one this command was built in)");

  CLI::App* check = app.add_subcommand("check", "check a configuration; print its layout and isolation proof");
  check->add_option("file", o.file, "configuration (TOML)")->required();

  CLI::App* build = app.add_subcommand("build", "build a system: BUILD/systems/NAME/gandalf.iso (GRUB, multiboot)");
  add_build_options(build, o);

  CLI::App* run = app.add_subcommand("run", "build a system and boot it in QEMU (or Bochs), every console a socket");
  add_build_options(run, o);
  run->add_flag("--bochs", o.bochs, "boot the ISO on Bochs (headless, segment limits enforced)");
  run->add_flag("--iso", o.iso, "QEMU boots through GRUB from the ISO");
  run->add_option("--seconds", o.seconds, "stop after this long (default: until Ctrl-C)");
  run->add_option("--follow", o.follow, "console (role) to print here (repeatable; default: gandalf)")
      ->allow_extra_args(false);
  run->add_flag("--no-build", [&o](std::int64_t) { o.request.build = false; }, "boot what is built");

  CLI::App* console = app.add_subcommand("console", "attach to a console of the running system (Ctrl-] detaches)");
  console->add_option("name", o.console, "partition (linux, rtos0, ...), gandalf, or a COM port")->required();
  console->add_option("--for", o.seconds, "detach after this many seconds (scripts)");
  console->add_option("--until", o.until, "detach as soon as this text comes (exit 0; 1 when --for passes first)");

  CLI::App* monitor = app.add_subcommand("monitor", "Gandalf's monitor: attach, or send one command and print its reply");
  monitor->add_option("command", o.words, "a monitor command (p, c, t, dumps, dump NAME, restart NAME, ...)");
  monitor->add_option("--timeout", o.timeout, "seconds to wait for the reply (default 10)");
  monitor->add_option("--for", o.seconds, "when attaching: detach after this many seconds");

  CLI::App* telemetry = app.add_subcommand("telemetry", "per-partition telemetry of the running system, as JSON");
  telemetry->add_flag("--reset", o.reset, "clear the figures after reading them");
  telemetry->add_option("--json", o.json, "write the JSON here (default: standard output)");
  telemetry->add_option("--plot", o.plot, "write the latency histograms as SVG here");

  CLI::App* dump = app.add_subcommand("dump", "list the crash dumps, or fetch a partition's and print it");
  dump->add_option("name", o.console, "the partition whose dump to fetch (none: list the dumps)");
  dump->add_option("-o,--out", o.out, "save the fetched dump here (default: BUILD/run/dump-NAME.txt)");
  dump->add_option("--elf", o.elf, "the partition's ELF, for symbols");
  dump->add_option("--memory", o.memory, "also fetch the dump's memory copy (dump_memory) into this file");
  dump->add_option("--timeout", o.timeout, "seconds to wait for the monitor (default 10)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (const auto word = unknown_command(app, argc, argv)) {
      fmt::print(stderr, "gandalf: unknown command '{}' (commands: check, build, run, console, monitor, telemetry, "
                 "dump; gandalf --help)\n", *word);
      return 2;
    }
    return app.exit(e);
  }
  if (check->parsed()) return gandalf::tool::check_command(o.file);
  if (build->parsed()) return cmd_build(o);
  if (run->parsed()) return cmd_run(o);
  if (console->parsed()) return cmd_console(o);
  if (monitor->parsed()) return cmd_monitor(o);
  if (telemetry->parsed()) return cmd_telemetry(o);
  return cmd_dump(o);
}
