"""Writing, changing and removing comments, and telling the users they mention.

A mention is "@" and a username. Only users who may read the record can be mentioned; each is
told once per comment (notifications.services.notify with the comment as key), also when an
edit adds them. Every write goes through here, so the audit history (the Comment model is
tracked) and the version check hold for all of them.
"""

import operator
import re
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Role
from core.records import Conflict
from discussion.models import Comment
from discussion.subjects import SUBJECTS, Subject
from notifications.models import MessageKind
from notifications.services import notify

__all__ = [
    "NotAllowed",
    "add_comment",
    "comment_url",
    "edit_comment",
    "may_remove",
    "mentioned_names",
    "region_discussions",
    "remove_comment",
    "resolve_mentions",
]

# "@anna" or "@j.de-vries", not the middle of an e-mail address ("anna@vng.nl").
MENTION = re.compile(r"(?<![\w@.])@([\w][\w.\-]*[\w]|[\w])")


def mentioned_names(body: str) -> list[str]:
    """The usernames mentioned in `body`, each once, in order."""
    seen = []
    for name in MENTION.findall(body):
        if name.lower() not in seen:
            seen.append(name.lower())
    return seen


def resolve_mentions(body: str, readers) -> tuple[list, list[str]]:
    """(the users mentioned, the refusals in Dutch): every mentioned name must be a user who
    may read the record (`readers`, a queryset)."""
    names = mentioned_names(body)
    if not names:
        return [], []
    matching = reduce(operator.or_, (Q(username__iexact=name) for name in names))
    found = {user.username.lower(): user for user in readers.filter(matching)}
    problems = [
        _("No one who can read this record has the username @%(name)s.") % {"name": name}
        for name in names
        if name not in found
    ]
    return [found[name] for name in names if name in found], problems


def comment_url(subject: Subject, comment: Comment) -> str:
    thread = reverse("discussion:thread", args=[subject.key, comment.object_id])
    return f"{thread}#{comment.anchor}"


def _tell_mentioned(subject: Subject, record, comment: Comment, users, by) -> None:
    excerpt = Truncator(comment.body).chars(200)
    for user in users:
        if user.pk == by.pk:
            continue
        notify(
            user,
            MessageKind.MENTION,
            key=f"comment-{comment.pk}",
            title=lambda: (
                _("%(who)s mentioned you in the discussion of %(record)s")
                % {"who": by, "record": record}
            ),
            text=excerpt,
            url=comment_url(subject, comment),
        )


@transaction.atomic
def add_comment(*, subject: Subject, record, form, by) -> Comment:
    comment = form.save(commit=False)
    comment.subject = subject.key
    comment.object_id = record.pk
    comment.region = subject.region(record)
    comment.author = by
    comment.updated_by = by
    comment.save()
    comment.mentioned.set(form.mentioned)
    _tell_mentioned(subject, record, comment, form.mentioned, by)
    return comment


class NotAllowed(Exception):
    """The comment may not be changed (any more): the message says why."""


def _locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


@transaction.atomic
def edit_comment(*, subject: Subject, record, form, expected_version: int, by):
    """The changed comment, a Conflict when it changed since the edit began, or NotAllowed."""
    current = _locked(form.instance)
    if current.version != expected_version:
        return Conflict(current=current)
    if current.removed:
        raise NotAllowed(_("This comment has been removed; it can no longer be changed."))
    if not current.may_be_edited_by(by):
        raise NotAllowed(
            _("A comment can be changed for 15 minutes after it was posted; that time is over.")
        )
    before = set(current.mentioned.values_list("pk", flat=True))
    current.body = form.cleaned_data["body"]
    current.edited_at = timezone.now()
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["body", "edited_at", "version", "updated_by", "updated_at"])
    current.mentioned.set(form.mentioned)
    _tell_mentioned(subject, record, current, [u for u in form.mentioned if u.pk not in before], by)
    return current


def may_remove(comment: Comment, user, *, writes: bool) -> bool:
    """Its author or programme management, while they may write in the discussion
    (`writes`: Subject.may_write, as for posting and editing)."""
    return (
        writes
        and not comment.removed
        and (comment.author_id == user.pk or user.role == Role.PROGRAMME)
    )


@transaction.atomic
def remove_comment(*, subject: Subject, record, comment: Comment, expected_version: int, by):
    """Remove a comment, leaving its trace (who removed it, when); a Conflict when it changed
    since the page was read; NotAllowed when `by` may not (any more)."""
    current = _locked(comment)
    if current.version != expected_version:
        return Conflict(current=current)
    if not may_remove(current, by, writes=subject.may_write(by, record)):
        raise NotAllowed(_("You may not remove this comment."))
    current.removed_at = timezone.now()
    current.removed_by = by
    current.version += 1
    current.updated_by = by
    current.save(update_fields=["removed_at", "removed_by", "version", "updated_by", "updated_at"])
    return current


def region_discussions(region) -> list[dict]:
    """Every discussion about the region's records and deployments, for its dossier export:
    per record its kind, its name and its comments (removed ones as their trace), oldest
    first. A query for the comments and one per kind of record discussed."""
    comments = list(Comment.objects.filter(region=region).select_related("author", "removed_by"))
    wanted: dict[str, set[int]] = {}
    for comment in comments:
        wanted.setdefault(comment.subject, set()).add(comment.object_id)
    names = {}
    for key, pks in wanted.items():
        subject = SUBJECTS.get(key)
        if subject is not None:
            for record in subject.model._base_manager.filter(pk__in=pks):
                names[(key, record.pk)] = str(record)
    threads: dict[tuple[str, int], dict] = {}
    for comment in comments:
        subject = SUBJECTS.get(comment.subject)
        thread = threads.setdefault(
            (comment.subject, comment.object_id),
            {
                "label": subject.label if subject else comment.subject,
                "record": names.get((comment.subject, comment.object_id), _("(removed record)")),
                "comments": [],
            },
        )
        thread["comments"].append(comment)
    return list(threads.values())
