"""REFI-QDA import and export (``cxresearch.qual.refi``).

Where the expected values come from:

* the real files in ``tests/fixtures/refi_qda`` (sources in its README): the
  NVivo 12.6 ``project.qde`` and the ATLAS.ti 23.4 ``.qdc``. Each count is taken
  in the test itself, independently of the reader — a regular expression over
  the raw XML or a plain ElementTree walk — and the README's description
  (3 users, coders renamed ``coder_a``/``coder_b``, source texts missing) is
  checked as well. The README's "304 codings" does not match the file: it holds
  330 ``<Coding>`` elements (303 from NVivo, 27 added later by ``test_user``),
  and the tests assert what the file holds;
* the standard's XSDs in the same folder, applied with xmlschema directly;
* the bundled example (``data/example``): transcripts read with
  ``cxresearch.qual.transcripts`` and the human codings in ``codings.csv``,
  whose spans are the turns' spans — so an exported and re-imported selection
  must cut exactly the turn's text out of the body;
* small documents written inline, for the conventions (UTF-16 positions of
  NVivo, ``\\r\\n`` of ATLAS.ti) and for broken input.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xmlschema
import yaml

from cxresearch.exceptions import ValidationError
from cxresearch.qual.refi import (CODING_COLUMNS, PROJECT_NS, PROJECT_XSD, build_qde,
                                  codings_listing, read_codebook_qdc, read_codings, read_project, validate_qde,
                                  write_qdpx)
from cxresearch.qual.transcripts import read_interviews, read_transcript

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "refi_qda"  # copied from ../shared/fixtures; sources in its README
NVIVO = FIXTURES / "nvivo_12.6_project.qde"
ATLAS = FIXTURES / "atlasti_win_23.4.0_codebook.qdc"
EXAMPLE = ROOT / "data" / "example"
NS = {"q": PROJECT_NS}


# --------------------------------------------------------------------------- NVivo 12.6 project


@pytest.fixture(scope="module")
def nvivo():
    return read_project(NVIVO)


@pytest.fixture(scope="module")
def nvivo_raw() -> str:
    return NVIVO.read_text(encoding="utf-8")


def test_nvivo_counts_match_the_xml(nvivo, nvivo_raw):
    """Codes, users, sources and codings: as many as the file's elements, counted by regex over the raw XML.

    The fixtures README says 3 users; the file holds 152 codes, 2 text sources and 330 codings.
    """
    n_codes = len(re.findall(r"<Code\s", nvivo_raw))
    n_users = len(re.findall(r"<User\s", nvivo_raw))
    n_sources = len(re.findall(r"<TextSource\s", nvivo_raw))
    n_codings = len(re.findall(r"<Coding\s", nvivo_raw))
    assert (n_codes, n_users, n_sources, n_codings) == (152, 3, 2, 330)
    assert len(nvivo.codes) == n_codes
    assert len(nvivo.users) == n_users
    assert len(nvivo.sources) == n_sources
    assert len(nvivo.codings) == n_codings
    assert nvivo.origin == "NVivo for Windows 12.6"
    assert list(nvivo.codings.columns) == CODING_COLUMNS


def test_nvivo_code_hierarchy_and_non_ascii_names(nvivo):
    """Every code's path is the chain of names from the top, as an ElementTree walk of the file builds it.

    Spot checks are literal names from the file (Hungarian, so non-ASCII must survive).
    """
    expected = {}

    def walk(parent, prefix):
        for el in parent.findall("q:Code", NS):
            path = f"{prefix}/{el.get('name')}" if prefix else el.get("name")
            expected[el.get("guid")] = path
            walk(el, path)

    walk(ET.parse(NVIVO).getroot().find("q:CodeBook/q:Codes", NS), "")
    assert dict(zip(nvivo.codes["guid"], nvivo.codes["path"])) == expected
    paths = set(nvivo.codes["path"])
    assert "1. Oltás típusa/COVID" in paths
    assert "4. Értékek/szabadság, szuverenitás" in paths
    assert ("HBM 4. Perceived Barriers – Észlelt akadályok/politikai/politikusokkal szembeli bizalmatlanság/"
            "forradalom, ellenállás") in paths
    assert nvivo.codes["depth"].max() == 3 and (nvivo.codes["depth"] == 0).sum() == 12
    top = nvivo.codes.set_index("path").loc["2. Attitűd szint az oltáshoz"]
    assert top["description"].startswith("Erősen szkeptikus (piros)")
    children = nvivo.codes[nvivo.codes["parent_guid"] == top["guid"]]["name"]
    assert list(children) == ["piros", "sárga", "zöld"]


def test_nvivo_codings_resolve_codes_coders_and_positions(nvivo, nvivo_raw):
    """Coders are the selections' ``creatingUser`` names (coder_a/coder_b, as the README says); spans, codes as written.

    Expected coder counts come from a regex over ``<PlainTextSelection creatingUser=…>`` and ``<User …>``.
    """
    users = dict(re.findall(r'<User guid="([^"]+)"[^>]*?name="([^"]+)"', nvivo_raw))
    assert set(users.values()) == {"coder_a", "coder_b", "test_user"}
    by_selection = pd.Series([users[g] for g in re.findall(r'<PlainTextSelection creatingUser="([^"]+)"', nvivo_raw)])
    assert nvivo.codings["coder"].value_counts().to_dict() == by_selection.value_counts().to_dict() == {
        "coder_b": 297, "test_user": 27, "coder_a": 6}
    tags = re.findall(r"<PlainTextSelection\s[^>]*>", nvivo_raw)
    spans = sorted((int(re.search(r'startPosition="(\d+)"', t).group(1)),
                    int(re.search(r'endPosition="(\d+)"', t).group(1))) for t in tags)
    assert len(spans) == 330
    assert sorted(zip(nvivo.codings["start"].astype(int), nvivo.codings["end"].astype(int))) == spans
    code_path = dict(zip(nvivo.codes["guid"], nvivo.codes["path"]))
    targets = re.findall(r'<CodeRef targetGUID="([^"]+)"', nvivo_raw)
    assert sorted(nvivo.codings["code"]) == sorted(code_path[t] for t in targets)
    assert nvivo.codings["code"].notna().all() and nvivo.codings["coder"].notna().all()
    assert (nvivo.codings["source"] == "videos_10_selected").all()


def test_nvivo_missing_source_texts_are_reported_not_raised(nvivo):
    """The fixture has no ``Sources/`` texts (README): both are listed as problems and the codings come without text."""
    missing = [p for p in nvivo.problems if "plainTextPath" in p and "not found" in p]
    assert len(missing) == 2
    assert any("videos_10_selected" in p and "330 codings" in p for p in missing)
    assert any("videos_selection" in p for p in missing)
    assert nvivo.codings["text"].isna().all()
    assert nvivo.sources["text"].isna().all()
    assert len(nvivo.problems) == 2  # nothing else: every CodeRef and user resolves


def test_nvivo_zipped_as_qdpx_reads_the_same(nvivo, tmp_path):
    """The same ``project.qde`` inside a ``.qdpx`` (without its texts) gives the same codings and problems."""
    target = tmp_path / "nvivo.qdpx"
    with zipfile.ZipFile(target, "w") as zf:
        zf.write(NVIVO, "project.qde")
    project = read_project(target)
    pd.testing.assert_frame_equal(project.codings, nvivo.codings)
    assert len(project.problems) == 2 and all("in the archive" in p for p in project.problems)
    frame = read_codings(target)
    assert len(frame) == 330 and len(frame.attrs["problems"]) == 2


def test_nvivo_codebook_alone_and_schema_validity(nvivo):
    """``read_codebook_qdc`` reads the CodeBook of a .qde; the real file is valid against the standard's XSD."""
    codes = read_codebook_qdc(NVIVO)
    pd.testing.assert_frame_equal(codes.reset_index(drop=True), nvivo.codes.reset_index(drop=True))
    assert validate_qde(NVIVO) == []
    assert xmlschema.XMLSchema(str(FIXTURES / PROJECT_XSD)).is_valid(str(NVIVO))


