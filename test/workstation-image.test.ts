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
});
