import { NOT_ON_SYSTEM_NODES } from '../lib/plan/mesh/mesh';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { synth } from '../lib/synth';
import { AWS_SERVICE_ACCOUNTS, SYSTEM_NODES } from '../lib/plan/addons/addons';
import { karpenterCloudFormationUrl } from '../lib/plan/bootstrap/bootstrap';
import { eksctlPublicSubnets } from '../lib/plan/bootstrap/vpc';
import { githubOwner } from '../lib/plan/bootstrap/placeholders';
import { defaultSubnetTags } from '../lib/plan/nodes/plan-nodes';
import { applicationReport, type ApplicationStatus } from '../lib/commands/application-health';
import { ARGOCD, ARGOCD_MIN_VERSION, CHARTS } from '../lib/facts/versions';
import { makeRepo, REPO_ROOT, type KubeObject } from './support/repo';
import { helmTemplate } from '../dev/helm';
import { describeWithUpstream, pinnedChartDir } from './support/upstream';
import { isPasswordFile } from '../lib/input/load/password-hashes';

const CLASSROOM = path.join(REPO_ROOT, 'test', 'fixtures', 'classroom');

/** The output of a synth of `root` without writing it, by path. */
function output(root: string): Map<string, string> {
  const result = synth(root, { write: false });
  expect(result.errors).toEqual([]);
  return new Map(result.files.map((f) => [f.path, f.content]));
}

const validateClusterConfig = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/schemas/eksctl-v0.230.0-clusterconfig.schema.json'), 'utf8')),
);

interface ClusterConfig {
  metadata: { name: string; region: string; version: string; tags: Record<string, string> };
  iam: {
    withOIDC?: boolean;
    serviceAccounts?: { metadata: { name: string; namespace: string }; roleName: string; roleOnly: boolean }[];
    podIdentityAssociations?: { namespace: string; serviceAccountName: string; roleName: string }[];
  };
  accessConfig: { accessEntries: { principalARN: string; type: string }[] };
  managedNodeGroups: {
    minSize: number;
    desiredCapacity: number;
    labels: Record<string, string>;
    taints: { key: string; value: string; effect: string }[];
  }[];
  addons: {
    name: string;
    configurationValues?: string;
    useDefaultPodIdentityAssociations?: boolean;
    wellKnownPolicies?: Record<string, boolean>;
  }[];
}

const repos = [
  ['the example fixture (IAM roles, gateway and alb)', makeRepo()],
  ['the classroom fixture (Pod Identity)', CLASSROOM],
] as const;

