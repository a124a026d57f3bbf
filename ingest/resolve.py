"""Entity resolution: the same school, vendor or person, however each system writes it.

Schools match by alias, by acronym ("LES") and by fuzzy name with abbreviations expanded
("Lincoln Elem" = "LINCOLN ELEMENTARY SCHOOL"); vendors by name without corporate suffixes
("Google LLC" = "Google for Education"); people by employee id, then email, then name, with
the keys of ``ingest.people_match`` (plus-addressing, leading zeros, "Last, First"): a name
two people share matches neither.
A ``Resolver`` caches every lookup for one transaction, so a million rows cost a few queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ingest.people_match import (
    PersonRecord,
    email_key,
    employee_key,
    is_work_address,
    record_name,
)
from ingest.schema import Location, LocationAlias, Person, Vendor, VendorAlias

_WORD = re.compile(r"[a-z0-9]+")
ABBREVIATIONS = {
    "elem": "elementary",
    "el": "elementary",
    "es": "elementary",
    "ms": "middle",
    "mid": "middle",
    "hs": "high",
    "jr": "junior",
    "sr": "senior",
    "sch": "school",
    "schl": "school",
    "ctr": "center",
    "dist": "district",
    "ofc": "office",
    "admin": "administration",
    "dept": "department",
}
SCHOOL_FILLER = {"school", "the", "of", "dept", "department"}
# Words that tell nothing about which company it is ("Lexia Learning Systems LLC" = "Lexia").
VENDOR_FILLER = {
    "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "lp",
    "plc", "for", "education", "k12", "edu", "usa", "us", "the", "group", "systems", "solutions",
    "technologies", "technology", "tech", "software", "learning", "net", "com", "app",
    "international", "marketing",
}  # fmt: skip
LOCATION_CUTOFF = 90.0
VENDOR_CUTOFF = 92.0


def location_key(name: str) -> str:
    """'LINCOLN ELEM. SCHOOL' -> 'lincoln elementary': the form fuzzy matching compares."""
    words = [ABBREVIATIONS.get(w, w) for w in _WORD.findall(name.lower())]
    return " ".join(w for w in words if w not in SCHOOL_FILLER)


LEVEL_ABBREVIATIONS = {"es": "elementary", "ms": "middle", "hs": "high", "elem": "elementary"}
LEVELS = {"elementary", "middle", "high"}


def acronym(name: str) -> str:
    """'Lincoln Elementary School', 'Lincoln ES', 'LINCOLN ELEM' -> 'LES'."""
    words = [LEVEL_ABBREVIATIONS.get(w, w) for w in _WORD.findall(name.lower())]
    full: list[str] = []
    for index, word in enumerate(words):
        full.append(word)
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in LEVELS and following != "school":
            full.append("school")
    return "".join(word[0] for word in full).upper()


def name_quality(name: str) -> tuple[int, int, int, int]:
    """How good a school name is to show: words spelled out, no abbreviations, not all capitals."""
    words = _WORD.findall(name.lower())
    short = sum(1 for w in words if w in ABBREVIATIONS or w in LEVEL_ABBREVIATIONS)
    return (len(words) - short, -short, int(not name.isupper()), len(name))


def is_acronym(name: str) -> bool:
    """'LES', 'MVMS': short, all capitals, letters only."""
    token = name.strip()
    return token.isupper() and token.isalpha() and 2 <= len(token) <= 5


def vendor_key(name: str) -> str:
    """'Google LLC', 'Gaggle.Net, Inc.', 'Pear Deck' -> 'google', 'gaggle', 'peardeck'.

    'X dba Y' is Y, 'Product (Company)' is the company; filler words and spaces are dropped.
    """
    text = name.lower().replace("&", " and ").replace("l.p.", "lp")
    if " dba " in f" {text} ":
        text = text.split("dba", 1)[1]
    elif match := re.search(r"\(([^)]+)\)", text):
        text = match.group(1)
    words = _WORD.findall(text.replace("'", ""))
    kept = [w for w in words if w not in VENDOR_FILLER] or words
    return "".join(kept)


def vendor_first_word(name: str) -> str:
    """The distinctive first word of a vendor's name ('comcast' of 'Comcast Business')."""
    words = [w for w in _WORD.findall(name.lower()) if w not in VENDOR_FILLER]
    return words[0] if words else ""


def vendor_display_name(name: str) -> str:
    """The name shown for a new vendor: as written, without corporate suffixes or 'dba'."""
    if " dba " in f" {name.lower()} ":
        name = name[name.lower().index("dba") + 3 :]
    elif match := re.search(r"\(([^)]+)\)", name):
        name = match.group(1)
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower().strip(".") in CORPORATE_SUFFIXES | {"usa", "us"}:
        words.pop()
    words[-1] = re.sub(r"\.(net|com|org|io)$", "", words[-1], flags=re.I)
    if len(words) > 2 and words[-2].lower() == "for":
        words = words[:-2]
    return " ".join(words).strip() or name.strip()


