#!/usr/bin/env python3
"""An external braid plugin: drops the inferred dependencies of tagged targets.

braid runs this script once per target (hook "infer_dependencies"), writes a
braid.plugin.v1.PluginRequest on its stdin and reads a PluginResponse from its
stdout (plugins/api/plugin_protocol.proto; docs/plugins.md). Declared in
pants.toml as:

    [braid-plugins]
    external = { exclude_tagged = { command = ["/usr/bin/python3", "tools/exclude_tagged_deps.py"], hooks = ["infer_dependencies"], inputs = ["tools/exclude_tagged_deps.py", "tools/plugin_protocol_pb2.py"], options = { tag = "no-inferred-deps" } } }

Options (the `options` table): `tag` (default "no-inferred-deps"): targets
carrying it keep only the dependencies written in their BUILD file;
`keep` (a list of address prefixes) keeps matching inferred dependencies.

plugin_protocol_pb2 is generated, not checked in:
    protoc --python_out=tools -I plugins/api plugins/api/plugin_protocol.proto
"""
import json
import os
import sys

# The generated module sits next to this script (both are declared inputs,
# so both are in the sandbox).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import plugin_protocol_pb2 as pb  # noqa: E402

SUPPORTED_VERSION = 1


def option(request, name, default):
    text = request.options_json.get(name)
    return default if text is None else json.loads(text)


def infer(request, response):
    tag = option(request, "tag", "no-inferred-deps")
    keep = option(request, "keep", [])
    hook = request.infer_dependencies
    out = response.infer_dependencies
    out.SetInParent()  # an empty answer is still an infer_dependencies answer
    if tag not in hook.target.tags:
        return
    dropped = []
    for dep in hook.inferred:
        if any(dep.address.startswith(prefix) for prefix in keep):
            continue
        out.exclude.append(dep.address)
        dropped.append(dep.address)
    if dropped:
        diag = response.diagnostics.add()
        diag.severity = pb.Diagnostic.INFO
        diag.message = f"{hook.target.address}: dropped {len(dropped)} inferred dependencies"


def main():
    request = pb.PluginRequest()
    request.ParseFromString(sys.stdin.buffer.read())
    response = pb.PluginResponse()
    if request.protocol_version != SUPPORTED_VERSION:
        response.error = f"unsupported protocol version {request.protocol_version}"
    elif request.WhichOneof("hook") == "infer_dependencies":
        infer(request, response)
    else:
        response.error = f"unsupported hook {request.WhichOneof('hook')}"
    sys.stdout.buffer.write(response.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
