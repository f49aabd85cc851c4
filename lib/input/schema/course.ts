import * as z from 'zod';
import { byteQuantity, cpuQuantity } from './quantity';
import { cityZoneProblem, isTimeZone, timeZoneSpelling } from '../../common/time-zone';
import { closest } from '../../common/text';
import { dnsLabel, publicHttpsUrl } from './dns-names';

/** The IDE listens here; 8080 and other common app ports stay free for the katas. */
export const IDE_PORT = 4711;

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

const studentEntrySchema = z.union([
  z.string().trim().min(1, { message: 'is empty: give the student a name' }),
  z.strictObject({
    name: z.string().trim().min(1, { message: 'is empty: give the student a name' }),
    id: dnsLabel('student id').optional(),
    email: z
      .email({ message: 'is not an e-mail address' })
      .optional()
      .describe('The address the student signs in with, on clusters whose login is OIDC.'),
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
  image: image
    .optional()
    .describe("Workstation image with a pinned tag. Default: the cluster's dojo workstation image for its Kubernetes version."),
  cpu: cpuQuantity.default('1').describe('CPU each workstation requests, in cores ("1") or millicores ("500m").'),
  memory: byteQuantity.default('2Gi').describe('Memory each workstation requests and is limited to, e.g. "2Gi".'),
  homeSize: byteQuantity.default('10Gi').describe('Size of the persistent home volume, e.g. "10Gi".'),
  dockerStorage: byteQuantity
    .default('20Gi')
    .describe("Room for docker's images and containers in each workstation; emptied when the workstation sleeps."),
  repos: z.array(repoSchema).default([]).describe('Git repos cloned into the home on first start: URLs, or { url, directory }.'),
  ports: z
    .array(port.refine((p) => p !== IDE_PORT, { message: `is the IDE's own port (${IDE_PORT}); choose another` }))
    .default([8080])
    .describe('Ports the students open apps on inside the workstation, e.g. [8080, 5000].'),
});

const quotaSchema = z.strictObject({
  cpu: cpuQuantity.default('4').describe('CPU requests allowed in the namespace.'),
  memory: byteQuantity.default('8Gi').describe('Memory requests and limits allowed in the namespace.'),
  pods: z.int().min(0).default(30).describe('Pods allowed in the namespace.'),
  services: z.int().min(0).default(10).describe('Services allowed in the namespace.'),
  persistentVolumeClaims: z.int().min(0).default(5).describe('PersistentVolumeClaims allowed in the namespace.'),
  loadBalancers: z.int().min(0).default(0).describe('Services of type LoadBalancer allowed (each is a cloud load balancer).'),
  nodePorts: z
    .int()
    .min(0)
    .default(3)
    .describe('NodePort Services allowed; every one takes a port of the whole cluster (30000-32767 holds 2,768).'),
  storage: byteQuantity.default('20Gi').describe('Storage all PersistentVolumeClaims of the namespace may request together.'),
  ephemeralStorage: byteQuantity
    .default('10Gi')
    .describe("Node disk (container files, logs, emptyDir) the namespace's pods may use together."),
});

const meshSchema = z.strictObject({
  gatewayHost: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      'The host the student\'s ingress gateway sees on requests to their mesh address, with {namespace}, {student} and {course} filled in: the katas\' Gateways name it, e.g. "{namespace}.sentences.{course}.eficode.academy". Default: the mesh address itself.',
    ),
  observability: z
    .boolean()
    .default(true)
    .describe(
      "Kiali, Prometheus and Jaeger in each student's namespace, seeing that namespace only (the katas open them at ports 20001, 9090 and 16686, which the course then publishes).",
    ),
});

const kubernetesSchema = z
  .strictObject({
    namespace: z.boolean().default(true).describe('Give each student a namespace <course>-<student> with admin rights.'),
    isolation: z
      .enum(['namespace', 'vcluster'])
      .default('namespace')
      .describe(
        "namespace: admin in the student's namespace of the shared cluster. vcluster: cluster-admin of a virtual cluster " +
          'of their own (CRDs, ClusterRoles, namespaces: argocd-katas), whose pods run in that namespace under its quota.',
      ),
    quota: quotaSchema
      .prefault({})
      .describe("ResourceQuota of each student namespace (in vcluster mode: of the student's pods)."),
    mesh: meshSchema
      .optional()
      .describe(
        "An Istio service mesh (istio-katas): the student's namespace is in it, with an ingress and an egress gateway of its own; " +
          'needs isolation: namespace and a cluster in routing mode gateway.',
      ),
  })
  .refine((k) => k.namespace || k.isolation === 'namespace', {
    path: ['isolation'],
    message: 'needs namespace: true: the virtual cluster runs in the student namespace',
  })
  .refine((k) => !k.mesh || (k.namespace && k.isolation === 'namespace'), {
    path: ['mesh'],
    message: "needs namespace: true and isolation: namespace: the mesh's sidecars and gateways run in the student namespace",
  });

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'is not a date such as "2026-11-23"' })
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'is not a day of the calendar',
  });

