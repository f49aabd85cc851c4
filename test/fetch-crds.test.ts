import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { pinnedCrds } from '../dev/pinned-crds';
import { ARGOCD, CHARTS, GATEWAY_API } from '../lib/facts/versions';
import { REPO_ROOT } from './support/repo';
import { CRDS_DIR, itWithUpstream } from './support/upstream';

describe('scripts/fetch-crds.sh', () => {
  it('downloads each CRD at the release dojo pins, never from a branch', () => {
    const tags = [ARGOCD.appVersion, GATEWAY_API.version, `v${CHARTS.karpenter.version}`, `v${CHARTS.keda.version}`];
    for (const { url } of pinnedCrds()) {
      const tag = url.split('/')[5];
      expect(tags, url).toContain(tag);
    }
  });

  it('fetches every pinned CRD into its folder, laid out like ../shared/crds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-fetch-crds-'));
    try {
      // A curl that records what it is asked for and writes the URL as the file.
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.writeFileSync(
        path.join(dir, 'bin', 'curl'),
        `#!/usr/bin/env bash\nwhile [ "$1" != -o ]; do shift; done\necho "\${@: -1}" > "$2"\necho "\${@: -1}" >> "${dir}/calls"\n`,
        { mode: 0o755 },
      );
      const run = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'fetch-crds.sh'), path.join(dir, 'crds')], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` },
      });
      expect(run.status, run.stderr).toBe(0);
      const urls = pinnedCrds().map((c) => c.url);
      expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual(urls);
      for (const { folder, url } of pinnedCrds()) {
        expect(fs.readFileSync(path.join(dir, 'crds', folder, path.basename(url)), 'utf8').trim()).toBe(url);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  itWithUpstream(['crds'], 'fetches the files the tests read from the CRDs folder, no more and no fewer', () => {
    const fetched = pinnedCrds().map(({ folder, url }) => `${folder}/${path.basename(url)}`);
    const shared = fs
      .readdirSync(CRDS_DIR, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.split(path.sep).join('/'));
    expect(fetched.sort()).toEqual(shared.sort());
  });
});
