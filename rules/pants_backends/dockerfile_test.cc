#include "rules/pants_backends/dockerfile.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace braid::pants_backends {
namespace {

using Strings = std::vector<std::string>;

// "LINE COMMAND [flags] args" per instruction.
Strings Describe(absl::string_view text) {
  Strings out;
  for (const DockerInstruction& i : ParseDockerfile(text)) {
    out.push_back(absl::StrCat(i.line, " ", i.command, " [", absl::StrJoin(i.flags, ","), "] ",
                               absl::StrJoin(i.args, "|")));
  }
  return out;
}

Strings Values(const std::vector<DockerfileRef>& refs) {
  Strings out;
  for (const DockerfileRef& r : refs) out.push_back(absl::StrCat(r.line, ":", r.value));
  return out;
}

Strings Uses(const std::vector<DockerBuildArgUse>& uses) {
  Strings out;
  for (const DockerBuildArgUse& u : uses) {
    out.push_back(absl::StrCat(u.line, ":", u.name, "=", u.value));
  }
  return out;
}

DockerfileInfo Analyze(absl::string_view text) { return AnalyzeDockerfile(ParseDockerfile(text)); }

TEST(Dockerfile, KeywordsAreCaseInsensitiveAndCommentsAndBlanksSkipped) {
  EXPECT_EQ(Describe("# a comment\n\nfrom python:3.11 AS base\n  Copy a b /dst/\n"),
            (Strings{"3 FROM [] python:3.11|AS|base", "4 COPY [] a|b|/dst/"}));
}

TEST(Dockerfile, ContinuationsJoinLinesSkippingCommentsInside) {
  EXPECT_EQ(Describe("COPY a \\\n  # not an argument\n  b \\\n\n  /dst\nRUN x\n"),
            (Strings{"1 COPY [] a|b|/dst", "6 RUN [] x"}));
}

TEST(Dockerfile, EscapeDirectiveChangesTheContinuationCharacter) {
  EXPECT_EQ(Describe("# escape=`\nCOPY a `\n  b\nCOPY c\\ d\n"),
            (Strings{"2 COPY [] a|b", "4 COPY [] c\\|d"}));
}

TEST(Dockerfile, JsonArrayFormAndFlags) {
  EXPECT_EQ(Describe("COPY --chown=1:1 --from=build [\"a b\", \"c\\\"d\", \"/dst/\"]\n"),
            (Strings{"1 COPY [--chown=1:1,--from=build] a b|c\"d|/dst/"}));
  // Not valid JSON: read as words, brackets and all.
  EXPECT_EQ(Describe("COPY [\"a\", b] /dst\n"), (Strings{"1 COPY [] [\"a\",|b]|/dst"}));
  EXPECT_EQ(Describe("CMD [\"\\u00e9\"]\n"), (Strings{"1 CMD [] \xc3\xa9"}));
}

TEST(Dockerfile, CrLfLineEndings) {
  EXPECT_EQ(Describe("FROM a\r\nCOPY x \\\r\n y\r\n"), (Strings{"1 FROM [] a", "2 COPY [] x|y"}));
}

TEST(Dockerfile, BadInputNeverFails) {
  const char* inputs[] = {"",       "\\",          "COPY \\",         "COPY [\"unterminated",
                          "[]",     "COPY [\"\\u12",  "ARG",          "\n\n\\\n\\\n",
                          "FROM",   "COPY --from",   "\x01\xff\xfe", "COPY [\"a\",]",
                          "#",      "ARG ==",        "FROM $",       "COPY [\"\\q\"] x"};
  for (const char* in : inputs) {
    DockerfileInfo info = Analyze(in);  // must not crash
    for (const DockerfileRef& r : info.copy_source_paths) EXPECT_GE(r.line, 1) << in;
  }
  EXPECT_EQ(Describe("COPY \\"), (Strings{"1 COPY [] "}));
  EXPECT_EQ(Describe("FROM"), (Strings{"1 FROM [] "}));
}

// Deterministic noise over the characters the parser treats specially: it
// must terminate and report lines inside the text.
TEST(Dockerfile, RandomTextNeverFailsAndLinesStayInRange) {
  const std::string alphabet = "COPY FROM ARG copy --from= $ {}[]\"\\\n\r\t #=:/`ab,";
  uint32_t state = 12345;
  auto next = [&state] { return state = state * 1103515245u + 12345u; };
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = (next() >> 16) % 80;
    for (size_t i = 0; i < length; ++i) text.push_back(alphabet[(next() >> 16) % alphabet.size()]);
    const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::vector<DockerInstruction> ins = ParseDockerfile(text);
    for (const DockerInstruction& i : ins) {
      EXPECT_GE(i.line, 1) << text;
      EXPECT_LE(i.line, lines) << text;
    }
    DockerfileInfo info = AnalyzeDockerfile(ins);
    for (const DockerBuildArgUse& u : info.from_image_build_args) EXPECT_LE(u.line, lines);
  }
}

