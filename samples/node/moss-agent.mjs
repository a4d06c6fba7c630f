// A TypeScript/JavaScript agent talking to a MossGrains silo over HTTP with Node's built-in fetch (Node 18+), no packages.
// It keeps a per-call session, builds a shared index through a mutation job, waits for it, loads the index and queries it.
// Usage: node samples/node/moss-agent.mjs --url http://127.0.0.1:8080 --project default [--key KEY]   (or MOSS_KEY)
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:8080" },
    project: { type: "string", default: "default" },
    key: { type: "string", default: process.env.MOSS_KEY ?? "" },
  },
});
const base = `${values.url.replace(/\/$/, "")}/v1/projects/${values.project}`;

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (values.key) headers["X-Moss-Key"] = values.key;
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function waitForJob(jobId, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call("GET", `/jobs/${jobId}`);
    if (status.status === "completed" || status.status === "failed") return status;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${status.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function check(condition, what) {
  if (!condition) throw new Error(`unexpected answer: ${JSON.stringify(what)}`);
}

const suffix = randomUUID().slice(0, 8);
const session = `call-${suffix}`;
await call("PUT", `/sessions/${session}`, { durability: "ephemeral" });
const added = await call("POST", `/sessions/${session}/docs`, {
  docs: [
    { id: "turn-1", text: "The caller wants to return a pair of running shoes.", metadata: { speaker: "caller" } },
    { id: "turn-2", text: "The agent explained refunds take five business days.", metadata: { speaker: "agent" } },
  ],
});
const hits = await call("POST", `/sessions/${session}/query`, {
  query: "how long do refunds take", top_k: 1, alpha: 0.5, filter: { field: "speaker", condition: { $eq: "agent" } },
});
console.log(`session ${session}: added ${added.added}, best match ${hits.docs[0].id}`);
check(hits.docs[0].id === "turn-2", hits);

const index = `faq-${suffix}`;
const texts = [
  "Refunds are issued within five business days of receiving the return.",
  "Shipping is free on orders over fifty dollars.",
  "Returns are accepted within thirty days of delivery.",
];
const job = await call("POST", `/indexes/${index}/jobs/add`, { docs: texts.map((text, i) => ({ id: `faq-${i}`, text })) });
const status = await waitForJob(job.job_id);
console.log(`job ${job.job_id}: ${status.status}, ${status.doc_count} docs in version ${status.sequence}`);
check(status.status === "completed", status);

const info = await call("POST", `/indexes/${index}/load`, { auto_refresh: true, polling_interval: 60 });
const answer = await call("POST", `/indexes/${index}/query`, { query: "when will I get my money back", top_k: 1 });
console.log(`index ${index}: ${info.doc_count} docs, best match ${answer.docs[0].id}`);
check(answer.docs[0].id === "faq-0", answer);
console.log("node agent: ok");
