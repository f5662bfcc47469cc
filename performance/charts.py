"""THE one module that draws charts (style.md, "Seams around heavy libraries").

Charts are matplotlib SVG drawn with the Agg backend, returned as a string
ready to inline in HTML (the dashboard) or in the board pack's HTML before
WeasyPrint turns it into a PDF. Callers never import matplotlib.

Rules every chart follows:
- readable in greyscale: the service's line is solid black with round
  markers, a comparator is dashed grey with square markers, and the legend
  says which is which (colour never carries meaning);
- safe under the service's Content-Security-Policy: no ``<style>`` element and
  no ``style=""`` attributes (they are blocked and a blocked style turns an
  unfilled line into a black blob); the same properties are written as SVG
  presentation attributes instead;
- no XML declaration or DOCTYPE (it is inlined), ids made unique per chart so
  several charts can share a page, and output that is the same for the same
  input (no date in the metadata), so packs are reproducible;
- ``role="img"`` and an ``aria-label``: the page gives the figures as a
  table beside it for screen readers.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

# matplotlib's pyplot state is global; charts are drawn one at a time.
_LOCK = threading.Lock()

_RC = {
    "svg.fonttype": "none",  # text stays text: smaller, scalable, searchable
    "svg.hashsalt": "yjs",  # deterministic ids
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "DejaVu Sans"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

SERVICE_STYLE = {"color": "#0b0c0c", "linestyle": "-", "marker": "o", "linewidth": 2}
COMPARATOR_STYLE = {"color": "#6f777b", "linestyle": "--", "marker": "s", "linewidth": 1.5}

GOOD_DIRECTION_TEXT = {
    "lower": "Lower is better",
    "higher": "Higher is better",
    None: "",
    "": "",
}

Point = tuple[str, float | int | None]


def _value(v) -> float:
    return math.nan if v is None else float(v)


def trend_chart_svg(
    points: Sequence[Point],
    *,
    title: str,
    good_direction: str | None,
    comparator: Sequence[Point] | None = None,
    comparator_label: str = "England",
    service_label: str = "This service",
    y_label: str = "",
) -> str:
    """A line chart of ``points`` (``[(label, value or None), ...]``, oldest
    first; ``None`` leaves a gap), optionally with a comparator series over
    the same labels. ``good_direction`` is ``"lower"``, ``"higher"`` or
    ``None`` and is written under the title."""
    labels = [str(label) for label, _ in points]
    values = [_value(v) for _, v in points]
    subtitle = GOOD_DIRECTION_TEXT.get(good_direction, "")
    with _LOCK, plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=72)
        try:
            x = list(range(len(labels)))
            ax.plot(x, values, label=service_label, **SERVICE_STYLE)
            comp: list[float] = []
            if comparator:
                by_label = {str(label): v for label, v in comparator}
                comp = [_value(by_label.get(label)) for label in labels]
                if not all(math.isnan(v) for v in comp):
                    ax.plot(x, comp, label=comparator_label, **COMPARATOR_STYLE)
            ax.set_xticks(x, labels)
            ax.tick_params(axis="x", labelrotation=0, labelsize=8)
            finite = [v for v in values if not math.isnan(v)]
            # The axis takes in the comparator too, or a distant England line
            # would fall off the chart.
            shown = finite + [v for v in comp if not math.isnan(v)]
            ax.set_ylim(bottom=0, top=(max(shown) * 1.15 if shown and max(shown) > 0 else 1))
            ax.grid(axis="y", color="#b1b4b6", linewidth=0.5)
            ax.set_axisbelow(True)
            if y_label:
                ax.set_ylabel(y_label)
            heading = title if not subtitle else f"{title}\n{subtitle}"
            ax.set_title(heading, loc="left", fontsize=10)
            if comparator and len(ax.lines) > 1:
                ax.legend(
                    frameon=False, fontsize=8, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2
                )
            if not finite:
                ax.text(
                    0.5, 0.5, "No figures yet", ha="center", va="center", transform=ax.transAxes
                )
            # Fixed margins: tight_layout doubles the drawing time.
            fig.subplots_adjust(left=0.09, right=0.98, top=0.8, bottom=0.12)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return _inline_svg(buffer.getvalue(), label=f"{title}. {subtitle}".strip().rstrip("."))


_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')


def _style_to_attributes(match: re.Match) -> str:
    parts = []
    for declaration in match.group(1).split(";"):
        if ":" not in declaration:
            continue
        name, value = declaration.split(":", 1)
        name, value = name.strip(), value.strip()
        if name and value:
            parts.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(parts)


def _inline_svg(svg: str, *, label: str) -> str:
    """Strip what cannot be inlined and make the SVG CSP- and page-safe."""
    start = svg.find("<svg")
    svg = svg[start:]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    # The only <style> matplotlib writes sets default joins; drop it (CSP).
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = _STYLE_ATTR.sub(_style_to_attributes, svg)
    # Unique ids per chart, so several charts on one page never clash.
    prefix = "c" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8] + "-"
    ids = set(_ID.findall(svg))
    for ident in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{ident}"', f'id="{prefix}{ident}"')
        svg = svg.replace(f'href="#{ident}"', f'href="#{prefix}{ident}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{prefix}{ident})")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label, quote=True)}" ', 1)
    return svg.strip()
