/**
 * README.md and docs/ are self-contained: every link points at a file of this repository that
 * exists (no web addresses, nothing outside the clone), and every in-page anchor exists.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchors = (markdown: string) =>
  new Set([...markdown.matchAll(/^#{1,6}\s+(.*)$/gm)].map(([, heading]) => heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-')));

test.each(pages.map((page) => [page]))('%s links only to files of this repository that exist', (page) => {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    expect(link).not.toMatch(/^[a-z][a-z0-9+.-]*:/i); // no http:, https:, file:, mailto:
    const [target, anchor] = link.split('#');
    const file = target === '' ? path.join(ROOT, page) : path.resolve(ROOT, path.dirname(page), target);
    expect({ link, inside: !path.relative(ROOT, file).startsWith('..'), exists: fs.existsSync(file) }).toEqual({ link, inside: true, exists: true });
    if (anchor && file.endsWith('.md')) expect({ link, anchor: anchors(fs.readFileSync(file, 'utf8')).has(anchor) }).toEqual({ link, anchor: true });
  }
});
