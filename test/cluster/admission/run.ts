/**
 * The admission corpora of test/security/ and the kata exercises of test/katas/, sent to a real
 * Kubernetes 1.34 API server as the student would send them (issue 29, item 4).
 *
 *   test/cluster/start.sh /tmp/adm-work -- node bin/run.cjs test/cluster/admission/run.ts
 *
 * Needs KUBECONFIG (start.sh sets it: the system:masters admin) and kubectl on PATH. Steps:
 * 1. synthesizes test/fixtures/classroom into a temp dir and applies its dist/lab with
 *    test/cluster/apply-dist.sh (as ArgoCD's application controller);
 * 2. sends every request of ADMISSION_ATTACKS and KATA_REQUESTS impersonating the request's user
 *    (a ServiceAccount: groups system:serviceaccounts, system:serviceaccounts:<its ns>,
 *    system:authenticated), with dryRun=All where the operation has it; UPDATE/CONNECT cases get
 *    their existing object first, made as ArgoCD's controller (exempt from the policies);
 * 3. names the layer that refused each (RBAC, a ValidatingAdmissionPolicy, quota, LimitRange,
 *    Pod Security) and compares it with the one the static test names;
 * 4. creates the kata exercises for real as Alice, one exercise at a time, checks every object is
 *    admitted and that the controllers could make every pod and claim (quota, Pod Security);
 * 5. prints a table and `N passed, M failed`; exits 1 on any mismatch.
 * Where RBAC refuses an attack the static test gives to a policy, the request is sent again
 * with RBAC out of the way (group system:masters added): the "behind RBAC" column says whether
 * the named policy would refuse it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AdmissionRequest } from '../../support/admission';
import { ADMISSION_ATTACKS } from '../../security/attacks';
import { KATA_REQUESTS } from '../../security/katas';
import { asStudent, CONTENT_DOMAIN, PLURALS } from '../../security/requests';
import { EXERCISES } from '../../katas/exercises';
import { STUDENT_PRIORITY_LEVEL } from '../../../lib/plan/api-fairness/api-fairness';
import { apiClient, serviceAccount, type Identity, type Reply } from '../api';
import { applyFixture } from '../fixture';

const PLATFORM = 'system:serviceaccount:argocd:argocd-application-controller';
const FIELD_MANAGER = 'dojo-admission-test';
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

// ---------------------------------------------------------------- API client
const call = apiClient('test/cluster/start.sh WORK -- node bin/run.cjs test/cluster/admission/run.ts');
const platform = serviceAccount(PLATFORM);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- paths

function collectionPath(resource: AdmissionRequest['resource'], namespace: string): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return `${base}/namespaces/${namespace}/${resource.resource}`;
}

function resourceOfObject(object: Record<string, any>): AdmissionRequest['resource'] {
  const [group, version] = String(object.apiVersion).includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const resource = PLURALS[object.kind];
  if (!resource) throw new Error(`no resource known for kind ${object.kind}`);
  return { group, version, resource };
}

const objectPath = (object: Record<string, any>, namespace: string) =>
  `${collectionPath(resourceOfObject(object), namespace)}/${object.metadata.name}`;

// ---------------------------------------------------------------- layers
/** The layer that refused a request, read from the API server's answer; `admitted` when none did. */
function layerOf(reply: Reply, operation: string): { layer: string; message: string } {
  const message: string = reply.body?.message ?? reply.text.slice(0, 400);
  if (reply.status >= 200 && reply.status < 300) return { layer: 'admitted', message: '' };
  const policy = /ValidatingAdmissionPolicy '([^']+)' with binding '[^']*' denied request/.exec(message);
  if (policy) return { layer: policy[1], message };
  if (/violates PodSecurity/.test(message)) return { layer: 'PodSecurity', message };
  if (/exceeded quota|status unknown for quota/.test(message)) return { layer: 'quota', message };
  if (/(maximum|minimum) \S+ usage per (Container|Pod|PersistentVolumeClaim)/.test(message))
    return { layer: 'LimitRange', message };
  // A request above the limit the LimitRange filled in: validation of the defaulted pod refuses it.
  if (/must be less than or equal to \S+ limit/.test(message)) return { layer: 'LimitRange default limit', message };
  if (/is forbidden: User ".*" cannot /.test(message) || /attempting to grant RBAC permissions not currently held/.test(message))
    return { layer: 'RBAC', message };
  // After admission: a CONNECT reaches the pod's node (there is none), a create an existing name.
  if (operation === 'CONNECT' && /does not have a host assigned|Upgrade request required|not found/.test(message))
    return { layer: 'admitted', message };
  if (reply.body?.reason === 'AlreadyExists') return { layer: 'admitted', message };
  return { layer: `other (${reply.status} ${reply.body?.reason ?? ''})`.replace(' )', ')'), message };
}

