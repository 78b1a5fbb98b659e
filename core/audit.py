"""The audit trail: who created, changed or deleted what, when, with each field's before and after;
imports, extracts, sign-ins, sign-outs and failed sign-ins. One append-only table (core.models.AuditEntry).

Apps register the models to audit from their AppConfig.ready() (core imports no app):

    audit.register(Activity, exclude=("version", "last_update_on"))

and from then on every `save()` and `delete()` of those models is recorded through model signals: a
snapshot of the stored row before the save, compared field by field after it. Writes that bypass the
signals (bulk_create, bulk_update, QuerySet.update, raw SQL) record themselves with `record` or, in
bulk, `record_many` (the import's apply).

Who did it comes from the context: `AuditMiddleware` sets the signed-in user for a web request,
`acting_as(user, source=...)` for a management command or a Celery job (core.jobs.run_job does this
for every job, under the job's `audit_actor()`). With nothing set, the entry has no actor and the
source "system".
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .bulk import insert_rows
from .models import AuditEntry

Action = AuditEntry.Action
Source = AuditEntry.Source
MAX_TEXT = 2000  # a long text field is kept in full up to this many characters each side


@dataclass
class _Context:
    user: Any = None
    source: str = Source.SYSTEM
    request_id: str = ""
    ip: str | None = None
    request: HttpRequest | None = field(default=None, repr=False)

    def actor(self):
        if self.user is not None:
            return self.user
        if self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
        return None


_context: ContextVar[_Context] = ContextVar("audit_context", default=_Context())  # noqa: B039 - never mutated


@contextlib.contextmanager
def acting_as(user, *, source: str = Source.COMMAND, request_id: str = "") -> Iterator[None]:
    """Record whatever is written inside the block as done by `user` (None: nobody), from `source`."""
    token = _context.set(_Context(user=user, source=source, request_id=request_id or uuid.uuid4().hex))
    try:
        yield
    finally:
        _context.reset(token)


@contextlib.contextmanager
def on_behalf_of(user) -> Iterator[None]:
    """Whatever is written inside the block is by `user` (a service told its `by`), keeping the current
    source and request id: a web page's write stays the web's, a job's the job's."""
    token = _context.set(replace(_context.get(), user=user))
    try:
        yield
    finally:
        _context.reset(token)


def current_actor():
    """Who the writes being made now are by: the innermost `acting_as`/`on_behalf_of` user, else the
    signed-in user of the request being served, else None."""
    return _context.get().actor()


def set_actor(user, *, source: str = Source.COMMAND) -> None:
    """For a management command: everything it writes from now on, in this process, is by `user`."""
    _context.set(_Context(user=user, source=source, request_id=uuid.uuid4().hex))


def reset() -> None:
    """Forget whoever `set_actor` named (tests, between commands run in one process)."""
    _context.set(_Context())


def job_source() -> str:
    """The source a job's writes are recorded under: a job run in-process by a command is the command's."""
    return Source.COMMAND if _context.get().source == Source.COMMAND else Source.JOB


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class AuditMiddleware:
    """Each web request's writes are by its signed-in user (read when the entry is written, so a sign-in
    during the request counts), with one request id for all of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _context.set(
            _Context(source=Source.WEB, request_id=uuid.uuid4().hex, ip=client_ip(request), request=request)
        )
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)


# --- values --------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A field's value as JSON: dates as ISO text, decimals as text, long text cut at MAX_TEXT."""
    kind = type(value)
    if kind is str:  # most values: text, whole numbers, flags and nothing, as they are
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if kind is int or kind is bool or value is None:
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if isinstance(value, bytes | memoryview):
        return "(binary)"
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


@dataclass(frozen=True)
class _Registration:
    fields: tuple[str, ...]  # attnames: "text", "commitment_id"


_registry: dict[type[models.Model], _Registration] = {}


