/**
 * Part of `npm run build`: writes the support finder's own operations (web/src/operations.ts) and
 * the assistants' tools (gateway/mcp/operations.ts, served at /mcp) as trusted documents, web/dist/persisted-documents.json, a JSON map of id (the document's SHA-256 in
 * hex, what the page sends in extensions.persistedQuery.sha256Hash) to document. A gateway started
 * with PERSISTED_DOCUMENTS_FILE=web/dist/persisted-documents.json PERSISTED_DOCUMENTS=only answers
 * the page and the assistants' tools, and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/config';
import { documentHash } from '../gateway/protection/persisted-documents';
import * as operations from '../web/src/operations';
import * as assistantOperations from '../gateway/mcp/operations';

export function supportFinderDocuments(): Record<string, string> {
  const documents: string[] = [...Object.values(operations), ...Object.values(assistantOperations)];
  return Object.fromEntries(documents.map((document) => [documentHash(document), document]));
}

if (require.main === module) {
  const file = path.join(PROJECT_ROOT, 'web', 'dist', 'persisted-documents.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const documents = supportFinderDocuments();
  fs.writeFileSync(file, `${JSON.stringify(documents, null, 2)}\n`);
  console.log(`wrote ${Object.keys(documents).length} trusted documents to ${path.relative(PROJECT_ROOT, file)}`);
}
