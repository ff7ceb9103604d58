// Mutation testing: thousands of corrupted BUILD snippets must produce a
// result or an error, never a crash or a hang.
#include <random>
#include <string>
#include <vector>

#include "core/build_file/evaluator.h"
#include "gtest/gtest.h"

namespace braid::build_file {
namespace {

const char* const kSeeds[] = {
    "python_sources(name='lib', sources=['*.py', '!test_*.py'], dependencies=[':a', '//b:c'])\n",
    "def macro(name, *args, extra=None, **kwargs):\n    deps = [d for d in kwargs.get('deps', []) if d]\n"
    "    if extra:\n        deps += extra\n    return python_sources(name=name, dependencies=deps, **kwargs)\n"
    "macro('x', deps=['a', None], extra=['b'])\n",
    "x = {'a': [1, 2, (3,)], 'b': {1, 2}}\nfor k, v in sorted(x.items()):\n    str(f'{k!r}: {v}')\n",
    "s = '%s-%d' % ('a', 1) + '{0}{x}'.format(1, x=2) + f'{3.5:>8.2f}'\nt = s.split('-')[::-1]\n",
    "a = [i * 2 for i in range(10) if i % 3]\nb = {i: str(i) for i in a}\nc = lambda q, r=2: q ** r\n"
    "d = c(3) if len(b) > 2 else None\nassert d == 9, 'bad'\n",
    "\xEF\xBB\xBFif True:\r\n\tx = 1\r\nelse:\r\n\tx = 2\r\n",
    "r = '''multi\nline''' r'raw\\n' b'bytes' 0x1F + 0o7 + 0b1 + 1_000 + 1.5e3\n",
};

TEST(Fuzz, MutatedInputsNeverCrash) {
  std::mt19937 rng(12345);
  const std::string alphabet = "()[]{}'\"\\:;,.=+-*/%#@!&|^~<> \t\n\r0123456789abcdefxyz_fFrRbB";
  Symbols builtins;
  builtins["python_sources"] = Value::Native("python_sources", [](const CallContext&, CallArgs) -> absl::StatusOr<Value> {
    return Value();
  });
  int ok = 0, errors = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = kSeeds[iter % (sizeof kSeeds / sizeof kSeeds[0])];
    int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      size_t pos = rng() % s.size();
      switch (rng() % 5) {
        case 0: s.erase(pos, 1 + rng() % 4); break;
        case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        case 2: s[pos] = static_cast<char>(rng() % 256); break;
        case 3: s.insert(pos, s.substr(rng() % s.size(), rng() % 12)); break;
        default: s[pos] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    absl::Status st = EvaluateBuildFile({"src/BUILD", s}, builtins, nullptr);
    if (st.ok()) {
      ++ok;
    } else {
      ++errors;
      // Every error names its place.
      EXPECT_EQ(st.message().substr(0, 10), "src/BUILD:") << s;
    }
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(errors, 0);
}

TEST(Fuzz, RandomBytesNeverCrash) {
  std::mt19937 rng(7);
  Symbols builtins;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) c = static_cast<char>(rng() % 256);
    absl::Status st = EvaluateBuildFile({"BUILD", s}, builtins, nullptr);
    (void)st;
  }
}

}  // namespace
}  // namespace braid::build_file