describe.each(repos)('bootstrap files of %s', (_, root) => {
  const files = output(root);
  const clusters = [...files.keys()].filter((f) => f.endsWith('/eksctl.yaml')).map((f) => f.split('/')[1]);
  const clusterFile = (name: string) => load(fs.readFileSync(path.join(root, 'clusters', `${name}.yaml`), 'utf8')) as any;

  it('exist for every cluster: eksctl.yaml, argocd-values.yaml and bootstrap.sh', () => {
    const clusterFiles = fs.readdirSync(path.join(root, 'clusters')).filter((f) => f.endsWith('.yaml') && !isPasswordFile(f));
    expect(clusters.sort()).toEqual(clusterFiles.map((f) => f.replace(/\.yaml$/, '')).sort());
    for (const cluster of clusters) {
      for (const file of ['argocd-values.yaml', 'bootstrap.sh']) expect(files.has(`bootstrap/${cluster}/${file}`)).toBe(true);
    }
  });

  it.each([0, 1])(
    "eksctl.yaml of cluster %#: valid against eksctl's ClusterConfig schema, with what dojo needs of the cluster",
    (i) => {
      const cluster = clusters[i];
      if (!cluster) return;
      const config = load(files.get(`bootstrap/${cluster}/eksctl.yaml`)!) as ClusterConfig;
      expect(validateClusterConfig(config), JSON.stringify(validateClusterConfig.errors)).toBe(true);
      const spec = clusterFile(cluster);
      expect(config.metadata).toMatchObject({ name: cluster, region: spec.region, version: spec.kubernetesVersion });
      // Karpenter's default subnet and security group selectors.
      expect(config.metadata.tags['karpenter.sh/discovery']).toBe(cluster);

      // At least two system nodes, labelled and tainted as every controller selects and tolerates.
      const [system] = config.managedNodeGroups;
      expect(system.minSize).toBeGreaterThanOrEqual(2);
      expect(system.labels[SYSTEM_NODES.label.key]).toBe(SYSTEM_NODES.label.value);
      expect(system.taints).toEqual([SYSTEM_NODES.taint]);
      const addons = [...files]
        .filter(([f]) => f.startsWith(`dist/${cluster}/apps/`))
        .flatMap(([, content]) => loadAll(content) as KubeObject[])
        .filter((o) => o.kind === 'Application' && o.spec.source?.helm);
      expect(addons.length).toBeGreaterThan(3);
      for (const app of addons.filter((a) => !(NOT_ON_SYSTEM_NODES as readonly string[]).includes(a.metadata.name))) {
        const values = app.spec.source.helm.valuesObject ?? {};
        // istiod's chart takes its placement under `pilot` (istio/istio 1.30.3 manifests/charts/istio-control/istio-discovery/values.yaml).
        const placement = app.spec.source.chart === 'istiod' ? values.pilot : values;
        expect(placement.nodeSelector, app.metadata.name).toEqual(system.labels);
        expect(placement.tolerations, app.metadata.name).toContainEqual({
          key: SYSTEM_NODES.taint.key,
          operator: 'Exists',
          effect: SYSTEM_NODES.taint.effect,
        });
      }

      // Every controller that calls AWS gets its role, for the service account its chart makes;
      // cert-manager (the course certificates) runs in gateway mode only.
      const mode = spec.routing?.mode ?? 'gateway';
      const accounts = Object.values(AWS_SERVICE_ACCOUNTS).filter((a) => !('mode' in a) || a.mode === mode);
      const iamAccounts: any[] = config.iam.podIdentityAssociations ?? config.iam.serviceAccounts ?? [];
      expect(iamAccounts).toHaveLength(accounts.length);
      const certManager = iamAccounts.find(
        (a) => (a.serviceAccountName ?? a.metadata.name) === AWS_SERVICE_ACCOUNTS['cert-manager'].name,
      );
      if (mode === 'gateway') expect(certManager?.wellKnownPolicies).toEqual({ certManager: true });
      else expect(certManager).toBeUndefined();
      for (const account of accounts) {
        if (spec.aws?.podIdentity) {
          expect(config.iam.podIdentityAssociations).toContainEqual(
            expect.objectContaining({ namespace: account.namespace, serviceAccountName: account.name }),
          );
        } else {
          const roleArn: string = spec.aws[account.roleKey];
          expect(config.iam.withOIDC).toBe(true);
          expect(config.iam.serviceAccounts).toContainEqual(
            expect.objectContaining({
              metadata: { name: account.name, namespace: account.namespace },
              roleName: roleArn.split('/').pop(),
              roleOnly: true,
            }),
          );
        }
      }
      // The nodes Karpenter launches may join.
      expect(config.accessConfig.accessEntries).toContainEqual({
        principalARN: expect.stringMatching(new RegExp(`:role/${spec.nodes.role}$`)),
        type: 'EC2_LINUX',
      });
      // Network policy enforcement, EBS volumes, Pod Identity.
      const addon = (name: string) => config.addons.find((a) => a.name === name);
      expect(JSON.parse(addon('vpc-cni')!.configurationValues!)).toEqual({ enableNetworkPolicy: 'true' });
      expect(addon('aws-ebs-csi-driver')).toBeDefined();
      expect(addon('eks-pod-identity-agent')).toBeDefined();
    },
  );

  it('bootstrap.sh is valid bash and names files that exist after synth, in order', () => {
    for (const cluster of clusters) {
      const script = files.get(`bootstrap/${cluster}/bootstrap.sh`)!;
      execFileSync('bash', ['-n'], { input: script });
      const spec = clusterFile(cluster);
      const karpenter = spec.versions?.karpenter ?? CHARTS.karpenter.version;
      const steps = [
        karpenterCloudFormationUrl(karpenter),
        `eksctl create cluster -f bootstrap/${cluster}/eksctl.yaml`,
        `--values bootstrap/${cluster}/argocd-values.yaml`,
        `kubectl apply -f argocd/${cluster}.yaml`,
        `npm run --silent check-cluster -- ${cluster}`,
      ];
      const positions = steps.map((step) => script.indexOf(step));
      expect(
        positions.every((p) => p > 0),
        String(positions),
      ).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const file of [
        `bootstrap/${cluster}/eksctl.yaml`,
        `bootstrap/${cluster}/argocd-values.yaml`,
        `argocd/${cluster}.yaml`,
      ]) {
        expect(files.has(file), file).toBe(true);
      }
    }
  });
});

