// Escape cancels an in-place edit: it follows the form's Cancel control, which htmx
// turns into a swap back to the displayed record (a plain link without htmx).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const form = event.target.closest && event.target.closest("form.edit-form");
  const cancel = form && form.querySelector("[data-cancel]");
  if (cancel) {
    event.preventDefault();
    cancel.click();
  }
});
