"""End to end: the real DVC pipeline of papermill notebooks on a small synth set.

The project is copied to a temporary folder (tracked and new files, no outputs),
pointed at a fresh ``cxresearch synth`` folder, and run with ``dvc repro`` — the
same command ``make report`` uses. Nothing of our stack is mocked.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxresearch.pipeline import stage_html

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STAGES = ["prepare", "code_interviews", "model_survey", "link_moments", "report"]

pytestmark = pytest.mark.pipeline


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["DVC_NO_ANALYTICS"] = "1"
    env.pop("CXRESEARCH_ROOT", None)
    return env


def _run(args, cwd, check=True):
    proc = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def _copy_project(dst: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for rel in files:
        if rel.startswith(("data/example/", "reports/")):  # a run writes its own reports and metrics
            continue
        src = ROOT / rel
        if not src.is_file():
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


#: Respondent text carrying markup: it must show as text and never run.
MARKUP_COMMENT = ("The queue at the till was awful and the staff were rude <script>window.__cx_pwned = 1</script>"
                  "<img src=x onerror=\"window.__cx_pwned = 2\"> so I left.")
#: An employee of a unit whose employee group is under the minimum size says this; it may never be quoted.
SMALL_GROUP_QUOTE = "Meitä on iltavuorossa aivan liian vähän, ja jonot venyvät joka ikinen ilta."
#: Personal data planted in every kind of input; none of it may reach any output.
PLANTED = ["maija.virtanen@example.fi", "040 123 4567", "+358 40 7654321", "131052-308T", "FI21 1234 5600 0007 85",
           "Mannerheimintie 12", "Virtanen", "Korhonen", "Kalle", "Sarilta", "R_2YPOQ602ER1jkf1"]


def _plant_personal_data(data: Path) -> None:
    """Names, e-mails, phones, an identity code, an IBAN and an address in comments and transcripts; a named
    speaker; a roster name said in a case form; a respondent id that is an external id."""
    customers = pd.read_csv(data / "customer_responses.csv", dtype=str, keep_default_na=False)
    with_comment = customers.index[customers["comment"] != ""][:4]
    customers.loc[with_comment[0], "comment"] = ("Olen Maija Virtanen, soittakaa 040 123 4567 tai "
                                                 "maija.virtanen@example.fi. Myyjä oli tosi ystävällinen.")
    customers.loc[with_comment[1], "comment"] = ("Refund to FI21 1234 5600 0007 85 please, my id is 131052-308T. "
                                                 "The staff were friendly.")
    customers.loc[with_comment[2], "comment"] = "Asun Mannerheimintie 12 B 5. Kysyin Sarilta, hän auttoi hyvin."
    customers.loc[customers.index[0], "response_id"] = "R_2YPOQ602ER1jkf1"
    customers.to_csv(data / "customer_responses.csv", index=False)
    (data / "roster.txt").write_text("Sari Laine\n", encoding="utf-8")
    unit = customers["unit_id"].iloc[0]
    # a unit whose employee group is under the minimum: 3 employee respondents a wave, and an interview there
    employees = pd.read_csv(data / "employee_responses.csv", dtype=str, keep_default_na=False)
    small = sorted(employees["unit_id"].unique())[-1]
    keep = employees[employees["unit_id"] != small]
    few = employees[employees["unit_id"] == small].groupby("wave").head(3)
    pd.concat([keep, few]).to_csv(data / "employee_responses.csv", index=False)
    (data / "interviews" / "int_098.md").write_text(
        f"---\nid: int_098\nrole: employee\nunit_id: {small}\nlang: fi\ndate: 2026-05-21\n"
        "speakers: [Haastattelija, Työntekijä]\n---\n"
        "Haastattelija: Miten vuorot toimivat?\n"
        f"Työntekijä: {SMALL_GROUP_QUOTE}\n", encoding="utf-8")
    (data / "interviews" / "int_097.md").write_text(
        f"---\nid: int_097\nrole: customer\nunit_id: {unit}\nlang: en\ndate: 2026-05-22\n"
        "speakers: [Interviewer, Customer]\n---\n"
        "Interviewer: How was paying?\n"
        f"Customer: {MARKUP_COMMENT}\n", encoding="utf-8")
    customers.loc[with_comment[3], "comment"] = MARKUP_COMMENT
    customers.to_csv(data / "customer_responses.csv", index=False)
    (data / "interviews" / "int_099.md").write_text(
        f"---\nid: int_099\nrole: employee\nunit_id: {unit}\nlang: fi\ndate: 2026-05-20\n"
        "speakers: [Haastattelija, Kalle Korhonen]\n---\n"
        "Haastattelija: Kerro työstäsi.\n"
        "Kalle Korhonen: Olen Kalle Korhonen. Meitä on liian vähän vuorossa, soita +358 40 7654321 jos haluat.\n"
        "Haastattelija: Entä esihenkilö?\n"
        "Kalle Korhonen: Sarilta saa aina apua, hän arvostaa työtämme.\n", encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A temporary copy of the project whose pipeline has been run once on a small synth set."""
    root = tmp_path_factory.mktemp("project")
    _copy_project(root)
    _run([BIN / "cxresearch", "synth", "data/small", "--seed", "11", "--units", "10", "--customers", "3000",
          "--interviews", "8"], cwd=root)
    _plant_personal_data(root / "data" / "small")
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["data"]["dir"] = "data/small"
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))
    _run(["git", "init", "-q"], cwd=root)
    first = _run([BIN / "dvc", "repro"], cwd=root)
    return root, first


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.links, self.scripts, self.images, self._in_h = [], [], [], [], None
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3"):
            self._in_h = tag
            self.headings.append("")
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        if tag == "img":
            self.images.append(attrs.get("src", ""))

    def handle_endtag(self, tag):
        if tag == self._in_h:
            self._in_h = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h:
            self.headings[-1] += data


