import DataLoader from 'dataloader';
import type { SubgraphEM } from '../../../lib/orm';
import { MaintenancePayment } from './maintenance-payment.entity';

/** The payment record of each license asked for in one request tick, oldest entry first, in one query. */
export const createPaymentsByLicenseLoader = (em: SubgraphEM) =>
  new DataLoader<string, MaintenancePayment[]>(async (keys) => {
    const rows = await em.find(MaintenancePayment, { licenseKey: { $in: [...keys] } }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
    const byLicense = new Map<string, MaintenancePayment[]>();
    for (const row of rows) byLicense.set(row.licenseKey, [...(byLicense.get(row.licenseKey) ?? []), row]);
    return keys.map((key) => byLicense.get(key) ?? []);
  });
