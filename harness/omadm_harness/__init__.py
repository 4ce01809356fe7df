"""OMA DM Management Policy MO conformance harness.

Loads the requirement catalogue and the data-driven cases under testcases/, plays them against an
implementation under test (IUT) through an adapter, judges verdicts and writes reports.
"""

__version__ = "0.1.0"
