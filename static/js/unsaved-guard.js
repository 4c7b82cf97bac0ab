// Warn before leaving a page with an inline form that has unsaved changes.
// A form marked data-unsaved-guard becomes "dirty" on input and clean again when submitted or
// discarded; while any dirty form is on the page, leaving it asks for confirmation.
(function () {
  "use strict";
  const dirty = new Set();
  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-unsaved-guard]");
    if (form) dirty.add(form);
  });
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
  });
  document.addEventListener("click", function (event) {
    const discard = event.target.closest("[data-discard]");
    if (discard) dirty.delete(discard.closest("form"));
  });
  document.addEventListener("htmx:afterSwap", function () {
    for (const form of Array.from(dirty)) {
      if (!document.body.contains(form)) dirty.delete(form);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
