"""Is this the same person? The HR roster, Snipe-IT, Google Admin and the help desks each write
people their own way, and a device or a ticket is only joined to its person if we can tell.

The evidence is weighed in the order a careful person would use it:

1. employee ids, when both records have one (leading zeros and spaces do not count);
2. e-mail addresses, when both have one: case, spaces and plus-addressing
   (``maria.lopez+ipad@``) do not count; two different addresses on the district's own domain
   are two people (duplicates get a digit: ``maria.garcia2@``), and a student domain against a
   staff one is two people; a personal address against a work one settles nothing;
3. names, "Last, First" or "First Last", accents, apostrophes, hyphens, middle initials and
   suffixes aside; or a name read from an e-mail's ``first.last`` or a ``first.last`` username.
   A name is accepted only when it is full (first and last), agrees on suffix and middle
   initial, no account of either record is a numbered one (``maria.garcia2``: the second
   person of that name), and the population does not hold two people of that name
   (``NamePopulation``): a name shared by two people of the roster never settles who is who.
   Two bare names (neither record has an e-mail or an employee id) need a population to say
   the name is not shared; with none, they are not enough.

Students (a student e-mail domain, a student number) are their own population: never the same
person as a staff record. ``same_person`` is pure, so the blind pairs test scores it directly;
``PersonIndex`` applies the same keys to find a person among many.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

_LETTERS = re.compile(r"[^a-z ]+")
SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd"}
TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx"}
# Words joined to the surname that follows them ("de la Cruz", "Van Buren").
PARTICLES = {"de", "del", "la", "las", "los", "van", "von", "der", "den", "da", "di", "du", "le",
             "st", "mac", "mc", "bin", "al", "el"}  # fmt: skip
# Domain labels that say an address belongs to a student (s123@students.district.org).
STUDENT_LABELS = {"student", "students", "stu", "learner", "learners", "pupil", "pupils"}
# Free mail providers: an address there is someone's own, not the district's.
PERSONAL_DOMAINS = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com",
                    "aol.com", "live.com", "msn.com", "comcast.net", "me.com", "protonmail.com"}  # fmt: skip


class Population(Enum):
    """Which kind of person a record is about, as far as the record itself says."""

    STAFF = "staff"
    STUDENT = "student"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PersonRecord:
    """One system's view of a person; any field may be blank."""

    employee_id: str | None = None
    email: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    is_roster: bool = False


@dataclass(frozen=True)
class Name:
    """A name reduced to what identifies: first, last (particles and hyphens joined), middle
    initial and suffix, all lower case ASCII letters."""

    first: str
    last: str
    middle: str = ""
    suffix: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What two records of one person share: first and last name."""
        return (self.first, self.last)


def fold(text: str) -> str:
    """'José O'Brien-Smith' -> 'jose obriensmith' (accents, apostrophes and hyphens dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’`]", "", ascii_text.lower())
    return re.sub(r"\s+", " ", _LETTERS.sub(" ", ascii_text.replace("-", "-"))).strip()


def _words(text: str) -> list[str]:
    cleaned = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    cleaned = re.sub(r"['’`]", "", cleaned)
    return [w for w in re.split(r"[^a-z0-9-]+", cleaned) if w and w.strip("-")]


def _split_tail(words: list[str]) -> tuple[list[str], str]:
    """Words without titles and a trailing suffix, and the suffix."""
    words = [w for w in words if w not in TITLES]
    suffix = ""
    while words and words[-1] in SUFFIXES:
        suffix = words.pop()
    kept = [w for w in words if w not in SUFFIXES] if not suffix else words
    if not suffix:
        found = [w for w in words if w in SUFFIXES]
        suffix = found[0] if found else ""
    return kept, suffix


def _surname(words: list[str]) -> str:
    return "".join(w.replace("-", "") for w in words)


