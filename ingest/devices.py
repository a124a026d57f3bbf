"""Devices merged across asset systems: one row per normalised serial, every system's view kept.

Each system's values for a device are stored as its observation (a ``fact_sources`` row); the
device row is recomputed from all observations, field by field, in the precedence the settings
give. Where systems disagree on location, owner or asset tag, both values go to ``conflicts``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from ingest.agreement import is_conflict, is_real_owner, is_real_place
from ingest.db import bulk_insert
from ingest.resolve import Resolver
from ingest.rollups import refresh_replacement_dates, refresh_ticket_rollups
from ingest.schema import Conflict, Device, DeviceHolder, FactSource, Ticket
from ingest.writers import LoadOptions, Parsed, WriteContext, upsert

OBSERVED = ("asset_tag", "name", "model", "manufacturer", "category", "status", "is_active",
            "location", "owner_email", "owner_name", "owner_employee_id", "purchase_date", "purchase_cost",
            "warranty_end", "aue_date")  # fmt: skip
DATE_FIELDS = {"purchase_date", "warranty_end", "aue_date"}
CONFLICT_FIELDS = ("location", "owner", "asset_tag")
# The fields _merge picks one by one (location and owner resolve to ids; the name goes with it).
_OWNER = ("owner_email", "owner_name", "owner_employee_id")
_PICKED = tuple(name for name in OBSERVED if name not in {"location", *_OWNER})
_BLANK = (None, "")
TAG_PREFIX = "TAG:"  # the key of a device with no serial: its asset tag (see tag_key)
CATEGORY_WORDS = (
    ("chromebook", "Chromebook"), ("laptop", "Laptop"), ("notebook", "Laptop"),
    ("macbook", "Laptop"), ("desktop", "Desktop"), ("imac", "Desktop"), ("mac mini", "Desktop"),
    ("workstation", "Desktop"), ("ipad", "Tablet"), ("tablet", "Tablet"),
    ("interactive", "Interactive Display"), ("display", "Interactive Display"),
    ("panel", "Interactive Display"), ("projector", "Projector"), ("switch", "Network Switch"),
    ("access point", "Access Point"), ("wireless ap", "Access Point"),
)  # fmt: skip


@lru_cache(maxsize=4096)
def normalize_category(category: str | None, model: str | None) -> str | None:
    """A canonical device category from the category as written, else from the model name."""
    for text in (category, model):
        lowered = (text or "").lower()
        for word, canonical in CATEGORY_WORDS:
            if word in lowered:
                return canonical
    return category.strip().title() if category else None


def device_lookup(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Device ids by serial and by asset tag (upper case), for attaching tickets."""
    by_serial: dict[str, int] = {}
    by_tag: dict[str, int] = {}
    for device_id, serial, tag in session.execute(
        select(Device.id, Device.serial, Device.asset_tag)
    ):
        by_serial[serial] = device_id
        if tag:
            by_tag[tag.strip().upper()] = device_id
    return by_serial, by_tag


def observation(values: dict[str, Any]) -> dict[str, Any]:
    """One system's view of a device, as JSON-safe values (dates as ISO text)."""
    view = {name: values.get(name) for name in OBSERVED}
    if (
        view["warranty_end"] is None
        and values.get("warranty_months")
        and values.get("purchase_date")
    ):
        view["warranty_end"] = _add_months(values["purchase_date"], values["warranty_months"])
    view["category"] = normalize_category(view["category"], view["model"])
    if not is_real_place(view["location"]):  # a spares shelf, a cart, a deprovisioned unit
        view["location"] = None
    for name in DATE_FIELDS:
        if isinstance(view[name], dt.date):
            view[name] = view[name].isoformat()
    if isinstance(view["purchase_cost"], Decimal):
        view["purchase_cost"] = str(view["purchase_cost"])
    return view


@lru_cache(maxsize=16384)
def _add_months(day: dt.date, months: int) -> dt.date:
    """A purchase date plus a warranty (devices are bought by the cartload: dates repeat)."""
    return day + relativedelta(months=months)


