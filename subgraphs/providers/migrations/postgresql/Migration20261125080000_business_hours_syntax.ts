import { Migration } from '@mikro-orm/migrations';
import { clearUnreadableBusinessHours } from '../clear-unreadable-business-hours';

export class Migration20261125080000_business_hours_syntax extends Migration {

  override async up(): Promise<void> {
    await clearUnreadableBusinessHours(this);
  }

}
