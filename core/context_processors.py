from accounts.models import Role


def navigation(request):
    """The menu a user sees follows their role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.role == Role.ADVISER:
        items.append(("regions:portfolio", "portfolio"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB}:
        items.append(("dashboard:index", "dashboard"))
        items.append(("dashboard:results", "results"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST}:
        items.append(("regions:overview", "regions"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST}:
        items.append(("specialists:list", "deployments"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB}:
        items.append(("specialists:profiles", "specialists"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST}:
        items.append(("innovation:catalogue", "products"))
    if user.role in {Role.PROGRAMME, Role.HUB}:
        items.append(("innovation:agenda", "agenda"))
        items.append(("innovation:lines", "lines"))
        items.append(("innovation:criteria", "criteria"))
        items.append(("innovation:certifications", "certifications"))
    if user.role in {Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.PARTNER}:
        items.append(("dashboard:national", "national"))
        items.append(("reporting:index", "reports"))
    if user.role == Role.PROGRAMME:
        items.append(("regions:portfolios", "portfolios"))
    if user.role in {Role.PROGRAMME, Role.ADMIN} or user.is_superuser:
        items.append(("core:health", "health"))
    if user.is_administrator:
        items.append(("admin:index", "admin"))
    return {"nav_items": items}
