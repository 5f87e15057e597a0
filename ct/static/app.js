// ct — the only script of the app besides htmx (strict CSP: no inline code).
"use strict";

// Busy state: the button that sent a request shows Pico's spinner (aria-busy) until the
// answer is in, so a slow network never invites a second click. Plain forms keep it until
// the next page; htmx requests (a form's submit, or a button or link of its own) clear it
// when htmx says the request is over, whatever the outcome.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && !event.defaultPrevented) button.setAttribute("aria-busy", "true");
});
// Back to a page kept in the browser's cache: its buttons are not busy any more.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) document.querySelectorAll("[aria-busy='true']").forEach((el) => el.removeAttribute("aria-busy"));
});

function busyElementOf(ctx) {
  const source = ctx && ctx.sourceElement;
  if (!source || !source.matches) return null;
  if (source.matches("form")) {
    // Only a real submit: a filter form also sends itself while the user types.
    const submitEvent = ctx.sourceEvent && ctx.sourceEvent.type === "submit" ? ctx.sourceEvent : null;
    return submitEvent ? submitEvent.submitter || source.querySelector("[type='submit']") : null;
  }
  return source.matches("button, [role='button'], a.new-exchange") ? source : null;
}

document.addEventListener("htmx:before:request", (event) => {
  const ctx = event.detail && event.detail.ctx;
  const busy = busyElementOf(ctx);
  if (busy) {
    busy.setAttribute("aria-busy", "true");
    ctx.ctBusy = busy;
  }
});
document.addEventListener("htmx:finally:request", (event) => {
  const ctx = event.detail && event.detail.ctx;
  if (ctx && ctx.ctBusy) ctx.ctBusy.removeAttribute("aria-busy");
});

// Actions that destroy or cut off something say what they will do and wait for a yes:
// plain forms carry data-confirm (htmx requests use hx-confirm, which asks the same way).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset && form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// A form swapped back with errors (htmx) replaces the element that had the focus, which
// drops keyboard and screen-reader users at the top of the page. Put them on the first
// invalid field instead, so the error is announced and can be corrected at once — but
// never take the focus away from where the user already is.
document.addEventListener("htmx:after:swap", (event) => {
  const root = event.target;
  const focused = document.activeElement;
  if (!root || !root.querySelector || (focused && focused !== document.body)) return;
  const invalid = root.matches("[aria-invalid='true']")
    ? root
    : root.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});

// --- The exchange pop-up ----------------------------------------------------------------
// The form arrives by htmx into #dialog-slot as a <dialog>; it opens as a real modal (the
// focus moves in, the page behind is inert, Escape closes it) and on closing the focus goes
// back to what opened it.
let dialogOpener = null;

function rememberOpener(element) {
  dialogOpener = element && element !== document.body ? element : null;
}

function openSwappedDialog() {
  const dialog = document.querySelector("#dialog-slot dialog[data-modal]:not([open])");
  if (!dialog) return;
  dialog.addEventListener("close", () => {
    dialog.remove();
    const back = focusAfterClosing(dialog);
    if (back) back.focus();
    dialogOpener = null;
  }, { once: true });
  dialog.showModal();
}

// Where the focus goes back when a dialog closes: the place it names (the control that
// opened it was replaced meanwhile, as a status button is once the status is saved), else
// its opener, or what replaced the opener when the page around it was refreshed.
function focusAfterClosing(dialog) {
  const named = dialog.dataset.returnFocus && document.querySelector(dialog.dataset.returnFocus);
  if (named) return named;
  if (!dialogOpener) return null;
  if (dialogOpener.isConnected) return dialogOpener;
  return dialogOpener.id ? document.getElementById(dialogOpener.id) : null;
}

// A dialog that holds the offer to plan the next contact stays open when the exchange is
// saved (the offer comes with that answer); the offer's own answer closes it.
function closeDialog(event) {
  const dialog = document.querySelector("#dialog-slot dialog[open]");
  if (!dialog) return;
  if (event && event.type === "exchange-saved" && dialog.querySelector("form[data-plan-next]")) return;
  dialog.close();
}

// Closing the pop-up unsaved (Cancel, Escape, the close button) after creating a tiers
// or contact in it: say which, and offer to remove them, keep them, or go back.
function createdInline(dialog) {
  return [...dialog.querySelectorAll("#created-inline input")];
}

