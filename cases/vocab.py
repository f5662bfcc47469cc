"""The service's vocabulary: codes as in ../shared/interchange.md, labels in
plain English. Every choice list and derived classification lives here."""

from __future__ import annotations

import enum

SEX = [("M", "Male"), ("F", "Female")]

ETHNICITY = [
    ("asian", "Asian or Asian British"),
    ("black", "Black or Black British"),
    ("mixed", "Mixed or multiple ethnic groups"),
    ("white", "White"),
    ("other", "Other ethnic group"),
    ("not_known", "Not known"),
]

OFFENCE_CATEGORY = [
    ("violence_against_the_person", "Violence against the person"),
    ("robbery", "Robbery"),
    ("sexual", "Sexual offence"),
    ("drugs", "Drugs"),
    ("theft_and_handling", "Theft and handling"),
    ("burglary", "Burglary"),
    ("criminal_damage", "Criminal damage"),
    ("public_order", "Public order"),
    ("motoring", "Motoring"),
    ("fraud_and_forgery", "Fraud and forgery"),
    ("breach", "Breach of an order"),
    ("other", "Other"),
]


class Tier(enum.StrEnum):
    NONE = "none"
    DIVERSION = "diversion"
    PRE_COURT = "pre_court"
    FIRST_TIER = "first_tier"
    COMMUNITY = "community"
    CUSTODY = "custody"


TIER = [
    (Tier.NONE.value, "No further action"),
    (Tier.DIVERSION.value, "Diversion"),
    (Tier.PRE_COURT.value, "Pre-court"),
    (Tier.FIRST_TIER.value, "First-tier"),
    (Tier.COMMUNITY.value, "Community"),
    (Tier.CUSTODY.value, "Custody"),
]

# (code, label, tier) — interchange.md, "Outcome types and tiers".
_OUTCOMES = [
    ("no_further_action", "No further action", Tier.NONE),
    ("community_resolution", "Community resolution", Tier.DIVERSION),
    ("outcome_22", "Outcome 22", Tier.DIVERSION),
    ("youth_caution", "Youth caution", Tier.PRE_COURT),
    ("youth_conditional_caution", "Youth conditional caution", Tier.PRE_COURT),
    ("absolute_discharge", "Absolute discharge", Tier.FIRST_TIER),
    ("conditional_discharge", "Conditional discharge", Tier.FIRST_TIER),
    ("fine", "Fine", Tier.FIRST_TIER),
    ("referral_order", "Referral order", Tier.FIRST_TIER),
    ("youth_rehabilitation_order", "Youth rehabilitation order", Tier.COMMUNITY),
    (
        "yro_intensive_supervision",
        "YRO with intensive supervision and surveillance",
        Tier.COMMUNITY,
    ),
    ("detention_and_training_order", "Detention and training order", Tier.CUSTODY),
    ("long_term_detention", "Long-term detention", Tier.CUSTODY),
]
OUTCOME_TYPE = [(code, label) for code, label, _ in _OUTCOMES]
TIER_OF: dict[str, str] = {code: tier.value for code, _, tier in _OUTCOMES}
SUBSTANTIVE_TIERS = frozenset({Tier.PRE_COURT, Tier.FIRST_TIER, Tier.COMMUNITY, Tier.CUSTODY})
SUBSTANTIVE = frozenset(code for code, _, tier in _OUTCOMES if tier in SUBSTANTIVE_TIERS)
COURT_TIERS = frozenset({Tier.FIRST_TIER, Tier.COMMUNITY, Tier.CUSTODY})
COURT_SENTENCES = frozenset(code for code, _, tier in _OUTCOMES if tier in COURT_TIERS)
CUSTODIAL = frozenset(code for code, _, tier in _OUTCOMES if tier == Tier.CUSTODY)
# Outcomes that need the child's admission (domain.md; interchange.md for cautions).
NEEDS_ADMISSION = frozenset({"community_resolution", "youth_caution", "youth_conditional_caution"})


def yjs_intervention_default(outcome_type: str) -> bool:
    """interchange.md: default Y for youth conditional cautions and every court sentence."""
    return outcome_type == "youth_conditional_caution" or outcome_type in COURT_SENTENCES


REMAND_TYPE = [
    ("youth_detention_accommodation", "Youth detention accommodation"),
    ("local_authority_accommodation", "Local authority accommodation"),
    ("bail_supervision", "Bail supervision and support"),
]

