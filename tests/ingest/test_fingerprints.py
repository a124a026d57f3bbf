"""Vendor exports recognised in the forms their UIs and APIs write, by the same name evidence as
the column matcher (issue 18, point 2): spaced, camelCase, abbreviated and plural forms."""

from __future__ import annotations

from ingest.sources import detect_source, plan_file


def test_incident_iq_spaced_ui_headers_are_incident_iq() -> None:
    headers = ["Ticket Number", "Subject", "Issue Description", "Created Date", "Status", "Issue",
               "Location", "For", "Assigned To"]  # fmt: skip
    source, score = detect_source(headers)
    assert source is not None and (source.name, source.record_type) == ("incident_iq", "ticket")
    fields = {c.header: c.field for c in plan_file(headers).columns}
    assert fields["For"] == "requester" and fields["Issue"] == "category"


def test_snipe_it_headers_in_other_spellings_are_snipe_it() -> None:
    headers = ["asset_tag", "Serial #", "Model", "Category", "Status", "PurchaseCost", "Supplier"]
    source, _ = detect_source(headers)
    assert source is not None and source.name == "snipe_it"
    fields = {c.header: c.field for c in plan_file(headers).columns}
    assert (fields["Serial #"], fields["PurchaseCost"]) == ("serial", "purchase_cost")


def test_google_directory_api_names_are_google_admin() -> None:
    headers = ["serialNumber", "orgUnitPath", "lastSync", "annotatedAssetId", "model", "status"]
    source, _ = detect_source(headers)
    assert source is not None and source.name == "google_admin"


def test_snipe_it_custom_fields_go_through_the_matcher() -> None:
    headers = ["Asset Tag", "Serial", "Model", "Category", "Status", "Purchase Cost", "Supplier",
               "AUE Date"]  # fmt: skip
    rows = [
        ["MV-1", "SN1", "Chromebook 3110", "Chromebook", "Deployed", "$300", "CDW", "2029-06-30"]
    ]
    (aue,) = [c for c in plan_file(headers, rows=rows).columns if c.header == "AUE Date"]
    assert aue.field == "aue_date" and aue.how.startswith("name")
    # Planned from the header alone (a known system's large file), it stays raw.
    (raw,) = [c for c in plan_file(headers).columns if c.header == "AUE Date"]
    assert raw.field is None
