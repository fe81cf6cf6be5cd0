"""The ``cxresearch`` command line (DESIGN §7).

Exit 0 on success; non-zero with one line per problem on stderr otherwise.
Machine output (JSON/CSV) goes to stdout, progress and warnings to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cxresearch.exceptions import CxResearchError, ValidationError

EPILOG = "See README.md and docs/data-contract.md for the data a folder must hold."


def _synth(args) -> int:
    from cxresearch.synth import synthesize

    try:
        truth = synthesize(
            Path(args.out_dir), seed=args.seed, units=args.units, customers=args.customers,
            interviews=args.interviews, ex_effect=args.ex_effect,
        )
    except OSError as err:  # a place that cannot be written (/proc/x, a folder under a file, no permission)
        raise CxResearchError(f"{args.out_dir}: cannot write the synthetic data folder ({_os_reason(err)}) — "
                              "expected a folder that can be created or replaced") from None
    print(f"wrote {args.out_dir} (seed {args.seed}): {args.units} units, {args.customers} customer responses, "
          f"{args.interviews} interviews; truth in {Path(args.out_dir) / 'truth.json'}", file=sys.stderr)
    if args.json:
        json.dump({"ex_effect": truth["ex_effect"]}, sys.stdout, indent=2, sort_keys=True)
        print()
    return 0


def _os_reason(err: OSError) -> str:
    """An OSError in words: ``Is a directory: /tmp`` rather than ``[Errno 21] Is a directory: '/tmp'``."""
    if err.strerror:
        return f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    return str(err) or type(err).__name__


def _journey(params_path: Path | None, explicit: bool = False):
    """The journey, the privacy threshold and the column map of a params file; ``explicit`` (named by
    ``--params``): the file must exist, else only an existing ``params_path`` is read."""
    from cxresearch.config import DEFAULT_JOURNEY, yaml_problem

    if params_path is not None and (explicit or params_path.exists()):
        import yaml

        expected = "expected a params YAML file"
        raw = _file_bytes(params_path, expected)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise CxResearchError(f"{params_path}: not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset "
                                  f"{err.start}) — {expected} saved as UTF-8") from None
        try:
            params = yaml.safe_load(text) or {}
        except yaml.YAMLError as err:
            raise CxResearchError(yaml_problem(str(params_path), err)) from None
        if not isinstance(params, dict):
            raise CxResearchError(f"{params_path}: {type(params).__name__} — expected a mapping (journey:, "
                                  "privacy:, data: …)")
        return (params.get("journey", DEFAULT_JOURNEY), (params.get("privacy") or {}).get("min_group_size", 5),
                (params.get("data") or {}).get("columns") or {})
    return DEFAULT_JOURNEY, 5, {}


def _validate(args) -> int:
    from cxresearch.io.validate import validate_data_dir

    journey, min_group, columns = _journey(Path(args.params) if args.params else Path("params.yaml"),
                                           explicit=bool(args.params))
    report = validate_data_dir(Path(args.data_dir), journey=journey, min_group_size=min_group, columns=columns)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    if report.problems:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"{len(report.problems)} problem(s) in {args.data_dir}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in report.counts.items())
    print(f"{args.data_dir}: valid ({counts})", file=sys.stderr)
    return 0


def _run(args) -> int:
    from cxresearch.pipeline import run_stage

    overrides = {}
    for item in args.set or []:
        if "=" not in item:
            raise CxResearchError(f"--set {item}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        import yaml

        overrides[name] = yaml.safe_load(value)
    run_stage(args.stage, overrides=overrides or None)
    return 0


def _code(args) -> int:
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.coding import code_path

    codebook = load_codebook(args.codebook)
    notes: list[str] = []
    coded = code_path(args.path, codebook, lang=args.lang, notes=notes)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    n_segments = coded["segment_id"].nunique()
    print(f"{n_segments} coded segment(s), {len(coded)} code(s) applied", file=sys.stderr)
    from cxresearch.qual.refi import format_codings

    sys.stdout.write(format_codings(coded, args.format, columns=list(coded.columns)))
    return 0


def _codings(args) -> int:
    from cxresearch.qual.refi import codings_listing

    codebook = None
    if args.codebook:
        from cxresearch.qual.codebook import load_codebook

        codebook = load_codebook(args.codebook)
    text, problems = codings_listing(args.file, fmt=args.format, codebook=codebook)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _read_reliability_table(path: Path, level: str = "nominal"):
    """The ``unit, coder, value`` table of a CSV file, decoded and delimited as the table readers do (UTF-8 with
    its BOM removed, else cp1252/latin-1; comma, semicolon or tab). Only an empty cell is missing: ``NA``,
    ``null``, ``None`` and ``N/A`` are category labels (for a ``level`` other than nominal, text that is not a
    number is a problem). Returns the table and a note when it was not UTF-8."""
    import csv
    import io

    import pandas as pd

    from cxresearch.io.readers import decode_text, _sniff_delimiter

    expected = "expected a CSV table unit,coder,value"
    raw = _file_bytes(path, expected, folder="expected a CSV file (a table unit,coder,value)")
    text, note = decode_text(raw, str(path))
    if not text.strip():
        raise CxResearchError(f"{path}: empty — {expected}")
    delimiter = _sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records = [(reader.line_num, rec) for rec in reader if rec]  # (line the record ends on, cells)
    except csv.Error as err:
        raise CxResearchError(f"{path}: cannot read ({err}) — {expected}") from None
    # a row wider or narrower than the header: pandas would make a column an index or pad the row silently
    width = len(records[0][1])
    ragged = [f"{path}:{line}: {len(rec)} cell(s) — expected {width}, as in the header"
              for line, rec in records if len(rec) != width]
    if ragged:
        raise ValidationError(ragged[:20] + ([f"{path}: {len(ragged) - 20} more row(s) of the wrong width"]
                                             if len(ragged) > 20 else []))
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype={"unit": str, "coder": str}, index_col=False,
                            keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise CxResearchError(f"{path}: cannot read ({reason}) — {expected}") from None
    if level != "nominal" and "value" in frame and not pd.api.types.is_numeric_dtype(frame["value"]):
        numbers = pd.to_numeric(frame["value"], errors="coerce")
        text_cells = frame["value"].notna() & numbers.isna()
        if text_cells.any():
            found = list(dict.fromkeys(frame.loc[text_cells, "value"]))
            shown = ", ".join(map(repr, found[:5])) + (" …" if len(found) > 5 else "")
            raise CxResearchError(f"{path}: value(s) {shown} — expected numbers for level {level} (leave a missing "
                                  "value's cell empty, or use --level nominal)")
    return frame, note


def _reliability(args) -> int:
    from cxresearch.qual.reliability import reliability_report

    path = Path(args.file)
    frame, note = _read_reliability_table(path, args.level)
    if note:
        print(f"note: {note}", file=sys.stderr)
    try:
        report = reliability_report(frame, level=args.level, n_boot=args.bootstrap, seed=args.seed)
    except ValueError as err:
        raise CxResearchError(f"{path}: {err}") from None
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


def build_parser() -> argparse.ArgumentParser:
    from cxresearch.config import STAGE_NOTEBOOKS

    parser = argparse.ArgumentParser(
        prog="cxresearch",
        description="Link employee experience, customer surveys and interviews per journey moment.",
        epilog=EPILOG,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("synth", help="write a synthetic data folder with known truth",
                       description="Write a complete synthetic data folder (customer and employee surveys, units, "
                                   "bilingual interviews, codebook, two coders' codings) and truth.json with the "
                                   "effects it planted. The same seed gives byte-identical files.")
    p.add_argument("out_dir", metavar="OUT_DIR", help="folder to write (created; a previous synth output is replaced)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--units", type=int, default=12, help="number of units/stores (default 12)")
    p.add_argument("--customers", type=int, default=7000, help="customer survey responses (default 7000)")
    p.add_argument("--interviews", type=int, default=24, help="interview transcripts (default 24)")
    p.add_argument("--ex-effect", type=float, default=0.6,
                   help="CSAT points per EX-index point at the strongest moment (default 0.6)")
    p.add_argument("--json", action="store_true", help="print the planted per-moment effects as JSON on stdout")
    p.set_defaults(func=_synth)

    p = sub.add_parser("validate", help="check every input of a data folder against its contract",
                       description="Check every table, transcript, codebook and coding file of DATA_DIR against "
                                   "its contract. Lists every problem as file:row:column: value — expected …; "
                                   "exits 1 if there is any.")
    p.add_argument("data_dir", metavar="DATA_DIR", help="the data folder")
    p.add_argument("--params", default=None, help="params.yaml giving the journey (default ./params.yaml if present)")
    p.add_argument("--json", action="store_true", help="print the validation report as JSON on stdout")
    p.set_defaults(func=_validate)

    p = sub.add_parser("code", help="auto-code a transcript, a text file or a folder of them",
                       description="Code PATH with the codebook's cues (Finnish and English; negation flips valence) "
                                   "and print one row per segment × code with the cue that fired. A file with YAML "
                                   "front matter is a transcript (respondent turns are the segments); any other file "
                                   "is plain text (paragraphs are the segments); '-' reads standard input (a "
                                   "transcript or plain text). Text that is not UTF-8 is read as cp1252 or latin-1, "
                                   "with a note.")
    p.add_argument("path", metavar="PATH", help="transcript (.md/.txt), plain-text file, folder, or - for stdin")
    p.add_argument("--codebook", default=None, metavar="FILE", help="codebook YAML (default: the built-in codebook)")
    p.add_argument("--lang", choices=["fi", "en", "auto"], default="auto",
                   help="language of the text (default auto: detected per segment)")
    p.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default json)")
    p.set_defaults(func=_code)

    p = sub.add_parser("codings", help="list the human codings of a CSV or REFI-QDA file",
                       description="Read codings from our CSV (interview_id,turn,start,end,code,valence,coder) or a "
                                   "REFI-QDA project (.qdpx, or a bare project.qde) as NVivo, ATLAS.ti, MAXQDA and "
                                   "QualCoder write it, and print one row per coding: source, start, end (character "
                                   "offsets), code (its full path in the code hierarchy), coder. Missing source "
                                   "texts and references that point nowhere are reported on stderr, not fatal.")
    p.add_argument("file", metavar="FILE", help="codings .csv, .qdpx or .qde")
    p.add_argument("--format", choices=["json", "csv"], default="json", help="output format (default json)")
    p.add_argument("--codebook", default=None, metavar="FILE",
                   help="codebook YAML, to give CSV codes their theme/code path")
    p.set_defaults(func=_codings)

    p = sub.add_parser("reliability", help="Krippendorff's alpha (and Cohen's kappa for two coders) of a coding table",
                       description="Read a long CSV table unit,coder,value (one value per unit and coder; missing "
                                   "allowed) and print JSON: alpha with a 95% bootstrap interval over units, level, "
                                   "n_units (pairable), n_coders, and cohen_kappa (weighted linear for ordinal, "
                                   "quadratic for interval/ratio) when there are exactly two coders. Only an empty "
                                   "cell is missing: NA, null, None and N/A are category labels like any other. "
                                   "The file may be UTF-8 (with or without a BOM), cp1252 or latin-1, delimited by "
                                   "commas, semicolons or tabs.")
    p.add_argument("file", metavar="CODINGS", help="CSV with columns unit, coder, value")
    p.add_argument("--level", choices=["nominal", "ordinal", "interval", "ratio"], default="nominal",
                   help="level of measurement (default nominal)")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    p.set_defaults(func=_reliability)

    p = sub.add_parser("run", help="run one pipeline stage (what dvc.yaml calls)",
                       description="Execute a stage notebook with papermill using its params.yaml sections, "
                                   "then render it to reports/<stage>.html.")
    p.add_argument("stage", metavar="STAGE", choices=list(STAGE_NOTEBOOKS),
                   help="one of: " + ", ".join(STAGE_NOTEBOOKS))
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="override one notebook parameter for this run (repeatable)")
    p.set_defaults(func=_run)
    return parser


def _file_bytes(path: Path, expected: str, folder: str | None = None) -> bytes:
    """The bytes of the file a user named; a folder, a missing file or an unreadable one is a one-line
    ``CxResearchError`` ending in ``expected`` (``folder`` for a folder, when given)."""
    if path.is_dir():
        raise CxResearchError(f"{path}: is a folder — {folder or expected}")
    if not path.exists():
        raise CxResearchError(f"{path}: not found — {expected}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise CxResearchError(f"{path}: cannot be read ({err.strerror or err}) — {expected}") from None


def _missing_package(err: ModuleNotFoundError) -> int:
    """One line on stderr for a dependency this Python lacks (typically ``python -m cxresearch``, a dvc.yaml
    stage command, run by a Python other than the project's); exit status 1."""
    if (err.name or "").partition(".")[0] in ("", "cxresearch"):
        raise err
    print(f"error: cxresearch needs the package '{err.name}', which this Python ({sys.executable}) does not have; "
          "run it in the project's environment: `make setup`, then `source .venv/bin/activate`", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ModuleNotFoundError as err:
        return _missing_package(err)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ValidationError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    except CxResearchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as err:
        return _missing_package(err)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`cxresearch code … | head`): stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as err:  # the last line of defence: a file problem no command reported itself
        what = f"{err.filename}: {err.strerror}" if err.filename and err.strerror else _os_reason(err)
        print(f"error: {' '.join(what.split())}", file=sys.stderr)
        return 1
    except UnicodeError as err:
        print(f"error: {' '.join(str(err).split()) or type(err).__name__}", file=sys.stderr)
        return 1
