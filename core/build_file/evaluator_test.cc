#include "core/build_file/evaluator.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace braid::build_file {
namespace {

// Evaluates `code` as src/BUILD with a native `out(x)` that records repr(x);
// returns the recorded lines joined by "\n", or the error message.
std::string RunBuild(const std::string& code, const Prelude* prelude = nullptr) {
  std::vector<std::string> lines;
  Symbols builtins;
  builtins["out"] = Value::Native("out", [&lines](const CallContext&, CallArgs args) -> absl::StatusOr<Value> {
    std::vector<std::string> parts;
    for (const Value& v : args.positional) parts.push_back(v.Repr());
    lines.push_back(absl::StrJoin(parts, " "));
    return Value();
  });
  absl::Status s = EvaluateBuildFile({"src/BUILD", code}, builtins, prelude);
  if (!s.ok()) return std::string(s.message());
  return absl::StrJoin(lines, "\n");
}

// Repr of one expression.
std::string Eval(const std::string& expr) { return RunBuild("out(" + expr + ")\n"); }

TEST(Evaluator, Literals) {
  EXPECT_EQ(Eval("1"), "1");
  EXPECT_EQ(Eval("'a' \"b\" 'c'"), "'abc'");
  EXPECT_EQ(Eval("[1, [2, {'k': (3,)}]]"), "[1, [2, {'k': (3,)}]]");
  EXPECT_EQ(Eval("(1, 2)"), "(1, 2)");
  EXPECT_EQ(Eval("()"), "()");
  EXPECT_EQ(Eval("{1, 2, 1}"), "{1, 2}");
  EXPECT_EQ(Eval("set()"), "set()");
  EXPECT_EQ(Eval("{'a': 1, 'a': 2}"), "{'a': 2}");
  EXPECT_EQ(Eval("{**{'a': 1}, 'b': 2}"), "{'a': 1, 'b': 2}");
  EXPECT_EQ(Eval("[*[1, 2], 3]"), "[1, 2, 3]");
  EXPECT_EQ(Eval("None"), "None");
  EXPECT_EQ(Eval("True"), "True");
  EXPECT_EQ(Eval("0x1F + 0o17 + 0b11 + 1_000"), "1049");
  EXPECT_EQ(Eval("1.5e3"), "1500.0");
  EXPECT_EQ(Eval("-5"), "-5");
  EXPECT_EQ(Eval("r'a\\n'"), "'a\\\\n'");
  EXPECT_EQ(Eval("'''x\ny'''"), "'x\\ny'");
}

TEST(Evaluator, Arithmetic) {
  EXPECT_EQ(Eval("1 + 2 * 3"), "7");
  EXPECT_EQ(Eval("7 / 2"), "3.5");
  EXPECT_EQ(Eval("-7 // 2"), "-4");
  EXPECT_EQ(Eval("-7 % 3"), "2");
  EXPECT_EQ(Eval("2 ** 10"), "1024");
  EXPECT_EQ(Eval("2 ** -1"), "0.5");
  EXPECT_EQ(Eval("'ab' * 3"), "'ababab'");
  EXPECT_EQ(Eval("[1] * 3"), "[1, 1, 1]");
  EXPECT_EQ(Eval("[1] + [2]"), "[1, 2]");
  EXPECT_EQ(Eval("(1,) + (2,)"), "(1, 2)");
  EXPECT_EQ(Eval("~5"), "-6");
  EXPECT_EQ(Eval("not 0"), "True");
  EXPECT_EQ(Eval("0.1 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(Eval("{1, 2} | {3}"), "{1, 2, 3}");
  EXPECT_EQ(Eval("{'a': 1} | {'b': 2}"), "{'a': 1, 'b': 2}");
  EXPECT_EQ(Eval("1 << 4"), "16");
}

TEST(Evaluator, Comparisons) {
  EXPECT_EQ(Eval("1 < 2 < 3"), "True");
  EXPECT_EQ(Eval("1 < 3 < 2"), "False");
  EXPECT_EQ(Eval("1 == 1.0"), "True");
  EXPECT_EQ(Eval("'a' in 'cat'"), "True");
  EXPECT_EQ(Eval("3 not in [1, 2]"), "True");
  EXPECT_EQ(Eval("'k' in {'k': 1}"), "True");
  EXPECT_EQ(Eval("None is None"), "True");
  EXPECT_EQ(Eval("[] is not None"), "True");
  EXPECT_EQ(Eval("[1, 2] < [1, 3]"), "True");
  EXPECT_EQ(Eval("0 or 'x'"), "'x'");
  EXPECT_EQ(Eval("1 and []"), "[]");
  EXPECT_EQ(Eval("'yes' if 1 > 2 else 'no'"), "'no'");
}

TEST(Evaluator, ShortCircuitDoesNotEvaluateRightSide) {
  EXPECT_EQ(Eval("True or undefined_name"), "True");
  EXPECT_EQ(Eval("False and undefined_name"), "False");
}

TEST(Evaluator, SlicingAndIndexing) {
  EXPECT_EQ(Eval("'hello'[1:3]"), "'el'");
  EXPECT_EQ(Eval("'hello'[::-1]"), "'olleh'");
  EXPECT_EQ(Eval("[1, 2, 3, 4][-2:]"), "[3, 4]");
  EXPECT_EQ(Eval("[1, 2, 3, 4][::2]"), "[1, 3]");
  EXPECT_EQ(Eval("(1, 2, 3)[-1]"), "3");
  EXPECT_EQ(Eval("{'a': {'b': 5}}['a']['b']"), "5");
  EXPECT_EQ(Eval("'héllo'[1]"), "'é'");
  EXPECT_EQ(Eval("len('héllo')"), "5");
}

TEST(Evaluator, StatementsAndControlFlow) {
  EXPECT_EQ(RunBuild("x = 1\nx += 2\nout(x)\n"), "3");
  EXPECT_EQ(RunBuild("a, b = 1, 2\na, b = b, a\nout(a, b)\n"), "2 1");
  EXPECT_EQ(RunBuild("a, *rest = [1, 2, 3]\nout(a, rest)\n"), "1 [2, 3]");
  EXPECT_EQ(RunBuild("for i, c in enumerate('ab'):\n  out(i, c)\n"), "0 'a'\n1 'b'");
  EXPECT_EQ(RunBuild("for x in [1, 2, 3]:\n  if x == 2:\n    continue\n  out(x)\nelse:\n  out('done')\n"),
            "1\n3\n'done'");
  EXPECT_EQ(RunBuild("for x in [1, 2, 3]:\n  if x == 2:\n    break\nelse:\n  out('no')\nout(x)\n"), "2");
  EXPECT_EQ(RunBuild("x = 5\nif x < 3:\n  out('a')\nelif x < 10:\n  out('b')\nelse:\n  out('c')\n"), "'b'");
  EXPECT_EQ(RunBuild("d = {}\nd['k'] = [1]\nd['k'] += [2]\nout(d)\n"), "{'k': [1, 2]}");
  EXPECT_EQ(RunBuild("l = [1]\nm = l\nm += [2]\nout(l)\n"), "[1, 2]");
  EXPECT_EQ(RunBuild("pass\nassert True, 'never'\nout(1); out(2)\n"), "1\n2");
  EXPECT_EQ(RunBuild("x: int = 3\nout(x)\n"), "3");
  EXPECT_EQ(RunBuild("a = b = []\na.append(1)\nout(b)\n"), "[1]");
  EXPECT_EQ(RunBuild("d = {'a': 1, 'b': 2}\ndel d['a']\nout(d)\n"), "{'b': 2}");
}

TEST(Evaluator, FunctionsAndClosures) {
  EXPECT_EQ(RunBuild("def f(a, b=2, *args, c, d=4, **kw):\n"
                "  return [a, b, args, c, d, kw]\n"
                "out(f(1, c=3))\n"
                "out(f(1, 5, 6, 7, c=3, e=8))\n"),
            "[1, 2, (), 3, 4, {}]\n[1, 5, (6, 7), 3, 4, {'e': 8}]");
  EXPECT_EQ(RunBuild("def f(a: int, *, key: str = 'k') -> list:\n  return (a, key)\nout(f(1, key='z'))\n"),
            "(1, 'z')");
  EXPECT_EQ(RunBuild("def make(n):\n  def add(x):\n    return x + n\n  return add\nout(make(3)(4))\n"), "7");
  EXPECT_EQ(RunBuild("f = lambda x, y=1: x * y\nout(f(3), f(3, 2))\n"), "3 6");
  EXPECT_EQ(RunBuild("def f():\n  pass\nout(f())\n"), "None");
  EXPECT_EQ(RunBuild("def fact(n):\n  return 1 if n <= 1 else n * fact(n - 1)\nout(fact(10))\n"), "3628800");
  EXPECT_EQ(RunBuild("def f(*a, **k):\n  return a, k\nout(f(*[1, 2], **{'x': 1}))\n"),
            "((1, 2), {'x': 1})");
  EXPECT_EQ(RunBuild("def kw():\n  return {'b': 2}\ndef f(a, b):\n  return a + b\nout(f(a=1, **kw()))\n"), "3");
  EXPECT_EQ(RunBuild("X = 10\ndef f():\n  return X\nX = 20\nout(f())\n"), "20");
  EXPECT_EQ(RunBuild("def f(l=[]):\n  l.append(1)\n  return l\nf()\nout(f())\n"), "[1, 1]");
}

TEST(Evaluator, Comprehensions) {
  EXPECT_EQ(Eval("[x * 2 for x in range(4) if x != 2]"), "[0, 2, 6]");
  EXPECT_EQ(Eval("[(x, y) for x in 'ab' for y in [1, 2]]"),
            "[('a', 1), ('a', 2), ('b', 1), ('b', 2)]");
  EXPECT_EQ(Eval("{k: v for k, v in [('a', 1), ('b', 2)]}"), "{'a': 1, 'b': 2}");
  EXPECT_EQ(Eval("{x % 3 for x in range(10)}"), "{0, 1, 2}");
  EXPECT_EQ(Eval("sum(x for x in range(5))"), "10");
  EXPECT_EQ(RunBuild("x = 'outer'\ny = [x for x in 'ab']\nout(x)\n"), "'outer'");
}

TEST(Evaluator, FStrings) {
  EXPECT_EQ(RunBuild("name = 'app'\nout(f'{name}-lib')\n"), "'app-lib'");
  EXPECT_EQ(RunBuild("x = 'a'\nout(f'{x!r}')\n"), "\"'a'\"");
  EXPECT_EQ(RunBuild("x = 'ab'\nout(f'[{x:>5}]', f'[{x:<4}]', f'[{x:^6}]')\n"), "'[   ab]' '[ab  ]' '[  ab  ]'");
  EXPECT_EQ(RunBuild("n = 42\nout(f'{n:05d}', f'{n:x}', f'{3.14159:.2f}', f'{n:,}')\n"), "'00042' '2a' '3.14' '42'");
  EXPECT_EQ(RunBuild("out(f'{{literal}} {1 + 1}')\n"), "'{literal} 2'");
  EXPECT_EQ(RunBuild("d = {'k': 'v'}\nout(f\"{d['k']}\")\n"), "'v'");
  EXPECT_EQ(RunBuild("w = 6\nout(f'{\"x\":>{w}}')\n"), "'     x'");
  EXPECT_EQ(RunBuild("x = 3\nout(f'{x=}')\n"), "'x=3'");
  EXPECT_EQ(RunBuild("out(F'a' 'b' rf'{1}\\n')\n"), "'ab1\\\\n'");
}

TEST(Evaluator, PercentFormatting) {
  EXPECT_EQ(Eval("'%s-%d' % ('a', 3)"), "'a-3'");
  EXPECT_EQ(Eval("'%r' % 'x'"), "\"'x'\"");
  EXPECT_EQ(Eval("'%5.2f|%-4d|%x|%%' % (3.14159, 7, 255)"), "' 3.14|7   |ff|%'");
  EXPECT_EQ(Eval("'%(a)s=%(b)i' % {'a': 'k', 'b': 2}"), "'k=2'");
  EXPECT_EQ(Eval("'%s' % [1, 2]"), "'[1, 2]'");
  EXPECT_EQ(Eval("'%03d' % 5"), "'005'");
}

TEST(Evaluator, StrFormat) {
  EXPECT_EQ(Eval("'{} {}'.format('a', 1)"), "'a 1'");
  EXPECT_EQ(Eval("'{1}{0}'.format('a', 'b')"), "'ba'");
  EXPECT_EQ(Eval("'{name}!'.format(name='x')"), "'x!'");
  EXPECT_EQ(Eval("'{0[k]}'.format({'k': 'v'})"), "'v'");
  EXPECT_EQ(Eval("'{:>4}|{:.1f}|{!r}'.format('a', 2.25, 'b')"), "\"   a|2.2|'b'\"");
}

TEST(Evaluator, StringMethods) {
  EXPECT_EQ(Eval("','.join(['a', 'b'])"), "'a,b'");
  EXPECT_EQ(Eval("'a,b,,c'.split(',')"), "['a', 'b', '', 'c']");
  EXPECT_EQ(Eval("'  a  b '.split()"), "['a', 'b']");
  EXPECT_EQ(Eval("'a.b.c'.rsplit('.', 1)"), "['a.b', 'c']");
  EXPECT_EQ(Eval("'a.b.c'.split('.', 1)"), "['a', 'b.c']");
  EXPECT_EQ(Eval("'  x '.strip() + '|' + 'xxay'.lstrip('x') + '|' + 'a\\n'.rstrip()"), "'x|ay|a'");
  EXPECT_EQ(Eval("'foo.py'.endswith(('.py', '.pyi'))"), "True");
  EXPECT_EQ(Eval("'foo'.startswith('fo')"), "True");
  EXPECT_EQ(Eval("'aXa'.replace('a', 'b')"), "'bXb'");
  EXPECT_EQ(Eval("'Ab'.lower() + 'Ab'.upper()"), "'abAB'");
  EXPECT_EQ(Eval("'abcb'.find('b')"), "1");
  EXPECT_EQ(Eval("'abcb'.rfind('b')"), "3");
  EXPECT_EQ(Eval("'abcb'.find('z')"), "-1");
  EXPECT_EQ(Eval("'abcb'.count('b')"), "2");
  EXPECT_EQ(Eval("'test_foo'.removeprefix('test_')"), "'foo'");
  EXPECT_EQ(Eval("'foo.py'.removesuffix('.py')"), "'foo'");
  EXPECT_EQ(Eval("'a\\nb\\r\\nc'.splitlines()"), "['a', 'b', 'c']");
  EXPECT_EQ(Eval("'a=b=c'.partition('=')"), "('a', '=', 'b=c')");
  EXPECT_EQ(Eval("'a=b=c'.rpartition('=')"), "('a=b', '=', 'c')");
  EXPECT_EQ(Eval("'hello world'.title()"), "'Hello World'");
  EXPECT_EQ(Eval("'hELLO'.capitalize()"), "'Hello'");
  EXPECT_EQ(Eval("'123'.isdigit()"), "True");
  EXPECT_EQ(Eval("'ab1'.isalpha()"), "False");
  EXPECT_EQ(Eval("'42'.zfill(5)"), "'00042'");
  EXPECT_EQ(Eval("'-42'.zfill(5)"), "'-0042'");
  EXPECT_EQ(Eval("'a'.ljust(3, '.') + 'a'.rjust(3) + 'a'.center(4, '*')"), "'a..  a*a**'");
}

TEST(Evaluator, ListDictSetMethods) {
  EXPECT_EQ(RunBuild("l = [3, 1]\nl.append(2)\nl.extend([5])\nl.insert(0, 9)\nout(l)\n"
                "out(l.pop(), l.pop(0), l)\nl.remove(1)\nout(l, l.index(2), l.count(3))\n"
                "l.sort()\nout(l)\nl.reverse()\nout(l, l.copy())\n"),
            "[9, 3, 1, 2, 5]\n5 9 [3, 1, 2]\n[3, 2] 1 1\n[2, 3]\n[3, 2] [3, 2]");
  EXPECT_EQ(RunBuild("l = ['bb', 'a', 'ccc']\nl.sort(key=len, reverse=True)\nout(l)\n"), "['ccc', 'bb', 'a']");
  EXPECT_EQ(RunBuild("d = {'a': 1}\nout(d.get('a'), d.get('z'), d.get('z', 0))\n"
                "d.update({'b': 2}, c=3)\nout(d.items(), d.keys(), d.values())\n"
                "out(d.pop('a'), d.setdefault('e', 5), d.copy())\n"),
            "1 None 0\n[('a', 1), ('b', 2), ('c', 3)] ['a', 'b', 'c'] [1, 2, 3]\n"
            "1 5 {'b': 2, 'c': 3, 'e': 5}");
  EXPECT_EQ(RunBuild("s = {1}\ns.add(2)\ns.update([3])\nout(s, s.union({4}), s.intersection([2, 3, 9]),"
                " s.difference({1}), {1}.issubset(s))\n"),
            "{1, 2, 3} {1, 2, 3, 4} {2, 3} {2, 3} True");
}

TEST(Evaluator, PythonBuiltins) {
  EXPECT_EQ(Eval("(len([1, 2]), len({'a': 1}), len('abc'))"), "(2, 1, 3)");
  EXPECT_EQ(Eval("(str(1.0), int('42'), int(3.9), float('1.5'), bool(''))"), "('1.0', 42, 3, 1.5, False)");
  EXPECT_EQ(Eval("(list('ab'), tuple([1]), dict(a=1), dict([('k', 2)]))"),
            "(['a', 'b'], (1,), {'a': 1}, {'k': 2})");
  EXPECT_EQ(Eval("(sorted([3, 1, 2]), sorted(['b', 'a'], reverse=True))"), "([1, 2, 3], ['b', 'a'])");
  EXPECT_EQ(Eval("(list(reversed([1, 2])), list(zip('ab', [1, 2])))"), "([2, 1], [('a', 1), ('b', 2)])");
  EXPECT_EQ(Eval("(list(range(3)), list(range(1, 10, 4)), list(range(3, 0, -1)))"),
            "([0, 1, 2], [1, 5, 9], [3, 2, 1])");
  EXPECT_EQ(Eval("(any([0, 1]), all([1, 0]), min(3, 1), max([1, 5]), sum([1, 2]), abs(-2))"),
            "(True, False, 1, 5, 3, 2)");
  EXPECT_EQ(Eval("(min(['bb', 'a'], key=len), max([], default=0))"), "('a', 0)");
  EXPECT_EQ(Eval("(repr('a'), isinstance('a', str), isinstance(1, (list, int)), isinstance(1, str))"),
            "(\"'a'\", True, True, False)");
  EXPECT_EQ(Eval("(hasattr('a', 'join'), getattr('a,b', 'split')(','))"), "(True, ['a', 'b'])");
}

TEST(Evaluator, NativeFunctionsSeeArgumentsInOrder) {
  std::vector<std::string> seen;
  Symbols builtins;
  builtins["python_sources"] = Value::Native(
      "python_sources", [&seen](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
        for (const auto& [k, v] : args.keyword) seen.push_back(k + "=" + v.Repr());
        seen.push_back(ctx.build_file_location.ToString());
        return Value();
      });
  ASSERT_TRUE(EvaluateBuildFile({"src/BUILD", "\n\npython_sources(name='lib', sources=['*.py'])\n"},
                                builtins, nullptr)
                  .ok());
  EXPECT_EQ(absl::StrJoin(seen, " "), "name='lib' sources=['*.py'] src/BUILD:3:1");
}

TEST(Evaluator, PreludeMacroAttachesTargetToBuildFileCallLine) {
  std::vector<std::string> seen;
  Symbols builtins;
  builtins["python_sources"] = Value::Native(
      "python_sources", [&seen](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
        seen.push_back(ctx.build_file + " " + ctx.build_file_location.ToString() + " " +
                       ctx.location.ToString() + " " + args.Find("name")->Repr());
        return Value();
      });
  absl::StatusOr<Prelude> prelude = EvaluatePrelude(
      {{"build-support/macros.py",
        "def _helper(n):\n  return n + '_lib'\n\ndef my_lib(name, **kwargs):\n"
        "    python_sources(name=_helper(name), **kwargs)\nCONST = 3\n"}},
      builtins);
  ASSERT_TRUE(prelude.ok()) << prelude.status();
  EXPECT_EQ(prelude->symbols.count("my_lib"), 1u);
  EXPECT_EQ(prelude->symbols.count("CONST"), 1u);
  EXPECT_EQ(prelude->symbols.count("_helper"), 0u);
  absl::Status s = EvaluateBuildFile({"src/app/BUILD", "x = 1\n  \nmy_lib('app', sources=[])\n"},
                                     builtins, &*prelude);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "src/app/BUILD src/app/BUILD:3:1 build-support/macros.py:5:5 'app_lib'");
}

TEST(Evaluator, NativeErrorsAreLocatedAtTheCall) {
  Symbols builtins;
  builtins["boom"] = Value::Native("boom", [](const CallContext&, CallArgs) -> absl::StatusOr<Value> {
    return absl::InvalidArgumentError("unknown field 'sorces' in python_sources");
  });
  builtins["located"] = Value::Native("located", [](const CallContext&, CallArgs) -> absl::StatusOr<Value> {
    return absl::InvalidArgumentError("other/BUILD:1:2: already located");
  });
  absl::Status s = EvaluateBuildFile({"src/BUILD", "x = 1\nboom(a=1)\n"}, builtins, nullptr);
  EXPECT_EQ(s.message(), "src/BUILD:2:1: unknown field 'sorces' in python_sources\n    boom(a=1)\n    ^");
  s = EvaluateBuildFile({"src/BUILD", "located()\n"}, builtins, nullptr);
  EXPECT_EQ(s.message(), "other/BUILD:1:2: already located");
}

TEST(Evaluator, NameErrorWithDidYouMean) {
  Symbols builtins;
  builtins["python_sources"] = Value::Native("python_sources", [](const CallContext&, CallArgs) -> absl::StatusOr<Value> { return Value(); });
  absl::Status s = EvaluateBuildFile({"src/BUILD", "x = 1\n\nfoo = [pyhton_sources()]\n"}, builtins, nullptr);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "src/BUILD:3:8: name 'pyhton_sources' is not defined\n"
            "    foo = [pyhton_sources()]\n"
            "           ^\n"
            "  hint: did you mean 'python_sources'?");
}

TEST(Evaluator, RuntimeErrors) {
  EXPECT_EQ(RunBuild("x = 1 + 'a'\n"), "src/BUILD:1:5: unsupported operand type(s) for +: 'int' and 'str'\n    x = 1 + 'a'\n        ^");
  EXPECT_EQ(RunBuild("'a' + 1\n"), "src/BUILD:1:1: can only concatenate str (not \"int\") to str\n    'a' + 1\n    ^");
  EXPECT_EQ(RunBuild("[1][5]\n"), "src/BUILD:1:1: list index out of range\n    [1][5]\n    ^");
  EXPECT_EQ(RunBuild("{}['k']\n"), "src/BUILD:1:1: KeyError: 'k'\n    {}['k']\n    ^");
  EXPECT_EQ(RunBuild("1 / 0\n"), "src/BUILD:1:1: division by zero\n    1 / 0\n    ^");
  EXPECT_EQ(RunBuild("len(1)\n"), "src/BUILD:1:1: len(): object of type 'int' has no len()\n    len(1)\n    ^");
  EXPECT_EQ(RunBuild("def f(a):\n  pass\nf()\n"),
            "src/BUILD:3:1: f() missing 1 required positional argument: 'a'\n    f()\n    ^");
  EXPECT_EQ(RunBuild("def f(a, *, b):\n  pass\nf(1)\n"),
            "src/BUILD:3:1: f() missing 1 required keyword-only argument: 'b'\n    f(1)\n    ^");
  EXPECT_EQ(RunBuild("def f(name):\n  pass\nf(nmae=1)\n"),
            "src/BUILD:3:1: f() got an unexpected keyword argument 'nmae'\n    f(nmae=1)\n    ^\n"
            "  hint: did you mean 'name'?");
  EXPECT_EQ(RunBuild("def f(a):\n  pass\nf(1, 2)\n"),
            "src/BUILD:3:1: f() takes 1 positional argument but 2 were given\n    f(1, 2)\n    ^");
  EXPECT_EQ(RunBuild("def f(a):\n  pass\nf(1, a=2)\n"),
            "src/BUILD:3:1: f() got multiple values for argument 'a'\n    f(1, a=2)\n    ^");
  EXPECT_EQ(RunBuild("def f(**k):\n  pass\nf(a=1, **{'a': 2})\n"),
            "src/BUILD:3:10: got multiple values for keyword argument 'a'\n    f(a=1, **{'a': 2})\n             ^");
  EXPECT_EQ(RunBuild("'abc'.nope()\n"),
            "src/BUILD:1:1: 'str' object has no attribute 'nope'\n    'abc'.nope()\n    ^");
  EXPECT_EQ(RunBuild("a, b = [1]\n"),
            "src/BUILD:1:1: not enough values to unpack (expected 2, got 1)\n    a, b = [1]\n    ^");
  EXPECT_EQ(RunBuild("assert 1 == 2, 'bad'\n"), "src/BUILD:1:1: assertion failed: bad\n    assert 1 == 2, 'bad'\n    ^");
  EXPECT_EQ(RunBuild("x = open('f')\n"), "src/BUILD:1:5: 'open' is not allowed in BUILD files\n    x = open('f')\n        ^");
  EXPECT_EQ(RunBuild("x = [1]\nx[0]()\n"), "src/BUILD:2:1: 'int' object is not callable\n    x[0]()\n    ^");
  EXPECT_EQ(RunBuild("{[1]: 2}\n"), "src/BUILD:1:2: unhashable type: 'list'\n    {[1]: 2}\n     ^");
  EXPECT_EQ(RunBuild("1 < 'a'\n"), "src/BUILD:1:1: '<' not supported between instances of 'int' and 'str'\n    1 < 'a'\n    ^");
  EXPECT_EQ(RunBuild("9223372036854775807 + 1\n"),
            "src/BUILD:1:1: integer overflow (BUILD file integers are 64-bit)\n    9223372036854775807 + 1\n    ^");
}

TEST(Evaluator, ErrorInsidePreludeMacroPointsIntoPrelude) {
  Symbols builtins;
  absl::StatusOr<Prelude> prelude = EvaluatePrelude({{"macros.py", "def m():\n    return 1 + None\n"}}, builtins);
  ASSERT_TRUE(prelude.ok());
  EXPECT_EQ(RunBuild("m()\n", &*prelude),
            "macros.py:2:12: unsupported operand type(s) for +: 'int' and 'NoneType'\n        return 1 + None\n               ^");
}

TEST(Evaluator, RecursionLimit) {
  EXPECT_EQ(RunBuild("def f(n):\n  return f(n + 1)\nf(0)\n"),
            "src/BUILD:2:10: maximum recursion depth exceeded\n      return f(n + 1)\n             ^");
}

TEST(Evaluator, StepBudgetStopsRunawayLoops) {
  std::string r = RunBuild("for i in range(100000):\n  for j in range(100000):\n    pass\n");
  EXPECT_EQ(r.substr(0, r.find('\n')),
            "src/BUILD:3:5: evaluation exceeded the step budget (50000000 steps); is there a runaway loop?");
}

TEST(Evaluator, HugeResultsAreRejected) {
  std::string r = RunBuild("x = 'a' * 1000000000\n");
  EXPECT_EQ(r.substr(0, r.find('\n')), "src/BUILD:1:5: result too large (over 4194304 items or bytes)");
  r = RunBuild("x = [1]\nfor i in range(40):\n  x.extend(x)\n");
  EXPECT_EQ(r.substr(0, r.find('\n')), "src/BUILD:3:3: extend(): result too large (over 4194304 items or bytes)");
}

TEST(Evaluator, SelfReferentialListPrints) {
  EXPECT_EQ(RunBuild("l = [1]\nl.append(l)\nout(l)\n"), "[1, [...]]");
}

TEST(Evaluator, EvaluateExpression) {
  Symbols builtins;
  builtins["X"] = Value::Int(2);
  absl::StatusOr<Value> v = EvaluateExpression({"<expr>", "[X * 3, 'a']"}, builtins);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Repr(), "[6, 'a']");
  EXPECT_FALSE(EvaluateExpression({"<expr>", "x = 1"}, builtins).ok());
}

