"""Names in a question, matched against the names the data holds, and names that match nothing.

Every kind of name (schools, vendors, products, models, manufacturers, device and ticket
categories, funding sources, help desks, people, departments) is indexed under the forms people
write: the full name, its short form ("Lincoln" for Lincoln Elementary School, "300e" for the
Lenovo 300e Chromebook Gen 2), the aliases ingest learned, plurals. The question is scanned for
the longest known phrase at each word; spelling slips are caught by a fuzzy match (rapidfuzz).

A name-like phrase that matches nothing is reported, never dropped: the structure of the question
says where a name should be ("the X contract", "at X", "from X", "X's", "our X laptops"), so
ordinary words are not mistaken for names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from ingest.resolve import location_key
from tools.catalog import KnownNames

MAX_PHRASE = 6
FUZZY_CUTOFF = 88
_TOKEN = re.compile(r"[a-z0-9]+(?:[.@][a-z0-9]+)*|[a-z0-9]+")
# The look-behind starts a match only where a run of address characters starts: linear time.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Words that mean a kind of thing in general, never one named thing.
GENERIC = frozenset(
    "a an the our my your their this that these those all any each every some no of for in on at to"
    " and or with from by per is are was were be do does did have has it its which what who how"
    " many much when where why school schools elementary middle high district office building"
    " buildings device devices contract contracts vendor vendors app apps ticket tickets model"
    " models new old other others one ones least most more less end start beginning moment time"
    " same only just also again home risk least week month year quarter day today tomorrow"
    " weeks months years quarters days"
    " next last past this coming upcoming current fiscal calendar semester term summer winter"
    " spring fall break students student kids staff teachers teacher people employees users"
    " parents home night once risk first second third large larger largest big biggest small"
    " smallest expensive cheapest active expired expiring current annual yearly monthly multi"
    " software hardware support service services maintenance license licenses licensing"
    " subscription renewal cloud internet phone phones copier printer network wireless security"
    " filtering technology broken cracked assigned retired spare loaner student staff total".split()
)
_STOP_AFTER = GENERIC | frozenset(
    "before after since until by during between within over under than who that whose still"
    " and or but not have has had need needs is are was were will can could should would"
    " renew renews expire expires cost costs break breaks"
    # words that open an instruction or lead into its object, never part of a vendor's name
    " through thru into about across look search check find show list give pull get tell see"
    " pls please you me us".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan"
    " feb mar apr jun jul aug sep sept oct nov dec".split()
)
SCHOOL_WORDS = frozenset({"elementary", "middle", "high", "school", "es", "ms", "hs", "elem"})
CATEGORY_SYNONYMS = {
    "panel": "Interactive Display",
    "interactive panel": "Interactive Display",
    "smart board": "Interactive Display",
    "smartboard": "Interactive Display",
    "ipad": "Tablet",
    "switch": "Network Switch",
    "access point": "Access Point",
    "ap": "Access Point",
    "notebook": "Laptop",
    "macbook": "Laptop",
}
SYSTEM_SYNONYMS = {"iiq": "incident_iq", "snipe": "snipe_it", "snipeit": "snipe_it"}

NOUNS = {  # how a reply names each kind
    "school": "school",
    "vendor": "vendor",
    "product": "product",
    "model": "device model",
    "manufacturer": "manufacturer",
    "category": "device category",
    "ticket_category": "ticket category",
    "funding_source": "funding source",
    "system": "help desk",
    "owner": "person",
    "department": "department",
}
_MASK = {
    "school": "school",
    "vendor": "vendor",
    "product": "product",
    "owner": "someone",
    "model": "devices",
    "manufacturer": "brand",
    "funding_source": "funding",
    "system": "system",
    "serial": "serial number",
    "asset_tag": "asset tag",
}


@dataclass(frozen=True)
class Unknown:
    """A name the question uses that the data does not hold, with names it does hold."""

    kind: str
    term: str
    known: tuple[str, ...] = ()
    ambiguous: bool = False  # the name fits several (``known``), not none

    def reason(self) -> str:
        """The sentence a reply gives: what is missing and what is there instead."""
        noun = NOUNS.get(self.kind, self.kind)
        if self.ambiguous:
            return f"{self.term} could be {' or '.join(self.known)}; which {noun} do you mean?"
        text = f"I don't see a {noun} named {self.term} in the data"
        if self.known:
            text += f"; {noun}s I know include {', '.join(self.known)}"
        return text + "."


@dataclass(frozen=True)
class Found:
    """What a question names: slot -> name as stored, the first unknown name, the masked text."""

    names: dict[str, str] = field(default_factory=dict)
    unknown: Unknown | None = None
    masked: str = ""


@dataclass(frozen=True)
class _Span:
    start: int  # token index
    end: int
    kind: str
    value: str


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Lowercase words with their character offsets ("e-rate" is "e", "rate")."""
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text.lower())]


