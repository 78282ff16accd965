// The header search box: the arrow keys move between the box and its suggestions (links,
// also reached with Tab); Escape closes them and returns to the box. Without this script,
// or without htmx, the box is a plain search form.
(function () {
  "use strict";

  function links(form) {
    return Array.from(form.querySelectorAll(".site-search__suggestion"));
  }

  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest(".site-search");
    if (!form) {
      return;
    }
    var input = form.querySelector(".site-search__input");
    var items = links(form);
    var index = items.indexOf(event.target);
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      items[Math.min(index + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      (index === 0 ? input : items[index - 1]).focus();
    } else if (event.key === "Escape" && (items.length || index >= 0)) {
      event.preventDefault();
      form.querySelector(".site-search__suggestions").replaceChildren();
      input.focus();
    }
  });
})();
