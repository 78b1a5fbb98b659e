"""Reads for digests and for "what changed since you last looked"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast

from core import changes as change_words
from core.models import AuditEntry
from core.roles import Role
from delivery import overdue
from delivery.models import Activity, Owner, ProgressUpdate
from delivery.overdue import OverdueItem
from kpis.models import KpiAction
from meetings.models import Action, ActionUpdate

from .models import NotificationSettings

FIRST_LOOK_DAYS = 14  # a first look at "what changed" shows the last fortnight


# --- settings ---------------------------------------------------------------------------------------


def settings_for(user) -> NotificationSettings:
    """The person's settings, or the defaults (weekly digest, never looked) unsaved."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


def digest_choices() -> dict[int, str]:
    """Each user's chosen digest frequency, for those who have chosen (the rest get the default)."""
    return dict(NotificationSettings.objects.values_list("user_id", "digest"))


# --- digests ----------------------------------------------------------------------------------------


def item_key(item: OverdueItem) -> tuple[str, str, str]:
    return (item.kind, item.url, item.ref)


@dataclass(frozen=True)
class DueSoon:
    item: OverdueItem
    days_left: int  # 0 means due today


def due_soon_items(*, as_at: date, days: int, overdue_now: Iterable[OverdueItem]) -> list[DueSoon]:
    """Open items due in the next `days` days (today included): those overdue as at the day after that
    window which are not overdue today. Uses only the overdue registry, so every kind counts."""
    now = {item_key(i) for i in overdue_now}
    later = overdue.overdue_items(as_at=as_at + timedelta(days=days + 1))
    soon = [DueSoon(item=i, days_left=(i.due - as_at).days) for i in later if item_key(i) not in now and i.due >= as_at]
    return sorted(soon, key=lambda s: (s.item.due, s.item.plan, s.item.ref))


def _users_with_a_role() -> QuerySet:
    return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__isnull=False), is_active=True).distinct()


def chief_executives() -> list:
    return list(_users_with_a_role().filter(groups__name=Role.CHIEF_EXECUTIVE.value).order_by("pk"))


@dataclass
class OwnerDigest:
    user: object
    overdue: list[OverdueItem] = field(default_factory=list)
    due_soon: list[DueSoon] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon)


def owner_digests(*, overdue_now: Iterable[OverdueItem], due_soon: Iterable[DueSoon]) -> list[OwnerDigest]:
    """Each user with a role and an owner name linked to them, with the items those names own. An
    item with two of the user's names appears once. People with nothing are left out."""
    allowed = set(_users_with_a_role().values_list("pk", flat=True))
    users_by_name: dict[str, list] = {}
    for owner in Owner.objects.filter(user__isnull=False, user__is_active=True).select_related("user"):
        if owner.user_id in allowed:
            users_by_name.setdefault(owner.name, []).append(owner.user)
    digests: dict[int, OwnerDigest] = {}

    def users_of(item: OverdueItem) -> dict[int, object]:
        return {u.pk: u for name in item.owners for u in users_by_name.get(name, ())}

    for item in overdue_now:
        for pk, user in users_of(item).items():
            digests.setdefault(pk, OwnerDigest(user=user)).overdue.append(item)
    for soon in due_soon:
        for pk, user in users_of(soon.item).items():
            digests.setdefault(pk, OwnerDigest(user=user)).due_soon.append(soon)
    return [d for _, d in sorted(digests.items()) if d]


# --- what changed since you last looked --------------------------------------------------------------


def _window(qs: QuerySet, at_field: str, since: datetime, until: datetime) -> QuerySet:
    return qs.filter(**{f"{at_field}__gt": since, f"{at_field}__lte": until})


KPI_ACTION_LABEL = KpiAction._meta.label_lower
KPI_WATCHED = ["text", "owner_id", "due_date", "forum_id", "status"]  # what an owner is told about
KPI_WORDS = {"text": "Action text changed", "owner_id": "Owner changed", "forum_id": "Forum changed"}


def changes_queryset(
    *, user, since: datetime, until: datetime, kinds: Iterable[str] | None = None, q: str = ""
) -> QuerySet:
    """One row (change_kind, pk, change_at) per change that someone else made to an item the user owns, newest
    first: progress updates on their activities (RAG, status, dates, text), updates on their meeting
    actions, and changes to their KPI actions. `kinds` keeps only those kinds ("activity", "meeting
    action", "kpi action"), `q` only items whose text holds the words. A single UNION query, so it pages
    in the database."""
    text = CharField()
    activities = (
        _window(ProgressUpdate.objects, "recorded_at", since, until)
        .filter(activity__in=Activity.objects.filter(owners__user=user))
        .exclude(author=user)
        .annotate(change_kind=Value("activity", output_field=text), change_at=F("recorded_at"))
        .values("change_kind", "pk", "change_at")
    )
    actions = (
        _window(ActionUpdate.objects, "recorded_at", since, until)
        .filter(action__in=Action.objects.filter(owners__user=user))
        .exclude(author=user)
        .annotate(change_kind=Value("meeting action", output_field=text), change_at=F("recorded_at"))
        .values("change_kind", "pk", "change_at")
    )
    owned_kpi = KpiAction.objects.filter(owner__user=user)
    if q:
        activities = activities.filter(activity__text__icontains=q)
        actions = actions.filter(action__text__icontains=q)
        owned_kpi = owned_kpi.filter(text__icontains=q)
    # KPI actions keep no trail of their own: their changes are the audit trail's entries for them.
    kpi = (
        _window(AuditEntry.objects, "at", since, until)
        .filter(
            Q(action=AuditEntry.Action.CREATE) | Q(action=AuditEntry.Action.UPDATE, changes__has_any_keys=KPI_WATCHED),
            model_label=KPI_ACTION_LABEL,
            object_id__in=owned_kpi.annotate(key=Cast("pk", CharField())).values("key"),
        )
        .exclude(actor_id=user.pk)
        .annotate(change_kind=Value("kpi action", output_field=text), change_at=F("at"))
        .values("change_kind", "pk", "change_at")
    )
    wanted = set(kinds) if kinds else {"activity", "meeting action", "kpi action"}
    parts = [
        part.order_by()  # no model ordering inside the UNION (SQLite refuses it)
        for kind, part in (("activity", activities), ("meeting action", actions), ("kpi action", kpi))
        if kind in wanted
    ] or [activities.none()]
    first, *rest = parts
    return (first.union(*rest, all=True) if rest else first).order_by("-change_at", "change_kind", "-pk")


