#include "core/build_file/parser.h"

#include <string>

#include "gtest/gtest.h"

namespace braid::build_file {
namespace {

std::string ParseError(const std::string& src) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile("src/BUILD", src);
  if (m.ok()) return "OK";
  return std::string(m.status().message());
}

TEST(Parser, ParsesEveryStatementKind) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile(
      "BUILD",
      "x = 1\nx += 1\nif x:\n  pass\nelif y:\n  pass\nelse:\n  pass\n"
      "for a, b in c:\n  break\nelse:\n  pass\n"
      "def f(a, b=1, *args, c, **kw):\n  return a\nassert x, 'm'\ndel x\nf(1)\n");
  ASSERT_TRUE(m.ok()) << m.status();
  const Block& body = (*m)->body;
  ASSERT_EQ(body.size(), 8u);
  EXPECT_EQ(body[0]->kind, Stmt::Kind::kAssign);
  EXPECT_EQ(body[1]->kind, Stmt::Kind::kAugAssign);
  EXPECT_EQ(body[2]->kind, Stmt::Kind::kIf);
  EXPECT_EQ(body[2]->orelse[0]->kind, Stmt::Kind::kIf);  // elif
  EXPECT_EQ(body[3]->kind, Stmt::Kind::kFor);
  EXPECT_EQ(body[3]->orelse.size(), 1u);
  EXPECT_EQ(body[4]->kind, Stmt::Kind::kDef);
  EXPECT_EQ(body[4]->function->params.size(), 5u);
  EXPECT_EQ(body[4]->function->params[3].kind, Param::Kind::kKeywordOnly);
  EXPECT_EQ(body[5]->kind, Stmt::Kind::kAssert);
  EXPECT_EQ(body[6]->kind, Stmt::Kind::kDel);
  EXPECT_EQ(body[7]->kind, Stmt::Kind::kExpr);
  EXPECT_EQ(body[7]->line, 17);
}

TEST(Parser, NodesCarryPositions) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile("BUILD", "\n  \nx = [a,\n     b.c(d=1)]\n");
  ASSERT_TRUE(m.ok()) << m.status();
  const Expr& list = *(*m)->body[0]->exprs[1];
  EXPECT_EQ(list.kind, Expr::Kind::kList);
  EXPECT_EQ(list.line, 3);
  EXPECT_EQ(list.column, 5);
  const Expr& call = *list.kids[1];
  EXPECT_EQ(call.kind, Expr::Kind::kCall);
  EXPECT_EQ(call.line, 4);
  EXPECT_EQ(call.column, 6);
  EXPECT_EQ(call.args[0].name, "d");
}

TEST(Parser, AdjacentStringsConcatenate) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile("BUILD", "x = ('a'\n 'b' \"c\")\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->body[0]->exprs[1]->value.Repr(), "'abc'");
}

