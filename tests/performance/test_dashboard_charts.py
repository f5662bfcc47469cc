"""The chart seam (performance.charts): SVG that can be inlined under the
service's CSP, readable in greyscale, the same for the same input."""

import re

from performance.charts import COMPARATOR_STYLE, SERVICE_STYLE, trend_chart_svg

POINTS = [("Mar 2025", 310.5), ("Jun 2025", None), ("Sep 2025", 280.0), ("Dec 2025", 275.25)]


def chart(**kwargs):
    return trend_chart_svg(
        POINTS,
        title="First time entrants per 100,000",
        good_direction="lower",
        comparator=[("Mar 2025", 200), ("Dec 2025", 190)],
        **kwargs,
    )


def test_inlinable_svg_without_header_or_inline_styles():
    svg = chart()
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata" not in svg
    assert "<style" not in svg
    assert "style=" not in svg
    assert 'role="img"' in svg
    assert 'aria-label="First time entrants per 100,000. Lower is better"' in svg


def test_labels_and_direction_are_text():
    svg = chart()
    for label, _ in POINTS:
        assert f">{label}</text>" in svg
    assert ">Lower is better</text>" in svg
    assert ">England</text>" in svg and ">This service</text>" in svg


def test_deterministic_and_ids_unique_per_chart():
    first, again = chart(), chart()
    assert first == again
    other = trend_chart_svg(POINTS, title="Another", good_direction="higher")
    ids_first = set(re.findall(r'id="([^"]+)"', first))
    ids_other = set(re.findall(r'id="([^"]+)"', other))
    assert ids_first and not ids_first & ids_other
    # Every internal reference points at an id of the same chart.
    for ref in re.findall(r'href="#([^"]+)"', first):
        assert ref in ids_first


def test_greyscale_styles():
    def grey(colour: str) -> bool:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return max(r, g, b) - min(r, g, b) <= 12

    assert grey(SERVICE_STYLE["color"]) and grey(COMPARATOR_STYLE["color"])
    assert SERVICE_STYLE["linestyle"] != COMPARATOR_STYLE["linestyle"]
    assert SERVICE_STYLE["marker"] != COMPARATOR_STYLE["marker"]
    colours = set(re.findall(r'(?:stroke|fill)="(#[0-9a-fA-F]{6})"', chart()))
    assert colours and all(grey(c) for c in colours), colours


def test_no_figures_yet():
    svg = trend_chart_svg([("Mar 2025", None)], title="Empty", good_direction=None)
    assert ">No figures yet</text>" in svg
