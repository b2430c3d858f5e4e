import { Migration } from '@mikro-orm/migrations';

export class Migration20261207190329_vat_area extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "vat_area_membership" ("country" varchar(2) not null, "member_from" varchar(10) not null, "area" varchar(20) not null, "member_until" varchar(10) null, constraint "vat_area_membership_pkey" primary key ("country", "member_from"));`);

    this.addSql(`alter table "vat_rate" alter column "rate" type varchar(12) using ("rate"::varchar(12));`);
    this.addSql(`alter table "vat_rate" alter column "rate" drop not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "vat_area_membership" cascade;`);

    this.addSql(`alter table "vat_rate" alter column "rate" type varchar(12) using ("rate"::varchar(12));`);
    this.addSql(`alter table "vat_rate" alter column "rate" set not null;`);
  }

}
