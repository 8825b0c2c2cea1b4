"""`corridor bench load` end to end on a tiny database: it serves, drives and prints every row.

No timing is asserted (the machine is shared); the figures belong in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from corridor.core import backup, bench_load
from tests import factories as f

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_bench_load_prints_every_scenario(world, tmp_path, capsys):
    if connection.vendor != "sqlite":
        pytest.skip("the load bench serves an SQLite copy of a database; the SQLite run covers it")
    for i in range(3):
        f.resource(world.org, name=f"催化剂中试平台{i}")
        f.demand(world.org, title=f"催化剂国产化需求{i}")
    # the served platform uses the production hashers, not the tests' fast MD5 one
    world.owner.password = PBKDF2PasswordHasher().encode(f.PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    world.owner.save(update_fields=["password"])
    tiny = tmp_path / "tiny.sqlite3"
    backup.backup(tiny)

    code = bench_load.main(["--source", str(tiny), "--duration", "2", "--concurrency", "2", "--workers", "1", "--threads", "2",
                            "--user", "owner", "--password", f.PASSWORD, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    results = {r["name"]: r for r in json.loads(out.strip().splitlines()[-1])["results"]}
    # the same URLs again and again: the API answers come from the answer cache, pages never do
    assert results["API resource detail"]["cached"] > 0, results
    assert results["home page"]["cached"] == 0
    for name, _kind, _target in bench_load.SCENARIOS:
        row = next((line for line in out.splitlines() if name in line), None)
        assert row is not None, f"no row for {name}:\n{out}"
        numbers = re.findall(r"\d[\d,]*\.\d", row)
        assert len(numbers) >= 5, row  # req/s, share, p50, p95, p99
    assert re.search(r"targets met: \d+/5", out), out
    assert "load average" in out


def test_percentiles():
    values = sorted(float(x) for x in range(1, 101))
    assert bench_load._percentile(values, 50) == 50.0
    assert bench_load._percentile(values, 95) == 95.0
    assert bench_load._percentile(values, 99) == 99.0
    assert bench_load._percentile([7.0], 99) == 7.0
