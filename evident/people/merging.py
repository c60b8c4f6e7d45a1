"""Merging duplicate person records, and undoing a merge (ADR 0010).

A merge moves records, it does not edit anyone's identity: every row elsewhere that points
at the merged-away person (contacts, episodes, addresses, relationships...) is repointed
at the kept person, the merged-away ``Person`` row is kept with ``merged_into`` set, and
the exact rows moved are written on a ``PersonMerge`` so that undoing puts back exactly
those rows and nothing else.

The foreign keys are found from Django's model registry, not listed here, so an app added
later (LADO, more casework) is covered without touching this module. Two kinds of row
keep their person:

* the audit trail (``audit.AuditEvent``): append-only, and an event must keep naming the
  record it was written about;
* the merge records themselves, and ``Person.merged_into``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_people_read, audit_record
from evident.people.identifiers import format_nhs_number
from evident.people.models import Person, PersonAlias, PersonMerge
from evident.people.selectors import people_search, people_visible_to, person_get_for_user

# Models whose rows always keep the person they were written about (lower-case labels).
KEEPS_ITS_PERSON = frozenset({"audit.auditevent", "people.personmerge"})

# Friendlier names for the comparison page than Django's verbose names.
RELATION_LABELS: dict[str, str] = {
    "people.personalias.person": "Other names",
    "people.persondisability.person": "Disabilities",
    "people.address.person": "Addresses",
    "people.relationship.person": "Relationships (as the parent, carer or relative)",
    "people.relationship.other": "Relationships (as the child or relative)",
    "people.householdmember.person": "Household memberships",
    "front_door.contactchild.person": "Contacts at the front door",
    "front_door.submittedchild.person": "Partners' submissions linked",
    "front_door.earlyhelpepisode.person": "Early help episodes",
    "casework.episode.person": "Referrals and casework episodes",
}

REASON_MAX = 2000


# -- Which foreign keys point at a person ---------------------------------------------------


def person_foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    """Every concrete foreign key (or one-to-one) to Person in the project, including the
    hidden ones (``related_name="+"``) and many-to-many link tables, in a stable order."""
    found: list[models.ForeignKey[Any, Any]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in KEEPS_ITS_PERSON:
            continue
        for model_field in meta.local_concrete_fields:
            if not isinstance(model_field, models.ForeignKey):
                continue  # OneToOneField is a ForeignKey too
            if model_field.remote_field.model is not Person:
                continue
            if model is Person and model_field.name == "merged_into":
                continue
            found.append(model_field)
    return sorted(found, key=lambda f: (f.model._meta.label_lower, f.name))


def relation_key(fk: models.Field[Any, Any]) -> str:
    return f"{fk.model._meta.label_lower}.{fk.name}"


def relation_label(fk: models.Field[Any, Any]) -> str:
    key = relation_key(fk)
    if key in RELATION_LABELS:
        return RELATION_LABELS[key]
    return str(fk.model._meta.verbose_name_plural).capitalize()


def _unique_sets(fk: models.ForeignKey[Any, Any]) -> list[tuple[str, ...]]:
    """The other columns of each uniqueness rule the foreign key takes part in (an empty
    tuple: the key is unique on its own). Conditional unique constraints are treated as if
    they always applied: a row may then stay behind when it could have moved, never the
    reverse."""
    model = fk.model
    sets: list[tuple[str, ...]] = []
    if fk.unique:
        sets.append(())
    groups: list[tuple[str, ...]] = [tuple(g) for g in model._meta.unique_together]
    groups += [
        tuple(c.fields)
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    for group in groups:
        if fk.name in group:
            columns = {f.name: f.attname for f in model._meta.concrete_fields}
            sets.append(tuple(columns[n] for n in group if n != fk.name))
    return sets


def _other_person_columns(fk: models.ForeignKey[Any, Any]) -> list[str]:
    return [
        f.attname
        for f in fk.model._meta.local_concrete_fields
        if isinstance(f, models.ForeignKey)
        and f.remote_field.model is Person
        and f.attname != fk.attname
    ]


def _json_id(pk: Any) -> Any:
    return pk if isinstance(pk, int) else str(pk)


# -- Planning which rows move ------------------------------------------------------------------


@dataclass
class RelationPlan:
    """For one foreign key: the rows that move from one person to the other, and the rows
    that stay where they are, with why."""

    fk: models.ForeignKey[Any, Any]
    moved: list[Any] = field(default_factory=list)
    kept_back: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return relation_label(self.fk)

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.fk.model._meta.label_lower,
            "table": self.fk.model._meta.db_table,
            "field": self.fk.name,
            "column": self.fk.column,
            "moved": [_json_id(pk) for pk in self.moved],
            "kept_back": self.kept_back,
        }


def _plan_relation(
    fk: models.ForeignKey[Any, Any], *, source: Person, target: Person, ids: Any = None
) -> RelationPlan:
    """Which of ``source``'s rows under ``fk`` can point at ``target`` instead (``ids``:
    only these rows). Rows that would break a uniqueness rule, or that tie the two
    records together (and would tie one record to itself), stay."""
    manager = fk.model._base_manager
    unique_sets = _unique_sets(fk)
    ties = _other_person_columns(fk)
    columns = sorted({c for s in unique_sets for c in s} | set(ties))
    rows = manager.filter(**{fk.attname: source.pk})
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    taken: list[set[tuple[Any, ...]]] = [
        set(manager.filter(**{fk.attname: target.pk}).values_list(*others))
        if others
        else ({()} if manager.filter(**{fk.attname: target.pk}).exists() else set())
        for others in unique_sets
    ]
    plan = RelationPlan(fk=fk)
    both = {source.pk, target.pk}
    for row in rows.order_by("pk").values("pk", *columns):
        if any(row[c] in both for c in ties):
            plan.kept_back.append(
                {
                    "id": _json_id(row["pk"]),
                    "reason": "links the two records to each other, so it would link the "
                    "record to itself",
                }
            )
            continue
        clash = next(
            (
                others
                for others, existing in zip(unique_sets, taken, strict=True)
                if tuple(row[c] for c in others) in existing
            ),
            None,
        )
        if clash is not None:
            plan.kept_back.append(
                {
                    "id": _json_id(row["pk"]),
                    "reason": f"{target.full_name} ({target.council_id}) already has the "
                    "same entry",
                }
            )
            continue
        plan.moved.append(row["pk"])
    return plan


def _apply(plan: RelationPlan, *, target: Person) -> None:
    if plan.moved:
        plan.fk.model._base_manager.filter(pk__in=plan.moved).update(**{plan.fk.attname: target.pk})


# -- Comparison before a merge -------------------------------------------------------------------


@dataclass(frozen=True)
class IdentifierRow:
    label: str
    kept: str
    merged_away: str
    # "same", "differs" (a conflict to check), "missing" (only the merged-away record has it)
    # or "" (only the kept record has it, or neither).
    status: str


@dataclass(frozen=True)
class MergePreview:
    kept: Person
    merged_away: Person
    identifiers: list[IdentifierRow]
    relations: list[RelationPlan]
    kept_addresses: list[Any]
    merged_away_addresses: list[Any]
    problem: str  # why the merge would be refused, or ""
    alias: tuple[str, str] | None  # the name that becomes one of the kept person's other names

    @property
    def conflicts(self) -> list[IdentifierRow]:
        return [row for row in self.identifiers if row.status in ("differs", "missing")]

    @property
    def moving(self) -> int:
        return sum(len(r.moved) for r in self.relations)


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def identifier_rows(*, kept: Person, merged_away: Person) -> list[IdentifierRow]:
    """The two records' identity fields side by side. Nothing is copied across by a merge:
    a merge moves records; it does not edit identity fields, so an NHS number, UPN or date
    of birth only the merged-away record has is flagged for someone to record properly."""
    pairs = [
        ("Name", kept.full_name, merged_away.full_name),
        ("Middle names", kept.middle_names, merged_away.middle_names),
        ("Date of birth", _day(kept.date_of_birth), _day(merged_away.date_of_birth)),
        (
            "Expected date of birth",
            _day(kept.expected_date_of_birth),
            _day(merged_away.expected_date_of_birth),
        ),
        ("Date of death", _day(kept.date_of_death), _day(merged_away.date_of_death)),
        ("Sex", kept.get_sex_display(), merged_away.get_sex_display()),
        (
            "NHS number",
            format_nhs_number(kept.nhs_number),
            format_nhs_number(merged_away.nhs_number),
        ),
        ("Unique pupil number (UPN)", kept.upn, merged_away.upn),
        ("Former UPN", kept.former_upn, merged_away.former_upn),
        ("Council ID", kept.council_id, merged_away.council_id),
    ]
    rows = []
    for label, mine, theirs in pairs:
        if label == "Council ID":
            status = ""  # always different: each record has its own
        elif mine and theirs:
            status = "same" if mine.casefold() == theirs.casefold() else "differs"
        elif theirs:
            status = "missing"
        else:
            status = ""
        rows.append(IdentifierRow(label, str(mine), str(theirs), status))
    return rows


def _name_key(first_name: str, last_name: str) -> tuple[str, str]:
    return (first_name.strip().casefold(), last_name.strip().casefold())


def alias_to_add(*, kept: Person, merged_away: Person) -> tuple[str, str] | None:
    """The merged-away record's name, to become one of the kept person's other names (so a
    search for the name the duplicate had still finds the child), unless the kept person
    already has it. A name is not an identifier: it is recorded as another name, never
    put in place of the kept person's own."""
    known = {_name_key(kept.first_name, kept.last_name)} | {
        _name_key(a.first_name, a.last_name) for a in kept.aliases.all()
    }
    name = (merged_away.first_name.strip(), merged_away.last_name.strip())
    return None if _name_key(*name) in known else name


