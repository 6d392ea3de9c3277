"""SSH end to end: a real sshd with a ForceCommand, a real ssh -tt client inside tmux.

The ForceCommand runs ``kiosk --config X admin``, the admin console. The test signs in as the
district admin by typing into the pane, opens the locked-and-disabled report and reads it from
the screen, quits with ctrl+q, and checks the session ended cleanly.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.context import Context
from tests.test_cli_admin import cli_config

TOOLS = {name: shutil.which(name) or (f"/usr/sbin/{name}" if name == "sshd" else None)
         for name in ("sshd", "ssh", "ssh-keygen", "tmux")}  # fmt: skip
MISSING = [n for n, path in TOOLS.items() if not path or not os.path.exists(path)]

pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"needs OpenSSH server/client and tmux; missing: {', '.join(MISSING)}"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"sshd exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("sshd did not start listening")


def kiosk_command() -> str:
    script = Path(sys.executable).parent / "kiosk"
    return str(script) if script.exists() else f"{sys.executable} -m kiosk"


def test_forced_command_over_ssh_in_tmux(ctx: Context, tmp_path: Path) -> None:
    user = getpass.getuser()
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    for name in ("host_key", "client_key"):
        subprocess.run(
            [TOOLS["ssh-keygen"], "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)],
            check=True,
        )
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    os.chmod(folder / "authorized_keys", 0o600)
    config = cli_config(ctx, tmp_path)
    port = free_port()
    sshd_config = folder / "sshd_config"
    sshd_config.write_text(
        f"""Port {port}
ListenAddress 127.0.0.1
HostKey {folder / "host_key"}
PidFile {folder / "sshd.pid"}
AuthorizedKeysFile {folder / "authorized_keys"}
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers {user}
AcceptEnv COLORTERM
Match User {user}
    ForceCommand {kiosk_command()} --config {config} admin
    PermitTTY yes
    AllowTcpForwarding no
    X11Forwarding no
    AllowAgentForwarding no
    PermitTunnel no
"""
    )
    log = folder / "sshd.log"
    sshd = subprocess.Popen(
        [TOOLS["sshd"], "-D", "-f", str(sshd_config), "-E", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket_name = f"kiosk-ssh-test-{os.getpid()}-{port}"
    try:
        wait_for_port(port, sshd, log)
        ssh = (
            f"{TOOLS['ssh']} -tt -F /dev/null -i {folder / 'client_key'} -p {port} "
            f"-o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no "
            f"-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SendEnv=COLORTERM "
            # The client asks for a shell; ForceCommand must run the report instead.
            f"{user}@127.0.0.1 /bin/sh -c 'echo NOT-FORCED'; echo SSH-EXIT=$?; sleep 60"
        )
        subprocess.run(
            [TOOLS["tmux"], "-L", socket_name, "new-session", "-d", "-x", "100", "-y", "30",
             ssh],
            check=True,
            env={**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"},
        )  # fmt: skip

        def pane() -> str:
            return subprocess.run(
                [TOOLS["tmux"], "-L", socket_name, "capture-pane", "-p"],
                capture_output=True,
                text=True,
            ).stdout

        def wait_text(text: str, timeout: float = 30.0) -> str:
            deadline = time.monotonic() + timeout
            screen = pane()
            while text not in screen and time.monotonic() < deadline:
                time.sleep(0.2)
                screen = pane()
            assert text in screen, screen + (log.read_text() if log.exists() else "")
            return screen

        def keys(*names: str) -> None:
            for name in names:  # one at a time, as a person types
                subprocess.run([TOOLS["tmux"], "-L", socket_name, "send-keys", name], check=True)
                time.sleep(0.25)

        wait_text("Staff sign in")
        keys("admin", "Tab", "district-admin-demo-pass", "Enter")
        wait_text("District data")
        keys("Enter")  # the first tool: Reports
        wait_text("Choose a report")
        keys("Enter")  # opens the report list; a person looks at it before moving
        wait_text("Locked or disabled accounts")
        keys("Down", "Down", "Down", "Enter")  # locked or disabled accounts
        screen = wait_text("row(s)")
        lines = [line.strip(" │").split() for line in screen.splitlines()]  # inside the box
        assert any(words[:4] == ["ppatel", "G-1005", "Priya", "Patel"] for words in lines), screen
        assert any(words[:1] == ["rchen"] and "disabled" in words for words in lines)
        assert "2 row(s)" in screen
        keys("C-q")
        screen = wait_text("SSH-EXIT=")
        assert "SSH-EXIT=0" in screen
        assert "NOT-FORCED" not in screen
    finally:
        subprocess.run([TOOLS["tmux"], "-L", socket_name, "kill-server"], capture_output=True)
        sshd.terminate()
        try:
            sshd.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sshd.kill()
            sshd.wait()
