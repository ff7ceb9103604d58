// The syntax tree of a BUILD / prelude file.
//
// One Expr and one Stmt struct with a kind tag rather than a class per node
// type: the evaluator switches on the kind, and the tree is built once per
// file and walked once, so compactness of code beats type-level precision.
// Every node carries the 1-based line and byte column of its first token.
//
// Field use by kind (unused fields stay empty):
//   Expr::kConstant   value
//   Expr::kName       name
//   Expr::kList/kTuple/kSet   kids = elements (kStarred allowed)
//   Expr::kDict       kids = key, value, key, value...; a null key means `**value`
//   Expr::kAttribute  kids[0] = object, name = attribute
//   Expr::kSubscript  kids[0] = object, kids[1] = index (may be kSlice)
//   Expr::kSlice      kids = lower, upper, step (each may be null)
//   Expr::kCall       kids[0] = callee, args
//   Expr::kBinary     op, kids[0], kids[1]
//   Expr::kUnary      op, kids[0]
//   Expr::kAnd/kOr    kids[0], kids[1]
//   Expr::kNot        kids[0]
//   Expr::kCompare    kids[0..n], cmp_ops[n-1]
//   Expr::kIfElse     kids = test, then, else
//   Expr::kLambda     function
//   Expr::kListComp/kSetComp/kGenerator  kids[0] = element, comps
//   Expr::kDictComp   kids[0] = key, kids[1] = value, comps
//   Expr::kFString    fstring
//   Expr::kStarred    kids[0] (only as a list/tuple/set element or assignment target)
#ifndef BRAID_CORE_BUILD_FILE_AST_H_
#define BRAID_CORE_BUILD_FILE_AST_H_

#include <memory>
#include <string>
#include <vector>

#include "core/build_file/value.h"

namespace braid::build_file {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

enum class BinOp { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow, kBitOr, kBitAnd, kBitXor,
                   kLShift, kRShift, kMatMul };
enum class UnaryOp { kNeg, kPos, kInvert };
enum class CmpOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kIs, kIsNot };

/// A call argument: f(x), f(*x), f(k=x), f(**x).
struct Arg {
  enum class Kind { kPositional, kStar, kKeyword, kDoubleStar };
  Kind kind = Kind::kPositional;
  std::string name;  // kKeyword only
  ExprPtr value;
  int line = 0;    // where the argument starts (the keyword's name for kKeyword)
  int column = 0;
};

/// One `for target in iter if cond...` clause of a comprehension.
struct Comprehension {
  ExprPtr target;
  ExprPtr iter;
  std::vector<ExprPtr> conditions;
};

/// A parameter of a def or lambda.
struct Param {
  enum class Kind { kNormal, kVarArgs, kKeywordOnly, kKwArgs };
  Kind kind = Kind::kNormal;
  std::string name;
  ExprPtr default_value;  // null: required (kNormal / kKeywordOnly only)
};

/// A def statement or lambda expression.
struct FunctionDef {
  std::string name;  // "<lambda>" for lambdas
  std::vector<Param> params;
  Block body;           // def
  ExprPtr lambda_body;  // lambda
  int line = 0;
  int column = 0;
};

/// One piece of an f-string: literal text, or a replacement field.
struct FStringPart {
  std::string literal;  // used when expr is null
  ExprPtr expr;
  std::string debug_text;  // "x=" for f"{x=}", else empty
  char conversion = 0;     // 0, 's', 'r' or 'a'
  bool has_spec = false;
  std::vector<FStringPart> spec;  // the format spec, itself possibly with fields
};

struct FString {
  std::vector<FStringPart> parts;
};

struct Expr {
  enum class Kind { kConstant, kName, kList, kTuple, kSet, kDict, kAttribute, kSubscript, kSlice,
                    kCall, kBinary, kUnary, kAnd, kOr, kNot, kCompare, kIfElse, kLambda,
                    kListComp, kSetComp, kDictComp, kGenerator, kFString, kStarred };
  Kind kind;
  int line = 0;
  int column = 0;
  int op = 0;        // BinOp / UnaryOp as int
  int op_depth = 1;  // height of the operator/trailer chain below (parser limit)
  std::string name;
  Value value;
  std::vector<ExprPtr> kids;
  std::vector<CmpOp> cmp_ops;
  std::vector<Arg> args;
  std::vector<Comprehension> comps;
  std::shared_ptr<FunctionDef> function;
  std::unique_ptr<FString> fstring;

  Expr(Kind k, int l, int c) : kind(k), line(l), column(c) {}
};

// Field use by kind:
//   kExpr      exprs[0]
//   kAssign    exprs = target1, target2, ..., value   (a = b = value)
//   kAugAssign exprs[0] = target, exprs[1] = value, op
//   kIf        exprs[0] = test, body, orelse (an elif is a nested kIf in orelse)
//   kFor       exprs[0] = target, exprs[1] = iterable, body, orelse
//   kDef       function
//   kReturn    exprs[0] or none
//   kAssert    exprs[0] = test, exprs[1] = message (optional)
//   kDel       exprs = targets
struct Stmt {
  enum class Kind { kExpr, kAssign, kAugAssign, kIf, kFor, kDef, kReturn, kPass, kBreak,
                    kContinue, kAssert, kDel };
  Kind kind;
  int line = 0;
  int column = 0;
  int op = 0;
  std::vector<ExprPtr> exprs;
  Block body;
  Block orelse;
  std::shared_ptr<FunctionDef> function;

  Stmt(Kind k, int l, int c) : kind(k), line(l), column(c) {}
};

/// A parsed file. The source is kept for error messages (source lines).
struct Module {
  std::string path;
  std::string source;
  Block body;
};

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_AST_H_
