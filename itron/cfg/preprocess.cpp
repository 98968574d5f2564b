// itron-cfg preprocessing: posix_spawnp the preprocessor, read its stdout through a pipe.
#include "preprocess.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>

extern char** environ;

namespace itron::cfg {
namespace {

std::vector<std::string> split_on_spaces(const std::string& command) {
  std::vector<std::string> words;
  std::istringstream in(command);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string read_all(int fd) {
  std::string out;
  std::array<char, 65536> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      out.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      return out;
    }
  }
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

// Spawns argv with stdout connected to `out_fd`; returns the pid or -errno.
pid_t spawn_with_stdout(const std::vector<std::string>& argv, int out_fd, int close_fd) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out_fd);
  posix_spawn_file_actions_addclose(&actions, close_fd);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -rc;
}

}  // namespace

std::vector<std::string> preprocessor_argv(const PreprocessorOptions& options,
                                           const std::string& file) {
  std::vector<std::string> argv = split_on_spaces(options.command);
  argv.emplace_back("-DTOPPERS_MACRO_ONLY");
  argv.emplace_back("-DTOPPERS_CFG1");
  for (const auto& dir : options.include_dirs) argv.push_back("-I" + dir);
  for (const auto& define : options.defines) argv.push_back("-D" + define);
  argv.push_back(file);
  return argv;
}

PreprocessorRun run_preprocessor(const PreprocessorOptions& options, const std::string& file) {
  PreprocessorRun run;
  const std::vector<std::string> argv = preprocessor_argv(options, file);
  if (argv.size() <= 3 || options.command.find_first_not_of(' ') == std::string::npos) {
    run.failure = "the --cpp command is empty";
    return run;
  }
  std::array<int, 2> pipe_fds{};
  if (::pipe(pipe_fds.data()) != 0) {
    run.failure = fmt::format("cannot create a pipe: {}", std::strerror(errno));
    return run;
  }
  const pid_t pid = spawn_with_stdout(argv, pipe_fds[1], pipe_fds[0]);
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    run.failure = fmt::format("cannot run '{}': {}", argv[0], std::strerror(-pid));
    return run;
  }
  run.output = read_all(pipe_fds[0]);
  ::close(pipe_fds[0]);
  run.exit_status = wait_for(pid);
  return run;
}

}  // namespace itron::cfg
