import { createByKeyLoader } from '../../../lib/loaders';
import type { SubgraphEM } from '../../../lib/orm';
import { License } from './license.entity';

/** Licenses by key, batched into one query per request tick. */
export const createLicenseByKeyLoader = (em: SubgraphEM) => createByKeyLoader(em, License, 'key');
