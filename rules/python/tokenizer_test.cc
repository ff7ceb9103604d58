#include "rules/python/tokenizer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

// "kind:text@line" per token, kNewline as "NL@line", up to kEnd.
std::vector<std::string> Lex(absl::string_view src) {
  Tokenizer tok(src);
  std::vector<std::string> out;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    std::string k;
    switch (t.kind) {
      case TokenKind::kName: k = "N"; break;
      case TokenKind::kNumber: k = "NUM"; break;
      case TokenKind::kString: k = "S"; break;
      case TokenKind::kOp: k = "OP"; break;
      case TokenKind::kComment: k = "C"; break;
      case TokenKind::kNewline: k = "NL"; break;
      case TokenKind::kError: k = "ERR"; break;
      case TokenKind::kEnd: break;
    }
    out.push_back(t.kind == TokenKind::kNewline ? absl::StrCat("NL@", t.line)
                                                : absl::StrCat(k, ":", tok.Text(t), "@", t.line));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(Tokenizer, SimpleStatementWithNewlineAtEof) {
  EXPECT_EQ(Lex("import a.b as c"),
            (V{"N:import@1", "N:a@1", "OP:.@1", "N:b@1", "N:as@1", "N:c@1", "NL@1"}));
}

TEST(Tokenizer, BlankAndCommentLinesAreNotLogicalLines) {
  EXPECT_EQ(Lex("x\n\n# c\n  \ny\n"),
            (V{"N:x@1", "NL@1", "C:# c@3", "N:y@5", "NL@5"}));
}

TEST(Tokenizer, CrLfAndLoneCrEndLines) {
  EXPECT_EQ(Lex("a\r\nb\rc\n"), (V{"N:a@1", "NL@1", "N:b@2", "NL@2", "N:c@3", "NL@3"}));
}

TEST(Tokenizer, SkipsUtf8Bom) {
  EXPECT_EQ(Lex("\xEF\xBB\xBFimport x\n"), (V{"N:import@1", "N:x@1", "NL@1"}));
}

TEST(Tokenizer, NewlinesInsideBracketsAndAfterBackslashDoNotEndTheLine) {
  EXPECT_EQ(Lex("f(a,\n  b)\nx = 1 + \\\n  2\n"),
            (V{"N:f@1", "OP:(@1", "N:a@1", "OP:,@1", "N:b@2", "OP:)@2", "NL@2", "N:x@3",
               "OP:=@3", "NUM:1@3", "OP:+@3", "NUM:2@4", "NL@4"}));
}

TEST(Tokenizer, IndentationCountsTabsToMultiplesOfEight) {
  Tokenizer tok("if x:\n\t  y\n  \tz\n");
  std::vector<int> indents;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    if (t.line_start) indents.push_back(t.indent);
  }
  EXPECT_EQ(indents, (std::vector<int>{0, 10, 8}));
}

TEST(Tokenizer, StringPrefixesAndTripleQuotes) {
  EXPECT_EQ(Lex("rb'a' Rb\"b\" BR'c' f'd' Fr'e' u'g' '''h\ni''' ub'x'"),
            (V{"S:rb'a'@1", "S:Rb\"b\"@1", "S:BR'c'@1", "S:f'd'@1", "S:Fr'e'@1", "S:u'g'@1",
               "S:'''h\ni'''@1", "N:ub@2", "S:'x'@2", "NL@2"}));
}

TEST(Tokenizer, StringContentExcludesPrefixAndQuotes) {
  Tokenizer tok("rb'''a.b''' 'x\\'y'");
  Token t1 = tok.Next();
  Token t2 = tok.Next();
  EXPECT_EQ(tok.StringContent(t1), "a.b");
  EXPECT_EQ(t1.string_flags, kStringRaw | kStringBytes | kStringTriple);
  EXPECT_EQ(tok.StringContent(t2), "x\\'y");
}

TEST(Tokenizer, FStringReplacementFieldsMayHoldQuotes) {
  // PEP 701 nesting (3.12) and the 3.11 forms: one string token each.
  EXPECT_EQ(Lex("f\"{d[\"k\"]}\" f'{x:'>10}' f'{a!r:>{w}}' f'{{' x"),
            (V{"S:f\"{d[\"k\"]}\"@1", "S:f'{x:'@1", "OP:>@1", "NUM:10@1", "OP:}@1",
               "S:' f'@1", "OP:{@1", "N:a@1", "OP:!@1", "N:r@1", "OP::@1", "OP:>@1", "OP:{@1",
               "N:w@1", "OP:}@1", "OP:}@1", "S:' f'@1", "OP:{@1", "OP:{@1", "S:' x@1", "NL@1"}));
  EXPECT_EQ(Lex("f\"{x:'>10}\" f'{a!r:>{w}}' y"),
            (V{"S:f\"{x:'>10}\"@1", "S:f'{a!r:>{w}}'@1", "N:y@1", "NL@1"}));
}

