// ct — @mentions in the exchange's comments.
// Typing "@" and a few letters in a comment ([data-mention-field] textarea) lists the
// company's active members who match (the server's suggestions, ct/blueprints/exchanges/
// mention_routes.py) in a listbox under the field. The focus stays in the text: the arrows
// move aria-activedescendant, Enter or Tab inserts "@Their Name " and adds their id to the
// form's hidden mention_ids ([data-mention-ids]), Escape closes the list (and only the
// list: the pop-up stays open). The text keeps the readable name; the server keeps a
// mention only while both the id and "@name" are there (ct/exchanges/mentions.py).
"use strict";

const MENTION_TYPED_MAX = 40;
const MENTION_DELAY_MS = 120;

function mentionParts(textarea) {
  const field = textarea.closest("[data-mention-field]");
  return {
    field,
    list: field.querySelector("[data-mention-list]"),
    status: field.querySelector("[data-mention-status]"),
  };
}

// The "@typed" just before the caret, if the caret is in one: an "@" at the start or
// after a space, then up to two more words, no line break.
function mentionAt(textarea) {
  const caret = textarea.selectionStart;
  if (caret !== textarea.selectionEnd) return null;
  const before = textarea.value.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at < 0 || (at > 0 && !/[\s(]/.test(before[at - 1]))) return null;
  const typed = before.slice(at + 1);
  if (typed.length > MENTION_TYPED_MAX || /[\n@]/.test(typed) || typed.startsWith(" ")
      || (typed.match(/ /g) || []).length > 2) return null;
  return { start: at, end: caret, typed };
}

function mentionOptions(list) {
  return [...list.querySelectorAll("[role='option'][data-id]")];
}

function setMentionActive(textarea, list, option) {
  mentionOptions(list).forEach((o) => o.setAttribute("aria-selected", o === option ? "true" : "false"));
  if (option) {
    textarea.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  } else {
    textarea.removeAttribute("aria-activedescendant");
  }
}

function closeMentions(textarea) {
  const { list, status } = mentionParts(textarea);
  list.hidden = true;
  list.replaceChildren();
  textarea.removeAttribute("aria-activedescendant");
  if (status) status.textContent = "";
}

function mentionsOpen(textarea) {
  const { list } = mentionParts(textarea);
  return !list.hidden;
}

async function suggestMentions(textarea, found) {
  const { field, list, status } = mentionParts(textarea);
  const url = `${field.dataset.suggest}?q=${encodeURIComponent(found.typed)}`;
  if (textarea.mentionRequest) textarea.mentionRequest.abort();
  const request = new AbortController();
  textarea.mentionRequest = request;
  let html;
  try {
    const answer = await fetch(url, { signal: request.signal, credentials: "same-origin" });
    if (!answer.ok) return;
    html = await answer.text();
  } catch {
    return; // aborted by a newer keystroke, or offline: nothing to show
  }
  const now = mentionAt(textarea);
  if (document.activeElement !== textarea || !now || now.start !== found.start) return;
  list.innerHTML = html; // the server's own template: names are escaped there
  const options = mentionOptions(list);
  // Past a space (a full name, then the sentence goes on) an empty list just goes away.
  if (!options.length && found.typed.includes(" ")) {
    closeMentions(textarea);
    return;
  }
  list.hidden = false;
  setMentionActive(textarea, list, options[0] || null);
  if (status) status.textContent = options.length ? list.dataset.countText.replace("{count}", options.length) : "";
}

function pickMention(textarea, option) {
  const found = mentionAt(textarea);
  if (!found) return;
  const name = option.dataset.label;
  const inserted = `@${name} `;
  const value = textarea.value;
  textarea.value = value.slice(0, found.start) + inserted + value.slice(found.end).replace(/^ /, "");
  const caret = found.start + inserted.length;
  textarea.setSelectionRange(caret, caret);
  textarea.mentionDone = found.start;
  const ids = textarea.form.querySelector("[data-mention-ids]");
  if (ids && !ids.querySelector(`input[value="${CSS.escape(option.dataset.id)}"]`)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "mention_ids";
    input.value = option.dataset.id;
    ids.append(input);
  }
  closeMentions(textarea);
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

document.addEventListener("input", (event) => {
  const textarea = event.target;
  if (!textarea.matches || !textarea.matches("[data-mention-field] textarea")) return;
  const found = mentionAt(textarea);
  if (!found || found.start === textarea.mentionDone) {
    if (!found) textarea.mentionDone = undefined;
    if (mentionsOpen(textarea)) closeMentions(textarea);
    return;
  }
  clearTimeout(textarea.mentionTimer);
  textarea.mentionTimer = setTimeout(() => suggestMentions(textarea, found), MENTION_DELAY_MS);
});

// Capture: before the pop-up's own keys (Escape closes it, Tab cycles in it).
document.addEventListener("keydown", (event) => {
  const textarea = event.target;
  if (!textarea.matches || !textarea.matches("[data-mention-field] textarea")) return;
  if (!mentionsOpen(textarea) || event.ctrlKey || event.metaKey || event.altKey) return;
  const { list } = mentionParts(textarea);
  const options = mentionOptions(list);
  const current = options.find((o) => o.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!options.length) return;
    const index = options.indexOf(current);
    const step = event.key === "ArrowDown" ? 1 : -1;
    setMentionActive(textarea, list, options[(index + step + options.length) % options.length]);
  } else if ((event.key === "Enter" || event.key === "Tab") && current && !event.shiftKey) {
    event.preventDefault();
    pickMention(textarea, current);
  } else if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation();
    const found = mentionAt(textarea);
    if (found) textarea.mentionDone = found.start; // not again for this "@"
    closeMentions(textarea);
  }
}, true);

// A click (or tap) on a name picks it; mousedown keeps the focus in the text.
document.addEventListener("mousedown", (event) => {
  const option = event.target.closest && event.target.closest("[data-mention-list] [role='option'][data-id]");
  if (!option) return;
  event.preventDefault();
  const textarea = option.closest("[data-mention-field]").querySelector("textarea");
  pickMention(textarea, option);
});

document.addEventListener("focusout", (event) => {
  const textarea = event.target;
  if (textarea.matches && textarea.matches("[data-mention-field] textarea") && mentionsOpen(textarea)) {
    closeMentions(textarea);
  }
});

// The text announces its suggestions to assistive technologies.
document.addEventListener("focusin", (event) => {
  const textarea = event.target;
  if (!textarea.matches || !textarea.matches("[data-mention-field] textarea")) return;
  const { list } = mentionParts(textarea);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", list.id);
});