def register(model: type[models.Model], *, exclude: Iterable[str] = ()) -> None:
    """Audit every save and delete of `model`: its concrete, editable fields but those in `exclude`
    (bookkeeping such as a version counter or a derived sort key)."""
    skip = set(exclude)
    names = tuple(
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.editable and f.name not in skip and f.attname not in skip
    )
    _registry[model] = _Registration(fields=names)
    uid = f"audit:{model._meta.label_lower}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre", weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":post", weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + ":delete", weak=False)


def registered() -> list[type[models.Model]]:
    return list(_registry)


def is_registered(model: type[models.Model]) -> bool:
    return model in _registry


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The audited fields of `obj` as they are in memory."""
    return {name: plain(getattr(obj, name)) for name in _registry[type(obj)].fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [before, after]} for the fields that differ."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    names = _registry[sender].fields
    if update_fields is not None:
        names = tuple(n for n in names if n in update_fields or n.removesuffix("_id") in update_fields)
    row = sender._base_manager.using(kwargs.get("using") or "default").filter(pk=instance.pk).values(*names).first()
    instance._audit_before = {k: plain(v) for k, v in row.items()} if row is not None else None


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created or before is None:
        record(Action.CREATE, obj=instance, changes={k: [None, v] for k, v in after.items()})
        return
    after = {k: v for k, v in after.items() if k in before}
    changes = diff(before, after)
    if changes:
        record(Action.UPDATE, obj=instance, changes=changes)


def _after_delete(sender, instance, **kwargs) -> None:
    record(Action.DELETE, obj=instance, changes={k: [v, None] for k, v in snapshot(instance).items()})


# --- writing entries -------------------------------------------------------------------------------


def _repr(obj: models.Model) -> str:
    try:
        text = str(obj)
    except Exception:  # a __str__ that needs a relation that has gone
        text = f"{obj._meta.verbose_name} {obj.pk}"
    return text[:300]


def entry(
    action: str,
    *,
    obj: models.Model | None = None,
    model_label: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict | None = None,
    detail: dict | None = None,
    actor=None,
    ip: str | None = None,
    at: datetime.datetime | None = None,
) -> AuditEntry:
    """An unsaved entry, by the context's actor unless `actor` is given."""
    ctx = _context.get()
    who = actor if actor is not None else ctx.actor()
    if obj is not None:
        model_label = model_label or obj._meta.label_lower
        object_id = obj.pk if obj.pk is not None else object_id
        object_repr = object_repr or _repr(obj)
    fields: dict[str, Any] = {}
    if at is not None:
        fields["at"] = at
    return AuditEntry(
        actor_id=getattr(who, "pk", None),
        actor_name=(who.get_username() if who is not None else "")[:200],
        action=action,
        model_label=model_label,
        object_id="" if object_id in (None, "") else str(object_id),
        object_repr=(object_repr or "")[:300],
        changes=changes or {},
        detail=detail or {},
        source=ctx.source,
        request_id=ctx.request_id,
        ip=ip if ip is not None else ctx.ip,
        **fields,
    )


def record(action: str, **kwargs: Any) -> AuditEntry:
    """Write one entry now (inside the caller's transaction: rolled back with it)."""
    e = entry(action, **kwargs)
    e.save(force_insert=True)
    return e


_ROW = ("at", "actor", "actor_name", "action", "model_label", "object_id", "object_repr", "changes", "detail",
        "source", "request_id", "ip")  # fmt: skip


def record_many(entries: Iterable[AuditEntry]) -> int:
    """Write many entries in bulk (an import's apply), as rows: COPY on PostgreSQL (core.bulk), in the
    caller's transaction. Returns how many."""
    rows = [
        (e.at, e.actor_id, e.actor_name, e.action, e.model_label, e.object_id, e.object_repr, e.changes, e.detail,
         e.source, e.request_id, e.ip)
        for e in entries
    ]  # fmt: skip
    insert_rows(AuditEntry, _ROW, rows)
    return len(rows)


Item = tuple[str, str, Any, str, dict]  # (action, model label, object id, object repr, changes)


