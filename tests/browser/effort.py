"""Counting an editor's effort in a browser journey: the clicks made and the fields filled in,
and the forms submitted (a form submitted again after a refusal counts as a retry).

A journey drives the page through an ``Effort`` instead of Playwright directly, so that what it
counts is exactly what it did. Going to a page counts as the one click on the link that an
editor would follow to it. ``EFFORT_REPORT`` (a file path) collects each journey's figures as
JSON lines, for the numbers quoted in a note; the tests assert ceilings on them.
"""

import json
import os
import re
from dataclasses import dataclass, field

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None


@dataclass
class Effort:
    page: object
    journey: str
    clicks: int = 0
    fields: int = 0
    forms: int = 0
    retries: int = 0
    steps: list = field(default_factory=list)

    def go(self, path):
        self.clicks += 1
        self.page.goto(path)

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)

    def select(self, locator, value):
        self.fields += 1
        locator.select_option(value)

    def upload(self, locator, files):
        self.fields += 1
        locator.set_input_files(files)

    def choose(self, widget, search, option_text=None):
        """Pick a value in a select2 autocomplete: open it (a click), type (a field), click."""
        self.click(widget.locator(".select2-selection"))
        box = self.page.locator(".select2-container--open input.select2-search__field")
        expect(box).to_have_count(1)
        self.fill(box, search)
        option = self.page.locator(
            ".select2-results__option", has_text=re.compile(re.escape(option_text or search))
        )
        expect(option).to_have_count(1)
        self.click(option)
        expect(self.page.locator(".select2-container--open")).to_have_count(0)

    def submit(self, button, *, step):
        """Submit a form; returns True when the page says it was saved, False when refused."""
        with self.page.expect_navigation():
            self.click(button)
        refused = self.page.locator(".errornote, .errorlist").count() > 0
        self.forms += 1
        if self.steps and self.steps[-1] == (step, "refused"):
            self.retries += 1
        self.steps.append((step, "refused" if refused else "saved"))
        return not refused

    def report(self):
        figures = {
            "journey": self.journey,
            "clicks": self.clicks,
            "fields": self.fields,
            "forms": self.forms,
            "retries": self.retries,
            "steps": self.steps,
        }
        path = os.environ.get("EFFORT_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(figures) + "\n")
        print(
            f"\n{self.journey}: {self.clicks} clicks, {self.fields} fields, "
            f"{self.forms} forms submitted ({self.retries} retries)"
        )
        return figures
