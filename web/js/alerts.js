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

let chart = null;

/** Alerts per hour, by level, as a stacked bar chart above the table. */
function drawCounts(alerts) {
  if (typeof Chart === "undefined") return;
  const hours = new Map();
  for (const a of alerts) {
    const hour = a.time.slice(0, 13) + ":00";
    const counts = hours.get(hour) || { mining: 0, suspect: 0, other: 0 };
    counts[a.level === "mining" || a.level === "suspect" ? a.level : "other"] += 1;
    hours.set(hour, counts);
  }
  const labels = [...hours.keys()].sort();
  const series = (level, color) => ({ label: level, data: labels.map((h) => hours.get(h)[level]), backgroundColor: color });
  const data = { labels, datasets: [series("mining", "#dc3545"), series("suspect", "#ffc107"), series("other", "#adb5bd")] };
  if (chart) { chart.data = data; chart.update(); return; }
  chart = new Chart(document.getElementById("alert-counts"), { type: "bar", data,
    options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
}

async function load() {
  const body = document.querySelector("#alerts tbody");
  try {
    const result = await call(`/sensor/alerts?${parameters()}`);
    drawCounts(result.alerts);
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
