import * as fs from 'fs';
import * as path from 'path';
import { DNS_LABEL } from '../input/schema/dns-names';
import { UserError } from './passwords-command';
import { isPasswordFile } from '../input/load/password-hashes';
import { nextClassWeek } from '../plan/schedule/schedule';

/**
 * A commented course file for `name` on `cluster`, valid as it stands, for the trainer to fill
 * in; its class days are the week after `today` (YYYY-MM-DD).
 */
export function courseTemplate(name: string, cluster: string, today: string): string {
  const week = nextClassWeek(today);
  return `# yaml-language-server: $schema=./course.schema.json
# ${name}: edit, then \`npm run passwords -- ${name}\` and \`npm run synth\`. Every setting is
# described in course.schema.json (your editor shows it) and in docs/trainer-guide.md.
name: ${name}
title: ${name}
cluster: ${cluster}

# Names (ids are derived: "Søren Ærø" -> soren-aero), { name, id } pairs, or anonymous seats:
#   students: { count: 20, prefix: student }
students:
  - Ada Lovelace
  - Alan Turing

workstation:
  cpu: "1"
  memory: 2Gi
  homeSize: 10Gi
  # Cloned into every home on first start.
  repos: []
  # Ports students open apps on, each at https://<port>-<student>.${name}.<contentDomain>
  ports: [8080]

kubernetes:
  # A namespace ${name}-<student> each, with admin rights there.
  namespace: true

# Checks of the katas, which students run with \`dojo check\` and the class board shows:
# sets of checks/ by file name, e.g. [kubernetes-katas, helm-katas]. Copy one of them to
# write checks of your own katas (docs/trainer-guide.md, "Checks").
checks: []

# Without a schedule the workstations never sleep (and the nodes never stop costing).
# The days are next week's, to change: without firstDay and lastDay the class hours come
# back every week, for good.
schedule:
  timeZone: Europe/Copenhagen
  firstDay: "${week.firstDay}"
  lastDay: "${week.lastDay}"
  hours: ["09:00-12:00", "13:00-16:00"]
`;
}

/**
 * Writes courses/<name>.yaml on the repo's only cluster (or the one named); never overwrites.
 * `today` (YYYY-MM-DD, default today in UTC) dates its class week.
 */
export function newCourse(
  root: string,
  name: string,
  cluster?: string,
  today: string = new Date().toISOString().slice(0, 10),
): string {
  if (!DNS_LABEL.test(name) || name.length > 40) {
    throw new UserError([`"${name}" is not a course name: lower-case letters, digits and "-", at most 40 characters`]);
  }
  const file = path.join('courses', `${name}.yaml`);
  if (fs.existsSync(path.join(root, file))) throw new UserError([`${file} exists already`]);
  const clusters = fs.existsSync(path.join(root, 'clusters'))
    ? fs
        .readdirSync(path.join(root, 'clusters'))
        .filter((f) => f.endsWith('.yaml') && !isPasswordFile(f))
        .map((f) => f.replace(/\.yaml$/, ''))
    : [];
  const known = `clusters: ${clusters.join(', ') || 'none (add clusters/<name>.yaml first)'}`;
  if (cluster !== undefined && !clusters.includes(cluster)) {
    throw new UserError([`"${cluster}" is not a cluster of this repo (${known})`]);
  }
  const chosen = cluster ?? (clusters.length === 1 ? clusters[0] : undefined);
  if (!chosen) {
    throw new UserError([`this repo has several clusters: name one, npm run new-course -- ${name} <cluster> (${known})`]);
  }
  fs.writeFileSync(path.join(root, file), courseTemplate(name, chosen, today));
  return file;
}
