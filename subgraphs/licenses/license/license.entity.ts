import { Embedded, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LicenseStatus, LicenseType } from '../../../lib/domain';
import { LicenseHolder } from './license-holder.embeddable';

/**
 * A license package. Vendor and support partner are provider ids only: the providers subgraph owns
 * providers, so they are exposed as federated references (see LicenseResolver).
 */
@Entity({ tableName: 'license' })
@ObjectType({ description: 'An OnyxCeph³ license package: its holder, the reseller it was bought through and its maintenance.' })
@Directive('@key(fields: "key")')
export class License {
  @PrimaryKey({ type: 'string', length: 100 })
  @Field(() => ID, { description: 'The license number.' })
  key!: string;

  @Property({ length: 200 })
  @Field({ description: 'Package name, e.g. "OnyxCeph³ 3D Pro".' })
  packageName!: string;

  @Enum({ items: () => LicenseType })
  @Field(() => LicenseType, { description: 'Network (practice server with workstations) or single workstation.' })
  type!: LicenseType;

  @Property({ length: 20 })
  @Field({ description: 'Program version, e.g. "3.2".' })
  programVersion!: string;

  @Enum({ items: () => LicenseStatus })
  @Field(() => LicenseStatus, { description: 'Whether the license is in force.' })
  status!: LicenseStatus;

  @Embedded(() => LicenseHolder, { prefix: 'holder_' })
  @Field(() => LicenseHolder, { description: 'The practice holding the license.' })
  holder!: LicenseHolder;

  /** The distributor the license was bought through; null when bought directly from the manufacturer. */
  @Property({ length: 100, nullable: true })
  @Index()
  vendorId?: string | null;

  @Property({ length: 100, nullable: true })
  supportPartnerId?: string | null;

  @Property({ length: 10, nullable: true })
  @Field(() => String, { nullable: true, description: 'Maintenance is paid through this day (ISO date); null when never paid.' })
  maintenancePaidThrough?: string | null;

  /** Optimistic locking: every lifecycle change names the version it was based on (a stale one is CONFLICT). */
  @Property({ type: 'integer', default: 1 })
  @Field(() => Int, { description: 'Goes up by one with every change to the license; transferLicense, suspendLicense, … name the version they were based on.' })
  version: number = 1;
}
