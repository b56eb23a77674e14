"""vCard import: a .vcf file or a folder of them, as phones, Google, Apple and Outlook write them.

vobject parses each card. Around it, a little reading keeps one bad card from
spoiling a file: the file is streamed card by card (so a card vobject cannot
read is reported with its number and line, and the rest imported), line ends
are normalised (iPhone exports end lines with CR CR LF), the encoding is
sniffed (UTF-16 without a byte-order mark from Apple, 8-bit code pages), and
a card with a property vobject refuses (a photo that does not decode, a
PROFILE line, an 8-bit name in an unnamed character set) is repaired or
imported without that property.
"""

from __future__ import annotations

import base64
import logging
import quopri
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowwho.errors import ImportFailed
from knowwho.exporters.ids import parse_person_ref
from knowwho.importers.base import ImportReport, ImportSession, PersonCandidate, Progress, stable_external_id
from knowwho.importers.reading import guess_8bit, open_text_file, parse_date
from knowwho.services.normalize import normalize_phone

if TYPE_CHECKING:
    from knowwho.core import Knowwho

SOURCE = "vcard"
_TEXT_PROPERTY = re.compile(r"^(?:[\w-]+\.)?(FN|TITLE|ROLE|NOTE|ORG|PHOTO|LOGO)[;:]", re.IGNORECASE)
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_QP_TAIL = re.compile(r"(?:=\n?)+$")
_PROFILE = re.compile(r"^PROFILE[;:]", re.IGNORECASE)
_MARKER = re.compile(r"^(BEGIN|END):VCARD\s*$|^VERSION:", re.IGNORECASE)
_SYSTEM_GROUPS = {"my contacts", "mycontacts", "starred", "starred in android", "all contacts"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_IGNORED_TYPES = {"internet", "pref", "x400", "voice", "encoding", "quoted-printable", "base64"}


@dataclass
class Card:
    number: int  # 1-based, in its file
    line: int  # where BEGIN:VCARD is
    text: str


def import_path(kw: Knowwho, path: Path, *, progress: Progress | None = None, **_options: object) -> ImportReport:
    files = vcf_files(path)
    unreadable = {file: _check(file) for file in files}
    if path.is_file() and unreadable[path]:
        raise ImportFailed(f"{path}: {unreadable[path]}")
    report = ImportReport(kind=SOURCE, files=[str(f) for f in files])
    done = 0
    with ImportSession(kw, source=SOURCE, report=report) as session:
        for file in files:
            session.file = str(file)
            if unreadable[file]:
                session.problem("whole file", f"{unreadable[file]}; left out")
                continue
            for card in read_cards(file, session):
                _import_card(session, card)
                session.record_done()
                done += 1
                if progress and done % 100 == 0:
                    progress(done, None)
    if progress:
        progress(done, done)
    return report


def vcf_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".vcf", ".vcard"))
        if not files:
            raise ImportFailed(f"{path}: no .vcf files in this folder")
        return files
    return [path]


def _check(file: Path) -> str:
    """Why this file is not a vCard file we can read ("" when it is), found before anything is written."""
    try:
        with open_text_file(file, newline="\n") as (text, _note):
            for _ in range(1000):
                line = text.readline()
                if not line:
                    break
                if line.strip().upper() == "BEGIN:VCARD":
                    return ""
    except ImportFailed as error:
        return str(error).removeprefix(f"{file}: ")
    return "not a vCard file (no BEGIN:VCARD)"


def read_cards(file: Path, session: ImportSession) -> Iterator[Card]:
    """The cards of a file, one at a time, with the line each starts on."""
    with open_text_file(file, newline="\n") as (text, note):
        if note:
            session.report.notes.append(f"{file}: {note}")
        lines: list[str] = []
        depth, number, start = 0, 0, 0
        for line_number, raw in enumerate(_lines(text), 1):
            marker = raw.strip().upper()
            if marker == "BEGIN:VCARD":
                if depth == 0:
                    lines, start = [], line_number
                depth += 1
            if depth:
                lines.append(raw)
            if marker == "END:VCARD" and depth:
                depth -= 1
                if depth == 0:
                    number += 1
                    yield Card(number, start, "\n".join(lines) + "\n")
        if depth:
            session.problem(f"card {number + 1} (line {start})", "the file ends inside this card; it was left out")
        if number == 0:
            session.problem("whole file", "no vCards in this file")


