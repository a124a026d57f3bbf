"""Names as people write them: plurals and possessives, sentence starts, people as assignees."""

from __future__ import annotations

import datetime as dt

from assistant.entities import EntityFinder
from assistant.planner import Planner
from assistant.slots import find_state
from tools.catalog import KnownNames
from tools.dates import FiscalCalendar

AS_OF = dt.date(2026, 11, 23)
KNOWN = KnownNames(
    vendors=("Google", "Dell Marketing"),
    schools=("Lincoln Elementary School", "Hawthorne Middle School"),
    categories=("Chromebook", "Laptop"),
    manufacturers=("Dell", "Acer", "Apple", "Lenovo"),
    models=(
        "Dell Chromebook 3100",
        "Acer Chromebook Spin 511",
        'MacBook Air 13" M2',
        "Latitude 5420",
        "Lenovo 300e Chromebook Gen 2",
    ),  # fmt: skip
    ticket_categories=("Cracked screen", "Network", "Login/account", "Liquid damage"),
    people=(("Rosa Torres", "rosa.torres@example.org"),),
)
finder = EntityFinder(KNOWN)
planner = Planner(KNOWN, FiscalCalendar())


def test_plural_and_possessive_models() -> None:
    assert finder.find("charging port tickets on the dell 3100s").names["model"] == (
        "Dell Chromebook 3100"
    )
    assert finder.find("is it mostly keyboards on the acer spins").names["model"] == (
        "Acer Chromebook Spin 511"
    )
    assert finder.find("cost per device for the macbook airs").names["model"] == (
        'MacBook Air 13" M2'
    )
    assert finder.find("failures of the latitude 5420s").names["model"] == "Latitude 5420"
    assert finder.find("repairs on the 300e's").names["model"] == "Lenovo 300e Chromebook Gen 2"


def test_maker_and_category_stay_a_maker_and_a_category() -> None:
    names = finder.find("what goes wrong with the Dell Chromebooks?").names
    assert "model" not in names and names["manufacturer"] == "Dell"


def test_a_sentence_start_is_no_name() -> None:
    found = finder.find("Thanks. Show me the contracts from Google")
    assert found.unknown is None and found.names["vendor"] == "Google"
    assert finder.find("Dell laptops - Which break most?").unknown is None


def test_a_person_is_an_assignee_for_the_backlog() -> None:
    plan = planner.plan("show me everything open in Rosa Torres's queue", AS_OF)
    assert (plan.tool, plan.args.get("assignee")) == ("open_tickets", "Rosa Torres")


def test_review_states_in_everyday_words() -> None:
    assert find_state("which app requests got shot down on privacy grounds") == "Denied"
    assert find_state("any apps that didn't even need a funding review?") == "Not Required"
    assert find_state("apps that cleared funding review") == "Approved"
    assert find_state("still waiting on privacy review") == "waiting"


def test_a_past_month_range_for_tools_that_look_back() -> None:
    plan = planner.plan("how did weekly ticket intake move from January through March?", AS_OF)
    assert plan.tool == "ticket_volume_trend"
    assert (plan.args["start"], plan.args["end"]) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_a_device_status_points_at_the_inventory() -> None:
    plan = planner.plan("how many devices are marked lost across the district", AS_OF)
    assert (plan.tool, plan.args.get("status")) == ("devices_list", "lost")