# --------------------------------------------------------------------------- ATLAS.ti codebook


def test_atlasti_codebook(tmp_path):
    """The ATLAS.ti .qdc: one code ``code1`` (#46AA00, "description") in the set "code group 1", as the file says."""
    codes = read_codebook_qdc(ATLAS)
    assert len(codes) == len(re.findall(r"<Code\s", ATLAS.read_text(encoding="utf-8"))) == 1
    row = codes.iloc[0]
    assert (row["name"], row["path"], row["depth"], row["color"], row["description"], bool(row["is_codable"])) == (
        "code1", "code1", 0, "#46AA00", "description", True)
    assert row["guid"] == "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"
    assert row["sets"] == ["code group 1"]
    assert validate_qde(ATLAS) == []


NESTED_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="hand-written">
  <Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="Asiakaskokemus" isCodable="false">
      <Code guid="00000000-0000-0000-0000-000000000002" name="Vaivattomuus" isCodable="true">
        <Description>Effort and ease</Description>
        <Code guid="00000000-0000-0000-0000-000000000003" name="jonotus" isCodable="true"/>
      </Code>
    </Code>
  </Codes>
</CodeBook>
"""


def test_codebook_hierarchy_from_a_nested_qdc(tmp_path):
    """A three-level codebook in the codebook namespace: paths, parents and depths as written above."""
    path = tmp_path / "nested.qdc"
    path.write_text(NESTED_QDC, encoding="utf-8")
    assert validate_qde(path) == []
    codes = read_codebook_qdc(path)
    assert list(codes["path"]) == ["Asiakaskokemus", "Asiakaskokemus/Vaivattomuus",
                                   "Asiakaskokemus/Vaivattomuus/jonotus"]
    assert list(codes["depth"]) == [0, 1, 2]
    assert list(codes["is_codable"]) == [False, True, True]
    assert codes["parent_guid"].iloc[2] == "00000000-0000-0000-0000-000000000002"


# --------------------------------------------------------------------------- export and round trip


@pytest.fixture(scope="module")
def example():
    """Transcript bodies, codebook codes and human codings of the bundled example."""
    bodies = {}
    for path in sorted((EXAMPLE / "interviews").glob("*.md")):
        meta, body, _ = read_transcript(path)
        bodies[str(meta["id"])] = body
    with open(EXAMPLE / "codebook.yaml", encoding="utf-8") as fh:
        book = yaml.safe_load(fh)
    codes = pd.DataFrame(book["codes"])[["id", "theme", "label", "definition"]]
    themes = {t["id"]: t["label"] for t in book["themes"]}
    codings = pd.read_csv(EXAMPLE / "codings.csv")
    return bodies, codes, themes, codings


@pytest.fixture(scope="module")
def exported(example, tmp_path_factory):
    """``coder_a``'s codings of the example written as a .qdpx."""
    bodies, codes, themes, codings = example
    one = codings[codings["coder"] == "coder_a"].reset_index(drop=True)
    path = write_qdpx(tmp_path_factory.mktemp("qdpx") / "coder_a.qdpx", codes, bodies, one, themes=themes)
    return path, one


