"""Reading an incoming mail, which is hostile by default: what it says (plain text only,
HTML turned into text and never rendered), who it is from, whether the company's MTA
vouched for the sender, what it answers, and whether it is a mail the hub must not answer
(auto-replies, bounces, list mail, its own mail coming back).

Every outcome is explicit: `Dropped` (accepted and not kept, with the reason for the
log), `Refused` (an SMTP error, so the sending server tells the sender), or a `ParsedMail`."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import parseaddr
from html.parser import HTMLParser

from app.backend.crud.auth import normalize_email

# The header every mail the hub sends carries: a mail that has it is the hub's own
# coming back (a loop), whoever forwarded it.
LOOP_HEADER = "X-Careline-Loop"
MAX_DEPTH = 8  # multipart nesting the hub reads; deeper mail is refused
MAX_PARTS = 64  # parts (all levels) the hub reads; more is refused
# A mail's text beyond what the app lets a customer write in a case or reply is cut, with
# a note saying so.
MAX_TEXT_CHARS = 20_000
CASE_REF = re.compile(r"\[Case #(\d{1,14})\]", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<([^<>\s]{1,298})>")


class Dropped(Exception):
    """Accepted (250) and not kept: an answer to it would go to a machine or loop."""


class Refused(Exception):
    """Refused with an SMTP error: the sending server returns it to the sender."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.code = code
        self.text = text


@dataclass(frozen=True)
class MailFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None
    sender: str  # normalised address of From
    sender_name: str | None
    subject: str
    body: str
    verified: bool
    references: tuple[str, ...]  # In-Reply-To first, then References, newest first
    case_number: int | None  # from "[Case #N]" in the subject
    files: tuple[MailFile, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what was not kept, told in the thread


def parse_mail(raw: bytes, *, authserv_id: str | None) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    _drop_machine_mail(message)
    name, address = parseaddr(_header(message, "From"))
    if "@" not in address or len(address) > 254:
        raise Refused(550, "no usable From address")
    parts: list[Message] = []
    _walk(message, 0, parts)
    texts: list[str] = []
    htmls: list[str] = []
    files: list[MailFile] = []
    notes: list[str] = []
    for part in parts:
        kind = part.get_content_type()
        filename = part.get_filename()
        if filename is None and kind == "text/plain":
            texts.append(_text_of(part))
        elif filename is None and kind == "text/html":
            htmls.append(html_to_text(_text_of(part)))
        elif filename is not None or not kind.startswith(("multipart/", "message/")):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                files.append(MailFile(filename or "attachment", kind, data))
    body = "\n\n".join(t.strip() for t in (texts or htmls) if t.strip())
    if len(body) > MAX_TEXT_CHARS:
        body = body[:MAX_TEXT_CHARS]
        notes.append(f"The mail's text was cut at {MAX_TEXT_CHARS} characters.")
    if message.defects:
        notes.append("The mail was malformed; this is the text that could be read from it.")
    subject = " ".join(_header(message, "Subject").split())[:200]
    found = CASE_REF.search(subject)
    return ParsedMail(
        message_id=_one_id(_header(message, "Message-ID")),
        sender=normalize_email(address),
        sender_name=name.strip()[:200] or None,
        subject=subject,
        body=body,
        verified=is_verified(message, address, authserv_id),
        references=_references(message),
        case_number=int(found.group(1)) if found else None,
        files=tuple(files),
        notes=tuple(notes),
    )


def _header(message: Message, name: str) -> str:
    """A header as text; a header the parser cannot read counts as empty."""
    try:
        value = message.get(name)
    except (ValueError, LookupError, IndexError):  # the parser's errors on broken headers
        return ""
    return str(value) if value is not None else ""


def _drop_machine_mail(message: Message) -> None:
    """Raise Dropped for mail a person did not write, or that the hub sent itself."""
    if _header(message, LOOP_HEADER):
        raise Dropped("our own mail came back (loop header)")
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        raise Dropped(f"Auto-Submitted: {auto}")
    if _header(message, "Precedence").strip().lower() in {"bulk", "junk", "list"}:
        raise Dropped("Precedence: bulk/junk/list")
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        raise Dropped("X-Autoreply")
    path = _header(message, "Return-Path").strip()
    if path in {"<>", ""} and "Return-Path" in message:
        raise Dropped("empty return path (a bounce)")
    if "mailer-daemon" in path.lower() or "mailer-daemon" in _header(message, "From").lower():
        raise Dropped("from MAILER-DAEMON (a bounce)")
    if message.get_content_type() == "multipart/report":
        raise Dropped("a delivery or disposition report")


def is_verified(message: Message, address: str, authserv_id: str | None) -> bool:
    """Whether an Authentication-Results header of the company's MTA (`authserv_id`)
    shows dmarc=pass, or dkim=pass for the From address's domain. The MTA removes such
    headers naming its own id from incoming mail (RFC 8601 §5), so only it can add one."""
    if not authserv_id:
        return False
    domain = address.rpartition("@")[2].lower()
    for value in message.get_all("Authentication-Results") or []:
        text = str(value)
        serv, _, results = text.partition(";")
        if serv.strip().split()[:1] != [authserv_id]:
            continue
        lowered = results.lower()
        if re.search(r"\bdmarc=pass\b", lowered):
            return True
        for dkim in re.finditer(r"\bdkim=pass\b[^;]*", lowered):
            signer = re.search(r"header\.d=([a-z0-9.-]+)", dkim.group(0))
            if signer and signer.group(1) == domain:
                return True
    return False


def _walk(part: Message, depth: int, found: list[Message]) -> None:
    if depth > MAX_DEPTH:
        raise Refused(554, f"the mail nests parts deeper than {MAX_DEPTH} levels")
    if len(found) >= MAX_PARTS:
        raise Refused(554, f"the mail has more than {MAX_PARTS} parts")
    if part.is_multipart():
        payload = part.get_payload()
        for child in payload if isinstance(payload, list) else []:
            if isinstance(child, Message):
                _walk(child, depth + 1, found)
        return
    found.append(part)


def _text_of(part: Message) -> str:
    """A text part as text, whatever charset it names: the named one, else UTF-8, else
    Latin-1 (which reads any byte), so a wrong or unknown charset loses nothing."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return str(part.get_payload())
    charset = part.get_content_charset() or "utf-8"
    for name in (charset, "utf-8"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _one_id(value: str) -> str | None:
    found = MESSAGE_ID.search(value)
    return found.group(1) if found else None


def _references(message: Message) -> tuple[str, ...]:
    ids = MESSAGE_ID.findall(_header(message, "In-Reply-To"))
    ids += reversed(MESSAGE_ID.findall(_header(message, "References")))
    return tuple(dict.fromkeys(ids))[:50]


class _TextOfHtml(HTMLParser):
    """Text of an HTML body: scripts, styles and heads left out, blocks on new lines."""

    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.out).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