def write_devices(ctx: WriteContext, rows: list[Parsed]) -> None:
    """Record this system's view of each device, then recompute the merged device rows.

    Called once per chunk of a file, then with no rows at the end, when tickets loaded before
    their devices are attached.
    """
    session, system, options = ctx.session, ctx.system, ctx.options
    resolver, result = ctx.resolver, ctx.result
    if not rows:
        _attach_waiting_tickets(session)
        refresh_replacement_dates(session)
        refresh_ticket_rollups(session)
        return
    first_rows: dict[str, int] = ctx.state.setdefault("serial_rows", {})
    views: dict[str, tuple[Parsed, dict[str, Any]]] = {}
    if "others" not in ctx.state:
        ctx.state["others"] = _other_views(session, system)
    keyed = _device_keys(session, rows, result, ctx.state["others"])
    for parsed, serial in keyed:
        if serial in first_rows:
            first = first_rows[serial]
            result.rejects.append((parsed.row, None, serial, f"duplicate serial of row {first}"))
            continue
        first_rows[serial] = parsed.row
        views[serial] = (parsed, observation(parsed.values))
    others = ctx.state["others"]
    resolver.ensure_people(
        {v.get("owner_email"): v.get("owner_name") for _, v in views.values() if v.get("owner_email")}
        | {v.get("owner_email"): v.get("owner_name") for by_system in others.values()
           for v in by_system.values() if v.get("owner_email")}
    )  # fmt: skip
    merged = []
    conflicts: list[dict[str, Any]] = []
    for serial, (parsed, view) in views.items():
        all_views = {**others.get(serial, {}), system: view}
        values, found = _merge(serial, all_views, system, options, resolver)
        merged.append((parsed, {**values, "source_record_id": parsed.source_record_id}))
        conflicts += found
    ids = upsert(ctx, Device, ["serial"], merged, want_ids=True)
    _store_views(session, system, ids, views)
    _store_holders(ctx, ids, views)
    _store_conflicts(session, list(views), conflicts)


def tag_key(tag: object) -> str:
    """The key of a device listed by asset tag alone (no serial): ``TAG:`` and the tag."""
    return f"{TAG_PREFIX}{str(tag).strip().upper()}"


def _device_keys(
    session: Session,
    rows: list[Parsed],
    result: Any,
    others: dict[str, dict[str, dict[str, Any]]],
) -> list[tuple[Parsed, str]]:
    """Each row's device key: its serial, else its asset tag (``tag_key``); neither: rejected.

    A device first listed by tag alone takes its serial when a row names both: its row is
    re-keyed (one device, never two), and the other systems' views move with it.
    """
    keyed = []
    tagged: list[tuple[str, str]] = []
    for parsed in rows:
        serial, tag = parsed.values.get("serial"), parsed.values.get("asset_tag")
        if serial in _BLANK and tag in _BLANK:
            result.rejects.append((parsed.row, None, None, "no serial or asset tag"))
            continue
        if serial in _BLANK:
            keyed.append((parsed, tag_key(tag)))
            continue
        keyed.append((parsed, serial))
        if tag not in _BLANK:
            tagged.append((tag_key(tag), serial))
    for start in range(0, len(tagged), 5000):
        chunk = dict(tagged[start : start + 5000])
        found = session.execute(
            select(Device.serial).where(Device.serial.in_(list(chunk)))
        ).scalars()
        for old in list(found):
            new = chunk[old]
            if session.scalar(select(Device.id).where(Device.serial == new)) is None:
                session.execute(update(Device).where(Device.serial == old).values(serial=new))
                if old in others:
                    others[new] = others.pop(old)
    return keyed


def _attach_waiting_tickets(session: Session) -> None:
    """Tickets that named a serial before any asset export listed it get their device now."""
    device = select(Device.id).where(Device.serial == Ticket.device_serial).scalar_subquery()
    session.execute(
        update(Ticket)
        .where(Ticket.device_id.is_(None), Ticket.device_serial.is_not(None))
        .values(device_id=device)
        .execution_options(synchronize_session=False)
    )


