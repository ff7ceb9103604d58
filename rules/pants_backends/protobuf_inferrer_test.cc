#include "rules/pants_backends/protobuf_inferrer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/pants_backends/codegen_imports_test_util.h"

namespace braid::pants_backends {
namespace {

using Strings = std::vector<std::string>;

// "path@line" per import, in order.
Strings Imports(absl::string_view text) {
  return test_util::DescribeImports(ParseProtoImports(text));
}

TEST(ParseProtoImportsTest, FindsEveryFormPantsRegexFinds) {
  EXPECT_EQ(Imports("syntax = \"proto3\";\n"
                    "import \"a/b.proto\";\n"
                    "import public \"c.proto\";\n"
                    "import weak 'd.proto' ;\n"
                    "import 'e.proto'; import \"f.proto\";\n"
                    "import\"g.proto\";\n"),
            (Strings{"a/b.proto@2", "c.proto@3", "d.proto@4", "e.proto@5", "f.proto@5",
                     "g.proto@6"}));
}

TEST(ParseProtoImportsTest, CommentsAreNotSkippedAsInPants) {
  EXPECT_EQ(Imports("// import \"old.proto\";\n/* import 'older.proto'; */\n"),
            (Strings{"old.proto@1", "older.proto@2"}));
}

TEST(ParseProtoImportsTest, DeduplicatedAtTheFirstLine) {
  EXPECT_EQ(Imports("import \"a.proto\";\nimport \"b.proto\";\nimport public \"a.proto\";\n"),
            (Strings{"a.proto@1", "b.proto@2"}));
}

TEST(ParseProtoImportsTest, WhatTheRegexRejects) {
  // No `.proto` ending, no `;`, a modifier glued to `import`, a path across lines.
  EXPECT_EQ(Imports("import \"a.txt\";\nimport \"b.proto\"\nimportpublic \"c.proto\";\n"
                    "import \"d\n.proto\";\n"),
            Strings{});
  // Whitespace (newlines too) between the parts: the line is the `import`'s.
  EXPECT_EQ(Imports("\nimport\n  public\n  \"x/y.proto\"\n  ;\n"), (Strings{"x/y.proto@2"}));
  // `.+?` stretches until `.proto`, a quote and `;` follow; the quotes need not match
  // (what Python's re.findall gives for the same text).
  EXPECT_EQ(Imports("import \"a.proto\" \"b.proto\";\nimport \"c.proto';\n"),
            (Strings{"a.proto\" \"b.proto@1", "c.proto@2"}));
}

using ProtobufInferrerTest =
    test_util::ImportPathInferrerTest<kProtobufLanguage, ProtobufTargetTypes>;

TEST_F(ProtobufInferrerTest, ImportsAreLookedUpWithoutTheSourceRoot) {
  Load({{"src/protos/acme/BUILD", "protobuf_sources()\n"},
        {"src/protos/acme/a.proto",
         "syntax = \"proto3\";\n"
         "import \"acme/b.proto\";\n"
         "import \"google/protobuf/timestamp.proto\";\n"
         "import \"src/protos/acme/c.proto\";\n"},
        {"src/protos/acme/b.proto", "// import 'acme/c.proto';\n"},
        {"src/protos/acme/c.proto", "syntax = \"proto3\";\n"}},
       {"src/protos"});
  // The unknown google/ import and the path with its root are ignored.
  EXPECT_EQ(Infer("src/protos/acme/a.proto"),
            (Strings{"src/protos/acme/b.proto <- protobuf import 'acme/b.proto' "
                     "src/protos/acme/a.proto:2"}));
  // Pants' regex does not skip comments.
  EXPECT_EQ(Infer("src/protos/acme/b.proto"),
            (Strings{"src/protos/acme/c.proto <- protobuf import 'acme/c.proto' "
                     "src/protos/acme/b.proto:1"}));
  EXPECT_EQ(Infer("src/protos/acme/c.proto"), Strings{});
  // The generator infers nothing itself (it depends on what it generated).
  EXPECT_EQ(Infer("src/protos/acme:acme"), Strings{});
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ProtobufInferrerTest, AFileAtTheBuildRootKeepsItsPath) {
  Load({{"idl/BUILD", "protobuf_sources()\n"},
        {"idl/a.proto", "import public 'idl/b.proto';\nimport weak \"b.proto\";\n"},
        {"idl/b.proto", ""},
        {"api/BUILD", "protobuf_source(name='x', source='x.proto')\n"},
        {"api/x.proto", "import \"idl/a.proto\"; import \"idl/b.proto\";\n"}});
  EXPECT_EQ(Infer("idl/a.proto"),
            (Strings{"idl/b.proto <- protobuf import 'idl/b.proto' idl/a.proto:1"}));
  EXPECT_EQ(Infer("api:x"),
            (Strings{"idl/a.proto <- protobuf import 'idl/a.proto' api/x.proto:1",
                     "idl/b.proto <- protobuf import 'idl/b.proto' api/x.proto:1"}));
}

TEST_F(ProtobufInferrerTest, AmbiguousImportWarnsUnlessDependenciesDisambiguate) {
  Load({{"a/common/BUILD", "protobuf_sources()\n"},
        {"a/common/c.proto", ""},
        {"b/common/BUILD", "protobuf_sources()\n"},
        {"b/common/c.proto", ""},
        {"user/BUILD",
         "protobuf_source(name='plain', source='plain.proto')\n"
         "protobuf_source(name='listed', source='listed.proto', "
         "dependencies=['b/common/c.proto'])\n"
         "protobuf_source(name='excluded', source='excluded.proto', "
         "dependencies=['!a/common/c.proto'])\n"
         "protobuf_source(name='excluded_gen', source='excluded_gen.proto', "
         "dependencies=['!b/common:common'])\n"},
        {"user/plain.proto", "syntax = \"proto3\";\nimport \"common/c.proto\";\n"},
        {"user/listed.proto", "import \"common/c.proto\";\n"},
        {"user/excluded.proto", "import \"common/c.proto\";\n"},
        {"user/excluded_gen.proto", "import \"common/c.proto\";\n"}},
       {"/a", "/b", "/user"});
  EXPECT_EQ(Infer("user:plain"), Strings{});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0],
            "user/plain.proto:2: the import 'common/c.proto' in user:plain is ambiguous: 2 "
            "targets own it (a/common/c.proto, b/common/c.proto), so no dependency was "
            "inferred\n  hint: either add the one you want to the `dependencies` field of "
            "user:plain (e.g. \"a/common/c.proto\"), or exclude the others with `!` (e.g. "
            "\"!b/common/c.proto\") so that one owner is left");
  // An owner listed explicitly: no warning, nothing inferred (the explicit dependency is there).
  EXPECT_EQ(Infer("user:listed"), Strings{});
  // `!` leaving one owner, on the file or on its generator: that owner.
  EXPECT_EQ(Infer("user:excluded"),
            (Strings{"b/common/c.proto <- protobuf import 'common/c.proto' "
                     "user/excluded.proto:1"}));
  EXPECT_EQ(Infer("user:excluded_gen"),
            (Strings{"a/common/c.proto <- protobuf import 'common/c.proto' "
                     "user/excluded_gen.proto:1"}));
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(ProtobufInferrerTest, OffWithTheOption) {
  Load({{"p/BUILD", "protobuf_sources()\n"},
        {"p/a.proto", "import \"p/b.proto\";\n"},
        {"p/b.proto", ""}},
       {"/"}, /*enabled=*/false);
  EXPECT_EQ(Infer("p/a.proto"), Strings{});
}

TEST_F(ProtobufInferrerTest, FilesWithoutASourceRootAreNotMapped) {
  Load({{"p/BUILD", "protobuf_sources()\n"},
        {"p/a.proto", "import \"p/b.proto\";\nimport \"b.proto\";\n"},
        {"p/b.proto", ""}},
       {"/src"});
  EXPECT_EQ(Infer("p/a.proto"), Strings{});
}

}  // namespace
}  // namespace braid::pants_backends
