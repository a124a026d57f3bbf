"""Writers: parsed rows of one record type -> canonical rows, inserted or updated in bulk.

Each writer takes the rows of one file inside that file's transaction and returns counts and
rejects. ``upsert`` is the one place that compares a row with what is stored, updates only what
changed and records each change, so a re-export updates in place and an identical one is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ingest.categories import HARDWARE, canonical_category
from ingest.db import bulk_insert
from ingest.fields import REVIEWS
from ingest.funding import funding_name
from ingest.resolve import Resolver
from ingest.rollups import refresh_ticket_days, refresh_ticket_rollups, resolution_seconds
from ingest.schema import (
    AppRequest,
    AppReview,
    Base,
    Change,
    Contract,
    License,
    Person,
    Purchase,
    Ticket,
)
from ingest.timed_tickets import TimedTickets

BATCH = 20_000
_UNSET = object()
CLOSED_STATUSES = {"resolved", "solved", "closed", "complete", "completed", "done", "cancelled",
                   "canceled", "4", "5"}  # fmt: skip


@dataclass
class Parsed:
    """One loadable row: canonical values, the raw cells (as JSON text), and its source record
    once stored."""

    row: int
    values: dict[str, Any]
    raw: str
    source_record_id: int | None = None


@dataclass
class LoadOptions:
    """Settings the loader needs, passed down from assistant/ (ingest never reads settings)."""

    field_precedence: dict[str, list[str]] = field(default_factory=dict)
    fund_codes: dict[str, str] = field(default_factory=dict)
    vendor_aliases: dict[str, str] = field(default_factory=dict)
    # Files at least this large are parsed in a second process while this one writes.
    worker_min_bytes: int = 8 << 20


@dataclass
class WriteResult:
    """Counts of one file's rows, and rejects found while resolving them."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str | None, str | None, str]] = field(default_factory=list)


@dataclass
class WriteContext:
    """One file's load: the transaction, who it is from, and state that spans its chunks."""

    session: Session
    system: str
    file_id: int
    options: LoadOptions
    result: WriteResult = field(default_factory=WriteResult)
    state: dict[str, Any] = field(default_factory=dict)
    _resolver: Resolver | None = None

    @property
    def resolver(self) -> Resolver:
        """One resolver per file, so its caches serve every chunk."""
        if self._resolver is None:
            self._resolver = Resolver(self.session, self.options.vendor_aliases)
        return self._resolver


def upsert(
    ctx: WriteContext,
    model: type[Base],
    keys: Sequence[str],
    rows: list[tuple[Parsed, dict[str, Any]]],
    *,
    scope: dict[str, Any] | None = None,
    want_ids: bool = False,
    result: WriteResult | None = None,
    inserted: list[dict[str, Any]] | None = None,
) -> dict[tuple[Any, ...], int]:
    """Insert new rows, update changed ones (logging each change), leave equal ones alone.

    ``scope`` narrows which stored rows are compared (e.g. one help desk's tickets); they are
    read once per file. Returns ids by key of the rows of this chunk (new ones when ``want_ids``);
    the rows it inserted are added to ``inserted`` when given.
    """
    session, file_id = ctx.session, ctx.file_id
    result = result if result is not None else ctx.result
    table = model.__table__  # type: ignore[attr-defined]
    seen = ctx.state.setdefault(("seen", table.name), {})
    rows = _drop_duplicates(rows, keys, result, seen)
    if not rows:
        return {}
    stored_key = ("stored", table.name)
    if stored_key not in ctx.state:
        compared = _compared(rows)
        query = select(table.c.id, *(table.c[k] for k in keys), *(table.c[c] for c in compared))
        for name, value in (scope or {}).items():
            query = query.where(table.c[name] == value)
        ctx.state[stored_key] = {
            tuple(r[k] for k in keys): r for r in session.execute(query).mappings()
        }
    stored = ctx.state[stored_key]
    new, changed, changes, ids = [], [], [], {}
    if not stored:  # nothing of this kind stored yet (a first load): every row is new
        new = [values for _, values in rows]
        rows = []
    else:
        compared = _compared(rows)
    key_of = _key_getter(keys)
    for _parsed, values in rows:
        key = key_of(values)
        old = stored.get(key)
        if old is None:
            new.append(values)
            continue
        ids[key] = old["id"]
        diff = {c: values.get(c) for c in compared if c in values and _differs(old[c], values[c])}
        if not diff:
            result.unchanged += 1
            continue
        source = (
            {"source_record_id": values["source_record_id"]} if "source_record_id" in values else {}
        )
        changed.append({"id": old["id"], **diff, **source})
        changes += [
            {"ingest_file_id": file_id, "table_name": table.name, "fact_id": old["id"],
             "field": c, "old_value": _text(old[c]), "new_value": _text(v)}
            for c, v in diff.items()
        ]  # fmt: skip
    if inserted is not None:
        inserted += new
    if new:
        # Plain executemany: RETURNING with many rows is quadratic in SQLAlchemy's row splicing.
        for start in range(0, len(new), BATCH):
            bulk_insert(session, table, new[start : start + BATCH])
        if want_ids:
            ids.update(_ids_by_key(session, table, keys, [tuple(v[k] for k in keys) for v in new]))
    _update_by_id(session, table, changed)
    bulk_insert(session, Change.__table__, changes)
    result.inserted += len(new)
    result.updated += len(changed)
    return ids


