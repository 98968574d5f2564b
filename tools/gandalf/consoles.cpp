#include "consoles.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#if __has_include(<toml++/toml.hpp>)
#include <toml++/toml.hpp>
#else
#include <toml++/toml.h>  // Debian ships the single header under its old name
#endif

namespace gandalf::cli {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

constexpr char detach_key = 0x1d;  // Ctrl-], as telnet and virsh console

// A connected socket, closed on every path out.
class Connection {
 public:
  explicit Connection(const fs::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.string().size() >= sizeof address.sun_path) {
      error_ = "socket path too long";
      return;
    }
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      error_ = std::strerror(errno);
      close_fd();
    }
  }
  ~Connection() { close_fd(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  void close_fd() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
  std::string error_;
};

// The terminal in raw mode while attached (keys go to the guest as typed), restored after.
class RawTerminal {
 public:
  RawTerminal() : active_(isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios raw = saved_;
    cfmakeraw(&raw);
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  [[nodiscard]] bool active() const { return active_; }

 private:
  bool active_;
  termios saved_{};
};

bool write_all(int fd, const char* data, std::size_t len) {
  while (len != 0) {
    const ssize_t n = ::write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<Connection*> connect_or_say(Connection& c, const Console& console) {
  if (c.fd() >= 0) return &c;
  fmt::print(stderr, "gandalf: cannot connect to {}'s console {}: {} (did the system stop?)\n", console.role,
             console.socket.string(), c.error());
  return std::nullopt;
}

double remaining(Clock::time_point deadline) {
  return std::chrono::duration<double>(deadline - Clock::now()).count();
}

}  // namespace

const Console* Running::find(const std::string& name) const {
  for (const Console& c : consoles)
    if (c.role == name || c.com == name) return &c;
  return nullptr;
}

std::string Running::names() const {
  std::string out;
  for (const Console& c : consoles)
    if (c.role != "unused") out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", c.role, c.com);
  return out;
}

std::optional<Running> running_system(const Paths& paths, bool quiet) {
  const fs::path file = paths.run_dir() / "consoles.toml";
  const auto none = [&](const std::string& why) -> std::optional<Running> {
    if (!quiet) fmt::print(stderr, "gandalf: {}; start one with `gandalf run SYSTEM` (e.g. default)\n", why);
    return std::nullopt;
  };
  if (!fs::exists(file)) return none(fmt::format("no system is running from {}", paths.build.string()));
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return none(fmt::format("{} is unreadable ({})", file.string(), e.description()));
  }
  Running r;
  r.system = t["system"].value_or(std::string{});
  r.emulator = t["emulator"].value_or(std::string{});
  r.pid = t["pid"].value_or(0L);
  if (r.pid <= 0 || (kill(static_cast<pid_t>(r.pid), 0) != 0 && errno == ESRCH))
    return none(fmt::format("the system that wrote {} has stopped", file.string()));
  if (const toml::array* list = t["console"].as_array()) {
    for (const toml::node& n : *list) {
      const toml::table* c = n.as_table();
      if (c == nullptr) continue;
      r.consoles.push_back(Console{(*c)["com"].value_or(std::string{}), (*c)["role"].value_or(std::string{}),
                                   (*c)["socket"].value_or(std::string{}), (*c)["log"].value_or(std::string{})});
    }
  }
  return r;
}

int attach(const Console& console, double seconds, const std::string& until) {
  Connection c(console.socket);
  if (!connect_or_say(c, console)) return 1;
  RawTerminal terminal;
  if (terminal.active())
    fmt::print(stderr, "gandalf: attached to {} ({}); Ctrl-] detaches\r\n", console.role, console.com);
  const auto start = Clock::now();
  auto deadline = seconds > 0 ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds))
                              : Clock::time_point::max();
  pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {c.fd(), POLLIN, 0}};
  char buf[4096];
  std::string seen;  // the output's end, for `until`
  for (;;) {
    const int wait_ms = deadline == Clock::time_point::max() ? -1 : static_cast<int>(std::max(0.0, remaining(deadline)) * 1000);
    if (deadline != Clock::time_point::max() && Clock::now() >= deadline) {
      if (until.empty()) return 0;
      fmt::print(stderr, "gandalf: '{}' did not come on {} within {} s\n", until, console.role, seconds);
      return 1;
    }
    const int ready = poll(fds, 2, wait_ms);
    if (ready < 0 && errno != EINTR) return 1;
    if (ready <= 0) continue;
    if (fds[1].revents != 0) {
      const ssize_t n = ::read(c.fd(), buf, sizeof buf);
      if (n <= 0) {
        fmt::print(stderr, "{}gandalf: {}'s console closed: the system stopped\n", terminal.active() ? "\r\n" : "",
                   console.role);
        return 0;
      }
      if (!write_all(STDOUT_FILENO, buf, static_cast<std::size_t>(n))) return 1;
      if (!until.empty()) {
        seen.append(buf, static_cast<std::size_t>(n));
        if (seen.find(until) != std::string::npos) return 0;
        if (seen.size() > 2 * until.size() + 4096) seen.erase(0, seen.size() - until.size());
      }
    }
    if (fds[0].revents != 0) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) {  // a pipe ended: what it typed is sent; show the answers for a while
        fds[0].fd = -1;
        if (seconds <= 0 && until.empty()) return 0;
        continue;
      }
      const char* key = static_cast<const char*>(std::memchr(buf, detach_key, static_cast<std::size_t>(n)));
      const std::size_t len = key != nullptr ? static_cast<std::size_t>(key - buf) : static_cast<std::size_t>(n);
      if (!write_all(c.fd(), buf, len)) return 1;
      if (key != nullptr) {
        fmt::print(stderr, "\r\ngandalf: detached from {}\r\n", console.role);
        return 0;
      }
    }
  }
}

