/**
 * Every Markdown file of the repository renders as written and is self-contained:
 * - code fences: each opens with a language (```sh, ```text, …) and is closed, so one stray fence
 *   cannot swallow the sections after it (the page is parsed with markdown-it, as a renderer would,
 *   and links inside a swallowed section would otherwise go unchecked);
 * - links: every relative link points at a file of this repository that exists (no web addresses,
 *   nothing outside the clone), and every anchor (#…) names a heading of the page it points to;
 * - no file (source, comment or doc) names a repository file that does not exist, nor the team's
 *   private references outside the repository.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

const ROOT = path.resolve(__dirname, '../..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file && fs.existsSync(path.join(ROOT, file)));
const pages = tracked.filter((file) => file.endsWith('.md'));
const markdown = new MarkdownIt({ html: true });
const parsed = new Map(pages.map((page) => [page, markdown.parse(fs.readFileSync(path.join(ROOT, page), 'utf8'), {})]));

/** Depth-first over a page's tokens and their inline children. */
function* walk(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    yield token;
    if (token.children) yield* walk(token.children);
  }
}

/** GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(page: string): Set<string> {
  const tokens = parsed.get(page)!;
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[i + 1].children ?? [])
      .filter((t) => t.type === 'text' || t.type === 'code_inline')
      .map((t) => t.content)
      .join('');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  });
  return anchors;
}

test('the repository has its Markdown pages', () => {
  expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/README.md', 'docs/api.md', 'docs/rules.md', 'docs/configuration.md']));
});

describe.each(pages.map((page) => [page]))('%s', (page) => {
  const lines = fs.readFileSync(path.join(ROOT, page), 'utf8').split('\n');

  test('every code fence names its language and is closed', () => {
    const fences = [...walk(parsed.get(page)!)].filter((t) => t.type === 'fence');
    for (const fence of fences) {
      const [start, end] = fence.map!;
      const closing = lines[end - 1]?.trim() ?? '';
      expect({ line: start + 1, language: fence.info.trim() !== '' }).toEqual({ line: start + 1, language: true });
      expect({ line: start + 1, closed: end - start >= 2 && closing.startsWith(fence.markup) && closing.replace(/[`~]/g, '') === '' }).toEqual({
        line: start + 1,
        closed: true,
      });
    }
    // Fence lines the parser saw, against fence-looking lines in the file: a fence inside a list
    // item is indented, so both sides count lines that start with ``` after optional spaces.
    const fenceLines = lines.filter((line) => /^\s*(```|~~~)/.test(line)).length;
    expect(fenceLines).toBe(fences.length * 2);
  });

  test('links point at files of this repository that exist, and anchors at headings that exist', () => {
    const links = [...walk(parsed.get(page)!)]
      .filter((t) => t.type === 'link_open' || t.type === 'image')
      .map((t) => t.attrGet(t.type === 'image' ? 'src' : 'href') ?? '');
    for (const link of links) {
      expect({ link, web: /^[a-z][a-z0-9+.-]*:/i.test(link) }).toEqual({ link, web: false }); // no http:, https:, file:, mailto:
      const [target, anchor] = link.split('#');
      const file = target === '' ? path.join(ROOT, page) : path.resolve(ROOT, path.dirname(page), decodeURI(target));
      const relative = path.relative(ROOT, file);
      expect({ link, inside: !relative.startsWith('..'), exists: fs.existsSync(file) }).toEqual({ link, inside: true, exists: true });
      if (anchor !== undefined) {
        expect({ link, markdown: relative.endsWith('.md') }).toEqual({ link, markdown: true });
        expect({ link, anchor: anchorsOf(relative).has(anchor) }).toEqual({ link, anchor: true });
      }
    }
  });
});

test('the README stays an entry page: at most 300 lines', () => {
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
});

describe('no file names something that is not in the repository', () => {
  const texts = tracked.filter(
    (file) =>
      /\.(ts|tsx|md|cjs|mjs|ya?ml|json|graphql|html|sh)$|(^|\/)(Dockerfile|run)$/.test(file) && !/(^|\/)(package-lock\.json|seed\/|generated\/)/.test(file),
  );
  // A path of this repository as comments and docs write it (compiled *.js paths name dist/, which
  // is built, not committed; web/dist/ is the pages' build output, absent on a clean clone). This file and the layering test name made-up files on purpose.
  const mentioned =
    /(?<![\w./<>{}$*-])((?:app|lib|gateway|subgraphs|scripts|test|docs|web|examples|deploy|seed|schema)\/[\w./-]*\w\.(?:ts|md|json|graphql|ya?ml|png|cjs|mjs|html))\b/g;
  const exempt = new Set(['test/repo/docs.test.ts', 'test/repo/layers.test.ts']);

  test('every repository path a file mentions exists', () => {
    const missing = texts
      .filter((file) => !exempt.has(file))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(mentioned)]
          .map((m) => m[1])
          .filter((p) => !p.startsWith('web/dist/'))
          .filter((p) => !fs.existsSync(path.join(ROOT, p)))
          .map((p) => `${file}: ${p}`),
      );
    expect(missing).toEqual([]);
  });

  test('nothing refers to the team references kept outside the repository (docs/api.md and docs/rules.md are the texts)', () => {
    const outside = ['CONTRACT', 'DOMAIN'].map((name) => `${name}.md`).concat([['..', 'shared', ''].join('/')]); // spelled in parts: this file is read by the same check
    const found = texts
      .filter((file) => !exempt.has(file))
      .flatMap((file) => {
        const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
        // Also a section cited by the reference's bare name (`DOMAIN "Maintenance fee"`).
        const cited = [...text.matchAll(/\b(?:CONTRACT|DOMAIN)\b/g)].map((m) => m[0]);
        return [...outside.filter((name) => text.includes(name)), ...cited].map((name) => `${file}: ${name}`);
      });
    expect(found).toEqual([]);
  });
});
