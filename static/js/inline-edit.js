// Inline editing on the region page and other forms marked data-unsaved-guard.
// - Unsaved changes: a form becomes "dirty" on input and clean again when submitted or
//   discarded; while any dirty form is on the page, leaving it asks for confirmation.
// - Focus: after htmx swaps in new content (and on a page loaded whole), the element the server
//   marked data-autofocus takes focus. For a form that is its first field in error, else its
//   first field (unless the user is already in one of its fields); for a saved or cancelled
//   record its "Wijzigen" link, so keyboard users keep their place.
// - Escape inside an inline form cancels it (after asking when there are unsaved changes).
// - Length limits: a field with a limit never cuts text off; near the limit its counter
//   ("1.950 / 2.000 tekens", aria-live) shows how much is left or how much is too much.
// - Folded sections (<details class="section">): the reader's open/closed choice survives htmx
//   swaps of a section, and a link to something inside a folded section opens it.
// - Long texts (.rm-fold) are folded to a few lines with a "Meer tonen" / "Minder tonen" button
//   (aria-expanded), offered only when the text is longer than those lines.
// - A request that fails (no connection, session ended, refused, removed, server error) swaps
//   nothing, so the form keeps its input; a notice (#rm-request-error, role=alert) says what
//   happened and that nothing was saved. Focus stays where it was.
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
      const invalid = target.querySelector("[aria-invalid=true]");
      // Without errors to show, someone already in one of the form's fields (clicked into it
      // as it appeared) stays there: what they type must not land in another field.
      const active = document.activeElement;
      if (!invalid && active && target.contains(active) && active.matches(FIELDS)) return;
      element = invalid || target.querySelector(FIELDS) || target;
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }

  const NEAR = 0.9; // the counter shows from 90% of the limit
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function updateCounter(field) {
    const counter = document.getElementById(field.id + "_counter");
    if (!counter) return;
    const limit = Number(counter.dataset.limit);
    const count = field.value.length;
    if (count < limit * NEAR) {
      counter.hidden = true;
      counter.textContent = "";
      return;
    }
    const over = count - limit;
    const text = (over > 0 ? counter.dataset.over : counter.dataset.text) || "";
    counter.textContent = text
      .replace("{count}", numbers.format(count))
      .replace("{limit}", numbers.format(limit))
      .replace("{over}", numbers.format(over));
    counter.classList.toggle("rm-counter--over", over > 0);
    counter.hidden = false;
  }

  function updateCounters(root) {
    for (const counter of root.querySelectorAll("[data-counter-for]")) {
      const field = document.getElementById(counter.dataset.counterFor);
      if (field) updateCounter(field);
    }
  }

  // Folded sections: remember what the reader opened or closed, by the section's id.
  const chosen = new Map();
  document.addEventListener(
    "toggle",
    function (event) {
      const details = event.target;
      if (!details.matches || !details.matches("details.section")) return;
      const section = details.closest("[id]");
      if (section) chosen.set(section.id, details.open);
      if (details.open) foldTexts(details);
    },
    true,
  );

  function restoreSections(root) {
    for (const details of root.querySelectorAll("details.section")) {
      const section = details.closest("[id]");
      if (section && chosen.has(section.id)) details.open = chosen.get(section.id);
      // Whatever has focus or a form being filled in stays in view.
      if (details.querySelector("form.rm-item--editing, .rm-item--editing, [data-autofocus]")) {
        details.open = true;
      }
    }
  }

  function openTarget(hash) {
    if (!hash || hash.length < 2) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    const inside = target.querySelector(":scope > details.section");
    if (inside) inside.open = true;
    for (let details = target.closest("details"); details; details = details.parentElement.closest("details")) {
      details.open = true;
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) openTarget(link.getAttribute("href"));
  });
  window.addEventListener("hashchange", function () {
    openTarget(window.location.hash);
  });

  // Long texts folded to a few lines.
  function foldTexts(root) {
    for (const text of root.querySelectorAll(".rm-fold:not([data-folded])")) {
      if (!text.getClientRects().length) continue; // in a folded section: measured once opened
      text.setAttribute("data-folded", "");
      const button = document.querySelector('[aria-controls="' + text.id + '"]');
      if (!button) continue;
      text.classList.add("rm-fold--folded");
      if (text.scrollHeight > text.clientHeight + 2) {
        button.hidden = false;
      } else {
        text.classList.remove("rm-fold--folded"); // fits in those lines: nothing to fold
      }
    }
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest(".rm-fold__toggle");
    if (!button) return;
    const text = document.getElementById(button.getAttribute("aria-controls"));
    if (!text) return;
    const expand = button.getAttribute("aria-expanded") !== "true";
    text.classList.toggle("rm-fold--folded", !expand);
    button.setAttribute("aria-expanded", String(expand));
    button.querySelector(".rm-fold__word").textContent = expand ? button.dataset.less : button.dataset.more;
  });

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.maxlength) updateCounter(event.target);
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
    restoreSections(document);
    foldTexts(document);
    updateCounters(document);
    focusMarked(document);
  });
  // Failed requests: say what happened; the form stays as it is.
  function requestError(kind) {
    const notice = document.getElementById("rm-request-error");
    if (!notice) return;
    notice.querySelector(".rm-request-error__text").textContent = notice.dataset[kind] || notice.dataset.failed;
    notice.hidden = false;
  }
  function hideRequestError() {
    const notice = document.getElementById("rm-request-error");
    if (notice) notice.hidden = true;
  }
  const BY_STATUS = { 401: "expired", 403: "refused", 404: "gone" };
  document.addEventListener("htmx:responseError", function (event) {
    requestError(BY_STATUS[event.detail.xhr.status] || "failed");
  });
  document.addEventListener("htmx:sendError", function () {
    requestError("offline");
  });
  document.addEventListener("htmx:beforeRequest", hideRequestError);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-request-error-close]")) hideRequestError();
  });

  document.addEventListener("DOMContentLoaded", function () {
    openTarget(window.location.hash);
    foldTexts(document);
    updateCounters(document);
    // A page that came back whole (no htmx) puts focus where the server marked, unless the
    // address points at something on the page.
    if (!window.location.hash) focusMarked(document);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