CORPORATE_SUFFIXES = {"llc", "inc", "incorporated", "corp", "corporation", "co", "ltd", "limited",
                      "lp", "l.p", "plc"}  # fmt: skip


@lru_cache
def shipped_vendor_aliases() -> dict[str, str]:
    """Alias key -> canonical vendor name, from the table shipped with the package."""
    import yaml  # here: answering a question never reads the table

    text = (resources.files("ingest") / "vendor_aliases.yaml").read_text(encoding="utf-8")
    table: dict[str, list[str]] = yaml.safe_load(text)
    return {
        vendor_key(alias): canonical for canonical, aliases in table.items() for alias in aliases
    }


class Resolver:
    """Finds or creates locations, vendors and people; caches every answer."""

    def __init__(self, session: Session, vendor_aliases: dict[str, str] | None = None) -> None:
        self.session = session
        self._aliases = shipped_vendor_aliases() | {
            vendor_key(alias): canonical for alias, canonical in (vendor_aliases or {}).items()
        }
        self._vendor_first: defaultdict[str, set[int]] = defaultdict(set)
        self._locations: dict[str, int] = {}
        self._location_keys: dict[str, int] = {}
        self._location_names: dict[int, str] = {}
        self._exact_seen: set[str] = set()
        self._aliases_stored: set[str] = set()
        self._vendors: dict[str, int] = {}
        self._people_email: dict[str, int] = {}
        self._people_employee: dict[str, int] = {}
        self._people_name: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        self._load()

    def _load(self) -> None:
        for loc_id, name in self.session.execute(select(Location.id, Location.name)):
            self._remember_location(name, loc_id)
        for alias, loc_id in self.session.execute(
            select(LocationAlias.alias, LocationAlias.location_id)
        ):
            self._locations[alias] = loc_id
            self._aliases_stored.add(alias)
        for vendor_id, name in self.session.execute(select(Vendor.id, Vendor.name)):
            self._vendors[vendor_key(name)] = vendor_id
            self._vendor_first[vendor_first_word(name)].add(vendor_id)
        for alias, vendor_id in self.session.execute(
            select(VendorAlias.alias, VendorAlias.vendor_id)
        ):
            self._vendors[alias] = vendor_id
        for person_id, email, employee_id, name in self.session.execute(
            select(Person.id, Person.email, Person.employee_id, Person.name)
        ):
            self._remember_person(person_id, email, employee_id, name)

    def _remember_location(self, name: str, loc_id: int) -> None:
        self._locations[name.strip().lower()] = loc_id
        self._location_keys[location_key(name)] = loc_id
        self._location_names[loc_id] = name

    def location_id(self, name: str | None, *, create: bool = True) -> int | None:
        """The location a name refers to; a name that matches none becomes a new location."""
        if not name or not name.strip():
            return None
        raw = name.strip().lower()
        if raw in self._locations:
            found = self._locations[raw]
            if name.strip() not in self._exact_seen:
                self._exact_seen.add(name.strip())
                if name_quality(name.strip()) > name_quality(self._location_names[found]):
                    self._rename_location(found, name.strip())
            return found
        found = self._match_location(name)
        if found is None and not create:
            return None
        if found is None:
            found = self._new_location(name.strip())
        elif name_quality(name.strip()) > name_quality(self._location_names[found]):
            self._rename_location(found, name.strip())
        else:
            self._add_alias(raw, found)
        self._locations[raw] = found
        return found

    def _match_location(self, name: str) -> int | None:
        key = location_key(name)
        if key in self._location_keys:
            return self._location_keys[key]
        token = name.strip()
        if is_acronym(token):
            hits = {i for i, full in self._location_names.items() if acronym(full) == token}
        else:
            hits = {i for i, short in self._location_names.items()
                    if is_acronym(short) and short == acronym(token)}  # fmt: skip
        if len(hits) == 1:
            return hits.pop()
        if self._location_keys:
            match = process.extractOne(key, list(self._location_keys), scorer=fuzz.token_sort_ratio)
            if match and match[1] >= LOCATION_CUTOFF:
                return self._location_keys[match[0]]
        return None

    def _rename_location(self, loc_id: int, name: str) -> None:
        """A name seen first ("LES", "Lincoln Elem") gives way to a fuller one once that appears."""
        short = self._location_names[loc_id]
        self.session.execute(update(Location).where(Location.id == loc_id).values(name=name))
        self._remember_location(name, loc_id)
        self._add_alias(short.lower(), loc_id)
        self._locations[short.lower()] = loc_id

    def _new_location(self, name: str, kind: str | None = None) -> int:
        loc_id = self.session.execute(
            insert(Location).values(name=name, kind=kind).returning(Location.id)
        ).scalar_one()
        self._remember_location(name, loc_id)
        return loc_id

    def _add_alias(self, alias: str, loc_id: int) -> None:
        if (
            alias != self._location_names[loc_id].strip().lower()
            and alias not in self._aliases_stored
        ):
            self.session.execute(insert(LocationAlias).values(alias=alias, location_id=loc_id))
            self._aliases_stored.add(alias)

    def define_location(self, name: str, aliases: list[str], kind: str | None) -> tuple[int, bool]:
        """A location from a school directory: its own name wins, aliases point at it."""
        existing = self._locations.get(name.strip().lower()) or self._match_location(name)
        created = existing is None
        loc_id = existing if existing is not None else self._new_location(name.strip(), kind)
        for alias in aliases:
            key = alias.strip().lower()
            if key and key not in self._locations:
                self._add_alias(key, loc_id)
                self._locations[key] = loc_id
        return loc_id, created

    def location_name(self, loc_id: int | None) -> str | None:
        """The canonical name of a location id."""
        return self._location_names.get(loc_id) if loc_id is not None else None

    def vendor_id(self, name: str | None) -> int | None:
        """The vendor a name refers to; an unknown vendor is created under its cleaned name."""
        if not name or not name.strip():
            return None
        key = vendor_key(name)
        if key in self._vendors:
            return self._vendors[key]
        canonical = self._aliases.get(key)
        found = self._vendors.get(vendor_key(canonical)) if canonical else self._match_vendor(name)
        if found is None:
            shown = canonical or vendor_display_name(name)
            found = self.session.execute(
                insert(Vendor).values(name=shown).returning(Vendor.id)
            ).scalar_one()
            self._vendors[vendor_key(shown)] = found
            self._vendor_first[vendor_first_word(shown)].add(found)
        if key not in self._vendors:
            self.session.execute(insert(VendorAlias).values(alias=key, vendor_id=found))
        self._vendors[key] = found
        self._vendor_first[vendor_first_word(name)].add(found)
        return found

    def _match_vendor(self, name: str) -> int | None:
        """The same first word (if only one vendor has it), else a close fuzzy match."""
        first = vendor_first_word(name)
        if len(first) >= 4 and len(self._vendor_first.get(first, ())) == 1:
            return next(iter(self._vendor_first[first]))
        match = process.extractOne(vendor_key(name), list(self._vendors), scorer=fuzz.ratio)
        return self._vendors[match[0]] if match and match[1] >= VENDOR_CUTOFF else None

    def _remember_person(
        self, person_id: int, email: str | None, employee_id: str | None, name: str | None
    ) -> None:
        if key := email_key(email):
            self._people_email[key] = person_id
        if key := employee_key(employee_id):
            self._people_employee[key] = person_id
        if found := _name_of(name, email):
            self._people_name[found].add(person_id)

    def find_person(
        self, *, email: str | None = None, employee_id: str | None = None, name: str | None = None
    ) -> int | None:
        """A person by employee id, then email, then a name only one person has."""
        if (key := employee_key(employee_id)) and (found := self._people_employee.get(key)):
            return found
        if (key := email_key(email)) and (found := self._people_email.get(key)):
            return found
        if is_work_address(email):
            return None  # a district address we do not know is someone new, whatever the name
        if (wanted := _name_of(name, None)) and len(ids := self._people_name.get(wanted, ())) == 1:
            return next(iter(ids))
        return None

    def person_id(
        self, *, email: str | None = None, name: str | None = None, employee_id: str | None = None
    ) -> int | None:
        """A device owner or requester; an unknown email becomes a person not in the roster."""
        found = self.find_person(email=email, name=name, employee_id=employee_id)
        if found is not None or not email or "@" not in email:
            return found
        person_id = self.session.execute(
            insert(Person)
            .values(email=email.strip().lower(), name=name, in_roster=False)
            .returning(Person.id)
        ).scalar_one()
        self._remember_person(person_id, email.strip().lower(), None, name)
        return person_id

    def ensure_people(self, owners: dict[str, str | None]) -> None:
        """Create, in one batch, a person for every email not known yet (name may be None)."""
        missing: dict[str, str | None] = {}
        claimed: set[str] = set()  # one new person per address, however it is written
        for email, name in owners.items():
            key = email_key(email)
            if key and key not in self._people_email and key not in claimed:
                claimed.add(key)
                missing[email.strip().lower()] = name
        if not missing:
            return
        rows = [{"email": e, "name": n, "in_roster": False} for e, n in missing.items()]
        for start in range(0, len(rows), 20_000):
            self.session.execute(insert(Person.__table__), rows[start : start + 20_000])
        for start in range(0, len(missing), 5_000):
            chunk = list(missing)[start : start + 5_000]
            for person_id, email in self.session.execute(
                select(Person.id, Person.email).where(Person.email.in_(chunk))
            ):
                self._remember_person(person_id, email, None, missing[email])

    def remember_person(
        self, person_id: int, email: str | None, employee_id: str | None, name: str | None
    ) -> None:
        """Tell the cache about a person the roster writer created."""
        self._remember_person(person_id, email, employee_id, name)


@lru_cache(maxsize=65536)
def _name_of(name: str | None, email: str | None) -> tuple[str, str] | None:
    """The (first, last) key of a name, or of a ``first.last`` address when there is no name."""
    found = record_name(PersonRecord(name=name, email=email))
    return found.key if found else None