def _compared(rows: list[tuple[Parsed, dict[str, Any]]]) -> list[str]:
    """The columns the rows give values for (but their source record), compared with stored."""
    columns = set(chain.from_iterable(map(dict.keys, map(itemgetter(1), rows))))
    return sorted(columns - {"source_record_id"})


def _update_by_id(session: Session, table: Any, changed: list[dict[str, Any]]) -> None:
    """UPDATE ... WHERE id = ? as one executemany per set of changed columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in changed:
        groups.setdefault(tuple(row), []).append(row)
    for names, rows in groups.items():
        statement = update(table).where(table.c.id == bindparam("_id"))  # SET: the other keys
        session.execute(statement, [{"_id": row["id"], **{n: row[n] for n in names if n != "id"}}
                                    for row in rows])  # fmt: skip


def _ids_by_key(
    session: Session, table: Any, keys: Sequence[str], wanted: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """Ids of rows just inserted, by key (one IN query per 5,000 keys on single-column keys)."""
    found: dict[tuple[Any, ...], int] = {}
    if len(keys) != 1:
        query = select(table.c.id, *(table.c[k] for k in keys))
        rows = {tuple(row[1:]): row[0] for row in session.execute(query)}
        return {key: rows[key] for key in wanted if key in rows}
    column = table.c[keys[0]]
    values = [key[0] for key in wanted]
    for start in range(0, len(values), 5000):
        query = select(table.c.id, column).where(column.in_(values[start : start + 5000]))
        found.update({(value,): row_id for row_id, value in session.execute(query)})
    return found


def _drop_duplicates(
    rows: list[tuple[Parsed, dict[str, Any]]],
    keys: Sequence[str],
    result: WriteResult,
    seen: dict[tuple[Any, ...], int],
) -> list[tuple[Parsed, dict[str, Any]]]:
    """The first row of a key wins; a repeat in the same file is rejected, naming the first."""
    key_of = _key_getter(keys)
    found = list(map(key_of, map(itemgetter(1), rows)))
    if len(set(found)) == len(found) and seen.keys().isdisjoint(found):  # no repeats (usual)
        seen.update(zip(found, (parsed.row for parsed, _ in rows), strict=True))
        return rows
    kept = []
    for (parsed, values), key in zip(rows, found, strict=True):
        if key in seen:
            shown = ", ".join(str(part) for part in key)
            result.rejects.append((parsed.row, None, shown, f"duplicate of row {seen[key]}"))
            continue
        seen[key] = parsed.row
        kept.append((parsed, values))
    return kept


def _key_getter(keys: Sequence[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's key as a tuple (itemgetter works in C, but gives a bare value for one key)."""
    if len(keys) == 1:
        name = keys[0]
        return lambda values: (values[name],)
    return itemgetter(*keys)