def _parse(path: Path) -> _Collector:
    parser = _Collector()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_stage_ran_and_rendered(project):
    """`dvc repro` ran the five stages in order and each wrote its HTML report and metrics."""
    root, first = project
    ran = re.findall(r"Running stage '(\w+)'", first.stdout)
    assert ran == STAGES
    for stage in STAGES:
        assert (root / "reports" / stage_html(stage)).exists()
    for stage in STAGES[:-1]:
        assert json.loads((root / "reports" / "metrics" / f"{stage}.json").read_text())


def test_index_links_every_stage_report(project):
    """reports/index.html links the stakeholder summary and each stage report, all of which exist."""
    root, _ = project
    index = _parse(root / "reports" / "index.html")
    hrefs = set(index.links)
    for stage in STAGES:
        assert stage_html(stage) in hrefs
    for href in hrefs:
        assert (root / "reports" / href).exists(), href
    assert "data/small" in "".join(index.text)


def test_reports_have_their_sections_no_code_and_embedded_images(project):
    """Stage reports carry their headings, no input code, only embedded images, no external scripts."""
    root, _ = project
    expected = {
        "prepare": ["What arrived", "Responses per moment and period"],
        "code_interviews": ["How much was coded", "Themes along the journey", "Reliability: Krippendorff"],
        "model_survey": ["The EX effect at each moment", "Promise versus delivery", "Employee experience per unit and wave"],
        "link_moments": ["Moments that matter", "Joint display"],
        "report": ["In short", "Where employee experience moves satisfaction", "Methods and data quality"],
    }
    for stage, headings in expected.items():
        page = _parse(root / "reports" / stage_html(stage))
        found = " | ".join(h.strip() for h in page.headings)
        for heading in headings:
            assert heading in found, (stage, heading, found)
        assert not any((src or "").startswith("http") for src in page.scripts), stage
        assert all(img.startswith("data:image/") for img in page.images), stage
        html = (root / "reports" / stage_html(stage)).read_text(encoding="utf-8")
        assert "from cxresearch import stages" not in html, f"{stage}: code shown"
    assert len(_parse(root / "reports" / "model_survey.html").images) >= 4


