import csv
from io import BytesIO

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Role, User
from core.access import require_roles
from core.pagecache import kept
from core.params import int_or_none
from core.quarters import current_quarter
from core.quarters import label as quarter_label
from core.spreadsheets import safe_row
from dashboard.charts import (
    activity_chart,
    hours_chart,
    readiness_chart,
    stage_chart,
    status_trend_chart,
)
from dashboard.comparison import PARAM as COMPARE_PARAM
from dashboard.comparison import compare_with_frozen, frozen_quarters, parse_quarter
from dashboard.help import help_needed
from dashboard.national import national_figures
from dashboard.queries import STAGES, Filters, dashboard_rows, provinces
from dashboard.readiness import RULE_TEXT, URGENCY
from dashboard.results import compute_indicators
from monitoring.freshness import per_adviser
from monitoring.models import Status
from regions.maps import NO_STATUS, choropleth, shapes_url
from regions.models import Region

DASHBOARD_ROLES = (Role.PROGRAMME, Role.HUB, Role.ADVISER)
# Rows of the regions table per page: all 35 regions on one page; a larger programme pages.
PAGE_SIZE = 50
ALL_PAGES = "alle"
SORTS = {
    "naam": lambda row: row.region.name,
    "fase": lambda row: -1 if row.reached is None else row.reached,
    "status": lambda row: [Status.RISK, Status.ATTENTION, Status.ON_TRACK, None].index(row.status),
    "gereedheid": lambda row: row.urgency,
    "te_laat": lambda row: row.late_steps,
    "signalen": lambda row: row.open_signals,
    "kwartaal": lambda row: row.freshness.has_quarter_update,
    "update": lambda row: row.last_update.timestamp() if row.last_update else 0,
    "adviseur": lambda row: str(row.region.adviser or ""),
}
COLUMNS = [
    ("naam", gettext_lazy("Region")),
    ("adviseur", gettext_lazy("Regional adviser")),
    ("fase", gettext_lazy("Stage")),
    ("status", gettext_lazy("Status")),
    ("gereedheid", gettext_lazy("Readiness")),
    ("te_laat", gettext_lazy("Late steps")),
    ("signalen", gettext_lazy("Open signals")),
    ("kwartaal", gettext_lazy("Update this quarter")),
    ("update", gettext_lazy("Last update")),
]


def _parse(request):
    params = request.GET
    filters = Filters(
        adviser=int_or_none(params.get("adviseur")),
        province=params.get("provincie", ""),
        stage=params.get("fase", ""),
        status=params.get("status", ""),
        readiness=params.get("gereedheid", ""),
    )
    sort = params.get("sorteer", "gereedheid")
    sort = sort if sort in SORTS else "gereedheid"
    descending = params.get("volgorde") == "af"
    return filters, sort, descending


def _table(request):
    """The filtered, sorted rows; shared by the page, its htmx partial and the exports."""
    today = timezone.localdate()
    filters, sort, descending = _parse(request)
    all_rows = dashboard_rows(today=today)
    province_choices, provinces_of = provinces()
    rows = [row for row in all_rows if filters.matches(row, provinces_of)]
    rows.sort(key=lambda row: (SORTS[sort](row), row.region.name), reverse=descending)
    for row in rows:
        row.age = row.update_age_days(today)
    return {
        "today": today,
        "all_rows": all_rows,
        "rows": rows,
        "filters": filters,
        "sort": sort,
        "descending": descending,
        "province_choices": province_choices,
    }


def _selection(context) -> str:
    """What the filtered tiles and help list show: "all 35 regions", or the chosen filters and
    how many regions they leave. Names come from rows and choices already read (no query)."""
    filters, rows, all_rows = context["filters"], context["rows"], context["all_rows"]
    chosen = []
    if filters.adviser:
        adviser = next(
            (row.region.adviser for row in all_rows if row.region.adviser_id == filters.adviser),
            None,
        )
        chosen.append(str(adviser) if adviser is not None else _("an adviser without regions"))
    if filters.province:
        chosen.append(dict(context["province_choices"]).get(filters.province, filters.province))
    if filters.stage:
        chosen.append(next((str(s.label) for s in STAGES if s.value == filters.stage), ""))
    if filters.status:
        statuses = {s.value: str(s.label) for s in Status} | {NO_STATUS: _("No update yet")}
        chosen.append(statuses.get(filters.status, filters.status))
    if filters.readiness:
        chosen.append(next((str(r.label) for r in URGENCY if r.value == filters.readiness), ""))
    chosen = [name for name in chosen if name]
    if not chosen:
        return ngettext("all %(total)s region", "all %(total)s regions", len(all_rows)) % {
            "total": len(all_rows)
        }
    return ngettext(
        "selection %(filters)s: %(count)s of %(total)s region",
        "selection %(filters)s: %(count)s of %(total)s regions",
        len(all_rows),
    ) % {"filters": ", ".join(chosen), "count": len(rows), "total": len(all_rows)}


