"""Demo content for the region page: a varied, realistic 2026 state for every region.

Deterministic per region (seeded by its code) and idempotent: a region that already has plan
stages is left alone. Written with the region's adviser as the author in the audit history.
"""

import random
from datetime import date, timedelta

import pghistory
from django.core.files.base import ContentFile
from django.utils import timezone

from monitoring.models import (
    Agreement,
    Decision,
    DecisionBody,
    DecisionOutcome,
    Meeting,
    MeetingKind,
    NationalPartner,
    Pilot,
    PilotKind,
    PlanMilestone,
    PlanStage,
    ProcessRoute,
    ProductUse,
    RouteStep,
    Scenario,
    Signal,
    SignalStatus,
    Sob,
    StepStatus,
)
from monitoring.services import add_document

__all__ = ["demo_pdf", "fill_region"]

STEP_TITLES = [
    ("Startbijeenkomst wethouders en directie SOB", ["governance"]),
    ("Analyse huidige dienstverlening en doelgroepen", ["arbeidsmarkt", "bedrijfsvoering"]),
    ("Financiële doorrekening scenario's", ["financien"]),
    ("Keuze governancevorm uitwerken", ["governance", "juridisch"]),
    ("Organisatieontwerp SOB", ["organisatieontwikkeling"]),
    ("Raadsinformatiebrief en raadsvoorstel", ["governance"]),
    ("Implementatieplan en kwartiermaker", ["organisatieontwikkeling", "bedrijfsvoering"]),
]
SCENARIOS = [
    (
        "Regionaal sociaal ontwikkelbedrijf",
        "Eén SOB voor alle gemeenten, met gedeelde infrastructuur.",
    ),
    (
        "Netwerkorganisatie",
        "Gemeenten houden eigen uitvoering; een regionaal netwerk borgt werkgeversdienstverlening.",
    ),
    (
        "Lokaal met regionale schil",
        "Lokale uitvoering met een regionale schil voor beschut werk en detachering.",
    ),
]
INSTRUMENTS = [
    "Scan toekomstbestendige sociale infrastructuur",
    "Format procesroute",
    "Werkvorm scenariosessie",
    "Rekenmodel impulsbudget",
    "Handreiking werkgeversdienstverlening",  # not in the national catalogue
]
# Support for an instrument outside the catalogue comes from a partner, not a specialist.
OTHER_SUPPORT = "Divosa"
SOB_NAMES = ["Werkbedrijf", "Werk & Co", "Participatiebedrijf", "Sociaal Werkbedrijf"]


def _around(rng, day: date, spread: int) -> date:
    return day + timedelta(days=rng.randint(-spread, spread))


def fill_region(region, instruments=None) -> bool:
    """Give one region its demo records; False if it already has them.

    `instruments` maps a catalogue product's name to its published version and the
    specialists certified for it: a region's use of that product links them."""
    if region.milestones.exists():
        return False
    rng = random.Random(f"demo-{region.code}")  # noqa: S311 - demo content, not security
    today = timezone.localdate()
    adviser = region.adviser
    with pghistory.context(user=adviser.pk if adviser else None, url="demo"):
        _plan(region, rng, today, adviser)
        _route(region, rng, today, adviser)
        _activities(region, rng, today, adviser, instruments or {})
        if adviser:
            _documents(region, rng, adviser)
    return True


def _plan(region, rng, today, adviser):
    """Most regions are near the end of the route by late 2026; some lag one or two stages."""
    stages = list(PlanStage)
    reached_upto = rng.choices(range(2, 7), weights=[1, 2, 4, 4, 2])[0]
    lag = rng.choices([0, 1, 2], weights=[6, 3, 1])[0]
    start = date(2025, 2, 1) + timedelta(days=rng.randint(0, 60))
    step = (today - start) / (reached_upto + 1)
    for index, stage in enumerate(stages):
        reached = None
        if index <= reached_upto:
            planned = start + step * index
            reached = min(_around(rng, planned, 20), today - timedelta(days=3))
        elif index <= reached_upto + lag:
            planned = today - timedelta(days=rng.randint(10, 40))  # planned, not yet reached
        else:
            planned = min(today + timedelta(days=rng.randint(10, 25) * index), date(2026, 12, 20))
        PlanMilestone.objects.create(
            region=region,
            stage=stage,
            planned_date=planned,
            reached_date=reached,
            updated_by=adviser,
        )
    chosen_index = rng.randrange(len(SCENARIOS)) if reached_upto >= 3 else None
    for index, (name, option) in enumerate(rng.sample(SCENARIOS, k=rng.randint(2, 3))):
        Scenario.objects.create(
            region=region,
            national_scenario=name,
            regional_option=option,
            assessment=rng.choice(
                [
                    "Sterk op werkgeversdienstverlening, vraagt investering in huisvesting.",
                    "Past bij de bestuurlijke verhoudingen; financieel risico bij krimp SW.",
                    "Snel te realiseren, maar versnippert beschut werk.",
                ]
            ),
            chosen=index == chosen_index,
            updated_by=adviser,
        )
    for body in rng.sample(list(DecisionBody), k=rng.randint(1, 3)):
        day = _around(rng, date(2026, 9, 1), 120)
        outcome = (
            DecisionOutcome.PLANNED
            if day > today
            else rng.choice(
                [DecisionOutcome.ADOPTED, DecisionOutcome.ADOPTED, DecisionOutcome.POSTPONED]
            )
        )
        Decision.objects.create(
            region=region,
            body=body,
            date=day,
            outcome=outcome,
            subject="Vaststelling koers toekomstplan sociale infrastructuur",
            updated_by=adviser,
        )