const duration = z.string().regex(/^(?=\d)(\d+h)?(\d+m)?$/, { message: 'is not a duration such as "30m", "1h" or "1h30m"' });

const scheduleSchema = z.strictObject({
  timeZone: z
    .string()
    .refine(isTimeZone, {
      error: (issue) => {
        // "UTC+1" is no zone at all, and a fixed offset even if it were.
        if (/^(UTC|GMT)[+-]\d/i.test(String(issue.input))) return cityZoneProblem(String(issue.input));
        const guess = closest(String(issue.input), Intl.supportedValuesOf('timeZone'));
        return `is not an IANA time zone${guess ? `: did you mean "${guess}"?` : ' such as "Europe/Copenhagen"'}`;
      },
    })
    .refine((zone) => !isTimeZone(zone) || cityZoneProblem(zone) === undefined, {
      error: (issue) => cityZoneProblem(String(issue.input)) ?? '',
    })
    .refine((zone) => cityZoneProblem(zone) !== undefined || timeZoneSpelling(zone) === undefined, {
      error: (issue) =>
        `must be spelt "${timeZoneSpelling(String(issue.input))}": KEDA's cron scaler reads time zones case-sensitively, ` +
        'and would never wake or put the workstations to sleep',
    })
    .describe('IANA time zone of the class hours, e.g. "Europe/Copenhagen".'),
  firstDay: isoDate.optional().describe('First day of class, "YYYY-MM-DD". Without first and last day, every week.'),
  lastDay: isoDate.optional().describe('Last day of class, "YYYY-MM-DD".'),
  weekdays: z
    .array(z.enum(WEEKDAYS))
    .min(1)
    .default(['mon', 'tue', 'wed', 'thu', 'fri'])
    .describe('Days of the week with class (default mon to fri).'),
  hours: z
    .array(
      z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: 'is not a window such as "09:00-12:00"' }),
    )
    .min(1)
    .describe('Daily class windows in local time, e.g. ["09:00-12:00", "13:00-17:00"].'),
  daysOff: z.array(isoDate).default([]).describe('Dates without class, e.g. public holidays.'),
  prewarm: z
    .strictObject({
      lead: duration.default('30m').describe('How long before each window the nodes start and pull the image.'),
      seats: z.int().min(0).optional().describe('Workstations to warm capacity for. Default: every student.'),
    })
    .prefault({})
    .describe('Capacity warmed before class so that the first login is instant.'),
});

export type ScheduleSpec = z.output<typeof scheduleSchema>;

export const courseSchema = z.strictObject({
  name: dnsLabel('course name', 40).describe(
    'Course name: the file name (courses/<name>.yaml) and what the commands take; also its id on the cluster unless id says otherwise. Lower case, digits and "-".',
  ),
  id: dnsLabel('course id', 40)
    .optional()
    .describe(
      'The name the cluster knows the course by: its namespaces (so its home volumes), host names, Application and dist/ folder. Default: name. Set by npm run rename-course, so that a renamed course keeps them.',
    ),
  title: z.string().trim().min(1).optional().describe('Human-readable course title. Default: the name.'),
  cluster: dnsLabel('cluster name').describe('Name of the cluster (clusters/<name>.yaml) the course runs on.'),
  students: z
    .union([z.array(studentEntrySchema).min(1, { message: 'is empty: list at least one student' }), studentCountSchema])
    .describe('Student names (or { name, id }), or { count, prefix } for anonymous seats.'),
  workstation: workstationSchema.prefault({}).describe("Each student's browser IDE."),
  kubernetes: kubernetesSchema.prefault({}).describe('Kubernetes access of the students.'),
  schedule: scheduleSchema.optional().describe('Class hours: workstations sleep outside them. No schedule: always on.'),
  handout: z
    .array(z.string().trim().min(1))
    .default([])
    .describe(
      "Lines every slip adds to its first steps, such as a kata's install step or address the dojo way. `code` in backticks; {student}, {namespace}, {course}, {contentDomain} and {url:<port>} are filled in per student; {{...}} prints as written.",
    ),
  checks: z
    .array(dnsLabel('check set name'))
    .default([])
    .describe(
      'Check sets (checks/<set>.yaml) of the katas the course runs: students run dojo check in the IDE, the class board shows who passes which exercise.',
    ),
  archived: z
    .boolean()
    .default(false)
    .describe('Keep namespaces and home volumes, remove workstations and nodes. Deleting the file removes everything.'),
});

export type CourseSpec = z.output<typeof courseSchema>;
