// Shared by every page: API calls, the navigation bar's session state, and safe rendering (text only, never HTML
// from the API). Loaded as a module; no inline script anywhere (the content security policy forbids it).

export const api = "/api/v1";

/** The navigation bar, the same on every page (each page has an empty <nav id="nav">). */
function navigation() {
  const nav = document.getElementById("nav");
  if (!nav || nav.childElementCount > 0) return;
  const box = element("div", "", "container-fluid");
  const brand = link("CoinSentry", "/");
  brand.className = "navbar-brand";
  const pages = element("div", "", "navbar-nav me-auto");
  for (const [text, href] of [["Sensor", "/"], ["Alerts", "/alerts.html"], ["Chain", "/chain.html"], ["Testbed", "/testbed.html"], ["API", "/api/v1/openapi.json"]]) {
    const item = link(text, href);
    item.className = location.pathname === href ? "nav-link active" : "nav-link";
    pages.append(item);
  }
  const state = element("span", "", "navbar-text me-3");
  state.id = "session-state";
  const login = link("Log in", "/login.html");
  login.className = "btn btn-sm btn-outline-light me-2";
  const logout = element("button", "Log out", "btn btn-sm btn-outline-light");
  logout.id = "logout";
  logout.hidden = true;
  box.append(brand, pages, state, login, logout);
  nav.append(box);
}

/** An API error carrying the server's message and whether the daemon is running. */
export class APIError extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `HTTP ${status}`);
    this.status = status;
    this.running = body ? body.running : undefined;
    this.daemon = body ? body.daemon : undefined;
  }
}

/** GET (or another method with a JSON body) on the API; changes carry the console's request header. */
export async function call(path, method = "GET", body = undefined) {
  const init = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") init.headers["X-CoinSentry-Request"] = "console";
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(api + path, init);
  let payload = null;
  try { payload = await response.json(); } catch (_) { payload = null; }
  if (!response.ok) throw new APIError(response.status, payload);
  return payload;
}

/** Creates an element with text content (never innerHTML) and optional class. */
export function element(tag, text = "", className = "") {
  const node = document.createElement(tag);
  if (text !== "") node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

/** Replaces a table body's rows; each row is an array of cells (text, or a Node). */
export function fillRows(tbody, rows, emptyText) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    const row = element("tr");
    const cell = element("td", emptyText, "text-muted");
    cell.colSpan = 20;
    row.append(cell);
    tbody.append(row);
    return;
  }
  for (const cells of rows) {
    const row = element("tr");
    for (const cell of cells) {
      const td = element("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell === null || cell === undefined ? "" : String(cell);
      if (typeof cell === "number") td.className = "number";
      row.append(td);
    }
    tbody.append(row);
  }
}

/** A badge for a verdict level (mining, suspect, or none). */
export function levelBadge(level) {
  return element("span", level || "none", `badge level-${level || "none"}`);
}

/** A link to a page with query parameters, text as given. */
export function link(text, href) {
  const a = element("a", text);
  a.href = href;
  return a;
}

export function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = Number(n), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Shows a message in the page's alert area (#message): kind is Bootstrap's (danger, warning, success, info). */
export function say(text, kind = "danger") {
  const area = document.getElementById("message");
  if (!area) return;
  area.replaceChildren(element("div", text, `alert alert-${kind}`));
}

/** Shows why a daemon's section is empty: not running, or another failure. */
export function sayDaemonProblem(container, error, process) {
  const message = String(error.message ?? "");
  const text = error.running === false && !message.startsWith(process) ? `${process} is not running: ${message}` : message;
  container.replaceChildren(element("div", text, "alert alert-warning daemon-problem"));
}

/** The navigation bar with the session state and logout. */
export async function showSession() {
  navigation();
  const state = document.getElementById("session-state");
  if (!state) return null;
  try {
    const session = await call("/session");
    state.textContent = session.authenticated ? "logged in" : (session.changes_allowed ? "read-only (log in to change)" : "read-only");
    const logout = document.getElementById("logout");
    if (logout) {
      logout.hidden = !session.authenticated;
      logout.onclick = async () => { await call("/session", "DELETE"); location.reload(); };
    }
    return session;
  } catch (error) {
    state.textContent = error.message;
    return null;
  }
}

/** The query string as an object. */
export function query() {
  return Object.fromEntries(new URLSearchParams(location.search).entries());
}