/**
 * The example fixture's staging cluster made a fork's own: no `example: true`, and its account,
 * domain, repo and images replaced (synth refuses the template's placeholders elsewhere).
 */
const OWN_STAGING = fs
  .readFileSync(path.join(REPO_ROOT, 'test/fixtures/example/clusters/staging.yaml'), 'utf8')
  .replace('example: true\n', '')
  .replaceAll('123456789012', '210987654321')
  .replaceAll('training.example.com', 'training.acme.dev')
  .replaceAll('training.example.net', 'training-acme-apps.net')
  .replace('github.com/example-org/', 'github.com/acme/')
  .concat('images:\n  workstation: ghcr.io/acme/dojo-workstation\n  board: ghcr.io/acme/dojo-board\n');

describe('bootstrap.sh, run with stand-ins for aws, eksctl, helm, kubectl, curl and npm', () => {
  const root = makeRepo({ 'clusters/staging.yaml': OWN_STAGING });
  expect(synth(root).errors).toEqual([]);
  /** eksctl's public subnets in eu-west-1 (three zones) of 192.168.0.0/16, as `aws ec2 describe-subnets --output text` prints them. */
  const EKSCTL_PUBLIC = '192.168.64.0/19\t192.168.0.0/19\t192.168.32.0/19';
  /**
   * Runs the staging cluster's script (alb mode, default source ranges; its file gives aws.vpcId)
   * with the cluster in `vpc`, whose load balancer subnets are `publicSubnets`.
   */
  const bootstrap = (vpc: string, publicSubnets = EKSCTL_PUBLIC) => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-stand-ins-'));
    const calls = path.join(bin, 'calls');
    for (const command of ['aws', 'eksctl', 'helm', 'kubectl', 'curl', 'npm']) {
      // aws answers describe-cluster with the VPC and describe-subnets with the public subnets;
      // every command notes its call and succeeds.
      const script =
        `#!/bin/sh\necho "${command} $*" >> "${calls}"\n` +
        `case "$*" in *describe-cluster*) echo "${vpc}";; *describe-subnets*) printf '${publicSubnets}\\n';; esac\n`;
      fs.writeFileSync(path.join(bin, command), script, { mode: 0o755 });
    }
    const run = spawnSync('bash', ['bootstrap/staging/bootstrap.sh'], {
      cwd: root,
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin },
      encoding: 'utf8',
    });
    return { ...run, calls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '' };
  };

  it('goes on to ArgoCD when the cluster is in the VPC the cluster file names', () => {
    const run = bootstrap('vpc-0a1b2c3d4e5f67890');
    expect(run.status, run.stderr).toBe(0);
    expect(run.calls).toMatch(/^helm upgrade --install argocd/m);
    expect(run.calls).toMatch(/^kubectl apply -f argocd\/staging\.yaml/m);
  });

  it('stops before ArgoCD, naming the VPC to put in the cluster file, when eksctl made the cluster in another', () => {
    const run = bootstrap('vpc-0fedcba9876543210');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'cluster staging is in VPC vpc-0fedcba9876543210, but clusters/staging.yaml gives the load balancer controller aws.vpcId: vpc-0a1b2c3d4e5f67890',
    );
    expect(run.stderr).toContain('set aws.vpcId: vpc-0fedcba9876543210 in clusters/staging.yaml');
    expect(run.calls).not.toMatch(/^(helm|kubectl) /m);
  });

  it("asks for the load balancers' subnets of the cluster's VPC, by the tag aws-load-balancer-controller finds them by", () => {
    const run = bootstrap('vpc-0a1b2c3d4e5f67890');
    expect(run.calls).toContain(
      'aws ec2 describe-subnets --region eu-west-1 --filters Name=vpc-id,Values=vpc-0a1b2c3d4e5f67890 Name=tag:kubernetes.io/role/elb,Values=1',
    );
  });

  it('stops before ArgoCD, naming the ranges to list, when the ALBs live in subnets the workstations do not accept', () => {
    // eksctl took two zones where it usually takes three: the third /19 is a private subnet.
    const run = bootstrap('vpc-0a1b2c3d4e5f67890', '192.168.32.0/19\t192.168.0.0/19');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'the load balancers of cluster staging live in subnets 192.168.0.0/19 192.168.32.0/19, but its workstations accept only 192.168.0.0/19 192.168.32.0/19 192.168.64.0/19',
    );
    expect(run.stderr).toContain(
      'set routing.loadBalancerSourceRanges: [192.168.0.0/19, 192.168.32.0/19] in clusters/staging.yaml, run npm run synth',
    );
    expect(run.calls).not.toMatch(/^(helm|kubectl) /m);
  });
});

