// ct — the only script of the app besides htmx (strict CSP: no inline code).
"use strict";

// Busy state: a submit button shows Pico's spinner while its form is being sent,
// so a slow network never invites a second click.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && !event.defaultPrevented) button.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:finally:request", (event) => {
  const source = event.target;
  if (source && source.querySelectorAll) {
    source.querySelectorAll("[aria-busy='true']").forEach((el) => el.removeAttribute("aria-busy"));
  }
});
