"""Demo data: personas for every role, portfolios and a first round of progress updates.

Idempotent: running it again adds nothing that is already there, and never changes passwords
or records someone edited.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from demo.regions import fill_region
from monitoring.models import ProgressUpdate, RouteStep, Status
from regions.models import Region
from specialists.models import (
    Deployment,
    DeploymentStatus,
    HoursEntry,
    SpecialistProfile,
    Unavailability,
)

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "load_demo_data"]

DEMO_PASSWORD = "regiomonitor-demo"  # noqa: S105 - a published demo credential, never production
# The authenticator-app key of the demo users whose role requires a second factor (pieter, iris,
# beheer): published like the password, so a visitor can add it to an app or ask
# `manage.py demo_code` for the current code. Base32 JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP.
DEMO_TOTP_KEY = "48656c6c6f21deadbeef48656c6c6f21deadbeef"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str = ""


DEMO_USERS = [
    DemoUser("anna", "Anna", "de Vries", Role.ADVISER),
    DemoUser("bram", "Bram", "Jansen", Role.ADVISER),
    DemoUser("carla", "Carla", "Bakker", Role.ADVISER),
    DemoUser("daan", "Daan", "Visser", Role.ADVISER),
    DemoUser("eva", "Eva", "Smit", Role.ADVISER),
    DemoUser("pieter", "Pieter", "Mulder", Role.PROGRAMME),
    DemoUser("iris", "Iris", "van Dijk", Role.HUB),
    DemoUser("sam", "Sam", "Hendriks", Role.SPECIALIST),
    DemoUser("lotte", "Lotte", "Peters", Role.SPECIALIST),
    DemoUser("milan", "Milan", "de Boer", Role.SPECIALIST),
    DemoUser("noor", "Noor", "Kramer", Role.SPECIALIST),
    DemoUser("szw", "Saskia", "Willems", Role.PARTNER, "SZW"),
    DemoUser("beheer", "Bert", "Beheer", Role.ADMIN),
]

NARRATIVES = {
    Status.ON_TRACK: [
        "Scenario's zijn besproken in het regionale portefeuillehoudersoverleg; de koers is "
        "gekozen en de besluitvorming in de raden is ingepland.",
        "De procesroute is afgestemd met gemeenten en het SOB. Alle stappen liggen op schema.",
    ],
    Status.ATTENTION: [
        "De financiële doorrekening van het voorkeursscenario loopt vertraging op; het SOB "
        "wacht op cijfers van twee gemeenten.",
        "Bestuurlijke wisselingen in twee gemeenten vragen om een extra "
        "kennismakingsronde voordat de koers kan worden vastgesteld.",
    ],
    Status.RISK: [
        "Gemeenten zijn het oneens over de governance van het SOB; het besluit in het AB van "
        "de GR is uitgesteld. Zonder ingrijpen is eind 2026 niet haalbaar.",
    ],
}
HELP = {
    Status.ON_TRACK: "",
    Status.ATTENTION: "Inzet van een specialist financiën voor de doorrekening.",
    Status.RISK: "Specialist governance en een bestuurlijk gesprek met VNG en Cedris.",
}


# Hours per week and a note on availability, as the specialists keep them themselves.
AVAILABILITY = {
    "sam": (16, "Maandag en dinsdag; bij voorkeur in het noorden."),
    "lotte": (24, "Flexibel inzetbaar, ook voor korte adviesvragen."),
    "milan": (8, "Alleen donderdag."),
    "noor": (16, ""),
}
SUMMARIES = {
    "sam": "Oud-gemeentesecretaris; begeleidt bestuurlijke keuzes over de governance van het SOB.",
    "lotte": "Organisatieadviseur met ervaring in fusies van SW-bedrijven.",
    "milan": "Arbeidsmarktdeskundige en jurist sociale zekerheid.",
    "noor": "Financieel adviseur; rekenmodellen voor impulsbudget en structurele middelen.",
}
UNAVAILABLE = {
    "lotte": [(date(2026, 12, 21), date(2027, 1, 8), "Verlof")],
    "milan": [(date(2026, 11, 16), date(2026, 12, 4), "Andere opdracht")],
}


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    users = {}
    created_users = 0
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@regiomonitor.example",
                "role": spec.role,
                "organisation": spec.organisation,
                "is_staff": spec.role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created_users += 1
        users[spec.username] = user
        if user.second_factor_required and not user.second_factor_enabled:
            TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)
            User.objects.filter(pk=user.pk).update(second_factor_enabled=True)

    advisers = [users[u.username] for u in DEMO_USERS if u.role == Role.ADVISER]
    regions = list(Region.objects.order_by("code"))
    for index, region in enumerate(regions):
        if region.adviser_id is None:
            region.adviser = advisers[index * len(advisers) // len(regions)]
            region.save(update_fields=["adviser"])

    profiles = {
        "sam": ["governance", "financien"],
        "lotte": ["bedrijfsvoering", "organisatieontwikkeling"],
        "milan": ["arbeidsmarkt", "juridisch"],
        "noor": ["financien", "governance", "organisatieontwikkeling"],
    }
    for username, expertise in profiles.items():
        profile, created = SpecialistProfile.objects.get_or_create(
            user=users[username],
            defaults={
                "expertise": expertise,
                "hours_per_week": AVAILABILITY[username][0],
                "availability_note": AVAILABILITY[username][1],
                "summary": SUMMARIES[username],
            },
        )
        if created:
            for start, end, reason in UNAVAILABLE.get(username, []):
                Unavailability.objects.create(
                    profile=profile, start_date=start, end_date=end, reason=reason
                )
    if not Deployment.objects.exists():
        _demo_deployments(regions, users, profiles)

    created_updates = 0
    for region in regions:
        if region.progress_updates.exists():
            continue
        rng = random.Random(region.code)  # noqa: S311 - demo content, not security
        status = Status.ON_TRACK
        # Most advisers updated every quarter of 2026; a few are a quarter behind.
        quarters = [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]
        if rng.random() < 0.85:
            quarters.append((2026, 3))
        if rng.random() < 0.3:
            quarters.append((2026, 4))
        for year, quarter in quarters:
            status = rng.choices(
                [Status.ON_TRACK, Status.ATTENTION, Status.RISK], weights=[5, 3, 1.5]
            )[0]
            update = ProgressUpdate.objects.create(
                region=region,
                year=year,
                quarter=quarter,
                status=status,
                narrative=rng.choice(NARRATIVES[status]),
                help_needed=HELP[status],
                author=region.adviser,
            )
            written = min(
                timezone.make_aware(datetime(year, quarter * 3, 15, 10))
                + timedelta(days=rng.randint(0, 20)),
                timezone.now(),
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(created_at=written)
            created_updates += 1
    from innovation.models import Insight, Product

    if not Product.objects.exists():
        _demo_product_line(users)  # before the regions, whose uses link to published versions
    instruments = _published_instruments()
    filled = sum(
        fill_region(region, instruments) for region in Region.objects.select_related("adviser")
    )
    if not Insight.objects.exists():
        _demo_knowledge_cycle(users)  # after the regions, whose signals start the cycle
    _demo_partner_contacts()  # before the reports: a published one is mailed to them
    _demo_reports(users["pieter"])
    _demo_discussion(users)
    from dashboard.alerts import watch_readiness
    from notifications.watch import warn_certifications

    warn_certifications()  # the specialists' certifications that end within 60 days
    watch_readiness()  # the first look at each region's readiness: later changes are told
    return {"users": created_users, "progress_updates": created_updates, "regions_filled": filled}


def _demo_deployments(regions, users, profiles) -> None:
    """Sam works in Groningen and Friesland; elsewhere a mix of requests, work and results."""
    rng = random.Random("deployments")  # noqa: S311 - demo content, not security
    now = timezone.now()
    for index, region in enumerate(regions):
        if index < 2:
            wanted = [("sam", "governance", DeploymentStatus.ACTIVE)]
        else:
            wanted = []
            for _ in range(rng.choice([0, 1, 1, 2])):
                name = rng.choice(list(profiles))
                status = rng.choice(
                    [
                        DeploymentStatus.REQUESTED,
                        DeploymentStatus.ACTIVE,
                        DeploymentStatus.COMPLETED,
                        DeploymentStatus.COMPLETED,
                    ]
                )
                wanted.append((name, rng.choice(profiles[name]), status))
        step = region.route_steps.exclude(expertise=[]).first()
        for name, expertise, status in wanted:
            requested = now - timedelta(days=rng.randint(5, 200))
            assigned = status != DeploymentStatus.REQUESTED
            start = (requested + timedelta(days=7)).date()
            planned = rng.choice([16, 24, 40, 60])
            deployment = Deployment.objects.create(
                region=region,
                route_step=step,
                expertise=expertise,
                request_note="Ondersteuning bij de uitwerking van deze stap in de procesroute.",
                requested_by=region.adviser,
                requested_at=requested,
                specialist=users[name] if assigned else None,
                assigned_by=users["pieter"] if assigned else None,
                status=status,
                start_date=start if assigned else None,
                end_date=_demo_end(start, status) if assigned else None,
                planned_hours=planned if assigned else 0,
                progress="Gesprekken gevoerd met wethouders en directie SOB." if assigned else "",
                result="Advies opgeleverd en besproken in de stuurgroep."
                if status == DeploymentStatus.COMPLETED
                else "",
            )
            if assigned:
                _demo_hours(deployment, planned, completed=status == DeploymentStatus.COMPLETED)


def _demo_end(start, status):
    """Ninety days after the start; a completed deployment ended by today at the latest."""
    end = start + timedelta(days=90)
    if status == DeploymentStatus.COMPLETED:
        return min(end, timezone.localdate())
    return end


def _demo_hours(deployment, planned: int, *, completed: bool) -> None:
    """A log of half-day and shorter sessions: all planned hours for a completed deployment,
    about half for one still running."""
    target = Decimal(planned if completed else planned // 2)
    sessions = [Decimal("4"), Decimal("2.5"), Decimal("3.5"), Decimal("1.5")]
    day, logged, index = deployment.start_date, Decimal(0), 0
    today = timezone.localdate()
    while logged < target:
        hours = min(sessions[index % len(sessions)], target - logged)
        HoursEntry.objects.create(
            deployment=deployment,
            day=min(day, today, deployment.end_date or today),
            hours=hours,
            note="Werksessie met de regio.",
            recorded_by=deployment.specialist,
        )
        logged += hours
        day += timedelta(days=7)
        index += 1


PARTNER_CONTACTS = [
    ("SZW", "Sanne de Wit", "s.dewit@szw.example"),
    ("VNG", "Vincent Groen", "v.groen@vng.example"),
    ("Cedris", "Carla Dijkstra", "c.dijkstra@cedris.example"),
    ("Divosa", "Daan Kuipers", "d.kuipers@divosa.example"),
]


def _demo_discussion(users) -> None:
    """A discussion under one of anna's route steps: she asks pieter, who is told of it."""
    from discussion.forms import CommentForm
    from discussion.models import Comment
    from discussion.services import add_comment
    from discussion.subjects import get_subject

    if Comment.objects.exists():
        return
    steps = RouteStep.objects.filter(region__adviser=users["anna"])
    step = steps.order_by("region__code", "order").first()
    if step is None:
        return
    subject = get_subject("processtappen")
    for author, body in (
        (
            users["anna"],
            "@pieter de colleges willen dit besluit een maand later nemen. Kan dat binnen de "
            "planning van het programma?",
        ),
        (users["pieter"], "Ja, als het raadsbesluit vóór 1 maart valt. @anna zet je de datum om?"),
    ):
        form = CommentForm({"body": body}, readers=subject.readers(step))
        if form.is_valid():
            add_comment(subject=subject, record=step, form=form, by=author)


