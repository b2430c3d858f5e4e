/**
 * The licenses subgraph's retention (lib/retention.ts runs it): license events once relayed to the
 * providers subgraph and older than RETENTION_LICENSE_EVENT_DAYS (an event not relayed yet is never
 * deleted, whatever its age: it still has to be told), and the access-code log (codes issued,
 * sign-ins, failed sign-ins) older than RETENTION_ACCESS_EVENT_DAYS.
 */
import type { RetentionSettings } from '../../../lib/config';
import type { SubgraphEM } from '../../../lib/orm';
import { daysBefore, type RetentionTask } from '../../../lib/retention';
import { LicenseAccessEvent } from '../access-code/access-code.entity';
import { LicenseEvent } from './license-event.entity';

export function licensesRetentionTasks(settings: RetentionSettings): RetentionTask[] {
  return [
    {
      table: 'license_event',
      cutoff: daysBefore(settings.licenseEventDays),
      async deleteBatch(em: SubgraphEM, before: Date, limit: number) {
        const rows = await em.find(LicenseEvent, { relayedAt: { $ne: null, $lt: before } }, { fields: ['id'], limit, disableIdentityMap: true });
        return rows.length ? em.nativeDelete(LicenseEvent, { id: { $in: rows.map((r) => r.id) } }) : 0;
      },
    },
    {
      table: 'license_access_event',
      cutoff: daysBefore(settings.accessEventDays),
      async deleteBatch(em: SubgraphEM, before: Date, limit: number) {
        const rows = await em.find(LicenseAccessEvent, { at: { $lt: before } }, { fields: ['id'], limit, orderBy: { id: 'asc' }, disableIdentityMap: true });
        return rows.length ? em.nativeDelete(LicenseAccessEvent, { id: { $in: rows.map((r) => r.id) } }) : 0;
      },
    },
  ];
}
