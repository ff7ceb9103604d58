// Test-only fixture shared by the codegen inferrer tests (protobuf_inferrer_test,
// thrift_inferrer_test). Include only from gtest targets.
#ifndef BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_TEST_UTIL_H_
#define BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_TEST_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"
#include "rules/pants_backends/codegen_imports.h"
#include "rules/pants_backends/target_types.h"

namespace braid::pants_backends::test_util {

/// "path@line" per import, in order.
inline std::vector<std::string> DescribeImports(const std::vector<CodegenImport>& imports) {
  std::vector<std::string> out;
  for (const CodegenImport& i : imports) out.push_back(i.path + "@" + std::to_string(i.line));
  return out;
}

/// A workspace of `kTypes` (plus the pants.core extras) and a
/// LanguageInferrer<kLanguage> over it; its warnings go to `warnings_`.
template <const CodegenLanguage& kLanguage, std::vector<graph::TargetType> (*kTypes)()>
class ImportPathInferrerTest : public ::testing::Test {
 protected:
  using Strings = std::vector<std::string>;

  void Load(const std::map<std::string, std::string>& files, Strings root_patterns = {"/"},
            bool enabled = true) {
    for (const auto& [path, text] : files) fs_.AddFile(path, text);
    for (graph::TargetType& t : kTypes()) types_.Register(std::move(t));
    for (graph::TargetType& t : CoreExtraTargetTypes()) types_.Register(std::move(t));
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    const graph::GraphOptions options;  // not `GraphOptions{}`: GCC's ICE in check_noexcept_r
    absl::StatusOr<graph::TargetGraph> g =
        graph::LoadTargetGraph(fs_, index_, types_, options, &warnings);
    ASSERT_TRUE(g.ok()) << g.status();
    graph_ = *std::move(g);
    SourceRootConfig config;
    config.root_patterns = std::move(root_patterns);
    absl::StatusOr<SourceRoots> roots = SourceRoots::Create(config, index_);
    ASSERT_TRUE(roots.ok()) << roots.status();
    inferrer_ = std::make_unique<LanguageInferrer<kLanguage>>(
        graph_, index_, fs_, *std::move(roots), enabled,
        [this](std::string w) { warnings_.push_back(std::move(w)); });
  }
  // "address <- rule 'path' origin" per inferred dependency, sorted.
  Strings Infer(const std::string& spec) {
    for (const graph::Target& t : graph_.targets()) {
      if (t.address.Spec() == spec) return graph::test_util::DescribeInferred(inferrer_->Infer(t));
    }
    ADD_FAILURE() << "no target " << spec;
    return {};
  }

  fs::FakeFileSystem fs_;
  graph::TargetTypeRegistry types_;
  fs::FileIndex index_;
  graph::TargetGraph graph_;
  std::unique_ptr<LanguageInferrer<kLanguage>> inferrer_;
  Strings warnings_;
};

}  // namespace braid::pants_backends::test_util

#endif  // BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_TEST_UTIL_H_
