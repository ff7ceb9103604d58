#!/usr/bin/env python3
"""Generates a synthetic Pants-style Python monorepo for benchmarking braid.

    tests/bench/generate.py --size medium --out /tmp/bench-medium
    tests/bench/generate.py --components 20 --modules 30 --seed 7 --test-seconds 0.5 --out DIR

Layout (namespace NS, default "bench"):

    pants.toml                    [source] root_patterns = ["/src", "/tests"]
    BUILD                         python_requirements(name="reqs")
    requirements.txt              a few third-party projects
    src/NS/<component>/BUILD      python_sources(name="src") + python_distribution(name="dist")
    src/NS/<component>/__init__.py
    src/NS/<component>/mod_NNN.py one per module
    tests/BUILD                   python_test_utils(name="test_utils")
    tests/conftest.py
    tests/<component>/BUILD       python_tests()
    tests/<component>/test_<component>_mod_NNN.py   one per module, sleeps --test-seconds

Imports form a DAG: a module imports only modules that come before it
(components in order, modules in order within a component). A few "core"
modules of the first component are imported by most modules (high fan-in);
each component depends on a few earlier components and its modules import some
of their modules; modules also import earlier modules of their own component.
Every module imports a few stdlib modules, and some import a third-party
project inside `try: ... except ImportError:` so that the tests pass on a bare
python3 (no PyPI). Each module computes VALUE from the VALUEs it imports, and
its test checks the value the generator computed, so a test fails if an import
resolves to the wrong module.

Sizes: small ~1k files, medium ~10k, large ~50k; `foundation` is exactly
1,000 BUILD files and 10,000 .py files (the foundation benchmark).

Same arguments and seed -> byte-identical output. Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

MODULUS = 1_000_003
MARKER = ".braid-bench"  # written into every generated tree; --force only deletes such trees

# (components, modules per component)
PRESETS: Dict[str, Tuple[int, int]] = {
    "small": (10, 48),
    "medium": (50, 99),
    "large": (200, 124),
}
FOUNDATION_BUILD_FILES = 1_000
FOUNDATION_PY_FILES = 10_000

COMPONENT_WORDS = [
    "core", "common", "auth", "billing", "catalog", "checkout", "config", "events",
    "gateway", "inventory", "ledger", "logs", "metrics", "notify", "orders",
    "payments", "pricing", "profiles", "queues", "ranking", "registry", "reports",
    "scheduler", "search", "session", "shipping", "storage", "tasks", "tenant",
    "tracing", "users", "web", "worker", "agent", "client", "cli", "manager",
    "plugins", "storage_proxy", "webhooks",
]
STDLIB_MODULES = [
    "collections", "dataclasses", "datetime", "functools", "hashlib", "itertools",
    "json", "logging", "os", "os.path", "pathlib", "re", "typing", "uuid",
]
# (project as written in requirements.txt, version spec, module it provides)
THIRD_PARTY = [
    ("attrs", ">=23.1", "attr"),
    ("click", ">=8.1", "click"),
    ("numpy", ">=1.26", "numpy"),
    ("protobuf", ">=4.25", "google.protobuf"),
    ("python-dateutil", ">=2.8", "dateutil"),
    ("pyyaml", ">=6.0", "yaml"),
    ("requests", ">=2.31", "requests"),
    ("structlog", ">=24.1", "structlog"),
]


@dataclass
class Module:
    component: int
    index: int
    own: int  # the module's own constant
    imports: List[Tuple[int, int]] = field(default_factory=list)  # (component, index), sorted
    stdlib: List[str] = field(default_factory=list)
    third_party: Optional[str] = None  # module name, imported inside try/except
    value: int = 0  # (own + sum of imported values) % MODULUS

    @property
    def name(self) -> str:
        return f"mod_{self.index:03d}"


@dataclass
class Plan:
    namespace: str
    components: List[str]
    modules: List[List[Module]]  # modules[c][i]
    test_seconds: float


def component_names(count: int) -> List[str]:
    names = []
    for i in range(count):
        word = COMPONENT_WORDS[i % len(COMPONENT_WORDS)]
        names.append(word if i < len(COMPONENT_WORDS) else f"{word}{i // len(COMPONENT_WORDS)}")
    return names


def foundation_sizes() -> List[int]:
    """Module counts per component giving exactly 1,000 BUILD and 10,000 .py files.

    BUILD files = 2 (root, tests/) + 2 per component; .py files = 1 (conftest)
    + per component 1 __init__.py + 2 per module (module and its test).
    """
    components = (FOUNDATION_BUILD_FILES - 2) // 2
    modules = (FOUNDATION_PY_FILES - 1 - components) // 2
    assert 2 + 2 * components == FOUNDATION_BUILD_FILES
    assert 1 + components + 2 * modules == FOUNDATION_PY_FILES
    base, extra = divmod(modules, components)
    return [base + (1 if i < extra else 0) for i in range(components)]


def plan(sizes: Sequence[int], seed: int, namespace: str, test_seconds: float) -> Plan:
    rng = random.Random(seed)
    names = component_names(len(sizes))
    modules: List[List[Module]] = []
    core = [(0, i) for i in range(min(3, sizes[0]))] if sizes else []
    for c, size in enumerate(sizes):
        # Each component builds on a few earlier ones, mostly recent neighbours.
        earlier = list(range(c))
        deps = sorted(rng.sample(earlier, min(len(earlier), rng.randint(1, 3)))) if earlier else []
        row = []
        for i in range(size):
            m = Module(c, i, own=rng.randrange(MODULUS))
            chosen = set()
            for target in core:
                if target < (c, i) and rng.random() < 0.7:
                    chosen.add(target)
            for j in rng.sample(range(i), min(i, rng.randint(0, 3))):
                chosen.add((c, j))
            for dep in deps:
                for _ in range(rng.randint(0, 2)):
                    chosen.add((dep, rng.randrange(sizes[dep])))
            m.imports = sorted(chosen)
            m.stdlib = sorted(rng.sample(STDLIB_MODULES, rng.randint(1, 3)))
            if rng.random() < 0.3:
                m.third_party = rng.choice(THIRD_PARTY)[2]
            m.value = (m.own + sum(modules[dc][di].value if dc < c else row[di].value
                                   for dc, di in m.imports)) % MODULUS
            row.append(m)
        modules.append(row)
    return Plan(namespace, names, modules, test_seconds)


def module_source(p: Plan, m: Module) -> str:
    ns = p.namespace
    lines = [f'"""Generated module {ns}.{p.components[m.component]}.{m.name}."""', ""]
    lines += [f"import {s}  # noqa: F401" for s in m.stdlib]
    if m.imports:
        lines.append("")
        for c, i in m.imports:
            lines.append(f"from {ns}.{p.components[c]} import mod_{i:03d} as _m{c}_{i}")
    if m.third_party:
        lines += ["", "try:", f"    import {m.third_party}  # noqa: F401",
                  "except ImportError:", f"    {m.third_party.split('.')[0]} = None"]
    terms = " + ".join([str(m.own)] + [f"_m{c}_{i}.VALUE" for c, i in m.imports])
    lines += [
        "",
        f"VALUE = ({terms}) % {MODULUS}",
        "",
        "",
        "def compute(n: int) -> int:",
        f"    return (n * 31 + VALUE) % {MODULUS}",
        "",
    ]
    return "\n".join(lines)


def test_source(p: Plan, m: Module) -> str:
    ns, comp = p.namespace, p.components[m.component]
    lines = []
    if p.test_seconds > 0:
        lines += ["import time", ""]
    lines += [f"from {ns}.{comp} import {m.name}", "", "", f"def test_{m.name}():"]
    if p.test_seconds > 0:
        lines.append(f"    time.sleep({p.test_seconds!r})")
    lines += [f"    assert {m.name}.compute(1) == {(31 + m.value) % MODULUS}", ""]
    return "\n".join(lines)


def render(p: Plan, args_line: str) -> Dict[str, str]:
    """Every file of the repository: {relative path: text}."""
    ns = p.namespace
    timeout = max(60, int(p.test_seconds * 4) + 30)
    files: Dict[str, str] = {
        MARKER: f"generated by tests/bench/generate.py {args_line}\n",
        "pants.toml": (
            "[GLOBAL]\n"
            'pants_version = "2.21.0"\n'
            'backend_packages = ["pants.backend.python"]\n'
            "\n[source]\n"
            'root_patterns = ["/src", "/tests"]\n'
            "\n[python]\n"
            'interpreter_constraints = ["CPython>=3.9"]\n'
            "\n[test]\n"
            f"timeout_default = {timeout}\n"
        ),
        "BUILD": 'python_requirements(\n    name="reqs",\n)\n',
        "requirements.txt": "".join(f"{name}{spec}\n" for name, spec, _ in THIRD_PARTY),
        "tests/BUILD": 'python_test_utils(\n    name="test_utils",\n)\n',
        "tests/conftest.py": (
            '"""Shared fixtures."""\n\nimport pytest\n\n\n'
            "@pytest.fixture\ndef modulus():\n"
            f"    return {MODULUS}\n"
        ),
    }
    for c, comp in enumerate(p.components):
        src = f"src/{ns}/{comp}"
        files[f"{src}/BUILD"] = (
            'python_sources(\n    name="src",\n)\n\n'
            "python_distribution(\n"
            '    name="dist",\n'
            '    dependencies=[":src"],\n'
            f'    provides=python_artifact(name="{ns}-{comp.replace("_", "-")}", version="0.1.0"),\n'
            ")\n"
        )
        files[f"{src}/__init__.py"] = f'"""The {comp} component."""\n'
        files[f"tests/{comp}/BUILD"] = "python_tests()\n"
        for m in p.modules[c]:
            files[f"{src}/{m.name}.py"] = module_source(p, m)
            files[f"tests/{comp}/test_{comp}_{m.name}.py"] = test_source(p, m)
    return files


def write(out: Path, files: Dict[str, str], force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"generate.py: {out} is not empty (use --force to replace a generated tree)")
        if not (out / MARKER).is_file():
            raise SystemExit(f"generate.py: {out} was not made by generate.py; refusing to delete it")
        shutil.rmtree(out)
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(files[rel])


def summary(out: Path, files: Dict[str, str], p: Plan) -> str:
    builds = sum(1 for f in files if f == "BUILD" or f.endswith("/BUILD"))
    pys = sum(1 for f in files if f.endswith(".py"))
    modules = sum(len(row) for row in p.modules)
    edges = sum(len(m.imports) for row in p.modules for m in row)
    return (
        f"wrote {len(files)} files to {out}: {builds} BUILD, {pys} .py "
        f"({len(p.components)} components, {modules} modules + {modules} tests, "
        f"{edges} first-party imports), {len(files) - builds - pys} other"
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="directory to create")
    parser.add_argument("--size", choices=[*PRESETS, "foundation"],
                        help="preset: small ~1k files, medium ~10k, large ~50k, "
                             "foundation = 1,000 BUILD + 10,000 .py files")
    parser.add_argument("--components", type=int, help="number of components")
    parser.add_argument("--modules", type=int, help="modules per component")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--test-seconds", type=float, default=0.0,
                        help="how long each generated test sleeps")
    parser.add_argument("--namespace", default="bench")
    parser.add_argument("--force", action="store_true",
                        help="replace --out if it holds an earlier generated tree")
    args = parser.parse_args(argv)

    if args.size == "foundation":
        if args.components is not None or args.modules is not None:
            parser.error("--size foundation fixes --components and --modules")
        sizes = foundation_sizes()
    else:
        components, modules = PRESETS.get(args.size or "small")
        components = args.components if args.components is not None else components
        modules = args.modules if args.modules is not None else modules
        if components < 1 or modules < 1:
            parser.error("--components and --modules must be at least 1")
        sizes = [modules] * components
    if args.test_seconds < 0:
        parser.error("--test-seconds must not be negative")
    if not args.namespace.isidentifier():
        parser.error("--namespace must be a Python identifier")

    p = plan(sizes, args.seed, args.namespace, args.test_seconds)
    args_line = (f"--size {args.size or '-'} --components {len(sizes)} --modules "
                 f"{max(sizes)} --seed {args.seed} --test-seconds {args.test_seconds!r} "
                 f"--namespace {args.namespace}")
    files = render(p, args_line)
    write(args.out, files, args.force)
    print(summary(args.out, files, p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
