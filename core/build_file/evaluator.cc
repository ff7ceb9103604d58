#include "core/build_file/evaluator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/error.h"
#include "core/build_file/interpreter.h"
#include "core/build_file/parser.h"

namespace braid::build_file {
namespace internal {
namespace {

using K = Expr::Kind;

absl::string_view StripBom(absl::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

// Heuristic for host errors that name their own place: "path:line[:col]: ..."
// with no space before the first ": ".
bool LooksLocated(absl::string_view msg) {
  size_t sep = msg.find(": ");
  if (sep == absl::string_view::npos || sep == 0) return false;
  absl::string_view head = msg.substr(0, sep);
  if (head.find(' ') != absl::string_view::npos) return false;
  size_t colon = head.find(':');
  if (colon == absl::string_view::npos) return false;
  return colon + 1 < head.size() && head[colon + 1] >= '0' && head[colon + 1] <= '9';
}

const char* BinOpSymbol(BinOp op) {
  switch (op) {
    case BinOp::kAdd: return "+";
    case BinOp::kSub: return "-";
    case BinOp::kMul: return "*";
    case BinOp::kDiv: return "/";
    case BinOp::kFloorDiv: return "//";
    case BinOp::kMod: return "%";
    case BinOp::kPow: return "**";
    case BinOp::kBitOr: return "|";
    case BinOp::kBitAnd: return "&";
    case BinOp::kBitXor: return "^";
    case BinOp::kLShift: return "<<";
    case BinOp::kRShift: return ">>";
    case BinOp::kMatMul: return "@";
  }
  return "?";
}

}  // namespace

Interpreter::Interpreter(const Symbols* builtins, const Symbols* prelude, std::string build_file)
    : builtins_(builtins), prelude_(prelude), build_file_(std::move(build_file)) {}

Location Interpreter::LocationOf(const Module* m, int line, int col) const {
  if (m == nullptr) return Location{build_file_, line, col, ""};
  return Location{m->path, line, col, std::string(LineOf(StripBom(m->source), line))};
}

absl::Status Interpreter::ErrorAt(int line, int col, absl::string_view msg, absl::string_view hint) {
  absl::Status s = UserError(LocationOf(cur_module_, line, col), msg, hint);
  s.SetPayload(kLocatedPayload, absl::Cord("1"));
  return s;
}

bool Interpreter::IsLocated(const absl::Status& s) {
  return s.GetPayload(kLocatedPayload).has_value() || LooksLocated(s.message());
}

absl::Status Interpreter::Locate(absl::Status s, int line, int col) {
  if (s.ok() || IsLocated(s)) return s;
  absl::Status out(s.code(), FormatLocated(LocationOf(cur_module_, line, col), s.message()));
  out.SetPayload(kLocatedPayload, absl::Cord("1"));
  return out;
}

absl::Status Interpreter::Step() {
  if (++steps_ > kMaxSteps) {
    return absl::InvalidArgumentError(absl::StrCat(
        "evaluation exceeded the step budget (", kMaxSteps, " steps); is there a runaway loop?"));
  }
  return absl::OkStatus();
}

absl::Status Interpreter::ExecModule(const std::shared_ptr<const Module>& module,
                                     const std::shared_ptr<Scope>& globals) {
  cur_module_ = module.get();
  cur_module_owner_ = module;
  cur_scope_ = globals.get();
  cur_scope_owner_ = globals;
  Flow flow = Flow::kNormal;
  return ExecBlock(module->body, &flow);
}

absl::StatusOr<Value> Interpreter::EvalModuleExpression(const std::shared_ptr<const Module>& module,
                                                        const std::shared_ptr<Scope>& globals) {
  cur_module_ = module.get();
  cur_module_owner_ = module;
  cur_scope_ = globals.get();
  cur_scope_owner_ = globals;
  return Eval(*module->body.at(0)->exprs.at(0));
}

absl::Status Interpreter::ExecBlock(const Block& block, Flow* flow) {
  for (const StmtPtr& s : block) {
    absl::Status st = Exec(*s, flow);
    if (!st.ok()) return st;
    if (*flow != Flow::kNormal) return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status Interpreter::Exec(const Stmt& s, Flow* flow) {
  if (absl::Status st = Step(); !st.ok()) return Locate(st, s.line, s.column);
  switch (s.kind) {
    case Stmt::Kind::kExpr: return Eval(*s.exprs[0]).status();
    case Stmt::Kind::kAssign: {
      absl::StatusOr<Value> v = Eval(*s.exprs.back());
      if (!v.ok()) return v.status();
      for (size_t i = 0; i + 1 < s.exprs.size(); ++i) {
        absl::Status st = Assign(*s.exprs[i], *v);
        if (!st.ok()) return st;
      }
      return absl::OkStatus();
    }
    case Stmt::Kind::kAugAssign: {
      const Expr& target = *s.exprs[0];
      // Evaluate the container and key once, like Python.
      Value container, key;
      Value current;
      if (target.kind == K::kSubscript) {
        absl::StatusOr<Value> c = Eval(*target.kids[0]);
        if (!c.ok()) return c.status();
        absl::StatusOr<Value> k = Eval(*target.kids[1]);
        if (!k.ok()) return k.status();
        container = *c;
        key = *k;
        absl::StatusOr<Value> cur = Subscript(container, key);
        if (!cur.ok()) return Locate(cur.status(), target.line, target.column);
        current = *cur;
      } else {
        absl::StatusOr<Value> cur = Eval(target);
        if (!cur.ok()) return cur.status();
        current = *cur;
      }
      absl::StatusOr<Value> rhs = Eval(*s.exprs[1]);
      if (!rhs.ok()) return rhs.status();
      BinOp op = static_cast<BinOp>(s.op);
      Value result;
      // Lists mutate in place for +=, so aliases see the change (Python semantics).
      if (op == BinOp::kAdd && current.kind() == Value::Kind::kList) {
        absl::StatusOr<std::vector<Value>> items = Iterate(*rhs);
        if (!items.ok()) {
          return ErrorAt(s.exprs[1]->line, s.exprs[1]->column,
                         absl::StrCat("'", rhs->TypeName(), "' object is not iterable"));
        }
        auto& dst = current.mutable_items();
        if (absl::Status st = CheckSize(static_cast<int64_t>(dst.size() + items->size())); !st.ok()) {
          return Locate(st, s.line, s.column);
        }
        dst.insert(dst.end(), items->begin(), items->end());
        result = current;
      } else if (op == BinOp::kBitOr && current.kind() == Value::Kind::kDict &&
                 rhs->kind() == Value::Kind::kDict) {
        for (const auto& [k, v] : rhs->dict_items()) current.DictSet(k, v);
        result = current;
      } else {
        absl::StatusOr<Value> r = BinaryOp(op, current, *rhs);
        if (!r.ok()) {
          absl::Status st = r.status();
          if (!IsLocated(st) && absl::StartsWith(st.message(), "unsupported operand type(s) for ")) {
            st = absl::InvalidArgumentError(absl::StrCat(
                "unsupported operand type(s) for ", BinOpSymbol(op), "=: '", current.TypeName(),
                "' and '", rhs->TypeName(), "'"));
          }
          return Locate(st, s.line, s.column);
        }
        result = std::move(*r);
      }
      if (target.kind == K::kSubscript) {
        if (container.kind() == Value::Kind::kList) {
          return Assign(target, result);  // re-evaluates simple targets; fine for names
        }
        if (container.kind() == Value::Kind::kDict) {
          container.DictSet(key, result);
          return absl::OkStatus();
        }
        return ErrorAt(target.line, target.column,
                       absl::StrCat("'", container.TypeName(), "' object does not support item assignment"));
      }
      return Assign(target, result);
    }
    case Stmt::Kind::kIf: {
      absl::StatusOr<Value> test = Eval(*s.exprs[0]);
      if (!test.ok()) return test.status();
      if (test->Truthy()) return ExecBlock(s.body, flow);
      return ExecBlock(s.orelse, flow);
    }
    case Stmt::Kind::kFor: {
      absl::StatusOr<Value> iterable = Eval(*s.exprs[1]);
      if (!iterable.ok()) return iterable.status();
      absl::StatusOr<std::vector<Value>> items = Iterate(*iterable);
      if (!items.ok()) return Locate(items.status(), s.exprs[1]->line, s.exprs[1]->column);
      for (const Value& item : *items) {
        absl::Status st = Assign(*s.exprs[0], item);
        if (!st.ok()) return st;
        st = ExecBlock(s.body, flow);
        if (!st.ok()) return st;
        if (*flow == Flow::kBreak) {
          *flow = Flow::kNormal;
          return absl::OkStatus();  // skips the else block
        }
        if (*flow == Flow::kContinue) *flow = Flow::kNormal;
        if (*flow == Flow::kReturn) return absl::OkStatus();
      }
      return ExecBlock(s.orelse, flow);
    }
    case Stmt::Kind::kDef: {
      absl::StatusOr<Value> fn = MakeFunction(s.function);
      if (!fn.ok()) return fn.status();
      cur_scope_->vars.insert_or_assign(s.function->name, *std::move(fn));
      return absl::OkStatus();
    }
    case Stmt::Kind::kReturn: {
      if (s.exprs.empty()) {
        return_value_ = Value();
      } else {
        absl::StatusOr<Value> v = Eval(*s.exprs[0]);
        if (!v.ok()) return v.status();
        return_value_ = *std::move(v);
      }
      *flow = Flow::kReturn;
      return absl::OkStatus();
    }
    case Stmt::Kind::kPass: return absl::OkStatus();
    case Stmt::Kind::kBreak: *flow = Flow::kBreak; return absl::OkStatus();
    case Stmt::Kind::kContinue: *flow = Flow::kContinue; return absl::OkStatus();
    case Stmt::Kind::kAssert: {
      absl::StatusOr<Value> test = Eval(*s.exprs[0]);
      if (!test.ok()) return test.status();
      if (test->Truthy()) return absl::OkStatus();
      if (s.exprs.size() > 1) {
        absl::StatusOr<Value> msg = Eval(*s.exprs[1]);
        if (!msg.ok()) return msg.status();
        return ErrorAt(s.line, s.column, absl::StrCat("assertion failed: ", msg->Str()));
      }
      return ErrorAt(s.line, s.column, "assertion failed");
    }
    case Stmt::Kind::kDel: return Delete(*s.exprs[0]);
  }
  return absl::OkStatus();
}

absl::Status Interpreter::Assign(const Expr& target, const Value& v) {
  switch (target.kind) {
    case K::kName:
      cur_scope_->vars.insert_or_assign(target.name, v);
      return absl::OkStatus();
    case K::kSubscript: {
      absl::StatusOr<Value> obj = Eval(*target.kids[0]);
      if (!obj.ok()) return obj.status();
      const Expr& index_expr = *target.kids[1];
      if (index_expr.kind == K::kSlice) {
        return ErrorAt(target.line, target.column, "slice assignment is not supported in BUILD files");
      }
      absl::StatusOr<Value> index = Eval(index_expr);
      if (!index.ok()) return index.status();
      if (obj->kind() == Value::Kind::kDict) {
        if (!index->Hashable()) {
          return ErrorAt(index_expr.line, index_expr.column,
                         absl::StrCat("unhashable type: '", index->TypeName(), "'"));
        }
        obj->DictSet(*index, v);
        return absl::OkStatus();
      }
      if (obj->kind() == Value::Kind::kList) {
        if (index->kind() != Value::Kind::kInt && index->kind() != Value::Kind::kBool) {
          return ErrorAt(index_expr.line, index_expr.column,
                         absl::StrCat("list indices must be integers or slices, not ", index->TypeName()));
        }
        auto& items = obj->mutable_items();
        int64_t i = index->int_value();
        int64_t n = static_cast<int64_t>(items.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) {
          return ErrorAt(target.line, target.column, "list assignment index out of range");
        }
        items[static_cast<size_t>(i)] = v;
        return absl::OkStatus();
      }
      return ErrorAt(target.line, target.column,
                     absl::StrCat("'", obj->TypeName(), "' object does not support item assignment"));
    }
    case K::kAttribute: {
      absl::StatusOr<Value> obj = Eval(*target.kids[0]);
      if (!obj.ok()) return obj.status();
      return ErrorAt(target.line, target.column,
                     absl::StrCat("'", obj->TypeName(), "' object attribute '", target.name,
                                  "' cannot be assigned"));
    }
    case K::kTuple:
    case K::kList: {
      absl::StatusOr<std::vector<Value>> items = Iterate(v);
      if (!items.ok()) {
        return ErrorAt(target.line, target.column,
                       absl::StrCat("cannot unpack non-iterable ", v.TypeName(), " object"));
      }
      size_t n = target.kids.size();
      size_t star = n;
      for (size_t i = 0; i < n; ++i) {
        if (target.kids[i]->kind == K::kStarred) star = i;
      }
      if (star == n) {
        if (items->size() < n) {
          return ErrorAt(target.line, target.column,
                         absl::StrCat("not enough values to unpack (expected ", n, ", got ",
                                      items->size(), ")"));
        }
        if (items->size() > n) {
          return ErrorAt(target.line, target.column,
                         absl::StrCat("too many values to unpack (expected ", n, ")"));
        }
        for (size_t i = 0; i < n; ++i) {
          absl::Status st = Assign(*target.kids[i], (*items)[i]);
          if (!st.ok()) return st;
        }
        return absl::OkStatus();
      }
      size_t after = n - star - 1;
      if (items->size() < n - 1) {
        return ErrorAt(target.line, target.column,
                       absl::StrCat("not enough values to unpack (expected at least ", n - 1,
                                    ", got ", items->size(), ")"));
      }
      for (size_t i = 0; i < star; ++i) {
        absl::Status st = Assign(*target.kids[i], (*items)[i]);
        if (!st.ok()) return st;
      }
      std::vector<Value> middle(items->begin() + static_cast<std::ptrdiff_t>(star),
                                items->end() - static_cast<std::ptrdiff_t>(after));
      absl::Status st = Assign(*target.kids[star]->kids[0], Value::List(std::move(middle)));
      if (!st.ok()) return st;
      for (size_t i = 0; i < after; ++i) {
        st = Assign(*target.kids[star + 1 + i], (*items)[items->size() - after + i]);
        if (!st.ok()) return st;
      }
      return absl::OkStatus();
    }
    default:
      return ErrorAt(target.line, target.column, "cannot assign to expression");
  }
}

absl::Status Interpreter::Delete(const Expr& target) {
  switch (target.kind) {
    case K::kName:
      if (cur_scope_->vars.erase(target.name) == 0) {
        return ErrorAt(target.line, target.column,
                       absl::StrCat("name '", target.name, "' is not defined"));
      }
      return absl::OkStatus();
    case K::kTuple:
    case K::kList:
      for (const ExprPtr& k : target.kids) {
        absl::Status s = Delete(*k);
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    case K::kSubscript: {
      absl::StatusOr<Value> obj = Eval(*target.kids[0]);
      if (!obj.ok()) return obj.status();
      absl::StatusOr<Value> index = Eval(*target.kids[1]);
      if (!index.ok()) return index.status();
      if (obj->kind() == Value::Kind::kDict) {
        if (!obj->DictErase(*index)) {
          return ErrorAt(target.line, target.column, absl::StrCat("KeyError: ", index->Repr()));
        }
        return absl::OkStatus();
      }
      if (obj->kind() == Value::Kind::kList && index->kind() == Value::Kind::kInt) {
        auto& items = obj->mutable_items();
        int64_t i = index->int_value();
        int64_t n = static_cast<int64_t>(items.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return ErrorAt(target.line, target.column, "list assignment index out of range");
        items.erase(items.begin() + i);
        return absl::OkStatus();
      }
      return ErrorAt(target.line, target.column,
                     absl::StrCat("'", obj->TypeName(), "' object does not support item deletion"));
    }
    default: return ErrorAt(target.line, target.column, "cannot delete expression");
  }
}

absl::StatusOr<Value> Interpreter::MakeFunction(const std::shared_ptr<FunctionDef>& def) {
  auto fn = std::make_shared<UserFunction>();
  fn->def = def;
  fn->module = cur_module_owner_;
  fn->closure = cur_scope_owner_;
  fn->defaults.resize(def->params.size());
  fn->has_default.resize(def->params.size());
  for (size_t i = 0; i < def->params.size(); ++i) {
    const Param& p = def->params[i];
    if (p.default_value) {
      absl::StatusOr<Value> d = Eval(*p.default_value);
      if (!d.ok()) return d.status();
      fn->defaults[i] = *std::move(d);
      fn->has_default[i] = true;
    }
  }
  return Value::Function(std::move(fn));
}

absl::StatusOr<Value> Interpreter::Lookup(const Expr& e) {
  for (Scope* s = cur_scope_; s != nullptr; s = s->parent.get()) {
    auto it = s->vars.find(e.name);
    if (it != s->vars.end()) return it->second;
  }
  if (prelude_ != nullptr) {
    auto it = prelude_->find(e.name);
    if (it != prelude_->end()) return it->second;
  }
  if (builtins_ != nullptr) {
    auto it = builtins_->find(e.name);
    if (it != builtins_->end()) return it->second;
  }
  if (const Value* v = FindPythonBuiltin(e.name)) return *v;
  static constexpr absl::string_view kForbidden[] = {"open", "exec", "eval", "compile",
                                                     "__import__", "input", "globals", "locals",
                                                     "vars"};
  for (absl::string_view f : kForbidden) {
    if (e.name == f) {
      return ErrorAt(e.line, e.column, absl::StrCat("'", f, "' is not allowed in BUILD files"));
    }
  }
  std::vector<std::string> candidates;
  for (Scope* s = cur_scope_; s != nullptr; s = s->parent.get()) {
    for (const auto& [k, v] : s->vars) candidates.push_back(k);
  }
  if (prelude_ != nullptr) {
    for (const auto& [k, v] : *prelude_) candidates.push_back(k);
  }
  if (builtins_ != nullptr) {
    for (const auto& [k, v] : *builtins_) candidates.push_back(k);
  }
  for (const std::string& k : PythonBuiltinNames()) candidates.push_back(k);
  std::sort(candidates.begin(), candidates.end());
  return ErrorAt(e.line, e.column, absl::StrCat("name '", e.name, "' is not defined"),
                 DidYouMean(e.name, candidates));
}

// Bounds C++ recursion of Eval independent of the Python call depth.
class ExecGuard {
 public:
  explicit ExecGuard(int* depth) : depth_(depth) { ++*depth_; }
  ~ExecGuard() { --*depth_; }

 private:
  int* depth_;
};

absl::StatusOr<Value> Interpreter::Eval(const Expr& e) {
  ExecGuard guard(&eval_depth_);
  if (eval_depth_ > kMaxEvalDepth) {
    return ErrorAt(e.line, e.column, "maximum recursion depth exceeded");
  }
  if (absl::Status st = Step(); !st.ok()) return Locate(st, e.line, e.column);
  return EvalInner(e);
}

absl::StatusOr<Value> Interpreter::EvalInner(const Expr& e) {
  switch (e.kind) {
    case K::kConstant: return e.value;
    case K::kName: return Lookup(e);
    case K::kList:
    case K::kTuple:
    case K::kSet: {
      std::vector<Value> items;
      items.reserve(e.kids.size());
      for (const ExprPtr& k : e.kids) {
        if (k->kind == K::kStarred) {
          absl::StatusOr<Value> v = Eval(*k->kids[0]);
          if (!v.ok()) return v.status();
          absl::StatusOr<std::vector<Value>> more = Iterate(*v);
          if (!more.ok()) return Locate(more.status(), k->line, k->column);
          items.insert(items.end(), more->begin(), more->end());
          continue;
        }
        absl::StatusOr<Value> v = Eval(*k);
        if (!v.ok()) return v.status();
        if (e.kind == K::kSet && !v->Hashable()) {
          return ErrorAt(k->line, k->column, absl::StrCat("unhashable type: '", v->TypeName(), "'"));
        }
        items.push_back(*std::move(v));
      }
      if (e.kind == K::kList) return Value::List(std::move(items));
      if (e.kind == K::kTuple) return Value::Tuple(std::move(items));
      return Value::Set(std::move(items));
    }
    case K::kDict: {
      Value d = Value::Dict();
      for (size_t i = 0; i + 1 < e.kids.size(); i += 2) {
        absl::StatusOr<Value> v = Eval(*e.kids[i + 1]);
        if (!v.ok()) return v.status();
        if (e.kids[i] == nullptr) {
          if (v->kind() != Value::Kind::kDict) {
            return ErrorAt(e.kids[i + 1]->line, e.kids[i + 1]->column,
                           absl::StrCat("'", v->TypeName(), "' object is not a mapping"));
          }
          for (const auto& [k, val] : v->dict_items()) d.DictSet(k, val);
          continue;
        }
        absl::StatusOr<Value> k = Eval(*e.kids[i]);
        if (!k.ok()) return k.status();
        if (!k->Hashable()) {
          return ErrorAt(e.kids[i]->line, e.kids[i]->column,
                         absl::StrCat("unhashable type: '", k->TypeName(), "'"));
        }
        d.DictSet(*k, *std::move(v));
      }
      return d;
    }
    case K::kAttribute: {
      absl::StatusOr<Value> obj = Eval(*e.kids[0]);
      if (!obj.ok()) return obj.status();
      if (HasMethod(*obj, e.name)) {
        return Value::Function(std::make_shared<BoundMethod>(*obj, e.name));
      }
      if (obj->kind() == Value::Kind::kObject) {
        for (const auto& [k, v] : obj->object()->kwargs) {
          if (k == e.name) return v;
        }
      }
      return ErrorAt(e.line, e.column,
                     absl::StrCat("'", obj->TypeName(), "' object has no attribute '", e.name, "'"),
                     DidYouMean(e.name, MethodNames(*obj)));
    }
    case K::kSubscript: {
      absl::StatusOr<Value> obj = Eval(*e.kids[0]);
      if (!obj.ok()) return obj.status();
      const Expr& idx = *e.kids[1];
      if (idx.kind == K::kSlice) {
        Value parts[3];
        for (int i = 0; i < 3; ++i) {
          if (idx.kids[static_cast<size_t>(i)]) {
            absl::StatusOr<Value> v = Eval(*idx.kids[static_cast<size_t>(i)]);
            if (!v.ok()) return v.status();
            parts[i] = *std::move(v);
          }
        }
        absl::StatusOr<Value> r = Slice(*obj, parts[0], parts[1], parts[2]);
        if (!r.ok()) return Locate(r.status(), e.line, e.column);
        return r;
      }
      absl::StatusOr<Value> index = Eval(idx);
      if (!index.ok()) return index.status();
      absl::StatusOr<Value> r = Subscript(*obj, *index);
      if (!r.ok()) return Locate(r.status(), e.line, e.column);
      return r;
    }
    case K::kSlice: return ErrorAt(e.line, e.column, "invalid syntax");
    case K::kCall: return EvalCall(e);
    case K::kBinary: {
      absl::StatusOr<Value> a = Eval(*e.kids[0]);
      if (!a.ok()) return a.status();
      absl::StatusOr<Value> b = Eval(*e.kids[1]);
      if (!b.ok()) return b.status();
      absl::StatusOr<Value> r = BinaryOp(static_cast<BinOp>(e.op), *a, *b);
      if (!r.ok()) return Locate(r.status(), e.line, e.column);
      return r;
    }
    case K::kUnary: {
      absl::StatusOr<Value> a = Eval(*e.kids[0]);
      if (!a.ok()) return a.status();
      absl::StatusOr<Value> r = UnaryOperation(static_cast<UnaryOp>(e.op), *a);
      if (!r.ok()) return Locate(r.status(), e.line, e.column);
      return r;
    }
    case K::kAnd:
    case K::kOr: {
      absl::StatusOr<Value> a = Eval(*e.kids[0]);
      if (!a.ok()) return a.status();
      bool t = a->Truthy();
      if (e.kind == K::kAnd ? !t : t) return a;
      return Eval(*e.kids[1]);
    }
    case K::kNot: {
      absl::StatusOr<Value> a = Eval(*e.kids[0]);
      if (!a.ok()) return a.status();
      return Value::Bool(!a->Truthy());
    }
    case K::kCompare: {
      absl::StatusOr<Value> left = Eval(*e.kids[0]);
      if (!left.ok()) return left.status();
      Value l = *std::move(left);
      for (size_t i = 0; i < e.cmp_ops.size(); ++i) {
        absl::StatusOr<Value> right = Eval(*e.kids[i + 1]);
        if (!right.ok()) return right.status();
        const Value& r = *right;
        bool result = false;
        CmpOp op = e.cmp_ops[i];
        switch (op) {
          case CmpOp::kEq: result = l.Equals(r); break;
          case CmpOp::kNe: result = !l.Equals(r); break;
          case CmpOp::kIs: result = l.Is(r); break;
          case CmpOp::kIsNot: result = !l.Is(r); break;
          case CmpOp::kIn:
          case CmpOp::kNotIn: {
            absl::StatusOr<bool> c = Contains(r, l);
            if (!c.ok()) return Locate(c.status(), e.line, e.column);
            result = op == CmpOp::kIn ? *c : !*c;
            break;
          }
          default: {
            const char* sym = op == CmpOp::kLt ? "<" : op == CmpOp::kLe ? "<=" : op == CmpOp::kGt ? ">" : ">=";
            absl::StatusOr<int> c = Compare(l, r, sym);
            if (!c.ok()) return Locate(c.status(), e.line, e.column);
            result = op == CmpOp::kLt ? *c < 0 : op == CmpOp::kLe ? *c <= 0 : op == CmpOp::kGt ? *c > 0 : *c >= 0;
          }
        }
        if (!result) return Value::Bool(false);
        l = r;
      }
      return Value::Bool(true);
    }
    case K::kIfElse: {
      absl::StatusOr<Value> test = Eval(*e.kids[0]);
      if (!test.ok()) return test.status();
      return Eval(*e.kids[test->Truthy() ? 1 : 2]);
    }
    case K::kLambda: return MakeFunction(e.function);
    case K::kListComp:
    case K::kSetComp:
    case K::kDictComp:
    case K::kGenerator: return EvalComprehension(e);
    case K::kFString: return EvalFString(*e.fstring);
    case K::kStarred: return ErrorAt(e.line, e.column, "can't use starred expression here");
  }
  return Value();
}

absl::StatusOr<Value> Interpreter::EvalComprehension(const Expr& e) {
  Value out;
  switch (e.kind) {
    case K::kListComp:
    case K::kGenerator: out = Value::List(); break;
    case K::kSetComp: out = Value::Set(); break;
    default: out = Value::Dict(); break;
  }
  // The comprehension's variables live in their own scope, as in Python 3.
  auto scope = std::make_shared<Scope>();
  scope->parent = cur_scope_owner_;
  Scope* saved = cur_scope_;
  std::shared_ptr<Scope> saved_owner = std::move(cur_scope_owner_);
  cur_scope_ = scope.get();
  cur_scope_owner_ = scope;
  absl::Status st = CompLoop(e, 0, out);
  cur_scope_ = saved;
  cur_scope_owner_ = std::move(saved_owner);
  if (!st.ok()) return st;
  return out;
}

absl::Status Interpreter::CompLoop(const Expr& e, size_t level, const Value& out) {
  if (level == e.comps.size()) {
    absl::StatusOr<Value> v = Eval(*e.kids[0]);
    if (!v.ok()) return v.status();
    if (e.kind == K::kDictComp) {
      absl::StatusOr<Value> val = Eval(*e.kids[1]);
      if (!val.ok()) return val.status();
      if (!v->Hashable()) {
        return ErrorAt(e.kids[0]->line, e.kids[0]->column,
                       absl::StrCat("unhashable type: '", v->TypeName(), "'"));
      }
      out.DictSet(*v, *std::move(val));
    } else if (e.kind == K::kSetComp) {
      if (!v->Hashable()) {
        return ErrorAt(e.kids[0]->line, e.kids[0]->column,
                       absl::StrCat("unhashable type: '", v->TypeName(), "'"));
      }
      out.SetAdd(*std::move(v));
    } else {
      if (out.items().size() >= static_cast<size_t>(kMaxSize)) return Locate(CheckSize(kMaxSize + 1), e.line, e.column);
      out.mutable_items().push_back(*std::move(v));
    }
    return absl::OkStatus();
  }
  const Comprehension& c = e.comps[level];
  absl::StatusOr<Value> iterable = Eval(*c.iter);
  if (!iterable.ok()) return iterable.status();
  absl::StatusOr<std::vector<Value>> items = Iterate(*iterable);
  if (!items.ok()) return Locate(items.status(), c.iter->line, c.iter->column);
  for (const Value& item : *items) {
    absl::Status st = Assign(*c.target, item);
    if (!st.ok()) return st;
    bool keep = true;
    for (const ExprPtr& cond : c.conditions) {
      absl::StatusOr<Value> t = Eval(*cond);
      if (!t.ok()) return t.status();
      if (!t->Truthy()) {
        keep = false;
        break;
      }
    }
    if (!keep) continue;
    st = CompLoop(e, level + 1, out);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Interpreter::EvalFStringParts(const std::vector<FStringPart>& parts) {
  std::string out;
  for (const FStringPart& p : parts) {
    if (!p.expr) {
      out += p.literal;
      continue;
    }
    absl::StatusOr<Value> v = Eval(*p.expr);
    if (!v.ok()) return v.status();
    out += p.debug_text;
    Value shown = *std::move(v);
    if (p.conversion == 'r' || p.conversion == 'a') {
      shown = Value::String(shown.Repr());
    } else if (p.conversion == 's') {
      shown = Value::String(shown.Str());
    }
    std::string spec;
    if (p.has_spec) {
      absl::StatusOr<std::string> s = EvalFStringParts(p.spec);
      if (!s.ok()) return s.status();
      spec = *std::move(s);
    }
    absl::StatusOr<std::string> formatted = FormatWithSpec(shown, spec);
    if (!formatted.ok()) return Locate(formatted.status(), p.expr->line, p.expr->column);
    out += *formatted;
    if (absl::Status st = CheckSize(static_cast<int64_t>(out.size())); !st.ok()) {
      return Locate(st, p.expr->line, p.expr->column);
    }
  }
  return out;
}

absl::StatusOr<Value> Interpreter::EvalFString(const FString& f) {
  absl::StatusOr<std::string> s = EvalFStringParts(f.parts);
  if (!s.ok()) return s.status();
  return Value::String(*std::move(s));
}

absl::Status Interpreter::EvalArgs(const Expr& e, CallArgs* out) {
  for (const Arg& a : e.args) {
    absl::StatusOr<Value> v = Eval(*a.value);
    if (!v.ok()) return v.status();
    switch (a.kind) {
      case Arg::Kind::kPositional: out->positional.push_back(*std::move(v)); break;
      case Arg::Kind::kStar: {
        absl::StatusOr<std::vector<Value>> items = Iterate(*v);
        if (!items.ok()) {
          return ErrorAt(a.value->line, a.value->column,
                         absl::StrCat("argument after * must be an iterable, not ", v->TypeName()));
        }
        out->positional.insert(out->positional.end(), items->begin(), items->end());
        break;
      }
      case Arg::Kind::kKeyword:
        if (out->Find(a.name) != nullptr) {
          return ErrorAt(a.value->line, a.value->column,
                         absl::StrCat("got multiple values for keyword argument '", a.name, "'"));
        }
        out->keyword.emplace_back(a.name, *std::move(v));
        out->keyword_locations.push_back(LocationOf(cur_module_, a.line, a.column));
        break;
      case Arg::Kind::kDoubleStar: {
        if (v->kind() == Value::Kind::kObject && !v->object()->splat_key.empty()) {
          const std::string& key = v->object()->splat_key;
          if (out->Find(key) != nullptr) {
            return ErrorAt(a.value->line, a.value->column,
                           absl::StrCat("got multiple values for keyword argument '", key, "'"));
          }
          out->keyword.emplace_back(key, *v);
          out->keyword_locations.push_back(LocationOf(cur_module_, a.line, a.column));
          break;
        }
        if (v->kind() != Value::Kind::kDict) {
          return ErrorAt(a.value->line, a.value->column,
                         absl::StrCat("argument after ** must be a mapping, not ", v->TypeName()));
        }
        for (const auto& [k, val] : v->dict_items()) {
          if (!k.is_string()) {
            return ErrorAt(a.value->line, a.value->column, "keywords must be strings");
          }
          if (out->Find(k.string_value()) != nullptr) {
            return ErrorAt(a.value->line, a.value->column,
                           absl::StrCat("got multiple values for keyword argument '",
                                        k.string_value(), "'"));
          }
          out->keyword.emplace_back(k.string_value(), val);
          out->keyword_locations.push_back(LocationOf(cur_module_, a.line, a.column));
        }
        break;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> Interpreter::EvalCall(const Expr& e) {
  const Expr& callee = *e.kids[0];
  // Method calls go straight to the method without a BoundMethod allocation.
  if (callee.kind == K::kAttribute) {
    absl::StatusOr<Value> self = Eval(*callee.kids[0]);
    if (!self.ok()) return self.status();
    if (self->kind() != Value::Kind::kObject && HasMethod(*self, callee.name)) {
      CallArgs args;
      absl::Status st = EvalArgs(e, &args);
      if (!st.ok()) return st;
      if (frames_.size() >= static_cast<size_t>(kMaxCallDepth)) {
        return ErrorAt(e.line, e.column, "maximum recursion depth exceeded");
      }
      frames_.push_back(Frame{cur_module_, e.line, e.column});
      bool found = true;
      absl::StatusOr<Value> r = CallMethod(*this, *self, callee.name, args, &found);
      frames_.pop_back();
      if (r.ok() && !found) {
        return ErrorAt(e.line, e.column, absl::StrCat("'", self->TypeName(), "' object has no attribute '", callee.name, "'"));
      }
      if (!r.ok()) {
        absl::Status s = r.status();
        if (!IsLocated(s)) {
          s = absl::Status(s.code(), absl::StrCat(callee.name, "(): ", s.message()));
        }
        return Locate(s, e.line, e.column);
      }
      return r;
    }
  }
  absl::StatusOr<Value> fn = Eval(callee);
  if (!fn.ok()) return fn.status();
  CallArgs args;
  absl::Status st = EvalArgs(e, &args);
  if (!st.ok()) return st;
  return CallAt(*fn, std::move(args), e.line, e.column);
}

absl::StatusOr<Value> Interpreter::CallValue(const Value& fn, CallArgs args) {
  int line = frames_.empty() ? 0 : frames_.back().line;
  int col = frames_.empty() ? 0 : frames_.back().column;
  return CallAt(fn, std::move(args), line, col);
}

absl::StatusOr<Value> Interpreter::CallAt(const Value& fn, CallArgs args, int line, int col) {
  if (fn.kind() != Value::Kind::kFunction) {
    return ErrorAt(line, col, absl::StrCat("'", fn.TypeName(), "' object is not callable"));
  }
  if (frames_.size() >= static_cast<size_t>(kMaxCallDepth)) {
    return ErrorAt(line, col, "maximum recursion depth exceeded");
  }
  frames_.push_back(Frame{cur_module_, line, col});
  struct PopFrame {
    std::vector<Frame>* f;
    ~PopFrame() { f->pop_back(); }
  } pop{&frames_};
  Callable* c = fn.callable().get();
  if (auto* user = dynamic_cast<UserFunction*>(c)) {
    return CallUser(*user, std::move(args));
  }
  if (auto* native = dynamic_cast<NativeCallable*>(c)) {
    CallContext ctx;
    ctx.build_file = build_file_;
    // The outermost frame inside the BUILD file: where a macro was called.
    const Frame* outer = &frames_.back();
    for (const Frame& f : frames_) {
      if (f.module != nullptr && f.module->path == build_file_) {
        outer = &f;
        break;
      }
    }
    ctx.build_file_location = LocationOf(outer->module, outer->line, outer->column);
    ctx.location = LocationOf(cur_module_, line, col);
    absl::StatusOr<Value> r = native->fn()(ctx, std::move(args));
    if (!r.ok()) return Locate(r.status(), line, col);
    return r;
  }
  if (auto* builtin = dynamic_cast<BuiltinFunction*>(c)) {
    absl::StatusOr<Value> r = builtin->fn()(*this, args);
    if (!r.ok()) {
      absl::Status s = r.status();
      if (!IsLocated(s)) s = absl::Status(s.code(), absl::StrCat(builtin->name(), "(): ", s.message()));
      return Locate(s, line, col);
    }
    return r;
  }
  if (auto* method = dynamic_cast<BoundMethod*>(c)) {
    bool found = true;
    absl::StatusOr<Value> r = CallMethod(*this, method->self, method->method, args, &found);
    if (r.ok() && !found) {
      return ErrorAt(line, col, absl::StrCat("'", method->self.TypeName(), "' object has no attribute '", method->method, "'"));
    }
    if (!r.ok()) {
      absl::Status s = r.status();
      if (!IsLocated(s)) s = absl::Status(s.code(), absl::StrCat(method->method, "(): ", s.message()));
      return Locate(s, line, col);
    }
    return r;
  }
  return ErrorAt(line, col, absl::StrCat("'", fn.TypeName(), "' object is not callable"));
}

absl::StatusOr<Value> Interpreter::CallUser(const UserFunction& fn, CallArgs args) {
  const FunctionDef& def = *fn.def;
  const Frame& call = frames_.back();
  auto scope = std::make_shared<Scope>();
  scope->parent = fn.closure;
  auto& vars = scope->vars;
  const std::string& fname = def.name;
  std::vector<bool> bound(def.params.size(), false);
  size_t next_pos = 0;
  size_t n_positional_params = 0;
  int varargs = -1, kwargs = -1;
  for (size_t i = 0; i < def.params.size(); ++i) {
    const Param& p = def.params[i];
    if (p.kind == Param::Kind::kNormal) ++n_positional_params;
    if (p.kind == Param::Kind::kVarArgs && !p.name.empty()) varargs = static_cast<int>(i);
    if (p.kind == Param::Kind::kKwArgs) kwargs = static_cast<int>(i);
  }
  std::vector<Value> extra;
  for (Value& v : args.positional) {
    while (next_pos < def.params.size() && def.params[next_pos].kind != Param::Kind::kNormal) ++next_pos;
    if (next_pos < def.params.size() && def.params[next_pos].kind == Param::Kind::kNormal &&
        next_pos < n_positional_params) {
      vars.insert_or_assign(def.params[next_pos].name, std::move(v));
      bound[next_pos] = true;
      ++next_pos;
    } else if (varargs >= 0) {
      extra.push_back(std::move(v));
    } else {
      return ErrorAt(call.line, call.column,
                     absl::StrCat(fname, "() takes ", n_positional_params, " positional argument",
                                  n_positional_params == 1 ? "" : "s", " but ",
                                  args.positional.size(), " were given"));
    }
  }
  if (varargs >= 0) vars.insert_or_assign(def.params[static_cast<size_t>(varargs)].name, Value::Tuple(std::move(extra)));
  Value kw_dict = kwargs >= 0 ? Value::Dict() : Value();
  for (auto& [name, v] : args.keyword) {
    bool matched = false;
    for (size_t i = 0; i < def.params.size(); ++i) {
      const Param& p = def.params[i];
      if ((p.kind == Param::Kind::kNormal || p.kind == Param::Kind::kKeywordOnly) && p.name == name) {
        if (bound[i]) {
          return ErrorAt(call.line, call.column,
                         absl::StrCat(fname, "() got multiple values for argument '", name, "'"));
        }
        vars.insert_or_assign(p.name, std::move(v));
        bound[i] = true;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (kwargs >= 0) {
      kw_dict.DictSet(Value::String(name), std::move(v));
      continue;
    }
    std::vector<std::string> names;
    for (const Param& p : def.params) {
      if (p.kind == Param::Kind::kNormal || p.kind == Param::Kind::kKeywordOnly) names.push_back(p.name);
    }
    return ErrorAt(call.line, call.column,
                   absl::StrCat(fname, "() got an unexpected keyword argument '", name, "'"),
                   DidYouMean(name, names));
  }
  if (kwargs >= 0) vars.insert_or_assign(def.params[static_cast<size_t>(kwargs)].name, kw_dict);
  std::vector<std::string> missing_pos, missing_kw;
  for (size_t i = 0; i < def.params.size(); ++i) {
    const Param& p = def.params[i];
    if (bound[i] || (p.kind != Param::Kind::kNormal && p.kind != Param::Kind::kKeywordOnly)) continue;
    if (fn.has_default[i]) {
      vars.insert_or_assign(p.name, fn.defaults[i]);
    } else {
      (p.kind == Param::Kind::kNormal ? missing_pos : missing_kw).push_back(absl::StrCat("'", p.name, "'"));
    }
  }
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<std::string>& missing = pass == 0 ? missing_pos : missing_kw;
    if (missing.empty()) continue;
    std::string list;
    if (missing.size() == 1) {
      list = missing[0];
    } else {
      std::vector<std::string> head(missing.begin(), missing.end() - 1);
      list = absl::StrCat(absl::StrJoin(head, ", "), " and ", missing.back());
    }
    return ErrorAt(call.line, call.column,
                   absl::StrCat(fname, "() missing ", missing.size(), " required ",
                                pass == 0 ? "positional" : "keyword-only", " argument",
                                missing.size() == 1 ? "" : "s", ": ", list));
  }

  // Switch to the function's module and scope.
  const Module* saved_module = cur_module_;
  std::shared_ptr<const Module> saved_module_owner = std::move(cur_module_owner_);
  Scope* saved_scope = cur_scope_;
  std::shared_ptr<Scope> saved_scope_owner = std::move(cur_scope_owner_);
  cur_module_ = fn.module.get();
  cur_module_owner_ = fn.module;
  cur_scope_ = scope.get();
  cur_scope_owner_ = scope;
  Value result;
  absl::Status st;
  if (def.lambda_body) {
    absl::StatusOr<Value> v = Eval(*def.lambda_body);
    if (v.ok()) {
      result = *std::move(v);
    } else {
      st = v.status();
    }
  } else {
    Flow flow = Flow::kNormal;
    st = ExecBlock(def.body, &flow);
    if (st.ok() && flow == Flow::kReturn) result = std::move(return_value_);
    return_value_ = Value();
  }
  cur_module_ = saved_module;
  cur_module_owner_ = std::move(saved_module_owner);
  cur_scope_ = saved_scope;
  cur_scope_owner_ = std::move(saved_scope_owner);
  if (!st.ok()) return st;
  return result;
}

}  // namespace internal

namespace {

using internal::Interpreter;
using internal::Scope;

}  // namespace

absl::StatusOr<Prelude> EvaluatePrelude(const std::vector<SourceFile>& files,
                                        const Symbols& builtins) {
  Prelude prelude;
  for (const SourceFile& f : files) {
    absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile(f.path, f.content);
    if (!m.ok()) return m.status();
    Interpreter interp(&builtins, &prelude.symbols, f.path);
    auto globals = std::make_shared<Scope>();
    absl::Status s = interp.ExecModule(*m, globals);
    if (!s.ok()) return s;
    // Underscore names are file-private helpers, not exported to BUILD files.
    std::vector<std::pair<std::string, Value>> defined(globals->vars.begin(), globals->vars.end());
    std::sort(defined.begin(), defined.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [name, v] : defined) {
      if (!name.empty() && name[0] == '_') continue;
      prelude.symbols.insert_or_assign(name, std::move(v));
    }
  }
  return prelude;
}

absl::Status EvaluateBuildFile(const SourceFile& file, const Symbols& builtins,
                               const Prelude* prelude) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile(file.path, file.content);
  if (!m.ok()) return m.status();
  return EvaluateParsedBuildFile(*m, builtins, prelude);
}

absl::Status EvaluateParsedBuildFile(const std::shared_ptr<const Module>& module,
                                     const Symbols& builtins, const Prelude* prelude) {
  Interpreter interp(&builtins, prelude ? &prelude->symbols : nullptr, module->path);
  auto globals = std::make_shared<Scope>();
  absl::Status s = interp.ExecModule(module, globals);
  // Functions defined in the file hold their globals; clearing breaks the
  // reference cycle so the file's values are freed.
  globals->vars.clear();
  return s;
}

absl::StatusOr<Value> EvaluateExpression(const SourceFile& file, const Symbols& builtins) {
  absl::StatusOr<std::shared_ptr<const Module>> m = ParseExpression(file.path, file.content);
  if (!m.ok()) return m.status();
  Interpreter interp(&builtins, nullptr, file.path);
  auto globals = std::make_shared<Scope>();
  return interp.EvalModuleExpression(*m, globals);
}

}  // namespace braid::build_file
