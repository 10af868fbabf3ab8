// A source's "Cite from the text" page (templates/admin/negotiations/source/cite.html): the
// editor selects a passage of the stored text (mouse, or Shift+arrows: the text is an editable
// region whose edits are all refused, because Chromium moves a selection with the keyboard only
// there), and the buttons open a form with it. Only the offsets are sent, as code points into the
// stored text (Python counts a character outside the BMP once, JavaScript's UTF-16 twice); the
// server reads the passage from its own copy of the text.
"use strict";
(() => {
  const region = document.getElementById("stored-text");
  if (!region) return;
  const status = document.getElementById("selection-status");
  const buttons = document.querySelectorAll("[data-needs-selection]");
  const citeInputs = document.querySelectorAll('input[type="hidden"][name="cite"]');
  const existing = document.getElementById("existing-record");
  const original = region.innerHTML;
  let selected = null; // {start, end, text}: code-point offsets into the stored text
  let announce = 0;

  const codePoints = (text) => {
    let count = 0;
    for (const _char of text) count += 1;
    return count;
  };

  // The shown text must be the stored text, character for character, or offsets would be wrong.
  if (codePoints(region.textContent) !== Number(region.dataset.length)) {
    status.textContent =
      "The text shown here differs from the stored text: cite by pasting the passage into a form.";
    return;
  }

  // The number of code points of the stored text before a boundary point inside the region.
  const offsetOf = (container, offset) => {
    const before = document.createRange();
    before.setStart(region, 0);
    before.setEnd(container, offset);
    return codePoints(before.toString());
  };

  // The boundary point at a code-point offset (for a selection given back in the address).
  const pointAt = (target) => {
    const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
    let seen = 0;
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      last = node;
      let unit = 0;
      for (const char of node.data) {
        if (seen === target) return [node, unit];
        seen += 1;
        unit += char.length;
      }
    }
    return last ? [last, last.data.length] : [region, 0];
  };

  const show = (range) => {
    if (!(window.Highlight && CSS.highlights)) return;
    if (range) CSS.highlights.set("cite-selection", new Highlight(range));
    else CSS.highlights.delete("cite-selection");
  };

  const describe = () => {
    if (!selected) return "No passage selected yet.";
    const words = selected.text.trim().split(/\s+/);
    const preview =
      words.length > 14
        ? `${words.slice(0, 6).join(" ")} … ${words.slice(-6).join(" ")}`
        : words.join(" ");
    return `Selected ${words.length} word${words.length === 1 ? "" : "s"} (characters ${selected.start}–${selected.end}): “${preview}”`;
  };

  const update = (next, range) => {
    selected = next;
    buttons.forEach((button) => { button.disabled = !selected; });
    citeInputs.forEach((input) => {
      input.value = selected ? `${region.dataset.source}:${selected.start}:${selected.end}` : "";
    });
    show(selected ? range : null);
    // Announced once the selection rests, not at every arrow key.
    clearTimeout(announce);
    announce = setTimeout(() => { status.textContent = describe(); }, 300);
  };

  // The selection inside the region, clipped to it, or null where it is not in the region.
  const read = () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0) return undefined;
    const range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(region)) return undefined; // elsewhere: keep the last passage
    if (!region.contains(range.startContainer)) range.setStart(region, 0);
    if (!region.contains(range.endContainer)) range.setEnd(region, region.childNodes.length);
    if (range.collapsed) return null;
    const text = range.toString();
    if (!text.trim()) return null;
    const start = offsetOf(range.startContainer, range.startOffset);
    return [{ start, end: start + codePoints(text), text }, range];
  };

  document.addEventListener("selectionchange", () => {
    const found = read();
    if (found === undefined) return;
    if (found === null) update(null, null);
    else update(...found);
  });

  // Selectable like editable text, but never edited: every edit is refused, and anything that
  // got through anyway (an input method's composition) is undone.
  ["beforeinput", "paste", "drop", "cut"].forEach((type) => {
    region.addEventListener(type, (event) => event.preventDefault());
  });
  region.addEventListener("input", () => {
    if (region.innerHTML !== original) region.innerHTML = original;
  });

  if (existing) {
    existing.addEventListener("submit", (event) => {
      const chosen = Array.from(existing.querySelectorAll("select")).some((s) => s.value);
      if (!chosen) {
        event.preventDefault();
        status.textContent = "Choose a quote, claim or agenda item to add the passage to.";
      }
    });
  }

  // The admin's autocomplete (select2) names its box only by the choice shown, nothing at first:
  // name it by its label too, as soon as the admin's script has made it (jQuery's ready, which
  // may come after this script and even after the load event).
  const nameBoxes = () => {
    document.querySelectorAll("#existing-record select").forEach((select) => {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const box = select.nextElementSibling?.querySelector(".select2-selection");
      if (!label || !box || box.dataset.named) return;
      label.id ||= `${select.id}-label`;
      const shown = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", shown ? `${label.id} ${shown}` : label.id);
      box.querySelector('[role="textbox"]')?.setAttribute("aria-labelledby", label.id);
      box.dataset.named = "yes";
    });
  };
  if (existing) {
    new MutationObserver(nameBoxes).observe(existing, { childList: true, subtree: true });
    nameBoxes();
  }

  // A selection given back in the address (a refused "existing record" choice) is selected again.
  const given = new URLSearchParams(window.location.search).get("cite");
  const parts = given ? given.split(":").map(Number) : [];
  if (parts.length === 3 && String(parts[0]) === region.dataset.source && parts[1] < parts[2]) {
    const range = document.createRange();
    range.setStart(...pointAt(parts[1]));
    range.setEnd(...pointAt(parts[2]));
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
