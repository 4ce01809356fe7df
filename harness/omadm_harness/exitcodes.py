"""The exit codes of every subcommand, with examples: the `--help` epilog of each (cli.py) and the
"Exit codes" section of README.md say the same (harness/tests/test_exit_codes.py holds them together).

The codes mean the same everywhere: 0 all as expected, 1 something unexpected was found, 2 the
harness could not do its job (usage, configuration, an IUT that cannot be started), 3 interrupted
(SIGINT, SIGTERM). argparse's own usage errors (an unknown option) are 2 as well.
"""
from __future__ import annotations

from .results import EXIT_HARNESS, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED

_PY = "PYTHONPATH=harness /usr/bin/python3 -m omadm_harness"

# subcommand -> ([(code, meaning)], [example command lines])
EXIT_CODES: dict[str, tuple[list[tuple[int, str]], list[str]]] = {
    "run": ([
        (EXIT_OK, "every case as expected (after the baseline)"),
        (EXIT_UNEXPECTED, "an unexpected result: INCONCLUSIVE, FAIL or ERROR not in the baseline, or a "
                          "baseline entry that now passes"),
        (EXIT_HARNESS, "the harness could not do its job: bad option, adapter, baseline or build directory, "
                       "lint problems in the cases, no case selected, an IUT that cannot be started or "
                       "reached before the first case (or that did not start for a case)"),
        (EXIT_INTERRUPTED, "interrupted (SIGINT, SIGTERM): the cases done so far are reported"),
    ], [f"{_PY} run --build-dir build/main --adapter my-device.yaml --baseline known.yaml",
        f"{_PY} run --build-dir build/main --iut server -l MgmtPolicyMO-HLF-3 -j 2"]),
    "list": ([
        (EXIT_OK, "the selected cases are listed"),
        (EXIT_HARNESS, "no case selected, an unknown label, lint problems in the cases, a bad adapter"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} list --iut client -l MgmtPolicyMO-HLF-1"]),
    "requirements": ([
        (EXIT_OK, "the catalogue is listed"),
        (EXIT_HARNESS, "the requirement catalogue cannot be read"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} requirements"]),
    "lint": ([
        (EXIT_OK, "every case file is clean"),
        (EXIT_UNEXPECTED, "lint problems (printed one per line, file:line: message)"),
        (EXIT_HARNESS, "the requirement catalogue cannot be read"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} lint", f"{_PY} lint --cases my-cases/"]),
    "adapter-check": ([
        (EXIT_OK, "every file is a valid adapter (OK printed per file); with --probe, every IUT does what its "
                  "adapter declares"),
        (EXIT_UNEXPECTED, "--probe: an IUT does not do what its adapter declares (a MISMATCH line)"),
        (EXIT_HARNESS, "a file is not a valid adapter (one line per problem: file:line: $.json.path: "
                       "message), or cannot be read; --probe: an IUT that cannot be started or reached"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} adapter-check my-device.yaml", f"{_PY} adapter-check harness/adapters/*.yaml",
        f"{_PY} adapter-check --probe --build-dir build/main my-device.yaml"]),
    "replay": ([
        (EXIT_OK, "the case ran as expected"),
        (EXIT_UNEXPECTED, "an unexpected result (INCONCLUSIVE, FAIL, ERROR)"),
        (EXIT_HARNESS, "no such case, a bad adapter or build directory, a process that did not start"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} replay MgmtPolicyMO-HLF-1-download-minimal@client --build-dir build/main"]),
    "report": ([
        (EXIT_OK, "every case as expected (after the baseline)"),
        (EXIT_UNEXPECTED, "an unexpected result"),
        (EXIT_HARNESS, "unreadable results, several files without --merge, no case in the results, "
                       "a bad baseline"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} report --merge shard1/results.json shard2/results.json --out reports/out"]),
    "mutation": ([
        (EXIT_OK, "every fault killed (by every case its caught_by names), no ERROR, the conforming peers "
                  "all PASS"),
        (EXIT_UNEXPECTED, "a fault alive or missed by a caught_by case, an ERROR, or a conforming-peer run "
                          "that is not PASS"),
        (EXIT_HARNESS, "a bad fault catalogue, an unknown --fault, lint problems, a bad build directory"),
        (EXIT_INTERRUPTED, "interrupted"),
    ], [f"{_PY} mutation --build-dir build/main -j 2",
        f"{_PY} mutation --build-dir build/main --expected-only --no-conforming"]),
}


def epilog(command: str | None = None) -> str:
    """The `--help` epilog of `command` (None: the summary of the top-level parser)."""
    if command is None:
        return ("exit codes: 0 all as expected; 1 something unexpected (a result, lint problems, a surviving "
                "fault);\n  2 the harness could not do its job (usage, configuration, an IUT that cannot be "
                "started); 3 interrupted.\n  Each subcommand's --help lists its own (README.md, Exit codes).")
    codes, examples = EXIT_CODES[command]
    lines = ["exit codes:"] + [f"  {code}  {meaning}" for code, meaning in codes]
    lines += ["", "examples:"] + [f"  {e}" for e in examples]
    return "\n".join(lines)
