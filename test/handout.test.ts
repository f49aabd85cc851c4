import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadAndPlan } from '../lib/synth';
import { handoutHtml } from '../lib/commands/handout';
import { makeRepo } from './support/repo';
import { CHROMIUM, launchChromium } from '../dev/chromium';

describe('npm run handout', () => {
  it('prints one slip per student with IDE address, password and app URLs, as Chromium renders it', async () => {
    expect(CHROMIUM, 'no Chromium: apt-get install chromium, or set CHROMIUM_PATH').not.toBe('');
    const root = makeRepo();
    const planned = loadAndPlan(root);
    if (!planned.ok) throw new Error(planned.errors.join('\n'));
    const course = planned.plan.clusters.flatMap((c) => c.courses).find((c) => c.name === 'kubernetes-katas')!;
    // A password of its own per student, so that a slip showing another's fails. Which
    // passwords the handout command reads, and that they verify, is test/handout-passwords.test.ts.
    const passwords = new Map(course.students.map((s, i) => [s.id, `pass-${i}-<&"'>`]));
    const file = path.join(root, 'kubernetes-katas-handout.html');
    fs.writeFileSync(file, handoutHtml(course, passwords));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`file://${file}`);
      const slips = await page.$$eval('.slip', (nodes) =>
        nodes.map((n) => ({
          id: n.getAttribute('data-student'),
          name: n.querySelector('h2')?.textContent,
          url: n.querySelector('.url')?.textContent,
          username: n.querySelector('.username')?.textContent,
          password: n.querySelector('.password')?.textContent,
          apps: [...n.querySelectorAll('.apps li')].map((li) => li.textContent),
          ingressHost: n.querySelector('.ingress-host')?.textContent,
          visible: n.getBoundingClientRect().height > 0,
        })),
      );
      expect(slips).toHaveLength(25);
      for (const student of course.students) {
        const slip = slips.find((s) => s.id === student.id)!;
        expect(slip, student.id).toMatchObject({
          name: student.name,
          url: `https://${student.hosts.ide}`,
          username: student.id,
          password: passwords.get(student.id),
          visible: true,
        });
        expect(slip.apps).toEqual(student.hosts.apps.map((a) => `port ${a.port}: https://${a.host}`));
        // What the student serves is under the content domain; the IDE is not.
        expect(slip.ingressHost).toBe(`<name>-${student.id}.kubernetes-katas.training.example.net`);
        for (const app of slip.apps) expect(app).toMatch(/\.kubernetes-katas\.training\.example\.net$/);
        expect(slip.url).toMatch(/\.kubernetes-katas\.training\.example\.com$/);
      }
      // Printed, no slip is cut in two.
      const breaks = await page.$eval('.slip', (n) => n.ownerDocument.defaultView!.getComputedStyle(n).breakInside);
      expect(breaks).toBe('avoid');
    } finally {
      await browser.close();
    }
  });
});
