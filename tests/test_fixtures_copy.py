"""fixtures/examples must stay a byte-for-byte copy of ../shared/examples."""

import pytest

from tests.paths import EXAMPLES, SHARED_EXAMPLES


def test_the_example_extract_is_a_faithful_copy_of_the_shared_one():
    if not SHARED_EXAMPLES.is_dir():
        pytest.skip("../shared is not beside this checkout")
    shared = sorted(
        p.relative_to(SHARED_EXAMPLES) for p in SHARED_EXAMPLES.rglob("*") if p.is_file()
    )
    ours = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*") if p.is_file())
    assert ours == shared
    for name in shared:
        assert (EXAMPLES / name).read_bytes() == (SHARED_EXAMPLES / name).read_bytes(), name
