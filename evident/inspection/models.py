"""Inspection and improvement: what Ofsted did and found, what the council does about it,
and the boards that watch it. Business rules live in ``rules.py``; writes in ``services.py``.

Uploaded documents and the frozen Annex A are kept as bytes in the database (ADR 0012):
never under static, never served by the web server, and the frozen workbook's bytes are
the ones hashed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from evident.inspection.rules import AREA_LABELS, GRADES, Area


class Activity(models.Model):
    """One ILACS activity: an inspection, a visit, a meeting or a submission."""

    class Kind(models.TextChoices):
        ANNUAL_ENGAGEMENT = "annual_engagement", "Annual engagement meeting"
        SELF_EVALUATION = "self_evaluation", "Self-evaluation submission"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        JTAI = "jtai", "Joint targeted area inspection"
        SHORT = "short", "Short inspection"
        STANDARD = "standard", "Standard inspection"
        MONITORING = "monitoring", "Monitoring visit"

    GRADED_KINDS = frozenset({Kind.SHORT, Kind.STANDARD})
    # Kinds whose letter or report can set areas for priority action.
    PLAN_KINDS = frozenset({Kind.SHORT, Kind.STANDARD, Kind.FOCUSED_VISIT, Kind.MONITORING})

    kind = models.CharField(max_length=30, choices=Kind.choices)
    theme = models.CharField(max_length=200, blank=True)
    partner_inspectorates = models.CharField(max_length=200, blank=True)
    notified_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    inspectors = models.CharField(max_length=500, blank=True)
    outcome = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        theme = f": {self.theme}" if self.theme else ""
        return f"{self.get_kind_display()}{theme} ({self.starts_on:%d %b %Y})"

    @property
    def is_graded(self) -> bool:
        return self.kind in self.GRADED_KINDS


class Document(models.Model):
    """A letter, report or evidence file. Only PDF, Word and images (told by content)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="documents", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class AnnexAFreeze(models.Model):
    """The exact Annex A workbook given to inspectors on notification day."""

    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="annex_a")
    as_of = models.DateField()
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    rows = models.JSONField(default=dict)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Annex A as of {self.as_of:%d %b %Y}"


class ChecklistTemplateItem(models.Model):
    """The council's own readiness checklist, copied onto each notification."""

    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=120, blank=True)
    # Working days after notification by which it should be done (0 = notification day).
    due_working_days = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="checklist")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=120, blank=True)
    due_on = models.DateField()
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Judgement(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=30, choices=[(a.value, AREA_LABELS[a]) for a in Area])
    grade = models.PositiveSmallIntegerField(choices=list(GRADES.items()))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "area"], name="one_judgement_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_grade_display()}"


class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        RECOMMENDATION = "recommendation", "Recommendation (what needs to improve)"
        PRIORITY_ACTION = "priority_action", "Area for priority action"
        IMPROVEMENT = "improvement", "Area for improvement"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["activity", "kind", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Priority(models.Model):
    """A priority of the improvement plan, answering one or more findings."""

    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    findings = models.ManyToManyField(Finding, related_name="priorities", blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlanSettings(models.Model):
    """One row: whether the plan is published to board and elected members."""

    published_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Plan published {self.published_on}" if self.published_on else "Plan unpublished"


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "In progress, on track"
        OFF_TRACK = "off_track", "In progress, off track"
        DONE = "done", "Done"

    class RagOverride(models.TextChoices):
        NONE = "", "Use the suggested rating"
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    findings = models.ManyToManyField(Finding, related_name="actions", blank=True)
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=120)
    set_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)
    rag_override = models.CharField(
        max_length=10, choices=RagOverride.choices, blank=True, default=""
    )
    rag_override_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    written_on = models.DateField()
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class Evidence(models.Model):
    """What shows an action is working: a live indicator, a document or another record."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.CharField(max_length=80, blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.indicator_code or self.note or str(self.document)


class IndicatorTarget(models.Model):
    """Where the council said it would be, and where England is, for one indicator."""

    indicator_code = models.CharField(max_length=80, unique=True)
    target = models.DecimalField(max_digits=6, decimal_places=1)
    # Within this many points of the target (on the wrong side) counts as amber, not red.
    tolerance = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    england = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    england_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["indicator_code"]

    def __str__(self) -> str:
        return self.indicator_code


class Board(models.Model):
    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", "Improvement Board"
        PERFORMANCE = "performance", "Children's services performance board"
        SERVICE_IMPROVEMENT = "service_improvement", "Service improvement meeting"
        SCRUTINY = "scrutiny", "Members' scrutiny (policy and performance) board"
        EXECUTIVE = "executive", "Executive"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    chair = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agenda = models.TextField(blank=True)
    attendance = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.board} {self.held_on:%d %B %Y}"


class MeetingAction(models.Model):
    """An action a board set at a meeting: its action log carries it from meeting to
    meeting until it is done. (Not an improvement plan ``Action``: a board's own task,
    such as "bring a recovery plan for the red actions".)"""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="board_actions")
    text = models.TextField()
    owner = models.CharField(max_length=120)
    # Null only for actions carried over from the old free-text field, which had no date.
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class IssuedPack(models.Model):
    """A board pack as issued to a meeting: the exact PDF the board read, kept with its hash,
    because the live pack moves on with the data."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="issued_packs")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"Board pack issued {self.made_at:%d %b %Y %H:%M}"


class SelfEvaluation(models.Model):
    """The council's self-evaluation for one year; every save keeps a new version."""

    year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Self-evaluation {self.year}"


class SelfEvaluationVersion(models.Model):
    """One saved text. ``sections`` is {area: {question: text}}; text may cite evidence as
    [indicator:code], [finding:id], [action:id] or [document:id]. A version shared with
    Ofsted is frozen: it is never changed again (the service refuses), and its citations
    keep the words they showed that day."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    shared_with_ofsted_on = models.DateField(null=True, blank=True)
    # What each citation said when the version was shared ({"[indicator:x]": "words"}): a
    # frozen version quotes the figures Ofsted saw, not today's.
    cited = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "number"], name="one_number_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.self_evaluation} version {self.number}"
