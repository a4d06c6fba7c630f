// MossGrains console: plain JS over the silo's HTTP API (docs/http.md). Everything it shows comes from /v1 calls that
// carry the project key the user entered; the page itself holds no data.
"use strict";

const views = ["nodes", "indexes", "sessions", "jobs", "query"];
const refreshMs = 2000;
const storage = { project: "moss.console.project", key: "moss.console.key" };
const $ = (id) => document.getElementById(id);
let refreshing = false;
// The silos the last list could not ask (docs/http.md#catalog-what-the-cluster-holds): their entries come from the registry.
let unreachable = [];

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function settings() {
  return {
    project: localStorage.getItem(storage.project) || "default",
    key: localStorage.getItem(storage.key) || "",
  };
}

async function api(method, path, body) {
  const { project, key } = settings();
  const headers = { Accept: "application/json" };
  if (key) headers["X-Moss-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/v1/projects/${encodeURIComponent(project)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { title: `HTTP ${response.status}`, detail: text.slice(0, 500) };
  }
  if (!response.ok) throw new ApiError(response.status, json || { title: `HTTP ${response.status} ${response.statusText}` });
  return json;
}

// ---- rendering helpers (text only: nothing from the API becomes markup) ----

function cell(row, value, options = {}) {
  const td = document.createElement("td");
  if (options.field) td.dataset.field = options.field;
  if (options.className) td.className = options.className;
  if (value instanceof Node) td.append(value);
  else td.textContent = value === undefined || value === null || value === "" ? "—" : String(value);
  row.append(td);
  return td;
}

function time(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function fill(view, items, render) {
  const rows = $(`${view}-rows`);
  rows.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    render(tr, item);
    return tr;
  }));
  $(`${view}-empty`).hidden = items.length > 0;
}

function statusCell(row, status, field = "status") {
  const td = cell(row, status, { field });
  td.classList.add(`status-${String(status).toLowerCase()}`);
}

function progress(job) {
  const span = document.createElement("span");
  if (job.total > 0) {
    const bar = document.createElement("progress");
    bar.max = job.total;
    bar.value = Math.min(job.processed, job.total);
    bar.setAttribute("aria-label", `${job.processed} of ${job.total} processed`);
    span.append(bar, ` ${job.processed} / ${job.total}`);
  } else {
    span.textContent = job.status === "completed" ? "done" : "—";
  }
  return span;
}

