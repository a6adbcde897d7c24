"""Where the project's files are, for tests in any folder."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_workbooks"
TESTS = ROOT / "tests"
CASES = TESTS / "cases"
TEST_RUBRICS = TESTS / "rubrics"
