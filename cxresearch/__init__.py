"""cxresearch: at which moments does employee experience move customer satisfaction?

All logic of the pipeline lives here; the notebooks in ``notebooks/`` only load,
call these functions, show and explain.
"""

__version__ = "0.1.0"
