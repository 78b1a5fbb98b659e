"""Writes to a plan's structure: plans, objectives, sections, commitments, owners, oversight bodies."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from core.roles import ensure_can_edit_plans

from ..models import (
    Commitment,
    Objective,
    OversightBody,
    Owner,
    Plan,
    Section,
)


@transaction.atomic
def plan_create(*, by, name: str, description: str = "") -> Plan:
    ensure_can_edit_plans(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the plan a name."})
    if Plan.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f'There is already a plan called "{name}".'})
    plan = Plan(name=name, description=description.strip())
    plan.save()
    return plan


@transaction.atomic
def objective_create(*, by, plan: Plan, title: str, order: int | None = None) -> Objective:
    ensure_can_edit_plans(by)
    if not title.strip():
        raise ValidationError({"title": "Give the objective a title."})
    if order is None:
        order = (plan.objectives.aggregate(m=Max("order"))["m"] or 0) + 1
    return Objective.objects.create(plan=plan, title=title.strip(), order=order)


@transaction.atomic
def section_create(*, by, objective: Objective, title: str, order: int | None = None) -> Section:
    ensure_can_edit_plans(by)
    if not title.strip():
        raise ValidationError({"title": "Give the section a title."})
    if order is None:
        order = (objective.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    return Section.objects.create(objective=objective, title=title.strip(), order=order)


@transaction.atomic
def commitment_errors(
    *, objective: Objective, ref: str, text: str, section: Section | None, commitment: Commitment | None = None
) -> dict[str, str]:
    """What is wrong with a commitment's fields, if anything (used by the service and the admin's form)."""
    plan = objective.plan
    ref = ref.strip()
    errors: dict[str, str] = {}
    same_ref = Commitment.objects.filter(plan=plan, ref=ref)
    if commitment is not None:
        same_ref = same_ref.exclude(pk=commitment.pk)
    if not ref:
        errors["ref"] = "Give the commitment a reference, such as 1.1 or A.1."
    elif same_ref.exists():
        errors["ref"] = f'Reference "{ref}" is already used in {plan.name}; references must be unique in a plan.'
    if not text.strip():
        errors["text"] = "Give the commitment's text."
    if section is not None and section.objective_id != objective.pk:
        errors["section"] = f'Section "{section.title}" belongs to another objective.'
    if commitment is not None and commitment.plan_id != plan.pk:
        errors["objective"] = "A commitment cannot move to another plan's objective."
    return errors


@transaction.atomic
def commitment_create(
    *, by, objective: Objective, ref: str, text: str, section: Section | None = None, publish: bool = True
) -> Commitment:
    ensure_can_edit_plans(by)
    errors = commitment_errors(objective=objective, ref=ref, text=text, section=section)
    if errors:
        raise ValidationError(errors)
    return Commitment.objects.create(
        plan=objective.plan, objective=objective, section=section, ref=ref.strip(), text=text.strip(), publish=publish
    )


@transaction.atomic
def commitment_update(
    *,
    by,
    commitment: Commitment,
    objective: Objective,
    ref: str,
    text: str,
    section: Section | None = None,
    publish: bool = True,
) -> Commitment:
    """Change a commitment's reference, text, place in the plan or publication (editors)."""
    ensure_can_edit_plans(by)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    errors = commitment_errors(objective=objective, ref=ref, text=text, section=section, commitment=locked)
    if errors:
        raise ValidationError(errors)
    locked.objective, locked.section, locked.ref = objective, section, ref.strip()
    locked.text, locked.publish = text.strip(), publish
    locked.save()
    return locked


@transaction.atomic
def owner_get_or_create(*, by, name: str) -> Owner:
    ensure_can_edit_plans(by)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "An owner needs a name."})
    owner = Owner.objects.filter(name__iexact=name).first()
    return owner or Owner.objects.create(name=name)


@transaction.atomic
def oversight_body_create(
    *,
    by,
    name: str,
    purpose: str = "",
    frequency: str = OversightBody.Frequency.QUARTERLY,
    notes_published: bool = False,
    meets_in_public: bool = False,
) -> OversightBody:
    ensure_can_edit_plans(by)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An oversight body needs a name."})
    if OversightBody.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f'There is already an oversight body called "{name}".'})
    return OversightBody.objects.create(
        name=name,
        purpose=purpose.strip(),
        frequency=frequency,
        notes_published=notes_published,
        meets_in_public=meets_in_public,
    )