describe('the CloudFormation template of Karpenter', () => {
  it("is the pinned version's own getting-started template (the path Karpenter 1.8.1 and 1.8.2 have)", () => {
    expect(karpenterCloudFormationUrl('1.8.1')).toBe(
      'https://raw.githubusercontent.com/aws/karpenter-provider-aws/v1.8.1/website/content/en/v1.8/getting-started/getting-started-with-karpenter/cloudformation.yaml',
    );
  });
});

describeWithUpstream(['charts'], `ArgoCD installed from ${ARGOCD.chart} ${ARGOCD.version} with the generated values`, () => {
  const argoCdChart = pinnedChartDir(ARGOCD.chart, ARGOCD.version);
  const values = load(output(makeRepo()).get('bootstrap/example/argocd-values.yaml')!);
  const objects = () =>
    (
      loadAll(
        helmTemplate({
          chart: argoCdChart,
          release: 'argocd',
          namespace: 'argocd',
          values,
          kubeVersion: '1.31.0',
          skipCrds: true,
        }),
      ) as KubeObject[]
    ).filter(Boolean);

  it(`is ArgoCD ${ARGOCD.appVersion}, at least ${ARGOCD_MIN_VERSION}`, () => {
    const chart = load(fs.readFileSync(path.join(argoCdChart, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string };
    expect(chart).toMatchObject({ version: ARGOCD.version, appVersion: ARGOCD.appVersion });
    const [major, minor] = ARGOCD.appVersion.replace(/^v/, '').split('.').map(Number);
    const [minMajor, minMinor] = ARGOCD_MIN_VERSION.split('.').map(Number);
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(minMajor * 1000 + minMinor);
  });

  it("assesses Applications' health, renders 200M per Application, reads Karpenter's OCI repository, and runs on the system nodes", () => {
    const all = objects();
    const configMap = (name: string) => all.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)!;
    expect(configMap('argocd-cm').data['resource.customizations.health.argoproj.io_Application']).toContain(
      'obj.status.health.status',
    );
    expect(configMap('argocd-cmd-params-cm').data['reposerver.max.combined.directory.manifests.size']).toBe('200M');

    const repositories = all.filter(
      (o) => o.kind === 'Secret' && o.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'repository',
    );
    const decoded = repositories.map((s) => ({
      ...s.stringData,
      ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()])),
    }));
    expect(decoded).toContainEqual(expect.objectContaining({ url: CHARTS.karpenter.repoURL, type: 'helm', enableOCI: 'true' }));
    expect(decoded).toContainEqual(expect.objectContaining({ url: 'https://github.com/example-org/dojo.git', type: 'git' }));

    const workloads = all.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));
    expect(workloads.map((w) => w.metadata.name)).toContain('argocd-repo-server');
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      expect(pod.nodeSelector?.[SYSTEM_NODES.label.key], w.metadata.name).toBe(SYSTEM_NODES.label.value);
      expect(pod.tolerations, w.metadata.name).toContainEqual(
        expect.objectContaining({ key: SYSTEM_NODES.taint.key, operator: 'Exists' }),
      );
    }
  });
});