def _demo_partner_contacts() -> None:
    """One contact per national partner, who receives each published quarterly report (in the
    demo's MailDev inbox)."""
    from notifications.models import PartnerContact

    for organisation, name, email in PARTNER_CONTACTS:
        PartnerContact.objects.get_or_create(
            email=email, defaults={"organisation": organisation, "name": name}
        )


def _demo_reports(by) -> None:
    """The ended quarters of 2026 frozen: Q1 and Q2 published, the latest a draft. Their PDFs
    are queued for the pdf worker, which renders them once `make demo` has started it. The
    scheduled job froze them, so programme management (`by`) may approve them (four eyes)."""
    from reporting.models import Report, ReportStatus
    from reporting.services import enqueue, freeze_quarter

    today = timezone.localdate()
    ended = [q for q in (1, 2, 3, 4) if (2026, q * 3) < (today.year, today.month)]
    for quarter in ended:
        snapshot = freeze_quarter(year=2026, quarter=quarter, by=None)
        if Report.objects.filter(snapshot=snapshot).exists():
            continue
        final = quarter != ended[-1]
        moment = timezone.make_aware(datetime(2026, quarter * 3 + 1, 10, 11))
        report = Report.objects.create(
            snapshot=snapshot,
            created_by=None,
            status=ReportStatus.PUBLISHED if final else ReportStatus.CONCEPT,
            approved_by=by if final else None,
            approved_at=moment if final else None,
            approval_note="Cijfers nagelopen met de regioadviseurs." if final else "",
            published_by=by if final else None,
            published_at=moment + timedelta(days=2) if final else None,
        )
        enqueue(report)


