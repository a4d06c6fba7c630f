#!/usr/bin/env python3
"""Prints one line totalling every .trx file under a folder: 'Tests: N passed, N failed, N skipped'."""
import pathlib, sys, xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = list(pathlib.Path(sys.argv[1]).rglob("*.trx")) if pathlib.Path(sys.argv[1]).exists() else []
for trx in files:
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
if not files:
    print("no test results were written", file=sys.stderr)
    sys.exit(1)
