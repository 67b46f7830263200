// Validates what deploy/ ships, since no cluster runs where the tests do:
//   1. every Kubernetes manifest against the Kubernetes API's schemas (the kubernetes-models package:
//      validators generated from the API's OpenAPI document), plus unknown fields (a misspelt
//      `readinesProbe` is silently dropped by a cluster, so it is an error here);
//   2. our own deployment rules (probes, non-root, read-only root file system, resources, pinned
//      images, placeholder-only secrets, references between the manifests, the migration Job);
//   3. the Dockerfile and compose files against the same rules where they apply.
// Usage: node validate.mjs [FILE_OR_DIR ...]   (default: everything under deploy/ and docker-compose.yml)
// Exit 0 when there is no problem, 1 otherwise; every problem is printed with its file and path.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const deployDir = path.resolve(here, "..");
const repo = path.resolve(deployDir, "..");
const modules = path.join(here, "node_modules");

const problems = [];
const rel = (file) => path.relative(repo, file) || file;
const problem = (file, where, message) => problems.push(`${rel(file)}${where ? ` ${where}` : ""}: ${message}`);

// ---------------------------------------------------------------- files

function collect(target, out) {
  const stat = statSync(target);
  if (stat.isDirectory()) {
    for (const name of readdirSync(target).sort()) {
      if (name === "node_modules" || name === "validate") continue;
      collect(path.join(target, name), out);
    }
  } else if (/\.ya?ml$/.test(target) || /^Dockerfile(\.[\w-]+)?$/.test(path.basename(target)) && !target.endsWith(".dockerignore")) {
    out.push(target);
  }
  return out;
}

const args = process.argv.slice(2);
const targets = args.length > 0
  ? args.map((a) => path.resolve(a))
  : [deployDir, path.join(repo, "docker-compose.yml")];
const files = targets.flatMap((t) => collect(t, []));

// ---------------------------------------------------------------- Kubernetes schemas

/** The interface a kubernetes-models .d.ts file declares first: property → type text, imports → file. */
const shapes = new Map();
function shapeOf(file) {
  if (shapes.has(file)) return shapes.get(file);
  let shape = null;
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8");
    const imports = new Map();
    for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
      imports.set(m[1], m[2].startsWith(".")
        ? path.resolve(path.dirname(file), m[2].replace(/\.js$/, ".d.ts"))
        : path.join(modules, `${m[2]}.d.ts`));
    }
    const start = text.search(/^export interface \w+/m);
    if (start >= 0) {
      const body = text.slice(start, text.indexOf("\n}", start));
      const props = new Map();
      for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (.*?);?$/gm)) props.set(m[1], m[2]);
      shape = { props, imports };
    }
  }
  shapes.set(file, shape);
  return shape;
}

/** Fields the schema does not know, the way `kubeconform -strict` reports them. */
function unknownFields(value, shape, at, found) {
  if (!shape || value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const type = shape.props.get(key);
    if (type === undefined) {
      found.push(`${at}/${key}: unknown field (not in the Kubernetes schema)`);
      continue;
    }
    const list = /^Array<(\w+)>$/.exec(type);
    const single = /^(\w+)$/.exec(type);
    if (list && shape.imports.has(list[1]) && Array.isArray(child)) {
      child.forEach((item, i) => unknownFields(item, shapeOf(shape.imports.get(list[1])), `${at}/${key}/${i}`, found));
    } else if (single && shape.imports.has(single[1])) {
      unknownFields(child, shapeOf(shape.imports.get(single[1])), `${at}/${key}`, found);
    }
  }
}

