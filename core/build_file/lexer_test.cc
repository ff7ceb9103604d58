#include "core/build_file/lexer.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace braid::build_file {
namespace {

// Renders tokens compactly: NAME:x INT:1 STR:'v' OP:( NL IND DED END.
std::string Lex(const std::string& src) {
  absl::StatusOr<std::vector<Token>> toks = Tokenize("BUILD", src);
  if (!toks.ok()) return std::string(toks.status().message());
  std::vector<std::string> out;
  for (const Token& t : *toks) {
    switch (t.kind) {
      case TokenKind::kName: out.push_back("NAME:" + std::string(t.text)); break;
      case TokenKind::kInt: out.push_back("INT:" + std::to_string(t.int_value)); break;
      case TokenKind::kFloat: out.push_back("FLOAT:" + std::string(t.text)); break;
      case TokenKind::kString: out.push_back(std::string(t.fstring ? "FSTR:" : "STR:") + t.str_value); break;
      case TokenKind::kOp: out.push_back("OP:" + std::string(t.text)); break;
      case TokenKind::kNewline: out.push_back("NL"); break;
      case TokenKind::kIndent: out.push_back("IND"); break;
      case TokenKind::kDedent: out.push_back("DED"); break;
      case TokenKind::kEnd: out.push_back("END"); break;
    }
  }
  return absl::StrJoin(out, " ");
}

TEST(Lexer, Basics) {
  EXPECT_EQ(Lex("x = f(1, 'a')  # comment\n"), "NAME:x OP:= NAME:f OP:( INT:1 OP:, STR:a OP:) NL END");
  EXPECT_EQ(Lex("a **= 2 // 3"), "NAME:a OP:**= INT:2 OP:// INT:3 NL END");
}

TEST(Lexer, Numbers) {
  EXPECT_EQ(Lex("0x1f 0o17 0b101 1_000 0"), "INT:31 INT:15 INT:5 INT:1000 INT:0 NL END");
  EXPECT_EQ(Lex("1.5 .5 1. 1e3 2.5E-2"), "FLOAT:1.5 FLOAT:.5 FLOAT:1. FLOAT:1e3 FLOAT:2.5E-2 NL END");
  EXPECT_EQ(Lex("012"),
            "BUILD:1:1: leading zeros in decimal integer literals are not permitted; use an 0o prefix "
            "for octal integers\n    012\n    ^");
  EXPECT_EQ(Lex("99999999999999999999"), "BUILD:1:1: integer literal too large\n    99999999999999999999\n    ^");
  EXPECT_EQ(Lex("1j"), "BUILD:1:1: complex numbers are not supported in BUILD files\n    1j\n    ^");
}

TEST(Lexer, StringPrefixesAndEscapes) {
  EXPECT_EQ(Lex("'a\\tb' \"q\\\"\" r'\\n' R\"\\d\" b'x' Br'\\x' u'u' rb'y'"),
            "STR:a\tb STR:q\" STR:\\n STR:\\d STR:x STR:\\x STR:u STR:y NL END");
  EXPECT_EQ(Lex("f'{x}' rF'{y}\\n' Fr'z'"), "FSTR:{x} FSTR:{y}\\n FSTR:z NL END");
  EXPECT_EQ(Lex("'\\x41\\u00e9\\101\\N'"), "STR:Aé" "A\\N NL END");
  EXPECT_EQ(Lex("'''a\n'b'\n'''"), "STR:a\n'b'\n NL END");
  EXPECT_EQ(Lex("\"\"\"x\"\"\""), "STR:x NL END");
  EXPECT_EQ(Lex("'a\\\nb'"), "STR:ab NL END");
}

TEST(Lexer, UnterminatedStrings) {
  EXPECT_EQ(Lex("x = 'abc\n"), "BUILD:1:5: unterminated string literal (detected at line 1)\n    x = 'abc\n        ^");
  EXPECT_EQ(Lex("x = '''abc\n\n"),
            "BUILD:1:5: unterminated triple-quoted string literal (detected at line 3)\n    x = '''abc\n        ^");
}

TEST(Lexer, ImplicitLineJoiningAndContinuation) {
  EXPECT_EQ(Lex("f(1,\n  2)\n"), "NAME:f OP:( INT:1 OP:, INT:2 OP:) NL END");
  EXPECT_EQ(Lex("x = 1 + \\\n  2\n"), "NAME:x OP:= INT:1 OP:+ INT:2 NL END");
  EXPECT_EQ(Lex("x = 1 \\ 2"),
            "BUILD:1:7: unexpected character after line continuation character\n    x = 1 \\ 2\n          ^");
}

TEST(Lexer, Indentation) {
  EXPECT_EQ(Lex("if x:\n  a\n\n  # c\n  b\nc\n"),
            "NAME:if NAME:x OP:: NL IND NAME:a NL NAME:b NL DED NAME:c NL END");
  EXPECT_EQ(Lex("if x:\n\tif y:\n\t\ta\n"),
            "NAME:if NAME:x OP:: NL IND NAME:if NAME:y OP:: NL IND NAME:a NL DED DED END");
  EXPECT_EQ(Lex("if x:\n    a\n  b\n"),
            "BUILD:3:3: unindent does not match any outer indentation level\n      b\n      ^");
}

TEST(Lexer, BomAndCrlf) {
  EXPECT_EQ(Lex("\xEF\xBB\xBFx = 1\r\ny = 2\r\n"), "NAME:x OP:= INT:1 NL NAME:y OP:= INT:2 NL END");
  EXPECT_EQ(Lex("x = 1\ry = 2"), "NAME:x OP:= INT:1 NL NAME:y OP:= INT:2 NL END");
}

TEST(Lexer, BracketErrors) {
  EXPECT_EQ(Lex("f(1,\n"), "BUILD:1:2: '(' was never closed\n    f(1,\n     ^");
  EXPECT_EQ(Lex("x = ]"), "BUILD:1:5: unmatched ']'\n    x = ]\n        ^");
  EXPECT_EQ(Lex("f(]"),
            "BUILD:1:3: closing parenthesis ']' does not match opening parenthesis '('\n    f(]\n      ^");
  EXPECT_EQ(Lex("x = $"), "BUILD:1:5: invalid character '$'\n    x = $\n        ^");
}

TEST(Lexer, Positions) {
  absl::StatusOr<std::vector<Token>> toks = Tokenize("BUILD", "a\n  (b)");
  ASSERT_TRUE(toks.ok());
  // a NL IND ( b ) NL DED END
  EXPECT_EQ((*toks)[3].line, 2);
  EXPECT_EQ((*toks)[3].column, 3);
  EXPECT_EQ((*toks)[4].column, 4);
}

}  // namespace
}  // namespace braid::build_file

namespace braid::build_file {
namespace {

TEST(Lexer, NewlineAfterMultiLineBracketEndsTheStatement) {
  EXPECT_EQ(Lex("f(\n  1,\n)\ng()\n"), "NAME:f OP:( INT:1 OP:, OP:) NL NAME:g OP:( OP:) NL END");
}

}  // namespace
}  // namespace braid::build_file
