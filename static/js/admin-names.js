// Accessible names for the back office's controls that Django's admin leaves unnamed:
// fields in tabular inlines and editable list columns (named by their column and row), the
// select2 boxes of autocomplete fields (named by their label or column), and the empty
// headers of an inline's record and delete columns. Select2 builds its boxes after the page loads and
// again for every inline row added, so names are given whenever the page changes.
"use strict";
{
  const words = (element) => (element ? element.textContent.replace(/\s+/g, " ").trim() : "");

  // The header of the table column a cell belongs to (`td.field-order` → `th.column-order`).
  const columnHeader = (cell) => {
    const field = [...cell.classList].find((name) => name.startsWith("field-"));
    if (!field) return null;
    return cell.closest("table")?.querySelector(`thead th.column-${field.slice(6)}`) ?? null;
  };

  // What tells one row from another: a list's first column, or an inline row's record.
  const rowName = (cell) => {
    const row = cell.closest("tr");
    return words(row?.querySelector("th, td.original p")).replace(/\s*(Change|View)$/, "");
  };

  const withId = (element, id) => {
    if (!element.id) element.id = id;
    return element.id;
  };

  const nameTableField = (field) => {
    if (field.labels?.length || field.hasAttribute("aria-label")) return;
    const cell = field.closest("td");
    if (!cell) return;
    const header = cell.classList.contains("delete") ? "Delete" : words(columnHeader(cell));
    if (!header) return;
    const row = rowName(cell);
    field.setAttribute("aria-label", row ? `${header} (${row})` : header);
  };

  const nameSelect2 = (container) => {
    const select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") return;
    let label = select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null;
    const cell = select.closest("td");
    if (!label && cell) label = columnHeader(cell);
    if (!label) return;
    const labelId = withId(label, `${select.id}-name`);
    const text = words(label).replace(/:$/, "");
    for (const box of container.querySelectorAll("[role=combobox]")) {
      const shown = container.querySelector(".select2-selection__rendered");
      const parts = [labelId];
      if (shown?.id) parts.push(shown.id);
      box.setAttribute("aria-labelledby", parts.join(" "));
    }
    // The box showing the chosen record is a read-only text box: it too is named by the label.
    for (const shown of container.querySelectorAll("[role=textbox]")) {
      shown.setAttribute("aria-labelledby", labelId);
    }
    for (const search of container.querySelectorAll(".select2-search__field")) {
      search.setAttribute("aria-label", text);
    }
    // The "clear all" cross sits inside the list of chosen items, where only items belong.
    for (const clear of container.querySelectorAll("ul > .select2-selection__clear")) {
      clear.parentElement.before(clear);
    }
  };

  // An inline's first column holds the saved record, its last the delete boxes (left
  // empty, header too, when the editor may not delete).
  const nameEmptyHeaders = () => {
    for (const header of document.querySelectorAll("thead th:empty")) {
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = header.classList.contains("original") ? "Record" : "Delete";
      header.append(hidden);
    }
  };

  const nameAll = () => {
    for (const field of document.querySelectorAll(
      "table td input:not([type=hidden]), table td select, table td textarea",
    )) {
      nameTableField(field);
    }
    for (const container of document.querySelectorAll(".select2-container")) {
      nameSelect2(container);
    }
    nameEmptyHeaders();
  };

  let pending = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameAll();
    });
  };
  document.addEventListener("DOMContentLoaded", () => {
    nameAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
}
