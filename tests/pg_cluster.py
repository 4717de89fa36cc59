"""A private PostgreSQL cluster for tests that stop and start the database server.

The machine's shared server must never be stopped, so these tests `initdb` a cluster into a
fresh temporary folder and run it on a free loopback port. initdb and postgres refuse to
run as root: as root they run as the `postgres` user, in a folder that user owns."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.hub_process import free_port

BIN_ENV = "CARELINE_PG_BIN"  # a folder holding initdb, pg_ctl and postgres
REQUIRE_ENV = "CARELINE_REQUIRE_POSTGRES"
RUN_AS = "postgres"


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: $CARELINE_PG_BIN, Debian's newest, or the PATH."""
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):
        candidates.append(Path(os.environ[BIN_ENV]))
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += debian
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def unavailable_reason() -> str | None:
    """Why a private cluster cannot run here, or None when it can."""
    if find_bin_dir() is None:
        return (
            "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql "
            f"or set {BIN_ENV}"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return f"running as root and there is no `{RUN_AS}` user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root without `runuser` to drop to the postgres user"
    return None


class PrivateCluster:
    """initdb into a temporary folder; start and stop the server at will."""

    def __init__(self) -> None:
        bin_dir = find_bin_dir()
        assert bin_dir is not None, unavailable_reason()
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="careline-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            # The server's files (and the socket it makes in `root`) belong to postgres.
            owner = pwd.getpwnam(RUN_AS)
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", RUN_AS, "--"] if self._as_root else []
        done = subprocess.run(
            [*prefix, str(self.bin_dir / tool), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.root,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}\n{done.stderr}\n{self.server_log()}")

    def server_log(self) -> str:
        try:
            return self.log.read_text()[-4000:]
        except OSError:
            return ""

    def start(self) -> None:
        """Start and wait until it accepts connections (loopback TCP only)."""
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off -c max_connections=60"
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l",
                  str(self.log), "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends sessions and shuts down cleanly; `immediate` is a crash."""
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode)

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        """Stop the server if it runs, and remove every file."""
        try:
            if self.running():
                self.stop("immediate")
        finally:
            # A server killed some other way leaves nothing running on our folder.
            deadline = time.monotonic() + 10
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.1)
            shutil.rmtree(self.root, ignore_errors=True)
