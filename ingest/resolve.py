"""Entity resolution: the same school, vendor or person, however each system writes it.

Schools match by alias, by acronym ("LES") and by fuzzy name with abbreviations expanded
("Lincoln Elem" = "LINCOLN ELEMENTARY SCHOOL"); vendors by name without corporate suffixes
("Google LLC" = "Google for Education"); people by email, then employee id, then name.
A ``Resolver`` caches every lookup for one transaction, so a million rows cost a few queries.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

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
}
SCHOOL_FILLER = {"school", "the", "of"}
VENDOR_FILLER = {
    "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "lp", "plc",
    "for", "education", "k12", "edu", "usa", "us", "the",
}  # fmt: skip
LOCATION_CUTOFF = 90.0
VENDOR_CUTOFF = 92.0


def location_key(name: str) -> str:
    """'LINCOLN ELEM. SCHOOL' -> 'lincoln elementary': the form fuzzy matching compares."""
    words = [ABBREVIATIONS.get(w, w) for w in _WORD.findall(name.lower())]
    return " ".join(w for w in words if w not in SCHOOL_FILLER)


def acronym(name: str) -> str:
    """'Lincoln Elementary School' -> 'LES'."""
    return "".join(word[0] for word in _WORD.findall(name.lower())).upper()


def vendor_key(name: str) -> str:
    """'Google LLC', 'Google for Education' -> 'google'."""
    words = _WORD.findall(name.lower().replace("&", " and "))
    kept = [w for w in words if w not in VENDOR_FILLER]
    return " ".join(kept or words)


def vendor_display_name(name: str) -> str:
    """The name shown for a new vendor: as written, without corporate suffixes."""
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower().strip(".") in VENDOR_FILLER:
        words.pop()
    if len(words) > 2 and words[-2].lower() == "for":
        words = words[:-2]
    return " ".join(words)


class Resolver:
    """Finds or creates locations, vendors and people; caches every answer."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._locations: dict[str, int] = {}
        self._location_keys: dict[str, int] = {}
        self._location_names: dict[int, str] = {}
        self._vendors: dict[str, int] = {}
        self._people_email: dict[str, int] = {}
        self._people_employee: dict[str, int] = {}
        self._people_name: dict[str, int] = {}
        self._load()

    def _load(self) -> None:
        for loc_id, name in self.session.execute(select(Location.id, Location.name)):
            self._remember_location(name, loc_id)
        for alias, loc_id in self.session.execute(
            select(LocationAlias.alias, LocationAlias.location_id)
        ):
            self._locations[alias] = loc_id
        for vendor_id, name in self.session.execute(select(Vendor.id, Vendor.name)):
            self._vendors[vendor_key(name)] = vendor_id
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
            return self._locations[raw]
        found = self._match_location(name)
        if found is None and not create:
            return None
        if found is None:
            found = self._new_location(name.strip())
        else:
            self._add_alias(raw, found)
        self._locations[raw] = found
        return found

    def _match_location(self, name: str) -> int | None:
        key = location_key(name)
        if key in self._location_keys:
            return self._location_keys[key]
        token = name.strip()
        if token.isupper() and token.isalpha() and 2 <= len(token) <= 5:
            hits = {i for i, full in self._location_names.items() if acronym(full) == token}
            if len(hits) == 1:
                return hits.pop()
        if self._location_keys:
            match = process.extractOne(key, list(self._location_keys), scorer=fuzz.token_sort_ratio)
            if match and match[1] >= LOCATION_CUTOFF:
                return self._location_keys[match[0]]
        return None

    def _new_location(self, name: str, kind: str | None = None) -> int:
        loc_id = self.session.execute(
            insert(Location).values(name=name, kind=kind).returning(Location.id)
        ).scalar_one()
        self._remember_location(name, loc_id)
        return loc_id

    def _add_alias(self, alias: str, loc_id: int) -> None:
        if alias != self._location_names[loc_id].strip().lower():
            self.session.execute(insert(LocationAlias).values(alias=alias, location_id=loc_id))

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
        match = process.extractOne(key, list(self._vendors), scorer=fuzz.token_sort_ratio)
        if match and match[1] >= VENDOR_CUTOFF:
            vendor_id = self._vendors[match[0]]
            self.session.execute(insert(VendorAlias).values(alias=key, vendor_id=vendor_id))
        else:
            vendor_id = self.session.execute(
                insert(Vendor).values(name=vendor_display_name(name.strip())).returning(Vendor.id)
            ).scalar_one()
        self._vendors[key] = vendor_id
        return vendor_id

    def _remember_person(
        self, person_id: int, email: str | None, employee_id: str | None, name: str | None
    ) -> None:
        if email:
            self._people_email[email.lower()] = person_id
        if employee_id:
            self._people_employee[employee_id] = person_id
        if name:
            self._people_name.setdefault(name.strip().lower(), person_id)

    def find_person(
        self, *, email: str | None = None, employee_id: str | None = None, name: str | None = None
    ) -> int | None:
        """A person by email, then employee id, then exact name (case-insensitive)."""
        if email and (found := self._people_email.get(email.strip().lower())):
            return found
        if employee_id and (found := self._people_employee.get(employee_id.strip())):
            return found
        if name and (found := self._people_name.get(name.strip().lower())):
            return found
        return None

    def person_id(self, *, email: str | None = None, name: str | None = None) -> int | None:
        """A device owner or requester; an unknown email becomes a person not in the roster."""
        found = self.find_person(email=email, name=name)
        if found is not None or not email or "@" not in email:
            return found
        person_id = self.session.execute(
            insert(Person)
            .values(email=email.strip().lower(), name=name, in_roster=False)
            .returning(Person.id)
        ).scalar_one()
        self._remember_person(person_id, email.strip().lower(), None, name)
        return person_id

    def remember_person(
        self, person_id: int, email: str | None, employee_id: str | None, name: str | None
    ) -> None:
        """Tell the cache about a person the roster writer created."""
        self._remember_person(person_id, email, employee_id, name)