/**
 * The API server reports the first denying policy only. Each binding gets a twin with
 * validationActions [Warn] (in this test cluster only): its Warning headers name every policy
 * that denies the request.
 */
const WARN_SUFFIX = '-dojo-test-warn';
async function addWarnBindings(): Promise<number> {
  const bindings = await call('GET', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings');
  let n = 0;
  for (const binding of bindings.body?.items ?? []) {
    if (binding.metadata.name.endsWith(WARN_SUFFIX)) continue;
    const twin = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: `${binding.metadata.name}${WARN_SUFFIX}` },
      spec: { ...binding.spec, validationActions: ['Warn'] },
    };
    const reply = await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', twin);
    if (reply.status >= 300 && reply.body?.reason !== 'AlreadyExists')
      throw new Error(`warn twin of ${binding.metadata.name}: ${reply.text}`);
    n++;
  }
  return n;
}

/** The policies whose Warn twin warned: every policy that denies the request. */
function denyingPolicies(reply: Reply): string[] {
  const found = new Set<string>();
  for (const w of reply.warnings ?? []) {
    const re = new RegExp(`ValidatingAdmissionPolicy '([^']+)' with binding '[^']*${WARN_SUFFIX}'`, 'g');
    for (const m of w.matchAll(re)) found.add(m[1]);
  }
  return [...found].sort();
}

// ---------------------------------------------------------------- sending a request
interface Row {
  readonly corpus: string;
  readonly name: string;
  readonly expected: string;
  readonly real: string;
  readonly ok: boolean;
  readonly message: string;
  /** Every policy that denies it (their Warn twins), when admission ran. */
  readonly denying?: readonly string[];
  readonly behindRbac?: string;
  readonly behindRbacMessage?: string;
}

const withNamespace = (object: Record<string, any>, namespace: string) => ({
  ...object,
  metadata: { ...object.metadata, namespace },
});

/** Makes the object an UPDATE, DELETE or CONNECT acts on, as the platform (no policy judges it). */
async function ensureExisting(object: Record<string, any>, namespace: string): Promise<void> {
  const reply = await call(
    'POST',
    `${collectionPath(resourceOfObject(object), namespace)}?fieldManager=${FIELD_MANAGER}`,
    withNamespace(object, namespace),
    { as: platform },
  );
  if (reply.status >= 300 && reply.body?.reason !== 'AlreadyExists')
    throw new Error(`setup of ${object.kind} ${namespace}/${object.metadata.name}: ${reply.body?.message ?? reply.text}`);
}

async function removeNow(object: Record<string, any>, namespace: string): Promise<void> {
  const reply = await call(
    'DELETE',
    objectPath(object, namespace),
    { gracePeriodSeconds: 0, propagationPolicy: 'Background' },
    {
      as: platform,
    },
  );
  if (reply.status >= 300 && reply.status !== 404)
    throw new Error(`removing ${object.kind} ${namespace}/${object.metadata.name}: ${reply.body?.message ?? reply.text}`);
  for (let i = 0; i < 100; i++) {
    if ((await call('GET', objectPath(object, namespace))).status === 404) return;
    await sleep(100);
  }
  throw new Error(`${object.kind} ${namespace}/${object.metadata.name} still there 10s after its deletion`);
}

const EXEC_TARGET = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'exec-target' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
};

