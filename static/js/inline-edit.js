// Inline editing on the region page and other forms marked data-unsaved-guard.
// - Unsaved changes: a form becomes "dirty" on input and clean again when submitted or
//   discarded; while any dirty form is on the page, leaving it asks for confirmation.
// - Focus: after htmx swaps in new content, the element the server marked data-autofocus takes
//   focus. For a form that is its first field in error, else its first field; for a saved or
//   cancelled record its "Wijzigen" link, so keyboard users keep their place.
// - Escape inside an inline form cancels it (after asking when there are unsaved changes).
(function () {
  "use strict";
  const dirty = new Set();
  const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function focusMarked(root) {
    const target = root.querySelector("[data-autofocus]") || (root.matches && root.matches("[data-autofocus]") ? root : null);
    if (!target) return;
    target.removeAttribute("data-autofocus");
    let element = target;
    if (target.tagName === "FORM") {
      element = target.querySelector("[aria-invalid=true]") || target.querySelector(FIELDS) || target;
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-unsaved-guard]");
    if (form) dirty.add(form);
  });
  document.addEventListener("change", function (event) {
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
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const form = event.target.closest && event.target.closest("form[data-unsaved-guard]");
    const discard = form && form.querySelector("[data-discard]");
    if (!discard) return;
    event.preventDefault();
    if (dirty.has(form) && !window.confirm(form.dataset.discardQuestion || "")) return;
    dirty.delete(form);
    discard.click();
  });
  document.addEventListener("htmx:afterSettle", function () {
    for (const form of Array.from(dirty)) {
      if (!document.body.contains(form)) dirty.delete(form);
    }
    focusMarked(document);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
