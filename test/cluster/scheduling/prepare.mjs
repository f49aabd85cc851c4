// Reads dist/<cluster> and bootstrap/<cluster>/eksctl.yaml and writes, into OUTDIR, what the
// scheduling harness (run.sh) needs to let the Karpenter kwok provider make nodes for dojo's
// NodePools:
//
//   instance-types.json  the kwok provider's instance types (INSTANCE_TYPES_FILE_PATH): the AWS
//                        types of the families dojo's NodePools allow, with AWS's labels
//   nodepools.yaml       dojo's NodePools, unchanged except spec.template.spec.nodeClassRef, which
//                        names a KWOKNodeClass of the same name instead of the EC2NodeClass
//   nodeclasses.yaml     those KWOKNodeClasses
//   system-nodes.yaml    the eksctl managed node group(s) as kwok-managed Nodes
//   plan.tsv             pool, planned nodes, planned instance type (from dojo's annotations)
//   prewarm.tsv          namespace, Deployment, class-hour replicas (max desiredReplicas of its ScaledObject)
//
//   node test/cluster/scheduling/prepare.mjs OUTDIR DISTDIR BOOTSTRAPDIR KARPENTER_MODULE_DIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const require = createRequire(resolve(process.cwd(), 'package.json'));
const YAML = require('yaml');
// JSON documents: kubectl reads YAML 1.1, where the yaml package's unquoted `yes` would be a boolean.
const toDoc = (o) => JSON.stringify(o, null, 1) + '\n';

const [outDir, distDir, bootstrapDir, karpenterDir] = process.argv.slice(2);
if (!karpenterDir) {
  console.error('usage: node prepare.mjs OUTDIR DISTDIR BOOTSTRAPDIR KARPENTER_MODULE_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.yaml') ? [p] : [];
    });
}
const docs = walk(distDir).flatMap((f) =>
  YAML.parseAllDocuments(readFileSync(f, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o && o.kind),
);

// ---- NodePools: only nodeClassRef changes ----
const nodePools = docs.filter((o) => o.kind === 'NodePool' && o.apiVersion.startsWith('karpenter.sh/'));
const nodeClassNames = new Set();
const rewritten = nodePools.map((np) => {
  const copy = structuredClone(np);
  const ref = copy.spec.template.spec.nodeClassRef;
  nodeClassNames.add(ref.name);
  copy.spec.template.spec.nodeClassRef = { group: 'karpenter.kwok.sh', kind: 'KWOKNodeClass', name: ref.name };
  copy.metadata.annotations = {
    ...(copy.metadata.annotations ?? {}),
    'dojo.training/scheduling-harness': `nodeClassRef rewritten from ${ref.group}/${ref.kind} ${ref.name}`,
  };
  return copy;
});
writeFileSync(join(outDir, 'nodepools.yaml'), rewritten.map((o) => toDoc(o)).join('---\n'));
writeFileSync(
  join(outDir, 'nodeclasses.yaml'),
  [...nodeClassNames]
    .map((name) => toDoc({ apiVersion: 'karpenter.kwok.sh/v1alpha1', kind: 'KWOKNodeClass', metadata: { name }, spec: {} }))
    .join('---\n'),
);

// ---- the plan ----
const plan = [];
for (const np of nodePools) {
  const a = np.metadata.annotations ?? {};
  if (a['dojo.training/planned-nodes'] !== undefined) {
    plan.push([np.metadata.name, a['dojo.training/planned-nodes'], a['dojo.training/planned-instance-type'] ?? '-']);
  } else if (a['dojo.training/planned-nodes-per-course'] !== undefined) {
    const sum = a['dojo.training/planned-nodes-per-course']
      .split(',')
      .map((kv) => Number(kv.split('=')[1]))
      .reduce((x, y) => x + y, 0);
    plan.push([np.metadata.name, String(sum), `(${a['dojo.training/planned-nodes-per-course']})`]);
  } else {
    plan.push([np.metadata.name, '-', '-']);
  }
}
writeFileSync(join(outDir, 'plan.tsv'), plan.map((r) => r.join('\t') + '\n').join(''));

// ---- pre-warm: the replicas KEDA's cron triggers set in class hours ----
const prewarm = [];
for (const d of docs.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'prewarm')) {
  const so = docs.find(
    (o) =>
      o.kind === 'ScaledObject' &&
      o.metadata.namespace === d.metadata.namespace &&
      o.spec.scaleTargetRef.kind === 'Deployment' &&
      o.spec.scaleTargetRef.name === d.metadata.name,
  );
  const replicas = so ? Math.max(...so.spec.triggers.map((t) => Number(t.metadata?.desiredReplicas ?? 0))) : 0;
  prewarm.push([d.metadata.namespace, d.metadata.name, String(replicas)]);
}
writeFileSync(join(outDir, 'prewarm.tsv'), prewarm.map((r) => r.join('\t') + '\n').join(''));

