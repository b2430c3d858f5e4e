/**
 * The support categories and topics of docs/rules.md (from the vendor page). They are reference data,
 * written into the support database on start so every deployment holds exactly this catalogue.
 */
import { ProviderRole, ServiceKind, SupportCategoryId, SupportLevel } from '../../../lib/domain';
import type { SubgraphORM } from '../../../lib/orm';
import { SupportCategory } from '../category/support-category.entity';
import { SupportTopic } from './support-topic.entity';

const { SOFTWARE_MAINTENANCE, TECHNICAL_SUPPORT, USER_SUPPORT } = SupportCategoryId;
const { LEVEL_0, LEVEL_1 } = SupportLevel;

export const SUPPORT_CATEGORIES: Omit<SupportCategory, never>[] = [
  {
    id: SOFTWARE_MAINTENANCE,
    name: 'Software maintenance',
    content: 'Provision of updates and upgrades',
    providedBy: [ProviderRole.MANUFACTURER],
    obligatory: true,
  },
  {
    id: TECHNICAL_SUPPORT,
    name: 'Technical support',
    content: 'Technical support on designated topics',
    providedBy: [ProviderRole.DISTRIBUTOR, ProviderRole.MANUFACTURER],
    obligatory: false,
  },
  { id: USER_SUPPORT, name: 'User support', content: 'Provision of user support, and training', providedBy: [ProviderRole.SUPPORT_PARTNER], obligatory: false },
];

type TopicRow = [id: string, name: string, category: SupportCategoryId, level: SupportLevel | null, service: ServiceKind | null];

export const SUPPORT_TOPICS: TopicRow[] = [
  ['updates', 'Updates', SOFTWARE_MAINTENANCE, null, null],
  ['upgrades', 'Upgrades', SOFTWARE_MAINTENANCE, null, null],
  ['server-installation', 'Server installation', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['client-installation', 'Client installation', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['server-client-connection', 'Server-Client-connection', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['pms-interface', 'Establish PMS interface', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['ims-interfaces', 'Establish IMS interfaces (2D/3D)', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['software-activation-request', 'Software activation request', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['software-activation', 'Software activation', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['license-renewal', 'Renew/extend license', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['database-backup', 'Database backup', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['software-update', 'Software update', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['database-migration', 'Database migration', TECHNICAL_SUPPORT, LEVEL_0, ServiceKind.TECHNICAL_SUPPORT],
  ['patch-installation', 'Installation of patches', TECHNICAL_SUPPORT, LEVEL_1, ServiceKind.TECHNICAL_SUPPORT],
  ['system-settings', 'Other system settings', TECHNICAL_SUPPORT, LEVEL_1, ServiceKind.TECHNICAL_SUPPORT],
  ['database-restore', 'Database restore', TECHNICAL_SUPPORT, LEVEL_1, ServiceKind.TECHNICAL_SUPPORT],
  ['troubleshooting', 'Troubleshooting / Error messages', TECHNICAL_SUPPORT, LEVEL_1, ServiceKind.TECHNICAL_SUPPORT],
  ['user-support', 'User support', USER_SUPPORT, null, ServiceKind.USER_SUPPORT],
  ['training', 'Training', USER_SUPPORT, null, ServiceKind.TRAINING],
];

/** Upserts the catalogue in one transaction (idempotent; corrects edited rows). */
export async function ensureSupportCatalogue(orm: SubgraphORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    for (const category of SUPPORT_CATEGORIES) await em.upsert(SupportCategory, category);
    for (const [position, [id, name, category, level, service]] of SUPPORT_TOPICS.entries()) {
      await em.upsert(SupportTopic, { id, name, category: em.getReference(SupportCategory, category), level, service, position });
    }
  });
}
