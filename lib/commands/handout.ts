import * as fs from 'fs';
import * as path from 'path';
import type { CoursePlan } from '../plan/model/types';
import { classTimes } from '../plan/schedule/schedule';
import { loadAndPlan } from '../synth';
import { PRIVATE_DIR, privatePasswordFile, readPrivate, UserError } from './passwords-command';
import { verifyPasswords } from './passwords';

/** The class's handout, and one student's slip under a name of its own, so that neither overwrites the other. */
export function handoutFile(course: string, student?: string): string {
  return student === undefined ? `${PRIVATE_DIR}/${course}-handout.html` : `${PRIVATE_DIR}/${course}-${student}-slip.html`;
}

/**
 * Writes the slips of a course (or of one student) to private/, which git ignores, and
 * returns the file and how many slips it holds. Writes nothing, and says why, when a slip
 * would not open the IDE: a password in private/ that does not verify, or none at all.
 */
export async function writeHandout(root: string, course: string, student?: string): Promise<{ file: string; slips: number }> {
  const planned = loadAndPlan(root);
  if (!planned.ok) throw new UserError(planned.errors);
  // A course goes by its file's name in the commands (the cluster may know it by another id).
  const whole = planned.plan.clusters
    .flatMap((c) => c.courses)
    .find((c) => path.basename(c.file).replace(/\.ya?ml$/, '') === course);
  if (!whole) throw new UserError([`no course named "${course}" in courses/`]);
  // An archived course has no workstations and no routes: a slip would give addresses that lead nowhere.
  if (whole.archived)
    throw new UserError([`${course} is archived (archived: true): it has no workstations, so there are no slips to print`]);
  if (student !== undefined && !whole.students.some((s) => s.id === student)) {
    throw new UserError([`"${student}" is not a student id of ${course} (ids: ${whole.students.map((s) => s.id).join(', ')})`]);
  }
  const plan = student === undefined ? whole : { ...whole, students: whole.students.filter((s) => s.id === student) };
  const privateFile = privatePasswordFile(course);
  const passwords = readPrivate(path.join(root, privateFile));
  const wrong = await passwordsThatDoNotVerify(plan, passwords);
  if (wrong.length > 0) {
    throw new UserError([
      `the passwords of ${wrong.join(', ')} in ${privateFile} do not match the hashes in git: their slips would not open the IDE.`,
      `Give them new ones: npm run passwords -- ${course} ${wrong.map((id) => `--reset ${id}`).join(' ')} (then synth and merge before class)`,
    ]);
  }
  const missing = plan.login.method.kind === 'password' ? plan.students.filter((s) => !passwords.has(s.id)).map((s) => s.id) : [];
  if (missing.length > 0) {
    throw new UserError([
      `${privateFile} has no password for ${missing.join(', ')}: they were made on another machine, and a slip without one would not open the IDE.`,
      `Copy ${privateFile} from that machine, or give them new ones: npm run passwords -- ${course} ${missing.map((id) => `--reset ${id}`).join(' ')} (then synth and merge before class)`,
    ]);
  }
  const file = handoutFile(course, student);
  fs.mkdirSync(path.join(root, PRIVATE_DIR), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(root, file), handoutHtml(plan, passwords), { mode: 0o600 });
  return { file, slips: plan.students.length };
}

/**
 * The students of `course` whose password in the trainer's private file does not verify
 * against the committed hash (made on another machine, or the hash was reset since): a slip
 * with it would not open the IDE.
 */
export async function passwordsThatDoNotVerify(course: CoursePlan, passwords: ReadonlyMap<string, string>): Promise<string[]> {
  if (course.login.method.kind !== 'password') return [];
  const printed = course.students.filter((s) => passwords.has(s.id));
  const verified = await verifyPasswords(printed.map((s) => [s.passwordHash, passwords.get(s.id)!] as const));
  return printed.filter((_, i) => !verified[i]).map((s) => s.id);
}

