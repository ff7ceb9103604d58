#include "rules/python/package/pex.h"

#include "gtest/gtest.h"

namespace braid::python::package {
namespace {

TEST(Pex, InfoIsSortedJson) {
  PexOptions o;
  o.entry_point = "app.main:run";
  o.requirements = {"requests>=2"};
  o.interpreter_constraints = {"CPython>=3.9"};
  EXPECT_EQ(RenderPexInfo(o),
            "{\n  \"build_by\": \"braid\",\n  \"entry_point\": \"app.main:run\",\n"
            "  \"inherit_path\": \"fallback\",\n  \"interpreter_constraints\": [\n"
            "    \"CPython>=3.9\"\n  ],\n  \"requirements\": [\n    \"requests>=2\"\n  ],\n"
            "  \"zip_safe\": true\n}\n");
}

TEST(Pex, MainCallsTheEntryPoint) {
  std::string main = RenderPexMain("app.main:run");
  EXPECT_NE(main.find("module, _, attr = 'app.main:run'.partition(\":\")"), std::string::npos);
  EXPECT_NE(main.find("sys.exit(_run())"), std::string::npos);
}

TEST(Pex, ShebangNamespaceInitsAndEntries) {
  PexOptions o;
  o.entry_point = "ns.app.main";
  absl::StatusOr<std::string> pex =
      BuildPex({{"ns/app/__init__.py", ""}, {"ns/app/main.py", "print(1)"}}, o);
  ASSERT_TRUE(pex.ok()) << pex.status();
  EXPECT_EQ(pex->rfind("#!/usr/bin/env python3\n", 0), 0u);
  // ns/ has no __init__.py: one is added; ns/app keeps its own.
  size_t added = pex->find("ns/__init__.py");
  ASSERT_NE(added, std::string::npos);
  // (Its text is deflated; the e2e test runs a PEX with a namespace package.)
  EXPECT_EQ(*BuildPex({{"ns/app/main.py", "print(1)"}, {"ns/app/__init__.py", ""}}, o),
            *BuildPex({{"ns/app/__init__.py", ""}, {"ns/app/main.py", "print(1)"}}, o));
}

TEST(Pex, Errors) {
  PexOptions o;
  EXPECT_EQ(BuildPex({}, o).status().message(), "a PEX needs an entry point");
  o.entry_point = "x";
  EXPECT_EQ(BuildPex({{"__main__.py", ""}}, o).status().message(),
            "'__main__.py' at the top of a source root clashes with the PEX's own");
}

}  // namespace
}  // namespace braid::python::package
