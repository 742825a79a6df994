/**
 * Static checks of the deployment files (Dockerfile, docker-compose.yml, k8s/) — no Docker
 * engine and no cluster needed. They keep the manifests in step with the code: a variable
 * renamed in env.schema.ts, a queue added to QUEUE_NAMES, an entry point moved, or a probe
 * path changed makes this suite fail.
 *
 * DEPLOY_TEST_ROOT (optional) points the suite at a copy of the repository, so a manifest
 * can be broken on purpose in a scratch copy to see an assertion fail.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { composeEnvSchema } from '@showroom/core';
import { CONFIG_SECTIONS } from '../support/config-sections';
// Where the queue list lives (env.schema.ts validates WORKER_QUEUES against the same list).
import { QUEUE_NAMES } from '../../libs/core/src/queue/queue-names';

const ROOT = process.env.DEPLOY_TEST_ROOT ?? path.resolve(__dirname, '..', '..');
const K8S_DIR = path.join(ROOT, 'k8s');
const IMAGE = 'ghcr.io/showroom/showroom:latest';
// Every variable of core and of the lib sections the apps compose.
const envSchema = composeEnvSchema(CONFIG_SECTIONS);
const ENV_NAMES = new Set(Object.keys(envSchema.shape));
if (!Array.isArray(QUEUE_NAMES) || (QUEUE_NAMES as readonly string[]).length === 0) {
  throw new Error('QUEUE_NAMES did not import as a non-empty array: fix the import in this test');
}
const APPS = ['api', 'worker', 'migrate'] as const;
type AppName = (typeof APPS)[number];
const entryPoint = (app: AppName): string => `dist/apps/${app}/apps/${app}/src/main.js`;

// ---------------------------------------------------------------------------------------
// Minimal shapes of what the suite reads
// ---------------------------------------------------------------------------------------
interface Metadata {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
}
interface PodTemplate {
  metadata?: Metadata;
  spec: {
    containers: Container[];
    initContainers?: Container[];
    securityContext?: SecurityContext;
    terminationGracePeriodSeconds?: number;
  };
}
interface K8sDoc {
  apiVersion?: string;
  kind?: string;
  metadata?: Metadata;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    backoffLimit?: number;
    selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
    template?: PodTemplate;
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: { type: string; resource?: { name: string } }[];
    minAvailable?: number | string;
    maxUnavailable?: number | string;
    ports?: { port: number; targetPort?: number | string }[];
  };
}
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string };
  ports?: (string | { target: number; published?: string | number })[];
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
}

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------
function parseYamlFile(file: string): unknown[] {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text, { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors = list.flatMap((d) => d.errors.map((e) => `${path.basename(file)}: ${e.message}`));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return list.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined);
}

const k8sFiles = fs
  .readdirSync(K8S_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const manifestFiles = k8sFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'kustomization.yml');
const docsByFile = new Map<string, K8sDoc[]>(
  manifestFiles.map((f) => [f, parseYamlFile(path.join(K8S_DIR, f)) as K8sDoc[]]),
);
const docs: K8sDoc[] = [...docsByFile.values()].flat();
const ofKind = (kind: string): K8sDoc[] => docs.filter((d) => d.kind === kind);
const named = (kind: string, name: string): K8sDoc => {
  const found = docs.find((d) => d.kind === kind && d.metadata?.name === name);
  if (!found) throw new Error(`k8s: no ${kind} named ${name}`);
  return found;
};
const workloads = (): K8sDoc[] => docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
const podTemplate = (d: K8sDoc): PodTemplate => {
  if (!d.spec?.template) throw new Error(`${d.kind}/${d.metadata?.name} has no pod template`);
  return d.spec.template;
};
const allContainers = (d: K8sDoc): Container[] => [
  ...(podTemplate(d).spec.initContainers ?? []),
  ...podTemplate(d).spec.containers,
];
const workerDeployments = (): K8sDoc[] =>
  ofKind('Deployment').filter((d) => d.metadata?.name?.startsWith('showroom-worker-'));
const envValue = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;
const matchLabels = (d: K8sDoc): Record<string, string> => {
  const selector = d.spec?.selector ?? {};
  return ('matchLabels' in selector ? selector.matchLabels : selector) as Record<string, string>;
};
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
/** A probe/Service port given by name or number, resolved against the container's ports. */
const resolvePort = (c: Container, port: number | string | undefined): number | undefined =>
  typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
