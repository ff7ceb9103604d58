#include "rules/python/infer/python_inferrer.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"
#include "rules/pants_backends/target_types.h"
#include "rules/python/target_types.h"

namespace braid::python {
namespace {

// A repository on disk (the scan cache stats real files), loaded with the
// Python target types.
class InferrerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/braid-infer-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    RegisterPythonTargetTypes(types_);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Files(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) {
      std::filesystem::path p = std::filesystem::path(root_) / path;
      std::filesystem::create_directories(p.parent_path());
      std::ofstream(p) << text;
    }
  }
  // Loads the graph and makes the inferrer.
  void Load(std::vector<std::string> root_patterns = {"/src", "/tests"}) {
    fs_ = std::make_unique<fs::RealFileSystem>(root_);
    index_ = fs::FileIndex::Build(*fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    graph_ = graph::LoadTargetGraph(*fs_, index_, types_, graph::GraphOptions{}, &warnings).value();
    SourceRootConfig config;
    config.root_patterns = std::move(root_patterns);
    inferrer_ = std::make_unique<PythonInferrer>(
        graph_, index_, *fs_, root_, SourceRoots::Create(config, index_).value(), options_,
        std::make_unique<ImportScanCache>("", options_.ScanConfigKey()),
        [this](std::string w) { warnings_.push_back(std::move(w)); });
  }
  const graph::Target& T(const std::string& spec) {
    for (const graph::Target& t : graph_.targets()) {
      if (t.address.Spec() == spec) return t;
    }
    ADD_FAILURE() << "no target " << spec;
    return graph_.targets().front();
  }
  // "address <- rule 'module' origin" per inferred dependency, sorted. Also
  // checks that InferTargets (lean queries) gives the same targets, status
  // and warnings.
  std::vector<std::string> Infer(const std::string& spec) {
    size_t before = warnings_.size();
    absl::StatusOr<std::vector<graph::Dependency>> full = inferrer_->Infer(T(spec));
    std::vector<std::string> full_warnings(warnings_.begin() + before, warnings_.end());
    absl::StatusOr<std::vector<const graph::Target*>> lean =
        inferrer_->InferTargets(T(spec), graph_);
    std::vector<std::string> lean_warnings(warnings_.begin() + before + full_warnings.size(),
                                           warnings_.end());
    warnings_.resize(before + full_warnings.size());
    EXPECT_EQ(lean_warnings, full_warnings) << spec;
    EXPECT_EQ(lean.status(), full.status()) << spec;
    if (full.ok() && lean.ok()) {
      std::vector<const graph::Target*> want;
      for (const graph::Dependency& d : *full) want.push_back(d.target);
      std::sort(want.begin(), want.end());
      std::sort(lean->begin(), lean->end());
      EXPECT_EQ(*lean, want) << spec;
    }
    return graph::test_util::DescribeInferred(full);
  }

  std::string root_;
  graph::TargetTypeRegistry types_;
  std::unique_ptr<fs::RealFileSystem> fs_;
  fs::FileIndex index_;
  graph::TargetGraph graph_;
  PythonInferOptions options_;
  std::unique_ptr<PythonInferrer> inferrer_;
  std::vector<std::string> warnings_;
};

using Strings = std::vector<std::string>;

TEST_F(InferrerTest, ImportsMapToFirstAndThirdPartyOwners) {
  Files({{"BUILD", "python_requirements(name='reqs')\n"},
         {"requirements.txt", "PyYAML\nrequests\ntypes-requests\n"},
         {"src/pkg/BUILD", "python_sources()\n"},
         {"src/pkg/__init__.py", ""},
         {"src/pkg/util.py", "X = 1\n"},
         {"src/pkg/app.py",
          "import os\nimport yaml\nfrom pkg.util import X\nfrom . import util\n"
          "try:\n    import requests.adapters\nexcept ImportError:\n    pass\n"}});
  Load();
  EXPECT_EQ(Infer("src/pkg/app.py"),
            (Strings{"//:reqs#PyYAML <- import 'yaml' src/pkg/app.py:2",
                     "//:reqs#requests <- weak import 'requests.adapters' src/pkg/app.py:6",
                     "//:reqs#types-requests <- weak import 'requests.adapters' src/pkg/app.py:6",
                     "src/pkg/util.py <- import 'pkg.util' src/pkg/app.py:4",
                     "src/pkg/util.py <- import 'pkg.util.X' src/pkg/app.py:3"}));
  EXPECT_EQ(warnings_, Strings{});
}

// pants.backend.codegen.protobuf.python: a protobuf_source provides the modules protoc
// generates from its root-stripped path, and depends on the protobuf (and grpcio) runtime.
TEST_F(InferrerTest, ProtobufSourcesProvideGeneratedModulesAndNeedTheirRuntime) {
  for (graph::TargetType& t : pants_backends::ProtobufTargetTypes()) types_.Register(std::move(t));
  Files({{"BUILD", "python_requirements(name='reqs')\n"},
         {"requirements.txt", "protobuf\ngrpcio\n"},
         {"protos/acme/BUILD", "protobuf_sources(name='plain')\n"
                               "protobuf_sources(name='svc', sources=['svc.proto'], grpc=True)\n"},
         {"protos/acme/msg.proto", "syntax = 'proto3';\n"},
         {"protos/acme/svc.proto", "syntax = 'proto3';\n"},
         {"src/app/BUILD", "python_sources()\n"},
         {"src/app/main.py",
          "from acme import msg_pb2\nimport acme.svc_pb2_grpc\nimport acme.msg_pb2_grpc\n"
          "import acme.svc_grpc\n"}});
  options_.protobuf = true;
  options_.unowned = PythonInferOptions::Unowned::kIgnore;
  Load({"/src", "/protos"});
  EXPECT_EQ(Infer("src/app/main.py"),
            (Strings{"protos/acme/msg.proto:plain <- import 'acme.msg_pb2' src/app/main.py:1",
                     "protos/acme/svc.proto:svc <- import 'acme.svc_pb2_grpc' src/app/main.py:2"}));
  EXPECT_EQ(Infer("protos/acme/msg.proto:plain"),
            (Strings{"//:reqs#protobuf <- codegen runtime 'google.protobuf' protos/acme/BUILD:1:1"}));
  EXPECT_EQ(Infer("protos/acme/svc.proto:svc"),
            (Strings{"//:reqs#grpcio <- codegen runtime 'grpc' protos/acme/BUILD:2:1",
                     "//:reqs#protobuf <- codegen runtime 'google.protobuf' protos/acme/BUILD:2:1"}));
  // grpclib instead of grpcio: `_grpc` modules, no `_pb2_grpc`.
  options_.protobuf_grpcio = false;
  options_.protobuf_grpclib = true;
  Load({"/src", "/protos"});
  EXPECT_EQ(Infer("src/app/main.py"),
            (Strings{"protos/acme/msg.proto:plain <- import 'acme.msg_pb2' src/app/main.py:1",
                     "protos/acme/svc.proto:svc <- import 'acme.svc_grpc' src/app/main.py:4"}));
  // Without the backend, nothing maps to the protos and they infer nothing.
  options_.protobuf = false;
  Load({"/src", "/protos"});
  EXPECT_EQ(Infer("src/app/main.py"), Strings{});
  EXPECT_EQ(Infer("protos/acme/msg.proto:plain"), Strings{});
  EXPECT_EQ(warnings_, Strings{});
}

TEST_F(InferrerTest, ProtobufRuntimeMissingOrAmbiguousIsALocatedError) {
  for (graph::TargetType& t : pants_backends::ProtobufTargetTypes()) types_.Register(std::move(t));
  Files({{"BUILD", "python_requirement(name='pb', requirements=['protobuf'])\n"},
         {"protos/BUILD", "protobuf_sources(grpc=True)\n"},
         {"protos/a.proto", "syntax = 'proto3';\n"}});
  options_.protobuf = true;
  Load({"/protos"});
  absl::StatusOr<std::vector<graph::Dependency>> deps = inferrer_->Infer(T("protos/a.proto"));
  ASSERT_FALSE(deps.ok());
  EXPECT_NE(deps.status().message().find(
                "protos/BUILD:1:1: no `python_requirement` target was found with the module "
                "`grpc`, so the Python code generated from the target protos/a.proto will not "
                "work properly"),
            std::string::npos)
      << deps.status();
  EXPECT_NE(deps.status().message().find("[python-protobuf].infer_runtime_dependency = false"),
            std::string::npos);
  Files({{"BUILD", "python_requirement(name='pb', requirements=['protobuf'])\n"
                   "python_requirement(name='pb3', requirements=['protobuf==3.20'])\n"
                   "python_requirement(name='grpc', requirements=['grpcio'])\n"}});
  Load({"/protos"});
  deps = inferrer_->Infer(T("protos/a.proto"));
  ASSERT_FALSE(deps.ok());
  EXPECT_NE(deps.status().message().find(
                "multiple `python_requirement` targets provide the module `google.protobuf`, so "
                "it is ambiguous which one is the runtime library of the Python code generated "
                "from the target protos/a.proto: //:pb, //:pb3"),
            std::string::npos)
      << deps.status();
  // Turned off: no runtime dependency, no error.
  options_.protobuf_runtime_dependency = false;
  Load({"/protos"});
  EXPECT_EQ(Infer("protos/a.proto"), Strings{});
}

// pants.backend.codegen.thrift.apache.python: a thrift_source provides `<ns>.ttypes` and
// `<ns>.constants` (`namespace py <ns>`, else the file's stem) and needs the thrift runtime.
TEST_F(InferrerTest, ThriftSourcesProvideTheirNamespaceModulesAndNeedTheRuntime) {
  for (graph::TargetType& t : pants_backends::ThriftTargetTypes()) types_.Register(std::move(t));
  Files({{"BUILD", "python_requirement(name='thrift', requirements=['thrift'])\n"},
         {"idl/BUILD", "thrift_sources()\n"},
         {"idl/svc.thrift",
          "namespace java com.acme.svc\nnamespace  py   acme.svc  \nstruct S {}\n"},
         {"idl/plain.thrift", "struct P {}\n"},
         {"src/app/BUILD", "python_sources()\n"},
         {"src/app/main.py",
          "from acme.svc.ttypes import S\nimport acme.svc.constants\nfrom plain import ttypes\n"
          "import com.acme.svc.ttypes\n"}});
  options_.thrift = true;
  options_.unowned = PythonInferOptions::Unowned::kIgnore;
  Load({"/src", "/idl"});
  EXPECT_EQ(Infer("src/app/main.py"),
            (Strings{"idl/plain.thrift <- import 'plain.ttypes' src/app/main.py:3",
                     "idl/svc.thrift <- import 'acme.svc.constants' src/app/main.py:2",
                     "idl/svc.thrift <- import 'acme.svc.ttypes.S' src/app/main.py:1"}));
  EXPECT_EQ(Infer("idl/svc.thrift"),
            (Strings{"//:thrift <- codegen runtime 'thrift' idl/BUILD:1:1"}));
  options_.thrift_runtime_dependency = false;
  Load({"/src", "/idl"});
  EXPECT_EQ(Infer("idl/svc.thrift"), Strings{});
  options_.thrift = false;
  Load({"/src", "/idl"});
  EXPECT_EQ(Infer("src/app/main.py"), Strings{});
  EXPECT_EQ(warnings_, Strings{});
}

TEST_F(InferrerTest, AmbiguousImportWarnsOnceAndInfersNothing) {
  Files({{"src/a/BUILD", "python_sources()\n"},
         {"src/a/dup.py", ""},
         {"tests/a/BUILD", "python_sources()\n"},
         {"tests/a/dup.py", ""},
         {"src/app/BUILD", "python_sources()\n"},
         {"src/app/main.py", "import a.dup\n"}});
  Load();
  EXPECT_EQ(Infer("src/app/main.py"), Strings{});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0],
            "src/app/main.py:1: the import 'a.dup' in src/app/main.py is ambiguous: 2 targets own "
            "it (src/a/dup.py, tests/a/dup.py), so no dependency was inferred\n"
            "  hint: either add the one you want to the `dependencies` field of src/app/main.py "
            "(e.g. \"src/a/dup.py\"), or exclude the others with `!` (e.g. \"!tests/a/dup.py\") "
            "so that one owner is left");
}

