import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { editorSchemas } from '../../lib/input/schema/json-schemas';
import { synth } from '../../lib/synth';
import { OUTPUT_DIRS } from '../../lib/write/atomic-write';
import { objectsOf, readTree, yamlDocuments } from './repo';
import { validateObject } from './schemas';
import { itWithUpstream, VALIDATION } from './upstream';

// The repo checks: what must hold for whatever valid courses and clusters a trainer's repo
// has. The four repo-check test files run them on this repo; test/template.test.ts runs them,
// in its own worker, on a fork it changes as a trainer would. Each reads the repo when its
// suite is collected, so the repo must be in place by then.

/** dist/, argocd/ and bootstrap/ as committed in `repo` are what synth makes of it. */
export function outputInSyncChecks(repo: string): void {
  describe('determinism', () => {
    it('dist/, argocd/ and bootstrap/ in git equal a fresh synth (run `npm run synth` and commit if this fails)', () => {
      const fresh = new Map(synth(repo, { write: false }).files.map((f) => [f.path, f.content]));
      const committed = readTree(repo, OUTPUT_DIRS);
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      for (const [file, content] of fresh) expect(committed.get(file), file).toBe(content);
    });
  });
}

/** The editor schemas of `repo` are current, and every course and cluster file names and meets its own. */
export function editorSchemaChecks(repo: string): void {
  const dirs = ['courses', 'clusters', 'checks'].filter((dir) => fs.existsSync(path.join(repo, dir)));
  const files = dirs.flatMap((dir) =>
    fs
      .readdirSync(path.join(repo, dir))
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.passwords.yaml'))
      .map((f) => `${dir}/${f}`),
  );

  describe('editor JSON Schemas', () => {
    it('are current (run `npm run schema` and commit if this fails)', () => {
      for (const [file, content] of Object.entries(editorSchemas())) {
        // A repo without check sets has no folder for their schema.
        if (!dirs.includes(path.dirname(file))) continue;
        expect(fs.readFileSync(path.join(repo, file), 'utf8'), file).toBe(content);
      }
    });

    it.each(files)('%s names its schema in a yaml-language-server modeline and validates against it', (file) => {
      const text = fs.readFileSync(path.join(repo, file), 'utf8');
      const schemaFile = `${{ courses: 'course', clusters: 'cluster', checks: 'checks' }[path.dirname(file)]}.schema.json`;
      expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=./${schemaFile}`);
      const schema = JSON.parse(fs.readFileSync(path.join(repo, path.dirname(file), schemaFile), 'utf8'));
      const validate = new Ajv2020({ strict: false }).compile(schema);
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    });

    it('rejects an unknown key, as synth does', () => {
      const schema = JSON.parse(editorSchemas()['courses/course.schema.json']);
      const validate = new Ajv2020({ strict: false }).compile(schema);
      expect(validate({ name: 'x', cluster: 'c', students: ['a'], studnets: [] })).toBe(false);
    });
  });
}

/** Every object in dist/ and argocd/ of `repo` meets its upstream schema and reads the same under YAML 1.1 and 1.2. */
export function objectSchemaChecks(repo: string): void {
  describe('every object in dist/ and argocd/', () => {
    const objects = objectsOf(readTree(repo));

    it('exists', () => {
      expect(objects.length).toBeGreaterThan(0);
    });

    itWithUpstream(VALIDATION, 'validates against its upstream schema with no unknown field', async () => {
      const failures: string[] = [];
      for (const { file, object } of objects) {
        for (const error of await validateObject(object))
          failures.push(`${file} ${object.kind}/${object.metadata?.name}: ${error}`);
      }
      expect(failures).toEqual([]);
    });

    itWithUpstream(VALIDATION, 'is caught when it has an unknown field, a wrong type or a missing required field', async () => {
      const statefulSet = objects.find((o) => o.object.kind === 'StatefulSet')!.object;
      const typo = structuredClone(statefulSet);
      typo.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
      expect((await validateObject(typo)).join()).toMatch(/imagePullPolicyy is not a field/);
      const wrongType = structuredClone(statefulSet);
      wrongType.spec.template.spec.containers[0].ports[0].containerPort = 'ide';
      expect(await validateObject(wrongType)).not.toEqual([]);
      const application = structuredClone(objects.find((o) => o.object.kind === 'Application')!.object);
      delete application.spec.destination;
      application.spec.sourcee = {};
      const errors = (await validateObject(application)).join();
      expect(errors).toMatch(/destination/);
      expect(errors).toMatch(/additional properties/);
      // cert-manager's kinds, from the CRDs of its pinned chart.
      const certificate = structuredClone(objects.find((o) => o.object.kind === 'Certificate')!.object);
      certificate.spec.dnsName = certificate.spec.dnsNames;
      expect((await validateObject(certificate)).join()).toMatch(/additional properties/);
    });
  });

  describe('YAML in dist/ and argocd/', () => {
    it('reads the same under YAML 1.1 (what Kubernetes and ArgoCD use) as under YAML 1.2, and as these checks read it', () => {
      for (const [file, content] of readTree(repo)) {
        const as11 = parseAllDocuments(content, { version: '1.1' }).map((d) => d.toJS());
        const as12 = parseAllDocuments(content, { version: '1.2' }).map((d) => d.toJS());
        expect(as11, file).toEqual(as12);
        expect(yamlDocuments(content), file).toStrictEqual(as12);
      }
    });
  });
}

const secretFindings = async (filePath: string, content: string) => {
  const result = await lintSource({
    source: { filePath, content, ext: '.yaml', contentType: 'text' },
    options: {
      config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] },
      maskSecrets: true,
    },
  });
  return result.messages.map((m) => `${filePath}: ${m.message}`);
};

/** No secret in the generated output of `repo`: none that secretlint finds, no Secret object, no password field. */
export function noSecretChecks(repo: string): void {
  describe('secrets', () => {
    it('none in dist/, argocd/ or bootstrap/, by secretlint', async () => {
      const findings: string[] = [];
      for (const [file, content] of readTree(repo, OUTPUT_DIRS)) findings.push(...(await secretFindings(file, content)));
      expect(findings).toEqual([]);
    });

    it('would be found if one were there', async () => {
      const token = `ghp_${'A1b2C3d4E5'.repeat(3)}${'x9Y8z7'}`;
      const leaked = `env:\n  - name: GITHUB_TOKEN\n    value: ${token}\n  - name: REPO\n    value: https://trainer:${'s3cr3tPa55'}@git.example.com/org/repo.git\n`;
      expect(await secretFindings('dist/leak.yaml', leaked)).not.toEqual([]);
    });

    it('no Secret objects and no plaintext password fields in generated output', () => {
      for (const [file, content] of readTree(repo, OUTPUT_DIRS)) {
        expect(content, file).not.toMatch(/^kind: Secret$/m);
        expect(content, file).not.toMatch(/name: PASSWORD$/m);
      }
    });
  });
}

/** Every repo check, in the order the repo-check test files run them. */
export const REPO_CHECKS = [outputInSyncChecks, editorSchemaChecks, objectSchemaChecks, noSecretChecks];
