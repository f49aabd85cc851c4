import { beforeAll, describe, expect, it } from 'vitest';
import { objectsOf, type KubeObject } from './support/repo';
import { exampleOutput } from './support/example-output';
import { nodePoolsFor as nodePoolsOf, tolerates } from './support/scheduling';

let objects: KubeObject[];
beforeAll(() => {
  // The example cluster: the staging cluster has its own tests (platform.test.ts).
  objects = objectsOf(
    new Map(
      exampleOutput()
        .files.filter((f) => /^(dist|argocd)\/example[/.]/.test(f.path))
        .map((f) => [f.path, f.content]),
    ),
  ).map((o) => o.object);
});

const podTemplates = () =>
  objects
    .filter((o) => ['StatefulSet', 'Deployment', 'DaemonSet'].includes(o.kind))
    .map((o) => ({ owner: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, pod: o.spec.template }));

/** NodePools of the example cluster whose nodes would accept the pod. */
const nodePoolsFor = (pod: any) => nodePoolsOf(objects, pod);

describe('sysbox scheduling', () => {
  it('has a RuntimeClass sysbox-runc that selects nodes where sysbox runs', () => {
    const rc = objects.find((o) => o.kind === 'RuntimeClass')!;
    expect(rc.metadata.name).toBe('sysbox-runc');
    expect(rc.handler).toBe('sysbox-runc');
    expect(rc.scheduling.nodeSelector).toEqual({ 'sysbox-runtime': 'running' });
  });

  it('lands every sysbox pod only on its own course NodePool, which installs sysbox and waits for it', () => {
    const sysboxPods = podTemplates().filter(({ pod }) => pod.spec.runtimeClassName === 'sysbox-runc');
    // 37 workstations and the pre-warm placeholders of both courses.
    expect(sysboxPods.length).toBe(39);
    for (const { owner, pod } of sysboxPods) {
      const pools = nodePoolsFor(pod);
      expect(
        pools.map((p) => p.metadata.name),
        owner,
      ).toEqual([`course-${pod.metadata.labels['dojo.training/course']}`]);
      const template = pools[0].spec.template;
      expect(template.metadata.labels['sysbox-install']).toBe('yes');
      expect(template.spec.startupTaints).toEqual([{ key: 'sysbox-runtime', value: 'not-running', effect: 'NoSchedule' }]);
    }
  });

  it('keeps pods without the runtime class off course nodes', () => {
    for (const { owner, pod } of podTemplates().filter(({ pod }) => pod.spec.runtimeClassName === undefined)) {
      if (owner.includes('sysbox-deploy-k8s')) continue;
      expect(nodePoolsFor(pod), owner).toEqual([]);
    }
  });

  it('lets the installer onto every course node: sysbox label, startup taint and workstation taint', () => {
    const installer = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'sysbox-deploy-k8s')!;
    const pod = installer.spec.template.spec;
    const coursePools = objects.filter((o) => o.kind === 'NodePool' && o.metadata.name !== 'students');
    expect(coursePools.length).toBeGreaterThan(0);
    for (const pool of coursePools) {
      const template = pool.spec.template;
      expect(Object.entries(pod.nodeSelector).every(([k, v]) => template.metadata.labels[k] === v)).toBe(true);
      for (const taint of [...template.spec.taints, ...template.spec.startupTaints]) {
        expect(tolerates(pod.tolerations, taint), `${pool.metadata.name} ${taint.key}`).toBe(true);
      }
    }
  });

  it("gives the students' own pods a pool of their own: untainted, without sysbox, sized from the courses' quotas", () => {
    const pools = objects.filter((o) => o.kind === 'NodePool');
    const students = pools.find((p) => p.metadata.name === 'students')!;
    // A kata pod as written (no tolerations, no selector) fits only there: every other pool is tainted.
    expect(students.spec.template.spec.taints).toBeUndefined();
    expect(students.spec.template.spec.startupTaints).toBeUndefined();
    for (const pool of pools.filter((p) => p !== students)) expect(pool.spec.template.spec.taints.length).toBeGreaterThan(0);
    // Nor can a workstation or the sysbox installer land there.
    expect(students.spec.template.metadata.labels).toEqual({ 'dojo.training/pool': 'students' });
    // kubernetes-katas: 25 students at a quota of 2 CPU and 4Gi each fill two nodes; the limits allow one more.
    expect(students.metadata.annotations).toEqual({ 'dojo.training/planned-nodes-per-course': 'kubernetes-katas=2' });
    expect(Number(students.spec.limits.cpu)).toBeGreaterThanOrEqual(25 * 2);
  });

  it('keeps every controller on the system nodes, which no NodePool makes and no student pod may tolerate', () => {
    const charts = objects.filter((o) => o.kind === 'Application' && o.spec.source?.helm);
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const app of charts) {
      const values = app.spec.source.helm.valuesObject;
      expect(values.nodeSelector, app.metadata.name).toEqual({ 'dojo.training/pool': 'system' });
      expect(values.tolerations, app.metadata.name).toEqual([
        { key: 'CriticalAddonsOnly', operator: 'Exists', effect: 'NoSchedule' },
      ]);
    }
    for (const pool of objects.filter((o) => o.kind === 'NodePool'))
      expect(pool.spec.template.metadata.labels['dojo.training/pool']).not.toBe('system');
  });

  it('marks workstations as not to be disrupted and gives them a user namespace, nothing privileged', () => {
    for (const sts of objects.filter((o) => o.kind === 'StatefulSet')) {
      const pod = sts.spec.template;
      expect(pod.metadata.annotations).toEqual({
        'io.kubernetes.cri-o.userns-mode': 'auto:size=65536',
        'karpenter.sh/do-not-disrupt': 'true',
      });
      for (const forbidden of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod.spec[forbidden]).toBeUndefined();
      for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
        expect(c.securityContext?.privileged).toBeUndefined();
        expect(c.securityContext?.capabilities?.add).toBeUndefined();
      }
    }
  });

  it('runs only the sysbox installer privileged, in kube-system', () => {
    const privileged = podTemplates().filter(({ pod }) => pod.spec.containers.some((c: any) => c.securityContext?.privileged));
    expect(privileged.map((p) => p.owner)).toEqual(['DaemonSet kube-system/sysbox-deploy-k8s']);
  });

  it('pins the installer image by the cluster version (1.34 -> v0.7.0-0, not the manifest default)', () => {
    const installer = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'sysbox-deploy-k8s')!;
    expect(installer.spec.template.spec.containers[0].image).toBe('registry.nestybox.com/nestybox/sysbox-deploy-k8s:v0.7.0-0');
  });

  it('sizes each course NodePool from the capacity plan, consolidates when empty, and expires nodes', () => {
    const pool = objects.find((o) => o.kind === 'NodePool' && o.metadata.name === 'course-kubernetes-katas')!;
    // 25 students at 1 CPU / 2Gi: one c6a.8xlarge (27 seats) plus one spare.
    expect(pool.spec.limits).toEqual({ cpu: '64', memory: '128Gi' });
    expect(pool.spec.disruption).toMatchObject({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' });
    expect(pool.spec.template.spec.expireAfter).toBe('720h');
    expect(pool.spec.template.spec.requirements).toContainEqual({
      key: 'karpenter.k8s.aws/instance-cpu',
      operator: 'Gt',
      values: ['3'],
    });
  });
});

