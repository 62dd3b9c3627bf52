"""The key in daily use, from the command line: kept in a real Secret Service, or absent,
emptied or wrong. Without the key the CLI asks for the passphrase and never makes a new one."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.vault import os_keyring
from app.vault.keys import KEYS_FILE, new_data_key
from tests.fixtures import make_pdf

if TYPE_CHECKING:
    from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]  # the repository

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


def _keys(data_dir: Path) -> dict[str, Any]:
    return json.loads((data_dir / KEYS_FILE).read_text())


def _keys_hash(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / KEYS_FILE).read_bytes()).hexdigest()


def _binder_with_a_document(cli: Cli, tmp_path: Path) -> str:
    """init, then one imported PDF; returns the init message."""
    init = cli.run("init", "--person", "Ada Example")
    assert init.code == 0, init.err
    make_pdf(tmp_path / "consult.pdf", "Consult letter")
    assert cli.run("import", str(tmp_path / "consult.pdf")).code == 0
    return init.err


def _documents(cli: Cli) -> list[str]:
    listed = cli.run("list", "--json")
    assert listed.code == 0, listed.err
    return [d["original_name"] for d in listed.json()]


def _assert_locked_without_a_passphrase(cli: Cli) -> None:
    locked = cli.run("list", passphrase=False)
    assert locked.code == 2
    assert "--passphrase-file" in locked.err
    assert "Traceback" not in locked.err


def test_init_keeps_the_key_in_the_keyring_so_commands_need_no_passphrase(
    cli: Cli, tmp_path: Path, secret_service: Any
) -> None:
    message = _binder_with_a_document(cli, tmp_path)

    assert "kept in this computer's keyring" in message
    assert _keys(cli.data_dir)["keyring_backend"] == SECRET_SERVICE
    binder_id = _keys(cli.data_dir)["binder_id"]
    assert secret_service.get_password(os_keyring.SERVICE, binder_id)
    assert cli.run("unlock-test", passphrase=False).code == 0
    added = cli.run("person", "add", "Bo Example", "--json", passphrase=False)
    assert added.code == 0, added.err
    assert added.json()["name"] == "Bo Example"
    listed = cli.run("list", "--json", passphrase=False)
    assert listed.code == 0
    assert [d["original_name"] for d in listed.json()] == ["consult.pdf"]
    assert cli.run("check", passphrase=False).code == 0


def test_with_no_keyring_init_works_and_says_the_passphrase_will_be_needed(
    cli: Cli, tmp_path: Path
) -> None:
    message = _binder_with_a_document(cli, tmp_path)
    keys_before = _keys_hash(cli.data_dir)
    binder_id = _keys(cli.data_dir)["binder_id"]

    assert "will ask for the passphrase" in message
    assert _keys(cli.data_dir)["keyring_backend"] is None
    unlock = cli.run("unlock-test", passphrase=False)
    assert unlock.code == 2
    assert "passphrase will be needed" in unlock.out
    _assert_locked_without_a_passphrase(cli)
    _assert_locked_without_a_passphrase(cli)

    assert _keys_hash(cli.data_dir) == keys_before
    assert _keys(cli.data_dir)["binder_id"] == binder_id
    assert _documents(cli) == ["consult.pdf"]
    assert cli.run("check").code == 0


def test_a_keyring_that_lost_the_key_asks_for_the_passphrase_then_remembers_it(
    cli: Cli, tmp_path: Path, secret_service: Any
) -> None:
    _binder_with_a_document(cli, tmp_path)
    binder_id = _keys(cli.data_dir)["binder_id"]
    keys_before = _keys_hash(cli.data_dir)
    # As on a new computer, or after the keyring was reset: it answers "no password".
    secret_service.delete_password(os_keyring.SERVICE, binder_id)

    unlock = cli.run("unlock-test", passphrase=False)
    assert unlock.code == 2
    assert "no key for this binder" in unlock.out
    _assert_locked_without_a_passphrase(cli)
    assert _keys_hash(cli.data_dir) == keys_before

    # The passphrase opens it, and puts the key back for next time.
    assert _documents(cli) == ["consult.pdf"]
    assert cli.run("unlock-test", passphrase=False).code == 0
    assert cli.run("list", passphrase=False).code == 0
    assert _keys(cli.data_dir)["binder_id"] == binder_id
    assert _keys_hash(cli.data_dir) == keys_before


def test_a_keyring_holding_a_wrong_key_falls_back_to_the_passphrase_and_changes_nothing(
    cli: Cli, tmp_path: Path, secret_service: Any
) -> None:
    _binder_with_a_document(cli, tmp_path)
    binder_id = _keys(cli.data_dir)["binder_id"]
    keys_before = _keys_hash(cli.data_dir)
    secret_service.set_password(os_keyring.SERVICE, binder_id, new_data_key().hex())

    unlock = cli.run("unlock-test", passphrase=False)
    assert unlock.code == 2
    assert "another binder" in unlock.out
    _assert_locked_without_a_passphrase(cli)

    assert _keys_hash(cli.data_dir) == keys_before
    assert _documents(cli) == ["consult.pdf"]
    assert cli.run("check").code == 0


def test_the_environment_variables_do_what_the_flags_do(
    cli: Cli, tmp_path: Path, passphrase_file: Path
) -> None:
    env = dict(cli.env)
    env["CAREBINDER_DATA_DIR"] = str(tmp_path / "from-env")
    env["CAREBINDER_PASSPHRASE_FILE"] = str(passphrase_file)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )

    assert run("init", "--person", "Ada Example").returncode == 0
    assert (tmp_path / "from-env" / KEYS_FILE).exists()
    listed = run("person", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [p["name"] for p in json.loads(listed.stdout)] == ["Ada Example"]
    del env["CAREBINDER_PASSPHRASE_FILE"]
    assert run("person", "list").returncode == 2
    assert os.listdir(tmp_path / "from-env")
