import { Migration } from '@mikro-orm/migrations';

/** The name of the person who made a change, from their identity provider's token (audit_entry.actor_name). */
export class Migration20261207190000_audit_actor_name extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`audit_entry\` add column \`actor_name\` text null;`);
  }

}