async function validateSchema(file, doc, label) {
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    problem(file, label, "apiVersion and kind are required");
    return;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    problem(file, label, `unknown apiVersion/kind ${apiVersion}/${kind} (not in the Kubernetes API)`);
    return;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    const errors = Array.isArray(e.errors) && e.errors.length > 0
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message ?? x.keyword}${x.params?.allowedValues ? ` (${x.params.allowedValues.join(", ")})` : ""}`)
      : [e.message];
    for (const message of errors) problem(file, label, `schema: ${message}`);
  }
  const unknown = [];
  unknownFields(doc, shapeOf(path.join(modules, "kubernetes-models", apiVersion, `${kind}.d.ts`)), "", unknown);
  for (const message of unknown) problem(file, label, `schema: ${message}`);
}

// ---------------------------------------------------------------- our rules

const ours = (image) => typeof image === "string" && /(^|\/)commentservice(:|@|$)/.test(image);

function imageTag(image) {
  if (typeof image !== "string" || image.length === 0) return { ok: false, why: "no image" };
  if (image.includes("@sha256:")) return { ok: true, tag: image.split("@")[1] };
  const last = image.split("/").pop();
  const colon = last.lastIndexOf(":");
  if (colon < 0) return { ok: false, why: `image ${image} has no tag (means :latest)` };
  const tag = last.slice(colon + 1);
  if (tag === "latest") return { ok: false, why: `image ${image} uses :latest` };
  return { ok: true, tag };
}

function podSpecOf(doc) {
  switch (doc.kind) {
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job":
      return { spec: doc.spec?.template?.spec, labels: doc.spec?.template?.metadata?.labels ?? {}, at: "/spec/template/spec" };
    case "CronJob":
      return { spec: doc.spec?.jobTemplate?.spec?.template?.spec, labels: {}, at: "/spec/jobTemplate/spec/template/spec" };
    case "Pod":
      return { spec: doc.spec, labels: doc.metadata?.labels ?? {}, at: "/spec" };
    default:
      return null;
  }
}

const matches = (selector, labels) =>
  selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function checkWorkload(file, doc, label, pod, all) {
  const spec = pod.spec;
  if (!spec) return;
  const longRunning = doc.kind !== "Job" && doc.kind !== "CronJob";
  if (spec.automountServiceAccountToken !== false) {
    problem(file, label, `${pod.at}/automountServiceAccountToken must be false (the service never calls the Kubernetes API)`);
  }
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  if (spec.securityContext?.runAsUser === 0) problem(file, label, `${pod.at}/securityContext/runAsUser is 0 (root)`);
  const containers = [...(spec.containers ?? []).map((c, i) => [c, `${pod.at}/containers/${i}`]),
    ...(spec.initContainers ?? []).map((c, i) => [c, `${pod.at}/initContainers/${i}`])];
  for (const [c, at] of containers) {
    const name = `${at} (${c.name})`;
    const tag = imageTag(c.image);
    if (!tag.ok) problem(file, label, `${name}: ${tag.why}; pin a release tag or digest`);
    if (!podNonRoot && c.securityContext?.runAsNonRoot !== true) problem(file, label, `${name}: runAsNonRoot is not set (pod or container)`);
    if (c.securityContext?.runAsUser === 0) problem(file, label, `${name}: securityContext/runAsUser is 0 (root)`);
    if (c.securityContext?.allowPrivilegeEscalation !== false) problem(file, label, `${name}: securityContext/allowPrivilegeEscalation must be false`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problem(file, label, `${name}: securityContext/readOnlyRootFilesystem must be true`);
    if (!(c.securityContext?.capabilities?.drop ?? []).includes("ALL")) problem(file, label, `${name}: securityContext/capabilities/drop must include ALL`);
    for (const r of ["requests.cpu", "requests.memory", "limits.memory"]) {
      const [kind, key] = r.split(".");
      if (c.resources?.[kind]?.[key] === undefined) problem(file, label, `${name}: resources/${kind}/${key} is not set`);
    }
    if (longRunning && at.includes("/containers/")) {
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        if (!c[probe]) problem(file, label, `${name}: no ${probe}`);
      }
      if (ours(c.image)) {
        if (c.readinessProbe?.httpGet?.path !== "/health/ready") problem(file, label, `${name}: readinessProbe must GET /health/ready (database and schema)`);
        if (c.livenessProbe?.httpGet?.path !== "/health/live") problem(file, label, `${name}: livenessProbe must GET /health/live (never the database: a database outage must not restart every pod)`);
        const sleep = c.lifecycle?.preStop?.sleep?.seconds;
        if (!c.lifecycle?.preStop) problem(file, label, `${name}: no lifecycle/preStop (pods must keep serving while their endpoint is removed)`);
        else if (typeof sleep === "number" && (spec.terminationGracePeriodSeconds ?? 30) < sleep + 30) {
          problem(file, label, `${name}: terminationGracePeriodSeconds must cover the preStop sleep (${sleep} s) plus the 30 s graceful shutdown`);
        }
        if (migrationsSetting(c, all) !== "false") problem(file, label, `${name}: serving pods must run with Comments__ApplyMigrations=false (the migration Job migrates)`);
      }
    }
    if (doc.kind === "Job" && ours(c.image) && !(c.args ?? []).includes("--migrate")) {
      problem(file, label, `${name}: a CommentService Job must run --migrate`);
    }
    for (const ref of c.envFrom ?? []) {
      if (ref.configMapRef && !all.some((d) => d.doc.kind === "ConfigMap" && d.doc.metadata?.name === ref.configMapRef.name)) {
        problem(file, label, `${name}: envFrom names ConfigMap ${ref.configMapRef.name}, which no manifest defines`);
      }
    }
    const secrets = all.filter((d) => d.doc.kind === "Secret");
    for (const env of c.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef;
      if (!ref || secrets.length === 0) continue;
      const secret = secrets.find((d) => d.doc.metadata?.name === ref.name);
      if (!secret) problem(file, label, `${name}: env ${env.name} reads Secret ${ref.name}, which the example Secret does not describe`);
      else if (!Object.hasOwn({ ...secret.doc.stringData, ...secret.doc.data }, ref.key)) {
        problem(file, label, `${name}: env ${env.name} reads key ${ref.key}, which the example Secret ${ref.name} does not describe`);
      }
    }
  }
}

function migrationsSetting(container, all) {
  const direct = (container.env ?? []).find((e) => e.name === "Comments__ApplyMigrations");
  if (direct) return direct.value;
  for (const ref of container.envFrom ?? []) {
    const map = all.find((d) => d.doc.kind === "ConfigMap" && d.doc.metadata?.name === ref.configMapRef?.name);
    const value = map?.doc.data?.[`${ref.prefix ?? ""}Comments__ApplyMigrations`] ?? map?.doc.data?.Comments__ApplyMigrations;
    if (value !== undefined) return value;
  }
  return undefined;
}

function checkReferences(file, doc, label, all) {
  const workloads = all.filter((d) => podSpecOf(d.doc) && d.doc.kind !== "Job" && d.doc.kind !== "CronJob");
  const podLabels = workloads.map((d) => podSpecOf(d.doc).labels);
  switch (doc.kind) {
    case "Service": {
      const target = workloads.find((d) => matches(doc.spec?.selector, podSpecOf(d.doc).labels));
      if (!target) {
        problem(file, label, "spec/selector matches no workload's pods");
        break;
      }
      const ports = (podSpecOf(target.doc).spec?.containers ?? []).flatMap((c) => c.ports ?? []);
      for (const p of doc.spec?.ports ?? []) {
        const t = p.targetPort ?? p.port;
        if (!ports.some((cp) => cp.name === t || cp.containerPort === t)) problem(file, label, `port ${p.name ?? p.port}: targetPort ${t} is no container port of ${target.doc.metadata?.name}`);
      }
      break;
    }
    case "HorizontalPodAutoscaler": {
      const ref = doc.spec?.scaleTargetRef ?? {};
      if (!all.some((d) => d.doc.kind === ref.kind && d.doc.metadata?.name === ref.name)) problem(file, label, `spec/scaleTargetRef ${ref.kind}/${ref.name} is not in these manifests`);
      if ((doc.spec?.minReplicas ?? 1) < 2) problem(file, label, "spec/minReplicas must be at least 2 (one replica cannot survive a node drain)");
      break;
    }
    case "PodDisruptionBudget":
      if (!podLabels.some((l) => matches(doc.spec?.selector?.matchLabels, l))) problem(file, label, "spec/selector matches no workload's pods");
      break;
    case "Secret":
      for (const [key, value] of Object.entries({ ...doc.stringData, ...doc.data })) {
        const text = doc.data && Object.hasOwn(doc.data, key) ? Buffer.from(String(value), "base64").toString() : String(value);
        if (!/^CHANGE-ME/.test(text)) problem(file, label, `key ${key} holds a value; committed Secrets hold CHANGE-ME placeholders only (create the real one with kubectl create secret)`);
      }
      break;
  }
}

function checkKustomization(file, doc, allImages) {
  for (const resource of doc.resources ?? []) {
    if (!existsSync(path.resolve(path.dirname(file), resource))) problem(file, "", `resource ${resource} does not exist`);
  }
  for (const image of doc.images ?? []) {
    for (const [other, tag] of allImages) {
      if (other === image.name && image.newTag !== undefined && tag !== String(image.newTag)) {
        problem(file, "", `images: ${image.name} newTag ${image.newTag} differs from the manifests' tag ${tag}`);
      }
    }
  }
}

