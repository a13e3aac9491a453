"""The benchmark's population spread (scripts/bench.py --spread population --population FILE).

The tables here are synthetic: made-up municipalities and numbers in the layout of Statistics
Sweden's table, never real figures. The benchmark itself is `make bench`, never a test."""
from __future__ import annotations

import collections
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.content import load_content

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench()
COUNTIES = bench.counties_of(ROOT)

# As the table is copied from its web page: headings, the country, a county row, then its
# municipalities, numbers with spaces (a no-break space in one), a note under the table.
TABLE = """Folkmängd i riket, län och kommuner (syntetisk testtabell)
Kod | Kommunnamn | Folkmängd | Folkökning |
---|---|---|---|
Riket | 1 000 000 | 10 |
01 | Testlänet | 900 000 | 5 |
0101 | Storstad | 800 000 | 3 |
0102 | Mellanby | 90\u00a0000 | 1 |
0103 | Lillby | 10 000 | 1 |
03 | Andra länet | 100 000 | 5 |
0301 | Ensam | 100 000 | 5 |
1) En fotnot under tabellen.
"""


def write(tmp_path: Path, text: str, name: str = "folkmangd.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_is_read_from_its_municipality_rows(tmp_path):
    rows = bench.read_population(write(tmp_path, TABLE), COUNTIES)
    assert rows == [("Storstad", "01", 800_000), ("Mellanby", "01", 90_000), ("Lillby", "01", 10_000), ("Ensam", "03", 100_000)]
    # The same table saved as CSV with semicolons, as a spreadsheet writes it, reads the same.
    csv = "Kod;Kommunnamn;Folkmängd\n" + "".join(f"{code};{name};{count}\n" for code, name, count in
                                                  [("0101", "Storstad", "800000"), ("0102", "Mellanby", "90 000"),
                                                   ("0103", "Lillby", "10000"), ("0301", "Ensam", "100000")])
    assert bench.read_population(write(tmp_path, csv, "folkmangd.csv"), COUNTIES) == rows


@pytest.mark.parametrize("text, message", [
    ("0101 | Storstad | många |\n", "folkmangd.txt:1: municipality 0101 Storstad: the number of inhabitants 'många' is not a whole number"),
    ("Kod | Kommunnamn | Folkmängd\n0101 | Storstad | 5 |\n9901 | Ingenstans | 5 |\n",
     "folkmangd.txt:3: municipality 9901 Ingenstans: county 99 is not in data/lan/"),
    ("Kod | Kommunnamn | Folkmängd\nRiket | 10 |\n", "folkmangd.txt: no rows of municipalities"),
    ("0101 | Storstad | 0 |\n", "folkmangd.txt: every municipality has 0 inhabitants"),
])
def test_a_table_it_cannot_use_is_named_with_its_line(tmp_path, text, message):
    with pytest.raises(bench.PopulationError) as raised:
        bench.read_population(write(tmp_path, text), COUNTIES)
    assert message in str(raised.value)


def test_organisations_spread_by_inhabitants_and_stay_valid_records(tmp_path):
    rows = bench.read_population(write(tmp_path, TABLE), COUNTIES)
    root = tmp_path / "project"
    for name in ("data", "methods", "schemas"):
        shutil.copytree(ROOT / name, root / name)
    bench.add_synthetic_networks(root)
    generated = bench.synthetic_organisations(1000, root, spread="population", population=rows)
    assert generated == bench.synthetic_organisations(1000, root, spread="population", population=rows), "seeded"
    for record_id, text in generated:
        (root / "data" / "organisationer" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    result = load_content(root)
    assert [str(p) for p in result.errors] == []
    synthetic = [r for r in result.handbook.all("organisation") if r.id.startswith(bench.SYNTHETIC_PREFIX)]
    local = collections.Counter(r.get("municipality") for r in synthetic if r.get("scope") == "lokal")
    regional = collections.Counter(r.get("county") for r in synthetic if r.get("scope") == "regional")
    # Every local organisation is in a municipality of the table, in that municipality's county.
    assert set(local) <= {"Storstad", "Mellanby", "Lillby", "Ensam"}
    where = {name: county for name, county, _ in rows}
    assert all(r.get("county") == where[r.get("municipality")] for r in synthetic if r.get("scope") == "lokal")
    # In proportion to the inhabitants (80 %, 9 %, 1 %, 10 %), within what chance allows at this size.
    share = {name: count / sum(local.values()) for name, count in local.items()}
    assert 0.74 < share["Storstad"] < 0.86 and 0.06 < share["Mellanby"] < 0.12 and share.get("Lillby", 0) < 0.03
    assert 0.07 < share["Ensam"] < 0.13
    # A regional organisation is in a county by the county's inhabitants (90 % and 10 %), never elsewhere.
    assert set(regional) <= {"01", "03"} and regional["01"] > 4 * regional["03"]
    assert not any(r.get("municipality") for r in synthetic if r.get("scope") != "lokal")


def test_the_command_line_refuses_a_population_spread_without_its_table(tmp_path):
    bad = write(tmp_path, "0101 | Storstad | många |\n")
    for arguments, said in [(["--spread", "population"], "needs it"),
                            (["--population", str(bad)], "goes with --spread population"),
                            (["--spread", "population", "--population", str(bad)], "is not a whole number")]:
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--orgs", "10", *arguments],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
