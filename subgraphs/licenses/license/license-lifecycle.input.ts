import { Field, ID, InputType } from 'type-graphql';
import { LicenseType } from '../../../lib/domain';

@InputType({ description: "A license holder's data: the practice." })
export class LicenseHolderInput {
  @Field({ description: 'Practice name.' })
  name!: string;

  @Field({ description: 'Country of the practice (ISO 3166-1 alpha-2); any country, a code that names none is refused.' })
  country!: string;

  @Field({ description: 'Language of the practice (ISO 639-1).' })
  language!: string;

  @Field(() => String, { nullable: true, description: 'VAT identification number; leave out when the practice has none.' })
  vatId?: string | null;
}

@InputType({ description: "A new license: the directory file's license fields; it is registered ACTIVE." })
export class LicenseRegistrationInput {
  @Field(() => ID, { description: 'The license number (unique).' })
  key!: string;

  @Field({ description: 'Package name, e.g. "OnyxCeph³ 3D Pro".' })
  packageName!: string;

  @Field(() => LicenseType, { description: 'Network or workstation.' })
  type!: LicenseType;

  @Field({ description: 'Program version, e.g. "3.2".' })
  programVersion!: string;

  @Field(() => LicenseHolderInput, { description: 'The practice holding it.' })
  holder!: LicenseHolderInput;

  @Field(() => ID, {
    nullable: true,
    description: 'The distributor it was sold through: a distributor leaves it out or names itself; an admin names any distributor, or none (bought directly).',
  })
  vendorId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The designated support partner, if any.' })
  supportPartnerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Maintenance paid through this day (ISO date), if already paid.' })
  maintenancePaidThrough?: string | null;
}
