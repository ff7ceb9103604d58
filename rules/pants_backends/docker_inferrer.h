// Dependency inference for docker_image targets, as Pants' Docker backend
// does it (pants/backend/docker/util_rules/dependencies.py). From the image's
// Dockerfile (its `source`, default `Dockerfile` in the BUILD directory, or
// the lines of `instructions`), the image depends on:
//
//   rule "dockerfile"    packageable targets (pex_binary, python_distribution,
//                        docker_image, archive, ...) whose address is the value
//                        of an ARG used as a FROM image (`ARG BASE=src/base:img`
//                        / `FROM $BASE`; the target's `extra_build_args`
//                        `NAME=value` override the default, and a `NAME` or
//                        `NAME=` entry drops it) or as a COPY source; or whose
//                        output path, for each file ending among the COPY
//                        sources (or none), is a COPY source
//                        (`COPY src.python.app/main.pex /bin/app`);
//   rule "dockerfile file"  the owners of COPY sources that are files in the
//                        workspace (as Pants' file literal specs).
//
// Addresses are parsed relative to the image's directory; values that are not
// addresses are skipped. A missing Dockerfile infers nothing (Pants reports it
// when building). Each dependency's origin is the FROM / COPY line.
// Not read: `[docker].build_args` (braid has no [docker] options).
#ifndef BRAID_RULES_PANTS_BACKENDS_DOCKER_INFERRER_H_
#define BRAID_RULES_PANTS_BACKENDS_DOCKER_INFERRER_H_

#include <optional>
#include <string>
#include <vector>

#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/target_graph.h"

namespace braid::pants_backends {

/// Rule names of the dependencies DockerInferrer infers.
inline constexpr char kRuleDockerfile[] = "dockerfile";
inline constexpr char kRuleDockerfileFile[] = "dockerfile file";

class DockerInferrer : public graph::DependencyInferrer {
 public:
  /// `graph`, `index` and `fs` (the workspace's, so reads are declared) must
  /// outlive the inferrer.
  DockerInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                 const fs::FileSystem& fs);

  absl::StatusOr<std::vector<graph::Dependency>> Infer(const graph::Target& target) override;

 private:
  const graph::TargetGraph& graph_;
  const fs::FileIndex& index_;
  const fs::FileSystem& fs_;
  // The packageable targets of the graph, in address order; built on first use.
  std::optional<std::vector<const graph::Target*>> packageable_;
};

/// Whether targets of type `alias` can be packaged (Pants' AllPackageableTargets).
bool IsPackageableType(absl::string_view alias);

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_DOCKER_INFERRER_H_
