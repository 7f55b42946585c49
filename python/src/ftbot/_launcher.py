"""Finds Node.js and hands the arguments to the bundled CLI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

MIN_NODE = (20, 19)
_HERE = Path(__file__).resolve().parent


def cli_path() -> Path:
    """The bundled CLI inside this package."""
    return _HERE / "cli" / "dist" / "cli" / "ftbot.mjs"


def _version_of(node: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"v(\d+)\.(\d+)", out.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def find_node() -> tuple[str | None, str | None]:
    """Returns (path to a usable node, None) or (None, the reason none is usable)."""
    wanted = os.environ.get("FTBOT_NODE") or shutil.which("node") or shutil.which("nodejs")
    if not wanted:
        return None, "no `node` was found on PATH"
    version = _version_of(wanted)
    if version is None:
        return None, f"`{wanted}` did not report a Node.js version"
    if version < MIN_NODE:
        return None, f"`{wanted}` is Node.js {version[0]}.{version[1]}"
    return wanted, None


def main() -> int:
    cli = cli_path()
    if not cli.is_file():
        sys.stderr.write(f"ftbot: this installation is incomplete: {cli} is missing; reinstall the ftbot package\n")
        return 2
    node, problem = find_node()
    if node is None:
        sys.stderr.write(
            f"ftbot: ftbot runs on Node.js {MIN_NODE[0]}.{MIN_NODE[1]} or newer, and {problem}.\n"
            "Install Node.js (for example `apt install nodejs`, `brew install node`, `conda install nodejs`,\n"
            "`winget install OpenJS.NodeJS.LTS`) or set FTBOT_NODE to the path of a node executable.\n"
        )
        return 2
    args = [node, str(cli), *sys.argv[1:]]
    if os.name == "posix":
        # Replace this process: signals, stdin and the exit code belong to the CLI.
        os.execv(node, args)
    return subprocess.run(args).returncode


