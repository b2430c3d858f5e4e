/**
 * What the support subgraph needs to know about providers, licenses and service areas, declared
 * @external: their values arrive through @requires in the representations the gateway sends, so
 * the support subgraph never reads another subgraph's database. No descriptions here: composition
 * takes them from the owning subgraph.
 */
import { Arg, Directive, Field, FieldResolver, Float, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { LicenseStatus, PriceUnit, ProviderRole, ServiceKind, SupportCategoryId } from '../../../lib/domain';

/** Shared with the providers subgraph: offers' prices (and units) arrive through @requires, fee lines are answered here. */
@ObjectType('Money')
@Directive('@shareable')
export class ExternalMoney {
  @Field() amount!: string;
  @Field() currency!: string;
}

@ObjectType('Offer')
export class ExternalOffer {
  @Field(() => ServiceKind) @Directive('@external') service!: ServiceKind;
  @Field(() => ExternalMoney) @Directive('@external') price!: ExternalMoney;
  @Field(() => PriceUnit) @Directive('@external') unit!: PriceUnit;
  @Field(() => String, { nullable: true }) @Directive('@external') validFrom?: string | null;
  @Field(() => String, { nullable: true }) @Directive('@external') validUntil?: string | null;
}

/** A provider's commitments arrive through SupportContact.firstResponses' @requires. */
@ObjectType('FirstResponseCommitment')
export class ExternalFirstResponseCommitment {
  @Field(() => SupportCategoryId) @Directive('@external') category!: SupportCategoryId;
  @Field(() => Float) @Directive('@external') businessHours!: number;
}

@ObjectType('Provider')
@Directive('@key(fields: "id")')
export class ExternalProvider {
  @Field(() => ID) id!: string;
  @Field() @Directive('@external') name!: string;
  @Field() @Directive('@external') active!: boolean;
  @Field(() => [ProviderRole]) @Directive('@external') roles!: ProviderRole[];
  @Field() @Directive('@external') country!: string;
  @Field(() => [String]) @Directive('@external') serviceCountries!: string[];
  @Field(() => [String]) @Directive('@external') languages!: string[];
  @Field(() => String, { nullable: true }) @Directive('@external') businessHours?: string | null;
  @Field(() => String, { nullable: true }) @Directive('@external') timeZone?: string | null;
  @Field(() => [ExternalFirstResponseCommitment]) @Directive('@external') firstResponseCommitments?: ExternalFirstResponseCommitment[];
  /** Filled from the representation; see ExternalProviderResolver for the field and its argument. */
  offers!: ExternalOffer[];
  /** Filled from the representation (routingStanding's @requires); declared on ExternalServiceArea's side below. */
  serviceAreas?: ExternalServiceArea[];
}

@ObjectType('ServiceArea')
@Directive('@key(fields: "country", resolvable: false)')
export class ExternalServiceArea {
  @Field() country!: string;
  @Field(() => String, { nullable: true }) @Directive('@external') currency!: string | null;
  @Field(() => [ExternalProvider]) @Directive('@external') providers!: ExternalProvider[];
  @Field(() => ExternalProvider, { nullable: true }) @Directive('@external') manufacturer!: ExternalProvider | null;
}

@ObjectType('LicenseHolder')
export class ExternalLicenseHolder {
  @Field() @Directive('@external') country!: string;
  @Field() @Directive('@external') language!: string;
  @Field(() => String, { nullable: true }) @Directive('@external') vatId?: string | null;
  @Field(() => ExternalServiceArea) @Directive('@external') serviceArea!: ExternalServiceArea;
}

/** What the fee lines read of a license's payment record (owned by the licenses subgraph). */
@ObjectType('MaintenancePayment')
export class ExternalMaintenancePayment {
  @Field() @Directive('@external') standing!: boolean;
  @Field() @Directive('@external') periodFrom!: string;
  @Field(() => ExternalMoney, { nullable: true }) @Directive('@external') amount?: ExternalMoney | null;
}

@ObjectType('License')
@Directive('@key(fields: "key")')
export class ExternalLicense {
  @Field(() => ID) key!: string;
  @Field(() => LicenseStatus) @Directive('@external') status!: LicenseStatus;
  @Field(() => String, { nullable: true }) @Directive('@external') maintenancePaidThrough?: string | null;
  @Field(() => ExternalLicenseHolder) @Directive('@external') holder!: ExternalLicenseHolder;
  @Field(() => ExternalProvider, { nullable: true }) @Directive('@external') vendor?: ExternalProvider | null;
  @Field(() => ExternalProvider, { nullable: true }) @Directive('@external') supportPartner?: ExternalProvider | null;
  @Field(() => [ExternalMaintenancePayment]) @Directive('@external') maintenancePayments?: ExternalMaintenancePayment[];
}

/**
 * Provider.offers takes `service` and `current` arguments in the providers subgraph, and an @external field must
 * declare the same arguments; type-graphql declares arguments only on field resolvers.
 */
@Resolver(() => ExternalProvider)
export class ExternalProviderResolver {
  @FieldResolver(() => [ExternalOffer])
  @Directive('@external')
  offers(
    @Root() provider: ExternalProvider,
    @Arg('service', () => ServiceKind, { nullable: true }) _service?: ServiceKind,
    @Arg('current', () => Boolean, { nullable: true }) _current?: boolean,
  ): ExternalOffer[] {
    return provider.offers ?? [];
  }

  // Declared here rather than on the class: ExternalServiceArea is defined after ExternalProvider.
  @FieldResolver(() => [ExternalServiceArea])
  @Directive('@external')
  serviceAreas(@Root() provider: ExternalProvider): ExternalServiceArea[] {
    return provider.serviceAreas ?? [];
  }
}
