"""Words for the synthetic council: names, places and bland case-note sentences.

Names come from Faker's ``en_GB`` person provider (its lists only: picking with our own RNG
is fast and keeps the council reproducible). Everything else is invented for Northbridge.
"""

from __future__ import annotations

import itertools

from faker.providers.person.en_GB import Provider as _GBNames

TOWN = "Northbridge"
POSTCODE_AREA = "NB"

FIRST_NAMES_MALE: tuple[str, ...] = tuple(_GBNames.first_names_male)
FIRST_NAMES_FEMALE: tuple[str, ...] = tuple(_GBNames.first_names_female)
LAST_NAMES: tuple[str, ...] = tuple(_GBNames.last_names.keys())
LAST_NAME_CUM_WEIGHTS: tuple[float, ...] = tuple(
    itertools.accumulate(float(w) for w in _GBNames.last_names.values())
)
# Surnames from the same list that fit British South Asian families better (used for the
# A* ethnicity codes, so that a Pakistani family is not always called Smith).
_SOUTH_ASIAN = {"Khan", "Patel", "Ali", "Begum", "Hussain", "Ahmed", "Singh", "Shah", "Akhtar"}
SOUTH_ASIAN_LAST_NAMES: tuple[str, ...] = tuple(n for n in LAST_NAMES if n in _SOUTH_ASIAN) or (
    "Khan",
)

STREET_WORDS: tuple[str, ...] = (
    "Station", "Church", "Mill", "Victoria", "Albert", "Queen's", "King's", "Park", "Chapel",
    "School", "Manor", "Green", "North", "South", "West", "East", "High", "New", "Oak", "Elm",
    "Ash", "Beech", "Cedar", "Willow", "Hawthorn", "Holly", "Rowan", "Birch", "Laurel",
    "Meadow", "Orchard", "Brook", "River", "Bridge", "Canal", "Wharf", "Market", "Castle",
    "Abbey", "Priory", "Vicarage", "Rectory", "Grange", "Farm", "Hill", "Valley", "Moor",
    "Heath", "Windmill", "Cherry", "Lime", "Chestnut", "Sycamore", "Poplar", "Larch",
    "Juniper", "Heather", "Primrose", "Bluebell", "Foxglove", "Clover", "Sandringham",
    "Windsor", "Balmoral", "Osborne", "Grosvenor", "Cavendish", "Stanley", "Gladstone",
    "Nelson", "Wellington", "Shakespeare", "Milton", "Tennyson", "Byron", "Dickens", "Elgar",
    "Darwin", "Brunel", "Telford", "Stephenson", "Faraday", "Kingfisher", "Heron", "Swallow",
    "Lark", "Wren", "Thrush", "Falcon", "Badger", "Otter", "Fern", "Ivy", "Hazel", "Maple",
    "Magnolia", "Lavender", "Rosemary", "Thistle", "Coronation", "Jubilee", "Princess",
    "Regent", "Crown", "Forge", "Tannery", "Foundry", "Quarry", "Bank", "Cross", "Well",
)  # fmt: skip
STREET_SUFFIXES: tuple[str, ...] = (
    "Road", "Road", "Road", "Street", "Street", "Lane", "Avenue", "Close", "Close", "Drive",
    "Way", "Crescent", "Grove", "Gardens", "Terrace", "Place", "Court", "Walk", "Rise", "Mews",
    "View", "Row",
)  # fmt: skip
# Unit postcodes never use C, I, K, M, O or V in the last two letters.
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

SCHOOL_WORDS: tuple[str, ...] = (
    "Oakfield", "Riverside", "Hillcrest", "Meadowbank", "Ashgrove", "Brookside", "Elmwood",
    "Fairfield", "Greenacres", "Hollybank", "Kingsway", "Lakeside", "Millbrook", "Northgate",
    "Parkside", "Queensway", "Ravenswood", "Southfields", "Thornbury", "Westfield",
    "Willowbank", "Woodlands", "Beechwood", "Castle Hill", "Foxhill", "Highfield", "Larkrise",
    "Moorside", "Orchard", "Primrose Hill", "Rosewood", "Springfield", "Summerfields",
    "Valley", "Windmill", "Abbey", "Brambles", "Cedars", "Heathfield", "Newlands", "Redbrook",
    "Stonebridge", "Sunnybank", "Broadwater", "Canal Side", "Wharfedale",
)  # fmt: skip
SAINTS: tuple[str, ...] = ("Mary", "Peter", "John", "Anne", "Joseph", "Michael", "Paul", "Luke")
GP_PRACTICES: tuple[str, ...] = (
    "Riverside Medical Centre",
    "Station Road Surgery",
    "Northbridge Health Centre",
    "Parkview Medical Practice",
    "Millbrook Surgery",
    "Castle Hill Family Practice",
    "Westfield Medical Group",
    "Canal Side Health Centre",
)

