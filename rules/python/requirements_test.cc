#include "rules/python/requirements.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

std::vector<std::string> Texts(const std::vector<ParsedRequirement>& reqs) {
  std::vector<std::string> out;
  for (const ParsedRequirement& r : reqs) out.push_back(r.requirement.text);
  return out;
}

std::string ParseError(absl::string_view text) {
  absl::StatusOr<Requirement> r = ParseRequirement(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(ParseRequirement, NameOnly) {
  absl::StatusOr<Requirement> r = ParseRequirement("  PyYAML ");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->name, "PyYAML");
  EXPECT_EQ(r->text, "PyYAML");
  EXPECT_TRUE(r->extras.empty());
  EXPECT_TRUE(r->specifiers.empty());
  EXPECT_EQ(r->url, "");
  EXPECT_EQ(r->marker, "");
}

TEST(ParseRequirement, ExtrasSpecifiersAndMarker) {
  absl::StatusOr<Requirement> r = ParseRequirement(
      "requests[security, socks] >=2.8.1, ==2.8.* ; python_version < \"3.8\" and os_name == "
      "'posix'");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->name, "requests");
  EXPECT_EQ(r->extras, (std::vector<std::string>{"security", "socks"}));
  ASSERT_EQ(r->specifiers.size(), 2u);
  EXPECT_EQ(r->specifiers[0].op, ">=");
  EXPECT_EQ(r->specifiers[0].version, "2.8.1");
  EXPECT_EQ(r->specifiers[1].op, "==");
  EXPECT_EQ(r->specifiers[1].version, "2.8.*");
  EXPECT_EQ(r->marker, "python_version < \"3.8\" and os_name == 'posix'");
}

TEST(ParseRequirement, AllOperatorsAndVersionForms) {
  for (const char* text :
       {"a~=1.4.2", "a!=1.0", "a<=2", "a>=1.0a1", "a<3.0.dev2", "a>1!2.0.post1", "a===foo-bar",
        "a==1.0+local.7", "a (>=1.0, <2)", "a==v1.0rc1", "a[]", "a.b_c-d==1"}) {
    absl::StatusOr<Requirement> r = ParseRequirement(text);
    EXPECT_TRUE(r.ok()) << text << ": " << r.status();
  }
}

TEST(ParseRequirement, UrlRequirement) {
  absl::StatusOr<Requirement> r =
      ParseRequirement("pip @ https://example.com/pip-1.0.whl ; sys_platform == 'linux'");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->name, "pip");
  EXPECT_EQ(r->url, "https://example.com/pip-1.0.whl");
  EXPECT_EQ(r->marker, "sys_platform == 'linux'");
}

TEST(ParseRequirement, MarkersWithParenthesesAndIn) {
  EXPECT_TRUE(ParseRequirement("a; (python_version >= '3.8' or extra == 'x') and "
                               "'linux' in sys_platform")
                  .ok());
  EXPECT_TRUE(ParseRequirement("a; platform_machine not in 'arm64 aarch64'").ok());
}

TEST(ParseRequirement, Errors) {
  EXPECT_EQ(ParseError("foo==="), "expected a version after '==='");
  EXPECT_EQ(ParseError("foo=="), "expected a version after '=='");
  EXPECT_EQ(ParseError(""), "expected a project name");
  EXPECT_EQ(ParseError("==1.0"), "expected a project name, got '==1.0'");
  EXPECT_EQ(ParseError("-foo"),
            "'-foo' is not a valid name: it must start and end with a letter or digit");
  EXPECT_EQ(ParseError("foo- ==1"),
            "'foo-' is not a valid name: it must start and end with a letter or digit");
  EXPECT_EQ(ParseError("foo[bar"), "expected ',' or ']' after an extra name");
  EXPECT_EQ(ParseError("foo bar"),
            "unexpected 'bar' (expected a version specifier like '==1.0', '[extras]', "
            "'@ URL' or '; marker')");
  EXPECT_EQ(ParseError("foo>=1.0,"), "expected a version operator (one of ~= == != <= >= < > ===)");
  EXPECT_EQ(ParseError("foo>=1.*"), "a '.*' wildcard is only allowed with == and !=, not '>='");
  EXPECT_EQ(ParseError("foo==1..0"), "invalid version '1..0' after '==' (see PEP 440)");
  EXPECT_EQ(ParseError("foo (>=1"), "expected ')' to close the version specifiers");
  EXPECT_EQ(ParseError("foo @ "), "expected a URL after '@'");
  EXPECT_EQ(ParseError("foo; "), "expected an environment marker after ';'");
  EXPECT_EQ(ParseError("foo; pyton_version < '3'"),
            "unknown environment marker variable 'pyton_version'");
  EXPECT_EQ(ParseError("foo; python_version"),
            "expected a comparison operator (==, <, in, ...) in environment marker");
  EXPECT_EQ(ParseError("foo; python_version < '3"), "unterminated string in environment marker");
  EXPECT_EQ(ParseError("foo; (python_version < '3'"), "expected ')' in environment marker");
}