/** Sends the request as `as`; returns the server's reply. Setup objects stay: see `teardown`. */
async function send(request: AdmissionRequest, as: Identity): Promise<Reply> {
  const ns = request.namespace;
  switch (request.operation) {
    case 'CREATE': {
      const object = request.object!;
      const collection = collectionPath(request.resource, ns);
      const url = request.subResource
        ? `${collection}/${(object as any).metadata.name}/${request.subResource}?dryRun=All&fieldManager=${FIELD_MANAGER}`
        : `${collection}?dryRun=All&fieldManager=${FIELD_MANAGER}`;
      return call('POST', url, object, { as });
    }
    case 'UPDATE': {
      // Server-side apply of the new object over the old one: the other managers' fields (what
      // admission and defaulting added to the old object) stay, as with kubectl apply.
      const object = request.object as Record<string, any>;
      return call(
        'PATCH',
        `${collectionPath(request.resource, ns)}/${object.metadata.name}?dryRun=All&fieldManager=${FIELD_MANAGER}&force=true`,
        object,
        { as, contentType: 'application/apply-patch+yaml' },
      );
    }
    case 'DELETE': {
      const object = (request.oldObject ?? request.object) as Record<string, any>;
      return call('DELETE', `${collectionPath(request.resource, ns)}/${object.metadata.name}?dryRun=All`, undefined, { as });
    }
    case 'CONNECT': {
      const name = (request.object as any)?.metadata?.name ?? EXEC_TARGET.metadata.name;
      const query = request.subResource === 'exec' || request.subResource === 'attach' ? '?command=true&stdout=true' : '';
      return call('POST', `${collectionPath(request.resource, ns)}/${name}/${request.subResource}${query}`, undefined, { as });
    }
  }
}

/** What the request needs to exist before it is sent: the old object, or a pod to exec into. */
function existingFor(request: AdmissionRequest): Record<string, any> | undefined {
  const object = request.object as Record<string, any> | null;
  // A RoleBinding of a Role of the namespace: the binding's escalation check reads that Role.
  if (request.operation === 'CREATE' && object?.kind === 'RoleBinding' && object.roleRef?.kind === 'Role') {
    const role = ROLES.find((r) => r.metadata.name === object.roleRef.name);
    if (role) return role;
  }
  if (request.operation === 'UPDATE' || request.operation === 'DELETE') return (request.oldObject ?? request.object) as any;
  if (request.operation === 'CONNECT' && request.resource.resource === 'pods') return EXEC_TARGET;
  return undefined;
}

/** The Roles the benign corpus makes, for the bindings that name them. */
const ROLES: Record<string, any>[] = KATA_REQUESTS.map((k) => k.request.object as Record<string, any>).filter(
  (o) => o?.kind === 'Role',
);

/**
 * One request as the student. `behind`: the policy that refuses it once RBAC, which refuses it
 * first (`expected` is then RBAC), is out of the way.
 */
async function runCase(corpus: string, name: string, expected: string, request: AdmissionRequest, behind?: string): Promise<Row> {
  const existing = existingFor(request);
  let setupNote = '';
  if (existing) {
    try {
      await ensureExisting(existing, request.namespace);
    } catch (error) {
      // The archived namespace's quota allows no pod: the exec then names a pod that is not there,
      // which admission judges all the same (it runs before the pod is looked up).
      setupNote = ` [setup failed: ${(error as Error).message}]`;
    }
  }
  try {
    const reply = await send(request, serviceAccount(request.username));
    const { layer, message } = layerOf(reply, request.operation);
    const denying = denyingPolicies(reply);
    let behindRbac: string | undefined;
    let behindRbacMessage: string | undefined;
    const policy = behind ?? expected;
    if (layer === 'RBAC' && policy !== 'RBAC' && policy !== 'admitted') {
      const as = serviceAccount(request.username);
      const replyAgain = await send(request, { user: as.user, groups: [...as.groups, 'system:masters'] });
      const again = layerOf(replyAgain, request.operation);
      const all = denyingPolicies(replyAgain);
      behindRbac = all.includes(policy) ? policy : again.layer;
      behindRbacMessage = again.message;
    }
    return {
      corpus,
      name,
      expected,
      real: layer,
      // The server names the first denying policy only: the expected one may come second.
      ok:
        behind !== undefined
          ? layer === expected && behindRbac === behind
          : layer === expected || (layer.startsWith('dojo-') && denying.includes(expected)),
      message: message + setupNote,
      denying,
      behindRbac,
      behindRbacMessage,
    };
  } finally {
    if (existing) await removeNow(existing, request.namespace).catch(() => undefined);
  }
}

// ---------------------------------------------------------------- the katas, for real
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);

