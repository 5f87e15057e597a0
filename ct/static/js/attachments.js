// ct — the exchange form's files ([data-attachments]): chosen with the picker, or dropped
// anywhere on the form (in the pop-up: anywhere on it). The chosen files are listed under
// the picker with their size, a file too large (or one too many) is said at once, and
// each can be taken back before the save. The server checks everything again
// (ct/attachments/files.py).
"use strict";

// What was chosen so far, by input: a browser's picker replaces the selection each time
// it is used, but "Add files" adds (as a drop does).
const chosenBefore = new WeakMap();

function attachmentsOf(element) {
  const field = element.closest("[data-attachments]");
  return field && {
    field,
    input: field.querySelector("input[type='file']"),
    list: field.querySelector("[data-chosen-files]"),
    status: field.querySelector("[data-files-status]"),
  };
}

function sizeText(field, bytes) {
  const lang = document.documentElement.lang || undefined;
  if (bytes < 1024 * 1024) {
    const kb = new Intl.NumberFormat(lang).format(Math.max(1, Math.round(bytes / 1024)));
    return field.dataset.kbText.replace("{n}", kb);
  }
  const mb = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024));
  return field.dataset.mbText.replace("{n}", mb);
}

function sameFile(a, b) {
  return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified;
}

function setFiles(input, files) {
  const transfer = new DataTransfer();
  const unique = files.filter((file, i) => files.findIndex((other) => sameFile(file, other)) === i);
  unique.forEach((file) => transfer.items.add(file));
  input.files = transfer.files;
  chosenBefore.set(input, [...input.files]);
}

function element(tag, className, text) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

function listChosen(parts) {
  const { field, input, list, status } = parts;
  const files = [...input.files];
  list.replaceChildren(...files.map((file, index) => {
    const item = element("li");
    item.append(element("span", "file-name", file.name),
      element("small", "muted file-size", sizeText(field, file.size)));
    if (file.size > Number(field.dataset.maxBytes)) {
      item.classList.add("refused");
      item.append(element("small", "file-problem", field.dataset.tooLarge));
    }
    const remove = element("button", "secondary outline unchoose", "×");
    remove.type = "button";
    remove.dataset.index = String(index);
    remove.title = field.dataset.removeText.replace("{name}", file.name);
    remove.setAttribute("aria-label", remove.title);
    item.append(remove);
    return item;
  }));
  if (files.length > Number(field.dataset.maxFiles)) {
    list.append(element("li", "file-problem", field.dataset.tooMany));
  }
  status.textContent = files.length ? field.dataset.countText.replace("{count}", files.length) : "";
}

document.addEventListener("change", (event) => {
  const input = event.target;
  if (!input.matches("[data-attachments] input[type='file']")) return;
  setFiles(input, [...(chosenBefore.get(input) || []), ...input.files]);
  listChosen(attachmentsOf(input));
});

// Taken back: the focus goes to the × now in its place (or the one before it, or the
// picker), so a keyboard user can take back several in a row.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-chosen-files] button.unchoose");
  if (!button) return;
  const parts = attachmentsOf(button);
  const index = Number(button.dataset.index);
  setFiles(parts.input, [...parts.input.files].filter((_file, i) => i !== index));
  listChosen(parts);
  const buttons = parts.list.querySelectorAll("button.unchoose");
  (buttons[index] || buttons[index - 1] || parts.input).focus();
});

// Files dragged over a form that takes them, or over the pop-up that holds one: dropped
// anywhere there, they join the chosen files (and a drop beside the form never makes the
// browser leave the page to open the file).
function dropTarget(event) {
  const carriesFiles = event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  const root = carriesFiles && event.target.closest
    && (event.target.closest("dialog") || event.target.closest("form"));
  const zone = root && root.querySelector("[data-drop-zone]");
  return zone && { root, zone, form: zone.closest("form") };
}

document.addEventListener("dragover", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
  target.form.classList.add("dragging");
});

document.addEventListener("dragleave", (event) => {
  const target = dropTarget(event);
  if (target && !target.root.contains(event.relatedTarget)) target.form.classList.remove("dragging");
});

document.addEventListener("drop", (event) => {
  const target = dropTarget(event);
  if (!target) return;
  event.preventDefault();
  target.form.classList.remove("dragging");
  const parts = attachmentsOf(target.zone);
  setFiles(parts.input, [...parts.input.files, ...event.dataTransfer.files]);
  listChosen(parts);
});

// The form back with errors keeps its picker as it was (hx-preserve), attributes
// included: say on the input whether the server refused a file, before app.js looks for
// the first invalid field to focus (hence the capture phase).
document.addEventListener("htmx:after:swap", () => {
  document.querySelectorAll("[data-attachments]").forEach((field) => {
    const input = field.querySelector("input[type='file']");
    const refused = field.querySelector(`#${input.id}-error`);
    const help = field.querySelector(".drop-help");
    input.setAttribute("aria-describedby", [help && help.id, refused && refused.id].filter(Boolean).join(" "));
    if (refused) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
}, true);
