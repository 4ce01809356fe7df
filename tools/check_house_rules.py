#!/usr/bin/python3
"""House-rule gate: the rules of the codebase that a machine can check, run by scripts/test.sh.

Usage: check_house_rules.py [--root DIR] [--rules format,purity,labels,citations]

Prints one line per finding, `path:line: rule: message`, and exits 1; prints a one-line summary
and exits 0 when the tree is clean; exits 2 when a check cannot run (no clang-format-14, say).
The files checked are git's view of the tree: tracked files plus untracked files that are not
ignored (so a new file is checked before it is committed); outside a git work tree, every file
under --root except build/ and .git/.

Rules
-----
format
    Every C++ file (*.cpp, *.hpp, *.h) passes `clang-format-14 --dry-run -Werror` with the
    repository's .clang-format. Set OMADM_CLANG_FORMAT to use another binary.

purity
    core/ is sans-IO: every decision is there, every effect is in the shells. Under core/*/src
    and core/*/include (not tests; fuzz and bench live outside core/) nothing may:

    * include a header whose purpose is I/O or concurrency:
      - Boost.Asio and Boost.Beast: sockets, timers and the event loop;
      - <fstream>, <iostream>, <filesystem>: files, the console, directory queries (core takes
        bytes and returns bytes; it never logs);
      - <sys/socket.h>, <netinet/*>, <arpa/*>, <netdb.h>, <unistd.h>, <fcntl.h>, <poll.h>,
        <sys/epoll.h>: POSIX networking and file descriptors; <sys/random.h> and <sys/time.h>
        are the OS randomness and clock calls below;
      - <thread> and <future> (std::async) start threads; <mutex>, <shared_mutex> and
        <condition_variable> are not I/O, but they block the caller and only make sense around
        state shared between threads. An engine step never blocks, and threads, with any state
        they share, live in the shells (a lock in core would mean hidden shared mutable state).
      Headers that are mostly pure (<chrono>, <random>, <ctime>, <cstdio>, <atomic>) stay
      allowed; their impure functions are caught by the call patterns below instead.
    * read a clock: `*_clock::now` (system, steady, high_resolution, utc, file...), `std::time(`,
      `time(nullptr)`, `gettimeofday`, `clock_gettime`, `timespec_get`. Time comes in through
      base::Clock, which the shells implement (shell::SystemClock).
    * draw OS randomness: `std::random_device`, `getrandom`, `getentropy`, `arc4random`,
      `/dev/urandom`, `/dev/random`, OpenSSL's `RAND_bytes`. Randomness comes in through
      base::Random (shell::SystemRandom in the shells, base::SeededRandom in tests).
    * open a file through C stdio (`fopen`, `freopen`, `tmpfile`, `popen`). <cstdio> itself stays
      allowed for snprintf and for OMADM_CHECK's last words on stderr before abort().
    Comments are ignored; string literals are not (a literal "/dev/urandom" is a finding).

labels
    Requirement labels (MgmtPolicyMO-...) appear in C++ code under core/, reference-client/,
    reference-server/ and reference-common/ only through the constants generated from
    testcases/requirements.yaml by tools/gen_requirements_hpp.py (omadm/base/requirements.hpp:
    `omadm::req::MgmtPolicyMO_HLF_1.id`), so that a typo fails to compile. A string or character
    literal containing a label is a finding; comments may name labels freely.

citations
    No file cites a document that is not part of this repository: the team's notes kept beside
    the checkout (the protocol, design, style and harness-anchor notes, by file name, by name and
    section number, or by a path into the shared folder). Comments cite the OMA document and
    section a fact rests on, a file of this repository, or docs/protocol-notes.md. Every text
    file is checked, whatever its type. (This script spells those names in pieces so that it
    does not cite them itself.)
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

RULES = ("format", "purity", "labels", "citations")
CXX_SUFFIXES = (".cpp", ".hpp", ".h")
LABEL_DIRS = ("core/", "reference-client/", "reference-server/", "reference-common/")
_CORE_PURE = re.compile(r"^core/[^/]+/(?:src|include)/")


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


class CheckError(Exception):
    """A check could not run (missing tool); exit 2."""


# ---------------------------------------------------------------------------------------------
# Files


def list_files(root: Path) -> list[str]:
    """Repository-relative paths (POSIX form) of the files to check, sorted."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True, capture_output=True).stdout
        names = {n for n in out.decode("utf-8", "surrogateescape").split("\0") if n}
    except (OSError, subprocess.CalledProcessError):
        names = set()
        for dirpath, dirnames, filenames in os.walk(root):
            rel = Path(dirpath).relative_to(root)
            if rel == Path("."):
                dirnames[:] = [d for d in dirnames if d not in ("build", ".git")]
            for f in filenames:
                names.add((rel / f).as_posix())
    # A file deleted in the work tree but still in the index is not checked.
    return sorted(n for n in names if (root / n).is_file())