def parse_name(name: str | None, first: str | None = None, last: str | None = None) -> Name | None:
    """A name from "Last, First M.", "First M. Last", or separate first and last fields.

    Returns None when fewer than a first and a last name can be read.
    """
    if first and last:
        f_words, _ = _split_tail(_words(first))
        l_words, suffix = _split_tail(_words(last))
        if f_words and l_words:
            middle = f_words[1][0] if len(f_words) > 1 else ""
            return Name(f_words[0].replace("-", ""), _surname(l_words), middle, suffix)
    if not name or not name.strip():
        return None
    if "," in name:
        head, _, tail = name.partition(",")
        tail_words, suffix = _split_tail(_words(tail))
        head_words, head_suffix = _split_tail(_words(head))
        if tail_words and head_words:
            return Name(
                tail_words[0].replace("-", ""),
                _surname(head_words),
                tail_words[1][0] if len(tail_words) > 1 else "",
                suffix or head_suffix,
            )
        if not tail_words and tail.strip():  # "Smith Jr., John"? no: "John Smith, Jr."
            name = head
    words, suffix = _split_tail(_words(name))
    if len(words) < 2:
        return None
    last_start = len(words) - 1
    while last_start > 1 and words[last_start - 1] in PARTICLES:
        last_start -= 1
    middle = words[1][0] if last_start > 1 else ""
    return Name(words[0].replace("-", ""), _surname(words[last_start:]), middle, suffix)


def email_key(email: str | None) -> str | None:
    """'  Maria.Lopez+iPad@District.org ' -> 'maria.lopez@district.org'; None if not an address."""
    if not email:
        return None
    text = email.strip().lower()
    if match := re.search(r"<([^>]+)>", text):
        text = match.group(1).strip()
    text = text.removeprefix("mailto:")
    local, at, domain = text.partition("@")
    if not at or not local or "." not in domain:
        return None
    return f"{local.split('+', 1)[0]}@{domain.strip()}"


def employee_key(employee_id: str | None) -> str | None:
    """'  004233 ', '4233.0', 'E-4233' -> comparable forms ('4233', '4233', 'E4233')."""
    if employee_id is None:
        return None
    text = re.sub(r"[\s\-_.]", "", str(employee_id).strip().upper().removesuffix(".0"))
    if not text:
        return None
    match = re.fullmatch(r"([A-Z]*)0*(\d+)", text)
    return f"{match.group(1)}{match.group(2)}" if match else text


def _domain_parts(email: str) -> tuple[str, list[str]]:
    domain = email.rsplit("@", 1)[1]
    labels = domain.split(".")
    return ".".join(labels[-2:]), labels[:-2]


def population_of(record: PersonRecord) -> Population:
    """Staff (on the roster or with a staff address), student, or not said."""
    email = email_key(record.email)
    if email:
        _, sub = _domain_parts(email)
        if STUDENT_LABELS & set(sub):
            return Population.STUDENT
    if record.is_roster:
        return Population.STAFF
    return Population.UNKNOWN


def is_work_address(email: str | None) -> bool:
    """An address on an organisation's domain (not a free-mail one): it names one person."""
    key = email_key(email)
    return key is not None and _domain_parts(key)[0] not in PERSONAL_DOMAINS


def _name_from_local(local: str) -> Name | None:
    """'maria.garcia' (or 'maria_garcia') -> Maria Garcia; 'mgarcia', 's12345' -> None."""
    parts = [p for p in re.split(r"[._]", local) if p]
    if len(parts) < 2 or any(not p.isalpha() for p in parts[:-1]):
        return None
    last = re.sub(r"\d+$", "", parts[-1])
    if not last.isalpha() or len(parts[0]) < 2:
        return None
    middle = parts[1][0] if len(parts) > 2 else ""
    return Name(parts[0], last, middle)


def _has_digit_tail(local: str) -> bool:
    return bool(re.search(r"[a-z]\d+$", local))


def record_name(record: PersonRecord) -> Name | None:
    """The record's own name, else one read from its e-mail or username."""
    found = parse_name(record.name, record.first_name, record.last_name)
    if found:
        return found
    for text in (email_key(record.email), record.username):
        if text:
            local = text.split("@", 1)[0].strip().lower()
            if not _has_digit_tail(local) and (derived := _name_from_local(local)):
                return derived
    return None


