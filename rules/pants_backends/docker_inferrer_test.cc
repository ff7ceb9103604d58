#include "rules/pants_backends/docker_inferrer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/graph/field_builders.h"
#include "core/graph/output_path.h"
#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"
#include "rules/pants_backends/target_types.h"

namespace braid::pants_backends {
namespace {

using build_file::Value;
using graph::FieldType;
using Strings = std::vector<std::string>;

// The Docker and core-extra types, plus stand-ins for pex_binary and file
// (the Python rules' schemas are not this library's).
graph::TargetTypeRegistry Types() {
  graph::TargetTypeRegistry reg;
  for (graph::TargetType& t : DockerTargetTypes()) reg.Register(std::move(t));
  for (graph::TargetType& t : CoreExtraTargetTypes()) reg.Register(std::move(t));
  graph::TargetType pex;
  pex.alias = "pex_binary";
  pex.fields = {graph::DependenciesField(),
                graph::Field("entry_point", FieldType::kString, Value(), ""),
                graph::Field("output_path", FieldType::kString,
                             Value::String(graph::kDefaultOutputPathTemplate), "")};
  reg.Register(pex);
  graph::TargetType file;
  file.alias = "file";
  file.fields = {graph::Required(graph::Field("source", FieldType::kSource, Value(), "")),
                 graph::DependenciesField()};
  reg.Register(file);
  return reg;
}

class DockerInferrerTest : public ::testing::Test {
 protected:
  void Load(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) fs_.AddFile(path, text);
    types_ = Types();
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    absl::StatusOr<graph::TargetGraph> g =
        graph::LoadTargetGraph(fs_, index_, types_, graph::GraphOptions{}, &warnings);
    ASSERT_TRUE(g.ok()) << g.status();
    graph_ = *std::move(g);
    inferrer_ = std::make_unique<DockerInferrer>(graph_, index_, fs_);
  }
  // "address <- rule 'value' origin" per inferred dependency, sorted.
  Strings Infer(const std::string& spec) {
    const graph::Target* target = nullptr;
    for (const graph::Target& t : graph_.targets()) {
      if (t.address.Spec() == spec) target = &t;
    }
    if (target == nullptr) {
      ADD_FAILURE() << "no target " << spec;
      return {};
    }
    return graph::test_util::DescribeInferred(inferrer_->Infer(*target));
  }

  fs::FakeFileSystem fs_;
  graph::TargetTypeRegistry types_;
  fs::FileIndex index_;
  graph::TargetGraph graph_;
  std::unique_ptr<DockerInferrer> inferrer_;
};

TEST_F(DockerInferrerTest, ExampleDockerRepo) {
  Load({{"src/python/hello_world/BUILD", "pex_binary(name='main', entry_point='main.py')\n"},
        {"src/docker/base/BUILD", "docker_image(name='base')\n"},
        {"src/docker/base/Dockerfile", "FROM python:3.11\n"},
        {"config/BUILD", "file(name='conf', source='app.conf')\n"},
        {"config/app.conf", "x=1\n"},
        {"src/docker/hello_world/BUILD", "docker_image(name='img')\n"},
        {"src/docker/hello_world/Dockerfile",
         "ARG BASE=src/docker/base:base\nFROM $BASE\n"
         "COPY src.python.hello_world/main.pex /bin/app\nCOPY config/app.conf /etc/\n"
         "COPY --from=build config/app.conf /x\n"}});
  EXPECT_EQ(Infer("src/docker/hello_world:img"),
            (Strings{"config:conf <- dockerfile file 'config/app.conf' "
                     "src/docker/hello_world/Dockerfile:4",
                     "src/docker/base:base <- dockerfile 'src/docker/base:base' "
                     "src/docker/hello_world/Dockerfile:2",
                     "src/python/hello_world:main <- dockerfile "
                     "'src.python.hello_world/main.pex' src/docker/hello_world/Dockerfile:3"}));
  EXPECT_EQ(Infer("src/docker/base:base"), Strings{});
}

TEST_F(DockerInferrerTest, FromArgsAreRelativeAndOverriddenByExtraBuildArgs) {
  Load({{"img/BUILD",
         "docker_image(name='a')\ndocker_image(name='b')\ndocker_image(name='c')\n"
         "docker_image(name='over', extra_build_args=['BASE=img:c'])\n"
         "docker_image(name='dropped', extra_build_args=['BASE'])\n"
         "docker_image(name='empty', extra_build_args=['BASE='])\n"},
        {"img/Dockerfile", "ARG BASE=:a\nARG UNUSED=img:b\nFROM ${BASE}\n"}});
  EXPECT_EQ(Infer("img:b"), (Strings{"img:a <- dockerfile ':a' img/Dockerfile:3"}));
  EXPECT_EQ(Infer("img:over"), (Strings{"img:c <- dockerfile 'img:c' img/Dockerfile:3"}));
  EXPECT_EQ(Infer("img:dropped"), Strings{});
  EXPECT_EQ(Infer("img:empty"), Strings{});
}

TEST_F(DockerInferrerTest, CopyBuildArgsAndOutputPathsWithAnyEnding) {
  Load({{"app/BUILD",
         "pex_binary(name='bin')\npex_binary(name='tool', output_path='tools/t.pex')\n"
         "pex_binary(name='bare')\narchive(name='arch', format='zip')\n"},
        {"img/BUILD", "docker_image(source='Containerfile')\n"},
        {"img/Containerfile",
         "ARG BIN=app:bin\nFROM scratch\nCOPY $BIN tools/t.pex app/bare /dst/\n"
         "COPY [\"app/arch.zip\", \"/z/\"]\n"}});
  EXPECT_EQ(Infer("img:img"),
            (Strings{"app:arch <- dockerfile 'app/arch.zip' img/Containerfile:4",
                     "app:bare <- dockerfile 'app/bare' img/Containerfile:3",
                     "app:bin <- dockerfile 'app:bin' img/Containerfile:3",
                     "app:tool <- dockerfile 'tools/t.pex' img/Containerfile:3"}));
}

TEST_F(DockerInferrerTest, InstructionsFieldAndMissingDockerfile) {
  Load({{"base/BUILD", "docker_image(name='base', instructions=['FROM python'])\n"},
        {"img/BUILD",
         "docker_image(name='inline', instructions=['ARG B=base', 'FROM $B'])\n"
         "docker_image(name='missing', source='Nope')\n"}});
  Strings inline_deps = Infer("img:inline");
  ASSERT_EQ(inline_deps.size(), 1u);
  EXPECT_EQ(inline_deps[0].rfind("base:base <- dockerfile 'base' img/BUILD:1", 0), 0u)
      << inline_deps[0];
  EXPECT_EQ(Infer("img:missing"), Strings{});
}

TEST_F(DockerInferrerTest, NonImagesAndInvalidAddressesInferNothing) {
  Load({{"app/BUILD", "pex_binary(name='bin')\n"},
        {"img/BUILD", "docker_image()\n"},
        {"img/Dockerfile", "ARG X=a/../b:c\nFROM $X\nARG Y=//:\nCOPY $Y /\n"}});
  EXPECT_EQ(Infer("app:bin"), Strings{});
  EXPECT_EQ(Infer("img:img"), Strings{});
}

}  // namespace
}  // namespace braid::pants_backends
