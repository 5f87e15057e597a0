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
