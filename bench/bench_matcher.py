"""Micro-benchmark of the matcher: how many texts per second the scrubber
scans and replaces, with the values of one batch of buyers (1,000 by
default, as the job's batches), on texts like the benchmark's chatter: most
of them name nobody, some name a buyer as typed, some the way editors and
mail clients write it. Plain Python, no database: it imports the addon's
``scrubber`` from the directory given (default: this checkout), so that two
checkouts can be compared.

Usage: python bench/bench_matcher.py [--buyers N] [--texts T] [--addon DIR]
"""

import argparse
import importlib
import os
import random
import sys
import time

DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def values(buyers):
    """The known values of ``buyers`` buyers, as the registry harvests them."""
    out = []
    for n in range(buyers):
        out += [
            f"Erika{n} Mustermann{n}",
            f"Heidestraße {n} 17",
            f"erika{n}.mustermann+amazon@example.de",
            f"+49 221 {n:07d}",
            f"Max{n} Mustermann{n}",
            f"Lindenallee {n} 3",
            f"DE{n:09d}",
        ]
    return out


def texts(count, buyers):
    """Chatter-like HTML: 80 % name nobody, 10 % a buyer as typed, 10 % a
    buyer written otherwise (a tag and a non-breaking space between the
    names, upper case)."""
    rng = random.Random(1)
    plain = (
        "<p>Order confirmed. The delivery S{0} was validated; invoice INV/2026/{0} "
        "sent to the customer. Tracking 00340434161094{0}.</p>"
    )
    out = []
    for i in range(count):
        n = rng.randrange(buyers)
        kind = i % 10
        if kind == 0:
            out.append(f"<p>Call back Erika{n} Mustermann{n}, Heidestraße {n} 17</p>")
        elif kind == 1:
            out.append(f"<p>Rückruf <b>ERIKA{n}</b>&nbsp;Mustermann{n}</p>")
        else:
            out.append(plain.format(i))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--buyers", type=int, default=1000)
    parser.add_argument("--texts", type=int, default=26000)
    parser.add_argument("--addon", default=os.path.join(DIR, "dataprotect"))
    args = parser.parse_args()
    # the addon's package, from the directory given, as odoo.addons.dataprotect
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.addon)))
    import odoo.addons  # noqa: PLC0415 -- after the path is set

    odoo.addons.__path__.insert(0, os.path.dirname(os.path.abspath(args.addon)))
    scrubber = importlib.import_module("odoo.addons.dataprotect.scrubber")
    started = time.perf_counter()
    matcher = scrubber.Scrubber(None, values(args.buyers), "Anonymized")
    built = time.perf_counter() - started
    sample = texts(args.texts, args.buyers)
    best = None
    for _run in range(3):
        started = time.perf_counter()
        changed = sum(
            matcher._replace_text(text, True) != text  # noqa: SLF001
            for text in sample
        )
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(
        f"{args.buyers} buyers' values ({len(values(args.buyers))}), set up in "
        f"{built * 1000:.0f} ms; {len(sample)} texts: {len(sample) / best:,.0f} "
        f"texts/s (fastest of 3), {changed} changed"
    )


if __name__ == "__main__":
    main()
