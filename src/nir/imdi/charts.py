"""What IMDi's charts print beside a bar (the bars themselves are ``nir.web.charts``)."""

from __future__ import annotations

from nir.web.charts import VALUE_WIDTH

# Room for a percentage such as «100,0 %» after the longest bar.
SHARE_WIDTH = VALUE_WIDTH + 30


def percent_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} %".replace(".", ",")
