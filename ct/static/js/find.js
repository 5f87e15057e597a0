// ct — find anything: the header search box and Ctrl/Cmd+K.
// The box (#find-input) is an ARIA combobox; its listbox (#find-results) is filled by htmx
// as the user types. The focus stays in the box: the arrows move aria-activedescendant
// through the options of every group, Enter opens the active option (or, with none, the
// full results page: the form's own submit), Esc closes the results, then leaves the box.
// Ctrl+K (Cmd+K on a Mac) focuses the box from anywhere, even from inside another field,
// but never over an open dialog (the exchange pop-up keeps its keys).
"use strict";

function findParts() {
  return {
    root: document.querySelector("[data-find]"),
    input: document.querySelector("[data-find-input]"),
    results: document.querySelector("[data-find-results]"),
    toggle: document.querySelector("[data-find-toggle]"),
  };
}

function findOptions(results) {
  return [...results.querySelectorAll("[role='option'][data-href]")];
}

function activeOption(input, results) {
  const id = input.getAttribute("aria-activedescendant");
  return id ? results.querySelector(`#${CSS.escape(id)}`) : null;
}

function setActive(input, results, option) {
  results.querySelectorAll("[role='option'][aria-selected='true']")
    .forEach((o) => o.setAttribute("aria-selected", "false"));
  if (option) {
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function showResults(open) {
  const { input, results } = findParts();
  const shown = open && results.children.length > 0;
  results.hidden = !shown;
  input.setAttribute("aria-expanded", shown ? "true" : "false");
  if (!shown) setActive(input, results, null);
}

// The magnifier button (phones) unfolds the box; folding it back leaves the button focused.
function unfold(open) {
  const { root, toggle } = findParts();
  if (!root) return;
  root.classList.toggle("find-open", open);
  if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
}

function focusFind() {
  const { input } = findParts();
  if (!input) return false;
  unfold(true);
  input.focus();
  input.select();
  if (input.value.trim().length >= 2 && findParts().results.children.length) showResults(true);
  return true;
}

document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
  if (event.key.toLowerCase() !== "k") return;
  if (document.querySelector("dialog[open]")) return; // the pop-up keeps its keys
  if (focusFind()) event.preventDefault(); // the browser's own Ctrl+K searches the web
}, true);

document.addEventListener("keydown", (event) => {
  const { input, results } = findParts();
  if (!input || event.target !== input || event.ctrlKey || event.metaKey || event.altKey) return;
  const options = findOptions(results);
  const current = activeOption(input, results);
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    if (!options.length) return;
    event.preventDefault();
    showResults(true);
    const index = options.indexOf(current);
    const step = event.key === "ArrowDown" ? 1 : -1;
    let next = index + step;
    if (index < 0) next = step > 0 ? 0 : options.length - 1;
    setActive(input, results, next < 0 || next >= options.length ? null : options[next]);
  } else if (event.key === "Enter" && current && !results.hidden) {
    event.preventDefault();
    window.location.assign(current.dataset.href);
  } else if (event.key === "Escape") {
    event.preventDefault(); // a search field would also clear itself
    if (!results.hidden) {
      showResults(false);
    } else {
      input.blur();
      const { toggle, root } = findParts();
      if (root.classList.contains("find-open") && toggle && toggle.checkVisibility()) {
        unfold(false);
        toggle.focus();
      }
    }
  }
});

document.addEventListener("click", (event) => {
  const { root, input, results } = findParts();
  if (!root) return;
  const option = event.target.closest("[data-find-results] [role='option'][data-href]");
  if (option) {
    window.location.assign(option.dataset.href);
    return;
  }
  if (event.target.closest("[data-find-close]")) {
    showResults(false);
    unfold(false);
    findParts().toggle.focus();
    return;
  }
  if (event.target.closest("[data-find-toggle]")) {
    const open = !root.classList.contains("find-open");
    unfold(open);
    if (open) input.focus();
    return;
  }
  if (!root.contains(event.target)) showResults(false); // a click elsewhere closes them
});

// Moving the mouse over an option makes it the active one, as the arrows would.
document.addEventListener("mousemove", (event) => {
  const option = event.target.closest && event.target.closest("[data-find-results] [role='option'][data-href]");
  if (!option || option.getAttribute("aria-selected") === "true") return;
  const { input, results } = findParts();
  setActive(input, results, option);
});

// The results change when htmx swaps an answer in (whichever element htmx names in its
// event): watch the listbox itself.
function watchResults() {
  const { input, results } = findParts();
  if (!results) return;
  new MutationObserver(() => {
    // A late answer for a box left meanwhile keeps the results shut.
    showResults(document.activeElement === input && input.value.trim().length >= 2);
  }).observe(results, { childList: true });
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchResults);
else watchResults();

document.addEventListener("focusin", (event) => {
  const { root, input, results } = findParts();
  if (!root) return;
  if (event.target === input && results.children.length && input.value.trim().length >= 2) {
    showResults(true);
  } else if (!root.contains(event.target)) {
    showResults(false);
  }
});
