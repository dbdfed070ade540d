"""A chart's labels fit: the label column is as wide as the longest label needs, and a label
too long for the widest column wraps at spaces instead of being cut or clipped."""

from nir.web.charts import CHAR_WIDTH, LABEL_MAX, LABEL_PADDING, bar_chart, wrap_label


def test_short_labels_get_a_column_as_wide_as_they_need():
    chart = bar_chart([("Arbeid", 10, "10", False), ("Annet", 5, "5", False)])
    assert chart.label_width == 80 + LABEL_PADDING
    assert all(bar.lines == (bar.label,) for bar in chart.bars)


def test_a_long_label_wraps_and_every_line_fits_inside_the_chart():
    long = "Høyere utdanning (også kompletterende og godkjenning) ved et universitet"
    chart = bar_chart([(long, 3, "3", False), ("Arbeid", 10, "10", True)])
    bar = chart.bars[0]
    assert len(bar.lines) > 1
    assert " ".join(bar.lines) == long  # nothing cut away
    for line in bar.lines:
        assert len(line) * CHAR_WIDTH <= chart.label_x  # starts right of x = 0
    assert chart.label_width <= LABEL_MAX + LABEL_PADDING
    # The rows do not overlap, and the chart is tall enough for them.
    second = chart.bars[1]
    assert second.y >= bar.y + bar.row_height
    assert chart.height >= second.y + second.row_height


def test_wrapping_keeps_a_word_longer_than_a_line_whole():
    assert wrap_label("Integreringslovenkapittelseksa kort", 10) == [
        "Integreringslovenkapittelseksa",
        "kort",
    ]
