// Folding sections (`<details data-fold>`): served open, so that without JavaScript every
// section shows. On a phone every one but those marked data-fold="keep" folds once the page
// has loaded. A link to anything inside a folded section (the contents bar, a numbered
// citation, an address with a #fragment) opens the section first, so that it lands on it.
(() => {
  const phone = window.matchMedia("(max-width: 47.99rem)");

  const target = (fragment) => {
    if (!fragment) return null;
    try {
      return document.getElementById(decodeURIComponent(fragment));
    } catch {
      return null; // a malformed %-escape in the address
    }
  };

  const openTo = (element) => {
    for (let fold = element?.closest("details"); fold; fold = fold.parentElement?.closest("details")) {
      fold.open = true;
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    if (phone.matches) {
      for (const fold of document.querySelectorAll("details[data-fold]:not([data-fold='keep'])")) {
        fold.open = false;
      }
    }
    const landing = target(location.hash.slice(1));
    if (landing) {
      openTo(landing);
      landing.scrollIntoView();
    }
  });

  window.addEventListener("hashchange", () => openTo(target(location.hash.slice(1))));

  // Before the browser follows an in-page link (a click on the same #fragment again fires no
  // hashchange), so that it scrolls to an opened section.
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href^='#']");
    if (link) openTo(target(link.getAttribute("href").slice(1)));
  });
})();
