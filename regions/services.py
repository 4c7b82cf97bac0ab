"""Writes about regions and portfolios. Keep it small."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from regions.models import Handover, Region, StandIn

__all__ = ["add_stand_in", "handover_portfolio"]


@transaction.atomic
def handover_portfolio(*, to_adviser, regions, by, note: str = "") -> list[Handover]:
    """Move regions to another adviser. Records, history and dossier stay with the region;
    the handover itself is recorded, and the adviser change lands in the audit history."""
    if to_adviser.role != Role.ADVISER:
        raise ValidationError(_("Regions can only be handed over to a regional adviser."))
    handovers = []
    for region in Region.objects.select_for_update().filter(pk__in=[r.pk for r in regions]):
        if region.adviser_id == to_adviser.pk:
            continue
        handovers.append(
            Handover.objects.create(
                region=region,
                from_adviser_id=region.adviser_id,
                to_adviser=to_adviser,
                note=note,
                by=by,
            )
        )
        region.adviser = to_adviser
        region.save(update_fields=["adviser"])
    return handovers


def add_stand_in(*, adviser, substitute, start_date, end_date, by) -> StandIn:
    if adviser.pk == substitute.pk:
        raise ValidationError(_("An adviser cannot stand in for themselves."))
    if substitute.role != Role.ADVISER or adviser.role != Role.ADVISER:
        raise ValidationError(_("Both must be regional advisers."))
    if end_date < start_date:
        raise ValidationError(_("The period ends before it starts."))
    return StandIn.objects.create(
        adviser=adviser,
        substitute=substitute,
        start_date=start_date,
        end_date=end_date,
        created_by=by,
    )