def _query_without(request, *drop, **extra) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


def _map(rows, mode: str):
    # Every text is translated once, not once per region: the map colours every region.
    stage_names = [str(stage.label) for stage in STAGES]
    not_started = _("Not started")

    def stage_of(row) -> str:
        return stage_names[row.reached] if row.reached is not None else not_started

    if mode == "fase":
        legend = [(f"stage-{i}", name) for i, name in enumerate(stage_names)]
        legend.append(("stage-none", not_started))

        def classify(row):
            css = f"stage-{row.reached}" if row.reached is not None else "stage-none"
            return css, f"{row.region.name}: {stage_of(row)}"

        title = _("Map of the regions by stage of the future plan")
    else:
        readiness_names = {r: str(r.label) for r in URGENCY}
        legend = [(f"readiness-{r.value}", readiness_names[r]) for r in URGENCY]
        late_steps = _("late steps")

        def classify(row):
            return (
                f"readiness-{row.readiness.value}",
                f"{row.region.name}: {readiness_names[row.readiness]}; {stage_of(row)}"
                f"; {row.late_steps} {late_steps}",
            )

        title = _("Map of the regions by readiness for 31 December 2026")
    by_region = {row.region.pk: row for row in rows}
    regions = [row.region for row in rows]
    return choropleth(
        regions, lambda r: classify(by_region[r.pk]), legend, title, shapes_href=shapes_url()
    )


def _dashboard(request, part: str, per_adviser_table: bool = False) -> str:
    """The dashboard's content (`part` "body"), or only its table or map for an htmx swap.
    With `per_adviser_table` (programme management's page) the body holds "Actualiteit per
    regioadviseur" too, read from the same rows (no query)."""
    context = _table(request)
    mode = "fase" if request.GET.get("kaart") == "fase" else "gereedheid"
    # "pagina=alle": every row on one page (to print the whole table, or read it in one go).
    everything = request.GET.get("pagina") == ALL_PAGES
    size = max(len(context["rows"]), 1) if everything else PAGE_SIZE
    page = Paginator(context["rows"], size).get_page(request.GET.get("pagina"))
    context |= {
        "page": page,
        "all_pages": ALL_PAGES,
        "everything": everything and len(context["rows"]) > PAGE_SIZE,
        "page_query": _query_without(request, "pagina"),
        "columns": COLUMNS,
        "sort_query": _query_without(request, "sorteer", "volgorde", "pagina"),
        "map_mode": mode,
        "map_query": _query_without(request, "kaart"),
        "export_query": request.GET.urlencode(),
        "advisers": User.objects.filter(role=Role.ADVISER).order_by("first_name"),
        "stages": STAGES,
        "statuses": list(Status),
        "no_status": NO_STATUS,
        "readiness_choices": URGENCY,
        "rule": RULE_TEXT,
    }
    if part != "results":
        context["map"] = _map(context["all_rows"], mode)
    if part in ("body", "results"):
        # The tiles and the help list follow the filters; after an htmx filter, sort or page
        # they come along with the table, out of band.
        context |= {
            "oob": part == "results",
            "selection": _selection(context),
            "tiles": readiness_chart(context["rows"], _("Regions per readiness")).bars,
            "help": help_needed(context["rows"], context["today"]),
        }
    if part == "body":
        today = context["today"]
        all_rows = context["all_rows"]
        context |= {
            "stage_chart": stage_chart(all_rows, _("Regions per stage of the future plan")),
            "readiness_chart": readiness_chart(all_rows, _("Regions per readiness")),
            "trend_chart": status_trend_chart(_("Status of the regions per quarter"), today),
            "hours_chart": hours_chart(_("Specialist hours spent per expertise")),
            "activity_chart": activity_chart(
                _("Meetings and pilots per quarter"), (_("Meetings"), _("Pilots")), today
            ),
            "quarter": quarter_label(*current_quarter(today)),
        }
        context["compare"] = _comparison(request, all_rows)
        if per_adviser_table:
            context["advisers_freshness"] = per_adviser(
                (row.region, row.freshness) for row in all_rows
            )
    return render_to_string(f"dashboard/index.html#{part}", context)


