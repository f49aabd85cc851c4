import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOARD_IMAGE_VERSION } from '../lib/facts/versions';
import { boardConfig, boardCourse, morningClass } from '../dev/board-objects';
import { FakeKubeApi } from '../dev/fake-kube-api';
import { REPO_ROOT } from './support/repo';

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const dockerfile = read('images/board/Dockerfile');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('the class board image', () => {
  it('bundles board/main.ts as the Dockerfile does, and the bundle serves the board from the ServiceAccount view', async () => {
    const bundle = /^RUN npx (esbuild board\/main\.ts .*) --outfile=(\S+)$/m.exec(dockerfile);
    expect(bundle, 'the Dockerfile bundles board/main.ts with esbuild').not.toBeNull();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-board-image-'));
    const objects = morningClass('k8s', 3);
    const api = new FakeKubeApi({ '/apis/apps/v1/statefulsets': objects.statefulSets, '/api/v1/pods': objects.pods });
    const child: { process?: ReturnType<typeof spawn> } = {};
    try {
      const out = path.join(dir, 'board.cjs');
      const args = bundle![1].split(' ').slice(1);
      const built = spawnSync(
        path.join(REPO_ROOT, 'node_modules', '.bin', 'esbuild'),
        [...args, `--outfile=${out}`, `--metafile=${path.join(dir, 'meta.json')}`, '--log-level=error'],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        },
      );
      expect(built.status, built.stderr).toBe(0);
      // Every source of the bundle outside board/ is copied into the build, let through the
      // .dockerignore, and watched by the workflow: else the image would not build, or not rebuild.
      const inputs = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).inputs as object);
      const sources = inputs.filter((file) => !file.startsWith('node_modules/') && !file.startsWith('board/'));
      expect(sources.length).toBeGreaterThan(0);
      const ignore = read('images/board/Dockerfile.dockerignore');
      const workflow = read('.github/workflows/board-image.yaml');
      for (const source of sources) {
        expect(dockerfile).toContain(`COPY ${source} ${source}`);
        expect(ignore).toContain(`!${source}`);
        expect(workflow).toContain(`'${source}'`);
      }

      const server = await api.listen();
      fs.writeFileSync(path.join(dir, 'board.json'), JSON.stringify(boardConfig([boardCourse('k8s')])));
      fs.writeFileSync(
        path.join(dir, 'kubeconfig'),
        `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]\nusers: [{name: board, user: {}}]\ncontexts: [{name: fake, context: {cluster: fake, user: board}}]\ncurrent-context: fake\n`,
      );
      const port = await freePort();
      child.process = spawn(process.execPath, [out], {
        env: {
          PATH: process.env.PATH,
          KUBECONFIG: path.join(dir, 'kubeconfig'),
          BOARD_CONFIG: path.join(dir, 'board.json'),
          BOARD_PORT: String(port),
        },
        stdio: 'ignore',
      });
      const base = `http://127.0.0.1:${port}`;
      await expect
        .poll(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status, { timeout: 15_000 })
        .toBe(200);
      const view = await fetch(`${base}/k8s/view`, { headers: { 'x-forwarded-user': 'trainer' } });
      expect(view.status).toBe(200);
      expect(((await view.json()) as { students: unknown[] }).students).toHaveLength(3);
      expect((await fetch(`${base}/k8s/view`)).status).toBe(403);
    } finally {
      child.process?.kill();
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is pushed by the workflow with the version lib/facts/versions.ts pins, never over a published one', () => {
    const workflow = parse(read('.github/workflows/board-image.yaml'));
    const steps = workflow.jobs.build.steps as { name?: string; run?: string; with?: Record<string, string> }[];
    expect(steps.find((s) => s.run?.includes('scripts/board-image-version.ts'))).toBeDefined();
    expect(steps.find((s) => s.run?.includes('imagetools inspect'))?.run).toContain('exit 1');
    const push = steps.find((s) => s.with?.file === 'images/board/Dockerfile')!;
    expect(push.with!.tags).toBe('ghcr.io/${{ steps.owner.outputs.name }}/dojo-board:${{ steps.versions.outputs.version }}');
    // GHCR refuses upper-case names; images.board names the owner lower-cased.
    expect(steps.find((s) => s.name === 'Owner')?.run).toContain('${GITHUB_REPOSITORY_OWNER,,}');
    expect(BOARD_IMAGE_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(dockerfile).toContain('COPY board board');
  });
});
