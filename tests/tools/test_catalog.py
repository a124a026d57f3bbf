"""known_names: every name a question may use, read from what ingest stored."""

from __future__ import annotations

from ingest.load import ingest_paths
from tests.tools.test_contracts import TRACKER
from tests.tools.test_repairs import GOOGLE, IIQ, SNIPE_IT, ZENDESK
from tools.catalog import known_names


def test_names_of_every_kind_come_from_the_data(store, write_csv) -> None:
    paths = [
        write_csv("zendesk.csv", *ZENDESK),
        write_csv("iiq.csv", *IIQ),
        write_csv("google.csv", *GOOGLE),
        write_csv("snipeit.csv", *SNIPE_IT),
        write_csv("contracts.csv", *TRACKER),
    ]
    ingest_paths(paths, store)
    with store.read_session() as session:
        known = known_names(session)
    assert known.models == ("Dell Chromebook 3100", "HP ProBook 450 G8")
    assert known.manufacturers == ("Dell", "HP")
    assert known.categories == ("Chromebook", "Laptop")
    assert {"Cracked screen", "Keyboard"} <= set(known.ticket_categories)
    assert {"zendesk", "incident_iq", "snipe_it", "google_admin"} <= set(known.systems)
    assert {"Google", "GoGuardian", "Clever"} <= set(known.vendors)
    assert ("Workspace Plus", "Google") in known.products
    assert {"General Fund", "ESSER", "Title IV-A"} <= set(known.funding_sources)
    assert known.schools == ("Lincoln Elementary", "Washington Middle")
    assert ("Fay", "fay@district.org") in known.people


def test_an_empty_store_knows_no_names(store) -> None:
    with store.read_session() as session:
        known = known_names(session)
    assert (known.models, known.manufacturers, known.ticket_categories) == ((), (), ())
