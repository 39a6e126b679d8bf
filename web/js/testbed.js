// The testbed (Kriptosare.gen's Tx Board): pick a scenario, seed and block count and start a run in the chain
// sidecar; watch its blocks and labelled addresses appear; download its labels; then ingest and train on it and read
// the model's figures. The sidecar does the work; this page only asks and polls.
import { api, call, element, fillRows, query, say, sayDaemonProblem, showSession } from "./console.js";

/** How often a running run (or training) is asked for its progress. */
const pollMilliseconds = 1000;
let scenarios = [];
let selected = null;
let polling = null;

const percent = (p) => `${(100 * Number(p)).toFixed(1)} %`;

/** A badge for a run's or a training's state: running, finished or failed. */
function stateBadge(state) {
  const kinds = { running: "bg-primary", finished: "bg-success", failed: "bg-danger" };
  return element("span", state, `badge ${kinds[state] ?? "bg-secondary"}`);
}

async function loadScenarios() {
  const box = document.getElementById("testbed-status");
  try {
    const list = await call("/testbed/scenarios");
    scenarios = list.scenarios;
    document.getElementById("testbed-card").className = "card mb-3 daemon-up";
    box.replaceChildren(element("div", scenarios.length === 0
      ? "coinsentry-chaind has no scenario: add TOML or JSON files to its [testbed] scenarios folder."
      : `${scenarios.length} scenarios; a run asks for at most ${list.maximum_blocks} activity blocks; one run at a time.`));
    const select = document.getElementById("scenario");
    select.replaceChildren(...scenarios.map((s) => { const o = element("option", s.name); o.value = s.name; return o; }));
    document.getElementById("blocks").max = list.maximum_blocks;
    showScenario();
    return true;
  } catch (error) {
    document.getElementById("testbed-card").className = "card mb-3 daemon-down";
    sayDaemonProblem(box, error, "coinsentry-chaind");
    document.getElementById("testbed-box").hidden = true;
    return false;
  }
}

/** The chosen scenario's description and defaults. */
function showScenario() {
  const scenario = scenarios.find((s) => s.name === document.getElementById("scenario").value);
  if (!scenario) return;
  document.getElementById("seed").value = scenario.seed ?? 1;
  document.getElementById("blocks").value = scenario.blocks;
  document.getElementById("scenario-description").textContent =
    `${scenario.description} (${scenario.actors} actors, ${scenario.blocks} activity blocks by default)`;
}

async function loadRuns() {
  try {
    const list = await call("/testbed/runs");
    fillRows(document.getElementById("runs"), list.runs.map((r) => {
      const open = element("a", r.id, "mono");
      open.href = `/testbed.html?run=${encodeURIComponent(r.id)}`;
      open.addEventListener("click", (event) => { event.preventDefault(); select(r.id); });
      return [open, r.scenario, r.seed, r.blocks, stateBadge(r.state), `${r.height}/${r.final_height ?? "?"}`,
        r.labelled_addresses, r.training ? stateBadge(r.training.state) : "—"];
    }), "No run yet.");
    return list.runs;
  } catch (error) {
    fillRows(document.getElementById("runs"), [[error.message]], "");
    return [];
  }
}

/** What a run's training did: the model, the addresses it learnt from, and its figures on the held-out ones. */
function trainingText(t) {
  if (t.state === "running") return "Ingesting the run's blocks and training…";
  if (t.state === "failed") return `Training failed: ${t.reason ?? "no reason given"}`;
  let text = `Ingested ${t.blocks_ingested} blocks (${t.transactions_ingested} transactions). Trained a random forest on ` +
    `${t.fitted} addresses (${t.calibration} more calibrate its confidences; ${t.not_on_chain} labelled addresses are ` +
    `not on the chain), classes ${(t.classes ?? []).join(", ")}; model ${t.model}.`;
  const e = t.evaluation;
  if (e) {
    text += ` On ${e.examples} addresses of the run kept out of training: accuracy ${percent(e.accuracy)}, ` +
      `macro F1 ${Number(e.macro_f1).toFixed(3)}, calibration error ${Number(e.expected_calibration_error).toFixed(3)}.`;
  }
  return text;
}

