// The "Copy" buttons of the Cite section (templates/includes/cite.html). Without this script the
// buttons stay hidden and the references remain plain selectable text.
"use strict";
document.querySelectorAll("button.cite-copy[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const text = Array.from(source.querySelectorAll(".cite-reference"), (p) => p.textContent.trim());
    navigator.clipboard.writeText(text.join("\n")).then(
      () => { button.textContent = "Copied"; },
      () => { button.textContent = "Copy failed: select the text"; },
    );
    setTimeout(() => { button.textContent = "Copy"; }, 3000);
  });
});