async function runExercise(exercise: ReturnType<typeof EXERCISES>[number], index: number, ns: string): Promise<Row[]> {
  const rows: Row[] = [];
  const corpus = `kata ${index + 1} ${exercise.repo}`;
  const created: Record<string, any>[] = [];
  for (const object of exercise.objects) {
    const request = asStudent('alice', 'CREATE', object);
    const reply = await call('POST', `${collectionPath(request.resource, ns)}?fieldManager=kubectl-create`, request.object, {
      as: serviceAccount(request.username),
    });
    const { layer, message } = layerOf(reply, 'CREATE');
    if (layer === 'admitted') created.push(object);
    rows.push({
      corpus,
      name: `${object.kind} ${object.metadata.name}`,
      expected: 'admitted',
      real: layer,
      ok: layer === 'admitted',
      message,
    });
  }
  // The controllers make the pods (and a StatefulSet's claims) as themselves: quota, LimitRange and
  // Pod Security judge those. Wait until each workload has all its pods, or say why not.
  for (const object of created.filter((o) => WORKLOADS.has(o.kind))) {
    const want = object.spec.replicas ?? 1;
    let have = -1;
    for (let i = 0; i < 150 && have < want; i++) {
      const reply = await call('GET', objectPath(object, ns));
      have = reply.body?.status?.replicas ?? 0;
      if (have < want) await sleep(200);
    }
    let message = '';
    if (have < want) {
      const events = await call('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=type%3DWarning`);
      message = [
        ...new Set<string>(
          (events.body?.items ?? [])
            .filter((e: any) => e.reason === 'FailedCreate')
            .map((e: any) =>
              String(e.message)
                .replace(/^\(combined from similar events\): /, '')
                .replace(/Pod "[^"]+"/, 'Pod "<name>"'),
            ),
        ),
      ].join(' | ');
    }
    const real = have >= want ? 'admitted' : `${have}/${want} pods`;
    rows.push({
      corpus,
      name: `${object.kind} ${object.metadata.name}: its ${want} pod(s), made by the controller`,
      expected: 'admitted',
      real: message
        ? `${real}: ${layerOf({ status: 403, body: { message }, text: message, warnings: [] }, 'CREATE').layer}`
        : real,
      ok: have >= want,
      message,
    });
  }
  await cleanNamespace(ns, exercise.objects);
  return rows;
}

/** Deletes what an exercise made (and the claims its StatefulSets made), until the quota shows nothing used. */
async function cleanNamespace(ns: string, objects: readonly Record<string, any>[]) {
  for (const object of objects)
    await call('DELETE', objectPath(object, ns), { propagationPolicy: 'Background', gracePeriodSeconds: 0 }, { as: platform });
  await call('DELETE', `/api/v1/namespaces/${ns}/persistentvolumeclaims`, { gracePeriodSeconds: 0 }, { as: platform });
  for (let i = 0; i < 300; i++) {
    const pods = await call('GET', `/api/v1/namespaces/${ns}/pods`);
    for (const pod of pods.body?.items ?? [])
      await call('DELETE', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`, { gracePeriodSeconds: 0 }, { as: platform });
    const quota = await call('GET', `/api/v1/namespaces/${ns}/resourcequotas`);
    const used = (quota.body?.items ?? []).flatMap((q: any) => Object.entries(q.status?.used ?? {}));
    const busy = used.filter(
      ([k, v]: any) => /^(pods|requests\.|limits\.|persistentvolumeclaims|services)/.test(k) && !/^0[a-zA-Z]*$/.test(String(v)),
    );
    if ((pods.body?.items ?? []).length === 0 && busy.length === 0) return;
    await sleep(200);
  }
  say(`warning: ${ns} not empty 60s after the exercise's deletion`);
}

// ---------------------------------------------------------------- setup
function synthesizeAndApply(): void {
  applyFixture('classroom', 'lab', say);
}

/** Until the policies are enforced, the quotas have a status and the namespaces their default ServiceAccount. */
async function waitUntilReady(): Promise<void> {
  const probe = asStudent('alice', 'CREATE', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'probe' },
    spec: { nodeName: 'x', containers: [{ name: 'c', image: 'nginx:1.27' }] },
  });
  for (let i = 0; i < 300; i++) {
    const quotas = await call('GET', '/api/v1/resourcequotas');
    const quotasReady = (quotas.body?.items ?? []).every((q: any) => q.status?.hard);
    let accounts = true;
    for (const ns of ['k8s-alice', 'k8s-bob', 'k8s-eve', 'old-mallory'])
      accounts &&= (await call('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200;
    const probed = await send(probe, serviceAccount(probe.username));
    const policy =
      layerOf(probed, 'CREATE').layer === 'dojo-student-pods' && denyingPolicies(probed).includes('dojo-student-pods');
    if (quotasReady && accounts && policy) return;
    await sleep(200);
  }
  throw new Error('the policies, quotas or ServiceAccounts are not ready after 60s');
}

// ---------------------------------------------------------------- table
function printTable(rows: readonly Row[]): void {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const header = ['#', 'corpus', 'case', 'expected', 'real (first refusal)', 'all denying policies', 'behind RBAC', ''];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.corpus,
    cut(r.name, 70),
    r.expected,
    cut(r.real, 28),
    (r.denying ?? []).join(','),
    r.behindRbac ?? '',
    r.ok ? 'ok' : 'MISMATCH',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const b of body) console.log(line(b));
  const bad = rows.filter((r) => !r.ok || (r.real !== r.expected && r.behindRbac === undefined));
  if (bad.length) {
    console.log('\nMismatches and what the server said, verbatim:');
    for (const r of bad) {
      const note = r.ok ? ' (ok: the expected policy denies too, the server names the first)' : '';
      console.log(
        `- [${r.corpus}] ${r.name}${note}\n    expected: ${r.expected}\n    real:     ${r.real}\n    message:  ${r.message}`,
      );
      if (r.denying?.length) console.log(`    every policy denying it: ${r.denying.join(', ')}`);
      if (r.behindRbac)
        console.log(`    with RBAC out of the way (group system:masters): ${r.behindRbac}\n    message:  ${r.behindRbacMessage}`);
    }
  }
}

/**
 * API Priority and Fairness: a student's request, and one of a pod in their namespace, are
 * queued in the students' priority level, ArgoCD's are not (issue 30, finding 1).
 */
async function checkStudentQueue(): Promise<Row> {
  const level = await call(
    'GET',
    `/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations/${STUDENT_PRIORITY_LEVEL.name}`,
  );
  const uid = level.body?.metadata?.uid;
  const levelOf = async (user: string) =>
    (await call('GET', '/api/v1/namespaces/k8s-alice/pods', undefined, { as: serviceAccount(user) })).priorityLevelUid;
  const student = await levelOf('system:serviceaccount:k8s:ws-alice');
  const studentPod = await levelOf('system:serviceaccount:k8s-alice:default');
  const argocd = await levelOf(PLATFORM);
  const ok = uid !== undefined && student === uid && studentPod === uid && argocd !== uid;
  return {
    corpus: 'fairness',
    name: "a student's requests queue in their own priority level, ArgoCD's do not",
    expected: STUDENT_PRIORITY_LEVEL.name,
    real: ok ? STUDENT_PRIORITY_LEVEL.name : `student ${student}, pod ${studentPod}, argocd ${argocd}, level ${uid}`,
    ok,
    message: '',
  };
}

async function main(): Promise<void> {
  synthesizeAndApply();
  say(
    `dist/lab applied; ${await addWarnBindings()} Warn twins of the policy bindings added; waiting for the policies, quotas and ServiceAccounts`,
  );
  await waitUntilReady();
  say('ready');

  const cases = [
    ...ADMISSION_ATTACKS.map((a) => ({
      corpus: `attack ${a.finding}`,
      name: a.name,
      expected: a.refusedFirstBy ?? a.by,
      behind: a.refusedFirstBy ? a.by : undefined,
      request: a.request,
    })),
    ...KATA_REQUESTS.map((k) => ({
      corpus: 'benign',
      name: k.name,
      expected: 'admitted',
      behind: undefined,
      request: k.request,
    })),
  ];
  // Creates first (dry runs, nothing stays), then the requests that need an object made for them,
  // so that no setup object stands in the way of a create of the same name.
  const ordered = [...cases.filter((c) => !existingFor(c.request)), ...cases.filter((c) => existingFor(c.request))];
  const rows: Row[] = [];
  for (const c of ordered) rows.push(await runCase(c.corpus, c.name, c.expected, c.request, c.behind));
  say(`${ordered.length} requests of the attack and benign corpora sent`);

  rows.push(await checkStudentQueue());

  const ns = 'k8s-alice';
  await cleanNamespace(ns, []);
  const exercises = EXERCISES('alice', 'k8s', CONTENT_DOMAIN);
  for (const [i, exercise] of exercises.entries()) rows.push(...(await runExercise(exercise, i, ns)));
  say('kata exercises created and removed');

  const out = path.join(path.dirname(process.env.KUBECONFIG!), 'admission');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(rows, null, 2));
  printTable(rows);
  console.log('\nKata exercises (test/katas/exercises.ts), created for real in k8s-alice one after the other:');
  for (const [i, exercise] of exercises.entries()) console.log(`  kata ${i + 1}: ${exercise.repo}: ${exercise.name}`);
  const failed = rows.filter((r) => !r.ok).length;
  console.log(`\n(all rows with the server's messages: ${path.join(out, 'results.json')}; ${elapsed()})`);
  console.log(`${rows.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
