import subprocess
import sys

import pytest

from community_sim.cli import main


def test_params_lists_every_parameter(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    assert "tech_drift" in out and "1/yr" in out


def test_validate_bad_config_exits_2_with_one_line(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[params]\npolicy = 'merged'\n")
    assert main(["validate", str(cfg)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "c.toml" in err and "policy" in err


def test_console_script_runs_without_traceback(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[params]\ntech_drift = 9\n")
    proc = subprocess.run(
        [sys.executable, "-m", "community_sim.cli", "validate", str(cfg)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_output_piped_into_a_closed_reader_ends_without_traceback():
    # A handler whose reader has gone away, as with `community-sim run ... | head`.
    code = (
        "import sys\n"
        "from community_sim import cli\n"
        "def gone(args):\n"
        "    raise BrokenPipeError\n"
        "cli.COMMANDS['params'] = ('', cli._add_params, gone)\n"
        "sys.exit(cli.main(['params']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 141
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_the_command_exits_fast_after_flushing_and_running_exit_handlers(tmp_path):
    # entry() skips the interpreter's teardown, not the exit handlers nor the output.
    mark = tmp_path / "handler-ran"
    code = (
        "import atexit, sys\n"
        "from community_sim import cli\n"
        f"atexit.register(lambda: open({str(mark)!r}, 'w').write('yes'))\n"
        "sys.argv = ['community-sim', 'params']\n"
        "cli.entry()\n"
        "print('not reached')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "tech_drift" in proc.stdout and "not reached" not in proc.stdout
    assert mark.read_text() == "yes"
    bad = tmp_path / "bad.toml"
    bad.write_text("[params]\npolicy = 'merged'\n")
    code_bad = code.replace(
        "['community-sim', 'params']", f"['community-sim', 'validate', {str(bad)!r}]"
    )
    proc = subprocess.run([sys.executable, "-c", code_bad], capture_output=True, text=True)
    assert proc.returncode == 2 and "policy" in proc.stderr