def read_text(path: Path) -> str | None:
    """The file as text, or None for a binary file (or one deleted since it was listed)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# A small C++ scanner: comments blanked out (newlines kept), string and character literals
# collected with their line. Enough for the checks here, not a preprocessor.

_RAW_STRING = re.compile(r'(?:u8|u|U|L)?R"([^()\\\s"]{0,16})\(')
_PP_NUMBER = re.compile(r"\.?\d(?:[eEpP][+-]|'(?=\w)|[\w.])*")
_IDENT = re.compile(r"[A-Za-z_]\w*")


def _quoted_end(text: str, start: int, quote: str) -> int:
    """Index just past the literal opened at text[start] == quote (or at the end of the line)."""
    i, n = start + 1, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote:
            return i + 1
        if c == "\n":
            return i
        i += 1
    return n


def scan_cxx(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Returns (code, literals): the text with comments blanked, and [(line, literal body)]."""
    out: list[str] = []
    literals: list[tuple[int, str]] = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = j
        elif c.isalpha() or c == "_":
            raw = _RAW_STRING.match(text, i)
            if raw:
                close = ")" + raw.group(1) + '"'
                j = text.find(close, raw.end())
                j = n if j < 0 else j + len(close)
                literals.append((line, text[raw.end():max(raw.end(), j - len(close))]))
            else:
                j = _IDENT.match(text, i).end()
            out.append(text[i:j])
            line += text.count("\n", i, j)
            i = j
        elif c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            j = _PP_NUMBER.match(text, i).end()
            out.append(text[i:j])
            i = j
        elif c in "\"'":
            j = _quoted_end(text, i, c)
            literals.append((line, text[i + 1:j - 1]))
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            line += c == "\n"
            i += 1
    return "".join(out), literals


# ---------------------------------------------------------------------------------------------
# format


def check_format(root: Path, files: list[str]) -> list[Finding]:
    cxx = [f for f in files if f.endswith(CXX_SUFFIXES)]
    if not cxx:
        return []
    binary = os.environ.get("OMADM_CLANG_FORMAT", "clang-format-14")
    if shutil.which(binary) is None:
        raise CheckError(f"format: {binary} not found (scripts/setup-deps.sh installs clang-format-14)")
    if not (root / ".clang-format").is_file():
        raise CheckError("format: no .clang-format at the repository root")
    pattern = re.compile(r"^(.+?):(\d+):\d+: (?:error|warning): (.*?)(?: \[-W[\w-]+\])?$")
    findings: set[Finding] = set()
    for k in range(0, len(cxx), 100):
        batch = [f for f in cxx[k:k + 100] if (root / f).is_file()]
        if not batch:
            continue
        proc = subprocess.run([binary, "--dry-run", "-Werror", "--style=file", *batch],
                              cwd=root, capture_output=True, text=True, errors="replace")
        matched = False
        for ln in proc.stderr.splitlines():
            m = pattern.match(ln)
            if m and m.group(1) in batch:
                matched = True
                findings.add(Finding(m.group(1), int(m.group(2)), "format",
                                     f"{m.group(3)} (run clang-format-14 -i {m.group(1)})"))
        if proc.returncode != 0 and not matched:
            first = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[0]
            raise CheckError(f"format: {binary} failed: {first}")
    return sorted(findings)


# ---------------------------------------------------------------------------------------------
# purity

_INCLUDE = re.compile(r"^\s*#\s*include\s*[<\"]([^>\"]+)[>\"]", re.M)
_IMPURE_HEADERS = {
    "fstream": "file I/O",
    "iostream": "console I/O (core never logs)",
    "filesystem": "file-system access",
    "thread": "starts threads",
    "future": "std::async starts threads",
    "mutex": "blocking synchronisation between threads",
    "shared_mutex": "blocking synchronisation between threads",
    "condition_variable": "blocking synchronisation between threads",
    "sys/socket.h": "sockets",
    "netdb.h": "name resolution",
    "unistd.h": "POSIX file descriptors and processes",
    "fcntl.h": "POSIX file descriptors",
    "poll.h": "waiting on file descriptors",
    "sys/epoll.h": "waiting on file descriptors",
    "sys/random.h": "OS randomness",
    "sys/time.h": "the system clock",
}
_IMPURE_HEADER_PREFIXES = {
    "boost/asio": "Boost.Asio (sockets, timers, the event loop)",
    "boost/beast": "Boost.Beast (HTTP over sockets)",
    "netinet/": "sockets",
    "arpa/": "sockets",
}
_IMPURE_CALLS = [
    (re.compile(r"\b\w+_clock::now\b"), "reads a clock; take a base::Clock&"),
    (re.compile(r"\bstd::time\s*\("), "reads the system clock; take a base::Clock&"),
    (re.compile(r"(?<![\w.:>])time\s*\(\s*(?:nullptr|NULL|0)\s*\)"), "reads the system clock; take a base::Clock&"),
    (re.compile(r"\b(?:gettimeofday|clock_gettime|timespec_get)\b"), "reads the system clock; take a base::Clock&"),
    (re.compile(r"\brandom_device\b"), "draws OS randomness; take a base::Random&"),
    (re.compile(r"\b(?:getrandom|getentropy|arc4random\w*|RAND_bytes|RAND_priv_bytes)\b"),
     "draws OS randomness; take a base::Random&"),
    (re.compile(r"/dev/u?random\b"), "draws OS randomness; take a base::Random&"),
    (re.compile(r"(?<![\w.>])(?:std::)?(?:fopen|freopen|tmpfile|popen)\s*\("), "opens a file; core takes bytes"),
]


