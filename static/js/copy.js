// "Copy the citation": a button names the element whose text it copies (data-copy). It is
// hidden in the page and shown here, so that without JavaScript (or without a clipboard)
// no control is offered that cannot work; the text stays there to select by hand.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = "Copied.";
      } catch {
        if (status) status.textContent = "Could not copy: select the text instead.";
      }
    });
  }
});
