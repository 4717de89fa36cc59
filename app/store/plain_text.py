"""An article's Markdown as the plain text a snippet shows: no table pipes or rule rows,
no heading marks, emphasis, link targets, images, code fences or HTML."""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][^>]*>", re.DOTALL)
_RULE_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(\s+#+)?\s*$", re.MULTILINE)
_SETEXT_OR_RULE = re.compile(r"^\s{0,3}([-=*_])(\s*\1){2,}\s*$", re.MULTILINE)
_QUOTE = re.compile(r"^\s{0,3}>\s?", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*+]\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"\*+|~~|`+|(?<!\w)_+|_+(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# A list item and a link in it ("- [Refunds](/help/refunds)", "* <https://…>").
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_ANY_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)|\[[^\]]*\]\[[^\]]*\]|<[^>\s]+>")
# A link item may say a few words besides ("Need help? [Request a callback](…)").
LINK_ITEM_WORDS = 6
# What may title such a list: a heading, a line that is all emphasis, or one ending in ':'.
_LIST_TITLE = re.compile(r"^\s{0,3}(?:#{1,6}\s+.*|\*\*[^*]+\*\*:?|__[^_]+__:?|.*:)\s*$")
CELL_BREAK = " · "
_HIDDEN = 0xE000


def plain_text(markdown: str) -> str:
    """`markdown` as plain text: link and image targets gone (a link keeps its words, an
    image goes), table cells separated by `CELL_BREAK`, marks of headings, emphasis,
    quotes, bullets and code gone, HTML tags gone and its entities decoded."""
    text = _FENCE.sub("", markdown)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m[1] if m[1] is not None else m[2], text)
    text = _REFERENCE.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML.sub(" ", text)
    text = _RULE_ROW.sub("", text)
    text = "\n".join(_table_row(line) for line in text.split("\n"))
    text = _HEADING.sub(r"\1", text)
    text = _SETEXT_OR_RULE.sub("", text)
    text = _QUOTE.sub("", text)
    text = _BULLET.sub("", text)
    # An escaped mark is text: hidden from the emphasis pass in the private use area.
    text = _ESCAPE.sub(lambda m: chr(_HIDDEN + ord(m[1])), text)
    text = _EMPHASIS.sub("", text)
    text = re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m[0]) - _HIDDEN), text)
    return html.unescape(text)


def without_link_list(markdown: str) -> str:
    """`markdown` without the list of links it ends with ("Related articles", "See
    also"), nor that list's heading: in any language, what a snippet should not quote.
    An article that is nothing but links stays as it is."""
    lines = markdown.rstrip().split("\n")
    end, links = len(lines), 0
    while end and (_link_item(lines[end - 1]) or not lines[end - 1].strip()):
        links += bool(lines[end - 1].strip())
        end -= 1
    if not links:
        return markdown
    if end and _LIST_TITLE.match(lines[end - 1]):
        end -= 1
    kept = "\n".join(lines[:end]).rstrip()
    return kept + "\n" if kept else markdown


def _link_item(line: str) -> bool:
    """A list item that is a link, with at most `LINK_ITEM_WORDS` words besides."""
    item = _ITEM.match(line)
    if item is None or not _ANY_LINK.search(item[1]):
        return False
    return len(_ANY_LINK.sub(" ", item[1]).split()) <= LINK_ITEM_WORDS


def _table_row(line: str) -> str:
    """A table row's cells with `CELL_BREAK` between them; any other line as it is."""
    stripped = line.strip()
    if not (stripped.startswith("|") or (stripped.count("|") >= 2 and "|" in stripped[1:-1])):
        return line
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", stripped)]
    return CELL_BREAK.join(c for c in cells if c)
