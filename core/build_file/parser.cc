#include "core/build_file/parser.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/base/error.h"
#include "core/build_file/lexer.h"

namespace braid::build_file {
namespace {

// Python's own limits: 200 nested parentheses, 100 indentation levels.
constexpr int kMaxNesting = 200;
constexpr int kMaxBlockDepth = 100;
// Longest operator chain / trailer chain (a.b.c..., 1+1+1...): bounds the
// evaluator's recursion on left-nested trees.
constexpr int kMaxExprDepth = 500;

using K = Expr::Kind;

int DepthOf(const Expr* e) { return e == nullptr ? 0 : e->op_depth; }

class Parser {
 public:
  Parser(const std::string& path, absl::string_view source, std::vector<Token> tokens)
      : path_(path), source_(source), toks_(std::move(tokens)) {}

  absl::Status ParseFileBody(Block* out) {
    while (!At(TokenKind::kEnd)) {
      if (At(TokenKind::kNewline)) {
        ++i_;
        continue;
      }
      if (At(TokenKind::kIndent)) return ErrorAt(Cur(), "unexpected indent");
      absl::Status s = ParseStatement(out);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<ExprPtr> ParseWholeExpression() {
    while (At(TokenKind::kNewline)) ++i_;
    absl::StatusOr<ExprPtr> e = ParseTestList(/*allow_star=*/true);
    if (!e.ok()) return e;
    while (At(TokenKind::kNewline)) ++i_;
    if (!At(TokenKind::kEnd)) return ErrorAt(Cur(), "invalid syntax");
    return e;
  }

 private:
  // ---- token helpers ----
  const Token& Cur() const { return toks_[i_]; }
  const Token& Peek(size_t n = 1) const { return toks_[std::min(i_ + n, toks_.size() - 1)]; }
  bool At(TokenKind k) const { return Cur().kind == k; }
  bool AtOp(absl::string_view op) const { return Cur().kind == TokenKind::kOp && Cur().text == op; }
  bool AtKw(absl::string_view kw) const { return Cur().kind == TokenKind::kName && Cur().text == kw; }
  bool AcceptOp(absl::string_view op) {
    if (!AtOp(op)) return false;
    ++i_;
    return true;
  }
  bool AcceptKw(absl::string_view kw) {
    if (!AtKw(kw)) return false;
    ++i_;
    return true;
  }

  absl::Status ErrorAt(const Token& t, absl::string_view msg) {
    Location loc{path_, t.line, t.column, std::string(LineOf(StripBom(source_), t.line))};
    return UserError(loc, msg);
  }
  absl::Status ErrorAtExpr(const Expr& e, absl::string_view msg) {
    Location loc{path_, e.line, e.column, std::string(LineOf(StripBom(source_), e.line))};
    return UserError(loc, msg);
  }
  static absl::string_view StripBom(absl::string_view s) {
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
    return s;
  }

  absl::Status Unexpected() {
    const Token& t = Cur();
    if (t.kind == TokenKind::kIndent) return ErrorAt(t, "unexpected indent");
    if (t.kind == TokenKind::kDedent) return ErrorAt(t, "unindent does not match any outer indentation level");
    return ErrorAt(t, "invalid syntax");
  }

  absl::Status ExpectOp(absl::string_view op) {
    if (AcceptOp(op)) return absl::OkStatus();
    if (op == ":" && (At(TokenKind::kNewline) || At(TokenKind::kEnd))) {
      return ErrorAt(Cur(), "expected ':'");
    }
    return Unexpected();
  }

  absl::StatusOr<std::string> ExpectName() {
    if (!At(TokenKind::kName) || IsKeyword(Cur().text)) return Unexpected();
    return std::string(toks_[i_++].text);
  }

  ExprPtr Make(K kind, const Token& t) { return std::make_unique<Expr>(kind, t.line, t.column); }

  // Records the operator-chain depth of `e` and rejects trees too deep to walk.
  absl::Status Finish(Expr& e) {
    int d = 0;
    for (const ExprPtr& k : e.kids) d = std::max(d, DepthOf(k.get()));
    for (const Arg& a : e.args) d = std::max(d, DepthOf(a.value.get()));
    e.op_depth = d + 1;
    if (e.op_depth > kMaxExprDepth) return ErrorAtExpr(e, "expression too complex (nested too deeply)");
    return absl::OkStatus();
  }

  // RAII nesting counter.
  struct Nest {
    explicit Nest(int* d) : depth(d) { ++*depth; }
    ~Nest() { --*depth; }
    int* depth;
  };
  absl::Status CheckNesting() {
    if (nesting_ > kMaxNesting) return ErrorAt(Cur(), "too many nested parentheses");
    return absl::OkStatus();
  }

  // ---- statements ----
  absl::Status ParseStatement(Block* out) {
    const Token& t = Cur();
    if (t.kind == TokenKind::kName) {
      absl::string_view w = t.text;
      if (w == "if") return ParseIf(out);
      if (w == "for") return ParseFor(out);
      if (w == "def") return ParseDef(out);
      if (w == "while") return ErrorAt(t, "while loops are not allowed in BUILD files");
      if (w == "class") return ErrorAt(t, "class definitions are not allowed in BUILD files");
      if (w == "try" || w == "with" || w == "async") {
        return ErrorAt(t, absl::StrCat("'", w, "' statements are not allowed in BUILD files"));
      }
    }
    if (t.kind == TokenKind::kOp && t.text == "@") {
      return ErrorAt(t, "decorators are not allowed in BUILD files");
    }
    return ParseSimpleLine(out);
  }

  absl::Status ParseSimpleLine(Block* out) {
    while (true) {
      absl::Status s = ParseSmall(out);
      if (!s.ok()) return s;
      if (AcceptOp(";")) {
        if (At(TokenKind::kNewline) || At(TokenKind::kEnd)) break;
        continue;
      }
      break;
    }
    if (At(TokenKind::kNewline)) {
      ++i_;
      return absl::OkStatus();
    }
    if (At(TokenKind::kEnd)) return absl::OkStatus();
    return Unexpected();
  }

  absl::Status ParseSmall(Block* out) {
    const Token& t = Cur();
    if (t.kind == TokenKind::kName) {
      absl::string_view w = t.text;
      if (w == "import" || w == "from") {
        return ErrorAt(t, "import statements are not allowed in BUILD files");
      }
      if (w == "global" || w == "nonlocal") {
        return ErrorAt(t, absl::StrCat(w, " statements are not allowed in BUILD files"));
      }
      if (w == "raise" || w == "yield" || w == "await") {
        return ErrorAt(t, absl::StrCat("'", w, "' is not allowed in BUILD files"));
      }
      if (w == "pass" || w == "break" || w == "continue") {
        ++i_;
        Stmt::Kind k = w == "pass" ? Stmt::Kind::kPass
                       : w == "break" ? Stmt::Kind::kBreak
                                      : Stmt::Kind::kContinue;
        if (k != Stmt::Kind::kPass && loop_depth_ == 0) {
          return ErrorAt(t, absl::StrCat("'", w, "' outside loop"));
        }
        out->push_back(std::make_unique<Stmt>(k, t.line, t.column));
        return absl::OkStatus();
      }
      if (w == "return") {
        if (def_depth_ == 0) return ErrorAt(t, "'return' outside function");
        ++i_;
        auto st = std::make_unique<Stmt>(Stmt::Kind::kReturn, t.line, t.column);
        if (!At(TokenKind::kNewline) && !At(TokenKind::kEnd) && !AtOp(";")) {
          absl::StatusOr<ExprPtr> v = ParseTestList(true);
          if (!v.ok()) return v.status();
          st->exprs.push_back(std::move(*v));
        }
        out->push_back(std::move(st));
        return absl::OkStatus();
      }
      if (w == "assert") {
        ++i_;
        auto st = std::make_unique<Stmt>(Stmt::Kind::kAssert, t.line, t.column);
        absl::StatusOr<ExprPtr> test = ParseTest();
        if (!test.ok()) return test.status();
        st->exprs.push_back(std::move(*test));
        if (AcceptOp(",")) {
          absl::StatusOr<ExprPtr> msg = ParseTest();
          if (!msg.ok()) return msg.status();
          st->exprs.push_back(std::move(*msg));
        }
        out->push_back(std::move(st));
        return absl::OkStatus();
      }
      if (w == "del") {
        ++i_;
        auto st = std::make_unique<Stmt>(Stmt::Kind::kDel, t.line, t.column);
        absl::StatusOr<ExprPtr> targets = ParseExprList();
        if (!targets.ok()) return targets.status();
        absl::Status s = CheckTarget(**targets, "delete");
        if (!s.ok()) return s;
        st->exprs.push_back(std::move(*targets));
        out->push_back(std::move(st));
        return absl::OkStatus();
      }
    }
    // Expression statement, assignment, augmented or annotated assignment.
    absl::StatusOr<ExprPtr> first = ParseTestList(true);
    if (!first.ok()) return first.status();
    if (AtOp("=")) {
      auto st = std::make_unique<Stmt>(Stmt::Kind::kAssign, t.line, t.column);
      st->exprs.push_back(std::move(*first));
      while (AcceptOp("=")) {
        absl::StatusOr<ExprPtr> next = ParseTestList(true);
        if (!next.ok()) return next.status();
        st->exprs.push_back(std::move(*next));
      }
      for (size_t k = 0; k + 1 < st->exprs.size(); ++k) {
        absl::Status s = CheckTarget(*st->exprs[k], "assign to");
        if (!s.ok()) return s;
      }
      out->push_back(std::move(st));
      return absl::OkStatus();
    }
    static constexpr std::pair<absl::string_view, BinOp> kAug[] = {
        {"+=", BinOp::kAdd},    {"-=", BinOp::kSub},     {"*=", BinOp::kMul},
        {"/=", BinOp::kDiv},    {"//=", BinOp::kFloorDiv}, {"%=", BinOp::kMod},
        {"**=", BinOp::kPow},   {"|=", BinOp::kBitOr},   {"&=", BinOp::kBitAnd},
        {"^=", BinOp::kBitXor}, {"<<=", BinOp::kLShift}, {">>=", BinOp::kRShift},
        {"@=", BinOp::kMatMul}};
    for (const auto& [op, bin] : kAug) {
      if (AtOp(op)) {
        const Token& op_tok = Cur();
        ++i_;
        K tk = (*first)->kind;
        if (tk != K::kName && tk != K::kAttribute && tk != K::kSubscript) {
          return ErrorAtExpr(**first, "illegal expression for augmented assignment");
        }
        auto st = std::make_unique<Stmt>(Stmt::Kind::kAugAssign, op_tok.line, op_tok.column);
        st->op = static_cast<int>(bin);
        absl::StatusOr<ExprPtr> v = ParseTestList(true);
        if (!v.ok()) return v.status();
        st->exprs.push_back(std::move(*first));
        st->exprs.push_back(std::move(*v));
        out->push_back(std::move(st));
        return absl::OkStatus();
      }
    }
    if (AtOp(":")) {
      // Annotated assignment `x: int = 1`; the annotation is parsed and dropped.
      K tk = (*first)->kind;
      if (tk != K::kName && tk != K::kAttribute && tk != K::kSubscript) {
        return ErrorAtExpr(**first, "only single target (not tuple) can be annotated");
      }
      ++i_;
      absl::StatusOr<ExprPtr> ann = ParseTest();
      if (!ann.ok()) return ann.status();
      if (AcceptOp("=")) {
        auto st = std::make_unique<Stmt>(Stmt::Kind::kAssign, t.line, t.column);
        absl::StatusOr<ExprPtr> v = ParseTestList(true);
        if (!v.ok()) return v.status();
        st->exprs.push_back(std::move(*first));
        st->exprs.push_back(std::move(*v));
        out->push_back(std::move(st));
      }
      return absl::OkStatus();
    }
    if ((*first)->kind == K::kStarred) {
      return ErrorAtExpr(**first, "can't use starred expression here");
    }
    auto st = std::make_unique<Stmt>(Stmt::Kind::kExpr, t.line, t.column);
    st->exprs.push_back(std::move(*first));
    out->push_back(std::move(st));
    return absl::OkStatus();
  }

  static const char* Describe(const Expr& e) {
    switch (e.kind) {
      case K::kCall: return "function call";
      case K::kConstant: return e.value.kind() == Value::Kind::kNone ? "None"
                                : e.value.kind() == Value::Kind::kBool ? (e.value.bool_value() ? "True" : "False")
                                                                       : "literal";
      case K::kFString: return "f-string expression";
      case K::kBinary:
      case K::kUnary: return "expression";
      case K::kAnd:
      case K::kOr:
      case K::kNot: return "expression";
      case K::kCompare: return "comparison";
      case K::kIfElse: return "conditional expression";
      case K::kLambda: return "lambda";
      case K::kDict: return "dict literal";
      case K::kSet: return "set display";
      case K::kListComp: return "list comprehension";
      case K::kSetComp: return "set comprehension";
      case K::kDictComp: return "dict comprehension";
      case K::kGenerator: return "generator expression";
      default: return "expression";
    }
  }

  absl::Status CheckTarget(const Expr& e, absl::string_view verb) {
    switch (e.kind) {
      case K::kName:
      case K::kAttribute:
      case K::kSubscript: return absl::OkStatus();
      case K::kTuple:
      case K::kList: {
        int stars = 0;
        for (const ExprPtr& k : e.kids) {
          if (k->kind == K::kStarred) {
            if (verb != "assign to") return ErrorAtExpr(*k, "cannot delete starred");
            if (++stars > 1) return ErrorAtExpr(*k, "multiple starred expressions in assignment");
            absl::Status s = CheckTarget(*k->kids[0], verb);
            if (!s.ok()) return s;
            continue;
          }
          absl::Status s = CheckTarget(*k, verb);
          if (!s.ok()) return s;
        }
        return absl::OkStatus();
      }
      case K::kStarred:
        return ErrorAtExpr(e, "starred assignment target must be in a list or tuple");
      default:
        return ErrorAtExpr(e, absl::StrCat("cannot ", verb, " ", Describe(e)));
    }
  }

  absl::Status ParseBlock(Block* out) {
    absl::Status s = ExpectOp(":");
    if (!s.ok()) return s;
    if (!At(TokenKind::kNewline)) return ParseSimpleLine(out);
    ++i_;
    if (!At(TokenKind::kIndent)) return ErrorAt(Cur(), "expected an indented block");
    ++i_;
    Nest n(&block_depth_);
    if (block_depth_ > kMaxBlockDepth) return ErrorAt(Cur(), "too many levels of indentation");
    while (!At(TokenKind::kDedent) && !At(TokenKind::kEnd)) {
      if (At(TokenKind::kNewline)) {
        ++i_;
        continue;
      }
      if (At(TokenKind::kIndent)) return ErrorAt(Cur(), "unexpected indent");
      s = ParseStatement(out);
      if (!s.ok()) return s;
    }
    if (At(TokenKind::kDedent)) ++i_;
    return absl::OkStatus();
  }

  absl::Status ParseIf(Block* out) {
    const Token& t = Cur();
    ++i_;  // if / elif
    auto st = std::make_unique<Stmt>(Stmt::Kind::kIf, t.line, t.column);
    absl::StatusOr<ExprPtr> test = ParseTest();
    if (!test.ok()) return test.status();
    st->exprs.push_back(std::move(*test));
    absl::Status s = ParseBlock(&st->body);
    if (!s.ok()) return s;
    if (AtKw("elif")) {
      s = ParseIf(&st->orelse);
      if (!s.ok()) return s;
    } else if (AcceptKw("else")) {
      s = ParseBlock(&st->orelse);
      if (!s.ok()) return s;
    }
    out->push_back(std::move(st));
    return absl::OkStatus();
  }

  absl::Status ParseFor(Block* out) {
    const Token& t = Cur();
    ++i_;
    auto st = std::make_unique<Stmt>(Stmt::Kind::kFor, t.line, t.column);
    absl::StatusOr<ExprPtr> target = ParseExprList();
    if (!target.ok()) return target.status();
    absl::Status s = CheckTarget(**target, "assign to");
    if (!s.ok()) return s;
    if (!AcceptKw("in")) return Unexpected();
    absl::StatusOr<ExprPtr> iter = ParseTestList(true);
    if (!iter.ok()) return iter.status();
    st->exprs.push_back(std::move(*target));
    st->exprs.push_back(std::move(*iter));
    ++loop_depth_;
    s = ParseBlock(&st->body);
    --loop_depth_;
    if (!s.ok()) return s;
    if (AcceptKw("else")) {
      s = ParseBlock(&st->orelse);
      if (!s.ok()) return s;
    }
    out->push_back(std::move(st));
    return absl::OkStatus();
  }

  absl::Status ParseDef(Block* out) {
    const Token& t = Cur();
    ++i_;
    auto fn = std::make_shared<FunctionDef>();
    fn->line = t.line;
    fn->column = t.column;
    absl::StatusOr<std::string> name = ExpectName();
    if (!name.ok()) return name.status();
    fn->name = *name;
    absl::Status s = ExpectOp("(");
    if (!s.ok()) return s;
    s = ParseParams(fn.get(), ")", /*annotations=*/true);
    if (!s.ok()) return s;
    s = ExpectOp(")");
    if (!s.ok()) return s;
    if (AcceptOp("->")) {
      absl::StatusOr<ExprPtr> ret = ParseTest();
      if (!ret.ok()) return ret.status();
    }
    int saved_loop = loop_depth_;
    loop_depth_ = 0;
    ++def_depth_;
    s = ParseBlock(&fn->body);
    --def_depth_;
    loop_depth_ = saved_loop;
    if (!s.ok()) return s;
    auto st = std::make_unique<Stmt>(Stmt::Kind::kDef, t.line, t.column);
    st->function = std::move(fn);
    out->push_back(std::move(st));
    return absl::OkStatus();
  }

  absl::Status ParseParams(FunctionDef* fn, absl::string_view close, bool annotations) {
    bool seen_default = false, seen_star = false, seen_kwargs = false;
    std::vector<std::string> names;
    while (!AtOp(close)) {
      const Token& pt = Cur();
      if (seen_kwargs) return ErrorAt(pt, "arguments cannot follow var-keyword argument");
      Param p;
      if (AcceptOp("/")) {
        // Positional-only marker: accepted, not enforced.
      } else {
        if (AcceptOp("**")) {
          p.kind = Param::Kind::kKwArgs;
          seen_kwargs = true;
        } else if (AcceptOp("*")) {
          if (seen_star) return ErrorAt(pt, "* argument may appear only once");
          seen_star = true;
          if (AtOp(",") || AtOp(close)) {
            p.kind = Param::Kind::kVarArgs;  // bare `*`: name stays empty
            if (AtOp(close)) return ErrorAt(pt, "named arguments must follow bare *");
          } else {
            p.kind = Param::Kind::kVarArgs;
          }
        } else {
          p.kind = seen_star ? Param::Kind::kKeywordOnly : Param::Kind::kNormal;
        }
        if (!(p.kind == Param::Kind::kVarArgs && (AtOp(",") || AtOp(close)))) {
          absl::StatusOr<std::string> n = ExpectName();
          if (!n.ok()) return n.status();
          p.name = *n;
          if (std::find(names.begin(), names.end(), p.name) != names.end()) {
            return ErrorAt(pt, absl::StrCat("duplicate argument '", p.name,
                                            "' in function definition"));
          }
          names.push_back(p.name);
          if (annotations && AcceptOp(":")) {
            absl::StatusOr<ExprPtr> ann = ParseTest();
            if (!ann.ok()) return ann.status();
          }
        }
        if (AcceptOp("=")) {
          if (p.kind == Param::Kind::kVarArgs || p.kind == Param::Kind::kKwArgs) {
            return ErrorAt(Peek(0), "var-positional argument cannot have default value");
          }
          absl::StatusOr<ExprPtr> d = ParseTest();
          if (!d.ok()) return d.status();
          p.default_value = std::move(*d);
          if (p.kind == Param::Kind::kNormal) seen_default = true;
        } else if (p.kind == Param::Kind::kNormal && seen_default) {
          return ErrorAt(pt, "parameter without a default follows parameter with a default");
        }
        fn->params.push_back(std::move(p));
      }
      if (!AcceptOp(",")) break;
    }
    return absl::OkStatus();
  }

  // ---- expressions ----
  bool StartsExpr() const {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kName:
        return !IsKeyword(t.text) || t.text == "None" || t.text == "True" || t.text == "False" ||
               t.text == "not" || t.text == "lambda";
      case TokenKind::kInt:
      case TokenKind::kFloat:
      case TokenKind::kString: return true;
      case TokenKind::kOp:
        return t.text == "(" || t.text == "[" || t.text == "{" || t.text == "-" ||
               t.text == "+" || t.text == "~" || t.text == "*";
      default: return false;
    }
  }

  // test_list with optional starred items; a trailing or separating comma
  // makes a tuple.
  absl::StatusOr<ExprPtr> ParseTestList(bool allow_star) {
    const Token& t = Cur();
    absl::StatusOr<ExprPtr> first = ParseTestOrStar(allow_star);
    if (!first.ok()) return first;
    if (!AtOp(",")) return first;
    ExprPtr tup = Make(K::kTuple, t);
    tup->kids.push_back(std::move(*first));
    while (AcceptOp(",")) {
      if (!StartsExpr()) break;
      absl::StatusOr<ExprPtr> next = ParseTestOrStar(allow_star);
      if (!next.ok()) return next;
      tup->kids.push_back(std::move(*next));
    }
    return tup;
  }

  absl::StatusOr<ExprPtr> ParseTestOrStar(bool allow_star) {
    if (allow_star && AtOp("*")) {
      const Token& t = Cur();
      ++i_;
      absl::StatusOr<ExprPtr> inner = ParseBitOr();
      if (!inner.ok()) return inner;
      ExprPtr e = Make(K::kStarred, t);
      e->kids.push_back(std::move(*inner));
      return e;
    }
    return ParseTest();
  }

  // exprlist: for-loop and comprehension targets (no comparisons, so `in`
  // is left for the caller).
  absl::StatusOr<ExprPtr> ParseExprList() {
    const Token& t = Cur();
    auto one = [&]() -> absl::StatusOr<ExprPtr> {
      if (AtOp("*")) {
        const Token& st = Cur();
        ++i_;
        absl::StatusOr<ExprPtr> inner = ParseBitOr();
        if (!inner.ok()) return inner;
        ExprPtr e = Make(K::kStarred, st);
        e->kids.push_back(std::move(*inner));
        return e;
      }
      return ParseBitOr();
    };
    absl::StatusOr<ExprPtr> first = one();
    if (!first.ok()) return first;
    if (!AtOp(",")) return first;
    ExprPtr tup = Make(K::kTuple, t);
    tup->kids.push_back(std::move(*first));
    while (AcceptOp(",")) {
      if (AtKw("in") || AtOp("=") || !StartsExpr()) break;
      absl::StatusOr<ExprPtr> next = one();
      if (!next.ok()) return next;
      tup->kids.push_back(std::move(*next));
    }
    return tup;
  }

  absl::StatusOr<ExprPtr> ParseTest() {
    Nest n(&nesting_);
    absl::Status s = CheckNesting();
    if (!s.ok()) return s;
    if (AtKw("lambda")) return ParseLambda(/*allow_cond=*/true);
    const Token& t = Cur();
    absl::StatusOr<ExprPtr> body = ParseOr();
    if (!body.ok()) return body;
    if (!AtKw("if")) return body;
    ++i_;
    absl::StatusOr<ExprPtr> cond = ParseOr();
    if (!cond.ok()) return cond;
    if (!AcceptKw("else")) return ErrorAt(Cur(), "expected 'else' after 'if' expression");
    absl::StatusOr<ExprPtr> other = ParseTest();
    if (!other.ok()) return other;
    ExprPtr e = Make(K::kIfElse, t);
    e->kids.push_back(std::move(*cond));
    e->kids.push_back(std::move(*body));
    e->kids.push_back(std::move(*other));
    return e;
  }

  absl::StatusOr<ExprPtr> ParseLambda(bool allow_cond) {
    const Token& t = Cur();
    ++i_;
    auto fn = std::make_shared<FunctionDef>();
    fn->name = "<lambda>";
    fn->line = t.line;
    fn->column = t.column;
    absl::Status s = ParseParams(fn.get(), ":", /*annotations=*/false);
    if (!s.ok()) return s;
    s = ExpectOp(":");
    if (!s.ok()) return s;
    absl::StatusOr<ExprPtr> body = allow_cond ? ParseTest() : ParseOr();
    if (!body.ok()) return body;
    fn->lambda_body = std::move(*body);
    ExprPtr e = Make(K::kLambda, t);
    e->function = std::move(fn);
    return e;
  }

  absl::StatusOr<ExprPtr> ParseOr() {
    return ParseBoolChain(K::kOr, "or", &Parser::ParseAnd);
  }

  absl::StatusOr<ExprPtr> ParseAnd() {
    return ParseBoolChain(K::kAnd, "and", &Parser::ParseNot);
  }

  // `x <keyword> y <keyword> z`, left-associative, one node per operator.
  absl::StatusOr<ExprPtr> ParseBoolChain(K kind, const char* keyword,
                                         absl::StatusOr<ExprPtr> (Parser::*operand)()) {
    absl::StatusOr<ExprPtr> left = (this->*operand)();
    if (!left.ok()) return left;
    while (AtKw(keyword)) {
      ++i_;
      absl::StatusOr<ExprPtr> right = (this->*operand)();
      if (!right.ok()) return right;
      ExprPtr e = std::make_unique<Expr>(kind, (*left)->line, (*left)->column);
      e->kids.push_back(std::move(*left));
      e->kids.push_back(std::move(*right));
      absl::Status s = Finish(*e);
      if (!s.ok()) return s;
      left = std::move(e);
    }
    return left;
  }

  absl::StatusOr<ExprPtr> ParseNot() {
    if (AtKw("not")) {
      Nest n(&nesting_);
      absl::Status s = CheckNesting();
      if (!s.ok()) return s;
      const Token& t = Cur();
      ++i_;
      absl::StatusOr<ExprPtr> inner = ParseNot();
      if (!inner.ok()) return inner;
      ExprPtr e = Make(K::kNot, t);
      e->kids.push_back(std::move(*inner));
      return e;
    }
    return ParseComparison();
  }

  bool AtCompOp(CmpOp* op, int* width) {
    const Token& t = Cur();
    *width = 1;
    if (t.kind == TokenKind::kOp) {
      if (t.text == "==") *op = CmpOp::kEq;
      else if (t.text == "!=") *op = CmpOp::kNe;
      else if (t.text == "<") *op = CmpOp::kLt;
      else if (t.text == "<=") *op = CmpOp::kLe;
      else if (t.text == ">") *op = CmpOp::kGt;
      else if (t.text == ">=") *op = CmpOp::kGe;
      else return false;
      return true;
    }
    if (t.kind != TokenKind::kName) return false;
    if (t.text == "in") {
      *op = CmpOp::kIn;
      return true;
    }
    if (t.text == "not" && Peek().kind == TokenKind::kName && Peek().text == "in") {
      *op = CmpOp::kNotIn;
      *width = 2;
      return true;
    }
    if (t.text == "is") {
      if (Peek().kind == TokenKind::kName && Peek().text == "not") {
        *op = CmpOp::kIsNot;
        *width = 2;
      } else {
        *op = CmpOp::kIs;
      }
      return true;
    }
    return false;
  }

  absl::StatusOr<ExprPtr> ParseComparison() {
    absl::StatusOr<ExprPtr> left = ParseBitOr();
    if (!left.ok()) return left;
    CmpOp op;
    int width;
    if (!AtCompOp(&op, &width)) return left;
    ExprPtr e = std::make_unique<Expr>(K::kCompare, (*left)->line, (*left)->column);
    e->kids.push_back(std::move(*left));
    while (AtCompOp(&op, &width)) {
      i_ += static_cast<size_t>(width);
      absl::StatusOr<ExprPtr> right = ParseBitOr();
      if (!right.ok()) return right;
      e->cmp_ops.push_back(op);
      e->kids.push_back(std::move(*right));
    }
    absl::Status s = Finish(*e);
    if (!s.ok()) return s;
    return e;
  }

  // Left-associative binary levels, loosest first.
  absl::StatusOr<ExprPtr> ParseBinaryLevel(int level) {
    struct OpMap {
      absl::string_view text;
      BinOp op;
    };
    static const std::vector<std::vector<OpMap>> kLevels = {
        {{"|", BinOp::kBitOr}},
        {{"^", BinOp::kBitXor}},
        {{"&", BinOp::kBitAnd}},
        {{"<<", BinOp::kLShift}, {">>", BinOp::kRShift}},
        {{"+", BinOp::kAdd}, {"-", BinOp::kSub}},
        {{"*", BinOp::kMul}, {"/", BinOp::kDiv}, {"//", BinOp::kFloorDiv}, {"%", BinOp::kMod},
         {"@", BinOp::kMatMul}},
    };
    if (level == static_cast<int>(kLevels.size())) return ParseFactor();
    absl::StatusOr<ExprPtr> left = ParseBinaryLevel(level + 1);
    if (!left.ok()) return left;
    while (Cur().kind == TokenKind::kOp) {
      const OpMap* found = nullptr;
      for (const OpMap& m : kLevels[static_cast<size_t>(level)]) {
        if (Cur().text == m.text) found = &m;
      }
      if (found == nullptr) break;
      ++i_;
      absl::StatusOr<ExprPtr> right = ParseBinaryLevel(level + 1);
      if (!right.ok()) return right;
      ExprPtr e = std::make_unique<Expr>(K::kBinary, (*left)->line, (*left)->column);
      e->op = static_cast<int>(found->op);
      e->kids.push_back(std::move(*left));
      e->kids.push_back(std::move(*right));
      absl::Status s = Finish(*e);
      if (!s.ok()) return s;
      left = std::move(e);
    }
    return left;
  }

  absl::StatusOr<ExprPtr> ParseBitOr() { return ParseBinaryLevel(0); }

  absl::StatusOr<ExprPtr> ParseFactor() {
    const Token& t = Cur();
    if (t.kind == TokenKind::kOp && (t.text == "-" || t.text == "+" || t.text == "~")) {
      Nest n(&nesting_);
      absl::Status s = CheckNesting();
      if (!s.ok()) return s;
      ++i_;
      absl::StatusOr<ExprPtr> inner = ParseFactor();
      if (!inner.ok()) return inner;
      // Fold -<number literal> so `-1` is a constant (and INT64_MIN parses).
      if (t.text == "-" && (*inner)->kind == K::kConstant) {
        Value& v = (*inner)->value;
        if (v.kind() == Value::Kind::kInt && v.int_value() != INT64_MIN) {
          ExprPtr c = Make(K::kConstant, t);
          c->value = Value::Int(-v.int_value());
          return c;
        }
        if (v.kind() == Value::Kind::kFloat) {
          ExprPtr c = Make(K::kConstant, t);
          c->value = Value::Float(-v.float_value());
          return c;
        }
      }
      ExprPtr e = Make(K::kUnary, t);
      e->op = static_cast<int>(t.text == "-" ? UnaryOp::kNeg : t.text == "+" ? UnaryOp::kPos
                                                                            : UnaryOp::kInvert);
      e->kids.push_back(std::move(*inner));
      return e;
    }
    return ParsePower();
  }

  absl::StatusOr<ExprPtr> ParsePower() {
    absl::StatusOr<ExprPtr> base = ParseAtomExpr();
    if (!base.ok()) return base;
    if (!AtOp("**")) return base;
    ++i_;
    absl::StatusOr<ExprPtr> exp = ParseFactor();
    if (!exp.ok()) return exp;
    ExprPtr e = std::make_unique<Expr>(K::kBinary, (*base)->line, (*base)->column);
    e->op = static_cast<int>(BinOp::kPow);
    e->kids.push_back(std::move(*base));
    e->kids.push_back(std::move(*exp));
    absl::Status s = Finish(*e);
    if (!s.ok()) return s;
    return e;
  }

  absl::StatusOr<ExprPtr> ParseAtomExpr() {
    absl::StatusOr<ExprPtr> atom = ParseAtom();
    if (!atom.ok()) return atom;
    ExprPtr cur = std::move(*atom);
    while (true) {
      if (AtOp("(")) {
        const Token& open = Cur();
        ++i_;
        absl::Status s;
        ExprPtr call = std::make_unique<Expr>(K::kCall, cur->line, cur->column);
        call->kids.push_back(std::move(cur));
        s = ParseCallArgs(call.get(), open);
        if (!s.ok()) return s;
        s = Finish(*call);
        if (!s.ok()) return s;
        cur = std::move(call);
      } else if (AtOp("[")) {
        ++i_;
        absl::Status s;
        ExprPtr sub = std::make_unique<Expr>(K::kSubscript, cur->line, cur->column);
        sub->kids.push_back(std::move(cur));
        absl::StatusOr<ExprPtr> index = ParseSubscriptList();
        if (!index.ok()) return index;
        sub->kids.push_back(std::move(*index));
        s = ExpectOp("]");
        if (!s.ok()) return s;
        s = Finish(*sub);
        if (!s.ok()) return s;
        cur = std::move(sub);
      } else if (AtOp(".")) {
        ++i_;
        absl::StatusOr<std::string> name = ExpectName();
        if (!name.ok()) return name.status();
        ExprPtr attr = std::make_unique<Expr>(K::kAttribute, cur->line, cur->column);
        attr->name = std::move(*name);
        attr->kids.push_back(std::move(cur));
        absl::Status s = Finish(*attr);
        if (!s.ok()) return s;
        cur = std::move(attr);
      } else {
        break;
      }
    }
    return cur;
  }

  absl::StatusOr<ExprPtr> ParseSubscriptList() {
    const Token& t = Cur();
    absl::StatusOr<ExprPtr> first = ParseSubscript();
    if (!first.ok()) return first;
    if (!AtOp(",")) return first;
    ExprPtr tup = Make(K::kTuple, t);
    tup->kids.push_back(std::move(*first));
    while (AcceptOp(",")) {
      if (AtOp("]")) break;
      absl::StatusOr<ExprPtr> next = ParseSubscript();
      if (!next.ok()) return next;
      tup->kids.push_back(std::move(*next));
    }
    return tup;
  }

  absl::StatusOr<ExprPtr> ParseSubscript() {
    const Token& t = Cur();
    ExprPtr lower;
    if (!AtOp(":")) {
      absl::StatusOr<ExprPtr> e = ParseTest();
      if (!e.ok()) return e;
      if (!AtOp(":")) return e;
      lower = std::move(*e);
    }
    ExprPtr slice = Make(K::kSlice, t);
    ++i_;  // ':'
    ExprPtr upper, step;
    if (!AtOp("]") && !AtOp(":") && !AtOp(",")) {
      absl::StatusOr<ExprPtr> e = ParseTest();
      if (!e.ok()) return e;
      upper = std::move(*e);
    }
    if (AcceptOp(":")) {
      if (!AtOp("]") && !AtOp(",")) {
        absl::StatusOr<ExprPtr> e = ParseTest();
        if (!e.ok()) return e;
        step = std::move(*e);
      }
    }
    slice->kids.push_back(std::move(lower));
    slice->kids.push_back(std::move(upper));
    slice->kids.push_back(std::move(step));
    return slice;
  }

  absl::Status ParseCallArgs(Expr* call, const Token& open) {
    bool seen_keyword = false, seen_double_star = false;
    std::vector<std::string> keywords;
    while (!AtOp(")")) {
      const Token& at = Cur();
      Arg a;
      a.line = at.line;
      a.column = at.column;
      if (AcceptOp("**")) {
        a.kind = Arg::Kind::kDoubleStar;
        seen_double_star = true;
      } else if (AcceptOp("*")) {
        if (seen_double_star) {
          return ErrorAt(at, "iterable argument unpacking follows keyword argument unpacking");
        }
        a.kind = Arg::Kind::kStar;
      } else if (At(TokenKind::kName) && Peek().kind == TokenKind::kOp && Peek().text == "=") {
        if (IsKeyword(Cur().text)) return ErrorAt(at, "expression cannot contain assignment, perhaps you meant \"==\"?");
        a.kind = Arg::Kind::kKeyword;
        a.name = std::string(Cur().text);
        if (std::find(keywords.begin(), keywords.end(), a.name) != keywords.end()) {
          return ErrorAt(at, absl::StrCat("keyword argument repeated: ", a.name));
        }
        keywords.push_back(a.name);
        i_ += 2;
        seen_keyword = true;
      } else {
        if (seen_double_star) return ErrorAt(at, "positional argument follows keyword argument unpacking");
        if (seen_keyword) return ErrorAt(at, "positional argument follows keyword argument");
      }
      absl::StatusOr<ExprPtr> v = ParseTest();
      if (!v.ok()) return v.status();
      if (a.kind == Arg::Kind::kPositional && AtKw("for")) {
        // f(x for x in y): a lone generator argument.
        absl::StatusOr<ExprPtr> gen = ParseComprehensionTail(K::kGenerator, at, std::move(*v), nullptr);
        if (!gen.ok()) return gen.status();
        v = std::move(gen);
        if (!call->args.empty() || !AtOp(")")) {
          return ErrorAt(at, "Generator expression must be parenthesized");
        }
      }
      if (AtOp("=") && a.kind != Arg::Kind::kKeyword) {
        return ErrorAt(Cur(), "expression cannot contain assignment, perhaps you meant \"==\"?");
      }
      a.value = std::move(*v);
      call->args.push_back(std::move(a));
      if (!AcceptOp(",")) break;
    }
    if (!AcceptOp(")")) return Unexpected();
    (void)open;
    return absl::OkStatus();
  }

  // Parses `for ... in ... [if ...]...` clauses after an element.
  absl::StatusOr<ExprPtr> ParseComprehensionTail(K kind, const Token& t, ExprPtr elt, ExprPtr value) {
    ExprPtr e = Make(kind, t);
    e->kids.push_back(std::move(elt));
    if (value) e->kids.push_back(std::move(value));
    while (AtKw("for")) {
      ++i_;
      Comprehension c;
      absl::StatusOr<ExprPtr> target = ParseExprList();
      if (!target.ok()) return target;
      absl::Status s = CheckTarget(**target, "assign to");
      if (!s.ok()) return s;
      if (!AcceptKw("in")) return Unexpected();
      absl::StatusOr<ExprPtr> iter = ParseOr();
      if (!iter.ok()) return iter;
      c.target = std::move(*target);
      c.iter = std::move(*iter);
      while (AtKw("if")) {
        ++i_;
        absl::StatusOr<ExprPtr> cond = AtKw("lambda") ? ParseLambda(false) : ParseOr();
        if (!cond.ok()) return cond;
        c.conditions.push_back(std::move(*cond));
      }
      e->comps.push_back(std::move(c));
    }
    return e;
  }

  absl::StatusOr<ExprPtr> ParseAtom() {
    const Token& t = Cur();
    switch (t.kind) {
      case TokenKind::kInt: {
        ++i_;
        ExprPtr e = Make(K::kConstant, t);
        e->value = Value::Int(t.int_value);
        return e;
      }
      case TokenKind::kFloat: {
        ++i_;
        ExprPtr e = Make(K::kConstant, t);
        e->value = Value::Float(t.float_value);
        return e;
      }
      case TokenKind::kString: return ParseStrings();
      case TokenKind::kName: {
        if (t.text == "None" || t.text == "True" || t.text == "False") {
          ++i_;
          ExprPtr e = Make(K::kConstant, t);
          if (t.text != "None") e->value = Value::Bool(t.text == "True");
          return e;
        }
        if (IsKeyword(t.text)) {
          if (t.text == "yield" || t.text == "await") {
            return ErrorAt(t, absl::StrCat("'", t.text, "' is not allowed in BUILD files"));
          }
          return Unexpected();
        }
        ++i_;
        ExprPtr e = Make(K::kName, t);
        e->name = std::string(t.text);
        return e;
      }
      case TokenKind::kOp: {
        if (t.text == "(") return ParseParen();
        if (t.text == "[") return ParseBracket();
        if (t.text == "{") return ParseBrace();
        if (t.text == "...") return ErrorAt(t, "Ellipsis is not supported in BUILD files");
        return Unexpected();
      }
      case TokenKind::kNewline:
      case TokenKind::kEnd: return ErrorAt(t, "invalid syntax");
      default: return Unexpected();
    }
  }

  absl::StatusOr<ExprPtr> ParseParen() {
    const Token& t = Cur();
    ++i_;
    absl::Status s;
    if (AcceptOp(")")) return Make(K::kTuple, t);
    if (AtKw("yield")) return ErrorAt(Cur(), "'yield' is not allowed in BUILD files");
    absl::StatusOr<ExprPtr> first = ParseTestOrStar(true);
    if (!first.ok()) return first;
    if (AtKw("for")) {
      absl::StatusOr<ExprPtr> gen = ParseComprehensionTail(K::kGenerator, t, std::move(*first), nullptr);
      if (!gen.ok()) return gen;
      s = ExpectOp(")");
      if (!s.ok()) return s;
      return gen;
    }
    if (AcceptOp(")")) {
      if ((*first)->kind == K::kStarred) return ErrorAtExpr(**first, "cannot use starred expression here");
      return first;
    }
    if (!AtOp(",")) return Unexpected();
    ExprPtr tup = Make(K::kTuple, t);
    tup->kids.push_back(std::move(*first));
    while (AcceptOp(",")) {
      if (AtOp(")")) break;
      absl::StatusOr<ExprPtr> next = ParseTestOrStar(true);
      if (!next.ok()) return next;
      tup->kids.push_back(std::move(*next));
    }
    s = ExpectOp(")");
    if (!s.ok()) return s;
    return tup;
  }

  absl::StatusOr<ExprPtr> ParseBracket() {
    const Token& t = Cur();
    ++i_;
    absl::Status s;
    ExprPtr list = Make(K::kList, t);
    if (AcceptOp("]")) return list;
    absl::StatusOr<ExprPtr> first = ParseTestOrStar(true);
    if (!first.ok()) return first;
    if (AtKw("for")) {
      absl::StatusOr<ExprPtr> comp = ParseComprehensionTail(K::kListComp, t, std::move(*first), nullptr);
      if (!comp.ok()) return comp;
      s = ExpectOp("]");
      if (!s.ok()) return s;
      return comp;
    }
    list->kids.push_back(std::move(*first));
    while (AcceptOp(",")) {
      if (AtOp("]")) break;
      absl::StatusOr<ExprPtr> next = ParseTestOrStar(true);
      if (!next.ok()) return next;
      list->kids.push_back(std::move(*next));
    }
    s = ExpectOp("]");
    if (!s.ok()) return s;
    return list;
  }

  absl::StatusOr<ExprPtr> ParseBrace() {
    const Token& t = Cur();
    ++i_;
    absl::Status s;
    if (AcceptOp("}")) return Make(K::kDict, t);
    // First item decides dict vs set.
    ExprPtr key, value;
    if (AcceptOp("**")) {
      absl::StatusOr<ExprPtr> v = ParseBitOr();
      if (!v.ok()) return v;
      value = std::move(*v);
    } else {
      absl::StatusOr<ExprPtr> k = ParseTestOrStar(true);
      if (!k.ok()) return k;
      key = std::move(*k);
      if (AcceptOp(":")) {
        absl::StatusOr<ExprPtr> v = ParseTest();
        if (!v.ok()) return v;
        value = std::move(*v);
      }
    }
    bool is_dict = value != nullptr;
    if (AtKw("for")) {
      absl::StatusOr<ExprPtr> comp =
          is_dict ? ParseComprehensionTail(K::kDictComp, t, std::move(key), std::move(value))
                  : ParseComprehensionTail(K::kSetComp, t, std::move(key), nullptr);
      if (!comp.ok()) return comp;
      if (is_dict && (*comp)->kids[0] == nullptr) {
        return ErrorAt(t, "dict unpacking cannot be used in dict comprehension");
      }
      s = ExpectOp("}");
      if (!s.ok()) return s;
      return comp;
    }
    ExprPtr e = Make(is_dict ? K::kDict : K::kSet, t);
    e->kids.push_back(std::move(key));
    if (is_dict) e->kids.push_back(std::move(value));
    while (AcceptOp(",")) {
      if (AtOp("}")) break;
      if (is_dict) {
        if (AcceptOp("**")) {
          absl::StatusOr<ExprPtr> v = ParseBitOr();
          if (!v.ok()) return v;
          e->kids.push_back(nullptr);
          e->kids.push_back(std::move(*v));
          continue;
        }
        absl::StatusOr<ExprPtr> k = ParseTest();
        if (!k.ok()) return k;
        s = ExpectOp(":");
        if (!s.ok()) return s;
        absl::StatusOr<ExprPtr> v = ParseTest();
        if (!v.ok()) return v;
        e->kids.push_back(std::move(*k));
        e->kids.push_back(std::move(*v));
      } else {
        absl::StatusOr<ExprPtr> k = ParseTestOrStar(true);
        if (!k.ok()) return k;
        e->kids.push_back(std::move(*k));
      }
    }
    s = ExpectOp("}");
    if (!s.ok()) return s;
    return e;
  }

  // Adjacent string literals concatenate; any f-string among them makes the
  // whole an f-string whose plain pieces are literal parts.
  absl::StatusOr<ExprPtr> ParseStrings() {
    const Token& first = Cur();
    bool any_f = false;
    size_t j = i_;
    while (toks_[j].kind == TokenKind::kString) {
      any_f = any_f || toks_[j].fstring;
      ++j;
    }
    if (!any_f) {
      std::string s;
      for (; i_ < j; ++i_) s += toks_[i_].str_value;
      ExprPtr e = Make(K::kConstant, first);
      e->value = Value::String(std::move(s));
      return e;
    }
    ExprPtr e = Make(K::kFString, first);
    e->fstring = std::make_unique<FString>();
    for (; i_ < j; ++i_) {
      const Token& t = toks_[i_];
      if (!t.fstring) {
        FStringPart p;
        p.literal = t.str_value;
        e->fstring->parts.push_back(std::move(p));
        continue;
      }
      absl::Status s = ParseFStringBody(t, t.body_offset, t.body_offset + t.str_value.size(),
                                        &e->fstring->parts, 0);
      if (!s.ok()) return s;
    }
    return e;
  }

  // Line/column of byte `off` of the source, counting from the token body.
  void PosAt(const Token& t, size_t off, int* line, int* col) {
    *line = t.body_line;
    *col = t.body_column;
    for (size_t k = t.body_offset; k < off; ++k) {
      if (source_[k] == '\n' || (source_[k] == '\r' && (k + 1 >= source_.size() || source_[k + 1] != '\n'))) {
        ++*line;
        *col = 1;
      } else if (source_[k] != '\r') {
        ++*col;
      }
    }
  }

  absl::Status FError(const Token& t, size_t off, absl::string_view msg) {
    int line, col;
    PosAt(t, off, &line, &col);
    Location loc{path_, line, col, std::string(LineOf(StripBom(source_), line))};
    return UserError(loc, absl::StrCat("f-string: ", msg));
  }

  // Parses source_[begin, end) of an f-string body into parts. `depth` > 0
  // inside a format spec (where only one more level of fields is allowed).
  absl::Status ParseFStringBody(const Token& t, size_t begin, size_t end,
                                std::vector<FStringPart>* parts, int depth) {
    std::string lit;
    auto flush = [&]() {
      if (lit.empty()) return;
      FStringPart p;
      p.literal = t.raw ? lit : DecodeEscapes(lit);
      parts->push_back(std::move(p));
      lit.clear();
    };
    size_t k = begin;
    while (k < end) {
      char c = source_[k];
      if (c == '{') {
        if (k + 1 < end && source_[k + 1] == '{' && depth == 0) {
          lit.push_back('{');
          k += 2;
          continue;
        }
        flush();
        absl::StatusOr<size_t> next = ParseField(t, k, end, parts, depth);
        if (!next.ok()) return next.status();
        k = *next;
        continue;
      }
      if (c == '}') {
        if (k + 1 < end && source_[k + 1] == '}' && depth == 0) {
          lit.push_back('}');
          k += 2;
          continue;
        }
        return FError(t, k, "single '}' is not allowed");
      }
      if (c == '\\' && !t.raw && k + 1 < end) {
        lit.push_back(c);
        lit.push_back(source_[k + 1]);
        k += 2;
        continue;
      }
      lit.push_back(c);
      ++k;
    }
    flush();
    return absl::OkStatus();
  }

  // Parses the replacement field starting at the '{' at `open`; returns the
  // offset after its closing '}'.
  absl::StatusOr<size_t> ParseField(const Token& t, size_t open, size_t end,
                                    std::vector<FStringPart>* parts, int depth) {
    if (depth > 1) return FError(t, open, "expressions nested too deeply");
    size_t k = open + 1;
    int nest = 0;
    char quote = 0;
    size_t expr_end = std::string::npos;
    for (; k < end; ++k) {
      char c = source_[k];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        ++nest;
        continue;
      }
      if ((c == ')' || c == ']' || c == '}') && nest > 0) {
        --nest;
        continue;
      }
      if (nest > 0) continue;
      if (c == '}' || c == ':') break;
      if (c == '!' && k + 1 < end && source_[k + 1] != '=') break;
      if (c == '=' && k + 1 < end && source_[k + 1] != '=' && source_[k - 1] != '=' &&
          source_[k - 1] != '!' && source_[k - 1] != '<' && source_[k - 1] != '>') {
        break;
      }
    }
    if (k >= end) return FError(t, open, "expecting '}'");
    expr_end = k;
    absl::string_view text = source_.substr(open + 1, expr_end - open - 1);
    if (text.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
      return FError(t, open, "valid expression required before '}'");
    }
    FStringPart part;
    int line, col;
    PosAt(t, open + 1, &line, &col);
    absl::StatusOr<std::vector<Token>> toks =
        TokenizeFragment(path_, source_, open + 1, expr_end, line, col);
    if (!toks.ok()) return toks.status();
    Parser sub(path_, source_, std::move(*toks));
    sub.nesting_ = nesting_ + 1;
    absl::StatusOr<ExprPtr> e = sub.ParseTestList(true);
    if (!e.ok()) return e.status();
    if (!sub.At(TokenKind::kEnd)) return sub.ErrorAt(sub.Cur(), "f-string: invalid syntax");
    part.expr = std::move(*e);
    if (source_[k] == '=') {
      part.debug_text = absl::StrCat(text, "=");
      ++k;
      // Whitespace after '=' belongs to the debug text too.
      while (k < end && source_[k] == ' ') part.debug_text.push_back(source_[k++]);
      if (k >= end) return FError(t, open, "expecting '}'");
    }
    if (source_[k] == '!') {
      if (k + 1 >= end) return FError(t, k, "expecting '}'");
      char conv = source_[k + 1];
      if (conv != 's' && conv != 'r' && conv != 'a') {
        return FError(t, k + 1, "invalid conversion character: expected 's', 'r', or 'a'");
      }
      part.conversion = conv;
      k += 2;
      if (k >= end || (source_[k] != '}' && source_[k] != ':')) return FError(t, open, "expecting '}'");
    } else if (!part.debug_text.empty()) {
      part.conversion = 'r';  // f"{x=}" shows repr unless a spec or conversion says otherwise
    }
    if (source_[k] == ':') {
      ++k;
      part.has_spec = true;
      if (!part.debug_text.empty() && part.conversion == 'r') part.conversion = 0;
      // The spec runs to the matching '}', with nested fields allowed.
      size_t spec_begin = k;
      int inner = 0;
      for (; k < end; ++k) {
        if (source_[k] == '{') ++inner;
        if (source_[k] == '}') {
          if (inner == 0) break;
          --inner;
        }
      }
      if (k >= end) return FError(t, open, "expecting '}'");
      absl::Status s = ParseFStringBody(t, spec_begin, k, &part.spec, depth + 1);
      if (!s.ok()) return s;
    }
    if (k >= end || source_[k] != '}') return FError(t, open, "expecting '}'");
    parts->push_back(std::move(part));
    return k + 1;
  }

