# braid's pytest fork server ("zygote").
#
# braid starts this once per (interpreter, environment) key as
#   <python> -c <this file> braid-pytest-zygote [--preload MODULE]...
# with the control socket on fd 3 (protocol: core/exec/fork_server_protocol.h). It imports
# pytest, its built-in plugins, the installed pytest11 entry-point plugins and the preload
# modules ONCE (never first-party code), then forks one child per RUN request. The child
# enters the request's sandbox and behaves exactly like `<python> -m pytest ARGS` run there:
# its own stdout/stderr pipes, cwd, environment, sys.path and argv, then the same exit status.
#
# Process tree of one request with namespaces (mirrors braid's trampoline T / I / P):
#   server -> C: new session; unshares user+mount+pid+net namespaces; every mount read-only
#                except the sandbox; lo up; waits for G and ends the way P ended.
#             G: PID 1 of the new pid namespace; fresh /proc; forks P and reaps orphans.
#             P: runs pytest. When G exits the kernel kills whatever P left behind.
# Without namespaces C runs pytest itself (leftovers die with C's process group).
# Nothing a child does reaches the server: it is a separate process (copy-on-write memory), and
# in namespaces it cannot even see the server's pid.
#
# A PREPARE request forks the child the same way, but P stops on its gate (a socket braid
# holds) at the start of pytest_runtestloop, after start-up and collection: braid prepares the
# next test file of a slot while the current one runs, and releases it (one byte) when the
# slot frees. A child that ends before the loop (a usage error) also waits at its end, so
# nothing of it is reported before its turn; end of file on the gate makes it exit (125).
# G keeps the gate too: when P has exited with status 0 and nothing else lives in the
# namespace, G writes 'D' on it, and braid gives the slot to the next file while G, C and the
# server finish their bookkeeping.
import ctypes
import fcntl
import gc
import importlib
import importlib.machinery
import importlib.util
import io
import os
import re
import select
import signal
import socket
import sys
import time
import traceback
import types

import pytest

CONTROL_FD = 3

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_NOATIME, MS_NODIRATIME, MS_BIND = 32, 1024, 2048, 4096
MS_REC, MS_PRIVATE, MS_RELATIME = 16384, 1 << 18, 1 << 21
PR_SET_PDEATHSIG = 1
SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
IFF_UP, IFF_RUNNING = 0x1, 0x40
SETUP_FAILED = 125  # same as the trampoline's exit code

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                        ctypes.c_void_p]


class SetupError(Exception):
    pass


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise SetupError("%s: %s" % (what, os.strerror(err)))


def _mount(source, target, fstype, flags):
    enc = lambda s: None if s is None else os.fsencode(s)
    return _libc.mount(enc(source), enc(target), enc(fstype), flags, None)


def _write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as e:
        raise SetupError("write %s: %s" % (path, e.strerror))


def _mount_points():
    out = []
    with open("/proc/self/mountinfo", "rb") as f:
        for line in f:
            fields = line.split(b" ")
            if len(fields) >= 5:
                out.append(fields[4].decode("unicode_escape").encode("latin-1").decode(
                    "utf-8", "surrogateescape"))
    return out


def _under(path, d):
    return path == d or path.startswith(d.rstrip("/") + "/")


def _locked_flags(f):
    flags = 0
    for st, ms in ((os.ST_NOSUID, MS_NOSUID), (os.ST_NODEV, MS_NODEV),
                   (os.ST_NOEXEC, MS_NOEXEC), (os.ST_NOATIME, MS_NOATIME),
                   (os.ST_NODIRATIME, MS_NODIRATIME), (os.ST_RELATIME, MS_RELATIME)):
        if f & st:
            flags |= ms
    return flags


def mount_table():
    """[(mount point, statvfs flags or None)] of this process's mount namespace.

    Computed by the server once, before forking: it runs in a private mount namespace of its
    own (the trampoline made / private) and mounts nothing, so its table does not change, and
    a child's unshared namespace starts as a copy of it. Saves each child reading mountinfo
    and stat'ing every mount."""
    table = []
    for mp in _mount_points():
        try:
            table.append((mp, os.statvfs(mp).f_flag))
        except OSError:
            table.append((mp, None))
    return table


def enter_namespaces(writable, loopback_only, mounts):
    """Same steps as SetUpSandboxNamespaces (core/exec/namespaces.cc), from a forked child.

    `mounts` is mount_table() before any of the child's own bind mounts (those are all under
    `writable`, so they would be skipped below anyway)."""
    writable = [os.path.realpath(w) for w in writable]
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC
    if loopback_only:
        flags |= CLONE_NEWNET
    _check(_libc.unshare(flags), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", "%d %d 1\n" % (uid, uid))
    _write("/proc/self/gid_map", "%d %d 1\n" % (gid, gid))
    if loopback_only:
        import fcntl
        import struct
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            got = fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, struct.pack("16sh", b"lo", 0) + bytes(22))
            cur = struct.unpack_from("16sh", got)[1]
            fcntl.ioctl(s.fileno(), SIOCSIFFLAGS,
                        struct.pack("16sh", b"lo", cur | IFF_UP | IFF_RUNNING) + bytes(22))
        except OSError as e:
            raise SetupError("bring up lo: %s" % e.strerror)
        finally:
            s.close()
    _check(_mount(None, "/", None, MS_REC | MS_PRIVATE), "make / private")
    for w in writable:
        _check(_mount(w, w, None, MS_BIND | MS_REC), "bind-mount " + w)
    for mp, f_flag in mounts:
        if any(_under(mp, w) for w in writable):
            continue
        if f_flag is None or f_flag & os.ST_RDONLY:
            continue
        if _mount(None, mp, None,
                  MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(f_flag)) != 0:
            err = ctypes.get_errno()
            if mp != "/" and err in (13, 2, 116):  # EACCES, ENOENT, ESTALE: invisible anyway
                continue
            raise SetupError("remount %s read-only: %s" % (mp, os.strerror(err)))
    mount_private_dev_shm(writable)


