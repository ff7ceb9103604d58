"""Target types of other Pants backends (rules/pants_backends): a repository
enabling shell, docker, protobuf and helm loads, lists, owns files and resolves
explicit dependencies on those targets; without the backend the type is not
defined and the error names the backend to enable."""

from __future__ import annotations

import json

BACKENDS = [
    "pants.backend.python",
    "pants.backend.shell",
    "pants.backend.shell.lint.shellcheck",
    "pants.backend.docker",
    "pants.backend.codegen.protobuf.python",
    "pants.backend.experimental.helm",
]

FILES = {
    "BUILD": 'archive(name="bundle", format="tar", packages=["docker:img"])\n',
    "docker/BUILD": 'docker_image(name="img", image_tags=["1.0"])\n',
    "docker/Dockerfile": "FROM scratch\n",
    "scripts/BUILD": 'shell_sources(skip_shellcheck=True)\nshunit2_tests(name="tests")\n',
    "scripts/a.sh": "echo a\n",
    "scripts/b.sh": "echo b\n",
    "scripts/a_test.sh": "test_a() { :; }\n",
    "src/proto/BUILD": "protobuf_sources(grpc=True)\n",
    "src/proto/api.proto": 'syntax = "proto3";\n',
    "src/app/BUILD": 'python_sources(dependencies=["scripts/a.sh", "docker:img"])\n',
    "src/app/main.py": "print('hi')\n",
    "charts/web/BUILD": "helm_chart()\n",
    "charts/web/Chart.yaml": "name: web\n",
    "charts/web/values.yaml": "replicas: 1\n",
    "charts/web/templates/deploy.yaml": "kind: Deployment\n",
}


def repo_with(make_repo, tmp_path, backends=BACKENDS, files=FILES):
    toml = (
        "[GLOBAL]\n"
        f'local_store_dir = "{tmp_path / "store"}"\n'
        f'local_execution_root_dir = "{tmp_path / "sandboxes"}"\n'
        f"backend_packages = {json.dumps(backends)}\n"
        "[source]\n"
        'root_patterns = ["/src"]\n'
        # src/proto has no python_requirement for protobuf / grpcio to depend on.
        "[python-protobuf]\n"
        "infer_runtime_dependency = false\n"
    )
    return make_repo({"pants.toml": toml, **files})


def ok(result):
    code, out, err = result
    assert code == 0, out + err
    return out


def test_list_shows_targets_of_every_enabled_backend(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path)
    code, out, err = braid(repo, "list", "::")
    assert code == 0, err
    assert err == ""
    assert out == (
        "//:bundle\n"
        "charts/web:web\n"
        "docker:img\n"
        "scripts:scripts\n"
        "scripts:tests\n"
        "scripts/a.sh\n"
        "scripts/a_test.sh:tests\n"
        "scripts/b.sh\n"
        "src/app:app\n"
        "src/app/main.py\n"
        "src/proto:proto\n"
        "src/proto/api.proto\n"
    )


def test_files_are_owned_by_the_backend_targets(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path)
    out = ok(braid(repo, "list", "scripts/a.sh", "scripts/a_test.sh", "docker/Dockerfile",
                   "src/proto/api.proto", "charts/web/values.yaml"))
    assert out == ("charts/web:web\ndocker:img\nscripts/a.sh\nscripts/a_test.sh:tests\n"
                   "src/proto/api.proto\n")
    out = ok(braid(repo, "filedeps", "scripts:", "docker:img", "src/proto/api.proto"))
    assert out == ("docker/BUILD\ndocker/Dockerfile\nscripts/BUILD\nscripts/a.sh\n"
                   "scripts/a_test.sh\nscripts/b.sh\nsrc/proto/BUILD\nsrc/proto/api.proto\n")


def test_explicit_dependencies_on_shell_and_docker_targets_resolve(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path)
    assert ok(braid(repo, "dependencies", "src/app/main.py")) == "docker:img\nscripts/a.sh\n"
    assert ok(braid(repo, "dependents", "docker:img")) == "src/app:app\nsrc/app/main.py\n"


def test_generated_targets_copy_the_generators_fields(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path)
    [a] = json.loads(ok(braid(repo, "peek", "scripts/a.sh")))
    assert a["target_type"] == "shell_source"
    assert a["skip_shellcheck"] is True
    assert a["sources"] == ["scripts/a.sh"]
    [img] = json.loads(ok(braid(repo, "peek", "docker:img")))
    assert img["image_tags"] == ["1.0"]
    assert img["sources"] == ["docker/Dockerfile"]