def test_export_validates_against_the_refi_xsd(exported):
    """The written project.qde passes the standard's Project XSD (xmlschema directly) and our reference checks."""
    path, _ = exported
    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    schema = xmlschema.XMLSchema(str(FIXTURES / PROJECT_XSD))
    assert schema.is_valid(qde), list(schema.iter_errors(qde))[:3]
    assert validate_qde(path, schema_dir=FIXTURES) == []


def test_round_trip_gives_the_same_codings(exported, example):
    """write_qdpx → read_project gives the same (source, start, end, code, coder) set.

    The selected text equals body[start:end] and the turn's text from read_interviews.
    """
    path, one = exported
    bodies, codes, _, _ = example
    project = read_project(path)
    assert project.problems == []
    got = project.codings
    assert len(got) == len(one)
    key = ["source", "start", "end", "code", "coder"]
    sent = set(zip(one["interview_id"], one["start"], one["end"], one["code"], one["coder"]))
    back = set(zip(got["source"], got["start"].astype(int), got["end"].astype(int), got["code_name"], got["coder"]))
    assert back == sent
    theme = dict(zip(codes["id"], codes["theme"]))
    assert all(path_ == f"{theme[name]}/{name}" for path_, name in zip(got["code"], got["code_name"]))
    assert set(zip(got["source"], got["start"].astype(int), got["end"].astype(int), got["code_name"],
                   got["valence"])) == set(zip(one["interview_id"], one["start"], one["end"], one["code"],
                                               one["valence"]))
    for row in got.itertuples():
        assert row.text == bodies[row.source][row.start:row.end]
    turns = read_interviews(EXAMPLE / "interviews").set_index(["interview_id", "turn"])["text"]
    merged = one.merge(got, left_on=["interview_id", "start", "end", "code"],
                       right_on=["source", "start", "end", "code_name"])
    assert len(merged) == len(one)
    assert all(text == turns[(iid, turn)] for iid, turn, text in zip(merged["interview_id"], merged["turn"],
                                                                     merged["text"]))
    assert got.duplicated(key).sum() == 0


