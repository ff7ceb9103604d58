#include "rules/python/interpreter.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace braid::python {
namespace {

InterpreterInfo Py(int major, int minor, int micro, std::string impl = "CPython") {
  InterpreterInfo i;
  i.implementation = std::move(impl);
  i.major = major;
  i.minor = minor;
  i.micro = micro;
  return i;
}

bool Ok(const char* constraint, const InterpreterInfo& info) {
  absl::StatusOr<InterpreterConstraint> c = ParseInterpreterConstraint(constraint);
  EXPECT_TRUE(c.ok()) << constraint << ": " << c.status();
  return c.ok() && Satisfies(info, *c);
}

TEST(InterpreterConstraint, PantsStyleConstraints) {
  EXPECT_TRUE(Ok("CPython>=3.9,<4", Py(3, 11, 2)));
  EXPECT_FALSE(Ok("CPython>=3.9,<4", Py(3, 8, 10)));
  EXPECT_FALSE(Ok("CPython>=3.9", Py(3, 11, 2, "PyPy")));
  EXPECT_TRUE(Ok(">=3.9", Py(3, 11, 2, "PyPy")));
  EXPECT_TRUE(Ok("CPython==3.11.*", Py(3, 11, 7)));
  EXPECT_FALSE(Ok("CPython==3.11.*", Py(3, 12, 0)));
  EXPECT_TRUE(Ok("CPython==3.13.7", Py(3, 13, 7)));
  EXPECT_FALSE(Ok("CPython!=3.10.*", Py(3, 10, 1)));
  EXPECT_TRUE(Ok("CPython~=3.9", Py(3, 12, 0)));
  EXPECT_FALSE(Ok("CPython~=3.9.1", Py(3, 10, 0)));
  EXPECT_TRUE(Ok("cpython>3.9", Py(3, 9, 1)));  // implementation names are case-insensitive
}

TEST(InterpreterConstraint, BadConstraintsAreErrors) {
  EXPECT_EQ(ParseInterpreterConstraint("CPython=>3.9").status().message(),
            "invalid interpreter constraint 'CPython=>3.9': expected an operator in '=>3.9'");
  EXPECT_EQ(ParseInterpreterConstraint("CPython>=3.x").status().message(),
            "invalid interpreter constraint 'CPython>=3.x': invalid version '3.x'");
}

TEST(InterpreterConstraint, AnyOfTheListMatches) {
  std::vector<InterpreterConstraint> cs = {*ParseInterpreterConstraint("CPython==3.8.*"),
                                           *ParseInterpreterConstraint("CPython==3.11.*")};
  EXPECT_TRUE(SatisfiesAny(Py(3, 11, 0), cs));
  EXPECT_FALSE(SatisfiesAny(Py(3, 9, 0), cs));
  EXPECT_TRUE(SatisfiesAny(Py(2, 7, 0), {}));
}

TEST(SearchPath, ExpandsPathPyenvAndHome) {
  std::string root = ::testing::TempDir() + "/pyenv-test";
  ::mkdir(root.c_str(), 0755);
  ::mkdir((root + "/versions").c_str(), 0755);
  ::mkdir((root + "/versions/3.9.1").c_str(), 0755);
  ::mkdir((root + "/versions/3.12.0").c_str(), 0755);
  std::map<std::string, std::string> env = {
      {"PATH", "/a:/b"}, {"PYENV_ROOT", root}, {"HOME", "/home/u"}};
  EXPECT_EQ(ExpandSearchPath({"<PATH>", "<PYENV>", "~/py/bin", "/opt/py"}, env),
            (std::vector<std::string>{"/a", "/b", root + "/versions/3.12.0/bin",
                                      root + "/versions/3.9.1/bin", "/home/u/py/bin",
                                      "/opt/py"}));
}

TEST(SearchPath, LeavesOutPyenvShimsOnlyWhenPyenvIsSearched) {
  std::string root = ::testing::TempDir() + "/pyenv-shims-test";
  ::mkdir(root.c_str(), 0755);
  ::mkdir((root + "/versions").c_str(), 0755);
  ::mkdir((root + "/versions/3.11.7").c_str(), 0755);
  std::map<std::string, std::string> env = {
      {"PATH", root + "/plugins/pyenv-virtualenv/shims:" + root + "/shims/:" + root +
                   "/bin:/other/shims:" + root + "/plugins/x/y/shims:/usr/bin"},
      {"PYENV_ROOT", root + "/"}};
  // With <PYENV>: the shim directories go, pyenv's own bin and look-alikes stay.
  EXPECT_EQ(ExpandSearchPath({"<PATH>", "<PYENV>"}, env),
            (std::vector<std::string>{root + "/bin", "/other/shims", root + "/plugins/x/y/shims",
                                      "/usr/bin", root + "/versions/3.11.7/bin"}));
  // Without it the shims are the only way to pyenv's interpreters: kept.
  EXPECT_EQ(ExpandSearchPath({"<PATH>"}, env).size(), 6u);
}

TEST(SelectInterpreter, FindsDebianPythonAndCachesTheProbe) {
  std::string cache = ::testing::TempDir() + "/interpreters.json";
  std::remove(cache.c_str());
  InterpreterRequest req;
  req.search_path = {"/usr/bin"};
  req.names = {"python3"};
  req.constraints = {"CPython>=3"};
  req.cache_file = cache;
  absl::StatusOr<InterpreterInfo> py = SelectInterpreter(req);
  ASSERT_TRUE(py.ok()) << py.status();
  EXPECT_EQ(py->path, "/usr/bin/python3");
  EXPECT_EQ(py->implementation, "CPython");
  EXPECT_EQ(py->major, 3);
  EXPECT_EQ(py->packages_digest.size(), 64u);
  // The second selection is served from the cache with the same identity.
  std::ifstream in(cache);
  ASSERT_TRUE(in.good());
  absl::StatusOr<InterpreterInfo> again = SelectInterpreter(req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->packages_digest, py->packages_digest);
  EXPECT_EQ(again->Version(), py->Version());
}

TEST(SelectInterpreter, NoMatchListsWhatWasFound) {
  InterpreterRequest req;
  req.search_path = {"/usr/bin"};
  req.names = {"python3"};
  req.constraints = {"CPython==2.7.*"};
  absl::StatusOr<InterpreterInfo> py = SelectInterpreter(req);
  ASSERT_FALSE(py.ok());
  EXPECT_NE(py.status().message().find(
                "no Python interpreter on [python-bootstrap].search_path satisfies the "
                "interpreter constraints CPython==2.7.*; found:\n    /usr/bin/python3 (CPython 3."),
            std::string::npos)
      << py.status();
}

// A "python" that cannot run the probe (a Python 2, say): its failure is remembered, so later
// runs start no process for it, until the executable changes.
TEST(SelectInterpreter, RemembersAFailedProbeUntilTheExecutableChanges) {
  std::string dir = ::testing::TempDir() + "/broken-python";
  ::mkdir(dir.c_str(), 0755);
  const std::string exe = dir + "/python";
  const std::string calls = dir + "/calls";
  std::remove(calls.c_str());
  auto write_exe = [&](const std::string& message) {
    std::ofstream(exe, std::ios::trunc) << "#!/bin/sh\necho x >> " << calls << "\necho " << message
                                        << " >&2\nexit 1\n";
    ::chmod(exe.c_str(), 0755);
  };
  auto count_calls = [&] {
    std::ifstream in(calls);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  };
  write_exe("SyntaxError");
  std::string cache = dir + "/interpreters.json";
  std::remove(cache.c_str());
  InterpreterRequest req;
  req.search_path = {dir};
  req.names = {"python"};
  req.cache_file = cache;
  absl::StatusOr<InterpreterInfo> first = SelectInterpreter(req);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.status().message().find("failed to report its version: SyntaxError"),
            std::string::npos)
      << first.status();
  EXPECT_EQ(count_calls(), 1);
  absl::StatusOr<InterpreterInfo> second = SelectInterpreter(req);
  EXPECT_EQ(second.status(), first.status());
  EXPECT_EQ(count_calls(), 1) << "the remembered failure starts no process";
  write_exe("ImportError!");  // a different executable (size): probed again
  absl::StatusOr<InterpreterInfo> third = SelectInterpreter(req);
  EXPECT_NE(third.status().message().find("failed to report its version: ImportError!"),
            std::string::npos)
      << third.status();
  EXPECT_EQ(count_calls(), 2);
}

}  // namespace
}  // namespace braid::python
