/*
 * Loaded on every page, in <head> (tiny, so the page is laid out folded from the start).
 * - On small screens the main menu and the user's controls fold away behind the "Menu" button
 *   (templates/base.html); without JavaScript the class below is missing and they are shown.
 * - Printing opens every <details> (folded sections print in full) and closes again afterwards
 *   those that were closed.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("rm-js");

  function setOpen(header, button, open) {
    header.classList.toggle("rm-header--open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".rm-header");
    var button = header && header.querySelector(".rm-menu-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      setOpen(header, button, button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" &&
          button.offsetParent !== null) {
        setOpen(header, button, false);
        button.focus();
      }
    });
  });

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(
      document.querySelectorAll("details:not([open])"),
      function (details) { details.open = true; return true; }
    );
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });
})();
