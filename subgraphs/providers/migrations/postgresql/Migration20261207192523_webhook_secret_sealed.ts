import { Migration } from '@mikro-orm/migrations';

export class Migration20261207192523_webhook_secret_sealed extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_endpoint" alter column "secret" type varchar(300) using ("secret"::varchar(300));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_endpoint" alter column "secret" type varchar(100) using ("secret"::varchar(100));`);
  }

}
