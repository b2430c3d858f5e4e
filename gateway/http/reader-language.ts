/**
 * The language the gateway answers a request in: the client's Accept-Language, negotiated among the
 * API's languages (lib/i18n/languages.ts; English otherwise). One reading per request, shared by the
 * subgraph transport (which forwards it), the response cache (which keys by it), the sign-in plugin's
 * own messages and the Content-Language of the answer. Hand-written: the runtime has no notion of a
 * reader's language.
 */
import { negotiateLanguage, type Language } from '../../lib/i18n/languages';

/** The reader's language of a Node request (or of headers alone); English without one. */
export function readerLanguageOf(req: { headers?: Record<string, unknown> } | undefined | null): Language {
  const header = req?.headers?.['accept-language'];
  return negotiateLanguage(typeof header === 'string' ? header : undefined);
}