MonitorSession::MonitorSession(const Console& monitor, double timeout) : monitor_(monitor), timeout_(timeout) {
  Connection c(monitor.socket);
  if (connect_or_say(c, monitor)) fd_ = dup(c.fd());
}

MonitorSession::~MonitorSession() {
  if (fd_ >= 0) ::close(fd_);
}

// Gandalf's own log shares the console: the reply is what comes between the command and the
// next `monitor: done` line, empty lines and carriage returns dropped.
std::optional<std::string> MonitorSession::ask(const std::string& command) {
  if (fd_ < 0) return std::nullopt;
  const std::string line = command + "\n";
  if (!write_all(fd_, line.data(), line.size())) {
    fmt::print(stderr, "gandalf: cannot send to the monitor: {}\n", std::strerror(errno));
    return std::nullopt;
  }
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_));
  std::string& text = pending_;
  char buf[4096];
  constexpr std::string_view done = "monitor: done";
  for (;;) {
    const auto end = text.find(done);
    if (end != std::string::npos) {
      std::string reply;
      std::size_t at = 0;
      while (at < end) {
        const auto nl = text.find('\n', at);
        std::string l = text.substr(at, (nl == std::string::npos || nl > end ? end : nl) - at);
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (!l.empty()) reply += l + "\n";
        at = nl == std::string::npos || nl > end ? end : nl + 1;
      }
      const auto after = text.find('\n', end);
      text.erase(0, after == std::string::npos ? text.size() : after + 1);
      return reply;
    }
    const double left = remaining(deadline);
    if (left <= 0) {
      fmt::print(stderr,
                 "gandalf: no reply to '{}' from the monitor within {} s (is another client attached to {}?)\n",
                 command, timeout_, monitor_.socket.string());
      return std::nullopt;
    }
    pollfd fd{fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left * 1000) + 1) <= 0) continue;
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) {
      fmt::print(stderr, "gandalf: the monitor's console closed: the system stopped\n");
      return std::nullopt;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> monitor_request(const Console& monitor, const std::string& command, double timeout) {
  MonitorSession session(monitor, timeout);
  return session.ask(command);
}

}  // namespace gandalf::cli
