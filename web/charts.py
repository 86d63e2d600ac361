"""Line charts drawn on the server as SVG: readable without script (a table follows each)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 24, 40
COLOURS = ("#2a9d8f", "#e76f51", "#264653", "#e9c46a", "#8e44ad", "#1d3557", "#f4a261",
           "#6a994e")


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def line_chart(rows: Sequence[dict[str, Any]], metric: str, title: str,
               chart_id: str) -> Markup:
    """One line per engine and language: ``metric`` per day (rows as post_edit gives them)."""
    days = sorted({str(r["day"]) for r in rows})
    series: dict[str, dict[str, float]] = {}
    for r in rows:
        series.setdefault(f"{r['engine']} · {r['language']}", {})[str(r["day"])] = float(
            r[metric])
    top = max([100.0, *(v for points in series.values() for v in points.values())])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - 14 * len(series)
    plot_h = max(plot_h, 120)
    height = TOP + plot_h + BOTTOM + 14 * len(series)

    def x(day: str) -> float:
        return LEFT + (plot_w / 2 if len(days) == 1 else days.index(day) * plot_w / (len(days) - 1))

    def y(value: float) -> float:
        return TOP + plot_h - value / top * plot_h

    parts = [f'<svg class="chart" id="{escape(chart_id)}" role="img" '
             f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<text x="{LEFT}" y="14">{escape(title)}</text>']
    for tick in range(0, int(top) + 1, 25):
        ty = y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{ty:.1f}" '
                     f'y2="{ty:.1f}"/><text x="{LEFT - 6}" y="{ty + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" '
                 f'y2="{TOP + plot_h}"/>')
    for day in (days if len(days) <= 8 else days[:: max(1, len(days) // 8)]):
        parts.append(f'<text x="{x(day):.1f}" y="{TOP + plot_h + 16}" '
                     f'text-anchor="middle">{escape(day)}</text>')
    for i, (name, points) in enumerate(sorted(series.items())):
        colour = COLOURS[i % len(COLOURS)]
        coords = [(x(d), y(points[d]), d) for d in days if d in points]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in coords)
        parts.append(f'<polyline class="series" data-series="{escape(name)}" stroke="{colour}" '
                     f'points="{path}"/>')
        for px, py, d in coords:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(name)}, {escape(d)}: {_fmt(points[d])}</title></circle>')
        ly = TOP + plot_h + 30 + 14 * i
        parts.append(f'<rect x="{LEFT}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{LEFT + 16}" y="{ly}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
