#include "process.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gandalf::cli {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

int run(const std::vector<std::string>& argv) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) {
    fmt::print(stderr, "gandalf: cannot start {}: {}\n", argv[0], std::strerror(errno));
    return 127;
  }
  if (pid == 0) {
    execvp(argv[0].c_str(), c_argv(argv).data());
    fmt::print(stderr, "gandalf: cannot run {}: {}\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 127;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void exec(const std::vector<std::string>& argv) {
  std::fflush(stdout);
  execvp(argv[0].c_str(), c_argv(argv).data());
  fmt::print(stderr, "gandalf: cannot run {}: {}\n", argv[0], std::strerror(errno));
  std::exit(127);
}

std::vector<std::string> python(const Paths& paths, const char* script) {
  return {GANDALF_PYTHON, paths.script(script).string()};
}

}  // namespace gandalf::cli