def test_export_is_laid_out_as_qualcoder_reads_it(exported, example):
    """project.qde at the top, each text at sources/<guid>.txt (UTF-8 without BOM), themes as non-codable codes.

    QualCoder makes the first user its coder, turns non-codable codes into categories and reads
    ``internal://`` texts from ``sources/`` (its refi.py); the first user here is the project's creator.
    """
    path, one = exported
    bodies, codes, themes, _ = example
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        root = ET.fromstring(zf.read("project.qde"))
        assert names[0] == "project.qde"
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            data = zf.read(member)
            assert not data.startswith(b"\xef\xbb\xbf")
            assert data.decode("utf-8") == bodies[source.get("name")]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
    assert len(root.findall("q:Sources/q:TextSource", NS)) == len(bodies)
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert {c.get("name") for c in top} == set(codes["theme"])
    assert all(c.get("isCodable") == "false" for c in top)
    leaves = root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS)
    assert sorted(c.get("name") for c in leaves) == sorted(codes["id"])
    users = [u.get("name") for u in root.iterfind("q:Users/q:User", NS)]
    assert users == ["cxresearch auto-coder", "coder_a"]
    assert root.get("creatingUserGUID") == root.find("q:Users/q:User", NS).get("guid")


def test_export_is_deterministic(example, tmp_path):
    """Same input → byte-identical .qdpx, whatever the order of the codings' rows."""
    bodies, codes, themes, codings = example
    first = write_qdpx(tmp_path / "a.qdpx", codes, bodies, codings, themes=themes)
    shuffled = codings.sample(frac=1.0, random_state=3).reset_index(drop=True)
    second = write_qdpx(tmp_path / "b.qdpx", codes, bodies, shuffled, themes=themes)
    assert first.read_bytes() == second.read_bytes()
    project = read_project(second)
    assert set(project.codings["coder"]) == {"coder_a", "coder_b"} and len(project.codings) == len(codings)
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_qdpx_with_a_source_text_removed(exported, tmp_path):
    """Dropping one sources/*.txt from the archive: reported as a problem, every coding still imported."""
    path, one = exported
    damaged = tmp_path / "damaged.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(damaged, "w") as dst:
        root = ET.fromstring(src.read("project.qde"))
        victim = root.find("q:Sources/q:TextSource[@name='int_004']", NS)
        dropped = "sources/" + victim.get("plainTextPath").removeprefix("internal://")
        for info in src.infolist():
            if info.filename != dropped:
                dst.writestr(info, src.read(info.filename))
    project = read_project(damaged)
    assert len(project.problems) == 1
    assert "int_004" in project.problems[0] and "not found" in project.problems[0]
    n_victim = int((one["interview_id"] == "int_004").sum())
    assert f"{n_victim} codings" in project.problems[0]
    assert len(project.codings) == len(one)
    lost = project.codings["source"] == "int_004"
    assert lost.sum() == n_victim and project.codings.loc[lost, "text"].isna().all()
    assert project.codings.loc[~lost, "text"].notna().all()
    assert any("int_004" in p for p in validate_qde(damaged, schema_dir=FIXTURES))


