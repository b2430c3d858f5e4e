import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { countryArgument, inputField } from '../../../lib/arguments';
import { text } from '../../../lib/validation';
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
    description:
      'The licenses the caller may see (admin: all; provider: sold or supported by it; holder: its own; anonymous: none) in the order of their keys, a page at a time, narrowed by any of vendor, holder country, status and a search text.',
  })
  licenses(
    @Ctx() { em, caller }: LicensesContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('vendorId', () => ID, { nullable: true, description: 'Only licenses bought through this provider.' }) vendorId?: string,
    @Arg('country', () => String, { nullable: true, description: 'Only licenses whose holder is in this country (ISO 3166-1 alpha-2).' }) country?: string,
    @Arg('status', () => LicenseStatus, { nullable: true, description: 'Only licenses with this status.' }) status?: LicenseStatus,
    @Arg('search', () => String, {
      nullable: true,
      description:
        'Only licenses whose key or holder name contains this text (letters compared without case, on SQLite ASCII letters only; % and _ match any text and any one character; at most 100 characters).',
    })
    search?: string,
  ): Promise<Connection<License>> {
    const where: FilterQuery<License> = {};
    if (vendorId != null) where.vendorId = vendorId;
    if (country != null) where.holder = { country: countryArgument(country) };
    if (status != null) where.status = status;
    if (search != null && search.trim() !== '') {
      // The partner portal's search box. PostgreSQL's LIKE tells case apart, so it gets ILIKE;
      // SQLite has no ILIKE, and its LIKE already ignores the case of ASCII letters. (Neither has
      // a shared escape character, so % and _ keep their wildcard meaning.)
      const pattern = `%${inputField(search, 'search', text(100))}%`;
      const like = em.getPlatform() instanceof PostgreSqlPlatform ? { $ilike: pattern } : { $like: pattern };
      where.$or = [{ key: like }, { holder: { name: like } }];
    }
    return findPage(em, License, 'key', withinAccess(caller, where), page);
  }

  @FieldResolver(() => ProviderReference, {
    nullable: true,
    description: 'The distributor the license was bought through; null when bought directly from the manufacturer.',
  })
  vendor(@Root() license: License) {
    return providerReference(license.vendorId);
  }

  @FieldResolver(() => ProviderReference, { nullable: true, description: 'The designated support partner, if any.' })
  supportPartner(@Root() license: License) {
    return providerReference(license.supportPartnerId);
  }
}