def _lines(text: Any) -> Iterator[str]:
    for raw in text:
        # Lines split on LF only: CR LF and iPhone's CR CR LF both end one line; a lone CR is an old Mac's.
        yield from raw.rstrip("\r\n").split("\r")


# -- parsing one card ---------------------------------------------------------------------
class _Collect(logging.Handler):
    """Keeps the messages logged to it (a class defined once, not once per card: 5% of a card's parse)."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _vobject_log() -> Iterator[list[str]]:
    """vobject logs the lines it skips: collect them instead of letting them reach the terminal."""
    collect = _Collect()
    logger = logging.getLogger("vobject.base")  # vobject gives it a handler printing to stderr
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers, logger.propagate = [collect], False
    try:
        yield collect.messages
    finally:
        logger.handlers, logger.propagate = handlers, propagate


def parse_card(text: str) -> tuple[Any, list[str]]:
    """The vobject component of one card and the notes about what was left out of it.

    A card vobject refuses is repaired property by property: a PROFILE line
    is dropped (it says only that this is a vCard, and vobject refuses Lotus
    Notes' and Apple's spelling of it), quoted-printable values in an 8-bit
    character set that the card does not name are given their likely one,
    and a property that still cannot be read is left out rather than the card.
    Raises ValueError with a readable reason when not even that gives a card.
    """
    text = escape_text_commas(text)
    try:
        return _read_one(text)
    except Exception:  # vobject raises many kinds (ParseError, VObjectError, binascii.Error, UnicodeError...)
        pass
    return _repaired(text)


def _read_one(text: str) -> tuple[Any, list[str]]:
    import vobject

    with _vobject_log() as skipped:
        component = vobject.readOne(text, allowQP=True, ignoreUnreadable=True)
    return component, [_skipped_line(m) for m in skipped]


def _repaired(text: str) -> tuple[Any, list[str]]:
    lines = [line for line in _logical_lines(text) if not _PROFILE.match(line)]
    lines = _with_charsets(lines)
    try:
        return _read_one("\n".join(lines) + "\n")
    except Exception:  # the properties are tried one by one below
        pass
    version = next((line for line in lines if line.upper().startswith("VERSION:")), "VERSION:3.0")
    kept, notes = [], []
    for line in lines:
        if _MARKER.match(line) or _readable(line, version):
            kept.append(line)
        else:
            notes.append(_left_out(line))
    try:
        component, skipped = _read_one("\n".join(kept) + "\n")
    except Exception as error:
        raise ValueError(_reason(error)) from error
    return component, list(dict.fromkeys(notes + skipped))


def _logical_lines(text: str) -> list[str]:
    """The card's properties one per item: folded lines joined (quoted-printable soft breaks kept)."""
    import io

    from vobject.base import getLogicalLines

    lines = [line for line, _number in getLogicalLines(io.StringIO(text), True) if line.strip()]
    # A quoted-printable value ending in a soft break would swallow the next property once rebuilt.
    return [
        _QP_TAIL.sub("", line) if "QUOTED-PRINTABLE" in line[: _value_start(line)].upper() else line for line in lines
    ]


def _readable(line: str, version: str) -> bool:
    try:
        _read_one(f"BEGIN:VCARD\n{version}\n{line}\nEND:VCARD\n")
    except Exception:
        return False
    return True


def _left_out(line: str) -> str:
    name = _property_name(line)
    if name in ("PHOTO", "LOGO", "SOUND", "KEY"):
        return f"its {name.lower()} could not be decoded and was left out"
    return f"its {name} could not be read and was left out"


def _property_name(line: str) -> str:
    head = re.split(r"[;:]", line, maxsplit=1)[0]
    return head.rpartition(".")[2].strip().upper()[:40] or "unnamed property"