TEST(ProjectNames, SafeNameKeepsCaseAndDots) {
  EXPECT_EQ(SafeProjectName("PyYAML"), "PyYAML");
  EXPECT_EQ(SafeProjectName("zope_interface"), "zope-interface");
  EXPECT_EQ(SafeProjectName("ruamel.yaml"), "ruamel.yaml");
  EXPECT_EQ(SafeProjectName("a__-b"), "a-b");
}

TEST(ProjectNames, CanonicalFoldsCaseAndSeparators) {
  EXPECT_EQ(CanonicalProjectName("PyYAML"), "pyyaml");
  EXPECT_EQ(CanonicalProjectName("Zope_Interface"), "zope-interface");
  EXPECT_EQ(CanonicalProjectName("ruamel.yaml"), "ruamel-yaml");
  EXPECT_EQ(CanonicalProjectName("a._-b"), "a-b");
}

TEST(ParseRequirementsTxt, CommentsBlankLinesAndOptions) {
  const char* contents =
      "# a comment\n"
      "\n"
      "Django>=3.2  # trailing comment\n"
      "-r other.txt\n"
      "--index-url https://pypi.example.com/simple\n"
      "-e ./local/pkg\n"
      "  ansicolors==1.1.8\r\n"
      "requests[security]==2.31.0 --hash=sha256:abc\n";
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParseRequirementsTxt(contents, "3rdparty/requirements.txt");
  ASSERT_TRUE(reqs.ok()) << reqs.status();
  EXPECT_EQ(Texts(*reqs), (std::vector<std::string>{"Django>=3.2", "ansicolors==1.1.8",
                                                    "requests[security]==2.31.0"}));
  EXPECT_EQ((*reqs)[0].line, 3);
  EXPECT_EQ((*reqs)[1].line, 7);
  EXPECT_EQ((*reqs)[2].line, 8);
  EXPECT_EQ((*reqs)[2].requirement.extras, (std::vector<std::string>{"security"}));
  EXPECT_FALSE((*reqs)[0].optional_group.has_value());
}

// As in Pants, a "\" continuation is dropped rather than joined: the hash
// lines that usually follow become empty and are skipped.
TEST(ParseRequirementsTxt, ContinuationLinesWithHashes) {
  const char* contents =
      "certifi==2024.2.2 \\\n"
      "    --hash=sha256:0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f \\\n"
      "    --hash=sha256:dc383c07b76109f368f6106eee2b593b04a011ea4d55f652c6ca24a754d1cdd1\n"
      "idna==3.6\n";
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParseRequirementsTxt(contents, "r.txt");
  ASSERT_TRUE(reqs.ok()) << reqs.status();
  EXPECT_EQ(Texts(*reqs), (std::vector<std::string>{"certifi==2024.2.2", "idna==3.6"}));
  EXPECT_EQ((*reqs)[1].line, 4);
}

TEST(ParseRequirementsTxt, MarkersSurvive) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParseRequirementsTxt(
      "foo>=1.2,<1.3 ; python_version>'3.6'\nfoo==0.9 ; python_version<'3'\n", "r.txt");
  ASSERT_TRUE(reqs.ok()) << reqs.status();
  EXPECT_EQ(Texts(*reqs), (std::vector<std::string>{"foo>=1.2,<1.3 ; python_version>'3.6'",
                                                    "foo==0.9 ; python_version<'3'"}));
  EXPECT_EQ((*reqs)[0].requirement.marker, "python_version>'3.6'");
}

TEST(ParseRequirementsTxt, InvalidLineIsLocated) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParseRequirementsTxt("Django==3.2\n\nfoo===  # pinned\n", "3rdparty/requirements.txt");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(reqs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(reqs.status().message()),
            "3rdparty/requirements.txt:3: invalid requirement 'foo==='\n"
            "    foo===  # pinned\n"
            "  hint: expected a version after '==='");
}

