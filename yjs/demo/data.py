"""Fixed reference data for the demo service: teams, staff, programmes.
Every name here is invented."""

TEAMS = [
    ("North team", "North"),
    ("South team", "South"),
    ("East team", "East"),
]

DEMO_PASSWORD = "Demo-service-2024"  # noqa: S105 — printed for the demo, synthetic accounts only

# (username, first name, last name, roles, team index or None, job title)
STAFF = [
    ("practitioner", "Priya", "Sandhu", ["practitioner"], 0, "Case manager"),
    ("practitioner2", "Tom", "Okafor", ["practitioner"], 0, "Case manager"),
    ("practitioner3", "Ellie", "Marsh", ["practitioner"], 1, "Case manager"),
    ("practitioner4", "Jamal", "Reid", ["practitioner"], 1, "Social worker"),
    ("practitioner5", "Grace", "Lowe", ["practitioner"], 2, "Case manager"),
    ("practitioner6", "Ryan", "Patel", ["practitioner"], 2, "Seconded probation officer"),
    ("teammanager", "Helen", "Carter", ["team_manager"], 0, "Team manager, North"),
    ("teammanager2", "Dev", "Kumar", ["team_manager"], 1, "Team manager, South"),
    ("teammanager3", "Sian", "Hughes", ["team_manager"], 2, "Team manager, East"),
    ("panelchair", "Marcus", "Bell", ["panel_chair"], None, "OOCD panel chair"),
    ("victimworker", "Nadia", "Khan", ["victim_worker"], None, "RJ and victim worker"),
    ("servicemanager", "Ruth", "Adeyemi", ["service_manager"], None, "Head of service"),
    ("boardmember", "Colin", "Fraser", ["board_member"], None, "Board chair"),
    ("administrator", "Lena", "Novak", ["administrator"], None, "Systems administrator"),
]

PROGRAMMES = [
    ("Thinking and choices", "offending_behaviour"),
    ("Consequences of offending", "offending_behaviour"),
    ("Knife crime awareness", "knife_crime"),
    ("Weapons and safety", "knife_crime"),
    ("Substance misuse one-to-one", "substance_misuse"),
    ("Education and careers support", "ete"),
    ("Construction skills taster", "ete"),
    ("Parenting support programme", "parenting"),
    ("Reparation project: community garden", "rj_reparation"),
    ("Victim awareness", "rj_reparation"),
    ("Healthy relationships group", "group_work"),
    ("Emotional wellbeing sessions", "health"),
    ("Sport and mentoring", "other"),
]