const commandLine = (c: Container): string[] => [...(c.command ?? []), ...(c.args ?? [])];

function effectiveEnv(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, named('ConfigMap', from.configMapRef.name).data ?? {});
    if (from.secretRef) {
      const secret = named('Secret', from.secretRef.name);
      Object.assign(env, secret.stringData ?? {});
      for (const [k, v] of Object.entries(secret.data ?? {})) env[k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

const compose = parseYamlFile(path.join(ROOT, 'docker-compose.yml'))[0] as Compose;
const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml: no service ${name}`);
  return s;
};
const composeEnv = (s: ComposeService): Record<string, string> => {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
};
const composeCommand = (s: ComposeService): string =>
  Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? '');
/** Services that run the Showroom image (their environment is read by the apps). */
const appServices = (): [string, ComposeService][] =>
  Object.entries(compose.services).filter(([, s]) => s.build !== undefined || s.image?.startsWith('showroom'));

const queueList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((q) => q.trim())
    .filter((q) => q.length > 0);

// ---------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------
interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest.trim() };
    if (instruction.keyword === 'FROM') {
      const [, image = '', name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args) ?? [];
      stages.push({ from: image, name: name?.toLowerCase(), instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [k = '', v = ''] = instruction.args.split('=');
      args.set(k, v.replace(/^"|"$/g, ''));
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}
const dockerfile = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const stage = (name: string): Stage => {
  const s = dockerfile.stages.find((st) => st.name === name);
  if (!s) throw new Error(`Dockerfile: no stage ${name}`);
  return s;
};
const stageText = (s: Stage): string => s.instructions.map((i) => `${i.keyword} ${i.args}`).join('\n');
const resolveImage = (from: string): string =>
  from.replace(/\$\{?(\w+)\}?/g, (_, name: string) => dockerfile.args.get(name) ?? `<unset ${name}>`);

// =======================================================================================

describe('k8s manifests', () => {
  it('has manifests, and every YAML document parses with apiVersion, kind and metadata.name', () => {
    expect(manifestFiles.length).toBeGreaterThan(0);
    for (const [file, fileDocs] of docsByFile) {
      expect(fileDocs.length).toBeGreaterThan(0);
      for (const doc of fileDocs) {
        const where = `${file}: ${doc.kind ?? '?'}/${doc.metadata?.name ?? '?'}`;
        expect({ where, apiVersion: typeof doc.apiVersion }).toEqual({ where, apiVersion: 'string' });
        expect({ where, kind: typeof doc.kind }).toEqual({ where, kind: 'string' });
        expect({ where, name: typeof doc.metadata?.name }).toEqual({ where, name: 'string' });
      }
    }
  });

  it('lists every file of k8s/ in kustomization.yaml, and lists nothing else', () => {
    const kustomization = parseYamlFile(path.join(K8S_DIR, 'kustomization.yaml'))[0] as {
      kind?: string;
      resources?: string[];
    };
    expect(kustomization.kind).toBe('Kustomization');
    const listed = [...(kustomization.resources ?? [])].sort();
    expect(listed).toEqual(manifestFiles);
    expect(new Set(listed).size).toBe(listed.length);
    // and nothing else lives in k8s/ unlisted (e.g. a .json manifest)
    const others = fs.readdirSync(K8S_DIR).filter((f) => !k8sFiles.includes(f));
    expect(others).toEqual([]);
  });

  it('puts every object in the showroom namespace, names unique per kind', () => {
    expect(named('Namespace', 'showroom')).toBeDefined();
    for (const d of docs.filter((doc) => doc.kind !== 'Namespace')) {
      expect({ object: `${d.kind}/${d.metadata?.name}`, namespace: d.metadata?.namespace }).toEqual({
        object: `${d.kind}/${d.metadata?.name}`,
        namespace: 'showroom',
      });
    }
    const ids = docs.map((d) => `${d.kind}/${d.metadata?.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses only variable names of envSchema in the ConfigMap, the Secret and the workloads', () => {
    const used: { where: string; name: string }[] = [];
    for (const cm of ofKind('ConfigMap')) {
      for (const name of Object.keys(cm.data ?? {})) used.push({ where: `ConfigMap/${cm.metadata?.name}`, name });
    }
    for (const secret of ofKind('Secret')) {
      for (const name of [...Object.keys(secret.stringData ?? {}), ...Object.keys(secret.data ?? {})]) {
        used.push({ where: `Secret/${secret.metadata?.name}`, name });
      }
    }
    for (const w of workloads()) {
      for (const c of allContainers(w)) {
        for (const e of c.env ?? []) used.push({ where: `${w.kind}/${w.metadata?.name}`, name: e.name });
      }
    }
    expect(used.length).toBeGreaterThan(0);
    const unknown = used.filter((u) => !ENV_NAMES.has(u.name));
    expect(unknown).toEqual([]);
  });

  it('keeps DATABASE_URL and REDIS_URL in the Secret (placeholders), not the ConfigMap', () => {
    const secret = named('Secret', 'showroom-secrets');
    const values = { ...(secret.stringData ?? {}), ...(secret.data ?? {}) };
    expect(Object.keys(values).sort()).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL']));
    expect(String(secret.stringData?.DATABASE_URL)).toContain('CHANGE_ME');
    expect(String(secret.stringData?.REDIS_URL)).toContain('CHANGE_ME');
    for (const cm of ofKind('ConfigMap')) {
      expect(Object.keys(cm.data ?? {})).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
      expect(Object.keys(cm.data ?? {})).not.toEqual(expect.arrayContaining(['REDIS_URL']));
    }
  });

  it('gives every workload an environment that passes envSchema (the process would start)', () => {
    for (const w of workloads()) {
      for (const c of allContainers(w)) {
        for (const from of c.envFrom ?? []) {
          // envFrom must point at objects of this kustomization
          if (from.configMapRef) expect(named('ConfigMap', from.configMapRef.name)).toBeDefined();
          if (from.secretRef) expect(named('Secret', from.secretRef.name)).toBeDefined();
        }
        const result = envSchema.safeParse(effectiveEnv(c));
        const issues = result.success
          ? []
          : result.error.issues.map((i) => `${w.metadata?.name}/${c.name}: ${i.path.join('.')}: ${i.message}`);
        expect(issues).toEqual([]);
        expect(effectiveEnv(c).NODE_ENV).toBe('production');
      }
    }
  });

  it('runs the api from the one image: port 3000, /health/live, /health/ready, startup probe', () => {
    const api = named('Deployment', 'showroom-api');
    expect(api.spec?.replicas).toBe(2);
    const [c, ...more] = podTemplate(api).spec.containers;
    expect(more).toEqual([]);
    expect(commandLine(c).join(' ')).toContain(entryPoint('api'));
    expect(c.ports?.map((p) => p.containerPort)).toEqual([3000]);
    expect(effectiveEnv(c).PORT ?? '3000').toBe('3000');
    expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(resolvePort(c, c.livenessProbe?.httpGet?.port)).toBe(3000);
    expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(resolvePort(c, c.readinessProbe?.httpGet?.port)).toBe(3000);
    expect(c.startupProbe?.httpGet?.path).toMatch(/^\/health\/(live|ready)$/);
    expect(resolvePort(c, c.startupProbe?.httpGet?.port)).toBe(3000);
  });

  it('drains the api before it stops: grace 30 s, SHUTDOWN_GRACE_MS 25000, readiness delay 5000', () => {
    const api = named('Deployment', 'showroom-api');
    const c = podTemplate(api).spec.containers[0];
    expect(podTemplate(api).spec.terminationGracePeriodSeconds).toBe(30);
    expect(envValue(c, 'SHUTDOWN_GRACE_MS')).toBe('25000');
    expect(envValue(c, 'SHUTDOWN_READINESS_DELAY_MS')).toBe('5000');
  });

  it('ends every shutdown within SHUTDOWN_GRACE_MS, itself inside terminationGracePeriodSeconds', () => {
    // SHUTDOWN_GRACE_MS counts from SIGTERM and includes the readiness delay
    // (libs/core/src/lifecycle/graceful-shutdown.ts): the delay must leave time to drain,
    // and the process must exit before the kubelet's SIGKILL.
    for (const d of ofKind('Deployment')) {
      const spec = podTemplate(d).spec;
      const budgetMs = (spec.terminationGracePeriodSeconds ?? 30) * 1000;
      for (const c of spec.containers) {
        const env = effectiveEnv(c);
        const grace = Number(env.SHUTDOWN_GRACE_MS ?? 25_000);
        const delay = Number(env.SHUTDOWN_READINESS_DELAY_MS ?? 0);
        const deployment = d.metadata?.name;
        expect({ deployment, delayLeavesTimeToDrain: delay < grace }).toEqual({ deployment, delayLeavesTimeToDrain: true });
        expect({ deployment, exitsBeforeSigkill: grace < budgetMs }).toEqual({ deployment, exitsBeforeSigkill: true });
      }
    }
  });

  it('exposes the api through a Service that selects its pods and its named port', () => {
    const api = named('Deployment', 'showroom-api');
    const svc = named('Service', 'showroom-api');
    expect(selects(matchLabels(svc), podTemplate(api).metadata?.labels)).toBe(true);
    const c = podTemplate(api).spec.containers[0];
    for (const p of svc.spec?.ports ?? []) expect(resolvePort(c, p.targetPort ?? p.port)).toBe(3000);
    expect(svc.spec?.ports?.length).toBeGreaterThan(0);
  });

  it('runs one worker Deployment per queue group, 3001 for probes, together covering every queue', () => {
    const workers = workerDeployments();
    expect(workers.map((w) => w.metadata?.name).sort()).toEqual(
      expect.arrayContaining(['showroom-worker-general', 'showroom-worker-ingestion']),
    );
    const served: string[] = [];
    for (const w of workers) {
      const [c, ...more] = podTemplate(w).spec.containers;
      expect(more).toEqual([]);
      expect(commandLine(c).join(' ')).toContain(entryPoint('worker'));
      const queues = queueList(envValue(c, 'WORKER_QUEUES'));
      expect({ worker: w.metadata?.name, count: queues.length > 0 }).toEqual({ worker: w.metadata?.name, count: true });
      for (const q of queues) expect(QUEUE_NAMES).toContain(q);
      served.push(...queues);
      expect(c.ports?.map((p) => p.containerPort)).toEqual([3001]);
      expect(effectiveEnv(c).WORKER_PORT ?? '3001').toBe('3001');
      expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(resolvePort(c, c.livenessProbe?.httpGet?.port)).toBe(3001);
      expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(resolvePort(c, c.readinessProbe?.httpGet?.port)).toBe(3001);
      expect(c.startupProbe?.httpGet?.path).toMatch(/^\/health\/(live|ready)$/);
      expect(resolvePort(c, c.startupProbe?.httpGet?.port)).toBe(3001);
    }
    expect([...new Set(served)].sort()).toEqual([...QUEUE_NAMES].sort());
    expect(envValue(podTemplate(named('Deployment', 'showroom-worker-ingestion')).spec.containers[0], 'WORKER_QUEUES')).toBe(
      'ingestion,embeddings',
    );
    expect(envValue(podTemplate(named('Deployment', 'showroom-worker-general')).spec.containers[0], 'WORKER_QUEUES')).toBe(
      'file-generation,maintenance',
    );
  });

  it('gives workers a longer grace period than the api, with a matching SHUTDOWN_GRACE_MS', () => {
    const apiGrace = podTemplate(named('Deployment', 'showroom-api')).spec.terminationGracePeriodSeconds ?? 30;
    for (const w of workerDeployments()) {
      const spec = podTemplate(w).spec;
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(apiGrace);
      const grace = Number(envValue(spec.containers[0], 'SHUTDOWN_GRACE_MS'));
      expect(grace).toBeGreaterThan(25_000);
      expect(grace).toBeLessThan((spec.terminationGracePeriodSeconds ?? 30) * 1000);
    }
  });

  it('runs migrations as a Job with the migrate entry point and a backoffLimit', () => {
    const job = named('Job', 'showroom-migrate');
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec?.backoffLimit).toEqual(expect.any(Number));
    expect(job.spec?.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(['Never', 'OnFailure']).toContain((podTemplate(job).spec as { restartPolicy?: string }).restartPolicy);
    const [c] = podTemplate(job).spec.containers;
    expect(commandLine(c).join(' ')).toContain(entryPoint('migrate'));
  });

  it('runs every container of the one image with tini kept (args, not command)', () => {
    for (const w of workloads()) {
      for (const c of allContainers(w)) {
        expect({ container: `${w.metadata?.name}/${c.name}`, image: c.image }).toEqual({
          container: `${w.metadata?.name}/${c.name}`,
          image: IMAGE,
        });
        // `command` would replace the image ENTRYPOINT (tini) and lose signal forwarding
        expect({ container: `${w.metadata?.name}/${c.name}`, command: c.command }).toEqual({
          container: `${w.metadata?.name}/${c.name}`,
          command: undefined,
        });
        expect(c.args?.[0]).toBe('node');
      }
    }
  });

  it('runs every container as non-root, read-only, without privilege escalation or capabilities', () => {
    expect(workloads().length).toBeGreaterThanOrEqual(4);
    for (const w of workloads()) {
      const pod = podTemplate(w).spec.securityContext ?? {};
      for (const c of allContainers(w)) {
        const where = `${w.metadata?.name}/${c.name}`;
        const sc = { ...pod, ...(c.securityContext ?? {}) };
        expect({ where, runAsNonRoot: sc.runAsNonRoot }).toEqual({ where, runAsNonRoot: true });
        // a numeric non-zero uid: runAsNonRoot cannot verify the image's named `node` user
        expect({ where, uidIsNonRoot: typeof sc.runAsUser === 'number' && sc.runAsUser > 0 }).toEqual({
          where,
          uidIsNonRoot: true,
        });
        expect({ where, allowPrivilegeEscalation: sc.allowPrivilegeEscalation }).toEqual({
          where,
          allowPrivilegeEscalation: false,
        });
        expect({ where, readOnlyRootFilesystem: sc.readOnlyRootFilesystem }).toEqual({
          where,
          readOnlyRootFilesystem: true,
        });
        expect({ where, drop: sc.capabilities?.drop }).toEqual({ where, drop: ['ALL'] });
        expect({ where, requests: c.resources?.requests?.memory !== undefined, limits: c.resources?.limits?.memory !== undefined }).toEqual({
          where,
          requests: true,
          limits: true,
        });
      }
    }
  });

  it('annotates api and worker pods for Prometheus scraping on their own port at /metrics', () => {
    for (const d of ofKind('Deployment')) {
      const annotations = podTemplate(d).metadata?.annotations ?? {};
      const port = podTemplate(d).spec.containers[0].ports?.[0]?.containerPort;
      expect({ deployment: d.metadata?.name, annotations }).toEqual({
        deployment: d.metadata?.name,
        annotations: expect.objectContaining({
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(port),
          'prometheus.io/path': '/metrics',
        }),
      });
    }
  });

  it('protects every Deployment with a PodDisruptionBudget that selects its pods', () => {
    const pdbs = ofKind('PodDisruptionBudget');
    for (const d of ofKind('Deployment')) {
      const labels = podTemplate(d).metadata?.labels;
      expect(selects(matchLabels(d), labels)).toBe(true);
      const covering = pdbs.filter((p) => selects(matchLabels(p), labels));
      expect({ deployment: d.metadata?.name, pdbs: covering.length }).toEqual({ deployment: d.metadata?.name, pdbs: 1 });
    }
    for (const p of pdbs) {
      expect(p.spec?.minAvailable !== undefined || p.spec?.maxUnavailable !== undefined).toBe(true);
      // a budget that selects no Deployment is a typo in its selector
      expect(ofKind('Deployment').some((d) => selects(matchLabels(p), podTemplate(d).metadata?.labels))).toBe(true);
    }
  });

  it('autoscales the api on CPU', () => {
    const hpas = ofKind('HorizontalPodAutoscaler');
    const hpa = hpas.find((h) => h.spec?.scaleTargetRef?.name === 'showroom-api');
    expect(hpa?.apiVersion).toBe('autoscaling/v2');
    expect(hpa?.spec?.scaleTargetRef?.kind).toBe('Deployment');
    expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa?.spec?.maxReplicas).toBeGreaterThan(hpa?.spec?.minReplicas ?? 0);
    expect(hpa?.spec?.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')).toBe(true);
  });

  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p)) ??
    (() => {
      try {
        execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
        return 'kubectl';
      } catch {
        return undefined;
      }
    })();
  if (!kubectl) {
    console.warn('deploy-manifests: kubectl not found, skipping the `kubectl kustomize k8s` check');
  }
  (kubectl ? it : it.skip)('builds with `kubectl kustomize k8s` (offline) into the same objects', () => {
    const out = execFileSync(kubectl ?? 'kubectl', ['kustomize', K8S_DIR], { encoding: 'utf8', timeout: 60_000 });
    const built = parseAllDocuments(out)
      .map((d) => d.toJS() as K8sDoc)
      .filter(Boolean);
    const ids = (list: K8sDoc[]): string[] => list.map((d) => `${d.kind}/${d.metadata?.name}`).sort();
    expect(ids(built)).toEqual(ids(docs));
    for (const d of built.filter((b) => b.kind === 'Deployment' || b.kind === 'Job')) {
      for (const c of allContainers(d)) expect(c.image).toBe(IMAGE);
    }
  });
});

