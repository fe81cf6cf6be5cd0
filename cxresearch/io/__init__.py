"""Reading and validating the inputs of a data folder (DESIGN §4, docs/data-contract.md)."""

from cxresearch.io.readers import RawTable, read_raw_table
from cxresearch.io.tables import find_table, read_input, read_table
from cxresearch.io.validate import ValidationReport, load_data_dir, validate_data_dir

__all__ = ["RawTable", "read_raw_table", "find_table", "read_input", "read_table", "ValidationReport",
           "load_data_dir", "validate_data_dir"]
