import { Migration } from '@mikro-orm/migrations';

export class Migration20261207190000_webhook_health extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_endpoint" add column "previous_secret" text null, add column "previous_secret_until" timestamptz null, add column "disabled_at" timestamptz null, add column "disabled_reason" varchar(300) null, add column "failing_since" timestamptz null, add column "consecutive_failures" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_endpoint" drop column "previous_secret", drop column "previous_secret_until", drop column "disabled_at", drop column "disabled_reason", drop column "failing_since", drop column "consecutive_failures";`);
  }

}