TEST(Evaluator, BomCrlfAndTabs) {
  EXPECT_EQ(RunBuild("\xEF\xBB\xBFx = 1\r\nif x:\r\n\tout(x)\r\n"), "1");
}

TEST(Evaluator, NamesResolveFileThenPreludeThenBuiltins) {
  Symbols builtins;
  builtins["v"] = Value::String("builtin");
  builtins["w"] = Value::String("builtin");
  builtins["u"] = Value::String("builtin");
  std::vector<std::string> seen;
  builtins["out"] = Value::Native("out", [&seen](const CallContext&, CallArgs a) -> absl::StatusOr<Value> {
    seen.push_back(a.positional[0].Str());
    return Value();
  });
  absl::StatusOr<Prelude> prelude = EvaluatePrelude({{"p.py", "v = 'prelude'\nw = 'prelude'\n"}}, builtins);
  ASSERT_TRUE(prelude.ok());
  ASSERT_TRUE(EvaluateBuildFile({"BUILD", "v = 'file'\nout(v)\nout(w)\nout(u)\n"}, builtins, &*prelude).ok());
  EXPECT_EQ(absl::StrJoin(seen, ","), "file,prelude,builtin");
}

}  // namespace
}  // namespace braid::build_file

namespace braid::build_file {
namespace {

// A loose guard against accidental quadratic behaviour: 1,000 typical BUILD
// files must evaluate well under a second (they take a few ms).
TEST(Evaluator, ThousandTypicalBuildFilesAreFast) {
  const std::string build =
      "# comment\n"
      "python_sources(\n"
      "    name='lib',\n"
      "    sources=['*.py', '!*_test.py'],\n"
      "    dependencies=['//3rdparty/python:requests', ':config', 'src/python/util'],\n"
      "    tags=['a', 'b'],\n"
      ")\n"
      "python_tests(name='tests', sources=['*_test.py'], timeout=120, **{'skip_mypy': True})\n"
      "resources(name='config', sources=['*.json'])\n";
  int calls = 0;
  Symbols builtins;
  for (const char* name : {"python_sources", "python_tests", "resources"}) {
    builtins[name] = Value::Native(name, [&calls](const CallContext&, CallArgs) -> absl::StatusOr<Value> {
      ++calls;
      return Value();
    });
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    absl::Status s = EvaluateBuildFile({"src/python/app/BUILD", build}, builtins, nullptr);
    ASSERT_TRUE(s.ok()) << s;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(calls, 3000);
  EXPECT_LT(ms, 1000.0);
  std::printf("1000 BUILD files: %.2f ms\n", ms);
}

}  // namespace
}  // namespace braid::build_file
