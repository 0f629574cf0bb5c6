"""CPU time of a process and its descendants from /proc/<pid>/stat, for CPU per request.

A process tree's total is its own utime+stime, plus cutime+cstime (children it has
already reaped: PostgreSQL backends that ended, a restarted gunicorn worker), plus the
same for each live child. The difference of two totals is the CPU the tree used between
them, wherever it ran.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU ticks including reaped children) of every process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # Fields after the command name (which may hold spaces): state, ppid, ...
        fields = text[text.rindex(")") + 2:].split()
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        found[int(entry.name)] = (int(fields[1]), utime + stime + cutime + cstime)
    return found


def tree_seconds(*pids: int) -> dict[int, float]:
    """CPU seconds used so far by each given process with all its live descendants."""
    stats = _stats()
    children: dict[int, list[int]] = {}
    for pid, (parent, _ticks) in stats.items():
        children.setdefault(parent, []).append(pid)

    def total(pid: int) -> int:
        return stats.get(pid, (0, 0))[1] + sum(total(c) for c in children.get(pid, ()))

    return {pid: total(pid) / TICKS for pid in pids}


def own_seconds(pids) -> dict[int, float]:
    """CPU seconds each given process has used itself (utime+stime); ended ones left out."""
    found = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return found


def postmaster_pid(data_directory: str) -> int | None:
    """The PostgreSQL server's pid: the first line of postmaster.pid in its data directory."""
    try:
        return int(Path(data_directory, "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def pid_from_file(path: Path) -> int | None:
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if Path(f"/proc/{pid}").exists() else None
