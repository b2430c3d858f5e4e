import type { Migration } from '@mikro-orm/migrations';
import { businessHoursProblem } from '../../../lib/opening-hours';

/**
 * The data half of the business_hours_syntax migration, the same for both dialects: businessHours
 * used to be free text and is now OpenStreetMap opening_hours syntax. A stored value that does not
 * parse, or parses only by the library's guessing (see businessHoursProblem), has no reading we can
 * trust, so it becomes null (the provider shows no hours,
 * openNow is null) until the next directory import or updateProvider sets a valid one. Values that
 * parse are kept as they are. Which values parse is decided by the same validator as the import, in
 * JavaScript, because no SQL can parse the syntax.
 */
export async function clearUnreadableBusinessHours(migration: Migration): Promise<void> {
  const rows = await migration.execute(`select "id", "business_hours" from "provider" where "business_hours" is not null`);
  for (const row of rows as { id: string; business_hours: string }[]) {
    const hours = row.business_hours.trim();
    if (hours === '' || businessHoursProblem(hours) !== undefined) {
      migration.addSql(migration.getKnex().raw(`update "provider" set "business_hours" = null where "id" = ?`, [row.id]));
    }
  }
}