  const std::string& path_;
  absl::string_view source_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  int nesting_ = 0;
  int block_depth_ = 0;
  int loop_depth_ = 0;
  int def_depth_ = 0;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const Module>> ParseFile(std::string path, std::string source) {
  auto m = std::make_shared<Module>();
  m->path = std::move(path);
  m->source = std::move(source);
  absl::StatusOr<std::vector<Token>> toks = Tokenize(m->path, m->source);
  if (!toks.ok()) return toks.status();
  Parser p(m->path, m->source, std::move(*toks));
  absl::Status s = p.ParseFileBody(&m->body);
  if (!s.ok()) return s;
  return std::shared_ptr<const Module>(std::move(m));
}

absl::StatusOr<std::shared_ptr<const Module>> ParseExpression(std::string path,
                                                              std::string source) {
  auto m = std::make_shared<Module>();
  m->path = std::move(path);
  m->source = std::move(source);
  absl::StatusOr<std::vector<Token>> toks = Tokenize(m->path, m->source);
  if (!toks.ok()) return toks.status();
  Parser p(m->path, m->source, std::move(*toks));
  absl::StatusOr<ExprPtr> e = p.ParseWholeExpression();
  if (!e.ok()) return e.status();
  auto st = std::make_unique<Stmt>(Stmt::Kind::kExpr, (*e)->line, (*e)->column);
  st->exprs.push_back(std::move(*e));
  m->body.push_back(std::move(st));
  return std::shared_ptr<const Module>(std::move(m));
}

}  // namespace braid::build_file
