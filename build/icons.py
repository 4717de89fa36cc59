"""Draws the app's icons (a white lifebuoy on the theme's indigo) into assets/icons/ as
PNG files, with no image library: each pixel is the share of 4x4 samples inside the
shape. Run it again after changing the drawing: `python build/icons.py`.

- icon-192.png, icon-512.png: rounded square, for the web manifest and desktops;
- icon-maskable-192.png, icon-maskable-512.png: full bleed, the lifebuoy inside the
  central 80% a platform may cut to a circle or a squircle;
- apple-touch-icon-192.png, favicon.png (32 px): for iOS home screens and browser tabs;
- assets/icon.png (1024 px): the lifebuoy alone, for `flet build`, which lays it on
  `icon_background` where a platform needs a tile (Android's adaptive icon keeps the
  central 66%: the ring stays inside it); icon_windows.png and icon_linux.png: the
  rounded square, as those desktops show the file as it is."""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

INDIGO = (0x3F, 0x51, 0xB5)
WHITE = (0xFF, 0xFF, 0xFF)
STRIPE = (0xE5, 0x39, 0x35)  # the lifebuoy's bands
SAMPLES = 4
ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"


def png(width: int, pixels: list[bytes]) -> bytes:
    """An RGBA PNG from rows of pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, len(pixels), 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in pixels)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + (chunk(b"IEND", b""))
    )


def shape_at(
    x: float, y: float, *, scale: float, rounded: bool, bare: bool = False
) -> tuple[int, int, int, int]:
    """The colour at (x, y) in a unit square: background (none when `bare`), ring (white
    with red bands)."""
    dx, dy = x - 0.5, y - 0.5
    r = math.hypot(dx, dy) / scale
    if 0.22 <= r <= 0.40:
        angle = (math.degrees(math.atan2(dy, dx)) + 360) % 90
        return (*(STRIPE if 30 <= angle <= 60 else WHITE), 255)
    if bare or (rounded and not inside_rounded_square(x, y, 0.22)):
        return (0, 0, 0, 0)
    return (*INDIGO, 255)


def inside_rounded_square(x: float, y: float, radius: float) -> bool:
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return math.hypot(x - cx, y - cy) <= radius


def draw(size: int, *, scale: float, rounded: bool, bare: bool = False) -> bytes:
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) / size
                    y = (py + (sy + 0.5) / SAMPLES) / size
                    colour = shape_at(x, y, scale=scale, rounded=rounded, bare=bare)
                    alpha = colour[3]
                    for i in range(3):
                        total[i] += colour[i] * alpha
                    total[3] += alpha
            count = SAMPLES * SAMPLES
            alpha = total[3] / count
            rgb = [round(total[i] / total[3]) if total[3] else 0 for i in range(3)]
            row += bytes([*rgb, round(alpha)])
        rows.append(bytes(row))
    return png(size, rows)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    made = {
        "icon-192.png": draw(192, scale=1.0, rounded=True),
        "icon-512.png": draw(512, scale=1.0, rounded=True),
        "icon-maskable-192.png": draw(192, scale=0.8, rounded=False),
        "icon-maskable-512.png": draw(512, scale=0.8, rounded=False),
        "apple-touch-icon-192.png": draw(192, scale=0.9, rounded=False),
    }
    for name, data in made.items():
        (ICONS / name).write_bytes(data)
    (ICONS.parent / "favicon.png").write_bytes(draw(32, scale=1.0, rounded=True))
    (ICONS.parent / "icon.png").write_bytes(draw(1024, scale=0.8, rounded=False, bare=True))
    for desktop in ("windows", "linux"):
        (ICONS.parent / f"icon_{desktop}.png").write_bytes(made["icon-512.png"])
    print(f"wrote {len(made) + 4} icons to {ICONS} and {ICONS.parent}")


if __name__ == "__main__":
    main()