def test_export_of_the_auto_coding(example, tmp_path):
    """The auto-coder's output (code_segments on the example's turns) exports with the Codebook and reads back."""
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.coding import code_segments

    bodies, *_ = example
    codebook = load_codebook(EXAMPLE / "codebook.yaml")
    turns = read_interviews(EXAMPLE / "interviews")
    turns = turns[turns["interview_id"].isin(["int_001", "int_002", "int_003"])]
    coded = code_segments(turns, codebook)
    assert len(coded) > 0
    path = write_qdpx(tmp_path / "auto.qdpx", codebook, {k: bodies[k] for k in ("int_001", "int_002", "int_003")},
                      coded)
    assert validate_qde(path, schema_dir=FIXTURES) == []
    project = read_project(path)
    assert project.problems == []
    assert set(project.codings["coder"]) == {"cxresearch auto-coder"}
    assert set(zip(project.codings["source"], project.codings["start"].astype(int), project.codings["code_name"])) \
        == set(zip(coded["interview_id"], coded["start"], coded["code"]))
    assert project.codings["memo"].str.contains("cue: ").all()


def test_export_refuses_codings_that_do_not_fit(example, tmp_path):
    """An unknown code, an unknown source and a span past the text's end are all listed; nothing is written."""
    bodies, codes, _, _ = example
    bad = pd.DataFrame({"interview_id": ["int_001", "int_999", "int_001"], "start": [0, 0, 0],
                        "end": [5, 5, len(bodies["int_001"]) + 1], "code": ["no_such_code", "effort", "effort"],
                        "coder": ["x", "x", "x"]})
    target = tmp_path / "bad.qdpx"
    with pytest.raises(ValidationError) as err:
        write_qdpx(target, codes, bodies, bad)
    assert len(err.value.problems) == 3
    assert "'no_such_code'" in err.value.problems[0] and "'int_999'" in err.value.problems[1]
    assert not target.exists() and not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- conventions and broken input


def _project_xml(origin: str, selections: str, text_ref: str = 'plainTextPath="internal://t.txt"') -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{PROJECT_NS}" name="t" origin="{origin}">
  <Users><User guid="00000000-0000-0000-0000-0000000000aa" name="Ädä"/></Users>
  <CodeBook><Codes>
    <Code guid="00000000-0000-0000-0000-000000000001" name="Teema" isCodable="false">
      <Code guid="00000000-0000-0000-0000-000000000002" name="koodi" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="00000000-0000-0000-0000-0000000000bb" name="haastattelu" {text_ref}>
      {selections}
    </TextSource>
  </Sources>
