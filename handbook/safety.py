"""Checks that keep wrong or unsafe input from review: example values copied from a template,
personal data without consent, and two records that describe the same thing.

The example values come from the `_template.yml` files themselves (never a second list): what a
template writes as a link, e-mail, phone number or free text is an example, and a record that
still holds it was copied and not filled in.

Every rule here runs on every kind of record (`check.rule("*")`) and skips a value that is not of
the shape it expects: the schema reports that.
"""
from __future__ import annotations

import datetime
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from . import check, messages
from .load import Loaded, field_path, load_file
from .problems import problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_NAME = "_template.yml"

# Domains kept for examples by RFC 2606, whatever a template uses; a template's own hosts are added.
RESERVED_EXAMPLE_HOSTS = ("example.org", "example.com", "example.net")


# ---------------------------------------------------------------- walking a record


def strings(data, at: tuple = ()):
    """(path, text) of every text value in `data`, however deep; other values are skipped."""
    if isinstance(data, str):
        yield at, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, at + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, at + (index,))


def _plain(text: str) -> str:
    """Text compared without case, spaces and punctuation: "Kyrkans Second-Hand" == "kyrkans second hand"."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", text).casefold())


_NOT_ALNUM = re.compile(r"[\W_]+")


# ---------------------------------------------------------------- addresses and numbers in text

EMAIL = re.compile(r"(?<![\w.%+-])([\w.%+-]+)@((?:[\w-]+\.)+[a-zA-Z]{2,})(?![\w-])")
URL_HOST = re.compile(r"(?i)\b(?:https?://|www\.)([\w.-]+)")
# A phone number as people write it: starts with 0, +46 or 0046, then digits with spaces, hyphens, brackets.
PHONE = re.compile(r"(?<![\w+])((?:\+|00)?\d[\d ()-]{4,18}\d)(?![\w])")
_HAS_DIGITS = re.compile(r"\d[\d ()-]{4}")


def emails(text: str) -> list[str]:
    if "@" not in text:
        return []
    return [f"{m.group(1)}@{m.group(2)}" for m in EMAIL.finditer(text)]


def national_number(written: str) -> str | None:
    """The number as Swedish digits from 0 ("070-123 45 67", "+46 (0)70 123 45 67" -> "0701234567"),
    or None when the text is not a Swedish phone number (a date, an amount, an organisation number)."""
    if not re.fullmatch(r"[\d +()-]+", written) or re.search(r"\d{4}-\d{2}-\d{2}", written):
        return None
    digits = re.sub(r"\D", "", written)
    stripped = written.lstrip()
    if stripped.startswith("+46") or stripped.startswith("0046"):
        digits = digits[2:] if stripped.startswith("+") else digits[4:]
        digits = digits if digits.startswith("0") else "0" + digits
    elif stripped.startswith("+") or stripped.startswith("00"):
        return None  # a number abroad: not ours to judge
    if not digits.startswith("0") or not 8 <= len(digits) <= 10:
        return None
    return digits


def phone_numbers(text: str) -> list[tuple[str, str]]:
    """(as written, national digits) of every Swedish phone number in the text."""
    found = []
    if not _HAS_DIGITS.search(text):
        return found
    for match in PHONE.finditer(text):
        written = match.group(1).strip()
        number = national_number(written)
        if number:
            found.append((written, number))
    return found


# Swedish mobile numbers start 070, 072, 073, 076 or 079. 071 (machines), 074 and 075 (personal
# numbers), 077 (0771: shared-cost switchboards of agencies) and 078 are not a person's mobile.
MOBILE_PREFIXES = ("070", "072", "073", "076", "079")


def is_mobile(number: str) -> bool:
    """Whether a number as written is a Swedish mobile number (a person's, not a switchboard)."""
    return _is_mobile_national(national_number(number))


def _is_mobile_national(national: str | None) -> bool:
    return bool(national) and len(national) == 10 and national.startswith(MOBILE_PREFIXES)


# ---------------------------------------------------------------- is an address a person's?

# Words that name a role, a desk or a place in an organisation: an address made of them is a role address.
ROLE_WORDS = frozenset("""
info information kontakt kontakta kontakten butik butiken butiker reception receptionen vaxel vxl admin
administration post posten postlada hej hallo ekonomi ekonomin handledare handledarna handledning
kansli kansliet kontor kontoret registrator registratur support order press media webb web webmaster
noreply no reply donotreply mail epost email kundtjanst kundservice service bokning bokningar personal hr
rekrytering jobb jobba arbete styrelse styrelsen ordforande ordf verksamhet verksamheten projekt
second hand secondhand kafe cafe cafeet lager insamling gava gavor volontar volontarer frivillig
frivilliga medlem medlemmar medlemskap fakturor faktura invoice office sales salj forsaljning inkop
hamtning leverans transport sortering kurs kurser utbildning deltagare arbetstraning praktik
samordnare samordning chef ledning koordinator team grupp avdelning enhet region kommun lan
stad stadsmission mission kyrka kyrkan forsamling forsamlingen sekreterare diakoni diakon
""".split())

# Common first names in Sweden (Statistics Sweden's most frequent names and frequent names of
# newer Swedes): one such name alone before the @ is a person's address.
FIRST_NAMES = frozenset("""
anna eva maria karin sara kristina lena emma kerstin marie malin ingrid jenny hanna linda elin birgitta
susanne annika johanna sofia inger carina monica ulla elisabeth ida camilla julia agneta margareta
therese helena marianne frida linnea matilda maja alice ella wilma olivia astrid saga ebba klara selma
elsa alva freja signe vera stina lisa louise jessica josefin cecilia asa asa anneli ann lotta emelie
amanda caroline fatima amina aisha leila sana yasmin nadia mariam zahra hawa
lars mikael anders johan erik per karl peter jan thomas daniel fredrik hans bengt stefan mats magnus
andreas bo mattias nils leif jonas goran sven martin alexander oskar oscar henrik ulf bjorn niklas
patrik christer kjell rolf tommy robert david gustav emil viktor simon anton william lucas liam hugo
elias adam noah ludvig axel filip isak olle arvid sixten theo vincent melvin love kalle pelle lasse
jonny roger kent ove rune sten tord urban ake arne gunnar ingvar kenneth lennart olof ola
mohammed mohamed muhammad ahmed ali omar hassan hussein yusuf ibrahim mustafa abdi abdullahi khalid
""".split())

SURNAME_ENDINGS = ("sson", "son", "sen", "strom", "berg", "gren", "lund", "qvist", "kvist", "dahl", "holm",
                   "blom", "stedt", "stad", "mark", "ander", "lin", "ius", "ek", "back", "bom", "fors")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def _name_like(part: str) -> bool:
    return part.isalpha() and part not in ROLE_WORDS


def is_personal_email(address: str) -> bool:
    """Whether the e-mail address names a person: a first name alone (anna@), or two or three
    name-like parts joined by `.`, `_` or `-` of which one is a first name, the first an initial or
    the last a surname (anna.svensson@, a.svensson@, sven-erik.berg@). Role words (info, kontakt,
    butik, växel, ...) make it a role address."""
    if not isinstance(address, str) or "@" not in address:
        return False
    local = _ascii(address.rsplit("@", 1)[0]).rstrip("0123456789")
    parts = [p for p in re.split(r"[._-]", local) if p]
    if not parts or any(p in ROLE_WORDS for p in parts) or not all(p.isalpha() for p in parts):
        return False
    if len(parts) == 1:
        word = parts[0]
        if word in FIRST_NAMES:
            return True
        # A first name and a surname written together: annasvensson@
        return any(word.startswith(n) and len(word) - len(n) >= 3 and word.endswith(SURNAME_ENDINGS)
                   for n in FIRST_NAMES if len(n) >= 3)
    if len(parts) > 3 or len(parts[-1]) < 2:
        return False
    return (any(p in FIRST_NAMES for p in parts) or len(parts[0]) == 1
            or (parts[-1].endswith(SURNAME_ENDINGS) and len(parts[-1]) >= 4))


# ---------------------------------------------------------------- the templates' example values


class Examples:
    """The example values of the templates under `root`: hosts, phone numbers and free texts."""

    def __init__(self, hosts: set[str], phones: dict[str, str], texts: dict[str, str]):
        self.hosts = hosts    # example.org and every host a template links or writes to
        self.phones = phones  # national digits -> as the template writes it
        self.texts = texts    # plain text -> as the template writes it
        self.longest = max((len(t) for t in texts.values()), default=0)
        self.shortest = min((len(t) for t in texts.values()), default=0)

    def is_text(self, text: str) -> bool:
        """Whether the text is one of the templates' free texts (case, spaces and punctuation aside)."""
        return (self.shortest <= len(text) <= 2 * self.longest + 20 and _is_free_text(text)
                and _plain(text) in self.texts)

    @property
    def _host_pattern(self) -> re.Pattern:
        if getattr(self, "_compiled", None) is None:
            hosts = "|".join(re.escape(h) for h in sorted(self.hosts, key=len, reverse=True))
            self._compiled = re.compile(rf"(?i)(?:[\w.%+-]+@|https?://|(?<![\w.-]))(?:[\w-]+\.)*(?:{hosts})"
                                        r"(?![\w-]|\.[a-z])[^\s\"'<>)\]]*")
        return self._compiled

    def host_in(self, text: str) -> str | None:
        """The first example address (link, e-mail or domain) in the text, as written."""
        if getattr(self, "_quick", None) is None:
            self._quick = re.compile("|".join(re.escape(h) for h in self.hosts), re.I)
        if not self._quick.search(text):
            return None
        match = self._host_pattern.search(text)
        return match.group(0).rstrip(".,;:") if match else None


def templates(root: Path) -> list[Path]:
    found = []
    for folder in ("data", "methods"):
        if (root / folder).is_dir():
            found.extend(sorted((root / folder).rglob(TEMPLATE_NAME)))
    return found


def _is_free_text(text: str) -> bool:
    """A text a writer composes, not a vocabulary word, an id or a code: it has at least two words."""
    return len(text.split()) >= 2


@lru_cache(maxsize=8)
def examples(root: Path = PROJECT_ROOT) -> Examples:
    hosts = set(RESERVED_EXAMPLE_HOSTS)
    phones: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in templates(Path(root)):
        data = load_file(path, path.name).data
        for at, text in strings(data):
            for address in emails(text):
                hosts.add(address.rsplit("@", 1)[1].lower())
            for match in URL_HOST.finditer(text):
                host = match.group(1).lower().strip(".")
                hosts.add(host[4:] if host.startswith("www.") else host)
            numbers = phone_numbers(text)
            for written, national in numbers:
                phones[national] = written
            if (at and at[-1] in ("phone",)) or numbers or URL_HOST.search(text) or emails(text):
                continue
            if _is_free_text(text):
                texts[_plain(text)] = text.strip()
    return Examples(hosts, phones, texts)


# ---------------------------------------------------------------- today, for consent dates


def today() -> datetime.date:
    """Today's date; HANDBOOK_TODAY=YYYY-MM-DD sets it (for tests and for checking as of a day)."""
    given = os.environ.get("HANDBOOK_TODAY")
    if given:
        try:
            return datetime.date.fromisoformat(given)
        except ValueError:
            pass
    return datetime.date.today()


# ---------------------------------------------------------------- rules


_last: list = [None, ()]


def _texts(loaded: Loaded) -> list[tuple[tuple, str]]:
    """Every text of a file with its path, outside the places the loader has reported already. The
    rules of one file run one after the other, so the last file's list is kept for the next rule."""
    if _last[0] is not loaded:
        _last[0], _last[1] = loaded, [(at, text) for at, text in strings(loaded.data) if at not in loaded.reported]
    return _last[1]


@check.rule("*")
def example_values(handbook, record, loaded: Loaded):
    """The templates' example addresses, phone numbers and texts, wherever they are in a record."""
    found = examples()
    for at, text in _texts(loaded):
        host = found.host_in(text)
        if host:
            yield problem(loaded.path, *loaded.place(at), field_path(at), "placeholder-address", found=host)
            continue
        phone = next((written for written, national in phone_numbers(text) if national in found.phones), None)
        if phone:
            yield problem(loaded.path, *loaded.place(at), field_path(at), "placeholder-phone", found=phone)
            continue
        if found.is_text(text):
            shown = text.strip()
            yield problem(loaded.path, *loaded.place(at), field_path(at), "placeholder-text",
                          found=shown if len(shown) <= 60 else shown[:57] + "...")


def _contacts(record) -> list:
    contacts = record.get("contacts")
    return [c for c in contacts if hasattr(c, "get")] if isinstance(contacts, tuple) else []


def _consented(record) -> tuple[set[str], set[str]]:
    """The e-mail addresses and phone numbers (national digits) of contacts with a consent date."""
    addresses, numbers = set(), set()
    for contact in _contacts(record):
        if not contact.get("consent"):
            continue
        if isinstance(contact.get("email"), str):
            addresses.add(contact["email"].strip().lower())
        if isinstance(contact.get("phone"), str):
            numbers.add(national_number(contact["phone"]) or contact["phone"])
    return addresses, numbers


@check.rule("*")
def personal_data(handbook, record, loaded: Loaded):
    """A person's e-mail address or mobile number, anywhere in a record, needs a contact with consent."""
    addresses, numbers = _consented(record)
    for at, text in _texts(loaded):
        if len(at) == 3 and at[0] == "contacts" and at[2] in ("email", "phone"):
            continue  # a contact's own address and number: the rule `consent` asks for its consent
        for address in emails(text):
            if is_personal_email(address) and address.lower() not in addresses:
                yield problem(loaded.path, *loaded.place(at), field_path(at), "personal-email", found=address)
        for written, national in phone_numbers(text):
            if _is_mobile_national(national) and national not in numbers:
                yield problem(loaded.path, *loaded.place(at), field_path(at), "personal-phone", found=written)


@check.rule("*")
def consent_not_in_the_future(handbook, record, loaded: Loaded):
    now = today()
    for index, contact in enumerate(_contacts(record)):
        consent = contact.get("consent")
        if not isinstance(consent, str):
            continue
        try:
            given = datetime.date.fromisoformat(consent)
        except ValueError:
            continue  # not a date: the schema says so
        if given > now:
            line, column = loaded.place(("contacts", index, "consent"))
            yield problem(loaded.path, line, column, field_path(("contacts", index, "consent")), "consent-future",
                          date=consent, today=now.isoformat(), name=contact.get("name", "?"))


# ---------------------------------------------------------------- the same thing twice

# Kinds whose records may share a title: an activity is a row of a budget, and "Avstämningsmöte per
# telefon" can be the row of May and of June.
TITLES_MAY_REPEAT = {"activity"}


def _title_field(kind) -> str | None:
    props = kind.schema.get("properties", {})
    for name in ("name", "title", "term"):
        if name in props and name in kind.schema.get("required", ()):
            return name
    return None


def parent_field(kind) -> str | None:
    """The required field that names the record this one belongs to (a criterion's `area`, a
    package's `project`), read from the schema's `x-ref`; None for a kind that stands alone."""
    props = kind.schema.get("properties", {})
    for name in kind.schema.get("required", ()):
        target = props.get(name, {}).get("x-ref") if isinstance(props.get(name), dict) else None
        if target and not target.startswith("term:") and target != "county":
            return name
    return None


@lru_cache(maxsize=8)
def _kinds(schema_dir: Path):
    from .kinds import load_kinds

    return load_kinds(schema_dir)


def _kind(handbook, record):
    from .content import PROJECT_SCHEMAS

    return _kinds(PROJECT_SCHEMAS).get(record.kind)


def _title_text(value) -> str | None:
    if isinstance(value, str):
        return value
    if hasattr(value, "get") and isinstance(value.get("sv"), str):
        return value.get("sv")
    return None


def _siblings(handbook, record, parent: str | None) -> list:
    if parent is None:
        return handbook.all(record.kind)
    owner = record.get(parent)
    if not isinstance(owner, str):
        return []
    return [r for r in handbook.all(record.kind) if r.get(parent) == owner]


def _title_index(handbook, kind_name: str, field: str, parent: str | None) -> dict:
    """(parent, plain title) -> the records that have it, computed once per content tree and kind."""
    key = (kind_name, field, parent)
    if _INDEXES[0] is not handbook:  # one content tree at a time: a new load starts a new index
        _INDEXES[0], _INDEXES[1] = handbook, {}
    cache = _INDEXES[1]
    if key not in cache:
        index: dict = {}
        for other in handbook.all(kind_name):
            text = _title_text(other.get(field))
            owner = other.get(parent) if parent else None
            if text and _plain(text) and (parent is None or isinstance(owner, str)):
                index.setdefault((owner, _plain(text)), []).append(other)
        cache[key] = index
    return cache[key]


_INDEXES: list = [None, {}]


@check.rule("*")
def same_name_or_title(handbook, record, loaded: Loaded):
    """Two organisations with one name, or two records of a kind with one title in one parent. Both
    files are reported, each naming the other: either of them may be the copy a partner is editing."""
    kind = _kind(handbook, record)
    if kind is None or kind.name in TITLES_MAY_REPEAT:
        return
    field = _title_field(kind)
    text = _title_text(record.get(field)) if field else None
    if not text or not _plain(text):
        return
    parent = parent_field(kind)
    owner = record.get(parent) if parent else None
    if parent and not isinstance(owner, str):
        return
    others = sorted((r for r in _title_index(handbook, kind.name, field, parent).get((owner, _plain(text)), ())
                     if r.id != record.id), key=lambda r: r.id)
    if others:
        at = (field, "sv") if hasattr(record.get(field), "get") else (field,)
        line, column = loaded.place(at)
        rule = "duplicate-name" if kind.name == "organisation" else "duplicate-title"
        yield problem(loaded.path, line, column, field_path(at), rule, found=text.strip(), other=others[0].path)


# `order` within one parent, for kinds that have no such rule of their own (the quality model checks
# its areas and criteria; a package's `number` is checked in the work packages).
ORDER_WORDS = {"module": {"sv": "modul", "en": "module"},
               "activity": {"sv": "aktivitet i ett projekt", "en": "activity of a project"}}


def _order_rule(kind_name: str):
    def unique_order(handbook, record, loaded: Loaded):
        order = record.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            return
        kind = _kind(handbook, record)
        parent = parent_field(kind) if kind else None
        earlier = sorted((r for r in _siblings(handbook, record, parent) if r.id < record.id and r.get("order") == order),
                         key=lambda r: r.id)
        if earlier:
            line, column = loaded.place(("order",))
            words = ORDER_WORDS[kind_name]
            yield problem(loaded.path, line, column, "order", "duplicate-order", order=order,
                          other=f"`{earlier[0].path}`", what=words.get(messages.language(), words["en"]))
    unique_order.__name__ = f"unique_{kind_name}_order"
    return unique_order


for _name in ORDER_WORDS:
    check.rule(_name)(_order_rule(_name))


def org_number_ok(number: str) -> bool:
    """A Swedish organisation number's last digit checks the other nine (the Luhn algorithm)."""
    digits = [int(d) for d in number if d.isdigit()]
    if len(digits) != 10:
        return False
    total = 0
    for index, digit in enumerate(digits[:9]):
        value = digit * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == digits[9]


@check.rule("organisation")
def org_number(handbook, record, loaded: Loaded):
    """An organisation number that cannot be one (a typo), or that another organisation has (a copied file)."""
    number = record.get("org_number")
    if not isinstance(number, str) or not re.fullmatch(r"[0-9]{6}-[0-9]{4}", number):
        return  # no number, or the schema has already said what is wrong with it
    line, column = loaded.place(("org_number",))
    if not org_number_ok(number):
        yield problem(loaded.path, line, column, "org_number", "org-number-check", found=number)
        return
    others = sorted(r.path for r in handbook.all("organisation") if r.id != record.id and r.get("org_number") == number)
    if others:
        yield problem(loaded.path, line, column, "org_number", "duplicate-org-number", found=number, other=others[0])
