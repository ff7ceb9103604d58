#include "rules/python/run_goal.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "core/exec/run_sync.h"
#include "core/exec/sandbox.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

TEST(PythonModuleOf, PathUnderTheSourceRootWithDots) {
  EXPECT_EQ(PythonModuleOf("src/app/main.py", "src"), "app.main");
  EXPECT_EQ(PythonModuleOf("src/python/a/b/c.py", "src/python"), "a.b.c");
  EXPECT_EQ(PythonModuleOf("tool.py", "."), "tool");
  EXPECT_EQ(PythonModuleOf("pkg/mod.py", "."), "pkg.mod");
  EXPECT_EQ(PythonModuleOf("src/app/__init__.py", "src"), "app.__init__");
}

TEST(PythonModuleOf, RootMustBeAWholeDirectoryPrefix) {
  // "srcs/..." is not under root "src".
  EXPECT_EQ(PythonModuleOf("srcs/app.py", "src"), "srcs.app");
}

TEST(RunPythonPath, RootsUnderTheBaseWithTheBuildRootAsBaseItself) {
  EXPECT_EQ(RunPythonPath("/tmp/sb", {".", "src", "tests/py"}), "/tmp/sb:/tmp/sb/src:/tmp/sb/tests/py");
  EXPECT_EQ(RunPythonPath("/repo", {}), "");
}


// The -c script behaves like `python -m`: sys.argv[0] is the module's file, the rest are the
// arguments, __name__ is __main__, and the working directory is not importable from.
TEST(RunModuleArgs, RunsTheModuleAsMainWithoutTheCwdOnSysPath) {
  if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
  std::string tmpl = "/tmp/braid-run-goal-test-XXXXXX";
  std::string dir = ::mkdtemp(tmpl.data());
  ::mkdir((dir + "/root").c_str(), 0755);
  ::mkdir((dir + "/root/pkg").c_str(), 0755);
  std::ofstream(dir + "/root/pkg/__init__.py") << "";
  std::ofstream(dir + "/root/pkg/main.py")
      << "import sys\n"
         "print(__name__, sys.argv[0].endswith('pkg/main.py'), sys.argv[1:], sorted(k for k in "
         "globals() if not k.startswith('__') and k != 'sys'))\n"
         "print('' in sys.path, any(p == '" << dir << "' for p in sys.path))\n"
         "sys.exit(4)\n";
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir,
                                   "/usr/bin/python3"};
  for (const std::string& a : RunModuleArgs("pkg.main")) argv.push_back(a);
  argv.push_back("--flag");
  argv.push_back("two words");
  absl::StatusOr<exec::SyncResult> r = exec::RunSync(argv, {{"PYTHONPATH", dir + "/root"}});
  (void)exec::RemoveTree(dir);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 4) << r->stderr_bytes;
  EXPECT_EQ(r->stdout_bytes, "__main__ True ['--flag', 'two words'] []\nFalse False\n");
}

}  // namespace
}  // namespace braid::python
