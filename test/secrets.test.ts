import { OUTPUT_DIRS } from '../lib/write/atomic-write';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { CHECKED_REPO, readTree } from './support/repo';

const scan = async (filePath: string, content: string) => {
  const result = await lintSource({
    source: { filePath, content, ext: '.yaml', contentType: 'text' },
    options: {
      config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] },
      maskSecrets: true,
    },
  });
  return result.messages.map((m) => `${filePath}: ${m.message}`);
};

describe('secrets', () => {
  it('none in dist/, argocd/ or bootstrap/, by secretlint', async () => {
    const findings: string[] = [];
    for (const [file, content] of readTree(CHECKED_REPO, OUTPUT_DIRS)) findings.push(...(await scan(file, content)));
    expect(findings).toEqual([]);
  });

  it('would be found if one were there', async () => {
    const token = `ghp_${'A1b2C3d4E5'.repeat(3)}${'x9Y8z7'}`;
    const leaked = `env:\n  - name: GITHUB_TOKEN\n    value: ${token}\n  - name: REPO\n    value: https://trainer:${'s3cr3tPa55'}@git.example.com/org/repo.git\n`;
    expect(await scan('dist/leak.yaml', leaked)).not.toEqual([]);
  });

  it('no Secret objects and no plaintext password fields in generated output', () => {
    for (const [file, content] of readTree(CHECKED_REPO, OUTPUT_DIRS)) {
      expect(content, file).not.toMatch(/^kind: Secret$/m);
      expect(content, file).not.toMatch(/name: PASSWORD$/m);
    }
  });
});
