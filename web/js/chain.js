// The chain sidecar (Kriptosare's KGUI): status and the block the analysis is updated until; an address's behaviour
// classes with every confidence (a donut and a table), cluster, history and patterns; the "confidence ≥ N %" checker;
// JSON export of a report and JSON import of a list of addresses; the watchlist and the recurring patterns.
import { call, element, fillRows, query, say, sayDaemonProblem, showSession } from "./console.js";

/** Addresses looked up from one imported file at most. */
const importLimit = 1000;
const palette = ["#0d6efd", "#dc3545", "#198754", "#ffc107", "#6f42c1", "#20c997", "#fd7e14", "#6c757d", "#d63384"];
let chart = null;
let tipHeight = null;
let current = null;
let imported = [];

async function loadStatus() {
  const box = document.getElementById("chain-status");
  try {
    const s = await call("/chain/status");
    tipHeight = s.tip_height ?? null;
    document.getElementById("chain-card").className = "card mb-3 daemon-up";
    const updated = tipHeight === null ? "no block ingested yet" : `updated until block ${tipHeight}`;
    box.replaceChildren(element("div", `${s.network}: ${s.status}; ${updated}; ` +
      `${s.addresses ?? 0} addresses, ${s.watched} watched, ${s.patterns} patterns; model ${s.model ?? "none"}`));
    return true;
  } catch (error) {
    document.getElementById("chain-card").className = "card mb-3 daemon-down";
    sayDaemonProblem(box, error, "coinsentry-chaind");
    return false;
  }
}

/** What each of the classifier's caveats means for the confidences shown. */
const caveats = {
  too_little_history: "held back: seen in fewer than 3 transactions, so no class above 80 %",
  unlike_training: "unknown: unlike anything the model was trained on, confidences shrunk toward even",
};
const bitcoin = (satoshis) => `${(Number(satoshis) / 1e8).toFixed(8)} BTC`;
const percent = (p) => `${(100 * Number(p)).toFixed(1)} %`;

/** One line saying what the sidecar knows of an address. */
function summary(r) {
  // `unknown` comes with no confidence of its own: the caveat says why.
  const confidence = r.confidence === undefined || r.confidence === null ? "" : ` (confidence ${percent(r.confidence)})`;
  const parts = [r.class ? `${r.class}${confidence}` : "no behaviour class (no model, or too little activity)"];
  for (const caveat of r.caveats ?? []) parts.push(caveats[caveat] ?? caveat);
  if (r.cluster_size !== undefined && r.cluster_size !== null) parts.push(`cluster of ${r.cluster_size}`);
  if (r.history) {
    parts.push(`${r.history.transactions.length} transactions, received ${bitcoin(r.history.received)}, ` +
      `balance ${bitcoin(r.history.balance)}`);
  }
  if (r.patterns && r.patterns.length) parts.push(`member of ${r.patterns.length} recurring pattern(s)`);
  if (r.watched) parts.push("watched");
  return parts.join("; ");
}

function showClasses(r) {
  const probabilities = r.probabilities ?? {};
  const names = Object.keys(probabilities).sort((a, b) => probabilities[b] - probabilities[a]);
  document.getElementById("classes").hidden = names.length === 0;
  fillRows(document.getElementById("class-table"), names.map((n) => [n, percent(probabilities[n])]), "");
  const select = document.getElementById("checker-class");
  select.replaceChildren(...names.map((n) => { const o = element("option", n); o.value = n; return o; }));
  document.getElementById("checker-answer").textContent = "";
  if (typeof Chart === "undefined" || names.length === 0) return;
  const data = { labels: names, datasets: [{ data: names.map((n) => probabilities[n]),
    backgroundColor: names.map((_, i) => palette[i % palette.length]) }] };
  if (chart) { chart.data = data; chart.update(); } else {
    chart = new Chart(document.getElementById("confidences"), { type: "doughnut", data,
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "right" } } } });
  }
}

async function lookUp(address) {
  const report = document.getElementById("address-report");
  try {
    current = await call(`/chain/addresses/${encodeURIComponent(address)}`);
    report.replaceChildren(element("p", `${current.address}: ${summary(current)}`, "mono"));
    document.getElementById("export").disabled = false;
    showClasses(current);
  } catch (error) {
    current = null;
    document.getElementById("export").disabled = true;
    document.getElementById("classes").hidden = true;
    report.replaceChildren(element("div", error.message, "alert alert-warning"));
  }
}

/** Kriptosare's class checker: true when the class's confidence is at least the given percentage. */
function check(event) {
  event.preventDefault();
  if (!current) return;
  const name = document.getElementById("checker-class").value;
  const threshold = Number(document.getElementById("checker-percent").value);
  const confidence = 100 * Number((current.probabilities ?? {})[name] ?? 0);
  document.getElementById("checker-answer").textContent =
    `${name} ≥ ${threshold} %: ${confidence >= threshold ? "True" : "False"} (confidence ${confidence.toFixed(1)} %)`;
}

/** Offers a JSON document for download: the reports as the API gives them, with the block they are updated until. */
function download(name, reports) {
  const document_ = { exported: new Date().toISOString(), updated_until_block: tipHeight, addresses: reports };
  const url = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" }));
  const a = element("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The addresses of an imported document: a list of addresses or of reports, or an object with `addresses`. */
export function addressesOf(json) {
  const list = Array.isArray(json) ? json : (json && Array.isArray(json.addresses) ? json.addresses : null);
  if (list === null) throw new Error("expected a list of addresses, or an object with an \"addresses\" list");
  return list.map((item, index) => {
    const address = typeof item === "string" ? item : (item && typeof item.address === "string" ? item.address : null);
    if (address === null) throw new Error(`entry ${index + 1} is neither an address nor an object with "address"`);
    return address.trim();
  }).filter((a) => a.length > 0);
}

async function importFile(file) {
  let addresses;
  try {
    addresses = addressesOf(JSON.parse(await file.text()));
  } catch (error) {
    say(`${file.name}: ${error.message}`);
    return;
  }
  if (addresses.length > importLimit) {
    say(`${file.name} lists ${addresses.length} addresses; the first ${importLimit} are looked up.`, "warning");
    addresses = addresses.slice(0, importLimit);
  }
  imported = [];
  const rows = [];
  for (const address of addresses) {
    try {
      const r = await call(`/chain/addresses/${encodeURIComponent(address)}`);
      imported.push(r);
      rows.push([element("a", r.address, "mono"), r.class ?? "—", r.confidence === undefined || r.confidence === null ? "—" : percent(r.confidence),
        r.cluster_size ?? "—", r.history ? r.history.transactions.length : 0]);
      rows[rows.length - 1][0].href = `/chain.html?address=${encodeURIComponent(r.address)}`;
    } catch (error) {
      rows.push([element("span", address, "mono"), error.message, "", "", ""]);
    }
  }
  fillRows(document.getElementById("imported"), rows, "The file lists no address.");
  document.getElementById("export-imported").disabled = imported.length === 0;
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
document.getElementById("checker").addEventListener("submit", check);
document.getElementById("export").addEventListener("click", () => { if (current) download(`${current.address}.json`, [current]); });
document.getElementById("export-imported").addEventListener("click", () => download("addresses.json", imported));
document.getElementById("import-file").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (file) importFile(file);
});

showSession();
loadStatus().then((running) => {
  if (!running) return;
  loadWatchlist();
  loadPatterns();
  const given = query().address;
  if (given) { document.getElementById("address").value = given; lookUp(given); }
});
