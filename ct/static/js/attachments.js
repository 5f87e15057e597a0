// ct — the exchange form's files ([data-attachments]): chosen with the picker, or dropped
// anywhere on the form. The chosen files are listed under the picker with their size, a
// file too large (or one too many) is said at once, and each can be taken back before
// the save. The server checks everything again (ct/attachments/files.py).
"use strict";

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

function setFiles(input, files) {
  const transfer = new DataTransfer();
  files.forEach((file) => transfer.items.add(file));
  input.files = transfer.files;
}

function listChosen(parts) {
  const { field, input, list, status } = parts;
  const files = [...input.files];
  const tooLarge = files.filter((file) => file.size > Number(field.dataset.maxBytes));
  list.replaceChildren(...files.map((file, index) => {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name;
    const size = document.createElement("small");
    size.className = "muted";
    size.textContent = sizeText(field, file.size);
    item.append(name, size);
    if (tooLarge.includes(file)) {
      const problem = document.createElement("span");
      problem.className = "file-problem";
      problem.textContent = field.dataset.tooLarge;
      item.append(problem);
    }
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary outline unchoose";
    remove.dataset.index = String(index);
    remove.textContent = "×";
    remove.setAttribute("aria-label", field.dataset.removeText.replace("{name}", file.name));
    item.append(remove);
    return item;
  }));
  if (files.length > Number(field.dataset.maxFiles)) {
    const problem = document.createElement("li");
    problem.className = "file-problem";
    problem.textContent = field.dataset.tooMany;
    list.append(problem);
  }
  status.textContent = files.length ? field.dataset.countText.replace("{count}", files.length) : "";
}

document.addEventListener("change", (event) => {
  if (!event.target.matches("[data-attachments] input[type='file']")) return;
  listChosen(attachmentsOf(event.target));
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-chosen-files] button.unchoose");
  if (!button) return;
  const parts = attachmentsOf(button);
  const index = Number(button.dataset.index);
  setFiles(parts.input, [...parts.input.files].filter((_file, i) => i !== index));
  listChosen(parts);
  parts.input.focus();
});

// Dropping files anywhere on a form that takes them.
function dropTarget(event) {
  const form = event.target.closest && event.target.closest("form");
  const carriesFiles = event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  return form && carriesFiles && form.querySelector("[data-drop-zone]") ? form : null;
}

document.addEventListener("dragover", (event) => {
  const form = dropTarget(event);
  if (!form) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
  form.classList.add("dragging");
});

document.addEventListener("dragleave", (event) => {
  const form = event.target.closest && event.target.closest("form.dragging");
  if (form && !form.contains(event.relatedTarget)) form.classList.remove("dragging");
});

document.addEventListener("drop", (event) => {
  const form = dropTarget(event);
  if (!form) return;
  event.preventDefault();
  form.classList.remove("dragging");
  const parts = attachmentsOf(form.querySelector("[data-drop-zone]"));
  setFiles(parts.input, [...parts.input.files, ...event.dataTransfer.files]);
  listChosen(parts);
});