// ---------------------------------------------------------------- Dockerfile and compose

function checkDockerfile(file) {
  const lines = readFileSync(file, "utf8").replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const froms = lines.map((l, i) => [l, i]).filter(([l]) => /^FROM\s/i.test(l));
  if (froms.length === 0) {
    problem(file, "", "no FROM");
    return;
  }
  for (const [line] of froms) {
    const image = line.split(/\s+/)[1];
    const tag = imageTag(image);
    if (!tag.ok) problem(file, "", `${line}: ${tag.why}`);
  }
  const [lastFrom, start] = froms[froms.length - 1];
  const final = lines.slice(start + 1);
  if (!/(chiseled|alpine|distroless)/.test(lastFrom)) problem(file, "", `runtime stage ${lastFrom.split(/\s+/)[1]} is not a small base image (chiseled, alpine or distroless)`);
  const users = final.filter((l) => /^USER\s/i.test(l)).map((l) => l.split(/\s+/)[1]);
  const user = users[users.length - 1];
  if (!user) problem(file, "", "the runtime stage sets no USER (it would run as root)");
  else if (/^(root|0)(:|$)/.test(user)) problem(file, "", `the runtime stage runs as ${user}`);
  if (!final.some((l) => /^HEALTHCHECK\s+(?!NONE)/i.test(l))) problem(file, "", "the runtime stage has no HEALTHCHECK");
  if (!final.some((l) => /^ENTRYPOINT\s/i.test(l))) problem(file, "", "the runtime stage has no ENTRYPOINT");
}

