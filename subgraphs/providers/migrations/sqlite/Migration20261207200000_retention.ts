import { Migration } from '@mikro-orm/migrations';

export class Migration20261207200000_retention extends Migration {

  // Retention (lib/retention.ts): the cleanup's lease, and indexes for finding the oldest rows.
  override async up(): Promise<void> {
    this.addSql(`create table \`cleanup_lease\` (\`name\` text not null, \`owner\` text not null, \`lease_until\` datetime not null, primary key (\`name\`));`);
    this.addSql(`create index \`webhook_delivery_created_at\` on \`webhook_delivery\` (\`created_at\`);`);
    this.addSql(`create index \`webhook_event_recorded_at\` on \`webhook_event\` (\`recorded_at\`);`);
  }

}