TEST_F(InferrerTest, BangExclusionAndSourceRootResolveAmbiguity) {
  Files({{"src/a/BUILD", "python_sources()\n"},
         {"src/a/dup.py", ""},
         {"tests/a/BUILD", "python_sources()\n"},
         {"tests/a/dup.py", ""},
         {"src/app/BUILD", "python_sources(dependencies=['!tests/a/dup.py'])\n"},
         {"src/app/main.py", "import a.dup\n"},
         {"src/b/BUILD", "python_sources()\n"},
         {"src/b/main.py", "import a.dup\n"}});
  options_.ambiguity_by_source_root = false;
  Load();
  EXPECT_EQ(Infer("src/app/main.py"), Strings{"src/a/dup.py <- import 'a.dup' src/app/main.py:1"});
  EXPECT_EQ(warnings_, Strings{});
  options_.ambiguity_by_source_root = true;
  Load();
  EXPECT_EQ(Infer("src/b/main.py"), Strings{"src/a/dup.py <- import 'a.dup' src/b/main.py:1"});
  EXPECT_EQ(warnings_, Strings{});
}

TEST_F(InferrerTest, UnownedImportIsALocatedErrorUnderError) {
  Files({{"src/app/BUILD", "python_sources()\n"},
         {"src/app/x.py", "import json\nimport foo.bar\nimport baz\n"}});
  options_.unowned = PythonInferOptions::Unowned::kError;
  Load();
  absl::StatusOr<std::vector<graph::Dependency>> deps = inferrer_->Infer(T("src/app/x.py"));
  ASSERT_FALSE(deps.ok());
  EXPECT_EQ(deps.status().code(), absl::StatusCode::kInvalidArgument);
  std::string msg(deps.status().message());
  EXPECT_EQ(msg.substr(0, msg.find('\n')),
            "src/app/x.py:2: cannot infer an owner for the import 'foo.bar'");
  EXPECT_NE(msg.find("import foo.bar\n"), std::string::npos);
  EXPECT_NE(msg.find("also unowned: 'baz' (src/app/x.py:3)"), std::string::npos);
  EXPECT_EQ(inferrer_->InferTargets(T("src/app/x.py"), graph_).status(), deps.status());
  // Ignored modules and `warning` behaviour.
  options_.ignored_unowned_imports = {"foo.*", "baz"};
  Load();
  EXPECT_EQ(Infer("src/app/x.py"), Strings{});
  options_.ignored_unowned_imports = {};
  options_.unowned = PythonInferOptions::Unowned::kWarning;
  Load();
  EXPECT_EQ(Infer("src/app/x.py"), Strings{});
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_EQ(warnings_[0].substr(0, warnings_[0].find('\n')),
            "src/app/x.py:2: cannot infer an owner for the import 'foo.bar' (in src/app/x.py)");
}

