"""What a batch ingest refuses before it reads, and the repetition it drops after parsing.

Walking a folder never leaves it: a symbolic link whose target lies outside the folder is not
followed, and neither are dangling links, hidden files and folders, a folder's README, things that
are not regular files, or files of a type no loader reads. Each of them gets a line in the report
with its reason, so every file the walk meets is either ingested or explained.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import unsupported_type
from ingest.models import Clause


@dataclass(frozen=True)
class Refusal:
    path: Path
    reason: str


@dataclass
class Collected:
    files: list[Path] = field(default_factory=list)  # to ingest, in a stable order
    refused: list[Refusal] = field(default_factory=list)  # met on the walk and not read, with the reason


def scan_paths(paths: list[Path]) -> Collected:
    """Files to ingest: files named directly are taken as given; folders are walked (see module doc)."""
    collected = Collected()
    for path in paths:
        if path.is_dir():
            _walk(path, collected)
        else:
            collected.files.append(path)
    return collected


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def _walk(root: Path, collected: Collected) -> None:
    base = root.resolve()
    files, refused = [], []

    def unlistable(error: OSError) -> None:
        refused.append(Refusal(Path(error.filename or root), f"folder cannot be listed ({error.strerror}): not searched"))

    for folder, folders, names in os.walk(root, onerror=unlistable):  # never descends into linked folders
        folder = Path(folder)
        for name in list(folders):
            path = folder / name
            if path.is_symlink():
                target = path.resolve()
                where = "inside the ingested folder: its files are read from there" if _inside(target, base) \
                    else "outside the ingested folder: not followed; copy the files in to ingest them"
                refused.append(Refusal(path, f"symbolic link to the folder {target}, {where}"))
                folders.remove(name)
            elif name.startswith("."):
                refused.append(Refusal(path, "hidden folder (name starts with '.'): not searched; "
                                             "rename it without the dot to ingest its files"))
                folders.remove(name)
        for name in names:
            path = folder / name
            if reason := _refusal(path, name, base):
                refused.append(Refusal(path, reason))
            else:
                files.append(path)
    plain = {path.resolve() for path in files if not path.is_symlink()}
    for link in [path for path in files if path.is_symlink() and path.resolve() in plain]:
        files.remove(link)  # a second name for a file the walk reads anyway
        refused.append(Refusal(link, f"symbolic link to {link.resolve().relative_to(base)}, which is ingested "
                                     "under its own name"))
    collected.files += sorted(files)
    collected.refused += sorted(refused, key=lambda r: r.path)


def _refusal(path: Path, name: str, base: Path) -> str | None:
    """Why a file met on a folder walk is not ingested, or None."""
    if path.is_symlink():
        target = path.resolve()
        if not path.exists():
            return f"dangling symbolic link (its target {os.readlink(path)} does not exist): not ingested"
        if not _inside(target, base):
            return (f"symbolic link to {target}, outside the ingested folder: not followed; "
                    "copy the file into the folder to ingest it")
    if name.startswith("."):
        return "hidden file (name starts with '.'): not ingested; rename it without the dot to include it"
    if name.lower() == "readme.md":
        return "a folder's README.md describes the folder and is not ingested: rename it to ingest it as a document"
    if reason := unsupported_type(path):
        return reason
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device): not read"
    return None


def drop_repeated_clauses(clauses: tuple[Clause, ...]) -> tuple[tuple[Clause, ...], int]:
    """The clauses without those whose text repeats an earlier clause's word for word (whitespace
    aside), and how many were dropped. A document made of one clause pasted thousands of times would
    otherwise cost one embedding per copy and crowd every answer; no real document tested here
    (corpus/, ../shared/realdocs) has two clauses with the same text."""
    seen: set[str] = set()
    kept = []
    for clause in clauses:
        key = "".join(clause.text.split())
        if key and key in seen:
            continue
        seen.add(key)
        kept.append(clause)
    return tuple(kept), len(clauses) - len(kept)
