"""Held-out evaluation, in the order a run goes: gold records and the systems under test (``systems``), the
baselines beside them (``baselines``), leave-one-report-out with every system retrained per fold (``crossval``),
scores of records against gold (``scoring``), the Recognizers-Text specs (``recognizers``) and the Markdown report
(``report``)."""