def _with_charsets(lines: list[str]) -> list[str]:
    """Name the character set of quoted-printable values that are not UTF-8 and say none (The Bat!, old Outlook)."""
    unnamed: dict[int, bytes] = {}
    for index, line in enumerate(lines):
        cut = _value_start(line)
        params = line[:cut].upper()
        if "QUOTED-PRINTABLE" not in params or "CHARSET=" in params or line[cut - 1 : cut] != ":":
            continue
        data = quopri.decodestring(line[cut:].replace("=\n", "").encode("utf-8", errors="replace"))
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            unnamed[index] = data
    if not unnamed:
        return lines
    charset = guess_8bit(b" ".join(unnamed.values()))
    fixed = list(lines)
    for index in unnamed:
        cut = _value_start(fixed[index])
        fixed[index] = f"{fixed[index][: cut - 1]};CHARSET={charset}{fixed[index][cut - 1 :]}"
    return fixed


def _reason(error: Exception) -> str:
    if isinstance(error, UnicodeError):
        return "a value is not valid in the character set the card declares"
    return "it is not a vCard that can be read"


def escape_text_commas(text: str) -> str:
    """Escape the bare commas of FN, NOTE, TITLE, ROLE, ORG and PHOTO values.

    vobject keeps only the text before the first unescaped comma of these
    properties, and Google, Outlook and every vCard 2.1 writer leave commas
    bare ("FN:Doe, John"; a vCard 4.0 photo is "data:image/png;base64,...."):
    escaping them keeps the whole value.
    """
    out, in_text, quoted_printable, soft_break = [], False, False, False
    for line in text.split("\n"):
        if line[:1] in (" ", "\t") or soft_break:
            if in_text:
                line = _UNESCAPED_COMMA.sub(r"\\,", line)
        else:
            in_text = bool(_TEXT_PROPERTY.match(line))
            if in_text:
                cut = _value_start(line)
                quoted_printable = "QUOTED-PRINTABLE" in line[:cut].upper()
                line = line[:cut] + _UNESCAPED_COMMA.sub(r"\\,", line[cut:])
        soft_break = in_text and quoted_printable and line.endswith("=")
        out.append(line)
    return "\n".join(out)


def _value_start(line: str) -> int:
    """Where a property's value starts: after the first colon outside quoted parameters."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index + 1
    return len(line)


def _skipped_line(message: str) -> str:
    found = re.search(r"line (\d+)", message)
    return f"card line {found[1]} could not be read and was left out" if found else message[:120]


# -- from a card to a candidate -------------------------------------------------------------
def _import_card(session: ImportSession, card: Card) -> None:
    where = f"card {card.number} (line {card.line})"
    try:
        component, notes = parse_card(card.text)
    except ValueError as error:
        session.problem(where, f"could not be read: {error}")
        return
    for note in notes:
        session.problem(where, note)
    candidate, uid = card_candidate(component)
    if candidate is None:
        session.problem(where, "has no name, email or phone; left out")
        return
    candidate.birthday = session.kept_birthday(candidate.birthday, where)
    session.upsert_person(candidate, external_id=uid or stable_external_id(candidate))


def card_candidate(card: Any) -> tuple[PersonCandidate | None, str]:
    """A person from a vobject card, and the card's UID (or "")."""
    contents: dict[str, list[Any]] = card.contents
    labels = {line.group: _label_text(_text(line.value)) for line in contents.get("x-ablabel", []) if line.group}
    c = PersonCandidate(display_name=_first(contents, "fn"))
    if "n" in contents:
        name = contents["n"][0].value
        c.given_name = _joined(getattr(name, "given", ""))
        c.family_name = _joined(getattr(name, "family", ""))
    for line in contents.get("email", []):
        email = _text(line.value).strip().removeprefix("mailto:")
        if "@" in email:
            c.emails.append(email)
            c.labels[email.lower()] = _label(line, labels)
    for line in contents.get("tel", []):
        phone = _phone(_text(line.value))
        if phone:
            c.phones.append(phone)
            c.labels[phone] = _label(line, labels)
    for line in contents.get("adr", []):
        address = _address(line.value)
        if address:
            c.addresses.append(address)
            c.labels[address] = _label(line, labels)
    for name in ("url", "x-socialprofile"):
        c.links += [u for u in (_url(_text(line.value)) for line in contents.get(name, [])) if u]
    for line in contents.get("categories", []):
        values = line.value if isinstance(line.value, list) else [line.value]
        c.tags += [t for t in (_text(v).strip() for v in values) if t and t.lower() not in _SYSTEM_GROUPS]
    org = contents.get("org", [])
    if org:
        value = org[0].value
        c.organization = _joined(value[0] if isinstance(value, list) and value else value, sep=",")
    c.title = _first(contents, "title") or _first(contents, "role")
    c.birthday = _birthday(contents.get("bday", []))
    c.note = _note(contents, labels)
    c.photo, c.photo_type = _photo(contents.get("photo", []))
    if not c.display_name:
        formal = " ".join(p for p in (c.given_name, c.family_name) if p)
        c.display_name = (
            formal or (c.emails[0] if c.emails else "") or c.organization or (c.phones[0] if c.phones else "")
        )
    if not c.display_name.strip():
        return None, ""
    uid = _first(contents, "uid")
    if parse_person_ref(uid):
        c.knowwho_id = uid
    return c, uid


