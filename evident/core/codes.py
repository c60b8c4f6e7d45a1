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
