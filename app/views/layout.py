"""The width a screen's content takes: all of a phone's, and on a wider window a centred
column no wider than a comfortable line of text."""

from __future__ import annotations

import flet as ft

# About 80 characters of body text: wider lines are hard to follow from one to the next.
READING_WIDTH = 720
SPACING = 16
# Controls that keep their own size in the column; everything else takes its width.
OWN_SIZE = (
    ft.Button,
    ft.TextButton,
    ft.OutlinedButton,
    ft.IconButton,
    ft.ProgressRing,
    ft.Icon,
)


def placed(control: ft.Control) -> ft.Control:
    """A control as the column holds it: a button or a progress ring at its own size
    (stretched, it would span the column), anything else as it is."""
    return ft.Row([control]) if isinstance(control, OWN_SIZE) else control


def form_column(controls: list[ft.Control], spacing: float = 12) -> ft.Column:
    """A form's column: its fields, dropdowns and cards as wide as the column (on a phone,
    the screen's width), its buttons at their own size."""
    return ft.Column(
        [placed(c) for c in controls],
        spacing=spacing,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def reading_area(controls: list[ft.Control]) -> ft.Control:
    """A screen's scrolling content. It scrolls across the whole window (the wheel works
    beside the column too); its column is at most READING_WIDTH wide, centred, and a
    narrower window squeezes it to fit (Flutter clamps the width to the room there is),
    so a phone gets its full width. Fields, cards and text take the column's width: a
    text field left to itself is 300 pixels wide, whatever the room."""
    column = form_column(controls, SPACING)
    scrolling = ft.Container(
        ft.Column(
            [ft.Container(column, width=READING_WIDTH)],
            expand=True,
            scroll=ft.ScrollMode.AUTO,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=SPACING,
        expand=True,
    )
    # In a row, so it takes the whole width whatever holds it (a view's own column
    # would let it shrink to the column and sit on the left).
    return ft.Row([scrolling], expand=True, vertical_alignment=ft.CrossAxisAlignment.START)
