"""DfE and Ofsted code lists (reference.md §1.3 and §4.3), with the Annex A labels.

The code is what we store; the label is what the Annex A template's drop-downs show.
"""

from __future__ import annotations

from django.db import models


class ReferralSource(models.TextChoices):
    """CIN census ReferralSource (N00152); Annex A List 1 `Contact Source`, List 3."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours, childminders)"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other (including strangers)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health services: other primary health services"
    HEALTH_AE = "3E", "Health services: A&E"
    HEALTH_OTHER = "3F", "Health services: other (for example hospice)"
    HOUSING = "4", "Housing: LA housing or housing association"
    LA_SOCIAL_CARE = "5A", "LA services: social care (for example adult social care)"
    LA_OTHER_INTERNAL = "5B", "LA services: other internal department"
    LA_EXTERNAL = "5C", "LA services: external (for example another LA)"
    LA_EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency (courts, probation, immigration, Cafcass, prison)"
    OTHER = "8", "Other (children's centres, independent or voluntary providers)"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


REFERRAL_SOURCE_ANNEX_A = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "5D": "p1) 5D: LA services",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}


class Ethnicity(models.TextChoices):
    """DfE ethnicity codes (CIN census N00177)."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other Mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


ETHNICITY_ANNEX_A = {
    code: f"{letter}) {code}"
    for letter, code in zip("abcdefghijklmnopqrst", Ethnicity.values, strict=True)
}


class Disability(models.TextChoices):
    """CIN census Disability codes (N00099)."""

    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger syndrome"
    DDA = "DDA", "Other disability"


class Sex(models.TextChoices):
    """CIN census Sex (2024-25 on): an unborn child is U."""

    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Not known or not recorded"


class Gender(models.TextChoices):
    """Annex A `Gender`."""

    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NOT_STATED = "not_stated", "Not stated or recorded"
    NEITHER = "neither", "Neither"


GENDER_ANNEX_A = {
    "male": "a) Male",
    "female": "b) Female",
    "not_stated": "c) Not stated/recorded",
    "neither": "d) Neither",
}


class UPNUnknown(models.TextChoices):
    """CIN census UPNunknown (N00135)."""

    UN1 = "UN1", "Child is not of school age"
    UN2 = "UN2", "Never attended a school in England"
    UN3 = "UN3", "Educated at home"
    UN4 = "UN4", "Arrived in the UK and not yet assigned a UPN"
    UN5 = "UN5", "Sources collating UPNs reflect this is the case"
    UN6 = "UN6", "Looked after child whose UPN is not known"
    UN7 = "UN7", "Referral with no further action"


class PrimaryNeed(models.TextChoices):
    """CIN census PrimaryNeedCode (N00101); Annex A List 6 `Primary Need Code`."""

    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


PRIMARY_NEED_ANNEX_A = {code: f"{code} - {label}" for code, label in PrimaryNeed.choices}


class ReasonForClosure(models.TextChoices):
    """CIN census ReasonForClosure (N00103); Annex A List 6 `Reason for Closure`."""

    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


REASON_FOR_CLOSURE_ANNEX_A = {code: f"{code} - {label}" for code, label in ReasonForClosure.choices}


class CategoryOfAbuse(models.TextChoices):
    """CIN census InitialCategoryOfAbuse / LatestCategoryOfAbuse (N00113, N00114)."""

    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    SAB = "SAB", "Sexual abuse"
    EMO = "EMO", "Emotional abuse"
    MUL = "MUL", "Multiple/not recommended"


CATEGORY_OF_ABUSE_ANNEX_A = {
    code: f"{letter}) {label}"
    for letter, (code, label) in zip("abcde", CategoryOfAbuse.choices, strict=True)
}


class CaseStatus(models.TextChoices):
    """Annex A List 6 `Case Status` (derived: casework.rules.case_status)."""

    LOOKED_AFTER = "a", "a) Looked after child"
    CP_PLAN = "b", "b) Child Protection plan"
    CIN_PLAN = "c", "c) Child in need plan"
    OPEN_ASSESSMENT = "d", "d) Open assessment"
    CLOSED = "e", "e) Closed episode"


class AssessmentFactor(models.TextChoices):
    """CIN census AssessmentFactors (N00181), the validator's list (reference.md §4.3)."""

    F1A = "1A", "Alcohol misuse: concerns about the child"
    F1B = "1B", "Alcohol misuse: concerns about the parent or carer"
    F1C = "1C", "Alcohol misuse: concerns about another person in the household"
    F2A = "2A", "Drug misuse: concerns about the child"
    F2B = "2B", "Drug misuse: concerns about the parent or carer"
    F2C = "2C", "Drug misuse: concerns about another person in the household"
    F3A = "3A", "Domestic abuse: concerns about the child being the subject"
    F3B = "3B", "Domestic abuse: concerns about the parent or carer being the subject"
    F3C = "3C", "Domestic abuse: concerns about another person being the subject"
    F4A = "4A", "Mental health: concerns about the child"
    F4B = "4B", "Mental health: concerns about the parent or carer"
    F4C = "4C", "Mental health: concerns about another person in the household"
    F5A = "5A", "Learning disability: concerns about the child"
    F5B = "5B", "Learning disability: concerns about the parent or carer"
    F5C = "5C", "Learning disability: concerns about another person in the household"
    F6A = "6A", "Physical disability or illness: concerns about the child"
    F6B = "6B", "Physical disability or illness: concerns about the parent or carer"
    F6C = "6C", "Physical disability or illness: concerns about another person in the household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas child intending to return"
    F8C = "8C", "Privately fostered: overseas child intending to stay"
    F8D = "8D", "Privately fostered: UK child in an educational placement"
    F8E = "8E", "Privately fostered: UK child in an alternative family arrangement"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18A = "18A", "Physical abuse (unspecified)"
    F18B = "18B", "Physical abuse: child on child"
    F18C = "18C", "Physical abuse: adult on child"
    F19A = "19A", "Sexual abuse (unspecified)"
    F19B = "19B", "Sexual abuse: child on child"
    F19C = "19C", "Sexual abuse: adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"
