import { Migration } from '@mikro-orm/migrations';

export class Migration20261207190101_first_response_commitments extends Migration {

  // Response-time commitments: rows already stored state none.
  override async up(): Promise<void> {
    this.addSql(`alter table "provider" add column "first_response_commitments" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "provider" drop column "first_response_commitments";`);
  }

}
