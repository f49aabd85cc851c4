/**
 * The students' own workloads sleep with their workstation. When a workstation stops (the
 * schedule scales it to zero at the end of a class window) its preStop hook scales the
 * student's Deployments and StatefulSets to zero, suspends their CronJobs and Jobs, and
 * deletes pods that no controller would bring back; the students' pool then empties and
 * Karpenter removes its nodes. When the workstation starts again, its setup wakes them with
 * the replicas they had. Each object that dojo put to sleep carries the annotation below, so
 * what the student scaled down or suspended themselves stays as they left it.
 *
 * It runs with the student's own rights (the workstation's ServiceAccount, `admin` in their
 * namespace; in vcluster mode their virtual cluster's kubeconfig, whose control plane stays up
 * VIRTUAL_CLUSTER_SLEEP_DELAY_MINUTES longer for this) and never fails the workstation: a step
 * that fails is skipped.
 */
import { VIRTUAL_CLUSTER_DIR } from '../virtual-clusters/virtual-cluster';
import type { KubernetesAccessPlan } from '../model/types';

/** What dojo changed when it put an object to sleep: the replicas, or "suspended". */
export const SLEEP_ANNOTATION = 'dojo.training/asleep';
/** Mount point of the course's scripts in the workstation. */
export const SCRIPTS_DIR = '/opt/dojo';
export const SLEEP_SCRIPT = 'sleep-katas.sh';
export const WAKE_SCRIPT = 'wake-katas.sh';
/** Seconds the workstation's pod may take to stop: the preStop hook runs within them. */
export const STOP_GRACE_SECONDS = 90;

/**
 * How the scripts reach the student's workloads. Namespace mode: the workstation's own
 * ServiceAccount (not the kubeconfig, which the student may have changed) in $STUDENT_NS.
 * vcluster mode: the pod's copy of the virtual cluster's admin kubeconfig, in every namespace
 * of it, CoreDNS's too: each pod it runs keeps a node of the students' pool up.
 */
function header(isolation: KubernetesAccessPlan['access']): string[] {
  const common = ['#!/bin/sh'];
  if (isolation === 'vcluster') {
    return [
      ...common,
      "# Acts in every namespace of the student's virtual cluster, with the workstation's copy of",
      '# its admin kubeconfig (not the one in the home, which the student may have changed).',
      `vc="\${DOJO_VCLUSTER_DIR:-${VIRTUAL_CLUSTER_DIR}}"`,
      'set -u',
      '[ -r "$vc/admin" ] || exit 0',
      'k() {',
      '  kubectl --kubeconfig="$vc/admin" --request-timeout=10s -n "$ns" "$@"',
      '}',
      `namespaces=$(ns=default k get namespaces -o go-template=${q(KATA_TEMPLATES.names)} 2>/dev/null)`,
    ];
  }
  return [
    ...common,
    "# Acts in the namespace of $STUDENT_NS only, with the workstation's own ServiceAccount",
    '# (not the kubeconfig, which the student may have changed).',
    'set -u',
    'ns="${STUDENT_NS:-}"',
    'sa="${DOJO_SERVICE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"',
    '[ -n "$ns" ] && [ -r "$sa/token" ] || exit 0',
    'k() {',
    '  kubectl --kubeconfig=/dev/null --server=https://kubernetes.default.svc --certificate-authority="$sa/ca.crt" \\',
    '    --token="$(cat "$sa/token")" --request-timeout=10s -n "$ns" "$@"',
    '}',
    'namespaces="$ns"',
  ];
}

/** Go templates over a list (`kubectl get -o go-template`); tested against kubectl in test/kata-sleep.test.ts. */
export const KATA_TEMPLATES = {
  /** Name and replicas of each object dojo has not put to sleep. */
  awake: `{{range .items}}{{$a := ""}}{{with .metadata.annotations}}{{with index . "${SLEEP_ANNOTATION}"}}{{$a = .}}{{end}}{{end}}{{if not $a}}{{.metadata.name}} {{.spec.replicas}}{{"\\n"}}{{end}}{{end}}`,
  /** Name and the remembered value of each object dojo put to sleep. */
  asleep: `{{range .items}}{{$n := .metadata.name}}{{with .metadata.annotations}}{{with index . "${SLEEP_ANNOTATION}"}}{{$n}} {{.}}{{"\\n"}}{{end}}{{end}}{{end}}`,
  /** Names of the CronJobs or Jobs that are not suspended. */
  running: '{{range .items}}{{if not .spec.suspend}}{{.metadata.name}}{{"\\n"}}{{end}}{{end}}',
  /** Names of the items. */
  names: '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}',
  /** Names of the pods no controller owns. */
  bare: '{{range .items}}{{if not .metadata.ownerReferences}}{{.metadata.name}}{{"\\n"}}{{end}}{{end}}',
} as const;

/** Single-quoted for sh. */
function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function kataSleepScript(isolation: KubernetesAccessPlan['access'] = 'namespace'): string {
  return [
    ...header(isolation),
    'for ns in $namespaces; do',
    ...indent([
      '# Deployments and StatefulSets: remember the replicas, then none.',
      'for kind in deployment statefulset; do',
      `  k get "$kind" -o go-template=${q(KATA_TEMPLATES.awake)} 2>/dev/null |`,
      '    while read -r name replicas; do',
      '      [ "${replicas:-0}" -gt 0 ] 2>/dev/null || continue',
      `      k annotate "$kind" "$name" --overwrite "${SLEEP_ANNOTATION}=$replicas" >/dev/null && k scale "$kind" "$name" --replicas=0 >/dev/null`,
      '    done',
      'done',
      '# CronJobs and Jobs that run: suspend them.',
      'for kind in cronjob job; do',
      `  k get "$kind" -o go-template=${q(KATA_TEMPLATES.running)} 2>/dev/null |`,
      '    while read -r name; do',
      `      k annotate "$kind" "$name" --overwrite "${SLEEP_ANNOTATION}=suspended" >/dev/null &&`,
      `        k patch "$kind" "$name" --type=merge -p '{"spec":{"suspend":true}}' >/dev/null`,
      '    done',
      'done',
      '# Pods of no controller would keep a node up all night, and nothing would bring them back.',
      `k get pods -o go-template=${q(KATA_TEMPLATES.bare)} 2>/dev/null |`,
      '  while read -r name; do k delete pod "$name" --wait=false >/dev/null; done',
    ]),
    'done',
    'exit 0',
    '',
  ].join('\n');
}

export function kataWakeScript(isolation: KubernetesAccessPlan['access'] = 'namespace'): string {
  return [
    ...header(isolation),
    'for ns in $namespaces; do',
    ...indent([
      'for kind in deployment statefulset cronjob job; do',
      `  k get "$kind" -o go-template=${q(KATA_TEMPLATES.asleep)} 2>/dev/null |`,
      '    while read -r name value; do',
      '      if [ "$value" = suspended ]; then',
      `        k patch "$kind" "$name" --type=merge -p '{"spec":{"suspend":false}}' >/dev/null`,
      '      else',
      '        k scale "$kind" "$name" --replicas="$value" >/dev/null',
      '      fi',
      `      k annotate "$kind" "$name" "${SLEEP_ANNOTATION}-" >/dev/null`,
      '    done',
      'done',
    ]),
    'done',
    'exit 0',
    '',
  ].join('\n');
}

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
