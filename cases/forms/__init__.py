"""Forms of the cases app: casework.py (casework pages), records.py (episodes, victims...)."""
