// Alerts: filters (time range, host, level, rule, event), acknowledge and close (needs a session).
import { call, element, fillRows, levelBadge, link, query, say, sayDaemonProblem, showSession } from "./console.js";

const given = query();
for (const name of ["host", "level", "rule", "event"]) {
  if (given[name]) document.getElementById(name).value = given[name];
}

function parameters() {
  const result = new URLSearchParams({ limit: "500" });
  for (const name of ["host", "level", "rule", "event"]) {
    const value = document.getElementById(name).value.trim();
    if (value) result.set(name, value);
  }
  for (const name of ["since", "until"]) {
    const value = document.getElementById(name).value;
    if (value) result.set(name, new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z"));
  }
  return result;
}

function action(label, alert, verb) {
  const button = element("button", label, "btn btn-sm btn-outline-primary me-1");
  button.addEventListener("click", async () => {
    try {
      await call(`/sensor/alerts/${alert.id}/${verb}`, "POST");
      say(`Alert ${alert.id}: ${verb === "ack" ? "acknowledged" : "closed"}.`, "success");
      load();
    } catch (error) {
      say(error.message);
    }
  });
  return button;
}

async function load() {
  const body = document.querySelector("#alerts tbody");
  try {
    const result = await call(`/sensor/alerts?${parameters()}`);
    fillRows(body, result.alerts.map((a) => {
      const actions = element("span");
      if (!a.acknowledged_at && !a.closed_at) actions.append(action("Acknowledge", a, "ack"));
      if (!a.closed_at) actions.append(action("Close", a, "close"));
      const handled = a.closed_at ? `closed by ${a.closed_by}` : (a.acknowledged_at ? `acknowledged by ${a.acknowledged_by}` : "open");
      return [a.id, a.time, link(a.host, `/host.html?host=${encodeURIComponent(a.host)}`), a.event, levelBadge(a.level),
        a.rule ?? "", a.reason ?? "", handled, actions];
    }), "No alert matches.");
  } catch (error) {
    sayDaemonProblem(document.getElementById("alerts-box"), error, "coinsentryd");
  }
}

document.getElementById("alert-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});
showSession();
load();