const renderers = {
  async nodes() {
    const { nodes, unreachable_silos } = await api("GET", "/nodes");
    unreachable = unreachable_silos || [];
    fill("nodes", nodes, (tr, n) => {
      tr.dataset.key = n.address;
      cell(tr, n.address, { field: "address", className: "mono" });
      const name = cell(tr, n.name, { field: "name" });
      if (n.current) {
        const note = document.createElement("span");
        note.className = "current";
        note.textContent = " (answered this page)";
        name.append(note);
      }
      cell(tr, n.host_name, { field: "host_name" });
      statusCell(tr, n.status);
      cell(tr, time(n.started_at), { field: "started_at" });
      cell(tr, n.activations, { field: "activations", className: "number" });
    });
  },
  async indexes() {
    const { indexes, unreachable_silos } = await api("GET", "/indexes");
    unreachable = unreachable_silos || [];
    fill("indexes", indexes, (tr, i) => {
      tr.dataset.key = i.name;
      cell(tr, i.name, { field: "name" });
      cell(tr, i.doc_count, { field: "doc_count", className: "number" });
      cell(tr, i.model_id, { field: "model_id" });
      cell(tr, i.version, { field: "version", className: "mono" });
      cell(tr, time(i.last_check), { field: "last_check" });
      cell(tr, time(i.next_check), { field: "next_check" });
      cell(tr, i.auto_refresh ? `every ${i.polling_interval} s` : "off", { field: "auto_refresh" });
      cell(tr, i.live === false ? "not live" : i.silo, { field: "silo", className: "mono" });
      cell(tr, i.last_refresh_error, { field: "last_refresh_error", className: i.last_refresh_error ? "error" : "" });
    });
    return indexes;
  },
  async sessions() {
    const { sessions, unreachable_silos } = await api("GET", "/sessions");
    unreachable = unreachable_silos || [];
    fill("sessions", sessions, (tr, s) => {
      tr.dataset.key = s.name;
      cell(tr, s.name, { field: "name" });
      cell(tr, s.doc_count, { field: "doc_count", className: "number" });
      cell(tr, s.model_id, { field: "model_id" });
      cell(tr, s.dimensions, { field: "dimensions", className: "number" });
      cell(tr, s.durability, { field: "durability" });
      cell(tr, s.latest_version, { field: "latest_version", className: "mono" });
      cell(tr, s.live === false ? "not live" : s.silo, { field: "silo", className: "mono" });
    });
    return sessions;
  },
  async jobs() {
    const { jobs, unreachable_silos } = await api("GET", "/jobs?limit=50");
    unreachable = unreachable_silos || [];
    fill("jobs", jobs, (tr, j) => {
      tr.dataset.key = j.job_id;
      cell(tr, j.job_id, { field: "job_id", className: "mono" });
      cell(tr, j.index, { field: "index" });
      cell(tr, j.kind, { field: "kind" });
      statusCell(tr, j.status);
      cell(tr, j.phase, { field: "phase" });
      cell(tr, progress(j), { field: "progress" });
      cell(tr, time(j.updated_at), { field: "updated_at" });
      cell(tr, j.error, { field: "error", className: j.error ? "error" : "" });
    });
  },
  async query() {
    await loadTargets();
  },
};

// ---- errors ----

function showAuth(error) {
  const box = $("auth");
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const what = error.status === 403 ? "This key belongs to another project" : "The API needs a valid key of this project";
  box.textContent = `${what} (${error.status} ${error.problem.title || ""}): ${error.message} Enter the project's key above.`;
  box.hidden = false;
}

function problemText(error) {
  const p = error.problem || {};
  const lines = [`${error.status || ""} ${p.title || "Error"}${p.detail ? ": " + p.detail : ""}`.trim()];
  for (const [field, messages] of Object.entries(p.errors || {})) {
    for (const message of [].concat(messages)) {
      if (message !== p.detail) lines.push(`${field}: ${message}`);
    }
  }
  return lines;
}

function showProblem(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const [first, ...rest] = error instanceof ApiError ? problemText(error) : [String(error.message || error)];
  const strong = document.createElement("strong");
  strong.textContent = first;
  box.replaceChildren(strong);
  if (rest.length > 0) {
    const list = document.createElement("ul");
    for (const line of rest) {
      const li = document.createElement("li");
      li.textContent = line;
      list.append(li);
    }
    box.append(list);
  }
  box.hidden = false;
}

function handle(error) {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    showAuth(error);
    $("status").textContent = "";
    // Nothing read with an earlier key stays on screen under a refused one.
    for (const view of views.filter((v) => v !== "query")) {
      $(`${view}-rows`).replaceChildren();
      $(`${view}-empty`).hidden = true;
    }
    if (document.activeElement === document.body) $("key").focus();
    return;
  }
  $("status").textContent = `Could not refresh: ${error instanceof ApiError ? problemText(error)[0] : error.message}`;
}

// ---- views and refresh ----

function currentView() {
  const name = location.hash.slice(1);
  return views.includes(name) ? name : "nodes";
}

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  const view = currentView();
  try {
    unreachable = [];
    await renderers[view]();
    showAuth(null);
    const missing = unreachable.length > 0 ? ` (not answering, shown from the registry: ${unreachable.join(", ")})` : "";
    $("status").textContent = `Updated ${new Date().toLocaleTimeString()}${missing}`;
  } catch (error) {
    handle(error);
  } finally {
    refreshing = false;
  }
}

