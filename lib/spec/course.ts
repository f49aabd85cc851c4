import { z } from 'zod';
import { byteQuantity, cpuQuantity } from './quantity';
import { dnsLabel, publicHttpsUrl } from './names';

/** The IDE listens here; 8080 and other common app ports stay free for the katas. */
export const IDE_PORT = 4711;

export const DEFAULT_WORKSTATION_IMAGE = 'docker.io/codercom/code-server:4.102.2';

// registry/path:tag or @sha256 digest; "latest" or no tag would make dist/ lie about what runs.
const IMAGE_PATTERN =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

const image = z
  .string()
  .regex(IMAGE_PATTERN, { message: 'is not an image reference such as "docker.io/org/image:1.2.3"' })
  .refine((ref) => /:[\w][\w.-]*$/.test(ref) || ref.includes('@sha256:'), {
    message: 'has no tag: pin a version ("image:1.2.3") so that dist/ says what runs',
  })
  .refine((ref) => !/:latest$/.test(ref), {
    message: 'uses the "latest" tag: pin a version so that dist/ says what runs',
  });

export const studentEntrySchema = z.union([
  z.string().trim().min(1, { message: 'is empty: give the student a name' }),
  z.strictObject({
    name: z.string().trim().min(1, { message: 'is empty: give the student a name' }),
    id: dnsLabel('student id').optional(),
  }),
]);

const studentCountSchema = z.strictObject({
  count: z.int().min(1).max(5000),
  prefix: dnsLabel('student id prefix', 40).default('student'),
});

const repoSchema = z.union([
  publicHttpsUrl,
  z.strictObject({
    url: publicHttpsUrl,
    directory: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a plain folder name (letters, digits, ".", "_", "-")' })
      .refine((d) => d !== '.' && d !== '..', { message: 'must be a plain folder name' })
      .optional(),
  }),
]);

const port = z.int().min(1).max(65535);

const workstationSchema = z.strictObject({
  image: image.default(DEFAULT_WORKSTATION_IMAGE),
  cpu: cpuQuantity.default('1'),
  memory: byteQuantity.default('2Gi'),
  homeSize: byteQuantity.default('10Gi'),
  repos: z.array(repoSchema).default([]),
  ports: z
    .array(port.refine((p) => p !== IDE_PORT, { message: `is the IDE's own port (${IDE_PORT}); choose another` }))
    .default([8080]),
});

const quotaSchema = z.strictObject({
  cpu: cpuQuantity.default('4'),
  memory: byteQuantity.default('8Gi'),
  pods: z.int().min(0).default(30),
  services: z.int().min(0).default(10),
  persistentVolumeClaims: z.int().min(0).default(5),
  loadBalancers: z.int().min(0).default(0),
});

const kubernetesSchema = z.strictObject({
  namespace: z.boolean().default(true),
  quota: quotaSchema.prefault({}),
});

export const courseSchema = z.strictObject({
  name: dnsLabel('course name', 40),
  title: z.string().trim().min(1).optional(),
  cluster: dnsLabel('cluster name'),
  students: z.union([z.array(studentEntrySchema).min(1, { message: 'is empty: list at least one student' }), studentCountSchema]),
  workstation: workstationSchema.prefault({}),
  kubernetes: kubernetesSchema.prefault({}),
});

export type CourseSpec = z.output<typeof courseSchema>;
export type StudentEntry = z.output<typeof studentEntrySchema>;
