// Mentions in a comment field (a textarea marked data-mentions): typing "@" and the first
// letters of a name asks the server (htmx) who can be mentioned, and lists them under the field.
// Focus stays in the field: the arrow keys choose a name (aria-activedescendant), Enter or Tab
// inserts it as "@username", Escape closes the list. A click on a name inserts it too.
(function () {
  "use strict";
  const TYPED = /(?:^|[^\w@.])@([\w.\-]{0,50})$/u;
  let timer = null;

  function listFor(field) {
    return document.querySelector('[data-mentions-for="' + field.id + '"]');
  }

  function typed(field) {
    const before = field.value.slice(0, field.selectionStart);
    const match = TYPED.exec(before);
    return match ? match[1] : null;
  }

  function options(list) {
    return Array.from(list.querySelectorAll('[role="option"]'));
  }

  function close(field, list) {
    list.innerHTML = "";
    field.removeAttribute("aria-activedescendant");
  }

  function choose(field, list, index) {
    const all = options(list);
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (all[index]) {
      field.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function insert(field, list, option) {
    const caret = field.selectionStart;
    const before = field.value.slice(0, caret);
    const match = TYPED.exec(before);
    if (!match) return;
    const start = caret - match[1].length;
    const name = option.dataset.username + " ";
    field.value = field.value.slice(0, start) + name + field.value.slice(caret);
    field.selectionStart = field.selectionEnd = start + name.length;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    close(field, list);
    field.focus();
  }

  document.addEventListener("input", function (event) {
    const field = event.target;
    if (!field.matches || !field.matches("textarea[data-mentions]")) return;
    const list = listFor(field);
    if (!list || !window.htmx) return;
    const word = typed(field);
    clearTimeout(timer);
    if (word === null || word === "") {
      close(field, list);
      return;
    }
    timer = setTimeout(function () {
      field.setAttribute("aria-controls", list.id || (list.id = field.id + "-mentions"));
      window.htmx.ajax("GET", list.dataset.peopleUrl + "?q=" + encodeURIComponent(word), {
        target: list,
        swap: "innerHTML",
      });
    }, 200);
  });

  // Before the inline editor's own Escape (which cancels the form): capture phase.
  document.addEventListener(
    "keydown",
    function (event) {
      const field = event.target;
      if (!field.matches || !field.matches("textarea[data-mentions]")) return;
      const list = listFor(field);
      const all = list ? options(list) : [];
      if (all.length === 0) return;
      const current = all.findIndex(function (o) {
        return o.getAttribute("aria-selected") === "true";
      });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        choose(field, list, (current + step + all.length) % all.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && current >= 0) {
        event.preventDefault();
        insert(field, list, all[current]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopImmediatePropagation();
        close(field, list);
      }
    },
    true
  );

  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest && event.target.closest('[role="option"][data-username]');
    if (!option) return;
    const list = option.closest("[data-mentions-for]");
    const field = document.getElementById(list.dataset.mentionsFor);
    event.preventDefault(); // keep focus (and the caret) in the field
    insert(field, list, option);
  });
})();
