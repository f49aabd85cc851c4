/**
 * `dojo` in the workstation's terminal: `dojo check [exercise]` runs the course's checks as
 * the student (lib/contracts/dojo-check.ts). Everything it needs is in the course's ConfigMap
 * at /opt/dojo, so the workstation image needs nothing new: node is code-server's own
 * (/usr/lib/code-server/lib/node, where the codercom/code-server image's package puts it).
 */
import { DOJO_CHECK_FILES } from '../../contracts/dojo-check';
import { SCRIPTS_DIR } from '../schedule/kata-sleep';

const CODE_SERVER_NODE = '/usr/lib/code-server/lib/node';

export function dojoCommandScript(): string {
  return `${[
    '#!/bin/sh',
    '# dojo check [exercise]: are the exercises of this course done? Checked as you, on what',
    "# kubectl lists in your current namespace; the class board checks the same from the cluster's side.",
    'case "${1:-}" in',
    '  check)',
    '    shift',
    `    node=$(command -v node || echo ${CODE_SERVER_NODE})`,
    `    exec "$node" ${SCRIPTS_DIR}/${DOJO_CHECK_FILES.program} "$@"`,
    '    ;;',
    '  *)',
    '    echo "usage: dojo check [exercise]" >&2',
    '    exit 2',
    '    ;;',
    'esac',
  ].join('\n')}\n`;
}

/**
 * Setup script lines that make `dojo` a command of the student's shells: an alias in their
 * ~/.bashrc, added once (the student may edit the file; a line of theirs naming dojo stays).
 */
export function dojoAliasLines(home: string): string[] {
  const alias = `alias dojo='sh ${SCRIPTS_DIR}/${DOJO_CHECK_FILES.command}'`;
  return [
    '',
    "# dojo check: the course's checks, in the terminal.",
    `grep -qs 'alias dojo=' "${home}/.bashrc" || echo "${alias}" >> "${home}/.bashrc"`,
  ];
}
