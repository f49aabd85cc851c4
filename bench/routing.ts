import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { synth } from '../lib/synth';
import { syntheticRepo } from './synthetic-repo';
import { figureTable } from './table';

// What routing costs at scale, in both modes: one course of N students with two app ports
// (the example course's). Counted from the real synth output, not from formulas.
const SIZES = [30, 90, 300, 1000, 3000];

interface Row {
  readonly mode: string;
  readonly students: number;
  readonly loadBalancers: number;
  readonly routingObjects: number;
  readonly targetGroups: number;
  readonly dnsRecords: number;
}

function measure(mode: 'gateway' | 'alb', students: number): Row {
  const root = syntheticRepo(1, students, mode);
  const result = synth(root, { write: false });
  fs.rmSync(root, { recursive: true, force: true });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  const objects = result.files.flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
  if (mode === 'gateway') {
    const proxy = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'gateway-proxy');
    const values = proxy.spec.source.helm.valuesObject;
    return {
      mode,
      students,
      loadBalancers: values.service.type === 'LoadBalancer' ? 1 : 0,
      routingObjects: objects.filter((o) => o.kind === 'HTTPRoute').length,
      // An NLB has a target group per listener port.
      targetGroups: Object.keys(values.ports).length,
      dnsRecords: values.service.annotations['external-dns.alpha.kubernetes.io/hostname'].split(',').length,
    };
  }
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  const groups = new Map<string, Set<string>>();
  const hosts = new Set<string>();
  for (const ingress of ingresses) {
    const group = ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name'];
    const targets = groups.get(group) ?? new Set<string>();
    for (const rule of ingress.spec.rules) {
      hosts.add(rule.host);
      for (const p of rule.http.paths) targets.add(`${p.backend.service.name}:${p.backend.service.port.number}`);
    }
    groups.set(group, targets);
  }
  return {
    mode,
    students,
    loadBalancers: groups.size,
    routingObjects: ingresses.length,
    targetGroups: [...groups.values()].reduce((n, t) => n + t.size, 0),
    dnsRecords: hosts.size,
  };
}

const rows = (['gateway', 'alb'] as const).flatMap((mode) => SIZES.map((n) => measure(mode, n)));
const header = ['mode', 'students', 'load balancers', 'HTTPRoutes / Ingresses', 'target groups', 'DNS records'];
console.log(
  figureTable(
    header,
    rows.map((r) => [r.mode, r.students, r.loadBalancers, r.routingObjects, r.targetGroups, r.dnsRecords].map(String)),
  ),
);
