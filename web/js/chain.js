// The chain sidecar: status, an address's behaviour classes with every confidence, the watchlist, patterns.
import { call, element, fillRows, query, say, sayDaemonProblem, showSession } from "./console.js";

let chart = null;

async function loadStatus() {
  const box = document.getElementById("chain-status");
  try {
    const s = await call("/chain/status");
    document.getElementById("chain-card").className = "card mb-3 daemon-up";
    box.replaceChildren(element("div", `${s.network}: ${s.status}; tip ${s.tip_height ?? "none yet"}, ` +
      `${s.addresses ?? 0} addresses, ${s.watched} watched, ${s.patterns} patterns; model ${s.model ?? "none"}`));
    return true;
  } catch (error) {
    document.getElementById("chain-card").className = "card mb-3 daemon-down";
    sayDaemonProblem(box, error, "coinsentry-chaind");
    return false;
  }
}

async function lookUp(address) {
  const report = document.getElementById("address-report");
  try {
    const r = await call(`/chain/addresses/${encodeURIComponent(address)}`);
    const text = r.class
      ? `${r.address}: ${r.class} (confidence ${Number(r.confidence).toFixed(3)})${r.watched ? ", watched" : ""}`
      : `${r.address}: no behaviour class (no model, or too little activity)${r.watched ? ", watched" : ""}`;
    report.replaceChildren(element("p", text, "mono"));
    const probabilities = r.probabilities ?? {};
    const names = Object.keys(probabilities).sort();
    if (typeof Chart !== "undefined") {
      const data = { labels: names, datasets: [{ label: "confidence", data: names.map((n) => probabilities[n]), backgroundColor: "#0d6efd" }] };
      if (chart) { chart.data = data; chart.update(); } else {
        chart = new Chart(document.getElementById("confidences"), { type: "bar", data,
          options: { animation: false, maintainAspectRatio: false, indexAxis: "y", scales: { x: { min: 0, max: 1 } } } });
      }
    }
  } catch (error) {
    report.replaceChildren(element("div", error.message, "alert alert-warning"));
  }
}

async function loadWatchlist() {
  try {
    const w = await call("/chain/watchlist");
    fillRows(document.getElementById("watchlist"), w.addresses.map((address) => {
      const remove = element("button", "Remove", "btn btn-sm btn-outline-danger");
      remove.addEventListener("click", async () => {
        try { await call(`/chain/watchlist/${encodeURIComponent(address)}`, "DELETE"); loadWatchlist(); } catch (error) { say(error.message); }
      });
      return [element("span", address, "mono"), remove];
    }), "Nothing watched.");
  } catch (error) {
    fillRows(document.getElementById("watchlist"), [[error.message]], "");
  }
}

async function loadPatterns() {
  try {
    const p = await call("/chain/patterns");
    fillRows(document.getElementById("patterns"), p.patterns.map((x) => [element("span", x.members.join(" → "), "mono"),
      x.occurrences, x.first_seen, x.last_seen]), "No recurring pattern found yet.");
  } catch (error) {
    fillRows(document.getElementById("patterns"), [[error.message]], "");
  }
}

document.getElementById("address-form").addEventListener("submit", (event) => {
  event.preventDefault();
  lookUp(document.getElementById("address").value.trim());
});
document.getElementById("watch").addEventListener("click", async () => {
  const address = document.getElementById("address").value.trim();
  try { await call("/chain/watchlist", "POST", { address }); say(`Watching ${address}.`, "success"); loadWatchlist(); } catch (error) { say(error.message); }
});

showSession();
loadStatus().then((running) => {
  if (!running) return;
  loadWatchlist();
  loadPatterns();
  const given = query().address;
  if (given) { document.getElementById("address").value = given; lookUp(given); }
});
