"""Who is told of what, and how unless they chose otherwise: one row per kind of notification.

A user's preferences page offers the kinds of their role, each with the deliveries it allows
(the weekly digest itself is sent or not; a failed e-mail is never told by e-mail)."""

from dataclasses import dataclass

from accounts.models import Role
from notifications.models import Delivery, MessageKind, Preference

__all__ = ["TOPICS", "Topic", "deliveries_for", "delivery_for", "topics_for"]

EVERY_DELIVERY = (Delivery.EMAIL, Delivery.DIGEST, Delivery.APP, Delivery.OFF)


@dataclass(frozen=True)
class Topic:
    kind: str
    roles: frozenset[str]
    default: str = Delivery.EMAIL
    deliveries: tuple[str, ...] = EVERY_DELIVERY


TOPICS: dict[str, Topic] = {
    topic.kind: topic
    for topic in (
        Topic(
            MessageKind.DIGEST,
            frozenset({Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST}),
            deliveries=(Delivery.EMAIL, Delivery.OFF),
        ),
        Topic(MessageKind.REMINDER, frozenset({Role.ADVISER})),
        Topic(MessageKind.CRITICAL, frozenset({Role.PROGRAMME})),
        Topic(MessageKind.APPROVAL, frozenset({Role.PROGRAMME})),
        Topic(MessageKind.PUBLISHED, frozenset({Role.PARTNER}), default=Delivery.APP),
        Topic(MessageKind.JOB_FAILED, frozenset({Role.PROGRAMME, Role.ADMIN})),
        Topic(MessageKind.DEPLOYMENT, frozenset({Role.SPECIALIST})),
        Topic(MessageKind.CERTIFICATION, frozenset({Role.SPECIALIST})),
        Topic(MessageKind.REVIEW, frozenset({Role.HUB})),
        Topic(MessageKind.ACCESS, frozenset({Role.ADMIN})),
        Topic(
            MessageKind.SIGN_IN,
            frozenset(Role.values),
            deliveries=(Delivery.EMAIL, Delivery.APP),
        ),
        Topic(
            MessageKind.MENTION,
            frozenset({Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST}),
        ),
    )
}


def topics_for(user) -> list[Topic]:
    """The kinds the user's role is told of, in the order of TOPICS."""
    return [topic for topic in TOPICS.values() if user.role in topic.roles]


def deliveries_for(kind: str) -> tuple[str, ...]:
    return TOPICS[kind].deliveries if kind in TOPICS else EVERY_DELIVERY


def delivery_for(user, kind: str) -> str:
    """How `user` wants `kind`: their choice, else the kind's default."""
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    topic = TOPICS.get(kind)
    return next(iter(chosen), topic.default if topic else Delivery.APP)