def _other_views(session: Session, system: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Every other system's stored view, by serial."""
    query = (
        select(Device.serial, FactSource.system, FactSource.values)
        .join(Device, Device.id == FactSource.fact_id)
        .where(FactSource.table_name == "devices", FactSource.system != system)
    )
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for serial, other, values in session.execute(query):
        found.setdefault(serial, {})[other] = values
    return found


def _merge(
    serial: str,
    views: dict[str, dict[str, Any]],
    current: str,
    options: LoadOptions,
    resolver: Resolver,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Pick each field's value by precedence; list the fields where systems disagree."""
    if len(views) == 1:  # one system's view cannot disagree with itself
        return _merge_one(serial, views[current], resolver), []
    current_first = [current, *(s for s in views if s != current)]
    precedence = options.field_precedence

    def pick(name: str, key: str | None = None) -> tuple[Any, str | None]:
        order = precedence.get(key or name)
        systems = current_first
        if order:
            systems = list(dict.fromkeys([s for s in order if s in views] + current_first))
        for system in systems:
            value = views[system].get(name)
            if value is not None and value != "":
                return value, system
        return None, None

    location, location_from = pick("location")
    owner, owner_from = pick("owner_email", "owner")
    values = {name: pick(name)[0] for name in _PICKED}
    for name in DATE_FIELDS:
        values[name] = dt.date.fromisoformat(values[name]) if values[name] else None
    if values["purchase_cost"] is not None:
        values["purchase_cost"] = Decimal(str(values["purchase_cost"]))
    values["is_active"] = bool(views[current].get("is_active", True))
    status, status_from = pick("status")
    if status_from is not None:
        values["is_active"] = bool(views[status_from].get("is_active", True))
    values.update(
        serial=serial,
        status=status,
        location_id=resolver.location_id(location),
        person_id=resolver.person_id(
            email=owner, name=views[owner_from or current].get("owner_name")
        )
        if owner
        else None,
    )
    return values, _disagreements(serial, views, resolver, location_from, owner_from)


def _merge_one(serial: str, view: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """``_merge`` of a device one system lists: its own values, blanks as None (the common case)."""
    values = {name: None if view.get(name) in _BLANK else view[name] for name in _PICKED}
    for name in DATE_FIELDS:
        values[name] = dt.date.fromisoformat(values[name]) if values[name] else None
    if values["purchase_cost"] is not None:
        values["purchase_cost"] = Decimal(str(values["purchase_cost"]))
    values["is_active"] = bool(view.get("is_active", True))
    location = None if view.get("location") in _BLANK else view["location"]
    owner = None if view.get("owner_email") in _BLANK else view["owner_email"]
    values.update(
        serial=serial,
        location_id=resolver.location_id(location),
        person_id=resolver.person_id(email=owner, name=view.get("owner_name")) if owner else None,
    )
    return values


def _disagreements(
    serial: str,
    views: dict[str, dict[str, Any]],
    resolver: Resolver,
    location_from: str | None,
    owner_from: str | None,
) -> list[dict[str, Any]]:
    found = []
    checks = {
        "location": ("location", location_from),
        "owner": ("owner_email", owner_from),
        "asset_tag": ("asset_tag", None),
    }

    def same_place(a: Any, b: Any) -> bool:
        return resolver.location_id(a) == resolver.location_id(b)

    for field_name, (key, chosen) in checks.items():
        seen = {s: v[key] for s, v in views.items() if v.get(key) not in (None, "")}
        if field_name == "owner":
            seen = {s: _owner_shown(v) for s, v in views.items() if _owner_shown(v)}
        if is_conflict(field_name, seen, same_place):
            chosen = chosen if chosen in seen else next(iter(seen))
            if field_name == "location":
                seen = {s: resolver.location_name(resolver.location_id(v)) or v
                        for s, v in seen.items()}  # fmt: skip
            found.append({
                "table_name": "devices", "fact_key": serial, "field": field_name, "values": seen,
                "chosen_system": chosen, "chosen_value": str(seen[chosen]),
            })  # fmt: skip
    return found


def _owner_shown(view: dict[str, Any]) -> str | None:
    """The owner a system names: its e-mail, else its name (a Snipe-IT "checked out to")."""
    for key in ("owner_email", "owner_name"):
        if is_real_owner(view.get(key)):
            return str(view[key]).strip()
    return None


def _store_views(
    session: Session,
    system: str,
    ids: dict[tuple[Any, ...], int],
    views: dict[str, tuple[Parsed, dict[str, Any]]],
) -> None:
    """Replace this system's observations of these devices."""
    fact_ids = [ids[(serial,)] for serial in views if (serial,) in ids]
    for start in range(0, len(fact_ids), 5000):
        session.execute(
            delete(FactSource).where(
                FactSource.table_name == "devices",
                FactSource.system == system,
                FactSource.fact_id.in_(fact_ids[start : start + 5000]),
            )
        )
    rows = [
        {"table_name": "devices", "fact_id": ids[(serial,)], "system": system,
         "source_record_id": parsed.source_record_id, "values": view}
        for serial, (parsed, view) in views.items()
        if (serial,) in ids
    ]  # fmt: skip
    bulk_insert(session, FactSource.__table__, rows)


def _store_holders(
    ctx: WriteContext, ids: dict[tuple[Any, ...], int], views: dict[str, tuple[Parsed, Any]]
) -> None:
    """Who this system says holds each of these devices (blank and "Spare" name nobody)."""
    session, system, resolver = ctx.session, ctx.system, ctx.resolver
    fact_ids = [ids[(serial,)] for serial in views if (serial,) in ids]
    for start in range(0, len(fact_ids), 5000):
        session.execute(
            delete(DeviceHolder).where(
                DeviceHolder.system == system,
                DeviceHolder.device_id.in_(fact_ids[start : start + 5000]),
            )
        )
    rows = []
    for serial, (parsed, view) in views.items():
        owner = {k: view.get(k) if is_real_owner(view.get(k)) else None for k in _OWNER}
        if (serial,) not in ids or not any(owner.values()):
            continue
        person = resolver.person_id(
            email=owner["owner_email"], name=owner["owner_name"],
            employee_id=owner["owner_employee_id"],
        )  # fmt: skip
        rows.append({"device_id": ids[(serial,)], "system": system, "person_id": person,
                     "source_record_id": parsed.source_record_id, **owner})  # fmt: skip
    bulk_insert(session, DeviceHolder.__table__, rows)


def refresh_holders(session: Session, resolver: Resolver) -> None:
    """Match every system's holder to a person again, after a roster load taught new people
    (a Snipe-IT name matches nobody until the roster has it)."""
    query = select(
        DeviceHolder.id, DeviceHolder.person_id, DeviceHolder.owner_email,
        DeviceHolder.owner_name, DeviceHolder.owner_employee_id,
    )  # fmt: skip
    changed = []
    for holder_id, person_id, email, name, employee_id in session.execute(query):
        found = resolver.find_person(email=email, name=name, employee_id=employee_id)
        if found is not None and found != person_id:
            changed.append({"_id": holder_id, "person_id": found})
    if changed:
        statement = update(DeviceHolder.__table__).where(  # type: ignore[arg-type]
            DeviceHolder.__table__.c.id == bindparam("_id")
        )
        session.execute(statement, changed)


def _store_conflicts(session: Session, serials: list[str], conflicts: list[dict[str, Any]]) -> None:
    """The conflicts of these devices as they stand now (resolved ones disappear)."""
    for start in range(0, len(serials), 5000):
        session.execute(
            delete(Conflict).where(
                Conflict.table_name == "devices",
                Conflict.fact_key.in_(serials[start : start + 5000]),
            )
        )
    bulk_insert(session, Conflict.__table__, conflicts)
