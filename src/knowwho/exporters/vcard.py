"""Contacts as vCards (RFC 6350 4.0 by default; RFC 2426 3.0 for older phones), built with vobject."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import IO, Any

from knowwho.errors import InvalidInput
from knowwho.exporters import Contact
from knowwho.exporters.ids import person_ref

VERSIONS = ("4.0", "3.0")
PRODID = "-//knowwho//knowwho contacts//EN"
APPLE_NO_YEAR = "1604"  # the year Apple's Contacts writes for a birthday without one

# Our free-text labels -> vCard TYPE values (unknown labels are left out).
_EMAIL_TYPES = {"home": "home", "personal": "home", "private": "home", "work": "work", "business": "work",
                "office": "work", "other": "other"}  # fmt: skip
_PHONE_TYPES = {**_EMAIL_TYPES, "mobile": "cell", "cell": "cell", "cellular": "cell", "fax": "fax",
                "pager": "pager", "voice": "voice", "text": "text", "sms": "text", "main": "voice"}  # fmt: skip
_TYPES_3_0 = {"home", "work", "cell", "fax", "pager", "voice", "msg", "video"}  # "other"/"text" are 4.0 only


def check_version(version: str) -> str:
    value = version.strip()
    if value in ("4", "3"):
        value += ".0"
    if value not in VERSIONS:
        raise InvalidInput(f"unknown vCard version {version!r}: use 4.0 (default) or 3.0")
    return value


def write_vcards(out: IO[str], contacts: Iterable[Contact], *, version: str = "4.0") -> int:
    """Write one vCard per contact; returns how many."""
    version = check_version(version)
    count = 0
    for contact in contacts:
        out.write(to_vcard(contact, version))
        count += 1
    return count


def to_vcard(contact: Contact, version: str = "4.0") -> str:
    import vobject

    v4 = check_version(version) == "4.0"
    card = vobject.vCard()
    card.add("version").value = "4.0" if v4 else "3.0"
    card.add("prodid").value = PRODID
    card.add("uid").value = card_uid(contact)
    card.add("fn").value = contact.display_name
    card.add("n").value = vobject.vcard.Name(family=contact.family_name, given=contact.given_name)
    for index, (email, label) in enumerate(contact.emails):
        line = card.add("email")
        line.value = email
        _set_types(line, _types(label, _EMAIL_TYPES, v4) + ([] if v4 else ["INTERNET"]), first=index == 0, v4=v4)
    for index, (phone, label) in enumerate(contact.phones):
        line = card.add("tel")
        line.value = phone
        _set_types(line, _types(label, _PHONE_TYPES, v4), first=index == 0, v4=v4)
    for address, label in contact.addresses:
        line = card.add("adr")
        # Addresses are kept as one text: it goes in the street part, and as the label in 4.0.
        line.value = vobject.vcard.Address(street=address)
        _set_types(line, _types(label, _EMAIL_TYPES, v4), first=False, v4=v4)
        if v4:
            line.params["LABEL"] = [address.replace("\n", ", ")]
    if contact.organization:
        card.add("org").value = [contact.organization]
    if contact.title:
        card.add("title").value = contact.title
    for url, _kind in contact.links:
        _add_raw(card, "url", url)  # a URI: never backslash-escaped
    if contact.birthday:
        line = card.add("bday")
        line.value = _birthday(contact.birthday, v4)
        if not v4 and contact.birthday.startswith("--"):
            line.params["X-APPLE-OMIT-YEAR"] = [APPLE_NO_YEAR]
    note = contact.note_text()
    if note:
        card.add("note").value = note
    if contact.tags:
        card.add("categories").value = list(contact.tags)
    if contact.photo:
        _add_photo(card, contact.photo, contact.photo_type, v4)
    if contact.updated_at:
        card.add("rev").value = _rev(contact.updated_at, v4)
    return str(card.serialize())


def card_uid(contact: Contact) -> str:
    """The person's knowwho id: stable across exports, so phones update a card instead of adding one,
    and importing the file back into knowwho finds each person again."""
    return person_ref(contact.id, contact.created_at)


def _types(label: str, known: dict[str, str], v4: bool) -> list[str]:
    found = []
    for word in re.split(r"[^a-z]+", label.lower()):
        kind = known.get(word)
        if kind and kind not in found and (v4 or kind in _TYPES_3_0):
            found.append(kind)
    return found if v4 else [t.upper() for t in found]


def _set_types(line: Any, types: list[str], *, first: bool, v4: bool) -> None:
    if first:
        if v4:
            line.params["PREF"] = ["1"]
        else:
            types = [*types, "PREF"]
    if types:
        line.params["TYPE"] = types


def _add_raw(card: Any, name: str, value: str) -> None:
    line = card.add(name)
    line.value = value
    line.encoded = True  # already in its wire form


def _add_photo(card: Any, photo: bytes, photo_type: str | None, v4: bool) -> None:
    mime = _mime(photo, photo_type)
    if v4:
        _add_raw(card, "photo", f"data:{mime};base64," + base64.b64encode(photo).decode("ascii"))
    else:
        line = card.add("photo")
        line.value = photo
        line.encoding_param = "b"
        line.type_param = mime.split("/")[-1].upper()


def _mime(photo: bytes, photo_type: str | None) -> str:
    if photo_type and "/" in photo_type:
        return photo_type.lower()
    if photo_type:
        return "image/" + photo_type.lower().replace("jpg", "jpeg")
    if photo.startswith(b"\x89PNG"):
        return "image/png"
    if photo.startswith(b"GIF8"):
        return "image/gif"
    return "image/jpeg"


def _birthday(day: str, v4: bool) -> str:
    """'YYYY-MM-DD' or '--MM-DD' -> the form each version writes.

    vCard 3.0 has no date without a year: a birthday without one is written as
    Apple's Contacts writes it, in the year 1604 marked as no year.
    """
    if not v4:
        return f"{APPLE_NO_YEAR}-{day[2:]}" if day.startswith("--") else day
    if day.startswith("--"):
        return "--" + day[2:].replace("-", "")
    return day.replace("-", "")


def _rev(stamp: str, v4: bool) -> str:
    day, _, time = stamp.partition(" ")
    time = time or "00:00:00"
    return f"{day.replace('-', '')}T{time.replace(':', '')}Z" if v4 else f"{day}T{time}Z"
