"""Data files private to the user who runs the assistant: folders 0700, files 0600.

Contracts, their text, the vectors and the audit trail are confidential; on a shared machine the default umask
(0644 files) would let every local account read them. Folders are created private, and ``private_tree`` tightens
what libraries (SQLite's -wal/-shm files, Chroma's segments) created with the default umask.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as folders only the owner can enter; an existing one is tightened."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make an existing file readable and writable by its owner only."""
    _chmod(path, FILE_MODE)
    return path


def private_tree(root: Path) -> None:
    """Every folder under ``root`` 0700 and every file 0600 (symlinks are left alone)."""
    if not root.is_dir():
        return
    _chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            _chmod(Path(folder) / name, DIR_MODE)
        for name in files:
            _chmod(Path(folder) / name, FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) == mode:
            return
        path.chmod(mode)
    except OSError:  # a file that vanished meanwhile, or one we do not own: nothing to tighten
        pass