function checkCompose(file, doc) {
  const services = doc.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    if (service.image) {
      const tag = imageTag(service.image);
      if (!tag.ok && !service.build) problem(file, `services/${name}`, tag.why);
    }
    const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const dep of deps) if (!services[dep]) problem(file, `services/${name}`, `depends_on names ${dep}, which is no service`);
    const serving = service.build && !(service.command ?? []).includes("--migrate");
    const replicas = service.deploy?.replicas ?? 1;
    if (serving && replicas > 1 && String(service.environment?.Comments__ApplyMigrations) !== "false") {
      problem(file, `services/${name}`, "replicated API services must run with Comments__ApplyMigrations=false and wait for the migrate step");
    }
  }
}

// ---------------------------------------------------------------- run

const documents = [];
for (const file of files) {
  if (/^Dockerfile/.test(path.basename(file))) {
    documents.push({ file, type: "dockerfile" });
    continue;
  }
  const parsed = parseAllDocuments(readFileSync(file, "utf8"), { prettyErrors: true });
  parsed.forEach((d, i) => {
    for (const e of d.errors) problem(file, `document ${i + 1}`, `YAML: ${e.message}`);
    const doc = d.toJS();
    if (doc === null || doc === undefined) return;
    const type = doc.services ? "compose" : doc.kind === "Kustomization" ? "kustomization" : "kubernetes";
    documents.push({ file, type, doc, label: doc.kind ? `(${doc.kind} ${doc.metadata?.name ?? "?"})` : `document ${i + 1}` });
  });
}

const manifests = documents.filter((d) => d.type === "kubernetes");
const images = new Map();
for (const { doc } of manifests) {
  for (const c of podSpecOf(doc)?.spec?.containers ?? []) {
    const tag = imageTag(c.image);
    if (!tag.ok) continue;
    const name = c.image.split("@")[0].replace(/:[^:/]+$/, "");
    if (images.has(name) && images.get(name) !== tag.tag) problem(repo, "", `image ${name} is used with two tags (${images.get(name)} and ${tag.tag}): one release, one tag`);
    images.set(name, tag.tag);
  }
}

for (const entry of documents) {
  const before = problems.length;
  switch (entry.type) {
    case "dockerfile": checkDockerfile(entry.file); break;
    case "compose": checkCompose(entry.file, entry.doc); break;
    case "kustomization": checkKustomization(entry.file, entry.doc, images); break;
    default: {
      await validateSchema(entry.file, entry.doc, entry.label);
      const pod = podSpecOf(entry.doc);
      if (pod) checkWorkload(entry.file, entry.doc, entry.label, pod, manifests);
      checkReferences(entry.file, entry.doc, entry.label, manifests);
    }
  }
  const what = entry.type === "kubernetes" ? `${entry.doc.apiVersion}/${entry.doc.kind} ${entry.doc.metadata?.name ?? ""}` : entry.type;
  console.log(`${problems.length === before ? "ok  " : "FAIL"} ${rel(entry.file)}: ${what}`);
}

for (const p of problems) console.log(`problem: ${p}`);
console.log(`validated ${documents.length} documents in ${files.length} files: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
process.exit(problems.length === 0 && documents.length > 0 ? 0 : 1);
