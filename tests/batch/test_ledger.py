import sqlite3

from perfeval.read.workbook import sha256_of
from perfeval.batch import ledger
from checking import check_one


def test_result_round_trips_exactly(make_sheet, tmp_path):
    path = make_sheet("seed.xlsx", basic_data=[("实际支出资金", 413.905), ("实际到位资金", 444.205)],
                      scores={"预算执行率": 1.95})
    result = check_one(path)
    assert any(f.code == "formula-mismatch" and f.working for f in result.findings)
    with ledger.Ledger(tmp_path / "out" / "perfeval.db") as db:
        key = ledger.rubric_key(None)
        sha = sha256_of(path)
        assert db.done(sha, key) is None
        db.record(sha, key, (result,))
        assert db.done(sha, key) == (result,)
        assert db.done(sha, key, version="0.0.0-other") is None
        assert db.done(sha, "other-rubric-key") is None
        assert list(db.results()) == [result]


def test_unreadable_result_is_recorded(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"a,b\n1,2\n")
    result = check_one(bad)
    with ledger.Ledger(tmp_path / "perfeval.db") as db:
        db.record(sha256_of(bad), "k", (result,))
        (back,) = db.results()
    assert back.status == "unreadable" and back.error == result.error


def test_schema_version_and_refusal_of_newer(tmp_path):
    db_path = tmp_path / "perfeval.db"
    with ledger.Ledger(db_path):
        pass
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == ledger.SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {ledger.SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    try:
        ledger.Ledger(db_path)
    except RuntimeError as exc:
        assert "更新版本" in str(exc)
    else:
        raise AssertionError("a ledger from a newer perfeval must be refused")


def test_rubric_key_changes_with_choice():
    assert ledger.rubric_key(None) == ledger.rubric_key(None)
    assert ledger.rubric_key(None) != ledger.rubric_key("egov-2019")


def test_the_same_content_under_two_names_is_known_under_each(make_sheet, tmp_path):
    """Two files of identical content, each recorded: each is found under its own name (a rerun of
    the folder records nothing again, whichever was recorded last)."""
    from perfeval.batch.outbox import Outbox
    inbox = tmp_path / "in"
    first = make_sheet("in/a.xlsx")
    (inbox / "b.xlsx").write_bytes(first.read_bytes())
    with Outbox(tmp_path / "out") as box:
        assert [fresh for _, fresh in box.process(sorted(inbox.iterdir()))] == [True, True]
    with Outbox(tmp_path / "out") as box:
        again = list(box.process(sorted(inbox.iterdir())))
        assert [fresh for _, fresh in again] == [False, False]
        assert [rs[0].path for rs, _ in again] == [str(inbox / "a.xlsx"), str(inbox / "b.xlsx")]
        assert box.ledger.db.execute("SELECT COUNT(*) FROM checks").fetchone()[0] == 2
