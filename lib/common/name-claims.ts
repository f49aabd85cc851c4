import type { Problem, SourceRef } from './problems';

/**
 * Hands out names that must be unique (namespaces, hosts, ids) and reports every second
 * claim of a name as a problem that points at both claimants.
 */
export class NameClaims {
  private readonly owners = new Map<string, { ref: SourceRef; owner: string }>();
  readonly problems: Problem[] = [];

  constructor(private readonly what: string) {}

  /**
   * `owner` says in words who wants the name, e.g. `student "Bob" of course "k8s"`.
   * Returns whether the name was free.
   */
  claim(name: string, ref: SourceRef, owner: string): boolean {
    const previous = this.owners.get(name);
    if (!previous) {
      this.owners.set(name, { ref, owner });
      return true;
    }
    this.problems.push({
      at: ref,
      also: previous.ref,
      message: `needs the ${this.what} "${name}", which ${previous.owner} already has`,
      hint: `rename one of them (${owner} / ${previous.owner})`,
    });
    return false;
  }
}
