// One host: summary, the recent window decisions as a chart, rules, evidence, busiest remotes, its alerts.
import { bytes, call, element, fillRows, levelBadge, query, sayDaemonProblem, showSession } from "./console.js";

const host = query().host || "";
document.getElementById("host-title").textContent = `Host ${host}`;
let chart = null;
let seriesChart = null;

// The series' span in seconds: from the address (?span=21600), kept there when changed so the view can be shared.
const spanSelect = document.getElementById("span");
const spans = Array.from(spanSelect.options, (o) => o.value);
spanSelect.value = spans.includes(query().span) ? query().span : "3600";
spanSelect.addEventListener("change", () => {
  const url = new URL(window.location.href);
  url.searchParams.set("span", spanSelect.value);
  window.history.replaceState(null, "", url);
  load();
});

/** A bucket's length as the legend says it: "min", "10 min", "h". */
function per(seconds) {
  if (seconds % 3600 === 0) { return seconds === 3600 ? "h" : `${seconds / 3600} h`; }
  return seconds === 60 ? "min" : `${Math.round(seconds / 60)} min`;
}

/** Bytes received and sent per bucket over the chosen span (the sensor keeps a day: by minute for the last hour,
 *  by ten minutes for six hours, by hour for the day). */
function drawSeries(points) {
  const unit = per(points[0]?.seconds ?? 60);
  const labels = points.map((p) => new Date(p.start * 1000).toISOString().slice(11, 16));
  const data = { labels, datasets: [
    { label: `received (bytes/${unit})`, data: points.map((p) => p.bytes_received), borderColor: "#0d6efd" },
    { label: `sent (bytes/${unit})`, data: points.map((p) => p.bytes_sent), borderColor: "#198754" },
  ] };
  if (seriesChart) { seriesChart.data = data; seriesChart.update(); return; }
  seriesChart = new Chart(document.getElementById("series"), { type: "line", data,
    options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } } });
}

async function load() {
  const box = document.getElementById("host-box");
  let detail;
  try {
    detail = await call(`/sensor/hosts/${encodeURIComponent(host)}?span=${encodeURIComponent(spanSelect.value)}`);
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
  const points = detail.series ?? [];
  document.getElementById("series-title").textContent =
    `Traffic (UTC), ${points.length} ${points.length === 1 ? "bucket" : "buckets"}`;
  if (typeof Chart !== "undefined") {
    drawSeries(points);
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
