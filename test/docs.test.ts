import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { brokenReferences, headingAnchor, npmScriptsNamed, relativeLinks } from './support/doc-references';
import { REPO_ROOT } from './support/repo';

const packageScripts = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const DOCS = [
  'README.md',
  'ARCHITECTURE.md',
  ...fs
    .readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the docs name only what exists', () => {
  it.each(DOCS)('%s: every npm script it runs is in package.json, every relative link resolves', (doc) => {
    expect(brokenReferences(path.join(REPO_ROOT, doc), packageScripts)).toEqual([]);
  });

  it('covers the README and every guide', () => {
    expect(DOCS).toEqual(
      expect.arrayContaining(['README.md', 'docs/trainer-guide.md', 'docs/platform-guide.md', 'docs/development.md']),
    );
  });
});

describe('the docs scanner', () => {
  it('finds npm scripts in prose, code and with arguments', () => {
    const text =
      'Run `npm run synth`, then\n```sh\nnpm test\nnpm run passwords -- k8s-101 --reset ada\nnpm run bench:board\n```\nand npm\nrun check-cluster.';
    expect(npmScriptsNamed(text)).toEqual(['bench:board', 'check-cluster', 'passwords', 'synth', 'test']);
  });

  it('finds relative links with their anchors, and leaves out URLs and code', () => {
    const text = 'See [a](docs/a.md#the-part), [b](../b.md), [c](#local), [d](https://x.org/y.md), `[e](f.md)`.';
    expect(relativeLinks(text)).toEqual([
      { file: 'docs/a.md', anchor: 'the-part' },
      { file: '../b.md' },
      { file: '', anchor: 'local' },
    ]);
  });

  it("makes GitHub's anchors", () => {
    expect(headingAnchor("A cluster of one's own (`kubernetes.isolation: vcluster`)")).toBe(
      'a-cluster-of-ones-own-kubernetesisolation-vcluster',
    );
    expect(headingAnchor('Docker, nodes and cost')).toBe('docker-nodes-and-cost');
  });

  it('reports a misspelt script, a missing file and a missing heading', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dojo-docs-'));
    try {
      fs.writeFileSync(path.join(dir, 'guide.md'), '# Guide\n\n## Routing\n');
      const doc = path.join(dir, 'README.md');
      fs.writeFileSync(
        doc,
        'Run `npm run sytnh` and `npm test`; see [guide](guide.md#routing), [gone](gone.md) and [nowhere](guide.md#nodes).\n',
      );
      expect(brokenReferences(doc, { synth: 'x' })).toEqual([
        `${doc}: npm script "sytnh" is not in package.json`,
        `${doc}: npm script "test" is not in package.json`,
        `${doc}: link to gone.md, which does not exist`,
        `${doc}: link to guide.md#nodes, a heading that does not exist`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
