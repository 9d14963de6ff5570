import socket

import pytest

from community_sim.cli import main


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    return err


def test_bad_config_gives_the_same_error_as_simulate(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[params]\npolicy = 'merged'\n")
    assert main(["validate", str(cfg)]) == 2
    expected = _one_line(capsys)
    assert main(["dashboard", str(cfg), "--port", "0"]) == 2
    assert _one_line(capsys) == expected


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "tech_drfit=0.1"], ["tech_drfit", "did you mean 'tech_drift'"]),
        (["--seed", "-1"], ["--seed"]),
        (["--port", "70000"], ["--port", "70000"]),
    ],
)
def test_bad_options_exit_2_with_one_line(args, words, capsys):
    assert main(["dashboard", *args]) == 2
    err = _one_line(capsys)
    assert all(w in err for w in words)


def test_unknown_parameter_in_config_exits_2(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[params]\nsubsidy = 3\n")
    assert main(["dashboard", str(cfg)]) == 2
    err = _one_line(capsys)
    assert "c.toml" in err and "subsidy" in err


def test_port_in_use_is_a_clear_one_line_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    err = _one_line(capsys)
    assert f"port {port}" in err and "in use" in err and "--port" in err