def mount_private_dev_shm(writable):
    """Same as MountPrivateDevShm (core/exec/namespaces.cc): a private tmpfs on /dev/shm (best
    effort), with the writable paths below /dev/shm (a sandbox root there) bound again inside
    it through descriptors opened before it hid them."""
    if "/dev/shm" in writable:
        return
    carried = [(w, os.open(w, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC))
               for w in writable if w.startswith("/dev/shm/")]
    try:
        if _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV) != 0:
            return
        for path, fd in carried:
            so_far = ""
            for part in path.split("/"):
                if not part:
                    continue
                so_far += "/" + part
                if len(so_far) > len("/dev/shm"):
                    try:
                        os.mkdir(so_far, 0o755)
                    except OSError:
                        pass
            _check(_mount("/proc/self/fd/%d" % fd, path, None, MS_BIND | MS_REC),
                   "bind-mount %s inside the private /dev/shm" % path)
    finally:
        for _, fd in carried:
            os.close(fd)


def _mirror(status):
    """Ends this process the way `status` (a wait status) says its child ended."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else SETUP_FAILED)


def _die(message):
    os.write(2, ("braid sandbox: %s\n" % message).encode("utf-8", "replace"))
    os._exit(SETUP_FAILED)


class Server:
    def __init__(self, preload, timings_fd):
        self.sock = socket.socket(fileno=CONTROL_FD)
        self.sock.setblocking(True)
        self.children = {}  # id -> pid of C
        self.timings_fd = timings_fd
        self.prebuilt = {}  # tuple of -p args -> pytest Config built before forking
        self.python = os.path.realpath(sys.executable)
        # Not imported: runpy must find pytest.__main__ unimported, as in a new interpreter.
        self.pytest_main = importlib.util.find_spec("pytest.__main__").origin
        self.preload = preload
        self.mounts = None  # mount_table(), read at the first request with namespaces

    # --- the server loop -------------------------------------------------------------------
    def serve(self):
        self.reply("READY", 0)  # start-up done (a server that ends before it failed to start)
        wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self.wake = (wake_r, wake_w)
        self.learned = _Learned()
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *a: None)
        signal.signal(signal.SIGTERM, lambda *a: self.shutdown())
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        poller.register(wake_r, select.POLLIN)
        poller.register(self.learned.fileno(), select.POLLIN)
        while True:
            for fd, _ in poller.poll():
                if fd == self.learned.fileno():
                    self.learned.receive(self.timings_fd)
                elif fd == wake_r:
                    try:
                        while os.read(wake_r, 512):
                            pass
                    except BlockingIOError:
                        pass
                else:
                    self.receive()
            self.reap()

    def shutdown(self):
        for pid in self.children.values():
            self._kill(pid)
        os._exit(0)

    def _kill(self, pid):
        for target in (-pid, pid):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError:
                pass

    def reply(self, *fields):
        self.sock.sendall(b"".join(str(f).encode("utf-8", "surrogateescape") + b"\0"
                                   for f in fields))

    def reap(self):
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for rid, p in list(self.children.items()):
                if p == pid:
                    del self.children[rid]
                    self._kill(pid)  # whatever it left in its group dies with it
                    self.reply("EXIT", rid, status)

    def receive(self):
        try:
            data, anc, _, _ = self.sock.recvmsg(1 << 22, socket.CMSG_SPACE(16))
        except ConnectionResetError:
            data, anc = b"", []
        fds = []
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.extend(int.from_bytes(payload[i:i + 4], sys.byteorder)
                           for i in range(0, len(payload) - len(payload) % 4, 4))
        if not data and not fds:
            self.shutdown()  # braid went away
        fields = [f.decode("utf-8", "surrogateescape") for f in data.split(b"\0")[:-1]]
        try:
            if fields and fields[0] == "KILL":
                pid = self.children.get(int(fields[1]))
                if pid:
                    self._kill(pid)
            elif fields and fields[0] in ("RUN", "PREPARE"):
                self.run(fields, fds)
        finally:
            for fd in fds:
                os.close(fd)

    # --- one request -----------------------------------------------------------------------
    def run(self, fields, fds):
        rid = int(fields[1])
        try:
            it = iter(fields[2:])
            cwd = next(it)
            isolation = next(it)
            writable = [next(it)]
            loopback = next(it) == "1"
            writable += [next(it) for _ in range(int(next(it)))]
            argv = [next(it) for _ in range(int(next(it)))]
            env = dict(e.split("=", 1) for e in (next(it) for _ in range(int(next(it)))))
        except (StopIteration, ValueError):
            self.reply("REJECT", rid, "malformed RUN message")
            return
        prepare = fields[0] == "PREPARE"
        why = self.refuse(argv, env, fds, 3 if prepare else 2)
        if why:
            self.reply("REJECT", rid, why)
            return
        plugin_args = _plugin_args(argv[3:])
        if plugin_args not in self.prebuilt:
            self.prebuild(plugin_args)
        if isolation == "namespaces" and self.mounts is None:
            try:
                self.mounts = mount_table()
            except OSError as e:
                self.reply("REJECT", rid, "cannot read the mount table: %s" % e.strerror)
                return
        sys.stdout.flush()
        sys.stderr.flush()
        _Learned.before_fork()
        forked_at = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                self.child(cwd, isolation == "namespaces", writable, loopback, argv, env, fds,
                           forked_at, fds[2] if prepare else None)
            finally:
                os._exit(SETUP_FAILED)
        self.children[rid] = pid

    def refuse(self, argv, env, fds, want_fds):
        """Why this server cannot run `argv` exactly as exec'ing it would (None: it can)."""
        if len(fds) != want_fds:
            return "expected %d file descriptors, got %d" % (want_fds, len(fds))
        if len(argv) < 3 or argv[1:3] != ["-m", "pytest"]:
            return "not a `python -m pytest` command"
        exe = argv[0] if "/" in argv[0] else None
        if exe is None or os.path.realpath(exe) != self.python:
            return "another interpreter"
        # Like the server at its start, a fresh interpreter coerces the C locale (PEP 538):
        # it exports LC_CTYPE=C.UTF-8 when neither LC_ALL nor LC_CTYPE is set.
        coerced = os.environ.get("LC_CTYPE")
        if ("LC_ALL" not in env and "LC_CTYPE" not in env and "LC_ALL" not in os.environ
                and coerced in ("C.UTF-8", "C.utf8", "UTF-8")):
            env["LC_CTYPE"] = coerced
        # Variables the interpreter reads at start-up (flags, hash seed, encodings) must be
        # the server's: they were applied once, before the fork.
        for name in sorted(set(env) | set(os.environ)):
            if name == "PYTHONPATH" or not (name.startswith("PYTHON") or name == "LANG"
                                            or name.startswith("LC_")):
                continue
            if env.get(name) != os.environ.get(name):
                return "%s differs from the server's" % name
        return None

    def child(self, cwd, namespaces, writable, loopback, argv, env, fds, forked_at, gate):
        # Default dispositions, as after exec.
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        devnull = os.open("/dev/null", os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in set(fds + [devnull, self.wake[0], self.wake[1]]):
            if fd > 2 and fd != gate:
                os.close(fd)
        self.learned.enter_child()
        if gate is not None:
            # Out of the way of code that closes or reuses low descriptor numbers (its
            # identity is checked before it is read, _Gate.wait), and not for the test's own
            # subprocesses.
            try:
                high = fcntl.fcntl(gate, fcntl.F_DUPFD_CLOEXEC, 900)
                os.close(gate)
                gate = high
            except OSError:
                os.set_inheritable(gate, False)
        self.sock.close()
        _stage(self.timings_fd, "c-start", forked_at)
        if namespaces:
            try:
                enter_namespaces(writable, loopback, self.mounts)
                _stage(self.timings_fd, "ns-done", forked_at)
            except SetupError as e:
                _die("cannot set up namespaces: %s" % e)
            r, w = os.pipe()
            init = os.fork()
            if init == 0:
                os.close(r)
                self.init(w, cwd, argv, env, forked_at, gate)
            os.close(w)
            _, init_status = os.waitpid(init, 0)
            data = os.read(r, 16)
            _mirror(int(data) if data else init_status)
        self.pytest(cwd, argv, env, forked_at, gate)

    def init(self, report_fd, cwd, argv, env, forked_at, gate):
        """PID 1 of the child's pid namespace: runs P, reaps, reports P's status."""
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        target = os.fork()
        if target == 0:
            os.close(report_fd)
            self.pytest(cwd, argv, env, forked_at, gate)
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                os._exit(SETUP_FAILED)
            if pid == target:
                if gate is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                    _say_ended(gate, self.timings_fd, argv[-1])
                os.write(report_fd, str(status).encode())
                os._exit(0)

    def pytest(self, cwd, argv, env, forked_at, gate):
        """P: becomes `python -m pytest ARGS` in `cwd` with exactly `env`; with a `gate`,
        it waits there before running the tests (see the top of this file)."""
        _stage(self.timings_fd, "p-start", forked_at)
        try:
            os.chdir(cwd)
        except OSError as e:
            _die("cannot change directory to '%s': %s" % (cwd, e.strerror))
        os.environ.clear()
        os.environ.update(env)
        cwd = os.getcwd()
        roots = []
        for p in env.get("PYTHONPATH", "").split(":"):
            if p:
                p = os.path.abspath(p)
                if p not in roots:
                    roots.append(p)
        # `python -m` puts the working directory first, then PYTHONPATH, then the
        # interpreter's own path (the server was started without PYTHONPATH).
        sys.path[:] = [cwd] + roots + [p for p in BASE_PATH if p not in roots]
        sys.argv = [self.pytest_main] + argv[3:]
        import _pytest.config
        prebuilt = self.prebuilt.get(_plugin_args(argv[3:]))
        if prebuilt is not None and env.get("PYTEST_DEBUG") == SERVER_ENV.get("PYTEST_DEBUG"):
            _use_prebuilt_config(_pytest.config, prebuilt, argv[3:])
        if gate is not None:
            _GATE.install(_pytest.config, gate)
        if self.timings_fd is not None:
            _report_first_test(self.timings_fd, forked_at, argv[-1])
        code = 1
        try:
            # Exactly what `python -m pytest` runs, in a fresh __main__ module, so even the
            # innermost frames of a traceback or a fatal-error dump are the usual ones.
            import runpy
            import types
            sys.modules["__main__"] = types.ModuleType("__main__")
            runpy._run_module_as_main("pytest", alter_argv=False)
            code = 0
        except SystemExit as e:
            code = e.code
        except BaseException:
            traceback.print_exc()
            code = 1
        _GATE.wait()  # it ended before its tests (usage error, no config): still its turn first
        _stage(self.timings_fd, "p-end", forked_at)
        _finalize(code)

    def prebuild(self, plugin_args):
        """Builds, before forking, the pytest Config that get_config() would build."""
        import _pytest.config
        try:
            config = _pytest.config.get_config(list(plugin_args))
        except Exception:
            config = None  # children build their own
        self.prebuilt[plugin_args] = config
        if config is not None:
            try:
                config._parser._getparser()  # the built-in plugins' options: memoized below
            except Exception:
                pass
            _index_plugin_fixtures(config)


def _plugin_args(args):
    """The `-p NAME` pairs of `args`: all that pytest's get_config() looks at."""
    out = []
    for i, a in enumerate(args):
        if a == "-p" and i + 1 < len(args):
            out += [a, args[i + 1]]
        elif a.startswith("-p") and len(a) > 2:
            out.append(a)
    return tuple(out)


def _use_prebuilt_config(config_module, config, args):
    """Makes the next get_config() return `config`, built by the server before the fork.

    get_config() only creates a plugin manager, registers the built-in plugins (minus
    `-p no:X`) and records the invocation; that is the costly part of pytest's start-up and it
    depends on nothing but the `-p` arguments, which key the prebuilt configs."""
    from pathlib import Path
    original = config_module.get_config

    def get_config(a=None, plugins=None):
        config_module.get_config = original
        if plugins:
            return original(a, plugins)
        config.invocation_params = config_module.Config.InvocationParams(
            args=a or (), plugins=plugins, dir=Path.cwd())
        return config

    config_module.get_config = get_config


def _memoize_argument_parsers():
    """Makes pytest's Parser._getparser() build each distinct argparse parser once.

    A session builds a fresh argparse parser from its option list ~6 times, ~1 ms each, with
    only 2 distinct option lists (built-in plugins; then + entry-point and conftest plugins).
    Options are only ever appended to a group, so (the groups, their option counts) identifies
    the option list, and argparse does not change a parser when it parses. The parser built
    for the built-in plugins' options is made in the server (prebuild) and shared by every
    child; a Parser whose option list differs from its memo builds afresh, as before."""
    try:
        from _pytest.config import argparsing
    except Exception:
        return
    original = argparsing.Parser._getparser
    if getattr(original, "braid_memoized", False):
        return

    def _getparser(self):
        groups = self._groups + [self._anonymous]
        key = (self.prog, id(self.extra_info), tuple((id(g), len(g.options)) for g in groups))
        memo = self.__dict__.get("_braid_parser_memo")
        if memo is not None and memo[0] == key:
            return memo[1]
        parser = original(self)
        self.__dict__["_braid_parser_memo"] = (key, parser)
        return parser

    _getparser.braid_memoized = True
    argparsing.Parser._getparser = _getparser


class _FixtureNames:
    """Stands in for a plugin module in FixtureManager.parsefactories: dir() lists only the
    module's fixture functions, attributes are the module's."""
    __slots__ = ("_braid_module", "_braid_names")

    def __init__(self, module, names):
        self._braid_module = module
        self._braid_names = names

    def __dir__(self):
        return list(self._braid_names)

    def __getattr__(self, name):
        return getattr(self._braid_module, name)


_FIXTURE_INDEX = {}  # id(module) -> (module, copy of its __dict__, names of its fixtures)


def _index_plugin_fixtures(config):
    """Finds, once in the server, which names of the built-in plugin modules are fixtures.

    Every session's FixtureManager walks every attribute of every registered plugin (~40
    modules, ~4000 getattr calls, ~5 ms) to find the few fixture functions. For a module the
    server already walked and whose namespace is still exactly the same objects (checked by
    identity in the child), the walk can only find the same names: parsefactories is then
    run on a stand-in whose dir() holds just those names, in the same order, so it creates
    the same FixtureDefs in the same order. Anything else takes pytest's own path."""
    try:
        from _pytest import fixtures
        marker_type = fixtures.FixtureFunctionMarker
        notset = fixtures.NOTSET
        original = fixtures.FixtureManager.parsefactories
    except Exception:
        return
    for plugin in config.pluginmanager.get_plugins():
        if type(plugin) is not types.ModuleType or id(plugin) in _FIXTURE_INDEX:
            continue
        names = []
        for name in dir(plugin):
            obj = fixtures.safe_getattr(plugin, name, None)
            if isinstance(fixtures.getfixturemarker(obj), marker_type):
                if hasattr(obj, "__func__"):  # bound to its holder: keep pytest's path
                    break
                names.append(name)
        else:
            _FIXTURE_INDEX[id(plugin)] = (plugin, dict(plugin.__dict__), tuple(names))
    if getattr(original, "braid_indexed", False):
        return

    def parsefactories(self, node_or_obj, nodeid=notset, unittest=False):
        entry = _FIXTURE_INDEX.get(id(node_or_obj)) if nodeid is not notset else None
        if (entry is None or entry[0] is not node_or_obj or unittest
                or node_or_obj in self._holderobjseen):
            return original(self, node_or_obj, nodeid, unittest)
        try:
            same = node_or_obj.__dict__ == entry[1]  # identical objects compare equal at once
        except Exception:
            same = False
        if not same:
            return original(self, node_or_obj, nodeid, unittest)
        stand_in = _FixtureNames(node_or_obj, entry[2])
        result = original(self, stand_in, nodeid, unittest)
        self._holderobjseen.discard(stand_in)
        self._holderobjseen.add(node_or_obj)
        return result

    parsefactories.braid_indexed = True
    fixtures.FixtureManager.parsefactories = parsefactories


def _re_cache_keys():
    """The keys of the re module's compiled-pattern caches: (type, pattern, flags)."""
    keys = []
    for name in ("_cache", "_cache2"):  # 3.12 added a second level
        cache = getattr(re, name, None)
        if isinstance(cache, dict):
            keys.extend(k for k in list(cache) if type(k) is tuple and len(k) == 3)
    return keys


class _Learned:
    """What children found costly to rebuild, rebuilt once in the server for later children.

    Importing a library in a child compiles its module-level regular expressions (yaml,
    urllib3 and http.cookiejar compile ~60: ~5 ms per import) and unmarshals its modules'
    bytecode (~40 stdlib and third-party modules per test file here: ~5 ms). Each child tells
    the server, as it ends, which patterns it compiled and which installed modules it loaded
    that the server had not; the server compiles those patterns and reads those modules'
    cached bytecode, so a later child finds the patterns in re's cache and gets the code
    objects from memory. That is all it changes: re.compile() returns an equal pattern
    either way, and a module is still found, created and executed by the child's own import
    system, only its code object is the one its .pyc file holds, checked against the
    source's size and modification time as the import system checks the .pyc. A compile
    that warns is never cached (the child would not see its warning); nothing is imported.
    A child's report is data the server checks and bounds, never runs.
    """

    MAX_LENGTH = 4096
    ROOM = 64  # entries of re's cache (512 in CPython) left free for each child's own
    MAX_MODULES = 4000
    MAX_SOURCE = 16384  # bytes of one first-party module the server compiles for children
    MAX_SOURCES = 2000
    _known_sources = {}  # in a child: the compile cache at the fork (source bytes -> code)
    _known_patterns = frozenset()  # re's cache keys at the last fork: not to be reported
    _known_modules = frozenset()  # sys.modules' names at the last fork
    _fd = None  # in a child: where to report
    _fd_identity = None  # (st_dev, st_ino) of _fd, to tell it from a reused number

    def __init__(self):
        self.server, self.client = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.server.setblocking(False)
        self.client.setblocking(False)  # a child never waits on a full queue: it drops
        self.code = _install_code_cache()
        self.compiled = _install_compile_cache() if self.code is not None else None

    @staticmethod
    def before_fork():
        _Learned._known_patterns = frozenset(_re_cache_keys())
        _Learned._known_modules = frozenset(sys.modules)

    def fileno(self):
        return self.server.fileno()

    def enter_child(self):
        """In a forked child: keeps only a high, close-on-exec copy of the reporting end."""
        try:
            _Learned._fd = fcntl.fcntl(self.client.fileno(), fcntl.F_DUPFD_CLOEXEC, 800)
            st = os.fstat(_Learned._fd)
            _Learned._fd_identity = (st.st_dev, st.st_ino)
        except OSError:
            _Learned._fd = None
        self.server.close()
        self.client.close()

    @staticmethod
    def report():
        """In a child, as it ends: what it compiled and loaded that the server did not have."""
        fd = _Learned._fd
        if fd is None:
            return
        try:
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != _Learned._fd_identity:
                return  # the test closed it (the number may even be another file now)
            patterns = []
            for kind, pattern, flags in _re_cache_keys():
                if (kind, pattern, flags) in _Learned._known_patterns or not isinstance(flags, int):
                    continue
                if type(pattern) is str:
                    patterns.append(["s", pattern, int(flags)])
                elif type(pattern) is bytes:
                    patterns.append(["b", pattern.decode("latin-1"), int(flags)])
            modules = []
            sources = []  # the test's own modules (compiled from source in its sandbox)
            room = 40000
            for name, module in list(sys.modules.items()):
                if name in _Learned._known_modules:
                    continue
                spec = getattr(module, "__spec__", None)
                origin = getattr(spec, "origin", None)
                if type(getattr(spec, "loader", None)) is not _SOURCE_LOADER or not isinstance(
                        origin, str):
                    continue
                if origin.startswith(_INSTALLED):
                    modules.append(origin)
                elif origin.endswith(".py") and room > 0:
                    with io.open_code(origin) as f:  # as the import system reads it
                        text = f.read(_Learned.MAX_SOURCE + 1)
                    if len(text) <= _Learned.MAX_SOURCE and text not in _Learned._known_sources:
                        import base64
                        sources.append(base64.b64encode(text).decode())
                        room -= len(sources[-1])
            if patterns or modules or sources:
                import json
                data = json.dumps({"re": patterns[:256], "code": modules[:512],
                                   "src": sources}).encode()
                if len(data) <= 60000:
                    os.write(fd, data)
        except Exception:
            pass

    def receive(self, timings_fd=None):
        import json
        while True:
            try:
                data = self.server.recv(65536)
            except OSError:  # BlockingIOError: all read
                break
            try:
                report = json.loads(data.decode())
            except Exception:
                continue
            if isinstance(report, dict):
                if isinstance(report.get("re"), list):
                    self._compile(report["re"])
                if isinstance(report.get("code"), list) and self.code is not None:
                    self._load(report["code"])
                if isinstance(report.get("src"), list) and self.compiled is not None:
                    self._compile_sources(report["src"])
        if timings_fd is not None:  # benchmarking aid: what the server holds for children
            os.write(timings_fd, ("  learned re %d code %d src %d\n" % (
                len(getattr(re, "_cache", ())), len(self.code or ()),
                len(self.compiled or ()))).encode())

    def _compile(self, entries):
        import warnings
        cache = getattr(re, "_cache", None)
        if not isinstance(cache, dict):
            return
        limit = getattr(re, "_MAXCACHE", 512) - self.ROOM
        have = set(_re_cache_keys())
        for entry in entries:
            if len(cache) >= limit:
                return
            try:
                kind, text, flags = entry
                pattern = text.encode("latin-1") if kind == "b" else text
                if (not isinstance(text, str) or type(flags) is not int
                        or len(pattern) > self.MAX_LENGTH or flags & (re.DEBUG | re.LOCALE)):
                    continue
                key = (type(pattern), pattern, flags)
                if key in have:
                    continue
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    compiled = _uncached_compile(pattern, flags)
                if caught or compiled is None:
                    continue
                re.compile(pattern, flags)
                have.add(key)
            except Exception:
                continue

    def _load(self, paths):
        import marshal
        from importlib.util import MAGIC_NUMBER, cache_from_source
        for path in paths:
            if len(self.code) >= self.MAX_MODULES:
                return
            if not isinstance(path, str) or path in self.code or not path.startswith(_INSTALLED):
                continue
            try:
                st = os.stat(path)
                with open(cache_from_source(path), "rb") as f:
                    data = f.read()
                # A timestamp-checked .pyc of this very source: what the import system reads.
                if (data[:4] != MAGIC_NUMBER or data[4:8] != bytes(4)
                        or int.from_bytes(data[8:12], "little") != int(st.st_mtime) & 0xFFFFFFFF
                        or int.from_bytes(data[12:16], "little") != st.st_size & 0xFFFFFFFF):
                    continue
                code = marshal.loads(data[16:])
                if isinstance(code, types.CodeType):
                    import _imp
                    _imp._fix_co_filename(code, path)  # as _compile_bytecode does
            except Exception:
                continue
            if isinstance(code, types.CodeType):
                self.code[path] = ((st.st_mtime_ns, st.st_size), code)


    def _compile_sources(self, encoded):
        import base64
        import warnings
        for text in encoded:
            if len(self.compiled) >= self.MAX_SOURCES:
                return
            try:
                source = base64.b64decode(text, validate=True)
            except Exception:
                continue
            if len(source) > self.MAX_SOURCE or source in self.compiled:
                continue
            try:
                # Exactly SourceLoader.source_to_code's compile; the file name is set per use.
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    code = compile(source, "<braid>", "exec", dont_inherit=True, optimize=-1)
            except BaseException:
                continue  # a child compiling it meets the same error itself
            if not caught:  # a compile that warns is left to the child, which must warn
                self.compiled[source] = code


def _importlib_frame(source, name, **names):
    """Function `name` defined by `source` over `names`, whose frames are importlib's: it
    replaces a loader method, and the import system drops importlib's frames from the
    traceback of a failed import (a module's SyntaxError, say) only while they all are."""
    namespace = dict(names)
    exec(compile(source, "<frozen importlib._bootstrap_external>", "exec"), namespace)
    function = namespace[name]
    function.braid_cached = True
    return function


def _with_filename(code, path):
    """`code` with co_filename `path`, nested code objects included (a copy: the cached one
    is shared by every use)."""
    consts = tuple(_with_filename(c, path) if isinstance(c, types.CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=path, co_consts=consts)


def _install_compile_cache():
    """Serves SourceFileLoader.source_to_code (a module compiled from its source, as the
    test's own modules are in a fresh sandbox) from code the server compiled from the same
    bytes (see _Learned), given the module's path as its file name; None where this Python's
    loaders are not the ones this was written against."""
    try:
        from importlib import _bootstrap_external as external
        original = external.SourceLoader.source_to_code
    except Exception:
        return None
    if getattr(original, "braid_cached", False):
        return None
    cache = {}
    source_to_code = _importlib_frame(
        """
def source_to_code(self, data, path, *, _optimize=-1):
    if type(self) is loader_type and _optimize == -1 and isinstance(path, str):
        hit = cache.get(bytes(data)) if isinstance(data, (bytes, bytearray)) else None
        if hit is not None:
            return with_filename(hit, path)
    return original(self, data, path, _optimize=_optimize)
""", "source_to_code", loader_type=_SOURCE_LOADER, cache=cache, original=original,
        with_filename=_with_filename)
    external.SourceLoader.source_to_code = source_to_code
    _Learned._known_sources = cache
    return cache


def _install_code_cache():
    """Serves SourceFileLoader.get_code from a dict of checked code objects (see _Learned);
    None where this Python's loaders are not the ones this was written against."""
    try:
        from importlib import _bootstrap_external as external
        original = external.SourceLoader.get_code
    except Exception:
        return None
    if sys.flags.verbose or getattr(original, "braid_cached", False):
        return None  # -v prints where each code object came from
    cache = {}
    get_code = _importlib_frame(
        """
def get_code(self, fullname):
    if type(self) is loader_type:
        try:
            path = self.get_filename(fullname)
            hit = cache.get(path)
            if hit is not None:
                st = stat(path)
                if (st.st_mtime_ns, st.st_size) == hit[0]:
                    return hit[1]
        except Exception:
            pass
    return original(self, fullname)
""", "get_code", loader_type=_SOURCE_LOADER, cache=cache, original=original, stat=os.stat)
    external.SourceLoader.get_code = get_code
    return cache


def _uncached_compile(pattern, flags):
    """Compiles without touching re's cache (None where this Python has no such entry)."""
    compiler = getattr(re, "_compiler", None)  # 3.11+
    if compiler is None:
        try:
            import sre_compile as compiler
        except ImportError:
            return None
    return compiler.compile(pattern, flags)


class _Gate:
    """P's gate in a prepared child: where it waits for braid's release."""

    def __init__(self):
        self.fd = None
        self.released_at = None  # perf_counter() at the release
        self.identity = None  # (st_dev, st_ino) of the gate, to tell it from a reused number

    def install(self, config_module, fd):
        """Waits at the start of the test loop of the session get_config() builds next."""
        self.fd = fd
        st = os.fstat(fd)
        self.identity = (st.st_dev, st.st_ino)
        original = config_module.get_config
        gate = self

        class Plugin:
            # A wrapper: it runs before every plain implementation of the loop, whatever
            # their tryfirst or registration order (one of them could run the tests itself).
            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtestloop(self, session):
                gate.wait()
                _restart_session_clocks(session.config)
                yield

        def get_config(a=None, plugins=None):
            config_module.get_config = original
            config = original(a, plugins)
            config.pluginmanager.register(Plugin(), "braid-gate")
            return config

        config_module.get_config = get_config

    def wait(self):
        """Blocks until released; exits (125) when braid dropped the request."""
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            st = os.fstat(fd)
            same = (st.st_dev, st.st_ino) == self.identity
        except OSError:
            same = False
        if not same:
            # Code run at collection closed it (the number may even be another file now).
            _die("the test's collection closed the descriptor braid releases it with (%d)" % fd)
        try:
            data = os.read(fd, 1)
        except OSError:
            data = b""
        os.close(fd)
        if not data:
            os._exit(SETUP_FAILED)
        self.released_at = time.perf_counter()


_GATE = _Gate()


def _restart_session_clocks(config):
    """Restarts the clocks pytest started at session start, so "N passed in T" and the JUnit
    suite's time and timestamp count from the release, as if the process started then."""
    try:
        from _pytest import timing
    except Exception:
        return
    for plugin in config.pluginmanager.get_plugins():
        for name, now in (("_sessionstarttime", timing.time), ("suite_start_time", timing.time),
                          ("_session_start", getattr(timing, "Instant", None)),
                          ("suite_start", getattr(timing, "Instant", None))):
            if now is not None and name in getattr(plugin, "__dict__", {}):
                try:
                    setattr(plugin, name, now())
                except Exception:
                    pass


def _say_ended(gate, timings_fd, name):
    """G, once P exited with status 0: tells braid on the gate ('D', kGateFinishing) that the
    test's processes are all gone, unless another process still lives in the namespace (a
    leaked child, killed only when G exits). What remains (G and C exiting, the server
    reporting) is bookkeeping, so braid can give the slot to the next test file meanwhile."""
    try:
        for entry in os.listdir("/proc"):  # this namespace's own /proc, mounted above
            if entry.isdigit() and entry != "1":
                return
        os.write(gate, b"D")
        if timings_fd is not None:
            os.write(timings_fd, ("  ended %s\n" % name).encode())
    except OSError:
        pass


def _stage(fd, what, forked_at):
    if fd is not None:
        os.write(fd, ("  %s %.2f\n" % (what, (time.perf_counter() - forked_at) * 1000)).encode())


def _report_first_test(fd, forked_at, name):
    class Timer:
        done = False

        def pytest_runtest_setup(self, item):
            if not Timer.done:
                Timer.done = True
                now = time.perf_counter()
                ms = (now - forked_at) * 1000
                line = "%s %.2f" % (name, ms)
                if _GATE.released_at is not None:
                    line += " %.2f" % ((now - _GATE.released_at) * 1000)
                os.write(fd, (line + "\n").encode())

    import _pytest.config
    original = _pytest.config.get_config

    def get_config(a=None, plugins=None):
        config = original(a, plugins)
        config.pluginmanager.register(Timer(), "braid-first-test-timer")
        return config

    _pytest.config.get_config = get_config


def _finalize(code):
    """What the interpreter does at exit, then os._exit (never returns to the server loop)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        try:
            sys.stderr.write(str(code) + "\n")
        except Exception:
            pass
        status = 1
    try:
        import threading
        threading._shutdown()  # waits for non-daemon threads, as a normal exit does
    except BaseException:
        pass
    try:
        import atexit
        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    _Learned.report()
    os._exit(status & 0xFF)


def preload(modules):
    import pytest  # noqa: F401
    import _pytest.config
    for name in _pytest.config.default_plugins:
        try:
            importlib.import_module("_pytest." + name)
        except Exception:
            pass
    # runpy: `python -m pytest` runs pytest through it, so a fresh interpreter has it loaded
    # before pytest starts (each child used to import it).
    # The others are lazily imported by pytest.main(); importing them here keeps every child
    # from doing so.
    for name in ("runpy", "_pytest._argcomplete", "_pytest.config.compat", "pdb",
                 "faulthandler", "xml.etree.ElementTree", "ctypes.util", "cmd", "code",
                 "codeop", "email.parser", "email.feedparser"):
        try:
            importlib.import_module(name)
        except Exception:
            pass
    if not os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        # Import the entry-point plugins for their dependencies, then forget the plugins'
        # own modules: pytest marks them for assertion rewriting before importing them (and
        # warns "Module already imported so cannot be rewritten" otherwise), so each child
        # imports them afresh, exactly as a new interpreter would.
        # (Not `import importlib.metadata`: that would make `importlib` local to the whole
        # function and every import_module() above would fail.)
        from importlib import metadata
        from _pytest.config import _iter_rewritable_modules
        own = set()
        for dist in metadata.distributions():
            eps = [ep for ep in dist.entry_points if ep.group == "pytest11"]
            if not eps:
                continue
            own.update(_iter_rewritable_modules([str(f) for f in dist.files or []]))
            for ep in eps:
                own.add(ep.module.split(".")[0])
                try:
                    importlib.import_module(ep.module)
                except Exception:
                    pass
        loaded = []  # the plugins' module files that loading them imported
        for name in list(sys.modules):
            if name.split(".")[0] in own:
                path = getattr(sys.modules[name], "__file__", None)
                if path and path.endswith(".py"):
                    loaded.append(path)
                del sys.modules[name]
        _cache_plugin_rewrites(sorted(loaded))
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as e:  # a configuration error: say so once, plainly, and stop
            sys.stderr.write("braid fork server: cannot preload '%s' ([pytest] preload_modules)"
                             ": %s: %s\n" % (name, type(e).__name__, e))
            sys.stderr.flush()
            os._exit(SETUP_FAILED)
    _cache_installed_metadata()
    _warm_regex_caches()
    _memoize_argument_parsers()


def _warm_regex_caches():
    """Compiles, once, the regular expressions every pytest session compiles.

    re and fnmatch cache compiled patterns by (pattern, flags); a child finds them compiled
    (~10 ms per session otherwise). Each is warmed by calling the code that compiles it, so
    the patterns are exactly the installed versions' own; the calls have no other effect."""
    import argparse
    import fnmatch
    try:
        from _pytest.config.argparsing import DropShorterLongHelpFormatter as formatter
    except Exception:
        formatter = argparse.HelpFormatter
    try:
        parser = argparse.ArgumentParser(prog="pytest", formatter_class=formatter)
        parser.add_argument("args", nargs="*")
        parser.add_argument("-p", action="append")
        parser.add_argument("--flag", action="store_true")
        parser.parse_known_args(["-p", "x", "--flag", "-1", "a.py"])
        parser.format_help()
    except BaseException:
        pass
    for name in ("test_*.py", "*_test.py"):  # pytest's default python_files
        fnmatch.fnmatch("a.py", name)
    try:
        from _pytest.junitxml import bin_xml_escape, mangle_test_address
        bin_xml_escape("x")
        mangle_test_address("a.py::t")
    except Exception:
        pass


def _cache_plugin_rewrites(files):
    """Rewrites the asserts of the entry-point plugins' modules once, in the server.

    Each child imports those modules through pytest's assertion rewriter (see preload); the
    rewritten code depends only on the file (checked by mtime and size) and on the ini option
    enable_assertion_pass_hook (the cache is used only when it is off, as it was here).
    `files`: the modules loading the plugins imported, which is what a child imports again
    (rewriting every file of the plugins' packages, ~80 ms for pytest-xdist's 16, delayed the
    server's start; a module a child imports later is rewritten by pytest as usual)."""
    try:
        from pathlib import Path
        from _pytest.assertion import rewrite
    except Exception:
        return
    original = rewrite._rewrite_test
    cache = {}

    def _rewrite_test(fn, config):
        hit = cache.get(str(fn))
        if hit is not None and (config is None or not config.getini("enable_assertion_pass_hook")):
            try:
                st = os.stat(fn)
            except OSError:
                st = None
            if st is not None and (st.st_mtime_ns, st.st_size) == hit[0]:
                return hit[1], hit[2]
        return original(fn, config)

    for f in files:
        try:
            st, co = original(Path(f), None)
            cache[str(f)] = ((st.st_mtime_ns, st.st_size), st, co)
        except Exception:
            pass
    rewrite._rewrite_test = _rewrite_test


def _cache_installed_metadata():
    """Caches the metadata files of the interpreter's installed distributions.

    pytest reads every distribution's entry_points.txt / RECORD at start-up (plugin autoload,
    assertion-rewrite marking). Those files cannot change under a server: the installed
    packages' digest is part of its key. Distributions elsewhere (a sandbox) are never cached."""
    import importlib.metadata as md
    original = md.PathDistribution.read_text
    cache = {}
    installed = tuple(p.rstrip("/") + "/" for p in BASE_PATH)

    def read_text(self, filename):
        key = (str(self._path), filename)
        if key in cache:
            return cache[key]
        text = original(self, filename)
        if key[0].startswith(installed):
            cache[key] = text
        return text

    md.PathDistribution.read_text = read_text

    # pytest parses every distribution's entry points twice per session; the parse depends on
    # the text alone, so it is cached by text (fresh EntryPoint objects every time: the
    # caller attaches its distribution to them).
    parse = md.EntryPoints._from_text
    parsed = {}

    def _from_text(text):
        triples = parsed.get(text or "")
        if triples is None:
            triples = tuple((ep.name, ep.value, ep.group) for ep in parse(text))
            parsed[text or ""] = triples
        return (md.EntryPoint(name=n, value=v, group=g) for n, v, g in triples)

    md.EntryPoints._from_text = staticmethod(_from_text)
    for dist in md.distributions():  # warm the cache (children inherit it)
        for name in ("METADATA", "entry_points.txt", "RECORD", "top_level.txt"):
            try:
                dist.read_text(name)
            except Exception:
                pass


def main(argv):
    modules = []
    timings = os.environ.get("BRAID_FORK_SERVER_TIMINGS")
    i = 0
    while i < len(argv):
        if argv[i] == "--preload" and i + 1 < len(argv):
            modules.append(argv[i + 1])
            i += 2
        else:
            i += 1
    preload(modules)
    timings_fd = None
    if timings:
        try:  # best effort: a benchmarking aid must never break the server
            timings_fd = os.open(timings, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            sys.stderr.write("braid fork server: cannot open %s: %s\n" % (timings, e.strerror))
    server = Server(modules, timings_fd)
    server.prebuild(("-p", "no:cacheprovider"))
    # Everything imported so far stays alive for the server's lifetime: move it out of the
    # collector's reach so a child's collections do not walk (and so copy) the server's pages.
    # Collection itself stays on in the child, as in a fresh interpreter.
    gc.collect()
    gc.freeze()
    server.serve()


# sys.path without the script's own entry ('' for -c): what a child appends after its roots.
BASE_PATH = [os.path.abspath(p) for p in sys.path[1:] if p]
# The server's environment (os.environ is replaced in each child).
SERVER_ENV = dict(os.environ)
# Where the interpreter's own modules live (what _Learned caches code for): never a sandbox.
_INSTALLED = tuple(p.rstrip("/") + "/" for p in BASE_PATH)
_SOURCE_LOADER = importlib.machinery.SourceFileLoader

if __name__ == "__main__":
    main(sys.argv[1:])
