/**
 * The webhook tables' retention (lib/retention.ts runs it): deliveries older than
 * RETENTION_WEBHOOK_DAYS go, whatever their status (one still PENDING that old can only wait for a
 * disabled endpoint), except one a dispatcher is attempting right now; then the events no delivery
 * refers to any more, recorded before the same cutoff.
 */
import type { RetentionSettings } from '../../../lib/config';
import type { SubgraphEM } from '../../../lib/orm';
import { daysBefore, type RetentionTask } from '../../../lib/retention';
import { WebhookDelivery, WebhookEvent } from './webhook.entities';

export function webhookRetentionTasks(settings: RetentionSettings): RetentionTask[] {
  const cutoff = daysBefore(settings.webhookDays);
  return [
    {
      table: 'webhook_delivery',
      cutoff,
      async deleteBatch(em: SubgraphEM, before: Date, limit: number) {
        const now = new Date();
        const rows = await em.find(
          WebhookDelivery,
          { createdAt: { $lt: before }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
          { fields: ['id'], limit, orderBy: { id: 'asc' }, disableIdentityMap: true },
        );
        return rows.length
          ? em.nativeDelete(WebhookDelivery, { id: { $in: rows.map((r) => r.id) }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] })
          : 0;
      },
    },
    {
      table: 'webhook_event',
      cutoff,
      async deleteBatch(em: SubgraphEM, before: Date, limit: number) {
        // An event still in some endpoint's log (a replay of an old event is a new delivery) stays until that delivery goes.
        const events: Array<{ id: string }> = await em
          .createQueryBuilder(WebhookEvent, 'e')
          .select('e.id')
          .where({ recordedAt: { $lt: before } })
          .andWhere('e.id not in (select d.event_id from webhook_delivery d)')
          .orderBy({ recordedAt: 'asc' })
          .limit(limit)
          .execute('all', false);
        return events.length ? em.nativeDelete(WebhookEvent, { id: { $in: events.map((e) => e.id) } }) : 0;
      },
    },
  ];
}
