// Collision detection on the ticket page: a heartbeat says who else is viewing or
// replying, and warns when a customer message or another agent's reply arrived while
// this agent was typing. It never blocks sending; the server still refuses stale forms.
(function () {
  "use strict";
  const box = document.getElementById("presence");
  if (!box) return;
  const form = document.getElementById("reply-editor");
  const textarea = form && form.querySelector("textarea[name=body]");
  const csrf = form && form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const url = box.dataset.url;
  const lastMessage = box.dataset.lastMessage;
  const KIND = { customer: "a new customer message", reply: "a reply from another agent", note: "an internal note" };

  function render(data) {
    const parts = [];
    if (data.others.length) {
      parts.push(data.others.map((p) => `${p.name} is ${p.mode === "replying" ? "replying" : "viewing"}`).join(", ") + ".");
    }
    if (data.arrived.length) {
      const what = data.arrived.map((m) => `${KIND[m.kind] || "a message"}${m.author ? " from " + m.author : ""}`);
      parts.push(`While you were here: ${what.join("; ")}. Reload to read it before sending.`);
    }
    box.textContent = parts.join(" ");
    box.hidden = parts.length === 0;
    box.classList.toggle("conflict", data.arrived.length > 0 || data.others.some((p) => p.mode === "replying"));
  }

  async function beat() {
    const mode = textarea && textarea.value.trim() ? "replying" : "viewing";
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-CSRFToken": csrf },
        body: new URLSearchParams({ mode, last_message: lastMessage }),
        credentials: "same-origin",
      });
      if (response.ok) render(await response.json());
    } catch (err) {
      /* offline or server restarting: try again at the next beat */
    }
  }

  beat();
  setInterval(beat, 10000);
})();