describe('platform objects', () => {
  it('include the gp3 StorageClass of the homes and the PriorityClasses the katas expect', () => {
    const gp3 = objects.find((o) => o.kind === 'StorageClass')!;
    expect(gp3.metadata.name).toBe('gp3');
    expect(gp3.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
    const homes = objects
      .filter((o) => o.kind === 'StatefulSet')
      .map((s) => s.spec.volumeClaimTemplates[0].spec.storageClassName);
    expect(new Set(homes)).toEqual(new Set(['gp3']));
    expect(objects.filter((o) => o.kind === 'PriorityClass').map((p) => p.metadata.name)).toEqual([
      'default',
      'medium-priority',
      'high-priority',
      'dojo-workstation',
      'dojo-placeholder',
    ]);
    const value = (name: string) => objects.find((o) => o.kind === 'PriorityClass' && o.metadata.name === name)!.value;
    // No class a student may use reaches the workstations'.
    for (const kata of ['default', 'medium-priority', 'high-priority'])
      expect(value(kata)).toBeLessThan(value('dojo-workstation'));
    for (const sts of objects.filter((o) => o.kind === 'StatefulSet'))
      expect(sts.spec.template.spec.priorityClassName).toBe('dojo-workstation');
  });

  it('select Ubuntu EKS AMIs of the cluster version with an encrypted gp3 root on /dev/sda1 and IMDS out of pod reach', () => {
    const nodeClass = objects.find((o) => o.kind === 'EC2NodeClass')!;
    expect(nodeClass.spec.amiFamily).toBe('AL2');
    expect(nodeClass.spec.amiSelectorTerms).toEqual([
      { name: 'ubuntu-eks/k8s_1.34/images/hvm-ssd*/ubuntu-*-server-*', owner: '099720109477' },
    ]);
    expect(nodeClass.spec.blockDeviceMappings[0]).toMatchObject({
      deviceName: '/dev/sda1',
      ebs: { encrypted: true, volumeType: 'gp3' },
    });
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
  });

  it("keep PIDs back for the node's own daemons and evict a pod that forks without end, keeping the other thresholds", () => {
    const kubelet = objects.find((o) => o.kind === 'EC2NodeClass')!.spec.kubelet;
    expect(Number(kubelet.systemReserved.pid)).toBeGreaterThanOrEqual(1000);
    expect(kubelet.evictionHard).toEqual({
      'memory.available': '100Mi',
      'nodefs.available': '10%',
      'nodefs.inodesFree': '5%',
      'imagefs.available': '15%',
      'pid.available': '10%',
    });
  });
});
