"""Where the tests find the synthetic example extract: fixtures/examples, a
copy of ../shared/examples (the contract; never edited there). The copy is
checked against the shared folder when that folder is beside the checkout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "fixtures" / "examples"
EXAMPLE = EXAMPLES / "service-small"
EXPECTED_JSON = EXAMPLES / "service-small.expected.json"
SHARED_EXAMPLES = ROOT.parent / "shared" / "examples"