TEST_F(InferrerTest, ConftestsInitFilesPragmasAndStringImports) {
  Files({{"tests/BUILD", "python_test_utils(name='utils')\n"},
         {"tests/conftest.py", "\n"},
         {"tests/__init__.py", "   \n"},
         {"tests/pkg/__init__.py", "X = 1\n"},
         {"tests/pkg/BUILD", "python_tests()\npython_sources(name='lib', sources=['__init__.py'])\n"
                             "files(name='data', sources=['data/*.txt'])\n"},
         {"tests/pkg/data/a.txt", ""},
         {"tests/pkg/test_x.py",
          "# pants: infer-dep(:data)\nNAME = 'pkg.helpers.thing'\n"}});
  options_.scan.string_imports = true;
  options_.scan.string_imports_min_dots = 1;
  Files({{"tests/pkg/helpers.py", ""}});
  Files({{"tests/pkg/BUILD", "python_tests()\npython_sources(name='lib', sources=['__init__.py', "
                             "'helpers.py'])\nfiles(name='data', sources=['data/*.txt'])\n"}});
  Load();
  EXPECT_EQ(Infer("tests/pkg/test_x.py"),
            (Strings{"tests/conftest.py:utils <- conftest 'tests/conftest.py' tests/pkg/test_x.py",
                     "tests/pkg/__init__.py:lib <- init file 'tests/pkg/__init__.py' "
                     "tests/pkg/test_x.py",
                     "tests/pkg/data/a.txt:../data <- pragma ':data' tests/pkg/test_x.py:1",
                     "tests/pkg/helpers.py:lib <- string import 'pkg.helpers.thing' "
                     "tests/pkg/test_x.py:2"}));
  options_.init_files = PythonInferOptions::InitFiles::kNever;
  options_.conftests = false;
  options_.scan.string_imports = false;
  Load();
  EXPECT_EQ(Infer("tests/pkg/test_x.py"),
            (Strings{"tests/pkg/data/a.txt:../data <- pragma ':data' tests/pkg/test_x.py:1"}));
}

