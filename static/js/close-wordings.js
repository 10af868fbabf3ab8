// The quote form's close wordings (negotiations/admin/wordings.py): while the editor types a
// quote's text (from a few words on, after a pause) or chooses its speaker, ask the server for
// the speaker's recorded quotes whose words closely match, show them with the word diff in a
// live region under the text, and offer to put the new quote in the same statement. Without
// this script the form saves as before.
"use strict";
(function () {
  const PAUSE_MS = 400;
  const MIN_WORDS = 4;

  function words(text) {
    return (text.match(/[\p{L}\p{N}]+/gu) || []).length;
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    children.forEach((child) => node.append(child));
    return node;
  }

  function diff(pieces) {
    // Words only in the new text are inserted (<ins>), words only in the recorded one deleted
    // (<del>); each says so in words too, for a screen reader.
    const quote = element("blockquote", { class: "close-wording-diff" });
    pieces.forEach((piece, index) => {
      if (index) quote.append(" ");
      if (piece.kind === "same") {
        quote.append(piece.text);
        return;
      }
      const tag = piece.kind === "added" ? "ins" : "del";
      const label = piece.kind === "added" ? "only in yours: " : "only in the recorded one: ";
      quote.append(element(tag, {}, element("span", { class: "visually-hidden" }, label), piece.text));
    });
    return quote;
  }

  function start(text) {
    const form = text.form;
    const speaker = form.querySelector("#id_speaker");
    const statement = form.querySelector("#id_statement");
    const groupWith = form.querySelector("#id_group_with");
    const url = text.dataset.closeWordings;
    const exclude = text.dataset.closeWordingsExclude;
    const jq = window.django && window.django.jQuery;
    if (!speaker || !statement || !groupWith || !url) return;

    const panel = element("div", {
      class: "close-wordings",
      id: "close-wordings",
      role: "status",
      "aria-live": "polite",
    });
    const found = element("div", {});
    const chosen = element("div", { class: "close-wordings-chosen" });
    panel.append(found, chosen);
    const row = text.closest(".form-row") || text.parentElement;
    row.after(panel);

    let timer = null;
    let asking = null;

    function setStatement(id, summary) {
      if (jq) {
        const select = jq(statement);
        if (id && !select.find(`option[value="${id}"]`).length) {
          select.append(new Option(summary, id, false, false));
        }
        select.val(id || null).trigger("change");
      } else {
        statement.value = id || "";
        statement.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }

    function showChosen(message, undoable = true) {
      chosen.replaceChildren();
      if (!message) return;
      if (!undoable) {
        // The statement field itself says it, and can be cleared there.
        chosen.append(element("p", {}, message));
        return;
      }
      const undo = element("button", { type: "button", class: "button" }, "Keep it apart");
      undo.addEventListener("click", () => {
        groupWith.value = "";
        showChosen("");
        found.querySelectorAll("button[aria-pressed]").forEach((b) => b.setAttribute("aria-pressed", "false"));
      });
      chosen.append(element("p", {}, message, " "), undo);
    }

    function choose(match, button) {
      if (match.statement) {
        groupWith.value = "";
        setStatement(String(match.statement.id), match.statement.summary);
        showChosen(`This quote will be saved in the statement “${match.statement.summary}”, with quote #${match.id}.`, false);
      } else {
        setStatement("", "");
        groupWith.value = String(match.id);
        let message = `This quote will be saved in a new statement with quote #${match.id}.`;
        if (match.published) {
          message += ` Quote #${match.id} is published: a reviewer will have to put it in that statement.`;
        }
        showChosen(message);
      }
      found.querySelectorAll("button[aria-pressed]").forEach((b) => b.setAttribute("aria-pressed", "false"));
      button.setAttribute("aria-pressed", "true");
    }

    function show(answer) {
      found.replaceChildren();
      answer.matches.forEach((match) => {
        const item = element("div", { class: "close-wording" });
        item.append(element("p", {}, `Close to a wording already recorded for ${answer.speaker.name}:`));
        item.append(diff(match.diff));
        const where = element("p", { class: "close-wording-where" }, "(");
        where.append(element("a", { href: match.url, target: "_blank", rel: "noopener" }, `quote #${match.id}`));
        where.append(match.published ? ", published; " : ", draft; ");
        if (match.statement) {
          where.append("statement ");
          where.append(element("a", { href: match.statement.url, target: "_blank", rel: "noopener" }, `“${match.statement.summary}”`));
        } else {
          where.append("no statement");
        }
        where.append(`; ${Math.round(match.likeness * 100)}% of the words line up)`);
        item.append(where);
        match.notes.forEach((note) => item.append(element("p", { class: "close-wording-note" }, note)));
        const pressed = !match.statement && groupWith.value === String(match.id);
        const button = element(
          "button",
          { type: "button", class: "button", "aria-pressed": pressed ? "true" : "false" },
          "Put in the same statement",
        );
        button.addEventListener("click", () => choose(match, button));
        item.append(button);
        found.append(item);
      });
    }

    function ask() {
      if (asking) asking.abort();
      asking = null;
      if (!speaker.value || words(text.value) < MIN_WORDS) {
        found.replaceChildren();
        return;
      }
      const params = new URLSearchParams({ speaker: speaker.value, text: text.value });
      if (exclude) params.set("exclude", exclude);
      const controller = new AbortController();
      asking = controller;
      fetch(`${url}?${params}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => response.json().then((answer) => ({ ok: response.ok, answer })))
        .then(({ ok, answer }) => {
          if (asking !== controller) return;
          asking = null;
          if (ok) {
            show(answer);
          } else {
            found.replaceChildren(element("p", { class: "close-wording-note" }, answer.error || "Close wordings could not be looked up."));
          }
        })
        .catch((error) => {
          if (error.name !== "AbortError" && asking === controller) {
            found.replaceChildren(element("p", { class: "close-wording-note" }, "Close wordings could not be looked up."));
          }
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(ask, PAUSE_MS);
    }

    text.addEventListener("input", later);
    const onSpeaker = () => {
      if (groupWith.value) {
        groupWith.value = "";
        showChosen("");
      }
      ask();
    };
    const onStatement = () => {
      if (statement.value && groupWith.value) {
        groupWith.value = "";
        showChosen("");
      }
    };
    if (jq) {
      jq(speaker).on("change", onSpeaker);
      jq(statement).on("change", onStatement);
    } else {
      speaker.addEventListener("change", onSpeaker);
      statement.addEventListener("change", onStatement);
    }
    if (groupWith.value) {
      // The form came back (an error elsewhere): the choice made before is kept.
      showChosen(`This quote will be saved in a new statement with quote #${groupWith.value}.`);
    }
    ask();
  }

  function ready() {
    document.querySelectorAll("textarea[data-close-wordings]").forEach(start);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
