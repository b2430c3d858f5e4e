/**
 * The routing rules (test/rules/routing.test.ts tests them on the pure function) get the facts they
 * need through federation: the offers' units arrive from the providers subgraph through @requires.
 */
import { networkDirectory, providers as networkProviders } from '../fixtures/network';
import { startTestStack } from '../support/stack';

const ids = (providers: { id: string }[]) => providers.map((p) => p.id);

// ---- through the gateway: the units arrive from the providers subgraph through @requires -----------

test('through the gateway, a per-participant price ranks before a per-day price with a smaller number, and the explanation names the units', async () => {
  const offers: Record<string, object[]> = {
    carla: [
      {
        id: 'carla-per-participant',
        service: 'TRAINING',
        title: 'Schulung je Teilnehmer',
        price: { amount: '250.00', currency: 'EUR' },
        unit: 'PER_PARTICIPANT',
      },
    ],
    dora: [{ id: 'dora-day', service: 'TRAINING', title: 'Schulungstag', price: { amount: '200.00', currency: 'EUR' }, unit: 'PER_DAY' }],
  };
  const directory = { ...networkDirectory(), providers: networkProviders.map((p) => (offers[p.id] ? { ...p, offers: offers[p.id] } : p)) };
  const stack = await startTestStack({ directory });
  try {
    const { status, body } = await stack.graphql(`{ supportContact(licenseKey: "L-VENDOR", topic: "training") { contacts { id } explanation } }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    // AT holder working in German: the German-speaking partners first (carla, dora, emil without offer), then beta (English).
    expect(ids(body.data.supportContact.contacts)).toEqual(['carla', 'dora', 'emil', 'beta']);
    expect(body.data.supportContact.explanation).toContain(
      'per hour before per participant, per day, one-time and annual: Carla Schulung EUR 250.00 per participant, Dora Support EUR 200.00 per day, Beta Ortho Distribution EUR 700.00 per day',
    );
  } finally {
    await stack.close();
  }
});