function askBeforeClosing(dialog) {
  const created = createdInline(dialog);
  const panel = dialog.querySelector("#inline-undo");
  if (!created.length || !panel) {
    dialog.close();
    return;
  }
  const list = panel.querySelector("[data-inline-undo-list]");
  list.replaceChildren(...created.map((input) => {
    const item = document.createElement("li");
    item.textContent = `${input.dataset.label} (${input.dataset.kind})`;
    return item;
  }));
  dialog.querySelector("#exchange-form").hidden = true;
  panel.hidden = false;
  panel.querySelector("[data-inline-remove]").focus();
}

function backToTheExchange(dialog) {
  dialog.querySelector("#inline-undo").hidden = true;
  dialog.querySelector("#exchange-form").hidden = false;
  const comment = dialog.querySelector("#comment");
  if (comment) comment.focus();
}

// Escape steps back one thing at a time, wherever the focus is: the question, else open
// suggestions, else an open sub-form (new tiers, new contact), else the pop-up itself.
// It never clears a value already chosen.
function escapeInDialog(dialog) {
  const panel = dialog.querySelector("#inline-undo");
  const suggesting = [...dialog.querySelectorAll("[data-picker]")]
    .find((picker) => pickerParts(picker).results.childElementCount);
  const subform = dialog.querySelector("#exchange-form [data-subform]");
  if (panel && !panel.hidden) backToTheExchange(dialog);
  else if (suggesting) closeResults(suggesting);
  else if (subform) closeSubform(subform);
  else askBeforeClosing(dialog);
}

// Any other close request of the browser (Escape with the focus on the dialog itself, a
// phone's back gesture): asked first like the buttons.
document.addEventListener("cancel", (event) => {
  const dialog = event.target;
  if (!dialog.matches || !dialog.matches("#dialog-slot dialog")) return;
  event.preventDefault();
  escapeInDialog(dialog);
}, true);

document.addEventListener("click", (event) => {
  const dialog = event.target.closest && event.target.closest("#dialog-slot dialog[open]");
  if (!dialog) return;
  if (event.target.closest("[data-inline-keep]")) dialog.close();
  else if (event.target.closest("[data-inline-back]")) backToTheExchange(dialog);
});
document.addEventListener("inline-undone", closeDialog);

document.addEventListener("htmx:after:swap", openSwappedDialog);

// A modal keeps the focus: Tab from its last control goes back to the first one and
// Shift+Tab from the first to the last (the browser would otherwise leave the page).
const FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type='hidden']), "
  + "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

function focusablesIn(dialog) {
  return [...dialog.querySelectorAll(FOCUSABLE)]
    .filter((el) => el.tabIndex >= 0 && el.checkVisibility());
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "Tab" || event.defaultPrevented) return;
  const dialog = document.querySelector("dialog[open]:modal");
  if (!dialog) return;
  const items = focusablesIn(dialog);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  let next = null;
  if (!dialog.contains(active)) next = event.shiftKey ? last : first;
  else if (event.shiftKey && active === first) next = last;
  else if (!event.shiftKey && active === last) next = first;
  if (next) {
    event.preventDefault();
    next.focus();
  }
});

// An error answered to htmx (403, 404, 500…) goes to the page's #flashes, which an open
// modal hides: repeat it inside the dialog.
function mirrorFlashesIntoDialog() {
  const flashes = document.getElementById("flashes");
  const dialog = document.querySelector("#dialog-slot dialog[open]");
  const status = dialog && dialog.querySelector("[data-dialog-status]");
  if (flashes && status) status.replaceChildren(...flashes.cloneNode(true).childNodes);
}
document.addEventListener("DOMContentLoaded", () => {
  const flashes = document.getElementById("flashes");
  if (flashes) new MutationObserver(mirrorFlashesIntoDialog).observe(flashes, { childList: true });
});
// Ctrl+Enter (Cmd+Enter on a Mac) saves the exchange from any of its fields, a sub-form's
// included: the sub-form is not sent, the exchange is (as its Save button would).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
  const form = event.target.closest && event.target.closest("#exchange-form");
  if (!form) return;
  event.preventDefault();
  form.requestSubmit(form.querySelector("footer button[type='submit']"));
});

// Saved: the dialog closes; the confirmation was swapped into #toast by the same answer.
document.addEventListener("exchange-saved", closeDialog);
document.addEventListener("plan-next-done", closeDialog);

// The offer to plan the next contact, swapped into a dialog already open (the pop-up, once
// saved): the focus goes to its first field, as a dialog opened for it does by itself.
document.addEventListener("htmx:after:swap", () => {
  const field = document.querySelector("dialog[open] form[data-plan-next] [autofocus]");
  const dialog = field && field.closest("dialog");
  if (field && !dialog.contains(document.activeElement)) field.focus();
});

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[hx-target='#dialog-slot']");
  if (opener) rememberOpener(opener);
}, true);