describe('docker-compose.yml', () => {
  it('has postgres 15, redis 7, migrate, api and worker, with healthchecks on postgres and redis', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'migrate', 'api', 'worker']),
    );
    expect(service('postgres').image).toMatch(/^postgres:15(\b|-)/);
    expect(service('redis').image).toMatch(/^redis:7(\b|-)/);
    expect(service('postgres').healthcheck?.test).toBeDefined();
    expect(service('redis').healthcheck?.test).toBeDefined();
  });

  it('orders startup: migrate after postgres is healthy; api and worker after migrate succeeded and redis is healthy', () => {
    const deps = (name: string): Record<string, { condition?: string }> => {
      const d = service(name).depends_on ?? {};
      return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, {}])) : d;
    };
    expect(deps('migrate').postgres?.condition).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect({ name, migrate: deps(name).migrate?.condition }).toEqual({ name, migrate: 'service_completed_successfully' });
      expect({ name, redis: deps(name).redis?.condition }).toEqual({ name, redis: 'service_healthy' });
    }
  });

  it('runs each process with its entry point and probes api/worker at /health/ready with node fetch', () => {
    expect(composeCommand(service('migrate'))).toContain(entryPoint('migrate'));
    expect(composeCommand(service('worker'))).toContain(entryPoint('worker'));
    // the api may rely on the image's default CMD
    const apiCommand = composeCommand(service('api'));
    if (apiCommand !== '') expect(apiCommand).toContain(entryPoint('api'));
    const check = (name: string, port: number): void => {
      const test = service(name).healthcheck?.test;
      const text = Array.isArray(test) ? test.join(' ') : String(test);
      expect(text).toContain(`http://localhost:${port}/health/ready`);
      expect(text).toMatch(/\bnode\b/);
      expect(text).toContain('fetch(');
      expect(text).not.toMatch(/\b(curl|wget)\b/);
      const published = (service(name).ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.published}:${p.target}`));
      expect(published.some((p) => p.endsWith(`:${port}`) || p === String(port))).toBe(true);
    };
    check('api', 3000);
    check('worker', 3001);
  });

  it('lets api and worker exit within their stop_grace_period (Docker SIGKILLs after it)', () => {
    const seconds = (d: string | undefined): number => {
      const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(d ?? '10s');
      return m ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : Number.NaN;
    };
    for (const name of ['api', 'worker']) {
      const env = composeEnv(service(name));
      const grace = Number(env.SHUTDOWN_GRACE_MS ?? 25_000);
      expect({ name, exitsBeforeSigkill: grace < seconds(service(name).stop_grace_period) * 1000 }).toEqual({
        name,
        exitsBeforeSigkill: true,
      });
    }
  });

  it('uses only variable names of envSchema in the app services, with values that pass it', () => {
    const apps = appServices();
    expect(apps.map(([n]) => n)).toEqual(expect.arrayContaining(['migrate', 'api', 'worker']));
    for (const [name, s] of apps) {
      const env = composeEnv(s);
      expect({ service: name, unknown: Object.keys(env).filter((k) => !ENV_NAMES.has(k)) }).toEqual({
        service: name,
        unknown: [],
      });
      const result = envSchema.safeParse(env);
      const issues = result.success ? [] : result.error.issues.map((i) => `${name}: ${i.path.join('.')}: ${i.message}`);
      expect(issues).toEqual([]);
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(env.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
    }
    const queues = queueList(composeEnv(service('worker')).WORKER_QUEUES);
    for (const q of queues) expect(QUEUE_NAMES).toContain(q);
  });
});

describe('Dockerfile', () => {
  it('builds in deps, build, prune and runtime stages from node:24-bookworm-slim', () => {
    const names = dockerfile.stages.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['deps', 'build', 'prune', 'runtime']));
    expect(names.at(-1)).toBe('runtime');
    expect(resolveImage(stage('deps').from)).toBe('node:24-bookworm-slim');
    expect(resolveImage(stage('runtime').from)).toBe('node:24-bookworm-slim');
    expect(stageText(stage('deps'))).toMatch(/COPY .*package-lock\.json/);
    expect(stageText(stage('deps'))).toMatch(/\bnpm ci\b/);
    expect(stageText(stage('build'))).toMatch(/\bnpm run build\b/);
    expect(stageText(stage('prune'))).toMatch(/\bnpm prune --omit=dev\b/);
  });

  it('runs the final stage as a non-root USER, NODE_ENV=production, under tini', () => {
    const final = dockerfile.stages.at(-1);
    if (!final) throw new Error('Dockerfile has no stage');
    const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    const user = (users.at(-1) ?? '').split(':')[0];
    expect(['root', '0', '']).not.toContain(user);
    const text = stageText(final);
    expect(text).toMatch(/NODE_ENV=production/);
    expect(text).toMatch(/\btini\b/);
    const entrypoint = final.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.args ?? '';
    expect(entrypoint).toContain('tini');
    const cmd = final.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '';
    expect(cmd).toContain(entryPoint('api'));
    expect(cmd).not.toMatch(/\bnpm\b/);
    expect(final.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+\s+\S*node_modules/.test(i.args))).toBe(true);
    expect(final.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+\s+\S*dist/.test(i.args))).toBe(true);
  });

  it('references the three entry points, each built from an existing apps/*/src/main.ts', () => {
    const final = stageText(dockerfile.stages.at(-1) ?? { from: '', instructions: [] });
    const referenced = [...final.matchAll(/dist\/apps\/([\w-]+)\/apps\/\1\/src\/main\.js/g)].map((m) => m[1]);
    expect([...new Set(referenced)].sort()).toEqual([...APPS].sort());
    for (const app of APPS) {
      expect({ app, source: fs.existsSync(path.join(ROOT, 'apps', app, 'src', 'main.ts')) }).toEqual({ app, source: true });
    }
  });

  it('uses the entry points that package.json scripts run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const scripts = Object.values(pkg.scripts ?? {}).join('\n');
    for (const app of APPS) expect(scripts).toContain(entryPoint(app));
  });

  it('keeps host node_modules and dist out of the build context', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '.env']));
  });
});