// ---- instance types ----
// The kwok provider offers only what its JSON file lists, labelled karpenter.kwok.sh/instance-*.
// dojo's NodePools select with karpenter.k8s.aws/instance-family and instance-cpu (AWS provider
// labels). The provider adds every key of an offering's requirements to Karpenter's well-known
// labels and copies single-valued ones onto the Node, so the AWS labels go on the offerings.
const eksctl = YAML.parse(readFileSync(join(bootstrapDir, 'eksctl.yaml'), 'utf8'));
const region = eksctl.metadata.region;
const zones = ['a', 'b', 'c'].map((z) => region + z);
const nodeClass = docs.find((o) => o.kind === 'EC2NodeClass');
const rootGi = (() => {
  const root = nodeClass?.spec?.blockDeviceMappings?.find((b) => b.rootVolume) ?? nodeClass?.spec?.blockDeviceMappings?.[0];
  return root ? parseInt(root.ebs.volumeSize, 10) : 20;
})();
const evictionMemMi = (() => {
  const v = nodeClass?.spec?.kubelet?.evictionHard?.['memory.available'] ?? '100Mi';
  return parseInt(v, 10) * (v.endsWith('Gi') ? 1024 : 1);
})();
const families = new Set();
for (const np of nodePools) {
  for (const r of np.spec.template.spec.requirements ?? []) {
    if (r.key === 'karpenter.k8s.aws/instance-family' && r.operator === 'In') r.values.forEach((v) => families.add(v));
  }
}
for (const ng of eksctl.managedNodeGroups ?? []) if (ng.instanceType) families.add(ng.instanceType.split('.')[0]);
const examples = JSON.parse(readFileSync(join(karpenterDir, 'kwok/examples/aws_instance_types.json'), 'utf8'));
const byName = new Map();
for (const it of examples) if (families.has(it.name.split('.')[0]) && !byName.has(it.name)) byName.set(it.name, it);

const parseMem = (q) => {
  const m = /^(\d+(?:\.\d+)?)(Ti|Gi|Mi)$/.exec(q);
  if (!m) throw new Error(`memory ${q}`);
  return Number(m[1]) * { Ti: 1024 * 1024, Gi: 1024, Mi: 1 }[m[2]];
};
// Karpenter's AWS provider: kube-reserved CPU (6% of the first core, 1% of the second, 0.5% of
// the next two, 0.25% of the rest) and memory (11Mi per pod + 255Mi), VM_MEMORY_OVERHEAD_PERCENT 7.5%.
const awsKubeReservedCpuMilli = (cpu) => {
  let m = 0;
  [
    [1, 60],
    [1, 10],
    [2, 5],
    [Infinity, 2.5],
  ].reduce((left, [n, per]) => {
    const k = Math.min(left, n);
    m += k * per;
    return left - k;
  }, cpu);
  return Math.round(m);
};
const KWOK_OVERHEAD = { cpuMilli: 100, memMi: 10 }; // what the kwok provider subtracts itself
const sizeOf = (name) => name.split('.')[1];
// The VPC CNI's ENI-based max pods (eni-max-pods.txt) for these Nitro families, by size; what
// Karpenter's AWS provider uses for the pods resource and kube-reserved memory (dojo's
// EC2NodeClass sets no maxPods). The kwok example file's pods values are not AWS's.
const ENI_MAX_PODS = { large: 29, xlarge: 58, '2xlarge': 58, '4xlarge': 234, '8xlarge': 234, '12xlarge': 234 };
const eniMaxPods = (name) => ENI_MAX_PODS[sizeOf(name)] ?? 737;
const types = [];
const table = [];
for (const [name, it] of [...byName].sort()) {
  const cpu = Number(it.resources.cpu);
  const memMi = parseMem(it.resources.memory);
  const pods = eniMaxPods(name);
  const capMemMi = Math.floor(memMi * (1 - 0.075));
  const reservedCpu = awsKubeReservedCpuMilli(cpu);
  const reservedMemMi = 11 * pods + 255 + evictionMemMi;
  // Declared so that the kwok provider's allocatable (declared - 100m/10Mi) equals AWS Karpenter's.
  const declCpuMilli = cpu * 1000 - reservedCpu + KWOK_OVERHEAD.cpuMilli;
  const declMemMi = capMemMi - reservedMemMi + KWOK_OVERHEAD.memMi;
  const price = (ct) =>
    it.offerings.find((o) => o.Requirements.some((r) => r.key === 'karpenter.sh/capacity-type' && r.values[0] === ct))?.Price;
  const family = name.split('.')[0];
  const awsLabels = {
    'karpenter.k8s.aws/instance-family': family,
    'karpenter.k8s.aws/instance-category': family[0],
    'karpenter.k8s.aws/instance-generation': family.replace(/^\D+/, '').replace(/\D.*$/, ''),
    'karpenter.k8s.aws/instance-size': sizeOf(name),
    'karpenter.k8s.aws/instance-cpu': String(cpu),
    'karpenter.k8s.aws/instance-memory': String(memMi),
    'karpenter.k8s.aws/instance-hypervisor': sizeOf(name).startsWith('metal') ? '' : 'nitro',
  };
  const offerings = [];
  for (const ct of ['on-demand', 'spot']) {
    const p = price(ct);
    if (p === undefined) continue;
    for (const z of zones) {
      offerings.push({
        Price: p,
        Available: true,
        Requirements: [
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: [ct] },
          { key: 'topology.kubernetes.io/zone', operator: 'In', values: [z] },
          ...Object.entries(awsLabels)
            .filter(([, v]) => v !== '')
            .map(([key, v]) => ({ key, operator: 'In', values: [v] })),
        ],
      });
    }
  }
  types.push({
    name,
    offerings,
    architecture: 'amd64',
    operatingSystems: ['linux'],
    resources: {
      cpu: `${declCpuMilli}m`,
      memory: `${declMemMi}Mi`,
      pods: String(pods),
      'ephemeral-storage': `${rootGi}Gi`,
    },
  });
  table.push([
    name,
    cpu,
    `${memMi}Mi`,
    pods,
    `${cpu * 1000 - reservedCpu}m`,
    `${capMemMi - reservedMemMi}Mi`,
    price('on-demand') ?? '-',
  ]);
}
writeFileSync(join(outDir, 'instance-types.json'), JSON.stringify(types, null, 1));
writeFileSync(
  join(outDir, 'instance-types.tsv'),
  'name\tvcpu\tmemory\tpods\tallocatable-cpu\tallocatable-memory\ton-demand-usd-h\n' +
    table.map((r) => r.join('\t') + '\n').join(''),
);