def test_model_metrics_have_the_promised_shape_and_match_the_report(project):
    """model_survey.json keeps its contract, and the report shows the same numbers."""
    root, _ = project
    metrics = json.loads((root / "reports" / "metrics" / "model_survey.json").read_text())
    truth = json.loads((root / "data" / "small" / "truth.json").read_text())
    assert set(metrics["ex_effect"]) == set(truth["ex_effect"])
    assert metrics["n_units"] == 10
    assert metrics["n_responses"] == 3000
    for moment, eff in metrics["ex_effect"].items():
        assert set(eff) == {"estimate", "ci_low", "ci_high"}
        assert eff["ci_low"] < eff["estimate"] < eff["ci_high"]
    html = (root / "reports" / "model_survey.html").read_text(encoding="utf-8")
    buy = metrics["ex_effect"]["buy"]
    assert f"{buy['estimate']:.3f}" in html
    # The planted pattern is recovered: the face-to-face moments synth gave a strong effect (truth >= 0.5) come out
    # above every moment it planted near zero (truth <= 0.1). Per-moment coverage of the truth is not asserted on one
    # seed: with 10 units the six estimates share one unit-level error (here the chance correlation of unit intercepts
    # with unit EX), so "5 of 6 covered" is a single draw. Interval calibration is tested over replications in
    # tests/test_survey_models.py.
    strong = [m for m, v in truth["ex_effect"].items() if v >= 0.5]
    weak = [m for m, v in truth["ex_effect"].items() if v <= 0.1]
    assert strong and weak
    est = {m: eff["estimate"] for m, eff in metrics["ex_effect"].items()}
    assert min(est[m] for m in strong) > max(est[m] for m in weak), est


def test_link_metrics_rank_every_moment(project):
    """link_moments.json ranks each journey moment exactly once."""
    root, _ = project
    link = json.loads((root / "reports" / "metrics" / "link_moments.json").read_text())
    params = yaml.safe_load((root / "params.yaml").read_text())
    assert sorted(r["moment"] for r in link["ranking"]) == sorted(m["id"] for m in params["journey"])
    assert [r["rank"] for r in link["ranking"]] == list(range(1, len(params["journey"]) + 1))
    assert link["top_moment"] == link["ranking"][0]["moment"]


def test_second_repro_changes_nothing_and_a_report_parameter_reruns_only_report(project):
    """DVC tracks deps and params: nothing re-runs unchanged; report.language re-runs only `report`."""
    root, _ = project
    again = _run([BIN / "dvc", "repro"], cwd=root)
    assert "Running stage" not in again.stdout
    assert "up to date" in again.stdout
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["report"]["title"] = "Moments that matter — test run"
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))
    rerun = _run([BIN / "dvc", "repro"], cwd=root)
    assert re.findall(r"Running stage '(\w+)'", rerun.stdout) == ["report"]
    assert "Moments that matter — test run" in (root / "reports" / "cx_report.html").read_text(encoding="utf-8")


def _moments_in_page_order(page_text: str, labels: list[str]) -> list[str]:
    return sorted((lab for lab in labels if lab in page_text), key=page_text.index)


def test_report_in_finnish_and_english_shows_every_moment_in_journey_order(project):
    """Changing only report.language re-runs only the report stage; the page's headings and sentences are in
    that language and every moment of params.yaml's journey appears, first mentions in journey order."""
    root, _ = project
    params = yaml.safe_load((root / "params.yaml").read_text())
    journey = params["journey"]
    try:
        for language in ("fi", "en"):
            params["report"]["language"] = language
            (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))
            rerun = _run([BIN / "dvc", "repro"], cwd=root)
            assert re.findall(r"Running stage '(\w+)'", rerun.stdout) == ["report"]
            page = _parse(root / "reports" / "cx_report.html")
            headings = " | ".join(page.headings)
            assert ("Lyhyesti" in headings and "Menetelmät ja aineiston laatu" in headings) if language == "fi" \
                else ("In short" in headings and "Methods and data quality" in headings)
            table = (root / "reports" / "cx_report.html").read_text(encoding="utf-8")
            table = table[table.index('id="moments"'):]  # the joint display: one row per moment
            labels = [m[language] for m in journey]
            assert _moments_in_page_order(table, labels) == labels
    finally:
        params["report"]["language"] = "en"
        (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))


