// The wire protocol between braid and a fork server ("zygote"): a long-lived process that
// forks one child per request instead of exec'ing a fresh interpreter.
//
// Transport: a SOCK_SEQPACKET unix socket pair. The server gets its end as file descriptor 3
// (kForkServerControlFd); one packet is one message, so no framing is needed. Every message is
// a list of fields, each terminated by a NUL byte (argv and environment strings cannot hold NUL,
// so no escaping is needed either). Integers are decimal text.
//
// braid -> server
//   RUN  <id> <cwd> <isolation> <writable_root> <loopback> <n_writable> <path>...
//        <n_argv> <arg>... <n_env> <NAME=value>...
//        with SCM_RIGHTS ancillary data holding exactly two descriptors: the write ends of the
//        child's stdout and stderr pipes. <isolation> is "namespaces" or "none"; <loopback> is
//        "1" (a fresh network namespace with only lo) or "0". The child must behave exactly as
//        exec'ing argv with exactly that environment in <cwd> would (the server may refuse).
//   PREPARE <id> ...        the same fields as RUN, with THREE descriptors: stdout, stderr and
//        one end of a "gate" socket (braid keeps the other). The child does everything up to
//        its real work (for pytest: start-up and collection) and then waits on the gate: one
//        byte ('G', kGateRelease) means go, end of file means the request was dropped (the
//        child exits at once with code 125). Only sent when the request's
//        ForkServerSpec::prepare says the server understands it.
//        After the release the child may write one byte back on the gate, 'D'
//        (kGateFinishing), once the process braid asked for has exited with status 0 and no
//        other process it started is alive (braid then gives its execution slot to the next
//        process; the result still comes with EXIT). A child may also never write it.
//   KILL <id>
//        SIGKILL the child's whole process group (timeout, Ctrl-C). Unknown ids are ignored.
//
// server -> braid
//   READY  0                     sent once, when the server's start-up is done and before it
//                                reads a request: a server that ends before READY failed to
//                                start (e.g. a preload module that cannot be imported).
//   EXIT   <id> <wait status>    the child ended; raw waitpid() status (WIFEXITED/WIFSIGNALED).
//   REJECT <id> <reason>         the server cannot run this request faithfully (e.g. another
//                                interpreter's argv); braid runs it as a plain process instead.
//
// Why pipes passed over the socket rather than files the child writes: braid reads a forked
// child's stdout/stderr through the same pipe code, limits and EOF rules as an exec'd
// process, output streams while the test runs, and nothing extra lands in the sandbox.
// End of stream: braid closing its end means "exit": the server kills its children and exits.
#ifndef BRAID_CORE_EXEC_FORK_SERVER_PROTOCOL_H_
#define BRAID_CORE_EXEC_FORK_SERVER_PROTOCOL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/exec/process.h"

namespace braid::exec {

/// The server's end of the control socket.
inline constexpr int kForkServerControlFd = 3;
/// The bytes on a prepared child's gate (see PREPARE above): braid's release, and the
/// child's word that it has ended with status 0 and only the server's report remains.
inline constexpr char kGateRelease = 'G';
inline constexpr char kGateFinishing = 'D';

/// A decoded RUN request (the server's view; braid only encodes).
struct ForkServerRun {
  uint64_t id = 0;
  std::string cwd;
  SandboxSpec sandbox;
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value, sorted
  bool prepare = false;          // a PREPARE request: the third descriptor is the gate
};

/// A decoded server -> braid message.
struct ForkServerReply {
  enum class Kind { kExit, kReject, kReady };
  Kind kind = Kind::kExit;
  uint64_t id = 0;
  int wait_status = 0;  // kExit
  std::string reason;   // kReject
};

/// The RUN packet for process `id` (the descriptors travel separately); the PREPARE packet
/// when `prepare`.
std::string EncodeForkServerRun(uint64_t id, const ProcessSpec& spec, bool prepare = false);
/// The KILL packet for process `id`.
std::string EncodeForkServerKill(uint64_t id);
/// The EXIT / REJECT packets (used by servers written in C++, e.g. the test server).
std::string EncodeForkServerReady();
std::string EncodeForkServerExit(uint64_t id, int wait_status);
std::string EncodeForkServerReject(uint64_t id, absl::string_view reason);

/// Decodes a RUN or PREPARE packet; InvalidArgument on anything malformed.
absl::StatusOr<ForkServerRun> DecodeForkServerRun(absl::string_view packet);
/// Decodes a KILL packet into its id; InvalidArgument otherwise.
absl::StatusOr<uint64_t> DecodeForkServerKill(absl::string_view packet);
/// Decodes an EXIT / REJECT packet; InvalidArgument on anything malformed (braid then treats
/// the server as broken).
absl::StatusOr<ForkServerReply> DecodeForkServerReply(absl::string_view packet);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_FORK_SERVER_PROTOCOL_H_