# --- Contacts: who refers, and what they say ------------------------------------------------

POLICE_RANKS: tuple[str, ...] = ("PC", "PC", "PC", "DC", "PS", "DS")
# Who calls from health, by source (the name is prefixed with the title).
HEALTH_TITLES: dict[str, tuple[str, ...]] = {
    "3A": ("Dr",),
    "3B": ("Health Visitor",),
    "3C": ("School Nurse",),
    "3D": ("Community Nurse", "Safeguarding Nurse", ""),
    "3E": ("Dr", "Staff Nurse", "Safeguarding Nurse"),
    "3F": ("Dr", "Midwife", "Safeguarding Nurse", ""),
}
OTHER_COUNCILS: tuple[str, ...] = (
    "Eastmoor Borough Council",
    "Westfield County Council",
    "Southdale City Council",
)

# {child} is the (first) child's first name; sentences avoid gendered pronouns.
CONCERNS: dict[str, tuple[str, ...]] = {
    "police": (
        "Officers attended the family home after a report of a verbal argument between the adults; {child} was present.",
        "A public protection notice was submitted after a domestic incident at the address; no injuries were reported.",
        "{child} was reported missing from home overnight and was found safe by officers the next morning.",
        "Officers attended after neighbours reported shouting and found the home in a poor state.",
        "{child} was stopped by officers in the town centre late in the evening and could not say where they were staying.",
        "Police were called to a disagreement between {child} and a parent; {child} was upset but unhurt.",
        "Officers attended a report of a parent being intoxicated while caring for {child}.",
        "{child} was present when a family member was arrested at the address.",
    ),
    "school": (
        "{child}'s attendance has dropped below 80% this term and the school has not been able to reach the parents.",
        "{child} has arrived at school hungry on several occasions and often comes without a coat or PE kit.",
        "{child} told a member of staff that things at home are difficult and they do not want to go home tonight.",
        "Staff have noticed a change in {child}'s behaviour: they have become withdrawn and tearful in class.",
        "{child} has been collected late several times and the school is worried about supervision.",
        "{child} told a teacher that the adults at home argue a lot and it keeps them awake.",
        "{child} has an unexplained bruise on the arm; the explanation given was vague.",
        "{child}'s appearance and hygiene have declined over recent weeks and peers have commented.",
    ),
    "health": (
        "{child} has missed several health appointments and the family has not answered letters.",
        "The health visitor is worried about the home conditions and the parent's low mood since the birth.",
        "{child} attended the emergency department with a minor injury; the explanation was consistent but this is the third attendance this year.",
        "The GP is concerned about a parent's mental health and its effect on the care of the children.",
        "{child} has spoken about self-harm and has been referred to the children's mental health service.",
        "{child}'s weight has fallen below the expected range and the family has not attended the follow-up clinic.",
        "A parent attended with {child} and appeared to be under the influence of alcohol.",
    ),
    "prebirth": (
        "Pre-birth concern: the expectant mother has not attended antenatal appointments.",
        "Pre-birth concern: the expectant mother has disclosed domestic abuse by a former partner.",
        "Pre-birth concern: the expectant parents have no settled accommodation and limited support.",
    ),
    "adult_social_care": (
        "Adult social care are supporting a parent whose health has declined; {child} appears to be taking on caring tasks.",
        "Adult social care report that a parent's needs have increased and the family is struggling to manage.",
    ),
    "youth": (
        "The youth justice service reports that {child} is spending time with older young people and missing education.",
        "The youth service is worried that {child} is often out late and has new possessions the family cannot explain.",
    ),
    "other_council": (
        "Another local authority has told us the family has moved into the area; they were known to children's services there.",
        "Another local authority has shared concerns about the family, who have recently moved to Northbridge.",
    ),
    "early_help": (
        "The early help worker reports that the family has stopped engaging with the plan and concerns about attendance continue.",
        "The early help worker is worried that the family's circumstances have got worse despite support.",
    ),
    "family": (
        "A relative is worried that the children are often left alone in the evenings.",
        "A grandparent is worried about a parent's drinking and the care of {child}.",
        "An aunt says {child} has been staying with her because of arguments at home.",
    ),
    "acquaintance": (
        "A neighbour has heard frequent shouting from the property and is worried about the children.",
        "A family friend saw {child} alone in the park late in the evening.",
        "A childminder is worried that {child} is often hungry when dropped off.",
    ),
    "self": (
        "{child} called asking for help because of arguments at home.",
        "{child} called to say they do not feel safe at home at the moment.",
    ),
    "public": (
        "A member of the public saw {child} alone in the town centre late in the evening.",
        "A member of the public is worried about shouting heard from the family's home.",
    ),
    "housing": (
        "Housing officers visited and found the property in a poor condition, with little food in the house.",
        "The family is at risk of eviction for rent arrears and the parent says they are struggling to cope.",
        "A housing officer is worried about overcrowding and a lack of beds for the children.",
    ),
    "legal": (
        "Probation report that a parent has been released from custody and plans to return to the family home.",
        "Cafcass has shared information from private law proceedings about concerns raised by one parent.",
        "The court has asked for information about the family's previous involvement with children's services.",
    ),
    "other": (
        "The children's centre has noticed that {child} often appears unkempt and the parent seems overwhelmed.",
        "A worker supporting the family is worried about a parent's alcohol use.",
        "The nursery is concerned that {child} is often collected by different adults the staff do not know.",
    ),
    "anonymous": (
        "An anonymous caller said the children are left unsupervised and the house is noisy late at night.",
        "An anonymous caller is worried about the number of adults coming and going from the property.",
        "An anonymous caller said {child} is often seen outside late in the evening without an adult.",
    ),
    "unknown": (
        "Information received about possible concerns for {child}; the referrer's details were not recorded.",
        "Concerns about {child}'s wellbeing were passed to the front door; the original source is not known.",
    ),
}
CONCERN_CONTEXT: tuple[str, ...] = (
    "The parents have recently separated.",
    "The family has been struggling with money since a parent lost their job.",
    "The family moved to Northbridge in the last year.",
    "The referrer has known the family for some time.",
    "The family has recently had a bereavement.",
    "A parent has a long-term health condition.",
)
CONCERN_ENDINGS: tuple[str, ...] = (
    "The referrer has not discussed the concern with the family.",
    "The parents are aware of this contact.",
    "The referrer is happy to be contacted for more information.",
    "No previous concerns are known to the referrer.",
    "The referrer asked for advice on next steps.",
    "The family is known to have support from extended family.",
)