def test_docker_image_from_instructions_needs_no_dockerfile(braid, make_repo, tmp_path):
    files = {"gen/BUILD": 'docker_image(name="gen", instructions=["FROM scratch"])\n'}
    repo = repo_with(make_repo, tmp_path, files=files)
    code, out, err = braid(repo, "list", "::")
    assert (code, out, err) == (0, "gen:gen\n", "")


def test_test_and_package_skip_schema_only_types(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path)
    code, out, err = braid(repo, "test", "::")
    assert code == 0, out + err
    assert "No applicable files or targets matched" in err
    code, out, err = braid(repo, "package", "::")
    assert code == 0, out + err
    assert not (repo / "dist").exists()


def test_type_of_a_backend_not_enabled_is_undefined_with_a_hint(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path, backends=["pants.backend.python"],
                     files={"scripts/BUILD": "shell_sources()\n", "scripts/a.sh": "echo a\n"})
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    assert "scripts/BUILD:1:1: name 'shell_sources' is not defined" in err
    assert ("hint: the target type 'shell_sources' is provided by the backend "
            "'pants.backend.shell': add \"pants.backend.shell\" to backend_packages in the "
            "[GLOBAL] section of pants.toml") in err


JVM_BACKENDS = [
    "pants.backend.python",
    "pants.backend.experimental.java",
    "pants.backend.experimental.java.lint.google_java_format",
    "pants.backend.experimental.scala",
]

JVM_FILES = {
    "3rdparty/jvm/BUILD": (
        'jvm_artifact(name="guava", group="com.google.guava", artifact="guava",\n'
        '             version="33.0.0-jre", packages=["com.google.common.**"],\n'
        '             exclusions=[jvm_exclude(group="com.google.code.findbugs")])\n'
        'scala_artifact(name="cats", group="org.typelevel", artifact="cats-core",\n'
        '               version="2.10.0")\n'
    ),
    "src/java/app/BUILD": (
        "java_sources(skip_google_java_format=True)\n"
        'junit_tests(name="tests")\n'
        'deploy_jar(name="jar", main="app.Main",\n'
        '           dependencies=[":app", "3rdparty/jvm:guava", "src/scala/lib"])\n'
    ),
    "src/java/app/Main.java": "package app; class Main {}\n",
    "src/java/app/Util.java": "package app; class Util {}\n",
    "src/java/app/MainTest.java": "package app; class MainTest {}\n",
    "src/scala/lib/BUILD": 'scala_sources()\nscalatest_tests(name="tests")\n',
    "src/scala/lib/Lib.scala": "object Lib\n",
    "src/scala/lib/LibSpec.scala": "class LibSpec\n",
    "src/py/BUILD": "python_sources()\n",
    "src/py/tool.py": "print('hi')\n",
}


def test_mixed_python_java_scala_repo_lists_and_owns_files(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path, backends=JVM_BACKENDS, files=JVM_FILES)
    code, out, err = braid(repo, "list", "::")
    assert (code, err) == (0, ""), err
    assert out == (
        "3rdparty/jvm:cats\n"
        "3rdparty/jvm:guava\n"
        "src/java/app:app\n"
        "src/java/app:jar\n"
        "src/java/app:tests\n"
        "src/java/app/Main.java\n"
        "src/java/app/MainTest.java:tests\n"
        "src/java/app/Util.java\n"
        "src/py:py\n"
        "src/py/tool.py\n"
        "src/scala/lib:lib\n"
        "src/scala/lib:tests\n"
        "src/scala/lib/Lib.scala\n"
        "src/scala/lib/LibSpec.scala:tests\n"
    )
    # Pants' default globs: *Test.java and *Spec.scala are tests, not sources.
    out = ok(braid(repo, "list", "src/java/app/MainTest.java", "src/scala/lib/Lib.scala",
                   "src/scala/lib/LibSpec.scala"))
    assert out == ("src/java/app/MainTest.java:tests\nsrc/scala/lib/Lib.scala\n"
                   "src/scala/lib/LibSpec.scala:tests\n")
    out = ok(braid(repo, "filedeps", "src/java/app:app", "src/scala/lib:tests"))
    assert out == ("src/java/app/BUILD\nsrc/java/app/Main.java\nsrc/java/app/Util.java\n"
                   "src/scala/lib/BUILD\nsrc/scala/lib/LibSpec.scala\n")