TEST(Parser, SyntaxErrors) {
  EXPECT_EQ(ParseError("x = = 1\n"), "src/BUILD:1:5: invalid syntax\n    x = = 1\n        ^");
  EXPECT_EQ(ParseError("f(a b)\n"), "src/BUILD:1:5: invalid syntax\n    f(a b)\n        ^");
  EXPECT_EQ(ParseError("  x = 1\n"), "src/BUILD:1:3: unexpected indent\n      x = 1\n      ^");
  EXPECT_EQ(ParseError("x = 1\n    y = 2\n"), "src/BUILD:2:5: unexpected indent\n        y = 2\n        ^");
  EXPECT_EQ(ParseError("if x:\ny = 1\n"), "src/BUILD:2:1: expected an indented block\n    y = 1\n    ^");
  EXPECT_EQ(ParseError("if x\n  pass\n"), "src/BUILD:1:5: expected ':'\n    if x\n        ^");
  EXPECT_EQ(ParseError("f(x=1, 2)\n"),
            "src/BUILD:1:8: positional argument follows keyword argument\n    f(x=1, 2)\n           ^");
  EXPECT_EQ(ParseError("f(x=1, x=2)\n"), "src/BUILD:1:8: keyword argument repeated: x\n    f(x=1, x=2)\n           ^");
  EXPECT_EQ(ParseError("f() = 1\n"), "src/BUILD:1:1: cannot assign to function call\n    f() = 1\n    ^");
  EXPECT_EQ(ParseError("def f(a=1, b):\n  pass\n"),
            "src/BUILD:1:12: parameter without a default follows parameter with a default\n"
            "    def f(a=1, b):\n               ^");
  EXPECT_EQ(ParseError("def f(a, a):\n  pass\n"),
            "src/BUILD:1:10: duplicate argument 'a' in function definition\n    def f(a, a):\n             ^");
  EXPECT_EQ(ParseError("break\n"), "src/BUILD:1:1: 'break' outside loop\n    break\n    ^");
  EXPECT_EQ(ParseError("return 1\n"), "src/BUILD:1:1: 'return' outside function\n    return 1\n    ^");
  EXPECT_EQ(ParseError("f(\n"), "src/BUILD:1:2: '(' was never closed\n    f(\n     ^");
  EXPECT_EQ(ParseError("x = f'{}'\n"),
            "src/BUILD:1:7: f-string: valid expression required before '}'\n    x = f'{}'\n          ^");
  EXPECT_EQ(ParseError("x = f'{a'\n"), "src/BUILD:1:7: f-string: expecting '}'\n    x = f'{a'\n          ^");
  EXPECT_EQ(ParseError("x = f'a}'\n"), "src/BUILD:1:8: f-string: single '}' is not allowed\n    x = f'a}'\n           ^");
  EXPECT_EQ(ParseError("x = f'{a b}'\n"), "src/BUILD:1:10: f-string: invalid syntax\n    x = f'{a b}'\n             ^");
}

TEST(Parser, ForbiddenConstructs) {
  EXPECT_EQ(ParseError("import os\n"),
            "src/BUILD:1:1: import statements are not allowed in BUILD files\n    import os\n    ^");
  EXPECT_EQ(ParseError("x = 1\nfrom a import b\n"),
            "src/BUILD:2:1: import statements are not allowed in BUILD files\n    from a import b\n    ^");
  EXPECT_EQ(ParseError("class A:\n  pass\n"),
            "src/BUILD:1:1: class definitions are not allowed in BUILD files\n    class A:\n    ^");
  EXPECT_EQ(ParseError("while True:\n  pass\n"),
            "src/BUILD:1:1: while loops are not allowed in BUILD files\n    while True:\n    ^");
  EXPECT_EQ(ParseError("def f():\n  global x\n"),
            "src/BUILD:2:3: global statements are not allowed in BUILD files\n      global x\n      ^");
  EXPECT_EQ(ParseError("try:\n  pass\nexcept:\n  pass\n"),
            "src/BUILD:1:1: 'try' statements are not allowed in BUILD files\n    try:\n    ^");
}

TEST(Parser, NestingIsBounded) {
  std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
  EXPECT_EQ(ParseError("x = " + deep + "\n").substr(0, 44), "src/BUILD:1:205: too many nested parentheses");
  std::string deep_ok = "x = " + std::string(50, '[') + std::string(50, ']') + "\n";
  EXPECT_EQ(ParseError(deep_ok), "OK");
  std::string chain = "x = 1";
  for (int i = 0; i < 2000; ++i) chain += " + 1";
  EXPECT_EQ(ParseError(chain + "\n").substr(0, 58), "src/BUILD:1:5: expression too complex (nested too deeply)\n");
  std::string nots = "x = ";
  for (int i = 0; i < 1000; ++i) nots += "not ";
  EXPECT_EQ(ParseError(nots + "1\n").substr(0, 44), "src/BUILD:1:801: too many nested parentheses");
}

TEST(Parser, ParseExpression) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseExpression("<expr>", "1 + 2");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->body[0]->exprs[0]->kind, Expr::Kind::kBinary);
  EXPECT_FALSE(ParseExpression("<expr>", "x = 1").ok());
  EXPECT_FALSE(ParseExpression("<expr>", "1\n2").ok());
}

}  // namespace
}  // namespace braid::build_file