// --- Pickers: search as you type, then choose with a click or the keyboard ---------------
// A picker ([data-picker]) holds a search input and a results region filled by htmx with a
// listbox of [role=option][data-id][data-label]. Single pickers set a hidden input and fire
// its "change" (htmx then fetches what depends on it); multiple pickers add a checked box.
function pickerParts(picker) {
  return {
    search: picker.querySelector("[data-picker-search]"),
    results: picker.querySelector("[data-picker-results]"),
    value: picker.querySelector("[data-picker-value]"),
  };
}

function pickerOptions(picker) {
  return [...picker.querySelectorAll("[data-picker-results] [role='option']:is([data-id], [data-picker-new-option])")];
}

// The tiers suggestions end with "New third party «what was typed»": the keyboard way to
// the inline form, which keeps the "+" button beside the search out of the Tab order.
function addNewOption(picker) {
  const template = picker.querySelector("template[data-picker-new]");
  const list = picker.querySelector("[data-picker-results] [role='listbox']");
  const typed = pickerParts(picker).search.value.trim();
  if (!template || !list || !typed || list.querySelector("[data-picker-new-option]")) return;
  const option = template.content.firstElementChild.cloneNode(true);
  option.id = `${list.id}-new`;
  option.querySelector("[data-picker-typed]").textContent = typed;
  list.append(option);
}

function closeResults(picker) {
  const { search, results } = pickerParts(picker);
  results.replaceChildren();
  search.setAttribute("aria-expanded", "false");
}

function choose(picker, option) {
  const { search, value } = pickerParts(picker);
  if (option.matches("[data-picker-new-option]")) {
    closeResults(picker);
    picker.querySelector(".new-record").click(); // its form takes the typed name along
    return;
  }
  const name = picker.dataset.pickerMultiple;
  if (name) {
    const list = document.querySelector(picker.dataset.pickerList);
    let box = [...list.querySelectorAll("input[type='checkbox']")].find((b) => b.value === option.dataset.id);
    if (!box) {
      const label = document.createElement("label");
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.dataset.rovingItem = "";
      box.tabIndex = -1;
      box.value = option.dataset.id;
      label.append(box, " " + option.dataset.label);
      list.append(label);
    }
    box.checked = true;
    search.value = "";
  } else {
    value.value = option.dataset.id;
    search.value = option.dataset.label;
    search.dataset.chosen = option.dataset.label;
    value.dispatchEvent(new Event("change", { bubbles: true }));
  }
  closeResults(picker);
  search.focus();
}

document.addEventListener("click", (event) => {
  const option = event.target.closest("[data-picker] [role='option']:is([data-id], [data-picker-new-option])");
  if (option) choose(option.closest("[data-picker]"), option);
});

document.addEventListener("htmx:after:swap", () => {
  document.querySelectorAll("[data-picker]").forEach((picker) => {
    const { search } = pickerParts(picker);
    addNewOption(picker);
    if (search) search.setAttribute("aria-expanded", pickerOptions(picker).length ? "true" : "false");
  });
});

document.addEventListener("keydown", (event) => {
  const picker = event.target.closest && event.target.closest("[data-picker]");
  if (!picker || event.ctrlKey || event.metaKey) return; // Ctrl+Enter saves the exchange
  const options = pickerOptions(picker);
  const { search } = pickerParts(picker);
  const index = options.indexOf(event.target);
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!options.length) return;
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = index < 0 ? (step > 0 ? 0 : options.length - 1) : index + step;
    if (next < 0) search.focus();
    else options[Math.min(next, options.length - 1)].focus();
  } else if (event.key === "Enter" || (event.key === " " && index >= 0)) {
    // Enter never sends the exchange form from a picker: it chooses.
    event.preventDefault();
    const option = index >= 0 ? options[index] : options[0];
    if (option) choose(picker, option);
  } else if (event.key === "Escape" && !event.target.closest("[data-subform]")) {
    // Escape never clears the chosen value (what a search box does by itself): it closes
    // the results when they are open, else the dialog around the picker.
    event.preventDefault();
    if (options.length) {
      closeResults(picker);
      search.focus();
    } else {
      const dialog = picker.closest("dialog[open]");
      if (dialog) escapeInDialog(dialog);
    }
  }
});

// Typing another name after choosing a tiers forgets the choice (and its contacts).
document.addEventListener("input", (event) => {
  const search = event.target;
  if (!search.matches("[data-picker-search]")) return;
  const { value } = pickerParts(search.closest("[data-picker]"));
  if (value && value.value && search.value !== search.dataset.chosen) {
    value.value = "";
    value.dispatchEvent(new Event("change", { bubbles: true }));
  }
});

