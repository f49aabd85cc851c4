import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/repo';
import { upstreamNotice } from './support/upstream';

describe('tests that need upstream CRDs or charts, on a clone without them', () => {
  it('are announced once, naming what is missing and the command that fetches it', () => {
    expect(upstreamNotice(() => true)).toBeUndefined();
    const noCrds = upstreamNotice((what) => what !== 'crds')!;
    expect(noCrds).toContain('scripts/fetch-crds.sh DIR');
    expect(noCrds).toContain('DOJO_CRDS_DIR=DIR npm test');
    expect(noCrds).not.toContain('fetch-charts');
    const neither = upstreamNotice(() => false)!;
    expect(neither).toContain('npm run fetch-charts -- DIR');
    expect(neither).toContain('DOJO_CHARTS_DIR=DIR npm test');
  });

  it('are skipped while every other test of their files runs and passes', () => {
    const missing = path.join(REPO_ROOT, 'no-such-folder');
    const run = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        'test/render.test.ts',
        'test/immutable-fields.test.ts',
      ],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          DOJO_CRDS_DIR: path.join(missing, 'crds'),
          DOJO_CHARTS_DIR: path.join(missing, 'charts'),
          NO_COLOR: '1',
        },
      },
    );
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output.split('Skipping the tests that need upstream crds and charts')).toHaveLength(2);
    expect(output).toMatch(/Tests +\d+ passed \| \d+ skipped/);
  });
});
