"""A record's discussion: read by who may see the record, written by who may change it or is
its party (discussion/subjects.py). Outsiders get 404; readers get 403 on every write.

The page works without JavaScript (POST, then back to the discussion at the new comment); with
htmx the discussion is swapped in place and focus goes to what changed.
"""

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.records import Conflict, posted_version
from discussion.forms import CommentForm
from discussion.models import Comment
from discussion.services import (
    NotAllowed,
    add_comment,
    comment_url,
    edit_comment,
    may_remove,
    remove_comment,
)
from discussion.subjects import get_subject

SUGGESTIONS = 8


def _record(request, key: str, pk: int):
    subject = get_subject(key)
    if subject is None:
        raise Http404
    record = subject.record_for(request.user, pk)
    if record is None:
        raise Http404
    return subject, record


def _writes(request, subject, record) -> bool:
    return subject.may_write(request.user, record)


def _comments(subject, record) -> list[Comment]:
    return list(
        Comment.objects.filter(subject=subject.key, object_id=record.pk).select_related(
            "author", "removed_by"
        )
    )


def _context(request, subject, record, **extra) -> dict:
    comments = extra.pop("comments", None) or _comments(subject, record)
    user = request.user
    writes = _writes(request, subject, record)
    for comment in comments:
        comment.can_edit = writes and comment.may_be_edited_by(user)
        comment.can_remove = may_remove(comment, user, writes=writes)
    return {
        "subject": subject,
        "record": record,
        "region": subject.region(record),
        "record_url": subject.url(record),
        "thread_url": reverse("discussion:thread", args=[subject.key, record.pk]),
        "people_url": reverse("discussion:people", args=[subject.key, record.pk]),
        "comments": comments,
        "writes": writes,
        "closed": subject.closed(record),
        **extra,
    }


@login_required
def thread(request, subject: str, pk: int):
    subject, record = _record(request, subject, pk)
    form = None
    if request.method == "POST":
        if not _writes(request, subject, record):
            raise PermissionDenied
        form = CommentForm(request.POST, readers=subject.readers(record))
        if form.is_valid():
            comment = add_comment(subject=subject, record=record, form=form, by=request.user)
            if not request.htmx:
                return redirect(comment_url(subject, comment))
            context = _context(request, subject, record, form=CommentForm(), posted=comment.pk)
            return render(request, "discussion/thread.html#discussion", context)
    context = _context(request, subject, record, form=form or CommentForm())
    if request.htmx and request.method == "POST":
        return render(request, "discussion/thread.html#discussion", context)
    return render(request, "discussion/thread.html", context)


def _own_comment(subject, record, comment_pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("author", "removed_by"),
        pk=comment_pk,
        subject=subject.key,
        object_id=record.pk,
    )


def _one(request, subject, record, comment, **extra):
    """The comment alone (htmx), or the whole discussion."""
    context = _context(request, subject, record, form=CommentForm(), **extra)
    if request.htmx:
        writes = context["writes"]
        comment.can_edit = writes and comment.may_be_edited_by(request.user)
        comment.can_remove = may_remove(comment, request.user, writes=writes)
        return render(request, "discussion/thread.html#comment", context | {"comment": comment})
    return render(request, "discussion/thread.html", context)


@login_required
def comment_edit(request, subject: str, pk: int, comment: int):
    subject, record = _record(request, subject, pk)
    comment = _own_comment(subject, record, comment)
    if not _writes(request, subject, record) or not comment.may_be_edited_by(request.user):
        raise PermissionDenied
    form = CommentForm(instance=comment)
    conflict = None
    if request.method == "POST":
        form = CommentForm(request.POST, instance=comment, readers=subject.readers(record))
        if form.is_valid():
            try:
                result = edit_comment(
                    subject=subject,
                    record=record,
                    form=form,
                    expected_version=posted_version(request),
                    by=request.user,
                )
            except NotAllowed as refusal:
                form.add_error(None, str(refusal))
            else:
                if not isinstance(result, Conflict):
                    if not request.htmx:
                        return redirect(comment_url(subject, result))
                    return _one(request, subject, record, result, saved=result.pk)
                conflict = result.current
                # The form again on a copy of the stored comment: validating it sets the
                # posted text on its instance, and the stored text is shown beside it.
                form = CommentForm(request.POST, instance=copy.copy(conflict))
    context = _context(request, subject, record, editing=comment, edit_form=form)
    context |= {"conflict": conflict, "comment": comment}
    status = 409 if conflict is not None and not request.htmx else 200
    if request.htmx:
        return render(request, "discussion/thread.html#edit_form", context, status=status)
    return render(request, "discussion/thread.html", context, status=status)


@login_required
@require_POST
def comment_remove(request, subject: str, pk: int, comment: int):
    subject, record = _record(request, subject, pk)
    comment = _own_comment(subject, record, comment)
    if not may_remove(comment, request.user, writes=_writes(request, subject, record)):
        raise PermissionDenied
    try:
        result = remove_comment(
            subject=subject,
            record=record,
            comment=comment,
            expected_version=posted_version(request),
            by=request.user,
        )
    except NotAllowed:
        raise PermissionDenied from None
    if isinstance(result, Conflict):
        comment = result.current
        return _one(request, subject, record, comment, stale=comment.pk)
    if not request.htmx:
        return redirect(comment_url(subject, result))
    return _one(request, subject, record, result, saved=result.pk)


@login_required
def people(request, subject: str, pk: int):
    """The people who can be mentioned here whose name or username starts with ?q= (an htmx
    partial under the comment field)."""
    subject, record = _record(request, subject, pk)
    if not _writes(request, subject, record):
        raise PermissionDenied
    typed = request.GET.get("q", "").strip()[:50]
    found = []
    if typed:
        found = list(
            subject.readers(record)
            .filter(
                Q(username__istartswith=typed)
                | Q(first_name__istartswith=typed)
                | Q(last_name__istartswith=typed)
            )
            .exclude(pk=request.user.pk)
            .order_by("first_name", "last_name", "username")[:SUGGESTIONS]
        )
    return render(request, "discussion/people.html", {"people": found, "typed": typed})