def _route(region, rng, today, adviser):
    if rng.random() < 0.85:
        ProcessRoute.objects.create(
            region=region,
            agreed_on=_around(rng, date(2025, 9, 1), 60),
            agreed_with="Regionale stuurgroep wethouders Werk en directie SOB",
            updated_by=adviser,
        )
    count = rng.randint(4, 7)
    for order, (title, expertise) in enumerate(STEP_TITLES[:count], start=1):
        planned = date(2025, 6, 1) + timedelta(days=int(570 * order / count)) - timedelta(days=15)
        planned = min(planned, date(2026, 12, 20))
        done = planned < today and rng.random() < 0.88
        RouteStep.objects.create(
            region=region,
            order=order,
            title=title,
            parties="Gemeenten in de regio, SOB, UWV",
            expertise=expertise,
            planned_date=planned,
            actual_date=min(_around(rng, planned, 20), today) if done else None,
            status=StepStatus.DONE
            if done
            else (
                StepStatus.ACTIVE if planned - today < timedelta(days=60) else StepStatus.PLANNED
            ),
            updated_by=adviser,
        )
    municipalities = list(region.municipalities.values_list("code", flat=True))
    Sob.objects.create(
        region=region,
        name=f"{rng.choice(SOB_NAMES)} {region.name}",
        legal_form=rng.choice(["gr", "nv_bv", "gr", "stichting"]),
        municipality_codes=municipalities,
        updated_by=adviser,
    )


def _activities(region, rng, today, adviser, instruments):
    for _ in range(rng.choices([0, 1, 2], weights=[2, 3, 2])[0]):
        start = _around(rng, date(2026, 3, 1), 60)
        delivered = rng.random() < 0.6
        Pilot.objects.create(
            region=region,
            kind=rng.choice(list(PilotKind)),
            title=rng.choice(
                [
                    "Pilot jobcoaching op de werkvloer",
                    "Leerlijn praktijkleren SOB",
                    "Pilot regionaal werkgeversservicepunt",
                ]
            ),
            goal="Ervaring opdoen met een werkwijze die na 2026 regionaal wordt geborgd.",
            start_date=start,
            end_date=start + timedelta(days=150) if delivered else None,
            outcomes="Twaalf deelnemers doorgestroomd naar regulier werk." if delivered else "",
            shared_insights="Gedeeld in de landelijke kennisbijeenkomst." if delivered else "",
            delivered=delivered,
            updated_by=adviser,
        )
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(list(MeetingKind))
        day = min(_around(rng, date(2026, 6, 1), 150), today)
        Meeting.objects.create(
            region=region,
            kind=kind,
            title=f"{kind.label} {region.name}",
            date=day,
            participants="Wethouders, beleidsadviseurs, directie SOB",
            minutes="Verslag: voortgang procesroute besproken; afspraken over vervolg."
            if rng.random() < 0.8
            else "",
            insights="Bestuurlijke trekker per scenario helpt bij koersbepaling.",
            updated_by=adviser,
        )
    for _ in range(rng.randint(0, 2)):
        status = rng.choice(list(SignalStatus))
        Signal.objects.create(
            region=region,
            title=rng.choice(
                [
                    "Onduidelijkheid over besteding impulsbudget",
                    "Knelpunt loonkostensubsidie beschut werk",
                    "Behoefte aan landelijke handreiking governance",
                ]
            ),
            description=(
                "De regio vraagt landelijke duidelijkheid om de besluitvorming niet te vertragen."
            ),
            addressed_to=rng.choice(list(NationalPartner)),
            raised_on=min(_around(rng, date(2026, 5, 1), 120), today),
            status=status,
            response=""
            if status in {SignalStatus.OPEN, SignalStatus.PASSED_ON}
            else "Beantwoord in het kwartaaloverleg; handreiking volgt.",
            updated_by=adviser,
        )
    for name in rng.sample(INSTRUMENTS, k=rng.randint(0, 3)):
        version, certified = instruments.get(name, (None, []))
        # A separate generator per use, so the rest of the region's demo content is unchanged.
        pick = random.Random(f"use-{region.code}-{name}")  # noqa: S311 - demo content
        ProductUse.objects.create(
            region=region,
            product_version=version,
            product_name=name,
            applied_on=min(_around(rng, date(2026, 4, 1), 120), today),
            specialist=pick.choice(certified) if certified else None,
            supported_by="" if version else OTHER_SUPPORT,
            notes="Toegepast in de regionale werksessie.",
            updated_by=adviser,
        )
    if rng.random() < 0.5:
        Agreement.objects.create(
            region=region,
            title="Samenwerkingsovereenkomst sociale infrastructuur",
            parties="Alle gemeenten in de regio en het SOB",
            signed_on=min(_around(rng, date(2026, 2, 1), 60), today),
            summary="Afspraken over gezamenlijke werkgeversdienstverlening en beschut werk.",
            updated_by=adviser,
        )


DOCUMENTS = [
    ("Verslag regionale stuurgroep", "verslag-stuurgroep.pdf"),
    ("Procesroute zoals afgestemd", "procesroute.pdf"),
    ("Notitie scenario's toekomstplan", "notitie-scenarios.pdf"),
]


def demo_pdf(text: str) -> bytes:
    """A small valid one-page PDF with one line of text (demo documents only)."""
    safe = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _documents(region, rng, adviser):
    for title, filename in rng.sample(DOCUMENTS, k=rng.randint(1, 3)):
        content = ContentFile(demo_pdf(f"{title} - {region.name}"), name=filename)
        add_document(
            region=region, title=title, upload=content, content_type="application/pdf", by=adviser
        )
