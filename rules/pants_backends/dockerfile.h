// A Dockerfile, parsed as far as Pants' Docker backend reads it for dependency
// inference (pants/backend/docker/subsystems/dockerfile_wrapper_script.py).
//
//   std::vector<DockerInstruction> ins = ParseDockerfile(text);
//   DockerfileInfo info = AnalyzeDockerfile(ins);
//   for (const DockerfileRef& src : info.copy_source_paths) ...
//
// The syntax is BuildKit's: one instruction per logical line, its keyword
// case-insensitive; a line ending in the escape character (`\`, or the one a
// leading `# escape=` directive names) continues on the next; comment lines
// (first non-blank `#`) and blank lines are dropped, inside continuations too;
// leading `--name[=value]` words are flags; the rest is a JSON string array
// (`COPY ["a", "b", "/dst/"]`) or else whitespace-separated words. Heredocs
// (`COPY <<EOF`) are not understood: their body lines read as instructions,
// which inference ignores unless they start with FROM, ARG or COPY.
// Parsing never fails: any text gives some instructions.
#ifndef BRAID_RULES_PANTS_BACKENDS_DOCKERFILE_H_
#define BRAID_RULES_PANTS_BACKENDS_DOCKERFILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace braid::pants_backends {

/// One instruction (logical line) of a Dockerfile.
struct DockerInstruction {
  /// The keyword, upper-cased ("FROM", "COPY", ...).
  std::string command;
  /// The leading `--flag[=value]` words, as written.
  std::vector<std::string> flags;
  /// The arguments after the flags: the JSON array's strings, or the words.
  std::vector<std::string> args;
  /// Everything after the keyword (flags included), continuations joined,
  /// trimmed: what Pants reads ARG definitions from.
  std::string text;
  /// 1-based line of the instruction's first physical line.
  int line = 0;
};

/// Splits `text` into instructions (see the top of this file).
std::vector<DockerInstruction> ParseDockerfile(absl::string_view text);

/// A value read from a Dockerfile, with the line it comes from.
struct DockerfileRef {
  std::string value;
  int line = 0;
};

/// A build argument (ARG with an address-like default) used in FROM or COPY.
struct DockerBuildArgUse {
  std::string name;
  /// The ARG's default, quotes stripped.
  std::string value;
  /// The line of the FROM or COPY using it.
  int line = 0;
};

/// What Pants' inference reads from a Dockerfile, in file order.
struct DockerfileInfo {
  /// Every ARG definition: "NAME" or "NAME=default", as written.
  std::vector<DockerfileRef> build_args;
  /// The sources of COPY instructions without a `--from` flag (ADD is not
  /// read): build-context paths, or `$ARG` references.
  std::vector<DockerfileRef> copy_source_paths;
  /// The COPY sources that are `$NAME` / `${NAME}` with an address-like ARG.
  std::vector<DockerBuildArgUse> copy_build_args;
  /// The FROM images that are `$NAME` / `${NAME}` with an address-like ARG.
  std::vector<DockerBuildArgUse> from_image_build_args;
};

DockerfileInfo AnalyzeDockerfile(absl::Span<const DockerInstruction> instructions);

/// Whether `value` may pass as a target address (Pants' `_address_regexp`:
/// optional `//`, a path without ':', '#' or ' ', optional `:name`, `#gen`
/// and `@k=v,...`). Only a first filter: "python:3.11" passes too.
bool IsAddressLike(absl::string_view value);

/// NAME when `value` is a whole build-arg reference `$NAME` or `${NAME}`
/// (NAME of [A-Za-z0-9_]; as in Pants each brace is optional on its own).
std::optional<std::string> BuildArgReference(absl::string_view value);

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_DOCKERFILE_H_
