// ct — keyboard shortcuts. The list a user sees is the help dialog (#shortcuts-help, opened
// with "?"), rendered by the server in the user's language; the "g" shortcuts read their
// addresses from its links, so the help and the behaviour cannot drift apart.
//   n      new exchange          /      search this page's list     ?   this help
//   g h    home   g t  third parties   g c  contacts   g e  exchanges   g a  agenda
// Never while typing in a field, never with Ctrl, Alt or Meta, never over an open dialog.
"use strict";

const GO_PREFIX_MS = 1500; // how long "g" waits for its second key
let goPending = 0;
let openingByShortcut = false;

function typingIn(target) {
  return Boolean(target && (target.isContentEditable
    || (target.closest && target.closest("input, textarea, select, [contenteditable]"))));
}

// "n": the page's own "New exchange" button (it knows what the page is about), or the plain
// form. Asked directly, not by a click: it works even before htmx has wired the buttons.
function openNewExchange() {
  const button = document.querySelector("[data-new-exchange]");
  const slot = document.getElementById("dialog-slot");
  const url = button ? button.getAttribute("hx-get") : slot && slot.dataset.newUrl;
  if (!url || typeof htmx === "undefined") return false;
  if (openingByShortcut) return true; // a second "n" while the first one is on its way
  openingByShortcut = true;
  rememberOpener(document.activeElement);
  htmx.ajax("GET", url, { target: "#dialog-slot", swap: "innerHTML" })
    .finally(() => { openingByShortcut = false; });
  return true;
}

// "/": the search field of the page's list (the first visible one in the page's content).
function focusSearch() {
  const search = [...document.querySelectorAll("main [data-shortcut-search], main input[type='search']")]
    .find((input) => input.checkVisibility());
  if (!search) return false;
  search.focus();
  search.select();
  return true;
}

function openHelp() {
  const help = document.getElementById("shortcuts-help");
  if (!help || help.open) return false;
  const opener = document.activeElement;
  help.addEventListener("close", () => {
    if (opener && opener !== document.body && opener.isConnected) opener.focus();
  }, { once: true });
  help.showModal();
  return true;
}

function goTo(key) {
  const link = document.querySelector(`#shortcuts-help a[data-go-key="${CSS.escape(key)}"]`);
  if (!link) return false;
  window.location.assign(link.href);
  return true;
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typingIn(event.target) || document.querySelector("dialog[open]")) return;
  const key = event.key;
  let done = false;
  if (goPending && Date.now() - goPending < GO_PREFIX_MS && key.length === 1) {
    goPending = 0;
    done = goTo(key.toLowerCase());
  } else if (key === "g") {
    goPending = Date.now();
    done = true;
  } else if (key === "n") {
    done = openNewExchange();
  } else if (key === "/") {
    done = focusSearch();
  } else if (key === "?") {
    done = openHelp();
  }
  if (done) event.preventDefault();
});

// The footer's "Keyboard shortcuts" button opens the same help.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-shortcuts-help]")) openHelp();
});