def merge_problem(*, kept: Person, merged_away: Person) -> str:
    """Why these two records cannot be merged this way round, or "" if they can."""
    if kept.pk == merged_away.pk:
        return "A record cannot be merged into itself"
    if merged_away.merged_into_id is not None:
        return (
            f"{merged_away.full_name} ({merged_away.council_id}) has already been merged into "
            "another record. Undo that merge first if it was wrong"
        )
    if kept.merged_into_id is not None:
        return (
            f"{kept.full_name} ({kept.council_id}) has itself been merged into another "
            "record. Merge into that record instead"
        )
    return ""


@transaction.atomic
def person_merge_preview(
    *, actor: Any, kept_id: Any, merged_away_id: Any, path: str = ""
) -> MergePreview:
    """The side-by-side comparison shown before a merge: both records (each read audited),
    their identifiers and how many rows of each kind would move. Changes nothing."""
    _require_manager(actor)
    kept = person_get_for_user(user=actor, person_id=kept_id)
    merged_away = person_get_for_user(user=actor, person_id=merged_away_id)
    audit_people_read(
        actor=actor, people=[kept, merged_away], section="merge comparison", path=path
    )
    problem = merge_problem(kept=kept, merged_away=merged_away)
    relations = (
        []
        if problem
        else [_plan_relation(fk, source=merged_away, target=kept) for fk in person_foreign_keys()]
    )
    return MergePreview(
        kept=kept,
        merged_away=merged_away,
        identifiers=identifier_rows(kept=kept, merged_away=merged_away),
        relations=[r for r in relations if r.moved or r.kept_back],
        kept_addresses=list(kept.addresses.all()),
        merged_away_addresses=list(merged_away.addresses.all()),
        problem=problem,
        alias=None if problem else alias_to_add(kept=kept, merged_away=merged_away),
    )