def test_outputs_carry_no_machine_paths(project):
    """Executed notebooks, HTML and metrics name files relative to the project, never the machine's folders."""
    root, _ = project
    needle = str(root)
    leaks = [str(p.relative_to(root)) for p in (root / "reports").rglob("*")
             if p.is_file() and needle in p.read_text(encoding="utf-8", errors="replace")]
    assert not leaks
    executed = json.loads((root / "reports" / "executed" / "prepare.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["papermill"]["output_path"] == "reports/executed/prepare.ipynb"


def test_code_interviews_outputs(project):
    """The coding stage measures itself against synth's planted codes and exports a valid REFI-QDA project."""
    from cxresearch.qual.refi import read_project, validate_qde

    root, _ = project
    metrics = json.loads((root / "reports" / "metrics" / "code_interviews.json").read_text())
    assert metrics["n_segments"] > 0
    planted = metrics["auto_vs_planted"]
    assert {"fi", "en", "all"} <= set(planted)
    for lang in ("fi", "en"):
        assert planted[lang]["f1"] >= 0.8, planted
    qdpx = root / "data" / "processed" / "auto_coding.qdpx"
    assert validate_qde(qdpx) == []
    imported = read_project(qdpx)
    coded = pd.read_parquet(root / "data" / "processed" / "coded_segments.parquet")
    assert len(imported.codings) == int((coded["source"] == "interview").sum())
    quotes = pd.read_parquet(root / "data" / "processed" / "quotes.parquet")
    assert len(quotes) and quotes["quote"].str.len().max() <= 245


def _output_texts(root: Path):
    """Every output file as text: Parquet cells, notebooks, HTML, JSON, CSV, and the XML inside .qdpx archives."""
    import zipfile

    for folder in (root / "data" / "interim", root / "data" / "processed", root / "reports"):
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            if path.suffix == ".parquet":
                frame = pd.read_parquet(path)
                yield path, "\n".join(frame.astype(str).to_csv(index=False).splitlines())
            elif path.suffix == ".qdpx":
                with zipfile.ZipFile(path) as zf:
                    yield path, "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
            else:
                yield path, path.read_text(encoding="utf-8", errors="replace")


def test_no_planted_personal_data_reaches_any_output(project):
    """Planted in comments, transcripts, a speaker label, a roster name and a respondent id: after the whole
    pipeline, none of it is in any Parquet, notebook, HTML, metrics, plot data or the REFI-QDA export — while
    the talk around it is still there and coded."""
    root, _ = project
    needles = [re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)") for n in PLANTED]  # *Kalle*, not *Kalleus*
    leaks = [(str(path.relative_to(root)), needle.pattern) for path, text in _output_texts(root)
             for needle in needles if needle.search(text)]
    assert not leaks
    turns = pd.read_parquet(root / "data" / "interim" / "turns.parquet")
    said = turns.loc[turns["interview_id"] == "int_099", "text"].tolist()
    assert "Olen [NAME]. Meitä on liian vähän vuorossa, soita [PHONE] jos haluat." in said
    assert "[NAME] saa aina apua, hän arvostaa työtämme." in said
    coded = pd.read_parquet(root / "data" / "processed" / "coded_segments.parquet")
    assert "staffing" in set(coded.loc[coded["interview_id"] == "int_099", "code"])
    validation = json.loads((root / "data" / "interim" / "validation.json").read_text())
    assert any("respondent ids pseudonymised" in n for n in validation["notes"])


def test_no_quote_of_an_employee_group_under_the_minimum_size(project):
    """The planted unit has 3 employee respondents a wave (< 5): its EX figures are suppressed, and its
    employee's words are coded (they count) but never quoted, in any table or page."""
    root, _ = project
    coded = pd.read_parquet(root / "data" / "processed" / "coded_segments.parquet")
    said = coded[coded["text"] == SMALL_GROUP_QUOTE]
    assert len(said) and not said["quotable"].any()
    assert coded["quotable"].any()
    for path, text in _output_texts(root):
        if path.name in ("coded_segments.parquet", "turns.parquet", "transcripts.parquet", "auto_coding.qdpx"):
            continue  # the analysis data keep the text; only what is shown as a quote may not
        assert SMALL_GROUP_QUOTE[:40] not in text, path
    units = pd.read_parquet(root / "data" / "processed" / "unit_ex.parquet")
    assert units.loc[units["unit_id"] == said["unit_id"].iloc[0], "suppressed"].all()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (installed by `make test`)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium missing: `make test` installs Debian's chromium package")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, path: Path):
    """Open a page from disk; record console errors, page errors and every request it makes."""
    page = browser.new_page()
    seen = {"errors": [], "requests": []}
    page.on("console", lambda msg: seen["errors"].append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: seen["errors"].append(str(err)))
    page.on("request", lambda req: seen["requests"].append(req.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, seen


@pytest.mark.parametrize("name", ["index.html", "cx_report.html", "code_interviews.html", "link_moments.html"])
def test_pages_in_a_real_browser_load_offline_cleanly_and_never_run_respondent_markup(project, browser, name):
    """Headless Chromium: no console errors, no request beyond the page itself (nothing from the network, no
    image fetched from anywhere: all are embedded), every image decoded, and the comment carrying <script>
    and an onerror image shows as text without running."""
    root, _ = project
    page, seen = _open(browser, root / "reports" / name)
    try:
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith("data:")] == [(root / "reports" / name).as_uri()]
        broken = page.evaluate("Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
                               ".map(i => i.alt || i.src.slice(0, 40))")
        assert broken == []
        assert page.evaluate("typeof window.__cx_pwned") == "undefined"
    finally:
        page.close()


def test_respondent_markup_in_a_rendered_report_shows_as_text_and_never_runs(tmp_path, browser):
    """The planted comment above need not be among the quotes a run picks, so this renders it for sure: a
    notebook whose output is our table of a quote carrying <script> and an onerror image, through our nbconvert
    template, opened in Chromium — the text is on the page, nothing ran, nothing was fetched."""
    import nbformat

    from cxresearch.report.render import render_notebook_html
    from cxresearch.report.tables import table_html

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_table(quotes)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": table_html(pd.DataFrame({"moment": ["buy"], "in their words": [MARKUP_COMMENT]}))})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Quotes"), cell]
    nbformat.write(nb, tmp_path / "q.ipynb")
    out = render_notebook_html(tmp_path / "q.ipynb", tmp_path / "q.html", title="Quotes")
    page, seen = _open(browser, out)
    try:
        assert "<script>window.__cx_pwned = 1</script>" in page.inner_text("body")
        assert page.evaluate("typeof window.__cx_pwned") == "undefined"
        assert seen["errors"] == [] and [u for u in seen["requests"] if not u.startswith("data:")] == [out.as_uri()]
    finally:
        page.close()


def test_report_contents_links_land_on_their_sections_and_figures_have_alt_text(project, browser):
    root, _ = project
    page, _ = _open(browser, root / "reports" / "cx_report.html")
    try:
        anchors = page.evaluate("Array.from(document.querySelectorAll('nav.cx-toc a')).map(a => a.getAttribute('href'))")
        assert anchors == ["#summary", "#journey", "#ex-effect", "#units", "#gap", "#themes", "#trends", "#moments",
                           "#methods"]
        for href in anchors:
            page.click(f"nav.cx-toc a[href='{href}']")
            top = page.evaluate(f"document.getElementById('{href[1:]}').getBoundingClientRect().top")
            height = page.evaluate("window.innerHeight")
            assert page.evaluate("location.hash") == href
            # the heading is at the top of the window (or, for the last sections, in view: the page ends)
            assert -5 < top < height - 20, (href, top)
        alts = page.evaluate("Array.from(document.images).map(i => i.alt)")
        assert len(alts) >= 6 and all(len(a) > 40 for a in alts)
        assert page.evaluate("document.querySelector('meta[name=viewport]') !== null")
    finally:
        page.close()
    # the technical stage pages describe their figures too (9 figures: 2 coding heatmaps, 7 model figures)
    for name, least in (("code_interviews.html", 2), ("model_survey.html", 7)):
        page, _ = _open(browser, root / "reports" / name)
        try:
            alts = page.evaluate("Array.from(document.images).map(i => i.alt)")
            assert len(alts) >= least and all(len(a) > 40 for a in alts), (name, alts)
        finally:
            page.close()
