"""Command line: python -m omadm_harness {run,list,requirements,lint,adapter-check,replay,report,mutation}.

Exit codes: 0 all as expected; 1 an unexpected result (or lint findings); 2 the harness could not
do its job (bad configuration, IUT did not start, no case selected); 3 interrupted. Each
subcommand's --help lists its own (exitcodes.py, README.md "Exit codes").
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

from . import __version__, paths
from .adapter import AdapterError, AdapterSpec
from .baseline import EMPTY, Baseline, BaselineError
from .catalogue import Catalogue, CatalogueError
from .console import Painter, closing_lines, use_colour
from .diff import diff_runs, format_diff
from .exitcodes import epilog
from .lint import discover, load_and_lint
from .moprofile import MoProfile, ProfileError
from .process import stop_all
from .report import write_reports
from .results import EXIT_HARNESS, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED, RunResult, merge, new_run_id
from .runner import DEFAULT_CASE_TIMEOUT_S, START_FAILURE, Progress, expand_roles, run_items, select
from .shard import parse_shard, select_shard
from .topology import ConfigError, ProcessTopology, load_build_info


class UsageError(Exception):
    pass


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cases", type=Path, action="append", default=[],
                   help="case directory or file, repeatable: your own cases beside the stock suite "
                        "(default testcases/cases)")
    p.add_argument("--requirements", type=Path, default=None, help="requirement catalogue")
    p.add_argument("--source-dir", type=Path, default=None,
                   help="checkout holding testcases/ and harness/adapters/ (default $OMADM_SOURCE_DIR, else found)")


def _selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--iut", choices=("client", "server", "both"), default=None,
                   help="which role the IUT plays (default: the adapter's role, or both for the reference peers)")
    p.add_argument("--adapter", type=Path, action="append", default=[], help="IUT adapter file (repeatable)")
    p.add_argument("-l", "--label", action="append", default=[], help="select cases citing this label")
    p.add_argument("--id", dest="prefixes", action="append", default=[], help="select cases whose id starts so")
    p.add_argument("-k", dest="keyword", default=None, help="select cases whose id or title contains this")
    p.add_argument("--shard", default=None, help="run shard i of n (i/n)")
    _mo_profile(p)


def _mo_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mo-profile", type=Path, default=None,
                   help="the device's MgmtPolicy MO layout (docs/mo-profiles.md; default "
                        "testcases/profiles/reference.json), given to both reference peers")


def _profile(args) -> MoProfile | None:
    """The --mo-profile of a command, loaded (a bad file is a usage error)."""
    return MoProfile.load(args.mo_profile) if getattr(args, "mo_profile", None) else None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omadm_harness", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="play the selected cases against the IUT and write reports")
    _common(run)
    _selection(run)
    run.add_argument("--build-dir", type=Path, default=None, help="build directory holding harness.json")
    run.add_argument("-j", "--jobs", type=int, default=1, help="cases in parallel")
    run.add_argument("--timeout", type=float, default=DEFAULT_CASE_TIMEOUT_S, help="per-case timeout (s)")
    run.add_argument("--baseline", type=Path, default=None, help="expected-failure baseline (YAML)")
    run.add_argument("--diff", type=Path, default=None, help="previous results.json to compare with")
    run.add_argument("--out", type=Path, default=None, help="report root (default reports/out)")
    run.add_argument("--run-id", default=None)
    run.add_argument("-q", "--quiet", action="store_true")
    run.add_argument("--keep-work", action="store_true",
                     help="keep the processes' work directories (state, events, wire traces) after the run")
    ls = sub.add_parser("list", help="list the selected cases")
    _common(ls)
    _selection(ls)
    reqs = sub.add_parser("requirements", help="list the requirement labels with their strength and cases")
    _common(reqs)
    lint = sub.add_parser("lint", help="lint the case files")
    _common(lint)
    replay = sub.add_parser("replay", help="re-run one case (id or id@role) and print its transcript")
    _common(replay)
    replay.add_argument("case")
    replay.add_argument("--adapter", type=Path, action="append", default=[])
    replay.add_argument("--build-dir", type=Path, default=None)
    replay.add_argument("--timeout", type=float, default=DEFAULT_CASE_TIMEOUT_S)
    _mo_profile(replay)
    rep = sub.add_parser("report", help="re-render or merge results.json files into reports")
    _common(rep)
    rep.add_argument("results", nargs="+", type=Path)
    rep.add_argument("--merge", action="store_true", help="merge shard results (required for several files)")
    rep.add_argument("--baseline", type=Path, default=None)
    rep.add_argument("--diff", type=Path, default=None)
    rep.add_argument("--out", type=Path, default=None)
    mut = sub.add_parser("mutation", help="play the suite against every fault of the reference peers; kill matrix")
    _common(mut)
    mut.add_argument("--build-dir", type=Path, default=None, help="build directory holding harness.json")
    mut.add_argument("-j", "--jobs", type=int, default=1, help="cases in parallel")
    mut.add_argument("--timeout", type=float, default=DEFAULT_CASE_TIMEOUT_S, help="per-case timeout (s)")
    mut.add_argument("--faults", type=Path, default=None, help="fault catalogue directory (default testcases/faults)")
    mut.add_argument("--fault", action="append", default=[], help="only this fault, ROLE/ID or ID (repeatable)")
    mut.add_argument("--no-conforming", action="store_true", help="skip the run against the conforming peers")
    mut.add_argument("--expected-only", action="store_true",
                     help="play each fault against its caught_by cases only (a quick check of the catalogue)")
    mut.add_argument("--out", type=Path, default=None, help="where mutation.json and mutation.md go")
    _mo_profile(mut)
    chk = sub.add_parser("adapter-check", help="validate adapter files against the adapter schema "
                                                "(harness/omadm_harness/schemas/adapter.schema.json)")
    chk.add_argument("files", nargs="+", type=Path, metavar="FILE", help="adapter file (YAML)")
    chk.add_argument("--probe", action="store_true",
                     help="also start each IUT once with the reference peer and report what it can do: one DM "
                          "session with two Gets, the MgmtPolicy MO, the observation operations")
    chk.add_argument("--build-dir", type=Path, default=None, help="build directory holding harness.json (--probe)")
    _mo_profile(chk)
    chk.set_defaults(source_dir=None)
    # Every --help ends with the command's exit codes and examples (exitcodes.py).
    parser.formatter_class, parser.epilog = argparse.RawDescriptionHelpFormatter, epilog()
    for name, p in sub.choices.items():
        p.formatter_class, p.epilog = argparse.RawDescriptionHelpFormatter, epilog(name)
    return parser


def _interrupt(signum, _frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    paths.set_source_root(args.source_dir)
    # SIGTERM (a CI cancel, timeout) ends a run as SIGINT does: partial reports, exit 3, no orphan.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        stop_all()
        return EXIT_INTERRUPTED
    except (UsageError, ConfigError, AdapterError, BaselineError, CatalogueError, ProfileError, OSError,
            ValueError) as e:
        print(f"omadm_harness: {e}", file=sys.stderr)
        return EXIT_HARNESS


def _load(args):
    catalogue = Catalogue.load(args.requirements)
    files = [f for root in (args.cases or [paths.cases_dir()]) for f in discover(root)]
    cases, issues = load_and_lint(files, catalogue)
    return catalogue, cases, issues


def _load_clean(args):
    """_load for the commands that play cases: a lint problem is printed and stops the command."""
    catalogue, cases, issues = _load(args)
    if issues:
        for issue in issues:
            print(issue, file=sys.stderr)
        raise UsageError(f"{len(issues)} lint problem(s) in the cases; run 'lint'")
    return catalogue, cases


def static_labels(cases) -> dict[str, list[str]]:
    return {c.id: c.all_labels() for c in cases}


def _iut_specs(args) -> dict[str, AdapterSpec]:
    specs = {}
    for path in args.adapter:
        spec = AdapterSpec.load(path)
        specs[spec.role] = spec
    for role, file in (("server", "ref-server.yaml"), ("client", "ref-client.yaml")):
        specs.setdefault(role, AdapterSpec.load(paths.adapters_dir() / file))
    return specs


def _default_iut(args) -> str:
    if getattr(args, "iut", None):
        return args.iut
    roles = {AdapterSpec.load(p).role for p in args.adapter}
    return roles.pop() if len(roles) == 1 else "both"


def _labels(catalogue, labels: list[str]) -> list[str]:
    """The selected labels as the catalogue spells them, matched without regard to case or the
    `MgmtPolicyMO-` prefix (`-l athen-1`); an unknown one is a usage error, not "no case selected"."""
    by_key = {r.id.lower(): r.id for r in catalogue}
    by_key.update({r.id.lower().removeprefix("mgmtpolicymo-"): r.id for r in catalogue})
    out, unknown = [], []
    for label in labels:
        key = "".join(str(label).split()).lower()
        (out.append(by_key[key]) if key in by_key else unknown.append(label))
    if unknown:
        raise UsageError(f"unknown requirement label(s): {', '.join(unknown)} (see testcases/requirements.yaml)")
    return out


def _prefixes(prefixes: list[str]) -> list[str]:
    """Case id prefixes; one without the `MgmtPolicyMO-` prefix (`--id ATHEN`) gets it."""
    return [p if p.startswith("MgmtPolicyMO-") else f"MgmtPolicyMO-{p}" for p in prefixes]


def _selected(args, cases, catalogue):
    items = select(expand_roles(cases, _default_iut(args)), _labels(catalogue, args.label),
                   _prefixes(args.prefixes), args.keyword)
    if args.shard:
        i, n = parse_shard(args.shard)
        items = select_shard(items, i, n, key=lambda it: it.key)
    return items


def cmd_lint(args) -> int:
    catalogue, cases, issues = _load(args)
    for issue in issues:
        print(issue)
    print(f"lint: {len(cases)} case(s) clean, {len(issues)} problem(s)", file=sys.stderr)
    return EXIT_UNEXPECTED if issues else EXIT_OK


def cmd_requirements(args) -> int:
    catalogue, cases, _ = _load(args)
    for r in catalogue:
        citing = sorted(c.id for c in cases if r.id in c.all_labels())
        print(f"{r.id}\t{r.strength}\t{r.role}\t{len(citing)} case(s)\t{' '.join(r.text.split())}")
    return EXIT_OK


def cmd_list(args) -> int:
    catalogue, cases, issues = _load(args)
    if issues:
        for issue in issues:
            print(issue, file=sys.stderr)
        return EXIT_HARNESS
    items = _selected(args, cases, catalogue)
    for it in items:
        print(f"{it.key}\t{','.join(it.case.requirements)}\t{it.case.title}")
    if not items:
        print("no case selected", file=sys.stderr)
        return EXIT_HARNESS
    return EXIT_OK


def cmd_run(args) -> int:
    if args.jobs < 1:
        raise UsageError("-j must be at least 1")
    catalogue, cases = _load_clean(args)
    items = _selected(args, cases, catalogue)
    if not items:
        raise UsageError("no case selected")
    baseline = Baseline.load(args.baseline) if args.baseline else EMPTY
    if args.diff and not args.diff.is_file():
        raise UsageError(f"--diff {args.diff}: no such results file")
    specs = _iut_specs(args)
    topology = ProcessTopology(specs, load_build_info(args.build_dir), mo_profile=_profile(args))
    try:  # once before the first case: an IUT that cannot start or be reached is exit 2, not ERROR in each
        topology.probe(sorted({i.role for i in items}))
    except BaseException:
        topology.close()
        raise
    run = RunResult(run_id=args.run_id or new_run_id())
    run.meta.update({
        "iut": _default_iut(args),
        "adapter": ", ".join(f"{r}={s.name}" for r, s in sorted(specs.items())),
        "features": {r: sorted(s.features) for r, s in specs.items()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "shard": args.shard,
        "mo_profile": topology.mo_profile.name if topology.mo_profile else "reference",
        "mo_location": topology.mo_location or topology.mo_missing,
        "selection": {"labels": args.label, "prefixes": args.prefixes, "keyword": args.keyword},
        "catalogue": catalogue.document,
    })
    try:
        run = run_items(items, topology, catalogue, jobs=args.jobs, case_timeout_s=args.timeout,
                        progress=Progress(len(items), quiet=args.quiet, baseline=baseline), run=run)
    finally:
        if args.keep_work:
            print(f"work directories kept in {topology.workroot}", file=sys.stderr)
        else:
            topology.close()
    if run.interrupted:
        stopped = stop_all()
        print(f"interrupted: {len(run.cases)} of {len(items)} case(s) done, {stopped} process(es) stopped",
              file=sys.stderr)
    run.meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return _finish(run, catalogue, cases, baseline, args.diff, args.out)


def _finish(run: RunResult, catalogue, cases, baseline, diff_path, out_root) -> int:
    run.apply_baseline(baseline)
    if diff_path:
        run.diff = diff_runs(RunResult.load(diff_path), run)
        print(format_diff(run.diff), file=sys.stderr)
    out_dir = write_reports(run, Path(out_root or paths.reports_dir()) / run.run_id, catalogue, static_labels(cases))
    painter = Painter(use_colour(sys.stderr))
    for line in closing_lines(run, out_dir, painter):
        print(line, file=sys.stderr)
    return run.exit_code()


def cmd_report(args) -> int:
    catalogue, cases, _ = _load(args)
    if len(args.results) > 1 and not args.merge:
        raise UsageError("several results files need --merge")
    runs = [RunResult.load(p) for p in args.results]
    run = merge(runs) if args.merge else runs[0]
    if not run.cases:
        raise UsageError("no case in the results")
    baseline = Baseline.load(args.baseline) if args.baseline else EMPTY
    return _finish(run, catalogue, cases, baseline, args.diff, args.out)


def cmd_replay(args) -> int:
    catalogue, cases, issues = _load(args)
    case_id, _, role = args.case.partition("@")
    found = [c for c in cases if c.id == case_id]
    if not found:
        raise UsageError(f"no case {case_id!r}")
    roles = [role] if role else found[0].roles()
    from .runner import Item, run_one

    topology = ProcessTopology(_iut_specs(args), load_build_info(args.build_dir), mo_profile=_profile(args))
    topology.check_commands(roles)
    worst_code = EXIT_OK
    try:
        for r in roles:
            res = run_one(Item(found[0], r), topology, catalogue, args.timeout)
            print(json.dumps(res.to_json(), indent=2))
            judged = EMPTY.judge(res)
            code = EXIT_HARNESS if res.reason.startswith(START_FAILURE) else (
                EXIT_UNEXPECTED if judged.unexpected else EXIT_OK)
            worst_code = max(worst_code, code)
    finally:
        topology.close()
    return worst_code


def cmd_adapter_check(args) -> int:
    """Validate each file as `run --adapter` would load it: OK, or one line per problem. With
    --probe, each valid one is then started with the reference peer (capabilities.py)."""
    bad, mismatched = 0, 0
    for path in args.files:
        try:
            spec = AdapterSpec.load(path)
        except AdapterError as e:
            bad += 1
            print("\n".join(e.problems))
            continue
        print(f"{path}: OK")
        if args.probe:
            found = _probe_adapter(spec, args.build_dir, _profile(args))
            if found is None:
                bad += 1
            else:
                mismatched += any(f.ok is False for f in found)
    if bad:
        print(f"adapter-check: {bad} of {len(args.files)} file(s) invalid or not started", file=sys.stderr)
    if mismatched:
        print(f"adapter-check: {mismatched} IUT(s) do not do what their adapter declares", file=sys.stderr)
    return EXIT_HARNESS if bad else EXIT_UNEXPECTED if mismatched else EXIT_OK


def _probe_adapter(spec: AdapterSpec, build_dir: Path | None, mo_profile: MoProfile | None):
    """The capability findings of one IUT, printed; None when it cannot be started."""
    from .capabilities import probe

    topology = ProcessTopology({spec.role: spec}, load_build_info(build_dir), mo_profile=mo_profile)
    try:
        topology.probe([spec.role])
        device_features = spec.features if spec.role == "client" else topology.reference["client"].features
        with topology.open(f"capabilities-{spec.role}", spec.role) as pair:
            found = probe(pair, spec.role, device_features, mo_location=topology.mo_location or topology.mo_missing)
    except ConfigError as e:
        print(f"  {e}")
        return None
    finally:
        topology.close()
    for f in found:
        print(f.line())
    return found


def cmd_mutation(args) -> int:
    from .mutation import FaultCatalogueError, load_faults, run_mutation, write_mutation_reports

    catalogue, cases = _load_clean(args)
    if args.jobs < 1:
        raise UsageError("-j must be at least 1")
    try:
        faults = load_faults(args.faults, catalogue)
    except FaultCatalogueError as e:
        raise UsageError(str(e)) from e
    if args.fault:
        wanted = set(args.fault)
        unknown = wanted - {f.key for f in faults} - {f.id for f in faults}
        if unknown:
            raise UsageError(f"unknown fault(s): {', '.join(sorted(unknown))}")
        faults = [f for f in faults if f.key in wanted or f.id in wanted]
    build_info, profile = load_build_info(args.build_dir), _profile(args)
    result = run_mutation(cases, catalogue, faults, lambda specs: ProcessTopology(specs, build_info, mo_profile=profile),
                          jobs=args.jobs,
                          case_timeout_s=args.timeout, conforming=not args.no_conforming,
                          expected_only=args.expected_only)
    if args.out:
        write_mutation_reports(result, args.out)
    if any(f.role == "server" for f in faults):
        print(f"server-mode runs that FAILed a faulty server: {result.server_runs_failing} of {result.server_runs}")
    print(result.last_line())
    return EXIT_OK if result.ok() else EXIT_UNEXPECTED


_COMMANDS = {"run": cmd_run, "list": cmd_list, "lint": cmd_lint, "report": cmd_report, "replay": cmd_replay,
             "requirements": cmd_requirements,
             "mutation": cmd_mutation, "adapter-check": cmd_adapter_check}