# -- Merge and undo --------------------------------------------------------------------------


def _require_manager(actor: Any) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_role(Role.TEAM_MANAGER)):
        raise PermissionDenied("Only team managers merge records")


def _reason(reason: str, *, field_name: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({field_name: "Enter the reason"})
    if len(text) > REASON_MAX:
        raise ValidationError({field_name: f"Reason must be {REASON_MAX} characters or fewer"})
    return text


def _lock_people(*ids: Any) -> dict[Any, Person]:
    # One order for every caller, so two merges touching the same people cannot deadlock.
    locked = Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {p.pk: p for p in locked}


def _summary(plans: list[RelationPlan]) -> dict[str, dict[str, int]]:
    return {
        relation_key(p.fk): {"moved": len(p.moved), "kept_back": len(p.kept_back)}
        for p in plans
        if p.moved or p.kept_back
    }


@transaction.atomic
def people_merge(
    *, actor: Any, keep: Person, merge_away: Person, reason: str, path: str = ""
) -> PersonMerge:
    """Merge ``merge_away`` (a duplicate) into ``keep``: repoint every row that points at
    the duplicate, keep the duplicate's own row with ``merged_into`` set, and record
    exactly what moved. Both people are locked first, so a second merge of the same
    record waits, then is refused."""
    _require_manager(actor)
    text = _reason(reason)
    if keep.pk == merge_away.pk:
        raise ValidationError("A record cannot be merged into itself")
    locked = _lock_people(keep.pk, merge_away.pk)
    visible_ids = set(
        people_visible_to(actor).filter(pk__in=list(locked)).values_list("pk", flat=True)
    )
    if keep.pk not in visible_ids or merge_away.pk not in visible_ids:
        raise ValidationError("One of the records could not be found")
    kept, away = locked[keep.pk], locked[merge_away.pk]
    problem = merge_problem(kept=kept, merged_away=away)
    if problem:
        raise ValidationError(problem)

    plans = []
    for fk in person_foreign_keys():
        # Planned and applied one key at a time, so each check sees the moves before it.
        plan = _plan_relation(fk, source=away, target=kept)
        _apply(plan, target=kept)
        if plan.moved or plan.kept_back:
            plans.append(plan)
    away.merged_into = kept
    away.save(update_fields=["merged_into"])
    added_alias: dict[str, Any] = {}
    name = alias_to_add(kept=kept, merged_away=away)
    if name is not None:
        alias = PersonAlias.objects.create(
            person=kept,
            first_name=name[0],
            last_name=name[1],
            kind=f"Name on merged record {away.council_id}"[:50],
        )
        added_alias = {"id": alias.pk, "first_name": name[0], "last_name": name[1]}
    merge = PersonMerge.objects.create(
        kept=kept,
        merged_away=away,
        merged_at=timezone.now(),
        merged_by=actor,
        reason=text,
        moved=[p.as_json() for p in plans],
        added_alias=added_alias,
    )
    for person, other, role in ((kept, away, "kept"), (away, kept, "merged away")):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=merge,
            person=person,
            section="merge",
            path=path,
            detail={
                "merge": merge.pk,
                "this record": role,
                "other person": str(other.pk),
                "other council id": other.council_id,
                "reason": text,
                "summary": _summary(plans),
                "moved": merge.moved,
                "alias added": added_alias,
            },
        )
    return merge