TEST_F(InferrerTest, EntryPointsAndAssets) {
  Files({{"src/app/BUILD",
          "python_sources()\npex_binary(name='bin', entry_point='app.main:run')\n"
          "pex_binary(name='bin2', entry_point='main.py')\n"
          "python_distribution(name='dist', provides=python_artifact(name='d'), "
          "entry_points={'console_scripts': {'x': 'app.main:run'}})\n"
          "resources(name='res', sources=['tpl/*.html'])\n"},
         {"src/app/main.py", "def run():\n    return open('app/tpl/page.html')\n"},
         {"src/app/tpl/page.html", ""}});
  options_.assets = true;
  Load();
  EXPECT_EQ(Infer("src/app:bin"), Strings{"src/app/main.py <- entry point 'app.main' src/app/BUILD:2:24"});
  EXPECT_EQ(Infer("src/app:bin2"), Strings{"src/app/main.py <- entry point 'main.py' src/app/BUILD:3:25"});
  EXPECT_EQ(Infer("src/app:dist"), Strings{"src/app/main.py <- entry point 'app.main' src/app/BUILD:4:70"});
  EXPECT_EQ(Infer("src/app/main.py"),
            Strings{"src/app/tpl/page.html:../res <- asset 'src/app/tpl/page.html' src/app/main.py:2"});
}