// Pants cuts comments at '#', so a pip VCS line loses its #egg= fragment and
// is rejected rather than silently misread.
TEST(ParseRequirementsTxt, VcsLineIsAnError) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParseRequirementsTxt(
      "git+https://github.com/django/django.git@stable/2.1.x#egg=Django\n", "r.txt");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(std::string(reqs.status().message()),
            "r.txt:1: invalid requirement 'git+https://github.com/django/django.git@stable/2.1.x'\n"
            "    git+https://github.com/django/django.git@stable/2.1.x#egg=Django\n"
            "  hint: unexpected '+https://github.com/django/django.git@stable/2.1.x' (expected "
            "a version specifier like '==1.0', '[extras]', '@ URL' or '; marker'); for a URL or "
            "VCS requirement write a PEP 508 direct reference, e.g. "
            "'Django @ git+https://github.com/django/django.git@stable/2.1.x'");
}

TEST(ParseRequirementsTxt, EmptyFile) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParseRequirementsTxt("", "r.txt");
  ASSERT_TRUE(reqs.ok());
  EXPECT_TRUE(reqs->empty());
}

TEST(ParsePyproject, DependenciesThenOptionalGroupsInFileOrder) {
  const char* contents = R"([project]
name = "demo"
dependencies = [
  "requests>=2",
  "PyYAML ; python_version >= '3.8'",
]

[project.optional-dependencies]
test = ["pytest==8.0"]
dev = ["black", "requests[socks]"]
)";
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParsePyprojectRequirements(contents, "pyproject.toml");
  ASSERT_TRUE(reqs.ok()) << reqs.status();
  EXPECT_EQ(Texts(*reqs),
            (std::vector<std::string>{"requests>=2", "PyYAML ; python_version >= '3.8'",
                                      "pytest==8.0", "black", "requests[socks]"}));
  EXPECT_FALSE((*reqs)[0].optional_group.has_value());
  EXPECT_EQ((*reqs)[0].line, 4);
  EXPECT_EQ((*reqs)[2].optional_group, "test");
  EXPECT_EQ((*reqs)[3].optional_group, "dev");
  EXPECT_EQ((*reqs)[4].optional_group, "dev");
}

TEST(ParsePyproject, NoDependenciesIsAnError) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParsePyprojectRequirements("[project]\nname = 'x'\n", "a/pyproject.toml");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(std::string(reqs.status().message()),
            "a/pyproject.toml: no section `project.dependencies` or "
            "`project.optional-dependencies` found\n"
            "  hint: python_requirements reads PEP 621 metadata from a source ending in "
            "pyproject.toml; for Poetry's [tool.poetry.dependencies] use poetry_requirements");
}

TEST(ParsePyproject, InvalidRequirementIsLocated) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParsePyprojectRequirements(
      "[project]\ndependencies = [\n  \"ok\",\n  \"bad==\",\n]\n", "pyproject.toml");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(std::string(reqs.status().message()),
            "pyproject.toml:4: invalid requirement 'bad=='\n"
            "      \"bad==\",\n"
            "  hint: expected a version after '=='");
}

TEST(ParsePyproject, NonStringEntry) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParsePyprojectRequirements("[project]\ndependencies = [1]\n", "pyproject.toml");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(std::string(reqs.status().message()),
            "pyproject.toml:2: entries of project.dependencies must be strings\n"
            "    dependencies = [1]");
}

TEST(ParsePyproject, TomlSyntaxError) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParsePyprojectRequirements("[project\n", "pyproject.toml");
  ASSERT_FALSE(reqs.ok());
  EXPECT_EQ(reqs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(std::string(reqs.status().message()), "pyproject.toml:1:"))
      << reqs.status().message();
  EXPECT_TRUE(absl::StrContains(std::string(reqs.status().message()), "invalid TOML: "))
      << reqs.status().message();
}

TEST(IsPyprojectSource, ByFileName) {
  EXPECT_TRUE(IsPyprojectSource("pyproject.toml"));
  EXPECT_TRUE(IsPyprojectSource("sub/pyproject.toml"));
  EXPECT_FALSE(IsPyprojectSource("requirements.txt"));
  EXPECT_FALSE(IsPyprojectSource("pyproject.toml.bak"));
}


// ---------------------------------------------------------------------------
// Poetry: conversion cases are the ones Pants' poetry_requirements_test.py checks.
// ---------------------------------------------------------------------------

