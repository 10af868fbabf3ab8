"""The pictures, drawn on the server as SVG: the rounds timeline, the tariff-rate chart and the
issue × round matrix, one module each; ``scale`` holds what they share (dates as precisely as
they are known, axes, marker shapes). Each module turns what a QuerySet read into geometry and
labels; the templates (``includes/rounds_timeline.html``, ``negotiations/tariff_chart.html``,
``negotiations/issues_by_round.html``) write the markup, its table alternative beside it."""
