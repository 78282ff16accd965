// In-place editing: the keyboard and the focus around the edit forms htmx swaps into a page.
//
// - A form that opens takes the focus on its first field (on its first invalid field when
//   it comes back with messages).
// - A form that closes (saved or cancelled) gives the focus back to the record it edited,
//   and a polite live region says what happened.
// - Enter in a one-line field does not submit (a half-typed form would be saved); the
//   submit buttons, or Ctrl/Cmd+Enter anywhere in the form, do.
// - Escape cancels; with unsaved changes it asks first.
// - After an edit the server sends the page's sources list anew (out of band); citations
//   elsewhere on the page take the numbers it gives their sources.
// - Content that says what happened (`data-announce`, e.g. "Withdrawn. Undo") is announced,
//   and its `data-focus` element (the Undo button, a restored record) takes the focus.
(() => {
  "use strict";

  const FORM = "form.edit-form";
  const FIELDS =
    'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';
  const SUBMITTING_INPUTS = ["submit", "button", "reset", "image"];

  let pending = null; // the edit form's own request under way: {config, returnTo, cancel, draft}

  const status = document.createElement("div");
  status.id = "edit-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.append(status);

  function announce(text) {
    // Emptied first, so that the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 50);
  }

  // Changed from what the page gave (the fields' default values), however fast the typing.
  function fieldChanged(field) {
    if (field instanceof HTMLSelectElement) {
      const options = Array.from(field.options);
      if (field.multiple) return options.some((option) => option.selected !== option.defaultSelected);
      const given = Math.max(0, options.findIndex((option) => option.defaultSelected));
      return options.length > 0 && field.selectedIndex !== given;
    }
    if (field instanceof HTMLInputElement && ["checkbox", "radio"].includes(field.type)) {
      return field.checked !== field.defaultChecked;
    }
    if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
      return field.value !== field.defaultValue;
    }
    return false;
  }

  function changed(form) {
    return Array.from(form.elements).some(fieldChanged);
  }

  function formsIn(root) {
    if (!root || !root.querySelectorAll) return [];
    const forms = Array.from(root.querySelectorAll(FORM));
    return root.matches(FORM) ? [root, ...forms] : forms;
  }

  function visible(element) {
    return element.getClientRects().length > 0;
  }

  function focusFirstField(form) {
    const fields = Array.from(form.querySelectorAll(FIELDS)).filter(visible);
    const target = fields.find((field) => field.getAttribute("aria-invalid") === "true") || fields[0];
    if (target) target.focus();
  }

  function returnFocus(element) {
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.classList.add("edit-returned");
    element.focus();
  }

  function within(root, selector) {
    if (!root || !root.querySelector) return null;
    return root.matches(selector) ? root : root.querySelector(selector);
  }

  // Sources are numbered as first cited: an edit may renumber every later citation.
  function renumberCitations(list) {
    const numbers = new Map();
    list.querySelectorAll("li[data-source]").forEach((item) => {
      numbers.set(item.dataset.source, item.id.replace("source-", ""));
    });
    document.querySelectorAll("a.cite[data-source]").forEach((link) => {
      const number = numbers.get(link.dataset.source);
      if (!number) return;
      link.textContent = `[${number}]`;
      link.setAttribute("href", `#source-${number}`);
      if (link.hasAttribute("aria-label")) link.setAttribute("aria-label", `Source ${number}`);
    });
  }

  // New content from htmx: an edit form that opens takes the focus; content that says
  // what happened is announced and takes it too.
  document.addEventListener("htmx:load", (event) => {
    const root = event.detail.elt;
    if (root === document.body) return;
    if (root.id === "sources-list") renumberCitations(root);
    const forms = formsIn(root);
    if (forms.length) focusFirstField(forms[0]);
    const told = within(root, "[data-announce]");
    if (told) {
      const target = within(told, "[data-focus]");
      if (target && target.matches("button, a[href], input, select, textarea")) target.focus();
      else if (target) returnFocus(target);
      announce(told.dataset.announce);
      // htmx may still move the focus as it settles the swap (back to an element of the
      // old content's id): once settled, the focus goes where the content says, again.
      if (target) {
        document.addEventListener(
          "htmx:afterSettle",
          () => {
            if (!target.isConnected || target.contains(document.activeElement)) return;
            if (target.matches("button, a[href], input, select, textarea")) target.focus();
            else returnFocus(target);
          },
          { once: true },
        );
      }
    }
  });

  // A request that replaces an edit form (save, or Cancel) may close it.
  document.addEventListener("htmx:configRequest", (event) => {
    const { elt, target } = event.detail;
    if (!target || !target.matches || !target.matches(FORM)) return;
    pending = {
      config: event.detail,
      returnTo: target.dataset.returnTo || target.id,
      cancel: elt.hasAttribute("data-cancel"),
      draft: event.detail.formData && event.detail.formData.get("action") === "draft",
    };
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    if (!pending || event.detail.requestConfig !== pending.config) return;
    const done = pending;
    pending = null;
    const marked = document.querySelector("[data-edited]");
    const record = marked || document.getElementById(done.returnTo);
    if (marked) marked.removeAttribute("data-edited");
    if (!record || record.matches(FORM)) return; // still editing: messages, a conflict, a failure
    returnFocus(record);
    if (done.cancel) announce("Cancelled.");
    else announce(done.draft ? "Saved as a draft." : "Saved.");
  });

  document.addEventListener("keydown", (event) => {
    const form = event.target.closest && event.target.closest(FORM);
    if (!form) return;

    if (event.key === "Escape") {
      const cancel = form.querySelector("[data-cancel]");
      if (!cancel) return;
      event.preventDefault();
      if (changed(form) && !window.confirm("Discard your changes?")) return;
      cancel.click();
      return;
    }

    if (event.key !== "Enter" || event.isComposing) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      const own = event.target.matches('button[type="submit"]') ? event.target : null;
      const submit = own || form.querySelector('button[type="submit"]');
      if (submit) submit.click();
      return;
    }
    const target = event.target;
    if (target instanceof HTMLInputElement && !SUBMITTING_INPUTS.includes(target.type)) {
      event.preventDefault();
    }
  });
})();