describe('the cluster check (npm run check-cluster)', () => {
  const app = (name: string, status: ApplicationStatus['status']): ApplicationStatus => ({ metadata: { name }, status });
  const healthy = (name: string) => app(name, { sync: { status: 'Synced' }, health: { status: 'Healthy' } });

  it('is ready when every expected Application is Synced and Healthy', () => {
    expect(
      applicationReport(['dojo-example', 'karpenter'], [healthy('dojo-example'), healthy('karpenter'), healthy('unrelated')]),
    ).toEqual({
      ready: true,
      lines: ['dojo-example  Synced  Healthy', 'karpenter     Synced  Healthy'],
    });
  });

  it("says which Application is not, and why, in ArgoCD's words", () => {
    const report = applicationReport(
      ['dojo-example', 'karpenter', 'platform', 'k8s-101'],
      [
        healthy('dojo-example'),
        app('karpenter', {
          sync: { status: 'Synced' },
          health: { status: 'Degraded', message: 'Deployment karpenter/karpenter is not available' },
          resources: [
            {
              kind: 'Deployment',
              namespace: 'karpenter',
              name: 'karpenter',
              health: { status: 'Degraded', message: 'Deployment has minimum availability false' },
            },
            { kind: 'ServiceAccount', namespace: 'karpenter', name: 'karpenter' },
          ],
        }),
        app('platform', {
          sync: { status: 'OutOfSync' },
          health: { status: 'Missing' },
          operationState: {
            phase: 'Failed',
            message:
              'one or more objects failed to apply: StorageClass.storage.k8s.io "gp2" is invalid: parameters: Forbidden: updates to parameters are forbidden.',
          },
          conditions: [{ type: 'SyncError', message: 'Failed sync attempt' }],
        }),
      ],
    );
    expect(report.ready).toBe(false);
    expect(report.lines).toEqual([
      'dojo-example  Synced  Healthy',
      'karpenter     Synced  Degraded',
      '                health: Deployment karpenter/karpenter is not available',
      '                Deployment karpenter/karpenter: Degraded (Deployment has minimum availability false)',
      'platform      OutOfSync  Missing',
      '                last sync Failed: one or more objects failed to apply: StorageClass.storage.k8s.io "gp2" is invalid: parameters: Forbidden: updates to parameters are forbidden.',
      '                SyncError: Failed sync attempt',
      'k8s-101       missing: the root Application has not made it yet (or its sync failed; see dojo-<cluster>)',
    ]);
  });
});

