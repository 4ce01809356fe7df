#!/usr/bin/python3
"""Runs clang-tidy-14 over core/*/src/*.cpp with the repository's .clang-tidy, every warning an error.

Usage: run_clang_tidy.py --build-dir build/ci [-j N] [--files REGEX]

Takes the translation units from <build-dir>/compile_commands.json (the presets export it), so the
build must have run first (it generates omadm/base/requirements.hpp). Quiet on success: one summary
line. On failure: each diagnostic once (a header's warning is reported by every file that includes
it), then the files that failed; exit 1. Exit 2 when clang-tidy or the database is missing.

The compile commands are GCC's; `-Wno-unknown-warning-option` keeps clang from failing on the
GCC-only warnings of cmake/OmadmWarnings.cmake. Set OMADM_CLANG_TIDY to use another binary.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILES = r"^core/[^/]+/src/[^/]+\.cpp$"
_DIAGNOSTIC = re.compile(r"^\S.*?:\d+:\d+: (?:warning|error|note): ")
_NOISE = re.compile(r"^(?:\d+ (?:warnings?|errors?)(?: and \d+ errors?)? generated\.|"
                    r"Suppressed \d+ warnings.*|Use -header-filter=.*|.*warnings? treated as errors?)$")


def translation_units(build_dir: Path, pattern: re.Pattern[str]) -> list[str]:
    with open(build_dir / "compile_commands.json", encoding="utf-8") as f:
        entries = json.load(f)
    files = set()
    for e in entries:
        path = Path(e["file"])
        if not path.is_absolute():
            path = Path(e["directory"]) / path
        try:
            rel = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            continue
        if pattern.search(rel):
            files.add(rel)
    return sorted(files)


def diagnostics(output: str) -> list[str]:
    """The output split into diagnostic blocks (a warning with its snippet and notes)."""
    blocks: list[list[str]] = []
    for line in output.splitlines():
        if _NOISE.match(line.strip()):
            continue
        if _DIAGNOSTIC.match(line) and not re.search(r": note: ", line):
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        elif line.strip():
            blocks.append([line])
    return ["\n".join(b) for b in blocks]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--files", default=DEFAULT_FILES,
                        help=f"regex on repository-relative paths (default {DEFAULT_FILES})")
    args = parser.parse_args()

    binary = os.environ.get("OMADM_CLANG_TIDY", "clang-tidy-14")
    if shutil.which(binary) is None:
        print(f"run_clang_tidy: {binary} not found (scripts/setup-deps.sh installs clang-tidy-14)",
              file=sys.stderr)
        return 2
    build_dir = args.build_dir if args.build_dir.is_absolute() else ROOT / args.build_dir
    try:
        files = translation_units(build_dir, re.compile(args.files))
    except OSError as e:
        print(f"run_clang_tidy: cannot read the compilation database: {e}", file=sys.stderr)
        return 2
    if not files:
        print(f"run_clang_tidy: no file of {build_dir / 'compile_commands.json'} matches {args.files}",
              file=sys.stderr)
        return 2

    def tidy(rel: str) -> tuple[str, int, str]:
        proc = subprocess.run(
            [binary, "-p", str(build_dir), "--quiet", "--warnings-as-errors=*",
             "--extra-arg=-Wno-unknown-warning-option", rel],
            cwd=ROOT, capture_output=True, text=True, errors="replace")
        return rel, proc.returncode, proc.stdout + proc.stderr

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(tidy, files))
    elapsed = time.monotonic() - start

    failed = [(rel, out) for rel, rc, out in results if rc != 0]
    if not failed:
        print(f"clang-tidy: {len(files)} files, no findings ({elapsed:.0f} s, -j {args.jobs})")
        return 0
    seen: set[str] = set()
    for _, out in failed:
        for block in diagnostics(out):
            if block not in seen:
                seen.add(block)
                print(block)
    print(f"clang-tidy: {len(seen)} finding(s); {len(failed)} of {len(files)} files failed:", file=sys.stderr)
    for rel, _ in failed:
        print(f"  {rel}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