def _published_instruments() -> dict:
    """Product name -> (newest published version, specialists certified for it)."""
    from innovation.models import Certification, ProductVersion, VersionStatus

    instruments = {}
    for version in ProductVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "product"
    ):
        certified = [
            c.specialist
            for c in Certification.objects.filter(version=version).select_related("specialist")
        ]
        instruments[version.product.name] = (version, certified)
    return instruments


def _demo_product_line(users) -> None:
    """A small product line: criteria, development lines, products with documents, reviews,
    certifications."""
    from demo.regions import demo_pdf
    from innovation.models import (
        Certification,
        DevelopmentLine,
        Product,
        ProductVersion,
        QualityCriterion,
        Review,
        VersionStatus,
    )
    from innovation.services import add_version_document

    hub = users["iris"]
    criteria = [
        QualityCriterion.objects.create(name=name, description=text)
        for name, text in [
            ("Getest in ten minste twee regio's", "De versie is in de praktijk beproefd."),
            ("Overdraagbaar", "Handleiding en trainersmateriaal zijn compleet."),
            (
                "Aansluiting bij bestuurlijke afspraken",
                "Past binnen de afspraken SZW-VNG-Cedris-Divosa.",
            ),
            ("Toegankelijk en digitaal beschikbaar", "Gepubliceerd als toegankelijk document."),
        ]
    ]
    lines = {
        name: DevelopmentLine.objects.create(
            name=name,
            delivered_on=date(2026, 5, 1) if index < 3 else None,
            applied_nationally_on=date(2026, 9, 1) if index < 2 else None,
        )
        for index, name in enumerate(
            ["Governance", "Financiën", "Scenario's", "Arbeidsmarktfunctionaliteiten"]
        )
    }
    products = [
        ("Scan toekomstbestendige sociale infrastructuur", "scan", "Scenario's", True),
        ("Format procesroute", "format", "Governance", True),
        ("Werkvorm scenariosessie", "werkvorm", "Scenario's", True),
        ("Rekenmodel impulsbudget", "product", "Financiën", True),
        ("Ontwikkelmodule governance SOB", "ontwikkelmodule", "Governance", False),
    ]
    specialists = [users[name] for name in ("sam", "lotte", "milan", "noor")]
    for index, (name, kind, line, publish) in enumerate(products):
        product = Product.objects.create(
            name=name,
            kind=kind,
            owner=hub,
            development_line=lines[line],
            description="Landelijk instrument van de Innovatiehub.",
        )
        version = ProductVersion.objects.create(product=product, label="1.0")
        for title, filename in [
            ("Handleiding", "handleiding.pdf"),
            ("Trainersmateriaal", "trainersmateriaal.pdf"),
        ]:
            add_version_document(
                version=version,
                title=title,
                upload=ContentFile(demo_pdf(f"{title} - {name} 1.0"), name=filename),
                content_type="application/pdf",
                by=hub,
            )
        for position, criterion in enumerate(criteria):
            passed = publish or position < 2
            Review.objects.create(
                version=version,
                criterion=criterion,
                passed=passed,
                reviewer=hub,
                note="" if passed else "Handleiding nog niet compleet.",
            )
        if publish:
            version.status = VersionStatus.PUBLISHED
            version.published_at = timezone.now()
            version.save(update_fields=["status", "published_at"])
            for specialist in specialists[index % 2 :: 2]:
                Certification.objects.create(
                    specialist=specialist,
                    version=version,
                    certified_on=date(2026, 3, 1),
                    expires_on=date(2027, 3, 1)
                    if specialist.username != "milan"
                    else date(2026, 12, 31),
                )


