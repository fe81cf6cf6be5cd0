"""Where things live and what the defaults are.

One place knows the project root, the data layers and the shared vocabulary
(the employee-experience drivers of DESIGN §3 and the default customer journey).
``load_params`` reads ``params.yaml``; ``stage_parameters`` flattens the
sections a stage reads into the names of its notebook's ``parameters`` cell.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from cxresearch.exceptions import ConfigError

#: libyaml's safe loader when PyYAML has it (about ten times faster on codebooks and thousands of transcript
#: front matters), else the pure-Python one: the same documents load the same way.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(name: str, err: Exception) -> str:
    """A YAML syntax error on one line: ``FILE:LINE:COLUMN: not valid YAML (problem)``, where the parser stopped
    (PyYAML's marks are 0-based; these are 1-based)."""
    mark = getattr(err, "problem_mark", None)
    what = getattr(err, "problem", None) or (str(err).splitlines() or ["syntax error"])[0]
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
    return f"{where}: not valid YAML ({what})"

#: The eight employee-experience drivers (DESIGN §3), in reporting order.
DRIVERS: tuple[str, ...] = (
    "staffing",
    "passion",
    "product_belief",
    "core_skills",
    "adaptability",
    "leadership",
    "autonomy",
    "valued",
)

#: Items per driver in the default employee survey: columns ``<driver>_1`` … ``<driver>_3``.
ITEMS_PER_DRIVER = 3

#: The default journey: ordered moments before and after the purchase, labels in fi/en.
DEFAULT_JOURNEY: list[dict[str, str]] = [
    {"id": "discover", "en": "Discover", "fi": "Löytäminen"},
    {"id": "choose", "en": "Choose", "fi": "Valinta"},
    {"id": "buy", "en": "Buy", "fi": "Ostaminen"},
    {"id": "receive", "en": "Receive", "fi": "Vastaanotto"},
    {"id": "use", "en": "Use", "fi": "Käyttö"},
    {"id": "get_help", "en": "Get help", "fi": "Avun saaminen"},
]

#: Which params.yaml sections each stage reads (also written into dvc.yaml).
STAGE_SECTIONS: dict[str, list[str]] = {
    "prepare": ["data", "journey", "privacy", "prepare"],
    "code_interviews": ["journey", "privacy", "code_interviews"],
    "model_survey": ["journey", "privacy", "model_survey"],
    "link_moments": ["journey", "link_moments"],
    "report": ["journey", "privacy", "report"],
}

#: What running the stages imports beyond the notebooks' own top-level imports (the stage functions import it
#: when called, so that the command line stays light). A spare kernel (:mod:`cxresearch.kernels`) imports it in
#: advance, while the stage before runs; a name that does not import is skipped there (a test checks them all).
STAGE_RUN_IMPORTS: tuple[str, ...] = (
    "cxresearch.privacy", "cxresearch.qual.codebook", "cxresearch.qual.coding", "cxresearch.qual.learned",
    "cxresearch.qual.reliability", "cxresearch.qual.agreement", "cxresearch.qual.refi", "cxresearch.qual.summaries",
    "cxresearch.survey.models", "cxresearch.survey.drivers", "cxresearch.survey.metrics",
    "cxresearch.survey.psychometrics", "cxresearch.survey.robustness", "cxresearch.survey.mixed_cells",
    "cxresearch.survey.weighting", "cxresearch.link", "pyarrow.parquet", "pyarrow.dataset", "scipy.optimize",
    "scipy.sparse", "scipy.linalg", "xml.etree.ElementTree",
)

#: Notebook file of each stage, in pipeline order.
STAGE_NOTEBOOKS: dict[str, str] = {
    "prepare": "10_prepare.py",
    "code_interviews": "20_code_interviews.py",
    "model_survey": "30_model_survey.py",
    "link_moments": "40_link_moments.py",
    "report": "50_report.py",
}


def project_root() -> Path:
    """The project folder: ``$CXRESEARCH_ROOT``, else the nearest parent holding ``params.yaml``."""
    env = os.environ.get("CXRESEARCH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "params.yaml").exists() and (folder / "dvc.yaml").exists():
            return folder
    return here


def paths(root: Path | None = None) -> dict[str, Path]:
    """The data layers and report folders under ``root`` (default: the project root)."""
    root = Path(root) if root is not None else project_root()
    return {
        "root": root,
        "notebooks": root / "notebooks",
        "interim": root / "data" / "interim",
        "processed": root / "data" / "processed",
        "reports": root / "reports",
        "executed": root / "reports" / "executed",
        "metrics": root / "reports" / "metrics",
        "plots": root / "reports" / "plots",
    }


def load_params(root: Path | None = None, section: str | None = None) -> dict[str, Any]:
    """Read ``params.yaml`` (all of it, or one ``section``)."""
    root = Path(root) if root is not None else project_root()
    path = root / "params.yaml"
    if not path.exists():
        raise ConfigError(f"{path}: not found — expected the project's params.yaml")
    with open(path, encoding="utf-8") as fh:
        params = yaml.safe_load(fh) or {}
    if section is None:
        return params
    if section not in params:
        raise ConfigError(f"{path}: section '{section}' missing")
    return params[section]


def stage_parameters(stage: str, params: dict[str, Any]) -> dict[str, Any]:
    """Flatten the params.yaml sections a stage reads into notebook parameter names.

    The stage's own section keeps its key names (``report.language`` → ``language``);
    other sections are prefixed with their name (``data.dir`` → ``data_dir``,
    ``privacy.min_group_size`` → ``privacy_min_group_size``). A section whose value
    is not a mapping (``journey``) keeps its name.
    """
    if stage not in STAGE_SECTIONS:
        raise ConfigError(f"unknown stage '{stage}' — expected one of {', '.join(STAGE_SECTIONS)}")
    out: dict[str, Any] = {}
    for section in STAGE_SECTIONS[stage]:
        if section not in params:
            raise ConfigError(f"params.yaml: section '{section}' (read by stage {stage}) missing")
        value = params[section]
        if not isinstance(value, dict):
            out[section] = value
        elif section == stage:
            out.update(value)
        else:
            out.update({f"{section}_{k}": v for k, v in value.items()})
    return out


def journey_ids(journey: list[dict[str, str]] | dict[str, Any]) -> list[str]:
    """Moment ids in journey order, from a ``journey`` list (or ``{'moments': [...]}``)."""
    moments = journey["moments"] if isinstance(journey, dict) else journey
    return [m["id"] for m in moments]
