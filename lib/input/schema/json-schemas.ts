import * as z from 'zod';
import { clusterSchema } from './cluster';
import { checkSetSchema } from './checks';
import { courseSchema } from './course';

/** The JSON Schemas editors use (through the yaml-language-server modeline), keyed by repo path. */
export function editorSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, title: string) =>
    `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: 'input' }) }, null, 2)}\n`;
  return {
    'courses/course.schema.json': render(courseSchema, 'dojo course'),
    'clusters/cluster.schema.json': render(clusterSchema, 'dojo cluster'),
    'checks/checks.schema.json': render(checkSetSchema, 'dojo check set'),
  };
}