def _differs(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is not new
    return bool(old != new)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def write_locations(ctx: WriteContext, rows: list[Parsed]) -> None:
    """Schools from a directory export: the directory's names win, its abbreviations are aliases."""
    resolver, result = ctx.resolver, ctx.result
    for parsed in rows:
        v = parsed.values
        aliases = [a for a in (v.get("abbreviation"), v.get("code")) if a]
        _, created = resolver.define_location(v["name"], aliases, v.get("kind"))
        result.inserted += created
        result.unchanged += not created


def write_people(ctx: WriteContext, rows: list[Parsed]) -> None:
    """A roster: people matched by employee id, then email; device owners seen before join up."""
    resolver, result = ctx.resolver, ctx.result
    if not rows:  # the end of the file: holders named before the roster had them match now
        from ingest.devices import refresh_holders

        refresh_holders(ctx.session, resolver)
        return
    items = []
    for parsed in rows:
        v = parsed.values
        if not v.get("email") and not v.get("employee_id"):
            result.rejects.append((parsed.row, None, _full_name(v), "no email or employee id"))
            continue
        email = v["email"].lower() if v.get("email") else None
        found = resolver.find_person(email=email, employee_id=v.get("employee_id"))
        items.append((parsed, {
            "id": found, "employee_id": v.get("employee_id"), "email": email, "name": _full_name(v),
            "title": v.get("title"), "location_id": resolver.location_id(v.get("location")),
            "start_date": v.get("start_date"), "end_date": v.get("end_date"), "in_roster": True,
            "source_record_id": parsed.source_record_id,
        }))  # fmt: skip
    known = [(p, values) for p, values in items if values["id"] is not None]
    fresh = [(p, {k: x for k, x in values.items() if k != "id"}) for p, values in items
             if values["id"] is None]  # fmt: skip
    upsert(ctx, Person, ["id"], known)
    ids = upsert(ctx, Person, ["employee_id", "email"], fresh, want_ids=True)
    names: dict[tuple[Any, ...], Any] = {
        (v["employee_id"], v["email"]): v["name"] for _, v in fresh
    }
    for _, v in known:
        resolver.remember_person(v["id"], v["email"], v["employee_id"], v["name"])
    for (employee_id, email), person_id in ids.items():
        resolver.remember_person(person_id, email, employee_id, names.get((employee_id, email)))


def _full_name(values: dict[str, Any]) -> str | None:
    """The name in one column, or the first and last names of a roster that splits them."""
    if values.get("name"):
        return str(values["name"])
    parts = [values.get("first_name"), values.get("last_name")]
    return " ".join(str(p) for p in parts if p) or None


def ticket_is_open(values: dict[str, Any]) -> bool:
    """Open unless resolved, solved or closed (by status word, closed flag or closed date)."""
    status = str(values.get("status") or "").strip().lower()
    if status:
        return status not in CLOSED_STATUSES
    if values.get("is_closed") is not None:
        return not values["is_closed"]
    return values.get("closed_at") is None


def prepare_ticket(values: dict[str, Any], system: str) -> dict[str, Any]:
    """A ticket's columns that need no database, made where the row is parsed (in the parsing
    process, for a large file). What ``write_tickets`` looks up in the database (school,
    device by asset tag, requester) is kept under keys starting with ``_``.
    """
    get = values.get
    written, parts_cost = get("category"), get("parts_cost")
    category = canonical_category(written)  # (cached: categories repeat)
    opened_at, closed_at, is_open = get("opened_at"), get("closed_at"), ticket_is_open(values)
    email, requester = get("requester_email"), get("requester")
    return {
        "system": system, "external_id": str(values["external_id"]),
        "opened_at": opened_at, "closed_at": closed_at, "status": get("status"),
        "is_open": is_open, "category": category, "category_as_written": written,
        "is_repair": category in HARDWARE or bool(parts_cost and parts_cost > 0),
        "priority": get("priority"), "device_serial": get("serial"),
        "requester": requester or email, "assignee": get("assignee"), "subject": get("subject"),
        "description": get("description"), "parts_cost": parts_cost,
        "labor_minutes": get("labor_minutes"),
        "resolution_seconds": resolution_seconds(opened_at, closed_at, is_open),
        "_location": get("location"), "_asset_tag": get("asset_tag"), "_email": email,
        "_requester": requester,
    }  # fmt: skip


# Per record type: the part of a row's writing that needs no database (see load.RowParser).
PREPARE: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {"ticket": prepare_ticket}


def write_tickets(ctx: WriteContext, rows: list[Parsed]) -> None:
    """Tickets of one help desk (rows from ``prepare_ticket``), attached to the device they name
    (by serial, then asset tag).

    Schools, requesters and devices repeat across a million tickets, so each distinct one is
    resolved once (the resolver's own answers, kept in plain dicts here).
    """
    from ingest.devices import device_lookup

    if not rows:
        refresh_ticket_rollups(ctx.session)
        refresh_ticket_days(ctx.session, ctx.system, ctx.state.get("timed"))
        return
    resolver, system = ctx.resolver, ctx.system
    if "devices" not in ctx.state:
        ctx.state["devices"] = device_lookup(ctx.session)
        # A help desk's first file: its resolution seconds are gathered as rows are inserted.
        first = ctx.session.scalar(select(Ticket.id).where(Ticket.system == system).limit(1))
        ctx.state["timed"] = TimedTickets() if first is None else None
    by_serial, by_tag = ctx.state["devices"]
    resolver.ensure_people(
        {p.values["_email"]: p.values["_requester"] for p in rows if p.values["_email"]}
    )
    locations: dict[Any, int | None] = ctx.state.setdefault("ticket_locations", {})
    # Per chunk: a name not known now may be learned from the next chunk's new requesters.
    requesters: dict[tuple[Any, Any], int | None] = {}
    items = []
    for parsed in rows:
        v = parsed.values
        location, tag = v.pop("_location"), v.pop("_asset_tag")
        email, requester = v.pop("_email"), v.pop("_requester")
        serial = v["device_serial"]
        device_id = by_serial.get(serial) if serial else None
        if device_id is None and tag:
            device_id = by_tag.get(str(tag).strip().upper())
        if location not in locations:
            locations[location] = resolver.location_id(location)
        requester_id = requesters.get((email, requester), _UNSET)
        if requester_id is _UNSET:
            requester_id = resolver.person_id(email=email, name=requester)
            requesters[(email, requester)] = requester_id
        v["location_id"], v["device_id"] = locations[location], device_id
        v["requester_id"], v["source_record_id"] = requester_id, parsed.source_record_id
        items.append((parsed, v))
    timed: TimedTickets | None = ctx.state["timed"]
    inserted: list[dict[str, Any]] | None = [] if timed is not None else None
    upsert(ctx, Ticket, ["system", "external_id"], items, scope={"system": ctx.system},
           inserted=inserted)  # fmt: skip
    if timed is not None and inserted:
        timed.add(inserted)


def write_contracts(ctx: WriteContext, rows: list[Parsed]) -> None:
    """Contracts; the notice deadline is the renewal date minus the notice period.

    A row identical to an earlier one is a duplicate; a different row for the same vendor and
    product is another contract (its occurrence number keeps it apart on re-load).
    """
    resolver, result = ctx.resolver, ctx.result
    seen: dict[tuple[Any, ...], int] = ctx.state.setdefault("signatures", {})
    occurrences: dict[tuple[Any, ...], int] = ctx.state.setdefault("occurrences", {})
    items = []
    for parsed in rows:
        values = _contract_values(parsed, resolver)
        product_key = (values["vendor_id"], values["product"])
        signature = tuple(v for k, v in sorted(values.items()) if k != "source_record_id")
        if signature in seen:
            result.rejects.append(
                (parsed.row, None, values["product"], f"duplicate of row {seen[signature]}")
            )
            continue
        seen[signature] = parsed.row
        occurrences[product_key] = occurrences.get(product_key, 0) + 1
        items.append((parsed, {**values, "occurrence": occurrences[product_key]}))
    upsert(ctx, Contract, ["vendor_id", "product", "occurrence"], items)


def _contract_values(parsed: Parsed, resolver: Resolver) -> dict[str, Any]:
    v = parsed.values
    renewal = v.get("renewal_date")
    if renewal is None and v.get("start_date") and v.get("term_months"):
        renewal = v["start_date"] + relativedelta(months=v["term_months"])
    notice = v.get("notice_days")
    deadline = renewal - relativedelta(days=notice) if renewal and notice is not None else None
    return {
        "vendor_id": resolver.vendor_id(v["vendor"]), "vendor_as_written": v["vendor"],
        "product": v.get("product") or v["vendor"], "annual_cost": v.get("annual_cost"),
        "start_date": v.get("start_date"), "renewal_date": renewal,
        "term_months": v.get("term_months"), "auto_renew": v.get("auto_renew"),
        "notice_days": notice, "notice_deadline": deadline,
        "funding_source": funding_name(v.get("funding_source")), "department": v.get("department"),
        "category": v.get("category"), "status": v.get("status"), "notes": v.get("notes"),
        "source_record_id": parsed.source_record_id,
    }  # fmt: skip


def write_purchases(ctx: WriteContext, rows: list[Parsed]) -> None:
    """PO lines; the fund is the export's Fund column, else read from the account code's first
    segment (``fund_codes``), under its usual name either way."""
    resolver = ctx.resolver
    lines: dict[str, int] = ctx.state.setdefault("lines", {})
    items = []
    for parsed in rows:
        v = parsed.values
        po = str(v["po_number"])
        lines[po] = lines.get(po, 0) + 1
        code = v.get("account_code")
        fund = funding_name(v.get("fund")) or (
            ctx.options.fund_codes.get(str(code).split("-")[0]) if code else None
        )
        items.append((parsed, {
            "po_number": po, "line": lines[po], "po_date": v.get("po_date"),
            "vendor_id": resolver.vendor_id(v.get("vendor")), "description": v.get("description"),
            "quantity": v.get("quantity"), "unit_price": v.get("unit_price"),
            "amount": v.get("amount"), "account_code": code, "fund": fund,
            "source_record_id": parsed.source_record_id,
        }))  # fmt: skip
    upsert(ctx, Purchase, ["po_number", "line"], items)


def write_app_requests(ctx: WriteContext, rows: list[Parsed]) -> None:
    """App approval requests, with one review row per kind of review."""
    resolver = ctx.resolver
    items = []
    for parsed in rows:
        v = parsed.values
        items.append((parsed, {
            "request_id": str(v["request_id"]), "product": v.get("product") or "(unnamed)",
            "vendor_id": resolver.vendor_id(v.get("vendor")),
            "requester_id": resolver.person_id(email=v.get("requester_email"),
                                               name=v.get("requester")),
            "requester": v.get("requester"), "location_id": resolver.location_id(v.get("location")),
            "request_date": v.get("request_date"), "approval_status": v.get("approval_status"),
            "agreement_type": v.get("agreement_type"), "annual_cost": v.get("annual_cost"),
            "notes": v.get("notes"), "source_record_id": parsed.source_record_id,
        }))  # fmt: skip
    ids = upsert(ctx, AppRequest, ["request_id"], items, want_ids=True)
    reviews = [
        (parsed, {"app_request_id": ids[(values["request_id"],)], "review": review,
                  "state": parsed.values.get(f"{review}_review"),
                  "updated_on": parsed.values.get("review_updated") or values["request_date"]})
        for parsed, values in items
        if (values["request_id"],) in ids
        for review in REVIEWS
    ]  # fmt: skip
    upsert(ctx, AppReview, ["app_request_id", "review"], reviews, result=WriteResult())


def write_licenses(ctx: WriteContext, rows: list[Parsed]) -> None:
    """Software licenses; the n-th distinct row naming one product is its n-th license."""
    resolver, result = ctx.resolver, ctx.result
    seen: dict[tuple[Any, ...], int] = ctx.state.setdefault("signatures", {})
    occurrences: dict[str, int] = ctx.state.setdefault("occurrences", {})
    items = []
    for parsed in rows:
        v = parsed.values
        values = {
            "product": v["product"], "vendor_id": resolver.vendor_id(v.get("vendor")),
            "seats": v.get("seats"), "expiration_date": v.get("expiration_date"),
            "purchase_cost": v.get("purchase_cost"), "purchase_date": v.get("purchase_date"),
            "order_number": v.get("order_number"), "product_key": v.get("product_key"),
            "notes": v.get("notes"),
        }  # fmt: skip
        signature = tuple(sorted(values.items(), key=lambda item: item[0]))
        if signature in seen:
            result.rejects.append(
                (parsed.row, None, v["product"], f"duplicate of row {seen[signature]}")
            )
            continue
        seen[signature] = parsed.row
        occurrences[v["product"]] = occurrences.get(v["product"], 0) + 1
        values.update(
            occurrence=occurrences[v["product"]], source_record_id=parsed.source_record_id
        )
        items.append((parsed, values))
    upsert(ctx, License, ["product", "occurrence"], items)


def _write_devices(ctx: WriteContext, rows: list[Parsed]) -> None:
    from ingest.devices import write_devices

    write_devices(ctx, rows)


Writer = Callable[[WriteContext, list[Parsed]], None]
WRITERS: dict[str, Writer] = {
    "location": write_locations,
    "person": write_people,
    "device": _write_devices,
    "ticket": write_tickets,
    "contract": write_contracts,
    "purchase": write_purchases,
    "app_request": write_app_requests,
    "license": write_licenses,
}
