"""Survey side: employee scales, customer metrics and the EX→CX model."""

from cxresearch.survey.metrics import customer_metrics, nps_interval, wilson_interval
from cxresearch.survey.models import ExModelResult, fit_ex_model, model_frame
from cxresearch.survey.scales import scale_scores, unit_ex

__all__ = [
    "customer_metrics",
    "nps_interval",
    "wilson_interval",
    "ExModelResult",
    "fit_ex_model",
    "model_frame",
    "scale_scores",
    "unit_ex",
]