def _key(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in _tokens(text))


def _is_year(word: str) -> bool:
    return word.isdigit() and (len(word) != 4 or 1900 <= int(word) <= 2100)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("es") and word[:-2].endswith(("sh", "ch", "x")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class EntityFinder:
    """Finds the data's names in questions; build once per set of names (it indexes them)."""

    def __init__(self, known: KnownNames) -> None:
        self.known = known
        self._index: dict[tuple[str, ...], dict[str, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )
        self._by_kind: dict[str, list[str]] = defaultdict(list)
        self._aliases: dict[str, dict[str, str]] = {}
        self._weak: set[tuple[tuple[str, ...], str]] = set()
        self._build()

    # ---- index -------------------------------------------------------------------------------

    def _add(
        self, kind: str, alias: str | Iterable[str], value: str, *, weak: bool = False
    ) -> None:
        """Index a name under one written form; a ``weak`` one-word form ("Curriculum" for
        Curriculum Associates, a product called "Admin") counts only when written as a name.
        """
        key = _key(alias) if isinstance(alias, str) else tuple(alias)
        if not key or len(key) > MAX_PHRASE or (len(key) == 1 and key[0] in GENERIC):
            return
        if weak and len(key) == 1 and kind not in self._index.get(key, {}):
            self._weak.add((key, kind))
        elif (key, kind) in self._weak:
            self._weak.discard((key, kind))  # also a full name: not weak after all
        self._index[key][kind].add(value)
        if len(key) > 1:  # "e rate" is also written "erate"
            self._index[("".join(key),)][kind].add(value)

    def _build(self) -> None:
        k = self.known
        for name in k.schools:
            self._by_kind["school"].append(name)
            self._add("school", name, name)
            self._add("school", location_key(name), name)
            core = [w for w in _key(name) if w not in SCHOOL_WORDS]
            if core and core != list(_key(name)):
                self._add("school", core, name)
        for alias, name in k.school_aliases:
            self._add("school", alias, name)
        for name in k.vendors:
            self._by_kind["vendor"].append(name)
            self._add("vendor", name, name)
            words = _key(name)
            if len(words) > 1 and len(words[0]) >= 3:
                self._add("vendor", words[:1], name, weak=True)  # "Dell" for Dell Marketing
        for alias, name in k.vendor_aliases:
            if len(_key(alias)) == 1 and len(alias) >= 3:
                self._add("vendor", alias, name)
        for product, vendor in k.products:
            short = product.split("(")[0].strip()
            if len(short) >= 4:
                self._by_kind["product"].append(short)
                self._add("product", short, short, weak=True)
                self._add("product_vendor", short, vendor, weak=True)
        for name in k.manufacturers:
            self._by_kind["manufacturer"].append(name)
            self._add("manufacturer", name, name)
        self._index_models(k.models, k.manufacturers, k.categories)
        for name in k.categories:
            self._by_kind["category"].append(name)
            self._add("category", name, name)
        for alias, name in CATEGORY_SYNONYMS.items():
            if name in k.categories:
                self._add("category", alias, name)
        for name in k.ticket_categories:
            if name.lower() != "other":
                self._by_kind["ticket_category"].append(name)
                self._add("ticket_category", name, name)
        for name in k.funding_sources:
            self._by_kind["funding_source"].append(name)
            self._add("funding_source", name, name)
        for name in k.systems:
            self._add("system", name.replace("_", " "), name)
        for alias, name in SYSTEM_SYNONYMS.items():
            if name in k.systems:
                self._add("system", alias, name)
        for name in k.departments:
            self._by_kind["department"].append(name)
            self._add("department", name, name)
            for word in ("department", "dept", "office"):  # "the Technology department"
                self._add("department", f"{name} {word}", name)
        for name, email in k.people:
            if name and len(_key(name)) >= 2:
                self._add("owner", name, email or name)
                self._add("person", name, name)  # as help desks write assignees: by name
            if email:
                self._add("owner", [email.lower()], email)
        self._by_kind = {kind: sorted(set(v), key=str.lower) for kind, v in self._by_kind.items()}

    def _index_models(
        self, models: Iterable[str], makers: Iterable[str], cats: Iterable[str]
    ) -> None:
        maker_words = {w for m in makers for w in _key(m)}
        plain = maker_words | {w for c in cats for w in _key(c)} | {"gen", "ee", "generation"}
        owners: dict[str, set[str]] = defaultdict(set)
        starts: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for model in models:
            self._by_kind["model"].append(model)
            self._add("model", model, model)
            words = _key(model)
            if words and words[0] in maker_words and len(words) > 1:
                self._add("model", words[1:], model)
            if len(words) > 2 and not set(words[:2]) <= plain:
                starts[words[:2]].add(model)  # its first two words, if no other model's
            distinct = [w for w in words if w not in plain and len(w) >= 3 and not _is_year(w)]
            for word in distinct:
                owners[word].add(model)
                for maker in (w for w in words if w in maker_words):
                    starts[(maker, word)].add(model)  # "Dell 3100", "Acer Spin"
        for word, found in owners.items():
            if len(found) == 1:
                self._add("model", [word], next(iter(found)), weak=True)  # "board", "spin"
        for key, found in starts.items():
            if len(found) == 1:
                self._add("model", key, next(iter(found)))  # "MacBook Air", "Latitude 5420"

    # ---- matching ----------------------------------------------------------------------------

    def find(self, question: str) -> Found:
        """The names a question uses, the first name-like phrase that matches none, the masked text."""
        text = question.replace("\u2019", "'")
        tokens = _tokens(text)
        words = [t for t, _, _ in tokens]
        proper = [
            i > 0
            and not _SENTENCE_BREAK.search(text[tokens[i - 1][2] : a])  # "... . Show me": a verb
            and (text[a].isupper() or any(c.isdigit() for c in t))
            for i, (t, a, _) in enumerate(tokens)
        ]
        spans = self._exact(words, proper)
        names: dict[str, str] = {}
        unknown = None
        for span in spans:
            if span.kind.startswith("ambiguous:") and span.kind[10:] not in names:
                if unknown is None and span.kind[10:] in ("school", "vendor", "model"):
                    term = text[tokens[span.start][1] : tokens[span.end - 1][2]]
                    unknown = Unknown(span.kind[10:], term, tuple(span.value.split("|")), True)
            else:
                names.setdefault(span.kind, span.value)
        if "product_vendor" in names:
            names.setdefault("vendor", names.pop("product_vendor"))
        names.pop("product_vendor", None)
        if email := _EMAIL.search(text):
            names.setdefault("owner", email.group(0).lower())
        taken = {i for s in spans for i in range(s.start, s.end)}
        for kinds, start, end in _slots_for_names(words, proper):
            if any(i in taken for i in range(start, end)):
                continue
            term_words = words[start:end]
            match = self._fuzzy(" ".join(term_words), kinds)
            if match is not None:
                names.setdefault(match[0], match[1])
                spans.append(_Span(start, end, match[0], match[1]))
                taken.update(range(start, end))
            elif unknown is None:
                term = text[tokens[start][1] : tokens[end - 1][2]]
                unknown = self._unknown(kinds[0], term)
        return Found(names=names, unknown=unknown, masked=_masked(text, tokens, spans))

    def _exact(self, words: list[str], proper: list[bool]) -> list[_Span]:
        """The longest known phrase at each word, left to right (one-word weak forms only where
        written as a name: capitalised, or just before 'contract' and the like)."""
        spans: list[_Span] = []
        i = 0
        while i < len(words):
            for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
                phrase = tuple(words[i : i + size])
                key = phrase if phrase in self._index else (*phrase[:-1], _singular(phrase[-1]))
                hits = self._index.get(key)
                if (
                    hits
                    and size == 1
                    and not (
                        proper[i] or (i + 1 < len(words) and _CONTRACT_NOUN.match(words[i + 1]))
                    )
                ):
                    hits = {k: v for k, v in hits.items() if (key, k) not in self._weak}
                if hits:
                    for kind, values in hits.items():
                        if len(values) == 1 or kind == "funding_source":  # spellings of one fund
                            spans.append(_Span(i, i + size, kind, min(values)))
                        else:  # an alias two names share names neither: ask which
                            spans.append(
                                _Span(i, i + size, "ambiguous:" + kind, "|".join(sorted(values)))
                            )
                    i += size
                    break
            else:
                i += 1
        return spans

    def _fuzzy(self, term: str, kinds: tuple[str, ...]) -> tuple[str, str] | None:
        """The best close spelling of ``term`` among names of these kinds (e.g. 'Lincon')."""
        for kind in kinds:
            choices = self._choices(kind)
            hit = process.extractOne(term, list(choices), scorer=fuzz.ratio)
            if hit and hit[1] >= FUZZY_CUTOFF:
                return kind, choices[hit[0]]
        return None

    def _choices(self, kind: str) -> dict[str, str]:
        """Every unambiguous alias of one kind -> its name (built on first use, then kept)."""
        if kind not in self._aliases:
            self._aliases[kind] = {
                " ".join(key): next(iter(v[kind]))
                for key, v in self._index.items()
                if len(v.get(kind, ())) == 1
            }
        return self._aliases[kind]

    def _unknown(self, kind: str, term: str) -> Unknown:
        names = self._by_kind.get(kind, [])
        close = [m for m, score, _ in process.extract(term, names, scorer=fuzz.WRatio, limit=3)
                 if score >= 60]  # fmt: skip
        return Unknown(kind, term, tuple(close or names[:5]))


def _masked(text: str, tokens: list[tuple[str, int, int]], spans: list[_Span]) -> str:
    """The question with names replaced by what they are ('at Lincoln' -> 'at school')."""
    out, last = [], 0
    rank = {"manufacturer": 0, "model": 1}
    for span in sorted(spans, key=lambda s: (s.start, rank.get(s.kind, 2))):
        word = _MASK.get(span.kind)
        begin, finish = tokens[span.start][1], tokens[span.end - 1][2]
        if word is None or begin < last:
            continue
        out += [text[last:begin], word]
        last = finish
    return ("".join(out) + text[last:]).strip()


# Between two words, a break that starts a new sentence or clause: its first word is capitalised
# as any sentence's is ("Thanks. Show me...", "HP laptops - What breaks"), not as a name.
_SENTENCE_BREAK = re.compile(r"[.?!:;\n]|\s[-\u2013\u2014]+\s")
_CONTRACT_NOUN = re.compile(r"^(contract|contracts|subscription|subscriptions|license|licenses|"
                            r"licence|agreement|agreements|renewal|invoice|bill|deal)$")  # fmt: skip
# Words that say what kind of agreement it is ("a data privacy agreement"), not whose.
_AGREEMENT_KINDS = frozenset("privacy protection dpa service services level support maintenance"
                             " purchase lease licensing user usage master software use".split())  # fmt: skip
_DEVICE_NOUN = re.compile(r"^(ones|laptops?|chromebooks?|devices?|tablets?|computers?|machines?|"
                          r"models?|desktops?|ipads?)$")  # fmt: skip


def _slots_for_names(
    words: list[str], proper: list[bool]
) -> list[tuple[tuple[str, ...], int, int]]:
    """Where the question's structure puts a name: (kinds it may be, first word, end).

    ``proper[i]`` says word i looks like a name as written (a capital past the first word, or a
    digit), which is what lets 'our Toshiba laptops' count and 'our broken laptops' not.
    """
    found: list[tuple[tuple[str, ...], int, int]] = []
    for i, word in enumerate(words):
        if _CONTRACT_NOUN.match(word) and i > 0 and words[i - 1] not in _AGREEMENT_KINDS:
            start = _name_before(words, i)
            if start is not None:
                found.append((("vendor", "product"), start, i))
        elif _DEVICE_NOUN.match(word) and i > 0 and proper[i - 1]:
            start = _name_before(words, i, limit=2)
            if start is not None:
                found.append((("manufacturer", "model", "category"), start, i))
        elif word in {"at", "from"} and i + 1 < len(words):
            end = _name_after(words, i + 1)
            if end is not None:
                kinds = ("school",) if word == "at" else ("school", "vendor", "product")
                found.append((kinds, i + 1, end))
        elif i > 0 and (
            word in {"elementary", "elem", "middle"}
            or (word == "high" and words[i + 1 : i + 2] == ["school"])
        ):
            start = _name_before(words, i, limit=3)
            if start is not None:
                found.append((("school",), start, i + 1))
        elif (
            word in {"vendor", "pay", "paying"}
            or (word == "with" and i > 0 and _CONTRACT_NOUN.match(words[i - 1]))
        ) and i + 1 < len(words):
            end = _name_after(words, i + 1, limit=2)
            if end is not None and (word == "with" or proper[i + 1]):  # 'vendor terms': no name
                found.append((("vendor", "product"), i + 1, end))
    return found


def _name_before(words: list[str], i: int, limit: int = 3) -> int | None:
    """Start of the name just before word i ('the [Oracle] contract'), or None."""
    start = i
    while start > 0 and i - start < limit:
        prev = words[start - 1]
        if prev in _STOP_AFTER or prev in _MONTHS or prev.isdigit():
            break
        start -= 1
    return start if start < i else None


_PERIOD_WORD = re.compile(r"(fy|sy|cy|q)\d{0,4}")


def _name_after(words: list[str], i: int, limit: int = 4) -> int | None:
    """End of the name starting at word i ('at [Springfield High] this year'), or None."""
    if words[i] in _STOP_AFTER or words[i] in _MONTHS or words[i].isdigit():
        return None
    if _PERIOD_WORD.fullmatch(words[i]):
        return None  # 'from FY2030 to FY2034': a time, not a name
    if _CONTRACT_NOUN.match(words[i]) or _DEVICE_NOUN.match(words[i]):
        return None  # 'vendor agreements', 'from devices': a noun, not a name
    end = i
    while end < len(words) and end - i < limit:
        if words[end] in _STOP_AFTER - SCHOOL_WORDS or words[end] in _MONTHS:
            break
        end += 1
    while end > i and words[end - 1] in GENERIC - SCHOOL_WORDS:
        end -= 1
    return end if end > i else None