@transaction.atomic
def person_merge_reverse(
    *, actor: Any, merge: PersonMerge, reason: str, path: str = ""
) -> PersonMerge:
    """Undo a merge: move back exactly the rows it moved and clear ``merged_into``.

    Rows added to the kept record since the merge stay there. A moved row that has since
    been deleted or pointed elsewhere is left as it is and listed in ``reversal_left``."""
    _require_manager(actor)
    text = _reason(reason)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.reversed_at is not None:
        raise ValidationError(
            f"This merge was already undone on {_day(timezone.localdate(merge.reversed_at))}"
        )
    locked = _lock_people(merge.kept_id, merge.merged_away_id)
    kept, away = locked[merge.kept_id], locked[merge.merged_away_id]
    if kept.merged_into_id is not None:
        raise ValidationError(
            f"{kept.full_name} ({kept.council_id}) has since been merged into another record. "
            "Undo that merge first"
        )

    left: list[dict[str, Any]] = []
    restored: list[dict[str, Any]] = []
    for entry in reversed(merge.moved):
        if not entry.get("moved"):
            continue
        fk = relation_field(entry)
        if fk is None:  # the model or field has gone since the merge
            left.append({**_entry_head(entry), "ids": entry["moved"], "reason": "no longer exists"})
            continue
        plan = _plan_relation(fk, source=kept, target=away, ids=entry["moved"])
        _apply(plan, target=away)
        back = {str(pk) for pk in plan.moved}
        still = [pk for pk in entry["moved"] if str(pk) not in back]
        held = {str(k["id"]) for k in plan.kept_back}
        gone = [pk for pk in still if str(pk) not in held]
        if gone:
            left.append(
                {
                    **_entry_head(entry),
                    "ids": gone,
                    "reason": "deleted or pointed at another record since the merge",
                }
            )
        for kept_back in plan.kept_back:
            left.append(
                {**_entry_head(entry), "ids": [kept_back["id"]], "reason": kept_back["reason"]}
            )
        restored.append({**_entry_head(entry), "moved": [_json_id(pk) for pk in plan.moved]})

    if merge.added_alias:
        # The name the merge added as another name of the kept person, if still as added.
        removed, _ = PersonAlias.objects.filter(
            pk=merge.added_alias.get("id"),
            person=kept,
            first_name=merge.added_alias.get("first_name"),
            last_name=merge.added_alias.get("last_name"),
        ).delete()
        if not removed:
            left.append(
                {
                    "model": "people.personalias",
                    "table": PersonAlias._meta.db_table,
                    "field": "person",
                    "ids": [merge.added_alias.get("id")],
                    "reason": "the name added by the merge was changed or removed since",
                }
            )
    away.merged_into = None
    away.save(update_fields=["merged_into"])
    merge.reversed_at = timezone.now()
    merge.reversed_by = actor
    merge.reversal_reason = text
    merge.reversal_left = left
    merge.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "reversal_left"])
    for person, role in ((kept, "kept"), (away, "merged away")):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=merge,
            person=person,
            section="merge undone",
            path=path,
            detail={
                "merge": merge.pk,
                "this record": role,
                "reason": text,
                "moved back": restored,
                "left": left,
            },
        )
    return merge


