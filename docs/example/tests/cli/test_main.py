import io

from acme.cli.main import main


def run(*argv):
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_version():
    assert run("version") == (0, "1.4.0\n")


def test_schedule_picks_the_emptiest_agent():
    code, out = run("schedule", "--owner", "alice", "--agent", "node-a=1", "--agent", "node-b=2")
    assert code == 0
    assert out.endswith(" -> node-b\n")
    assert out.startswith("sess-")


def test_schedule_without_agents_fails(capsys):
    assert run("schedule", "--owner", "alice") == (1, "")
    assert "no agent has a free slot" in capsys.readouterr().err


def test_heartbeat_prints_the_request():
    code, out = run("heartbeat", "node-1", "--free-slots", "2", "--endpoint", "http://m:1")
    assert code == 0
    assert out == 'POST http://m:1/agents/node-1/heartbeat\n{"free_slots": 2}\n'