std::string Poetry(absl::string_view constraint, absl::string_view extras = "") {
  absl::StatusOr<std::string> out = PoetryConstraintToPep508("foo", extras, constraint);
  EXPECT_TRUE(out.ok()) << constraint << ": " << out.status();
  return out.ok() ? *out : "";
}

TEST(PoetryConstraint, CaretBumpsFirstNonZeroComponent) {
  EXPECT_EQ(Poetry("^1.0.0-rc0"), "foo >=1.0.0rc0,<2.0.0");
  EXPECT_EQ(Poetry("^1.2.3.dev0"), "foo >=1.2.3.dev0,<2.0.0");
  EXPECT_EQ(Poetry("^1.2.3-dev0"), "foo >=1.2.3.dev0,<2.0.0");
  EXPECT_EQ(Poetry("^1.2"), "foo >=1.2,<2.0.0");
  EXPECT_EQ(Poetry("^1"), "foo >=1,<2.0.0");
  EXPECT_EQ(Poetry("^0.2.3"), "foo >=0.2.3,<0.3.0");
  EXPECT_EQ(Poetry("^0.0.3"), "foo >=0.0.3,<0.0.4");
  EXPECT_EQ(Poetry("^0.0"), "foo >=0.0,<0.1.0");
  EXPECT_EQ(Poetry("^0"), "foo >=0,<1.0.0");
}

TEST(PoetryConstraint, TildeAllowsPatchOrMinorUpdates) {
  EXPECT_EQ(Poetry("~1.2.3"), "foo >=1.2.3,<1.3.0");
  EXPECT_EQ(Poetry("~1.2"), "foo >=1.2,<1.3.0");
  EXPECT_EQ(Poetry("~1"), "foo >=1,<2.0.0");
  EXPECT_EQ(Poetry("~1.2.3rc1"), "foo >=1.2.3rc1,<1.3.0");
  EXPECT_EQ(Poetry("~1.2.3-rc1"), "foo >=1.2.3rc1,<1.3.0");
  EXPECT_EQ(Poetry("~1.0.0rc0"), "foo >=1.0.0rc0,<1.1.0");
  // `~=` is PEP 440's compatible release, kept as written.
  EXPECT_EQ(Poetry("~=1.2.3"), "foo ~=1.2.3");
}

TEST(PoetryConstraint, WildcardsBareVersionsAndLists) {
  EXPECT_EQ(Poetry("*"), "foo");
  EXPECT_EQ(Poetry("1.*"), "foo >=1.0,<2.0.0");
  EXPECT_EQ(Poetry("1.2.*"), "foo >=1.2.0,<1.3.0");
  EXPECT_EQ(Poetry("44.*"), "foo >=44.0,<45.0.0");
  EXPECT_EQ(Poetry("1.2.3"), "foo ==1.2.3");
  EXPECT_EQ(Poetry(">1.2.3"), "foo >1.2.3");
  EXPECT_EQ(Poetry("~1.2, !=1.2.10"), "foo >=1.2,<1.3.0,!=1.2.10");
  EXPECT_EQ(Poetry(">=5.5.1,<5.6"), "foo >=5.5.1,<5.6");
  EXPECT_EQ(Poetry("1.0.0", "[extra1,extra2]"), "foo[extra1,extra2] ==1.0.0");
}

TEST(PoetryConstraint, InvalidVersionNamesTheRequirement) {
  absl::StatusOr<std::string> out = PoetryConstraintToPep508("foo", "", "~r62b");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "failed to parse requirement foo = \"~r62b\": 'r62b' is not a valid PEP 440 version");
  EXPECT_FALSE(PoetryConstraintToPep508("foo", "", "1*").ok());
}

TEST(PoetryPythonConstraint, AndOrAlternatives) {
  auto marker = [](absl::string_view c) {
    absl::StatusOr<std::string> m = PoetryPythonConstraintToMarker(c);
    EXPECT_TRUE(m.ok()) << c << ": " << m.status();
    return m.ok() ? *m : "";
  };
  EXPECT_EQ(marker("3.6"), "python_version == '3.6'");
  EXPECT_EQ(marker("3.6 || 3.7"), "(python_version == '3.6') or (python_version == '3.7')");
  EXPECT_EQ(marker(">3.6,!=3.7"), "python_version > '3.6' and python_version != '3.7'");
  EXPECT_EQ(marker(">3.6 || 3.5,3.4"),
            "(python_version > '3.6') or (python_version == '3.5' and python_version == '3.4')");
  EXPECT_EQ(marker("~3.6 || ^3.7"),
            "(python_version >= '3.6' and python_version< '3.7') or "
            "(python_version >= '3.7' and python_version< '4.0')");
}

