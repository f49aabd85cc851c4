import type { KubernetesAccessPlan, WorkstationPlan } from '../model/types';
import { SCRIPTS_DIR, WAKE_SCRIPT } from '../schedule/kata-sleep';
import { dojoAliasLines } from './dojo-command';
import {
  VIRTUAL_CLUSTER_DIR,
  VIRTUAL_CLUSTER_KUBECONFIG,
  VIRTUAL_CLUSTER_WAIT_SECONDS,
} from '../virtual-clusters/virtual-cluster';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export const WORKSTATION_HOME = '/home/coder';
/** code-server's user in the upstream image (uid and gid 1000). */
export const WORKSTATION_UID = 1000;

/**
 * The script a workstation runs before the IDE starts, on every start. It never
 * overwrites what a student changed: the kubeconfig is written once (the student may
 * edit it), again only when it is the other mode's as dojo wrote it (a course that changed
 * `isolation`), and a repo is cloned only while its folder does not exist, so a clone
 * that failed (network down) is retried at the next start.
 */
export function workstationSetupScript(
  repos: WorkstationPlan['repos'],
  wakeKatas: boolean,
  isolation: KubernetesAccessPlan['access'] = 'namespace',
  dojoCommand = false,
): string {
  const lines = [
    '#!/bin/sh',
    'set -eu',
    `home=${WORKSTATION_HOME}`,
    '',
    ...(isolation === 'vcluster' ? virtualClusterLines() : namespaceKubeconfigLines()),
    '',
    'clone() {',
    '  [ -e "$home/$2" ] && return 0',
    '  git clone --quiet "$1" "$home/$2" || echo "could not clone $1; retrying at the next start" >&2',
    '}',
    ...repos.map((repo) => `clone ${shellQuote(repo.url)} ${shellQuote(repo.directory)}`),
    ...(dojoCommand ? dojoAliasLines('$home') : []),
    ...(wakeKatas
      ? [
          '',
          "# The student's own workloads wake with the workstation (see sleep-katas.sh).",
          `sh ${SCRIPTS_DIR}/${WAKE_SCRIPT} || true`,
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** The in-cluster kubeconfig of namespace mode: the workstation's own ServiceAccount token. */
function namespaceKubeconfigLines(): string[] {
  return [
    '# The in-cluster kubeconfig: the service account token of this workstation, whose',
    "# rights are the student's namespace (admin) and cluster-wide reads.",
    `if [ -n "\${STUDENT_NS:-}" ] && { [ ! -e "$home/.kube/config" ] || grep -q '${VIRTUAL_CLUSTER_DIR}/client.crt' "$home/.kube/config"; }; then`,
    '  mkdir -p "$home/.kube"',
    '  cat > "$home/.kube/config" <<EOF',
    ...kubeconfig(
      ['      server: https://kubernetes.default.svc', `      certificate-authority: ${SERVICE_ACCOUNT_DIR}/ca.crt`],
      [`      tokenFile: ${SERVICE_ACCOUNT_DIR}/token`],
    ),
    'EOF',
    '  chmod 600 "$home/.kube/config"',
    'fi',
  ];
}

/**
 * vcluster mode: the student's virtual cluster. Its control plane writes an admin kubeconfig
 * to a Secret of the student's namespace at each start (the workstation may read that one
 * Secret); this waits for it and for the API to answer, at most VIRTUAL_CLUSTER_WAIT_SECONDS,
 * so that the IDE is ready when the cluster is. The credentials go to files in the pod (the
 * sleep script's copy stays untouched), and the kubeconfig in the home, written once like
 * namespace mode's, names those files: it stays valid when the control plane renews them.
 */
function virtualClusterLines(): string[] {
  const vc = VIRTUAL_CLUSTER_DIR;
  const host =
    `kubectl --kubeconfig=/dev/null --server=https://kubernetes.default.svc --certificate-authority=${SERVICE_ACCOUNT_DIR}/ca.crt` +
    ` --token="$(cat ${SERVICE_ACCOUNT_DIR}/token)" --request-timeout=10s -n "$STUDENT_NS"`;
  // A kubeconfig that cannot be read leaves kubectl to say so; the IDE still starts.
  const field = (path: string, file: string) =>
    `  kubectl --kubeconfig="${vc}/admin" config view --raw -o jsonpath='{${path}}' | base64 -d > "${vc}/${file}" || echo "no ${file} in the virtual cluster's kubeconfig" >&2`;
  return [
    "# The student's virtual cluster: wait for its kubeconfig and its API, then write the",
    '# credentials as files that the kubeconfig in the home names.',
    'waited=0',
    `until ${host} get secret ${VIRTUAL_CLUSTER_KUBECONFIG.secret} -o jsonpath='{.data.${VIRTUAL_CLUSTER_KUBECONFIG.key}}' 2>/dev/null | base64 -d > "${vc}/admin.new" &&`,
    `  [ -s "${vc}/admin.new" ] && kubectl --kubeconfig="${vc}/admin.new" --request-timeout=5s get --raw /readyz >/dev/null 2>&1; do`,
    `  if [ "$waited" -ge ${VIRTUAL_CLUSTER_WAIT_SECONDS} ]; then`,
    `    echo "the virtual cluster did not answer in ${VIRTUAL_CLUSTER_WAIT_SECONDS / 60} minutes; kubectl will say why" >&2`,
    '    break',
    '  fi',
    '  sleep 5',
    '  waited=$((waited + 5))',
    'done',
    `if [ -s "${vc}/admin.new" ]; then`,
    `  mv "${vc}/admin.new" "${vc}/admin"`,
    field('.clusters[0].cluster.certificate-authority-data', 'ca.crt'),
    field('.users[0].user.client-certificate-data', 'client.crt'),
    field('.users[0].user.client-key-data', 'client.key'),
    `  chmod 600 "${vc}/admin" "${vc}/client.key"`,
    'fi',
    `if [ ! -e "$home/.kube/config" ] || grep -q '${SERVICE_ACCOUNT_DIR}/token' "$home/.kube/config"; then`,
    '  mkdir -p "$home/.kube"',
    '  cat > "$home/.kube/config" <<EOF',
    ...kubeconfig(
      ['      server: ${DOJO_VCLUSTER_SERVER}', `      certificate-authority: ${vc}/ca.crt`],
      [`      client-certificate: ${vc}/client.crt`, `      client-key: ${vc}/client.key`],
    ),
    'EOF',
    '  chmod 600 "$home/.kube/config"',
    'fi',
  ];
}

/** A kubeconfig with one context, `course`, in the student's namespace: the same in both modes. */
function kubeconfig(cluster: string[], user: string[]): string[] {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: course',
    '    cluster:',
    ...cluster,
    'users:',
    '  - name: student',
    '    user:',
    ...user,
    'contexts:',
    '  - name: course',
    '    context:',
    '      cluster: course',
    '      user: student',
    '      namespace: ${STUDENT_NS}',
    'current-context: course',
  ];
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