@dataclass(frozen=True)
class ChangeRow:
    when: datetime
    kind: str
    ref: str
    title: str
    url: str
    what: str
    by: str


def _who(user, name: str = "") -> str:
    if user is not None:
        return user.get_full_name() or user.get_username()
    return name or "An import or the system"


def change_rows(keys: list[dict]) -> list[ChangeRow]:
    """The rows for one page of `changes_queryset`: one query per kind, whatever the page size."""
    ids: dict[str, list[int]] = {}
    for k in keys:
        ids.setdefault(k["change_kind"], []).append(k["pk"])
    found: dict[tuple[str, int], ChangeRow] = {}
    if ids.get("activity"):
        for u in ProgressUpdate.objects.filter(pk__in=ids["activity"]).select_related("activity__commitment", "author"):
            a = u.activity
            what = change_words.describe(u.changes) or ("Progress update" if u.text else "")
            if u.kind == ProgressUpdate.Kind.CREATED:
                what = "Added" + (f"\n{what}" if what else "")
            if u.text:
                what = f"{what}\n“{u.text[:200]}”" if what else f"“{u.text[:200]}”"
            found["activity", u.pk] = ChangeRow(
                when=u.recorded_at,
                kind="Supporting activity",
                ref=a.full_ref,
                title=a.text,
                url=a.get_absolute_url(),
                what=what.strip(),
                by=_who(u.author, u.author_name),
            )
    if ids.get("meeting action"):
        for u in ActionUpdate.objects.filter(pk__in=ids["meeting action"]).select_related("action", "author"):
            what = change_words.describe(u.changes)
            if u.kind == ActionUpdate.Kind.CREATED:
                what = "Added" + (f"\n{what}" if what else "")
            if u.text:
                what = f"{what}\n“{u.text[:200]}”" if what else f"“{u.text[:200]}”"
            found["meeting action", u.pk] = ChangeRow(
                when=u.recorded_at,
                kind="Meeting action",
                ref=u.action.ref,
                title=u.action.text,
                url=u.action.get_absolute_url(),
                what=what.strip() or "Updated",
                by=_who(u.author, u.author_name),
            )
    if ids.get("kpi action"):
        entries = list(AuditEntry.objects.filter(pk__in=ids["kpi action"]))
        kpi_actions = KpiAction.objects.select_related("measure").in_bulk({int(e.object_id) for e in entries})
        actors = get_user_model().objects.in_bulk({e.actor_id for e in entries if e.actor_id})
        for e in entries:
            kpi_action = kpi_actions.get(int(e.object_id))
            if kpi_action is None:
                continue
            created = e.action == AuditEntry.Action.CREATE
            found["kpi action", e.pk] = ChangeRow(
                when=e.at,
                kind="KPI action",
                ref=kpi_action.measure.name,
                title=kpi_action.text,
                url=kpi_action.get_absolute_url(),
                what="Raised" if created else _kpi_change_words(e.changes),
                by=_who(actors.get(e.actor_id), e.actor_name),
            )
    return [found[k["change_kind"], k["pk"]] for k in keys if (k["change_kind"], k["pk"]) in found]


def _kpi_change_words(changes: dict) -> str:
    lines = []
    for f in KPI_WATCHED:
        if f not in changes:
            continue
        if f in ("status", "due_date"):
            lines.append(change_words.describe({f: changes[f]}))
        else:
            lines.append(KPI_WORDS[f])
    return "\n".join(lines) or "Updated"


class ChangePages:
    """A sequence over `changes_queryset` that django-tables2 pages: its length is one COUNT query and
    each page one UNION query plus one query per kind."""

    def __init__(self, qs: QuerySet):
        self.qs = qs
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.qs.count()
        return self._count

    def __getitem__(self, key):
        if isinstance(key, slice):
            return change_rows(list(self.qs[key]))
        return change_rows(list(self.qs[key : key + 1]))[0]

    def __iter__(self):
        return iter(change_rows(list(self.qs)))


def home_changes_count(*, user, now: datetime) -> tuple[int, NotificationSettings]:
    """How many changes since the user last looked: none, without building the count, for a login linked to
    no owner name (every change counted is to an item one of their owner names owns)."""
    settings = settings_for(user)
    if not owns_anything(user):
        return 0, settings
    since = settings.changes_seen_at or now - timedelta(days=FIRST_LOOK_DAYS)
    return changes_queryset(user=user, since=since, until=now).count(), settings


def owns_anything(user) -> bool:
    return Owner.objects.filter(user=user).exists()