// --- Checkbox lists filtered as you type (accents and case ignored) ---------------------
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches("[data-filter-list]")) return;
  const list = document.querySelector(input.dataset.filterList);
  const query = fold(input.value.trim());
  list.querySelectorAll("[data-filter-text]").forEach((item) => {
    const checked = item.querySelector("input:checked");
    item.hidden = Boolean(query) && !checked && !fold(item.dataset.filterText).includes(query);
  });
  const group = list.closest("[data-roving]");
  if (group) keepATabStop(group);
});

// --- One Tab stop for a group of checkboxes (the contacts) and its last action ---------
// Only one item of a [data-roving] group is in the Tab order; the arrow keys move the
// focus (and that stop) through its visible [data-roving-item]s, Space ticks as usual.
function rovingItems(group) {
  return [...group.querySelectorAll("[data-roving-item]")].filter((el) => el.checkVisibility());
}

function makeStop(group, item) {
  group.querySelectorAll("[data-roving-item]").forEach((el) => { el.tabIndex = el === item ? 0 : -1; });
}

function keepATabStop(group) {
  const items = rovingItems(group);
  if (items.length && !items.some((el) => el.tabIndex === 0)) makeStop(group, items[0]);
}

const ROVING_STEPS = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

document.addEventListener("keydown", (event) => {
  const item = event.target.closest && event.target.closest("[data-roving-item]");
  const group = item && item.closest("[data-roving]");
  if (!group || event.ctrlKey || event.metaKey || event.altKey) return;
  const items = rovingItems(group);
  const index = items.indexOf(item);
  let next = null;
  if (event.key in ROVING_STEPS) next = items[(index + ROVING_STEPS[event.key] + items.length) % items.length];
  else if (event.key === "Home") next = items[0];
  else if (event.key === "End") next = items[items.length - 1];
  if (!next) return;
  event.preventDefault();
  makeStop(group, next);
  next.focus();
});

document.addEventListener("focusin", (event) => {
  const item = event.target.closest && event.target.closest("[data-roving-item]");
  const group = item && item.closest("[data-roving]");
  if (group) makeStop(group, item);
});

// --- Sub-forms nested in a form (new tiers, new contact) ---------------------------------
// Enter sends the sub-form, not the exchange; Escape or Cancel closes only the sub-form.
function closeSubform(subform) {
  const slot = subform.parentElement;
  const field = slot && slot.parentElement;
  subform.remove();
  // Back where the sub-form was asked for: the tiers search, or "+ New contact".
  const back = field && (field.querySelector("[data-picker-search]") || field.querySelector(".new-record"));
  if (back) back.focus();
}

document.addEventListener("keydown", (event) => {
  const subform = event.target.closest && event.target.closest("[data-subform]");
  if (!subform || event.ctrlKey || event.metaKey) return; // Ctrl+Enter saves the exchange
  if (event.key === "Enter" && event.target.matches("input:not([type='checkbox'])")) {
    event.preventDefault();
    const submit = subform.querySelector("[data-subform-submit]");
    if (submit) submit.click();
  } else if (event.key === "Escape") {
    event.preventDefault();
    closeSubform(subform);
  }
});

document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-subform-cancel]");
  if (cancel) closeSubform(cancel.closest("[data-subform]"));
  const closer = event.target.closest("[data-close-dialog]");
  const dialog = closer && closer.closest("dialog[open]");
  if (dialog && dialog.matches("#dialog-slot dialog")) askBeforeClosing(dialog);
  else if (dialog) dialog.close();
});

// Enter in a list filter or in the search box of a select narrows the list; it does not
// send the form around it.
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches
      && event.target.matches("[data-filter-list], [data-options-search]")) {
    event.preventDefault();
  }
});

// "Select all on this page" in a list with mass actions: ticks or clears every row's
// checkbox of the same form.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("input[type='checkbox'][data-select-all]") || !box.form) return;
  box.form.querySelectorAll("input[type='checkbox'][name='ids']").forEach((row) => {
    row.checked = box.checked;
  });
});

// Escape in the pop-up, after the pickers and sub-forms had their say (they close their
// own results or sub-form first): go back from the question, or ask before closing.
// Handled on keydown: Chromium lets a page refuse a dialog's "cancel" only once in a row.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const dialog = event.target.closest && event.target.closest("#dialog-slot dialog[open]");
  if (!dialog) return;
  event.preventDefault();
  escapeInDialog(dialog);
});

