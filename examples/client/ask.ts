/**
 * A typed client of the public API: asks the headline question (SUPPORT_CONTACT below) with the
 * types graphql-codegen generated from schema/api.graphql, so a change of the API that breaks this
 * question breaks the build here, not at run time in a practice.
 *
 *   ONYX_TOKEN=<token> npm run client -- OC3-DEMO-0001 server-installation   (GATEWAY_URL, default http://127.0.0.1:4000/graphql;
 *   ONYX_TOKEN: a bearer token that may see the license, e.g. one `npm start` prints)
 */
import type { SupportContactQuery, SupportContactQueryVariables } from './generated/graphql';
import { COMMANDS, helpText } from '../../lib/commands';
import { readSettings } from '../../lib/settings-table';

const HELP = helpText(COMMANDS.client);

// The headline question; graphql-codegen reads it from here (the /* GraphQL */ mark) to type it.
export const SUPPORT_CONTACT = /* GraphQL */ `
  query SupportContact($licenseKey: ID!, $topic: ID!) {
    supportContact(licenseKey: $licenseKey, topic: $topic) {
      topic {
        id
        name
        level
      }
      contacts {
        name
        email
        phone
        businessHours
        timeZone
      }
      escalation {
        name
      }
      billedBy {
        name
      }
      explanation
    }
  }
`;

export class ClientError extends Error {}

export async function askSupportContact(url: string, variables: SupportContactQueryVariables, token?: string): Promise<SupportContactQuery['supportContact']> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: SUPPORT_CONTACT, operationName: 'SupportContact', variables }),
  });
  const body = (await response.json()) as { data?: SupportContactQuery | null; errors?: { message: string }[] };
  if (body.errors?.length) throw new ClientError(body.errors.map((error) => error.message).join('; '));
  if (!body.data) throw new ClientError(`the gateway answered ${response.status} without data`);
  return body.data.supportContact;
}

/** What a person reads: whom to contact, who is next, who bills, and why. */
export function describe(answer: SupportContactQuery['supportContact']): string {
  const level = answer.topic.level ? ` (${answer.topic.level.replace('LEVEL_', 'Level ')})` : '';
  const contacts = answer.contacts.map(
    (c) =>
      `  ${c.name}${c.email ? ` <${c.email}>` : ''}${c.phone ? `, ${c.phone}` : ''}${c.businessHours ? `, ${c.businessHours}${c.timeZone ? ` ${c.timeZone}` : ''}` : ''}`,
  );
  return [
    `${answer.topic.name}${level}`,
    'Contact:',
    ...(contacts.length ? contacts : ['  nobody in the network for this country']),
    `Escalation: ${answer.escalation.map((p) => p.name).join(' → ') || 'none'}`,
    `Billed by: ${answer.billedBy?.name ?? 'each provider chosen, for its own offers'}`,
    answer.explanation,
  ].join('\n');
}

/** The entry point: the arguments, and the environment read once through the settings table (GATEWAY_URL, ONYX_TOKEN). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (argv.includes('--help') || argv.includes('-h')) return HELP.trimEnd();
  const [licenseKey, topic] = argv;
  if (!licenseKey || !topic || argv.length > 2) throw new ClientError(HELP.split('\n\n')[0]);
  const { values, problems } = readSettings(['client'], env);
  if (problems.length) throw new ClientError(`${problems.length} configuration problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const settings = values as { GATEWAY_URL?: string; ONYX_TOKEN?: string };
  return describe(await askSupportContact(settings.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql', { licenseKey, topic }, settings.ONYX_TOKEN));
}

// Run as a script: by node directly, or by scripts/launch.js (npm run client), which requires it after setting argv.
if (require.main === module || process.argv[1] === __filename) {
  main(process.argv.slice(2)).then(
    (text) => console.log(text),
    (error) => {
      console.error(error instanceof ClientError ? error.message : `cannot ask the gateway: ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
