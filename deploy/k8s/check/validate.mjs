// Validates the rendered manifests (stdin: a multi-document YAML) without a cluster: each object against the
// Kubernetes schemas of npm kubernetes-models, then what the silo needs from them, which no schema knows.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as models from "kubernetes-models";

const problems = [];
const objects = parseAllDocuments(readFileSync(0, "utf8")).map((d) => {
  if (d.errors.length) problems.push(`YAML: ${d.errors.map(String).join("; ")}`);
  return d.toJSON();
}).filter(Boolean);

// kubernetes-models names an API group in camel case: rbac.authorization.k8s.io -> rbacAuthorizationK8sIo; "" -> v1.
function modelOf({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const module = group === "" ? models[version]
    : models[group.split(".").map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join("")]?.[version];
  return module?.[kind];
}

for (const o of objects) {
  const Model = modelOf(o);
  if (!Model) { problems.push(`${o.kind}/${o.metadata?.name}: no schema for ${o.apiVersion} ${o.kind}`); continue; }
  try { new Model(o).validate(); } catch (e) { problems.push(`${o.kind}/${o.metadata?.name}: ${e.message}`); }
}

const find = (kind) => objects.filter((o) => o.kind === kind);
const [deployment] = find("Deployment");
const [service] = find("Service");
const [secret] = find("Secret");
const [role] = find("Role");
const [binding] = find("RoleBinding");
const check = (ok, what) => { if (!ok) problems.push(what); };
check(deployment && service && secret && role && binding && find("ServiceAccount").length, "expected a Deployment, Service, Secret, ServiceAccount, Role and RoleBinding");

if (deployment) {
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e]));
  check(deployment.spec.replicas === 3, "the Deployment runs 3 replicas");
  for (const label of ["orleans/serviceId", "orleans/clusterId"]) check(pod.metadata.labels?.[label], `pod label ${label} (Orleans' Kubernetes hosting selects the cluster's pods by it)`);
  for (const name of ["POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "Moss__Silo__Clustering", "Moss__Silo__StorageConnectionString"]) check(env[name], `env ${name}`);
  check(env.Moss__Silo__ServiceId?.valueFrom?.fieldRef?.fieldPath === env.ORLEANS_SERVICE_ID?.valueFrom?.fieldRef?.fieldPath, "Moss__Silo__ServiceId and ORLEANS_SERVICE_ID come from the same field");
  check(env.Moss__Silo__ClusterId?.valueFrom?.fieldRef?.fieldPath === env.ORLEANS_CLUSTER_ID?.valueFrom?.fieldRef?.fieldPath, "Moss__Silo__ClusterId and ORLEANS_CLUSTER_ID come from the same field");
  for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) check(container[probe]?.httpGet?.path === "/health", `${probe} on /health`);
  const ports = (container.ports ?? []).map((p) => p.name);
  for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) check(ports.includes(container[probe]?.httpGet?.port), `${probe} port names a container port`);
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) check(ref.name === secret?.metadata.name && secret?.stringData?.[ref.key] !== undefined, `env ${e.name}: Secret ${ref.name} has no key ${ref.key}`);
  }
  // TLS (docs/cluster.md): each certificate file the silo is given lies in a volume mounted from the Secret mossgrains-tls.
  const mounts = (container.volumeMounts ?? []).map((m) => ({ ...m, volume: (pod.spec.volumes ?? []).find((v) => v.name === m.name) }));
  for (const m of mounts) check(m.volume, `volumeMount ${m.name} has a volume`);
  for (const name of ["CertificateFile", "KeyFile", "CaCertificateFile"]) {
    const file = env[`Moss__Silo__Tls__${name}`]?.value;
    const mount = mounts.find((m) => file?.startsWith(m.mountPath + "/"));
    check(env.Moss__Silo__Tls__Enabled?.value === "true" && mount?.volume?.secret?.secretName === "mossgrains-tls",
      `env Moss__Silo__Tls__${name} names a file in the mounted Secret mossgrains-tls`);
  }
  const selector = service?.spec.selector ?? {};
  check(Object.keys(selector).length && Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v), "the Service selects the silo pods");
  check(ports.includes(service?.spec.ports?.[0]?.targetPort), "the Service's targetPort names a container port");
  const account = pod.spec.serviceAccountName;
  check(find("ServiceAccount").some((a) => a.metadata.name === account), `ServiceAccount ${account} exists`);
  check(binding?.subjects?.some((s) => s.kind === "ServiceAccount" && s.name === account) && binding?.roleRef?.name === role?.metadata.name, "the RoleBinding gives the silos' ServiceAccount the Role");
  const podRule = role?.rules?.find((r) => r.resources?.includes("pods"));
  for (const verb of ["get", "list", "watch", "patch", "delete"]) check(podRule?.verbs?.includes(verb), `Role allows ${verb} on pods`);
}

for (const p of problems) console.error(`k8s check: ${p}`);
console.log(`k8s check: ${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
