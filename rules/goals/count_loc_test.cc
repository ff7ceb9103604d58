#include "rules/goals/count_loc.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace braid {
namespace {

// Expected counts were derived by tracing scc 3.0's state machine by hand.

constexpr char kPython[] =
    "#!/usr/bin/env python3\n"             // comment
    "\"\"\"Module docstring.\n"            // docstring: comment
    "\n"                                   // blank inside a docstring: comment
    "More text.\n"                         // comment
    "\"\"\"\n"                             // comment
    "import os  # trailing comment\n"      // code
    "\n"                                   // blank
    "\n"                                   // blank
    "def f(x):\n"                          // code
    "    if x and not os.sep:\n"           // code; "if ", "and ", "not "
    "        return \"a # not comment\"\n"  // code; nothing counted inside the string
    "    for i in range(3):\n"             // code; "for ", "in " (not the "or " in "for")
    "        pass\n";                      // code

LocCounts Counts(const std::string& language, int64_t lines, int64_t blank, int64_t comment,
                 int64_t code, int64_t complexity, int64_t bytes) {
  LocCounts c;
  c.language = language;
  c.lines = lines;
  c.blank = blank;
  c.comment = comment;
  c.code = code;
  c.complexity = complexity;
  c.bytes = bytes;
  return c;
}

void ExpectCounts(const LocCounts& got, const LocCounts& want) {
  EXPECT_EQ(got.language, want.language);
  EXPECT_EQ(got.lines, want.lines);
  EXPECT_EQ(got.blank, want.blank);
  EXPECT_EQ(got.comment, want.comment);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.complexity, want.complexity);
  EXPECT_EQ(got.bytes, want.bytes);
  EXPECT_FALSE(got.binary);
}

TEST(DetectLanguage, UsesFileNameThenExtensionsCaseInsensitively) {
  EXPECT_EQ(DetectLanguage("src/app/main.py"), "Python");
  EXPECT_EQ(DetectLanguage("stubs/typing.pyi"), "Python");
  EXPECT_EQ(DetectLanguage("src/app/main_test.test.py"), "Python");  // "test.py" -> "py"
  EXPECT_EQ(DetectLanguage("src/ext/speedup.pyx"), "Cython");
  EXPECT_EQ(DetectLanguage("src/app/BUILD"), "Bazel");
  EXPECT_EQ(DetectLanguage("pants.toml"), "TOML");
  EXPECT_EQ(DetectLanguage("LICENSE"), "License");
  EXPECT_EQ(DetectLanguage("docs/README.md"), "Markdown");
  EXPECT_EQ(DetectLanguage("docs/index.rst"), "ReStructuredText");
  EXPECT_EQ(DetectLanguage("requirements.txt"), "Plain Text");
  EXPECT_EQ(DetectLanguage("CMakeLists.txt"), "CMake");
  EXPECT_EQ(DetectLanguage("docker/Dockerfile"), "Dockerfile");
  EXPECT_EQ(DetectLanguage("Makefile"), "Makefile");
  EXPECT_EQ(DetectLanguage("native/lib.H"), "C Header");
  EXPECT_EQ(DetectLanguage("native/lib.hpp"), "C++ Header");
  EXPECT_EQ(DetectLanguage("web/types.d.ts"), "TypeScript");
  EXPECT_EQ(DetectLanguage("config/app.yml"), "YAML");
  EXPECT_EQ(DetectLanguage("scripts/run.sh"), "Shell");
  EXPECT_EQ(DetectLanguage("MANIFEST.in"), "Autoconf");  // scc maps ".in" to Autoconf
  EXPECT_EQ(DetectLanguage("README"), "");
  EXPECT_EQ(DetectLanguage("src/BUILD.pants"), "");
  EXPECT_EQ(DetectLanguage("image.png"), "");
}

TEST(CountLines, PythonCommentsDocstringsAndComplexity) {
  ExpectCounts(CountLines("src/app/main.py", kPython),
               Counts("Python", 13, 2, 5, 6, 5, sizeof(kPython) - 1));
}

TEST(CountLines, PythonOneLineDocstringIsAComment) {
  const std::string src =
      "def g():\n"
      "    \"\"\"Return one.\"\"\"\n"
      "    return 1\n";
  ExpectCounts(CountLines("g.py", src), Counts("Python", 3, 0, 1, 2, 0, src.size()));
}

TEST(CountLines, TripleQuotedStringAfterCodeIsCode) {
  const std::string src =
      "x = \"\"\"text\n"
      "# not a comment inside the string\n"
      "\"\"\"\n";
  ExpectCounts(CountLines("s.py", src), Counts("Python", 3, 0, 0, 3, 0, src.size()));
}

TEST(CountLines, CBlockAndTrailingComments) {
  const std::string src =
      "/* header\n"
      " * more */\n"
      "int main() {  // entry\n"
      "  if (x == 1) { return 0; }\n"
      "  /* a */ int y; /* b */\n"
      "}\n";
  ExpectCounts(CountLines("a.c", src), Counts("C", 6, 0, 2, 4, 2, src.size()));
}

