"""The synthetic council's inspection history: a standard inspection two years ago with
judgements and findings, a focused visit last year with areas for priority action, annual
engagement meetings and self-evaluations, an improvement plan in progress (some actions
late), targets for the live indicators, and monthly board meetings.

Deterministic: everything follows from ``until`` and its own ``random.Random(seed)``, so the
main seed's stream (children, contacts) is untouched."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from evident.inspection import rules
from evident.inspection.models import (
    Action,
    Activity,
    Board,
    Finding,
    IndicatorTarget,
    Judgement,
    Meeting,
    MeetingAction,
    PlanSettings,
    Priority,
    ProgressUpdate,
    SelfEvaluation,
    SelfEvaluationVersion,
)
from evident.inspection.services import checklist_template_items
from evident.performance.indicators.registry import indicator_list

INSPECTORS = ("Jo Marsh HMI", "Amir Patel HMI", "Ruth Evans HMI", "Tom Byrne HMI")

STRENGTHS = (
    "Leaders have a clear understanding of the quality of practice and its impact.",
    "Children in care are visited regularly and their social workers know them well.",
    "Care leavers are supported well by personal advisers who stay in touch.",
)
RECOMMENDATIONS = (
    "The timeliness and quality of assessments for children in need of help and protection.",
    "Management oversight and supervision that drives plans forward for children.",
    "The consistency of the response at the front door, including consent.",
    "Workforce stability: reducing reliance on agency social workers.",
)
PRIORITY_ACTIONS = (
    "Strategy discussions are not always held promptly when children are at risk of harm.",
    "Thresholds at the front door are not applied consistently.",
)
IMPROVEMENTS = (
    "Recording of the child's voice in contact decisions.",
    "The quality of information shared by partner agencies at the front door.",
    "Oversight of repeat contacts for the same children.",
)

ACTIONS = (
    (
        "Front door: timely and consistent decisions",
        (
            ("Recruit two permanent MASH team managers", "Head of front door"),
            ("Daily threshold huddle with police and health", "MASH team manager"),
            (
                "Audit 40 contact decisions a month for threshold consistency",
                "Head of quality assurance",
            ),
            (
                "Consent guidance refreshed and briefed to all partners",
                "Safeguarding partnership manager",
            ),
            ("Child's voice prompt added to the contact record", "Principal social worker"),
        ),
    ),
    (
        "Strategy discussions held promptly",
        (
            (
                "Strategy discussion within 1 working day standard agreed with police",
                "Assistant director",
            ),
            ("Weekly report of strategy discussions held late", "Performance analyst"),
            ("Joint audit of 20 strategy discussions with police", "Head of quality assurance"),
        ),
    ),
    (
        "Assessments and plans that help children",
        (
            ("Assessment timeliness tracked per team weekly", "Head of service, assessment"),
            ("Supervision policy relaunched with a recording template", "Principal social worker"),
            ("Practice week on planning for children in need", "Principal social worker"),
        ),
    ),
    (
        "A stable workforce",
        (
            ("Reduce agency social workers to under 15%", "Head of workforce"),
            ("Caseload cap of 18 children per social worker", "Director of children's services"),
            ("Exit interviews for every leaver, themes reported quarterly", "Head of workforce"),
        ),
    ),
)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def seed_inspection_history(*, until: date, seed: int) -> dict[str, int]:
    """Write the history as of ``until``; returns how many of each thing were made."""
    rng = random.Random(seed + 6)  # noqa: S311 (synthetic data, not security)
    checklist_template_items()
    counts: dict[str, int] = {}

    inspection_start = _monday_on_or_after(until - timedelta(days=730))
    inspection = Activity.objects.create(
        kind=Activity.Kind.STANDARD,
        notified_on=inspection_start - timedelta(days=7),
        starts_on=inspection_start,
        ends_on=inspection_start + timedelta(days=11),
        inspectors=", ".join(rng.sample(INSPECTORS, 3)),
        outcome="Requires improvement to be good overall; help and protection the weakest area.",
        published_on=inspection_start + timedelta(days=52),
    )
    grades = {
        rules.Area.OVERALL: 3,
        rules.Area.LEADERS: 3,
        rules.Area.HELP_AND_PROTECTION: 3,
        rules.Area.CHILDREN_IN_CARE: 2,
        rules.Area.CARE_LEAVERS: 2,
        rules.Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: 2,
    }
    areas = rules.areas_graded_on(inspection_start)
    Judgement.objects.bulk_create(
        Judgement(activity=inspection, area=area.value, grade=grades[area]) for area in areas
    )
    findings = [
        Finding(activity=inspection, kind=Finding.Kind.STRENGTH, text=t) for t in STRENGTHS
    ] + [
        Finding(activity=inspection, kind=Finding.Kind.RECOMMENDATION, text=t)
        for t in RECOMMENDATIONS
    ]

    visit_start = _monday_on_or_after(until - timedelta(days=330)) + timedelta(days=1)
    visit = Activity.objects.create(
        kind=Activity.Kind.FOCUSED_VISIT,
        theme="Front door",
        starts_on=visit_start,
        ends_on=visit_start + timedelta(days=1),
        inspectors=", ".join(rng.sample(INSPECTORS, 2)),
        outcome="Letter published with two areas for priority action.",
        published_on=visit_start + timedelta(days=28),
    )
    findings += [
        Finding(activity=visit, kind=Finding.Kind.PRIORITY_ACTION, text=t) for t in PRIORITY_ACTIONS
    ] + [Finding(activity=visit, kind=Finding.Kind.IMPROVEMENT, text=t) for t in IMPROVEMENTS]
    Finding.objects.bulk_create(findings)
    counts["findings"] = len(findings)

    for years_ago in (2, 1, 0):
        meeting_on = until - timedelta(days=365 * years_ago + 60)
        if meeting_on.year >= 2018:
            Activity.objects.create(
                kind=Activity.Kind.ANNUAL_ENGAGEMENT,
                starts_on=meeting_on,
                outcome="Annual engagement meeting with the Ofsted regional director.",
            )
            Activity.objects.create(
                kind=Activity.Kind.SELF_EVALUATION,
                starts_on=meeting_on - timedelta(days=14),
                outcome="Self-evaluation shared ahead of the annual engagement meeting.",
            )
    counts["activities"] = Activity.objects.count()

    by_text = {f.text: f for f in Finding.objects.filter(activity__in=[inspection, visit])}
    answers = (
        [by_text[RECOMMENDATIONS[2]], by_text[PRIORITY_ACTIONS[1]], by_text[IMPROVEMENTS[0]]],
        [by_text[PRIORITY_ACTIONS[0]]],
        [by_text[RECOMMENDATIONS[0]], by_text[RECOMMENDATIONS[1]]],
        [by_text[RECOMMENDATIONS[3]]],
    )
    actions = 0
    for position, ((title, items), answered) in enumerate(zip(ACTIONS, answers, strict=True)):
        priority = Priority.objects.create(title=title, position=position)
        priority.findings.set(answered)
        set_on = (visit.published_on or visit_start) + timedelta(days=21)
        for index, (action_title, owner) in enumerate(items):
            due_on = set_on + timedelta(days=rng.randint(60, 420))
            status, completed = _progress(
                rng, set_on=set_on, due_on=due_on, until=until, index=index
            )
            action = Action.objects.create(
                priority=priority,
                title=action_title,
                owner=owner,
                set_on=set_on,
                due_on=due_on,
                status=status,
                completed_on=completed,
            )
            action.findings.set(answered)
            ProgressUpdate.objects.bulk_create(
                ProgressUpdate(
                    action=action,
                    written_on=min(until, set_on + timedelta(days=30 * (n + 1))),
                    text=f"Update {n + 1}: {rng.choice(UPDATE_WORDS)}",
                )
                for n in range(min(3, max(0, (until - set_on).days // 30)))
            )
            actions += 1
    counts["actions"] = actions
    PlanSettings.objects.update_or_create(pk=1, defaults={"published_on": set_on})

    for indicator in indicator_list():
        if indicator.neutral:
            continue
        target = Decimal(90 if indicator.higher_is_better else 15)
        IndicatorTarget.objects.get_or_create(
            indicator_code=indicator.code,
            defaults={"target": target, "tolerance": Decimal(5)},
        )
    counts["targets"] = IndicatorTarget.objects.count()

    boards = [
        Board.objects.create(
            name="Children's Services Improvement Board",
            kind=Board.Kind.IMPROVEMENT,
            chair="Independent chair",
        ),
        Board.objects.create(
            name="Service improvement meeting",
            kind=Board.Kind.SERVICE_IMPROVEMENT,
            chair="Director of children's services",
        ),
        Board.objects.create(
            name="Children and young people's policy and performance board",
            kind=Board.Kind.SCRUTINY,
            chair="Chair of scrutiny",
        ),
    ]
    meetings = []
    first = (visit.published_on or visit_start) + timedelta(days=14)
    month = date(first.year, first.month, 1)
    while month <= until:
        held_on = _monday_on_or_after(month) + timedelta(days=7)
        if held_on <= until:
            for board in boards[:2] if month.month % 3 else boards:
                meetings.append(
                    Meeting(
                        board=board,
                        held_on=held_on,
                        agenda="1. Minutes and actions\n2. Plan RAG summary\n3. Indicators\n4. Areas needing action",
                        attendance="Chair; DCS; AD safeguarding; DfE adviser; police; health",
                        decisions="Plan progress noted; late actions to return next month.",
                    )
                )
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    Meeting.objects.bulk_create(meetings)
    counts["meetings"] = len(meetings)
    board_actions = [
        _board_action(rng, meeting, until=until) for meeting in meetings for _ in range(2)
    ]
    MeetingAction.objects.bulk_create(board_actions)
    counts["board_actions"] = len(board_actions)

    evaluation = SelfEvaluation.objects.create(year=until.year)
    SelfEvaluationVersion.objects.create(
        self_evaluation=evaluation,
        number=1,
        sections={
            "leaders": {
                "know": "Leaders know the front door is improving: [indicator:contact-decisions-on-time].",
                "how": "Monthly audits and the Improvement Board's packs.",
                "plans": "The improvement plan's front door priority.",
            }
        },
    )
    return counts


UPDATE_WORDS = (
    "on track; first audit complete.",
    "delayed by recruitment; recovery plan agreed.",
    "partners briefed; impact to be measured next month.",
    "complete for two teams, two to go.",
)


BOARD_ACTIONS = (
    ("Bring a recovery plan for each red action", "Assistant director, safeguarding"),
    ("Report the audit of strategy discussions", "Head of quality assurance"),
    ("Brief members on the focused visit letter", "Director of children's services"),
    ("Confirm health attendance at strategy discussions", "Designated nurse"),
    ("Present the workforce plan", "Head of workforce"),
    ("Report repeat referrals by source", "Head of performance"),
)


def _board_action(rng: random.Random, meeting: Meeting, *, until: date) -> MeetingAction:
    """An action set at a board meeting, due by about the next one; most that are due are
    done, some late and a few recent ones still open."""
    text, owner = rng.choice(BOARD_ACTIONS)
    due_on = meeting.held_on + timedelta(days=rng.choice((21, 28, 35, 56)))
    done_on = None
    if due_on <= until and rng.random() < 0.8:
        done_on = min(until, due_on - timedelta(days=rng.randint(-10, 14)))
        done_on = max(done_on, meeting.held_on)
    return MeetingAction(
        meeting=meeting,
        text=text,
        owner=owner,
        due_on=due_on,
        done_on=done_on,
        done_note="Reported to the board." if done_on else "",
    )


def _progress(
    rng: random.Random, *, set_on: date, due_on: date, until: date, index: int
) -> tuple[str, date | None]:
    """Some done, some on or off track, and some late (past due, not done)."""
    if due_on < until:
        if index % 3 == 1:  # late
            return Action.Status.OFF_TRACK, None
        return Action.Status.DONE, min(until, due_on - timedelta(days=rng.randint(0, 20)))
    return (Action.Status.OFF_TRACK if index % 4 == 3 else Action.Status.ON_TRACK), None
