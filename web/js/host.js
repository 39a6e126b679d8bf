// One host: summary, the recent window decisions as a chart, rules, evidence, busiest remotes, its alerts.
import { bytes, call, element, fillRows, levelBadge, query, sayDaemonProblem, showSession } from "./console.js";

const host = query().host || "";
document.getElementById("host-title").textContent = `Host ${host}`;
let chart = null;
let seriesChart = null;

/** Bytes received and sent per minute (the sensor keeps the last hour). */
function drawSeries(points) {
  const labels = points.map((p) => new Date(p.start * 1000).toISOString().slice(11, 16));
  const data = { labels, datasets: [
    { label: "received (bytes/min)", data: points.map((p) => p.bytes_received), borderColor: "#0d6efd" },
    { label: "sent (bytes/min)", data: points.map((p) => p.bytes_sent), borderColor: "#198754" },
  ] };
  if (seriesChart) { seriesChart.data = data; seriesChart.update(); return; }
  seriesChart = new Chart(document.getElementById("series"), { type: "line", data,
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } } });
}

async function load() {
  const box = document.getElementById("host-box");
  let detail;
  try {
    detail = await call(`/sensor/hosts/${encodeURIComponent(host)}`);
  } catch (error) {
    sayDaemonProblem(box, error, "coinsentryd");
    return;
  }
  const s = detail.summary ?? detail;
  fillRows(document.getElementById("summary"), [
    ["Level", levelBadge(s.level)], ["Verdict", s.verdict], ["Rule", s.rule], ["Vote", s.vote],
    ["Score", s.score.toFixed(3)], ["Windows", s.windows], ["Class", s.class ?? ""],
    ["Received", bytes(s.bytes_received)], ["Sent", bytes(s.bytes_sent)],
    ["Packets received / sent", `${detail.packets_received} / ${detail.packets_sent}`],
    ["Open alert", detail.open_alert ? "yes" : "no"], ["Blocked", detail.blocked ? detail.blocked.scope : "no"],
  ], "");
  fillRows(document.getElementById("rules"), detail.rules.map((r) => [r.rule, levelBadge(r.level), r.holds ? "holds" : "", r.detail]), "No rule.");
  fillRows(document.getElementById("evidence"), detail.evidence.map((e) => [e.kind, e.remote ?? "", e.name ?? "", e.dialect ?? "",
    e.score === undefined || e.score === null ? "" : Number(e.score.toFixed(3)), e.seconds === undefined || e.seconds === null ? "" : Math.round(e.seconds)]), "No evidence.");
  fillRows(document.getElementById("remotes"), detail.busiest_remotes.map((r) => [r.remote, r.transport, bytes(r.bytes)]), "No remote yet.");
  if (typeof Chart !== "undefined") {
    drawSeries(detail.series ?? []);
    const data = { labels: detail.recent_decisions.map((_, i) => i + 1),
      datasets: [{ label: "window decision (1 = mining)", data: detail.recent_decisions, stepped: true, borderColor: "#dc3545" }] };
    if (chart) { chart.data = data; chart.update(); } else {
      chart = new Chart(document.getElementById("decisions"), { type: "line", data,
        options: { animation: false, maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } } });
    }
  }
  try {
    const alerts = await call(`/sensor/alerts?host=${encodeURIComponent(host)}&limit=50`);
    fillRows(document.getElementById("host-alerts"), alerts.alerts.map((a) => [a.id, a.time, a.event, levelBadge(a.level), a.rule ?? "", a.reason ?? ""]), "No alerts for this host.");
  } catch (error) {
    fillRows(document.getElementById("host-alerts"), [[error.message]], "");
  }
}

showSession();
load();
setInterval(load, 15000);
