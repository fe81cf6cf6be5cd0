"""Interview transcripts: YAML front matter and ``Speaker: text`` turns.

See ``docs/data-contract.md``. A turn is the unit of coding (a *segment*);
its ``start``/``end`` are character offsets into the body (the text after the
front matter) covering the words after ``Speaker: ``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from cxresearch.config import YAML_LOADER
from cxresearch.exceptions import TranscriptError

REQUIRED = ("id", "role", "unit_id", "lang", "date")
ROLES = ("customer", "employee")
INTERVIEWER_LABELS = {"interviewer", "haastattelija", "moderator", "fasilitaattori", "i", "h", "q"}
_TURN = re.compile(r"^(?P<speaker>[^:\n]{1,40}):[ \t]*(?P<text>\S.*)$")
BODY_COLUMNS = ["interview_id", "lang", "body"]
TURN_COLUMNS = ["interview_id", "turn", "speaker", "is_interviewer", "role", "unit_id", "lang", "date",
                "start", "end", "text"]


def _split_front_matter(raw: str, fname: str, problems: list[str]) -> tuple[dict | None, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    text = raw.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(f"{fname}:1:front matter: missing — expected the file to start with a '---' line")
        return None, "", 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        problems.append(f"{fname}:1:front matter: not closed — expected a second '---' line")
        return None, "", 1
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as err:
        # where the construct that failed began (an unclosed bracket's line), else where the parser stopped
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)  # the front matter starts on the file's line 2
        what = getattr(err, "problem", None) or str(err).splitlines()[0]
        problems.append(f"{fname}:{line}:front matter: not valid YAML ({what})")
        return None, "", end + 2
    if not isinstance(meta, dict):
        problems.append(f"{fname}:2:front matter: {meta!r} — expected key: value lines")
        return None, "", end + 2
    return meta, "\n".join(lines[end + 1:]), end + 2


def _turns(iid: str, meta: dict, body: str, first_line: int, fname: str, problems: list[str]) -> list[dict]:
    speakers = meta.get("speakers")
    allowed = [str(s) for s in speakers] if isinstance(speakers, list) else None
    rows, offset = [], 0
    for k, line in enumerate(body.split("\n")):
        line_no = first_line + k
        if line.strip():
            match = _TURN.match(line)
            if not match:
                problems.append(f"{fname}:{line_no}:turn: {line[:40]!r} — expected 'Speaker: text'")
            else:
                speaker = match.group("speaker").strip()
                if allowed is not None and speaker not in allowed:
                    problems.append(f"{fname}:{line_no}:speaker: '{speaker}' — expected one of {', '.join(allowed)}")
                start = offset + match.start("text")
                text = match.group("text").rstrip()
                is_interviewer = speaker.lower() in INTERVIEWER_LABELS or (
                    allowed is not None and len(allowed) > 1 and speaker == allowed[0]
                )
                rows.append({"interview_id": iid, "turn": len(rows), "speaker": speaker,
                             "is_interviewer": bool(is_interviewer), "role": meta.get("role"),
                             "unit_id": str(meta.get("unit_id")), "lang": meta.get("lang"),
                             "date": str(meta.get("date")), "start": start, "end": start + len(text), "text": text})
        offset += len(line) + 1
    if not rows:
        problems.append(f"{fname}:{first_line}:body: empty — expected at least one 'Speaker: text' turn")
    return rows


def _is_date(value) -> bool:
    """A real calendar date: a YAML date, or text YYYY-MM-DD or D.M.YYYY (31.13.2026 and 2026-02-30 are not)."""
    import datetime as dt

    if isinstance(value, dt.date):
        return True
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if not m:
        return False
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if "-" in text else (m.group(3), m.group(2), m.group(1))
    try:
        dt.date(int(y), int(mo), int(d))
    except ValueError:
        return False
    return True


def read_transcript(path: str | Path) -> tuple[dict, str, pd.DataFrame]:
    """Read one transcript: ``(front matter, body, turns)``; raises ``TranscriptError`` with every problem."""
    meta, body, rows = _read_transcript_rows(path)
    return meta, body, pd.DataFrame(rows, columns=TURN_COLUMNS)


def _read_transcript_rows(path: str | Path, name: str | None = None,
                          notes: list[str] | None = None) -> tuple[dict, str, list[dict]]:
    """Read and parse one transcript file; ``name`` is how messages name it (default: the file name). The text is
    UTF-8 (a byte-order mark removed), else UTF-16 with a BOM, cp1252 or latin-1 as the table readers decide; a
    note in ``notes`` says when it was not UTF-8."""
    from cxresearch.io.readers import decode_text

    path = Path(path)
    name = name or path.name
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise TranscriptError([f"{name}:0:file: cannot be read ({err.strerror or err}) — expected a text file"]) from None
    text, note = decode_text(raw, name)
    if note and notes is not None:
        notes.append(note)
    return parse_transcript(text, name)


def parse_transcript(text: str, name: str) -> tuple[dict, str, list[dict]]:
    """Parse a transcript's text (front matter + ``Speaker: text`` turns): ``(front matter, body, turn rows)``;
    raises ``TranscriptError`` with every problem, each naming ``name``."""
    fname = name
    problems: list[str] = []
    meta, body, first_line = _split_front_matter(text, fname, problems)
    rows: list[dict] = []
    if meta is not None:
        for key in REQUIRED:
            if meta.get(key) in (None, ""):
                problems.append(f"{fname}:1:{key}: missing — expected {key} in the front matter")
        if meta.get("role") not in (None, "") and meta.get("role") not in ROLES:
            problems.append(f"{fname}:1:role: '{meta.get('role')}' — expected one of {', '.join(ROLES)}")
        if meta.get("lang") not in (None, "") and meta.get("lang") not in ("fi", "en"):
            problems.append(f"{fname}:1:lang: '{meta.get('lang')}' — expected fi or en")
        if meta.get("date") not in (None, "") and not _is_date(meta["date"]):
            problems.append(f"{fname}:1:date: '{meta['date']}' — expected a date YYYY-MM-DD or D.M.YYYY")
        rows = _turns(str(meta.get("id") or Path(fname).stem), meta, body, first_line, fname, problems)
    if problems:
        raise TranscriptError(problems)
    return meta, body, rows


def read_interviews(folder: str | Path) -> pd.DataFrame:
    """All turns of all ``.md``/``.txt`` transcripts under ``folder`` (:func:`transcript_files`).

    Raises ``TranscriptError`` listing every problem in every file, including
    duplicate interview ids.
    """
    return read_interview_folder(folder)[0]


def transcript_files(folder: str | Path) -> list[Path]:
    """The transcripts under ``folder``, sub-folders included (``wave2/int_031.md``): files ending ``.md`` or
    ``.txt`` in any case, hidden files and folders (``.ipynb_checkpoints``) left out, sorted by relative path."""
    folder = Path(folder)
    out = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if path.is_file() and path.suffix.lower() in (".md", ".txt") and not any(
                part.startswith(".") for part in rel.parts):
            out.append(path)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def read_interview_folder(folder: str | Path, notes: list[str] | None = None,
                          files: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`read_interviews`' turns, and ``interview_id, lang, body`` per transcript (the text after the front
    matter, which turn spans point into), from one reading of the files (:func:`transcript_files`); ``notes``
    gets a line for each transcript not in UTF-8; ``files`` gets each interview id's path under ``folder``."""
    folder = Path(folder)
    problems: list[str] = []
    frames, bodies, seen = [], [], {}
    for path in transcript_files(folder):
        rel = path.relative_to(folder).as_posix()
        try:
            meta, body, turns = _read_transcript_rows(path, rel, notes)
        except TranscriptError as err:
            problems.extend(f"interviews/{p}" for p in err.problems)
            continue
        iid = str(meta["id"])
        if iid in seen:
            problems.append(f"interviews/{rel}:1:id: '{iid}' — expected a unique id (also in {seen[iid]})")
        seen[iid] = rel
        if files is not None:
            files[iid] = rel
        frames.extend(turns)
        bodies.append({"interview_id": iid, "lang": str(meta.get("lang")), "body": body})
    body_table = pd.DataFrame(bodies, columns=BODY_COLUMNS)
    if not frames:
        out = pd.DataFrame(columns=TURN_COLUMNS)
    else:
        out = pd.DataFrame(frames, columns=TURN_COLUMNS).astype(
            {"turn": "int64", "start": "int64", "end": "int64", "is_interviewer": "bool"})
    if problems:
        err = TranscriptError(problems)
        err.turns = out  # the transcripts that did read, so that a caller can go on checking them
        raise err
    return out, body_table