def relation_field(entry: dict[str, Any]) -> models.ForeignKey[Any, Any] | None:
    try:
        found = apps.get_model(entry["model"])._meta.get_field(entry["field"])
    except (LookupError, FieldDoesNotExist):
        return None
    return found if isinstance(found, models.ForeignKey) else None


def _entry_head(entry: dict[str, Any]) -> dict[str, Any]:
    return {"model": entry.get("model"), "table": entry.get("table"), "field": entry.get("field")}


# -- Finding the duplicate and reading merges ------------------------------------------------------------------------------


def merges_visible_to(user: Any) -> QuerySet[PersonMerge]:
    """Merges of people in the user's scope, newest first."""
    visible = people_visible_to(user)
    return (
        PersonMerge.objects.filter(Q(kept__in=visible) & Q(merged_away__in=visible))
        .select_related("kept", "merged_away", "merged_by", "reversed_by")
        .order_by("-merged_at", "-id")
    )


CANDIDATES_SHOWN = 20


@transaction.atomic
def merge_candidates_find(
    *, actor: Any, person: Person, council_id: str = "", name: str = "", path: str = ""
) -> list[Person]:
    """The records that may be ``person``'s duplicate: the one with this council ID, or
    those matching the name (merged-away records leave name search). ``person`` itself is
    never among them. The search and everyone listed are audited."""
    _require_manager(actor)
    if council_id:
        found = list(people_visible_to(actor).filter(council_id__iexact=council_id.strip())[:1])
    else:
        found = people_search(user=actor, name=name, limit=CANDIDATES_SHOWN + 1)
    found = [p for p in found if p.pk != person.pk][:CANDIDATES_SHOWN]
    criteria = {"council_id": council_id} if council_id else {"name": name}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SEARCH,
        record_type="people.person",
        section="merge: find the duplicate",
        path=path,
        detail={"criteria": criteria, "results": len(found), "for": str(person.pk)},
    )
    audit_people_read(actor=actor, people=found, section="merge: find the duplicate", path=path)
    return found


def merge_get_for_user(*, user: Any, merge_id: Any) -> PersonMerge:
    """One merge of people in the user's scope, or 404."""
    try:
        return merges_visible_to(user).get(pk=int(merge_id))
    except (PersonMerge.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("No such merge") from exc


@transaction.atomic
def merge_open(*, actor: Any, merge_id: Any, path: str = "") -> PersonMerge:
    """A merge's page: both people's records are named on it, so both reads are audited."""
    merge = merge_get_for_user(user=actor, merge_id=merge_id)
    audit_people_read(
        actor=actor, people=[merge.kept, merge.merged_away], section="merge", path=path
    )
    return merge


@transaction.atomic
def merges_list_open(*, actor: Any, limit: int = 100, path: str = "") -> list[PersonMerge]:
    """Recent merges, newest first; every person named on the page is an audited read."""
    merges = list(merges_visible_to(actor)[:limit])
    people = {p.pk: p for m in merges for p in (m.kept, m.merged_away)}
    audit_people_read(actor=actor, people=list(people.values()), section="merges", path=path)
    return merges
