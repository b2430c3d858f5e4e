import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum MaintenancePaymentKind {
  PAYMENT = 'PAYMENT',
  REVERSAL = 'REVERSAL',
}

registerEnumType(MaintenancePaymentKind, {
  name: 'MaintenancePaymentKind',
  description: 'A payment as recorded, or the entry that reverses a wrong one (entries are never edited or deleted).',
  valuesConfig: {
    PAYMENT: { description: 'A maintenance payment as recorded by the billing party or an admin.' },
    REVERSAL: { description: 'Reverses one payment entered by mistake (`reverses` names it), with the reason.' },
  },
});

/** Money as the licenses subgraph answers it (payments); the same shareable type as offers' prices and fee lines. */
@ObjectType('Money')
@Directive('@shareable')
export class PaymentMoney {
  @Field({ description: 'Decimal amount with two places, e.g. "99.00".' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code, e.g. "EUR".' })
  currency!: string;
}

/**
 * One entry of a license's maintenance payment record: a payment (what was paid, for which
 * period, by whose entry) or the reversal of a wrong one. Entries are only ever added: a correction
 * is a reversing entry, so the record keeps what was entered and who corrected it. The license's
 * paid-through date is derived from the entries (lib/maintenance-payments.ts).
 */
@Entity({ tableName: 'maintenance_payment' })
@Index({ properties: ['licenseKey', 'recordedAt'] })
@ObjectType({ description: "An entry of a license's maintenance payment record: a payment, or the reversal of a wrong one." })
export class MaintenancePayment {
  @PrimaryKey({ type: 'string', length: 36 })
  @Field(() => ID, { description: 'Identifies the entry (reverseMaintenancePayment names it).' })
  id!: string;

  @Property({ length: 100 })
  @Field(() => ID, { description: 'The license.' })
  licenseKey!: string;

  @Enum({ items: () => MaintenancePaymentKind })
  @Field(() => MaintenancePaymentKind, { description: 'A payment, or the reversal of one.' })
  kind!: MaintenancePaymentKind;

  /** Decimal string with two places; null when the entry did not state it (recordMaintenancePayment without an amount). */
  @Property({ type: 'string', length: 20, nullable: true })
  amount?: string | null;

  @Property({ type: 'string', length: 3, nullable: true })
  currency?: string | null;

  @Property({ length: 200, nullable: true })
  @Field(() => String, { nullable: true, description: "The payer's or the bank's reference, e.g. an invoice number; null when none was given." })
  reference?: string | null;

  /** ISO date: the first day the payment covers (the day after the date paid through before it; January 1 of its last year when nothing was paid before). */
  @Property({ length: 10 })
  @Field({ description: 'The first day of the period the payment covers (ISO date).' })
  periodFrom!: string;

  /** ISO date: the last day the payment covers. */
  @Property({ length: 10 })
  @Field({ description: 'The last day of the period the payment covers: maintenance is paid through it (ISO date).' })
  paidThrough!: string;

  /** The license's paid-through date before this payment (null: none); where a reversal of it returns to. */
  @Property({ length: 10, nullable: true })
  @Field(() => String, { nullable: true, description: 'The date maintenance was paid through before this entry (ISO date); null: never paid.' })
  previousPaidThrough?: string | null;

  /** REVERSAL: the payment it reverses. */
  @Property({ length: 36, nullable: true })
  @Field(() => ID, { nullable: true, description: 'For a reversal: the payment it reverses.' })
  reverses?: string | null;

  /** PAYMENT: the reversal that reversed it, if any (set once, in the reversal's transaction). */
  @Property({ length: 36, nullable: true })
  @Field(() => ID, { nullable: true, description: 'For a payment entered by mistake: the reversal that reversed it; null while it stands.' })
  reversedBy?: string | null;

  @Property({ length: 500, nullable: true })
  @Field(() => String, { nullable: true, description: 'For a reversal: why the payment was wrong.' })
  reason?: string | null;

  /** Who entered it, by role: the billing provider's id, or "admin" (the audit trail names the person). */
  @Property({ length: 100 })
  @Field({ description: 'Who entered it: the provider id of the billing reseller, or "admin" (the audit trail names the person).' })
  recordedBy!: string;

  /** ISO 8601 instant. */
  @Property({ length: 30 })
  @Field({ description: 'When it was entered (ISO 8601 instant).' })
  recordedAt!: string;
}