def test_peek_shows_jvm_artifact_and_skip_field(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path, backends=JVM_BACKENDS, files=JVM_FILES)
    [guava] = json.loads(ok(braid(repo, "peek", "3rdparty/jvm:guava")))
    assert guava["target_type"] == "jvm_artifact"
    assert (guava["group"], guava["artifact"], guava["version"]) == (
        "com.google.guava", "guava", "33.0.0-jre")
    assert guava["packages"] == ["com.google.common.**"]
    assert guava["force_version"] is False
    assert "com.google.code.findbugs" in json.dumps(guava["exclusions"])
    [main] = json.loads(ok(braid(repo, "peek", "src/java/app/Main.java")))
    assert main["target_type"] == "java_source"
    assert main["skip_google_java_format"] is True


def test_deploy_jar_explicit_dependencies_resolve(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path, backends=JVM_BACKENDS, files=JVM_FILES)
    # As in Pants, a dependency on a generator is one on each target it generates.
    out = ok(braid(repo, "dependencies", "src/java/app:jar"))
    assert out == ("3rdparty/jvm:guava\nsrc/java/app/Main.java\nsrc/java/app/Util.java\n"
                   "src/scala/lib/Lib.scala\n")
    out = ok(braid(repo, "dependents", "3rdparty/jvm:guava"))
    assert out == "src/java/app:jar\n"


def test_jvm_type_without_its_backend_names_the_java_backend(braid, make_repo, tmp_path):
    repo = repo_with(make_repo, tmp_path, backends=["pants.backend.python"],
                     files={"j/BUILD": "java_sources()\n", "j/A.java": "class A {}\n"})
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    assert "j/BUILD:1:1: name 'java_sources' is not defined" in err
    assert "'pants.backend.experimental.java'" in err


# pantsbuild/example-docker in small: a pex copied into an image built on a base image.
DOCKER_FILES = {
    "src/python/hello_world/BUILD": (
        "python_sources()\npex_binary(name='main', entry_point='main.py')\n"
    ),
    "src/python/hello_world/main.py": "print('hello')\n",
    "src/docker/base/BUILD": "docker_image(name='base')\n",
    "src/docker/base/Dockerfile": "FROM python:3.11-slim\n",
    "src/docker/hello_world/BUILD": "docker_image(name='hello_world')\n",
    "src/docker/hello_world/Dockerfile": (
        "ARG BASE=src/docker/base:base\n"
        "FROM $BASE\n"
        "# the pex, at its default output path\n"
        "COPY src.python.hello_world/main.pex /bin/app\n"
        "COPY config/app.conf /etc/app.conf\n"
        'ENTRYPOINT ["/bin/app"]\n'
    ),
    "config/BUILD": "file(name='conf', source='app.conf')\n",
    "config/app.conf": "greeting = hello\n",
    ".gitignore": "dist/\n.pants.d/\n",
}


def test_docker_image_dependencies_are_inferred_from_its_dockerfile(braid, make_repo, tmp_path):
    import os
    import shutil
    import subprocess

    import pytest

    repo = repo_with(make_repo, tmp_path, files=DOCKER_FILES)
    assert ok(braid(repo, "dependencies", "src/docker/hello_world")) == (
        "config:conf\nsrc/docker/base:base\nsrc/python/hello_world:main\n"
    )
    assert ok(braid(repo, "dependencies", "src/docker/base")) == ""
    explained = ok(braid(repo, "dependencies", "--explain", "src/docker/hello_world"))
    assert (
        "src/python/hello_world:main  <- dockerfile 'src.python.hello_world/main.pex' "
        "src/docker/hello_world/Dockerfile:4" in explained
    ), explained
    # The generator depends on the file it generated; the image on the pex.
    assert ok(braid(repo, "dependents", "--transitive", "src/python/hello_world/main.py")) == (
        "src/docker/hello_world:hello_world\nsrc/python/hello_world:hello_world\n"
        "src/python/hello_world:main\n"
    )
    # --changed-since: editing the pex's source selects the image (as in Pants).
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PANTS_"))}
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")

    def git(*args):
        proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr

    git("init", "-q", "-b", "main")
    git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "add", "-A")
    git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "init")
    (repo / "src/python/hello_world/main.py").write_text("print('hello, world')\n")
    out = ok(braid(repo, "--changed-since=HEAD", "--changed-dependents=transitive", "list"))
    assert sorted(out.split()) == [
        "src/docker/hello_world:hello_world",
        "src/python/hello_world/main.py",
        "src/python/hello_world:main",
    ]
    (repo / "config/app.conf").write_text("greeting = hi\n")
    (repo / "src/python/hello_world/main.py").write_text("print('hello')\n")
    out = ok(braid(repo, "--changed-since=HEAD", "--changed-dependents=transitive", "list"))
    assert sorted(out.split()) == ["config:conf", "src/docker/hello_world:hello_world"]