def _comparison(request, rows) -> dict:
    """Today beside a frozen quarter (`?vergelijk=2026-3`, dashboard/comparison.py): the
    quarters to choose from and, when one is chosen, what differs per region. Two queries with
    a quarter chosen, one without."""
    quarters = frozen_quarters()
    value = request.GET.get(COMPARE_PARAM, "")
    chosen = parse_quarter(value)
    comparison = compare_with_frozen(rows, *chosen) if chosen in quarters else None
    return {
        "quarters": [(f"{y}-{q}", quarter_label(y, q)) for y, q in quarters],
        "value": value,
        "comparison": comparison,
        "error": _("Choose a quarter that has been frozen.") if value and not comparison else "",
        # The form keeps the table's filters and sort (not its page).
        "keep": [
            (key, item)
            for key, items in request.GET.lists()
            if key not in (COMPARE_PARAM, "pagina")
            for item in items
        ],
    }


# The htmx targets that swap one part of the dashboard, and the partial each gets.
PARTS = {"dashboard-results": "results", "dashboard-map": "map"}


@require_roles(*DASHBOARD_ROLES)
def index(request):
    """The same for every reader of a role group, so its content is kept until the database
    changes (core/pagecache.py); its parameters are all in the query string. Programme
    management's body holds the table per adviser as well: kept apart, under its own variant,
    so no other reader is ever served it."""
    part = PARTS.get(request.htmx.target, "body") if request.htmx else "body"
    per_adviser_table = part == "body" and request.user.is_programme
    html = kept(
        "dashboard",
        (part, request.GET.urlencode(), per_adviser_table),
        lambda: _dashboard(request, part, per_adviser_table),
    )
    if part != "body":
        return HttpResponse(html)
    return render(request, "dashboard/index.html", {"body": html})


def _export_rows(context):
    today = context["today"]
    header = [
        _("Code"),
        _("Region"),
        _("Regional adviser"),
        _("Stage"),
        _("Status"),
        _("Readiness"),
        _("Late steps"),
        _("Open signals"),
        _("Progress update this quarter"),
        _("Days since last update"),
    ]
    statuses = dict(Status.choices)
    body = [
        [
            row.region.code,
            row.region.name,
            str(row.region.adviser or ""),
            row.stage_label,
            str(statuses.get(row.status, "")),
            str(row.readiness.label),
            row.late_steps,
            row.open_signals,
            _("yes") if row.freshness.has_quarter_update else _("no"),
            row.update_age_days(today) if row.last_update else "",
        ]
        for row in context["rows"]
    ]
    return header, body


@require_roles(*DASHBOARD_ROLES)
def export_csv(request):
    header, body = _export_rows(_table(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="regiomonitor-dashboard.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in body)
    return response


@require_roles(*DASHBOARD_ROLES)
def export_xlsx(request):
    from openpyxl import Workbook

    header, body = _export_rows(_table(request))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Regiomonitor"
    sheet.append(safe_row(header))
    for row in body:
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="regiomonitor-dashboard.xlsx"'
    return response


@require_roles(*DASHBOARD_ROLES)
def results(request):
    """Every contracted result as a computed indicator with its target and evidence."""
    advisers = list(User.objects.filter(role=Role.ADVISER).order_by("first_name", "last_name"))
    chosen = next((a for a in advisers if a.pk == int_or_none(request.GET.get("adviseur"))), None)
    regions = Region.objects.all()
    if chosen is not None:
        regions = regions.filter(adviser=chosen)

    def indicators() -> str:
        computed = compute_indicators(regions, timezone.localdate())
        return render_to_string(
            "dashboard/results.html#indicators",
            {
                "indicators": [i for i in computed if i.seed == "000"],
                "hub_indicators": [i for i in computed if i.seed == "001"],
            },
        )

    return render(
        request,
        "dashboard/results.html",
        {
            # The same for every reader of this portfolio: kept until the database changes.
            "indicators": kept("results", (chosen and chosen.pk,), indicators),
            "advisers": advisers,
            "chosen": chosen,
            "region_count": regions.count(),
        },
    )


@require_roles(Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.PARTNER)
def national(request):
    """The national aggregate: counts and charts only, no region names or narratives (what
    partners see; the API's national aggregate gives the same figures)."""
    today = timezone.localdate()
    figures = national_figures(today)
    return render(
        request,
        "dashboard/national.html",
        {
            "region_count": figures.region_count,
            "municipality_count": figures.municipality_count,
            "population": figures.population,
            "legend_counts": figures.status,
            "readiness_chart": readiness_chart(figures.rows, _("Regions per readiness")),
            "stage_chart": stage_chart(figures.rows, _("Regions per stage of the future plan")),
            "trend_chart": status_trend_chart(
                _("Status of the regions per quarter"), today, counts=figures.status_per_quarter
            ),
        },
    )
