"""Reading and validating the inputs of a data folder (DESIGN §4, docs/data-contract.md)."""

from cxresearch.io.tables import read_table
from cxresearch.io.validate import ValidationReport, load_data_dir, validate_data_dir

__all__ = ["read_table", "ValidationReport", "load_data_dir", "validate_data_dir"]
