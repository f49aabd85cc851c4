import type { Problem } from '../../common/problems';
import type { ClusterSpec } from '../../input/schema/cluster';
import { clusterArns } from './aws-account';

/**
 * The template's placeholders: the values its example clusters run on, which no real cluster
 * can. A cluster file marked `example: true` (the template's own, and the tests' fixtures) may
 * keep them, and its bootstrap.sh refuses to run; any other cluster file is one a fork means to
 * build, and each placeholder left in it is an error that names the fix. A marker, rather than
 * guessing from the values, because a fork's first real cluster is usually the example edited
 * in place: the edit that makes it real is removing the line, and synth then names every
 * placeholder left.
 */
export const TEMPLATE_PLACEHOLDERS = {
  /** The GitHub owner of argocd.repoURL and of the images. */
  owner: 'example-org',
  /** The account of every ARN of the examples (AWS's own documentation example account). */
  account: '123456789012',
  images: {
    workstation: 'ghcr.io/example-org/dojo-workstation',
    board: 'ghcr.io/example-org/dojo-board',
  },
} as const;

/** The names RFC 2606 reserves for examples: nobody can own a Route 53 zone under them. */
const EXAMPLE_DOMAINS = ['example.com', 'example.net', 'example.org'];

type ImageName = keyof typeof TEMPLATE_PLACEHOLDERS.images;

/** What builds each image and where it pushes it (.github/workflows/). */
const IMAGE_WORKFLOWS: Record<ImageName, { workflow: string; repository: string }> = {
  workstation: { workflow: 'workstation-image.yaml', repository: 'dojo-workstation' },
  board: { workflow: 'board-image.yaml', repository: 'dojo-board' },
};

/** The repository of an image of the cluster: its file's, or on an example cluster the placeholder. */
export function imageRepository(cluster: ClusterSpec, image: ImageName): string {
  return cluster.images[image] ?? TEMPLATE_PLACEHOLDERS.images[image];
}

/** The GitHub owner of a repo URL (https or ssh), lower-cased as GHCR names it, or undefined off GitHub. */
export function githubOwner(repoURL: string): string | undefined {
  return /^(?:https:\/\/|git@|ssh:\/\/git@)github\.com[/:]([^/]+)\//i.exec(repoURL)?.[1].toLowerCase();
}

/** Each placeholder of a cluster file that a fork means to build, with the fix. */
export function placeholderProblems(file: string, cluster: ClusterSpec): Problem[] {
  if (cluster.example) return [];
  const problems: Problem[] = [];
  const owner = githubOwner(cluster.argocd.repoURL);
  if (owner === TEMPLATE_PLACEHOLDERS.owner) {
    problems.push({
      at: { file, path: ['argocd', 'repoURL'] },
      message: `"${cluster.argocd.repoURL}" is the template's placeholder: ArgoCD would read dist/ from a repo that is not yours`,
      hint: 'set the URL of your fork, e.g. https://github.com/<your-org>/dojo.git',
    });
  }
  for (const image of ['workstation', 'board'] as const) {
    const { workflow, repository } = IMAGE_WORKFLOWS[image];
    const given = cluster.images[image];
    if (given !== undefined && !given.includes(`/${TEMPLATE_PLACEHOLDERS.owner}/`)) continue;
    // The board's image is deployed only where there is a board.
    if (image === 'board' && !cluster.board) continue;
    const yours = owner && owner !== TEMPLATE_PLACEHOLDERS.owner ? `ghcr.io/${owner}/${repository}` : `ghcr.io/<your-org>/${repository}`;
    problems.push({
      at: { file, path: ['images', image] },
      message:
        (given === undefined
          ? `is not set, and its default "${TEMPLATE_PLACEHOLDERS.images[image]}" is the template's placeholder`
          : `"${given}" is the template's placeholder`) +
        `: build and publish the image (gh workflow run ${workflow} in your fork) and set it here`,
      hint:
        `images.${image}: ${yours}, where .github/workflows/${workflow} pushes it; GHCR makes a new package ` +
        'private: make it public, or give images.pullSecret',
    });
  }
  for (const { arn, path } of clusterArns(cluster)) {
    if (arn.split(':')[4] !== TEMPLATE_PLACEHOLDERS.account) continue;
    problems.push({
      at: { file, path },
      message: `is in the template's placeholder account ${TEMPLATE_PLACEHOLDERS.account}: nothing of yours is there`,
      hint: 'use the ARN in the account the cluster runs in (aws sts get-caller-identity --query Account names it)',
    });
  }
  for (const key of ['domain', 'contentDomain'] as const) {
    const name = cluster[key];
    const exampleDomain = EXAMPLE_DOMAINS.find((d) => name === d || name.endsWith(`.${d}`));
    if (!exampleDomain) continue;
    problems.push({
      at: { file, path: [key] },
      message: `"${name}" is under ${exampleDomain}, a name reserved for examples: no DNS zone of yours can serve it`,
      hint: `set a ${key} whose Route 53 hosted zone is in the cluster's account`,
    });
  }
  return problems;
}
