"""Says plainly, at the end of the run, when the browser tours were skipped."""

TOURS = "test_tours.py::"


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if TOURS in report.nodeid
    ]
    if not skipped:
        return
    reason = str(skipped[0].longrepr[2]).removeprefix("Skipped: ")
    terminalreporter.write_sep("!", "THE BROWSER TOURS DID NOT RUN", red=True)
    terminalreporter.write_line(
        f"{len(skipped)} browser tour(s) skipped: {reason}. Install Chromium "
        "(Debian: apt-get install chromium) to run them; .ci/run does, and "
        "fails without one."
    )