std::vector<ParsedRequirement> ParsePoetry(absl::string_view toml,
                                           std::vector<std::string> files = {}) {
  IsFileFn is_file = [files](const std::string& p) {
    return std::find(files.begin(), files.end(), p) != files.end();
  };
  absl::StatusOr<std::vector<ParsedRequirement>> reqs =
      ParsePoetryRequirements(toml, "3rdparty/pyproject.toml", is_file);
  EXPECT_TRUE(reqs.ok()) << reqs.status();
  return reqs.ok() ? *reqs : std::vector<ParsedRequirement>{};
}

std::string PoetryError(absl::string_view toml) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParsePoetryRequirements(
      toml, "3rdparty/pyproject.toml", [](const std::string&) { return false; });
  EXPECT_FALSE(reqs.ok());
  if (!reqs.ok()) {
    EXPECT_EQ(reqs.status().code(), absl::StatusCode::kInvalidArgument);
  }
  return reqs.ok() ? "" : std::string(reqs.status().message());
}

// The pyproject.toml of Pants' test_parse_multi_reqs, in file order.
TEST(ParsePoetry, AllTablesAndValueForms) {
  std::vector<ParsedRequirement> reqs = ParsePoetry(R"([tool.poetry]
name = "poetry_tinker"

[tool.poetry.dependencies]
python = "^3.8"
junk = {url = "https://github.com/myrepo/junk.whl", extras = ["security"]}
poetry = {git = "https://github.com/python-poetry/poetry.git", tag = "v1.1.1"}
requests = {extras = ["security","random"], version = "^2.25.1", python = ">2.7"}
foo = [{version = ">=1.9", python = "^2.7"},{version = "^2.0", python = "3.4 || 3.5"}]

[tool.poetry.dependencies.black]
version = "19.10b0"
python = "3.6"
markers = "platform_python_implementation == 'CPython'"

[tool.poetry.group.mygroup.dependencies]
myrequirement = "1.2.3"
awildcard = "6.7.*"
aglobalwildcard = "*"

[tool.poetry.group.mygroup2.dependencies]
myrequirement2 = "1.2.3"

[tool.poetry.dev-dependencies]
isort = ">=5.5.1,<5.6"
)");
  EXPECT_EQ(Texts(reqs),
            (std::vector<std::string>{
                "junk[security] @ https://github.com/myrepo/junk.whl",
                "poetry @ git+https://github.com/python-poetry/poetry.git@v1.1.1",
                "requests[security,random] >=2.25.1,<3.0.0 ;(python_version > '2.7')",
                "foo >=1.9 ;(python_version >= '2.7' and python_version< '3.0')",
                "foo >=2.0,<3.0.0 ;((python_version == '3.4') or (python_version == '3.5'))",
                "black ==19.10b0 ;(platform_python_implementation == 'CPython') and "
                "(python_version == '3.6')",
                "isort >=5.5.1,<5.6",
                "myrequirement ==1.2.3",
                "awildcard >=6.7.0,<6.8.0",
                "aglobalwildcard",
                "myrequirement2 ==1.2.3",
            }));
  EXPECT_EQ(reqs[0].line, 6);
  EXPECT_EQ(reqs[2].requirement.extras, (std::vector<std::string>{"security", "random"}));
}

TEST(ParsePoetry, GitForms) {
  std::vector<ParsedRequirement> reqs = ParsePoetry(R"([tool.poetry.dependencies]
a = {git = "https://github.com/r/a.git", branch = "main"}
b = {git = "https://github.com/r/b.git", rev = "1a2b3c4d"}
c = {git = "git@github.com:requests/requests.git"}
)");
  EXPECT_EQ(Texts(reqs), (std::vector<std::string>{
                             "a @ git+https://github.com/r/a.git@main",
                             "b @ git+https://github.com/r/b.git#1a2b3c4d",
                             "c @ git+ssh://git@github.com/requests/requests.git",
                         }));
}

TEST(ParsePoetry, LaterTableReplacesEarlierEntryInPlace) {
  std::vector<ParsedRequirement> reqs = ParsePoetry(R"([tool.poetry.dependencies]
a = "1.0"
b = "2.0"
[tool.poetry.dev-dependencies]
a = "3.0"
python = "1.0"
)");
  // `python` is skipped only in [tool.poetry.dependencies], as in Pants.
  EXPECT_EQ(Texts(reqs), (std::vector<std::string>{"a ==3.0", "b ==2.0", "python ==1.0"}));
}