describe("bootstrap.sh of one of the template's examples (example: true)", () => {
  it('refuses to run, before any command, and says how the file becomes a cluster of your own', () => {
    const root = makeRepo();
    synth(root);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-stand-ins-'));
    for (const command of ['aws', 'eksctl', 'helm', 'kubectl', 'curl', 'npm']) {
      fs.writeFileSync(path.join(bin, command), `#!/bin/sh\necho "${command}" >> "${bin}/calls"\n`, { mode: 0o755 });
    }
    const run = spawnSync('bash', ['bootstrap/example/bootstrap.sh'], {
      cwd: root,
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "clusters/example.yaml is one of the template's examples (example: true): its account, domain, repo and images are placeholders\n" +
        'remove example: true from it, run npm run synth and replace each placeholder it names, commit and push, then run this script again\n',
    );
    expect(fs.existsSync(path.join(bin, 'calls'))).toBe(false);
  });
});

describe("the VPC eksctl makes, known before it exists (eksctl v0.230.0's split)", () => {
  it('has three public subnets, the first three eighths of the VPC, and two in us-east-1', () => {
    expect(eksctlPublicSubnets('192.168.0.0/16', 'eu-west-1')).toEqual(['192.168.0.0/19', '192.168.32.0/19', '192.168.64.0/19']);
    expect(eksctlPublicSubnets('192.168.0.0/16', 'us-east-1')).toEqual(['192.168.0.0/19', '192.168.32.0/19']);
    expect(eksctlPublicSubnets('10.20.0.0/22', 'eu-west-1')).toEqual(['10.20.0.0/25', '10.20.0.128/25', '10.20.1.0/25']);
  });

  it("is in eksctl.yaml, and alb mode's workstations accept its public subnets unless the cluster file lists others", () => {
    const staging = (extra: string) =>
      makeRepo({
        'clusters/staging.yaml': fs
          .readFileSync(path.join(REPO_ROOT, 'test/fixtures/example/clusters/staging.yaml'), 'utf8')
          .replace('aws:\n', `aws:\n${extra}`),
      });
    const files = output(staging('  vpcCidr: 10.20.0.0/20\n'));
    expect((load(files.get('bootstrap/staging/eksctl.yaml')!) as any).vpc).toEqual({ cidr: '10.20.0.0/20' });
    const sources = (loadAll(files.get('dist/staging/courses/helm-katas/course.yaml')!) as KubeObject[])
      .filter((o) => o.kind === 'NetworkPolicy')
      .flatMap((o) => (o.spec.ingress ?? []).flatMap((rule: any) => (rule.from ?? []).map((peer: any) => peer.ipBlock?.cidr)))
      .filter(Boolean);
    expect(new Set(sources)).toEqual(new Set(['10.20.0.0/23', '10.20.2.0/23', '10.20.4.0/23']));
  });
});

describe("the course nodes' subnets", () => {
  it("are eksctl's private subnets, or its public ones for nodes with public addresses", () => {
    expect(defaultSubnetTags('example', false)).toEqual({
      'karpenter.sh/discovery': 'example',
      'kubernetes.io/role/internal-elb': '1',
    });
    expect(defaultSubnetTags('example', true)).toEqual({ 'karpenter.sh/discovery': 'example', 'kubernetes.io/role/elb': '1' });
  });
});

describe('images of a private registry (images.pullSecret)', () => {
  it("are pulled with the Secret the platform engineer made, by every pod that runs the cluster's workstation image", () => {
    const own = OWN_STAGING.replace(
      '  board: ghcr.io/acme/dojo-board\n',
      '  board: ghcr.io/acme/dojo-board\n  pullSecret: ghcr-pull\n',
    );
    const files = output(makeRepo({ 'clusters/staging.yaml': own }));
    const pods = [...files]
      .filter(([f]) => f.startsWith('dist/staging/courses/'))
      .flatMap(([, content]) => loadAll(content) as KubeObject[])
      .filter((o) => o.spec?.template?.spec?.containers?.some((c: any) => c.image.startsWith('ghcr.io/acme/dojo-workstation:')));
    expect(pods.map((o) => o.kind)).toContain('StatefulSet');
    for (const pod of pods) expect(pod.spec.template.spec.imagePullSecrets, pod.metadata.name).toEqual([{ name: 'ghcr-pull' }]);
  });
});

describe("the owner a fork's images are pushed under", () => {
  it('is the GitHub owner of argocd.repoURL, lower-cased as GHCR names it; off GitHub there is none', () => {
    expect(githubOwner('https://github.com/Acme-Training/dojo.git')).toBe('acme-training');
    expect(githubOwner('git@github.com:acme/dojo.git')).toBe('acme');
    expect(githubOwner('https://gitlab.com/acme/dojo.git')).toBeUndefined();
  });
});