OOCD_DECISION = [
    ("no_further_action", "No further action"),
    ("community_resolution", "Community resolution"),
    ("outcome_22", "Outcome 22"),
    ("youth_caution", "Youth caution"),
    ("youth_conditional_caution", "Youth conditional caution"),
    ("charge", "Charge (send to court)"),
]
DIVERTED_DECISIONS = frozenset({"no_further_action", "community_resolution", "outcome_22"})

ACCOMMODATION_TYPE = [
    ("with_parents", "Living with parents"),
    ("with_family", "Living with family"),
    ("with_friends", "Living with friends"),
    ("foster_care", "Foster care"),
    ("residential_unit", "Residential unit"),
    ("supported_lodgings", "Supported lodgings"),
    ("independent_living", "Independent living"),
    ("temporary", "Temporary or bail hostel"),
    ("secure_estate", "Secure estate (YOI, STC, SCH)"),
    ("other", "Other"),
]
SUITABILITY = [("suitable", "Suitable"), ("unsuitable", "Unsuitable"), ("unknown", "Not known")]

ETE_PROVISION = [
    ("mainstream_school", "Mainstream school"),
    ("alternative_provision", "Alternative provision"),
    ("pupil_referral_unit", "Pupil referral unit"),
    ("special_school", "Special school"),
    ("college", "College"),
    ("training", "Training"),
    ("apprenticeship", "Apprenticeship"),
    ("employment", "Employment"),
    ("elective_home_education", "Elective home education"),
    ("none", "None"),
]

CARE_STATUS = [
    ("looked_after", "Looked after"),
    ("child_protection", "Child protection plan"),
    ("child_in_need", "Child in need"),
    ("early_help", "Early help plan"),
]
OTHER_STATUS = [
    ("neet", "Not in education, employment or training (NEET)"),
    ("missing", "Missing from home or care"),
    ("cse", "Child sexual exploitation concern"),
    ("cce", "Child criminal exploitation concern"),
    ("mappa", "MAPPA"),
]
SEND_PLAN = [
    ("ehcp", "Education, health and care plan (EHCP)"),
    ("sen_support", "SEN support plan"),
    ("none", "Need identified, no formal plan"),
]
HEALTH_KIND = [("mental_health", "Mental health"), ("substance_misuse", "Substance misuse")]
HEALTH_INTERVENTION = [
    ("advice", "Advice"),
    ("help", "Help"),
    ("additional_help", "Additional help"),
    ("risk_support", "Risk support"),
    ("targeted", "Targeted intervention"),
    ("specialist", "Specialist treatment"),
    ("complex_care", "Complex care"),
]
HEALTH_INTERVENTIONS_FOR = {
    "mental_health": frozenset({"advice", "help", "additional_help", "risk_support"}),
    "substance_misuse": frozenset({"targeted", "specialist", "complex_care"}),
}

VICTIM_TYPE = [("person", "Person"), ("business", "Business")]
RJ_TYPE = [("direct", "Direct"), ("indirect", "Indirect")]

LOW_MEDIUM_HIGH = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
LOW_TO_VERY_HIGH = LOW_MEDIUM_HIGH + [("very_high", "Very high")]
INTERVENTION_LEVEL = [
    ("standard", "Standard"),
    ("enhanced", "Enhanced"),
    ("intensive", "Intensive"),
]

PROGRAMME_CATEGORY = [
    ("offending_behaviour", "Offending behaviour"),
    ("knife_crime", "Knife crime"),
    ("substance_misuse", "Substance misuse"),
    ("ete", "Education, training and employment"),
    ("parenting", "Parenting"),
    ("rj_reparation", "Restorative justice and reparation"),
    ("group_work", "Group work"),
    ("health", "Health and wellbeing"),
    ("other", "Other"),
]
PLAN_STATUS = [
    ("planned", "Planned"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("ended", "Ended early"),
    ("cancelled", "Cancelled"),
]
CONTACT_TYPE = [
    ("office", "Office appointment"),
    ("home_visit", "Home visit"),
    ("school", "School or college"),
    ("phone", "Phone call"),
    ("video", "Video call"),
    ("group", "Group session"),
    ("court", "Court"),
    ("other", "Other"),
]
ATTENDANCE = [
    ("planned", "Not yet happened"),
    ("attended", "Attended"),
    ("failed_to_attend", "Failed to attend"),
    ("rescheduled", "Rescheduled"),
]
COMPLIANCE_ACTION = [("none", "None"), ("warning", "Warning"), ("breach", "Breach")]

AGE_BANDS = [("10-14", "10 to 14"), ("15-17", "15 to 17")]


def codes(choices) -> frozenset[str]:
    return frozenset(code for code, _ in choices)
