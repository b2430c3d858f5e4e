import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183224_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "provider" ("id" varchar(100) not null, "name" varchar(200) not null, "roles" jsonb not null, "active" boolean not null, "country" varchar(2) not null, "service_countries" jsonb not null, "languages" jsonb not null, "email" varchar(200) null, "phone" varchar(50) null, "website" varchar(300) null, "postal_address" text null, "business_hours" varchar(200) null, "time_zone" varchar(64) null, "vat_id" varchar(30) null, constraint "provider_pkey" primary key ("id"));`);

    this.addSql(`create table "offer" ("id" varchar(100) not null, "provider_id" varchar(100) not null, "service" text check ("service" in ('TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT')) not null, "title" varchar(200) not null, "description" text null, "amount" varchar(20) not null, "currency" varchar(3) not null, "unit" text check ("unit" in ('ONE_TIME', 'ANNUAL', 'PER_HOUR', 'PER_DAY', 'PER_PARTICIPANT')) not null, "valid_from" varchar(10) null, "valid_until" varchar(10) null, constraint "offer_pkey" primary key ("id"));`);

    this.addSql(`alter table "offer" add constraint "offer_provider_id_foreign" foreign key ("provider_id") references "provider" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "offer" drop constraint "offer_provider_id_foreign";`);

    this.addSql(`drop table if exists "provider" cascade;`);

    this.addSql(`drop table if exists "offer" cascade;`);

  }

}
