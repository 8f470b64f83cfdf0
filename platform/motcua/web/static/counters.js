// The counters page stays live: every 5 s it reads the counters' health and updates the
// agent line, the owed jobs and each device's state in place.
(function () {
  "use strict";
  const root = document.getElementById("counters");
  if (!root) return;
  const lang = root.dataset.lang === "en" ? "en" : "vi";
  const words = {
    vi: { connected: "đang kết nối", disconnected: "mất kết nối", never: "chưa kết nối" },
    en: { connected: "connected", disconnected: "disconnected", never: "never connected" },
  }[lang];
  async function refresh() {
    try {
      const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      for (const counter of data.counters) {
        const section = root.querySelector(`[data-counter="${counter.counter}"]`);
        if (!section) continue;
        section.querySelector('[data-field="agent"]').textContent =
          counter.agent_online ? words.connected : counter.agent_seen_at ? words.disconnected : words.never;
        section.querySelector('[data-field="owed"]').textContent = String(counter.owed_jobs);
        const body = section.querySelector("tbody");
        if (!counter.devices.length) continue;
        body.replaceChildren(...counter.devices.map((device) => {
          const row = document.createElement("tr");
          row.dataset.device = device.name;
          const state = device.state_text ? device.state_text[lang] : device.state;
          for (const [text, cls] of [[device.name], [device.driver], [device.usb_id],
              [state + (device.detail ? " " + device.detail : ""), "state state-" + device.state],
              [device.reported_at.replace("T", " ")]]) {
            const cell = document.createElement("td");
            cell.textContent = text;
            if (cls) cell.className = cls;
            row.append(cell);
          }
          return row;
        }));
      }
    } catch (error) {
      // The server is unreachable for a moment: keep the last known states.
    }
  }
  setInterval(refresh, 5000);
})();
