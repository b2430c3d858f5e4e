import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { ExternalLicense, ExternalProvider } from '../references/external-types';
import { SupportTopic } from '../topic/support-topic.entity';

const PROVIDER_FACTS = 'id name active roles serviceCountries languages';
const PRICED_PROVIDER_FACTS = `${PROVIDER_FACTS} offers { service price { amount currency } unit validFrom validUntil }`;

/**
 * Everything the routing rules read, fetched by the gateway from the licenses and providers
 * subgraphs before it asks this subgraph for a SupportContact (see README, "Query plan").
 */
export const ROUTING_REQUIREMENTS =
  `license { status maintenancePaidThrough ` +
  `holder { country language serviceArea { country currency manufacturer { ${PROVIDER_FACTS} } providers { ${PRICED_PROVIDER_FACTS} } } } ` +
  `vendor { ${PROVIDER_FACTS} } supportPartner { ${PRICED_PROVIDER_FACTS} } }`;

const requiresRoutingFacts = () => Directive(`@requires(fields: "${ROUTING_REQUIREMENTS}")`);

/** The routing facts plus what first responses are counted in: every provider's hours and commitments. */
const RESPONSE_FACTS = 'country businessHours timeZone firstResponseCommitments { category businessHours }';
export const FIRST_RESPONSE_REQUIREMENTS = ROUTING_REQUIREMENTS.replaceAll(PROVIDER_FACTS, `${PROVIDER_FACTS} ${RESPONSE_FACTS}`);

/** docs/rules.md "Response-time commitments": one provider's commitment for the topic's category and when to expect an answer. */
@ObjectType({
  description: "A contact's or escalation provider's first-response commitment for the topic's category, and when a request made now can expect an answer.",
})
export class FirstResponse {
  @Field(() => ExternalProvider, { description: 'The contact or escalation provider.' })
  provider!: ExternalProvider;

  @Field(() => Float, {
    nullable: true,
    description: "The provider's stated first-response commitment for this category, in its business hours; null: none stated.",
  })
  businessHours!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "ISO 8601 instant (with the provider's offset) by which a request made now can expect a first answer: the commitment counted in the provider's business hours, time zone and public holidays; null: no commitment, or no business hours to count it in.",
  })
  expectedBy!: string | null;
}

/**
 * The answer to "whom do I call for this topic under this license". An entity of this subgraph
 * keyed by license and topic, so both Query.supportContact and License.supportContact resolve it
 * through the same @requires path.
 */
@ObjectType({ description: 'Whom to contact for a support topic under a license, who is next when they cannot solve it, and who bills it.' })
@Directive('@key(fields: "license { key } topic { id }")')
export class SupportContact {
  @Field(() => ExternalLicense, { description: 'The license the answer is for.' })
  license!: ExternalLicense;

  @Field(() => SupportTopic, { description: 'The topic asked about.' })
  topic!: SupportTopic;

  @Field(() => [ExternalProvider], { description: "Whom to contact, best first; empty when nobody in the network provides it for the holder's country." })
  @requiresRoutingFacts()
  contacts!: ExternalProvider[];

  @Field(() => [ExternalProvider], { description: 'Whom to turn to, in order, when the contacts cannot solve it.' })
  @requiresRoutingFacts()
  escalation!: ExternalProvider[];

  @Field(() => ExternalProvider, {
    nullable: true,
    description: 'Who invoices this service for this license; null when the holder chooses among several providers who each bill their own offers.',
  })
  @requiresRoutingFacts()
  billedBy!: ExternalProvider | null;

  @Field({ description: 'One line saying why these contacts were chosen.' })
  @requiresRoutingFacts()
  explanation!: string;

  @Field(() => [FirstResponse], { description: 'First-response commitments: one per contact, then one per escalation provider, in their order.' })
  @Directive(`@requires(fields: "${FIRST_RESPONSE_REQUIREMENTS}")`)
  firstResponses!: FirstResponse[];
}