def _birthday(lines: list[Any]) -> str | None:
    """'YYYY-MM-DD', or '--MM-DD' for a BDAY without a year ('--0203', '--02-03', Apple's 1604 marked as none)."""
    for line in lines:
        day = parse_date(_text(line.value))
        if day is None:
            continue
        omitted = [str(v) for v in line.params.get("X-APPLE-OMIT-YEAR", [])]
        if day[:4] in omitted:
            return "--" + day[5:]
        return day
    return None


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value) if value is not None else ""


def _joined(value: Any, sep: str = " ") -> str:
    if isinstance(value, list):
        return sep.join(_text(v).strip() for v in value if _text(v).strip())
    return _text(value).strip()


def _first(contents: dict[str, list[Any]], name: str) -> str:
    for line in contents.get(name, []):
        text = _text(line.value).strip()
        if text:
            return text
    return ""


def _label_text(raw: str) -> str:
    found = _APPLE_LABEL.match(raw.strip())
    return (found[1] if found else raw).strip().lower()


def _label(line: Any, group_labels: dict[str, str]) -> str:
    if line.group and line.group in group_labels:
        return group_labels[line.group]
    types = [t.lower() for v in line.params.get("TYPE", []) for t in str(v).split(",")]
    return next((t for t in types if t not in _IGNORED_TYPES), "")


def _phone(raw: str) -> str:
    value = raw.strip().removeprefix("tel:").replace(";ext=", " ext. ")
    if not any(ch.isdigit() for ch in value):
        return ""
    return normalize_phone(value)


def _address(value: Any) -> str:
    parts = [getattr(value, name, "") for name in ("box", "extended", "street", "city", "region", "code", "country")]
    if not any(parts) and isinstance(value, str):
        parts = value.split(";")
    words = [_joined(p, sep=", ").replace("\n", ", ") for p in parts]
    return ", ".join(w for w in words if w)


def _url(raw: str) -> str:
    value = raw.replace("\\:", ":").strip()
    if not value or " " in value:
        return ""
    return value if "://" in value else f"http://{value}"


def _note(contents: dict[str, list[Any]], labels: dict[str, str]) -> str:
    parts = [_text(line.value).replace("\r\n", "\n").strip() for line in contents.get("note", [])]
    extras = [f"Nickname: {_text(line.value)}" for line in contents.get("nickname", []) if _text(line.value).strip()]
    for name, default in (("x-abrelatednames", "related"), ("x-abdate", "date"), ("anniversary", "anniversary")):
        for line in contents.get(name, []):
            label = labels.get(line.group, default) if line.group else default
            extras.append(f"{label.capitalize()}: {_text(line.value).strip()}")
    return "\n".join(p for p in [*parts, *extras] if p)


_MAGIC = ((b"\xff\xd8", "image/jpeg"), (b"\x89PNG", "image/png"), (b"GIF8", "image/gif"))


def _photo(lines: list[Any]) -> tuple[bytes | None, str | None]:
    """The first inline photo as bytes (URLs are not fetched: nothing leaves the machine)."""
    for line in lines:
        data = line.value
        if isinstance(data, str) and data.startswith("data:") and ";base64," in data:
            try:
                data = base64.b64decode(data.split(",", 1)[1], validate=False)
            except ValueError:
                continue
        if isinstance(data, bytes) and data:
            kind = next((t for magic, t in _MAGIC if data.startswith(magic)), None)
            return data, kind or "image/jpeg"
    return None, None
