import { upstreamNotice } from './upstream';

/** Vitest global setup: says once per run which upstream files are missing and how to get them. */
export default function setup(): void {
  const notice = upstreamNotice();
  if (notice) console.warn(`\n${notice}\n`);
}