TEST(ParsePoetry, PathToRepoDirectoryIsFirstParty) {
  std::vector<ParsedRequirement> reqs = ParsePoetry(R"([tool.poetry.dependencies]
mylib = {path = "../libs/mylib", develop = true}
six = "1.16.0"
)");
  EXPECT_EQ(Texts(reqs), (std::vector<std::string>{"six ==1.16.0"}));
  EXPECT_TRUE(absl::StrContains(PoetryError(R"([tool.poetry.dependencies]
wheel = {path = "../../outside/w.whl"}
)"),
                                "3rdparty/pyproject.toml:2: the path dependency 'wheel'"));
}

TEST(ParsePoetry, Errors) {
  EXPECT_TRUE(absl::StartsWith(PoetryError("foo = 4\n"),
                               "3rdparty/pyproject.toml: no section `tool.poetry` found"));
  EXPECT_TRUE(absl::StartsWith(PoetryError("[tool.poetry.dependencies]\nfoo = 4\n"),
                               "3rdparty/pyproject.toml:2: invalid Poetry requirement format "
                               "for 'foo': expected a string, table or list of tables, got int"));
  EXPECT_TRUE(absl::StrContains(PoetryError("[tool.poetry.dependencies]\nfoo = {bad_req = 1}\n"),
                                "foo is not formatted correctly; at minimum provide"));
  EXPECT_TRUE(absl::StartsWith(PoetryError("[tool.poetry.dependencies]\n\nfoo = \"~r62b\"\n"),
                               "3rdparty/pyproject.toml:3: failed to parse requirement foo = "
                               "\"~r62b\""));
  EXPECT_TRUE(absl::StartsWith(PoetryError("[tool.poetry\n"), "3rdparty/pyproject.toml:1:"));
}

TEST(ParsePoetry, EmptyTablesGiveNoRequirements) {
  EXPECT_TRUE(ParsePoetry("[tool.poetry.dependencies]\n[tool.poetry.dev-dependencies]\n").empty());
}

// ---------------------------------------------------------------------------
// Pipenv: cases from Pants' pipenv_requirements_test.py.
// ---------------------------------------------------------------------------

TEST(ParsePipfileLock, DefaultThenDevelopWithExtrasAndMarkers) {
  absl::StatusOr<std::vector<ParsedRequirement>> reqs = ParsePipfileLock(R"({
  "_meta": {"hash": {"sha256": "x"}},
  "default": {
    "ansicolors": {"version": ">=1.18.0"},
    "gitdep": {"git": "https://github.com/x/gitdep.git", "ref": "abc"}
  },
  "develop": {
    "cachetools": {
      "markers": "python_version ~= '3.5'",
      "version": "==4.1.1",
      "extras": ["ring", "mongo"]
    },
    "ansicolors": {"version": "==1.1.8"}
  }
})",
                                                                         "Pipfile.lock");
  ASSERT_TRUE(reqs.ok()) << reqs.status();
  EXPECT_EQ(Texts(*reqs), (std::vector<std::string>{
                              "ansicolors==1.1.8",
                              "gitdep",
                              "cachetools[ring,mongo]==4.1.1;python_version ~= '3.5'",
                          }));
  EXPECT_EQ((*reqs)[2].requirement.marker, "python_version ~= '3.5'");
  EXPECT_EQ((*reqs)[2].line, 8);
}

TEST(ParsePipfileLock, ErrorsAreLocated) {
  absl::StatusOr<std::vector<ParsedRequirement>> bad_json =
      ParsePipfileLock("{\n  \"default\": ", "x/Pipfile.lock");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_TRUE(absl::StartsWith(bad_json.status().message(), "x/Pipfile.lock:"))
      << bad_json.status();
  absl::StatusOr<std::vector<ParsedRequirement>> bad_req =
      ParsePipfileLock("{\"default\": {\n\"foo\": {\"version\": \"==\"}}}", "Pipfile.lock");
  ASSERT_FALSE(bad_req.ok());
  EXPECT_TRUE(absl::StartsWith(bad_req.status().message(),
                               "Pipfile.lock:2: invalid requirement 'foo=='"))
      << bad_req.status();
}

}  // namespace
}  // namespace braid::python
