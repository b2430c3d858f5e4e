import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ExternalLicense, ExternalMoney, ExternalProvider } from '../references/external-types';
import { VatTreatment } from './maintenance-fee';

registerEnumType(VatTreatment, {
  name: 'VatTreatment',
  description: 'How a fee line is treated for VAT (docs/rules.md, "Maintenance fee and VAT").',
  valuesConfig: {
    NOT_TAXED: { description: "The customer's country levies no VAT (the United States): not taxed, rather than 0 %." },
    DOMESTIC: { description: "Supplier and customer in one VAT area (one country, or Switzerland and Liechtenstein): that area's rate." },
    REVERSE_CHARGE: { description: 'A business customer with a VAT id in the EU billed from another country: no VAT charged, the customer accounts for it.' },
    DESTINATION: { description: "A customer in the EU without a VAT id billed from another country: the customer country's rate." },
    OUTSIDE_SCOPE: { description: "A customer outside the EU and outside the supplier's VAT area: outside the scope of the supplier's VAT, none charged." },
  },
});

const FEE_PROVIDER_FACTS = 'id active roles country';

/** What the fee rules read of a license: the holder's country and VAT id, the vendor, the manufacturer. */
export const FEE_LICENSE_FACTS = `key holder { country vatId serviceArea { country manufacturer { ${FEE_PROVIDER_FACTS} } } } vendor { ${FEE_PROVIDER_FACTS} } maintenancePaidThrough maintenancePayments { standing periodFrom amount { amount currency } }`;

@ObjectType({
  description:
    'One license package\'s obligatory maintenance for a calendar year: EUR 99.00 net plus VAT (docs/rules.md, "Maintenance fee and VAT"). Rounded half-up to the cent.',
})
export class FeeLine {
  @Field(() => ID, { description: 'The license.' })
  licenseKey!: string;

  @Field(() => Int, { description: 'The calendar year.' })
  year!: number;

  @Field(() => ExternalMoney, { description: 'Net fee.' })
  net!: ExternalMoney;

  @Field({
    description: 'The VAT rate applied, a decimal string ("0.19"); "0" when none is charged (see vatTreatment: reverse charge, outside the scope, not taxed).',
  })
  vatRate!: string;

  @Field(() => ExternalMoney, { description: 'VAT, net × rate rounded half-up to the cent.' })
  vat!: ExternalMoney;

  @Field(() => ExternalMoney, { description: 'Net plus VAT.' })
  gross!: ExternalMoney;

  @Field({
    description:
      'Reverse charge: a business customer with a VAT id in the EU, billed from another country (in the EU or not); no VAT is charged and the customer accounts for it. The same as vatTreatment REVERSE_CHARGE.',
  })
  reverseCharge!: boolean;

  @Field(() => VatTreatment, { description: 'How the line is treated for VAT: domestic, reverse charge, destination, outside the scope, or not taxed.' })
  vatTreatment!: VatTreatment;

  @Field({
    description:
      'The treatment in one sentence for the invoice, in the reader\'s language (Accept-Language), e.g. "Not taxed: United States levies no VAT."; vatTreatment is its code.',
  })
  vatExplanation!: string;

  @Field(() => ExternalProvider, { description: 'Who invoices it: the vendor while it is an active distributor, else the manufacturer.' })
  billedBy!: ExternalProvider;

  @Field(() => [ExternalMoney], {
    description:
      "What was paid for this year, per currency (never converted): the payments that stand in the license's record whose period starts in this year (License.maintenancePayments).",
  })
  paid!: ExternalMoney[];

  @Field(() => ExternalMoney, {
    description: 'What is still due: gross less what was paid in its currency, never below 0.00 (payments in other currencies are not converted).',
  })
  outstanding!: ExternalMoney;

  @Field(() => String, { nullable: true, description: "The license's maintenance is paid through this day (ISO date); null when never paid." })
  paidThrough!: string | null;

  @Field({ description: "The billing party's country (the supplier for VAT)." })
  supplierCountry!: string;

  @Field({ description: "The holder's country (the customer for VAT)." })
  customerCountry!: string;
}

@ObjectType('MaintenanceQuote')
@Directive('@key(fields: "id")')
export class ExternalMaintenanceQuote {
  @Field(() => ID) id!: string;
  @Field(() => Int) @Directive('@external') year!: number;
  @Field(() => [ExternalLicense]) @Directive('@external') licenses!: ExternalLicense[];

  @Field(() => [FeeLine], { description: 'A fee line per license, in the order asked.' })
  @Directive(`@requires(fields: "year licenses { ${FEE_LICENSE_FACTS} }")`)
  lines!: FeeLine[];

  @Field(() => [ExternalMoney], { description: 'Gross totals, one per currency (never converted), each the sum of the rounded lines.' })
  @Directive(`@requires(fields: "year licenses { ${FEE_LICENSE_FACTS} }")`)
  totals!: ExternalMoney[];
}

@ObjectType('ResellerStatement')
@Directive('@key(fields: "id")')
export class ExternalResellerStatement {
  @Field(() => ID) id!: string;
  @Field(() => ExternalProvider) @Directive('@external') provider!: ExternalProvider;
  @Field(() => Int) @Directive('@external') year!: number;
  @Field(() => [ExternalLicense]) @Directive('@external') licenses!: ExternalLicense[];

  @Field(() => [FeeLine], {
    description: 'A fee line per license the reseller bills that year (none once it is no longer an active distributor: the manufacturer bills them).',
  })
  @Directive(`@requires(fields: "year provider { ${FEE_PROVIDER_FACTS} } licenses { ${FEE_LICENSE_FACTS} }")`)
  lines!: FeeLine[];

  @Field(() => ExternalMoney, { description: 'What the reseller remits to the manufacturer: EUR 99.00 net per package it bills.' })
  @Directive(`@requires(fields: "year provider { ${FEE_PROVIDER_FACTS} } licenses { ${FEE_LICENSE_FACTS} }")`)
  remitToManufacturer!: ExternalMoney;
}

@ObjectType('FeeLineEdge', { description: 'One fee line of a page, with its cursor.' })
export class FeeLineEdge {
  @Field({ description: 'Opaque position of this line (its license key); pass it as `after` to continue behind it.' })
  cursor!: string;

  @Field(() => FeeLine, { description: 'The fee line.' })
  node!: FeeLine;
}

@ObjectType('FeeLineConnection')
@Directive('@key(fields: "id")')
export class ExternalFeeLineConnection {
  @Field(() => ID) id!: string;
  @Field(() => Int) @Directive('@external') year!: number;
  @Field(() => ExternalProvider) @Directive('@external') provider!: ExternalProvider;
  @Field(() => [ExternalLicense]) @Directive('@external') licenses!: ExternalLicense[];

  @Field(() => [FeeLineEdge], { description: "The page's fee lines, a line per license in the order of their keys." })
  @Directive(`@requires(fields: "year provider { ${FEE_PROVIDER_FACTS} } licenses { ${FEE_LICENSE_FACTS} }")`)
  edges!: FeeLineEdge[];
}