TEST(Tokenizer, UnterminatedStringEndsAtLineEnd) {
  Tokenizer tok("s = 'abc\nimport x\n");
  std::vector<std::string> texts;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    if (t.kind != TokenKind::kNewline) texts.emplace_back(tok.Text(t));
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"s", "=", "'abc", "import", "x"}));
  ASSERT_EQ(tok.diagnostics().size(), 1u);
  EXPECT_EQ(tok.diagnostics()[0].line, 1);
  EXPECT_EQ(tok.diagnostics()[0].message, "unterminated string literal");
}

TEST(Tokenizer, UnterminatedTripleQuoteResumesAfterTheQuotes) {
  EXPECT_EQ(Lex("x = \"\"\"doc\nimport y\n"),
            (V{"N:x@1", "OP:=@1", "ERR:\"\"\"@1", "N:doc@1", "NL@1", "N:import@2", "N:y@2",
               "NL@2"}));
}

TEST(Tokenizer, StatementKeywordInsideBracketClosesIt) {
  Tokenizer tok("f(a,\nimport b\n");
  std::vector<std::string> out;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    out.push_back(absl::StrCat(tok.Text(t), t.line_start ? "^" : "", "/", t.depth));
  }
  EXPECT_EQ(out, (std::vector<std::string>{"f^/0", "(/0", "a/1", ",/1", "/1", "import^/0",
                                           "b/0", "/0"}));
  ASSERT_EQ(tok.diagnostics().size(), 1u);
  EXPECT_EQ(tok.diagnostics()[0].message, "'(' was never closed");
  EXPECT_EQ(tok.diagnostics()[0].line, 1);
}

TEST(Tokenizer, YieldFromInsideBracketsIsNotRecovery) {
  Tokenizer tok("x = (yield from g)\n");
  int tokens = 0;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) ++tokens;
  EXPECT_EQ(tokens, 8);
  EXPECT_TRUE(tok.diagnostics().empty());
}

TEST(Tokenizer, OperatorsTakeTheLongestMatch) {
  EXPECT_EQ(Lex("a **= b -> ... := != // <<= <>"),
            (V{"N:a@1", "OP:**=@1", "N:b@1", "OP:->@1", "OP:...@1", "OP::=@1", "OP:!=@1",
               "OP://@1", "OP:<<=@1", "OP:<>@1", "NL@1"}));
}

TEST(Tokenizer, NumbersWithExponentsAndHex) {
  EXPECT_EQ(Lex("1e-5 0x1E+1 1_000.5j .5"),
            (V{"NUM:1e-5@1", "NUM:0x1E@1", "OP:+@1", "NUM:1@1", "NUM:1_000.5j@1", "NUM:.5@1",
               "NL@1"}));
}

TEST(Tokenizer, NonAsciiBytesAreIdentifierCharacters) {
  EXPECT_EQ(Lex("caf\xC3\xA9 \xFF\xFE"), (V{"N:caf\xC3\xA9@1", "N:\xFF\xFE@1", "NL@1"}));
}

TEST(Tokenizer, StrayCharactersAreErrorsWithADiagnostic) {
  Tokenizer tok("a $ b");
  std::vector<TokenKind> kinds;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::kName, TokenKind::kError, TokenKind::kName,
                                           TokenKind::kNewline}));
  ASSERT_EQ(tok.diagnostics().size(), 1u);
  EXPECT_EQ(tok.diagnostics()[0].message, "invalid character (byte 0x24)");
}

TEST(Tokenizer, EndIsReturnedForever) {
  Tokenizer tok("");
  EXPECT_EQ(tok.Next().kind, TokenKind::kEnd);
  EXPECT_EQ(tok.Next().kind, TokenKind::kEnd);
}

TEST(Tokenizer, DeeplyNestedFStringsDoNotOverflowTheStack) {
  std::string src;
  for (int i = 0; i < 100000; ++i) src += "f'{";
  Tokenizer tok(src);
  int n = 0;
  while (tok.Next().kind != TokenKind::kEnd) ++n;
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace braid::python
