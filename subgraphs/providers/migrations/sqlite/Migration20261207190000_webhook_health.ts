import { Migration } from '@mikro-orm/migrations';

export class Migration20261207190000_webhook_health extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`webhook_endpoint\` add column \`previous_secret\` text null;`);
    this.addSql(`alter table \`webhook_endpoint\` add column \`previous_secret_until\` datetime null;`);
    this.addSql(`alter table \`webhook_endpoint\` add column \`disabled_at\` datetime null;`);
    this.addSql(`alter table \`webhook_endpoint\` add column \`disabled_reason\` text null;`);
    this.addSql(`alter table \`webhook_endpoint\` add column \`failing_since\` datetime null;`);
    this.addSql(`alter table \`webhook_endpoint\` add column \`consecutive_failures\` integer not null default 0;`);
  }

}
