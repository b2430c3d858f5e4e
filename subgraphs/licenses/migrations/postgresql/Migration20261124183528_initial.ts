import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183528_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "license" ("key" varchar(100) not null, "package_name" varchar(200) not null, "type" text check ("type" in ('NETWORK', 'WORKSTATION')) not null, "program_version" varchar(20) not null, "status" text check ("status" in ('ACTIVE', 'SUSPENDED', 'EXPIRED')) not null, "holder_name" varchar(200) not null, "holder_country" varchar(2) not null, "holder_language" varchar(2) not null, "holder_vat_id" varchar(30) null, "vendor_id" varchar(100) null, "support_partner_id" varchar(100) null, "maintenance_paid_through" varchar(10) null, constraint "license_pkey" primary key ("key"));`);
    this.addSql(`create index "license_vendor_id_index" on "license" ("vendor_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "license" cascade;`);

  }

}
