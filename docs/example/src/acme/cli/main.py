"""Entry point of the `acme` command."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional, TextIO

from acme.client.session import Session
from acme.common import __version__
from acme.manager.registry import Registry
from acme.manager.scheduler import NoCapacity, Scheduler

try:  # Colours are a nicety; plain text works everywhere.
    import colorama
except ImportError:  # pragma: no cover - depends on the environment
    colorama = None


def _highlight(text: str, out: TextIO) -> str:
    """`text` in green when writing to a terminal and colorama is installed."""
    if colorama is None or not out.isatty():
        return text
    return f"{colorama.Fore.GREEN}{text}{colorama.Style.RESET_ALL}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acme")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version", help="print the acme version")
    schedule = sub.add_parser("schedule", help="place a session on one of the given agents")
    schedule.add_argument("--owner", required=True)
    schedule.add_argument(
        "--agent", action="append", default=[], metavar="NAME=SLOTS", help="repeatable"
    )
    schedule.add_argument("--dry-run", action="store_true")
    heartbeat = sub.add_parser("heartbeat", help="print the heartbeat request of an agent")
    heartbeat.add_argument("agent")
    heartbeat.add_argument("--free-slots", type=int, default=0)
    heartbeat.add_argument("--endpoint", default=None)
    return parser


def main(argv: Optional[List[str]] = None, out: TextIO = sys.stdout) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(__version__, file=out)
        return 0
    if args.command == "schedule":
        registry = Registry()
        for spec in args.agent:
            name, _, slots = spec.partition("=")
            registry.register(name, int(slots or "1"))
        try:
            placed = Scheduler(registry).schedule(args.owner, dry_run=args.dry_run)
        except NoCapacity as e:
            print(f"acme: {e}", file=sys.stderr)
            return 1
        print(f"{placed['session']} -> {_highlight(placed['agent'], out)}", file=out)
        return 0
    request = Session(args.endpoint).heartbeat(args.agent, args.free_slots)
    print(f"{request.method} {request.url}", file=out)
    print(request.body, file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