</Project>
"""


def _selection(start: int, end: int, code: str = "00000000-0000-0000-0000-000000000002",
               user: str = "00000000-0000-0000-0000-0000000000aa") -> str:
    return (f'<PlainTextSelection guid="00000000-0000-0000-0000-0000000{start:05d}" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{user}"><Coding guid="00000000-0000-0000-0000-1000000{start:05d}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def test_positions_count_characters_utf16_for_nvivo_and_crlf_once_for_atlasti(tmp_path):
    """Offsets are character offsets into the text beside a bare .qde (sources/); NVivo's count UTF-16 units.

    Text ``"a😀b\\r\\nÜnö"``: 'b' is character 2 but UTF-16 unit 3; 'Ünö' starts at character 5 (\\r\\n as two)
    or 4 in ATLAS.ti's count (\\r\\n as one).
    """
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "t.txt").write_bytes("\ufeffa😀b\r\nÜnö".encode("utf-8"))
    cases = [("QualCoder 3.6", _selection(2, 3) + _selection(5, 8), ["b", "Ünö"]),
             ("NVivo for Windows 12.6", _selection(3, 4) + _selection(6, 9), ["b", "Ünö"]),
             ("ATLAS.ti Win 23.4.0", _selection(2, 3) + _selection(4, 7), ["b", "Ünö"])]
    for origin, selections, texts in cases:
        qde = tmp_path / "project.qde"
        qde.write_text(_project_xml(origin, selections), encoding="utf-8")
        project = read_project(qde)
        assert project.problems == [], origin
        assert list(project.codings["text"]) == texts, origin
        assert list(project.codings["code"]) == ["Teema/koodi"] * 2
        assert list(project.codings["coder"]) == ["Ädä"] * 2


def test_dangling_references_and_spans_are_problems_not_errors(tmp_path):
    """A CodeRef and a user that name nothing, and a span past the end, are reported; the codings are kept."""
    content = "<PlainTextContent>lyhyt teksti</PlainTextContent>"
    selections = (_selection(0, 5, code="00000000-0000-0000-0000-00000000dead")
                  + _selection(6, 12, user="00000000-0000-0000-0000-00000000beef") + _selection(7, 99))
    qde = tmp_path / "project.qde"
    qde.write_text(_project_xml("QualCoder", content + selections, text_ref=""), encoding="utf-8")
    project = read_project(qde)
    assert len(project.codings) == 3
    assert len(project.problems) == 3
    assert any("dead" in p and "expected the GUID of a Code" in p for p in project.problems)
    assert any("beef" in p and "expected the GUID of a User" in p for p in project.problems)
    assert any("7–99" in p for p in project.problems)
    rows = project.codings.set_index("start")
    assert pd.isna(rows.loc[0, "code"]) and rows.loc[0, "text"] == "lyhyt"
    assert pd.isna(rows.loc[6, "coder"]) and rows.loc[6, "text"] == "teksti"
    assert pd.isna(rows.loc[7, "text"])
    assert len(validate_qde(qde, schema_dir=FIXTURES)) == 2  # the XSD is satisfied; the two dangling GUIDs are not


def test_not_a_zip_and_malformed_xml_raise_validation_errors(tmp_path):
    """Structural breakage raises ValidationError naming the file (and the line for XML)."""
    fake = tmp_path / "fake.qdpx"
    fake.write_bytes(b"this is not a zip")
    with pytest.raises(ValidationError, match="fake.qdpx: not a zip archive"):
        read_project(fake)
    broken = tmp_path / "broken.qde"
    broken.write_text('<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Users>\n',
                      encoding="utf-8")
    with pytest.raises(ValidationError, match=r"broken.qde:4:\d+: not well-formed XML"):
        read_project(broken)
    with pytest.raises(ValidationError, match="holds no codings"):
        read_codings(ATLAS)
    invalid = validate_qde(b'<Project xmlns="urn:QDA-XML:project:1.0"><Users/></Project>', schema_dir=FIXTURES)
    assert invalid and all("REFI-QDA_Project_v1.0.xsd" in p for p in invalid)


# --------------------------------------------------------------------------- codings CSV and the CLI listing


def test_read_codings_csv_and_listing(example):
    """Our codings.csv maps to the same columns (source = interview_id); the listing has source/start/end/code/coder."""
    from cxresearch.qual.codebook import load_codebook

    _, codes, _, codings = example
    frame = read_codings(EXAMPLE / "codings.csv")
    assert list(frame.columns) == CODING_COLUMNS and len(frame) == len(codings) == 270
    assert list(frame["source"]) == list(codings["interview_id"])
    assert list(frame["code"]) == list(codings["code"]) and frame.attrs["problems"] == []
    with_paths = read_codings(EXAMPLE / "codings.csv", codebook=load_codebook(EXAMPLE / "codebook.yaml"))
    theme = dict(zip(codes["id"], codes["theme"]))
    assert list(with_paths["code"]) == [f"{theme[c]}/{c}" for c in codings["code"]]

    text, problems = codings_listing(NVIVO, "json")
    rows = json.loads(text)
    assert len(rows) == 330 and len(problems) == 2
    assert {"source", "start", "end", "code", "coder"} <= set(rows[0])
    assert any(r["code"] == "4. Értékek/szabadság, szuverenitás" for r in rows)
    text, problems = codings_listing(EXAMPLE / "codings.csv", "csv")
    listed = pd.read_csv(io.StringIO(text))
    assert list(listed.columns[:5]) == ["source", "start", "end", "code", "coder"] and len(listed) == 270


def test_bad_codings_csv_lists_every_problem(tmp_path):
    """A CSV with a non-integer start and an empty code: both reported with file, row and column."""
    path = tmp_path / "codings.csv"
    path.write_text("interview_id,turn,start,end,code,valence,coder\nint_001,1,x,10,effort,negative,a\n"
                    "int_001,1,0,10,,negative,a\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_codings(path)
    assert err.value.problems == ["codings.csv:2:start: 'x' — expected a character offset (integer ≥ 0)",
                                  "codings.csv:3:code: empty — expected a value"]


def test_build_qde_codebook_only_validates(tmp_path):
    """A project with codes but no codings or sources is still valid (empty Sources is left out)."""
    qde, files = build_qde(pd.DataFrame({"id": ["a", "b"], "theme": ["t", None]}), {}, pd.DataFrame(
        columns=["source", "start", "end", "code"]))
    assert files == {}
    assert validate_qde(qde, schema_dir=FIXTURES) == []
    path = tmp_path / "codes.qde"
    path.write_bytes(qde)
    assert list(read_codebook_qdc(path)["path"]) == ["t", "t/a", "b"]


def test_a_data_folder_can_bring_its_human_codings_as_refi_qda(tmp_path):
    """A researcher drops an NVivo/QualCoder export instead of codings.csv: prepare reads the same codings."""
    import shutil

    from cxresearch.io.validate import load_data_dir
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.refi import write_qdpx
    from cxresearch.qual.transcripts import read_transcript

    example = Path(__file__).resolve().parents[1] / "data" / "example"
    folder = tmp_path / "data"
    shutil.copytree(example, folder)
    csv = pd.read_csv(folder / "codings.csv")
    (folder / "codings.csv").unlink()
    bodies = {read_transcript(p)[0]["id"]: read_transcript(p)[1] for p in sorted((folder / "interviews").glob("*.md"))}
    frame = csv.rename(columns={"interview_id": "source"})
    write_qdpx(folder / "human.qdpx", load_codebook(folder / "codebook.yaml"), bodies, frame)
    tables, report = load_data_dir(folder)
    assert report.problems == []
    got = set(zip(tables["codings"]["interview_id"], tables["codings"]["turn"], tables["codings"]["code"],
                  tables["codings"]["coder"]))
    assert got == set(zip(csv["interview_id"], csv["turn"], csv["code"], csv["coder"]))
    # a selection in a text that is no interview is a problem that names the file and the coding
    bodies["stray"] = "Asiakas: jotain aivan muuta"
    extra = pd.DataFrame([{"source": "stray", "start": 0, "end": 7, "code": "wow", "coder": "coder_a"}])
    write_qdpx(folder / "human.qdpx", load_codebook(folder / "codebook.yaml"), bodies, pd.concat([frame, extra]))
    _, report = load_data_dir(folder)
    assert any(p.startswith("human.qdpx:coding ") and "source: 'stray'" in p for p in report.problems)