// --- Folded sections of the exchange form ----------------------------------------------
// Each summary line says what its section holds (ct/blueprints/exchanges/sections.py
// writes it first, with the same rules); it follows the fields as they change. Opening a
// follow-up (task, event) turns its switch on and goes to its first field; closing it
// with nothing typed turns it off again, so an opened-by-mistake section blocks nothing.
const SUMMARY_TEXT_MAX = 40;

function cut(text) {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length <= SUMMARY_TEXT_MAX ? line : `${line.slice(0, SUMMARY_TEXT_MAX - 1)}…`;
}

function momentText(section, value) {
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return "";
  const lang = document.documentElement.lang || undefined;
  const time = moment.toLocaleTimeString(lang, { timeStyle: "short" });
  if (moment.toDateString() === new Date().toDateString() && section.dataset.today) {
    return section.dataset.today.replace("{time}", time);
  }
  return moment.toLocaleString(lang, { dateStyle: "short", timeStyle: "short" });
}

function fieldTexts(section, name) {
  const fields = [...section.querySelectorAll(`[name="${CSS.escape(name)}"]`)];
  const texts = [];
  for (const field of fields) {
    if (field.disabled) continue;
    if (field.type === "checkbox") {
      const label = field.closest("label");
      if (field.checked && name.endsWith("_ids") && label) texts.push(label.textContent.trim());
    } else if (field.tagName === "SELECT") {
      const option = field.selectedOptions[0];
      if (!field.value || !option) continue;
      const me = section.dataset.me;
      texts.push(me && field.value === me ? section.dataset.meText : option.textContent.trim());
    } else if (field.type === "datetime-local") {
      if (field.value) texts.push(momentText(section, field.value));
    } else if (field.value.trim()) {
      texts.push(cut(field.value));
    }
  }
  return texts;
}

function summarize(section) {
  const { dataset } = section;
  const switchBox = dataset.switch && document.getElementById(dataset.switch);
  let text = dataset.empty;
  if (!switchBox || switchBox.checked) {
    const parts = [];
    for (const name of dataset.section.split(" ")) {
      const box = section.querySelector(`input[type="checkbox"][name="${CSS.escape(name)}"]:not([name$="_ids"])`);
      if (box) {
        if (box.checked && parts.length && dataset.checkedText) parts.push(dataset.checkedText);
      } else {
        parts.push(...fieldTexts(section, name));
      }
    }
    text = parts.filter(Boolean).join(", ") || (switchBox ? dataset.unfilled : dataset.empty);
  }
  const value = section.querySelector("[data-section-value]");
  if (value && value.textContent !== text) value.textContent = text;
}

function summarizeAround(target) {
  const section = target.closest && target.closest("details[data-section]");
  if (section) summarize(section);
}
document.addEventListener("input", (event) => summarizeAround(event.target));
document.addEventListener("change", (event) => summarizeAround(event.target));
document.addEventListener("htmx:after:swap", () => {
  document.querySelectorAll("#exchange-form details[data-section]").forEach(summarize);
});

document.addEventListener("toggle", (event) => {
  const section = event.target;
  if (!section.matches || !section.matches("details[data-switch]")) return;
  const switchBox = document.getElementById(section.dataset.switch);
  if (!switchBox) return;
  const first = section.querySelector(".follow-up-fields input:not([type='hidden'])");
  if (section.open && !switchBox.checked) {
    switchBox.checked = true;
    if (first && section.contains(document.activeElement)) first.focus();
  } else if (!section.open && switchBox.checked && first && !first.value.trim()) {
    switchBox.checked = false;
  }
  summarize(section);
}, true);

// "Filters (n)": the filters answer by swapping the results only, so the count in the
// panel's button is recounted here, by the server's rule: a filled field that is not
// the list's default.
function countFilters(panel) {
  const form = panel.closest("form");
  if (!form) return;
  const defaults = JSON.parse(panel.dataset.filterDefaults || "{}");
  const data = new FormData(form);
  const active = panel.dataset.filterNames.split(" ").filter((name) => {
    const value = data.get(name);
    return value && value !== (defaults[name] || "");
  }).length;
  panel.dataset.active = active;
  panel.querySelector(".filters-count").textContent = active ? ` (${active})` : "";
}
["input", "change"].forEach((type) => document.addEventListener(type, (event) => {
  const panel = event.target.closest && event.target.closest("details.filters-panel[data-filter-names]");
  if (panel) countFilters(panel);
}));

// A list's status menu saves as soon as it changes. Arrows on the closed menu would change
// it (and save) at each press in Chromium on Linux and Windows: there they do nothing;
// Space, Enter or Alt+↓ open its list, where arrows move and Enter saves one status.
document.addEventListener("keydown", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.classList.contains("inline-status")) return;
  if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !event.altKey) {
    event.preventDefault();
  }
});
