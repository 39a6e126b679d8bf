// The sensor page: both daemons at a glance, hosts (filter, sort, pages), alerts grouped by host and rule.
import { bytes, call, element, fillRows, levelBadge, link, sayDaemonProblem, showSession } from "./console.js";

const state = { sort: "rank", order: "desc", offset: 0, limit: 50, total: 0 };

function describe(container, rows) {
  const list = element("dl", "", "row mb-0");
  for (const [name, value] of rows) {
    list.append(element("dt", name, "col-sm-5"), element("dd", value, "col-sm-7"));
  }
  container.replaceChildren(list);
}

async function loadOverview() {
  const overview = await call("/overview");
  const sensor = document.getElementById("sensor-status");
  document.getElementById("sensor-card").className = `card ${overview.sensor.running ? "daemon-up" : "daemon-down"}`;
  if (overview.sensor.status) {
    const s = overview.sensor.status;
    describe(sensor, [["Sensor", `${s.sensor} (${s.version})`], ["Interfaces", s.interfaces.join(", ")],
      ["Hosts", `${s.hosts} (${s.mining_hosts} mining, ${s.suspect_hosts} suspect)`], ["Open alerts", s.open_alerts],
      ["Packets/s", s.packets_per_second.toFixed(1)], ["Model", s.model], ["State", s.paused ? "paused" : "deciding"]]);
  } else {
    sayDaemonProblem(sensor, { running: overview.sensor.running, message: overview.sensor.error }, "coinsentryd");
  }
  const chain = document.getElementById("chain-status");
  document.getElementById("chain-card").className = `card ${overview.chain.running ? "daemon-up" : "daemon-down"}`;
  if (overview.chain.status) {
    const c = overview.chain.status;
    describe(chain, [["Network", c.network], ["Status", c.status], ["Tip", c.tip_height ?? "none yet"],
      ["Addresses", c.addresses ?? 0], ["Watched", c.watched], ["Patterns", c.patterns]]);
  } else {
    sayDaemonProblem(chain, { running: overview.chain.running, message: overview.chain.error }, "coinsentry-chaind");
  }
}

async function loadCapture() {
  const body = document.querySelector("#capture tbody");
  try {
    const stats = await call("/sensor/stats");
    fillRows(body, stats.interfaces.map((i) => {
      const c = i.counters || {};
      return [i.interface, Number(i.packets_per_second.toFixed(1)), Number(i.bytes_per_second.toFixed(0)), i.windows_decided,
        i.windows_below_floor, c.kernel_dropped ?? 0, c.interface_dropped ?? 0, c.ring_dropped ?? 0, c.malformed ?? 0];
    }), "No interface.");
  } catch (error) {
    fillRows(body, [[error.message]], "");
  }
}

async function loadHosts() {
  const parameters = new URLSearchParams({ sort: state.sort, order: state.order, offset: state.offset, limit: state.limit });
  const level = document.getElementById("level").value;
  const minimum = document.getElementById("min-score").value;
  if (level) parameters.set("level", level);
  if (minimum) parameters.set("min_score", minimum);
  const body = document.querySelector("#hosts tbody");
  try {
    const page = await call(`/sensor/hosts?${parameters}`);
    state.total = page.total;
    document.getElementById("host-count").textContent =
      `${page.total === 0 ? 0 : page.offset + 1}–${page.offset + page.hosts.length} of ${page.total}`;
    fillRows(body, page.hosts.map((h) => [
      link(h.host, `/host.html?host=${encodeURIComponent(h.host)}`), levelBadge(h.level), h.rule, h.vote,
      Number(h.score.toFixed(3)), h.windows, h.class ?? "", bytes(h.bytes_received + h.bytes_sent), h.benign ?? "",
    ]), "No host matches.");
  } catch (error) {
    fillRows(body, [[error.message]], "");
  }
}

async function loadAlertGroups() {
  const body = document.querySelector("#alert-groups tbody");
  try {
    const result = await call("/sensor/alerts?group=host-rule");
    fillRows(body, result.groups.map((g) => [
      link(g.host, `/host.html?host=${encodeURIComponent(g.host)}`), g.rule ?? "", levelBadge(g.level), g.count,
      g.unhandled, g.first_seen, g.last_seen, link(`#${g.latest_id} ${g.latest_event}`,
        `/alerts.html?host=${encodeURIComponent(g.host)}`),
    ]), "No alerts.");
  } catch (error) {
    fillRows(body, [[error.message]], "");
  }
}

document.getElementById("host-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  state.offset = 0;
  loadHosts();
});
for (const header of document.querySelectorAll("th.sortable")) {
  header.addEventListener("click", () => {
    const column = header.dataset.sort;
    state.order = state.sort === column && state.order === "desc" ? "asc" : "desc";
    state.sort = column;
    loadHosts();
  });
}
document.getElementById("previous").addEventListener("click", () => {
  state.offset = Math.max(0, state.offset - state.limit);
  loadHosts();
});
document.getElementById("next").addEventListener("click", () => {
  if (state.offset + state.limit < state.total) state.offset += state.limit;
  loadHosts();
});

showSession();
loadOverview();
loadCapture();
loadHosts();
loadAlertGroups();
setInterval(() => { loadOverview(); loadCapture(); loadHosts(); loadAlertGroups(); }, 15000);
