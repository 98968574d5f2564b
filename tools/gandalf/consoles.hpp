// The consoles of a system `gandalf run` started: attach to one, or ask Gandalf's monitor.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace gandalf::cli {

struct Console {
  std::string com, role;  // com1..com4; a partition's name, "gandalf" or "unused"
  std::filesystem::path socket, log;
};

struct Running {
  std::string system, emulator;
  long pid = 0;
  std::vector<Console> consoles;
  // The console called `name` (a role or a COM port), or nullptr.
  [[nodiscard]] const Console* find(const std::string& name) const;
  [[nodiscard]] std::string names() const;  // "linux (com1), rtos0 (com2), ..."
};

// BUILD/run/consoles.toml of a live run, or nullopt after printing why there is none.
std::optional<Running> running_system(const Paths& paths, bool quiet = false);

// Relays the terminal to the console's socket until Ctrl-] (a terminal), the end of standard
// input (a pipe: then `seconds` more of output), `seconds` (> 0), or the system's end. With
// `until`, it ends as soon as that text has come (exit 0) or fails when `seconds` pass first.
int attach(const Console& console, double seconds, const std::string& until = {});

// Sends one monitor command and returns its reply (the lines before `monitor: done`), or
// nullopt after printing why not.
std::optional<std::string> monitor_request(const Console& monitor, const std::string& command, double timeout);

// Many commands over one connection (a memory dump is fetched a KiB per command).
class MonitorSession {
 public:
  MonitorSession(const Console& monitor, double timeout);
  ~MonitorSession();
  MonitorSession(const MonitorSession&) = delete;
  MonitorSession& operator=(const MonitorSession&) = delete;
  std::optional<std::string> ask(const std::string& command);

 private:
  const Console& monitor_;
  double timeout_;
  int fd_ = -1;
  std::string pending_;  // what came after the last reply's `monitor: done`
};

}  // namespace gandalf::cli
