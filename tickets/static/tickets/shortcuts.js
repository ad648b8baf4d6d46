// Keyboard shortcuts for the queue and the ticket page. Keys are ignored while typing.
(function () {
  "use strict";
  const help = document.getElementById("shortcuts-help");
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  // Rows are looked up on every key press: "Load more" appends rows after page load.
  let rows = [];
  let cursor = -1;

  function move(delta) {
    rows = Array.from(document.querySelectorAll("tr[data-ticket-url]"));
    if (!rows.length) return;
    if (cursor >= 0) rows[cursor].classList.remove("cursor");
    cursor = Math.max(0, Math.min(rows.length - 1, cursor + delta));
    rows[cursor].classList.add("cursor");
    rows[cursor].scrollIntoView({ block: "nearest" });
    const link = rows[cursor].querySelector("a");
    if (link) link.focus({ preventScroll: true });
  }

  function click(selector) {
    const el = document.querySelector(selector);
    if (el) el.click();
    return Boolean(el);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key;
    let handled = true;
    if (key === "?") {
      if (help && typeof help.showModal === "function") help.showModal();
    } else if (key === "j") {
      move(1);
    } else if (key === "k") {
      move(-1);
    } else if ((key === "o" || key === "Enter") && cursor >= 0 && rows[cursor]) {
      window.location.href = rows[cursor].dataset.ticketUrl;
    } else if (key === "x" && cursor >= 0 && rows[cursor]) {
      const box = rows[cursor].querySelector("input[type=checkbox]");
      if (box) {
        box.checked = !box.checked;
        rows[cursor].classList.toggle("selected", box.checked);
      }
    } else if (key === "/") {
      window.location.href = "/tickets/search/";
    } else if (key === "r" || key === "n") {
      const radio = document.querySelector(`input[name=kind][value=${key === "r" ? "reply" : "note"}]`);
      if (radio) radio.checked = true;
      const body = document.querySelector("#reply-editor textarea[name=body]");
      if (body) body.focus();
      handled = Boolean(body);
    } else if (key === "a") {
      handled = click("[data-shortcut=take]");
    } else if (key === "e") {
      const select = document.querySelector("[data-shortcut=status] select");
      if (select) {
        select.value = "resolved";
        select.form.requestSubmit();
      }
      handled = Boolean(select);
    } else if (key === "]") {
      handled = click("[data-shortcut=next]");
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