def _demo_knowledge_cycle(users) -> None:
    """Regional signals -> insights -> agenda items -> product versions."""
    from innovation.models import AgendaItem, DevelopmentLine, Insight, ProductVersion
    from monitoring.models import Signal

    hub = users["iris"]
    lines = {line.name: line for line in DevelopmentLine.objects.all()}
    versions = {v.product.name: v for v in ProductVersion.objects.select_related("product")}
    chains = [
        (
            "Regio's zoeken houvast bij de governancekeuze voor het SOB",
            "governance",
            "Handreiking governance SOB",
            "hoog",
            "2026-Q1",
            "2026-Q4",
            "Ontwikkelmodule governance SOB",
            "Governance",
        ),
        (
            "Onzekerheid over de besteding van het impulsbudget",
            "impulsbudget",
            "Rekenmodel impulsbudget en structurele middelen",
            "hoog",
            "2026-Q1",
            "2026-Q3",
            "Rekenmodel impulsbudget",
            "Financiën",
        ),
        (
            "Behoefte aan een vaste aanpak voor scenariosessies",
            "handreiking",
            "Werkvorm scenario's voor bestuurders",
            "midden",
            "2026-Q2",
            "2027-Q1",
            "Werkvorm scenariosessie",
            "Scenario's",
        ),
    ]
    for title, keyword, item_title, priority, start, end, product_name, line in chains:
        insight = Insight.objects.create(title=title, description="Opgehaald uit de regio's.")
        insight.signals.set(Signal.objects.filter(title__icontains=keyword)[:4])
        item = AgendaItem.objects.create(
            title=item_title,
            priority=priority,
            owner=hub,
            start_quarter=start,
            end_quarter=end,
            status="lopend",
            development_line=lines[line],
        )
        item.insights.add(insight)
        item.product_versions.add(versions[product_name])
