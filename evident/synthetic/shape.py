"""The shape of the synthetic council: rates and mixes, England-like.

Sources: ``reference.md`` §5 (DfE children in need statistics), ``model.md`` "Rough national
shape", ``domain.md`` "Scale", ONS mid-year estimates and the DfE school census for ages and
ethnicity. Shares are percentages or relative weights; every draw uses the seeded RNG.
"""

from __future__ import annotations

# --- Children -------------------------------------------------------------------------------

# Relative numbers of children by single year of age 0..17 (ONS mid-year estimates for
# England: near-uniform, fewer young children as births have fallen since 2012).
AGE_WEIGHTS: tuple[float, ...] = (
    0.90,  # 0
    0.91,
    0.93,
    0.95,
    0.96,
    0.98,  # 5
    0.99,
    1.00,
    1.01,
    1.02,
    1.03,  # 10
    1.03,
    1.03,
    1.03,
    1.02,
    1.01,  # 15
    1.00,
    0.99,  # 17
)

MALE_SHARE = 0.51
GENDER_NOT_STATED_SHARE = 0.002  # a handful whose gender is not stated
UNBORN_SHARE = 0.003
UNBORN_MAX_DAYS_AHEAD = 150  # expected within the next 5 months
DISABLED_SHARE = 0.08
NHS_NUMBER_SHARE_CHILD = 0.97
NHS_NUMBER_SHARE_ADULT = 0.6
SCHOOL_AGE = 5
NO_UPN_SCHOOL_AGE_SHARE = 0.005  # arrived recently (UN4) or educated at home (UN3)

# Children's ethnicity (DfE codes), England's child population (school census), per cent.
ETHNICITY_SHARES: tuple[tuple[str, float], ...] = (
    ("WBRI", 64.0),
    ("WOTH", 7.0),
    ("APKN", 4.4),
    ("AIND", 3.4),
    ("MWBC", 3.0),
    ("BAFR", 2.9),
    ("MOTH", 2.6),
    ("ABAN", 1.9),
    ("MWAS", 1.8),
    ("AOTH", 1.6),
    ("OOTH", 1.5),
    ("MWBA", 1.0),
    ("BCRB", 0.8),
    ("BOTH", 0.6),
    ("CHNE", 0.5),
    ("WROM", 0.5),
    ("WIRI", 0.3),
    ("WIRT", 0.1),
    ("REFU", 0.9),
    ("NOBT", 1.2),
)

# CIN census disability codes among disabled children (relative weights), and how many each has.
DISABILITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("LD", 22),
    ("AUT", 20),
    ("COMM", 18),
    ("BEH", 15),
    ("DDA", 10),
    ("MOB", 6),
    ("HEAR", 4),
    ("VIS", 3),
    ("PC", 3),
    ("HAND", 2),
    ("INC", 2),
    ("CON", 2),
)
DISABILITY_COUNT_WEIGHTS: tuple[float, ...] = (70, 22, 8)  # one, two, three codes

# --- Households ----------------------------------------------------------------------------

CHILDREN_PER_HOUSEHOLD_WEIGHTS: tuple[float, ...] = (42, 38, 15, 5)  # 1, 2, 3, 4 children
LONE_PARENT_SHARE = 0.28
LONE_FATHER_SHARE = 0.1  # of lone parents
SAME_SEX_COUPLE_SHARE = 0.02
SECOND_ADULT_STEP_PARENT_SHARE = 0.10
SECOND_ADULT_PARTNER_SHARE = 0.05
CHILD_OTHER_SURNAME_SHARE = 0.08
SECOND_ADULT_OTHER_SURNAME_SHARE = 0.25
MIDDLE_NAME_SHARE = 0.4
PREVIOUS_ADDRESS_SHARE = 0.15
FLAT_SHARE = 0.12
HOUSEHOLDS_PER_STREET = 110
POSTCODE_DISTRICTS = 12

# --- Contacts ------------------------------------------------------------------------------

CONTACTS_PER_CHILD_PER_YEAR = 0.2  # about 2,000 per 10,000 children a year
SIBLING_CONTACT_SHARE = 0.26  # contacts about 2-3 children from one household (~25% land)
THREE_SIBLINGS_SHARE = 0.25  # of sibling contacts
# Household "involvement": a gamma-distributed weight, so that some families are contacted
# again (about 20-25% of children with a contact have more than one in 12 months).
INVOLVEMENT_SHAPE = 0.8
MIN_LIVE_EDGE_CONTACTS = 5
LIVE_EDGE_WORKING_DAYS = 2
UNBORN_CONTACT_DAYS = 120  # pre-birth contacts only in the last four months

# Contact source (CIN census ReferralSource), per cent: the national mix.
SOURCE_SHARES: tuple[tuple[str, float], ...] = (
    ("1A", 2.8),
    ("1B", 1.4),
    ("1C", 0.8),
    ("1D", 2.0),
    ("2A", 20.5),
    ("2B", 1.0),
    ("3A", 2.8),
    ("3B", 2.4),
    ("3C", 1.0),
    ("3D", 2.6),
    ("3E", 2.2),
    ("3F", 3.0),
    ("4", 2.0),
    ("5A", 3.8),
    ("5B", 3.7),
    ("5C", 2.0),
    ("5D", 2.5),
    ("6", 29.0),
    ("7", 4.0),
    ("8", 5.0),
    ("9", 2.0),
    ("10", 3.5),
)