TEST_F(InferrerTest, FileWithoutSourceRootIsAnError) {
  Files({{"lib/BUILD", "python_sources()\n"}, {"lib/x.py", "import os\n"}});
  Load({"/src"});
  absl::StatusOr<std::vector<graph::Dependency>> deps = inferrer_->Infer(T("lib/x.py"));
  ASSERT_FALSE(deps.ok());
  EXPECT_EQ(std::string(deps.status().message()).substr(0, 70),
            "lib/x.py: no source root found for this file, so its imports cannot be");
}

// A batch through the resolver on two threads gives the same dependencies
// and the same warnings, in the same order, as one target at a time.
TEST_F(InferrerTest, ConcurrentBatchEqualsSerialInference) {
  std::map<std::string, std::string> files = {
      {"src/a/BUILD", "python_sources()\n"},
      {"src/BUILD", "python_sources()\n"},
      {"lib/BUILD", "python_sources()\n"},
      {"src/dup.py", ""},
      {"lib/dup.py", ""},  // `import dup` is ambiguous from tests/
      {"tests/BUILD", "python_tests()\n"},
      {"tests/conftest.py", ""},
      {"tests/__init__.py", ""},
  };
  for (int i = 0; i < 120; ++i) {
    std::string n = std::to_string(i);
    files["src/a/m" + n + ".py"] = "import os\nfrom a import m" + std::to_string((i + 1) % 120) + "\n";
    std::string test = "from a import m" + n + "\n";
    if (i % 7 == 0) test += "import dup\n";           // ambiguity warning
    if (i % 11 == 0) test += "import nowhere" + n + "\n";  // unowned warning
    files["tests/test_" + n + ".py"] = test;
  }
  Files(files);
  auto run = [&](int parallelism) {
    Load({"/src", "/lib", "/tests"});
    warnings_.clear();
    std::vector<std::unique_ptr<graph::DependencyInferrer>> v;
    v.push_back(std::move(inferrer_));
    graph::DependencyResolver r(graph_, index_, std::move(v));
    r.set_parallelism(parallelism);
    std::vector<const graph::Target*> all;
    for (const graph::Target& t : graph_.targets()) all.push_back(&t);
    EXPECT_TRUE(r.DirectAll(all).ok());
    std::vector<std::string> out;
    for (const graph::Target* t : all) {
      std::string line = t->address.Spec() + ":";
      for (const graph::Dependency& d : *r.Direct(*t).value()) {
        line += " " + d.address.Spec() + "(" + d.rule + ")";
      }
      out.push_back(line);
    }
    for (const std::string& w : warnings_) out.push_back("WARN " + w);
    return out;
  };
  Strings serial = run(1);
  Strings parallel = run(2);
  EXPECT_EQ(parallel, serial);
  size_t warns = std::count_if(serial.begin(), serial.end(),
                               [](const std::string& l) { return l.rfind("WARN ", 0) == 0; });
  EXPECT_EQ(warns, 18u + 11u);  // i % 7 == 0 (18 of 120), i % 11 == 0 (11 of 120)
}

}  // namespace
}  // namespace braid::python
