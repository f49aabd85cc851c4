import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editorSchemas } from '../lib/spec/json-schemas';
import { CHECKED_REPO } from './support/repo';

const examples = ['courses', 'clusters'].flatMap((dir) =>
  fs
    .readdirSync(path.join(CHECKED_REPO, dir))
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.passwords.yaml'))
    .map((f) => `${dir}/${f}`),
);

describe('editor JSON Schemas', () => {
  it('are current (run `npm run schema` and commit if this fails)', () => {
    for (const [file, content] of Object.entries(editorSchemas())) {
      expect(fs.readFileSync(path.join(CHECKED_REPO, file), 'utf8'), file).toBe(content);
    }
  });

  it.each(examples)('%s names its schema in a yaml-language-server modeline and validates against it', (file) => {
    const text = fs.readFileSync(path.join(CHECKED_REPO, file), 'utf8');
    const schemaFile = file.startsWith('courses/') ? 'course.schema.json' : 'cluster.schema.json';
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=./${schemaFile}`);
    const schema = JSON.parse(fs.readFileSync(path.join(CHECKED_REPO, path.dirname(file), schemaFile), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects an unknown key, as synth does', () => {
    const schema = JSON.parse(editorSchemas()['courses/course.schema.json']);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate({ name: 'x', cluster: 'c', students: ['a'], studnets: [] })).toBe(false);
  });
});