def created_item(obj: models.Model) -> Item:
    """What `created_entry` records for `obj`, as an item for `record_items`."""
    return Action.CREATE, obj._meta.label_lower, obj.pk, _repr(obj), {k: [None, v] for k, v in snapshot(obj).items()}


def changed_item(obj: models.Model, changes: dict[str, list]) -> Item:
    """What `changed_entry` records for `obj` and its {field: [before, after]}, as an item for `record_items`."""
    plain_changes = {k: [plain(b), plain(a)] for k, (b, a) in changes.items()}
    return Action.UPDATE, obj._meta.label_lower, obj.pk, _repr(obj), plain_changes


def record_items(items: Iterable[Item]) -> int:
    """Write many entries at once (an import's apply writes thousands), each given as an item: by the
    context's actor, source and request, all at one time, as rows (COPY on PostgreSQL, core.bulk) with
    no model instance each; `changes` hold plain values (see `plain`). `items` may be a generator:
    each is written as it comes. In the caller's transaction. Returns how many."""
    ctx = _context.get()
    who = ctx.actor()
    actor_id, actor_name = getattr(who, "pk", None), (who.get_username() if who is not None else "")[:200]
    at, source, request_id, ip = timezone.now(), ctx.source, ctx.request_id, ctx.ip
    written = 0

    def rows() -> Iterator[tuple]:
        nonlocal written
        for action, label, pk, text, changes in items:
            written += 1
            yield (at, actor_id, actor_name, action, label, "" if pk in (None, "") else str(pk), (text or "")[:300],
                   changes or {}, {}, source, request_id, ip)  # fmt: skip

    insert_rows(AuditEntry, _ROW, rows())
    return written


def update(queryset: models.QuerySet, **values: Any) -> int:
    """`queryset.update(**values)`, with an entry for each row whose values it changed when the model is
    audited (QuerySet.update sends no signals). Values are plain values or model instances, not
    expressions. Returns how many rows were updated, as QuerySet.update does."""
    model = queryset.model
    if model not in _registry:
        return queryset.update(**values)
    columns = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        columns[field.attname] = value.pk if isinstance(value, models.Model) else value
    objs = list(model._default_manager.filter(pk__in=queryset.values("pk")).order_by("pk"))
    count = queryset.update(**values)
    entries = []
    for obj in objs:
        changes = {k: [getattr(obj, k), v] for k, v in columns.items() if getattr(obj, k) != v}
        if changes:
            entries.append(changed_entry(obj, changes))
    record_many(entries)
    return count


def created_entry(obj: models.Model) -> AuditEntry:
    """The entry for an object written by bulk_create (so no signal fired)."""
    return entry(Action.CREATE, obj=obj, changes={k: [None, v] for k, v in snapshot(obj).items()})


def changed_entry(obj: models.Model, changes: dict[str, list]) -> AuditEntry:
    """The entry for an object changed by bulk_update or QuerySet.update, with its {field: [before, after]}."""
    return entry(Action.UPDATE, obj=obj, changes={k: [plain(b), plain(a)] for k, (b, a) in changes.items()})


# --- sign-in and sign-out -----------------------------------------------------------------------


def _logged_in(sender, request, user, **kwargs) -> None:
    record(
        Action.LOGIN,
        actor=user,
        model_label="auth.user",
        object_id=user.pk,
        object_repr=user.get_username(),
        ip=client_ip(request),
    )


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    record(
        Action.LOGOUT,
        actor=user,
        model_label="auth.user",
        object_id=user.pk,
        object_repr=user.get_username(),
        ip=client_ip(request),
    )


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django has already masked the password in `credentials`; only the name tried is kept."""
    tried = str(credentials.get("username") or "")[:150]
    record(Action.LOGIN_FAILED, object_repr=tried, detail={"username": tried}, ip=client_ip(request))


def connect_auth_signals() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit:login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit:logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit:login_failed")
