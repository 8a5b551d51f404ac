// Accessibility checks with a real engine: axe-core injected into the page (Playwright's evaluate runs
// through the DevTools protocol, so the page's CSP does not block it), and the accessibility tree as
// Chromium exposes it to assistive technology (CDP Accessibility.getFullAXTree).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** WCAG 2.1 level A and AA, as axe-core tags its rules. */
export const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 AA violations on the page as it is now, one readable line per rule. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG21_AA,
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`).join('; ')}`,
  );
}

/**
 * The page's progress bars as Chromium's accessibility tree has them: name, description, value and range,
 * and the value text (which Chromium leaves empty for every range widget, aria-valuetext or not).
 */
export async function progressBars(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const property = (node, name) => node.properties?.find((p) => p.name === name)?.value?.value;
    return nodes
      .filter((node) => !node.ignored && node.role?.value === 'progressbar')
      .map((node) => ({
        name: node.name?.value ?? '',
        description: node.description?.value ?? '',
        value: node.value?.value,
        valuetext: property(node, 'valuetext') ?? '',
        valuemin: property(node, 'valuemin'),
        valuemax: property(node, 'valuemax'),
      }));
  } finally {
    await cdp.detach();
  }
}
