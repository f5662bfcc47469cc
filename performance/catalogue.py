"""The figures the dashboard and the board pack show, and where each comes from.

Every figure is read from a snapshot whose data is exactly what
``performance.indicators.kpis`` or ``kpi_return`` returned (architecture.md:
one function per figure). ``key`` is also the ``indicator`` code of the
comparators CSV. ``good`` is the direction of "good" (domain.md,
"Comparators"): lower is better for FTE, reoffending, custody and serious
violence; higher for accommodation, ETE and the other 2023 KPIs.

Sources:
- ``kpis``: the 12 months ending on the last complete quarter;
- ``reoffending``: the ``kpis`` snapshot of the latest complete 12-month
  aggregated cohort (indicators.md, "Conventional cohort");
- ``kpi_return``: the last complete financial quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

LOWER = "lower"
HIGHER = "higher"

KPIS = "kpis"
REOFFENDING = "reoffending"
KPI_RETURN = "kpi_return"

# Snapshot.indicator for each source (reoffending reads kpis snapshots).
SNAPSHOT_INDICATOR = {KPIS: "kpis", REOFFENDING: "kpis", KPI_RETURN: "kpi_return"}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    source: str
    path: tuple[str, ...]
    unit: str = ""
    good: str | None = None
    # The count whose records the drill-down lists, and the records_behind
    # figure name for it.
    count_path: tuple[str, ...] | None = None
    count_label: str = ""
    drill: str | None = None
    section: str = ""
    decimals: int = 2
    # Counts per value shown under the figure (e.g. OOCD decisions), each
    # drilling down to ``drill + "." + value``.
    breakdown_path: tuple[str, ...] | None = None

    def value(self, data: dict | None):
        return dig(data, self.path)

    def count(self, data: dict | None):
        return dig(data, self.count_path) if self.count_path else None


def dig(data, path):
    for part in path or ():
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


NATIONAL = "National indicators"
KPI_2023 = "The 2023 key performance indicators"

FIGURES: list[Figure] = [
    Figure(
        "fte_rate_per_100k",
        "First time entrants per 100,000 children aged 10 to 17",
        KPIS,
        ("fte", "rate_per_100k"),
        "per 100,000",
        LOWER,
        ("fte", "count"),
        "first time entrants",
        "fte.count",
        NATIONAL,
    ),
    Figure(
        "custody_rate_per_1000",
        "Custodial sentences per 1,000 children aged 10 to 17",
        KPIS,
        ("custody", "rate_per_1000"),
        "per 1,000",
        LOWER,
        ("custody", "sentences"),
        "custodial sentences",
        "custody.sentences",
        NATIONAL,
    ),
    Figure(
        "custody_pct_of_court_sentences",
        "Custodial sentences as a percentage of court sentences",
        KPIS,
        ("custody", "pct_of_court_sentences"),
        "%",
        LOWER,
        ("custody", "court_sentences"),
        "court sentences",
        "custody.court_sentences",
        NATIONAL,
    ),
    Figure(
        "reoffending_binary_rate_pct",
        "Proven reoffending: children who reoffended (binary rate)",
        REOFFENDING,
        ("reoffending", "binary_rate_pct"),
        "%",
        LOWER,
        ("reoffending", "reoffenders"),
        "children who reoffended",
        "reoffending.reoffenders",
        NATIONAL,
    ),
    Figure(
        "reoffending_reoffences_per_reoffender",
        "Proven reoffending: reoffences per child who reoffended (frequency)",
        REOFFENDING,
        ("reoffending", "reoffences_per_reoffender"),
        "reoffences",
        LOWER,
        ("reoffending", "reoffences"),
        "reoffences",
        "reoffending.reoffences",
        NATIONAL,
    ),
    Figure(
        "serious_violence_rate_per_10k",
        "Serious violence offences per 10,000 children aged 10 to 17",
        KPIS,
        ("serious_violence", "rate_per_10k"),
        "per 10,000",
        LOWER,
        ("serious_violence", "offences"),
        "serious violence offences",
        "serious_violence.offences",
        NATIONAL,
    ),
    Figure(
        "oocd_diverted_pct",
        "Out-of-court panel decisions that diverted the child",
        KPIS,
        ("oocd", "diverted_pct"),
        "%",
        HIGHER,
        None,
        "",
        "oocd.decisions",
        NATIONAL,
        breakdown_path=("oocd", "decisions"),
    ),
    Figure(
        "oocd_days_to_decision_median",
        "Out-of-court panel: median days from referral to decision",
        KPIS,
        ("oocd", "days_to_decision_median"),
        "days",
        LOWER,
        None,
        "",
        None,
        NATIONAL,
        1,
    ),
    Figure(
        "kpi_accommodation_pct",
        "KPI 1: children in suitable accommodation at the end of their order",
        KPI_RETURN,
        ("accommodation", "pct_suitable_at_end"),
        "%",
        HIGHER,
        ("accommodation", "suitable_at_end"),
        "children in suitable accommodation",
        "accommodation.suitable_at_end",
        KPI_2023,
    ),
    Figure(
        "kpi_ete_pct",
        "KPI 2: children in suitable education, training or employment at the end",
        KPI_RETURN,
        ("ete", "pct_suitable_at_end"),
        "%",
        HIGHER,
        ("ete", "suitable_at_end"),
        "children in suitable ETE",
        "ete.suitable_at_end",
        KPI_2023,
    ),
    Figure(
        "kpi_send_pct_with_plan",
        "KPI 3: children with SEND who have a formal plan",
        KPI_RETURN,
        ("send", "pct_with_plan"),
        "%",
        HIGHER,
        ("send", "with_plan"),
        "children with a plan",
        "send.with_plan",
        KPI_2023,
    ),
    Figure(
        "kpi_mental_health_pct_attended",
        "KPI 4: children offered mental health support who attended",
        KPI_RETURN,
        ("mental_health", "pct_attended"),
        "%",
        HIGHER,
        ("mental_health", "attended"),
        "children who attended",
        "mental_health.attended",
        KPI_2023,
    ),
    Figure(
        "kpi_substance_misuse_pct_attended",
        "KPI 5: children offered substance misuse support who attended",
        KPI_RETURN,
        ("substance_misuse", "pct_attended"),
        "%",
        HIGHER,
        ("substance_misuse", "attended"),
        "children who attended",
        "substance_misuse.attended",
        KPI_2023,
    ),
    Figure(
        "kpi_oocd_pct_completed",
        "KPI 6: children who completed their out-of-court disposal",
        KPI_RETURN,
        ("oocd", "pct_completed"),
        "%",
        HIGHER,
        ("oocd", "completed"),
        "children who completed",
        "oocd.completed",
        KPI_2023,
    ),
    Figure(
        "kpi_wider_services_pct_supported",
        "KPI 7: children linked to wider services during their order",
        KPI_RETURN,
        ("wider_services", "pct_supported"),
        "%",
        None,
        ("wider_services", "supported"),
        "children linked to wider services",
        "wider_services.supported",
        KPI_2023,
    ),
    Figure(
        "kpi_victims_pct_engaged",
        "KPI 10: victims who consented to contact and engaged with restorative justice",
        KPI_RETURN,
        ("victims", "pct_engaged"),
        "%",
        HIGHER,
        ("victims", "engaged"),
        "victims who engaged",
        "victims.engaged",
        KPI_2023,
    ),
]

FIGURES_BY_KEY = {figure.key: figure for figure in FIGURES}
FIGURES_BY_DRILL = {figure.drill: figure for figure in FIGURES if figure.drill}