TEST(CountLines, LineEndingsAndEmptyFiles) {
  ExpectCounts(CountLines("e.py", ""), Counts("Python", 0, 0, 0, 0, 0, 0));
  ExpectCounts(CountLines("a.py", "a = 1"), Counts("Python", 1, 0, 0, 1, 0, 5));
  // A trailing empty line counts; "\r\n" is whitespace like "\n".
  ExpectCounts(CountLines("b.py", "a = 1\r\n\r\n"), Counts("Python", 2, 1, 0, 1, 0, 9));
  ExpectCounts(CountLines("c.py", "\n"), Counts("Python", 1, 1, 0, 0, 0, 1));
  // A UTF-8 byte order mark is skipped.
  ExpectCounts(CountLines("d.py", "\xEF\xBB\xBF# c\n"), Counts("Python", 1, 0, 1, 0, 0, 7));
}

TEST(CountLines, LanguagesWithoutCommentsCountEveryNonBlankLineAsCode) {
  const std::string md = "# Title\n\nSome *text*.\n";
  ExpectCounts(CountLines("README.md", md), Counts("Markdown", 3, 1, 0, 2, 0, md.size()));
  const std::string toml = "# comment\n[GLOBAL]\npants_version = \"2.20.0\"\n";
  ExpectCounts(CountLines("pants.toml", toml), Counts("TOML", 3, 0, 1, 2, 0, toml.size()));
}

TEST(CountLines, BinaryAndUnknownFiles) {
  LocCounts bin = CountLines("blob.py", std::string("x\0y\n", 4));
  EXPECT_EQ(bin.language, "Python");
  EXPECT_TRUE(bin.binary);
  LocCounts unknown = CountLines("README", "hello\n");
  EXPECT_EQ(unknown.language, "");
  EXPECT_EQ(unknown.lines, 0);
  EXPECT_EQ(unknown.bytes, 6);
}

TEST(CountLines, UnterminatedTokensDoNotCrash) {
  for (const char* src : {"\"\"\"", "x = '", "\"\"\"abc", "'''\n", "x = \"\"\"", "\\", "\"\\"}) {
    LocCounts c = CountLines("u.py", src);
    EXPECT_LE(c.blank + c.comment + c.code, c.lines + 1) << src;
  }
  LocCounts c = CountLines("u.c", "/*");
  EXPECT_EQ(c.language, "C");
}

constexpr char kRule[] =
    "───────────────────────────────────────────────────────────────────────────────\n";

TEST(RenderCountLocTable, MatchesSccTabularOutput) {
  std::vector<std::pair<std::string, LocCounts>> files = {
      {"src/app/main.py", CountLines("src/app/main.py", kPython)},
      {"src/app/util.py", CountLines("src/app/util.py", "x = 1\n")},
      {"pants.toml",
       CountLines("pants.toml", "# comment\n[GLOBAL]\npants_version = \"2.20.0\"\n")},
      {"src/app/BUILD", CountLines("src/app/BUILD", "python_sources()\n")},
      {"README", CountLines("README", "unknown language: skipped\n")},
      {"blob.py", CountLines("blob.py", std::string("x\0y\n", 4))},
  };
  EXPECT_EQ(RenderCountLocTable(files),
            std::string(kRule) +
                "Language                 Files     Lines   Blanks  Comments     Code Complexity\n" +
                kRule +
                "Python                       2        14        2         5        7          5\n"
                "Bazel                        1         1        0         0        1          0\n"
                "TOML                         1         3        0         1        2          0\n" +
                kRule +
                "Total                        4        18        2         6       10          5\n" +
                kRule +
                "Estimated Cost to Develop $214\n"
                "Estimated Schedule Effort 0.555163 months\n"
                "Estimated People Required 0.034339\n" +
                kRule);
}

TEST(RenderCountLocTable, LargeNumbersWidenColumnsAndGetThousandsSeparators) {
  std::vector<std::pair<std::string, LocCounts>> files = {
      {"big.py", Counts("Python", 12345678, 0, 11111111, 1234567, 99999999999, 1)}};
  EXPECT_EQ(RenderCountLocTable(files),
            std::string(kRule) +
                "Language                 Files     Lines   Blanks  Comments     Code Complexity\n" +
                kRule +
                "Python                       1  12345678        0  11111111  1234567 99999999999\n" +
                kRule +
                "Total                        1  12345678        0  11111111  1234567 99999999999\n" +
                kRule +
                "Estimated Cost to Develop $47,608,634\n"
                "Estimated Schedule Effort 59.694543 months\n"
                "Estimated People Required 70.854430\n" +
                kRule);
}

TEST(RenderCountLocTable, NoCodeGivesTheGrandparentLine) {
  std::vector<std::pair<std::string, LocCounts>> files = {
      {"empty.py", CountLines("empty.py", "")}};
  EXPECT_EQ(RenderCountLocTable(files),
            std::string(kRule) +
                "Language                 Files     Lines   Blanks  Comments     Code Complexity\n" +
                kRule +
                "Python                       1         0        0         0        0          0\n" +
                kRule +
                "Total                        1         0        0         0        0          0\n" +
                kRule +
                "Estimated Cost to Develop $0\n"
                "Estimated Schedule Effort 0.000000 months\n"
                "Estimated People Required 1 Grandparent\n" +
                kRule);
}

TEST(RenderCountLocTable, NoFilesPrintsNothing) { EXPECT_EQ(RenderCountLocTable({}), ""); }

}  // namespace
}  // namespace braid
