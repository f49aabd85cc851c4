import * as z from 'zod';
import { dnsLabel } from './dns-names';

const conditionSchema = z.strictObject({
  expression: z
    .string()
    .trim()
    .min(1)
    .describe(
      "CEL over lists of the student's objects, one variable per kind (pods, deployments, statefulsets, services, configmaps, " +
        'persistentvolumeclaims, ingresses, horizontalpodautoscalers; never secrets), true when the condition holds. ' +
        'E.g. deployments.exists(d, d.metadata.name == "frontend" && d.status.readyReplicas == 3). A field the object lacks counts as not met.',
    ),
  message: z
    .string()
    .trim()
    .min(1)
    .describe('What is not so, in plain words, shown to the student when the expression is false.'),
  hint: z.string().trim().min(1).optional().describe('What to try, shown after the message.'),
});

const exerciseSchema = z.strictObject({
  id: dnsLabel('exercise id', 63).describe('What the student types: dojo check <id>. Lower case, digits and "-".'),
  title: z.string().trim().min(1).describe('The exercise as the class board and dojo check name it.'),
  conditions: z
    .array(conditionSchema)
    .min(1, { message: 'is empty: an exercise needs at least one condition' })
    .describe('Checked in order; the first that does not hold is the one the student is told about.'),
});

/** A file checks/<set>.yaml: the checks of one kata repo, named by courses in `checks: [<set>]`. */
export const checkSetSchema = z.strictObject({
  title: z.string().trim().min(1).describe('What the checks are of, e.g. "Kubernetes katas".'),
  source: z.string().url().optional().describe('The katas the checks are written for.'),
  exercises: z.array(exerciseSchema).min(1, { message: 'is empty: list at least one exercise' }),
});

export type CheckSetSpec = z.output<typeof checkSetSchema>;
