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
        problems.append(f"{fname}:2:front matter: not valid YAML ({str(err).splitlines()[0]})")
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


def read_transcript(path: str | Path) -> tuple[dict, str, pd.DataFrame]:
    """Read one transcript: ``(front matter, body, turns)``; raises ``TranscriptError`` with every problem."""
    meta, body, rows = _read_transcript_rows(path)
    return meta, body, pd.DataFrame(rows, columns=TURN_COLUMNS)


def _read_transcript_rows(path: str | Path) -> tuple[dict, str, list[dict]]:
    path = Path(path)
    problems: list[str] = []
    meta, body, first_line = _split_front_matter(path.read_text(encoding="utf-8"), path.name, problems)
    rows: list[dict] = []
    if meta is not None:
        for key in REQUIRED:
            if meta.get(key) in (None, ""):
                problems.append(f"{path.name}:1:{key}: missing — expected {key} in the front matter")
        if meta.get("role") not in (None, "") and meta.get("role") not in ROLES:
            problems.append(f"{path.name}:1:role: '{meta.get('role')}' — expected one of {', '.join(ROLES)}")
        if meta.get("lang") not in (None, "") and meta.get("lang") not in ("fi", "en"):
            problems.append(f"{path.name}:1:lang: '{meta.get('lang')}' — expected fi or en")
        rows = _turns(str(meta.get("id") or path.stem), meta, body, first_line, path.name, problems)
    if problems:
        raise TranscriptError(problems)
    return meta, body, rows


def read_interviews(folder: str | Path) -> pd.DataFrame:
    """All turns of all ``*.md``/``*.txt`` transcripts in ``folder`` (sorted by file name).

    Raises ``TranscriptError`` listing every problem in every file, including
    duplicate interview ids.
    """
    return read_interview_folder(folder)[0]


def read_interview_folder(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`read_interviews`' turns, and ``interview_id, lang, body`` per transcript (the text after the front
    matter, which turn spans point into), from one reading of the files."""
    folder = Path(folder)
    problems: list[str] = []
    frames, bodies, seen = [], [], {}
    for path in sorted([*folder.glob("*.md"), *folder.glob("*.txt")]):
        try:
            meta, body, turns = _read_transcript_rows(path)
        except TranscriptError as err:
            problems.extend(f"interviews/{p}" for p in err.problems)
            continue
        iid = str(meta["id"])
        if iid in seen:
            problems.append(f"interviews/{path.name}:1:id: '{iid}' — expected a unique id (also in {seen[iid]})")
        seen[iid] = path.name
        frames.extend(turns)
        bodies.append({"interview_id": iid, "lang": str(meta.get("lang")), "body": body})
    if problems:
        raise TranscriptError(problems)
    body_table = pd.DataFrame(bodies, columns=BODY_COLUMNS)
    if not frames:
        return pd.DataFrame(columns=TURN_COLUMNS), body_table
    out = pd.DataFrame(frames, columns=TURN_COLUMNS)
    return out.astype({"turn": "int64", "start": "int64", "end": "int64", "is_interviewer": "bool"}), body_table
