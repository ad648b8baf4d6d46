// Live empathy coaching in the reply editor: debounced, cancels stale requests, renders
// the analyzer's spans and suggestions with textContent only (never innerHTML).
(function () {
  "use strict";
  const panel = document.getElementById("coaching-panel");
  if (!panel) return;
  const form = panel.closest("form");
  const textarea = form && form.querySelector("textarea[name=body]");
  if (!textarea) return;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const url = panel.dataset.coachUrl;
  const ticket = panel.dataset.ticket;
  const LEVELS = ["absent", "weak", "strong"];
  let timer = null;
  let controller = null;

  function isNote() {
    const checked = form.querySelector("input[name=kind]:checked");
    return checked && checked.value === "note";
  }

  function render(result) {
    panel.querySelector("[data-overall]").textContent = String(result.overall);
    for (const name of ["listening", "validation", "reflection", "tone"]) {
      const el = panel.querySelector(`[data-component=${name}] .level`);
      const level = result[name].level;
      el.dataset.level = String(level);
      el.textContent = name === "tone" ? ["needs care", "neutral", "warm"][level] : LEVELS[level];
    }
    const spans = panel.querySelector("[data-spans]");
    spans.replaceChildren();
    const text = textarea.value;
    const marks = result.spans.filter((s) => s.end <= text.length);
    if (marks.length) {
      const p = document.createElement("p");
      p.className = "coach-highlight";
      let at = 0;
      for (const s of marks) {
        if (s.start < at) continue;
        p.append(document.createTextNode(text.slice(at, s.start)));
        const mark = document.createElement("mark");
        mark.className = s.polarity === "+" ? "pos" : "neg";
        mark.title = `${s.component}: ${s.label}`;
        mark.textContent = text.slice(s.start, s.end);
        p.append(mark);
        at = s.end;
      }
      p.append(document.createTextNode(text.slice(at)));
      spans.append(p);
    }
    const list = panel.querySelector("[data-suggestions]");
    list.replaceChildren();
    for (const s of result.suggestions) {
      const li = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = s.component + ": ";
      li.append(strong, document.createTextNode(s.message + " "));
      if (s.example) {
        const em = document.createElement("em");
        em.textContent = s.example;
        li.append(em);
      }
      list.append(li);
    }
    const warning = panel.querySelector("[data-warning]");
    const negatives = result.spans.filter((s) => s.component === "tone" && s.polarity === "-");
    warning.hidden = negatives.length === 0;
    warning.textContent = negatives.length
      ? "Before you send: " + negatives.map((s) => `"${s.text}" may read as ${s.label.replaceAll("_", " ")}`).join("; ")
      : "";
  }

  async function analyse() {
    if (isNote()) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const body = new URLSearchParams({ draft: textarea.value, ticket: ticket });
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf },
        signal: controller.signal,
        credentials: "same-origin",
      });
      if (response.ok) render(await response.json());
    } catch (err) {
      if (err.name !== "AbortError") panel.dataset.error = "coach unavailable";
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(analyse, 300);
  });
  if (textarea.value) analyse();
})();
