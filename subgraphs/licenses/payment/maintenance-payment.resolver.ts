import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { stands } from '../../../lib/maintenance-payments';
import type { LicensesContext } from '../context';
import { License } from '../license/license.entity';
import { MaintenancePayment, PaymentMoney } from './maintenance-payment.entity';

@Resolver(() => License)
export class LicensePaymentsResolver {
  @FieldResolver(() => [MaintenancePayment], {
    description:
      "The license's maintenance payment record, oldest entry first: payments and the reversals of wrong ones (whoever may see the license sees it). maintenancePaidThrough is derived from it.",
  })
  maintenancePayments(@Root() license: License, @Ctx() { loaders }: LicensesContext) {
    return loaders.paymentsByLicense.load(license.key);
  }
}

@Resolver(() => MaintenancePayment)
export class MaintenancePaymentResolver {
  @FieldResolver(() => PaymentMoney, { nullable: true, description: 'What was paid (a reversal: what it takes back); null when the entry did not state it.' })
  amount(@Root() entry: MaintenancePayment): PaymentMoney | null {
    return entry.amount && entry.currency ? { amount: entry.amount, currency: entry.currency } : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether this is a payment that stands: true until a reversal reverses it; false for a reversal.' })
  standing(@Root() entry: MaintenancePayment): boolean {
    return stands(entry);
  }
}
