import socket

import pytest

from community_sim.cli import main


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("config", "extra"),
    [
        ("[params]\npolicy = 'merged'\n", []),  # bad value
        ("[params]\nsubsidy = 3\n", []),  # unknown parameter in the file
        ("[params\n", []),  # not TOML
        (None, []),  # missing file
        ("[params]\n", ["--set", "tech_drfit=0.1"]),  # unknown parameter on the command line
        ("[params]\n", ["--set", "tech_drift=7"]),  # out of bounds
    ],
)
def test_bad_input_gives_the_same_one_line_error_as_simulate(tmp_path, capsys, config, extra):
    cfg = tmp_path / "c.toml"
    if config is not None:
        cfg.write_text(config)
    assert main(["simulate", str(cfg), *extra]) == 2
    expected = _one_line(capsys)
    assert main(["dashboard", str(cfg), *extra, "--port", "0"]) == 2
    assert _one_line(capsys) == expected


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--seed", "-1"], ["--seed"]),
        (["--port", "70000"], ["--port", "70000"]),
    ],
)
def test_bad_options_exit_2_with_one_line(args, words, capsys):
    assert main(["dashboard", *args]) == 2
    err = _one_line(capsys)
    assert all(w in err for w in words)


def test_port_in_use_is_a_clear_one_line_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    err = _one_line(capsys)
    assert f"port {port}" in err and "in use" in err and "--port" in err
