/**
 * A database error is answered as INTERNAL_SERVER_ERROR with an errorId, and logged under that id
 * with the failed statement but without the values it carried (MikroORM writes them into the SQL):
 * no phone number, address or holder name in the log. Through the gateway; the providers
 * database's audit table is taken away for the duration, so that the change's audit entry fails.
 */
import { captureLogs } from '../support/logs';
import { networkDirectory } from '../fixtures/network';
import { startTestStack, type TestStack } from '../support/stack';

const DORA = { sub: 'dora-staff', role: 'provider', provider: 'dora' } as const;
const SECRET_PHONE = '+43 1 4711 0815';
const SECRET_ADDRESS = 'Geheimgasse 7, 1010 Wien';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ directory: networkDirectory() });
});
afterAll(() => stack?.close());

test('the statement is logged with ? for every value; the values are nowhere in the log or the answer', async () => {
  const version = (await stack.graphql('{ provider(id: "dora") { version } }', {}, DORA)).body.data.provider.version;
  const db = stack.orms.providers.em.getConnection();
  await db.execute('alter table "audit_entry" rename to "audit_entry_away"');
  const logs = captureLogs('error');
  let answer;
  try {
    answer = await stack.graphql(
      'mutation ($v: Int!, $input: ProviderUpdateInput!) { updateProvider(id: "dora", version: $v, input: $input) { version } }',
      { v: version, input: { phone: SECRET_PHONE, postalAddress: SECRET_ADDRESS } },
      DORA,
    );
  } finally {
    logs.restore();
    await db.execute('alter table "audit_entry_away" rename to "audit_entry"');
  }
  const [error] = answer.body.errors;
  expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) });
  const line = logs.records().find((r) => r.errorId === error.extensions.errorId);
  expect(line).toMatchObject({ event: 'internal_error', service: 'providers' });
  expect(line!.error.message).toMatch(/^insert into ([`"]\w+[`"]\.)?[`"]audit_entry[`"] \(.+\) values \((\?|NULL)(, (\?|NULL))+\)/);
  expect(line!.error.stack).toContain('    at ');
  const everything = logs.lines.join('\n') + JSON.stringify(answer.body);
  for (const secret of [SECRET_PHONE, SECRET_ADDRESS, '4711', 'Geheimgasse', 'dora-staff']) expect(everything).not.toContain(secret);
  // Nothing was half-written: the change rolled back with its audit entry.
  expect((await stack.graphql('{ provider(id: "dora") { version phone } }', {}, DORA)).body.data.provider.version).toBe(version);
});