class NamePopulation:
    """How many people of one name a population (the HR roster) holds: the name guard."""

    def __init__(self, names: Iterable[Name]) -> None:
        self._counts = Counter(name.key for name in names)

    @classmethod
    def of(cls, records: Iterable[PersonRecord]) -> NamePopulation:
        """The population of these records' names."""
        return cls(name for record in records if (name := record_name(record)))

    def is_shared(self, name: Name) -> bool:
        """Two or more people of the population have this first and last name."""
        return self._counts[name.key] > 1


def _emails_decide(a: str, b: str) -> bool | None:
    """Two addresses: the same (after normalising) is one person; two on the district's domain
    are two people; a free-mail address against another settles nothing (None)."""
    if a == b:
        return True
    (a_root, a_sub), (b_root, b_sub) = _domain_parts(a), _domain_parts(b)
    personal = {a_root, b_root} & PERSONAL_DOMAINS
    if personal:
        return None
    if a_root == b_root:
        return False
    if a.split("@")[0] == b.split("@")[0] and not a_sub and not b_sub:
        return None  # one person under two of the district's domains (a renamed domain)
    return False


def _names_agree(a: Name, b: Name) -> bool:
    if a.last != b.last or a.first != b.first:
        return False
    if a.middle and b.middle and a.middle != b.middle:
        return False
    return a.suffix == b.suffix


def _usernames_decide(a: PersonRecord, b: PersonRecord) -> bool | None:
    """A username equal to the other record's username or e-mail local part is one person."""
    locals_a = {x for x in (a.username, (email_key(a.email) or "").split("@")[0]) if x}
    locals_b = {x for x in (b.username, (email_key(b.email) or "").split("@")[0]) if x}
    if not (a.username or b.username) or not locals_a or not locals_b:
        return None
    if {x.strip().lower() for x in locals_a} & {x.strip().lower() for x in locals_b}:
        return True
    return None


def same_person(a: PersonRecord, b: PersonRecord, population: NamePopulation | None = None) -> bool:
    """Whether two records are surely one person (see the module docstring for the order).

    ``population`` is the roster the records are matched within; a name it holds twice is never
    enough on its own. Without one, a full name that agrees is accepted.
    """
    pop_a, pop_b = population_of(a), population_of(b)
    if Population.STUDENT in (pop_a, pop_b) and pop_a != pop_b:
        return False
    id_a, id_b = employee_key(a.employee_id), employee_key(b.employee_id)
    if id_a and id_b:
        return id_a == id_b
    mail_a, mail_b = email_key(a.email), email_key(b.email)
    if mail_a and mail_b:
        decided = _emails_decide(mail_a, mail_b)
        if decided is not None:
            return decided
    elif by_username := _usernames_decide(a, b):
        return by_username
    name_a, name_b = record_name(a), record_name(b)
    if not name_a or not name_b or not _names_agree(name_a, name_b):
        return False
    if population is None and not (_identified(a) or _identified(b)):
        return False  # two bare names: only a population can say the name is not shared
    if population is not None and population.is_shared(name_a):
        return False
    accounts = [mail_a, mail_b, _username_key(a), _username_key(b)]
    return not any(_numbered(account) for account in accounts)


def _identified(record: PersonRecord) -> bool:
    """The record carries an e-mail or an employee id, not only a name."""
    return bool(email_key(record.email) or employee_key(record.employee_id))


def _username_key(record: PersonRecord) -> str | None:
    """A username as an address on the district's domain, so it reads like one."""
    user = (record.username or "").strip().lower()
    return f"{user}@district.invalid" if user and "@" not in user else email_key(user)


def _numbered(email: str | None) -> bool:
    """'maria.garcia2@': the district's mark of a second person of the same name."""
    if not email or _domain_parts(email)[0] in PERSONAL_DOMAINS:
        return False
    return _has_digit_tail(email.split("@")[0])
