import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { countryArgument } from '../../../lib/arguments';
import { LicenseStatus } from '../../../lib/domain';
import { connectionType, findPage, PageArgs, type Connection } from '../../../lib/pagination';
import type { LicensesContext } from '../context';
import { ProviderReference } from '../references/provider.reference-type';
import { License } from './license.entity';
import { withinAccess } from './license-access';

export const LicenseConnection = connectionType(License, 'License', 'licenses');

const providerReference = (id: string | null | undefined): ProviderReference | null => (id ? { id } : null);

@Resolver(() => License)
export class LicenseResolver {
  @Query(() => License, { nullable: true, description: 'One license by its key; null when there is none or the caller may not see it.' })
  license(@Arg('key', () => ID, { description: 'The license number.' }) key: string, @Ctx() { loaders }: LicensesContext) {
    return loaders.licenseByKey.load(key);
  }

  @Query(() => LicenseConnection, {
    description: 'The licenses the caller may see (admin: all; provider: sold or supported by it; holder: its own; anonymous: none) in the order of their keys, a page at a time, narrowed by any of vendor, holder country and status.',
  })
  licenses(
    @Ctx() { em, caller }: LicensesContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('vendorId', () => ID, { nullable: true, description: 'Only licenses bought through this provider.' }) vendorId?: string,
    @Arg('country', () => String, { nullable: true, description: "Only licenses whose holder is in this country (ISO 3166-1 alpha-2)." }) country?: string,
    @Arg('status', () => LicenseStatus, { nullable: true, description: 'Only licenses with this status.' }) status?: LicenseStatus,
  ): Promise<Connection<License>> {
    const where: FilterQuery<License> = {};
    if (vendorId != null) where.vendorId = vendorId;
    if (country != null) where.holder = { country: countryArgument(country) };
    if (status != null) where.status = status;
    return findPage(em, License, 'key', withinAccess(caller, where), page);
  }

  @FieldResolver(() => ProviderReference, { nullable: true, description: 'The distributor the license was bought through; null when bought directly from the manufacturer.' })
  vendor(@Root() license: License) {
    return providerReference(license.vendorId);
  }

  @FieldResolver(() => ProviderReference, { nullable: true, description: 'The designated support partner, if any.' })
  supportPartner(@Root() license: License) {
    return providerReference(license.supportPartnerId);
  }
}
