from specialists.views.deployments import deployment_detail, deployment_list, deployment_request
from specialists.views.profiles import (
    availability_edit,
    profile,
    profile_edit,
    profile_list,
    unavailability_add,
    unavailability_delete,
)

__all__ = [
    "availability_edit",
    "deployment_detail",
    "deployment_list",
    "deployment_request",
    "profile",
    "profile_edit",
    "profile_list",
    "unavailability_add",
    "unavailability_delete",
]
