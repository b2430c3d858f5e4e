import { Migration } from '@mikro-orm/migrations';

export class Migration20261207192003_maintenance_payment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "maintenance_payment" ("id" varchar(36) not null, "license_key" varchar(100) not null, "kind" text check ("kind" in ('PAYMENT', 'REVERSAL')) not null, "amount" varchar(20) null, "currency" varchar(3) null, "reference" varchar(200) null, "period_from" varchar(10) not null, "paid_through" varchar(10) not null, "previous_paid_through" varchar(10) null, "reverses" varchar(36) null, "reversed_by" varchar(36) null, "reason" varchar(500) null, "recorded_by" varchar(100) not null, "recorded_at" varchar(30) not null, constraint "maintenance_payment_pkey" primary key ("id"));`);
    this.addSql(`create index "maintenance_payment_license_key_recorded_at_index" on "maintenance_payment" ("license_key", "recorded_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "maintenance_payment" cascade;`);
  }

}