/** Shows one run: its progress or end, its labels by class, the labels download and the training. */
function showRun(run) {
  document.getElementById("run-id").textContent = run.id;
  const line = [stateBadge(run.state), element("span", ` ${run.scenario}, seed ${run.seed}, ${run.blocks} activity blocks; started ${run.started}` +
    (run.ended ? `, ended ${run.ended}` : ""))];
  const box = document.getElementById("run");
  box.replaceChildren(element("p"));
  box.firstChild.append(...line);
  if (run.reason) box.append(element("div", run.reason, "alert alert-warning"));
  const progress = document.getElementById("run-progress");
  progress.hidden = run.final_height === undefined || run.final_height === null;
  progress.max = run.final_height ?? 1;
  progress.value = run.height;
  document.getElementById("run-progress-text").textContent =
    `Block ${run.height} of ${run.final_height ?? "?"} · ${run.transactions} transactions · ` +
    `${run.labelled_addresses} labelled addresses` + (run.tip_hash ? ` · tip ${run.tip_hash}` : "");
  const classes = run.addresses_by_class ?? {};
  const names = Object.keys(classes).sort((a, b) => classes[b] - classes[a]);
  document.getElementById("classes-table").hidden = names.length === 0;
  fillRows(document.getElementById("classes"), names.map((n) => [n, classes[n]]), "");
  const finished = run.state === "finished";
  document.getElementById("run-actions").hidden = !finished;
  const labels = document.getElementById("labels-link");
  labels.href = `${api}/testbed/runs/${encodeURIComponent(run.id)}/labels`;
  labels.download = `${run.id}-labels.csv`;
  const training = run.training;
  document.getElementById("train").disabled = training !== undefined && training !== null && training.state === "running";
  const trainingBox = document.getElementById("training");
  trainingBox.replaceChildren();
  const recall = training && training.evaluation ? training.evaluation.recall ?? {} : {};
  if (training) {
    trainingBox.append(element("p", trainingText(training), training.state === "failed" ? "text-danger" : ""));
  }
  const busy = run.state === "running" || (training !== undefined && training !== null && training.state === "running");
  document.getElementById("delete-box").hidden = busy;
  const recallNames = Object.keys(recall).sort();
  document.getElementById("recall-table").hidden = recallNames.length === 0;
  fillRows(document.getElementById("recall"), recallNames.map((n) => [n, percent(recall[n])]), "");
}

/** Selects a run and polls it while it (or its training) runs. */
async function select(id) {
  selected = id;
  if (polling) { clearTimeout(polling); polling = null; }
  history.replaceState(null, "", `/testbed.html?run=${encodeURIComponent(id)}`);
  await refresh();
}

async function refresh() {
  if (!selected) return;
  let run;
  try {
    run = await call(`/testbed/runs/${encodeURIComponent(selected)}`);
  } catch (error) {
    document.getElementById("run").replaceChildren(element("div", error.message, "alert alert-warning"));
    return;
  }
  showRun(run);
  const busy = run.state === "running" || (run.training && run.training.state === "running");
  if (busy) {
    polling = setTimeout(refresh, pollMilliseconds);
  } else {
    loadRuns();
  }
}

document.getElementById("scenario").addEventListener("change", showScenario);
document.getElementById("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { scenario: document.getElementById("scenario").value };
  const seed = document.getElementById("seed").value, blocks = document.getElementById("blocks").value;
  if (seed !== "") body.seed = Number(seed);
  if (blocks !== "") body.blocks = Number(blocks);
  try {
    const run = await call("/testbed/runs", "POST", body);
    say(`Run ${run.id} started.`, "success");
    await loadRuns();
    await select(run.id);
  } catch (error) {
    say(error.message);
  }
});
document.getElementById("train").addEventListener("click", async () => {
  if (!selected) return;
  try {
    await call(`/testbed/runs/${encodeURIComponent(selected)}/train`, "POST");
    say(`Ingesting and training on ${selected}.`, "success");
    await select(selected);
  } catch (error) {
    say(error.message);
  }
});

document.getElementById("delete").addEventListener("click", async () => {
  if (!selected || !window.confirm(`Delete ${selected}: its blocks, labels, chain database and model?`)) return;
  try {
    await call(`/testbed/runs/${encodeURIComponent(selected)}`, "DELETE");
    say(`Run ${selected} deleted.`, "success");
    selected = null;
    history.replaceState(null, "", "/testbed.html");
    document.getElementById("run-id").textContent = "";
    document.getElementById("run").replaceChildren(element("p", "No run selected.", "text-muted"));
    for (const id of ["run-progress", "classes-table", "run-actions", "recall-table", "delete-box"]) {
      document.getElementById(id).hidden = true;
    }
    document.getElementById("run-progress-text").textContent = "";
    document.getElementById("training").replaceChildren();
    await loadRuns();
  } catch (error) {
    say(error.message);
  }
});

showSession();
loadScenarios().then(async (running) => {
  if (!running) return;
  const runs = await loadRuns();
  const given = query().run;
  if (given) select(given); else if (runs.length > 0) select(runs[0].id);
});