CONSENT_DISPENSED_REASONS: tuple[str, ...] = (
    "Seeking consent would place the child at risk of significant harm.",
    "Seeking consent may prejudice a police investigation.",
    "Risk of significant harm: information shared without consent under the safeguarding duty.",
    "Consent dispensed with: the concern relates to possible harm within the household.",
)
CONSENT_REFUSED_REASONS: tuple[str, ...] = (
    "The parent declined consent for information sharing when contacted by phone.",
    "The parent said they did not want children's services involved.",
    "",
)
CONSENT_NOT_SOUGHT_REASONS: tuple[str, ...] = (
    "The referrer did not seek consent; the front door will contact the family.",
    "Anonymous referral: consent could not be sought.",
    "",
)

RATIONALES: dict[str, tuple[str, ...]] = {
    "nfa": (
        "Information from partners does not show unmet needs. The family is engaging with universal services. No further action.",
        "The concern was a one-off incident with no previous history; the parents acted protectively. No further action.",
        "Checks with school and health show no concerns. The referrer has been told the outcome. No further action.",
    ),
    "advice": (
        "Needs can be met by universal services. Advice given to the referrer about support available in the community.",
        "Information and advice given to the parent about parenting support and how to contact the front door again.",
        "Advice given to the school on monitoring attendance and recording any further concerns.",
    ),
    "early_help": (
        "Needs are below the threshold for social care but would benefit from targeted support. Family consent to an early help assessment.",
        "The family would benefit from a lead professional and a team around the family. Passed to early help.",
        "Emerging concerns about routines and attendance; early help family support offered and accepted.",
    ),
    "referral": (
        "The threshold for a child and family assessment is met: cumulative concerns about neglect and parental capacity.",
        "Concerns about domestic abuse and its impact on the child meet the threshold for a social work assessment.",
        "Parental mental health and the child's presentation at school mean an assessment of need is required.",
    ),
    "strategy": (
        "Reasonable cause to suspect the child is suffering, or likely to suffer, significant harm. Strategy discussion to be held today with police and health.",
        "Disclosure made to a professional; immediate strategy discussion needed to plan a section 47 enquiry.",
    ),
}
MANAGER_COMMENTS: tuple[str, ...] = (
    "Agree with the decision and rationale.",
    "Agreed. Please make sure the referrer is told the outcome.",
    "Agreed; history checked and considered.",
    "Agree. Threshold applied correctly.",
    "Agreed: proportionate response given the information available.",
)
RETURN_COMMENTS: tuple[str, ...] = (
    "Please check with the school about attendance before we decide.",
    "Please speak to the health visitor and add what they know.",
    "Please check previous contacts for this family and reconsider the outcome.",
    "Please seek the parents' views before we close this.",
)

