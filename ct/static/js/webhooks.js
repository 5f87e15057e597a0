// The endpoint form: a record's "all of them" box ticks or unticks its events, and
// shows whether all, some (indeterminate) or none of them are ticked.
function syncGroup(group) {
  const all = group.querySelector("input[data-check-all]");
  const boxes = [...group.querySelectorAll("input[name=events]")];
  const ticked = boxes.filter((box) => box.checked).length;
  all.checked = ticked === boxes.length;
  all.indeterminate = ticked > 0 && ticked < boxes.length;
}

document.addEventListener("change", (event) => {
  const group = event.target.closest("[data-event-group]");
  if (!group) return;
  if (event.target.matches("input[data-check-all]")) {
    for (const box of group.querySelectorAll("input[name=events]")) {
      box.checked = event.target.checked;
    }
  }
  syncGroup(group);
});

document.querySelectorAll("[data-event-group]").forEach(syncGroup);
