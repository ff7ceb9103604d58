#include "rules/python/package/pex.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/fs/path.h"
#include "core/base/json.h"
#include "core/build_file/value.h"
#include "rules/python/package/zip_writer.h"

namespace braid::python::package {

const char kNamespaceInit[] =
    "# Added by braid: a namespace package inside a PEX zip.\n"
    "__path__ = __import__(\"pkgutil\").extend_path(__path__, __name__)\n";

std::string RenderPexMain(const std::string& entry_point) {
  return absl::StrCat(
      "# braid PEX bootstrap: runs the entry point from this file's own zip.\n"
      "import sys\n\n\n"
      "def _run():\n"
      "    module, _, attr = ",
      build_file::PythonStringRepr(entry_point),
      ".partition(\":\")\n"
      "    if not attr:\n"
      "        import runpy\n\n"
      "        runpy.run_module(module, run_name=\"__main__\", alter_sys=True)\n"
      "        return None\n"
      "    import importlib\n\n"
      "    target = importlib.import_module(module)\n"
      "    for part in attr.split(\".\"):\n"
      "        target = getattr(target, part)\n"
      "    return target()\n\n\n"
      "sys.exit(_run())\n");
}

std::string RenderPexInfo(const PexOptions& options) {
  json::Value info = json::Value::MakeObject();
  info.Set("build_by", "braid");
  info.Set("entry_point", options.entry_point);
  info.Set("inherit_path", "fallback");
  json::Value ics = json::Value::MakeArray();
  for (const std::string& c : options.interpreter_constraints) ics.Append(c);
  info.Set("interpreter_constraints", std::move(ics));
  json::Value reqs = json::Value::MakeArray();
  for (const std::string& r : options.requirements) reqs.Append(r);
  info.Set("requirements", std::move(reqs));
  info.Set("zip_safe", true);
  return json::Write(info) + "\n";
}

absl::StatusOr<std::string> BuildPex(std::vector<ArchiveEntry> files, const PexOptions& options) {
  if (options.entry_point.empty()) {
    return absl::InvalidArgumentError("a PEX needs an entry point");
  }
  for (const ArchiveEntry& f : files) {
    if (f.path == "__main__.py" || f.path == "PEX-INFO") {
      return absl::InvalidArgumentError(
          absl::StrCat("'", f.path, "' at the top of a source root clashes with the PEX's own"));
    }
  }
  // zipimport cannot import implicit namespace packages (PEP 420) before
  // Python 3.13: give every package directory without an __init__.py a
  // pkgutil-style one, which behaves the same for a single zip.
  std::set<std::string> inits, package_dirs;
  for (const ArchiveEntry& f : files) {
    if (absl::EndsWith(f.path, "/__init__.py")) inits.insert(f.path);
    if (!absl::EndsWith(f.path, ".py")) continue;
    for (std::string d(fs::Dirname(f.path)); !d.empty(); d = std::string(fs::Dirname(d))) {
      package_dirs.insert(d);
    }
  }
  for (const std::string& d : package_dirs) {
    std::string init = absl::StrCat(d, "/__init__.py");
    if (inits.count(init) == 0) files.push_back({init, std::string(kNamespaceInit)});
  }
  files.push_back({"PEX-INFO", RenderPexInfo(options)});
  files.push_back({"__main__.py", RenderPexMain(options.entry_point)});
  SortEntries(files);
  return WriteZip(files, options.time, absl::StrCat("#!", options.shebang, "\n"));
}

}  // namespace braid::python::package
