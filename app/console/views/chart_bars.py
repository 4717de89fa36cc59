"""Bar charts drawn with plain Flet controls (docs: /work/notes/charts.md): flet-charts
renders in the served client but exposes no value to screen readers or tests, and would be
one more dependency. Each bar is a Container with a tooltip and a semantics label saying its
series, hour and value; colours are the theme's roles, so light and dark both read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import flet as ft

from app.console.state.charts import Bars

# One colour role per series, in legend order (the theme gives each a light and dark tone).
SERIES_COLORS = (
    ft.Colors.PRIMARY,
    ft.Colors.TERTIARY,
    ft.Colors.ERROR,
    ft.Colors.SECONDARY,
    ft.Colors.OUTLINE,
)
HEIGHT = 160
# Hour labels under every n-th group (a multiple of LABEL_EVERY), at most MAX_LABELS of
# them, so that 48 hours, or the forecast's half hours, stay readable on a tablet.
LABEL_EVERY = 6
MAX_LABELS = 9


def color(index: int) -> str:
    return SERIES_COLORS[index % len(SERIES_COLORS)]


def legend(names: list[str]) -> ft.Control:
    swatches: list[ft.Control] = [
        ft.Row(
            [ft.Container(width=12, height=12, bgcolor=color(i), border_radius=2), ft.Text(n)],
            spacing=6,
            tight=True,
        )
        for i, n in enumerate(names)
    ]
    return ft.Row(swatches, spacing=16, wrap=True)


def number(value: float) -> str:
    """A count as is, an expected count with at most one decimal ('2.5', '3')."""
    return f"{round(value, 1):g}"


def _bar(value: float, top: float, tint: str, label: str) -> ft.Control:
    height = max(round(HEIGHT * value / top), 1 if value else 0)
    return ft.Container(
        expand=True,
        height=height,
        bgcolor=tint,
        border_radius=ft.BorderRadius.only(top_left=2, top_right=2),
        tooltip=label,
    )


def bar_chart(
    bars: Bars,
    names: list[str],
    hour_label: Callable[[datetime], str],
) -> ft.Control:
    """`names`: each series as the reader's language says it (same order as bars.series)."""
    groups: list[ft.Control] = []
    for hour, values in zip(bars.hours, bars.values, strict=True):
        when = hour_label(hour)
        rods = [
            _bar(v, bars.top, color(i), f"{names[i]} {when}: {number(v)}")
            for i, v in enumerate(values)
        ]
        groups.append(
            ft.Row(rods, spacing=1, expand=True, vertical_alignment=ft.CrossAxisAlignment.END)
        )
    # One label per `every` groups, each as wide as the groups it stands under.
    every = LABEL_EVERY * max(1, -(-len(bars.hours) // (LABEL_EVERY * MAX_LABELS)))
    axis: list[ft.Control] = [
        ft.Container(
            ft.Text(hour_label(bars.hours[start]), size=11, no_wrap=True),
            expand=min(every, len(bars.hours) - start),
        )
        for start in range(0, len(bars.hours), every)
    ]
    scale = ft.Column(
        [ft.Text(number(bars.top), size=11), ft.Text("0", size=11)],
        height=HEIGHT,
        width=36,  # the same in every chart, so that their hours line up
        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        horizontal_alignment=ft.CrossAxisAlignment.END,
    )
    plot = ft.Column(
        [
            ft.Container(
                ft.Row(groups, spacing=2, vertical_alignment=ft.CrossAxisAlignment.END),
                height=HEIGHT,
                border=ft.Border.only(
                    left=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT),
                    bottom=ft.BorderSide(1, ft.Colors.OUTLINE_VARIANT),
                ),
                padding=ft.Padding.only(left=4),
            ),
            ft.Row(axis, spacing=0),
        ],
        spacing=2,
        expand=True,
    )
    return ft.Column(
        [
            legend(names),
            ft.Row([scale, plot], vertical_alignment=ft.CrossAxisAlignment.START),
        ],
        spacing=8,
    )
