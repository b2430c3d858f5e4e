import { Migration } from '@mikro-orm/migrations';

export class Migration20261203180358_eu_membership extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "eu_membership" ("country" varchar(2) not null, "member_from" varchar(10) not null, "member_until" varchar(10) null, constraint "eu_membership_pkey" primary key ("country", "member_from"));`);

    this.addSql(`alter table "vat_rate" drop column "eu";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "eu_membership" cascade;`);

    this.addSql(`alter table "vat_rate" add column "eu" bool not null;`);
  }

}