# --- The MASH ------------------------------------------------------------------------------

ACTIONS_TAKEN: dict[str, tuple[str, ...]] = {
    "police": (
        "Officers attended and gave safeguarding advice. A DASH risk assessment was completed.",
        "The suspect was arrested and remains in custody. The children were seen and were safe.",
        "Officers attended and made sure the children were with a safe adult overnight.",
        "A referral has been made to the domestic abuse service. No further police action.",
        "The child was returned home by officers and a return interview has been requested.",
    ),
    "school": (
        "Logged on the school's safeguarding system; the child has been spoken to by the DSL.",
        "We have spoken to the parent, who did not engage. The child will be monitored daily.",
        "The school nurse has been informed. We have offered a place at breakfast club.",
        "The pastoral lead is checking in with the child every morning.",
    ),
    "health": (
        "The family has been offered additional health visitor contacts.",
        "Discussed with the named nurse for safeguarding. GP informed.",
        "The child was examined and discharged home with a parent; follow-up booked.",
        "A referral to CAMHS has been made and the parent is aware.",
    ),
    "other": ("Advice given to the family.",),
}

URGENCY_REASONS: dict[str, tuple[str, ...]] = {
    "red": (
        "Possible significant harm today: the child may not be safe at home tonight.",
        "Disclosure of physical harm with a visible injury.",
        "Child missing and at risk of exploitation.",
        "High-risk domestic abuse (DASH high) with the children present.",
    ),
    "amber": (
        "Concerns about parenting capacity that need checking with partners today.",
        "Repeat incident: a pattern of domestic abuse, medium risk.",
        "Emotional wellbeing concerns; no immediate risk but the child needs a response soon.",
        "Neglect concerns building over several weeks.",
    ),
    "green": (
        "No immediate risk identified; the family may benefit from support.",
        "Low-level concerns; information to be gathered in the usual time.",
        "Parents are engaging and the child is safe; advice likely.",
    ),
}

VOICE_VIEWS: tuple[str, ...] = (
    "{child} said they feel safe at school but worry about the arguments at home.",
    "{child} told the referrer they want things to calm down at home.",
    "{child} said they miss their dad and want to see him more.",
    "{child} said they are happy living with mum and do not want anyone to be in trouble.",
    "{child} said they do not like being at home when mum's partner is there.",
    "{child} told their teacher they are often hungry in the mornings.",
    "{child} said they want help with feeling sad and would like to talk to someone.",
    "{child} appeared withdrawn and did not want to talk about home.",
)

INFORMATION_QUESTIONS: dict[str, tuple[str, ...]] = {
    "police": (
        "Please share any police history for the household in the last two years, including "
        "domestic abuse incidents.",
        "Are there any current bail conditions or markers for adults at the address?",
    ),
    "health": (
        "Please share health involvement: are the children registered, immunised and "
        "attending appointments?",
        "Is there any known history of parental mental health or substance misuse?",
    ),
    "school": (
        "Please share attendance for this term and any safeguarding concerns logged.",
        "How does the child present in school, and who is their trusted adult?",
    ),
    "housing": ("Are there any tenancy concerns, arrears or reports of anti-social behaviour?",),
    "probation": (
        "Is any adult in the household known to probation, and what is their risk level?",
    ),
    "voluntary": ("Is the family known to your service, and what support has been offered?",),
}

INFORMATION_ANSWERS: dict[str, tuple[str, ...]] = {
    "police": (
        "Two domestic incidents recorded in the last 12 months, both standard risk. No markers.",
        "No police history for the adults at the address.",
        "Mother's ex-partner has a history of violence; a non-molestation order is in place.",
    ),
    "health": (
        "All children registered with a GP and immunisations up to date. No concerns recorded.",
        "Missed two health visitor appointments; mother known to perinatal mental health.",
        "Attended A&E twice this year with minor injuries; explanations were consistent.",
    ),
    "school": (
        "Attendance is 84% this term. Two entries on the safeguarding log about hunger.",
        "Attendance 97%, no concerns. The child is settled and has a good friendship group.",
        "Several late arrivals; the child has told staff they look after younger siblings.",
    ),
    "housing": (
        "Rent arrears of about £800; no anti-social behaviour reports.",
        "No concerns with the tenancy.",
    ),
    "probation": (
        "Not known to probation.",
        "Father is on licence, medium risk of harm to others.",
    ),
    "voluntary": ("Not known to our service.", "Attended a parenting course last year."),
}

EARLY_HELP_OTHER_ORGANISATIONS: tuple[str, ...] = (
    "School (designated safeguarding lead)",
    "Health visiting service",
    "School nursing service",
    "Northbridge Family Support Trust",
)