/** Text safe inside HTML. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A line of the course file's `handout` as HTML: text, with `code` in backticks. */
function handoutLine(line: string): string {
  return html(line).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/**
 * A printable page of slips, one per student, to cut and hand out: the IDE address, the
 * password, when class is, the app URLs and the first steps. Built from the plan (addresses) and the
 * trainer's private file (passwords); it lives in private/ too.
 */
export function handoutHtml(course: CoursePlan, passwords: ReadonlyMap<string, string>): string {
  const kataPort = course.workstation.appPorts.includes(8080) ? 8080 : course.workstation.appPorts[0];
  const firstSteps = [
    course.login.method.kind === 'oidc'
      ? 'Open the IDE address in a browser and sign in with your school account.'
      : 'Open the IDE address in a browser and sign in with your user name and password.',
    'Open a terminal: Terminal &rarr; New Terminal.',
    ...(course.kubernetes.access !== 'none'
      ? ['Check your cluster access: <code>kubectl get pods</code> (your namespace is already set).']
      : []),
    'Check docker: <code>docker run --rm hello-world</code>.',
    // The katas' own addresses, the dojo way (docs/trainer-guide.md, "Katas"); most katas use 8080.
    ...(course.workstation.appPorts.length > 0
      ? [
          `Where a kata says <code>http://&lt;workstation&gt;:${kataPort}</code>, open the app address for that port below; ` +
            `<code>kubectl port-forward --address 0.0.0.0 svc/&lt;name&gt; ${kataPort}:&lt;port&gt;</code> shows a Service there.`,
        ]
      : []),
    ...(course.workstation.repos.length > 0
      ? [`Your course material is in ${course.workstation.repos.map((r) => `<code>~/${html(r.directory)}</code>`).join(', ')}.`]
      : []),
  ];
  const when = classTimes(course.schedule);
  const slips = course.students.map((student) => {
    const password = passwords.get(student.id);
    // A kata's `http://<host>:<port>` is `https://<port>-<student>...` here: the IDE host answers
    // only over HTTPS, so its session never travels in clear.
    const apps = student.hosts.apps.map((app) => `<li>port ${app.port}: <code>https://${html(app.host)}</code></li>`).join('');
    // Apps and Ingresses live under the cluster's content domain, not the IDE's: the only hosts
    // the admission policy lets a student's Ingress name. In alb mode a kata's Ingress gets an
    // ALB of its own but no DNS record, and no policy admits the ALB: the port-forward stands in.
    const ingresses =
      course.kubernetes.access === 'none'
        ? ''
        : course.routing.mode === 'gateway'
          ? `<p>Your Ingresses' hosts: <code class="ingress-host">&lt;name&gt;${html(student.hosts.ingressSuffix)}</code></p>`
          : kataPort === undefined
            ? ''
            : `<p>An Ingress of yours gets no address on this cluster: open its Service with <code>kubectl port-forward --address 0.0.0.0 svc/&lt;name&gt; ${kataPort}:&lt;port&gt;</code> at your app address for ${kataPort}.</p>`;
    // A mesh course: the student's own ingress gateway, over HTTPS through the course's proxy.
    const mesh =
      student.kubernetes.access === 'namespace' && student.kubernetes.mesh
        ? `<p>Your mesh's ingress gateway: <code class="mesh-url">https://${html(student.kubernetes.mesh.address)}</code>${
            student.kubernetes.mesh.ingress.rewriteHost
              ? ` (your gateway sees it as <code>${html(student.kubernetes.mesh.ingress.rewriteHost)}</code>)`
              : ''
          }</p>`
        : '';
    // Its Kiali, Prometheus and Jaeger, which only a port-forward reaches: they answer to anyone
    // who reaches them, and the app addresses are behind the student's sign-in.
    const tools =
      student.kubernetes.access === 'namespace' && student.kubernetes.mesh?.observability
        ? `<p>Your mesh's tools open at your app addresses, each after its port-forward:</p><ul class="mesh-tools">${student.kubernetes.mesh.observability.tools
            .map(
              (tool) =>
                `<li>${html(tool.title)}: <code>kubectl port-forward --address 0.0.0.0 svc/${html(tool.name)} ${tool.ports[0].port}</code>, then <code>https://${html(tool.address)}</code></li>`,
            )
            .join('')}</ul>`
        : '';
    const credential =
      course.login.method.kind === 'oidc'
        ? `<dt>Sign in as</dt><dd><code class="username">${html(student.login.email ?? '')}</code></dd>`
        : `<dt>User name</dt><dd><code class="username">${html(student.login.username)}</code></dd>
      <dt>Password</dt><dd><code class="password">${password ? html(password) : 'ask your trainer'}</code></dd>`;
    return `
  <section class="slip" data-student="${html(student.id)}">
    <h2>${html(student.name)}</h2>
    <p class="course">${html(course.title)}</p>
    <dl>
      <dt>IDE</dt><dd><code class="url">https://${html(student.hosts.ide)}</code></dd>
      ${credential}
      <dt>Class</dt><dd class="class-times">${html(when)}</dd>
    </dl>
    ${apps ? `<p>Apps you start on a port open at:</p><ul class="apps">${apps}</ul>` : ''}
    ${ingresses}${mesh}${tools}
    <ol class="steps">${[...firstSteps, ...student.handout.map(handoutLine)].map((s) => `<li>${s}</li>`).join('')}</ol>
  </section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${html(course.title)}: student slips</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1cm; }
  .slip { border: 1px dashed #888; padding: 0.5cm; margin-bottom: 0.5cm; page-break-inside: avoid; break-inside: avoid; }
  .slip h2 { margin: 0; font-size: 1.3em; }
  .course { margin: 0 0 0.3cm; color: #555; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1cm 0.4cm; margin: 0 0 0.3cm; }
  dt { font-weight: bold; }
  code { font-family: ui-monospace, monospace; }
  .password { font-size: 1.2em; letter-spacing: 0.05em; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>${html(course.title)}</h1>${slips.join('')}
</body>
</html>
`;
}
