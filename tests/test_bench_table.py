from __future__ import annotations

from bench.table import print_table


def test_table_has_a_header_a_rule_and_one_line_per_row(capsys):
    print_table(
        [
            {"dataset": "ct24", "split": "test", "metric": "F1", "value": 0.61234, "target": ">= 0.70"},
            {"dataset": "ct24", "split": "-", "metric": "sentences/s", "value": 12345.6, "target": None},
        ]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(" | ")[0].strip() == "dataset" and set(lines[1]) <= {"-", "+"}
    assert "0.612" in lines[2] and "12,346" in lines[3] and len(lines) == 4