# Protobuf imports (rules/pants_backends/protobuf_inferrer.h): paths relative to the source
# root ("/src" here), unknown ones (google/...) ignored.
PROTO_FILES = {
    "src/acme/BUILD": "protobuf_sources()\n",
    "src/acme/a.proto": (
        'syntax = "proto3";\n'
        'import "acme/b.proto";\n'
        'import "google/protobuf/timestamp.proto";\n'
        "message A { acme.B b = 1; }\n"
    ),
    "src/acme/b.proto": 'syntax = "proto3";\npackage acme;\nmessage B {}\n',
}


def test_protobuf_dependencies_are_inferred_from_imports(braid, make_repo, tmp_path):
    backends = ["pants.backend.codegen.protobuf.python"]
    repo = repo_with(make_repo, tmp_path, backends=backends, files=PROTO_FILES)
    assert ok(braid(repo, "dependencies", "src/acme/a.proto")) == "src/acme/b.proto\n"
    assert ok(braid(repo, "dependencies", "src/acme/b.proto")) == ""
    explained = ok(braid(repo, "dependencies", "--explain", "src/acme/a.proto"))
    assert (
        "src/acme/b.proto  <- protobuf import 'acme/b.proto' src/acme/a.proto:2" in explained
    ), explained
    assert ok(braid(repo, "dependents", "src/acme/b.proto")) == "src/acme:acme\nsrc/acme/a.proto\n"
    # [protoc] dependency_inference = false turns it off.
    code, out, err = braid(repo, "--no-protoc-dependency-inference", "dependencies",
                           "src/acme/a.proto")
    assert code == 0 and out == "", out + err


# Thrift includes (rules/pants_backends/thrift_inferrer.h): paths relative to the source root
# ("/src" here), never to the including file's directory; unknown ones ignored.
THRIFT_FILES = {
    "src/acme/BUILD": "thrift_sources()\n",
    "src/acme/a.thrift": (
        "namespace py acme.a\n"
        'include "acme/b.thrift"\n'
        'include "b.thrift"\n'
        'include "shared/unknown.thrift"\n'
        "struct A { 1: b.B b }\n"
    ),
    "src/acme/b.thrift": "namespace py acme.b\nstruct B {}\n",
}


def test_thrift_dependencies_are_inferred_from_includes(braid, make_repo, tmp_path):
    backends = ["pants.backend.experimental.codegen.thrift.scrooge.scala",
                "pants.backend.experimental.codegen.thrift.apache.java"]
    repo = repo_with(make_repo, tmp_path, backends=backends, files=THRIFT_FILES)
    assert ok(braid(repo, "dependencies", "src/acme/a.thrift")) == "src/acme/b.thrift\n"
    assert ok(braid(repo, "dependencies", "src/acme/b.thrift")) == ""
    explained = ok(braid(repo, "dependencies", "--explain", "src/acme/a.thrift"))
    assert (
        "src/acme/b.thrift  <- thrift include 'acme/b.thrift' src/acme/a.thrift:2" in explained
    ), explained
    assert explained.count("<- thrift include") == 1, explained
    assert ok(braid(repo, "dependents", "src/acme/b.thrift")) == "src/acme:acme\nsrc/acme/a.thrift\n"
    # [thrift] dependency_inference = false turns it off.
    code, out, err = braid(repo, "--no-thrift-dependency-inference", "dependencies",
                           "src/acme/a.thrift")
    assert code == 0 and out == "", out + err