function show() {
  const view = currentView();
  for (const name of views) $(name).hidden = name !== view;
  for (const link of document.querySelectorAll("nav a[href^='#']")) {
    if (link.getAttribute("href") === `#${view}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${$(view + "-title").textContent} · MossGrains console`;
  refresh();
}

// ---- query ----

async function loadTargets() {
  const select = $("query-target");
  const chosen = select.value;
  const [{ indexes }, { sessions }] = await Promise.all([api("GET", "/indexes"), api("GET", "/sessions")]);
  const group = (label, kind, names) => {
    const optgroup = document.createElement("optgroup");
    optgroup.label = label;
    for (const name of names) {
      const option = document.createElement("option");
      option.value = `${kind}/${name}`;
      option.textContent = `${name} (${kind === "indexes" ? "index" : "session"})`;
      optgroup.append(option);
    }
    return optgroup;
  };
  select.replaceChildren(group("Indexes", "indexes", indexes.map((i) => i.name)), group("Sessions", "sessions", sessions.map((s) => s.name)));
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

function queryBody() {
  const body = { query: $("query-text").value, top_k: Number($("query-top-k").value || 5) };
  const alpha = $("query-alpha").value.trim();
  if (alpha !== "") body.alpha = Number(alpha);
  const filter = $("query-filter").value.trim();
  if (filter !== "") {
    try {
      body.filter = JSON.parse(filter);
    } catch (e) {
      throw new ApiError(0, { title: "Invalid filter", detail: `The filter is not JSON: ${e.message}`, errors: {} });
    }
  }
  return body;
}

function metadata(meta) {
  const entries = Object.entries(meta || {});
  if (entries.length === 0) return "—";
  const list = document.createElement("ul");
  list.className = "metadata";
  for (const [k, v] of entries) {
    const li = document.createElement("li");
    const code = document.createElement("code");
    code.textContent = k;
    li.append(code, ` = ${v}`);
    list.append(li);
  }
  return list;
}

async function runQuery(event) {
  event.preventDefault();
  const target = $("query-target").value;
  const problem = $("query-problem");
  const summary = $("query-summary");
  const table = $("query-results");
  showProblem(problem, null);
  summary.textContent = "Searching…";
  try {
    if (!target) throw new ApiError(0, { title: "No target", detail: "Choose a loaded index or a session (Reload list)." });
    const result = await api("POST", `/${target.split("/").map(encodeURIComponent).join("/")}/query`, queryBody());
    $("query-rows").replaceChildren(...result.docs.map((doc, i) => {
      const tr = document.createElement("tr");
      tr.dataset.key = doc.id;
      cell(tr, i + 1, { field: "rank", className: "number" });
      cell(tr, doc.score.toFixed(4), { field: "score", className: "number" });
      cell(tr, doc.id, { field: "id", className: "mono" });
      cell(tr, doc.text, { field: "text" });
      cell(tr, metadata(doc.metadata), { field: "metadata" });
      return tr;
    }));
    table.hidden = false;
    summary.textContent = `${result.docs.length} result${result.docs.length === 1 ? "" : "s"} in ${result.time_taken_ms} ms`;
  } catch (error) {
    table.hidden = true;
    summary.textContent = "";
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) showAuth(error);
    showProblem(problem, error);
  }
}

// ---- start ----

function start() {
  const current = settings();
  $("project").value = current.project;
  $("key").value = current.key;
  $("settings").addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(storage.project, $("project").value.trim() || "default");
    const key = $("key").value;
    if (key) localStorage.setItem(storage.key, key);
    else localStorage.removeItem(storage.key);
    showAuth(null);
    refresh();
  });
  $("forget").addEventListener("click", () => {
    localStorage.removeItem(storage.key);
    $("key").value = "";
    refresh();
  });
  $("query-form").addEventListener("submit", runQuery);
  $("query-reload").addEventListener("click", () => loadTargets().catch(handle));
  window.addEventListener("hashchange", show);
  setInterval(() => {
    if ($("auto-refresh").checked && currentView() !== "query" && document.visibilityState === "visible") refresh();
  }, refreshMs);
  show();
}

start();