CONSENT_SHARES: tuple[tuple[str, float], ...] = (
    ("given", 70),
    ("dispensed", 15),
    ("not_sought", 10),
    ("refused", 5),
)

# A quarter of children on contacts are referred (about 3-4 contacts per referral). Section
# 47 enquiries are about 36% of referrals in England (230,590 of 632,830 in 2024-25, DfE c4
# and c1); we assume two-thirds of those start with a strategy discussion flagged at the
# front door, so about a quarter of referral decisions are strategy discussions.
OUTCOME_SHARES: tuple[tuple[str, float], ...] = (
    ("nfa", 30),
    ("advice", 21),
    ("early_help", 24),
    ("referral", 19),
    ("strategy", 6),
)
SIBLING_SAME_OUTCOME_SHARE = 0.85

ON_TIME_SHARE = 0.85
LATE_WORKING_DAYS_WEIGHTS: tuple[float, ...] = (45, 25, 15, 10, 5)  # late by 1..5 working days
MANAGER_COMMENT_SHARE = 0.6

# --- The MASH: portal submissions, urgency, information requests, what decisions start ----
# Assumptions (no national statistics are published on these; a council with a working
# portal and a police notification feed):

# Share of each source's contacts that arrive through the partner portal or the API. Police
# public protection notices come almost all electronically (the force's system sends them
# by API, or an officer uses the portal form); schools and health use the online form for
# about half of their concerns and still phone the rest.
PORTAL_SHARES: dict[str, float] = {
    "6": 0.75,
    "2A": 0.5,
    "3A": 0.3,
    "3B": 0.45,
    "3C": 0.45,
    "3D": 0.45,
    "3E": 0.4,
    "3F": 0.4,
}
POLICE_API_SHARE = 0.8  # of police portal contacts: sent by the force's system (PPN)
APPROXIMATE_AGE_SHARE = 0.04  # the partner gave an approximate age, not a date of birth
# An undecided portal contact received in the last working day: the child not yet found
# in the records (the practitioner links the submitted child first).
UNLINKED_NEW_PORTAL_SHARE = 0.5

# Urgency (red, amber, green) by outcome, as relative weights: red for what ends in a
# strategy discussion, green for most that end in advice or no further action.
URGENCY_BY_OUTCOME: dict[str, tuple[float, float, float]] = {
    "strategy": (80, 18, 2),
    "referral": (15, 60, 25),
    "early_help": (2, 30, 68),
    "advice": (1, 15, 84),
    "nfa": (1, 14, 85),
    "undecided": (10, 40, 50),
}
URGENCY_UNSET_UNDECIDED_SHARE = 0.4  # undecided contacts not yet rated

# Level of need (1 to 4) by outcome, relative weights.
LEVEL_BY_OUTCOME: dict[str, tuple[float, float, float, float]] = {
    "nfa": (70, 25, 5, 0),
    "advice": (45, 45, 10, 0),
    "early_help": (0, 55, 45, 0),
    "referral": (0, 0, 15, 85),
    "strategy": (0, 0, 0, 100),
}

# The child's voice at the front door: known for about two-thirds of children old enough
# (not applicable under 2 or before birth).
VOICE_KNOWN_SHARE = 0.65
VOICE_NOT_APPLICABLE_UNDER = 2
VOICE_OBTAINED_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("referrer", 45),
    ("directly", 25),
    ("parent", 20),
    ("observed", 6),
    ("other", 4),
)

# Information requests: the MASH checks with partners on contacts rated red or amber far
# more often than on green ones; 1-3 agencies each.
REQUEST_SHARE_BY_URGENCY: dict[str, float] = {"red": 0.8, "amber": 0.6, "green": 0.15, "": 0.3}
REQUESTS_PER_CONTACT_WEIGHTS: tuple[float, ...] = (50, 35, 15)  # 1, 2, 3 agencies
REQUEST_ON_TIME_SHARE = 0.82  # answered by the due time
REQUEST_NEVER_ANSWERED_SHARE = 0.04  # of requests sent in the last month: still open
REQUEST_NEVER_ANSWERED_DAYS = 30

# Early help: the assessment starts within 0-10 working days of the decision and takes
# 10-45 working days (most within 30); support lasts 2-9 months after it. A fifth are
# completed by a school or health visiting rather than the early help team.
EARLY_HELP_START_WORKING_DAYS = (0, 10)
EARLY_HELP_ASSESSMENT_WORKING_DAYS = (10, 45)
EARLY_HELP_NOT_COMPLETED_SHARE = 0.05  # the family disengaged: never completed
EARLY_HELP_SUPPORT_DAYS = (60, 270)
EARLY_HELP_OTHER_ORGANISATION_SHARE = 0.2

# Referrals: a duty and assessment team manager allocates within 0-2 working days; the
# last few referrals are still waiting (the duty tray always has some).
ALLOCATION_WORKING_DAYS = 2
MIN_UNALLOCATED_REFERRALS = 3

# --- Staff ---------------------------------------------------------------------------------

CHILDREN_PER_FRONT_DOOR_PRACTITIONER = 2_500  # about 12 for 30,000 children
CHILDREN_PER_FRONT_DOOR_MANAGER = 12_000  # 2-3 managers