def _impure_header(name: str) -> str | None:
    if name in _IMPURE_HEADERS:
        return _IMPURE_HEADERS[name]
    for prefix, why in _IMPURE_HEADER_PREFIXES.items():
        if name.startswith(prefix):
            return why
    return None


def check_purity(root: Path, files: list[str]) -> list[Finding]:
    findings = []
    for f in files:
        if not (_CORE_PURE.match(f) and f.endswith(CXX_SUFFIXES)):
            continue
        text = read_text(root / f)
        if text is None:
            continue
        code, _ = scan_cxx(text)
        for m in _INCLUDE.finditer(code):
            why = _impure_header(m.group(1))
            if why:
                line = code.count("\n", 0, m.start(1)) + 1
                findings.append(Finding(f, line, "purity", f"core includes <{m.group(1)}>: {why}"))
        for lineno, ln in enumerate(code.splitlines(), 1):
            for pattern, why in _IMPURE_CALLS:
                m = pattern.search(ln)
                if m:
                    findings.append(Finding(f, lineno, "purity", f"`{m.group(0).strip()}` {why}"))
    return findings


# ---------------------------------------------------------------------------------------------
# labels

_LABEL = re.compile(r"MgmtPolicyMO-([A-Za-z]+) ?-(\d+)")


def check_labels(root: Path, files: list[str]) -> list[Finding]:
    findings = []
    for f in files:
        if not (f.startswith(LABEL_DIRS) and f.endswith(CXX_SUFFIXES)):
            continue
        text = read_text(root / f)
        if text is None or "MgmtPolicyMO-" not in text:
            continue
        _, literals = scan_cxx(text)
        for line, body in literals:
            if "MgmtPolicyMO-" not in body:
                continue
            m = _LABEL.search(body)
            if m:
                const = f"MgmtPolicyMO_{m.group(1)}_{m.group(2)}"
                hint = f"use omadm::req::{const}.id from omadm/base/requirements.hpp"
                findings.append(Finding(f, line, "labels", f'label "{m.group(0)}" in a string literal; {hint}'))
            else:
                findings.append(Finding(f, line, "labels", "requirement label text in a string literal; "
                                        "use the omadm::req constants from omadm/base/requirements.hpp"))
    return findings


# ---------------------------------------------------------------------------------------------
# citations

_NOTE_NAMES = ("PROTOCOL", "DESIGN", "STYLE", "HARNESS-ANCHORS")
_NOTES = "|".join(re.escape(n) for n in _NOTE_NAMES)
_CITATIONS = [
    re.compile(r"\b(?:" + _NOTES + r")\.md\b"),
    # The notes by name and section number ("<NAME> 2.4", "<NAME> §6.3").
    re.compile(r"\b(?:" + _NOTES + r")\s+§?\d+(?:\.\d+)*\b"),
    # A path into the shared folder beside the checkout.
    re.compile(r"(?<![\w-])shared(?=/)"),
    re.compile(r"\.\./shared\b"),
]


def check_citations(root: Path, files: list[str]) -> list[Finding]:
    findings = []
    for f in files:
        text = read_text(root / f)
        if text is None:
            continue
        for lineno, ln in enumerate(text.splitlines(), 1):
            for pattern in _CITATIONS:
                m = pattern.search(ln)
                if m:
                    findings.append(Finding(
                        f, lineno, "citations",
                        f"cites `{m.group(0)}`, which is not in this repository; cite the OMA document "
                        "and section, a file of this repository, or docs/protocol-notes.md"))
                    break
    return findings


# ---------------------------------------------------------------------------------------------

CHECKS = {
    "format": check_format,
    "purity": check_purity,
    "labels": check_labels,
    "citations": check_citations,
}


def run(root: Path, rules: list[str]) -> tuple[list[Finding], int]:
    files = list_files(root)
    findings: list[Finding] = []
    for rule in rules:
        findings += CHECKS[rule](root, files)
    return sorted(set(findings)), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1],
                        help="repository root (default: the checkout holding this script)")
    parser.add_argument("--rules", default=",".join(RULES),
                        help=f"comma-separated subset of {','.join(RULES)}")
    args = parser.parse_args(argv)
    rules = [r for r in args.rules.split(",") if r]
    unknown = [r for r in rules if r not in CHECKS]
    if unknown:
        parser.error(f"unknown rule(s): {', '.join(unknown)}")
    try:
        findings, nfiles = run(args.root.resolve(), rules)
    except CheckError as e:
        print(f"check_house_rules: {e}", file=sys.stderr)
        return 2
    for finding in findings:
        print(finding)
    if findings:
        print(f"check_house_rules: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    print(f"check_house_rules: {nfiles} files, rules {', '.join(rules)}: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
