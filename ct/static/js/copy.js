// "Copy" buttons: data-copy names the field to copy, data-copied the word to announce.
// The field is selected too, so copying by hand works where the clipboard is refused.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  const status = button.parentElement.querySelector(".copy-status");
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = button.dataset.copied;
  } catch {
    // No clipboard access (an old browser, a refused permission): the text stays selected.
  }
});