// ---- system nodes: the eksctl managed node groups, as Nodes kwok plays ----
const nodes = [];
for (const ng of eksctl.managedNodeGroups ?? []) {
  const it = byName.get(ng.instanceType);
  const cpu = Number(it?.resources.cpu ?? 2);
  const memMi = parseMem(it?.resources.memory ?? '8Gi');
  const pods = eniMaxPods(ng.instanceType);
  for (let i = 0; i < (ng.desiredCapacity ?? ng.minSize ?? 1); i++) {
    const name = `eksctl-${ng.name}-${i}`;
    const zone = zones[i % zones.length];
    nodes.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'dojo.training/scheduling-harness': `eksctl managedNodeGroup ${ng.name}` },
        labels: {
          ...(ng.labels ?? {}),
          'eks.amazonaws.com/nodegroup': ng.name,
          'eks.amazonaws.com/capacityType': 'ON_DEMAND',
          'node.kubernetes.io/instance-type': ng.instanceType,
          'topology.kubernetes.io/region': region,
          'topology.kubernetes.io/zone': zone,
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/os': 'linux',
          'kubernetes.io/hostname': name,
          'kwok.x-k8s.io/node': 'fake',
        },
      },
      spec: { taints: (ng.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })) },
      status: {
        capacity: { cpu: String(cpu), memory: `${memMi}Mi`, pods: String(pods), 'ephemeral-storage': '80Gi' },
        allocatable: {
          cpu: `${cpu * 1000 - awsKubeReservedCpuMilli(cpu)}m`,
          memory: `${Math.floor(memMi * 0.925) - (11 * pods + 255 + 100)}Mi`,
          pods: String(pods),
          'ephemeral-storage': '72Gi',
        },
      },
    });
  }
}
writeFileSync(join(outDir, 'system-nodes.yaml'), nodes.map((o) => toDoc(o)).join('---\n'));
console.log(
  `prepare: ${rewritten.length} NodePools (nodeClassRef -> KWOKNodeClass ${[...nodeClassNames].join(',')}), ` +
    `${types.length} instance types of ${[...families].sort().join(',')} in ${zones.join(',')}, ${nodes.length} system nodes, ` +
    `${prewarm.length} pre-warm Deployments`,
);
