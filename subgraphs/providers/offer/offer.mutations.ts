import type { RequiredEntityData } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { idArgument, inputField, optionalInputField } from '../../../lib/arguments';
import { badUserInput, forbidden, notFound } from '../../../lib/errors';
import * as checks from '../../../lib/validation';
import { MAX_LENGTH, validityProblem } from '../../../lib/validation';
import { actorOf, differs, offerState, recordAuditEntry, type OfferState } from '../audit/audit-trail';
import type { ProvidersContext } from '../context';
import { requireProviderItself, requireProviderOrAdmin } from '../directory/change-access';
import { signedIn } from '../../../lib/identity';
import { changeDirectory } from '../directory/directory-change';
import { Provider } from '../provider/provider.entity';
import { bumpProviderVersion, lostRace, staleVersion, storedProvider } from '../provider/provider.mutations';
import { OfferInput } from './offer.input';
import { Offer } from './offer.entity';
import { WebhookEventType } from '../webhooks/webhook-event-type';
import { recordWebhookEvent } from '../webhooks/webhook-outbox';
import { message } from '../../../lib/i18n/message';

/** The offer's content as the input gives it, checked and normalized (without id and version). */
function offerContent(input: OfferInput): Omit<OfferState, 'version'> {
  const validFrom = optionalInputField(input.validFrom, 'input.validFrom', checks.isoDate) ?? null;
  const validUntil = optionalInputField(input.validUntil, 'input.validUntil', checks.isoDate) ?? null;
  const validity = validityProblem(validFrom, validUntil);
  if (validity) throw badUserInput(message('problem.at', { path: 'input.validUntil', reason: validity }), 'input.validUntil');
  return {
    service: input.service,
    title: inputField(input.title, 'input.title', checks.text(MAX_LENGTH.title)),
    description: optionalInputField(input.description, 'input.description', checks.text(MAX_LENGTH.description)) ?? null,
    amount: inputField(input.price.amount, 'input.price.amount', checks.amount),
    currency: inputField(input.price.currency, 'input.price.currency', checks.currencyCode),
    unit: input.unit,
    validFrom,
    validUntil,
  };
}

@Resolver(() => Offer)
export class OfferMutations {
  @Mutation(() => Offer, { description: "Create an offer (no id) or replace one of the provider's own offers (id + its version)." })
  async saveOffer(
    @Arg('providerId', () => ID, { description: 'The provider whose price list it is (the caller itself).' }) providerId: string,
    @Arg('input', () => OfferInput, { description: 'The whole offer; with id and version it replaces that offer.' }) input: OfferInput,
    @Ctx() context: ProvidersContext,
  ): Promise<Offer> {
    idArgument(providerId, 'providerId');
    requireProviderItself(context.caller, providerId, message('action.setOffer'));
    if (input.id == null && input.version != null) throw badUserInput(message('offer.versionWithoutId'), 'input.version');
    if (input.id != null && input.version == null) throw badUserInput(message('offer.idWithoutVersion', { id: input.id }), 'input.version');
    const content = offerContent(input);
    const actor = actorOf(context.caller);
    const id = input.id == null ? `offer-${randomUUID()}` : idArgument(input.id, 'input.id');
    await changeDirectory(context, async (em) => {
      await storedProvider(em, providerId);
      if (input.id == null) {
        const after = offerState({ ...content, version: 1 });
        // (The cast: MikroORM's types count the `price` getter as a property to give.)
        await em.insert(Offer, { id, provider: em.getReference(Provider, providerId), ...after } as RequiredEntityData<Offer>);
        await bumpProviderVersion(em, providerId);
        await recordAuditEntry(em, { actor, action: 'saveOffer', providerId, subjectType: 'offer', subjectId: id, before: null, after });
        return 'changed';
      }
      const version = input.version!;
      const stored = await em.findOne(Offer, { id });
      if (!stored) throw notFound(message('offer.notFoundToReplace', { id }));
      if (stored.provider.id !== providerId) throw forbidden(message('offer.ofAnother', { id, provider: stored.provider.id }));
      const before = offerState(stored);
      if (before.version !== version) throw staleVersion('offer', id, before.version, version);
      const after = offerState({ ...content, version: version + 1 });
      if (!differs(before, after)) return 'unchanged';
      // Conditional on the version: of two concurrent replacements based on the same version,
      // the second finds no row to change once the first has committed.
      const updated = await em.nativeUpdate(Offer, { id, version }, after);
      if (updated === 0) throw await lostRace(em, 'offer', id, version);
      await bumpProviderVersion(em, providerId);
      await recordAuditEntry(em, { actor, action: 'saveOffer', providerId, subjectType: 'offer', subjectId: id, before, after });
      return 'changed';
    });
    return context.directory.offersOf(providerId).find((o) => o.id === id)!;
  }

  @Mutation(() => Provider, {
    description: 'Withdraw an offer (its provider, or an admin): it leaves the price list; the answer is the provider with what remains.',
  })
  async withdrawOffer(
    @Arg('id', () => ID, { description: 'The offer.' }) id: string,
    @Arg('version', () => Int, { description: 'The version of the offer this withdrawal was based on; a stale one is CONFLICT and changes nothing.' })
    version: number,
    @Ctx() context: ProvidersContext,
  ): Promise<Provider> {
    idArgument(id, 'id');
    // Who owns the offer decides who may withdraw it; an anonymous caller learns nothing about it.
    signedIn(context.caller, message('action.withdrawOffer'));
    let providerId = '';
    await changeDirectory(context, async (em) => {
      const stored = await em.findOne(Offer, { id });
      if (!stored) throw notFound(message('offer.notFound', { id }));
      providerId = stored.provider.id;
      requireProviderOrAdmin(context.caller, providerId, message('action.withdrawOffer'));
      const before = offerState(stored);
      if (before.version !== version) throw staleVersion('offer', id, before.version, version);
      const deleted = await em.nativeDelete(Offer, { id, version });
      if (deleted === 0) throw await lostRace(em, 'offer', id, version);
      await bumpProviderVersion(em, providerId);
      await recordAuditEntry(em, {
        actor: actorOf(context.caller),
        action: 'withdrawOffer',
        providerId,
        subjectType: 'offer',
        subjectId: id,
        before,
        after: null,
      });
      // A provider knows what it withdrew itself; its webhooks hear of an admin's withdrawal.
      if (context.caller.role === 'admin') {
        const offer = {
          service: before.service,
          title: before.title,
          price: { amount: before.amount, currency: before.currency },
          unit: before.unit,
          validFrom: before.validFrom,
          validUntil: before.validUntil,
        };
        await recordWebhookEvent(em, {
          type: WebhookEventType.OFFER_WITHDRAWN,
          providerIds: [providerId],
          data: { providerId, offerId: id, offer, withdrawnBy: 'admin' },
          occurredAt: new Date(),
        });
      }
      return 'changed';
    });
    context.webhooks.dispatcher.wake();
    return context.directory.providerById.get(providerId)!;
  }
}