TEST(Dockerfile, CopySourcesExcludeDestinationsFromStagesAndAdd) {
  DockerfileInfo info = Analyze(
      "FROM base\nCOPY a.txt b/ /dst/\nCOPY --from=build /x /y\nADD c.tar /z\n"
      "COPY --chown=app [\"d.pex\", \"/bin/\"]\nCOPY only-dest\n");
  EXPECT_EQ(Values(info.copy_source_paths), (Strings{"2:a.txt", "2:b/", "5:d.pex"}));
}

TEST(Dockerfile, ArgDefinitionsAsWritten) {
  DockerfileInfo info = Analyze("ARG A\narg B=src/x:y\nARG C=\"quoted:q\" \n");
  EXPECT_EQ(Values(info.build_args), (Strings{"1:A", "2:B=src/x:y", "3:C=\"quoted:q\""}));
}

TEST(Dockerfile, FromImageBuildArgsWithAddressDefaults) {
  DockerfileInfo info = Analyze(
      "ARG BASE=src/docker/base:base\nARG NOADDR=a b\nARG EMPTY\nARG Q='//:root'\n"
      "FROM $BASE AS one\nFROM ${Q}\nFROM ${NOADDR}\nFROM $EMPTY\nFROM python:3.11\n"
      "FROM --platform=linux/amd64 $BASE\n");
  EXPECT_EQ(Uses(info.from_image_build_args),
            (Strings{"5:BASE=src/docker/base:base", "6:Q=//:root",
                     "10:BASE=src/docker/base:base"}));
}

TEST(Dockerfile, LaterArgDefinitionWins) {
  DockerfileInfo info = Analyze("ARG B=src/a:a\nFROM $B\nARG B=src/b:b\n");
  EXPECT_EQ(Uses(info.from_image_build_args), (Strings{"2:B=src/b:b"}));
}

TEST(Dockerfile, CopyBuildArgs) {
  DockerfileInfo info =
      Analyze("ARG PEX=src/python/app:bin\nARG OTHER\nCOPY $PEX ${OTHER} /app/\n"
              "COPY --from=x $PEX /y\n");
  EXPECT_EQ(Values(info.copy_source_paths), (Strings{"3:$PEX", "3:${OTHER}"}));
  EXPECT_EQ(Uses(info.copy_build_args), (Strings{"3:PEX=src/python/app:bin"}));
}

TEST(Dockerfile, AddressLikeValuesFollowPantsRegexp) {
  for (const char* ok : {"src/a:b", "//:root", "src/a", ":name", "a#gen", "a@k=v,k2=v2",
                         "python:3.11", "\"src/a:b\"", ""}) {
    EXPECT_TRUE(IsAddressLike(ok)) << ok;
  }
  for (const char* bad : {"a b", "a:b:c", "a:b/c", "a#g#h", "a:"}) {
    EXPECT_FALSE(IsAddressLike(bad)) << bad;
  }
}

TEST(Dockerfile, BuildArgReferences) {
  EXPECT_EQ(BuildArgReference("$A_1"), "A_1");
  EXPECT_EQ(BuildArgReference("${A}"), "A");
  EXPECT_EQ(BuildArgReference("${A"), "A");  // each brace optional, as in Pants
  EXPECT_EQ(BuildArgReference("$A/x"), std::nullopt);
  EXPECT_EQ(BuildArgReference("x$A"), std::nullopt);
  EXPECT_EQ(BuildArgReference("$"), std::nullopt);
}

}  // namespace
}  // namespace braid::pants_backends
