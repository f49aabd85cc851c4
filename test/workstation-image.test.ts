import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CODE_SERVER_VERSION, SYSBOX_INSTALLERS } from '../lib/facts/versions';
import { IDE_PORT } from '../lib/input/schema/course';
import { REPO_ROOT } from './support/repo';

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('workstation image', () => {
  const dockerfile = read('images/workstation/Dockerfile');

  it('is built on the code-server release lib/facts/versions.ts pins', () => {
    expect(dockerfile).toContain(`ARG CODE_SERVER_VERSION=${CODE_SERVER_VERSION}\n`);
    expect(dockerfile).toMatch(/^FROM docker\.io\/codercom\/code-server:\$\{CODE_SERVER_VERSION\}$/m);
  });

  it('has what the katas need', () => {
    for (const tool of ['docker-ce', 'docker-compose-plugin', 'kubectl', 'helm-diff', 'git-lfs', 'procps', 'alias k=kubectl']) {
      expect(dockerfile).toContain(tool);
    }
  });

  // The default of each build argument, as the build sees it without --build-arg.
  const args = new Map([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]] as const));
  const platforms: string[] = parse(read('.github/workflows/workstation-image.yaml'))
    .jobs.build.steps.find((s: { uses?: string }) => s.uses?.startsWith('docker/build-push-action'))
    .with.platforms.split(',');

  it("has helm-katas' `helm kubeconform` plugin, pinned to a commit and kubeconform's checksum per platform", () => {
    expect(args.get('HELM_KUBECONFORM_VERSION')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(args.get('HELM_KUBECONFORM_COMMIT')).toMatch(/^[0-9a-f]{40}$/);
    expect(platforms.length).toBeGreaterThan(0);
    for (const platform of platforms) {
      const arch = platform.replace(/^linux\//, '');
      expect(args.get(`KUBECONFORM_SHA256_${arch}`), platform).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(dockerfile).toContain('test "$(git -C "${kubeconform_dir}" rev-parse HEAD)" = "${HELM_KUBECONFORM_COMMIT}"');
    expect(dockerfile).toContain('sha256sum --check --strict');
    // The plugin's command is `python $HELM_PLUGIN_DIR/helm_kubeconform/plugin.py`; Debian has no `python` without this.
    expect(dockerfile).toContain('python-is-python3');
    expect(dockerfile).toContain('helm kubeconform --help');
  });

  it('answers `docker-compose` with the compose v2 plugin that `docker compose` runs', () => {
    expect(dockerfile).toContain('ln -s /usr/libexec/docker/cli-plugins/docker-compose /usr/local/bin/docker-compose');
    expect(dockerfile).toContain('docker-compose version');
  });

  it("lets the student's user install helm plugins (helm-katas: helm plugin install)", () => {
    expect(dockerfile).toContain('ENV HELM_PLUGINS=/usr/local/share/helm/plugins');
    expect(dockerfile).toContain('chown -R coder:coder /usr/local/share/helm');
  });

  it('is built for every Kubernetes minor the sysbox installers support', () => {
    const workflow = parse(read('.github/workflows/workstation-image.yaml'));
    const minors = SYSBOX_INSTALLERS.flatMap((i) =>
      Array.from({ length: i.toMinor - i.fromMinor + 1 }, (_, k) => `1.${i.fromMinor + k}`),
    );
    expect(workflow.jobs.build.strategy.matrix.kubernetes).toEqual(minors);
  });

  it('starts dockerd and then the IDE as coder, leaving the app ports free', () => {
    const entrypoint = read('images/workstation/entrypoint.sh');
    expect(entrypoint.indexOf('dockerd')).toBeLessThan(entrypoint.indexOf('code-server'));
    expect(entrypoint).toContain('--reuid=coder');
    expect(IDE_PORT).not.toBe(8080);
  });

  describe("kubernetes-appdev-katas' Prometheus, with the values file the trainer guide names", () => {
    const file = 'images/workstation/katas/prometheus-own-namespace.yaml';
    const inImage = '/usr/local/share/dojo/prometheus-own-namespace.yaml';
    const jobs: any[] = parse(read(file)).serverFiles['prometheus.yml'].scrape_configs;

    /** Prometheus relabelling (keep, drop, replace, labelmap; regexes anchored) of one target's labels. */
    function relabel(labels: Record<string, string>, rules: any[]): Record<string, string> | undefined {
      let current = { ...labels };
      for (const rule of rules) {
        const regex = new RegExp(`^(?:${rule.regex ?? '(.*)'})$`);
        const value = (rule.source_labels ?? []).map((l: string) => current[l] ?? '').join(rule.separator ?? ';');
        const action = rule.action ?? 'replace';
        if (action === 'keep' && !regex.test(value)) return undefined;
        if (action === 'drop' && regex.test(value)) return undefined;
        if (action === 'replace' && regex.test(value))
          current[rule.target_label] = value.replace(regex, rule.replacement ?? '$1');
        if (action === 'labelmap')
          for (const [k, v] of Object.entries(current))
            if (regex.test(k)) current = { ...current, [k.replace(regex, rule.replacement ?? '$1')]: v };
      }
      return current;
    }

    it('is in the image where the guide says, and the guide gives the line', () => {
      expect(dockerfile).toContain('COPY katas/ /usr/local/share/dojo/');
      expect(read('docs/trainer-guide.md')).toContain(`-f ${inImage}`);
    });

    it('discovers only in its own namespace, which view there lets it list', () => {
      const discovery = jobs.flatMap((j) => j.kubernetes_sd_configs ?? []);
      expect(discovery.map((d) => d.role).sort()).toEqual(['endpoints', 'pod']);
      for (const d of discovery) expect(d.namespaces).toEqual({ own_namespace: true });
    });

    it('scrapes the sentences pods at the port and path their annotations give, and no other pod', () => {
      const pods = jobs.find((j) => j.job_name === 'kubernetes-pods');
      const sentences = {
        __address__: '10.0.3.7',
        __meta_kubernetes_namespace: 'appdev-alice',
        __meta_kubernetes_pod_name: 'sentences-5d8f',
        __meta_kubernetes_pod_ip: '10.0.3.7',
        __meta_kubernetes_pod_phase: 'Running',
        __meta_kubernetes_pod_label_app: 'sentences',
        // kubernetes-appdev-katas sentences-app/deploy/kubernetes/sentences-deployment.yaml
        __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
        __meta_kubernetes_pod_annotation_prometheus_io_port: '8080',
        __meta_kubernetes_pod_annotation_prometheus_io_path: '/metrics',
      };
      expect(relabel(sentences, pods.relabel_configs)).toMatchObject({
        __address__: '10.0.3.7:8080',
        __metrics_path__: '/metrics',
        namespace: 'appdev-alice',
        pod: 'sentences-5d8f',
        app: 'sentences',
      });
      const grafana = Object.fromEntries(Object.entries(sentences).filter(([k]) => !k.includes('prometheus_io')));
      expect(relabel(grafana, pods.relabel_configs)).toBeUndefined();
    });
  });
});
