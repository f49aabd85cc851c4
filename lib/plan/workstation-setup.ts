import type { WorkstationPlan } from './types';
import { SCRIPTS_DIR, WAKE_SCRIPT } from './kata-sleep';

export const WORKSTATION_HOME = '/home/coder';
/** code-server's user in the upstream image (uid and gid 1000). */
export const WORKSTATION_UID = 1000;

/**
 * The script a workstation runs before the IDE starts, on every start. It never
 * overwrites what a student changed: the kubeconfig is written once (the student may
 * edit it), and a repo is cloned only while its folder does not exist, so a clone
 * that failed (network down) is retried at the next start.
 */
export function workstationSetupScript(repos: WorkstationPlan['repos'], wakeKatas: boolean): string {
  const lines = [
    '#!/bin/sh',
    'set -eu',
    `home=${WORKSTATION_HOME}`,
    '',
    '# The in-cluster kubeconfig: the service account token of this workstation, whose',
    "# rights are the student's namespace (admin) and cluster-wide reads.",
    'if [ -n "${STUDENT_NS:-}" ] && [ ! -e "$home/.kube/config" ]; then',
    '  mkdir -p "$home/.kube"',
    '  cat > "$home/.kube/config" <<EOF',
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: course',
    '    cluster:',
    '      server: https://kubernetes.default.svc',
    '      certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    'users:',
    '  - name: student',
    '    user:',
    '      tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
    'contexts:',
    '  - name: course',
    '    context:',
    '      cluster: course',
    '      user: student',
    '      namespace: ${STUDENT_NS}',
    'current-context: course',
    'EOF',
    '  chmod 600 "$home/.kube/config"',
    'fi',
    '',
    'clone() {',
    '  [ -e "$home/$2" ] && return 0',
    '  git clone --quiet "$1" "$home/$2" || echo "could not clone $1; retrying at the next start" >&2',
    '}',
    ...repos.map((repo) => `clone ${shellQuote(repo.url)} ${shellQuote(repo.directory)}`),
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

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
