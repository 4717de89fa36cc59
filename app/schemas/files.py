"""What an attachment may be: the allowed types, the bytes each must start with, and the
default size limit. The hub enforces these; the app checks them before it queues a file,
so a customer learns at once, not after an upload."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import quote

# Allowed types and the leading bytes their content must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
    "text/plain": (),
}
EXTENSIONS: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}
MAX_ATTACHMENT_BYTES = 10_000_000
MAX_ATTACHMENTS = 10


def content_matches(content_type: str, data: bytes) -> bool:
    """Whether `data` really is `content_type` (an allowed type)."""
    if content_type == "text/plain":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return "\x00" not in text
    if content_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return any(data.startswith(magic) for magic in SIGNATURES[content_type])


def type_for_filename(filename: str) -> str | None:
    """The allowed type a file name's extension stands for, or None."""
    return EXTENSIONS.get(PurePath(filename).suffix.lower())


def size_text(size: int) -> str:
    """A byte count as people read it: '10 MB', '500 kB', '800 bytes'."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.3g} MB"
    if size >= 1_000:
        return f"{size / 1_000:.3g} kB"
    return f"{size} bytes"


def download_headers(filename: str) -> dict[str, str]:
    """How a file is handed to a browser: always a download under its own name (ASCII
    and UTF-8), never rendered, sniffed or cached. The hub and the served app both send
    a file this way."""
    fallback = filename.encode("ascii", "replace").decode().replace('"', "_")
    fallback = fallback.replace("\\", "_")
    return {
        "Content-Disposition": (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
