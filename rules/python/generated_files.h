// Files from the "generate sources/resources" extension point
// (app::Extensions::GeneratedFilesFor) for a set of targets, as goals use
// them: the test goal adds them to pytest sandboxes, the package goal to
// wheels and sdists.
//
// Rules: every path must be a normalised path relative to the build root
// (it is where the file appears in a sandbox); the same path from two
// targets is kept once when the bytes and executable bit agree (a generator
// and its generated targets often both ask), and is an error naming both
// targets otherwise. A generated file never replaces a file on disk.
//
// Usage (a goal):
//   BRAID_ASSIGN_OR_RETURN(std::vector<app::GeneratedFile> gen,
//                          GeneratedFilesOf(ws, ctx.extensions, closure));
//   BRAID_RETURN_IF_ERROR(AddGeneratedInputs(gen, request.inputs));
#ifndef BRAID_RULES_PYTHON_GENERATED_FILES_H_
#define BRAID_RULES_PYTHON_GENERATED_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/app/extensions.h"
#include "core/base/error.h"
#include "core/exec/sandbox.h"
#include "core/graph/target.h"

namespace braid::python {

/// The files generated for one target (input of MergeGeneratedFiles).
struct TargetGeneratedFiles {
  std::string address;  // for messages
  Location location;    // the target's BUILD location, for errors
  std::vector<app::GeneratedFile> files;
};

/// Every file of `per_target`, sorted by path (see the rules at the top).
absl::StatusOr<std::vector<app::GeneratedFile>> MergeGeneratedFiles(
    const std::vector<TargetGeneratedFiles>& per_target);

/// The generated files of every target of `targets`, merged. A null
/// `extensions` (contexts built by hand) generates nothing.
absl::StatusOr<std::vector<app::GeneratedFile>> GeneratedFilesOf(
    app::Workspace& workspace, const app::Extensions* extensions,
    const std::vector<const graph::Target*>& targets);

/// Appends `files` to a sandbox's `inputs` as file bytes. A path that is
/// already an input is an error (a generated file never replaces a source).
absl::Status AddGeneratedInputs(const std::vector<app::GeneratedFile>& files,
                                std::vector<exec::SandboxEntry>& inputs);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_GENERATED_FILES_H_
